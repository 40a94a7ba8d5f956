use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::inventory::TenantAcl;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// An enabled CloudFront distribution with no AWS WAF web ACL associated, and an enabled
    /// tenant of a multi-tenant distribution (`ConnectionMode` `tenant-only`) whose traffic no
    /// web ACL filters: its `Customizations.WebAcl.Action` is `disable` (an `override` without
    /// an ACL ARN counts the same), or it inherits a distribution without one. The tenant's
    /// finding names its domains. A tenant with `override` uses that ACL as its entry ACL, which
    /// EA110 and EA111 judge. The origins a tenant's unfiltered traffic reaches include its own
    /// versions of the distribution's templated origins (`{{name}}` filled in from its
    /// parameters); the origin checks (EA106, EA202, EA305 …) judge those per tenant.
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
    /// Gateway; or the distribution has a web ACL but its tenant `shop-b` (domain
    /// `shop-b.example.com`) sets `Customizations.WebAcl.Action` to `disable`, so that tenant's
    /// requests reach the same origins unfiltered.
    ///
    /// ## How to fix
    ///
    /// Create a web ACL with scope `CLOUDFRONT` (in us-east-1) that enforces the AWS managed rule
    /// groups AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet and
    /// AWSManagedRulesAmazonIpReputationList plus a blocking rate-based rule, and associate it
    /// with the distribution (`WebACLId` in the distribution config, or `aws_cloudfront_distribution.web_acl_id`).
    /// For a tenant, remove the `disable` customization (the tenant then inherits the
    /// distribution's ACL) or `override` it with a web ACL of its own.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-web-awswaf.html>
    /// - <https://aws.amazon.com/blogs/security/protect-apis-with-amazon-api-gateway-and-perimeter-protection-services/>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-config-options.html>
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
        for tenant in ctx.account.distribution_tenants.iter().filter(|t| t.enabled) {
            let Some(parent) = ctx.account.distributions.iter().find(|d| d.id == tenant.distribution_id) else {
                continue;
            };
            if !parent.enabled {
                continue;
            }
            let how = match tenant.effective_acl(parent) {
                TenantAcl::Override(_) | TenantAcl::Inherited(Some(_)) => continue,
                TenantAcl::Disabled => "switches the distribution's web ACL off (Customizations.WebAcl disable)",
                TenantAcl::Inherited(None) => "inherits a distribution without a web ACL",
            };
            out.push(
                Finding::new(
                    &Self::META,
                    tenant.resource(ctx.account_id()),
                    format!(
                        "Tenant {} of distribution {} {how}: requests to {} reach its {} origin(s) unfiltered",
                        tenant.name,
                        parent.id,
                        if tenant.domains.is_empty() { "its domains".to_string() } else { tenant.domains.join(", ") },
                        parent.origins.len()
                    ),
                )
                .detail(&tenant.id)
                .evidence("distribution_id", &parent.id)
                .evidence("distribution_web_acl_id", &parent.web_acl_id)
                .evidence("tenant_web_acl", &tenant.web_acl)
                .evidence("domains", &tenant.domains)
                .evidence("connection_group_id", &tenant.connection_group_id),
            );
        }
    }
}
