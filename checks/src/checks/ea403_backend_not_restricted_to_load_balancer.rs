use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::network::port_sources;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// An instance registered in a target group of an origin load balancer whose security
    /// groups accept the target port from sources other than the load balancer's security
    /// groups: the internet, CIDR ranges, prefix lists or other security groups.
    ///
    /// ## Why it matters
    ///
    /// The ALB is where the secret header is checked and the web ACL runs. A target that also
    /// accepts traffic from elsewhere can be reached around it — from the internet if it has a
    /// public address, or from anything else in the network.
    ///
    /// ## Example
    ///
    /// Targets listen on 8080 and their security group allows 8080 from 0.0.0.0/0 instead of
    /// from the ALB's security group.
    ///
    /// ## How to fix
    ///
    /// Allow the target port only from the load balancer's security group (a security group
    /// reference, not the VPC CIDR), and keep the instances in private subnets.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html>
    /// - <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-register-targets.html#target-security-groups>
    BackendNotRestrictedToLoadBalancer {
        id: "EA403",
        slug: "backend-not-restricted-to-load-balancer",
        title: "Load balancer target reachable from other sources",
        severity: Medium,
        services: [Cloudfront, Ec2, Elbv2],
    }
}

impl Audit for BackendNotRestrictedToLoadBalancer {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for origin in &ctx.perimeter.network_origins {
            let Some(lb) = origin.lb else { continue };
            let groups = ctx.index.target_groups_by_lb.get(lb.arn.as_str()).cloned().unwrap_or_default();
            for tg in groups.iter().filter(|tg| tg.target_type == "instance") {
                for target in &tg.targets {
                    let Some(instance) = ctx.index.instances.get(target.id.as_str()) else { continue };
                    let Some(port) = target.port.or(tg.port) else { continue };
                    let sources = port_sources(ctx.index, &instance.security_groups, port);
                    let other_groups: Vec<&String> =
                        sources.security_groups.iter().filter(|g| !lb.security_groups.contains(g)).collect();
                    let mut others: Vec<String> = Vec::new();
                    if !sources.internet.is_empty() {
                        others.push("the internet".to_string());
                    }
                    others.extend(sources.cidrs.iter().cloned());
                    others.extend(sources.cloudfront_prefix_lists.iter().cloned());
                    others.extend(sources.prefix_lists.iter().cloned());
                    others.extend(other_groups.iter().map(|g| g.to_string()));
                    if others.is_empty() {
                        continue;
                    }
                    out.push(
                        Finding::new(
                            &Self::META,
                            instance.resource(ctx.account_id()),
                            format!(
                                "Instance {} (target of {} behind origin load balancer {}) accepts port {port} from {} besides the load balancer",
                                instance.id,
                                tg.name,
                                lb.name,
                                others.join(", ")
                            ),
                        )
                        .detail(port.to_string())
                        .evidence("port", port)
                        .evidence("target_group", &tg.name)
                        .evidence("load_balancer_security_groups", &lb.security_groups)
                        .evidence("other_sources", &others),
                    );
                }
            }
        }
    }
}
