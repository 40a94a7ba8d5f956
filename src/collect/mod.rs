//! Live collection: AWS APIs → [`Inventory`].
//!
//! [`collect`] resolves the scope (credentials, accounts, regions; see [`scope`]), then reads
//! every service of every account concurrently, each call paced to its account's quota bucket
//! (see [`pacing`]). Collection fails closed:
//! anything that could not be read in a (region, service) — access denied, throttling after
//! retries, a timeout, an operation the endpoint does not implement — becomes a failed
//! [`Coverage`] record and the run goes on, so the checks report "not evaluated" instead of
//! mistaking a gap for "no resources". Only scope-level problems (no credentials, an account
//! that cannot be assumed) are a [`CollectError`].
//!
//! Each service module exposes `collect(RegionContext) -> AccountInventory` (a fragment holding
//! that service's resources and coverage for one region); [`collect_account`] runs them all and
//! merges the fragments.

mod acl_use;
mod apigateway;
mod apigatewayv2;
mod clients;
mod cloudfront;
mod ec2;
mod elbv2;
mod error;
mod lambda;
mod matching;
pub mod operations;
pub mod pacing;
mod scope;
mod shield;
mod stats;
mod tagging;
mod wafv2;

use acl_use::AclUse;
pub use apigateway::parse_policy as parse_rest_api_policy;
pub use clients::AccountClients;
pub use error::CallError;
use matching::Plaintexts;
use pacing::{AccountPacer, ApiOp, Pacer};
pub use pacing::{BucketStats, QUOTAS};
pub use scope::{load_sdk_config, AccountScope};
pub use stats::{CallStats, OperationStats, StatsInterceptor, StatsTable};

use edge_audit_checks::inventory::{AccountInventory, Coverage, Service, GLOBAL_REGION};
use edge_audit_checks::Inventory;
use futures::stream::{self, StreamExt};
use indicatif::{ProgressBar, ProgressStyle};
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// What to collect and how; mirrors the `scan`/`snapshot` command-line options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectOptions {
    /// Named profile (`--profile`); `None` uses the default credential chain.
    pub profile: Option<String>,
    /// A role to assume first (`--role-arn`), session name `edge-audit`.
    pub role_arn: Option<String>,
    /// External id for the role assumptions (`--external-id`).
    pub external_id: Option<String>,
    /// Accounts to audit (`--account`); for any that is not the caller's own account,
    /// `arn:<partition>:iam::<id>:role/<role_name>` is assumed.
    pub accounts: Vec<String>,
    /// The role assumed in other accounts (`--role-name`).
    pub role_name: String,
    /// Audit every active account of the organization (`--org`).
    pub org: bool,
    /// Regions to audit (`--regions`); `None` = every region enabled in each account.
    pub regions: Option<Vec<String>>,
    /// Maximum API requests in flight per account (`--concurrency`); accounts run concurrently.
    pub concurrency: usize,
    /// Show a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
}

/// The role `--account`/`--org` assume by default.
pub const DEFAULT_ROLE_NAME: &str = "EdgeAuditReadOnly";
/// `--concurrency` default: requests in flight per account. With calls paced to the quotas, a
/// handful in flight keeps every bucket of an account busy at usual latencies.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// The session name of every role edge-audit assumes, so CloudTrail shows who read.
pub const SESSION_NAME: &str = "edge-audit";

impl Default for CollectOptions {
    fn default() -> Self {
        Self {
            profile: None,
            role_arn: None,
            external_id: None,
            accounts: Vec::new(),
            role_name: DEFAULT_ROLE_NAME.to_string(),
            org: false,
            regions: None,
            concurrency: DEFAULT_CONCURRENCY,
            progress: false,
        }
    }
}

/// What a collection run did, for `--stats` and the run summary.
#[derive(Debug, Clone, Default)]
pub struct CollectSummary {
    pub accounts: usize,
    /// Distinct regions audited, over all accounts (`global` not counted).
    pub regions: usize,
    /// Resources collected (distributions, web ACLs, APIs, security groups …).
    pub resources: usize,
    /// API operations invoked (pages and detail calls; retries not counted).
    pub api_calls: u64,
    /// Attempts after the first, over all operations.
    pub retries: u64,
    /// Attempts answered with a throttling error.
    pub throttled: u64,
    /// Failed coverage records (what will be reported as not evaluated).
    pub coverage_failures: usize,
    pub duration: Duration,
    /// Every quota bucket used, largest floor first: the first bounded the run.
    pub buckets: Vec<BucketStats>,
    /// Per (service, operation) counters.
    pub operations: StatsTable,
}

/// A problem that stops the whole run: the scope itself could not be established.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("no usable AWS credentials: {0}; configure credentials or pass --profile")]
    Credentials(String),
    #[error("could not assume role {role_arn}{}: {message}", account_suffix(.account))]
    AssumeRole { role_arn: String, account: Option<String>, message: String },
    #[error("could not list the organization's accounts (organizations:ListAccounts): {0}")]
    Organization(String),
    #[error("could not list the enabled regions of account {account} (ec2:DescribeRegions): {message}; pass --regions to choose them")]
    Regions { account: String, message: String },
    #[error("invalid option: {0}")]
    InvalidOption(String),
}

fn account_suffix(account: &Option<String>) -> String {
    account.as_ref().map(|id| format!(" in account {id}")).unwrap_or_default()
}

/// Collects the inventory of every account and region in scope, with the standard credential
/// chain (`options.profile`, environment, SSO, web identity, container and instance roles) and
/// the endpoint overrides the SDK honours (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`).
pub async fn collect(options: &CollectOptions) -> Result<(Inventory, CollectSummary), CollectError> {
    let config = load_sdk_config(options.profile.as_deref()).await;
    collect_with_config(options, config).await
}

/// [`collect`] with a ready base configuration instead of the default loader: tests point it at
/// a local endpoint without touching process-wide environment variables. `options.profile` is
/// not consulted (the configuration already embodies it).
pub async fn collect_with_config(
    options: &CollectOptions,
    base: aws_config::SdkConfig,
) -> Result<(Inventory, CollectSummary), CollectError> {
    let started = Instant::now();
    let collected_at =
        time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).ok();
    let stats = CallStats::new();
    let pacer = Pacer::new(options.concurrency);
    let scopes = scope::resolve(options, base, &stats).await?;
    let progress = Progress::new(options.progress);

    // Quotas are per account, so accounts do not compete for them: all run at once, each with
    // its own buckets and in-flight limit (the run-wide cap only protects file descriptors).
    let pacer = &pacer;
    let progress_ref = &progress;
    let plaintexts = Plaintexts::default();
    let plaintexts_ref = &plaintexts;
    let mut accounts: Vec<AccountInventory> = stream::iter(scopes.iter())
        .map(|(clients, account)| async move {
            let account_pacer = pacer.account(&account.account_id);
            collect_account_with(clients, account, &account_pacer, progress_ref, plaintexts_ref).await
        })
        .buffer_unordered(scopes.len().max(1))
        .collect()
        .await;
    progress.finish();
    // Every account is read: the tests of each are evaluated against the values every
    // distribution of the scan sends (an origin may be in another account), then the
    // plaintexts are dropped.
    matching::apply(&mut accounts, plaintexts);

    let mut inventory = Inventory::new(accounts);
    inventory.generated_by = Some(format!("edge-audit {}", env!("CARGO_PKG_VERSION")));
    inventory.collected_at = collected_at;
    let summary = summarize(&inventory, &stats, started.elapsed(), pacer.report());
    Ok((inventory, summary))
}

/// Collects one account: the global services once, the regional ones in every region of
/// `scope.regions`, all concurrently, `concurrency` requests in flight at most. Never fails:
/// what could not be read is in the coverage.
pub async fn collect_account(
    clients: &AccountClients,
    scope: &AccountScope,
    concurrency: usize,
) -> AccountInventory {
    collect_account_paced(clients, scope, concurrency).await.0
}

/// [`collect_account`], also returning what each quota bucket of the account saw.
pub async fn collect_account_paced(
    clients: &AccountClients,
    scope: &AccountScope,
    concurrency: usize,
) -> (AccountInventory, Vec<BucketStats>) {
    let pacer = Pacer::new(concurrency);
    let account_pacer = pacer.account(&scope.account_id);
    let plaintexts = Plaintexts::default();
    let account =
        collect_account_with(clients, scope, &account_pacer, &Progress::hidden(), &plaintexts).await;
    let mut accounts = [account];
    matching::apply(&mut accounts, plaintexts);
    let [account] = accounts;
    (account, pacer.report())
}

/// Where a service collector runs: one account, one region ([`GLOBAL_REGION`] for the global
/// services), its clients and the account's pacer.
struct RegionContext<'a> {
    clients: &'a AccountClients,
    account_id: &'a str,
    partition: &'a str,
    /// The region audited; `global` for CloudFront, CLOUDFRONT-scope WAF and Shield.
    region: String,
    pacer: &'a AccountPacer,
    /// The web ACLs the account's stages and load balancers name, per region.
    acl_use: &'a AclUse,
    /// Where the collectors leave the plaintexts the matching pass needs.
    plaintexts: &'a Plaintexts,
}

impl RegionContext<'_> {
    /// The region the calls of this context go to (and whose quotas they draw from): the
    /// partition's global region for the global services.
    fn api_region(&self) -> &str {
        if self.region == GLOBAL_REGION {
            self.clients.global_region()
        } else {
            &self.region
        }
    }

    /// One request of `api`, paced to its quota bucket in this context's region.
    async fn call<F: Future>(&self, api: ApiOp, request: F) -> F::Output {
        self.pacer.call(self.api_region(), api, request).await
    }

    /// Every page of an SDK paginator of `api`, each page paced.
    async fn all_pages<T, E>(
        &self,
        api: ApiOp,
        pages: aws_smithy_async::future::pagination_stream::PaginationStream<Result<T, E>>,
    ) -> Result<Vec<T>, E> {
        self.pacer.all_pages(self.api_region(), api, pages).await
    }

    /// Every page of `api` in `region` (the tagging listing of a global service's resources).
    async fn all_pages_in<T, E>(
        &self,
        region: &str,
        api: ApiOp,
        pages: aws_smithy_async::future::pagination_stream::PaginationStream<Result<T, E>>,
    ) -> Result<Vec<T>, E> {
        self.pacer.all_pages(region, api, pages).await
    }

    /// Every page of a listing without an SDK paginator (see [`AccountPacer::token_pages`]).
    async fn token_pages<P, E, F, Fut>(
        &self,
        api: ApiOp,
        fetch: F,
        next_token: fn(&P) -> Option<&str>,
    ) -> Result<Vec<P>, E>
    where
        F: FnMut(Option<String>) -> Fut,
        Fut: Future<Output = Result<P, E>>,
    {
        self.pacer.token_pages(self.api_region(), api, fetch, next_token).await
    }

    /// The width of fan-outs over resources.
    fn fan_out(&self) -> usize {
        self.pacer.concurrency()
    }

    /// An empty fragment for this account.
    fn fragment(&self) -> AccountInventory {
        AccountInventory::new(self.account_id)
    }

    fn failed(&self, service: Service, operation: &str, error: &CallError) -> Coverage {
        Coverage::failed(self.region.clone(), service, operation, error.text.clone())
    }

    fn failed_on(&self, service: Service, operation: &str, resource: &str, error: &CallError) -> Coverage {
        let mut coverage = self.failed(service, operation, error);
        coverage.resource = Some(resource.to_string());
        coverage
    }

    /// A failed read of one resource that leaves the rest of the service's region collected
    /// (see [`edge_audit_checks::inventory::CoverageStatus::ResourceFailed`]): only for a
    /// resource whose absence the checks notice and report themselves.
    fn failed_resource(
        &self,
        service: Service,
        operation: &str,
        resource: &str,
        error: &CallError,
    ) -> Coverage {
        Coverage::resource_failed(self.region.clone(), service, operation, resource, error.text.clone())
    }
}

type Task<'a> = Pin<Box<dyn Future<Output = AccountInventory> + Send + 'a>>;

async fn collect_account_with(
    clients: &AccountClients,
    scope: &AccountScope,
    pacer: &AccountPacer,
    progress: &Progress,
    plaintexts: &Plaintexts,
) -> AccountInventory {
    let acl_use = AclUse::default();
    let context = |region: &str| RegionContext {
        clients,
        account_id: &scope.account_id,
        partition: &scope.partition,
        region: region.to_string(),
        pacer,
        acl_use: &acl_use,
        plaintexts,
    };
    let mut tasks: Vec<(String, &'static str, Task<'_>)> = vec![
        (GLOBAL_REGION.into(), "cloudfront", Box::pin(cloudfront::collect(context(GLOBAL_REGION)))),
        (GLOBAL_REGION.into(), "wafv2", Box::pin(wafv2::collect(context(GLOBAL_REGION)))),
        (GLOBAL_REGION.into(), "shield", Box::pin(shield::collect(context(GLOBAL_REGION)))),
    ];
    for region in &scope.regions {
        tasks.push((region.clone(), "wafv2", Box::pin(wafv2::collect(context(region)))));
        tasks.push((region.clone(), "apigateway", Box::pin(apigateway::collect(context(region)))));
        tasks.push((region.clone(), "apigatewayv2", Box::pin(apigatewayv2::collect(context(region)))));
        tasks.push((region.clone(), "ec2", Box::pin(ec2::collect(context(region)))));
        tasks.push((region.clone(), "elbv2", Box::pin(elbv2::collect(context(region)))));
        tasks.push((region.clone(), "lambda", Box::pin(lambda::collect(context(region)))));
    }
    progress.add_tasks(tasks.len());
    // Every task starts at once: the pacer decides when each request goes out, a task waiting
    // for a slow bucket (API Gateway's GetResources) must not keep others from starting, and a
    // region's WAF task waits for its API Gateway and ELBv2 tasks (see `acl_use`), so bounding
    // how many run could leave it waiting for a task that never starts.
    let task_count = tasks.len();
    let fragments: Vec<AccountInventory> = stream::iter(tasks)
        .map(|(region, service, task)| async move {
            let fragment = task.await;
            progress.task_done(&scope.account_id, &region, service);
            fragment
        })
        .buffer_unordered(task_count.max(1))
        .collect()
        .await;

    let mut account = AccountInventory::new(&scope.account_id);
    account.partition = scope.partition.clone();
    account.regions = scope.regions.clone();
    for fragment in fragments {
        merge(&mut account, fragment);
    }
    account.normalize();
    account
}

/// Appends a fragment's resources and coverage to the account's.
fn merge(into: &mut AccountInventory, from: AccountInventory) {
    let AccountInventory {
        account_id: _,
        partition: _,
        regions: _,
        coverage,
        distributions,
        vpc_origins,
        origin_access_controls,
        cache_policies,
        origin_request_policies,
        web_acls,
        ip_sets,
        regex_pattern_sets,
        rule_groups,
        rest_apis,
        http_apis,
        usage_plans,
        api_keys,
        domain_names,
        security_groups,
        prefix_lists,
        instances,
        network_interfaces,
        load_balancers,
        target_groups,
        lambda_functions,
        distribution_tenants,
        shield,
    } = from;
    into.coverage.extend(coverage);
    into.distributions.extend(distributions);
    into.vpc_origins.extend(vpc_origins);
    into.origin_access_controls.extend(origin_access_controls);
    into.cache_policies.extend(cache_policies);
    into.origin_request_policies.extend(origin_request_policies);
    into.web_acls.extend(web_acls);
    into.ip_sets.extend(ip_sets);
    into.regex_pattern_sets.extend(regex_pattern_sets);
    into.rule_groups.extend(rule_groups);
    into.rest_apis.extend(rest_apis);
    into.http_apis.extend(http_apis);
    into.usage_plans.extend(usage_plans);
    into.api_keys.extend(api_keys);
    into.domain_names.extend(domain_names);
    into.security_groups.extend(security_groups);
    into.prefix_lists.extend(prefix_lists);
    into.instances.extend(instances);
    into.network_interfaces.extend(network_interfaces);
    into.load_balancers.extend(load_balancers);
    into.target_groups.extend(target_groups);
    into.lambda_functions.extend(lambda_functions);
    into.distribution_tenants.extend(distribution_tenants);
    if shield.is_some() {
        into.shield = shield;
    }
}

fn summarize(
    inventory: &Inventory,
    stats: &CallStats,
    duration: Duration,
    buckets: Vec<BucketStats>,
) -> CollectSummary {
    let totals = stats.totals();
    let mut regions = std::collections::BTreeSet::new();
    let mut resources = 0;
    let mut coverage_failures = 0;
    for account in &inventory.accounts {
        regions.extend(account.regions.iter().cloned());
        resources += resource_count(account);
        coverage_failures += account.coverage.iter().filter(|c| c.status.is_failure()).count();
    }
    CollectSummary {
        accounts: inventory.accounts.len(),
        regions: regions.len(),
        resources,
        api_calls: totals.calls,
        retries: totals.retries,
        throttled: totals.throttled,
        coverage_failures,
        duration,
        buckets,
        operations: stats.snapshot(),
    }
}

/// Top-level resources of an account (nested ones such as stages or listeners not counted).
pub fn resource_count(account: &AccountInventory) -> usize {
    account.distributions.len()
        + account.vpc_origins.len()
        + account.origin_access_controls.len()
        + account.cache_policies.iter().filter(|p| !p.managed).count()
        + account.origin_request_policies.iter().filter(|p| !p.managed).count()
        + account.web_acls.len()
        + account.ip_sets.len()
        + account.regex_pattern_sets.len()
        + account.rule_groups.len()
        + account.rest_apis.len()
        + account.http_apis.len()
        + account.usage_plans.len()
        + account.api_keys.len()
        + account.domain_names.len()
        + account.security_groups.len()
        + account.prefix_lists.len()
        + account.instances.len()
        + account.network_interfaces.len()
        + account.load_balancers.len()
        + account.target_groups.len()
        + account.lambda_functions.len()
}

/// The progress bar: one tick per (account, region, service) task. Drawn on stderr only when
/// asked for and stderr is a terminal, so piped and CI output stay clean.
struct Progress {
    bar: ProgressBar,
}

impl Progress {
    fn new(enabled: bool) -> Self {
        use std::io::IsTerminal;
        if !enabled || !std::io::stderr().is_terminal() {
            return Self::hidden();
        }
        // Each account adds its tasks when it starts.
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} collecting [{bar:30}] {pos}/{len} {wide_msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        Self { bar }
    }

    fn hidden() -> Self {
        Self { bar: ProgressBar::hidden() }
    }

    fn add_tasks(&self, count: usize) {
        self.bar.inc_length(count as u64);
    }

    fn task_done(&self, account: &str, region: &str, service: &str) {
        self.bar.set_message(format!("{account} {region} {service}"));
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
