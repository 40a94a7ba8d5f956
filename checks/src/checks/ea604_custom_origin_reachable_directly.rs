use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Severity;
use crate::origin::OriginKind;

declare_check! {
    /// ## What it finds
    ///
    /// A custom origin (an instance's public name, an API Gateway custom domain, any other HTTP
    /// server) behind a distribution that answered a request sent straight to it (active probe,
    /// no credentials, no secret header). An answer from the server is high; a 401/403 without a
    /// gateway marker came from the application: medium.
    ///
    /// ## Why it matters
    ///
    /// Requests sent to the origin skip the distribution's web ACL, rate limits, geo
    /// restrictions and Shield Advanced, and reach the server that does the work. When the
    /// application is what refuses them, it has already spent its resources on each one.
    ///
    /// ## Example
    ///
    /// `GET https://origin.example.com/api/` returns `200` while the distribution adds a secret
    /// header that the server never checks.
    ///
    /// ## How to fix
    ///
    /// Let only CloudFront reach the origin: a firewall or security group restricted to the
    /// managed prefix list `com.amazonaws.global.cloudfront.origin-facing`, plus a check of a
    /// secret origin header in front of the application (web server, reverse proxy or a
    /// regional web ACL), or move the origin behind a CloudFront VPC origin.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html>
    CustomOriginReachableDirectly {
        id: "EA604",
        slug: "custom-origin-reachable-directly",
        title: "Custom origin answers requests that bypass CloudFront",
        severity: High,
        services: [Cloudfront],
        requires_probes: true,
    }
}

impl Audit for CustomOriginReachableDirectly {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        super::probes::report_direct(
            ctx,
            out,
            &Self::META,
            |kind| matches!(kind, OriginKind::Custom),
            Severity::Medium,
        );
    }
}
