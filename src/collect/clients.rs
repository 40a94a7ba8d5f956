//! Per-region SDK clients for one account, built from one [`SdkConfig`] (credentials, retry,
//! timeouts, endpoint override), plus the bounded-concurrency limiter every API call goes through.

use aws_config::{Region, SdkConfig};
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Builds the SDK clients of one account. Cheap to clone; clients are made on demand (one per
/// service and region task), all sharing the account's credentials and HTTP client.
#[derive(Clone, Debug)]
pub struct AccountClients {
    config: SdkConfig,
    interceptors: Vec<SharedInterceptor>,
    global_region: String,
}

impl AccountClients {
    /// Clients for the account whose credentials `config` carries. Global services (CloudFront,
    /// CLOUDFRONT-scope WAF, Shield) are called in `us-east-1`; see [`Self::partition`].
    pub fn new(config: SdkConfig) -> AccountClients {
        AccountClients { config, interceptors: Vec::new(), global_region: "us-east-1".to_string() }
    }

    /// Adds an interceptor to every client (the statistics recorder; mocks in tests).
    pub fn with_interceptor(mut self, interceptor: impl Intercept + 'static) -> AccountClients {
        self.interceptors.push(SharedInterceptor::new(interceptor));
        self
    }

    /// Sets the partition, which decides where the global services are called.
    pub fn partition(mut self, partition: &str) -> AccountClients {
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
macro_rules! build_client {
    ($clients:expr, $sdk:ident, $region:expr) => {{
        let mut builder =
            $sdk::config::Builder::from(&$clients.config).region(Region::new(($region).to_string()));
        for interceptor in &$clients.interceptors {
            builder.push_interceptor(interceptor.clone());
        }
        $sdk::Client::from_conf(builder.build())
    }};
}
use build_client;

/// The region where a partition's global services (CloudFront, WAF CLOUDFRONT scope, Shield
/// Advanced, Organizations) answer.
pub fn global_region_of(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "cn-northwest-1",
        "aws-us-gov" => "us-gov-west-1",
        _ => "us-east-1",
    }
}

/// Bounds how many API requests are in flight at once, across every account, region, service and
/// per-resource detail call of a run. Permits are held only while a request (or one page of a
/// paginated listing) is outstanding, never while waiting on other tasks, so nesting cannot
/// deadlock.
#[derive(Clone, Debug)]
pub struct Limiter {
    permits: Arc<Semaphore>,
    concurrency: usize,
}

impl Limiter {
    pub fn new(concurrency: usize) -> Limiter {
        let concurrency = concurrency.max(1);
        Limiter { permits: Arc::new(Semaphore::new(concurrency)), concurrency }
    }

    /// How many requests may be in flight; also the width of per-resource fan-outs.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Runs one request under a permit.
    pub async fn call<F: Future>(&self, request: F) -> F::Output {
        // The semaphore is never closed, so acquire cannot fail; if it somehow did, running
        // without a permit is better than dropping the request.
        let _permit = self.permits.acquire().await.ok();
        request.await
    }

    /// Reads every page of an SDK paginator, one permit per page.
    pub async fn all_pages<T, E>(&self, mut pages: PaginationStream<Result<T, E>>) -> Result<Vec<T>, E> {
        let mut items = Vec::new();
        loop {
            let next = {
                let _permit = self.permits.acquire().await.ok();
                super::stats::page(pages.next()).await
            };
            match next {
                Some(Ok(item)) => items.push(item),
                Some(Err(error)) => return Err(error),
                None => return Ok(items),
            }
        }
    }

    /// Reads every page of a listing without an SDK paginator: `fetch(token)` sends one request,
    /// `next_token` reads the continuation token from a page. Stops on a missing, empty or
    /// repeated token (as the SDK paginators do).
    pub async fn token_pages<P, E, F, Fut>(
        &self,
        mut fetch: F,
        next_token: fn(&P) -> Option<&str>,
    ) -> Result<Vec<P>, E>
    where
        F: FnMut(Option<String>) -> Fut,
        Fut: Future<Output = Result<P, E>>,
    {
        let mut pages = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self.call(super::stats::page(fetch(token.clone()))).await?;
            let next = next_token(&page).filter(|t| !t.is_empty()).map(str::to_string);
            pages.push(page);
            match next {
                Some(next) if token.as_deref() != Some(next.as_str()) => token = Some(next),
                _ => return Ok(pages),
            }
        }
    }
}
