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
