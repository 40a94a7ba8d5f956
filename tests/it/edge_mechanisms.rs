//! The collectors of the 2024–2026 edge mechanisms against recorded AWS answers
//! (aws-smithy-mocks, shaped as in the AWS API references, parsed by the real SDK
//! deserializers): API Gateway custom-domain routing rules (GetDomainNames' routingMode,
//! apigatewayv2 ListRoutingRules, paginated), CloudFront multi-tenant distributions
//! (ConnectionMode, ListDistributionTenants, paginated) and Lambda@Edge / CloudFront Functions
//! associations (which moto drops). AccessDenied on each new operation is a coverage gap, never
//! an empty answer; and the inventory built from the answers is judged end to end.
// A panic is how a test reports a broken expectation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::aws_mock::{self, http, mocked_clients, ACCOUNT, REGION};
use aws_smithy_mocks::{mock, Rule};
use edge_audit::collect::collect_account;
use edge_audit_checks::inventory::{
    AccountInventory, CoverageStatus, GlobWildcard, Inventory, Service, TenantAcl, GLOBAL_REGION,
};
use edge_audit_checks::secret::SecretValue;
use edge_audit_checks::{registry, CheckOptions};

/// The value CloudFront sends and the routing rule requires.
const ROUTING_SECRET: &str = "Rr7KpV2mXq9TzL4wNc8HbJ3sDf6Gy1Ue";
const DOMAIN: &str = "api.example.com";
const API_ID: &str = "a1b2c3d4e5";

async fn collect(rules: Vec<Rule>) -> AccountInventory {
    let (clients, _stats) = mocked_clients(rules);
    collect_account(&clients, &aws_mock::scope(), 4).await
}

fn failures(account: &AccountInventory) -> Vec<String> {
    account.coverage.iter().filter(|c| c.status == CoverageStatus::Failed).map(|c| c.reason()).collect()
}

fn json_response(body: String) -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    http(200, &[("content-type", "application/json")], body)
}

fn access_denied_json() -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    http(
        403,
        &[("content-type", "application/json"), ("x-amzn-errortype", "AccessDeniedException")],
        r#"{"message":"User is not authorized to perform: apigateway:GET"}"#,
    )
}

fn access_denied_xml() -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    http(
        403,
        &[("content-type", "text/xml")],
        "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
         <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: \
         cloudfront:ListDistributionTenants</Message></Error><RequestId>r</RequestId></ErrorResponse>",
    )
}

// ---------------------------------------------------------------------------------------------
// API Gateway routing rules

/// GetDomainNames (API Gateway v1, JSON): one regional domain in `mode` (v1 spelling:
/// `BASE_PATH_MAPPING_ONLY`, `ROUTING_RULE_ONLY`, `ROUTING_RULE_THEN_BASE_PATH_MAPPING`).
fn domain_names(mode: &str) -> Rule {
    let body = format!(
        r#"{{"item":[{{"domainName":"{DOMAIN}","domainNameId":"abc123","domainNameArn":"arn:aws:apigateway:{REGION}::/domainnames/{DOMAIN}","regionalDomainName":"d-abc123.execute-api.{REGION}.amazonaws.com","endpointConfiguration":{{"types":["REGIONAL"]}},"domainNameStatus":"AVAILABLE","securityPolicy":"TLS_1_2","routingMode":"{mode}"}}]}}"#
    );
    mock!(aws_sdk_apigateway::Client::get_domain_names)
        .then_http_response(move || json_response(body.clone()))
}

/// One ListRoutingRules rule (apigatewayv2, JSON) matching `header` against `glob`.
fn routing_rule_json(id: &str, priority: i32, header: &str, glob: &str, stage: &str) -> String {
    format!(
        r#"{{"actions":[{{"invokeApi":{{"apiId":"{API_ID}","stage":"{stage}","stripBasePath":false}}}}],"conditions":[{{"matchHeaders":{{"anyOf":[{{"header":"{header}","valueGlob":"{glob}"}}]}}}},{{"matchBasePaths":{{"anyOf":["orders"]}}}}],"priority":{priority},"routingRuleArn":"arn:aws:apigateway:{REGION}:{ACCOUNT}:/domainnames/{DOMAIN}+abc123/routingrules/{id}","routingRuleId":"{id}"}}"#
    )
}

/// ListRoutingRules in two pages.
fn routing_rule_pages() -> Vec<Rule> {
    let first = format!(
        r#"{{"nextToken":"page-2","routingRules":[{}]}}"#,
        routing_rule_json("rule1", 10, "X-Origin-Verify", ROUTING_SECRET, "prod")
    );
    let second = format!(
        r#"{{"routingRules":[{}]}}"#,
        routing_rule_json("rule2", 20, "x-tenant", &format!("{}*", &ROUTING_SECRET[..20]), "prod")
    );
    vec![
        mock!(aws_sdk_apigatewayv2::Client::list_routing_rules)
            .match_requests(|r| r.next_token().is_none() && r.domain_name() == Some(DOMAIN))
            .then_http_response(move || json_response(first.clone())),
        mock!(aws_sdk_apigatewayv2::Client::list_routing_rules)
            .match_requests(|r| r.next_token() == Some("page-2"))
            .then_http_response(move || json_response(second.clone())),
    ]
}

#[tokio::test]
async fn routing_rules_are_read_on_every_page_with_globs_as_fingerprints() {
    let mut rules = vec![domain_names("ROUTING_RULE_ONLY")];
    rules.extend(routing_rule_pages());
    let account = collect(rules).await;
    assert!(failures(&account).is_empty(), "{:?}", failures(&account));
    assert!(account.is_collected(REGION, Service::Apigateway));
    let domain = account.domain_names.iter().find(|d| d.name == DOMAIN).expect("the domain");
    assert_eq!(domain.routing_mode.as_deref(), Some("ROUTING_RULE_ONLY"));
    let ids: Vec<&str> = domain.routing_rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["rule1", "rule2"], "both pages, in priority order");
    let first = &domain.routing_rules[0];
    assert_eq!(first.priority, 10);
    let action = first.action.as_ref().expect("an InvokeApi action");
    assert_eq!((action.api_id.as_str(), action.stage.as_str()), (API_ID, "prod"));
    assert_eq!(first.conditions[1].match_base_paths, ["orders"]);
    let glob = &first.conditions[0].match_headers[0];
    assert_eq!(glob.header, "X-Origin-Verify");
    assert_eq!(glob.wildcard, GlobWildcard::None);
    assert!(glob.literal.same_value(&SecretValue::from_plaintext(ROUTING_SECRET)));
    let prefix = &domain.routing_rules[1].conditions[0].match_headers[0];
    assert_eq!((prefix.wildcard, prefix.literal.length), (GlobWildcard::Prefix, 20));
    let text = serde_json::to_string(&Inventory::new(vec![account.clone()])).expect("serialises");
    assert!(!text.contains(ROUTING_SECRET) && !text.contains(&ROUTING_SECRET[..20]), "a glob leaked");
}

#[tokio::test]
async fn api_mapping_only_domains_are_not_asked_for_routing_rules() {
    // No ListRoutingRules rule beyond the empty default: a call would be answered but counted.
    let (clients, stats) = mocked_clients(vec![domain_names("BASE_PATH_MAPPING_ONLY")]);
    let account = collect_account(&clients, &aws_mock::scope(), 4).await;
    assert!(failures(&account).is_empty(), "{:?}", failures(&account));
    let calls: u64 = stats
        .snapshot()
        .into_iter()
        .filter(|((_, op), _)| op == "ListRoutingRules")
        .map(|(_, s)| s.calls)
        .sum();
    assert_eq!(calls, 0);
    assert!(account.domain_names.iter().all(|d| d.routing_rules.is_empty()));
}

#[tokio::test]
async fn unreadable_routing_rules_are_a_gap_naming_the_domain() {
    let rules = vec![
        domain_names("ROUTING_RULE_THEN_BASE_PATH_MAPPING"),
        mock!(aws_sdk_apigatewayv2::Client::list_routing_rules).then_http_response(access_denied_json),
    ];
    let account = collect(rules).await;
    assert!(
        !account.is_collected(REGION, Service::Apigateway),
        "a domain with unread rules is no complete read"
    );
    let failed = failures(&account);
    assert!(
        failed
            .iter()
            .any(|f| f.contains("ListRoutingRules") && f.contains(DOMAIN) && f.contains("AccessDenied")),
        "{failed:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// CloudFront: multi-tenant distributions and edge code

fn multi_tenant_distribution_xml(id: &str, acl: &str) -> String {
    let api = format!("{API_ID}.execute-api.{REGION}.amazonaws.com");
    format!(
        "<DistributionSummary><Id>{id}</Id><ARN>arn:aws:cloudfront::{ACCOUNT}:distribution/{id}</ARN>\
         <Status>Deployed</Status><DomainName>{id}.cloudfront.net</DomainName>\
         <Aliases><Quantity>0</Quantity></Aliases>\
         <Origins><Quantity>1</Quantity><Items><Origin><Id>api</Id><DomainName>{api}</DomainName><OriginPath>/prod</OriginPath>\
         <CustomHeaders><Quantity>0</Quantity></CustomHeaders>\
         <CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>https-only</OriginProtocolPolicy>\
         <OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>\
         </CustomOriginConfig></Origin></Items></Origins>\
         <DefaultCacheBehavior><TargetOriginId>api</TargetOriginId><ViewerProtocolPolicy>https-only</ViewerProtocolPolicy>\
         <AllowedMethods><Quantity>2</Quantity><Items><Method>GET</Method><Method>HEAD</Method></Items></AllowedMethods>\
         <CachePolicyId>4135ea2d-6df8-44a3-9df3-4b5a84be39ad</CachePolicyId>\
         <LambdaFunctionAssociations><Quantity>1</Quantity><Items><LambdaFunctionAssociation>\
         <LambdaFunctionARN>arn:aws:lambda:us-east-1:{ACCOUNT}:function:sigv4-signer:7</LambdaFunctionARN>\
         <EventType>origin-request</EventType><IncludeBody>false</IncludeBody></LambdaFunctionAssociation></Items></LambdaFunctionAssociations>\
         <FunctionAssociations><Quantity>1</Quantity><Items><FunctionAssociation>\
         <FunctionARN>arn:aws:cloudfront::{ACCOUNT}:function/rewrite</FunctionARN><EventType>viewer-request</EventType>\
         </FunctionAssociation></Items></FunctionAssociations>\
         </DefaultCacheBehavior>\
         <CacheBehaviors><Quantity>0</Quantity></CacheBehaviors>\
         <Comment>saas</Comment><PriceClass>PriceClass_All</PriceClass><Enabled>true</Enabled>\
         <ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate>\
         <MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion></ViewerCertificate>\
         <WebACLId>{acl}</WebACLId><HttpVersion>http2</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled>\
         <Staging>false</Staging><ConnectionMode>tenant-only</ConnectionMode></DistributionSummary>"
    )
}

fn distributions(items: &[String]) -> Rule {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <DistributionList xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
         <Marker></Marker><MaxItems>100</MaxItems><IsTruncated>false</IsTruncated><Quantity>{}</Quantity>\
         <Items>{}</Items></DistributionList>",
        items.len(),
        items.concat()
    );
    mock!(aws_sdk_cloudfront::Client::list_distributions)
        .then_http_response(move || http(200, &[("content-type", "text/xml")], body.clone()))
}

const EDGE_ACL: &str =
    "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/11111111-1111-1111-1111-111111111111";
const TENANT_ACL: &str =
    "arn:aws:wafv2:us-east-1:123456789012:global/webacl/tenant-b/22222222-2222-2222-2222-222222222222";

fn tenant_xml(
    id: &str,
    distribution: &str,
    domains: &[&str],
    web_acl: Option<(&str, Option<&str>)>,
) -> String {
    let domains: String = domains
        .iter()
        .map(|d| format!("<member><Domain>{d}</Domain><Status>active</Status></member>"))
        .collect();
    let customizations = web_acl
        .map(|(action, arn)| {
            let arn = arn.map(|a| format!("<Arn>{a}</Arn>")).unwrap_or_default();
            format!("<Customizations><WebAcl><Action>{action}</Action>{arn}</WebAcl></Customizations>")
        })
        .unwrap_or_default();
    format!(
        "<DistributionTenantSummary><Id>{id}</Id><DistributionId>{distribution}</DistributionId><Name>{id}-name</Name>\
         <Arn>arn:aws:cloudfront::{ACCOUNT}:distribution-tenant/{id}</Arn><Domains>{domains}</Domains>\
         <ConnectionGroupId>cg_1</ConnectionGroupId>{customizations}\
         <CreatedTime>2026-01-01T00:00:00Z</CreatedTime><LastModifiedTime>2026-01-01T00:00:00Z</LastModifiedTime>\
         <ETag>E1</ETag><Enabled>true</Enabled><Status>Deployed</Status></DistributionTenantSummary>"
    )
}

fn tenant_page(items: &[String], next: Option<&str>) -> String {
    let next = next.map(|m| format!("<NextMarker>{m}</NextMarker>")).unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <ListDistributionTenantsResult xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">{next}\
         <DistributionTenantList>{}</DistributionTenantList></ListDistributionTenantsResult>",
        items.concat()
    )
}

/// Two pages of tenants of `E1SAAS`: one inheriting, one overriding, one disabling the ACL.
fn tenant_pages() -> Vec<Rule> {
    let first = tenant_page(
        &[
            tenant_xml("dt_inherit", "E1SAAS", &["A.shop.example.com"], None),
            tenant_xml(
                "dt_override",
                "E1SAAS",
                &["b.shop.example.com"],
                Some(("override", Some(TENANT_ACL))),
            ),
        ],
        Some("tenants-2"),
    );
    let second = tenant_page(
        &[tenant_xml(
            "dt_disable",
            "E1SAAS",
            &["c.shop.example.com", "www.c.shop.example.com"],
            Some(("disable", None)),
        )],
        None,
    );
    vec![
        mock!(aws_sdk_cloudfront::Client::list_distribution_tenants)
            .match_requests(|r| r.marker().is_none())
            .then_http_response(move || http(200, &[("content-type", "text/xml")], first.clone())),
        mock!(aws_sdk_cloudfront::Client::list_distribution_tenants)
            .match_requests(|r| r.marker() == Some("tenants-2"))
            .then_http_response(move || http(200, &[("content-type", "text/xml")], second.clone())),
    ]
}

#[tokio::test]
async fn tenants_of_multi_tenant_distributions_are_read_on_every_page() {
    let mut rules = vec![distributions(&[multi_tenant_distribution_xml("E1SAAS", EDGE_ACL)])];
    rules.extend(tenant_pages());
    let account = collect(rules).await;
    assert!(failures(&account).is_empty(), "{:?}", failures(&account));
    assert!(account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    let distribution = &account.distributions[0];
    assert!(distribution.is_multi_tenant());
    let ids: Vec<&str> = account.distribution_tenants.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["dt_disable", "dt_inherit", "dt_override"]);
    let acl_of = |id: &str| {
        account.distribution_tenants.iter().find(|t| t.id == id).map(|t| t.effective_acl(distribution))
    };
    assert_eq!(acl_of("dt_inherit"), Some(TenantAcl::Inherited(Some(EDGE_ACL))));
    assert_eq!(acl_of("dt_override"), Some(TenantAcl::Override(TENANT_ACL)));
    assert_eq!(acl_of("dt_disable"), Some(TenantAcl::Disabled));
    let inherit = account.distribution_tenants.iter().find(|t| t.id == "dt_inherit").expect("tenant");
    assert_eq!(inherit.domains, ["a.shop.example.com"]);
    assert_eq!(inherit.connection_group_id.as_deref(), Some("cg_1"));
    // The edge code associations moto drops, from the recorded answer.
    let behavior = &distribution.default_behavior;
    assert_eq!(behavior.lambda_function_associations[0].event_type, "origin-request");
    assert!(behavior.lambda_function_associations[0].function_arn.ends_with("function:sigv4-signer:7"));
    assert_eq!(behavior.function_associations[0].event_type, "viewer-request");

    // Judged: the disabled tenant is EA101 naming its domains; the others are not.
    let inventory = Inventory::new(vec![account]);
    let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
    let ea101: Vec<_> = outcome.findings.iter().filter(|f| f.check_id == "EA101").collect();
    assert_eq!(ea101.len(), 1, "{ea101:?}");
    assert_eq!(ea101[0].resource.resource_type, "cloudfront/distribution-tenant");
    assert!(ea101[0].message.contains("c.shop.example.com, www.c.shop.example.com"), "{}", ea101[0].message);
}

#[tokio::test]
async fn distributions_without_tenants_are_not_asked_for_tenants() {
    let xml = multi_tenant_distribution_xml("E1DIRECT", EDGE_ACL)
        .replace("<ConnectionMode>tenant-only</ConnectionMode>", "<ConnectionMode>direct</ConnectionMode>");
    let (clients, stats) = mocked_clients(vec![distributions(&[xml])]);
    let account = collect_account(&clients, &aws_mock::scope(), 4).await;
    assert!(failures(&account).is_empty(), "{:?}", failures(&account));
    let calls: u64 = stats
        .snapshot()
        .into_iter()
        .filter(|((_, op), _)| op == "ListDistributionTenants")
        .map(|(_, s)| s.calls)
        .sum();
    assert_eq!(calls, 0);
}

#[tokio::test]
async fn unreadable_tenants_leave_cloudfront_not_collected() {
    let rules = vec![
        distributions(&[multi_tenant_distribution_xml("E1SAAS", "")]),
        mock!(aws_sdk_cloudfront::Client::list_distribution_tenants).then_http_response(access_denied_xml),
    ];
    let account = collect(rules).await;
    assert!(!account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    let failed = failures(&account);
    assert!(
        failed.iter().any(|f| f.contains("ListDistributionTenants") && f.contains("AccessDenied")),
        "{failed:?}"
    );
    // Fail closed: the checks that read distributions are not evaluated, not passed.
    let outcome = registry::run(&Inventory::new(vec![account]), registry::all(), &CheckOptions::default());
    assert!(outcome.not_evaluated.iter().any(|n| n.check_id == "EA101"), "{:?}", outcome.not_evaluated);
}

// ---------------------------------------------------------------------------------------------
// Through the real binary, on the inventories of the per-check fixtures

/// A per-check fixture as a complete inventory file: the fixtures leave out coverage (the checks'
/// loader reads them as "every service read"), the binary needs it spelt out.
struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

impl std::ops::Deref for Fixture {
    type Target = std::path::Path;

    fn deref(&self) -> &std::path::Path {
        &self.path
    }
}

fn checks_fixture(path: &str) -> Fixture {
    let source = crate::support::root().join("checks/tests/fixtures").join(path);
    let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let mut inventory: Inventory = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    for account in &mut inventory.accounts {
        if account.coverage.is_empty() {
            for service in Service::ALL {
                for region in account.regions_of(service) {
                    account.coverage.push(edge_audit_checks::inventory::Coverage::collected(region, service));
                }
            }
        }
    }
    inventory.normalize();
    let dir = crate::support::tempdir();
    let file =
        crate::support::write(dir.path(), "inventory.json", &serde_json::to_string(&inventory).unwrap());
    Fixture { _dir: dir, path: file }
}

fn scan_json(input: &std::path::Path) -> serde_json::Value {
    // Exit 1 is "findings at or above --fail-on": none here.
    let out = crate::support::run(&[
        "scan",
        "--from",
        crate::support::path_str(input),
        "--format",
        "json",
        "--fail-on",
        "none",
    ]);
    assert!(out.code == 0 || out.code == 3, "exit {}: {}", out.code, out.stderr);
    crate::support::json(&out.stdout)
}

fn findings_at_least_medium(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| matches!(f["severity"].as_str(), Some("medium" | "high" | "critical")))
        .map(|f| format!("{} {}", f["check_id"], f["message"]))
        .collect()
}

#[test]
fn a_disabled_tenant_is_named_in_every_report_format() {
    let input = checks_fixture("checks/EA101/fires/tenant-bad.json");
    for format in ["table", "json", "sarif", "markdown", "ocsf", "asff", "html"] {
        let out = crate::support::run(&[
            "scan",
            "--from",
            crate::support::path_str(&input),
            "--format",
            format,
            "--fail-on",
            "none",
        ]);
        assert!(out.code == 0 || out.code == 3, "{format}: exit {}: {}", out.code, out.stderr);
        assert!(
            out.stdout.contains("dt_shop_b") || out.stdout.contains("shop-b.example.com"),
            "{format}: the tenant is not in the report"
        );
    }
    let report = scan_json(&input);
    let tenant: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["check_id"] == "EA101" && f["resource"]["id"] == "dt_shop_b")
        .collect();
    assert_eq!(tenant.len(), 1, "{report}");
    assert_eq!(tenant[0]["resource"]["type"], "cloudfront/distribution-tenant");
    assert!(tenant[0]["message"].as_str().unwrap_or("").contains("www.shop-b.example.com"));
    // The good variant: the tenant overrides the ACL with a web ACL of its own.
    let good = scan_json(&checks_fixture("checks/EA101/quiet/tenant-good.json"));
    assert!(!good["findings"].as_array().into_iter().flatten().any(|f| f["check_id"] == "EA101"), "{good}");
}

#[test]
fn drift_calls_a_tenant_that_disables_its_web_acl_weakened() {
    let (good, bad) = (
        checks_fixture("checks/EA101/quiet/tenant-good.json"),
        checks_fixture("checks/EA101/fires/tenant-bad.json"),
    );
    let out = crate::support::run(&[
        "drift",
        "--baseline",
        crate::support::path_str(&good),
        "--current",
        crate::support::path_str(&bad),
        "--format",
        "json",
        "--fail-on",
        "none",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = crate::support::json(&out.stdout);
    let change = report["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["resource"]["id"] == "dt_shop_b")
        .unwrap_or_else(|| panic!("no change on the tenant: {report}"));
    assert_eq!(change["change_type"], "web_acl_removed", "{change}");
    assert_eq!(change["classification"], "weakened", "{change}");
}

#[test]
fn routing_rule_gates_through_the_binary() {
    let good = scan_json(&checks_fixture("checks/EA305/quiet/routing-rules-good.json"));
    assert!(findings_at_least_medium(&good).is_empty(), "{:?}", findings_at_least_medium(&good));
    let bad = scan_json(&checks_fixture("checks/EA305/fires/routing-rules-bad.json"));
    let ea305: Vec<&serde_json::Value> =
        bad["findings"].as_array().into_iter().flatten().filter(|f| f["check_id"] == "EA305").collect();
    assert!(
        ea305.iter().any(|f| f["severity"] == "high"
            && f["message"].as_str().unwrap_or("").contains("routing rule(s) rr01 of custom domain")),
        "{ea305:?}"
    );
    let text = bad.to_string();
    assert!(text.contains("sha256:0123456789abcdef"), "the rule's fingerprint is the evidence");
    // The same gate with the default endpoint on: reachable around the rules.
    let around = scan_json(&checks_fixture("checks/EA202/fires/routing-rules-execute-api-open.json"));
    let ea202: Vec<&serde_json::Value> =
        around["findings"].as_array().into_iter().flatten().filter(|f| f["check_id"] == "EA202").collect();
    assert!(
        ea202.iter().any(|f| f["evidence"].to_string().contains("reach(es) the API around them")),
        "{ea202:?}"
    );
}

#[test]
fn an_edge_signer_is_could_not_verify_through_the_binary() {
    let report = scan_json(&checks_fixture("checks/EA305/fires/edge-signer.json"));
    assert!(findings_at_least_medium(&report).is_empty(), "{:?}", findings_at_least_medium(&report));
    let signer: Vec<&serde_json::Value> =
        report["findings"].as_array().into_iter().flatten().filter(|f| f["check_id"] == "EA305").collect();
    assert!(!signer.is_empty(), "{report}");
    for finding in signer {
        assert_eq!(
            (finding["severity"].as_str(), finding["confidence"].as_str()),
            (Some("low"), Some("low"))
        );
        assert!(finding["message"].as_str().unwrap_or("").contains("function:sigv4-signer"), "{finding}");
    }
}
