//! The live collectors against moto, seeded with the perimeters of `tests/moto/seed.py`: what the
//! seeder built (its manifest) must be what the inventory holds, every service must be collected
//! in both regions, and no secret value may reach the inventory.
//!
//! Each test starts its own moto server (no shared state, no process-wide environment changes):
//! the collector gets the endpoint through its configuration, as `AWS_ENDPOINT_URL` would give it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::aws_mock::{fast_retry, test_credentials};
use crate::support::moto::{secret_values, MotoServer, MOTO_ACCOUNT};
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use edge_audit::collect::{collect_with_config, CollectOptions, CollectSummary};
use edge_audit_checks::index::Index;
use edge_audit_checks::inventory::{
    AccountInventory, RuleCondition, Service, WafAction, WafScope, GLOBAL_REGION,
};
use edge_audit_checks::secret::SecretValue;
use edge_audit_checks::Inventory;
use serde_json::Value;
use std::time::Duration;

const REGIONS: [&str; 2] = ["eu-west-1", "us-east-1"];

const GOOD: [&str; 5] = [
    "apigw-ip-allowlist-good",
    "apigw-regional-waf-header-good",
    "apigw-api-key-good",
    "alb-prefix-list-header-good",
    "sigv4-lambda-edge-good",
];
const BAD: [&str; 5] = [
    "apigw-ip-allowlist-bad",
    "apigw-regional-waf-header-bad",
    "apigw-api-key-bad",
    "alb-prefix-list-header-bad",
    "sigv4-lambda-edge-bad",
];

/// The base configuration a test gives the collector: moto's endpoint and dummy credentials.
/// Two attempts only: moto answers 500 for some operations and retrying them changes nothing.
fn moto_config(endpoint: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(test_credentials())
        .endpoint_url(endpoint)
        .retry_config(fast_retry(2))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(Duration::from_secs(30))
                .operation_timeout(Duration::from_secs(90))
                .build(),
        )
        .build()
}

fn options(regions: &[&str]) -> CollectOptions {
    CollectOptions {
        regions: Some(regions.iter().map(|r| r.to_string()).collect()),
        ..CollectOptions::default()
    }
}

async fn collect_from(moto: &MotoServer, options: &CollectOptions) -> (Inventory, CollectSummary) {
    collect_with_config(options, moto_config(&moto.endpoint))
        .await
        .unwrap_or_else(|e| panic!("collection against moto failed: {e}"))
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_else(|| panic!("manifest entry without {key}: {value}"))
}

fn list<'a>(scenario: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    scenario[key].as_array().into_iter().flatten()
}

/// Every (region, service) of the run was read completely, except `gaps` (moto shortcomings,
/// which must then fail exactly as stated: fail closed, never as an empty result).
fn assert_fully_collected(account: &AccountInventory, gaps: &[(Service, &str, &str)]) {
    for (service, operation, error) in gaps {
        let failures: Vec<_> = account.failures(*service).collect();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert_eq!(failures[0].operation.as_deref(), Some(*operation));
        assert_eq!(failures[0].error.as_deref(), Some(*error));
    }
    for service in Service::ALL.into_iter().filter(|s| !gaps.iter().any(|g| g.0 == *s)) {
        for region in account.regions_of(service) {
            assert!(
                account.is_collected(&region, service),
                "{service} not collected in {region}: {:?}",
                account.coverage.iter().filter(|c| c.service == service).collect::<Vec<_>>()
            );
        }
    }
}

/// What the seeder says it built is what the collector found.
fn assert_matches_manifest(manifest: &Value, account: &AccountInventory) {
    let secrets = secret_values(manifest);
    let index = Index::build(account);
    for (name, scenario) in manifest["scenarios"].as_object().unwrap() {
        for expected in list(scenario, "distributions") {
            let id = str_of(expected, "id");
            let distribution = account
                .distributions
                .iter()
                .find(|d| d.id == id)
                .unwrap_or_else(|| panic!("{name}: distribution {id} not collected"));
            assert_eq!(distribution.arn, str_of(expected, "arn"));
            assert_eq!(distribution.domain_name, str_of(expected, "domain_name"));
            assert_eq!(distribution.web_acl_id.as_deref(), expected["web_acl_arn"].as_str(), "{name}: {id}");
            for (origin_id, domain) in expected["origins"].as_object().unwrap() {
                let origin = distribution
                    .origin(origin_id)
                    .unwrap_or_else(|| panic!("{name}: origin {origin_id} of {id} not collected"));
                assert_eq!(Some(origin.domain_name.as_str()), domain.as_str());
                assert_eq!(
                    origin.kind,
                    edge_audit_checks::origin::OriginKind::from_domain(&origin.domain_name)
                );
            }
        }
        for expected in list(scenario, "secret_headers") {
            let distribution =
                account.distributions.iter().find(|d| d.id == str_of(expected, "distribution_id")).unwrap();
            let origin = distribution.origin(str_of(expected, "origin_id")).unwrap();
            let header = origin
                .header(str_of(expected, "header"))
                .unwrap_or_else(|| panic!("{name}: header {expected} not collected"));
            // The fingerprint is that of one of the scenario's secrets.
            assert!(
                secrets.iter().any(|s| SecretValue::from_plaintext(s).same_value(&header.value)),
                "{name}: header {expected} has an unexpected fingerprint"
            );
        }
        for expected in list(scenario, "web_acls") {
            let arn = str_of(expected, "arn");
            let acl = account
                .web_acls
                .iter()
                .find(|a| a.arn == arn)
                .unwrap_or_else(|| panic!("{name}: web ACL {arn} not collected"));
            let scope = if str_of(expected, "scope") == "CLOUDFRONT" {
                WafScope::Cloudfront
            } else {
                WafScope::Regional
            };
            assert_eq!(acl.scope, scope);
            let region =
                if scope == WafScope::Cloudfront { GLOBAL_REGION } else { str_of(expected, "region") };
            assert_eq!(acl.region, region);
            let default = if str_of(expected, "default_action") == "Block" {
                WafAction::Block
            } else {
                WafAction::Allow
            };
            assert_eq!(acl.default_action, default, "{name}: {arn}");
            assert_eq!(acl.logging_enabled, expected["logging"].as_bool(), "{name}: logging of {arn}");
            assert!(!acl.rules.is_empty() || default == WafAction::Block, "{name}: {arn} has no rule");
            // Associations are derived from the resources' side (moto cannot list them).
            let users = index.web_acl_users(arn).cloned().unwrap_or_default();
            for resource in list(expected, "associated_to") {
                let resource = resource.as_str().unwrap();
                assert!(
                    users.contains(resource),
                    "{name}: {arn} should be associated with {resource}, has {users:?}"
                );
            }
        }
        for expected in list(scenario, "ip_sets") {
            let arn = str_of(expected, "arn");
            let set = account
                .ip_sets
                .iter()
                .find(|s| s.arn == arn)
                .unwrap_or_else(|| panic!("{name}: IP set {arn}"));
            let mut addresses: Vec<&str> = list(expected, "addresses").filter_map(Value::as_str).collect();
            addresses.sort();
            assert_eq!(set.addresses, addresses);
        }
        for expected in list(scenario, "rest_apis") {
            let id = str_of(expected, "id");
            let api = account
                .rest_apis
                .iter()
                .find(|a| a.id == id)
                .unwrap_or_else(|| panic!("{name}: REST API {id}"));
            assert_eq!(api.region, str_of(expected, "region"));
            assert_eq!(api.endpoint_types, [str_of(expected, "endpoint_type")]);
            assert_eq!(api.api_key_source.as_deref(), expected["api_key_source"].as_str());
            assert!(api.stage(str_of(expected, "stage")).is_some(), "{name}: stage of {id}");
            for route in list(expected, "routes") {
                let (path, method) = (str_of(route, "path"), str_of(route, "method"));
                let found = api
                    .methods()
                    .find(|(p, m)| *p == path && m.http_method == method)
                    .unwrap_or_else(|| panic!("{name}: {method} {path} of {id} not collected"));
                assert_eq!(found.1.authorization_type, str_of(route, "auth"), "{name}: {method} {path}");
                assert_eq!(
                    Some(found.1.api_key_required),
                    route["key_required"].as_bool(),
                    "{name}: {method} {path}"
                );
            }
        }
        for expected in list(scenario, "http_apis") {
            let id = str_of(expected, "id");
            let api = account
                .http_apis
                .iter()
                .find(|a| a.id == id)
                .unwrap_or_else(|| panic!("{name}: HTTP API {id}"));
            assert_eq!(api.api_endpoint, str_of(expected, "endpoint"));
            for (route_key, auth) in expected["routes"].as_object().unwrap() {
                let route = api.routes.iter().find(|r| &r.route_key == route_key).unwrap();
                assert_eq!(Some(route.authorization_type.as_str()), auth.as_str(), "{name}: {route_key}");
            }
        }
        for expected in list(scenario, "api_keys") {
            let id = str_of(expected, "id");
            let key = account
                .api_keys
                .iter()
                .find(|k| k.id == id)
                .unwrap_or_else(|| panic!("{name}: API key {id}"));
            assert!(key.value.is_some(), "{name}: the value of key {id} was not fingerprinted");
        }
        for expected in list(scenario, "usage_plans") {
            let id = str_of(expected, "id");
            let plan = account
                .usage_plans
                .iter()
                .find(|p| p.id == id)
                .unwrap_or_else(|| panic!("{name}: plan {id}"));
            assert!(plan
                .api_stages
                .iter()
                .any(|s| s.api_id == str_of(expected, "api_id") && s.stage == str_of(expected, "stage")));
            assert!(
                plan.api_key_ids.iter().any(|k| k == str_of(expected, "key_id")),
                "{name}: keys of plan {id}"
            );
        }
        for expected in list(scenario, "lambda_functions") {
            let arn = str_of(expected, "arn");
            let function = account
                .lambda_functions
                .iter()
                .find(|f| f.arn == arn)
                .unwrap_or_else(|| panic!("{name}: {arn}"));
            match expected["url"].as_str() {
                Some(url) => {
                    let collected = function.url.as_ref().unwrap_or_else(|| panic!("{name}: URL of {arn}"));
                    assert_eq!(collected.url.trim_end_matches('/'), url.trim_end_matches('/'));
                    assert_eq!(Some(collected.auth_type.as_str()), expected["url_auth"].as_str());
                }
                None => assert_eq!(function.url, None, "{name}: {arn} has no URL"),
            }
        }
        for expected in list(scenario, "load_balancers") {
            let arn = str_of(expected, "arn");
            let lb = account
                .load_balancers
                .iter()
                .find(|l| l.arn == arn)
                .unwrap_or_else(|| panic!("{name}: {arn}"));
            assert_eq!(lb.dns_name, str_of(expected, "dns_name"));
            assert!(lb.security_groups.iter().any(|sg| sg == str_of(expected, "security_group")));
            let listener = lb.listeners.iter().find(|l| l.arn == str_of(expected, "listener_arn")).unwrap();
            assert_eq!(listener.protocol, str_of(expected, "protocol"));
            for rule_arn in list(expected, "rule_arns") {
                let rule = listener.rules.iter().find(|r| Some(r.arn.as_str()) == rule_arn.as_str()).unwrap();
                for condition in &rule.conditions {
                    if let RuleCondition::HttpHeader { values, .. } = condition {
                        assert!(values
                            .iter()
                            .all(|v| secrets.iter().any(|s| SecretValue::from_plaintext(s).same_value(v))));
                    }
                }
            }
            let target_group =
                account.target_groups.iter().find(|t| t.arn == str_of(expected, "target_group_arn")).unwrap();
            for target in list(expected, "targets") {
                assert!(
                    target_group.targets.iter().any(|t| Some(t.id.as_str()) == target.as_str()),
                    "{name}: {target}"
                );
            }
        }
        for expected in list(scenario, "security_groups") {
            let id = str_of(expected, "id");
            assert!(account.security_groups.iter().any(|sg| sg.id == id), "{name}: security group {id}");
        }
        for expected in list(scenario, "instances") {
            for id in list(expected, "ids") {
                let instance = account.instances.iter().find(|i| Some(i.id.as_str()) == id.as_str()).unwrap();
                assert!(instance.security_groups.iter().any(|sg| sg == str_of(expected, "security_group")));
            }
        }
        for expected in list(scenario, "shield_protections") {
            match &account.shield {
                Some(shield) => {
                    assert!(shield
                        .protections
                        .iter()
                        .any(|p| p.resource_arn == str_of(expected, "resource_arn")))
                }
                // Not read (a moto gap): then nothing may pretend to know the protections.
                None => assert!(!account.is_collected(GLOBAL_REGION, Service::Shield)),
            }
        }
        if let Some(prefix_list) = scenario["cloudfront_prefix_list_id"].as_str() {
            let collected = account.prefix_lists.iter().find(|p| p.id == prefix_list).unwrap();
            assert_eq!(collected.name, "com.amazonaws.global.cloudfront.origin-facing");
        }
    }
}

fn assert_no_secret_in(inventory: &Inventory, manifest: &Value) {
    let json = serde_json::to_string(inventory).unwrap();
    let secrets = secret_values(manifest);
    assert!(!secrets.is_empty(), "the scenarios declare their secrets");
    for secret in secrets {
        assert!(!json.contains(&secret), "a secret value from the manifest is in the inventory");
    }
}

async fn audit_scenarios(scenarios: &[&str], gaps: &[(Service, &str, &str)]) {
    let Some(moto) = MotoServer::start_or_skip() else { return };
    moto.reset();
    let manifest = moto.seed(scenarios);
    let (inventory, summary) = collect_from(&moto, &options(&REGIONS)).await;
    assert_eq!(inventory.accounts.len(), 1);
    let account = &inventory.accounts[0];
    assert_eq!(account.account_id, MOTO_ACCOUNT);
    assert_eq!(account.regions, REGIONS);
    assert_fully_collected(account, gaps);
    assert_matches_manifest(&manifest, account);
    assert_no_secret_in(&inventory, &manifest);
    assert_eq!((summary.accounts, summary.regions, summary.coverage_failures), (1, 2, gaps.len()));
    assert!(summary.resources > 20 && summary.api_calls > 40, "{summary:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_good_perimeters_are_collected_as_seeded() {
    // moto's DescribeSubscription answers StartTime as "21/11/2026, 06:06:35", which no AWS SDK
    // parses: Shield Advanced must then be "not collected", never "not subscribed".
    let shield_gap = (Service::Shield, "DescribeSubscription", "the answer could not be parsed (HTTP 200)");
    audit_scenarios(&GOOD, &[shield_gap]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_bad_perimeters_are_collected_as_seeded() {
    audit_scenarios(&BAD, &[]).await;
}

/// `--account` for another account assumes `EdgeAuditReadOnly` there (moto's STS hands out
/// credentials of any account), and each account is audited with its own identity.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_other_accounts_are_audited_through_the_role() {
    let Some(moto) = MotoServer::start_or_skip() else { return };
    moto.reset();
    let manifest = moto.seed(&["apigw-api-key-bad"]);
    const OTHER: &str = "210987654321";
    let options = CollectOptions {
        accounts: vec![OTHER.to_string(), MOTO_ACCOUNT.to_string()],
        external_id: Some("edge-audit-test".into()),
        ..options(&["us-east-1"])
    };
    let (inventory, summary) = collect_from(&moto, &options).await;
    let ids: Vec<&str> = inventory.accounts.iter().map(|a| a.account_id.as_str()).collect();
    assert_eq!(ids, [MOTO_ACCOUNT, OTHER]);
    assert_eq!(summary.accounts, 2);
    for account in &inventory.accounts {
        assert_fully_collected(account, &[]);
    }
    // The seeded resources are in the caller's account only.
    assert_matches_manifest(&manifest, &inventory.accounts[0]);
    let other = &inventory.accounts[1];
    assert!(other.distributions.is_empty() && other.rest_apis.is_empty(), "{other:?}");
}

/// `--org` audits every active account of the organization: the caller's own with its own
/// credentials, the others through the role.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_org_audits_every_active_account() {
    use aws_sdk_organizations::types::OrganizationFeatureSet;
    let Some(moto) = MotoServer::start_or_skip() else { return };
    moto.reset();
    // Test setup writes to moto through the SDK; the collector itself only reads.
    let organizations = aws_sdk_organizations::Client::new(&moto_config(&moto.endpoint));
    organizations.create_organization().feature_set(OrganizationFeatureSet::All).send().await.unwrap();
    let created = organizations
        .create_account()
        .email("member@example.com")
        .account_name("member")
        .send()
        .await
        .unwrap();
    let member = created.create_account_status().and_then(|s| s.account_id()).unwrap().to_string();

    let options = CollectOptions { org: true, ..options(&["us-east-1"]) };
    let (inventory, summary) = collect_from(&moto, &options).await;
    let mut expected = vec![MOTO_ACCOUNT.to_string(), member];
    expected.sort();
    let ids: Vec<String> = inventory.accounts.iter().map(|a| a.account_id.clone()).collect();
    assert_eq!(ids, expected);
    assert_eq!(summary.accounts, 2);
    for account in &inventory.accounts {
        assert_fully_collected(account, &[]);
    }
}
