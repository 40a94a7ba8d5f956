//! A small CIDR parser and overlap arithmetic for IPv4 and IPv6, enough to tell whether WAF IP
//! sets ANDed in one rule can ever match the same address (EA304).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An IPv4 or IPv6 network. IPv4 addresses live in the low 32 bits of `network`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cidr {
    pub v6: bool,
    pub network: u128,
    pub prefix: u8,
}

impl Cidr {
    /// Parses `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). Host bits are
    /// cleared, as WAF does.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (text, None),
        };
        match address.parse::<IpAddr>().ok()? {
            IpAddr::V4(ip) => {
                let prefix = prefix.unwrap_or(32);
                (prefix <= 32)
                    .then(|| Self { v6: false, network: u128::from(u32::from(ip)), prefix }.masked())
            }
            IpAddr::V6(ip) => {
                let prefix = prefix.unwrap_or(128);
                (prefix <= 128).then(|| Self { v6: true, network: u128::from(ip), prefix }.masked())
            }
        }
    }

    fn width(&self) -> u8 {
        if self.v6 {
            128
        } else {
            32
        }
    }

    /// The mask of the network bits, within the address width.
    fn mask(&self) -> u128 {
        let host_bits = u32::from(self.width() - self.prefix);
        let all = if self.v6 { u128::MAX } else { u128::from(u32::MAX) };
        if host_bits >= 128 {
            0
        } else {
            all & !((1u128 << host_bits) - 1)
        }
    }

    fn masked(mut self) -> Self {
        self.network &= self.mask();
        self
    }

    /// Whether `other` lies inside this network.
    pub fn contains(&self, other: &Self) -> bool {
        self.v6 == other.v6 && self.prefix <= other.prefix && (other.network & self.mask()) == self.network
    }

    /// Whether the two networks share at least one address (then one contains the other).
    pub fn overlaps(&self, other: &Self) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// The common part of two networks: the more specific one, when they overlap.
    pub fn intersection(&self, other: &Self) -> Option<Self> {
        if self.contains(other) {
            Some(*other)
        } else if other.contains(self) {
            Some(*self)
        } else {
            None
        }
    }

    /// Whether this is 0.0.0.0/0 or ::/0.
    pub fn is_everything(&self) -> bool {
        self.prefix == 0
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.v6 {
            write!(f, "{}/{}", Ipv6Addr::from(self.network), self.prefix)
        } else {
            // The network of an IPv4 Cidr fits in 32 bits by construction.
            write!(f, "{}/{}", Ipv4Addr::from(self.network as u32), self.prefix)
        }
    }
}

/// The addresses common to two lists of networks, as networks.
pub fn intersect(left: &[Cidr], right: &[Cidr]) -> Vec<Cidr> {
    let mut out: Vec<Cidr> =
        left.iter().flat_map(|l| right.iter().filter_map(move |r| l.intersection(r))).collect();
    out.sort();
    out.dedup();
    out
}

/// Parses a list of CIDRs; `Err` carries the first one that does not parse.
pub fn parse_all(texts: &[String]) -> Result<Vec<Cidr>, String> {
    texts.iter().map(|t| Cidr::parse(t).ok_or_else(|| t.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> Cidr {
        Cidr::parse(text).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn parses_and_masks() {
        assert_eq!(c("10.1.2.3/8").to_string(), "10.0.0.0/8");
        assert_eq!(c("192.0.2.44").to_string(), "192.0.2.44/32");
        assert_eq!(c("2001:db8::1/32").to_string(), "2001:db8::/32");
        assert_eq!(c("0.0.0.0/0").prefix, 0);
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("nonsense").is_none());
        assert!(Cidr::parse("::/129").is_none());
    }

    #[test]
    fn overlap_ipv4() {
        assert!(c("10.0.0.0/8").overlaps(&c("10.20.0.0/16")));
        assert!(c("10.20.0.0/16").overlaps(&c("10.0.0.0/8")));
        assert!(!c("203.0.113.10/32").overlaps(&c("192.0.2.44/32")));
        assert!(!c("198.51.100.0/24").overlaps(&c("198.51.101.0/24")));
        assert!(c("0.0.0.0/0").overlaps(&c("198.51.101.7/32")));
    }

    #[test]
    fn overlap_ipv6_and_mixed_versions() {
        assert!(c("2001:db8::/32").overlaps(&c("2001:db8:1::/48")));
        assert!(!c("2001:db8::/32").overlaps(&c("2001:db9::/32")));
        assert!(c("::/0").overlaps(&c("2001:db8::1/128")));
        // ::/0 and 0.0.0.0/0 describe different address families.
        assert!(!c("::/0").overlaps(&c("0.0.0.0/0")));
        assert!(!c("::a00:0/104").overlaps(&c("10.0.0.0/8")));
    }

    #[test]
    fn intersections() {
        let office = [c("203.0.113.10/32"), c("198.51.100.0/24")];
        let client = [c("192.0.2.44/32")];
        assert!(intersect(&office, &client).is_empty());
        assert_eq!(intersect(&office, &[c("198.51.0.0/16")]), vec![c("198.51.100.0/24")]);
        assert!(intersect(&office, &[]).is_empty());
    }
}
