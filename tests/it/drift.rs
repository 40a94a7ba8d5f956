//! Drift: the comparison (pure functions over two inventories, fixture pairs for every change
//! type in each direction) and the `drift` command through the real binary.

use crate::support::{fixture, json, path_str, require, root, run, tempdir, write};
use edge_audit::drift::{self, Change, ChangeType, Classification};
use edge_audit_checks::CheckOptions;
use std::collections::BTreeSet;
use std::path::PathBuf;

use ChangeType as T;
use Classification::{Neutral, Strengthened, Weakened};

fn drift_fixture(name: &str) -> PathBuf {
    fixture(&format!("drift/{name}.json"))
}

/// The drift fixture `name`, loaded as the binary loads an inventory.
fn load(name: &str) -> edge_audit_checks::Inventory {
    edge_audit::snapshot::load(&drift_fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn compare(before: &str, after: &str) -> (Vec<Change>, Vec<drift::NotCompared>) {
    let analysis = drift::analyse(
        &load(before),
        &load(after),
        edge_audit_checks::registry::all(),
        &CheckOptions::default(),
        &Default::default(),
    );
    (analysis.changes, analysis.not_compared)
}

fn kinds(changes: &[Change]) -> BTreeSet<(ChangeType, String)> {
    changes.iter().map(|c| (c.change_type, c.resource.id.clone())).collect()
}

fn set(items: &[(ChangeType, &str)]) -> BTreeSet<(ChangeType, String)> {
    items.iter().map(|(t, id)| (*t, id.to_string())).collect()
}

/// The classification of the one change of `change_type` on resource `id`.
fn class_of(changes: &[Change], change_type: ChangeType, id: &str) -> Option<Classification> {
    changes.iter().find(|c| c.change_type == change_type && c.resource.id == id).map(|c| c.classification)
}

const ALB: &str = "app/orders-alb/0123456789abcdef";

#[test]
/// Every weakening change at once (the drift fixtures: `generate.py`): each is reported, typed;
/// how each is classified alone is `drift_agreement`'s subject, here the ones whose findings
/// show on their own resource.
fn every_weakening_change_is_reported() {
    let (changes, not_compared) = compare("base", "weakened");
    assert!(not_compared.is_empty(), "{not_compared:?}");
    assert_eq!(
        kinds(&changes),
        set(&[
            (T::WebAclRemoved, "E1ORDERS"),
            (T::OriginSecretRemoved, "E1ORDERS"),
            (T::CachePolicyChanged, "E1ORDERS"),
            (T::ExecuteApiEndpointEnabled, "orders1234"),
            (T::WebAclRemoved, "orders1234"),
            (T::ApiKeyRequirementChanged, "orders1234"),
            (T::AuthorizationChanged, "orders1234"),
            (T::AuthorizationChanged, "http5678"),
            (T::SgIngressOpened, "sg-0alb"),
            (T::WebAclRemoved, ALB),
            (T::ListenerRulesChanged, ALB),
            (T::LambdaUrlAuthTypeChanged, "orders-fn"),
            (T::LambdaUrlCreated, "hook-fn"),
            (T::WebAclRulesChanged, "a1"),
            (T::WebAclDefaultActionChanged, "r3"),
            (T::StageCreated, "orders1234"),
            (T::RouteCreated, "orders1234"),
        ])
    );
    let summary = |change_type: ChangeType| {
        changes.iter().find(|c| c.change_type == change_type).map(|c| c.summary.clone()).unwrap_or_default()
    };
    assert_eq!(summary(T::WebAclRulesChanged), "Web ACL edge: rule common no longer blocks");
    assert_eq!(
        summary(T::WebAclDefaultActionChanged),
        "Web ACL alb: default action changed from BLOCK to ALLOW"
    );
    assert_eq!(
        summary(T::RouteCreated),
        "API orders1234: method DELETE /orders was created (open to anybody (authorization NONE, no API key))"
    );
    for (change_type, id) in [
        (T::WebAclRemoved, "E1ORDERS"),
        (T::ExecuteApiEndpointEnabled, "orders1234"),
        (T::SgIngressOpened, "sg-0alb"),
        (T::ListenerRulesChanged, ALB),
        (T::LambdaUrlCreated, "hook-fn"),
    ] {
        assert_eq!(class_of(&changes, change_type, id), Some(Weakened), "{change_type:?} {id}");
    }
    // Weakened first, deterministic order.
    let order: Vec<Classification> = changes.iter().map(|c| c.classification).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    let again = compare("base", "weakened").0;
    assert_eq!(changes, again);
}

#[test]
fn the_reverse_changes_are_reported() {
    let (changes, _) = compare("weakened", "base");
    for (change_type, id) in [
        (T::SgIngressClosed, "sg-0alb"),
        (T::LambdaUrlDeleted, "hook-fn"),
        (T::LambdaUrlAuthTypeChanged, "orders-fn"),
    ] {
        assert_eq!(class_of(&changes, change_type, id), Some(Strengthened), "{change_type:?} {id}");
    }
    assert_eq!(
        kinds(&changes),
        set(&[
            (T::WebAclAssociated, "E1ORDERS"),
            (T::OriginSecretAdded, "E1ORDERS"),
            (T::CachePolicyChanged, "E1ORDERS"),
            (T::ExecuteApiEndpointDisabled, "orders1234"),
            (T::WebAclAssociated, "orders1234"),
            (T::ApiKeyRequirementChanged, "orders1234"),
            (T::AuthorizationChanged, "orders1234"),
            (T::AuthorizationChanged, "http5678"),
            (T::SgIngressClosed, "sg-0alb"),
            (T::WebAclAssociated, ALB),
            (T::ListenerRulesChanged, ALB),
            (T::LambdaUrlAuthTypeChanged, "orders-fn"),
            (T::LambdaUrlDeleted, "hook-fn"),
            (T::WebAclRulesChanged, "a1"),
            (T::WebAclDefaultActionChanged, "r3"),
            (T::StageDeleted, "orders1234"),
            (T::RouteDeleted, "orders1234"),
        ])
    );
}

#[test]
fn rotations_replacements_and_lifecycle_changes_are_reported() {
    let (changes, not_compared) = compare("base", "neutral");
    assert!(not_compared.is_empty());
    for (change_type, id) in [(T::DistributionCreated, "E2NEW"), (T::LambdaUrlDeleted, "report-fn")] {
        assert_eq!(class_of(&changes, change_type, id), Some(Neutral), "{change_type:?} {id}");
    }
    assert_eq!(
        kinds(&changes),
        set(&[
            (T::WebAclReplaced, "E1ORDERS"),
            (T::OriginSecretRotated, "E1ORDERS"),
            (T::DistributionCreated, "E2NEW"),
            (T::EndpointTypeChanged, "orders1234"),
            (T::ApiCreated, "new9876"),
            (T::ApiDeleted, "http5678"),
            (T::SgIngressOpened, "sg-0alb"),
            (T::WebAclReplaced, ALB),
            (T::ListenerRulesChanged, ALB),
            (T::LoadBalancerCreated, "app/internal-alb/fedcba9876543210"),
            (T::WebAclCreated, "a2"),
            (T::WebAclCreated, "r2"),
            (T::WebAclDeleted, "r3"),
            (T::LambdaUrlDeleted, "report-fn"),
            (T::WebAclRulesChanged, "a1"),
            (T::SecurityGroupCreated, "sg-0new"),
            (T::RouteCreated, "orders1234"),
        ])
    );
    // Both origins rotated: one change each, told apart by the detail.
    let rotated: Vec<&str> = changes
        .iter()
        .filter(|c| c.change_type == T::OriginSecretRotated)
        .map(|c| c.detail.as_str())
        .collect();
    assert_eq!(rotated, ["origin alb, header x-origin-verify", "origin api, header x-origin-verify"]);
    let rotation = changes.iter().find(|c| c.change_type == T::OriginSecretRotated).cloned();
    let rotation = rotation.unwrap_or_else(|| panic!("no rotation"));
    assert_eq!(rotation.before["value"]["fingerprint"], "sha256:1111111111111111");
    assert_eq!(rotation.after["value"]["fingerprint"], "sha256:2222222222222222");
}

#[test]
fn stages_and_methods_are_not_compared_where_api_gateway_was_not_read_completely() {
    let base = load("base");
    let mut weakened = load("weakened");
    // One REST API's resources could not be read: its methods are missing from this side.
    let account = &mut weakened.accounts[0];
    account.coverage.push(edge_audit_checks::inventory::Coverage::failed(
        "eu-west-1".to_string(),
        edge_audit_checks::inventory::Service::Apigateway,
        "GetResources",
        "ThrottlingException: Rate exceeded".to_string(),
    ));
    account.rest_apis[0].resources.clear();
    let (changes, not_compared) = drift::compare(&base, &weakened, &CheckOptions::default());
    let types: BTreeSet<ChangeType> = changes.iter().map(|c| c.change_type).collect();
    for unreadable in [T::RouteCreated, T::RouteDeleted, T::StageCreated, T::StageDeleted] {
        assert!(!types.contains(&unreadable), "{unreadable:?} from an incomplete read: {types:?}");
    }
    assert!(
        not_compared.iter().any(|n| n.reason.contains("stages and methods created or deleted")),
        "{not_compared:?}"
    );
    // What both sides did read is still compared.
    assert!(types.contains(&T::ExecuteApiEndpointEnabled), "{types:?}");
}

/// One HTTP API's routes could not be read (a per-resource gap: the region stays collected):
/// its routes are not compared, naming it, instead of being reported deleted.
#[test]
fn routes_of_an_http_api_not_read_are_not_compared_rather_than_deleted() {
    let base = load("base");
    let mut current = load("base");
    let account = &mut current.accounts[0];
    let arn = account.http_apis[0].arn.clone();
    account.coverage.push(edge_audit_checks::inventory::Coverage::resource_failed(
        "eu-west-1",
        edge_audit_checks::inventory::Service::Apigatewayv2,
        "GetRoutes",
        arn.clone(),
        "InternalServerError: Internal server error",
    ));
    account.http_apis[0].routes.clear();
    let (changes, not_compared) = drift::compare(&base, &current, &CheckOptions::default());
    let types: BTreeSet<ChangeType> = changes.iter().map(|c| c.change_type).collect();
    assert!(!types.contains(&T::RouteDeleted), "a route deleted from an incomplete read: {types:?}");
    let reasons: Vec<(&str, &str)> =
        not_compared.iter().map(|n| (n.scope.as_str(), n.reason.as_str())).collect();
    assert!(
        reasons
            .iter()
            .any(|(scope, why)| *scope == arn && why.contains("GetRoutes failed (InternalServerError")),
        "{reasons:?}"
    );
}

/// One REST API's resources could not be read (a per-resource gap: the region, and so its
/// stages, stays read): its methods are not compared, naming it, instead of being reported
/// deleted; a stage deleted meanwhile is still reported.
#[test]
fn methods_of_a_rest_api_not_read_are_not_compared_rather_than_deleted() {
    let base = load("base");
    let mut current = load("base");
    let account = &mut current.accounts[0];
    let api = &mut account.rest_apis[0];
    let arn = api.arn.clone();
    let region = api.region.clone();
    assert!(api.methods().next().is_some(), "the fixture's API has methods");
    assert!(!api.stages.is_empty(), "the fixture's API has a stage");
    api.resources.clear();
    api.stages.clear();
    account.coverage.push(edge_audit_checks::inventory::Coverage::resource_failed(
        region,
        edge_audit_checks::inventory::Service::Apigateway,
        "GetResources",
        arn.clone(),
        "AccessDeniedException: not authorized",
    ));
    let (changes, not_compared) = drift::compare(&base, &current, &CheckOptions::default());
    let types: BTreeSet<ChangeType> = changes.iter().map(|c| c.change_type).collect();
    assert!(!types.contains(&T::RouteDeleted), "a method deleted from an incomplete read: {types:?}");
    assert!(types.contains(&T::StageDeleted), "the stages were read: {types:?}");
    let reasons: Vec<(&str, &str)> =
        not_compared.iter().map(|n| (n.scope.as_str(), n.reason.as_str())).collect();
    assert!(
        reasons.iter().any(|(scope, why)| *scope == arn
            && why.contains("GetResources failed (AccessDeniedException")
            && why.contains("its methods")),
        "{reasons:?}"
    );
}

#[test]
fn unread_services_are_not_compared_rather_than_deleted() {
    let (changes, not_compared) = compare("base", "partial");
    let types: BTreeSet<ChangeType> = changes.iter().map(|c| c.change_type).collect();
    assert!(!types.contains(&T::ApiDeleted), "apigatewayv2 was not read: {types:?}");
    assert!(!types.contains(&T::LoadBalancerDeleted), "elbv2 was not read: {types:?}");
    let scopes: Vec<String> = not_compared.iter().map(|n| n.reason.clone()).collect();
    assert_eq!(not_compared.len(), 2, "{scopes:?}");
    assert!(scopes.iter().any(|r| r.starts_with("apigatewayv2 was not read")));
    assert!(scopes.iter().any(|r| r.starts_with("elbv2 was not read")));
}

fn drift_cli(before: &str, after: &str, extra: &[&str]) -> crate::support::Run {
    let (b, a) = (drift_fixture(before), drift_fixture(after));
    let mut args = vec!["drift", "--baseline", path_str(&b), "--current", path_str(&a)];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn exit_codes_follow_weakening_and_fail_on() {
    assert_eq!(drift_cli("base", "weakened", &[]).code, 1);
    assert_eq!(drift_cli("base", "weakened", &["--fail-on", "critical"]).code, 0);
    assert_eq!(drift_cli("weakened", "base", &[]).code, 0);
    // The API's endpoint becoming EDGE-optimized behind CloudFront is EA201 (medium): weakened.
    assert_eq!(drift_cli("base", "neutral", &[]).code, 1);
    assert_eq!(drift_cli("base", "neutral", &["--fail-on", "critical"]).code, 0);
    assert_eq!(drift_cli("base", "neutral", &["--fail-on", "info"]).code, 1, "EA702 is info");
    assert_eq!(drift_cli("base", "base", &["--fail-on", "info"]).code, 0);
    assert_eq!(drift_cli("base", "partial", &[]).code, 3, "incomplete comparison, nothing failed");
}

#[test]
fn json_report_lists_typed_changes_with_the_findings_that_came_and_went() {
    let out = drift_cli("base", "weakened", &["--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let r = json(&out.stdout);
    assert_eq!(r["kind"], "drift");
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["summary"]["weakened"], 17);
    assert_eq!(r["summary"]["neutral"], 1);
    assert_eq!(r["baseline"]["collected_at"], "2026-01-01T00:00:00Z");
    let changes = r["changes"].as_array().cloned().unwrap_or_default();
    for c in &changes {
        for key in ["resource", "change_type", "classification", "before", "after", "appeared", "disappeared"]
        {
            assert!(c.get(key).is_some(), "change lacks `{key}`: {c}");
        }
    }
    let removed = changes
        .iter()
        .find(|c| c["change_type"] == "web_acl_removed" && c["resource"]["type"] == "cloudfront/distribution")
        .cloned()
        .unwrap_or_default();
    assert_eq!(removed["classification"], "weakened");
    assert_eq!(removed["before"]["web_acl"], "arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge/a1");
    assert!(removed["after"]["web_acl"].is_null());
    let appeared: Vec<&str> =
        removed["appeared"].as_array().into_iter().flatten().filter_map(|f| f["check_id"].as_str()).collect();
    // Findings attach to every change on the same resource; EA101 must be among them.
    assert!(
        appeared.contains(&"EA101"),
        "the distribution lost its web ACL: EA101 appeared with it: {appeared:?}"
    );
    // The ACLs that lost their users are unassociated now (EA301): each such finding attaches to
    // the change that removed the association (it bears on the ACL it lost) and, for the edge
    // and ALB ones (a1, r3), to the change of the ACL itself; none is left unattributed.
    let unattributed: Vec<&str> = r["unattributed"]["appeared"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["check_id"].as_str())
        .collect();
    assert!(unattributed.is_empty(), "{unattributed:?}");
    let on_acl = |id: &str| -> Vec<String> {
        changes
            .iter()
            .filter(|c| c["resource"]["id"] == id)
            .flat_map(|c| c["appeared"].as_array().cloned().unwrap_or_default())
            .filter_map(|f| f["check_id"].as_str().map(str::to_string))
            .collect()
    };
    assert!(on_acl("a1").contains(&"EA301".to_string()), "{:?}", on_acl("a1"));
    assert!(on_acl("r3").contains(&"EA301".to_string()), "{:?}", on_acl("r3"));
    // Every weakened change is an EA701 finding (high, failing); the HTTP API route opened
    // behind a disabled default endpoint changes no verdict: EA702.
    let findings = r["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(findings.len(), 18);
    let ea701: Vec<&serde_json::Value> = findings.iter().filter(|f| f["check_id"] == "EA701").collect();
    assert_eq!(ea701.len(), 17);
    assert!(ea701.iter().all(|f| f["severity"] == "high" && f["fails"] == true));
    // The reverse: the findings disappear with the strengthening changes.
    let back = json(&drift_cli("weakened", "base", &["--format", "json"]).stdout);
    // Whatever appeared going forward disappears going back.
    assert_eq!(back["summary"]["disappeared"], r["summary"]["appeared"]);
    assert!(back["summary"]["disappeared"].as_u64().is_some_and(|n| n > 0));
    assert!(back["findings"].as_array().into_iter().flatten().all(|f| f["check_id"] == "EA702"));
    assert_eq!(back["summary"]["strengthened"], 17);
}

#[test]
fn table_and_markdown() {
    let table = drift_cli("base", "weakened", &[]).stdout;
    assert!(table.contains("WEAKENED (17)"), "{table}");
    // Cells wrap at 100 columns; match a change type short enough not to be split.
    assert!(table.contains("web_acl_removed") && table.contains("sg_ingress_opened"), "{table}");
    assert!(table.contains("18 changes (17 weakened, 0 strengthened, 1 neutral)"), "{table}");
    let markdown = drift_cli("base", "neutral", &["--format", "markdown", "--fail-on", "none"]).stdout;
    assert!(markdown.starts_with("## edge-audit drift"), "{markdown}");
    assert!(markdown.contains("### Neutral (16)"), "{markdown}");
    assert!(markdown.contains("`origin_secret_rotated`"), "{markdown}");
    let partial = drift_cli("base", "partial", &[]).stdout;
    assert!(partial.contains("NOT COMPARED (2)"), "{partial}");
}

#[test]
fn sarif_has_ea701_and_ea702_results_and_github_accepts_it() {
    let dir = tempdir();
    let mut files = Vec::new();
    for (before, after) in [("base", "weakened"), ("base", "neutral"), ("base", "partial")] {
        let target = dir.path().join(format!("{before}-{after}.sarif"));
        let out = drift_cli(before, after, &["--format", "sarif", "--output", path_str(&target)]);
        assert!(out.code != 2, "{}", out.stderr);
        let sarif = json(&std::fs::read_to_string(&target).unwrap_or_default());
        let rules: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["id"].as_str())
            .collect();
        assert_eq!(rules, ["EA701", "EA702"]);
        let results: BTreeSet<&str> = sarif["runs"][0]["results"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["ruleId"].as_str())
            .collect();
        let expected: &[&str] = if after == "partial" { &["EA702"] } else { &["EA701", "EA702"] };
        assert_eq!(results.into_iter().collect::<Vec<_>>(), expected);
        files.push(target);
    }
    let validator = std::env::var_os("EDGE_AUDIT_VALIDATE_SARIF")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/tools/validate-sarif"));
    if !require("../shared/tools/validate-sarif", validator.is_file()) {
        return;
    }
    let status = std::process::Command::new(validator)
        .args(&files)
        .status()
        .unwrap_or_else(|e| panic!("cannot run validate-sarif: {e}"));
    assert!(status.success(), "validate-sarif rejected a drift SARIF file");
}

#[test]
fn severity_remaps_of_ea701_change_the_gate() {
    let dir = tempdir();
    let config = write(dir.path(), "edge-audit.toml", "[checks.severity]\nperimeter-weakened = \"medium\"\n");
    let out = drift_cli("base", "weakened", &["--config", path_str(&config), "--format", "json"]);
    assert_eq!(out.code, 0, "EA701 remapped to medium does not fail at high");
    let findings = json(&out.stdout)["findings"].as_array().cloned().unwrap_or_default();
    let ea701: Vec<&serde_json::Value> = findings.iter().filter(|f| f["check_id"] == "EA701").collect();
    assert!(!ea701.is_empty());
    assert!(ea701.iter().all(|f| f["severity"] == "medium"));
}

#[test]
fn suppressions_apply_to_drift_findings() {
    let dir = tempdir();
    // Every weakening change but the ALB's is suppressed, by glob, until a date; the tag on
    // the distribution (`team`) is not an ignore tag.
    let config = write(
        dir.path(),
        "edge-audit.toml",
        "[[suppress]]\ncheck = \"perimeter-weakened\"\nresource = \"arn:aws:*\"\n\
         reason = \"planned migration\"\nexpires = 2026-06-30\n\n\
         [[suppress]]\ncheck = \"EA701\"\nresource = \"arn:aws:elasticloadbalancing:*\"\n\
         reason = \"not this one\"\nexpires = 2026-01-31\n",
    );
    let config = path_str(&config);
    let within =
        drift_cli("base", "weakened", &["--config", config, "--today", "2026-06-30", "--format", "json"]);
    assert_eq!(within.code, 0, "every EA701 suppressed: nothing fails\n{}", within.stderr);
    let report = json(&within.stdout);
    let suppressed = report["suppressed"].as_array().cloned().unwrap_or_default();
    let weakened = report["summary"]["weakened"].as_u64().unwrap_or_default() as usize;
    assert_eq!(suppressed.len(), weakened, "{report:#}");
    assert!(suppressed.iter().all(|f| f["check_id"] == "EA701"
        && f["suppression"]["source"] == "config"
        && f["suppression"]["reason"] == "planned migration"));
    assert!(report["findings"].as_array().into_iter().flatten().all(|f| f["check_id"] == "EA702"));
    assert_eq!(report["summary"]["suppressed"].as_u64(), Some(weakened as u64));
    // The changes themselves are still listed, weakened as they are.
    assert_eq!(
        report["changes"].as_array().map(Vec::len),
        report["summary"]["changes"].as_u64().map(|n| n as usize)
    );

    // Once the entry expires, the findings fail the run again.
    let after =
        drift_cli("base", "weakened", &["--config", config, "--today", "2026-07-01", "--format", "json"]);
    assert_eq!(after.code, 1);
    assert_eq!(json(&after.stdout)["summary"]["suppressed"].as_u64(), Some(0));
    let table = drift_cli("base", "weakened", &["--config", config, "--today", "2026-06-30"]);
    assert!(table.stdout.contains("suppressed)"), "{}", table.stdout);
}

#[test]
fn secrets_never_appear_in_drift_output() {
    use crate::support::secrets::{inventory, PLAINTEXT};
    use edge_audit_checks::secret::SecretValue;
    let rotated = "rotated-Hx8Kq2Lm5Vb9Zt3Rw7Yc1Pn4Jd6Gs0";
    let before = inventory();
    let mut after = before.clone();
    for account in &mut after.accounts {
        for d in &mut account.distributions {
            for o in &mut d.origins {
                for h in &mut o.custom_headers {
                    h.value = SecretValue::from_plaintext(rotated);
                }
            }
        }
    }
    let dir = tempdir();
    let b = write(dir.path(), "before.json", &edge_audit::snapshot::to_json(&before).unwrap());
    let a = write(dir.path(), "after.json", &edge_audit::snapshot::to_json(&after).unwrap());
    let mut saw_rotation = false;
    for format in ["table", "json", "markdown", "sarif"] {
        let out = run(&[
            "drift",
            "--baseline",
            path_str(&b),
            "--current",
            path_str(&a),
            "--format",
            format,
            "--fail-on",
            "none",
        ]);
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        for secret in PLAINTEXT.iter().chain([&rotated]) {
            assert!(!out.stdout.contains(secret), "{format} output contains a secret");
            assert!(!out.stderr.contains(secret));
        }
        saw_rotation |= out.stdout.contains("origin_secret_rotated");
    }
    assert!(saw_rotation);
}

#[test]
fn bad_input_and_live_mode() {
    let good = drift_fixture("base");
    let malformed = fixture("malformed.json");
    let out = run(&["drift", "--baseline", path_str(&malformed), "--current", path_str(&good)]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr.lines().count(), 1);
    assert!(out.stderr.contains("malformed.json"), "{}", out.stderr);
    let out =
        run(&["drift", "--baseline", path_str(&good), "--current", path_str(&fixture("wrong-schema.json"))]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("wrong-schema.json"));
    // Live mode (no --current) without any credentials: one line, exit 2, no report. Hermetic:
    // no credential, profile or config file of the machine can reach AWS. Live drift itself is
    // tested against moto (moto_scan.rs).
    let output = crate::support::edge_audit()
        .args(["drift", "--baseline", path_str(&good), "--regions", "eu-west-1"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_PROFILE")
        .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE")
        .env_remove("AWS_ROLE_ARN")
        .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        .env("AWS_CONFIG_FILE", "/nonexistent/edge-audit-test/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/edge-audit-test/credentials")
        .env("AWS_REGION", "us-east-1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run edge-audit: {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("credentials"), "{stderr}");
    assert!(output.stdout.is_empty(), "a report without a current state");
    // --current and live scope flags exclude each other.
    let out = run(&["drift", "--baseline", path_str(&good), "--current", path_str(&good), "--account", "1"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    // Missing --baseline.
    assert_eq!(run(&["drift", "--current", path_str(&good)]).code, 2);
}

/// GitHub code scanning takes at most 20 runs a SARIF file and drift writes one run per account:
/// 21 accounts in SARIF is refused with one line (exit 2, nothing written); JSON is fine.
#[test]
fn drift_sarif_of_more_than_twenty_accounts_is_refused() {
    let dir = tempdir();
    let accounts: Vec<serde_json::Value> = (0..21)
        .map(|i| serde_json::json!({"account_id": format!("{:012}", 100_000_000_000u64 + i), "partition": "aws", "regions": []}))
        .collect();
    let inventory = serde_json::json!({"schema_version": 1, "accounts": accounts}).to_string();
    let path = write(dir.path(), "org.json", &inventory);
    let target = dir.path().join("drift.sarif");
    let out = run(&[
        "drift",
        "--baseline",
        path_str(&path),
        "--current",
        path_str(&path),
        "--format",
        "sarif",
        "--output",
        path_str(&target),
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("21 runs") && out.stderr.contains("at most 20"), "{}", out.stderr);
    assert!(!target.exists());
    let json =
        run(&["drift", "--baseline", path_str(&path), "--current", path_str(&path), "--format", "json"]);
    assert_ne!(json.code, 2, "{}", json.stderr);
}
