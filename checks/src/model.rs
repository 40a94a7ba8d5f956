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
        let judge = Judge::new(inventory, indexes, options);
        Self { accounts: judge.accounts().collect(), options }
    }

    /// Hands over the accounts, in inventory order, each dropped when its reader is done with it.
    pub fn into_accounts(self) -> impl Iterator<Item = AccountModel<'a>> {
        self.accounts.into_iter()
    }

    /// The account with this id, when the inventory holds it.
    pub fn account(&self, account_id: &str) -> Option<&AccountModel<'a>> {
        self.accounts.iter().find(|a| a.account.account_id == account_id)
    }
}

/// Builds the accounts of a [`Model`] one at a time: every account's backends are computed first
/// (other accounts' locks are judged over them), then each account's whole perimeter when it is
/// asked for. A reader that needs one account at a time (a streamed check run) then never holds
/// every account's locks at once; [`Model::build`] collects them all.
pub struct Judge<'a> {
    inventory: &'a Inventory,
    indexes: &'a Indexes<'a>,
    options: &'a CheckOptions,
    /// Every account's [`Perimeter::backends_only`], in inventory order.
    backends: Vec<Perimeter<'a>>,
    /// The scanned accounts, for messages about a backend found in none of them.
    searched: String,
}

impl<'a> Judge<'a> {
    pub fn new(inventory: &'a Inventory, indexes: &'a Indexes<'a>, options: &'a CheckOptions) -> Self {
        let backends = inventory
            .accounts
            .iter()
            .zip(&indexes.accounts)
            .map(|(account, index)| Perimeter::backends_only(account, index, options))
            .collect();
        Self { inventory, indexes, options, backends, searched: searched_accounts(inventory) }
    }

    pub fn options(&self) -> &'a CheckOptions {
        self.options
    }

    /// Every account, judged, in inventory order.
    pub fn accounts(&self) -> impl Iterator<Item = AccountModel<'a>> + '_ {
        (0..self.inventory.accounts.len()).filter_map(|home| self.account(home))
    }

    /// The account at `home` in the inventory, judged.
    pub fn account(&self, home: usize) -> Option<AccountModel<'a>> {
        let options = self.options;
        let account = self.inventory.accounts.get(home)?;
        let index = self.indexes.accounts.get(home)?;
        let mut perimeter = Perimeter::build(account, index, options);
        let scope_of = |other: usize| {
            let backend_account = self.backends.get(other)?;
            let scope = Scope {
                account: self.inventory.accounts.get(other)?,
                index: self.indexes.accounts.get(other)?,
                options,
            };
            Some((backend_account, scope))
        };
        // Origins whose backend another scanned account holds: their lock is judged over that
        // account's backends.
        for lock in perimeter.locks.iter_mut() {
            let Some(other) = self.indexes.foreign_account(home, &lock.distribution.arn, &lock.origin.id)
            else {
                continue;
            };
            let Some((backend_account, scope)) = scope_of(other) else { continue };
            *lock = backend_account.lock_in_this_account(&scope, lock.distribution, lock.origin);
        }
        // A tenant's filled-in origin whose backend is in another scanned account (recorded
        // there by `Indexes::build`): judged over the first other scanned account that holds
        // the backend, whose guards see the tenant among the origins reaching it.
        for lock in perimeter.locks.iter_mut() {
            if lock.tenant.is_none() || !matches!(lock.unresolved, Some(Unresolved::Missing(_))) {
                continue;
            }
            let other = (0..self.indexes.accounts.len()).find(|&i| {
                i != home
                    && self
                        .indexes
                        .accounts
                        .get(i)
                        .is_some_and(|x| resolves_here(&x.resolve_origin(lock.origin)))
            });
            let Some((backend_account, scope)) = other.and_then(scope_of) else { continue };
            let mut replacement =
                backend_account.lock_in_this_account(&scope, lock.distribution, lock.origin);
            replacement.tenant = lock.tenant;
            *lock = replacement;
        }
        // A backend found in no account is in none of the scanned ones: say which were searched.
        for lock in perimeter.locks.iter_mut() {
            if let Some(unresolved) = lock.unresolved.as_mut() {
                unresolved.name_searched_accounts(&self.searched);
            }
        }
        // A VPC origin shared from another scanned account (`OwnerAccountId`) is judged in the
        // owner's account, where the VPC origin and its endpoint are.
        for lock in perimeter.locks.iter_mut() {
            let owner = lock.origin.vpc_origin.as_ref().and_then(|v| v.owner_account_id.as_deref());
            let Some(owner) = owner.filter(|o| *o != account.account_id) else { continue };
            let Some(other) = self.inventory.accounts.iter().position(|a| a.account_id == owner) else {
                continue;
            };
            let Some((_, scope)) = scope_of(other) else { continue };
            lock.vpc_reach = crate::perimeter::vpc::vpc_origin_reach(&scope, lock.origin);
        }
        Some(AccountModel { account, index, perimeter })
    }
}
