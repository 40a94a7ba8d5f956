use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::network::port_sources;
use crate::perimeter::Guard;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// An origin (internet-facing load balancer or instance) whose only restriction is the
    /// CloudFront origin-facing managed prefix lists (`com.amazonaws.global.cloudfront.origin-facing`
    /// for IPv4, `com.amazonaws.global.ipv6.cloudfront.origin-facing` for IPv6) on its listener
    /// ports, with no secret header checked: for a load balancer, no listener rule or web ACL
    /// requiring it; for an instance (whose own checks edge-audit cannot see), no secret header
    /// sent by the distribution at all. A
    /// listener rule or web ACL that tests the header only for presence or a short fragment
    /// (an ALB value of `*`, a regex `.*`, a `CONTAINS` of a few characters) checks no secret.
    /// When another rule of the origin's groups names a customer-managed prefix list whose
    /// entries could not be read, the origin is not evaluated: that list may admit the internet
    /// (EA401's case) or not (this check's).
    ///
    /// ## Why it matters
    ///
    /// The prefix list holds the addresses of *all* CloudFront edge servers. Anyone can create
    /// a distribution in their own account, point it at your origin and reach it from those
    /// addresses — without your web ACL, geo restrictions or rate limits.
    ///
    /// ## Example
    ///
    /// The ALB's security group allows 80 and 443 from the CloudFront prefix list only, and its
    /// listener forwards everything.
    ///
    /// ## How to fix
    ///
    /// Keep the prefix list, and add the secret header: the distribution sends `X-Origin-Verify`
    /// and the load balancer (listener rule or web ACL) or the web server refuses requests
    /// without it. Or use a CloudFront VPC origin.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html#managed-prefix-list>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html>
    OriginPrefixListOnly {
        id: "EA405",
        slug: "origin-prefix-list-only",
        title: "Origin restricted only by the CloudFront prefix list",
        severity: Medium,
        services: [Cloudfront, Ec2, Elbv2, WafRegional],
    }
}

impl Audit for OriginPrefixListOnly {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for origin in &ctx.perimeter.network_origins {
            let sources: Vec<_> =
                origin.ports.iter().map(|p| port_sources(ctx.index, origin.security_groups, *p)).collect();
            let prefix_only = sources.iter().any(|s| !s.cloudfront_prefix_lists.is_empty())
                && sources.iter().all(|s| s.internet.is_empty());
            if !prefix_only {
                continue;
            }
            // An unread customer prefix list beside the CloudFront one may admit the internet
            // (EA401's) or not (this check's): neither is known.
            let mut unknown: Vec<&str> = sources.iter().flat_map(|s| s.unknown.iter().map(String::as_str)).collect();
            if !unknown.is_empty() {
                unknown.sort();
                unknown.dedup();
                let arn = match (origin.lb, origin.instance) {
                    (Some(lb), _) => lb.arn.clone(),
                    (_, Some(instance)) => instance.arn.clone(),
                    _ => continue,
                };
                out.not_evaluated(
                    &Self::META,
                    arn,
                    format!("the sources {} admits are not all known: {}", origin.label(), unknown.join("; ")),
                );
                continue;
            }
            let (resource, arn, header_checked) = match (origin.lb, origin.instance) {
                (Some(lb), _) => {
                    let Some(backend) = ctx.perimeter.backend(&lb.arn) else { continue };
                    let side = &backend.side;
                    if !side.is_complete() {
                        out.not_evaluated(&Self::META, lb.arn.clone(), side.not_collected.join("; "));
                        continue;
                    }
                    // A header check or verified mutual TLS: something only this distribution has.
                    let checked = side.guards.iter().any(|g| matches!(g, Guard::Header { .. } | Guard::MutualTls(_)));
                    (lb.resource(ctx.account_id()), lb.arn.as_str(), checked)
                }
                (_, Some(instance)) => (
                    instance.resource(ctx.account_id()),
                    instance.arn.as_str(),
                    ctx.perimeter.sent_secret_header(&instance.arn),
                ),
                _ => continue,
            };
            if header_checked {
                continue;
            }
            let lists: Vec<&String> = sources.iter().flat_map(|s| s.cloudfront_prefix_lists.iter()).collect();
            out.push(
                Finding::new(
                    &Self::META,
                    resource,
                    format!(
                        "{} relies on the CloudFront prefix list alone: any distribution of any AWS account reaches it, and no secret header is checked",
                        capitalize(&origin.label())
                    ),
                )
                .evidence("origin_arn", arn)
                .evidence("origin_of", &origin.used_by)
                .evidence("ports", &origin.ports)
                .evidence("prefix_lists", lists),
            );
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
