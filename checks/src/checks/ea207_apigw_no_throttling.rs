use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::index::Api;
use crate::inventory::Throttle;
use crate::perimeter::Exposure;

declare_check! {
    /// ## What it finds
    ///
    /// A stage of an internet-facing API (reachable directly, see EA202) with no stage-wide
    /// throttling and in no usage plan that sets a throttle.
    ///
    /// ## Why it matters
    ///
    /// Without stage limits a single client can use the whole account-level quota of the region
    /// (10,000 requests per second shared by every API), starving other APIs, and run up the
    /// bill of the integration (Lambda invocations, database load).
    ///
    /// ## Example
    ///
    /// Stage `prod` with no `*/*` method settings throttling and no usage plan.
    ///
    /// ## How to fix
    ///
    /// Set default method throttling on the stage (`/*/*/throttling/rateLimit` and
    /// `burstLimit`; `DefaultRouteSettings` for HTTP APIs) sized for expected traffic, and per
    /// client limits with usage plans.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html>
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html>
    ApigwNoThrottling {
        id: "EA207",
        slug: "apigw-no-throttling",
        title: "Internet-facing API stage without throttling",
        severity: Low,
        services: [Apigateway, Apigatewayv2, WafRegional],
    }
}

fn throttles(throttle: Option<&Throttle>) -> bool {
    throttle.is_some_and(|t| t.rate_limit > 0.0 || t.burst_limit > 0)
}

impl Audit for ApigwNoThrottling {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for api in &ctx.account.rest_apis {
            for stage in &api.stages {
                let Some(backend) = ctx.perimeter.backend(&format!("{}/stages/{}", api.arn, stage.name))
                else {
                    continue;
                };
                match &backend.exposure {
                    Exposure::Locked(_) => continue,
                    Exposure::Unknown(why) => {
                        out.not_evaluated(
                            &Self::META,
                            format!("{}/stages/{}", api.arn, stage.name),
                            why.join("; "),
                        );
                        continue;
                    }
                    Exposure::Internet(_) => {}
                }
                let planned = ctx
                    .index
                    .usage_plans_by_stage
                    .get(&(api.id.as_str(), stage.name.as_str()))
                    .is_some_and(|plans| plans.iter().any(|p| throttles(p.throttle.as_ref())));
                if throttles(stage.throttling.as_ref()) || planned {
                    continue;
                }
                report(out, ctx, Api::Rest(api), &stage.name);
            }
        }
        for api in &ctx.account.http_apis {
            match ctx.perimeter.api_exposure(Api::Http(api)) {
                Exposure::Locked(_) => continue,
                Exposure::Unknown(why) => {
                    out.not_evaluated(&Self::META, api.arn.clone(), why.join("; "));
                    continue;
                }
                Exposure::Internet(_) => {}
            }
            for stage in api.stages.iter().filter(|s| !throttles(s.throttling.as_ref())) {
                report(out, ctx, Api::Http(api), &stage.name);
            }
        }
    }
}

fn report(out: &mut Output, ctx: &Context<'_>, api: Api<'_>, stage: &str) {
    out.push(
        Finding::new(
            &ApigwNoThrottling::META,
            api.resource(ctx.account_id()),
            format!(
                "API {} ({}) stage {stage} is reachable directly and has no stage throttling and no throttled usage plan",
                api.id(),
                api.name()
            ),
        )
        .detail(stage)
        .evidence("stage", stage),
    );
}
