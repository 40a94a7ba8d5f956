use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// An enabled CloudFront distribution with no AWS WAF web ACL associated.
    ///
    /// ## Why it matters
    ///
    /// The distribution is the front door of everything behind it. Without a web ACL nothing
    /// filters common exploits, known bad inputs, abusive IP addresses or request floods before
    /// they reach the origins, and every such request is forwarded (and billed) to the backend.
    ///
    /// ## Example
    ///
    /// `DistributionConfig.WebACLId` is empty on a distribution that serves `/api*` from API
    /// Gateway.
    ///
    /// ## How to fix
    ///
    /// Create a web ACL with scope `CLOUDFRONT` (in us-east-1) that enforces the AWS managed rule
    /// groups AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet and
    /// AWSManagedRulesAmazonIpReputationList plus a blocking rate-based rule, and associate it
    /// with the distribution (`WebACLId` in the distribution config, or `aws_cloudfront_distribution.web_acl_id`).
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-web-awswaf.html>
    /// - <https://aws.amazon.com/blogs/security/protect-apis-with-amazon-api-gateway-and-perimeter-protection-services/>
    CloudfrontNoWebAcl {
        id: "EA101",
        slug: "cloudfront-no-web-acl",
        title: "Distribution without a web ACL",
        severity: High,
        services: [Cloudfront],
    }
}

impl Audit for CloudfrontNoWebAcl {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for distribution in &ctx.account.distributions {
            if !distribution.enabled || distribution.web_acl_id.as_deref().is_some_and(|id| !id.is_empty()) {
                continue;
            }
            out.push(
                Finding::new(
                    &Self::META,
                    distribution.resource(ctx.account_id()),
                    format!(
                        "Distribution {} ({}) has no web ACL: requests reach its {} origin(s) unfiltered",
                        distribution.id,
                        distribution.domain_name,
                        distribution.origins.len()
                    ),
                )
                .evidence("enabled", distribution.enabled)
                .evidence("web_acl_id", &distribution.web_acl_id)
                .evidence("aliases", &distribution.aliases),
            );
        }
    }
}
