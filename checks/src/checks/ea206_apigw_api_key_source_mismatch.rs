use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::index::{Api, API_KEY_HEADER};
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A distribution that sends `x-api-key` to a REST API whose `apiKeySource` is AUTHORIZER.
    ///
    /// ## Why it matters
    ///
    /// With apiKeySource AUTHORIZER, API Gateway ignores the `x-api-key` header and takes the
    /// key from the Lambda authorizer's `usageIdentifierKey`. The key CloudFront injects does
    /// nothing: either every keyed call fails, or (when the authorizer returns a fixed key)
    /// the API accepts requests that never came through CloudFront.
    ///
    /// ## Example
    ///
    /// The origin sends `x-api-key` and `aws apigateway get-rest-api` shows
    /// `"apiKeySource": "AUTHORIZER"`.
    ///
    /// ## How to fix
    ///
    /// Set the API's key source to HEADER
    /// (`update-rest-api --patch-operations op=replace,path=/apiKeySource,value=HEADER`), or stop
    /// sending the header and lock the API with another mechanism.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html>
    ApigwApiKeySourceMismatch {
        id: "EA206",
        slug: "apigw-api-key-source-mismatch",
        title: "Distribution sends x-api-key to an API that reads keys from an authorizer",
        severity: Medium,
        services: [Cloudfront, Apigateway],
    }
}

impl Audit for ApigwApiKeySourceMismatch {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for distribution in &ctx.account.distributions {
            for origin in &distribution.origins {
                let Some(header) = origin.header(API_KEY_HEADER) else { continue };
                // A templated origin reaches, per tenant, the API its filled-in domain names.
                for (version, target) in ctx
                    .index
                    .origin_versions(distribution, origin)
                    .into_iter()
                    .flat_map(|v| ctx.index.api_targets(v.origin).into_iter().map(move |t| (v, t)))
                {
                    let Api::Rest(api) = target.api else { continue };
                    let source = api.api_key_source.as_deref().unwrap_or("HEADER");
                    if !source.eq_ignore_ascii_case("AUTHORIZER") {
                        continue;
                    }
                    let finding =
                    Finding::new(
                        &Self::META,
                        api.resource(ctx.account_id()),
                        format!(
                            "REST API {} ({}) reads API keys from an authorizer (apiKeySource AUTHORIZER), but distribution {} sends {} to it through origin `{}`: the header is ignored",
                            api.id, api.name, distribution.id, header.name, origin.id
                        ),
                    )
                    .detail(version.label())
                    .evidence("api_key_source", source)
                    .evidence("distribution", &distribution.id)
                    .evidence("origin_id", &origin.id)
                    .evidence("header", &header.name)
                    .evidence("fingerprint", &header.value.fingerprint);
                    out.push(match version.tenant {
                        Some(tenant) => finding
                            .evidence("tenant_id", &tenant.id)
                            .evidence("tenant_domains", &tenant.domains),
                        None => finding,
                    });
                }
            }
        }
    }
}
