use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::index::Api;
use crate::perimeter::Exposure;

declare_check! {
    /// ## What it finds
    ///
    /// Methods (REST) or routes (HTTP) with neither authorization nor a required API key, on an
    /// API that is reachable from the internet directly: it has a public entry point (its default
    /// `execute-api` endpoint or a public custom domain that maps it) and is not locked behind a
    /// distribution (see EA202). CORS preflight `OPTIONS` methods are ignored. An API whose
    /// methods or routes could not all be read, with none open among those read, is reported
    /// *not evaluated*.
    ///
    /// ## Why it matters
    ///
    /// Open methods are fine for public data behind a WAF. Reachable directly, they are
    /// callable by anyone, unfiltered and unthrottled per client, and a forgotten internal or
    /// debug route (`GET /health` that returns configuration) is public too.
    ///
    /// ## Example
    ///
    /// `GET /pets/{petId}` with authorization NONE on an API whose other methods use AWS_IAM.
    ///
    /// ## How to fix
    ///
    /// Require authorization (AWS_IAM, a Cognito or JWT authorizer, a Lambda authorizer) on
    /// every method, or lock the API to a WAF-protected distribution.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html>
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html>
    ApigwOpenMethods {
        id: "EA204",
        slug: "apigw-open-methods",
        title: "Open methods on a directly reachable API",
        severity: Info,
        services: [Apigateway, Apigatewayv2, WafRegional],
    }
}

impl Audit for ApigwOpenMethods {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        let apis =
            ctx.account.rest_apis.iter().map(Api::Rest).chain(ctx.account.http_apis.iter().map(Api::Http));
        for api in apis {
            let open: Vec<String> =
                api.operations().into_iter().filter(|o| o.is_open()).map(|o| o.name).collect();
            if open.is_empty() {
                // None open among the operations read: no fact if they were not all read.
                if let Some(gap) = ctx.account.resource_failure(api.service(), api.arn()) {
                    out.not_evaluated(
                        &Self::META,
                        api.arn(),
                        format!(
                            "{} {} could not be read completely: {}",
                            api.kind(),
                            api.id(),
                            gap.failed_read()
                        ),
                    );
                }
                continue;
            }
            match ctx.perimeter.api_exposure(api) {
                Exposure::Locked(_) => continue,
                Exposure::Unknown(why) => {
                    out.not_evaluated(&Self::META, api.arn(), why.join("; "));
                    continue;
                }
                Exposure::Internet(_) => {}
            }
            out.push(
                Finding::new(
                    &Self::META,
                    api.resource(ctx.account_id()),
                    format!(
                        "{} {} ({}) is reachable directly and {} neither authorization nor an API key: {}",
                        api.kind(),
                        api.id(),
                        api.name(),
                        if open.len() == 1 { "1 method requires" } else { "these methods require" },
                        open.join(", ")
                    ),
                )
                .evidence("open_methods", &open),
            );
        }
    }
}
