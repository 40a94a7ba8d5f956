//! Lambda, per region: functions with their function URL (auth type), and for the functions that
//! have a URL (the only ones any check looks at) their resource policy and tags. Tags come from one
//! `tag:GetResources` listing per region, or ListTags per function if that fails.

use super::pacing::op;
use super::{tagging, CallError, RegionContext};
use aws_sdk_lambda::types::FunctionConfiguration;
use edge_audit_checks::inventory::{AccountInventory, Coverage, FunctionUrl, LambdaFunction, Service, Tags};
use futures::stream::{self, StreamExt};

/// The SDK's name of the service, for pacing.
const SDK: &str = "lambda";

const SERVICE: Service = Service::Lambda;

pub(super) async fn collect(ctx: RegionContext<'_>) -> AccountInventory {
    let client = ctx.clients.lambda(&ctx.region);
    let mut out = ctx.fragment();
    let pages = match ctx
        .all_pages(op(SDK, "ListFunctions"), client.list_functions().max_items(50).into_paginator().send())
        .await
    {
        Ok(pages) => pages,
        Err(error) => {
            out.coverage.push(ctx.failed(SERVICE, "ListFunctions", &error.into()));
            return out;
        }
    };
    let functions: Vec<FunctionConfiguration> = pages.iter().flat_map(|p| p.functions()).cloned().collect();
    let details: Vec<(LambdaFunction, Vec<Coverage>)> = stream::iter(functions)
        .map(|function| lambda_function(&ctx, &client, function))
        .buffer_unordered(ctx.fan_out())
        .collect()
        .await;
    let mut failures = Vec::new();
    for (function, function_failures) in details {
        out.lambda_functions.push(function);
        failures.extend(function_failures);
    }
    failures.extend(function_tags(&ctx, &client, &mut out.lambda_functions).await);
    if failures.is_empty() {
        out.coverage.push(Coverage::collected(ctx.region.clone(), SERVICE));
    }
    out.coverage.extend(failures);
    out
}

async fn lambda_function(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_lambda::Client,
    function: FunctionConfiguration,
) -> (LambdaFunction, Vec<Coverage>) {
    let name = function.function_name().unwrap_or_default().to_string();
    let arn = function.function_arn().unwrap_or_default().to_string();
    let mut failures = Vec::new();

    let url_request = client.get_function_url_config().function_name(&name);
    let url_answer = ctx.call(op(SDK, "GetFunctionUrlConfig"), url_request.send()).await;
    let url = match url_answer {
        Ok(output) => Some(FunctionUrl {
            url: output.function_url().to_string(),
            auth_type: output.auth_type().as_str().to_string(),
        }),
        // No function URL is a fact.
        Err(error) if error.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => None,
        Err(error) => {
            failures.push(ctx.failed_on(SERVICE, "GetFunctionUrlConfig", &arn, &error.into()));
            None
        }
    };

    // The policy only matters for a function URL (who may invoke it); without a URL (or when
    // the URL could not be read, already a gap) it is not read.
    let policy_answer = match url {
        Some(_) => {
            Some(ctx.call(op(SDK, "GetPolicy"), client.get_policy().function_name(&name).send()).await)
        }
        None => None,
    };
    let policy = match policy_answer {
        None => None,
        Some(Ok(output)) => match output.policy().filter(|p| !p.is_empty()).map(serde_json::from_str) {
            Some(Ok(policy)) => Some(policy),
            Some(Err(_)) => {
                let error = CallError::new("the resource policy is not valid JSON");
                failures.push(ctx.failed_on(SERVICE, "GetPolicy", &arn, &error));
                None
            }
            None => None,
        },
        // No resource policy is a fact.
        Some(Err(error)) if error.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => {
            None
        }
        Some(Err(error)) => {
            failures.push(ctx.failed_on(SERVICE, "GetPolicy", &arn, &error.into()));
            None
        }
    };

    (LambdaFunction { name, arn, region: ctx.region.clone(), url, policy, tags: Tags::new() }, failures)
}

/// Fills in the tags of the functions that have a URL (see [`tagging::tags_of`]); ListTags per
/// function is the fallback. Returns a coverage record per tag set that could not be read.
async fn function_tags(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_lambda::Client,
    functions: &mut [LambdaFunction],
) -> Vec<Coverage> {
    let arns = functions.iter().filter(|f| f.url.is_some()).map(|f| f.arn.clone()).collect();
    let answers = tagging::tags_of(ctx, &ctx.region, "lambda:function", arns, |arn| async move {
        match ctx.call(op(SDK, "ListTags"), client.list_tags().resource(&arn).send()).await {
            Ok(output) => Ok(output
                .tags()
                .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()),
            Err(error) => Err(ctx.failed_on(SERVICE, "ListTags", &arn, &error.into())),
        }
    })
    .await;
    tagging::store(functions.iter_mut().filter(|f| f.url.is_some()).map(|f| &mut f.tags), answers)
}
