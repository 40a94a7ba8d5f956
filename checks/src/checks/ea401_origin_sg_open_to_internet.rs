use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::{Finding, Severity};
use crate::inventory::Service;
use crate::network::{port_sources, PortSources};
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A security group of an origin — an internet-facing load balancer or an EC2 instance that
    /// a distribution reaches — that allows the origin's listener ports (the load balancer's
    /// listeners; `listener_ports`, 80 and 443 by default, for instances) from the internet:
    /// its sources on the port, together with those of the origin's other security groups,
    /// cover the public unicast address space of IPv4 or IPv6 — `0.0.0.0/0` or `::/0`, or ranges
    /// that add up to it (`0.0.0.0/1` + `128.0.0.0/1`, spread over two groups, or every public
    /// block with the private ones left out). Address sets are computed with `ipnet`/`iprange`.
    ///
    /// High. Medium when the sources do not cover the internet but include a very broad public
    /// range: an IPv4 /8 or wider, an IPv6 /24 or wider (`3.0.0.0/8` on 443 is medium; a /24
    /// is not reported).
    ///
    /// A rule that names a customer-managed prefix list is judged by the list's entries
    /// (GetManagedPrefixListEntries). When they could not be read (or the list is not in the
    /// inventory), the group is *not evaluated* with that reason, unless its other sources
    /// already cover the internet: an unread list is never taken for "not open".
    ///
    /// ## Why it matters
    ///
    /// The origin answers anyone who finds its DNS name, skipping CloudFront's web ACL, rate
    /// limits and Shield. A secret header only helps if it is checked; the security group is the
    /// layer that stops the traffic before it costs anything.
    ///
    /// ## Example
    ///
    /// The ALB's security group allows TCP 443 from 0.0.0.0/0; or one group allows 0.0.0.0/1
    /// and another 128.0.0.0/1.
    ///
    /// ## How to fix
    ///
    /// Replace the 0.0.0.0/0 and ::/0 rules by the CloudFront origin-facing managed prefix lists
    /// (`com.amazonaws.global.cloudfront.origin-facing`, and for a dual-stack origin
    /// `com.amazonaws.global.ipv6.cloudfront.origin-facing`) and keep the secret header check,
    /// or move the origin into private subnets behind a CloudFront VPC origin.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html#managed-prefix-list>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html>
    OriginSgOpenToInternet {
        id: "EA401",
        slug: "origin-sg-open-to-internet",
        title: "Origin security group open to the internet",
        severity: High,
        services: [Cloudfront, Ec2, Elbv2],
    }
}

impl Audit for OriginSgOpenToInternet {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for origin in &ctx.perimeter.network_origins {
            // What all of the origin's groups admit together, per port.
            let together: Vec<PortSources> =
                origin.ports.iter().map(|port| port_sources(ctx.index, origin.security_groups, *port)).collect();
            for sg_id in origin.security_groups {
                let Some(sg) = ctx.index.security_groups.get(sg_id.as_str()) else {
                    if !ctx.account.is_collected(origin.region, Service::Ec2) {
                        out.not_evaluated(
                            &Self::META,
                            sg_id.clone(),
                            format!("security group {sg_id} of {} could not be read", origin.label()),
                        );
                    }
                    continue;
                };
                let alone: Vec<PortSources> = origin
                    .ports
                    .iter()
                    .map(|port| port_sources(ctx.index, std::slice::from_ref(sg_id), *port))
                    .collect();
                let open: Vec<u16> =
                    together.iter().filter(|s| s.internet.contains(sg_id)).map(|s| s.port).collect();
                let with_others = open
                    .iter()
                    .any(|port| alone.iter().any(|s| s.port == *port && !s.internet.contains(sg_id)));
                // Sources not known on a port where this group admits something: a prefix list
                // (of this group or another of the origin's) whose entries were not read.
                let mut unknown: Vec<&String> = together
                    .iter()
                    .filter(|t| {
                        alone.iter().any(|a| a.port == t.port && (!a.unknown.is_empty() || !a.cidrs.is_empty()))
                    })
                    .flat_map(|t| t.unknown.iter())
                    .collect();
                unknown.sort();
                unknown.dedup();
                if open.is_empty() && !unknown.is_empty() {
                    let unknown: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
                    out.not_evaluated(
                        &Self::META,
                        sg.arn.clone(),
                        format!(
                            "whether security group {} ({}) of origin {} admits the internet is unknown: {}",
                            sg.id,
                            sg.name,
                            origin.label(),
                            unknown.join("; ")
                        ),
                    );
                }
                let broad: Vec<&String> = alone.iter().flat_map(|s| s.broad.iter()).collect();
                let broad_ports: Vec<u16> = alone.iter().filter(|s| !s.broad.is_empty()).map(|s| s.port).collect();
                let ports = |list: &[u16]| list.iter().map(u16::to_string).collect::<Vec<_>>().join(", ");
                let (severity, message, ports_reported) = if !open.is_empty() {
                    let others: Vec<&String> = together
                        .iter()
                        .filter(|s| open.contains(&s.port))
                        .flat_map(|s| s.internet.iter())
                        .filter(|id| *id != sg_id)
                        .collect();
                    let mut message = format!(
                        "Security group {} ({}) of origin {} allows port(s) {} from the internet",
                        sg.id,
                        sg.name,
                        origin.label(),
                        ports(&open)
                    );
                    if with_others {
                        let mut others: Vec<&str> = others.iter().map(|s| s.as_str()).collect();
                        others.sort();
                        others.dedup();
                        message.push_str(&format!(
                            " (its ranges and those of {} together cover the public address space)",
                            others.join(", ")
                        ));
                    }
                    (Severity::High, message, open)
                } else if !broad.is_empty() {
                    let message = format!(
                        "Security group {} ({}) of origin {} allows port(s) {} from very broad public ranges ({})",
                        sg.id,
                        sg.name,
                        origin.label(),
                        ports(&broad_ports),
                        broad.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    );
                    (Severity::Medium, message, broad_ports)
                } else {
                    continue;
                };
                out.push(
                    Finding::new(&Self::META, sg.resource(ctx.account_id()), message)
                        .severity(severity)
                        .detail(origin.name())
                        .evidence("origin", origin.label())
                        .evidence("ports", &ports_reported)
                        .evidence("broad_ranges", &broad)
                        .evidence("origin_of", &origin.used_by),
                );
            }
        }
    }
}
