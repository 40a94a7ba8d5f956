//! The scope of a run: which credentials, which accounts (the caller's own, `--account`s or the
//! organization's), which role in each, and which regions. Every failure here is fatal and names
//! the account: an audit that silently skipped an account would look clean.

use super::clients::{global_region_of, AccountClients};
use super::error::describe;
use super::stats::{CallStats, StatsInterceptor};
use super::{CollectError, CollectOptions, SESSION_NAME};
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_sts::operation::assume_role::AssumeRoleError;
use aws_smithy_async::time::SystemTimeSource;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::stream::{self, StreamExt, TryStreamExt};
use std::time::Duration;

/// Attempts per request (the first and up to four retries) for errors other than throttling;
/// throttled attempts are retried until the throttling deadline (see `pacing`).
pub(super) const MAX_ATTEMPTS: u32 = 5;
/// How long one attempt may take, connection included.
pub(super) const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one operation may take, all retries included: the throttling deadline plus one last
/// back-off and attempt, so that a call throttled to the end fails with AWS's own error.
pub(super) const OPERATION_TIMEOUT: Duration = Duration::from_secs(150);
pub(super) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// One account to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountScope {
    pub account_id: String,
    /// `aws`, `aws-cn`, `aws-us-gov`, from the caller's ARN.
    pub partition: String,
    /// The regions to audit (global services are always read, once).
    pub regions: Vec<String>,
}

/// The standard configuration chain (environment, shared profiles incl. SSO, web identity,
/// container and instance credentials, `AWS_ENDPOINT_URL[_<SERVICE>]`) with edge-audit's retry and
/// timeout policy. Without a configured region, `us-east-1` is used for the scope calls.
pub async fn load_sdk_config(profile: Option<&str>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config())
        .timeout_config(timeout_config());
    if let Some(profile) = profile {
        loader = loader.profile_name(profile);
    }
    let config = loader.load().await;
    if config.region().is_some() {
        config
    } else {
        config.to_builder().region(Region::new(global_region_of("aws"))).build()
    }
}

/// Standard retry with exponential, jittered backoff. Not adaptive mode: its client-side rate
/// limiter is shared by every account of the run (see `clients`); pacing replaces it.
pub(super) fn retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_initial_backoff(Duration::from_millis(250))
        .with_max_backoff(Duration::from_secs(20))
}

pub(super) fn timeout_config() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build()
}

/// Establishes the accounts of the run, each with its clients (credentials verified) and regions.
pub(super) async fn resolve(
    options: &CollectOptions,
    base: SdkConfig,
    stats: &CallStats,
) -> Result<Vec<(AccountClients, AccountScope)>, CollectError> {
    validate(options)?;
    if base.credentials_provider().is_none() {
        return Err(CollectError::Credentials("no credential provider is configured".into()));
    }

    // The starting identity: the credential chain's, or the --role-arn assumed from it.
    let caller_config = match &options.role_arn {
        Some(role_arn) => assume(&base, role_arn, options.external_id.as_deref()).await,
        None => base,
    };
    let caller = match caller_identity(&clients_of(caller_config.clone(), "aws", stats)).await {
        Ok(caller) => caller,
        Err(message) => {
            return Err(match &options.role_arn {
                Some(role_arn) => {
                    CollectError::AssumeRole { role_arn: role_arn.clone(), account: None, message }
                }
                None => CollectError::Credentials(format!("GetCallerIdentity failed: {message}")),
            })
        }
    };
    let caller_clients = clients_of(caller_config.clone(), &caller.partition, stats);

    let targets = if options.org {
        organization_accounts(&caller_clients).await?
    } else if options.accounts.is_empty() {
        vec![caller.account_id.clone()]
    } else {
        let mut accounts = options.accounts.clone();
        accounts.sort();
        accounts.dedup();
        accounts
    };

    // Accounts are prepared concurrently (an organization can have hundreds); the first that
    // cannot be entered stops the run.
    let caller = (&caller, &caller_config, &caller_clients);
    stream::iter(targets)
        .map(|account_id| account_scope(options, caller, account_id, stats))
        .buffered(options.concurrency.max(1))
        .try_collect()
        .await
}

fn clients_of(config: SdkConfig, partition: &str, stats: &CallStats) -> AccountClients {
    AccountClients::new(config).partition(partition).with_interceptor(StatsInterceptor::new(stats.clone()))
}

/// The clients and regions of one account: the caller's own clients for its own account, else
/// those of `role_name` assumed there (verified with GetCallerIdentity: assumption is lazy).
async fn account_scope(
    options: &CollectOptions,
    (caller, caller_config, caller_clients): (&Identity, &SdkConfig, &AccountClients),
    account_id: String,
    stats: &CallStats,
) -> Result<(AccountClients, AccountScope), CollectError> {
    let clients = if account_id == caller.account_id {
        caller_clients.clone()
    } else {
        let role_arn = format!("arn:{}:iam::{account_id}:role/{}", caller.partition, options.role_name);
        let config = assume(caller_config, &role_arn, options.external_id.as_deref()).await;
        let clients = clients_of(config, &caller.partition, stats);
        let refused = |message| CollectError::AssumeRole {
            role_arn: role_arn.clone(),
            account: Some(account_id.clone()),
            message,
        };
        let identity = caller_identity(&clients).await.map_err(refused)?;
        if identity.account_id != account_id {
            return Err(refused(format!("the role belongs to account {}", identity.account_id)));
        }
        clients
    };
    let regions = match &options.regions {
        Some(regions) => regions.clone(),
        None => enabled_regions(&clients)
            .await
            .map_err(|message| CollectError::Regions { account: account_id.clone(), message })?,
    };
    Ok((clients, AccountScope { account_id, partition: caller.partition.clone(), regions }))
}

fn validate(options: &CollectOptions) -> Result<(), CollectError> {
    for account in &options.accounts {
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CollectError::InvalidOption(format!("account id {account:?} is not 12 digits")));
        }
    }
    if options.org && !options.accounts.is_empty() {
        return Err(CollectError::InvalidOption("--org and --account cannot be combined".into()));
    }
    if options.role_name.is_empty() && (options.org || !options.accounts.is_empty()) {
        return Err(CollectError::InvalidOption("--role-name is empty".into()));
    }
    if let Some(regions) = &options.regions {
        if regions.is_empty() {
            return Err(CollectError::InvalidOption("--regions lists no region".into()));
        }
        for region in regions {
            let valid = !region.is_empty()
                && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !valid || region == edge_audit_checks::inventory::GLOBAL_REGION {
                return Err(CollectError::InvalidOption(format!("{region:?} is not an AWS region name")));
            }
        }
    }
    Ok(())
}

/// A configuration whose credentials are those of `role_arn`, assumed (and refreshed when they
/// expire) with the credentials of `from`.
async fn assume(from: &SdkConfig, role_arn: &str, external_id: Option<&str>) -> SdkConfig {
    // The provider needs a clock (session expiry); a hand-built configuration may have none.
    let from = match from.time_source() {
        Some(_) => from.clone(),
        None => from.to_builder().time_source(SystemTimeSource::new()).build(),
    };
    let mut provider = AssumeRoleProvider::builder(role_arn).session_name(SESSION_NAME).configure(&from);
    if let Some(external_id) = external_id {
        provider = provider.external_id(external_id);
    }
    let provider = provider.build().await;
    from.to_builder().credentials_provider(SharedCredentialsProvider::new(provider)).build()
}

struct Identity {
    account_id: String,
    partition: String,
}

async fn caller_identity(clients: &AccountClients) -> Result<Identity, String> {
    let output = clients.sts().get_caller_identity().send().await.map_err(|e| fatal_text(&e))?;
    let account_id = output.account().unwrap_or_default().to_string();
    if account_id.is_empty() {
        return Err("GetCallerIdentity returned no account id".into());
    }
    // arn:<partition>:sts::<account>:assumed-role/…
    let partition =
        output.arn().and_then(|arn| arn.split(':').nth(1)).filter(|p| !p.is_empty()).unwrap_or("aws");
    Ok(Identity { account_id, partition: partition.to_string() })
}

/// The active accounts of the caller's organization.
async fn organization_accounts(clients: &AccountClients) -> Result<Vec<String>, CollectError> {
    let pages = clients.organizations().list_accounts().into_paginator().send().try_collect().await;
    let pages = pages.map_err(|e| CollectError::Organization(fatal_text(&e)))?;
    let mut accounts: Vec<String> = pages
        .iter()
        .flat_map(|page| page.accounts())
        .filter(|account| {
            account.status().is_some_and(|status| status.as_str() == "ACTIVE")
                || account.state().is_some_and(|state| state.as_str() == "ACTIVE")
        })
        .filter_map(|account| account.id().map(str::to_string))
        .collect();
    accounts.sort();
    accounts.dedup();
    if accounts.is_empty() {
        return Err(CollectError::Organization("the organization lists no active account".into()));
    }
    Ok(accounts)
}

/// The regions enabled in the account (opted-in or not requiring opt-in): DescribeRegions
/// without AllRegions returns exactly those.
async fn enabled_regions(clients: &AccountClients) -> Result<Vec<String>, String> {
    let region = clients.sdk_config().region().map(|r| r.to_string());
    let ec2 = clients.ec2(region.as_deref().unwrap_or(clients.global_region()));
    let output = ec2.describe_regions().send().await.map_err(|e| fatal_text(&e))?;
    let mut regions: Vec<String> = output
        .regions()
        .iter()
        .filter(|r| r.opt_in_status().is_none_or(|status| status != "not-opted-in"))
        .filter_map(|r| r.region_name().map(str::to_string))
        .collect();
    regions.sort();
    if regions.is_empty() {
        return Err("DescribeRegions returned no region".into());
    }
    Ok(regions)
}

/// The text of a fatal error. A refused AssumeRole arrives nested in a credentials error: its
/// AWS code and message say it best. Otherwise the chain of causes (credential-provider
/// failures are nested several levels deep), each by its `Display`: never `Debug`, which would
/// dump raw responses.
fn fatal_text<E>(error: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if let SdkError::ServiceError(_) = error {
        return describe(error).text;
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(refused) = current.downcast_ref::<SdkError<AssumeRoleError, HttpResponse>>() {
            return format!("sts:AssumeRole failed: {}", describe(refused).text);
        }
        cause = current.source();
    }
    cause_chain(error)
}

/// `outer: inner: innermost`, leaving out a cause whose text its parent already shows.
fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        let part = current.to_string();
        if !part.is_empty() && !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        cause = current.source();
    }
    text
}
