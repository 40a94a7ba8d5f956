//! EA101, EA102 and EA301 on fixture inventories: each fires on its mistake and stays quiet on
//! the corrected configuration, and fails closed when coverage is missing.

mod support;

use support::{run_check, summary};

#[test]
fn ea101_fires_on_enabled_distribution_without_web_acl() {
    let outcome = run_check("EA101", "foundation-bad");
    assert_eq!(
        summary(&outcome.findings),
        [("E1BADDIST0001".to_string(), "high".to_string(), String::new())]
    );
    assert!(outcome.findings[0].message.contains("E1BADDIST0001"));
    assert!(outcome.not_evaluated.is_empty());
}

#[test]
fn ea101_quiet_with_web_acl_or_disabled() {
    let outcome = run_check("EA101", "foundation-good");
    assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
}

#[test]
fn ea102_names_the_behaviors_that_allow_http() {
    let outcome = run_check("EA102", "foundation-bad");
    assert_eq!(outcome.findings.len(), 1);
    let finding = &outcome.findings[0];
    assert_eq!(finding.severity.to_string(), "medium");
    assert!(finding.message.contains("`/api*`"), "{}", finding.message);
    assert_eq!(finding.evidence["behaviors"], serde_json::json!(["/api*"]));
    assert!(run_check("EA102", "foundation-good").findings.is_empty());
}

#[test]
fn ea301_reports_unassociated_acls_of_both_scopes() {
    let outcome = run_check("EA301", "foundation-bad");
    let ids: Vec<String> = outcome.findings.iter().map(|f| f.resource.id.clone()).collect();
    assert_eq!(ids, ["acl-regional-orphan", "acl-cf-spare"], "sorted by ARN");
    assert!(outcome.findings.iter().all(|f| f.severity.to_string() == "low"));
    assert!(run_check("EA301", "foundation-good").findings.is_empty());
}

#[test]
fn ea301_is_not_evaluated_when_associations_could_not_be_read() {
    let outcome = run_check("EA301", "foundation-elbv2-denied");
    // The regional ACL's associations are unknown (load balancers unread): no verdict on it.
    // The CLOUDFRONT one depends only on distributions, which were read.
    let ids: Vec<&str> = outcome.findings.iter().map(|f| f.resource.id.as_str()).collect();
    assert_eq!(ids, ["acl-cf-spare"], "a read failure must not produce a verdict");
    assert!(outcome
        .not_evaluated
        .iter()
        .any(|n| n.scope.contains("acl-regional-orphan") && n.reason.contains("elbv2")));
    assert!(outcome
        .not_evaluated
        .iter()
        .any(|n| n.scope == "eu-west-1" && n.reason.contains("AccessDenied")));
}
