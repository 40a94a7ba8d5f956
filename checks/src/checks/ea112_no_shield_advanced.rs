use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::{Finding, Severity};
use crate::inventory::{Service, GLOBAL_REGION};
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// An enabled distribution that Shield Advanced does not protect. Informational when the
    /// account has no Shield Advanced subscription; low when it has one and this distribution
    /// was left out of it.
    ///
    /// ## Why it matters
    ///
    /// Shield Standard protects every distribution against common layer 3/4 attacks. Shield
    /// Advanced adds automatic layer 7 mitigation in the web ACL, the Shield Response Team, and
    /// cost protection against scaling charges during an attack. A subscription that forgets a
    /// distribution pays for protection it does not give.
    ///
    /// ## Example
    ///
    /// The account subscribes to Shield Advanced but only the production distribution is a
    /// protected resource.
    ///
    /// ## How to fix
    ///
    /// If the application warrants it, subscribe to Shield Advanced and add the distribution as
    /// a protected resource, with automatic application layer DDoS mitigation and a Route 53
    /// health check.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/ddos-advanced-summary.html>
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/ddos-manage-protected-resources.html>
    NoShieldAdvanced {
        id: "EA112",
        slug: "no-shield-advanced",
        title: "Distribution not protected by Shield Advanced",
        severity: Info,
        services: [Cloudfront, Shield],
    }
}

impl Audit for NoShieldAdvanced {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        let Some(shield) = &ctx.account.shield else {
            // A Shield coverage gap is already reported (with its reason) by the registry; only
            // an inventory that claims Shield was read yet holds no state needs saying here.
            let claimed_read = ctx.account.is_collected(GLOBAL_REGION, Service::Shield);
            if claimed_read && ctx.account.distributions.iter().any(|d| d.enabled) {
                out.not_evaluated(&Self::META, GLOBAL_REGION, "Shield Advanced state was not read");
            }
            return;
        };
        for distribution in ctx.account.distributions.iter().filter(|d| d.enabled) {
            if shield.protections.iter().any(|p| p.resource_arn == distribution.arn) {
                continue;
            }
            let (severity, message) = if shield.subscribed {
                (
                    Severity::Low,
                    format!(
                        "Distribution {} is not a Shield Advanced protected resource although the account subscribes to Shield Advanced",
                        distribution.id
                    ),
                )
            } else {
                (
                    Severity::Info,
                    format!(
                        "Distribution {} is protected by Shield Standard only (no Shield Advanced subscription)",
                        distribution.id
                    ),
                )
            };
            out.push(
                Finding::new(&Self::META, distribution.resource(ctx.account_id()), message)
                    .severity(severity)
                    .evidence("subscribed", shield.subscribed)
                    .evidence("protections", shield.protections.len()),
            );
        }
    }
}
