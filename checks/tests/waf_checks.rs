//! EA301 (association helper) and EA302–EA307 on fixture inventories.
//!
//! `waf-bad`: distribution E4WAF000000001 behind the CLOUDFRONT ACL `edge-allowlist` (default
//! Block; an AND of office and the *empty* client set, a rule on the empty set alone, an AND of
//! overlapping sets (fine), an AND of two disjoint IPv6 sets, a Block on NOT(size >= 0), a
//! managed group with one rule overridden to Count, no logging). Its origins:
//! - `api-allow`: stage ACL default Allow whose only header rule counts (no logging);
//! - `api-mismatch`: stage ACL requires `x-origin-verify`, the distribution sends
//!   `x-origin-verified` (logging state unread);
//! - `api-value`: right header, a rotated value (fingerprints differ);
//! - `api-regex`: the stage ACL checks the header with a real regex (no literal);
//! - `api-key`: the usage plan's key is not the `x-api-key` the distribution sends;
//! - `alb`: the listener rule expects the old value.
//!
//! `waf-good` fixes each one, including the other ACL shape (default Allow + Block on
//! NOT(header)) on the ALB and a regex whose literal matches.

mod support;

use support::{row, run_check, sorted_summary};

#[test]
fn ea302_reports_acl_that_blocks_nothing() {
    let outcome = run_check("EA302", "waf-bad");
    assert_eq!(sorted_summary(&outcome.findings), [row("acl-origin-allow", "medium", "")]);
    assert_eq!(outcome.findings[0].evidence["count_only"], serde_json::json!(["allow-x-origin-verify"]));
    assert!(run_check("EA302", "waf-good").findings.is_empty());
}

#[test]
fn ea303_reports_rules_on_empty_ip_sets() {
    let outcome = run_check("EA303", "waf-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("acl-edge-allowlist", "medium", "allow-client"),
            row("acl-edge-allowlist", "medium", "allow-office-and-client"),
        ]
    );
    assert!(run_check("EA303", "waf-good").findings.is_empty());
}

#[test]
fn ea304_reports_disjoint_ands_and_negated_match_alls() {
    let outcome = run_check("EA304", "waf-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("acl-edge-allowlist", "medium", "allow-office-and-client"),
            row("acl-edge-allowlist", "medium", "allow-v6-lab-and-dc"),
            row("acl-edge-allowlist", "medium", "block-nothing"),
        ]
    );
    let v6 = outcome.findings.iter().find(|f| f.detail == "allow-v6-lab-and-dc").map(|f| f.message.clone());
    assert!(v6.unwrap_or_default().contains("lab-v6 and dc-v6"));
    // allow-office-partners ANDs overlapping sets (198.51.100.0/24 ⊃ 198.51.100.128/25): fine.
    assert!(run_check("EA304", "waf-good").findings.is_empty());
}

#[test]
fn ea305_names_both_sides_of_each_mismatch() {
    let outcome = run_check("EA305", "waf-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("E4WAF000000001", "high", "alb/secret-header-check"),
            row("E4WAF000000001", "high", "api-key/required-api-key"),
            row("E4WAF000000001", "high", "api-mismatch/secret-header-check"),
            row("E4WAF000000001", "high", "api-value/secret-header-check"),
            row("E4WAF000000001", "medium", "api-regex/secret-header-check"),
        ]
    );
    let find = |detail: &str| outcome.findings.iter().find(|f| f.detail == detail).cloned();
    let name = find("api-mismatch/secret-header-check").map(|f| f.message).unwrap_or_default();
    assert!(
        name.contains("expects header x-origin-verify but the distribution sends x-origin-verified"),
        "{name}"
    );
    let value = find("api-value/secret-header-check").unwrap_or_else(|| panic!("no api-value finding"));
    assert!(value.message.contains("another value"), "{}", value.message);
    let expected = value.evidence["expected"][0]["accepted_values"][0]["fingerprint"].as_str().unwrap_or("");
    let sent = value.evidence["sent"][0]["fingerprint"].as_str().unwrap_or("");
    assert!(expected.starts_with("sha256:") && sent.starts_with("sha256:") && expected != sent);
    let regex = find("api-regex/secret-header-check").map(|f| (f.confidence.as_str(), f.message));
    assert!(regex.is_some_and(|(c, m)| c == "low" && m.contains("could not verify")));
    support::assert_no_secret_leaks(&outcome, &["my-super-secret"]);
    let good = run_check("EA305", "waf-good");
    assert!(good.findings.is_empty(), "{:?}", good.findings);
}

#[test]
fn ea306_reports_count_rules_on_associated_acls() {
    let outcome = run_check("EA306", "waf-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("acl-edge-allowlist", "low", ""), row("acl-origin-allow", "low", "")]
    );
    let edge =
        outcome.findings.iter().find(|f| f.resource.id == "acl-edge-allowlist").map(|f| f.message.clone());
    assert!(edge.unwrap_or_default().contains("AWSManagedRulesCommonRuleSet (SizeRestrictions_BODY)"));
    assert!(run_check("EA306", "waf-good").findings.is_empty());
}

#[test]
fn ea307_reports_unlogged_acls_and_skips_unread_logging() {
    let outcome = run_check("EA307", "waf-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("acl-edge-allowlist", "low", ""), row("acl-origin-allow", "low", "")]
    );
    assert!(outcome.not_evaluated.iter().any(|n| n.scope.ends_with("acl-origin-mismatch")));
    assert!(run_check("EA307", "waf-good").findings.is_empty());
}
