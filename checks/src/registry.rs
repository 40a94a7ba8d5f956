//! The catalogue of checks and the runner that applies them to an inventory.

use crate::check::{Check, CheckMeta, Context, Output};
use crate::checks;
use crate::finding::{Finding, NotEvaluated};
use crate::inventory::{CoverageStatus, Inventory};
use crate::model::{AccountModel, Indexes, Judge, Model};
use crate::options::CheckOptions;
use crate::probe::ProbeResult;

/// Every check, in id order.
pub fn all() -> &'static [&'static dyn Check] {
    checks::ALL
}

/// The check named by an id or slug (case-insensitive).
pub fn find(key: &str) -> Option<&'static dyn Check> {
    all().iter().copied().find(|c| c.meta().is_named(key))
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown check `{0}` (see `edge-audit checks` for the catalogue)")]
pub struct UnknownCheck(pub String);

/// The checks to run: `include` (all when empty) minus `exclude`. Ids and slugs both work; an
/// unknown one is an error rather than silently selecting nothing.
pub fn select(include: &[String], exclude: &[String]) -> Result<Vec<&'static dyn Check>, UnknownCheck> {
    for key in include.iter().chain(exclude) {
        if find(key).is_none() {
            return Err(UnknownCheck(key.clone()));
        }
    }
    Ok(all()
        .iter()
        .copied()
        .filter(|c| include.is_empty() || include.iter().any(|k| c.meta().is_named(k)))
        .filter(|c| !exclude.iter().any(|k| c.meta().is_named(k)))
        .collect())
}

/// The result of running checks over an inventory.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted by severity (highest first), check, resource, detail.
    pub findings: Vec<Finding>,
    /// Sorted and without duplicates.
    pub not_evaluated: Vec<NotEvaluated>,
    /// The checks that ran, in id order.
    pub checks: Vec<&'static CheckMeta>,
}

/// Runs `checks` over every account of `inventory`.
///
/// Fail closed: for every service a check needs that was not read completely in a region of the
/// account, the check is reported as not evaluated for that region, with the collector's reason.
/// The check still runs on what was collected; checks whose logic depends on the *absence* of
/// something consult [`AccountInventory::is_collected`](crate::inventory::AccountInventory::is_collected)
/// before concluding.
///
/// Checks that judge probe results ([`CheckMeta::requires_probes`]) are skipped: see
/// [`run_with_probes`]; drift and policy checks ([`crate::check::CheckKind`]) are the binary's.
pub fn run(inventory: &Inventory, checks: &[&'static dyn Check], options: &CheckOptions) -> Outcome {
    run_with_probes(inventory, checks, options, None)
}

/// [`run`], with the results of the active origin probes when they ran. Checks that require
/// probes run (and are listed in [`Outcome::checks`]) only when `probes` is `Some`.
pub fn run_with_probes(
    inventory: &Inventory,
    checks: &[&'static dyn Check],
    options: &CheckOptions,
    probes: Option<&[ProbeResult]>,
) -> Outcome {
    let indexes = Indexes::build(inventory);
    let model = Model::build(inventory, &indexes, options);
    run_model(&model, checks, probes)
}

/// [`run_with_probes`] on a model the caller built once and shares (with the probe planner, the
/// report's graph, drift).
pub fn run_model(
    model: &Model<'_>,
    checks: &[&'static dyn Check],
    probes: Option<&[ProbeResult]>,
) -> Outcome {
    let mut findings = Vec::new();
    let mut outcome =
        run_accounts(model.accounts.iter(), model.options, checks, probes, &mut |f| findings.push(f));
    sort_in_place_by(&mut findings, |a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| same_finding(a, b));
    // Collected by extending, so up to twice the room the findings need: a scan holds them all
    // until it is reported.
    findings.shrink_to_fit();
    outcome.findings = findings;
    outcome
}

/// [`run_model`] for a caller that does not hold every finding: each finding goes to `sink` as
/// its check records it (account by account, check by check), and each account's perimeter is
/// dropped once its checks have run, so a large scan never holds its whole perimeter model beside
/// its findings. The findings are neither sorted nor deduplicated (the returned
/// [`Outcome::findings`] is empty): [`run_model`]'s order is [`Finding::sort_key`] (stable), and
/// of the findings that [`same_finding`] says are one, only the first stays, among those that
/// are adjacent in that order.
pub fn run_model_into(
    model: Model<'_>,
    checks: &[&'static dyn Check],
    probes: Option<&[ProbeResult]>,
    sink: &mut dyn FnMut(Finding),
) -> Outcome {
    let options = model.options;
    run_accounts(model.into_accounts(), options, checks, probes, sink)
}

/// [`run_model_into`] over accounts judged one at a time ([`Judge::accounts`]): only one
/// account's perimeter exists at any time.
pub fn run_judged_into(
    judge: &Judge<'_>,
    checks: &[&'static dyn Check],
    probes: Option<&[ProbeResult]>,
    sink: &mut dyn FnMut(Finding),
) -> Outcome {
    run_accounts(judge.accounts(), judge.options(), checks, probes, sink)
}

/// Whether two findings are one: same check, resource and detail (the fingerprint's parts,
/// compared without hashing them).
pub fn same_finding(a: &Finding, b: &Finding) -> bool {
    a.check_id == b.check_id && a.resource.arn == b.resource.arn && a.detail == b.detail
}

/// The accounts' checks, findings to `sink`; the not-evaluated entries sorted and deduplicated.
fn run_accounts<'a, A: std::borrow::Borrow<AccountModel<'a>>>(
    accounts: impl Iterator<Item = A>,
    options: &CheckOptions,
    checks: &[&'static dyn Check],
    probes: Option<&[ProbeResult]>,
    sink: &mut dyn FnMut(Finding),
) -> Outcome {
    let checks: Vec<&'static dyn Check> = checks
        .iter()
        .copied()
        .filter(|c| c.meta().kind.runs_over_an_inventory())
        .filter(|c| probes.is_some() || !c.meta().requires_probes())
        .collect();
    let mut outcome = Outcome { checks: checks.iter().map(|c| c.meta()).collect(), ..Outcome::default() };
    outcome.checks.sort_by_key(|m| m.id);
    for judged in accounts {
        let judged = judged.borrow();
        let account = judged.account;
        let ctx = Context { account, index: judged.index, perimeter: &judged.perimeter, options, probes };
        for check in &checks {
            let meta = check.meta();
            let mut out = Output::new(&account.account_id);
            for &service in meta.services {
                for region in account.regions_of(service) {
                    if account.is_collected(&region, service) {
                        continue;
                    }
                    let failures: Vec<String> = account
                        .coverage
                        .iter()
                        .filter(|c| {
                            c.service == service && c.region == region && c.status == CoverageStatus::Failed
                        })
                        .map(|c| c.reason())
                        .collect();
                    let reason = if failures.is_empty() {
                        format!("{service} was not collected in {region}")
                    } else {
                        failures.join("; ")
                    };
                    out.not_evaluated(meta, region, reason);
                }
            }
            check.run(&ctx, &mut out);
            out.findings.into_iter().for_each(&mut *sink);
            outcome.not_evaluated.extend(out.not_evaluated);
        }
    }
    outcome.not_evaluated.sort();
    outcome.not_evaluated.dedup();
    outcome
}

/// Sorts like a stable `sort_by` (ties keep their order) without moving the items during the
/// sort: the order is computed over indices and applied by following its cycles. A stable sort
/// of the findings themselves would allocate a buffer of half of them.
pub fn sort_in_place_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| compare(&items[a], &items[b]));
    // Position `i` receives the item at `order[i]`.
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut position = start;
        while !placed[position] {
            placed[position] = true;
            let source = order[position];
            if source == start {
                break;
            }
            items.swap(position, source);
            position = source;
        }
    }
}

#[cfg(test)]
mod sort_tests {
    use super::sort_in_place_by;

    #[test]
    fn sorting_in_place_is_a_stable_sort() {
        // Keys with many ties, in a scrambled order; the id records the production order.
        for len in [0usize, 1, 2, 3, 10, 257, 1000] {
            let items: Vec<(u8, usize)> = (0..len).map(|i| (((i * 7919 + 13) % 11) as u8, i)).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|a| a.0);
            let mut sorted = items;
            sort_in_place_by(&mut sorted, |a, b| a.0.cmp(&b.0));
            assert_eq!(sorted, expected, "{len} items");
        }
    }
}
