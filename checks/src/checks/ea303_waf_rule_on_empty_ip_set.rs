use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::inventory::Statement;

use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A web ACL rule whose statement references an IP set that holds no address.
    ///
    /// ## Why it matters
    ///
    /// An empty IP set matches nothing. An allow-list rule on it lets nobody in (or, under a
    /// default Allow, means the intended restriction is missing); a block-list rule blocks
    /// nobody. It is the classic result of creating the set and forgetting to press
    /// "Add IP address".
    ///
    /// ## Example
    ///
    /// Rule `allow-client` allows requests from IP set `client`, which has no addresses.
    ///
    /// ## How to fix
    ///
    /// Add the intended addresses to the IP set, or remove the rule.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/waf-ip-set-managing.html>
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-ipset-match.html>
    WafRuleOnEmptyIpSet {
        id: "EA303",
        slug: "waf-rule-on-empty-ip-set",
        title: "WAF rule references an empty IP set",
        severity: Medium,
        services: [WafCloudfront, WafRegional],
    }
}

impl Audit for WafRuleOnEmptyIpSet {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for acl in &ctx.account.web_acls {
            for rule in &acl.rules {
                let mut empty = Vec::new();
                for statement in rule.statement.walk() {
                    let Statement::IpSetReference { arn, .. } = statement else { continue };
                    match ctx.index.ip_sets.get(arn.as_str()) {
                        Some(set) if set.addresses.is_empty() => empty.push(set.name.as_str()),
                        Some(_) => {}
                        None => out.not_evaluated(
                            &Self::META,
                            acl.arn.clone(),
                            format!("rule {} references IP set {arn}, which was not collected", rule.name),
                        ),
                    }
                }
                if empty.is_empty() {
                    continue;
                }
                empty.dedup();
                out.push(
                    Finding::new(
                        &Self::META,
                        acl.resource(ctx.account_id()),
                        format!(
                            "Web ACL {} rule {} references IP set(s) {} with no addresses: the condition never matches",
                            acl.name,
                            rule.name,
                            empty.join(", ")
                        ),
                    )
                    .detail(&rule.name)
                    .evidence("rule", &rule.name)
                    .evidence("action", rule.action)
                    .evidence("empty_ip_sets", &empty),
                );
            }
        }
    }
}
