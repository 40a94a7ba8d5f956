use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::perimeter::Guard;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// An internet-facing load balancer that is a distribution's origin and forwards requests
    /// without requiring the distribution's secret header: a listener's default action
    /// forwards (on any listener: an HTTP listener that forwards is a way in, one that only
    /// redirects or answers a fixed response is not), or a forwarding rule has no http-header
    /// condition, or its condition only tests presence or a fragment — a value of `*`, or
    /// fewer than 16 fixed characters around `*`/`?` wildcards (ALB compares values
    /// case-insensitively), or a `RegexValues` regex such as `.+` or a short prefix (evaluated
    /// like WAF regexes; a regex that cannot be evaluated is *could not verify*) and no other
    /// condition of the rule holds the secret (conditions are ANDed) — and no web ACL
    /// on the load balancer requires the header either (web ACLs are evaluated with their rule
    /// groups, regexes and transformations; a regex such as `.*` is a presence test too).
    /// Rules are read by priority: a non-forwarding rule that matches every request (a
    /// `path-pattern` of `*`) leaves the rules after it and the default action unreachable.
    ///
    /// **Origin mutual TLS** counts instead of the header where the load balancer enforces it:
    /// every listener's `MutualAuthentication` in mode `verify` with a trust store (read with
    /// DescribeListeners) that DescribeTrustStores shows `ACTIVE` with at least one CA
    /// certificate, the distribution presenting a client certificate
    /// (`CustomOriginConfig.OriginMtlsConfig.ClientCertificateArn`). Mode `passthrough` forwards
    /// the certificate unverified (what the targets do with it is invisible), `off` asks for
    /// none and a trust store that is not `ACTIVE` proves nothing: none is a lock, and the
    /// finding names the mode or the status. A trust store that could not be read (AccessDenied
    /// on `elasticloadbalancing:DescribeTrustStores`, or absent from the region's listing: one
    /// shared from another account) or that reports no CA certificate makes the load balancer
    /// *not evaluated*, with the reason — never a pass. A load balancer reached through a
    /// VPC origin is judged the same way when it is internet-facing (an internal one is not
    /// reachable from the internet at all).
    ///
    /// What is not compared: the client certificate's issuer with the trust store's CA bundle
    /// (the bundle is only downloadable through a presigned S3 URL, and the certificate's issuer
    /// needs ACM). If they do not chain, CloudFront cannot connect: the site is broken, not open.
    /// If the trust store's CA also issues certificates to clients other than this distribution,
    /// those clients pass the gate too — keep a private CA whose only client certificate is the
    /// distribution's.
    ///
    /// ## Why it matters
    ///
    /// Security groups can at best allow CloudFront's address ranges, which every CloudFront
    /// distribution of every AWS account shares. Only the secret header proves that a request
    /// came through *your* distribution, with your WAF rules.
    ///
    /// ## Example
    ///
    /// An HTTP listener whose default action forwards to the target group, behind a security
    /// group that allows the CloudFront prefix list.
    ///
    /// ## How to fix
    ///
    /// Make each listener's default action a fixed 403 response and add a rule that forwards
    /// only when the `X-Origin-Verify` header equals the secret the distribution sends (or
    /// associate a regional web ACL that blocks requests without it), or set the listeners'
    /// mutual TLS to `verify` against a trust store holding the CA of the client certificate
    /// the distribution presents.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html>
    /// - <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#http-header-conditions>
    /// - <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html>
    AlbOriginNoHeaderRule {
        id: "EA404",
        slug: "alb-origin-no-header-rule",
        title: "Load balancer origin forwards without the secret header",
        severity: High,
        services: [Cloudfront, Elbv2, WafRegional],
    }
}

impl Audit for AlbOriginNoHeaderRule {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for origin in &ctx.perimeter.network_origins {
            let Some(lb) = origin.lb else { continue };
            let Some(backend) = ctx.perimeter.backend(&lb.arn) else { continue };
            let side = &backend.side;
            if side.guards.iter().any(|g| matches!(g, Guard::Header { .. } | Guard::NotPublic(_) | Guard::MutualTls(_))) {
                continue;
            }
            if !side.is_complete() {
                out.not_evaluated(&Self::META, lb.arn.clone(), side.not_collected.join("; "));
                continue;
            }
            out.push(
                Finding::new(
                    &Self::META,
                    lb.resource(ctx.account_id()),
                    format!(
                        "Load balancer {} is an origin of {} but forwards requests without requiring a secret header: {}",
                        lb.name,
                        origin.used_by.join(", "),
                        side.open_because.join("; ")
                    ),
                )
                .evidence("origin_of", &origin.used_by)
                .evidence("why", &side.open_because)
                .evidence("web_acl_arn", &lb.web_acl_arn),
            );
        }
    }
}
