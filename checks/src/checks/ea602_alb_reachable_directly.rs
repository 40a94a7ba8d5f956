use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Severity;
use crate::origin::OriginKind;

declare_check! {
    /// ## What it finds
    ///
    /// A load balancer behind a distribution that answered a request sent straight to its own
    /// DNS name (active probe on each HTTP/HTTPS listener, no credentials, no secret header). An
    /// answer from the targets (2xx, 3xx, 404, 5xx) is critical; a 401/403 that does not come
    /// from the load balancer itself (`server: awselb/2.0` fixed response, AWS WAF) came from the
    /// application: high.
    ///
    /// ## Why it matters
    ///
    /// Requests sent to the load balancer skip the distribution's web ACL, rate limits and
    /// Shield Advanced. When only the application refuses them, every one has still reached a
    /// target: instances and containers do the work, Lambda targets are invoked and billed, and
    /// a flood takes the service down behind CloudFront's back.
    ///
    /// ## Example
    ///
    /// `GET http://my-alb-123.us-east-1.elb.amazonaws.com/api/` returns `200` from the targets:
    /// the listener's default action forwards, and no rule checks the origin header.
    ///
    /// ## How to fix
    ///
    /// Allow only CloudFront to reach the load balancer: restrict its security group to the
    /// managed prefix list `com.amazonaws.global.cloudfront.origin-facing`, make the listener's
    /// default action a fixed 403 response and forward only in a rule that matches the secret
    /// origin header CloudFront sends, or use a CloudFront VPC origin with an internal load
    /// balancer.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html>
    AlbReachableDirectly {
        id: "EA602",
        slug: "alb-reachable-directly",
        title: "Load balancer answers requests that bypass CloudFront",
        severity: Critical,
        services: [Cloudfront],
        requires_probes: true,
    }
}

impl Audit for AlbReachableDirectly {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        super::probes::report_direct(
            ctx,
            out,
            &Self::META,
            |kind| matches!(kind, OriginKind::Alb { .. }),
            Severity::High,
        );
    }
}
