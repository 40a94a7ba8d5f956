//! Pacing to AWS's per-account API quotas.
//!
//! AWS throttles per account, region and quota bucket (an operation, or a group of operations
//! sharing one limit). Discovering those limits by being throttled costs back-off time and, with
//! the SDK's adaptive retry mode, a client-side limiter shared by every client of a service and
//! region in the process (so by every account of an `--org` scan) that one throttle slows down
//! for everyone. Instead, every call the collectors make first takes a token from a client-side
//! token bucket of its own (account, region, quota bucket), preconfigured from [`QUOTAS`], so
//! calls go out at the rate AWS allows. The buckets of one account are shared by all its tasks
//! and never by another account.
//!
//! When AWS throttles anyway (another tool is reading the same account, a quota is lower than
//! documented), [`PacingInterceptor`] drains that one bucket (back-off per bucket) and makes the
//! SDK retry the call until its throttling deadline, however many attempts that takes: no read is
//! given up because of throttling. A call still throttled at its deadline fails, and the
//! collector records it as a coverage failure (not evaluated).
//!
//! Requests in flight are bounded per account (`--concurrency`) and, to protect the process's
//! file descriptors, over the whole run ([`RUN_IN_FLIGHT_CAP`]); a call waits for its token
//! before it takes an in-flight slot, so calls queued behind a slow bucket never hold slots that
//! other buckets could use. A call keeps its bucket's turn until it has its slot, and its token
//! counts from then: were tokens counted from when they were taken, the calls of a bucket that
//! took them one by one while every slot was busy would go out together once slots came free,
//! more at once than AWS's bucket (which holds at most its burst) allows, and AWS would throttle
//! the last ones (a 1/s bucket with no reserve at once; a burst-5 one such as API Gateway's
//! `GetResources` once more calls queued than its client-side reserve absorbs).

use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use aws_smithy_types::retry::RetryConfig;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How long one call keeps retrying throttled attempts, counted from its first attempt. Longer
/// than any back-off (20 s at most) several times over, shorter than the operation timeout, so
/// that a call still throttled then fails with AWS's throttling error rather than a timeout.
pub const THROTTLE_DEADLINE: Duration = Duration::from_secs(100);

/// How the client uses a documented quota. Requests reach AWS with some jitter (scheduling,
/// connection reuse, the network), so two requests sent exactly one interval apart can arrive
/// closer together. Rather than slowing down for that, the client keeps part of AWS's burst in
/// reserve ([`BURST_RESERVE`] of it): sent at the documented rate, AWS's bucket then stays that
/// full on average and absorbs the jitter, at the one-time cost of the reserved tokens. The rate
/// itself is used at [`RATE_MARGIN`] (so AWS's bucket drifts back up after a dip), or, for a
/// bucket of one token that has no reserve to keep, at [`SINGLE_TOKEN_RATE_MARGIN`].
const BURST_RESERVE: f64 = 0.4;
const RATE_MARGIN: f64 = 0.98;
const SINGLE_TOKEN_RATE_MARGIN: f64 = 0.9;

/// The client's (rate, capacity) for a documented quota.
fn client_pace(quota: &Quota) -> (f64, f64) {
    let reserve = (quota.burst * BURST_RESERVE).floor();
    let capacity = (quota.burst - reserve).max(1.0);
    let margin = if quota.burst >= 2.0 { RATE_MARGIN } else { SINGLE_TOKEN_RATE_MARGIN };
    (quota.rate * margin, capacity)
}

/// The most requests in flight over a whole run, whatever the number of accounts: each is a
/// socket, and the default soft limit on open files is 1024.
pub const RUN_IN_FLIGHT_CAP: usize = 512;

/// One client-side quota bucket: operations of `service` (the SDK crate's name, as in
/// [`OPERATIONS`](super::operations::OPERATIONS)) named `operation` (`*`: every operation of the
/// service no other row names) take tokens from `bucket`, refilled at `rate` per second up to
/// `burst`. Rows naming the same bucket share it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quota {
    pub service: &'static str,
    pub operation: &'static str,
    /// The bucket's name in `--stats`; `{operation}` is replaced by the operation's name for
    /// limits AWS applies per action.
    pub bucket: &'static str,
    pub rate: f64,
    pub burst: f64,
}

const fn quota(
    service: &'static str,
    operation: &'static str,
    bucket: &'static str,
    rate: f64,
    burst: f64,
) -> Quota {
    Quota { service, operation, bucket, rate, burst }
}

/// AWS's documented (or, where AWS documents none, estimated) per-account, per-region read
/// quotas. The first row matching an operation applies. Where AWS applies a shared account-level
/// bucket on top of per-action ones, the client-side rows split the shared rate between the
/// buckets so that their sum never exceeds it (a call takes one token, from one bucket).
pub const QUOTAS: &[Quota] = &[
    // API Gateway: "GetResources 2.5 requests per second, burst 5, cannot be increased" and the
    // account-level limit on management API calls, 10 rps with a burst of 40, shared by REST
    // (v1) and HTTP/WebSocket (v2) management calls.
    // Source: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
    // ("API Gateway quotas for creating, deploying and managing an API").
    quota("apigateway", "GetResources", "apigateway:GetResources", 2.5, 5.0),
    // The rest of the shared 10/s, burst 40: 7.5/s, burst 35.
    // Source: as above.
    quota("apigateway", "*", "apigateway:management", 7.5, 35.0),
    // ListRoutingRules (custom domain routing rules) is a v2 management call like the others.
    // Source: as above (v2 management calls share the account-level limit).
    quota("apigatewayv2", "ListRoutingRules", "apigateway:management", 7.5, 35.0),
    // Source: as above (v2 management calls share the account-level limit).
    quota("apigatewayv2", "*", "apigateway:management", 7.5, 35.0),
    // WAFv2: ListResourcesForWebACL and GetWebACLForResource 1 per second; every other Get/List
    // action 5 per second, per action. CLOUDFRONT-scope calls count in us-east-1.
    // Source: https://docs.aws.amazon.com/waf/latest/developerguide/limits.html
    // ("AWS WAF call rate quotas").
    quota("wafv2", "ListResourcesForWebACL", "wafv2:ListResourcesForWebACL", 1.0, 1.0),
    // Source: as above.
    quota("wafv2", "GetWebACLForResource", "wafv2:GetWebACLForResource", 1.0, 1.0),
    // GetRuleGroup, once per custom rule group a web ACL references: a Get action, 5 per second.
    // Source: as above.
    quota("wafv2", "GetRuleGroup", "wafv2:GetRuleGroup", 5.0, 5.0),
    // Source: as above.
    quota("wafv2", "*", "wafv2:{operation}", 5.0, 5.0),
    // ELBv2: every Describe* action 10 per second, burst 40, per action, and all of them together
    // 10 per second, burst 40, per account: the account bucket is the binding one.
    // Source: https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html
    quota("elasticloadbalancingv2", "*", "elasticloadbalancing:Describe", 10.0, 40.0),
    // EC2: non-mutating (Describe*) actions 20 per second refill, bucket of 100, per action;
    // every listing here passes MaxResults (unpaginated calls get half that).
    // Source: https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
    quota("ec2", "*", "ec2:{operation}", 20.0, 100.0),
    // Lambda: GetPolicy has its own 15 per second; every other control-plane read shares 15 per
    // second. AWS documents no burst: one second's worth.
    // Source: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
    // ("API request rate quotas").
    quota("lambda", "GetPolicy", "lambda:GetPolicy", 15.0, 15.0),
    // Source: as above.
    quota("lambda", "*", "lambda:control-plane", 15.0, 15.0),
    // CloudFront, Shield and the Resource Groups Tagging API document no read quota: estimated at
    // 5 per second for all reads of the service.
    // Source: estimate (no AWS documentation), as in bench/realistic.py.
    // ListDistributionTenants (multi-tenant distributions) shares that estimate.
    // Source: estimate (no AWS documentation), as in bench/realistic.py.
    quota("cloudfront", "ListDistributionTenants", "cloudfront", 5.0, 5.0),
    // Source: estimate (no AWS documentation), as in bench/realistic.py.
    quota("cloudfront", "*", "cloudfront", 5.0, 5.0),
    // Source: estimate (no AWS documentation).
    quota("shield", "*", "shield", 5.0, 5.0),
    // Source: estimate (no AWS documentation).
    quota("resourcegroupstagging", "*", "tagging", 5.0, 5.0),
    // Organizations: estimated at 1 per second (its documented throttling is per account and
    // not published as a rate).
    // Source: estimate (no AWS documentation).
    quota("organizations", "*", "organizations", 1.0, 1.0),
];

/// The quota row of `service`'s `operation`, if any.
pub fn quota_of(service: &str, operation: &str) -> Option<&'static Quota> {
    QUOTAS.iter().find(|q| q.service == service && (q.operation == operation || q.operation == "*"))
}

/// Names an API call for pacing: the SDK crate's service and the AWS operation name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiOp {
    pub service: &'static str,
    pub operation: &'static str,
}

/// `ApiOp` shorthand for the collectors.
pub const fn op(service: &'static str, operation: &'static str) -> ApiOp {
    ApiOp { service, operation }
}

/// One client-side token bucket of one account and region.
#[derive(Debug)]
pub struct Bucket {
    account: String,
    region: String,
    name: String,
    /// The documented quota (for the floor).
    rate: f64,
    burst: f64,
    /// What the client actually uses: see [`client_pace`].
    pace: f64,
    capacity: f64,
    /// Waiters take turns (tokio's mutex is fair), so a bucket serves its calls in order.
    turn: tokio::sync::Mutex<()>,
    state: Mutex<BucketState>,
    granted: AtomicU64,
    throttled: AtomicU64,
    /// When the first token was granted, for the span of the bucket's traffic.
    first_grant: Mutex<Option<Instant>>,
    /// The operation last paced through this bucket, to check what the SDK actually sent.
    last_operation: Mutex<&'static str>,
}

#[derive(Debug)]
struct BucketState {
    /// May go negative: a throttled attempt's retry is owed to AWS's bucket.
    tokens: f64,
    refilled_at: Instant,
}

impl Bucket {
    fn new(account: &str, region: &str, name: String, quota: &Quota) -> Self {
        Self {
            account: account.to_string(),
            region: region.to_string(),
            name,
            rate: quota.rate,
            burst: quota.burst,
            pace: client_pace(quota).0,
            capacity: client_pace(quota).1,
            turn: tokio::sync::Mutex::new(()),
            state: Mutex::new(BucketState { tokens: client_pace(quota).1, refilled_at: Instant::now() }),
            granted: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
            first_grant: Mutex::new(None),
            last_operation: Mutex::new(""),
        }
    }

    /// Takes a token now if there is one, else says how long until there is.
    fn try_take(&self) -> Result<(), Duration> {
        let Ok(mut state) = self.state.lock() else { return Ok(()) };
        let now = Instant::now();
        let refill = now.saturating_duration_since(state.refilled_at).as_secs_f64() * self.pace;
        state.tokens = (state.tokens + refill).min(self.capacity);
        state.refilled_at = now;
        if state.tokens >= 1.0 {
            state.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - state.tokens) / self.pace))
        }
    }

    /// The call that took a token is only sent now: the token counts from now, as if taken now
    /// (the refill since the take is capped one token below the bucket's capacity, as the
    /// bucket would have stood now before this call).
    fn spent_now(&self) {
        if let Ok(mut state) = self.state.lock() {
            let now = Instant::now();
            let refill = now.saturating_duration_since(state.refilled_at).as_secs_f64() * self.pace;
            state.tokens = (state.tokens + refill).min(self.capacity - 1.0);
            state.refilled_at = now;
        }
    }

    /// Gives back a token that bought no request (a paginator that had no page left).
    fn refund(&self) {
        self.granted.fetch_sub(1, Ordering::Relaxed);
        if let Ok(mut state) = self.state.lock() {
            state.tokens = (state.tokens + 1.0).min(self.capacity);
        }
    }

    /// Waits for a token; the caller holds the bucket's turn.
    async fn take_in_turn(&self, operation: &'static str) {
        while let Err(wait) = self.try_take() {
            tokio::time::sleep(wait).await;
        }
        self.granted.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut first) = self.first_grant.lock() {
            first.get_or_insert_with(Instant::now);
        }
        if let Ok(mut last) = self.last_operation.lock() {
            *last = operation;
        }
    }

    /// AWS throttled a call of this bucket: its tokens are gone (our estimate of AWS's bucket was
    /// too generous) and the retry owes one more. Every caller of this bucket, and only of this
    /// bucket, slows down.
    fn throttled(&self) {
        self.throttled.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut state) = self.state.lock() {
            // The debt is bounded by one bucket's worth, so a burst of throttles slows the
            // bucket down for at most burst / rate seconds.
            state.tokens = (state.tokens.min(0.0) - 1.0).max(-self.capacity);
        }
    }

    fn report(&self) -> BucketStats {
        let granted = self.granted.load(Ordering::Relaxed);
        let throttled = self.throttled.load(Ordering::Relaxed);
        // A throttled attempt costs AWS's bucket nothing; each paced call is answered once.
        let drawn = granted as f64;
        BucketStats {
            account: self.account.clone(),
            region: self.region.clone(),
            bucket: self.name.clone(),
            rate: self.rate,
            burst: self.burst,
            calls: granted,
            throttled,
            floor: Duration::from_secs_f64(((drawn - self.burst) / self.rate).max(0.0)),
        }
    }
}

/// What one bucket saw in a run, for `--stats`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BucketStats {
    pub account: String,
    pub region: String,
    pub bucket: String,
    /// Tokens per second.
    pub rate: f64,
    pub burst: f64,
    /// Calls paced through the bucket (retries not counted).
    pub calls: u64,
    /// Attempts AWS answered with a throttling error.
    pub throttled: u64,
    /// The least time any client making the same calls needs at this quota:
    /// (calls − burst) / rate.
    #[serde(skip)]
    pub floor: Duration,
}

tokio::task_local! {
    /// The bucket of the call being awaited, so the interceptor (which the SDK runs in the task
    /// that awaits the request) can charge throttles to it.
    static CURRENT_BUCKET: Arc<Bucket>;
}

/// The run-wide side of pacing: the per-account pacers and the run's in-flight cap.
#[derive(Debug, Clone)]
pub struct Pacer {
    run_in_flight: Arc<Semaphore>,
    accounts: Arc<Mutex<Vec<Arc<AccountPacer>>>>,
    /// In-flight requests per account (`--concurrency`).
    per_account: usize,
}

impl Pacer {
    pub fn new(per_account: usize) -> Self {
        Self {
            run_in_flight: Arc::new(Semaphore::new(RUN_IN_FLIGHT_CAP)),
            accounts: Arc::new(Mutex::new(Vec::new())),
            per_account: per_account.max(1),
        }
    }

    /// The pacer of one account: its own buckets and in-flight limit.
    pub fn account(&self, account_id: &str) -> Arc<AccountPacer> {
        let pacer = Arc::new(AccountPacer {
            account_id: account_id.to_string(),
            buckets: Mutex::new(HashMap::new()),
            in_flight: Semaphore::new(self.per_account),
            run_in_flight: self.run_in_flight.clone(),
            concurrency: self.per_account,
        });
        if let Ok(mut accounts) = self.accounts.lock() {
            accounts.push(pacer.clone());
        }
        pacer
    }

    /// Every bucket used so far, busiest floor first.
    pub fn report(&self) -> Vec<BucketStats> {
        let accounts = self.accounts.lock().map(|a| a.clone()).unwrap_or_default();
        let mut rows: Vec<BucketStats> = accounts.iter().flat_map(|a| a.report()).collect();
        rows.sort_by(|a, b| {
            b.floor
                .cmp(&a.floor)
                .then_with(|| (&a.account, &a.region, &a.bucket).cmp(&(&b.account, &b.region, &b.bucket)))
        });
        rows
    }
}

/// One account's buckets (created on first use, per region and quota bucket) and in-flight
/// limit. Shared by every task of the account.
#[derive(Debug)]
pub struct AccountPacer {
    account_id: String,
    buckets: Mutex<HashMap<(String, String), Arc<Bucket>>>,
    in_flight: Semaphore,
    run_in_flight: Arc<Semaphore>,
    concurrency: usize,
}

impl AccountPacer {
    /// How many requests of this account may be in flight; also the width of fan-outs over
    /// resources whose calls are not on the critical path.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    fn bucket(&self, region: &str, api: ApiOp) -> Option<Arc<Bucket>> {
        let quota = quota_of(api.service, api.operation)?;
        let name = quota.bucket.replace("{operation}", api.operation);
        let mut buckets = self.buckets.lock().ok()?;
        let bucket = buckets
            .entry((region.to_string(), name.clone()))
            .or_insert_with(|| Arc::new(Bucket::new(&self.account_id, region, name, quota)));
        Some(bucket.clone())
    }

    /// Runs one request of `api` in `region` at the pace of its bucket, under an in-flight slot.
    pub async fn call<F: Future>(&self, region: &str, api: ApiOp, request: F) -> F::Output {
        let Some(bucket) = self.bucket(region, api) else {
            // Every operation has a quota row (a test checks the table); an unknown one is sent
            // unpaced rather than dropped.
            return self.in_flight(request).await;
        };
        let _slots = self.paced(&bucket, api.operation).await;
        CURRENT_BUCKET.scope(bucket, request).await
    }

    /// A token of `bucket`, then the in-flight slots to send the call with. The call keeps its
    /// bucket's turn until the slots are there and its token counts from then, so that the
    /// bucket's calls are sent no faster than its tokens refill however long each waited for a
    /// slot (its next caller takes no token meanwhile; it would have queued for a slot behind this
    /// call anyway).
    async fn paced(&self, bucket: &Bucket, operation: &'static str) -> Slots<'_> {
        let _turn = bucket.turn.lock().await;
        bucket.take_in_turn(operation).await;
        let slots = self.slots().await;
        bucket.spent_now();
        slots
    }

    /// The run's and the account's in-flight slots for one request.
    async fn slots(&self) -> Slots<'_> {
        // Neither semaphore is ever closed, so acquiring cannot fail; if it somehow did, sending
        // without a slot is better than dropping the request.
        let run = self.run_in_flight.acquire().await.ok();
        let account = self.in_flight.acquire().await.ok();
        (run, account)
    }

    async fn in_flight<F: Future>(&self, request: F) -> F::Output {
        let _slots = self.slots().await;
        request.await
    }

    /// Reads every page of an SDK paginator, each page paced as one call.
    pub async fn all_pages<T, E>(
        &self,
        region: &str,
        api: ApiOp,
        mut pages: PaginationStream<Result<T, E>>,
    ) -> Result<Vec<T>, E> {
        let mut items = Vec::new();
        loop {
            // A paginator only says it is done by answering nothing, so the token taken for the
            // end of the listing bought no request: it is given back. (The bounding listing,
            // GetResources, follows its tokens by hand and never pays for an end.)
            let bucket = self.bucket(region, api);
            let next = super::stats::page(pages.next());
            let next = match &bucket {
                Some(bucket) => {
                    let _slots = self.paced(bucket, api.operation).await;
                    CURRENT_BUCKET.scope(bucket.clone(), next).await
                }
                None => self.in_flight(next).await,
            };
            match next {
                Some(Ok(item)) => items.push(item),
                Some(Err(error)) => return Err(error),
                None => {
                    if let Some(bucket) = &bucket {
                        bucket.refund();
                    }
                    return Ok(items);
                }
            }
        }
    }

    /// Reads every page of a listing without an SDK paginator: `fetch(token)` sends one request,
    /// `next_token` reads the continuation token from a page. Stops on a missing, empty or
    /// repeated token (as the SDK paginators do).
    pub async fn token_pages<P, E, F, Fut>(
        &self,
        region: &str,
        api: ApiOp,
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
            let page = self.call(region, api, super::stats::page(fetch(token.clone()))).await?;
            let next = next_token(&page).filter(|t| !t.is_empty()).map(str::to_string);
            pages.push(page);
            match next {
                Some(next) if token.as_deref() != Some(next.as_str()) => token = Some(next),
                _ => return Ok(pages),
            }
        }
    }

    fn report(&self) -> Vec<BucketStats> {
        let buckets =
            self.buckets.lock().map(|b| b.values().cloned().collect::<Vec<_>>()).unwrap_or_default();
        buckets.iter().map(|b| b.report()).collect()
    }
}

/// The in-flight slots of one request (the run's, the account's), released when dropped.
type Slots<'a> = (Option<tokio::sync::SemaphorePermit<'a>>, Option<tokio::sync::SemaphorePermit<'a>>);

/// The bucket that bounded a run: the one with the largest floor.
pub fn bound(buckets: &[BucketStats]) -> Option<&BucketStats> {
    buckets.iter().max_by(|a, b| a.floor.cmp(&b.floor))
}

/// When the invocation's first attempt was sent, and the retry policy it started with.
#[derive(Debug, Clone)]
struct InvocationStart {
    at: Instant,
    retry: Option<RetryConfig>,
}

impl Storable for InvocationStart {
    type Storer = StoreReplace<Self>;
}

/// Makes the SDK's (standard-mode) retry strategy retry throttled attempts until
/// [`THROTTLE_DEADLINE`] instead of for a fixed number of attempts, and charges each throttled
/// attempt to the bucket of the call. Other retryable errors keep the configured attempt limit.
///
/// The standard strategy reads the `RetryConfig` from the config bag after every attempt (after
/// `read_after_attempt`), so raising its `max_attempts` by one per throttled attempt within the
/// deadline lets exactly one more attempt happen, with the strategy's usual exponential,
/// jittered back-off.
#[derive(Debug, Clone)]
pub struct PacingInterceptor {
    throttle_deadline: Duration,
}

impl PacingInterceptor {
    pub fn new(throttle_deadline: Duration) -> Self {
        Self { throttle_deadline }
    }
}

impl Intercept for PacingInterceptor {
    fn name(&self) -> &'static str {
        "EdgeAuditPacingInterceptor"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if cfg.load::<InvocationStart>().is_none() {
            let start = InvocationStart { at: Instant::now(), retry: cfg.load::<RetryConfig>().cloned() };
            cfg.interceptor_state().store_put(start);
            // What the SDK sends must be what was paced: a call site naming the wrong operation
            // would draw from the wrong bucket.
            if let Some(metadata) = cfg.load::<Metadata>() {
                let name = metadata.name();
                let _ = CURRENT_BUCKET.try_with(|bucket| {
                    let paced = bucket.last_operation.lock().map(|o| *o).unwrap_or_default();
                    if paced != name {
                        tracing::debug!("{name} sent under the pacing of {paced}");
                    }
                });
            }
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(start) = cfg.load::<InvocationStart>().cloned() else { return Ok(()) };
        let Some(base) = start.retry else { return Ok(()) };
        let throttled = context.response().is_some_and(super::stats::is_throttling);
        let attempts = cfg.load::<RequestAttempts>().map_or(1, |a| a.attempts());
        let max_attempts = if throttled {
            let _ = CURRENT_BUCKET.try_with(|bucket| bucket.throttled());
            if start.at.elapsed() < self.throttle_deadline {
                attempts.saturating_add(1)
            } else {
                tracing::debug!("still throttled after {:?}: giving up at the deadline", start.at.elapsed());
                attempts
            }
        } else {
            base.max_attempts()
        };
        cfg.interceptor_state().store_put(base.with_max_attempts(max_attempts));
        Ok(())
    }
}
