use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::{Finding, Severity};
use crate::origin::OriginKind;
use crate::perimeter::is_api_origin;
use crate::resource::AsResource;

/// Origin TLS protocols that are broken or deprecated.
const WEAK_PROTOCOLS: [&str; 3] = ["SSLv3", "TLSv1", "TLSv1.1"];

declare_check! {
    /// ## What it finds
    ///
    /// A custom origin that CloudFront reaches over plain HTTP (origin protocol policy
    /// `http-only`, or `match-viewer`, which uses HTTP whenever the viewer does), or whose origin
    /// TLS protocols include SSLv3, TLSv1 or TLSv1.1.
    ///
    /// Severity is high for an API origin (API Gateway, load balancer, Lambda URL, or a custom
    /// origin behind an API path pattern) on `http-only`, medium otherwise. S3 website endpoints
    /// only speak HTTP, so for them the finding is low: the fix is to move to an S3 REST origin
    /// with OAC, not to change the protocol.
    ///
    /// A templated origin of a multi-tenant distribution (`{{param}}` in its domain) is judged
    /// by what its enabled tenants reach once their parameters are filled in: high when any
    /// tenant's version is an API origin, low only when every tenant's is an S3 website. The
    /// evidence lists each tenant's kind and domain.
    ///
    /// ## Why it matters
    ///
    /// The leg between CloudFront and the origin crosses the internet. Over HTTP, the origin
    /// secret header (`X-Origin-Verify`, `x-api-key`), cookies, tokens and payloads travel in
    /// clear, and whoever reads them can call the origin directly with the secret.
    ///
    /// ## Example
    ///
    /// An ALB origin with `OriginProtocolPolicy: http-only` that receives `X-Origin-Verify`.
    ///
    /// ## How to fix
    ///
    /// Set the origin protocol policy to `https-only` and the origin SSL protocols to `TLSv1.2`
    /// only (give the ALB an HTTPS listener with an ACM certificate). For an S3 website origin,
    /// switch to the bucket's REST endpoint with an origin access control.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesOriginProtocolPolicy>
    /// - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html>
    CloudfrontOriginWeakTransport {
        id: "EA103",
        slug: "cloudfront-origin-weak-transport",
        title: "Origin reached over HTTP or old TLS",
        severity: Medium,
        services: [Cloudfront],
    }
}

impl Audit for CloudfrontOriginWeakTransport {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for distribution in &ctx.account.distributions {
            for origin in &distribution.origins {
                let Some(custom) = &origin.custom else { continue };
                let plain_http = matches!(custom.protocol_policy.as_str(), "http-only" | "match-viewer");
                let weak: Vec<&str> = custom
                    .ssl_protocols
                    .iter()
                    .map(String::as_str)
                    .filter(|p| WEAK_PROTOCOLS.contains(p))
                    .collect();
                if !plain_http && weak.is_empty() {
                    continue;
                }
                // A templated origin is judged by what its tenants reach (the template's own
                // kind is custom): an API behind any tenant makes plain HTTP high.
                let versions = ctx.index.origin_versions(distribution, origin);
                let website = versions.iter().all(|v| matches!(v.origin.kind, OriginKind::S3Website { .. }));
                let api = versions.iter().any(|v| is_api_origin(distribution, v.origin));
                let tenants: Vec<serde_json::Value> = versions
                    .iter()
                    .filter_map(|v| {
                        let tenant = v.tenant?;
                        Some(serde_json::json!({
                            "tenant_id": tenant.id,
                            "tenant_name": tenant.name,
                            "origin_kind": v.origin.kind.label(),
                            "domain_name": v.origin.domain_name,
                        }))
                    })
                    .collect();
                let kind = match tenants.is_empty() {
                    true => origin.kind.label().to_string(),
                    false => {
                        let kinds: std::collections::BTreeSet<&str> =
                            versions.iter().map(|v| v.origin.kind.label()).collect();
                        format!(
                            "template of {} for {} tenant{}",
                            kinds.into_iter().collect::<Vec<_>>().join(", "),
                            tenants.len(),
                            if tenants.len() == 1 { "" } else { "s" }
                        )
                    }
                };
                let severity = if website {
                    Severity::Low
                } else if api && custom.protocol_policy == "http-only" {
                    Severity::High
                } else {
                    Severity::Medium
                };
                let mut problems = Vec::new();
                if plain_http {
                    problems.push(format!("origin protocol policy `{}`", custom.protocol_policy));
                }
                if !weak.is_empty() {
                    problems.push(format!("origin TLS protocols {}", weak.join(", ")));
                }
                let mut message = format!(
                    "Distribution {} reaches origin `{}` ({kind} {}) with {}",
                    distribution.id,
                    origin.id,
                    origin.domain_name,
                    problems.join(" and ")
                );
                if website {
                    message.push_str(
                        "; S3 website endpoints only speak HTTP, use the bucket's REST endpoint with OAC instead",
                    );
                }
                let mut finding = Finding::new(&Self::META, distribution.resource(ctx.account_id()), message)
                    .severity(severity)
                    .detail(&origin.id)
                    .evidence("origin_id", &origin.id)
                    .evidence("origin_kind", origin.kind.label())
                    .evidence("api_origin", api)
                    .evidence("protocol_policy", &custom.protocol_policy)
                    .evidence("ssl_protocols", &custom.ssl_protocols)
                    .evidence("weak_protocols", &weak);
                if !tenants.is_empty() {
                    finding = finding.evidence("tenants", tenants);
                }
                out.push(finding);
            }
        }
    }
}
