//! EA601–EA606 on fixture inventories and fixture probe results: each judges only its own kind
//! of origin and its own account, refusals by a gateway pass, inconclusive probes are "not
//! evaluated", and none of them runs when no probe ran.

mod support;

use edge_audit_checks::registry;
use edge_audit_checks::CheckOptions;
use support::{load, run_probe_check, summary};

fn row(id: &str, severity: &str, detail: &str) -> (String, String, String) {
    (id.to_string(), severity.to_string(), detail.to_string())
}

#[test]
fn ea601_reachable_api_is_critical_and_application_refusal_high() {
    let outcome = run_probe_check("EA601", "probe-inventory", "probe-results");
    assert_eq!(
        summary(&outcome.findings),
        [
            // Unknown API: reported on the distribution.
            row("E1PROBE", "critical", "b2open.execute-api.us-east-1.amazonaws.com"),
            row("c3app", "high", "c3app.execute-api.us-east-1.amazonaws.com"),
        ]
    );
    let app = &outcome.findings[1];
    assert_eq!(app.resource.arn, "arn:aws:apigateway:us-east-1::/restapis/c3app");
    assert!(app.message.contains("only in the application"), "{}", app.message);
    assert!(app.message.contains("bills"), "{}", app.message);
    assert_eq!(app.evidence["probes"][0]["status"], 403);
    assert_eq!(app.evidence["probes"][0]["classification"], "blocked_by_application");
    let open = &outcome.findings[0];
    assert!(open.message.contains("→ 200 (reachable)"), "{}", open.message);
    assert_eq!(open.evidence["reachable"], true);
    // The API refused by API Gateway (a1api) passes; the other account's probe is not ours.
    assert!(outcome.findings.iter().all(|f| f.resource.account == "111111111111"));
    assert!(outcome.not_evaluated.is_empty());
}

#[test]
fn ea602_groups_listeners_of_one_load_balancer() {
    let outcome = run_probe_check("EA602", "probe-inventory", "probe-results");
    assert_eq!(
        summary(&outcome.findings),
        [row("app/my-alb/123", "critical", "my-alb-123.us-east-1.elb.amazonaws.com")]
    );
    let probes = outcome.findings[0].evidence["probes"].as_array().cloned().unwrap_or_default();
    // The HTTPS listener's WAF refusal is not evidence of reachability; the HTTP listener is.
    assert_eq!(probes.len(), 1);
    assert_eq!(probes[0]["url"], "http://my-alb-123.us-east-1.elb.amazonaws.com/lb/");
}

#[test]
fn ea603_application_refusal_is_high() {
    let outcome = run_probe_check("EA603", "probe-inventory", "probe-results");
    assert_eq!(summary(&outcome.findings), [row("render", "high", "f3fn.lambda-url.us-east-1.on.aws")]);
}

#[test]
fn ea604_application_refusal_is_medium() {
    let outcome = run_probe_check("EA604", "probe-inventory", "probe-results");
    assert_eq!(summary(&outcome.findings), [row("E1PROBE", "medium", "origin.example.com")]);
}

#[test]
fn ea605_reports_not_evaluated_never_a_finding() {
    let outcome = run_probe_check("EA605", "probe-inventory", "probe-results");
    assert!(outcome.findings.is_empty());
    assert_eq!(outcome.not_evaluated.len(), 1, "{:?}", outcome.not_evaluated);
    let n = &outcome.not_evaluated[0];
    assert_eq!(n.check_id, "EA605");
    assert_eq!(n.scope, "arn:aws:cloudfront::111111111111:distribution/E1PROBE");
    assert!(n.reason.contains("http://origin.example.com/") && n.reason.contains("timeout"), "{}", n.reason);
}

#[test]
fn ea606_origin_refusal_through_cloudfront_but_not_an_edge_block() {
    let outcome = run_probe_check("EA606", "probe-inventory", "probe-results");
    assert_eq!(
        summary(&outcome.findings),
        [row("E1PROBE", "medium", "api https://d1probe.cloudfront.net/api/")]
    );
    assert!(outcome.findings[0].message.contains("ForbiddenException"));
    assert_eq!(outcome.findings[0].confidence.as_str(), "medium");
}

#[test]
fn probe_checks_do_not_run_without_probes() {
    let inventory = load("probe-inventory");
    let all = registry::select(&[], &[]).unwrap_or_default();
    let outcome = registry::run(&inventory, &all, &CheckOptions::default());
    assert!(outcome.checks.iter().all(|m| !m.requires_probes()), "probe checks listed without probes");
    assert!(outcome.findings.iter().all(|f| !f.check_id.starts_with("EA6")));
    let with = registry::run_with_probes(&inventory, &all, &CheckOptions::default(), Some(&[]));
    let ids: Vec<&str> = with.checks.iter().filter(|m| m.requires_probes()).map(|m| m.id).collect();
    assert_eq!(ids, ["EA601", "EA602", "EA603", "EA604", "EA605", "EA606"]);
    assert!(with.findings.iter().all(|f| !f.check_id.starts_with("EA6")), "no probe, no probe finding");
}
