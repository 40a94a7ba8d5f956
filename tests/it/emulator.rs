//! The emulator extension in front of moto (`tests/moto/emulator/`): the AWS SDK for Rust reads
//! what it answers for the operations moto 5.2.5 lacks (pages, AccessDenied), what it edits into
//! moto's answers, and what it forwards untouched.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::aws_mock::{fast_retry, test_credentials};
use crate::support::moto::MotoServer;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cloudfront::error::ProvideErrorMetadata;
use serde_json::json;

fn config(endpoint: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(test_credentials())
        .endpoint_url(endpoint)
        .retry_config(fast_retry(1))
        .build()
}

/// A VPC origin as the API reference's `VpcOrigin`, towards an internal ALB.
fn vpc_origin(id: &str, name: &str) -> serde_json::Value {
    json!({
        "Id": id,
        "Arn": format!("arn:aws:cloudfront::123456789012:vpcorigin/{id}"),
        "AccountId": "123456789012",
        "Status": "Deployed",
        "CreatedTime": "2026-01-05T10:00:00Z",
        "LastModifiedTime": "2026-01-05T10:00:00Z",
        "VpcOriginEndpointConfig": {
            "Name": name,
            "Arn": format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/{name}/50dc6c495c0c9188"),
            "HTTPPort": 80,
            "HTTPSPort": 443,
            "OriginProtocolPolicy": "https-only",
            "OriginSslProtocols": {"Quantity": 1, "Items": {"SslProtocol": ["TLSv1.2"]}}
        }
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_emulator_answers_list_and_get_vpc_origins_with_pages_and_access_denied() {
    let Some(moto) = MotoServer::start_or_skip() else { return };
    assert_ne!(moto.endpoint, moto.moto_endpoint, "the tests must reach moto through the emulator");
    moto.emulate(&json!({
        "cloudfront": {"vpc_origins": [vpc_origin("vo_0001", "internal-a"), vpc_origin("vo_0002", "internal-b"),
                                       vpc_origin("vo_0003", "internal-c")]},
        "page_size": {"cloudfront:ListVpcOrigins": 2}
    }));
    let client = aws_sdk_cloudfront::Client::new(&config(&moto.endpoint));

    // Two pages of at most two, through the SDK's own marker handling.
    let first = client.list_vpc_origins().send().await.unwrap();
    let list = first.vpc_origin_list().unwrap();
    assert!(list.is_truncated());
    assert_eq!(list.quantity(), 2);
    let marker = list.next_marker().unwrap().to_string();
    let second = client.list_vpc_origins().marker(&marker).send().await.unwrap();
    let second = second.vpc_origin_list().unwrap();
    assert!(!second.is_truncated());
    assert!(second.next_marker().is_none());
    let ids: Vec<String> =
        list.items().iter().chain(second.items()).map(|summary| summary.id().to_string()).collect();
    assert_eq!(ids, ["vo_0001", "vo_0002", "vo_0003"]);
    let summary = &list.items()[1];
    assert_eq!(summary.name(), "internal-b");
    assert_eq!(summary.status(), "Deployed");
    assert!(summary.origin_endpoint_arn().ends_with("loadbalancer/app/internal-b/50dc6c495c0c9188"));

    let got = client.get_vpc_origin().id("vo_0003").send().await.unwrap();
    assert!(got.e_tag().is_some());
    let endpoint = got.vpc_origin().unwrap().vpc_origin_endpoint_config().unwrap();
    assert_eq!(endpoint.name(), "internal-c");
    assert_eq!(endpoint.origin_protocol_policy().as_str(), "https-only");
    assert_eq!(endpoint.https_port(), 443);

    let missing = client.get_vpc_origin().id("vo_9999").send().await.unwrap_err();
    assert_eq!(missing.code(), Some("EntityNotFound"));

    // Forwarded untouched: moto's own answer to an operation the emulator does not know.
    let distributions = client.list_distributions().send().await.unwrap();
    assert_eq!(distributions.distribution_list().unwrap().quantity(), 0);

    moto.emulate(&json!({"deny": ["cloudfront:ListVpcOrigins"]}));
    let denied = client.list_vpc_origins().send().await.unwrap_err();
    assert_eq!(denied.code(), Some("AccessDenied"));
    // Only that operation is denied.
    client.get_vpc_origin().id("vo_0001").send().await.unwrap();

    // A reset forgets the scenario data together with moto's resources.
    moto.reset();
    let after = client.list_vpc_origins().send().await.unwrap();
    assert_eq!(after.vpc_origin_list().unwrap().quantity(), 0);
}

/// A distribution tenant as the API reference's `DistributionTenant`.
fn tenant(id: &str, action: Option<&str>) -> serde_json::Value {
    let mut tenant = json!({
        "Id": id,
        "DistributionId": "E1SAAS",
        "Name": format!("{id}-name"),
        "Arn": format!("arn:aws:cloudfront::123456789012:distribution-tenant/{id}"),
        "Domains": {"member": [{"Domain": format!("{id}.example.com"), "Status": "active"}]},
        "ConnectionGroupId": "cg_1",
        "CreatedTime": "2026-01-05T10:00:00Z",
        "LastModifiedTime": "2026-01-05T10:00:00Z",
        "Enabled": true,
        "Status": "Deployed"
    });
    if let Some(action) = action {
        tenant["Customizations"] = json!({"WebAcl": {"Action": action}});
    }
    tenant
}

/// ListDistributionTenants (POST, marker in the XML body) in pages and GetDistributionTenant, as
/// the SDK parses them; AccessDenied on the listing only.
#[tokio::test(flavor = "multi_thread")]
async fn the_emulator_answers_distribution_tenants_with_pages_and_access_denied() {
    let Some(moto) = MotoServer::start_or_skip() else { return };
    moto.emulate(&json!({
        "cloudfront": {"distribution_tenants": [tenant("dt_a", None), tenant("dt_b", Some("disable")), tenant("dt_c", None)]},
        "page_size": {"cloudfront:ListDistributionTenants": 2}
    }));
    let client = aws_sdk_cloudfront::Client::new(&config(&moto.endpoint));
    let first = client.list_distribution_tenants().send().await.unwrap();
    let marker = first.next_marker().expect("a second page").to_string();
    let second = client.list_distribution_tenants().marker(&marker).send().await.unwrap();
    assert!(second.next_marker().is_none());
    let summaries: Vec<_> =
        first.distribution_tenant_list().iter().chain(second.distribution_tenant_list()).cloned().collect();
    let ids: Vec<&str> = summaries.iter().map(|t| t.id()).collect();
    assert_eq!(ids, ["dt_a", "dt_b", "dt_c"]);
    let b = &summaries[1];
    assert_eq!(b.customizations().and_then(|c| c.web_acl()).map(|w| w.action().as_str()), Some("disable"));
    assert_eq!(b.domains()[0].domain(), "dt_b.example.com");
    assert_eq!(b.connection_group_id(), Some("cg_1"));
    assert!(!b.e_tag().is_empty());

    let got = client.get_distribution_tenant().identifier("dt_b").send().await.unwrap();
    assert!(got.e_tag().is_some());
    let detail = got.distribution_tenant().expect("the tenant");
    assert_eq!(detail.distribution_id(), Some("E1SAAS"));
    assert_eq!(
        detail.customizations().and_then(|c| c.web_acl()).map(|w| w.action().as_str()),
        Some("disable")
    );
    let missing = client.get_distribution_tenant().identifier("dt_zz").send().await.unwrap_err();
    assert_eq!(missing.code(), Some("EntityNotFound"));

    moto.emulate(&json!({"deny": ["cloudfront:ListDistributionTenants"]}));
    let denied = client.list_distribution_tenants().send().await.unwrap_err();
    assert_eq!(denied.code(), Some("AccessDenied"));
}

/// apigatewayv2 ListRoutingRules in priority order and pages, and the routingMode the emulator
/// adds to moto's GetDomainNames answer, as the SDKs parse them.
#[tokio::test(flavor = "multi_thread")]
async fn the_emulator_answers_routing_rules_and_routing_modes() {
    let Some(moto) = MotoServer::start_or_skip() else { return };
    let sdk = config(&moto.endpoint);
    let apigw = aws_sdk_apigateway::Client::new(&sdk);
    let domain = "api.emulator.example.com";
    apigw
        .create_domain_name()
        .domain_name(domain)
        .regional_certificate_arn(
            "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000001",
        )
        .endpoint_configuration(
            aws_sdk_apigateway::types::EndpointConfiguration::builder()
                .types(aws_sdk_apigateway::types::EndpointType::Regional)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let rule = |id: &str, priority: i32| {
        json!({"routingRuleId": id, "priority": priority,
               "routingRuleArn": format!("arn:aws:apigateway:us-east-1:123456789012:/domainnames/{domain}/routingrules/{id}"),
               "conditions": [{"matchHeaders": {"anyOf": [{"header": "x-tenant", "valueGlob": format!("{id}*")}]}}],
               "actions": [{"invokeApi": {"apiId": "a1b2c3d4e5", "stage": "prod", "stripBasePath": false}}]})
    };
    moto.emulate(&json!({
        "apigateway": {"routing_modes": {domain: "ROUTING_RULE_ONLY"},
                       "routing_rules": {domain: [rule("r3", 30), rule("r1", 10), rule("r2", 20)]}},
        "page_size": {"apigateway:ListRoutingRules": 2}
    }));
    let domains = apigw.get_domain_names().send().await.unwrap();
    let listed = domains.items().iter().find(|d| d.domain_name() == Some(domain)).expect("the domain");
    assert_eq!(listed.routing_mode(), Some(&aws_sdk_apigateway::types::RoutingMode::RoutingRuleOnly));
    // No mapping on the domain: moto fails, the emulator answers AWS's empty list.
    let mappings = apigw.get_base_path_mappings().domain_name(domain).send().await.unwrap();
    assert!(mappings.items().is_empty());

    let v2 = aws_sdk_apigatewayv2::Client::new(&sdk);
    let first = v2.list_routing_rules().domain_name(domain).send().await.unwrap();
    let token = first.next_token().expect("a second page").to_string();
    let second = v2.list_routing_rules().domain_name(domain).next_token(token).send().await.unwrap();
    assert!(second.next_token().is_none());
    let ids: Vec<&str> = first
        .routing_rules()
        .iter()
        .chain(second.routing_rules())
        .filter_map(|r| r.routing_rule_id())
        .collect();
    assert_eq!(ids, ["r1", "r2", "r3"]);
    let header = &first.routing_rules()[0].conditions()[0].match_headers().unwrap().any_of()[0];
    assert_eq!((header.header(), header.value_glob()), (Some("x-tenant"), Some("r1*")));
    let unknown = v2.list_routing_rules().domain_name("nope.example.com").send().await.unwrap_err();
    assert_eq!(aws_sdk_apigatewayv2::error::ProvideErrorMetadata::code(&unknown), Some("NotFoundException"));

    moto.emulate(&json!({"deny": ["apigateway:ListRoutingRules"]}));
    let denied = v2.list_routing_rules().domain_name(domain).send().await.unwrap_err();
    assert_eq!(
        aws_sdk_apigatewayv2::error::ProvideErrorMetadata::code(&denied),
        Some("AccessDeniedException")
    );
}
