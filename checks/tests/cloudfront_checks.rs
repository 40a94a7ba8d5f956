//! EA103–EA113 on fixture inventories.
//!
//! `cloudfront-bad` has two distributions sharing one weak CLOUDFRONT web ACL (its only managed
//! group and its only rate rule are in Count):
//! - E2API000000001: an API Gateway origin on `http-only` with no secret header, an ALB origin
//!   on `match-viewer` with TLSv1 and a weak `X-Origin-Verify`, an S3 website origin, a Lambda
//!   URL origin without OAC; `/api/*` caches for a day with legacy settings and forwards Host,
//!   `/api2/*` uses AllViewer, `/v1/*` (ALB) uses CachingOptimized;
//! - E2STAGING00001: the same ALB with the same weak secret.
//!
//! `cloudfront-good` fixes all of it (secret header, OAC on S3 and Lambda URL, a VPC origin,
//! CachingDisabled / a collected zero-TTL custom policy / zero legacy TTLs, baseline web ACL,
//! Shield Advanced protection).

mod support;

use support::{row, run_check, sorted_summary};

#[test]
fn ea103_grades_plain_http_by_origin_kind() {
    let outcome = run_check("EA103", "cloudfront-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("E2API000000001", "high", "api"),
            row("E2API000000001", "low", "site"),
            row("E2API000000001", "medium", "alb"),
        ]
    );
    let alb = outcome.findings.iter().find(|f| f.detail == "alb").map(|f| &f.evidence);
    assert_eq!(alb.map(|e| e["weak_protocols"].clone()), Some(serde_json::json!(["TLSv1"])));
    let site = outcome.findings.iter().find(|f| f.detail == "site").map(|f| f.message.clone());
    assert!(site.unwrap_or_default().contains("only speak HTTP"));
    assert!(run_check("EA103", "cloudfront-good").findings.is_empty());
}

#[test]
fn ea104_reports_caching_api_behaviors() {
    let outcome = run_check("EA104", "cloudfront-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("E2API000000001", "medium", "/api/*"), row("E2API000000001", "medium", "/v1/*")]
    );
    let legacy = outcome.findings.iter().find(|f| f.detail == "/api/*").map(|f| f.evidence["cache"].clone());
    assert_eq!(legacy.map(|c| c["default_ttl"].clone()), Some(serde_json::json!(86400)));
    assert!(run_check("EA104", "cloudfront-good").findings.is_empty());
}

#[test]
fn ea104_judges_collected_custom_policies_and_skips_unknown_ones() {
    let outcome = run_check("EA104", "cloudfront-cache-policies");
    assert_eq!(sorted_summary(&outcome.findings), [row("E2POLICIES0001", "medium", "/api/*")]);
    assert!(outcome.findings[0].message.contains("api-short-cache"), "{}", outcome.findings[0].message);
    // The default behavior's custom policy was not collected: no verdict, and said so.
    assert!(
        outcome.not_evaluated.iter().any(|n| n.scope.ends_with("E2POLICIES0001")
            && n.reason.contains("c0ffee00-0000-4000-8000-00000000cafe")),
        "{:?}",
        outcome.not_evaluated
    );
}

#[test]
fn ea105_reports_host_forwarding_to_api_gateway() {
    let outcome = run_check("EA105", "cloudfront-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("E2API000000001", "low", "/api/*"), row("E2API000000001", "low", "/api2/*")]
    );
    assert!(outcome.findings.iter().any(|f| f.message.contains("Managed-AllViewer")));
    assert!(outcome.findings.iter().all(|f| f.message.contains("AllViewerExceptHostHeader")));
    assert!(run_check("EA105", "cloudfront-good").findings.is_empty());
}

#[test]
fn ea106_reports_origins_the_distribution_gives_nothing_to_check() {
    let outcome = run_check("EA106", "cloudfront-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("E2API000000001", "high", "api"),
            row("E2API000000001", "high", "fn"),
            row("E2API000000001", "high", "site"),
        ]
    );
    let api =
        outcome.findings.iter().find(|f| f.detail == "api").map(|f| f.message.clone()).unwrap_or_default();
    assert!(api.starts_with("Distribution E2API000000001 reaches origin `api`"), "{api}");
    // Secret header, OAC on S3 and Lambda URL, and a VPC origin each count as a lock.
    assert!(run_check("EA106", "cloudfront-good").findings.is_empty());
}

#[test]
fn ea107_reports_weak_secrets_without_printing_them() {
    let outcome = run_check("EA107", "cloudfront-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("E2API000000001", "medium", "alb/x-origin-verify"),
            row("E2STAGING00001", "medium", "alb/x-origin-verify"),
        ]
    );
    let evidence = &outcome.findings[0].evidence;
    assert_eq!(evidence["length"], 15);
    assert_eq!(evidence["strength"], "weak");
    assert_eq!(evidence["looks_like_phrase"], true);
    assert_eq!(evidence["fingerprint"], "sha256:5135ae57bfa4088f");
    support::assert_no_secret_leaks(&outcome, &["my-super-secret"]);
    assert!(run_check("EA107", "cloudfront-good").findings.is_empty());
}

#[test]
fn ea107_thresholds_come_from_the_options() {
    let lenient = edge_audit_checks::CheckOptions {
        min_secret_length: 8,
        min_secret_entropy_bits: 32,
        ..Default::default()
    };
    // Still a phrase: reported whatever the thresholds.
    let outcome = support::run_check_with("EA107", "cloudfront-bad", &lenient);
    assert_eq!(outcome.findings.len(), 2);
    assert!(outcome
        .findings
        .iter()
        .all(|f| f.message.contains("phrase") && !f.message.contains("characters")));
}

#[test]
fn ea108_reports_a_secret_shared_by_two_distributions() {
    let outcome = run_check("EA108", "cloudfront-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("E2API000000001", "low", "sha256:5135ae57bfa4088f"),
            row("E2STAGING00001", "low", "sha256:5135ae57bfa4088f"),
        ]
    );
    assert_eq!(
        outcome.findings[0].evidence["distributions"],
        serde_json::json!(["E2API000000001", "E2STAGING00001"])
    );
    assert!(run_check("EA108", "cloudfront-good").findings.is_empty());
}

#[test]
fn ea108_evidence_stays_bounded_when_many_distributions_share_a_secret() {
    use edge_audit_checks::registry;
    let mut inventory = support::load("cloudfront-bad");
    let account = &mut inventory.accounts[0];
    let staging = account.distributions.iter().find(|d| d.id == "E2STAGING00001").cloned();
    let staging = staging.unwrap_or_else(|| panic!("cloudfront-bad has E2STAGING00001"));
    for i in 0..400 {
        let mut copy = staging.clone();
        copy.id = format!("E2COPY{i:08}");
        copy.arn = copy.arn.replace("E2STAGING00001", &copy.id);
        account.distributions.push(copy);
    }
    let check = registry::find("EA108").unwrap_or_else(|| panic!("no check EA108"));
    let outcome = registry::run(&inventory, &[check], &edge_audit_checks::CheckOptions::default());
    assert_eq!(outcome.findings.len(), 402, "one finding per distribution sending the secret");
    for finding in &outcome.findings {
        let evidence = &finding.evidence;
        assert_eq!(evidence["distributions_count"], 402);
        assert_eq!(evidence["distributions"].as_array().map(Vec::len), Some(10), "a sample, not all 402");
        assert_eq!(evidence["used_elsewhere_sample"].as_array().map(Vec::len), Some(10));
        let here = evidence["used_here"].as_array().map(Vec::len).unwrap_or_default();
        let places = evidence["places_count"].as_u64().unwrap_or_default() as usize;
        assert_eq!(evidence["used_elsewhere_count"].as_u64().map(|n| n as usize), Some(places - here));
        // Each finding names a bounded number of places whatever the number of distributions.
        let size = evidence.to_string().len();
        assert!(size < 2_000, "evidence of {size} bytes: {evidence}");
    }
}

#[test]
fn ea110_and_ea111_report_the_entry_acl_once() {
    let managed = run_check("EA110", "cloudfront-bad");
    assert_eq!(sorted_summary(&managed.findings), [row("acl-edge-weak", "medium", "")]);
    let evidence = &managed.findings[0].evidence;
    assert_eq!(
        evidence["missing"],
        serde_json::json!([
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesAmazonIpReputationList"
        ])
    );
    assert_eq!(evidence["count_only"], serde_json::json!(["AWSManagedRulesCommonRuleSet"]));
    assert_eq!(evidence["entry_points"].as_array().map(Vec::len), Some(2));

    let rate = run_check("EA111", "cloudfront-bad");
    assert_eq!(sorted_summary(&rate.findings), [row("acl-edge-weak", "medium", "")]);
    assert!(rate.findings[0].message.contains("do not block"), "{}", rate.findings[0].message);

    for id in ["EA110", "EA111"] {
        let outcome = run_check(id, "cloudfront-good");
        assert!(outcome.findings.is_empty(), "{id}: {:?}", outcome.findings);
        assert!(outcome.not_evaluated.is_empty(), "{id}: {:?}", outcome.not_evaluated);
    }
}

#[test]
fn ea112_info_without_subscription_low_when_left_out_not_evaluated_unread() {
    let outcome = run_check("EA112", "cloudfront-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("E2API000000001", "info", ""), row("E2STAGING00001", "info", "")]
    );
    assert!(run_check("EA112", "cloudfront-good").findings.is_empty());
    let partial = run_check("EA112", "cloudfront-cache-policies");
    assert_eq!(sorted_summary(&partial.findings), [row("E2POLICIES0001", "low", "")]);
    // foundation-good has no Shield state at all.
    let unread = run_check("EA112", "foundation-good");
    assert!(unread.findings.is_empty());
    assert!(unread.not_evaluated.iter().any(|n| n.check_id == "EA112" && n.scope == "global"));
}

#[test]
fn ea113_reports_lambda_url_origins_without_oac() {
    let outcome = run_check("EA113", "cloudfront-bad");
    assert_eq!(sorted_summary(&outcome.findings), [row("E2API000000001", "high", "fn")]);
    assert!(outcome.findings[0].message.contains("url-app"));
    assert_eq!(outcome.findings[0].evidence["function_url_auth_type"], "NONE");
    assert!(run_check("EA113", "cloudfront-good").findings.is_empty());
}
