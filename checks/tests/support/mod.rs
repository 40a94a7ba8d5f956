//! Test support: load fixture inventories and run single checks over them.
#![allow(dead_code)]

use edge_audit_checks::inventory::{Coverage, Inventory, Service, GLOBAL_REGION};
use edge_audit_checks::registry::{self, Outcome};
use edge_audit_checks::{CheckOptions, Finding, ProbeResult};
use std::path::PathBuf;

pub(crate) fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(format!("{name}.json"))
}

/// Loads `tests/fixtures/{name}.json`. An account whose `coverage` is empty gets a collected
/// record for every service in every one of its regions (and `global`), so fixtures about one
/// mistake need not spell out coverage; fixtures about failures list coverage explicitly.
pub(crate) fn load(name: &str) -> Inventory {
    load_path(&fixture_path(name))
}

/// [`load`] of a fixture by path.
pub(crate) fn load_path(path: &std::path::Path) -> Inventory {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut inventory: Inventory =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for account in &mut inventory.accounts {
        if account.coverage.is_empty() {
            for service in Service::ALL {
                let regions = if service.is_global() {
                    vec![GLOBAL_REGION.to_string()]
                } else {
                    account.regions.clone()
                };
                for region in regions {
                    account.coverage.push(Coverage::collected(region, service));
                }
            }
        }
    }
    inventory.normalize();
    inventory
}

/// Runs one check (by id) over a fixture with default options.
pub(crate) fn run_check(id: &str, fixture: &str) -> Outcome {
    run_check_with(id, fixture, &CheckOptions::default())
}

pub(crate) fn run_check_with(id: &str, fixture: &str, options: &CheckOptions) -> Outcome {
    let check = registry::find(id).unwrap_or_else(|| panic!("no check {id}"));
    registry::run(&load(fixture), &[check], options)
}

/// Loads `tests/fixtures/{name}.json` as probe results.
pub(crate) fn load_probes(name: &str) -> Vec<ProbeResult> {
    load_probes_path(&fixture_path(name))
}

/// [`load_probes`] of a file by path.
pub(crate) fn load_probes_path(path: &std::path::Path) -> Vec<ProbeResult> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs one check (by id) over a fixture inventory and fixture probe results.
pub(crate) fn run_probe_check(id: &str, fixture: &str, probes: &str) -> Outcome {
    let check = registry::find(id).unwrap_or_else(|| panic!("no check {id}"));
    let probes = load_probes(probes);
    registry::run_with_probes(&load(fixture), &[check], &CheckOptions::default(), Some(&probes))
}

/// `(resource id, severity, detail)` of each finding, for compact assertions.
pub(crate) fn summary(findings: &[Finding]) -> Vec<(String, String, String)> {
    findings.iter().map(|f| (f.resource.id.clone(), f.severity.to_string(), f.detail.clone())).collect()
}

/// Runs every check over a fixture with default options.
pub(crate) fn run_all(fixture: &str) -> Outcome {
    registry::run(&load(fixture), registry::all(), &CheckOptions::default())
}

/// The findings of one check.
pub(crate) fn of<'a>(outcome: &'a Outcome, id: &str) -> Vec<&'a Finding> {
    outcome.findings.iter().filter(|f| f.check_id == id).collect()
}

/// `(resource id, severity, detail)` triples, sorted, for order-independent assertions.
pub(crate) fn sorted_summary(findings: &[Finding]) -> Vec<(String, String, String)> {
    let mut out = summary(findings);
    out.sort();
    out
}

/// Shorthand for an expected summary triple.
pub(crate) fn row(id: &str, severity: &str, detail: &str) -> (String, String, String) {
    (id.to_string(), severity.to_string(), detail.to_string())
}

/// Asserts that no finding's message or evidence mentions any of `secrets` (plaintexts the
/// fixture's fingerprints were made from).
pub(crate) fn assert_no_secret_leaks(outcome: &Outcome, secrets: &[&str]) {
    for finding in &outcome.findings {
        let text = serde_json::to_string(finding).unwrap_or_default();
        for secret in secrets {
            assert!(!text.contains(secret), "{} leaks a secret: {text}", finding.check_id);
        }
    }
}
