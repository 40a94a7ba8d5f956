//! What a scan computes once and every consumer reads: for each account, its [`Index`] (the
//! lookups) and its [`Perimeter`] (backends, entry points, guards and locks).
//!
//! The checks ([`crate::registry::run_model`]), the probe planner, the report's perimeter graph
//! and drift's classification all read one [`Model`], so they cannot disagree about what is
//! reachable. The perimeter borrows the index, so the two are built in two steps:
//!
//! ```text
//! let indexes = Indexes::build(&inventory);
//! let model = Model::build(&inventory, &indexes, &options);
//! ```

use crate::index::Index;
use crate::inventory::{AccountInventory, Inventory};
use crate::options::CheckOptions;
use crate::perimeter::Perimeter;

/// The index of every account of an inventory, in inventory order.
pub struct Indexes<'a> {
    accounts: Vec<Index<'a>>,
}

impl<'a> Indexes<'a> {
    pub fn build(inventory: &'a Inventory) -> Self {
        Self { accounts: inventory.accounts.iter().map(Index::build).collect() }
    }
}

/// One account as the scan judged it.
pub struct AccountModel<'a> {
    pub account: &'a AccountInventory,
    pub index: &'a Index<'a>,
    pub perimeter: Perimeter<'a>,
}

/// Every account of an inventory, judged once.
pub struct Model<'a> {
    pub accounts: Vec<AccountModel<'a>>,
    pub options: &'a CheckOptions,
}

impl<'a> Model<'a> {
    pub fn build(inventory: &'a Inventory, indexes: &'a Indexes<'a>, options: &'a CheckOptions) -> Self {
        let accounts = inventory
            .accounts
            .iter()
            .zip(&indexes.accounts)
            .map(|(account, index)| AccountModel {
                account,
                index,
                perimeter: Perimeter::build(account, index, options),
            })
            .collect();
        Self { accounts, options }
    }

    /// The account with this id, when the inventory holds it.
    pub fn account(&self, account_id: &str) -> Option<&AccountModel<'a>> {
        self.accounts.iter().find(|a| a.account.account_id == account_id)
    }
}
