//! API Gateway v2 (HTTP and WebSocket APIs), per region: APIs with their stages, routes and
//! authorizers. None of these listings has an SDK paginator; NextToken is followed by hand.
//!
//! Failures: a failed GetApis or GetStages leaves the region not read completely (the stages
//! are the API's entry points). A failed GetRoutes or GetAuthorizers is a gap of that API only
//! (a per-resource coverage record naming it): its origin side is not evaluated, the region's
//! other APIs are (moto 5.2.5 answers GetAuthorizers with HTTP 500).

use super::pacing::op;
use super::{CallError, RegionContext};
use aws_sdk_apigatewayv2::operation::{get_apis, get_authorizers, get_routes, get_stages};
use aws_sdk_apigatewayv2::types as v2;
use edge_audit_checks::inventory::{
    AccountInventory, Authorizer, Coverage, CoverageStatus, HttpApi, HttpRoute, HttpStage, Service, Throttle,
};
use futures::stream::{self, StreamExt};

const SERVICE: Service = Service::Apigatewayv2;
/// The SDK's name of the service, for pacing.
const SDK: &str = "apigatewayv2";
const PAGE_SIZE: &str = "500";

pub(super) async fn collect(ctx: RegionContext<'_>) -> AccountInventory {
    let client = ctx.clients.apigatewayv2(&ctx.region);
    let mut out = ctx.fragment();
    let pages = ctx
        .token_pages(
            op(SDK, "GetApis"),
            |token| client.get_apis().max_results(PAGE_SIZE).set_next_token(token).send(),
            get_apis::GetApisOutput::next_token,
        )
        .await;
    let pages = match pages {
        Ok(pages) => pages,
        Err(error) => {
            out.coverage.push(ctx.failed(SERVICE, "GetApis", &error.into()));
            return out;
        }
    };
    let apis: Vec<v2::Api> = pages.iter().flat_map(|p| p.items()).cloned().collect();
    let details: Vec<(HttpApi, Vec<Coverage>)> = stream::iter(apis)
        .map(|api| http_api(&ctx, &client, api))
        .buffer_unordered(ctx.fan_out())
        .collect()
        .await;
    let mut failures = Vec::new();
    for (api, api_failures) in details {
        out.http_apis.push(api);
        failures.extend(api_failures);
    }
    if failures.iter().all(|c| c.status != CoverageStatus::Failed) {
        out.coverage.push(Coverage::collected(ctx.region.clone(), SERVICE));
    }
    out.coverage.extend(failures);
    out
}

async fn http_api(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_apigatewayv2::Client,
    api: v2::Api,
) -> (HttpApi, Vec<Coverage>) {
    let id = api.api_id().unwrap_or_default().to_string();
    let arn = format!("arn:{}:apigateway:{}::/apis/{id}", ctx.partition, ctx.region);
    let mut failures = Vec::new();
    let mut failed = |operation: &str, error: CallError| {
        failures.push(match operation {
            // What the routes and authorizers decide is this API's origin side alone, which
            // the checks report as not evaluated when the record names the API.
            "GetRoutes" | "GetAuthorizers" => ctx.failed_resource(SERVICE, operation, &arn, &error),
            _ => ctx.failed_on(SERVICE, operation, &arn, &error),
        })
    };

    let stages = ctx
        .token_pages(
            op(SDK, "GetStages"),
            |token| client.get_stages().api_id(&id).max_results(PAGE_SIZE).set_next_token(token).send(),
            get_stages::GetStagesOutput::next_token,
        )
        .await;
    let stages = match stages {
        Ok(pages) => pages.iter().flat_map(|p| p.items()).map(stage).collect(),
        Err(error) => {
            failed("GetStages", error.into());
            Vec::new()
        }
    };
    let routes = ctx
        .token_pages(
            op(SDK, "GetRoutes"),
            |token| client.get_routes().api_id(&id).max_results(PAGE_SIZE).set_next_token(token).send(),
            get_routes::GetRoutesOutput::next_token,
        )
        .await;
    let routes = match routes {
        Ok(pages) => pages.iter().flat_map(|p| p.items()).map(route).collect(),
        Err(error) => {
            failed("GetRoutes", error.into());
            Vec::new()
        }
    };
    // Only a route that names an authorizer makes its settings matter: one call saved per API.
    let referenced = routes.iter().any(|r: &HttpRoute| r.authorizer_id.is_some());
    let authorizers = if referenced {
        ctx.token_pages(
            op(SDK, "GetAuthorizers"),
            |token| client.get_authorizers().api_id(&id).max_results(PAGE_SIZE).set_next_token(token).send(),
            get_authorizers::GetAuthorizersOutput::next_token,
        )
        .await
    } else {
        Ok(Vec::new())
    };
    let authorizers = match authorizers {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.items())
            .map(|a| Authorizer {
                id: a.authorizer_id().unwrap_or_default().to_string(),
                name: a.name().unwrap_or_default().to_string(),
                authorizer_type: a.authorizer_type().map(|t| t.as_str().to_string()).unwrap_or_default(),
                identity_sources: a.identity_source().to_vec(),
            })
            .collect(),
        Err(error) => {
            failed("GetAuthorizers", error.into());
            Vec::new()
        }
    };

    let http_api = HttpApi {
        id,
        arn: arn.clone(),
        name: api.name().unwrap_or_default().to_string(),
        region: ctx.region.clone(),
        protocol_type: api.protocol_type().map(|p| p.as_str().to_string()).unwrap_or_default(),
        api_endpoint: api.api_endpoint().unwrap_or_default().to_string(),
        disable_execute_api_endpoint: api.disable_execute_api_endpoint().unwrap_or(false),
        stages,
        routes,
        authorizers,
        tags: api.tags().map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default(),
    };
    (http_api, failures)
}

fn stage(stage: &v2::Stage) -> HttpStage {
    HttpStage {
        name: stage.stage_name().unwrap_or_default().to_string(),
        auto_deploy: stage.auto_deploy().unwrap_or(false),
        throttling: stage.default_route_settings().and_then(|s| {
            // Unset limits mean "the account's", which is not stage throttling.
            match (s.throttling_rate_limit(), s.throttling_burst_limit()) {
                (None, None) => None,
                (rate, burst) => Some(Throttle {
                    rate_limit: rate.unwrap_or_default(),
                    burst_limit: i64::from(burst.unwrap_or_default()),
                }),
            }
        }),
    }
}

fn route(route: &v2::Route) -> HttpRoute {
    HttpRoute {
        id: route.route_id().unwrap_or_default().to_string(),
        route_key: route.route_key().unwrap_or_default().to_string(),
        authorization_type: route
            .authorization_type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_else(|| "NONE".into()),
        authorizer_id: route.authorizer_id().filter(|a| !a.is_empty()).map(str::to_string),
        api_key_required: route.api_key_required().unwrap_or(false),
    }
}
