use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::origin::OriginKind;

declare_check! {
    /// ## What it finds
    ///
    /// A cache behavior that routes to an API Gateway `execute-api` origin and forwards the
    /// viewer's `Host` header: legacy forwarded headers listing `Host` or `*`, or an origin
    /// request policy that forwards it (Managed-AllViewer, for example).
    ///
    /// ## Why it matters
    ///
    /// API Gateway routes by Host. With the distribution's own host name (`d111.cloudfront.net`
    /// or your alias) in the request, API Gateway cannot find the API and answers 403
    /// `ForbiddenException` to every call, which teams often "fix" by removing protections.
    ///
    /// ## Example
    ///
    /// The `/api/*` behavior uses the origin request policy Managed-AllViewer.
    ///
    /// ## How to fix
    ///
    /// Use the managed origin request policy AllViewerExceptHostHeader
    /// (`b689b0a8-53d0-40ab-baf2-68738e2966ac`), or remove `Host` from the forwarded headers.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html#managed-origin-request-policy-all-viewer-except-host-header>
    /// - <https://repost.aws/knowledge-center/api-gateway-cloudfront-distribution>
    CloudfrontApigwOriginGetsHostHeader {
        id: "EA105",
        slug: "cloudfront-apigw-origin-gets-host-header",
        title: "API Gateway origin receives the viewer's Host header",
        severity: Low,
        services: [Cloudfront],
    }
}

impl Audit for CloudfrontApigwOriginGetsHostHeader {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        // The perimeter's locks: every origin once, a templated one once per tenant (filled
        // in), so a tenant whose parameters name an execute-api domain is judged too.
        for lock in &ctx.perimeter.locks {
            let (distribution, origin) = (lock.distribution, lock.origin);
            for behavior in distribution.behaviors_for(&origin.id) {
                if !matches!(origin.kind, OriginKind::ApiGateway { .. }) {
                    continue;
                }
                let mut how = None;
                if let Some(legacy) = &behavior.legacy {
                    if legacy.forwarded_headers.iter().any(|h| h == "*" || h.eq_ignore_ascii_case("host")) {
                        how =
                            Some(format!("legacy forwarded headers {}", legacy.forwarded_headers.join(", ")));
                    }
                }
                if let Some(id) = behavior.origin_request_policy_id.as_deref().filter(|id| !id.is_empty()) {
                    match ctx.index.origin_request_policy(id) {
                        Some(policy) if policy.forwards_host_header() => {
                            how = Some(format!("origin request policy {}", policy.name));
                        }
                        Some(_) => {}
                        None => {
                            out.not_evaluated(
                                &Self::META,
                                distribution.arn.clone(),
                                format!(
                                    "behavior `{}` uses origin request policy {id}, which was not collected",
                                    behavior.pattern()
                                ),
                            );
                            continue;
                        }
                    }
                }
                let Some(how) = how else { continue };
                let finding = Finding::new(
                    &Self::META,
                    lock.resource(ctx.account_id()),
                    format!(
                        "{} forwards the viewer's Host header to API Gateway origin `{}` on behavior `{}` ({how}); use AllViewerExceptHostHeader",
                        lock.subject(),
                        origin.id,
                        behavior.pattern()
                    ),
                )
                .detail(behavior.pattern())
                .evidence("behavior", behavior.pattern())
                .evidence("origin_id", &origin.id)
                .evidence("origin_request_policy_id", &behavior.origin_request_policy_id)
                .evidence("forwarded_by", how);
                out.push(lock.with_tenant_evidence(finding));
            }
        }
    }
}
