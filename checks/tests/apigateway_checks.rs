//! EA201–EA208 on fixture inventories.
//!
//! `apigw-bad`: one distribution (E3APIBAD000001) in front of
//! - `edge0000aa`: EDGE-optimized, origin path `/staging` but only stage `prod` (unthrottled),
//!   `ANY /api` open;
//! - `keyed0000b`: keys required but apiKeySource AUTHORIZER and no usage plan, while the
//!   distribution sends `x-api-key`;
//! - `authz0000c`: Cognito on every method, no lock;
//! - `pol0000d`: a resource policy with a Deny/Condition edge-audit does not interpret;
//! - `http0000e`: HTTP API with stage `v1` only, origin path `/v2`, `GET /items` open;
//! - `ghost0000f`: an API id not in the (fully read) account; `ghostus00g`: an API in a region
//!   that was not audited;
//!
//! plus `public0000g`, not an origin: open, no web ACL, no throttling.
//!
//! `apigw-good`: every API is locked to the distribution in a different way — stage web ACL on
//! the secret header, required API key in a usage plan, AWS_IAM with a Lambda@Edge signer (REST
//! and HTTP), a custom domain whose mapped stage has the header ACL — plus a PRIVATE API and
//! one with the default endpoint disabled.

mod support;

use support::{load, row, run_all, run_check, sorted_summary};

#[test]
fn ea201_reports_edge_optimized_origins() {
    let outcome = run_check("EA201", "apigw-bad");
    assert_eq!(sorted_summary(&outcome.findings), [row("edge0000aa", "medium", "E3APIBAD000001/edge")]);
    assert!(run_check("EA201", "apigw-good").findings.is_empty());
}

#[test]
fn ea202_grades_apis_reachable_around_cloudfront() {
    let outcome = run_check("EA202", "apigw-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("authz0000c", "medium", ""),
            row("edge0000aa", "high", ""),
            row("http0000e", "high", ""),
            row("keyed0000b", "high", ""),
            row("pol0000d", "medium", ""),
        ]
    );
    let by_id = |id: &str| outcome.findings.iter().find(|f| f.resource.id == id).cloned();
    let policy = by_id("pol0000d").map(|f| (f.confidence.as_str(), f.message));
    assert!(
        policy.as_ref().is_some_and(|(c, m)| *c == "low" && m.contains("could not verify")),
        "{policy:?}"
    );
    let keyed = by_id("keyed0000b").map(|f| f.evidence["why_open"].to_string()).unwrap_or_default();
    assert!(keyed.contains("apiKeySource is AUTHORIZER"), "{keyed}");
    let edge = by_id("edge0000aa").map(|f| f.message).unwrap_or_default();
    assert!(
        edge.starts_with("REST API edge0000aa (legacy-edge) is an origin of E3APIBAD000001/edge"),
        "{edge}"
    );
    assert_eq!(
        by_id("authz0000c").map(|f| f.evidence["authorization_everywhere"].clone()),
        Some(true.into())
    );
    // Locked by a header ACL, an API key, IAM + signer (REST and HTTP), or through a custom domain.
    let good = run_check("EA202", "apigw-good");
    assert!(good.findings.is_empty(), "{:?}", good.findings);
    assert!(good.not_evaluated.is_empty(), "{:?}", good.not_evaluated);
}

#[test]
fn ea203_reports_internet_facing_stages_without_web_acl() {
    let outcome = run_check("EA203", "apigw-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("authz0000c", "medium", "prod"),
            row("edge0000aa", "medium", "prod"),
            row("keyed0000b", "medium", "prod"),
            row("pol0000d", "medium", "prod"),
            row("public0000g", "medium", "prod"),
        ]
    );
    // key00000b1's stage has no web ACL either, but the API key locks it to the distribution.
    assert!(run_check("EA203", "apigw-good").findings.is_empty());
}

#[test]
fn ea204_lists_open_methods_of_directly_reachable_apis() {
    let outcome = run_check("EA204", "apigw-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("edge0000aa", "info", ""),
            row("http0000e", "info", ""),
            row("pol0000d", "info", ""),
            row("public0000g", "info", ""),
        ]
    );
    let public = outcome
        .findings
        .iter()
        .find(|f| f.resource.id == "public0000g")
        .map(|f| f.evidence["open_methods"].clone());
    assert_eq!(public, Some(serde_json::json!(["GET /items"])), "OPTIONS preflight is not reported");
    // hdr00000a1 and dom0000e1 have open methods, but their stage ACL locks them.
    assert!(run_check("EA204", "apigw-good").findings.is_empty());
}

#[test]
fn ea205_reports_keyed_stage_outside_usage_plans() {
    let outcome = run_check("EA205", "apigw-bad");
    assert_eq!(sorted_summary(&outcome.findings), [row("keyed0000b", "medium", "prod")]);
    assert!(run_check("EA205", "apigw-good").findings.is_empty());
}

#[test]
fn ea206_reports_header_key_sent_to_authorizer_source() {
    let outcome = run_check("EA206", "apigw-bad");
    assert_eq!(sorted_summary(&outcome.findings), [row("keyed0000b", "medium", "E3APIBAD000001/keyed")]);
    assert!(run_check("EA206", "apigw-good").findings.is_empty());
}

#[test]
fn ea207_reports_unthrottled_internet_facing_stages() {
    let outcome = run_check("EA207", "apigw-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("edge0000aa", "low", "prod"), row("http0000e", "low", "v1"), row("public0000g", "low", "prod"),]
    );
    // key00000b1/prod has no stage throttling but is locked (and its usage plan throttles).
    assert!(run_check("EA207", "apigw-good").findings.is_empty());
}

#[test]
fn ea208_reports_wrong_stage_and_missing_api() {
    let outcome = run_check("EA208", "apigw-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("E3APIBAD000001", "medium", "edge"),
            row("E3APIBAD000001", "medium", "ghost"),
            row("E3APIBAD000001", "medium", "http"),
        ]
    );
    let ghost =
        outcome.findings.iter().find(|f| f.detail == "ghost").map(|f| f.message.clone()).unwrap_or_default();
    assert!(ghost.contains("in no scanned account"), "{ghost}");
    // us-west-2 was not audited: no verdict on ghostus00g.
    assert!(outcome
        .not_evaluated
        .iter()
        .any(|n| n.reason.contains("ghostus00g") && n.reason.contains("us-west-2")));
    assert!(run_check("EA208", "apigw-good").findings.is_empty());
}

#[test]
fn api_checks_fail_closed_when_usage_plans_could_not_be_read() {
    for id in ["EA202", "EA205", "EA208"] {
        let outcome = run_check(id, "apigw-usage-plans-denied");
        assert!(outcome.findings.is_empty(), "{id}: {:?}", outcome.findings);
        assert!(
            outcome
                .not_evaluated
                .iter()
                .any(|n| n.scope == "eu-west-1" && n.reason.contains("GetUsagePlans")),
            "{id}: {:?}",
            outcome.not_evaluated
        );
    }
    let ea205 = run_check("EA205", "apigw-usage-plans-denied");
    assert!(ea205.not_evaluated.iter().any(|n| n.scope.ends_with("/restapis/keyed0000b")));
}

/// `apigw-custom-domain-open`: CloudFront reaches REST API `cdom00001` through its custom domain
/// `api.shop.example`; the default `execute-api` endpoint is disabled, the stage has no web ACL
/// and `GET /items` is open. The custom domain is itself a route around the distribution, so
/// every check that asks "reachable directly?" answers yes, and names the custom domain.
#[test]
fn custom_domain_with_default_endpoint_disabled_is_one_answer_reachable() {
    for id in ["EA202", "EA203", "EA204", "EA207"] {
        let outcome = run_check(id, "apigw-custom-domain-open");
        assert!(outcome.not_evaluated.is_empty(), "{id}: {:?}", outcome.not_evaluated);
        let ids: Vec<&str> = outcome.findings.iter().map(|f| f.resource.id.as_str()).collect();
        assert_eq!(ids, ["cdom00001"], "{id} must report the API reachable through its custom domain");
    }
    let ea202 = run_check("EA202", "apigw-custom-domain-open");
    assert_eq!(ea202.findings[0].severity.as_str(), "high");
    let entry_points = ea202.findings[0].evidence["entry_points"].to_string();
    assert!(entry_points.contains("custom-domain https://api.shop.example"), "{entry_points}");
    assert!(
        !entry_points.contains("execute-api https://"),
        "the default endpoint is disabled: {entry_points}"
    );
    let ea203 = run_check("EA203", "apigw-custom-domain-open");
    assert!(ea203.findings[0].evidence["entry_points"].to_string().contains("api.shop.example"));
}

/// A REQUEST Lambda authorizer keyed on the header the distribution sends: API Gateway refuses
/// requests without the header, the function's code decides the rest. Could not verify (low,
/// low confidence), the stage's exposure unknown: EA203 does not call it internet-facing. The same
/// API with the authorizer keyed on `Authorization` instead is reachable (medium: authorization
/// everywhere).
#[test]
fn a_lambda_authorizer_on_the_origin_header_is_could_not_verify() {
    let outcome = run_all("apigw-lambda-authorizer-origin-header");
    let serious: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| f.severity.as_str() != "low" && f.severity.as_str() != "info")
        .collect();
    assert!(serious.is_empty(), "{serious:?}");
    let ea202: Vec<_> = outcome.findings.iter().filter(|f| f.check_id == "EA202").collect();
    assert_eq!(ea202.len(), 1, "{:?}", outcome.findings);
    assert_eq!((ea202[0].severity.as_str(), ea202[0].confidence.as_str()), ("low", "low"));
    assert!(ea202[0].message.contains("Lambda authorizer origin-verify (REQUEST)"), "{}", ea202[0].message);
    assert!(ea202[0].message.contains("x-origin-verify"), "{}", ea202[0].message);
    assert!(outcome.findings.iter().all(|f| f.check_id != "EA203"), "{:?}", outcome.findings);
    let stage = "arn:aws:apigateway:eu-west-1::/restapis/rwh0000g01/stages/prod";
    assert!(
        outcome.not_evaluated.iter().any(|n| n.check_id == "EA203" && n.scope == stage),
        "{:?}",
        outcome.not_evaluated
    );

    let mut other = load("apigw-lambda-authorizer-origin-header");
    other.accounts[0].rest_apis[0].authorizers[0].identity_sources =
        vec!["method.request.header.Authorization".into()];
    let outcome =
        edge_audit_checks::registry::run(&other, edge_audit_checks::registry::all(), &Default::default());
    let ea202: Vec<_> = outcome.findings.iter().filter(|f| f.check_id == "EA202").collect();
    assert_eq!(ea202.len(), 1, "{:?}", outcome.findings);
    assert_eq!((ea202[0].severity.as_str(), ea202[0].confidence.as_str()), ("medium", "high"));
    assert!(outcome.findings.iter().any(|f| f.check_id == "EA203"), "{:?}", outcome.findings);
}

/// No public entry point locks an API only when the custom domains were read: with API
/// Gateway's reads failed in the region, an API whose execute-api endpoint is disabled is not
/// evaluated (a custom domain nobody could list may map it), never locked.
#[test]
fn no_entry_point_is_a_lock_only_when_the_custom_domains_were_read() {
    use edge_audit_checks::inventory::{CoverageStatus, Service};
    let mut inventory = load("apigw-good");
    for account in &mut inventory.accounts {
        for coverage in account.coverage.iter_mut().filter(|c| c.service == Service::Apigateway) {
            coverage.status = CoverageStatus::Failed;
        }
        for api in &mut account.rest_apis {
            api.disable_execute_api_endpoint = true;
        }
        account.domain_names.clear();
    }
    let indexes = edge_audit_checks::model::Indexes::build(&inventory);
    let options = Default::default();
    let model = edge_audit_checks::model::Model::build(&inventory, &indexes, &options);
    let mut judged = 0;
    for account in &model.accounts {
        for backend in account.perimeter.backends.iter().filter(|b| b.entry_points.is_empty()) {
            if backend
                .api()
                .is_some_and(|api| matches!(api, edge_audit_checks::index::Api::Rest(r) if r.is_private()))
            {
                continue;
            }
            judged += 1;
            let not_public = backend
                .side
                .guards
                .iter()
                .any(|g| matches!(g, edge_audit_checks::perimeter::Guard::NotPublic(_)));
            assert!(!not_public, "{} is judged not public: {:?}", backend.arn, backend.exposure);
            assert!(!backend.side.is_complete(), "{}: the unread custom domains are a gap", backend.arn);
        }
    }
    assert!(judged > 0, "the fixture has an API with no entry point once execute-api is disabled");
}
