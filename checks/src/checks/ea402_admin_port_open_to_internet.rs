use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::network::port_sources;
use crate::finding::Finding;
use crate::resource::AsResource;
use std::collections::BTreeMap;

declare_check! {
    /// ## What it finds
    ///
    /// A security group attached to something (an instance, a network interface, a load
    /// balancer) that allows an administration port — `admin_ports`, SSH 22 and RDP 3389 by
    /// default — from 0.0.0.0/0 or ::/0 (or ranges that together cover the internet). A group
    /// whose rule on the port names a customer-managed prefix list whose entries could not be
    /// read is not evaluated, naming the list.
    ///
    /// ## Why it matters
    ///
    /// Internet-wide scanners find open SSH and RDP within minutes and brute-force them
    /// continuously. A server behind CloudFront that still answers SSH on its public address
    /// has a second front door that no WAF sees.
    ///
    /// ## Example
    ///
    /// `web-sg` allows TCP 22 from 0.0.0.0/0 on the instances behind the ALB.
    ///
    /// ## How to fix
    ///
    /// Remove the rule and use AWS Systems Manager Session Manager (or EC2 Instance Connect
    /// Endpoint); if SSH must stay, allow it only from a VPN or bastion security group.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html>
    /// - <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13>
    AdminPortOpenToInternet {
        id: "EA402",
        slug: "admin-port-open-to-internet",
        title: "Administration port open to the internet",
        severity: High,
        services: [Ec2, Elbv2],
    }
}

impl Audit for AdminPortOpenToInternet {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        let account = ctx.account;
        // Security group → what it is attached to.
        let mut attached: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for instance in &account.instances {
            for sg in &instance.security_groups {
                attached.entry(sg.as_str()).or_default().push(format!("instance {}", instance.id));
            }
        }
        for eni in &account.network_interfaces {
            for sg in &eni.security_groups {
                attached.entry(sg.as_str()).or_default().push(format!("network interface {}", eni.id));
            }
        }
        for lb in &account.load_balancers {
            for sg in &lb.security_groups {
                attached.entry(sg.as_str()).or_default().push(format!("load balancer {}", lb.name));
            }
        }
        for (sg_id, users) in &mut attached {
            users.sort();
            users.dedup();
            let Some(sg) = ctx.index.security_groups.get(sg_id) else { continue };
            for &port in &ctx.options.admin_ports {
                let sources = port_sources(ctx.index, std::slice::from_ref(&sg.id), port);
                if sources.internet.is_empty() {
                    if !sources.unknown.is_empty() {
                        out.not_evaluated(
                            &Self::META,
                            sg.arn.clone(),
                            format!(
                                "whether security group {} ({}) admits the internet on port {port} is unknown: {}",
                                sg.id,
                                sg.name,
                                sources.unknown.join("; ")
                            ),
                        );
                    }
                    continue;
                }
                let ranges: Vec<&String> = sg
                    .ingress
                    .iter()
                    .filter(|r| r.covers_tcp_port(port))
                    .flat_map(|r| r.ipv4_ranges.iter().chain(&r.ipv6_ranges))
                    .collect();
                out.push(
                    Finding::new(
                        &Self::META,
                        sg.resource(ctx.account_id()),
                        format!(
                            "Security group {} ({}) allows port {port} from the internet and is attached to {}",
                            sg.id,
                            sg.name,
                            users.join(", ")
                        ),
                    )
                    .detail(port.to_string())
                    .evidence("port", port)
                    .evidence("attached_to", &*users)
                    .evidence("sources", ranges),
                );
            }
        }
    }
}
