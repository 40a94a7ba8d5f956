use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::inventory::Service;

use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// An internet-facing load balancer that is a distribution's origin and has no web ACL of
    /// its own.
    ///
    /// ## Why it matters
    ///
    /// The distribution's web ACL only sees traffic that goes through CloudFront. A regional
    /// web ACL on the load balancer is the second layer: it can enforce the origin header,
    /// filter what reaches the load balancer by other paths, and keeps protecting the
    /// application if the distribution's rules are loosened.
    ///
    /// ## Example
    ///
    /// `GetWebACLForResource` on the ALB returns no web ACL.
    ///
    /// ## How to fix
    ///
    /// Associate a REGIONAL web ACL with the load balancer: a rule that blocks requests without
    /// the secret header, plus rate limiting and the AWS managed groups if the load balancer is
    /// reachable from elsewhere.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html>
    /// - <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-waf>
    AlbOriginNoWebAcl {
        id: "EA406",
        slug: "alb-origin-no-web-acl",
        title: "Load balancer origin without a web ACL",
        severity: Low,
        services: [Cloudfront, Elbv2, WafRegional],
    }
}

impl Audit for AlbOriginNoWebAcl {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for origin in &ctx.perimeter.network_origins {
            let Some(lb) = origin.lb else { continue };
            if lb.web_acl_arn.as_deref().is_some_and(|a| !a.is_empty()) {
                continue;
            }
            // The association comes from GetWebACLForResource: absent only if that was read.
            if !ctx.account.is_collected(&lb.region, Service::WafRegional) {
                out.not_evaluated(
                    &Self::META,
                    lb.arn.clone(),
                    format!("web ACL associations could not be read in {}", lb.region),
                );
                continue;
            }
            out.push(
                Finding::new(
                    &Self::META,
                    lb.resource(ctx.account_id()),
                    format!(
                        "Load balancer {} is an origin of {} and has no web ACL",
                        lb.name,
                        origin.used_by.join(", ")
                    ),
                )
                .evidence("origin_of", &origin.used_by),
            );
        }
    }
}
