use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::inventory::{Statement, WebAcl};

use crate::resource::AsResource;

/// The AWS managed rule groups every entry point's web ACL should enforce.
pub(super) const BASELINE_MANAGED_GROUPS: [&str; 3] = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
];

declare_check! {
    /// ## What it finds
    ///
    /// A web ACL in front of an internet-facing entry point — a distribution, or a REST stage or
    /// load balancer that is reachable directly (not locked to a distribution) — that does not
    /// enforce one or more of the AWS managed rule groups AWSManagedRulesCommonRuleSet,
    /// AWSManagedRulesKnownBadInputsRuleSet and AWSManagedRulesAmazonIpReputationList. A group
    /// overridden to Count does not count; Firewall Manager's pre- and post-process rule
    /// groups count like the ACL's own rules. The finding lists what is missing. A baseline
    /// group with a scope-down statement inspects only the requests that statement matches:
    /// when every group is there but one is scoped down, the finding is low and names it.
    ///
    /// A regional web ACL whose job is to check the origin header of a locked origin is not in
    /// front of an entry point and is not reported. The web ACL a tenant of a multi-tenant
    /// distribution sets with `Customizations.WebAcl` `override` is the entry ACL of that
    /// tenant's domains and is judged like a distribution's (a tenant that `disable`s it is
    /// EA101's).
    ///
    /// ## Why it matters
    ///
    /// These three groups are AWS's baseline: OWASP-style exploits, known bad inputs (Log4Shell,
    /// path traversal) and IP addresses with a bad reputation. Without them the web ACL only
    /// filters what its custom rules describe.
    ///
    /// ## Example
    ///
    /// A CLOUDFRONT web ACL with only an IP allow-list.
    ///
    /// ## How to fix
    ///
    /// Add the missing managed rule groups with override action None (after testing them in
    /// Count mode), below any allow rules.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html>
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-ip-rep.html>
    /// - <https://aws.amazon.com/blogs/security/protect-apis-with-amazon-api-gateway-and-perimeter-protection-services/>
    EntryWebAclMissingManagedRules {
        id: "EA110",
        slug: "entry-web-acl-missing-managed-rules",
        title: "Entry point web ACL lacks AWS managed rule groups",
        severity: Medium,
        services: [Cloudfront, WafCloudfront, WafRegional, Apigateway, Elbv2],
    }
}

/// The AWS managed groups an ACL enforces (not overridden to Count), Firewall Manager's pre- and
/// post-process groups included.
pub(super) fn enforced_managed_groups(acl: &WebAcl) -> Vec<&str> {
    acl.all_rules()
        .filter(|r| r.enforces())
        .filter_map(|r| match &r.statement {
            Statement::ManagedRuleGroup { vendor, name, .. } if vendor == "AWS" => Some(name.as_str()),
            _ => None,
        })
        .collect()
}

/// The enforced AWS managed groups that inspect only the requests their scope-down statement
/// matches.
fn scoped_down_managed_groups(acl: &WebAcl) -> Vec<&str> {
    acl.all_rules()
        .filter(|r| r.enforces())
        .filter_map(|r| match &r.statement {
            Statement::ManagedRuleGroup { vendor, name, scope_down: Some(_), .. } if vendor == "AWS" => {
                Some(name.as_str())
            }
            _ => None,
        })
        .collect()
}

impl Audit for EntryWebAclMissingManagedRules {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        let entries = &ctx.perimeter.entry_acls;
        for (scope, reason) in &entries.not_evaluated {
            out.not_evaluated(&Self::META, scope, reason);
        }
        for (acl, entry_points) in entries.acls.values() {
            let enforced = enforced_managed_groups(acl);
            let missing: Vec<&str> =
                BASELINE_MANAGED_GROUPS.iter().copied().filter(|g| !enforced.contains(g)).collect();
            let scoped: Vec<&str> = scoped_down_managed_groups(acl)
                .into_iter()
                .filter(|g| BASELINE_MANAGED_GROUPS.contains(g))
                .collect();
            let names: Vec<&str> = entry_points.iter().map(|e| e.name.as_str()).collect();
            if missing.is_empty() {
                // Every baseline group is there; one with a scope-down statement inspects only
                // the requests it matches, which edge-audit does not weigh: said, at low.
                if !scoped.is_empty() {
                    out.push(
                        Finding::new(
                            &Self::META,
                            acl.resource(ctx.account_id()),
                            format!(
                                "Web ACL {} in front of {} enforces {} only on the requests their scope-down statement matches",
                                acl.name,
                                names.join(", "),
                                scoped.join(", ")
                            ),
                        )
                        .severity(crate::finding::Severity::Low)
                        .detail("scoped-down")
                        .evidence("scoped_down", &scoped)
                        .evidence("enforced", &enforced)
                        .evidence("entry_points", entry_points),
                    );
                }
                continue;
            }
            let counted: Vec<&str> = acl
                .all_rules()
                .filter(|r| !r.enforces())
                .filter_map(|r| match &r.statement {
                    Statement::ManagedRuleGroup { name, .. } if missing.contains(&name.as_str()) => {
                        Some(name.as_str())
                    }
                    _ => None,
                })
                .collect();
            let mut message = format!(
                "Web ACL {} in front of {} does not enforce {}",
                acl.name,
                names.join(", "),
                missing.join(", ")
            );
            if !counted.is_empty() {
                message.push_str(&format!(" ({} only counted)", counted.join(", ")));
            }
            out.push(
                Finding::new(&Self::META, acl.resource(ctx.account_id()), message)
                    .evidence("missing", &missing)
                    .evidence("count_only", &counted)
                    .evidence("enforced", &enforced)
                    .evidence("scoped_down", &scoped)
                    .evidence("entry_points", entry_points),
            );
        }
    }
}
