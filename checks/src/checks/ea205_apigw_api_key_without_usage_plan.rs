use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::inventory::Service;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A REST API stage whose methods require an API key while the stage is in no usage plan.
    /// An API whose methods could not all be read, with none keyed among those read, is
    /// reported *not evaluated*.
    ///
    /// ## Why it matters
    ///
    /// API Gateway only accepts keys that belong to a usage plan of the stage: every call is
    /// refused with `403 Forbidden` ("API Stage is not in a usage plan"), including the
    /// distribution's. Teams under pressure then turn `apiKeyRequired` off, which removes the
    /// lock that kept the API behind CloudFront.
    ///
    /// ## Example
    ///
    /// CloudFront sends `x-api-key`, every method has `apiKeyRequired: true`, and no usage plan
    /// lists the stage.
    ///
    /// ## How to fix
    ///
    /// Create a usage plan (with throttling and a quota) that includes the API stage, and add the
    /// distribution's API key to it (`create-usage-plan`, `create-usage-plan-key`).
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html>
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-setup-api-key-with-console.html>
    ApigwApiKeyWithoutUsagePlan {
        id: "EA205",
        slug: "apigw-api-key-without-usage-plan",
        title: "API keys required but the stage is in no usage plan",
        severity: Medium,
        services: [Apigateway],
    }
}

impl Audit for ApigwApiKeyWithoutUsagePlan {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for api in &ctx.account.rest_apis {
            let keyed: Vec<String> = api
                .methods()
                .filter(|(_, m)| m.api_key_required)
                .map(|(path, m)| format!("{} {path}", m.http_method))
                .collect();
            if keyed.is_empty() {
                // No keyed method among those read: no fact if they were not all read.
                if let Some(gap) = ctx.account.resource_failure(Service::Apigateway, &api.arn) {
                    out.not_evaluated(
                        &Self::META,
                        api.arn.clone(),
                        format!("REST API {} could not be read completely: {}", api.id, gap.failed_read()),
                    );
                }
                continue;
            }
            // "In no usage plan" is only a fact if usage plans were read in the API's region.
            if !ctx.account.is_collected(&api.region, Service::Apigateway) {
                out.not_evaluated(
                    &Self::META,
                    api.arn.clone(),
                    format!("usage plans could not be read in {}", api.region),
                );
                continue;
            }
            for stage in &api.stages {
                if ctx.index.usage_plans_by_stage.contains_key(&(api.id.as_str(), stage.name.as_str())) {
                    continue;
                }
                out.push(
                    Finding::new(
                        &Self::META,
                        api.resource(ctx.account_id()),
                        format!(
                            "REST API {} ({}) stage {} is in no usage plan, but {} method(s) require an API key: every keyed call is refused",
                            api.id,
                            api.name,
                            stage.name,
                            keyed.len()
                        ),
                    )
                    .detail(&stage.name)
                    .evidence("stage", &stage.name)
                    .evidence("methods_requiring_key", &keyed),
                );
            }
        }
    }
}
