use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::inventory::WafAction;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A web ACL whose default action is Allow and that has no rule able to block: every rule
    /// is in Count (or allows), and every rule group is overridden to Count.
    ///
    /// ## Why it matters
    ///
    /// Such an ACL lets every request through while the console shows a web ACL attached. A
    /// regional "origin verify" ACL in this state does not lock the origin at all: requests
    /// without the secret header are allowed by default.
    ///
    /// ## Example
    ///
    /// A regional ACL with default action Allow and one rule matching `x-origin-verify` in
    /// Count mode.
    ///
    /// ## How to fix
    ///
    /// Decide what the ACL must stop. For an origin-verify ACL: default action Block and an
    /// Allow rule matching the secret header (or default Allow and a Block rule on
    /// `NOT(header matches)`). For an edge ACL: enforce the AWS managed groups and a blocking
    /// rate-based rule.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-default-action.html>
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-action.html>
    WebAclDoesNothing {
        id: "EA302",
        slug: "web-acl-does-nothing",
        title: "Web ACL that cannot block anything",
        severity: Medium,
        services: [WafCloudfront, WafRegional],
    }
}

impl Audit for WebAclDoesNothing {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for acl in &ctx.account.web_acls {
            if acl.default_action.blocks() || acl.all_rules().any(|r| r.enforces()) {
                continue;
            }
            let counting: Vec<&str> = acl
                .rules
                .iter()
                .filter(|r| r.action == Some(WafAction::Count) || r.override_count)
                .map(|r| r.name.as_str())
                .collect();
            let message = if acl.rules.is_empty() {
                format!("Web ACL {} allows every request: default action Allow and no rules", acl.name)
            } else {
                format!(
                    "Web ACL {} allows every request: default action Allow and none of its {} rule(s) blocks",
                    acl.name,
                    acl.rules.len()
                )
            };
            out.push(
                Finding::new(&Self::META, acl.resource(ctx.account_id()), message)
                    .evidence("default_action", acl.default_action)
                    .evidence("rules", acl.rules.iter().map(|r| r.name.as_str()).collect::<Vec<_>>())
                    .evidence("count_only", counting),
            );
        }
    }
}
