//! Which requests to send: for every origin of every enabled distribution, the origin's own
//! endpoint on the paths the distribution routes to it — the request CloudFront would send,
//! minus everything CloudFront adds (its custom headers, the viewer's credentials).
//!
//! - API Gateway: every public entry point of the stage(s) the origin reaches, from the perimeter
//!   model — `https://{api-id}.execute-api.{region}.amazonaws.com{origin path}{path}` (the origin
//!   path carries the stage, `/prod`, and is empty for HTTP APIs with `$default`) unless the
//!   default endpoint is disabled, and each public custom domain that maps the stage, at its base
//!   path; so an API that CloudFront reaches through a custom domain is probed on that domain
//!   and on its `execute-api` URL when that is still enabled.
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
//! requests per origin in all — raised to one per entry point where an origin has more (at most
//! [`MAX_ENTRY_POINTS_PER_ORIGIN`]), so that no entry point goes unprobed. The method is GET, or HEAD where the behavior does not allow GET.

use edge_audit_checks::inventory::{CacheBehavior, Distribution, Origin};
use edge_audit_checks::model::Model;
use edge_audit_checks::origin::{literal_prefix, OriginKind};
use edge_audit_checks::perimeter::{BackendKind, EntryKind, EntryPoint, Lock};
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
            Self::Http => "http",
            Self::Https => "https",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Self::Http => 80,
            Self::Https => 443,
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
    /// The tenant whose filled-in origin (or whose domain) this probes, for a templated origin.
    pub tenant_id: Option<String>,
    pub origin_kind: OriginKind,
    pub via: ProbeVia,
    pub request: ProbeRequest,
}

/// Endpoints probed per origin at the most, whatever the number of entry points its backends
/// have (stages × custom domains): a bound on the requests one origin can cause.
pub const MAX_ENTRY_POINTS_PER_ORIGIN: usize = 16;

/// One place to send requests to: scheme, host, port, the path that reaches the backend's root,
/// and the origin kind the probe checks file the answer under.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Endpoint {
    scheme: Scheme,
    host: String,
    port: u16,
    /// Prepended to the request path: for an API entry point, the stage (`/prod`) or base path;
    /// for the origin's own domain, the origin path.
    path_prefix: String,
    kind: OriginKind,
}

/// Every probe to send for the inventory `model` judged, sorted and without duplicates. The endpoints come from
/// the perimeter model: every public entry point of every backend behind each origin (each
/// stage's `execute-api` URL, each custom domain that maps it, each listener); origins whose
/// backend the inventory does not hold are probed at their own domain, per the origin protocol
/// policy.
pub fn plan(model: &Model<'_>, through_cloudfront: bool) -> Vec<ProbeTarget> {
    let mut targets = Vec::new();
    for judged in &model.accounts {
        let account = judged.account;
        for lock in judged.perimeter.locks.iter().filter(|l| l.distribution.enabled) {
            let (distribution, origin) = (lock.distribution, lock.origin);
            let Some(endpoints) = endpoints(lock) else {
                continue;
            };
            let paths = paths(distribution, origin);
            let target = |via, kind: &OriginKind, request| ProbeTarget {
                account: account.account_id.clone(),
                distribution_id: distribution.id.clone(),
                distribution_arn: distribution.arn.clone(),
                origin_id: origin.id.clone(),
                tenant_id: lock.tenant.map(|t| t.id.clone()),
                origin_kind: kind.clone(),
                via,
                request,
            };
            // Path-major: every endpoint gets the first path before any gets the second, so the
            // cap never leaves an entry point unprobed.
            let direct = paths.iter().flat_map(|(path, method)| {
                endpoints.iter().map(move |endpoint| {
                    let request = ProbeRequest {
                        scheme: endpoint.scheme,
                        host: endpoint.host.clone(),
                        port: endpoint.port,
                        path: format!("{}{path}", endpoint.path_prefix),
                        method,
                    };
                    (endpoint, request)
                })
            });
            let cap = MAX_REQUESTS_PER_ORIGIN.max(endpoints.len());
            targets.extend(direct.take(cap).map(|(e, r)| target(ProbeVia::Direct, &e.kind, r)));
            // A tenant's requests reach CloudFront at the tenant's domains (a multi-tenant
            // distribution serves none of its own).
            let edge_host = match lock.tenant {
                Some(tenant) => tenant.domains.first().cloned().unwrap_or_default(),
                None => distribution.domain_name.to_ascii_lowercase(),
            };
            if through_cloudfront && !edge_host.is_empty() {
                targets.extend(paths.iter().map(|(path, method)| {
                    target(
                        ProbeVia::Cloudfront,
                        &origin.kind,
                        ProbeRequest {
                            scheme: Scheme::Https,
                            host: edge_host.clone(),
                            port: 443,
                            path: path.clone(),
                            method,
                        },
                    )
                }));
            }
        }
    }
    targets.sort();
    targets.dedup();
    targets
}

/// Whether `path` starts with the path `prefix`, segment-wise (`/prod` is a prefix of `/prod`
/// and `/prod/x`, not of `/production`).
fn has_path_prefix(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The endpoints to probe for one origin; `None` when it is not probed (S3, VPC origins).
fn endpoints(lock: &Lock<'_>) -> Option<Vec<Endpoint>> {
    let origin = lock.origin;
    if origin.vpc_origin_id.is_some() || origin.s3_origin_config {
        return None;
    }
    let host = origin.domain_name.trim_end_matches('.').to_ascii_lowercase();
    let origin_path = origin.origin_path.trim_end_matches('/');
    if matches!(origin.kind, OriginKind::S3Rest { .. } | OriginKind::S3Website { .. }) {
        return None;
    }
    if lock.targets.is_empty() {
        // A backend the inventory does not hold: the origin's own domain.
        let on_own_domain = |(scheme, port)| Endpoint {
            scheme,
            host: host.clone(),
            port,
            path_prefix: origin_path.to_string(),
            kind: origin.kind.clone(),
        };
        return Some(match &origin.kind {
            OriginKind::ApiGateway { .. } | OriginKind::LambdaUrl { .. } => {
                vec![on_own_domain((Scheme::Https, 443))]
            }
            _ => by_protocol_policy(origin).into_iter().map(on_own_domain).collect(),
        });
    }
    let mut out: Vec<Endpoint> = Vec::new();
    for target in &lock.targets {
        // The part of the origin path below the backend's root, as seen through the entry point
        // CloudFront itself uses (the origin's domain): `/prod/v1` on execute-api with stage
        // `prod` leaves `/v1`, which every other entry point of the stage (its custom domains)
        // gets after its own prefix. When no entry point of the origin's domain is a prefix of
        // the origin path (the viewer's first path segment picks the stage), the origin's domain
        // is probed as CloudFront calls it, with the origin path, and the other entry points
        // with their prefix.
        let own = target
            .entry_points
            .iter()
            .filter(|e| e.host == host && has_path_prefix(origin_path, &e.path_prefix))
            .max_by_key(|e| e.path_prefix.len());
        let prefix_for = |e: &EntryPoint| match own {
            Some(own) => format!("{}{}", e.path_prefix, &origin_path[own.path_prefix.len()..]),
            None if e.host == host => origin_path.to_string(),
            None => format!("{}{origin_path}", e.path_prefix),
        };
        let kind = match target.api() {
            // Any entry point of an API is API Gateway's: EA601 judges it.
            Some(api) => {
                OriginKind::ApiGateway { api_id: api.id().to_string(), region: api.region().to_string() }
            }
            None => origin.kind.clone(),
        };
        let mut listeners: Vec<Endpoint> = target
            .entry_points
            .iter()
            .filter_map(|e| {
                let scheme = match e.scheme.as_str() {
                    "https" => Scheme::Https,
                    "http" => Scheme::Http,
                    _ => return None,
                };
                // A load balancer is reached at the name the origin uses (`dualstack.` …).
                let host = if e.kind == EntryKind::Listener { host.clone() } else { e.host.clone() };
                Some(Endpoint { scheme, host, port: e.port, path_prefix: prefix_for(e), kind: kind.clone() })
            })
            .collect();
        // HTTPS first: when the cap cuts, the listener CloudFront most likely uses stays.
        listeners.sort_by(|a, b| {
            (std::cmp::Reverse(a.scheme), a.port, &a.host, &a.path_prefix).cmp(&(
                std::cmp::Reverse(b.scheme),
                b.port,
                &b.host,
                &b.path_prefix,
            ))
        });
        // A load balancer without an HTTP(S) listener in the inventory: as CloudFront calls it.
        let no_http_listener = listeners.is_empty()
            && matches!(target.kind, BackendKind::LoadBalancer(lb) if lb.scheme != "internal");
        if no_http_listener {
            listeners = by_protocol_policy(origin)
                .into_iter()
                .map(|(scheme, port)| Endpoint {
                    scheme,
                    host: host.clone(),
                    port,
                    path_prefix: origin_path.to_string(),
                    kind: kind.clone(),
                })
                .collect();
        }
        for endpoint in listeners {
            if !out.contains(&endpoint) {
                out.push(endpoint);
            }
        }
    }
    out.truncate(MAX_ENTRY_POINTS_PER_ORIGIN);
    Some(out)
}

/// Endpoints per the origin protocol policy: what CloudFront itself may use.
fn by_protocol_policy(origin: &Origin) -> Vec<(Scheme, u16)> {
    let (policy, http_port, https_port) = match &origin.custom {
        Some(c) => (c.protocol_policy.as_str(), c.http_port, c.https_port),
        None => ("https-only", 80, 443),
    };
    let port = |p: u16, scheme: Scheme| if p == 0 { scheme.default_port() } else { p };
    let https = (Scheme::Https, port(https_port, Scheme::Https));
    let http = (Scheme::Http, port(http_port, Scheme::Http));
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
