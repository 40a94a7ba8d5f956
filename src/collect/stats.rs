//! API call statistics, gathered by an SDK interceptor registered on every client, so that every
//! request (including paginator pages and retries) is counted without touching the collectors.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, Metadata};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

tokio::task_local! {
    /// Present while one page of a paginated listing is being read. The SDK runs interceptors in
    /// the task that awaits the request, so the interceptor can tell pages from detail calls.
    static READING_PAGE: ();
}

/// Runs `request` as one page of a paginated listing: the invocation it makes, if it succeeds,
/// counts as a page of its operation.
pub(crate) async fn page<F: Future>(request: F) -> F::Output {
    READING_PAGE.scope((), request).await
}

fn reading_page() -> bool {
    READING_PAGE.try_with(|_| ()).is_ok()
}

/// Error codes AWS uses for throttling, as the SDK's retry classifier knows them. An interceptor
/// sees errors type-erased, so throttling is recognised from the HTTP response instead.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Whether an HTTP response is AWS throttling the request: 429, or an error status whose error
/// code (header or body) is a throttling code.
pub(crate) fn is_throttling(response: &HttpResponse) -> bool {
    let status = response.status().as_u16();
    if status == 429 {
        return true;
    }
    if status < 400 {
        return false;
    }
    let header_code = response.headers().get("x-amzn-errortype").unwrap_or_default();
    let body = response.body().bytes().unwrap_or_default();
    let body = String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_SCAN_LIMIT)]);
    THROTTLING_CODES.iter().any(|code| header_code.starts_with(code) || body.contains(code))
}

/// How many leading bytes of an error body are searched for a throttling code: error documents
/// are small and the code comes first.
const ERROR_BODY_SCAN_LIMIT: usize = 2048;

/// Counters of one SDK operation of one service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct OperationStats {
    /// Operation invocations (one per page for paginated calls).
    pub calls: u64,
    /// Pages of paginated listings received (successful invocations made by a paginator).
    pub pages: u64,
    /// HTTP attempts, retries included.
    pub attempts: u64,
    /// Attempts after the first of an invocation.
    pub retries: u64,
    /// Attempts answered with a throttling error.
    pub throttled: u64,
    /// Invocations that ended in an error (after retries).
    pub errors: u64,
    /// Response body bytes received, over all attempts.
    pub bytes_received: u64,
}

impl OperationStats {
    /// Adds `other`'s counters to these.
    pub fn add(&mut self, other: &Self) {
        self.calls += other.calls;
        self.pages += other.pages;
        self.attempts += other.attempts;
        self.retries += other.retries;
        self.throttled += other.throttled;
        self.errors += other.errors;
        self.bytes_received += other.bytes_received;
    }
}

/// Statistics keyed by (service, operation), e.g. `("CloudFront", "ListDistributions")`.
pub type StatsTable = BTreeMap<(String, String), OperationStats>;

/// Shared, cheaply clonable recorder. One per [`collect`](super::collect) run.
#[derive(Debug, Clone, Default)]
pub struct CallStats {
    table: Arc<Mutex<StatsTable>>,
}

impl CallStats {
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of the counters so far.
    pub fn snapshot(&self) -> StatsTable {
        self.table.lock().map(|t| t.clone()).unwrap_or_default()
    }

    /// All operations summed.
    pub fn totals(&self) -> OperationStats {
        let mut total = OperationStats::default();
        for stats in self.snapshot().values() {
            total.add(stats);
        }
        total
    }

    fn update(&self, cfg: &ConfigBag, apply: impl FnOnce(&mut OperationStats)) {
        let (service, operation) = match cfg.load::<Metadata>() {
            Some(metadata) => (metadata.service().to_string(), metadata.name().to_string()),
            None => ("unknown".to_string(), "unknown".to_string()),
        };
        // A poisoned lock only means another thread panicked while counting; counting is
        // best-effort and must never fail a request.
        if let Ok(mut table) = self.table.lock() {
            apply(table.entry((service, operation)).or_default());
        }
    }
}

/// Marks the first attempt of an invocation, so that later ones count as retries.
#[derive(Debug, Clone)]
struct AttemptSeen;

impl aws_smithy_types::config_bag::Storable for AttemptSeen {
    type Storer = aws_smithy_types::config_bag::StoreReplace<Self>;
}

/// The interceptor that feeds a [`CallStats`]. It only reads; it never changes a request.
#[derive(Debug, Clone)]
pub struct StatsInterceptor {
    stats: CallStats,
}

impl StatsInterceptor {
    pub fn new(stats: CallStats) -> Self {
        Self { stats }
    }
}

impl Intercept for StatsInterceptor {
    fn name(&self) -> &'static str {
        "EdgeAuditStatsInterceptor"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let retry = cfg.load::<AttemptSeen>().is_some();
        cfg.interceptor_state().store_put(AttemptSeen);
        // The first attempt counts the invocation: the operation's metadata is not yet in the
        // config bag when `read_before_execution` runs.
        self.stats.update(cfg, |s| {
            s.attempts += 1;
            if retry {
                s.retries += 1;
            } else {
                s.calls += 1;
            }
        });
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // Non-streaming responses are read whole before deserialisation, so the body is in
        // memory here; Content-Length covers the rest.
        let received = context.response().map_or(0, |response| {
            response.body().bytes().map(|b| b.len() as u64).unwrap_or_else(|| {
                response.headers().get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0)
            })
        });
        if received > 0 {
            self.stats.update(cfg, |s| s.bytes_received += received);
        }
        let throttled = context.response().is_some_and(is_throttling);
        if throttled {
            self.stats.update(cfg, |s| s.throttled += 1);
        }
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        match context.output_or_error() {
            Some(Err(_)) => self.stats.update(cfg, |s| s.errors += 1),
            Some(Ok(_)) if reading_page() => self.stats.update(cfg, |s| s.pages += 1),
            _ => {}
        }
        Ok(())
    }
}
