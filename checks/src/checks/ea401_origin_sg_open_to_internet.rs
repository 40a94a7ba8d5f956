use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::inventory::Service;
use crate::network::port_sources;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A security group of an origin — an internet-facing load balancer or an EC2 instance that
    /// a distribution reaches — that allows the origin's listener ports (the load balancer's
    /// listeners; `listener_ports`, 80 and 443 by default, for instances) from 0.0.0.0/0 or
    /// ::/0.
    ///
    /// ## Why it matters
    ///
    /// The origin answers anyone who finds its DNS name, skipping CloudFront's web ACL, rate
    /// limits and Shield. A secret header only helps if it is checked; the security group is the
    /// layer that stops the traffic before it costs anything.
    ///
    /// ## Example
    ///
    /// The ALB's security group allows TCP 443 from 0.0.0.0/0.
    ///
    /// ## How to fix
    ///
    /// Replace the 0.0.0.0/0 and ::/0 rules by the CloudFront origin-facing managed prefix list
    /// (`com.amazonaws.global.cloudfront.origin-facing`) and keep the secret header check, or
    /// move the origin into private subnets behind a CloudFront VPC origin.
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
                let open: Vec<u16> = origin
                    .ports
                    .iter()
                    .copied()
                    .filter(|port| {
                        !port_sources(ctx.index, std::slice::from_ref(sg_id), *port).internet.is_empty()
                    })
                    .collect();
                if open.is_empty() {
                    continue;
                }
                out.push(
                    Finding::new(
                        &Self::META,
                        sg.resource(ctx.account_id()),
                        format!(
                            "Security group {} ({}) of origin {} allows port(s) {} from the internet",
                            sg.id,
                            sg.name,
                            origin.label(),
                            open.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .detail(origin.name())
                    .evidence("origin", origin.label())
                    .evidence("ports", &open)
                    .evidence("origin_of", &origin.used_by),
                );
            }
        }
    }
}
