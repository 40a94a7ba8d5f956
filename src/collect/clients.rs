//! Per-region SDK clients for one account, built from one [`SdkConfig`] (credentials, retry,
//! timeouts, endpoint override), each with edge-audit's retry policy: standard mode, throttled
//! attempts retried until a deadline (see [`pacing`](super::pacing)), no retry quota or
//! client-side rate limiter shared with other clients.

use super::pacing::{PacingInterceptor, THROTTLE_DEADLINE};
use aws_config::retry::RetryConfig;
use aws_config::{Region, SdkConfig};
use aws_smithy_runtime::client::retries::{RetryPartition, TokenBucket};
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use std::time::Duration;

/// Builds the SDK clients of one account. Cheap to clone; clients are made on demand (one per
/// service and region task), all sharing the account's credentials and HTTP client.
#[derive(Clone, Debug)]
pub struct AccountClients {
    config: SdkConfig,
    interceptors: Vec<SharedInterceptor>,
    global_region: String,
    throttle_deadline: Duration,
}

impl AccountClients {
    /// Clients for the account whose credentials `config` carries. Global services (CloudFront,
    /// CLOUDFRONT-scope WAF, Shield) are called in `us-east-1`; see [`Self::partition`].
    pub fn new(config: SdkConfig) -> Self {
        Self {
            config,
            interceptors: Vec::new(),
            global_region: "us-east-1".to_string(),
            throttle_deadline: THROTTLE_DEADLINE,
        }
    }

    /// How long a throttled call keeps being retried ([`THROTTLE_DEADLINE`] unless set; tests
    /// shorten it).
    pub fn with_throttle_deadline(mut self, deadline: Duration) -> Self {
        self.throttle_deadline = deadline;
        self
    }

    /// Adds an interceptor to every client (the statistics recorder; mocks in tests).
    pub fn with_interceptor(mut self, interceptor: impl Intercept + 'static) -> Self {
        self.interceptors.push(SharedInterceptor::new(interceptor));
        self
    }

    /// Sets the partition, which decides where the global services are called.
    pub fn partition(mut self, partition: &str) -> Self {
        self.global_region = global_region_of(partition).to_string();
        self
    }

    /// The region global services are called in (`us-east-1` in the `aws` partition).
    pub fn global_region(&self) -> &str {
        &self.global_region
    }

    pub fn sdk_config(&self) -> &SdkConfig {
        &self.config
    }

    pub fn cloudfront(&self) -> aws_sdk_cloudfront::Client {
        build_client!(self, aws_sdk_cloudfront, &self.global_region)
    }

    /// WAFv2 in `region`; CLOUDFRONT scope needs the global region's client.
    pub fn wafv2(&self, region: &str) -> aws_sdk_wafv2::Client {
        build_client!(self, aws_sdk_wafv2, region)
    }

    pub fn shield(&self) -> aws_sdk_shield::Client {
        build_client!(self, aws_sdk_shield, &self.global_region)
    }

    pub fn apigateway(&self, region: &str) -> aws_sdk_apigateway::Client {
        build_client!(self, aws_sdk_apigateway, region)
    }

    pub fn apigatewayv2(&self, region: &str) -> aws_sdk_apigatewayv2::Client {
        build_client!(self, aws_sdk_apigatewayv2, region)
    }

    pub fn ec2(&self, region: &str) -> aws_sdk_ec2::Client {
        build_client!(self, aws_sdk_ec2, region)
    }

    pub fn elbv2(&self, region: &str) -> aws_sdk_elasticloadbalancingv2::Client {
        build_client!(self, aws_sdk_elasticloadbalancingv2, region)
    }

    pub fn lambda(&self, region: &str) -> aws_sdk_lambda::Client {
        build_client!(self, aws_sdk_lambda, region)
    }

    /// Resource Groups Tagging API in `region` (CloudFront's resources: the global region).
    pub fn tagging(&self, region: &str) -> aws_sdk_resourcegroupstagging::Client {
        build_client!(self, aws_sdk_resourcegroupstagging, region)
    }

    /// STS in the global region (or the configured one): GetCallerIdentity.
    pub fn sts(&self) -> aws_sdk_sts::Client {
        let region =
            self.config.region().map(|r| r.to_string()).unwrap_or_else(|| self.global_region.clone());
        build_client!(self, aws_sdk_sts, &region)
    }

    pub fn organizations(&self) -> aws_sdk_organizations::Client {
        build_client!(self, aws_sdk_organizations, &self.global_region)
    }
}

/// A service client from the account's `SdkConfig`, pinned to `region`, with the extra
/// interceptors. The config's endpoint URL (AWS_ENDPOINT_URL[_SERVICE], or an explicit override)
/// is kept as is: `from(&SdkConfig)` carries it over.
///
/// The retry policy is forced to standard mode whatever the configuration says: adaptive mode
/// keeps a client-side rate limiter per retry partition (service and region), shared by every
/// client of the process, so one account's throttle would slow every account down. The retry
/// partition gets an unlimited retry quota for the same reason (the default quota is shared
/// too, and running out of it gives reads up); pacing and the throttling deadline bound retries.
macro_rules! build_client {
    ($clients:expr, $sdk:ident, $region:expr) => {{
        let mut builder = $sdk::config::Builder::from(&$clients.config)
            .region(Region::new(($region).to_string()))
            .retry_config(standard_retry($clients.config.retry_config()))
            .retry_partition(
                RetryPartition::custom("edge-audit").token_bucket(TokenBucket::unlimited()).build(),
            );
        builder.push_interceptor(SharedInterceptor::new(PacingInterceptor::new($clients.throttle_deadline)));
        for interceptor in &$clients.interceptors {
            builder.push_interceptor(interceptor.clone());
        }
        $sdk::Client::from_conf(builder.build())
    }};
}
use build_client;

/// The configured retry policy in standard mode (attempts and back-offs kept).
fn standard_retry(configured: Option<&RetryConfig>) -> RetryConfig {
    match configured {
        Some(config) => RetryConfig::standard()
            .with_max_attempts(config.max_attempts())
            .with_initial_backoff(config.initial_backoff())
            .with_max_backoff(config.max_backoff()),
        None => RetryConfig::standard(),
    }
}

/// The region where a partition's global services (CloudFront, WAF CLOUDFRONT scope, Shield
/// Advanced, Organizations) answer.
pub(super) fn global_region_of(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "cn-northwest-1",
        "aws-us-gov" => "us-gov-west-1",
        _ => "us-east-1",
    }
}
