//! Drift and scan can never disagree: every kind of change drift knows, applied alone to the
//! drift base inventory (and undone), is classified exactly as the difference between the two
//! scans' findings and perimeter verdicts says — weakened when a finding at or above medium
//! appears (or a backend becomes reachable around CloudFront), strengthened in the opposite case,
//! neutral otherwise — and no such finding is left unattributed to a change.

use crate::support::{fixture, json, path_str, run, tempdir, write};
use edge_audit::drift::{self, ChangeType, Classification};
use edge_audit_checks::index::Index;
use edge_audit_checks::perimeter::Perimeter;
use edge_audit_checks::{registry, CheckOptions, Finding, Inventory, Severity};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const ACCT: &str = "111122223333";
const TG: &str = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/orders/bbbb";

fn base() -> Value {
    let text = std::fs::read_to_string(fixture("drift/base.json")).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("drift/base.json: {e}"))
}

fn account(inventory: &mut Value) -> &mut Value {
    &mut inventory["accounts"][0]
}

fn remove(value: &mut Value, key: &str) {
    if let Some(map) = value.as_object_mut() {
        map.remove(key);
    }
}

fn push(list: &mut Value, item: Value) {
    if let Some(items) = list.as_array_mut() {
        items.push(item);
    }
}

type Mutation = (&'static str, ChangeType, fn(&mut Value));

/// Every change type drift reports, each made alone (as `tests/fixtures/drift/generate.py` makes
/// them together).
fn mutations() -> Vec<Mutation> {
    vec![
        ("distribution loses its web ACL", ChangeType::WebAclRemoved, |i| {
            remove(&mut account(i)["distributions"][0], "web_acl_id")
        }),
        ("origin secret removed", ChangeType::OriginSecretRemoved, |i| {
            account(i)["distributions"][0]["origins"][0]["custom_headers"] = json!([])
        }),
        ("origin secret rotated", ChangeType::OriginSecretRotated, |i| {
            account(i)["distributions"][0]["origins"][0]["custom_headers"][0]["value"]["fingerprint"] =
                json!("sha256:2222222222222222")
        }),
        ("API behavior starts caching", ChangeType::CachePolicyChanged, |i| {
            account(i)["distributions"][0]["behaviors"][0]["cache_policy_id"] =
                json!("658327ea-f89d-4fab-a63d-7e88639e58f6")
        }),
        ("execute-api endpoint enabled", ChangeType::ExecuteApiEndpointEnabled, |i| {
            account(i)["rest_apis"][0]["disable_execute_api_endpoint"] = json!(false)
        }),
        ("stage loses its web ACL", ChangeType::WebAclRemoved, |i| {
            remove(&mut account(i)["rest_apis"][0]["stages"][0], "web_acl_arn")
        }),
        ("method no longer requires an API key", ChangeType::ApiKeyRequirementChanged, |i| {
            account(i)["rest_apis"][0]["resources"][0]["methods"][0]["api_key_required"] = json!(false)
        }),
        ("method authorization NONE", ChangeType::AuthorizationChanged, |i| {
            let method = &mut account(i)["rest_apis"][0]["resources"][0]["methods"][0];
            method["authorization_type"] = json!("NONE");
            remove(method, "authorizer_id");
        }),
        ("route authorization NONE", ChangeType::AuthorizationChanged, |i| {
            let route = &mut account(i)["http_apis"][0]["routes"][0];
            route["authorization_type"] = json!("NONE");
            remove(route, "authorizer_id");
        }),
        ("endpoint type changed", ChangeType::EndpointTypeChanged, |i| {
            account(i)["rest_apis"][0]["endpoint_types"] = json!(["EDGE"])
        }),
        ("security group opened to the internet", ChangeType::SgIngressOpened, |i| {
            push(
                &mut account(i)["security_groups"][0]["ingress"],
                json!({"protocol": "tcp", "from_port": 443, "to_port": 443, "ipv4_ranges": ["0.0.0.0/0"]}),
            )
        }),
        ("security group opened to another group", ChangeType::SgIngressOpened, |i| {
            push(
                &mut account(i)["security_groups"][0]["ingress"],
                json!({"protocol": "tcp", "from_port": 443, "to_port": 443, "source_security_groups": ["sg-0bastion"]}),
            )
        }),
        ("load balancer loses its web ACL", ChangeType::WebAclRemoved, |i| {
            remove(&mut account(i)["load_balancers"][0], "web_acl_arn")
        }),
        ("listener forwards by default", ChangeType::ListenerRulesChanged, |i| {
            account(i)["load_balancers"][0]["listeners"][0]["default_actions"] =
                json!([{"type": "forward", "target_group_arns": [TG]}])
        }),
        ("listener header value rotated", ChangeType::ListenerRulesChanged, |i| {
            account(i)["load_balancers"][0]["listeners"][0]["rules"][0]["conditions"][0]["values"][0]
                ["fingerprint"] = json!("sha256:2222222222222222")
        }),
        ("function URL auth NONE", ChangeType::LambdaUrlAuthTypeChanged, |i| {
            account(i)["lambda_functions"][0]["url"]["auth_type"] = json!("NONE")
        }),
        ("open function URL created", ChangeType::LambdaUrlCreated, |i| {
            account(i)["lambda_functions"][2]["url"] =
                json!({"url": "https://uvwxyzabcd.lambda-url.eu-west-1.on.aws/", "auth_type": "NONE"})
        }),
        ("web ACL rule set to count", ChangeType::WebAclRulesChanged, |i| {
            account(i)["web_acls"][0]["rules"][0]["override_count"] = json!(true)
        }),
        ("web ACL default action allow", ChangeType::WebAclDefaultActionChanged, |i| {
            account(i)["web_acls"][2]["default_action"] = json!("allow")
        }),
        ("stage created without a web ACL", ChangeType::StageCreated, |i| {
            push(&mut account(i)["rest_apis"][0]["stages"], json!({"name": "dev"}))
        }),
        ("open method created", ChangeType::RouteCreated, |i| {
            push(
                &mut account(i)["rest_apis"][0]["resources"][0]["methods"],
                json!({"http_method": "DELETE", "authorization_type": "NONE", "api_key_required": false}),
            )
        }),
        ("security group created", ChangeType::SecurityGroupCreated, |i| {
            push(
                &mut account(i)["security_groups"],
                json!({"id": "sg-0new", "arn": format!("arn:aws:ec2:eu-west-1:{ACCT}:security-group/sg-0new"),
                       "name": "batch", "region": "eu-west-1", "vpc_id": "vpc-1"}),
            )
        }),
        ("API origin moved to the HTTP API", ChangeType::OriginTargetChanged, |i| {
            let origin = &mut account(i)["distributions"][0]["origins"][0];
            origin["domain_name"] = json!("http5678.execute-api.eu-west-1.amazonaws.com");
            origin["kind"] = json!({"api_id": "http5678", "region": "eu-west-1", "type": "api_gateway"});
            remove(origin, "origin_path");
        }),
        ("HTTP API deleted", ChangeType::ApiDeleted, |i| account(i)["http_apis"] = json!([])),
        ("function URL deleted", ChangeType::LambdaUrlDeleted, |i| {
            remove(&mut account(i)["lambda_functions"][1], "url")
        }),
    ]
}

fn inventory(value: &Value) -> Inventory {
    let mut inventory: Inventory =
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("mutated inventory: {e}"));
    inventory.normalize();
    inventory
}

fn serious(findings: &[Finding], others: &[Finding]) -> Vec<String> {
    let known: BTreeSet<String> = others.iter().map(Finding::fingerprint).collect();
    findings
        .iter()
        .filter(|f| f.severity >= Severity::Medium && !known.contains(&f.fingerprint()))
        .map(|f| format!("{} {}", f.check_id, f.resource.id))
        .collect()
}

fn exposure(inventory: &Inventory) -> BTreeMap<String, u8> {
    let options = CheckOptions::default();
    let mut out = BTreeMap::new();
    for account in &inventory.accounts {
        let index = Index::build(account);
        let perimeter = Perimeter::build(account, &index, &options);
        out.extend(perimeter.backends.iter().map(|b| (b.arn.clone(), b.exposure.rank())));
    }
    out
}

/// Asserts the agreement for one direction; returns the classifications of the changes of
/// `change_type`.
fn agree(label: &str, before: &Inventory, after: &Inventory, change_type: ChangeType) -> Vec<Classification> {
    let options = CheckOptions::default();
    let checks = registry::all();
    let analysis = drift::analyse(before, after, checks, &options, &BTreeMap::new());
    let found_before = registry::run(before, checks, &options).findings;
    let found_after = registry::run(after, checks, &options).findings;
    let appeared = serious(&found_after, &found_before);
    let gone = serious(&found_before, &found_after);
    let (eb, ea) = (exposure(before), exposure(after));
    let arns: BTreeSet<&String> = eb.keys().chain(ea.keys()).collect();
    let rank = |map: &BTreeMap<String, u8>, arn: &String| map.get(arn).copied().unwrap_or(0);
    let worse = arns.iter().any(|arn| rank(&ea, arn) > rank(&eb, arn));
    let better = arns.iter().any(|arn| rank(&ea, arn) < rank(&eb, arn));
    let classes: BTreeSet<Classification> = analysis.changes.iter().map(|c| c.classification).collect();
    let weakened = classes.contains(&Classification::Weakened);
    let strengthened = classes.contains(&Classification::Strengthened);
    assert!(
        analysis.changes.iter().any(|c| c.change_type == change_type),
        "{label}: no {change_type:?} change"
    );
    assert_eq!(
        weakened,
        !appeared.is_empty() || worse,
        "{label}: drift weakened={weakened}, scan: new findings {appeared:?}, a backend worse: {worse}"
    );
    if !weakened {
        assert_eq!(
            strengthened,
            !gone.is_empty() || better,
            "{label}: drift strengthened={strengthened}, scan: findings gone {gone:?}, a backend better: {better}"
        );
    }
    let loose: Vec<&drift::FindingRef> = analysis
        .unattributed
        .appeared
        .iter()
        .chain(&analysis.unattributed.disappeared)
        .filter(|f| f.severity >= Severity::Medium)
        .collect();
    assert!(loose.is_empty(), "{label}: findings at or above medium on no change: {loose:?}");
    analysis.changes.iter().filter(|c| c.change_type == change_type).map(|c| c.classification).collect()
}

#[test]
fn every_change_kind_is_classified_as_the_scans_differ() {
    let mut seen = BTreeMap::new();
    for (label, change_type, mutate) in mutations() {
        let before = base();
        let mut after = before.clone();
        mutate(&mut after);
        let (before, after) = (inventory(&before), inventory(&after));
        let forward = agree(label, &before, &after, change_type);
        let backward =
            agree(&format!("{label} (undone)"), &after, &before, change_type_reversed(change_type));
        seen.insert(label, (forward, backward));
    }
    use Classification::{Neutral, Strengthened, Weakened};
    // What the model says of each change alone, in both directions. The base inventory is
    // locked (default endpoints disabled, the ALB behind its header rule and a blocking web
    // ACL), so changes behind another lock change no verdict: they are neutral.
    // What the model says of each change alone, in both directions. The base inventory is a
    // locked, clean perimeter (no finding at medium or above): the API stage is locked by an API
    // key CloudFront sends, its default endpoint disabled; the ALB by a header rule *and* a web
    // ACL that allows only the header. A change behind another lock changes no verdict, so it
    // is neutral; one that breaks CloudFront's own requests (EA305) is a weakening too.
    let expected: &[(&str, &[Classification], &[Classification])] = &[
        ("distribution loses its web ACL", &[Weakened], &[Strengthened]),
        ("origin secret removed", &[Weakened, Weakened], &[Strengthened, Strengthened]),
        ("API behavior starts caching", &[Weakened], &[Strengthened]),
        ("endpoint type changed", &[Weakened], &[Strengthened]), // EA201: edge-optimized behind CloudFront
        ("security group opened to the internet", &[Weakened], &[Strengthened]),
        ("function URL auth NONE", &[Weakened], &[Strengthened]),
        ("open function URL created", &[Weakened], &[Strengthened]),
        ("web ACL rule set to count", &[Weakened], &[Strengthened]),
        ("stage created without a web ACL", &[Weakened], &[Strengthened]), // EA205: in no usage plan
        ("listener header value rotated", &[Weakened], &[Strengthened]),   // EA305: CloudFront refused
        ("execute-api endpoint enabled", &[Neutral], &[Neutral]),          // the API key still locks it
        ("stage loses its web ACL", &[Neutral], &[Neutral]),
        ("listener forwards by default", &[Neutral], &[Neutral]), // the web ACL still requires the header
        ("load balancer loses its web ACL", &[Neutral], &[Neutral]), // the listener rule still does
        ("web ACL default action allow", &[Neutral], &[Neutral]),
        ("origin secret rotated", &[Neutral], &[Neutral]), // nothing checks the API origin's header
        ("security group opened to another group", &[Neutral], &[Neutral]),
        ("HTTP API deleted", &[Neutral], &[Neutral]),
        ("API origin moved to the HTTP API", &[Neutral], &[Neutral]), // its execute-api endpoint is off too
    ];
    for (label, forward, backward) in expected {
        let (seen_forward, seen_backward) = &seen[label];
        assert_eq!(seen_forward.as_slice(), *forward, "{label}");
        assert_eq!(seen_backward.as_slice(), *backward, "{label} (undone)");
    }
}

/// The drift base made multi-tenant: its distribution serves one tenant that inherits the web ACL.
fn multi_tenant_base() -> Value {
    let mut inventory = base();
    let distribution = &mut account(&mut inventory)["distributions"][0];
    distribution["connection_mode"] = json!("tenant-only");
    let parent = distribution["id"].clone();
    account(&mut inventory)["distribution_tenants"] = json!([{
        "id": "dt_orders_eu", "arn": format!("arn:aws:cloudfront::{ACCT}:distribution-tenant/dt_orders_eu"),
        "name": "orders-eu", "distribution_id": parent, "domains": ["orders.eu.example.com"],
        "connection_group_id": "cg_1", "enabled": true}]);
    inventory
}

/// A tenant switching its web ACL to `disable` sends its traffic to the origins unfiltered: scan
/// reports EA101 on the tenant, and drift calls the change weakened (and undoing it
/// strengthened); an `override` with another ACL is a replacement both agree on.
#[test]
fn a_tenant_switching_to_disable_is_weakened_as_the_scans_differ() {
    let before = multi_tenant_base();
    let mut after = before.clone();
    account(&mut after)["distribution_tenants"][0]["web_acl"] = json!({"action": "disable"});
    let (before, after) = (inventory(&before), inventory(&after));
    let found = registry::run(&after, registry::all(), &CheckOptions::default()).findings;
    assert!(
        found.iter().any(|f| f.check_id == "EA101" && f.resource.id == "dt_orders_eu"),
        "scan reports the disabled tenant"
    );
    assert_eq!(
        agree("tenant disables its web ACL", &before, &after, ChangeType::WebAclRemoved),
        [Classification::Weakened]
    );
    assert_eq!(
        agree("tenant disables its web ACL (undone)", &after, &before, ChangeType::WebAclAssociated),
        [Classification::Strengthened]
    );
}

/// A tenant whose parameters now fill the templated origin in with another API has moved to
/// another backend: drift reports `origin_target_changed` on the tenant (the template did not
/// change), classified as the two scans differ in both directions.
#[test]
fn a_tenant_moved_to_another_backend_is_classified_as_the_scans_differ() {
    let mut before = multi_tenant_base();
    let origin = &mut account(&mut before)["distributions"][0]["origins"][0];
    origin["domain_name"] = json!("{{api}}.execute-api.eu-west-1.amazonaws.com");
    origin["kind"] = json!({"type": "custom"});
    account(&mut before)["distribution_tenants"][0]["parameters"] = json!({"api": "orders1234"});
    // A second REST API, open on its default endpoint, in both inventories: only the tenant's
    // parameters change.
    push(
        &mut account(&mut before)["rest_apis"],
        json!({"arn": "arn:aws:apigateway:eu-west-1::/restapis/open9999", "id": "open9999",
               "name": "legacy-api", "region": "eu-west-1", "endpoint_types": ["REGIONAL"],
               "resources": [{"id": "r9", "path": "/orders", "methods": [
                   {"http_method": "GET", "authorization_type": "NONE", "api_key_required": false}]}],
               "stages": [{"name": "prod"}]}),
    );
    let mut after = before.clone();
    account(&mut after)["distribution_tenants"][0]["parameters"] = json!({"api": "open9999"});
    let (before, after) = (inventory(&before), inventory(&after));
    let analysis =
        drift::analyse(&before, &after, registry::all(), &CheckOptions::default(), &BTreeMap::new());
    let moved: Vec<&drift::Change> =
        analysis.changes.iter().filter(|c| c.change_type == ChangeType::OriginTargetChanged).collect();
    assert_eq!(moved.len(), 1, "{:#?}", analysis.changes);
    assert_eq!(moved[0].resource.id, "dt_orders_eu");
    assert_eq!(moved[0].before["domain_name"], "orders1234.execute-api.eu-west-1.amazonaws.com");
    assert_eq!(moved[0].after["domain_name"], "open9999.execute-api.eu-west-1.amazonaws.com");
    assert!(moved[0].summary.contains("now reaches open9999.execute-api"), "{}", moved[0].summary);
    assert_eq!(
        agree("tenant moved to an open API", &before, &after, ChangeType::OriginTargetChanged),
        [Classification::Weakened]
    );
    assert_eq!(
        agree("tenant moved to an open API (undone)", &after, &before, ChangeType::OriginTargetChanged),
        [Classification::Strengthened]
    );
    // Parameters not read on one side: where the tenant went is unknown, so not compared.
    let mut unread = serde_json::to_value(&after).unwrap_or_default();
    remove(&mut account(&mut unread)["distribution_tenants"][0], "parameters");
    let unread = inventory(&unread);
    let analysis =
        drift::analyse(&before, &unread, registry::all(), &CheckOptions::default(), &BTreeMap::new());
    assert!(
        !analysis.changes.iter().any(|c| c.change_type == ChangeType::OriginTargetChanged),
        "{:#?}",
        analysis.changes
    );
    assert!(
        analysis.not_compared.iter().any(|n| n.reason.contains("tenant orders-eu (dt_orders_eu)")),
        "{:#?}",
        analysis.not_compared
    );
    // Through the binary: `drift --format json` names the change on the tenant, weakened.
    let dir = tempdir();
    let b = write(dir.path(), "before.json", &serde_json::to_string(&before).unwrap_or_default());
    let a = write(dir.path(), "after.json", &serde_json::to_string(&after).unwrap_or_default());
    let out = run(&["drift", "--baseline", path_str(&b), "--current", path_str(&a), "--format", "json"]);
    let report = json(&out.stdout);
    let change = report["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["change_type"] == "origin_target_changed")
        .unwrap_or_else(|| panic!("no origin_target_changed: {}\n{}", out.stdout, out.stderr));
    assert_eq!(change["classification"], "weakened", "{change}");
    assert_eq!(change["resource"]["id"], "dt_orders_eu", "{change}");
    // Scan says the same: the API the tenant now reaches is reachable around CloudFront.
    let found = registry::run(&after, registry::all(), &CheckOptions::default()).findings;
    assert!(
        found.iter().any(|f| f.check_id == "EA202"
            && f.resource.id == "open9999"
            && f.message.contains("E1ORDERS/dt_orders_eu/api")),
        "{found:#?}"
    );
}

fn change_type_reversed(change_type: ChangeType) -> ChangeType {
    use ChangeType as T;
    match change_type {
        T::WebAclRemoved => T::WebAclAssociated,
        T::OriginSecretRemoved => T::OriginSecretAdded,
        T::ExecuteApiEndpointEnabled => T::ExecuteApiEndpointDisabled,
        T::SgIngressOpened => T::SgIngressClosed,
        T::LambdaUrlCreated => T::LambdaUrlDeleted,
        T::LambdaUrlDeleted => T::LambdaUrlCreated,
        T::StageCreated => T::StageDeleted,
        T::RouteCreated => T::RouteDeleted,
        T::SecurityGroupCreated => T::SecurityGroupDeleted,
        T::ApiDeleted => T::ApiCreated,
        other => other,
    }
}

/// The case that made drift contradict scan: the ALB loses its web ACL and gains a forwarding
/// listener rule without a header condition. `scan` reports EA404 (high); `drift` must call both
/// changes weakened and `--fail-on high` must fail.
#[test]
fn alb_acl_removed_and_unconditioned_forward_rule_is_weakened_through_the_binary() {
    let before = base();
    let mut after = before.clone();
    let lb = &mut account(&mut after)["load_balancers"][0];
    remove(lb, "web_acl_arn");
    push(
        &mut lb["listeners"][0]["rules"],
        json!({"arn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener-rule/app/orders-alb/0123456789abcdef/aaaa/rule2",
               "priority": 2, "conditions": [{"type": "path_pattern", "values": ["/admin/*"]}],
               "actions": [{"type": "forward", "target_group_arns": [TG]}]}),
    );
    let dir = tempdir();
    let b = write(dir.path(), "before.json", &before.to_string());
    let a = write(dir.path(), "after.json", &after.to_string());
    let scan = run(&["scan", "--from", path_str(&a), "--format", "json", "--fail-on", "none"]);
    let scanned = json(&scan.stdout);
    let ids: Vec<&str> =
        scanned["findings"].as_array().into_iter().flatten().filter_map(|f| f["check_id"].as_str()).collect();
    assert!(ids.contains(&"EA404"), "scan: {ids:?}");
    let out = run(&[
        "drift",
        "--baseline",
        path_str(&b),
        "--current",
        path_str(&a),
        "--format",
        "json",
        "--fail-on",
        "high",
    ]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let report = json(&out.stdout);
    for change in report["changes"].as_array().into_iter().flatten() {
        assert_eq!(change["classification"], "weakened", "{change}");
    }
    let types: BTreeSet<&str> = report["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["change_type"].as_str())
        .collect();
    assert_eq!(types, BTreeSet::from(["listener_rules_changed", "web_acl_removed"]));
}

/// One change made alone: its label and how it is made.
type Change = (&'static str, fn(&mut Value));

/// A checks fixture (`checks/tests/fixtures/…`) as a drift base, read completely: every service
/// collected in every region, so that every check runs on both sides.
fn checks_fixture(path: &str) -> Value {
    let path = crate::support::root().join("checks/tests/fixtures").join(path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut inventory: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let regions: Vec<String> = account(&mut inventory)["regions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(String::from))
        .collect();
    let mut coverage: Vec<Value> = ["cloudfront", "wafv2-cloudfront", "shield"]
        .iter()
        .map(|service| json!({"region": "global", "service": service, "status": "collected"}))
        .collect();
    for region in &regions {
        for service in ["wafv2-regional", "apigateway", "apigatewayv2", "ec2", "elbv2", "lambda"] {
            coverage.push(json!({"region": region, "service": service, "status": "collected"}));
        }
    }
    account(&mut inventory)["coverage"] = Value::Array(coverage);
    inventory
}

/// Routing rules of an API Gateway custom domain are a header gate: a rule whose header value
/// no longer matches what CloudFront sends (CloudFront refused, EA305) and a rule that stops
/// checking the header at all are weakenings both drift and scan see; undone, strengthenings.
#[test]
fn routing_rule_changes_are_classified_as_the_scans_differ() {
    let base = || checks_fixture("checks/EA305/quiet/routing-rules-good.json");
    let changes: [Change; 2] = [
        ("routing rule header value rotated", |i| {
            account(i)["domain_names"][0]["routing_rules"][0]["conditions"][0]["match_headers"][0]
                ["literal"]["fingerprint"] = json!("sha256:2222222222222222")
        }),
        ("routing rule stops checking the header", |i| {
            account(i)["domain_names"][0]["routing_rules"][0]["conditions"] = json!([])
        }),
    ];
    for (label, mutate) in changes {
        let before = base();
        let mut after = before.clone();
        mutate(&mut after);
        let (before, after) = (inventory(&before), inventory(&after));
        assert_eq!(
            agree(label, &before, &after, ChangeType::RoutingRulesChanged),
            [Classification::Weakened],
            "{label}"
        );
        assert_eq!(
            agree(&format!("{label} (undone)"), &after, &before, ChangeType::RoutingRulesChanged),
            [Classification::Strengthened],
            "{label} (undone)"
        );
    }
}

/// An origin-request Lambda@Edge signer is what lets CloudFront through an AWS_IAM API: without
/// it CloudFront's requests are refused (EA305), so removing it is a weakening both drift and
/// scan see, and restoring it a strengthening.
#[test]
fn an_edge_signer_removed_is_weakened_as_the_scans_differ() {
    let before = checks_fixture("seed-sigv4-lambda-edge-good.json");
    let mut after = before.clone();
    account(&mut after)["distributions"][0]["default_behavior"]["lambda_function_associations"] = json!([]);
    let (before, after) = (inventory(&before), inventory(&after));
    assert_eq!(
        agree("edge signer removed", &before, &after, ChangeType::EdgeFunctionsChanged),
        [Classification::Weakened]
    );
    assert_eq!(
        agree("edge signer removed (undone)", &after, &before, ChangeType::EdgeFunctionsChanged),
        [Classification::Strengthened]
    );
}
