//! Network helpers over the network model (security groups, prefix lists, listeners): which
//! sources a set of security groups admits on a port. Judging what that means for an origin is
//! the perimeter model's business ([`crate::perimeter`]).

use crate::index::Index;
use crate::inventory::{LoadBalancer, PrefixList};
use ipnet::{Ipv4Net, Ipv6Net};
use iprange::IpRange;
use serde::Serialize;

/// Names of the CloudFront origin-facing managed prefix lists.
pub const CLOUDFRONT_PREFIX_LISTS: [&str; 2] =
    ["com.amazonaws.global.cloudfront.origin-facing", "com.amazonaws.global.ipv6.cloudfront.origin-facing"];

/// Whether a prefix list id names one of CloudFront's origin-facing lists.
pub fn is_cloudfront_prefix_list(index: &Index<'_>, id: &str) -> bool {
    index.prefix_lists.get(id).is_some_and(|pl| CLOUDFRONT_PREFIX_LISTS.contains(&pl.name.as_str()))
}

/// The sources a set of security groups admit on a TCP port.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PortSources {
    pub port: u16,
    /// Security groups (by id) whose sources on the port cover the public unicast address space
    /// of IPv4 or IPv6 — one `0.0.0.0/0` rule, or ranges that together do (`0.0.0.0/1` +
    /// `128.0.0.0/1`), alone or with the other groups given (then every group contributing a
    /// public range is listed).
    pub internet: Vec<String>,
    /// Public ranges so broad (IPv4 /8 or wider, IPv6 /24 or wider) that they are the internet
    /// in all but name, without covering it.
    pub broad: Vec<String>,
    /// Other CIDRs.
    pub cidrs: Vec<String>,
    /// CloudFront origin-facing prefix lists.
    pub cloudfront_prefix_lists: Vec<String>,
    /// Other prefix lists.
    pub prefix_lists: Vec<String>,
    pub security_groups: Vec<String>,
    /// Why the sources are not all known: a customer-managed prefix list whose entries were not
    /// read (GetManagedPrefixListEntries failed), or a list the inventory does not hold. While
    /// this is not empty and `internet` is, whether the groups admit the internet is unknown,
    /// never "no".
    pub unknown: Vec<String>,
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

/// An address set per family.
#[derive(Debug, Clone, Default)]
struct AddressSet {
    v4: IpRange<Ipv4Net>,
    v6: IpRange<Ipv6Net>,
}

impl AddressSet {
    /// Adds a CIDR (or a bare address); text that is neither is ignored, as AWS would reject it.
    fn add(&mut self, cidr: &str) {
        let cidr = cidr.trim();
        if let Ok(net) =
            cidr.parse::<Ipv4Net>().or_else(|_| cidr.parse::<std::net::Ipv4Addr>().map(Ipv4Net::from))
        {
            self.v4.add(net.trunc());
        } else if let Ok(net) =
            cidr.parse::<Ipv6Net>().or_else(|_| cidr.parse::<std::net::Ipv6Addr>().map(Ipv6Net::from))
        {
            self.v6.add(net.trunc());
        }
    }

    fn simplify(mut self) -> Self {
        self.v4.simplify();
        self.v6.simplify();
        self
    }

    /// Whether the set holds every public unicast address of IPv4 or of IPv6.
    fn covers_public_space(&self) -> bool {
        let (public_v4, public_v6) = public_unicast();
        public_v4.exclude(&self.v4).iter().next().is_none()
            || public_v6.exclude(&self.v6).iter().next().is_none()
    }
}

/// The public unicast space of each family: IPv4 less the special-purpose blocks (RFC 6890:
/// this network, private, shared, loopback, link-local, IETF, documentation, benchmarking,
/// multicast, reserved); IPv6 global unicast (`2000::/3`) less documentation.
fn public_unicast() -> (IpRange<Ipv4Net>, IpRange<Ipv6Net>) {
    const SPECIAL_V4: [&str; 15] = [
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
    ];
    let parse4 = |c: &str| c.parse::<Ipv4Net>().ok();
    let parse6 = |c: &str| c.parse::<Ipv6Net>().ok();
    let all_v4: IpRange<Ipv4Net> = ["0.0.0.0/0"].into_iter().filter_map(parse4).collect();
    let special_v4: IpRange<Ipv4Net> = SPECIAL_V4.into_iter().filter_map(parse4).collect();
    let global_v6: IpRange<Ipv6Net> = ["2000::/3"].into_iter().filter_map(parse6).collect();
    let special_v6: IpRange<Ipv6Net> = ["2001:db8::/32"].into_iter().filter_map(parse6).collect();
    (all_v4.exclude(&special_v4), global_v6.exclude(&special_v6))
}

/// A public range of IPv4 /8 or wider, or IPv6 /24 or wider (see [`PortSources::broad`]).
fn is_broad_public(cidr: &str) -> bool {
    let (public_v4, public_v6) = public_unicast();
    match (cidr.parse::<Ipv4Net>(), cidr.parse::<Ipv6Net>()) {
        (Ok(net), _) => {
            net.prefix_len() <= 8 && public_v4.iter().any(|p| p.contains(&net.network()) || net.contains(&p))
        }
        (_, Ok(net)) => {
            net.prefix_len() <= 24 && public_v6.iter().any(|p| p.contains(&net.network()) || net.contains(&p))
        }
        _ => false,
    }
}

/// Why the ranges of prefix list `id` (not a CloudFront one, without entries in the inventory)
/// are unknown; `None` for an AWS-managed list (the ranges of an AWS service, not the internet).
fn unread_prefix_list(index: &Index<'_>, id: &str, list: Option<&PrefixList>) -> Option<String> {
    let failure =
        index.resource_failures.get(id).map(|c| format!(" ({})", c.failed_read())).unwrap_or_default();
    match list {
        None => Some(format!(
            "prefix list {id} is not in the inventory{failure}: the ranges it admits are unknown"
        )),
        Some(list) if list.is_aws_managed() => None,
        Some(list) => Some(format!(
            "the entries of prefix list {id} ({}) could not be read{}: the ranges it admits are unknown",
            list.name,
            if failure.is_empty() { " (not in the inventory)".to_string() } else { failure }
        )),
    }
}

/// What `group_ids` admit on TCP `port`.
pub fn port_sources(index: &Index<'_>, group_ids: &[String], port: u16) -> PortSources {
    let mut sources = PortSources { port, ..PortSources::default() };
    let mut union = AddressSet::default();
    let mut contributors: Vec<String> = Vec::new();
    for id in group_ids {
        let Some(sg) = index.security_groups.get(id.as_str()) else { continue };
        let mut own = AddressSet::default();
        for rule in sg.ingress.iter().filter(|r| r.covers_tcp_port(port)) {
            for cidr in rule.ipv4_ranges.iter().chain(&rule.ipv6_ranges) {
                own.add(cidr);
                union.add(cidr);
                sources.cidrs.push(cidr.clone());
                if is_broad_public(cidr) {
                    sources.broad.push(cidr.clone());
                }
            }
            for pl in &rule.prefix_list_ids {
                if is_cloudfront_prefix_list(index, pl) {
                    sources.cloudfront_prefix_lists.push(pl.clone());
                    continue;
                }
                sources.prefix_lists.push(pl.clone());
                // A customer-managed list admits the ranges it holds: judged like the rule's own.
                let list = index.prefix_lists.get(pl.as_str());
                let entries = list.and_then(|list| list.entries.as_ref());
                if entries.is_none() {
                    if let Some(why) = unread_prefix_list(index, pl, list.copied()) {
                        sources.unknown.push(format!("security group {id}: {why}"));
                    }
                }
                for cidr in entries.into_iter().flatten() {
                    own.add(cidr);
                    union.add(cidr);
                    sources.cidrs.push(cidr.clone());
                    if is_broad_public(cidr) {
                        sources.broad.push(cidr.clone());
                    }
                }
            }
            sources.security_groups.extend(rule.source_security_groups.iter().cloned());
        }
        let own = own.simplify();
        if own.covers_public_space() {
            sources.internet.push(id.clone());
        } else if !own.v4.is_empty() || !own.v6.is_empty() {
            contributors.push(id.clone());
        }
    }
    if sources.internet.is_empty() && union.simplify().covers_public_space() {
        sources.internet = contributors;
    }
    // The internet itself is reported as such, not as a range among others.
    sources.cidrs.retain(|c| c != "0.0.0.0/0" && c != "::/0");
    sources.broad.retain(|c| c != "0.0.0.0/0" && c != "::/0");
    for list in [
        &mut sources.unknown,
        &mut sources.internet,
        &mut sources.cidrs,
        &mut sources.broad,
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

#[cfg(test)]
mod tests {
    use super::{is_broad_public, AddressSet};

    fn covers(cidrs: &[&str]) -> bool {
        let mut set = AddressSet::default();
        for cidr in cidrs {
            set.add(cidr);
        }
        set.simplify().covers_public_space()
    }

    #[test]
    fn the_internet_is_the_public_unicast_space_of_either_family() {
        let cases: &[(&[&str], bool)] = &[
            (&["0.0.0.0/0"], true),
            (&["::/0"], true),
            (&["0.0.0.0/1", "128.0.0.0/1"], true),
            (&["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"], true),
            (&["2000::/3"], true),
            (&["2000::/4", "3000::/4"], true),
            (&["0.0.0.0/1"], false),
            (&["128.0.0.0/1"], false),
            (&["2000::/4"], false),
            (&["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], false),
            (&["203.0.113.7/32"], false),
            (&["203.0.113.7"], false),
            (&["not-a-cidr"], false),
            (&[], false),
        ];
        for (cidrs, expected) in cases {
            assert_eq!(covers(cidrs), *expected, "{cidrs:?}");
        }
        // Every public block with the private ones left out is still the whole internet.
        let public_blocks = [
            "1.0.0.0/8",
            "2.0.0.0/7",
            "4.0.0.0/6",
            "8.0.0.0/7",
            "11.0.0.0/8",
            "12.0.0.0/6",
            "16.0.0.0/4",
            "32.0.0.0/3",
            "64.0.0.0/3",
            "96.0.0.0/4",
            "112.0.0.0/5",
            "120.0.0.0/6",
            "124.0.0.0/7",
            "126.0.0.0/8",
            "128.0.0.0/3",
            "160.0.0.0/5",
            "168.0.0.0/6",
            "172.0.0.0/12",
            "172.32.0.0/11",
            "172.64.0.0/10",
            "172.128.0.0/9",
            "173.0.0.0/8",
            "174.0.0.0/7",
            "176.0.0.0/4",
            "192.0.0.0/9",
            "192.128.0.0/11",
            "192.160.0.0/13",
            "192.169.0.0/16",
            "192.170.0.0/15",
            "192.172.0.0/14",
            "192.176.0.0/12",
            "192.192.0.0/10",
            "193.0.0.0/8",
            "194.0.0.0/7",
            "196.0.0.0/6",
            "200.0.0.0/5",
            "208.0.0.0/4",
            "100.0.0.0/10",
            "100.128.0.0/9",
            "101.0.0.0/8",
            "102.0.0.0/7",
            "104.0.0.0/5",
        ];
        assert!(covers(&public_blocks), "every public IPv4 block, private ones excluded");
    }

    #[test]
    fn broad_public_ranges() {
        for (cidr, broad) in [
            ("3.0.0.0/8", true),
            ("2.0.0.0/7", true),
            ("3.0.0.0/9", false),
            ("10.0.0.0/8", false),
            ("2a00::/16", true),
            ("2a00::/32", false),
            ("fd00::/8", false),
        ] {
            assert_eq!(is_broad_public(cidr), broad, "{cidr}");
        }
    }
}
