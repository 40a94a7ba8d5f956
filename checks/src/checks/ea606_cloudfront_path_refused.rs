use crate::check::{Audit, Context, Output};
use crate::declare_check;

declare_check! {
    /// ## What it finds
    ///
    /// With `--probe-through-cloudfront`: the distribution itself answers a path routed to an
    /// API origin with a 403 that its origin produced (API Gateway's `x-amzn-ErrorType`, a
    /// load balancer's fixed response, the application) rather than CloudFront's own error page.
    ///
    /// ## Why it matters
    ///
    /// The origin refuses the requests CloudFront sends, so the site is broken for every viewer
    /// on that path. The usual cause is a secret that no longer matches: the origin header was
    /// rotated on one side only, the web ACL checks another header name or value, or the API key
    /// CloudFront sends is not in the stage's usage plan. A wrong origin path or stage gives the
    /// same answer. A team "fixing" it in a hurry tends to remove the lock altogether.
    ///
    /// ## Example
    ///
    /// `GET https://d111111abcdef8.cloudfront.net/api/` returns `403` with
    /// `x-amzn-ErrorType: ForbiddenException`: the regional web ACL on the stage expects
    /// `x-origin-verify` with the previous value.
    ///
    /// ## How to fix
    ///
    /// Make the secret CloudFront sends (origin custom header, `x-api-key`) and the one the
    /// origin checks (web ACL rule, listener rule, usage plan key) the same value; rotate it by
    /// accepting both the old and the new value at the origin first, then switching the
    /// distribution, then dropping the old one. Check the origin path and stage too.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-403-permission-denied.html>
    CloudfrontPathRefused {
        id: "EA606",
        slug: "cloudfront-path-refused",
        title: "Distribution gets a 403 from its own origin",
        severity: Medium,
        services: [Cloudfront],
        requires_probes: true,
    }
}

impl Audit for CloudfrontPathRefused {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        super::probes::report_cloudfront_refused(ctx, out, &Self::META);
    }
}
