use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::{Confidence, Finding};
use crate::index::{acl_association, AclAssociation};
use crate::inventory::{WafScope, GLOBAL_REGION};
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A web ACL that protects nothing: a `CLOUDFRONT` web ACL that no distribution uses, or a
    /// `REGIONAL` one that no API Gateway stage, load balancer or other resource uses.
    ///
    /// ## Why it matters
    ///
    /// An unassociated web ACL is usually a mistake, not a spare: the team believes a resource
    /// is filtered while the association was never made, was made in the wrong region or scope,
    /// or was lost when the stage or distribution was recreated. It also costs a monthly fee.
    ///
    /// ## Example
    ///
    /// A Pulumi stack creates a regional web ACL that checks the origin header but never
    /// creates the `WebAclAssociation` with the API stage.
    ///
    /// ## How to fix
    ///
    /// Associate the web ACL with the resource it was meant to protect (distribution `WebACLId`,
    /// `wafv2 associate-web-acl` for a stage or load balancer), or delete it if it is no longer
    /// needed.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html>
    WebAclUnassociated {
        id: "EA301",
        slug: "web-acl-unassociated",
        title: "Web ACL associated with nothing",
        severity: Low,
        services: [WafCloudfront, WafRegional, Cloudfront, Apigateway, Elbv2],
    }
}

impl Audit for WebAclUnassociated {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for acl in &ctx.account.web_acls {
            let region = if acl.scope == WafScope::Cloudfront { GLOBAL_REGION } else { acl.region.as_str() };
            // "No association" is only a conclusion if every place an association could show up
            // was read; otherwise we cannot tell.
            match acl_association(ctx.account, ctx.index, acl) {
                AclAssociation::Associated(_) => continue,
                AclAssociation::Unknown(missing) => {
                    out.not_evaluated(
                        &Self::META,
                        acl.arn.clone(),
                        format!(
                            "associations of web ACL {} could not be determined: {} not collected in {region}",
                            acl.name,
                            missing.join(", ")
                        ),
                    );
                    continue;
                }
                AclAssociation::Unassociated => {}
            }
            let (confidence, looked_at) = match (acl.scope, &acl.associated_resources) {
                (WafScope::Cloudfront, _) => (Confidence::High, "distributions"),
                // ListResourcesForWebACL answered: it covers AppSync, Cognito, App Runner too.
                (WafScope::Regional, Some(_)) => {
                    (Confidence::High, "API stages, load balancers and other regional resources")
                }
                // Without it, resource types edge-audit does not collect could still use the ACL.
                (WafScope::Regional, None) => (Confidence::Medium, "API stages and load balancers"),
            };
            out.push(
                Finding::new(
                    &Self::META,
                    acl.resource(ctx.account_id()),
                    format!(
                        "Web ACL {} ({}) is associated with no {looked_at}",
                        acl.name,
                        scope_name(acl.scope)
                    ),
                )
                .confidence(confidence)
                .evidence("scope", acl.scope)
                .evidence("rules", acl.rules.len()),
            );
        }
    }
}

fn scope_name(scope: WafScope) -> &'static str {
    match scope {
        WafScope::Cloudfront => "CLOUDFRONT scope",
        WafScope::Regional => "REGIONAL scope",
    }
}
