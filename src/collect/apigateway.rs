//! API Gateway REST APIs (v1), per region: APIs with their resource policy, stages (web ACL,
//! stage-wide throttling), resources and methods (embedded in GetResources), authorizers; usage
//! plans with their keys, API keys (values only as fingerprints) and custom domain names with
//! their base path mappings, routing mode and (apigatewayv2 ListRoutingRules) routing rules.

use super::acl_use::{AclReport, AclUser};
use super::pacing::op;
use super::{CallError, RegionContext};
use aws_sdk_apigateway::types as apigw;
use edge_audit_checks::inventory::{
    AccountInventory, ApiDomainName, ApiKey, Authorizer, BasePathMapping, Coverage, CoverageStatus,
    HeaderGlob, RestApi, RestMethod, RestResource, RestStage, RoutingAction, RoutingCondition, RoutingRule,
    Service, Tags, Throttle, UsagePlan, UsagePlanStage,
};
use edge_audit_checks::secret::SecretValue;
use futures::stream::{self, StreamExt};
use std::collections::HashMap;

const SERVICE: Service = Service::Apigateway;
/// The SDK's name of the service, for pacing.
const SDK: &str = "apigateway";
/// The largest page API Gateway serves.
const PAGE_SIZE: i32 = 500;

pub(super) async fn collect(ctx: RegionContext<'_>) -> AccountInventory {
    let client = ctx.clients.apigateway(&ctx.region);
    let mut out = ctx.fragment();
    let mut failures: Vec<Coverage> = Vec::new();

    // GetResources (2.5/s, one per REST API and page) bounds the region, so the REST APIs come
    // first and the usage plans, keys and domain names are read in their shadow, from the
    // management bucket.
    let stage_acls = ctx.acl_use.reporter(&ctx.region, AclUser::Stages);
    let (rest_apis, usage_plans, api_keys, domain_names) = futures::join!(
        rest_apis(&ctx, &client, stage_acls),
        usage_plans(&ctx, &client),
        api_keys(&ctx, &client),
        domain_names(&ctx, &client)
    );
    match rest_apis {
        Ok(details) => {
            for (api, api_failures) in details {
                out.rest_apis.push(api);
                failures.extend(api_failures);
            }
        }
        Err(coverage) => failures.push(coverage),
    }
    match usage_plans {
        Ok((plans, plan_failures)) => {
            out.usage_plans = plans;
            failures.extend(plan_failures);
        }
        Err(coverage) => failures.push(coverage),
    }
    match api_keys {
        Ok(keys) => out.api_keys = keys,
        Err(coverage) => failures.push(coverage),
    }
    match domain_names {
        Ok(details) => {
            for result in details {
                match result {
                    Ok(domain) => out.domain_names.push(domain),
                    Err(coverage) => failures.push(coverage),
                }
            }
        }
        Err(coverage) => failures.push(coverage),
    }

    // A REST API whose resources, authorizers or policy could not be read leaves the rest of the
    // region collected: its own record names it, and the perimeter and the checks that read it
    // report what that leaves unjudged.
    if failures.iter().all(|c| c.status != CoverageStatus::Failed) {
        out.coverage.push(Coverage::collected(ctx.region.clone(), SERVICE));
    }
    out.coverage.extend(failures);
    out
}

/// Every REST API with its details. All APIs are started at once (the pacer sends their
/// GetResources calls back to back at the quota's pace); a fan-out as wide as the other ones
/// would leave the bounding bucket idle while detail calls of other buckets are answered. The
/// stages (management bucket) are read alongside, and the web ACLs they name are reported as
/// soon as all are read, for the WAF collector's association lookups.
async fn rest_apis(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_apigateway::Client,
    mut stage_acls: AclReport<'_>,
) -> Result<Vec<(RestApi, Vec<Coverage>)>, Coverage> {
    let pages = ctx
        .all_pages(op(SDK, "GetRestApis"), client.get_rest_apis().limit(PAGE_SIZE).into_paginator().send())
        .await
        .map_err(|error| ctx.failed(SERVICE, "GetRestApis", &error.into()))?;
    let apis: Vec<apigw::RestApi> = pages.iter().flat_map(|p| p.items()).cloned().collect();
    let stages = async {
        let stages = futures::future::join_all(apis.iter().map(|api| read_stages(ctx, client, api))).await;
        for read in stages.iter().flat_map(|s| s.as_ref().ok()) {
            stage_acls.extend(read.iter().filter_map(|stage| stage.web_acl_arn.as_deref()));
        }
        stage_acls.send();
        stages
    };
    let resources = futures::future::join_all(apis.iter().map(|api| read_resources(ctx, client, api)));
    let (stages, resources) = futures::join!(stages, resources);
    Ok(apis
        .into_iter()
        .zip(stages)
        .zip(resources)
        .map(|((api, stages), resources)| rest_api(ctx, api, stages, resources))
        .collect())
}

// includeValues: the values are needed to match a distribution's x-api-key header; they are
// fingerprinted right here and never kept.
async fn api_keys(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_apigateway::Client,
) -> Result<Vec<ApiKey>, Coverage> {
    let pages = client.get_api_keys().include_values(true).limit(PAGE_SIZE).into_paginator().send();
    let pages = ctx
        .all_pages(op(SDK, "GetApiKeys"), pages)
        .await
        .map_err(|error| ctx.failed(SERVICE, "GetApiKeys", &error.into()))?;
    Ok(pages.iter().flat_map(|p| p.items()).map(|key| api_key(ctx, key)).collect())
}

async fn domain_names(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_apigateway::Client,
) -> Result<Vec<Result<ApiDomainName, Coverage>>, Coverage> {
    let pages = ctx
        .all_pages(
            op(SDK, "GetDomainNames"),
            client.get_domain_names().limit(PAGE_SIZE).into_paginator().send(),
        )
        .await
        .map_err(|error| ctx.failed(SERVICE, "GetDomainNames", &error.into()))?;
    let domains: Vec<apigw::DomainName> = pages.iter().flat_map(|p| p.items()).cloned().collect();
    let rules_client = ctx.clients.apigatewayv2(&ctx.region);
    let rules_client = &rules_client;
    Ok(stream::iter(domains)
        .map(|domain| domain_name(ctx, client, rules_client, domain))
        .buffer_unordered(ctx.fan_out())
        .collect()
        .await)
}

fn rest_api_arn(ctx: &RegionContext<'_>, api: &apigw::RestApi) -> String {
    format!("arn:{}:apigateway:{}::/restapis/{}", ctx.partition, ctx.region, api.id().unwrap_or_default())
}

/// The stages of one REST API.
async fn read_stages(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_apigateway::Client,
    api: &apigw::RestApi,
) -> Result<Vec<RestStage>, Coverage> {
    let request = client.get_stages().rest_api_id(api.id().unwrap_or_default());
    match ctx.call(op(SDK, "GetStages"), request.send()).await {
        Ok(output) => Ok(output.item().iter().map(stage).collect()),
        Err(error) => Err(ctx.failed_on(SERVICE, "GetStages", &rest_api_arn(ctx, api), &error.into())),
    }
}

/// The resources and methods of one REST API (GetResources, the bounding call), then its
/// authorizers when a method names one.
async fn read_resources(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_apigateway::Client,
    api: &apigw::RestApi,
) -> (Vec<RestResource>, Vec<Authorizer>, Vec<Coverage>) {
    let id = api.id().unwrap_or_default();
    let mut failures = Vec::new();
    // Pages followed by hand: the SDK paginator only finds out it is done by asking once more,
    // which would cost a token of the slowest bucket per API.
    let pages = ctx
        .token_pages(
            op(SDK, "GetResources"),
            |position| {
                client
                    .get_resources()
                    .rest_api_id(id)
                    .embed("methods")
                    .limit(PAGE_SIZE)
                    .set_position(position)
                    .send()
            },
            aws_sdk_apigateway::operation::get_resources::GetResourcesOutput::position,
        )
        .await;
    let resources: Vec<RestResource> = match pages {
        Ok(pages) => pages.iter().flat_map(|p| p.items()).map(resource).collect(),
        Err(error) => {
            failures.push(ctx.failed_resource(
                SERVICE,
                "GetResources",
                &rest_api_arn(ctx, api),
                &error.into(),
            ));
            Vec::new()
        }
    };
    // Only a method that names an authorizer makes its settings matter: one call saved per API.
    let referenced = resources.iter().flat_map(|r| &r.methods).any(|m| m.authorizer_id.is_some());
    let authorizers = if referenced {
        match authorizers(ctx, client, id).await {
            Ok(authorizers) => authorizers,
            Err(error) => {
                failures.push(ctx.failed_resource(
                    SERVICE,
                    "GetAuthorizers",
                    &rest_api_arn(ctx, api),
                    &error,
                ));
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    (resources, authorizers, failures)
}

/// One REST API from its listing entry and details. The API is kept even when a detail call
/// failed (the failure is in the coverage, so checks will not trust the missing part): its
/// stages failing leaves the region uncollected (they name the backends and web ACLs of every
/// check's view of the API), its resources, authorizers or policy only this API.
fn rest_api(
    ctx: &RegionContext<'_>,
    api: apigw::RestApi,
    stages: Result<Vec<RestStage>, Coverage>,
    (resources, authorizers, resource_failures): (Vec<RestResource>, Vec<Authorizer>, Vec<Coverage>),
) -> (RestApi, Vec<Coverage>) {
    let id = api.id().unwrap_or_default().to_string();
    let arn = rest_api_arn(ctx, &api);
    let mut failures = Vec::new();
    let policy = match api.policy().filter(|p| !p.is_empty()).map(parse_policy) {
        Some(Ok(policy)) => Some(policy),
        Some(Err(error)) => {
            failures.push(ctx.failed_resource(SERVICE, "GetRestApis", &arn, &error));
            None
        }
        None => None,
    };
    let stages = stages.unwrap_or_else(|coverage| {
        failures.push(coverage);
        Vec::new()
    });
    failures.extend(resource_failures);

    let api = RestApi {
        id,
        arn,
        name: api.name().unwrap_or_default().to_string(),
        region: ctx.region.clone(),
        endpoint_types: api
            .endpoint_configuration()
            .map(|c| c.types().iter().map(|t| t.as_str().to_string()).collect())
            .unwrap_or_default(),
        disable_execute_api_endpoint: api.disable_execute_api_endpoint(),
        api_key_source: api.api_key_source().map(|s| s.as_str().to_string()),
        policy,
        stages,
        resources,
        authorizers,
        tags: tags(api.tags()),
    };
    (api, failures)
}

/// GetAuthorizers has no SDK paginator.
async fn authorizers(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_apigateway::Client,
    api_id: &str,
) -> Result<Vec<Authorizer>, CallError> {
    let pages = ctx
        .token_pages(
            op(SDK, "GetAuthorizers"),
            |position| {
                client.get_authorizers().rest_api_id(api_id).limit(PAGE_SIZE).set_position(position).send()
            },
            aws_sdk_apigateway::operation::get_authorizers::GetAuthorizersOutput::position,
        )
        .await?;
    Ok(pages
        .iter()
        .flat_map(|p| p.items())
        .map(|a| Authorizer {
            id: a.id().unwrap_or_default().to_string(),
            name: a.name().unwrap_or_default().to_string(),
            authorizer_type: a.r#type().map(|t| t.as_str().to_string()).unwrap_or_default(),
            identity_sources: a
                .identity_source()
                .map(|s| s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect())
                .unwrap_or_default(),
        })
        .collect())
}

fn stage(stage: &apigw::Stage) -> RestStage {
    RestStage {
        name: stage.stage_name().unwrap_or_default().to_string(),
        web_acl_arn: stage.web_acl_arn().filter(|a| !a.is_empty()).map(str::to_string),
        // Stage-wide settings live under the `*/*` method-settings key.
        throttling: stage.method_settings().and_then(|settings| settings.get("*/*")).map(|s| Throttle {
            rate_limit: s.throttling_rate_limit(),
            burst_limit: i64::from(s.throttling_burst_limit()),
        }),
        tags: tags(stage.tags()),
    }
}

fn resource(resource: &apigw::Resource) -> RestResource {
    let mut methods: Vec<RestMethod> = resource
        .resource_methods()
        .map(|methods| {
            methods
                .iter()
                .map(|(verb, method)| RestMethod {
                    http_method: method.http_method().unwrap_or(verb).to_string(),
                    authorization_type: method.authorization_type().unwrap_or("NONE").to_string(),
                    authorizer_id: method.authorizer_id().filter(|a| !a.is_empty()).map(str::to_string),
                    api_key_required: method.api_key_required().unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default();
    methods.sort_by(|a, b| a.http_method.cmp(&b.http_method));
    RestResource {
        id: resource.id().unwrap_or_default().to_string(),
        path: resource.path().unwrap_or_default().to_string(),
        methods,
    }
}

/// Usage plans, each with the ids of its API keys (GetUsagePlanKeys per plan).
async fn usage_plans(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_apigateway::Client,
) -> Result<(Vec<UsagePlan>, Vec<Coverage>), Coverage> {
    let pages = ctx
        .all_pages(
            op(SDK, "GetUsagePlans"),
            client.get_usage_plans().limit(PAGE_SIZE).into_paginator().send(),
        )
        .await
        .map_err(|error| ctx.failed(SERVICE, "GetUsagePlans", &error.into()))?;
    let plans: Vec<apigw::UsagePlan> = pages.iter().flat_map(|p| p.items()).cloned().collect();
    let results: Vec<(UsagePlan, Option<Coverage>)> = stream::iter(plans)
        .map(|plan| async move {
            let id = plan.id().unwrap_or_default().to_string();
            let request = client.get_usage_plan_keys().usage_plan_id(&id).limit(PAGE_SIZE);
            let (api_key_ids, failure) = match ctx
                .all_pages(op(SDK, "GetUsagePlanKeys"), request.into_paginator().send())
                .await
            {
                Ok(pages) => (
                    pages.iter().flat_map(|p| p.items()).filter_map(|k| k.id().map(str::to_string)).collect(),
                    None,
                ),
                Err(error) => {
                    let resource =
                        format!("arn:{}:apigateway:{}::/usageplans/{id}", ctx.partition, ctx.region);
                    (Vec::new(), Some(ctx.failed_on(SERVICE, "GetUsagePlanKeys", &resource, &error.into())))
                }
            };
            let usage_plan = UsagePlan {
                id,
                name: plan.name().unwrap_or_default().to_string(),
                region: ctx.region.clone(),
                api_stages: plan
                    .api_stages()
                    .iter()
                    .map(|s| UsagePlanStage {
                        api_id: s.api_id().unwrap_or_default().to_string(),
                        stage: s.stage().unwrap_or_default().to_string(),
                    })
                    .collect(),
                throttle: plan.throttle().map(|t| Throttle {
                    rate_limit: t.rate_limit(),
                    burst_limit: i64::from(t.burst_limit()),
                }),
                api_key_ids,
            };
            (usage_plan, failure)
        })
        .buffer_unordered(ctx.fan_out())
        .collect()
        .await;
    let mut plans = Vec::new();
    let mut failures = Vec::new();
    for (plan, failure) in results {
        plans.push(plan);
        failures.extend(failure);
    }
    Ok((plans, failures))
}

fn api_key(ctx: &RegionContext<'_>, key: &apigw::ApiKey) -> ApiKey {
    ApiKey {
        id: key.id().unwrap_or_default().to_string(),
        name: key.name().unwrap_or_default().to_string(),
        region: ctx.region.clone(),
        enabled: key.enabled(),
        value: key.value().filter(|v| !v.is_empty()).map(SecretValue::from_plaintext),
    }
}

async fn domain_name(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_apigateway::Client,
    rules_client: &aws_sdk_apigatewayv2::Client,
    domain: apigw::DomainName,
) -> Result<ApiDomainName, Coverage> {
    let name = domain.domain_name().unwrap_or_default().to_string();
    let resource = format!("arn:{}:apigateway:{}::/domainnames/{name}", ctx.partition, ctx.region);
    let request = client.get_base_path_mappings().domain_name(&name).limit(PAGE_SIZE);
    let pages = ctx
        .all_pages(op(SDK, "GetBasePathMappings"), request.into_paginator().send())
        .await
        .map_err(|error| ctx.failed_on(SERVICE, "GetBasePathMappings", &resource, &error.into()))?;
    let routing_mode = domain.routing_mode().map(|m| m.as_str().to_string());
    // Routing rules are an API Gateway v2 listing; they matter only when the mode uses them.
    // API Gateway v1 spells the modes BASE_PATH_MAPPING_ONLY / ROUTING_RULE_THEN_BASE_PATH_MAPPING
    // (v2: API_MAPPING_ONLY / ROUTING_RULE_THEN_API_MAPPING); a mode this SDK does not know is
    // read too.
    let routing_rules = match domain.routing_mode() {
        None | Some(apigw::RoutingMode::BasePathMappingOnly) => Vec::new(),
        Some(_) => {
            let request = rules_client
                .list_routing_rules()
                .domain_name(&name)
                .set_domain_name_id(domain.domain_name_id().map(str::to_string))
                .max_results(ROUTING_RULES_PAGE_SIZE);
            let pages = ctx
                .all_pages(op("apigatewayv2", "ListRoutingRules"), request.into_paginator().send())
                .await
                .map_err(|error| ctx.failed_on(SERVICE, "ListRoutingRules", &resource, &error.into()))?;
            pages.iter().flat_map(|p| p.routing_rules()).map(routing_rule).collect()
        }
    };
    Ok(ApiDomainName {
        routing_mode,
        routing_rules,
        region: ctx.region.clone(),
        endpoint_type: domain
            .endpoint_configuration()
            .and_then(|c| c.types().first())
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        regional_domain_name: domain.regional_domain_name().map(str::to_string),
        distribution_domain_name: domain.distribution_domain_name().map(str::to_string),
        mutual_tls_truststore_uri: domain
            .mutual_tls_authentication()
            .and_then(|m| m.truststore_uri())
            .filter(|uri| !uri.is_empty())
            .map(str::to_string),
        mappings: pages
            .iter()
            .flat_map(|p| p.items())
            .map(|m| BasePathMapping {
                base_path: m.base_path().filter(|p| *p != "(none)").unwrap_or_default().to_string(),
                api_id: m.rest_api_id().unwrap_or_default().to_string(),
                stage: m.stage().filter(|s| !s.is_empty()).map(str::to_string),
            })
            .collect(),
        name,
    })
}

/// The largest page ListRoutingRules serves.
const ROUTING_RULES_PAGE_SIZE: i32 = 100;

/// A routing rule; the header value globs are fingerprinted here and never kept.
fn routing_rule(rule: &aws_sdk_apigatewayv2::types::RoutingRule) -> RoutingRule {
    RoutingRule {
        id: rule.routing_rule_id().unwrap_or_default().to_string(),
        priority: rule.priority().unwrap_or(i32::MAX),
        conditions: rule
            .conditions()
            .iter()
            .map(|c| RoutingCondition {
                match_base_paths: c.match_base_paths().map(|m| m.any_of().to_vec()).unwrap_or_default(),
                match_headers: c
                    .match_headers()
                    .map(|m| {
                        m.any_of()
                            .iter()
                            .map(|h| {
                                HeaderGlob::from_glob(
                                    h.header().unwrap_or_default(),
                                    h.value_glob().unwrap_or_default(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        // The action's field, not its accessor: `invoke_api()` reads like an operation call.
        action: rule.actions().iter().find_map(|a| a.invoke_api.as_ref()).map(|invoke| RoutingAction {
            api_id: invoke.api_id().unwrap_or_default().to_string(),
            stage: invoke.stage().unwrap_or_default().to_string(),
            strip_base_path: invoke.strip_base_path().unwrap_or(false),
        }),
    }
}

fn tags(tags: Option<&HashMap<String, String>>) -> Tags {
    tags.map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
}

/// A REST API resource policy as API Gateway returns it. The document is JSON, but depending on
/// the API version and SDK it arrives with its quotes backslash-escaped (`{\"Version\":…}`) or
/// URL-encoded; each form is tried in turn.
pub fn parse_policy(raw: &str) -> Result<serde_json::Value, CallError> {
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(raw) {
        return Ok(value);
    }
    // Backslash-escaped: the text is the inside of a JSON string literal.
    if let Ok(unescaped) = serde_json::from_str::<String>(&format!("\"{raw}\"")) {
        if let Ok(value) = serde_json::from_str(&unescaped) {
            return Ok(value);
        }
    }
    if let Some(decoded) = percent_decode(raw) {
        if let Ok(value) = serde_json::from_str(&decoded) {
            return Ok(value);
        }
        if let Ok(unescaped) = serde_json::from_str::<String>(&format!("\"{decoded}\"")) {
            if let Ok(value) = serde_json::from_str(&unescaped) {
                return Ok(value);
            }
        }
    }
    Err(CallError::new("the resource policy is not valid JSON"))
}

/// Decodes `%XX` escapes (and `+` is left alone: policies do not use form encoding). `None` when
/// the text has no escapes or an invalid one.
fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}
