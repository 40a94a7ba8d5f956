use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A cache behavior (the default one included) whose viewer protocol policy is `allow-all`,
    /// so viewers can talk to the distribution over plain HTTP.
    ///
    /// ## Why it matters
    ///
    /// Requests and answers over HTTP can be read and changed on the way: session cookies,
    /// bearer tokens and API payloads travel in clear, and a network attacker can inject content.
    /// API clients that follow redirects badly also end up sending credentials over HTTP.
    ///
    /// ## Example
    ///
    /// The `/api*` behavior has `ViewerProtocolPolicy: allow-all`.
    ///
    /// ## How to fix
    ///
    /// Set the viewer protocol policy of every behavior to `redirect-to-https` (for browsers) or
    /// `https-only` (for APIs, where a redirect would leak the first request).
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html>
    CloudfrontViewerAllowsHttp {
        id: "EA102",
        slug: "cloudfront-viewer-allows-http",
        title: "Viewers may use plain HTTP",
        severity: Medium,
        services: [Cloudfront],
    }
}

impl Audit for CloudfrontViewerAllowsHttp {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for distribution in &ctx.account.distributions {
            let patterns: Vec<&str> = distribution
                .all_behaviors()
                .filter(|b| b.viewer_protocol_policy == "allow-all")
                .map(|b| b.pattern())
                .collect();
            if patterns.is_empty() {
                continue;
            }
            out.push(
                Finding::new(
                    &Self::META,
                    distribution.resource(ctx.account_id()),
                    format!(
                        "Distribution {} accepts plain HTTP from viewers on behavior(s) {}",
                        distribution.id,
                        patterns.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                    ),
                )
                .evidence("behaviors", &patterns)
                .evidence("viewer_protocol_policy", "allow-all"),
            );
        }
    }
}
