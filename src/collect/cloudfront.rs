//! CloudFront (global): distributions from ListDistributions, whose summaries already carry the
//! origins, behaviors and web ACL (so no GetDistributionConfig per distribution), and the custom
//! cache / origin-request policies they use (managed ones come from the built-in table), and the
//! distributions' tags (one `tag:GetResources` listing; ListTagsForResource per distribution only
//! if that fails), and the tenants of multi-tenant distributions (ListDistributionTenants, whose
//! summaries carry the domains, the connection group and the web ACL customization).
//!
//! Templated origins: a multi-tenant distribution's origin may name its domain or path with
//! `{{name}}` placeholders that CloudFront fills per tenant from the tenant's `Parameters`, else
//! the distribution's `TenantConfig.ParameterDefinitions` default. Neither is in a listing: the
//! `DistributionTenantSummary` has no `Parameters` and the `DistributionSummary` no
//! `TenantConfig`. So, for a multi-tenant distribution with a templated origin only, one
//! GetDistributionConfig (its parameter definitions) and one GetDistributionTenant per enabled
//! tenant (its parameters); every other distribution and tenant costs no call. The checks fill
//! the templates in per tenant (`Origin::for_tenant`) and judge each tenant's origin as any
//! origin.
//!
//! Failures: a failed listing is a coverage failure, so every tenant check is then not
//! evaluated, never passed. A failed GetDistributionTenant is a coverage failure naming the
//! tenant, whose parameters stay unread (`None`): its templated origins are not evaluated. A
//! failed GetDistributionConfig leaves the defaults unread: a tenant that sets every parameter
//! is still judged, one that relies on a default is not evaluated. Parameters are not secrets
//! (they name hosts and paths) but come from outside: an answer beyond [`MAX_PARAMETERS`] or
//! with a name or value beyond [`MAX_PARAMETER_CHARS`] is not stored (a coverage failure).

use super::matching::Plaintexts;
use super::pacing::op;
use super::{tagging, CallError, RegionContext};
use aws_sdk_cloudfront::types as cf;
use edge_audit_checks::inventory::{
    AccountInventory, CacheBehavior, CachePolicy, Coverage, CustomOriginConfig, Distribution,
    DistributionTenant, FunctionAssociation, LegacyCacheSettings, Origin, OriginAccessControl, OriginHeader,
    OriginRequestPolicy, OriginVpcConfig, Service, TenantParameterDefinition, TenantWebAcl, VpcOrigin,
};
use edge_audit_checks::managed_policies;
use edge_audit_checks::origin::OriginKind;
use edge_audit_checks::secret::SecretValue;
use futures::stream::{self, StreamExt};
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: Service = Service::Cloudfront;
/// The most parameters (or parameter definitions) stored for one tenant (distribution).
pub(super) const MAX_PARAMETERS: usize = 64;
/// The longest parameter name or value stored, in characters: a host name is at most 253.
pub(super) const MAX_PARAMETER_CHARS: usize = 1024;
/// The SDK's name of the service, for pacing.
const SDK: &str = "cloudfront";

pub(super) async fn collect(ctx: RegionContext<'_>) -> AccountInventory {
    let mut out = ctx.fragment();
    let client = ctx.clients.cloudfront();
    let pages = ctx
        .all_pages(op(SDK, "ListDistributions"), client.list_distributions().into_paginator().send())
        .await;
    let pages = match pages {
        Ok(pages) => pages,
        Err(error) => {
            out.coverage.push(ctx.failed(SERVICE, "ListDistributions", &error.into()));
            return out;
        }
    };
    out.distributions = pages
        .iter()
        .filter_map(|page| page.distribution_list())
        .flat_map(|list| list.items())
        .map(|summary| distribution(summary, ctx.plaintexts))
        .collect();

    let mut complete = true;
    match vpc_origins(&ctx, &client, &out.distributions).await {
        Ok((origins, failures)) => {
            out.vpc_origins = origins;
            complete &= failures.is_empty();
            out.coverage.extend(failures);
        }
        Err(coverage) => {
            complete = false;
            out.coverage.push(coverage);
        }
    }
    match origin_access_controls(&ctx, &client, &out.distributions).await {
        Ok(controls) => out.origin_access_controls = controls,
        Err(coverage) => {
            complete = false;
            out.coverage.push(coverage);
        }
    }
    // Tenants exist only under multi-tenant distributions: one listing of the account's
    // tenants, skipped when there is none.
    if out.distributions.iter().any(Distribution::is_multi_tenant) {
        let pages = ctx
            .all_pages(
                op(SDK, "ListDistributionTenants"),
                client.list_distribution_tenants().into_paginator().send(),
            )
            .await;
        match pages {
            Ok(pages) => {
                out.distribution_tenants = pages
                    .iter()
                    .flat_map(|page| page.distribution_tenant_list())
                    .map(distribution_tenant)
                    .collect();
            }
            Err(error) => {
                complete = false;
                out.coverage.push(ctx.failed(SERVICE, "ListDistributionTenants", &error.into()));
            }
        }
        for coverage in
            tenant_parameters(&ctx, &client, &mut out.distributions, &mut out.distribution_tenants).await
        {
            complete = false;
            out.coverage.push(coverage);
        }
    }
    for coverage in distribution_tags(&ctx, &client, &mut out.distributions).await {
        complete = false;
        out.coverage.push(coverage);
    }

    let (cache_ids, origin_request_ids) = custom_policy_ids(&out.distributions);
    let client = &client;
    let ctx_ref = &ctx;
    let (cache_policies, cache_failures) = read_each(ctx_ref, cache_ids, |id| async move {
        match ctx_ref.call(op(SDK, "GetCachePolicy"), client.get_cache_policy().id(&id).send()).await {
            Ok(output) => Ok(cache_policy(&id, output.cache_policy())),
            Err(error) => Err(ctx_ref.failed_on(
                SERVICE,
                "GetCachePolicy",
                &policy_arn(ctx_ref, "cache-policy", &id),
                &error.into(),
            )),
        }
    })
    .await;
    let (origin_request_policies, origin_request_failures) =
        read_each(ctx_ref, origin_request_ids, |id| async move {
            match ctx_ref
                .call(op(SDK, "GetOriginRequestPolicy"), client.get_origin_request_policy().id(&id).send())
                .await
            {
                Ok(output) => Ok(origin_request_policy(&id, output.origin_request_policy())),
                Err(error) => Err(ctx_ref.failed_on(
                    SERVICE,
                    "GetOriginRequestPolicy",
                    &policy_arn(ctx_ref, "origin-request-policy", &id),
                    &error.into(),
                )),
            }
        })
        .await;
    out.cache_policies.extend(cache_policies);
    out.origin_request_policies.extend(origin_request_policies);
    for coverage in cache_failures.into_iter().chain(origin_request_failures) {
        complete = false;
        out.coverage.push(coverage);
    }
    if complete {
        out.coverage.push(Coverage::collected(ctx.region.clone(), SERVICE));
    }
    out
}

/// Reads what templated origins are filled in with (see the module doc): the parameter
/// definitions of each multi-tenant distribution with a templated origin (GetDistributionConfig)
/// and the parameters of each of its enabled tenants (GetDistributionTenant). Returns a coverage
/// record per read that failed.
async fn tenant_parameters(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_cloudfront::Client,
    distributions: &mut [Distribution],
    tenants: &mut [DistributionTenant],
) -> Vec<Coverage> {
    let templated: Vec<(usize, String, String)> = distributions
        .iter()
        .enumerate()
        .filter(|(_, d)| d.is_multi_tenant() && d.origins.iter().any(Origin::is_tenant_template))
        .map(|(i, d)| (i, d.id.clone(), d.arn.clone()))
        .collect();
    if templated.is_empty() {
        return Vec::new();
    }
    let wanted_tenants: Vec<(usize, String, String)> = tenants
        .iter()
        .enumerate()
        .filter(|(_, t)| t.enabled && templated.iter().any(|(_, id, _)| *id == t.distribution_id))
        .map(|(i, t)| (i, t.id.clone(), t.arn.clone()))
        .collect();
    let definitions: Vec<(usize, Result<Vec<TenantParameterDefinition>, Coverage>)> = stream::iter(templated)
        .map(|(i, id, arn)| async move {
            let answer = ctx
                .call(op(SDK, "GetDistributionConfig"), client.get_distribution_config().id(&id).send())
                .await;
            let read = match answer {
                Ok(output) => {
                    parameter_definitions(output.distribution_config().and_then(|c| c.tenant_config()))
                        .map_err(|why| {
                            ctx.failed_on(SERVICE, "GetDistributionConfig", &arn, &CallError::new(why))
                        })
                }
                Err(error) => Err(ctx.failed_on(SERVICE, "GetDistributionConfig", &arn, &error.into())),
            };
            (i, read)
        })
        .buffer_unordered(ctx.fan_out())
        .collect()
        .await;
    let parameters: Vec<(usize, Result<TenantParameters, Coverage>)> = stream::iter(wanted_tenants)
        .map(|(i, id, arn)| async move {
            let answer = ctx
                .call(
                    op(SDK, "GetDistributionTenant"),
                    client.get_distribution_tenant().identifier(&id).send(),
                )
                .await;
            let read = match answer {
                Ok(output) => match output.distribution_tenant() {
                    Some(tenant) => tenant_parameter_values(tenant.parameters()),
                    None => Err("the answer holds no DistributionTenant".to_string()),
                }
                .map_err(|why| ctx.failed_on(SERVICE, "GetDistributionTenant", &arn, &CallError::new(why))),
                Err(error) => Err(ctx.failed_on(SERVICE, "GetDistributionTenant", &arn, &error.into())),
            };
            (i, read)
        })
        .buffer_unordered(ctx.fan_out())
        .collect()
        .await;
    let mut failures = Vec::new();
    for (i, read) in definitions {
        match read {
            Ok(read) => distributions[i].tenant_parameters = Some(read),
            Err(coverage) => failures.push(coverage),
        }
    }
    for (i, read) in parameters {
        match read {
            Ok(read) => tenants[i].parameters = Some(read),
            Err(coverage) => failures.push(coverage),
        }
    }
    failures
}

/// A tenant's parameters, name → value.
type TenantParameters = BTreeMap<String, String>;

/// A distribution's `TenantConfig.ParameterDefinitions`, within the bounds.
fn parameter_definitions(
    config: Option<&cf::TenantConfig>,
) -> Result<Vec<TenantParameterDefinition>, String> {
    let definitions = config.map(|c| c.parameter_definitions()).unwrap_or_default();
    if definitions.len() > MAX_PARAMETERS {
        return Err(format!(
            "{} parameter definitions, more than the {MAX_PARAMETERS} edge-audit reads",
            definitions.len()
        ));
    }
    definitions
        .iter()
        .map(|d| {
            let schema = d.definition().and_then(|d| d.string_schema());
            let default_value = schema.and_then(|s| s.default_value()).map(str::to_string);
            within_bounds(d.name())?;
            if let Some(value) = &default_value {
                within_bounds(value)?;
            }
            Ok(TenantParameterDefinition {
                name: d.name().to_string(),
                default_value,
                required: schema.is_some_and(|s| s.required()),
            })
        })
        .collect()
}

/// A tenant's `Parameters` as name → value, within the bounds.
fn tenant_parameter_values(parameters: &[cf::Parameter]) -> Result<TenantParameters, String> {
    if parameters.len() > MAX_PARAMETERS {
        return Err(format!(
            "{} parameters, more than the {MAX_PARAMETERS} edge-audit reads",
            parameters.len()
        ));
    }
    parameters
        .iter()
        .map(|p| {
            within_bounds(p.name())?;
            within_bounds(p.value())?;
            Ok((p.name().to_string(), p.value().to_string()))
        })
        .collect()
}

/// Whether a parameter name or value is short enough to store (its text is never quoted back:
/// only its length).
fn within_bounds(text: &str) -> Result<(), String> {
    let chars = text.chars().count();
    if chars > MAX_PARAMETER_CHARS {
        return Err(format!("a parameter name or value of {chars} characters, more than the {MAX_PARAMETER_CHARS} edge-audit reads"));
    }
    Ok(())
}

/// The VPC origins of the account (ListVpcOrigins, then GetVpcOrigin for each one a distribution
/// of the account uses, for its protocol and ports). Listed even when no distribution of the
/// account uses one: a VPC origin shared through AWS RAM is used by another account's
/// distribution (`OwnerAccountId` = this account), which is judged over this account's listing
/// when both are scanned (one call per account; the listing's endpoint ARN is what the verdict
/// reads, so no GetVpcOrigin for those). A failed listing is an `Err` coverage record (every VPC
/// origin is then unresolved, never assumed private); a failed detail read keeps the summary and
/// adds a coverage record naming the VPC origin.
async fn vpc_origins(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_cloudfront::Client,
    distributions: &[Distribution],
) -> Result<(Vec<VpcOrigin>, Vec<Coverage>), Coverage> {
    let used: BTreeSet<&str> = distributions
        .iter()
        .flat_map(|d| d.origins.iter())
        .filter_map(|o| o.vpc_origin_id.as_deref())
        .collect();
    let pages = ctx
        .token_pages(
            op(SDK, "ListVpcOrigins"),
            |marker| client.list_vpc_origins().set_marker(marker).send(),
            |page: &aws_sdk_cloudfront::operation::list_vpc_origins::ListVpcOriginsOutput| {
                page.vpc_origin_list().filter(|l| l.is_truncated()).and_then(|l| l.next_marker())
            },
        )
        .await;
    let pages = match pages {
        Ok(pages) => pages,
        // No distribution of this account uses a VPC origin: the listing only serves another
        // scanned account's distributions using one shared from here, and those report their
        // VPC origin as not evaluated when it is missing from this inventory. A role without
        // the (2024) permission must not cost the account its CloudFront coverage.
        Err(error) if used.is_empty() => {
            tracing::debug!(
                "ListVpcOrigins failed and no distribution of the account uses a VPC origin: {error}"
            );
            return Ok((Vec::new(), Vec::new()));
        }
        Err(error) => return Err(ctx.failed(SERVICE, "ListVpcOrigins", &error.into())),
    };
    let mut origins: Vec<VpcOrigin> = pages
        .iter()
        .filter_map(|page| page.vpc_origin_list())
        .flat_map(|list| list.items())
        .map(|summary| VpcOrigin {
            id: summary.id().to_string(),
            arn: summary.arn().to_string(),
            account_id: summary.account_id().unwrap_or(ctx.account_id).to_string(),
            name: summary.name().to_string(),
            endpoint_arn: summary.origin_endpoint_arn().to_string(),
            status: summary.status().to_string(),
            ..VpcOrigin::default()
        })
        .collect();
    let client = &client;
    // Owned (index, id, ARN) triples: the future below must not borrow `origins`.
    let wanted: Vec<(usize, String, String)> = origins
        .iter()
        .enumerate()
        .filter(|(_, o)| used.contains(o.id.as_str()))
        .map(|(i, o)| (i, o.id.clone(), o.arn.clone()))
        .collect();
    let details: Vec<(usize, Result<cf::VpcOriginEndpointConfig, Coverage>)> = stream::iter(wanted)
        .map(|(i, id, arn)| async move {
            let answer = ctx.call(op(SDK, "GetVpcOrigin"), client.get_vpc_origin().id(&id).send()).await;
            let detail = match answer {
                Ok(output) => {
                    output.vpc_origin().and_then(|v| v.vpc_origin_endpoint_config()).cloned().ok_or_else(
                        || {
                            ctx.failed_on(
                                SERVICE,
                                "GetVpcOrigin",
                                &arn,
                                &CallError::new("the answer holds no VpcOriginEndpointConfig"),
                            )
                        },
                    )
                }
                Err(error) => Err(ctx.failed_on(SERVICE, "GetVpcOrigin", &arn, &error.into())),
            };
            (i, detail)
        })
        .buffer_unordered(ctx.fan_out())
        .collect()
        .await;
    let mut failures = Vec::new();
    for (i, detail) in details {
        match detail {
            Ok(config) => {
                let origin = &mut origins[i];
                origin.protocol_policy = Some(config.origin_protocol_policy().as_str().to_string());
                origin.http_port = u16::try_from(config.http_port()).ok();
                origin.https_port = u16::try_from(config.https_port()).ok();
                origin.ssl_protocols = config
                    .origin_ssl_protocols()
                    .map(|p| p.items().iter().map(|s| s.as_str().to_string()).collect())
                    .unwrap_or_default();
            }
            Err(coverage) => failures.push(coverage),
        }
    }
    Ok((origins, failures))
}

/// The account's origin access controls (ListOriginAccessControls: the summaries carry the
/// origin type, signing behavior and protocol, so no GetOriginAccessControl per control). Read
/// only when some origin names one; a failed listing is an `Err` coverage record (every OAC is
/// then "could not verify", never taken for one that signs).
async fn origin_access_controls(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_cloudfront::Client,
    distributions: &[Distribution],
) -> Result<Vec<OriginAccessControl>, Coverage> {
    let used =
        distributions.iter().flat_map(|d| d.origins.iter()).any(|o| o.origin_access_control_id.is_some());
    if !used {
        return Ok(Vec::new());
    }
    let pages = ctx
        .all_pages(
            op(SDK, "ListOriginAccessControls"),
            client.list_origin_access_controls().into_paginator().send(),
        )
        .await
        .map_err(|error| ctx.failed(SERVICE, "ListOriginAccessControls", &error.into()))?;
    Ok(pages
        .iter()
        .filter_map(|page| page.origin_access_control_list())
        .flat_map(|list| list.items())
        .map(|summary| OriginAccessControl {
            id: summary.id().to_string(),
            name: summary.name().to_string(),
            origin_type: summary.origin_access_control_origin_type().as_str().to_string(),
            signing_behavior: summary.signing_behavior().as_str().to_string(),
            signing_protocol: summary.signing_protocol().as_str().to_string(),
        })
        .collect())
}

/// Fills in the distributions' tags (see [`tagging::tags_of`]); ListTagsForResource per
/// distribution is the fallback. Returns a coverage record per tag set that could not be read.
async fn distribution_tags(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_cloudfront::Client,
    distributions: &mut [Distribution],
) -> Vec<Coverage> {
    let arns = distributions.iter().map(|d| d.arn.clone()).collect();
    let region = ctx.clients.global_region();
    let answers = tagging::tags_of(ctx, region, "cloudfront:distribution", arns, |arn| async move {
        match ctx
            .call(op(SDK, "ListTagsForResource"), client.list_tags_for_resource().resource(&arn).send())
            .await
        {
            Ok(output) => Ok(output
                .tags()
                .map(|tags| {
                    tags.items()
                        .iter()
                        .map(|t| (t.key().to_string(), t.value().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default()),
            Err(error) => Err(ctx.failed_on(SERVICE, "ListTagsForResource", &arn, &error.into())),
        }
    })
    .await;
    tagging::store(distributions.iter_mut().map(|d| &mut d.tags), answers)
}

/// One detail read per id, concurrently under the shared limit. Each failure is a coverage
/// record naming the resource, so an unread policy is never mistaken for a missing one.
async fn read_each<T, F, Fut>(
    ctx: &RegionContext<'_>,
    ids: BTreeSet<String>,
    read: F,
) -> (Vec<T>, Vec<Coverage>)
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, Coverage>>,
{
    let results: Vec<Result<T, Coverage>> =
        stream::iter(ids).map(read).buffer_unordered(ctx.fan_out()).collect().await;
    let mut read_ok = Vec::new();
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(value) => read_ok.push(value),
            Err(coverage) => failures.push(coverage),
        }
    }
    (read_ok, failures)
}

fn policy_arn(ctx: &RegionContext<'_>, kind: &str, id: &str) -> String {
    format!("arn:{}:cloudfront::{}:{kind}/{id}", ctx.partition, ctx.account_id)
}

/// The custom (not AWS managed) cache and origin-request policy ids in use, each once.
fn custom_policy_ids(distributions: &[Distribution]) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut cache = BTreeSet::new();
    let mut origin_request = BTreeSet::new();
    for behavior in distributions.iter().flat_map(|d| d.all_behaviors()) {
        if let Some(id) = &behavior.cache_policy_id {
            if managed_policies::cache_policy(id).is_none() {
                cache.insert(id.clone());
            }
        }
        if let Some(id) = &behavior.origin_request_policy_id {
            if managed_policies::origin_request_policy(id).is_none() {
                origin_request.insert(id.clone());
            }
        }
    }
    (cache, origin_request)
}

fn cache_policy(id: &str, policy: Option<&cf::CachePolicy>) -> CachePolicy {
    let config = policy.and_then(|p| p.cache_policy_config());
    CachePolicy {
        id: id.to_string(),
        name: config.map(|c| c.name().to_string()).unwrap_or_default(),
        managed: false,
        min_ttl: config.map(|c| c.min_ttl()).unwrap_or_default(),
        // CloudFront's documented defaults when a policy omits them.
        default_ttl: config.and_then(|c| c.default_ttl()).unwrap_or(86_400),
        max_ttl: config.and_then(|c| c.max_ttl()).unwrap_or(31_536_000),
    }
}

fn origin_request_policy(id: &str, policy: Option<&cf::OriginRequestPolicy>) -> OriginRequestPolicy {
    let config = policy.and_then(|p| p.origin_request_policy_config());
    let headers = config.and_then(|c| c.headers_config());
    OriginRequestPolicy {
        id: id.to_string(),
        name: config.map(|c| c.name().to_string()).unwrap_or_default(),
        managed: false,
        header_behavior: headers
            .map(|h| h.header_behavior().as_str().to_string())
            .unwrap_or_else(|| "none".into()),
        headers: headers
            .and_then(|h| h.headers())
            .map(|h| h.items().iter().map(|name| name.to_ascii_lowercase()).collect())
            .unwrap_or_default(),
    }
}

fn distribution(summary: &cf::DistributionSummary, plaintexts: &Plaintexts) -> Distribution {
    Distribution {
        id: summary.id().to_string(),
        arn: summary.arn().to_string(),
        domain_name: summary.domain_name().to_string(),
        enabled: summary.enabled(),
        aliases: summary.aliases().map(|a| a.items().to_vec()).unwrap_or_default(),
        comment: summary.comment().to_string(),
        web_acl_id: non_empty(Some(summary.web_acl_id())),
        viewer_minimum_protocol: summary
            .viewer_certificate()
            .and_then(|v| v.minimum_protocol_version())
            .map(|v| v.as_str().to_string()),
        origins: summary
            .origins()
            .map(|o| o.items().iter().map(|o| origin(o, plaintexts)).collect())
            .unwrap_or_default(),
        default_behavior: summary.default_cache_behavior().map(default_behavior).unwrap_or_default(),
        behaviors: summary
            .cache_behaviors()
            .map(|b| b.items().iter().map(cache_behavior).collect())
            .unwrap_or_default(),
        tags: Default::default(),
        connection_mode: summary.connection_mode().map(|m| m.as_str().to_string()),
        tenant_parameters: None,
    }
}

fn distribution_tenant(summary: &cf::DistributionTenantSummary) -> DistributionTenant {
    DistributionTenant {
        id: summary.id().to_string(),
        arn: summary.arn().to_string(),
        name: summary.name().to_string(),
        distribution_id: summary.distribution_id().to_string(),
        domains: summary.domains().iter().map(|d| d.domain().to_ascii_lowercase()).collect(),
        connection_group_id: non_empty(summary.connection_group_id()),
        // CloudFront's default for a tenant is enabled.
        enabled: summary.enabled().unwrap_or(true),
        web_acl: summary
            .customizations()
            .and_then(|c| c.web_acl())
            .map(|acl| TenantWebAcl { action: acl.action().as_str().to_string(), arn: non_empty(acl.arn()) }),
        parameters: None,
    }
}

fn origin(origin: &cf::Origin, plaintexts: &Plaintexts) -> Origin {
    let domain_name = origin.domain_name().to_string();
    Origin {
        id: origin.id().to_string(),
        kind: OriginKind::from_domain(&domain_name),
        domain_name,
        origin_path: origin.origin_path().unwrap_or_default().trim_end_matches('/').to_string(),
        custom: origin.custom_origin_config().map(|c| CustomOriginConfig {
            http_port: u16::try_from(c.http_port()).unwrap_or(80),
            https_port: u16::try_from(c.https_port()).unwrap_or(443),
            protocol_policy: c.origin_protocol_policy().as_str().to_string(),
            ssl_protocols: c
                .origin_ssl_protocols()
                .map(|p| p.items().iter().map(|s| s.as_str().to_string()).collect())
                .unwrap_or_default(),
            client_certificate_arn: non_empty(c.origin_mtls_config().map(|m| m.client_certificate_arn())),
        }),
        s3_origin_config: origin.s3_origin_config().is_some(),
        origin_access_control_id: non_empty(origin.origin_access_control_id()),
        vpc_origin_id: non_empty(origin.vpc_origin_config().map(|v| v.vpc_origin_id())),
        vpc_origin: origin.vpc_origin_config().filter(|v| !v.vpc_origin_id().is_empty()).map(|v| {
            OriginVpcConfig {
                vpc_origin_id: v.vpc_origin_id().to_string(),
                owner_account_id: non_empty(v.owner_account_id()),
                read_timeout: v.origin_read_timeout(),
                keepalive_timeout: v.origin_keepalive_timeout(),
            }
        }),
        // The header value is a secret: only its fingerprint is kept.
        custom_headers: origin
            .custom_headers()
            .map(|headers| {
                headers
                    .items()
                    .iter()
                    .map(|h| {
                        plaintexts.sent(h.header_value());
                        OriginHeader {
                            name: h.header_name().to_string(),
                            value: SecretValue::from_plaintext(h.header_value()),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The fields a default and an ordered cache behavior share (the SDK has two types).
struct BehaviorFields<'a> {
    target_origin_id: &'a str,
    viewer_protocol_policy: &'a cf::ViewerProtocolPolicy,
    allowed_methods: Option<&'a cf::AllowedMethods>,
    cache_policy_id: Option<&'a str>,
    origin_request_policy_id: Option<&'a str>,
    forwarded_values: Option<&'a cf::ForwardedValues>,
    ttls: (Option<i64>, Option<i64>, Option<i64>),
    lambda_function_associations: Option<&'a cf::LambdaFunctionAssociations>,
    function_associations: Option<&'a cf::FunctionAssociations>,
}

// ForwardedValues and the TTLs are deprecated in favour of cache policies, but they are exactly
// what a legacy behavior runs on, so they must be read.
#[allow(deprecated)]
fn default_behavior(b: &cf::DefaultCacheBehavior) -> CacheBehavior {
    behavior(
        None,
        BehaviorFields {
            target_origin_id: b.target_origin_id(),
            viewer_protocol_policy: b.viewer_protocol_policy(),
            allowed_methods: b.allowed_methods(),
            cache_policy_id: b.cache_policy_id(),
            origin_request_policy_id: b.origin_request_policy_id(),
            forwarded_values: b.forwarded_values(),
            ttls: (b.min_ttl(), b.default_ttl(), b.max_ttl()),
            lambda_function_associations: b.lambda_function_associations(),
            function_associations: b.function_associations(),
        },
    )
}

#[allow(deprecated)]
fn cache_behavior(b: &cf::CacheBehavior) -> CacheBehavior {
    behavior(
        Some(b.path_pattern().to_string()),
        BehaviorFields {
            target_origin_id: b.target_origin_id(),
            viewer_protocol_policy: b.viewer_protocol_policy(),
            allowed_methods: b.allowed_methods(),
            cache_policy_id: b.cache_policy_id(),
            origin_request_policy_id: b.origin_request_policy_id(),
            forwarded_values: b.forwarded_values(),
            ttls: (b.min_ttl(), b.default_ttl(), b.max_ttl()),
            lambda_function_associations: b.lambda_function_associations(),
            function_associations: b.function_associations(),
        },
    )
}

fn behavior(path_pattern: Option<String>, b: BehaviorFields<'_>) -> CacheBehavior {
    let cache_policy_id = non_empty(b.cache_policy_id);
    // A behavior is "legacy" when it has no cache policy: AWS omits the id then, moto returns
    // an empty one, and both keep returning ForwardedValues for policy-based behaviors too.
    let legacy = if cache_policy_id.is_none() {
        b.forwarded_values.map(|fv| legacy_settings(fv, b.ttls)).or(Some(LegacyCacheSettings {
            min_ttl: b.ttls.0.unwrap_or(0),
            default_ttl: b.ttls.1.unwrap_or(86_400),
            max_ttl: b.ttls.2.unwrap_or(31_536_000),
            ..LegacyCacheSettings::default()
        }))
    } else {
        None
    };
    CacheBehavior {
        path_pattern,
        target_origin_id: b.target_origin_id.to_string(),
        viewer_protocol_policy: b.viewer_protocol_policy.as_str().to_string(),
        allowed_methods: b
            .allowed_methods
            .map(|m| m.items().iter().map(|m| m.as_str().to_string()).collect())
            .unwrap_or_default(),
        cache_policy_id,
        origin_request_policy_id: non_empty(b.origin_request_policy_id),
        legacy,
        lambda_function_associations: b
            .lambda_function_associations
            .map(|a| {
                a.items()
                    .iter()
                    .map(|a| FunctionAssociation {
                        function_arn: a.lambda_function_arn().to_string(),
                        event_type: a.event_type().as_str().to_string(),
                        include_body: a.include_body().unwrap_or(false),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        function_associations: b
            .function_associations
            .map(|a| {
                a.items()
                    .iter()
                    .map(|a| FunctionAssociation {
                        function_arn: a.function_arn().to_string(),
                        event_type: a.event_type().as_str().to_string(),
                        include_body: false,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn legacy_settings(
    fv: &cf::ForwardedValues,
    ttls: (Option<i64>, Option<i64>, Option<i64>),
) -> LegacyCacheSettings {
    LegacyCacheSettings {
        min_ttl: ttls.0.unwrap_or(0),
        default_ttl: ttls.1.unwrap_or(86_400),
        max_ttl: ttls.2.unwrap_or(31_536_000),
        forwarded_headers: fv.headers().map(|h| h.items().to_vec()).unwrap_or_default(),
        forward_query_string: fv.query_string(),
        forward_cookies: fv
            .cookies()
            .map(|c| c.forward().as_str().to_string())
            .unwrap_or_else(|| "none".into()),
    }
}

/// `None` for a missing or empty string (AWS omits, moto sends "").
fn non_empty(value: Option<&str>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(str::to_string)
}
