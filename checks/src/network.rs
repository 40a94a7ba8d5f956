//! Network helpers over the network model (security groups, prefix lists, listeners): which
//! sources a set of security groups admits on a port. Judging what that means for an origin is
//! the perimeter model's business ([`crate::perimeter`]).

use crate::index::Index;
use crate::inventory::LoadBalancer;
use serde::Serialize;

/// Names of the CloudFront origin-facing managed prefix lists.
pub const CLOUDFRONT_PREFIX_LISTS: [&str; 2] =
    ["com.amazonaws.global.cloudfront.origin-facing", "com.amazonaws.global.cloudfront.ipv6-origin-facing"];

/// Whether a prefix list id names one of CloudFront's origin-facing lists.
pub fn is_cloudfront_prefix_list(index: &Index<'_>, id: &str) -> bool {
    index.prefix_lists.get(id).is_some_and(|pl| CLOUDFRONT_PREFIX_LISTS.contains(&pl.name.as_str()))
}

/// The sources a set of security groups admit on a TCP port.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PortSources {
    pub port: u16,
    /// Security groups (by id) with a rule open to 0.0.0.0/0 or ::/0 on the port.
    pub internet: Vec<String>,
    /// Other CIDRs.
    pub cidrs: Vec<String>,
    /// CloudFront origin-facing prefix lists.
    pub cloudfront_prefix_lists: Vec<String>,
    /// Other prefix lists.
    pub prefix_lists: Vec<String>,
    pub security_groups: Vec<String>,
}

impl PortSources {
    pub fn any(&self) -> bool {
        !self.internet.is_empty()
            || !self.cidrs.is_empty()
            || !self.cloudfront_prefix_lists.is_empty()
            || !self.prefix_lists.is_empty()
            || !self.security_groups.is_empty()
    }
}

/// What `group_ids` admit on TCP `port`.
pub fn port_sources(index: &Index<'_>, group_ids: &[String], port: u16) -> PortSources {
    let mut sources = PortSources { port, ..PortSources::default() };
    for id in group_ids {
        let Some(sg) = index.security_groups.get(id.as_str()) else { continue };
        for rule in sg.ingress.iter().filter(|r| r.covers_tcp_port(port)) {
            if rule.open_to_internet() && !sources.internet.contains(id) {
                sources.internet.push(id.clone());
            }
            for cidr in rule.ipv4_ranges.iter().chain(&rule.ipv6_ranges) {
                if cidr != "0.0.0.0/0" && cidr != "::/0" {
                    sources.cidrs.push(cidr.clone());
                }
            }
            for pl in &rule.prefix_list_ids {
                if is_cloudfront_prefix_list(index, pl) {
                    sources.cloudfront_prefix_lists.push(pl.clone());
                } else {
                    sources.prefix_lists.push(pl.clone());
                }
            }
            sources.security_groups.extend(rule.source_security_groups.iter().cloned());
        }
    }
    for list in [
        &mut sources.cidrs,
        &mut sources.cloudfront_prefix_lists,
        &mut sources.prefix_lists,
        &mut sources.security_groups,
    ] {
        list.sort();
        list.dedup();
    }
    sources
}

/// The ports an origin listens on: the ALB's listener ports, or the configured listener ports
/// for an instance.
pub fn listener_ports(lb: &LoadBalancer) -> Vec<u16> {
    let mut ports: Vec<u16> = lb.listeners.iter().map(|l| l.port).collect();
    ports.sort();
    ports.dedup();
    ports
}
