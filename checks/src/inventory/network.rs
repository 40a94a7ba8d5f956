//! EC2 security groups, managed prefix lists, instances, network interfaces, and ELBv2 load
//! balancers with listeners, rules and target groups.

use super::{Tags, ValueTest};
use crate::secret::SecretValue;
use crate::strict::tagged_enum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecurityGroup {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub region: String,
    pub vpc_id: Option<String>,
    pub ingress: Vec<IngressRule>,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngressRule {
    /// `tcp`, `udp`, `icmp` or `-1` (all).
    pub protocol: String,
    /// `None` with protocol `-1`: all ports.
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub ipv4_ranges: Vec<String>,
    pub ipv6_ranges: Vec<String>,
    pub prefix_list_ids: Vec<String>,
    pub source_security_groups: Vec<String>,
}

impl IngressRule {
    /// Whether the rule admits TCP traffic on `port`.
    pub fn covers_tcp_port(&self, port: u16) -> bool {
        let port = i32::from(port);
        match self.protocol.as_str() {
            "-1" | "all" => true,
            "tcp" | "6" => match (self.from_port, self.to_port) {
                (Some(from), Some(to)) => from <= port && port <= to,
                _ => true,
            },
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrefixList {
    pub id: String,
    /// `com.amazonaws.global.cloudfront.origin-facing`.
    pub name: String,
    pub region: String,
    pub owner_id: Option<String>,
    /// The CIDRs of a customer-managed list that a security group rule references
    /// (GetManagedPrefixListEntries); `None` for AWS-managed lists and lists no rule uses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<Vec<String>>,
}

impl PrefixList {
    /// Whether AWS manages the list (the CloudFront origin-facing lists, S3, DynamoDB …).
    pub fn is_aws_managed(&self) -> bool {
        self.owner_id.as_deref() == Some("AWS") || self.name.starts_with("com.amazonaws.")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Instance {
    pub id: String,
    pub arn: String,
    pub region: String,
    pub state: String,
    pub public_ip: Option<String>,
    pub public_dns_name: Option<String>,
    pub private_ip: Option<String>,
    pub security_groups: Vec<String>,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkInterface {
    pub id: String,
    pub region: String,
    /// `interface`, `lambda`, `network_load_balancer` …
    pub interface_type: String,
    pub description: String,
    pub instance_id: Option<String>,
    pub public_ip: Option<String>,
    pub security_groups: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoadBalancer {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// `application`, `network`, `gateway`.
    pub lb_type: String,
    /// `internet-facing` or `internal`.
    pub scheme: String,
    pub dns_name: String,
    pub security_groups: Vec<String>,
    pub listeners: Vec<Listener>,
    /// The regional web ACL associated with the load balancer (GetWebACLForResource).
    pub web_acl_arn: Option<String>,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Listener {
    pub arn: String,
    pub port: u16,
    /// `HTTP`, `HTTPS`, `TCP` …
    pub protocol: String,
    pub default_actions: Vec<LbAction>,
    /// Non-default rules in priority order.
    pub rules: Vec<ListenerRule>,
    /// The listener's mutual TLS settings (`MutualAuthentication`), when ELBv2 reports them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutual_authentication: Option<MutualAuthentication>,
}

/// A listener's `MutualAuthentication`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MutualAuthentication {
    /// `off`, `passthrough` (the certificate is forwarded, not verified) or `verify`.
    pub mode: String,
    pub trust_store_arn: Option<String>,
    pub ignore_client_certificate_expiry: bool,
    /// The trust store of `trust_store_arn` as DescribeTrustStores reports it; `None` when it
    /// was not read (no `verify` mode, the call failed, or the region's listing does not hold
    /// it: a trust store shared from another account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_store: Option<TrustStore>,
}

/// An ELBv2 trust store (DescribeTrustStores): the CA bundle a `verify` listener checks client
/// certificates against.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrustStore {
    pub name: String,
    /// `ACTIVE` or `CREATING`.
    pub status: String,
    /// `NumberOfCaCertificates`; `None` when the answer did not say.
    pub ca_certificates: Option<u64>,
    /// `TotalRevokedEntries`.
    pub revoked_entries: Option<u64>,
}

impl Listener {
    /// The default actions and rules without the facts the matching pass derived (which
    /// change with the values distributions send, not with the listener).
    pub fn configuration(&self) -> (Vec<LbAction>, Vec<ListenerRule>) {
        let mut rules = self.rules.clone();
        for rule in &mut rules {
            for condition in &mut rule.conditions {
                if let RuleCondition::HttpHeader { tests, .. } = condition {
                    tests.clear();
                }
            }
        }
        (self.default_actions.clone(), rules)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListenerRule {
    pub arn: String,
    pub priority: i64,
    pub conditions: Vec<RuleCondition>,
    pub actions: Vec<LbAction>,
}

tagged_enum! {
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
    pub enum RuleCondition {
        /// Header values are secrets (the origin-verify header lives here).
        HttpHeader {
            name: String,
            values: Vec<SecretValue>,
            /// What each value (same order) accepts among the sent header values: ALB compares
            /// case-insensitively, with `*` and `?` wildcards. Empty in inventories written
            /// before these were evaluated (each value is then compared as a literal).
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            tests: Vec<ValueTest>,
            /// The values are regular expressions (`RegexValues`, 2025) instead of ALB's
            /// wildcard patterns: the matching pass evaluates them like WAF regexes (an
            /// unanchored pattern matches a substring). Without `tests` they cannot be compared.
            #[serde(default, skip_serializing_if = "std::ops::Not::not")]
            regex: bool,
        },
        PathPattern {
            values: Vec<String>,
        },
        HostHeader {
            values: Vec<String>,
        },
        SourceIp {
            values: Vec<String>,
        },
        HttpRequestMethod {
            values: Vec<String>,
        },
        QueryString {
            count: usize,
        },
        Other {
            field: String,
        },
    }
}

tagged_enum! {
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
    pub enum LbAction {
        Forward { target_group_arns: Vec<String> },
        FixedResponse { status_code: String },
        Redirect { host: Option<String>, port: Option<String>, protocol: Option<String> },
        Authenticate { kind: String },
        Other { kind: String },
    }
}

impl LbAction {
    pub fn forwards(&self) -> bool {
        matches!(self, Self::Forward { .. })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TargetGroup {
    pub arn: String,
    pub name: String,
    pub region: String,
    pub protocol: Option<String>,
    pub port: Option<u16>,
    /// `instance`, `ip`, `lambda`, `alb`.
    pub target_type: String,
    pub load_balancer_arns: Vec<String>,
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Target {
    pub id: String,
    pub port: Option<u16>,
}
