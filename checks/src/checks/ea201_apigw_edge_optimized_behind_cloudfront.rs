use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::index::Api;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A REST API with an EDGE (edge-optimized) endpoint that is the origin of a distribution.
    ///
    /// ## Why it matters
    ///
    /// An edge-optimized API already sits behind an AWS-managed CloudFront distribution you
    /// cannot configure. Putting your own distribution in front sends every request through
    /// CloudFront twice (more latency, the Host and caching quirks of both), and the
    /// AWS-managed one has none of your WAF rules, so it is a second, unprotected front door.
    ///
    /// ## Example
    ///
    /// `endpointConfiguration.types = ["EDGE"]` (API Gateway's default) on an API that serves
    /// the `/api*` behavior.
    ///
    /// ## How to fix
    ///
    /// Change the API's endpoint type to REGIONAL (`aws apigateway update-rest-api --patch-operations
    /// op=replace,path=/endpointConfiguration/types/EDGE,value=REGIONAL`) and keep your own
    /// distribution as the only CloudFront in front of it.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-endpoint-types.html>
    /// - <https://repost.aws/knowledge-center/api-gateway-cloudfront-distribution>
    ApigwEdgeOptimizedBehindCloudfront {
        id: "EA201",
        slug: "apigw-edge-optimized-behind-cloudfront",
        title: "Edge-optimized API behind a CloudFront distribution",
        severity: Medium,
        services: [Cloudfront, Apigateway],
    }
}

impl Audit for ApigwEdgeOptimizedBehindCloudfront {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for distribution in &ctx.account.distributions {
            for origin in &distribution.origins {
                // A templated origin reaches, per tenant, the API its filled-in domain names.
                for (version, target) in ctx
                    .index
                    .origin_versions(distribution, origin)
                    .into_iter()
                    .flat_map(|v| ctx.index.api_targets(v.origin).into_iter().map(move |t| (v, t)))
                {
                    let Api::Rest(api) = target.api else { continue };
                    if !api.is_edge_optimized() {
                        continue;
                    }
                    let finding =
                    Finding::new(
                        &Self::META,
                        api.resource(ctx.account_id()),
                        format!(
                            "REST API {} ({}) is edge-optimized and is origin `{}` of distribution {}: requests cross CloudFront twice; use a REGIONAL endpoint",
                            api.id, api.name, origin.id, distribution.id
                        ),
                    )
                    .detail(version.label())
                    .evidence("endpoint_types", &api.endpoint_types)
                    .evidence("distribution", &distribution.id)
                    .evidence("origin_id", &origin.id);
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
