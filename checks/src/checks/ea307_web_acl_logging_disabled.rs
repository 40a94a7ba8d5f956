use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::index::{acl_association, AclAssociation};
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A web ACL that is associated with a resource and has no logging configuration. When
    /// the logging configuration could not be read, the ACL is reported as not evaluated.
    ///
    /// ## Why it matters
    ///
    /// Without logs there is no record of what the ACL blocked or let through: no way to tune
    /// Count rules, investigate an attack or prove that the origin lock works. Sampled requests
    /// keep only three hours of a few hundred requests.
    ///
    /// ## Example
    ///
    /// The stage's origin-verify web ACL has no `LoggingConfiguration`.
    ///
    /// ## How to fix
    ///
    /// Enable logging to a CloudWatch Logs group, S3 bucket or Firehose stream whose name
    /// starts with `aws-waf-logs-`, redacting the secret header field
    /// (`RedactedFields: SingleHeader x-origin-verify`).
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/logging.html>
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/logging-management.html>
    WebAclLoggingDisabled {
        id: "EA307",
        slug: "web-acl-logging-disabled",
        title: "Web ACL without logging",
        severity: Low,
        services: [WafCloudfront, WafRegional, Cloudfront, Apigateway, Elbv2],
    }
}

impl Audit for WebAclLoggingDisabled {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for acl in &ctx.account.web_acls {
            let users = match acl_association(ctx.account, ctx.index, acl) {
                AclAssociation::Associated(users) => users,
                AclAssociation::Unassociated => continue,
                AclAssociation::Unknown(missing) => {
                    if acl.logging_enabled != Some(true) {
                        out.not_evaluated(
                            &Self::META,
                            acl.arn.clone(),
                            format!(
                                "associations of web ACL {} unknown: {} not collected",
                                acl.name,
                                missing.join(", ")
                            ),
                        );
                    }
                    continue;
                }
            };
            match acl.logging_enabled {
                Some(true) => {}
                Some(false) => out.push(
                    Finding::new(
                        &Self::META,
                        acl.resource(ctx.account_id()),
                        format!(
                            "Web ACL {} protects {} resource(s) and has no logging configuration",
                            acl.name,
                            users.len()
                        ),
                    )
                    .evidence("associated_with", users),
                ),
                None => out.not_evaluated(
                    &Self::META,
                    acl.arn.clone(),
                    format!("the logging configuration of web ACL {} could not be read", acl.name),
                ),
            }
        }
    }
}
