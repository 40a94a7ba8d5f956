//! Which requests to send: for every origin of every enabled distribution, the origin's own
//! endpoint on the paths the distribution routes to it — the request CloudFront would send,
//! minus everything CloudFront adds (its custom headers, the viewer's credentials).
//!
//! - API Gateway: `https://{api-id}.execute-api.{region}.amazonaws.com{origin path}{path}`; the
//!   origin path carries the stage (`/prod`), and is empty for HTTP APIs with `$default`.
//! - Load balancers: the origin's DNS name on every HTTP/HTTPS listener (or, when the load
//!   balancer is not in the inventory, per the origin protocol policy). Internal load balancers
//!   and VPC origins are not reachable from the internet and not probed.
//! - Lambda function URLs: `https://{url-id}.lambda-url.{region}.on.aws{origin path}{path}`.
//! - Other custom origins: `{protocol}://{domain}{:port}{origin path}{path}` per the origin
//!   protocol policy (`match-viewer`: both).
//! - S3 origins are not probed.
//!
//! `{path}` is the literal prefix of each behavior's path pattern routed to the origin (`/api*`
//! → `/api/`), at most [`MAX_PATHS`] per origin, and at most [`MAX_REQUESTS_PER_ORIGIN`]
//! requests per origin in all. The method is GET, or HEAD where the behavior does not allow GET.

use edge_audit_checks::index::{Index, ResolvedOrigin};
use edge_audit_checks::inventory::{CacheBehavior, Distribution, Inventory, Origin};
use edge_audit_checks::origin::{literal_prefix, OriginKind};
use edge_audit_checks::ProbeVia;

/// Paths probed per origin.
pub const MAX_PATHS: usize = 3;
/// Requests per origin (paths × endpoints).
pub const MAX_REQUESTS_PER_ORIGIN: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// One HTTP request to send.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProbeRequest {
    pub scheme: Scheme,
    /// Lower-case host name (or IP address).
    pub host: String,
    pub port: u16,
    /// Starts with `/`.
    pub path: String,
    /// `GET` or `HEAD`.
    pub method: &'static str,
}

impl ProbeRequest {
    /// `host` or `host:port` when the port is not the scheme's default: the `Host` header.
    pub fn authority(&self) -> String {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        if self.port == self.scheme.default_port() {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }

    pub fn url(&self) -> String {
        format!("{}://{}{}", self.scheme.as_str(), self.authority(), self.path)
    }
}

/// A request and the origin it probes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ProbeTarget {
    pub account: String,
    pub distribution_id: String,
    pub distribution_arn: String,
    pub origin_id: String,
    pub origin_kind: OriginKind,
    pub via: ProbeVia,
    pub request: ProbeRequest,
}

/// Every probe to send for `inventory`, sorted and without duplicates.
pub fn plan(inventory: &Inventory, through_cloudfront: bool) -> Vec<ProbeTarget> {
    let mut targets = Vec::new();
    for account in &inventory.accounts {
        let index = Index::build(account);
        for distribution in account.distributions.iter().filter(|d| d.enabled) {
            for origin in &distribution.origins {
                let Some(endpoints) = endpoints(&index, origin) else {
                    continue;
                };
                let paths = paths(distribution, origin);
                let target = |via, request| ProbeTarget {
                    account: account.account_id.clone(),
                    distribution_id: distribution.id.clone(),
                    distribution_arn: distribution.arn.clone(),
                    origin_id: origin.id.clone(),
                    origin_kind: origin.kind.clone(),
                    via,
                    request,
                };
                let origin_path = origin.origin_path.trim_end_matches('/');
                let direct = paths.iter().flat_map(|(path, method)| {
                    endpoints.iter().map(move |(scheme, host, port)| ProbeRequest {
                        scheme: *scheme,
                        host: host.clone(),
                        port: *port,
                        path: format!("{origin_path}{path}"),
                        method,
                    })
                });
                targets.extend(direct.take(MAX_REQUESTS_PER_ORIGIN).map(|r| target(ProbeVia::Direct, r)));
                if through_cloudfront && !distribution.domain_name.is_empty() {
                    targets.extend(paths.iter().map(|(path, method)| {
                        target(
                            ProbeVia::Cloudfront,
                            ProbeRequest {
                                scheme: Scheme::Https,
                                host: distribution.domain_name.to_ascii_lowercase(),
                                port: 443,
                                path: path.clone(),
                                method,
                            },
                        )
                    }));
                }
            }
        }
    }
    targets.sort();
    targets.dedup();
    targets
}

/// The (scheme, host, port) endpoints of an origin to probe; `None` when it is not probed.
fn endpoints(index: &Index<'_>, origin: &Origin) -> Option<Vec<(Scheme, String, u16)>> {
    if origin.vpc_origin_id.is_some() || origin.s3_origin_config {
        return None;
    }
    let host = origin.domain_name.trim_end_matches('.').to_ascii_lowercase();
    match &origin.kind {
        OriginKind::S3Rest { .. } | OriginKind::S3Website { .. } => None,
        OriginKind::ApiGateway { api_id, region } => Some(vec![(
            Scheme::Https,
            format!("{api_id}.execute-api.{region}.amazonaws.com").to_ascii_lowercase(),
            443,
        )]),
        OriginKind::LambdaUrl { url_id, region } => Some(vec![(
            Scheme::Https,
            format!("{url_id}.lambda-url.{region}.on.aws").to_ascii_lowercase(),
            443,
        )]),
        OriginKind::Alb { .. } => match index.resolve_origin(origin) {
            ResolvedOrigin::LoadBalancer(lb) if lb.scheme == "internal" => None,
            ResolvedOrigin::LoadBalancer(lb) => {
                let mut listeners: Vec<(Scheme, String, u16)> = lb
                    .listeners
                    .iter()
                    .filter_map(|l| match l.protocol.to_ascii_uppercase().as_str() {
                        "HTTPS" => Some((Scheme::Https, host.clone(), l.port)),
                        "HTTP" => Some((Scheme::Http, host.clone(), l.port)),
                        _ => None,
                    })
                    .collect();
                listeners.sort();
                listeners.dedup();
                // HTTPS first: when the cap cuts, the listener CloudFront most likely uses stays.
                listeners.sort_by_key(|(scheme, _, port)| (std::cmp::Reverse(*scheme), *port));
                if listeners.is_empty() {
                    Some(by_protocol_policy(origin, host))
                } else {
                    Some(listeners)
                }
            }
            _ => Some(by_protocol_policy(origin, host)),
        },
        OriginKind::Custom => Some(by_protocol_policy(origin, host)),
    }
}

/// Endpoints per the origin protocol policy: what CloudFront itself may use.
fn by_protocol_policy(origin: &Origin, host: String) -> Vec<(Scheme, String, u16)> {
    let (policy, http_port, https_port) = match &origin.custom {
        Some(c) => (c.protocol_policy.as_str(), c.http_port, c.https_port),
        None => ("https-only", 80, 443),
    };
    let port = |p: u16, scheme: Scheme| if p == 0 { scheme.default_port() } else { p };
    let https = (Scheme::Https, host.clone(), port(https_port, Scheme::Https));
    let http = (Scheme::Http, host, port(http_port, Scheme::Http));
    match policy {
        "http-only" => vec![http],
        "match-viewer" => vec![https, http],
        _ => vec![https],
    }
}

/// The request paths (and methods) the distribution routes to `origin`, in precedence order.
fn paths(distribution: &Distribution, origin: &Origin) -> Vec<(String, &'static str)> {
    let mut paths: Vec<(String, &'static str)> = Vec::new();
    for behavior in distribution.behaviors_for(&origin.id) {
        let path = literal_prefix(behavior.pattern());
        if paths.iter().all(|(p, _)| p != &path) {
            paths.push((path, method(behavior)));
        }
    }
    if paths.is_empty() {
        paths.push(("/".to_string(), "GET"));
    }
    paths.truncate(MAX_PATHS);
    paths
}

/// GET, or HEAD where the behavior does not allow GET.
fn method(behavior: &CacheBehavior) -> &'static str {
    let allows_get = behavior.allowed_methods.is_empty()
        || behavior.allowed_methods.iter().any(|m| m.eq_ignore_ascii_case("GET"));
    if allows_get {
        "GET"
    } else {
        "HEAD"
    }
}
