//! Templated origins of multi-tenant distributions: filled in per tenant (its parameters, else
//! the distribution's defaults) and judged as any origin, the tenant named; what cannot be
//! filled in is not evaluated, naming the parameter.

use super::locks::Unresolved;
use super::Perimeter;
use crate::index::Index;
use crate::inventory::*;
use crate::options::CheckOptions;
use crate::registry;
use crate::secret::SecretValue;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const SECRET_HEADER: &str = "x-origin-verify";
const SECRET_VALUE: &str = "4f1c1f6b1b7a4f1e9c3a8d2e7b6a5c4d";
const ACL_ARN: &str = "arn:aws:wafv2:eu-west-1:1:regional/webacl/gate/1";
const DISTRIBUTION: &str = "EMULTI";

fn secret() -> Value {
    serde_json::to_value(SecretValue::from_plaintext(SECRET_VALUE)).expect("a secret value serialises")
}

/// A REST API `id` with one open GET method on stage `prod`; behind the header-checking web
/// ACL when `gated`.
fn rest_api(id: &str, gated: bool) -> Value {
    let stage = if gated { json!({"name": "prod", "web_acl_arn": ACL_ARN}) } else { json!({"name": "prod"}) };
    json!({"id": id, "arn": format!("arn:aws:apigateway:eu-west-1::/restapis/{id}"), "name": id,
           "region": "eu-west-1", "endpoint_types": ["REGIONAL"], "stages": [stage],
           "resources": [{"id": "r", "path": "/items", "methods": [
               {"http_method": "GET", "authorization_type": "NONE", "api_key_required": false}]}]})
}

/// A web ACL that blocks every request without the distribution's secret header.
fn gate_acl() -> Value {
    json!({"arn": ACL_ARN, "name": "gate", "scope": "REGIONAL", "region": "eu-west-1", "default_action": "block",
           "rules": [{"name": "allow-cloudfront", "priority": 0, "action": "allow", "statement":
               {"type": "byte_match", "field": {"type": "single_header", "name": SECRET_HEADER},
                "positional_constraint": "EXACTLY", "search": secret(), "transformations": []}}]})
}

fn tenant(id: &str, parameters: Option<Value>) -> Value {
    let mut tenant = json!({"id": id, "arn": format!("arn:aws:cloudfront::1:distribution-tenant/{id}"),
                            "name": format!("shop-{id}"), "distribution_id": DISTRIBUTION,
                            "domains": [format!("{id}.example.com")], "enabled": true});
    if let Some(parameters) = parameters {
        tenant["parameters"] = parameters;
    }
    tenant
}

/// An account with one multi-tenant distribution whose origin `api` is
/// `{{api}}.execute-api.eu-west-1.amazonaws.com/{{stage}}`, APIs `gated` (behind the web ACL)
/// and `open`, and `tenants`. The distribution sends the secret header when `sends_secret`.
fn account(tenants: Vec<Value>, definitions: Option<Value>, sends_secret: bool) -> AccountInventory {
    let headers = if sends_secret { json!([{"name": SECRET_HEADER, "value": secret()}]) } else { json!([]) };
    let mut distribution = json!({
        "id": DISTRIBUTION, "arn": format!("arn:aws:cloudfront::1:distribution/{DISTRIBUTION}"),
        "domain_name": "emulti.cloudfront.net", "enabled": true, "connection_mode": "tenant-only",
        "origins": [{"id": "api", "domain_name": "{{api}}.execute-api.eu-west-1.amazonaws.com",
                     "origin_path": "/{{stage}}",
                     "custom": {"http_port": 80, "https_port": 443, "protocol_policy": "https-only",
                                "ssl_protocols": ["TLSv1.2"]},
                     "custom_headers": headers}],
        "default_behavior": {"target_origin_id": "api", "viewer_protocol_policy": "https-only",
                             "cache_policy_id": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}});
    if let Some(definitions) = definitions {
        distribution["tenant_parameters"] = definitions;
    }
    let mut coverage = vec![json!({"region": "global", "service": "cloudfront", "status": "collected"})];
    coverage.extend(
        ["apigateway", "apigatewayv2", "wafv2-regional", "ec2", "elbv2", "lambda"]
            .iter()
            .map(|s| json!({"region": "eu-west-1", "service": s, "status": "collected"})),
    );
    serde_json::from_value(json!({
        "account_id": "1", "partition": "aws", "regions": ["eu-west-1"], "coverage": coverage,
        "distributions": [distribution], "distribution_tenants": tenants,
        "rest_apis": [rest_api("gated", true), rest_api("open", false)], "web_acls": [gate_acl()]}))
    .expect("an account")
}

fn stage_default() -> Value {
    json!([{"name": "stage", "default_value": "prod", "required": false},
           {"name": "api", "default_value": null, "required": true}])
}

fn inventory_of(account: AccountInventory) -> Inventory {
    Inventory::new(vec![account])
}

fn origin_template() -> Origin {
    serde_json::from_value(json!({"id": "api", "domain_name": "{{api}}.execute-api.eu-west-1.amazonaws.com",
                                  "origin_path": "/{{ stage }}/v1/"}))
    .expect("an origin")
}

fn parameters(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
    Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

#[test]
fn substitution_fills_values_then_defaults_and_names_what_is_missing() {
    let template = origin_template();
    let definitions = vec![TenantParameterDefinition {
        name: "stage".into(),
        default_value: Some("prod".into()),
        required: false,
    }];
    let with = |parameters: Option<BTreeMap<String, String>>| DistributionTenant {
        id: "dt1".into(),
        name: "shop".into(),
        parameters,
        ..DistributionTenant::default()
    };

    // The tenant's own values win over the defaults; the origin path keeps no trailing slash and
    // the kind follows the filled-in domain.
    let filled = template
        .for_tenant(&with(parameters(&[("api", "abc123"), ("stage", "dev")])), Some(&definitions))
        .expect("filled in");
    assert_eq!(filled.domain_name, "abc123.execute-api.eu-west-1.amazonaws.com");
    assert_eq!(filled.origin_path, "/dev/v1");
    assert_eq!(
        filled.kind,
        crate::origin::OriginKind::ApiGateway { api_id: "abc123".into(), region: "eu-west-1".into() }
    );
    assert!(!filled.is_tenant_template());

    // No value: the distribution's default.
    let filled =
        template.for_tenant(&with(parameters(&[("api", "abc123")])), Some(&definitions)).expect("default");
    assert_eq!(filled.origin_path, "/prod/v1");

    // Neither a value nor a default: not filled in, naming the parameter.
    let why = template.for_tenant(&with(parameters(&[("stage", "dev")])), Some(&definitions)).unwrap_err();
    assert!(why.contains("`api`") && why.contains("no default"), "{why}");
    // Defaults not read: never assumed absent.
    let why = template.for_tenant(&with(parameters(&[("api", "abc123")])), None).unwrap_err();
    assert!(why.contains("`stage`") && why.contains("were not read"), "{why}");
    // The tenant's parameters not read.
    let why = template.for_tenant(&with(None), Some(&definitions)).unwrap_err();
    assert!(why.contains("GetDistributionTenant"), "{why}");
    // A value that is not a host label, or is a template itself, names no host.
    let why =
        template.for_tenant(&with(parameters(&[("api", "evil.com/x"), ("stage", "p")])), None).unwrap_err();
    assert!(why.contains("not a host name"), "{why}");
    let why = template.for_tenant(&with(parameters(&[("api", "{{x}}"), ("stage", "p")])), None).unwrap_err();
    assert!(why.contains("itself a template"), "{why}");
    // An unclosed placeholder.
    let broken = Origin { domain_name: "{{api.example.com".into(), ..Origin::default() };
    let why = broken.for_tenant(&with(parameters(&[("api", "a")])), None).unwrap_err();
    assert!(why.contains("unclosed"), "{why}");
}

#[test]
fn each_tenant_gets_its_own_lock_over_its_backend() {
    let account = account(
        vec![
            tenant("t-gated", Some(json!({"api": "gated"}))),
            tenant("t-open", Some(json!({"api": "open", "stage": "prod"}))),
            tenant("t-missing", Some(json!({}))),
            tenant("t-unread", None),
            json!({"id": "t-off", "arn": "arn:aws:cloudfront::1:distribution-tenant/t-off", "name": "off",
                   "distribution_id": DISTRIBUTION, "enabled": false, "parameters": {"api": "open"}}),
        ],
        Some(stage_default()),
        true,
    );
    let index = Index::build(&account);
    let options = CheckOptions::default();
    let perimeter = Perimeter::build(&account, &index, &options);
    let by_tenant: BTreeMap<&str, &super::Lock<'_>> =
        perimeter.locks.iter().filter_map(|l| l.tenant.map(|t| (t.id.as_str(), l))).collect();
    // One lock per enabled tenant, none for the template itself or the disabled tenant.
    assert_eq!(by_tenant.keys().copied().collect::<Vec<_>>(), ["t-gated", "t-missing", "t-open", "t-unread"]);
    assert_eq!(perimeter.locks.len(), 4);

    let gated = by_tenant["t-gated"];
    assert_eq!(gated.origin.domain_name, "gated.execute-api.eu-west-1.amazonaws.com");
    assert_eq!(gated.origin.origin_path, "/prod", "the default of `stage`");
    assert_eq!(gated.targets.len(), 1);
    assert!(gated.origin_locked(), "the gated stage checks the header the distribution sends");
    let open = by_tenant["t-open"];
    assert_eq!(open.targets.len(), 1);
    assert!(!open.origin_locked());
    for (id, parameter) in [("t-missing", "`api`"), ("t-unread", "GetDistributionTenant")] {
        let lock = by_tenant[id];
        assert!(lock.targets.is_empty(), "{id}");
        match &lock.unresolved {
            Some(Unresolved::TenantTemplate(why)) => assert!(why.contains(parameter), "{id}: {why}"),
            other => panic!("{id}: {other:?}"),
        }
    }
    // The backends see the tenants that reach them (their header guards read what those send).
    let stage = "arn:aws:apigateway:eu-west-1::/restapis/open";
    let reaching: Vec<String> = index.origins_reaching(stage).iter().map(|u| u.label()).collect();
    assert_eq!(reaching, [format!("{DISTRIBUTION}/t-open/api")]);
    assert!(
        index.reached_by_distribution(&format!("arn:aws:cloudfront::1:distribution/{DISTRIBUTION}")).len()
            == 2
    );
}

#[test]
fn an_unlocked_tenant_api_is_reported_naming_the_tenant_and_a_locked_one_is_quiet() {
    let inventory = inventory_of(account(
        vec![
            tenant("t-gated", Some(json!({"api": "gated"}))),
            tenant("t-open", Some(json!({"api": "open"}))),
        ],
        Some(stage_default()),
        true,
    ));
    let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
    let ea202: Vec<&crate::finding::Finding> =
        outcome.findings.iter().filter(|f| f.check_id == "EA202").collect();
    assert_eq!(ea202.len(), 1, "{ea202:#?}");
    assert!(ea202[0].resource.arn.ends_with("/restapis/open"), "{:?}", ea202[0].resource);
    assert!(ea202[0].message.contains("t-open"), "{}", ea202[0].message);
    assert!(
        !outcome.findings.iter().any(|f| f.resource.arn.contains("/restapis/gated")),
        "{:#?}",
        outcome.findings
    );
    // Nothing about these origins is left unjudged.
    assert!(
        !outcome.not_evaluated.iter().any(|n| n.reason.contains("template")),
        "{:#?}",
        outcome.not_evaluated
    );

    // Without the secret header, EA106 reports each tenant's origin on the tenant.
    let inventory = inventory_without_secret();
    let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
    let ea106: Vec<&crate::finding::Finding> =
        outcome.findings.iter().filter(|f| f.check_id == "EA106").collect();
    assert_eq!(ea106.len(), 1, "{ea106:#?}");
    assert_eq!(ea106[0].resource.arn, "arn:aws:cloudfront::1:distribution-tenant/t-open");
    assert!(
        ea106[0].message.starts_with("Tenant shop-t-open (t-open) of distribution EMULTI"),
        "{}",
        ea106[0].message
    );
    assert_eq!(ea106[0].evidence["origin_domain"], "open.execute-api.eu-west-1.amazonaws.com");
    assert_eq!(ea106[0].evidence["tenant_id"], "t-open");
    assert_eq!(ea106[0].evidence["origin_template"], "{{api}}.execute-api.eu-west-1.amazonaws.com/{{stage}}");
}

fn inventory_without_secret() -> Inventory {
    inventory_of(account(vec![tenant("t-open", Some(json!({"api": "open"})))], Some(stage_default()), false))
}

#[test]
fn what_cannot_be_filled_in_is_not_evaluated_never_passed() {
    // A missing parameter (the tenant sets no `api`, which has no default) while the
    // distribution sends a secret: EA106 cannot tell whether the backend checks it.
    let inventory =
        inventory_of(account(vec![tenant("t-missing", Some(json!({})))], Some(stage_default()), true));
    let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
    let entry = outcome
        .not_evaluated
        .iter()
        .find(|n| n.check_id == "EA106")
        .unwrap_or_else(|| panic!("{:#?}", outcome.not_evaluated));
    assert_eq!(entry.scope, "arn:aws:cloudfront::1:distribution-tenant/t-missing");
    assert!(entry.reason.contains("`api`") && entry.reason.contains("no default"), "{}", entry.reason);
    assert!(!entry.reason.contains(SECRET_VALUE));

    // No enabled tenant: the template reaches no backend, and says so.
    let inventory = inventory_of(account(vec![], Some(stage_default()), true));
    let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
    let entry = outcome
        .not_evaluated
        .iter()
        .find(|n| n.check_id == "EA106")
        .unwrap_or_else(|| panic!("{:#?}", outcome.not_evaluated));
    assert!(
        entry.reason.contains("no enabled tenant") && entry.reason.contains("reaches no backend"),
        "{}",
        entry.reason
    );
    assert!(!outcome.findings.iter().any(|f| f.check_id == "EA106"), "{:#?}", outcome.findings);

    // The tenant listing failed: the tenants are unknown, not absent.
    let mut account = account(vec![], Some(stage_default()), false);
    account.coverage.push(Coverage::failed(
        GLOBAL_REGION,
        Service::Cloudfront,
        "ListDistributionTenants",
        "AccessDenied",
    ));
    let outcome = registry::run(&inventory_of(account), registry::all(), &CheckOptions::default());
    let entry = outcome
        .not_evaluated
        .iter()
        .find(|n| n.check_id == "EA106" && n.reason.contains("tenants could not be read"))
        .unwrap_or_else(|| panic!("{:#?}", outcome.not_evaluated));
    assert!(entry.reason.contains("ListDistributionTenants failed"), "{}", entry.reason);
}

#[test]
fn origin_checks_that_read_the_origin_kind_see_the_tenants_filled_in_origins() {
    // The managed AllViewer origin request policy forwards the viewer's Host header: to an API
    // Gateway origin, only the tenant's filled-in origin says it is one (EA105).
    let mut account =
        account(vec![tenant("t-open", Some(json!({"api": "open"})))], Some(stage_default()), true);
    account.distributions[0].default_behavior.origin_request_policy_id =
        Some("216adef6-5c7f-47e4-b989-5492eafa07d3".into());
    let outcome = registry::run(&inventory_of(account), registry::all(), &CheckOptions::default());
    let ea105: Vec<&crate::finding::Finding> =
        outcome.findings.iter().filter(|f| f.check_id == "EA105").collect();
    assert_eq!(ea105.len(), 1, "{:#?}", outcome.findings);
    assert_eq!(ea105[0].resource.arn, "arn:aws:cloudfront::1:distribution-tenant/t-open");
    assert_eq!(ea105[0].evidence["tenant_name"], "shop-t-open");
}

#[test]
fn transport_cache_and_api_checks_judge_a_template_by_its_tenants_filled_in_origins() {
    // The template's own kind is custom and its behavior has no API path pattern: only the
    // tenant's filled-in origin (an execute-api domain of an edge-optimized API) says it is an
    // API. Plain HTTP to an API is high (EA103), caching it is EA104, and an edge-optimized API
    // behind CloudFront is EA201, on the tenant's version.
    let mut account =
        account(vec![tenant("t-open", Some(json!({"api": "open"})))], Some(stage_default()), true);
    if let Some(custom) = account.distributions[0].origins[0].custom.as_mut() {
        custom.protocol_policy = "http-only".into();
    }
    account.distributions[0].default_behavior.cache_policy_id =
        Some("658327ea-f89d-4fab-a63d-7e88639e58f6".into());
    account.rest_apis[1].endpoint_types = vec!["EDGE".into()];
    let outcome = registry::run(&inventory_of(account), registry::all(), &CheckOptions::default());
    let of = |id: &str| -> Vec<&crate::finding::Finding> {
        outcome.findings.iter().filter(|f| f.check_id == id).collect()
    };
    let ea103 = of("EA103");
    assert_eq!(ea103.len(), 1, "{:#?}", outcome.findings);
    assert_eq!(ea103[0].severity, crate::finding::Severity::High, "{:#?}", ea103[0]);
    assert_eq!(ea103[0].evidence["api_origin"], true);
    assert_eq!(ea103[0].evidence["tenants"][0]["tenant_id"], "t-open");
    assert_eq!(ea103[0].evidence["tenants"][0]["origin_kind"], "API Gateway");
    assert_eq!(of("EA104").len(), 1, "{:#?}", outcome.findings);
    let ea201 = of("EA201");
    assert_eq!(ea201.len(), 1, "{:#?}", outcome.findings);
    assert_eq!(ea201[0].resource.arn, "arn:aws:apigateway:eu-west-1::/restapis/open");
    assert_eq!(ea201[0].evidence["tenant_id"], "t-open");
    assert_eq!(ea201[0].detail, format!("{DISTRIBUTION}/t-open/api"));
}

#[test]
fn a_tenant_reaching_another_scanned_accounts_api_is_among_the_origins_reaching_it_there() {
    // Account 1's tenant fills the template in with API `remote`, which account 2 holds: account
    // 2's index lists the tenant among the origins reaching the API (its guards read what the
    // tenant sends), and the stage's finding there names it.
    let home = account(vec![tenant("t-remote", Some(json!({"api": "remote"})))], Some(stage_default()), true);
    let mut backend = account(vec![], None, false);
    backend.account_id = "2".into();
    backend.distributions.clear();
    backend.web_acls.clear();
    backend.rest_apis = vec![serde_json::from_value(rest_api("remote", false)).expect("an API")];
    let inventory = Inventory::new(vec![home, backend]);
    let indexes = crate::model::Indexes::build(&inventory);
    let options = CheckOptions::default();
    let model = crate::model::Model::build(&inventory, &indexes, &options);
    let there = model.account("2").expect("account 2");
    let reaching = there.index.origins_reaching("arn:aws:apigateway:eu-west-1::/restapis/remote");
    assert_eq!(reaching.len(), 1, "{reaching:#?}");
    assert_eq!(reaching[0].tenant.map(|t| t.id.as_str()), Some("t-remote"));
    assert_eq!(reaching[0].label(), format!("{DISTRIBUTION}/t-remote/api"));
    let outcome = registry::run_model(&model, registry::all(), None);
    let ea203: Vec<&crate::finding::Finding> =
        outcome.findings.iter().filter(|f| f.check_id == "EA203" && f.resource.account == "2").collect();
    assert_eq!(ea203.len(), 1, "{:#?}", outcome.findings);
    assert_eq!(ea203[0].evidence["origin_of"], json!([format!("{DISTRIBUTION}/t-remote/api")]));
    // The tenant's lock in account 1 is judged over account 2's API.
    let home = model.account("1").expect("account 1");
    let lock = home.perimeter.locks.iter().find(|l| l.tenant.is_some()).expect("the tenant's lock");
    assert_eq!(lock.backend_account.as_deref(), Some("2"));
}
