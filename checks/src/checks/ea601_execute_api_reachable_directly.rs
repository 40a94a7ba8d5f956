use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Severity;
use crate::origin::OriginKind;

declare_check! {
    /// ## What it finds
    ///
    /// An API Gateway API behind a distribution whose own `execute-api` endpoint answered a
    /// request sent straight to it (active probe: no credentials, no secret header), on a path
    /// the distribution routes to it. An answer from the backend (2xx, 3xx, 404, 5xx) is
    /// critical. A 401/403 that carries no API Gateway marker (`x-amzn-ErrorType`) came from the
    /// application, after API Gateway let the request through: high.
    ///
    /// ## Why it matters
    ///
    /// Everything the distribution enforces (its web ACL, rate-based rules, geo restrictions,
    /// Shield Advanced) only applies to requests that go through it. Anyone who knows
    /// `{api-id}.execute-api.{region}.amazonaws.com` (it leaks through logs, error pages, mobile
    /// apps, certificate-less scanning of the API id space) calls the API directly. Even when the
    /// application refuses such requests itself, each one has already invoked the integration:
    /// API Gateway requests, Lambda invocations and downstream calls are billed, concurrency is
    /// consumed, and a flood of them is a denial of service (and a denial of wallet) that no edge
    /// rate limit sees.
    ///
    /// ## Example
    ///
    /// `GET https://a1b2c3.execute-api.us-east-1.amazonaws.com/prod/api/` returns `200` while the
    /// distribution sends an `x-origin-verify` header that nothing on the API checks.
    ///
    /// ## How to fix
    ///
    /// Make API Gateway refuse requests that did not come through the distribution, before any
    /// integration runs: associate a regional web ACL with the stage whose default action blocks
    /// and whose only allow rule matches the secret origin header CloudFront sends (rotated, at
    /// least 32 random characters), or require an API key that only CloudFront sends
    /// (`x-api-key` origin header, usage plan with throttling). For HTTP APIs and REST APIs with
    /// a custom domain, also disable the default endpoint (`disableExecuteApiEndpoint`) so only
    /// the domain CloudFront uses remains.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html#add-origin-custom-headers-forward-authorization>
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html>
    ExecuteApiReachableDirectly {
        id: "EA601",
        slug: "execute-api-reachable-directly",
        title: "API Gateway endpoint answers requests that bypass CloudFront",
        severity: Critical,
        services: [Cloudfront],
        requires_probes: true,
    }
}

impl Audit for ExecuteApiReachableDirectly {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        super::probes::report_direct(
            ctx,
            out,
            &Self::META,
            |kind| matches!(kind, OriginKind::ApiGateway { .. }),
            Severity::High,
        );
    }
}
