use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::{Confidence, Finding, Severity};
use crate::index::Api;
use crate::perimeter::EntryKind;

declare_check! {
    /// ## What it finds
    ///
    /// An API Gateway API (REST or HTTP) that is the origin of a distribution and has a deployed
    /// stage with a public entry point — its default `execute-api` endpoint, or a public custom
    /// domain that maps it (the custom domain CloudFront itself uses is one: anybody can call it
    /// too) — and nothing that refuses requests lacking the distribution's secret: no stage web ACL enforcing the origin
    /// header, no required API key fed by the distribution's `x-api-key` (apiKeySource HEADER,
    /// stage in a usage plan), no AWS_IAM on every method with a Lambda@Edge signer at the edge,
    /// no mutual TLS on every public entry point. A custom domain with `mutualTlsAuthentication`
    /// (a trust store) locks the API only when the default `execute-api` endpoint is disabled and
    /// no other public domain maps it; otherwise the API is reachable around it, and the finding
    /// says so.
    ///
    /// High when some method is open; medium when every method requires some authorizer
    /// (Cognito, JWT, a Lambda authorizer, or AWS_IAM without a signer), since callers still
    /// need credentials. Medium with low confidence when the API has a resource policy edge-audit
    /// cannot interpret, or checks the header with a regex it cannot compare: could not verify.
    ///
    /// Low with low confidence — *could not verify*, never "locked" and never a confident
    /// "reachable" — when every method or route is behind a Lambda authorizer (REST `TOKEN` or
    /// `REQUEST`, HTTP API `REQUEST`) whose identity source is a header the distribution sends:
    /// API Gateway refuses requests without the header before the function runs, but whether the
    /// function compares the header's value is in its code, which edge-audit does not read. The
    /// stage's exposure is then *unknown*, so EA203 and the entry-point checks report it as not
    /// evaluated rather than as internet-facing.
    ///
    /// A custom domain's routing rules (`ROUTING_RULE_ONLY` or `ROUTING_RULE_THEN_BASE_PATH_MAPPING`)
    /// that send requests to the API only when a header carries the distribution's secret lock
    /// it only when they are the only way in: with the default `execute-api` endpoint enabled,
    /// another domain mapping the API, or a fallback base path mapping of the same domain, the
    /// API is reachable around the rules and reported here (the evidence names the rules). A
    /// rule matching `*` or a short glob requires a header's presence, not a secret, and locks
    /// nothing.
    ///
    /// ## Why it matters
    ///
    /// `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}` is public and predictable.
    /// Whoever calls it skips CloudFront's web ACL, rate limits and Shield protection, and every
    /// request is billed by API Gateway and the backend.
    ///
    /// ## Example
    ///
    /// The `/api*` behavior forwards to a REGIONAL REST API whose methods have authorization
    /// NONE and whose stage has no web ACL.
    ///
    /// ## How to fix
    ///
    /// Lock the API to the distribution: a regional web ACL on the stage that blocks requests
    /// without the secret `X-Origin-Verify` header CloudFront sends; or required API keys with
    /// CloudFront sending `x-api-key`; or SigV4 signing with Lambda@Edge and AWS_IAM on every
    /// method. With a custom domain, also disable the default endpoint
    /// (`disableExecuteApiEndpoint`).
    ///
    /// ## References
    ///
    /// - <https://aws.amazon.com/blogs/security/protect-apis-with-amazon-api-gateway-and-perimeter-protection-services/>
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html>
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html>
    ApiReachableAroundCloudfront {
        id: "EA202",
        slug: "api-reachable-around-cloudfront",
        title: "API reachable around CloudFront",
        severity: High,
        services: [Cloudfront, Apigateway, Apigatewayv2, WafRegional],
    }
}

impl Audit for ApiReachableAroundCloudfront {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        let apis =
            ctx.account.rest_apis.iter().map(Api::Rest).chain(ctx.account.http_apis.iter().map(Api::Http));
        for api in apis {
            let uses = ctx.index.origins_reaching(api.arn());
            if uses.is_empty() {
                continue;
            }
            let mut open_stages = Vec::new();
            let mut reasons = Vec::new();
            let mut unverifiable = Vec::new();
            let mut entry_points = Vec::new();
            let mut authorization_everywhere = true;
            let mut incomplete = Vec::new();
            let mut checked_in_code = Vec::new();
            let mut code_checked_stages = Vec::new();
            for backend in ctx.perimeter.api_backends(api) {
                let side = &backend.side;
                if side.is_locked() {
                    continue;
                }
                if !side.is_complete() {
                    incomplete.extend(side.not_collected.clone());
                    continue;
                }
                if !side.checked_in_code.is_empty() {
                    checked_in_code.extend(side.checked_in_code.clone());
                    code_checked_stages.push(backend.stage_label());
                    continue;
                }
                open_stages.push(backend.stage_label());
                reasons.extend(side.open_because.clone());
                unverifiable.extend(side.unverifiable.clone());
                entry_points.extend(backend.entry_points.iter().cloned());
                authorization_everywhere &= side.authorization_everywhere;
            }
            if !incomplete.is_empty() {
                incomplete.sort();
                incomplete.dedup();
                out.not_evaluated(&Self::META, api.arn(), incomplete.join("; "));
            }
            checked_in_code.sort();
            checked_in_code.dedup();
            let distributions: Vec<String> =
                uses.iter().map(|u| u.label()).collect();
            if open_stages.is_empty() {
                if !checked_in_code.is_empty() {
                    // The lock may be right; edge-audit cannot read the code that decides it.
                    out.push(
                        Finding::new(
                            &Self::META,
                            api.resource(ctx.account_id()),
                            format!(
                                "Could not verify that {} {} ({}) refuses requests that did not come through CloudFront on stage(s) {}: {}",
                                match api {
                                    Api::Rest(_) => "REST API",
                                    Api::Http(_) => "HTTP API",
                                },
                                api.id(),
                                api.name(),
                                code_checked_stages.join(", "),
                                checked_in_code.join("; ")
                            ),
                        )
                        .severity(Severity::Low)
                        .confidence(Confidence::Low)
                        .evidence("origin_of", &distributions)
                        .evidence("stages", &code_checked_stages)
                        .evidence("could_not_verify", &checked_in_code),
                    );
                }
                continue;
            }
            reasons.sort();
            reasons.dedup();
            unverifiable.sort();
            unverifiable.dedup();
            entry_points.sort();
            entry_points.dedup();
            let (severity, confidence) = if !unverifiable.is_empty() {
                (Severity::Medium, Confidence::Low)
            } else if authorization_everywhere {
                (Severity::Medium, Confidence::High)
            } else {
                (Severity::High, Confidence::High)
            };
            let described: Vec<String> = entry_points.iter().map(|e| e.describe()).collect();
            let doors = if entry_points.iter().all(|e| e.kind == EntryKind::ExecuteApi) {
                "its execute-api endpoint accepts".to_string()
            } else {
                format!("its public entry points ({}) accept", described.join(", "))
            };
            let mut message = format!(
                "{} {} ({}) is an origin of {} but {doors} requests that did not come through CloudFront on stage(s) {}: {}",
                match api {
                    Api::Rest(_) => "REST API",
                    Api::Http(_) => "HTTP API",
                },
                api.id(),
                api.name(),
                distributions.join(", "),
                open_stages.join(", "),
                reasons.join("; ")
            );
            if authorization_everywhere {
                message.push_str("; every method still requires authorization");
            }
            if !unverifiable.is_empty() {
                message.push_str(&format!("; could not verify: {}", unverifiable.join("; ")));
            }
            out.push(
                Finding::new(&Self::META, api.resource(ctx.account_id()), message)
                    .severity(severity)
                    .confidence(confidence)
                    .evidence("origin_of", &distributions)
                    .evidence("open_stages", &open_stages)
                    .evidence("entry_points", &described)
                    .evidence("why_open", &reasons)
                    .evidence("authorization_everywhere", authorization_everywhere)
                    .evidence("could_not_verify", &unverifiable),
            );
        }
    }
}
