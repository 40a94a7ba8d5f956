use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::index::{acl_association, AclAssociation};
use crate::inventory::{Statement, WafAction};
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// Rules left in Count, managed rule groups overridden to Count, and rules inside managed
    /// groups overridden to Count, on a web ACL that is associated with a resource.
    ///
    /// ## Why it matters
    ///
    /// Count is for testing: the rule logs what it would have blocked and lets it through.
    /// Left in Count after the test, a rule group that looks enforced in every review protects
    /// nothing.
    ///
    /// ## Example
    ///
    /// AWSManagedRulesCommonRuleSet with override action Count on the distribution's web ACL.
    ///
    /// ## How to fix
    ///
    /// Review the sampled requests and logs, exclude the individual rules that cause false
    /// positives (or scope the group down), and set the override action to None / the rule
    /// action to Block.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-group-override-options.html>
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-testing.html>
    WafRulesCountOnly {
        id: "EA306",
        slug: "waf-rules-count-only",
        title: "WAF rules left in Count",
        severity: Low,
        services: [WafCloudfront, WafRegional, Cloudfront, Apigateway, Elbv2],
    }
}

impl Audit for WafRulesCountOnly {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for acl in &ctx.account.web_acls {
            let counted_rules: Vec<&str> = acl
                .rules
                .iter()
                .filter(|r| r.action == Some(WafAction::Count) || r.override_count)
                .map(|r| r.name.as_str())
                .collect();
            let counted_inside: Vec<String> = acl
                .rules
                .iter()
                .filter(|r| !r.override_count)
                .filter_map(|r| match &r.statement {
                    Statement::ManagedRuleGroup { name, rules_overridden_to_count, .. }
                        if !rules_overridden_to_count.is_empty() =>
                    {
                        Some(format!("{name} ({})", rules_overridden_to_count.join(", ")))
                    }
                    _ => None,
                })
                .collect();
            if counted_rules.is_empty() && counted_inside.is_empty() {
                continue;
            }
            let users = match acl_association(ctx.account, ctx.index, acl) {
                AclAssociation::Associated(users) => users,
                AclAssociation::Unassociated => continue,
                AclAssociation::Unknown(missing) => {
                    out.not_evaluated(
                        &Self::META,
                        acl.arn.clone(),
                        format!(
                            "associations of web ACL {} unknown: {} not collected",
                            acl.name,
                            missing.join(", ")
                        ),
                    );
                    continue;
                }
            };
            let mut parts = Vec::new();
            if !counted_rules.is_empty() {
                parts.push(format!("rule(s) {} only count", counted_rules.join(", ")));
            }
            if !counted_inside.is_empty() {
                parts.push(format!("managed rules overridden to Count in {}", counted_inside.join("; ")));
            }
            out.push(
                Finding::new(
                    &Self::META,
                    acl.resource(ctx.account_id()),
                    format!("Web ACL {} is in use but {}", acl.name, parts.join(" and ")),
                )
                .evidence("count_rules", &counted_rules)
                .evidence("count_inside_groups", &counted_inside)
                .evidence("associated_with", users),
            );
        }
    }
}
