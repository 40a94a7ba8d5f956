use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::inventory::Statement;

use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A web ACL in front of an internet-facing entry point (see EA110) with no rate-based rule
    /// that blocks (a rate-based rule in Count mode only measures).
    ///
    /// ## Why it matters
    ///
    /// Without a rate limit one client can send as many requests as it likes: credential
    /// stuffing, scraping and HTTP floods all reach the origin, and every request through API
    /// Gateway or Lambda is billed.
    ///
    /// ## Example
    ///
    /// A web ACL with managed rule groups but no `RateBasedStatement`.
    ///
    /// ## How to fix
    ///
    /// Add a rate-based rule aggregated by IP with action Block (for example 2,000 requests per
    /// 5 minutes), and tighter ones scoped down to login or expensive API paths.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html>
    /// - <https://aws.amazon.com/blogs/security/three-most-important-aws-waf-rate-based-rules/>
    EntryWebAclNoRateLimit {
        id: "EA111",
        slug: "entry-web-acl-no-rate-limit",
        title: "Entry point web ACL has no blocking rate limit",
        severity: Medium,
        services: [Cloudfront, WafCloudfront, WafRegional, Apigateway, Elbv2],
    }
}

impl Audit for EntryWebAclNoRateLimit {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        let entries = &ctx.perimeter.entry_acls;
        for (scope, reason) in &entries.not_evaluated {
            out.not_evaluated(&Self::META, scope, reason);
        }
        for (acl, entry_points) in entries.acls.values() {
            let rate_rules: Vec<_> =
                acl.all_rules().filter(|r| matches!(r.statement, Statement::RateBased { .. })).collect();
            if rate_rules.iter().any(|r| r.enforces()) {
                continue;
            }
            let names: Vec<&str> = entry_points.iter().map(|e| e.name.as_str()).collect();
            let counted: Vec<&str> = rate_rules.iter().map(|r| r.name.as_str()).collect();
            let message = if counted.is_empty() {
                format!("Web ACL {} in front of {} has no rate-based rule", acl.name, names.join(", "))
            } else {
                format!(
                    "Web ACL {} in front of {} has rate-based rule(s) {} that do not block",
                    acl.name,
                    names.join(", "),
                    counted.join(", ")
                )
            };
            out.push(
                Finding::new(&Self::META, acl.resource(ctx.account_id()), message)
                    .evidence("non_blocking_rate_rules", &counted)
                    .evidence("entry_points", entry_points),
            );
        }
    }
}
