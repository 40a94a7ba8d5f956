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

use crate::index::{Index, ResolvedOrigin};
use crate::inventory::{AccountInventory, Inventory};
use crate::options::CheckOptions;
use crate::perimeter::locks::Unresolved;
use crate::perimeter::{Perimeter, Scope};

/// The index of every account of an inventory, in inventory order.
///
/// With several accounts, an origin whose backend is not in its distribution's account is
/// looked up in the others: when one holds it, that account's index records the foreign
/// distribution as reaching the backend, so the backend is judged there as if the distribution
/// were local (its sent headers, its signer), and [`Model::build`] gives the distribution's lock
/// that account's backends.
pub struct Indexes<'a> {
    accounts: Vec<Index<'a>>,
    /// (distribution account, distribution ARN, origin id) → the account index that holds the
    /// origin's backend.
    foreign: Vec<((usize, &'a str, &'a str), usize)>,
}

impl<'a> Indexes<'a> {
    pub fn build(inventory: &'a Inventory) -> Self {
        let mut accounts: Vec<Index<'a>> = inventory.accounts.iter().map(Index::build).collect();
        let mut foreign = Vec::new();
        for (home, account) in inventory.accounts.iter().enumerate() {
            for distribution in &account.distributions {
                for origin in &distribution.origins {
                    if resolves_here(&accounts[home].resolve_origin(origin)) {
                        continue;
                    }
                    let other = (0..accounts.len())
                        .filter(|&i| i != home)
                        .find(|&i| accounts[i].register_origin_use(distribution, origin));
                    if let Some(other) = other {
                        foreign.push(((home, distribution.arn.as_str(), origin.id.as_str()), other));
                    }
                }
            }
        }
        // Tenants' filled-in origins whose backend is in another scanned account: that
        // account's index records them among the origins reaching its backends (its guards read
        // what they send), as it does for a foreign distribution's plain origin above. The
        // account chosen is the first other one that holds the backend, as in `Model::build`.
        let mut foreign_tenants = Vec::new();
        for (home, index) in accounts.iter().enumerate() {
            for tenant_origin in &index.tenant_origins {
                let Ok(filled) = &tenant_origin.origin else { continue };
                if resolves_here(&index.resolve_origin(filled)) {
                    continue;
                }
                let other = (0..accounts.len())
                    .find(|&i| i != home && resolves_here(&accounts[i].resolve_origin(filled)));
                if let Some(other) = other {
                    foreign_tenants.push((other, tenant_origin.clone()));
                }
            }
        }
        for (other, tenant_origin) in foreign_tenants {
            accounts[other].register_foreign_tenant_origin(tenant_origin);
        }
        Self { accounts, foreign }
    }

    /// The account (index in the inventory) that holds the backend of an origin of a
    /// distribution of account `home`, when it is not `home`.
    fn foreign_account(&self, home: usize, distribution_arn: &str, origin_id: &str) -> Option<usize> {
        self.foreign
            .iter()
            .find(|((h, d, o), _)| *h == home && *d == distribution_arn && *o == origin_id)
            .map(|(_, other)| *other)
    }
}

/// Whether an origin's backend was found in the distribution's own account (or the origin is
/// of a kind that has no backend to look for: S3).
fn resolves_here(resolved: &ResolvedOrigin<'_>) -> bool {
    !matches!(
        resolved,
        ResolvedOrigin::UnknownApi { .. }
            | ResolvedOrigin::UnknownLoadBalancer
            | ResolvedOrigin::UnknownLambdaUrl
            | ResolvedOrigin::Custom
            | ResolvedOrigin::TenantTemplate
    )
}

/// The scanned account ids for a message: up to five, then a count.
fn searched_accounts(inventory: &Inventory) -> String {
    const SHOWN: usize = 5;
    let mut text =
        inventory.accounts.iter().take(SHOWN).map(|a| a.account_id.as_str()).collect::<Vec<_>>().join(", ");
    if inventory.accounts.len() > SHOWN {
        text.push_str(&format!(" and {} more", inventory.accounts.len() - SHOWN));
    }
    text
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
        let mut accounts: Vec<AccountModel<'a>> = inventory
            .accounts
            .iter()
            .zip(&indexes.accounts)
            .map(|(account, index)| AccountModel {
                account,
                index,
                perimeter: Perimeter::build(account, index, options),
            })
            .collect();
        // Origins whose backend another scanned account holds: their lock is judged over that
        // account's backends (computed first, applied after: the perimeters are read meanwhile).
        let mut replaced = Vec::new();
        for (home, judged) in accounts.iter().enumerate() {
            for (position, lock) in judged.perimeter.locks.iter().enumerate() {
                let Some(other) = indexes.foreign_account(home, &lock.distribution.arn, &lock.origin.id)
                else {
                    continue;
                };
                let backend_account = &accounts[other];
                let scope = Scope { account: backend_account.account, index: backend_account.index, options };
                let lock =
                    backend_account.perimeter.lock_in_this_account(&scope, lock.distribution, lock.origin);
                replaced.push((home, position, lock));
            }
        }
        for (home, position, lock) in replaced {
            accounts[home].perimeter.locks[position] = lock;
        }
        // A tenant's filled-in origin whose backend is in another scanned account (recorded
        // there by `Indexes::build`): judged over the first other scanned account that holds
        // the backend, whose guards see the tenant among the origins reaching it.
        let mut tenant_replaced = Vec::new();
        for (home, judged) in accounts.iter().enumerate() {
            for (position, lock) in judged.perimeter.locks.iter().enumerate() {
                if lock.tenant.is_none() || !matches!(lock.unresolved, Some(Unresolved::Missing(_))) {
                    continue;
                }
                let other = accounts
                    .iter()
                    .enumerate()
                    .find(|(i, a)| *i != home && resolves_here(&a.index.resolve_origin(lock.origin)));
                let Some((_, backend_account)) = other else { continue };
                let scope = Scope { account: backend_account.account, index: backend_account.index, options };
                let mut replacement =
                    backend_account.perimeter.lock_in_this_account(&scope, lock.distribution, lock.origin);
                replacement.tenant = lock.tenant;
                tenant_replaced.push((home, position, replacement));
            }
        }
        for (home, position, lock) in tenant_replaced {
            accounts[home].perimeter.locks[position] = lock;
        }
        // A backend found in no account is in none of the scanned ones: say which were searched.
        let searched = searched_accounts(inventory);
        for lock in accounts.iter_mut().flat_map(|a| a.perimeter.locks.iter_mut()) {
            if let Some(unresolved) = lock.unresolved.as_mut() {
                unresolved.name_searched_accounts(&searched);
            }
        }
        // A VPC origin shared from another scanned account (`OwnerAccountId`) is judged in the
        // owner's account, where the VPC origin and its endpoint are.
        let mut shared = Vec::new();
        for (home, judged) in accounts.iter().enumerate() {
            for (position, lock) in judged.perimeter.locks.iter().enumerate() {
                let owner = lock.origin.vpc_origin.as_ref().and_then(|v| v.owner_account_id.as_deref());
                let Some(owner) = owner.filter(|o| *o != judged.account.account_id) else { continue };
                let Some(owner_model) = accounts.iter().find(|a| a.account.account_id == owner) else {
                    continue;
                };
                let scope = Scope { account: owner_model.account, index: owner_model.index, options };
                shared.push((home, position, crate::perimeter::vpc::vpc_origin_reach(&scope, lock.origin)));
            }
        }
        for (home, position, reach) in shared {
            accounts[home].perimeter.locks[position].vpc_reach = reach;
        }
        Self { accounts, options }
    }

    /// The account with this id, when the inventory holds it.
    pub fn account(&self, account_id: &str) -> Option<&AccountModel<'a>> {
        self.accounts.iter().find(|a| a.account.account_id == account_id)
    }
}
