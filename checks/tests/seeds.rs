//! The five architectures of the public write-ups we audit (`shared/seeds/`), each as a correct
//! (`-good`) and a mistaken (`-bad`) inventory, mirroring the moto harness scenarios
//! (`tests/moto/seed.py`) but with the data moto drops (OAC, S3 origin config, Lambda@Edge
//! associations) present.
//!
//! - Every check run on a good fixture yields no finding of medium or above. Today they yield
//!   no finding but the tolerated ones (the Lambda@Edge signer's lock cannot be verified): each good fixture has Shield Advanced protection (no EA112), logged
//!   web ACLs (no EA307), and locked, throttled APIs (no EA204/EA207). If a low or info finding
//!   ever becomes acceptable on one, list it in `TOLERATED_ON_GOOD` with the reason.
//! - Every bad fixture produces at least the check ids that name its mistakes (more may fire:
//!   one mistake often breaks several rules).

mod support;

use std::collections::BTreeSet;
use support::run_all;

/// (check id, fixture, why) of the low/info findings accepted on good fixtures.
const TOLERATED_ON_GOOD: &[(&str, &str, &str)] = &[(
    "EA305",
    "seed-sigv4-lambda-edge-good",
    "AWS_IAM locked by an origin-request Lambda@Edge signer: the signing lives in code, so the lock \
     is could-not-verify (low, low confidence), never a pass",
)];

const ARCHITECTURES: [&str; 5] = [
    "apigw-ip-allowlist",
    "apigw-regional-waf-header",
    "apigw-api-key",
    "alb-prefix-list-header",
    "sigv4-lambda-edge",
];

/// Plaintexts behind the fixtures' weak fingerprints: must never appear in any output.
const PLAINTEXTS: [&str; 3] = ["my-super-secret", "cf-key-0123456789abc", "my-super-secret-key-123xyz"];

#[test]
fn good_architectures_have_no_medium_or_higher_finding() {
    for arch in ARCHITECTURES {
        let fixture = format!("seed-{arch}-good");
        let outcome = run_all(&fixture);
        let serious: Vec<String> = outcome
            .findings
            .iter()
            .filter(|f| f.severity >= edge_audit_checks::Severity::Medium)
            .map(|f| format!("{} {} {}", f.check_id, f.severity, f.message))
            .collect();
        assert!(serious.is_empty(), "{fixture}:\n{}", serious.join("\n"));
        let unexplained: Vec<String> = outcome
            .findings
            .iter()
            .filter(|f| !TOLERATED_ON_GOOD.iter().any(|(id, fx, _)| *id == f.check_id && *fx == fixture))
            .map(|f| format!("{} {} {}", f.check_id, f.severity, f.message))
            .collect();
        assert!(
            unexplained.is_empty(),
            "{fixture}: unexplained low/info findings:\n{}",
            unexplained.join("\n")
        );
        assert!(outcome.not_evaluated.is_empty(), "{fixture}: {:?}", outcome.not_evaluated);
    }
}

fn check_ids(fixture: &str) -> BTreeSet<String> {
    let outcome = run_all(fixture);
    support::assert_no_secret_leaks(&outcome, &PLAINTEXTS);
    outcome.findings.iter().map(|f| f.check_id.clone()).collect()
}

fn assert_fires(fixture: &str, expected: &[&str]) {
    let fired = check_ids(fixture);
    let missing: Vec<&&str> = expected.iter().filter(|id| !fired.contains(**id)).collect();
    assert!(missing.is_empty(), "{fixture}: {missing:?} did not fire; fired: {fired:?}");
}

#[test]
fn apigw_ip_allowlist_bad() {
    // Seed 000: AND of two IP sets (one empty), no managed rules / rate limit / logging, EDGE API
    // reachable directly with open methods and no throttling, origin path /staging, API cached
    // for a day, viewers on HTTP, S3 website origin on http-only, no Shield Advanced.
    assert_fires(
        "seed-apigw-ip-allowlist-bad",
        &[
            "EA102", "EA103", "EA104", "EA106", "EA110", "EA111", "EA112", "EA201", "EA202", "EA203",
            "EA204", "EA207", "EA208", "EA303", "EA304", "EA307",
        ],
    );
}

#[test]
fn apigw_regional_waf_header_bad() {
    // Seed 001: one API with no stage ACL, one whose ACL only counts, one whose ACL checks
    // another header name; a dictionary secret on three origins; a public Lambda URL origin
    // without OAC; edge managed groups in Count; S3 website origin; no Shield Advanced.
    assert_fires(
        "seed-apigw-regional-waf-header-bad",
        &[
            "EA103", "EA106", "EA107", "EA108", "EA112", "EA113", "EA202", "EA203", "EA204", "EA302",
            "EA305", "EA306", "EA307", "EA501",
        ],
    );
}

#[test]
fn apigw_api_key_bad() {
    // Seed 002: one method without the key, apiKeySource AUTHORIZER, a 20-character key, the
    // stage in no usage plan, no web ACL, S3 website origin, no Shield Advanced.
    assert_fires(
        "seed-apigw-api-key-bad",
        &["EA101", "EA103", "EA106", "EA107", "EA112", "EA204", "EA205", "EA206"],
    );
}

#[test]
fn alb_prefix_list_header_bad() {
    // Seed 003: SSH and the target port open to the world on the instances, an ALB open to the
    // world with the write-up's example secret, another on the prefix list that forwards
    // everything over HTTP, no web ACL on either, an unassociated regional ACL.
    assert_fires(
        "seed-alb-prefix-list-header-bad",
        &["EA103", "EA107", "EA112", "EA301", "EA401", "EA402", "EA403", "EA404", "EA405", "EA406"],
    );
}

#[test]
fn sigv4_lambda_edge_bad() {
    // Seed 004: GET /pets/{petId} skips AWS_IAM (callable without a signature), the HTTP API
    // has an open GET /health, no Shield Advanced.
    assert_fires("seed-sigv4-lambda-edge-bad", &["EA112", "EA202", "EA204"]);
    let outcome = run_all("seed-sigv4-lambda-edge-bad");
    let open: Vec<String> =
        support::of(&outcome, "EA204").iter().map(|f| f.evidence["open_methods"].to_string()).collect();
    assert!(open.iter().any(|m| m.contains("GET /pets/{petId}")), "{open:?}");
    assert!(open.iter().any(|m| m.contains("GET /health")), "{open:?}");
}

#[test]
fn sigv4_good_depends_on_the_lambda_edge_association() {
    // The signer is what locks the API: without the association (as moto returns it) the same
    // configuration is reachable around CloudFront, but every method still needs IAM: medium.
    let mut inventory = support::load("seed-sigv4-lambda-edge-good");
    for account in &mut inventory.accounts {
        for distribution in &mut account.distributions {
            distribution.default_behavior.lambda_function_associations.clear();
        }
    }
    let outcome = edge_audit_checks::registry::run(
        &inventory,
        edge_audit_checks::registry::all(),
        &edge_audit_checks::CheckOptions::default(),
    );
    let ea202: Vec<_> = support::of(&outcome, "EA202");
    assert_eq!(ea202.len(), 1);
    assert_eq!(ea202[0].severity.to_string(), "medium");
    assert!(support::of(&outcome, "EA106").iter().any(|f| f.detail == "api"));
}
