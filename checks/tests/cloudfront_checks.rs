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

use edge_audit_checks::registry::{self, Outcome};
use edge_audit_checks::CheckOptions;
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

/// `cloudfront-good`'s entry ACL with its rules rearranged by `change`, judged by `id`.
fn entry_acl_variant(id: &str, change: impl Fn(&mut edge_audit_checks::inventory::WebAcl)) -> Outcome {
    let mut inventory = support::load("cloudfront-good");
    for acl in inventory.accounts.iter_mut().flat_map(|a| a.web_acls.iter_mut()).filter(|a| a.name == "edge")
    {
        change(acl);
    }
    let check = registry::find(id).unwrap_or_else(|| panic!("no check {id}"));
    registry::run(&inventory, &[check], &CheckOptions::default())
}

#[test]
fn ea110_and_ea111_count_firewall_manager_groups_and_name_scoped_down_ones() {
    // Firewall Manager puts the baseline groups and the rate rule in its pre- and post-process
    // rule groups: they are enforced as much as the ACL's own rules.
    let moved = |acl: &mut edge_audit_checks::inventory::WebAcl| {
        let rules = std::mem::take(&mut acl.rules);
        let (rate, managed): (Vec<_>, Vec<_>) =
            rules.into_iter().partition(|r| r.name == "rate-limit-per-ip");
        acl.pre_process_rules = managed;
        acl.post_process_rules = rate;
    };
    for id in ["EA110", "EA111"] {
        let outcome = entry_acl_variant(id, moved);
        assert!(outcome.findings.is_empty(), "{id}: {:#?}", outcome.findings);
    }
    // A baseline group with a scope-down statement inspects only what it matches: low, named.
    let scoped = entry_acl_variant("EA110", |acl| {
        for rule in &mut acl.rules {
            if let edge_audit_checks::inventory::Statement::ManagedRuleGroup { name, scope_down, .. } =
                &mut rule.statement
            {
                if name == "AWSManagedRulesCommonRuleSet" {
                    *scope_down = Some(Box::new(
                        serde_json::from_value(
                            serde_json::json!({"type": "geo_match", "country_codes": ["DE"]}),
                        )
                        .expect("a statement"),
                    ));
                }
            }
        }
    });
    assert_eq!(sorted_summary(&scoped.findings), [row("acl-edge", "low", "scoped-down")]);
    assert_eq!(
        scoped.findings[0].evidence["scoped_down"],
        serde_json::json!(["AWSManagedRulesCommonRuleSet"])
    );
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

/// `vpc-origin-bad`: a VPC origin to an internet-facing ALB and one to a public instance open to
/// the internet lock nothing; a VPC origin shared from account 222222222222 is not evaluated.
/// `vpc-origin-good`: an internal ALB and an instance without a public address are locked.
#[test]
fn ea106_judges_vpc_origins_by_their_endpoint() {
    let outcome = run_check("EA106", "vpc-origin-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("E6VPCBAD000001", "high", "app"), row("E6VPCBAD000001", "high", "ec2")]
    );
    let message = |detail: &str| {
        outcome.findings.iter().find(|f| f.detail == detail).map(|f| f.message.clone()).unwrap_or_default()
    };
    assert!(
        message("app").contains("load balancer vo-public, which is internet-facing"),
        "{}",
        message("app")
    );
    assert!(
        message("ec2").contains("203.0.113.50 admits the internet on port(s) [443]"),
        "{}",
        message("ec2")
    );
    assert_eq!(outcome.not_evaluated.len(), 1, "{:?}", outcome.not_evaluated);
    assert!(outcome.not_evaluated[0].scope.ends_with("E6VPCBAD000001/shared"), "{:?}", outcome.not_evaluated);
    assert!(outcome.not_evaluated[0].reason.contains("owned by account 222222222222"));

    let good = run_check("EA106", "vpc-origin-good");
    assert!(good.findings.is_empty(), "{:?}", good.findings);
    assert!(good.not_evaluated.is_empty(), "{:?}", good.not_evaluated);
}

/// A VPC origin whose listing failed, or that is missing from the inventory, is not evaluated:
/// never taken for a private one.
#[test]
fn ea106_does_not_trust_unread_vpc_origins() {
    use edge_audit_checks::inventory::{Coverage, Service, GLOBAL_REGION};
    let mut inventory = support::load("vpc-origin-good");
    let account = &mut inventory.accounts[0];
    account.vpc_origins.clear();
    let outcome = support::run_inventory("EA106", &inventory);
    assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
    assert_eq!(outcome.not_evaluated.len(), 2, "{:?}", outcome.not_evaluated);
    assert!(outcome
        .not_evaluated
        .iter()
        .all(|n| n.reason.contains("s inventory (deleted, or its VPC origins could not be listed)")));

    let account = &mut inventory.accounts[0];
    account.coverage.retain(|c| c.service != Service::Cloudfront);
    account.coverage.push(Coverage::failed(
        GLOBAL_REGION,
        Service::Cloudfront,
        "ListVpcOrigins",
        "AccessDenied: not authorized to perform: cloudfront:ListVpcOrigins",
    ));
    let outcome = support::run_inventory("EA106", &inventory);
    // Each origin names the failure (besides the service-wide entry of the framework).
    let origins: Vec<_> =
        outcome.not_evaluated.iter().filter(|n| n.scope.starts_with("E6VPCGOOD00001/")).collect();
    assert_eq!(origins.len(), 2, "{:?}", outcome.not_evaluated);
    assert!(origins.iter().all(|n| n.reason.contains("ListVpcOrigins: AccessDenied")), "{origins:?}");
    assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
}

/// `oac-lambda-bad`: the OAC signs but `app`'s policy lacks lambda:InvokeFunction and `legacy`'s
/// lacks lambda:InvokeFunctionUrl (broken sites); `unsigned`'s OAC never signs (not EA114's).
/// `oac-lambda-good`: both actions, by SourceArn for `app` and by SourceAccount for `reports`.
#[test]
fn ea114_reports_function_url_origins_cloudfront_cannot_invoke() {
    let outcome = run_check("EA114", "oac-lambda-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("E7OACBAD000001", "medium", "app"), row("E7OACBAD000001", "medium", "legacy")]
    );
    let app = outcome.findings.iter().find(|f| f.detail == "app").unwrap();
    assert_eq!(app.evidence["missing_actions"], serde_json::json!(["lambda:InvokeFunction"]));
    assert!(app.message.contains("broken, not open"), "{}", app.message);
    let legacy = outcome.findings.iter().find(|f| f.detail == "legacy").unwrap();
    assert_eq!(legacy.evidence["missing_actions"], serde_json::json!(["lambda:InvokeFunctionUrl"]));
    assert!(outcome.not_evaluated.is_empty(), "{:?}", outcome.not_evaluated);

    let good = run_check("EA114", "oac-lambda-good");
    assert!(good.findings.is_empty() && good.not_evaluated.is_empty(), "{:?}", good.findings);
}

/// The perimeter's verdicts behind EA114: SourceArn locks, SourceAccount locks but says it is
/// weaker, a missing action is a mismatch (CloudFront refused), an OAC that never signs too, and
/// an OAC whose details were not read cannot be verified.
#[test]
fn function_url_oac_verdicts_name_the_weaker_and_the_broken_cases() {
    use edge_audit_checks::index::Index;
    use edge_audit_checks::perimeter::{GuardStatus, Perimeter};
    use edge_audit_checks::CheckOptions;
    let verdicts = |fixture: &str, edit: &dyn Fn(&mut edge_audit_checks::Inventory)| {
        let mut inventory = support::load(fixture);
        edit(&mut inventory);
        let account = &inventory.accounts[0];
        let index = Index::build(account);
        let options = CheckOptions::default();
        let perimeter = Perimeter::build(account, &index, &options);
        perimeter
            .locks
            .iter()
            .map(|lock| {
                let report = lock.targets[0]
                    .verdicts
                    .iter()
                    .find(|v| v.guard == "function-url-aws-iam")
                    .cloned()
                    .unwrap();
                (lock.origin.id.clone(), report.status, report.why)
            })
            .collect::<Vec<_>>()
    };
    let good = verdicts("oac-lambda-good", &|_| {});
    let (_, status, why) = good.iter().find(|(id, ..)| id == "app").unwrap();
    assert_eq!(*status, GuardStatus::Satisfied);
    assert!(why.contains("AWS:SourceArn = this distribution"), "{why}");
    let (_, status, why) = good.iter().find(|(id, ..)| id == "reports").unwrap();
    assert_eq!(*status, GuardStatus::Satisfied);
    assert!(why.contains("AWS:SourceAccount only") && why.contains("weaker"), "{why}");

    let bad = verdicts("oac-lambda-bad", &|_| {});
    let status_of = |id: &str| bad.iter().find(|(o, ..)| o == id).map(|(_, s, w)| (*s, w.clone())).unwrap();
    assert_eq!(status_of("app").0, GuardStatus::Mismatch);
    assert!(status_of("app").1.contains("cannot invoke"), "{}", status_of("app").1);
    assert_eq!(status_of("unsigned").0, GuardStatus::Mismatch);
    assert!(status_of("unsigned").1.contains("never signs"), "{}", status_of("unsigned").1);

    let unread =
        verdicts("oac-lambda-good", &|inventory| inventory.accounts[0].origin_access_controls.clear());
    assert!(unread
        .iter()
        .all(|(_, s, w)| *s == GuardStatus::CouldNotVerify && w.contains("signing behavior is unknown")));
    // no-override with a behavior forwarding every viewer header (AllViewer): CloudFront would
    // forward the viewer's Authorization instead of signing.
    let forwarded = verdicts("oac-lambda-good", &|inventory| {
        let account = &mut inventory.accounts[0];
        account.origin_access_controls[0].signing_behavior = "no-override".into();
        account.distributions[0].default_behavior.origin_request_policy_id =
            Some("216adef6-5c7f-47e4-b989-5492eafa07d3".into());
    });
    let (_, status, why) = forwarded.iter().find(|(id, ..)| id == "app").unwrap();
    assert_eq!(*status, GuardStatus::Mismatch, "{why}");
    assert!(why.contains("Authorization"), "{why}");
    let (_, status, _) = forwarded.iter().find(|(id, ..)| id == "reports").unwrap();
    assert_eq!(*status, GuardStatus::Mismatch, "AllViewerExceptHostHeader forwards Authorization too");
}

/// A multi-tenant distribution whose API origin is a template (`{{api}}.execute-api…`, filled
/// from each tenant's parameters) in an inventory without the tenants' parameters (an older
/// one, or GetDistributionTenant not read): with a secret sent, each tenant's lock is not
/// evaluated on the tenant, naming the read (never "in no scanned account", never a verdict on
/// API `{{api}}`); without a secret, the distribution side is still judged (EA106, per tenant).
#[test]
fn a_tenant_template_origin_is_not_evaluated_not_guessed() {
    use edge_audit_checks::{registry, CheckOptions};
    use support::of;
    let mut inventory = support::load("checks/EA101/quiet/tenant-good");
    let origin = inventory.accounts[0].distributions[0]
        .origins
        .iter_mut()
        .find(|o| o.id == "api")
        .expect("the fixture's API origin");
    origin.domain_name = "{{api}}.execute-api.eu-west-1.amazonaws.com".into();
    origin.kind = edge_audit_checks::origin::OriginKind::from_domain(&origin.domain_name);
    assert_eq!(origin.kind, edge_audit_checks::origin::OriginKind::Custom, "a template names no API");
    let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
    let entries: Vec<_> = outcome.not_evaluated.iter().filter(|n| n.check_id == "EA106").collect();
    assert_eq!(entries.len(), 2, "one per tenant: {:?}", outcome.not_evaluated);
    for entry in &entries {
        assert!(entry.scope.contains(":distribution-tenant/"), "{}", entry.scope);
        assert!(entry.reason.contains("were not read (GetDistributionTenant)"), "{}", entry.reason);
        assert!(entry.reason.contains("x-origin-verify"), "{}", entry.reason);
        assert!(!entry.reason.contains("no scanned account"), "{}", entry.reason);
    }
    assert!(
        of(&outcome, "EA208").is_empty(),
        "no API named {{{{api}}}} is looked for: {:?}",
        of(&outcome, "EA208")
    );
    assert!(of(&outcome, "EA106").is_empty(), "a secret is sent: {:?}", of(&outcome, "EA106"));

    // The same template without the secret header: CloudFront's requests cannot be told apart,
    // whichever backend a tenant reaches.
    let origin = inventory.accounts[0].distributions[0].origins.iter_mut().find(|o| o.id == "api");
    if let Some(origin) = origin {
        origin.custom_headers.clear();
    }
    let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
    let ea106 = of(&outcome, "EA106");
    assert_eq!(ea106.len(), 2, "one per tenant: {:?}", outcome.findings);
    assert!(ea106.iter().all(|f| f.resource.resource_type == "cloudfront/distribution-tenant"), "{ea106:?}");
    assert!(outcome.not_evaluated.iter().all(|n| n.check_id != "EA106"), "{:?}", outcome.not_evaluated);
}
