//! Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 3 incomplete audit
//! with nothing failing.

use crate::support::{example, fixture, path_str, run};

#[test]
fn clean_inventory_exits_zero() {
    let path = fixture("clean.json");
    let out = run(&["scan", "--from", path_str(&path)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("0 findings"), "{}", out.stdout);
    assert!(out.stderr.is_empty(), "stderr must stay quiet: {}", out.stderr);
}

#[test]
fn findings_at_or_above_the_threshold_exit_one() {
    let path = example("acme-shop.json");
    assert_eq!(run(&["scan", "--from", path_str(&path)]).code, 1);
    assert_eq!(run(&["scan", "--from", path_str(&path), "--fail-on", "high"]).code, 1);
    // Nothing fails with --fail-on none, but the example's Shield gap leaves the audit
    // incomplete for the checks that read Shield, if any ran.
    let none =
        run(&["scan", "--from", path_str(&path), "--fail-on", "none", "--checks", "EA101,EA102,EA301"]);
    assert_eq!(none.code, 0, "{}", none.stdout);
}

#[test]
fn threshold_counts_only_findings_at_or_above_it() {
    let path = fixture("two-accounts.json");
    // EA101 (high) in one account, EA102 (medium) in the other.
    assert_eq!(run(&["scan", "--from", path_str(&path), "--fail-on", "critical"]).code, 0);
    assert_eq!(run(&["scan", "--from", path_str(&path), "--fail-on", "high"]).code, 1);
    assert_eq!(
        run(&["scan", "--from", path_str(&path), "--skip-checks", "EA101", "--fail-on", "high"]).code,
        0
    );
    assert_eq!(
        run(&["scan", "--from", path_str(&path), "--skip-checks", "EA101", "--fail-on", "medium"]).code,
        1
    );
}

#[test]
fn incomplete_audit_exits_three_and_says_why() {
    let path = fixture("incomplete.json");
    let out = run(&["scan", "--from", path_str(&path), "--format", "json"]);
    assert_eq!(out.code, 3, "{}", out.stdout);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
    let not_evaluated = report["not_evaluated"].as_array().cloned().unwrap_or_default();
    assert!(!not_evaluated.is_empty());
    assert!(not_evaluated.iter().any(|n| n["check_id"] == "EA101"
        && n["scope"] == "global"
        && n["reason"]
            .as_str()
            .is_some_and(|r| r.contains("ListDistributions") && r.contains("ThrottlingException"))));
    // A failing finding takes precedence over incompleteness.
    let failing = run(&["scan", "--from", path_str(&path), "--fail-on", "info", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&failing.stdout).unwrap_or_default();
    let expected = if report["summary"]["failing"].as_u64().unwrap_or(0) > 0 { 1 } else { 3 };
    assert_eq!(failing.code, expected);
}

#[test]
fn a_collection_gap_is_never_a_pass() {
    // The same account with CloudFront unread: no EA101 verdict can be "clean".
    let path = fixture("incomplete.json");
    let out = run(&["scan", "--from", path_str(&path), "--checks", "EA101", "--fail-on", "none"]);
    assert_eq!(out.code, 3);
    assert!(out.stdout.contains("NOT EVALUATED"), "{}", out.stdout);
}
