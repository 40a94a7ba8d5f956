//! Locks: for each distribution × origin, the backends behind the origin and how each of their
//! guards treats the requests this distribution sends (satisfied, mismatch, could not verify,
//! absent).

use super::exposure::{Backend, BackendKind};
use super::guards::{coverage_gaps, Guard};
use super::headers::Verdict;
use super::scope::Scope;
use super::sent::Sent;
use crate::index::{ApiTarget, ResolvedOrigin};
use crate::inventory::*;
use crate::origin::OriginKind;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::Arc;

/// How one guard of a backend treats one distribution origin's requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GuardStatus {
    /// The distribution supplies what the guard requires.
    Satisfied,
    /// The guard refuses the distribution's requests too (a broken site, not an open one).
    Mismatch,
    /// The guard may or may not accept them: edge-audit cannot tell.
    CouldNotVerify,
    /// A guard that could lock the backend is not there (no web ACL, a listener that forwards
    /// without a header condition, a method without AWS_IAM …).
    Absent,
}

/// One guard's verdict on one (distribution origin, backend), with a reason that holds no
/// secret value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuardReport {
    /// The guard's name (`secret-header-check`, `required-api-key` …), or `none` for an absent
    /// guard and `unknown` for something edge-audit cannot interpret.
    pub guard: &'static str,
    pub status: GuardStatus,
    pub why: String,
}

/// One backend an origin reaches, with every guard's verdict on this origin's requests.
#[derive(Debug, Clone)]
pub struct LockTarget<'a> {
    pub backend: Arc<Backend<'a>>,
    pub verdicts: Vec<GuardReport>,
}

impl<'a> Deref for LockTarget<'a> {
    type Target = Backend<'a>;

    fn deref(&self) -> &Backend<'a> {
        &self.backend
    }
}

impl LockTarget<'_> {
    /// The guards that are there, with their verdicts (absent and unknown ones left out).
    pub fn judged_guards<'s>(&'s self) -> impl Iterator<Item = (&'s Guard<'s>, &'s GuardReport)> + 's {
        self.backend.side.guards.iter().zip(self.verdicts.iter())
    }
}

/// Why an origin's backend was not found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// The listings were read and no scanned account holds it (deleted, or another account's).
    Missing(String),
    /// The listing that would hold it could not be read.
    Unread(String),
    /// The origin is a per-tenant template and the backend one tenant reaches (or, for the
    /// template itself, that any tenant reaches) cannot be told: the tenant's parameters were not
    /// read, a placeholder has no value and no default, or no enabled tenant fills it in.
    TenantTemplate(String),
}

impl Unresolved {
    pub fn why(&self) -> &str {
        match self {
            Self::Missing(why) | Self::Unread(why) | Self::TenantTemplate(why) => why,
        }
    }

    /// Names the accounts that were searched, when the backend is in none of them: its host
    /// name (execute-api, elb, lambda-url) does not say which account owns it.
    pub(crate) fn name_searched_accounts(&mut self, searched: &str) {
        if let Self::Missing(why) = self {
            why.push_str(&format!(
                "; its host name does not say which account owns it, and it is none of the scanned ones ({searched})"
            ));
        }
    }
}

/// The lock assessment of one (distribution, origin).
#[derive(Debug, Clone)]
pub struct Lock<'a> {
    pub distribution: &'a Distribution,
    /// The origin as CloudFront reaches it: for a tenant's lock, the distribution's templated
    /// origin with the tenant's parameters filled in (owned by the [`crate::index::Index`]).
    pub origin: &'a Origin,
    /// The tenant of a multi-tenant distribution this lock is about, for a templated origin
    /// (each enabled tenant reaches its own backend); `None` for every other origin.
    pub tenant: Option<&'a DistributionTenant>,
    pub resolved: ResolvedOrigin<'a>,
    pub sent: Sent<'a>,
    /// The backends behind the origin whose origin side edge-audit can see. Empty for S3,
    /// unknown resources and plain custom origins (a web server's own checks are invisible).
    pub targets: Vec<LockTarget<'a>>,
    /// Why the resources behind the origin could not be identified: in no scanned account, or
    /// the listing that would hold them was not read.
    pub unresolved: Option<Unresolved>,
    /// The scanned account that holds the backends, when it is not the distribution's.
    pub backend_account: Option<String>,
    /// What the origin's VPC origin amounts to (`None`: it uses none), judged in the account
    /// that owns the VPC origin: a VPC origin shared from another scanned account is resolved
    /// there ([`crate::model::Model::build`]), one from an account outside the scan is not
    /// evaluated, naming the account.
    pub vpc_reach: Option<super::vpc::VpcOriginReach>,
}

impl<'a> Lock<'a> {
    /// What a finding about this lock is about: the tenant when there is one, else the
    /// distribution.
    pub fn resource(&self, account: &str) -> crate::finding::ResourceRef {
        use crate::resource::AsResource;
        match self.tenant {
            Some(tenant) => tenant.resource(account),
            None => self.distribution.resource(account),
        }
    }

    /// `Distribution {id}`, or `Tenant {name} ({id}) of distribution {id}`, to open a message.
    pub fn subject(&self) -> String {
        match self.tenant {
            Some(tenant) => {
                format!("Tenant {} ({}) of distribution {}", tenant.name, tenant.id, self.distribution.id)
            }
            None => format!("Distribution {}", self.distribution.id),
        }
    }

    /// `{distribution id}/{origin id}`, with the tenant id in between for a tenant's lock: what
    /// a not-evaluated entry names.
    pub fn key(&self) -> String {
        match self.tenant {
            Some(tenant) => format!("{}/{}/{}", self.distribution.id, tenant.id, self.origin.id),
            None => format!("{}/{}", self.distribution.id, self.origin.id),
        }
    }

    /// A finding about this lock with, for a tenant's lock, what names the tenant: the
    /// distribution, the tenant and the template its origin was filled in from. Unchanged for
    /// every other lock.
    pub fn with_tenant_evidence(&self, finding: crate::finding::Finding) -> crate::finding::Finding {
        let Some(tenant) = self.tenant else { return finding };
        let template = self.distribution.origin(&self.origin.id);
        finding
            .evidence("distribution_id", &self.distribution.id)
            .evidence("tenant_id", &tenant.id)
            .evidence("tenant_name", &tenant.name)
            .evidence("tenant_domains", &tenant.domains)
            .evidence("origin_template", template.map(|t| format!("{}{}", t.domain_name, t.origin_path)))
    }

    /// Whether the origin is an API: API Gateway, ALB, Lambda URL, or a custom origin behind
    /// a behavior with an API-looking path pattern.
    pub fn is_api_origin(&self) -> bool {
        is_api_origin(self.distribution, self.origin)
    }

    /// A templated origin no tenant fills in (none is enabled, or the tenants could not be
    /// listed): it reaches no backend edge-audit could name.
    pub fn is_untenanted_template(&self) -> bool {
        self.tenant.is_none() && matches!(self.resolved, ResolvedOrigin::TenantTemplate)
    }

    /// Every target is locked (and there is at least one).
    pub fn origin_locked(&self) -> bool {
        !self.targets.is_empty() && self.targets.iter().all(|t| t.side.is_locked())
    }
}

/// Path patterns that route API traffic.
fn looks_like_api_path(pattern: &str) -> bool {
    let lower = pattern.to_ascii_lowercase();
    let first = lower.trim_start_matches('/').split(['/', '*', '?', '.']).next().unwrap_or("");
    first == "api"
        || first == "graphql"
        || first == "rest"
        || first == "rpc"
        || (first.len() >= 2 && first.starts_with('v') && first[1..].chars().all(|c| c.is_ascii_digit()))
}

/// Whether an origin is an API origin (see [`Lock::is_api_origin`]).
pub fn is_api_origin(distribution: &Distribution, origin: &Origin) -> bool {
    if origin.kind.is_api() {
        return true;
    }
    matches!(origin.kind, crate::origin::OriginKind::Custom)
        && distribution
            .behaviors_for(&origin.id)
            .any(|b| b.path_pattern.as_deref().is_some_and(looks_like_api_path))
}

/// Every guard's verdict on what `origin` sends, then the absent guards and what edge-audit
/// cannot interpret.
fn verdicts(
    scope: &Scope<'_>,
    distribution: &Distribution,
    backend: &Backend<'_>,
    origin: &Origin,
    sent: &Sent<'_>,
) -> Vec<GuardReport> {
    let mut out: Vec<GuardReport> = backend
        .side
        .guards
        .iter()
        .map(|guard| {
            // A function URL's AWS_IAM guard is judged with the OAC's details and the function's
            // resource policy for this distribution (see `oac`).
            let judged = match (guard, backend.kind) {
                (Guard::LambdaIam, BackendKind::FunctionUrl(function)) => {
                    super::oac::judge_function_url(scope, distribution, origin, function)
                }
                _ => guard.judge(origin, sent),
            };
            let status = match judged.verdict {
                Verdict::Satisfied => GuardStatus::Satisfied,
                Verdict::Mismatch => GuardStatus::Mismatch,
                Verdict::CouldNotVerify => GuardStatus::CouldNotVerify,
            };
            GuardReport { guard: guard.name(), status, why: judged.why }
        })
        .collect();
    out.extend(backend.side.open_because.iter().map(|why| GuardReport {
        guard: "none",
        status: GuardStatus::Absent,
        why: why.clone(),
    }));
    out.extend(backend.side.checked_in_code.iter().map(|why| GuardReport {
        guard: "lambda-authorizer",
        status: GuardStatus::CouldNotVerify,
        why: why.clone(),
    }));
    out.extend(backend.side.unverifiable.iter().map(|why| GuardReport {
        guard: "unknown",
        status: GuardStatus::CouldNotVerify,
        why: why.clone(),
    }));
    out
}

/// The lock of one origin of one distribution, over the backends already judged.
pub(super) fn lock_of<'a>(
    scope: &Scope<'a>,
    backends: &BTreeMap<String, Arc<Backend<'a>>>,
    distribution: &'a Distribution,
    origin: &'a Origin,
) -> Lock<'a> {
    let resolved = scope.index.resolve_origin(origin);
    let sent = Sent::of(distribution, origin, scope.options);
    let mut arns: Vec<String> = Vec::new();
    let mut unresolved = None;
    match resolved {
        ResolvedOrigin::RestApi(_) | ResolvedOrigin::HttpApi(_) | ResolvedOrigin::ApiDomain { .. } => {
            for target in scope.index.api_targets(origin) {
                arns.extend(api_target_arns(&target));
            }
        }
        ResolvedOrigin::UnknownApi { api_id, region } => {
            let gaps = coverage_gaps(scope.account, region, &[Service::Apigateway, Service::Apigatewayv2]);
            unresolved = Some(if gaps.is_empty() {
                Unresolved::Missing(format!("API {api_id} is not in the account's inventory for {region}"))
            } else {
                Unresolved::Unread(format!("API {api_id} could not be looked up: {}", gaps.join("; ")))
            });
        }
        ResolvedOrigin::LoadBalancer(lb) => arns.push(lb.arn.clone()),
        ResolvedOrigin::LambdaUrl(function) => arns.push(function.arn.clone()),
        ResolvedOrigin::UnknownLoadBalancer => {
            let region = match &origin.kind {
                OriginKind::Alb { region: Some(region), .. } => Some(region.as_str()),
                _ => None,
            };
            unresolved = Some(unfound(scope, region, Service::Elbv2, "load balancer", &origin.domain_name));
        }
        ResolvedOrigin::UnknownLambdaUrl => {
            let region = match &origin.kind {
                OriginKind::LambdaUrl { region, .. } => Some(region.as_str()),
                _ => None,
            };
            unresolved = Some(unfound(scope, region, Service::Lambda, "function URL", &origin.domain_name));
        }
        ResolvedOrigin::Instance(_)
        | ResolvedOrigin::S3Rest
        | ResolvedOrigin::S3Website
        | ResolvedOrigin::Custom => {}
        // Judged per tenant by `tenant_locks`, which replaces this reason.
        ResolvedOrigin::TenantTemplate => {
            unresolved = Some(Unresolved::TenantTemplate(format!(
                "its domain `{}`{} is a template CloudFront fills from each tenant's parameters",
                origin.domain_name,
                if origin.origin_path.contains("{{") { " or its origin path" } else { "" }
            )))
        }
    }
    let targets = arns
        .iter()
        .filter_map(|arn| backends.get(arn))
        .map(|backend| LockTarget {
            verdicts: verdicts(scope, distribution, backend, origin, &sent),
            backend: Arc::clone(backend),
        })
        .collect();
    let vpc_reach = super::vpc::vpc_origin_reach(scope, origin);
    Lock {
        distribution,
        origin,
        tenant: None,
        resolved,
        sent,
        targets,
        unresolved,
        backend_account: None,
        vpc_reach,
    }
}

/// The locks of one templated origin: one per enabled tenant, over the origin filled in with
/// that tenant's parameters and judged as any origin; a tenant whose origin cannot be filled in
/// gets the template's lock, not evaluated, saying why. With no enabled tenant the template
/// reaches no backend: one lock says so (or that the tenants could not be listed), never a
/// lock without targets that would read as "nothing to judge".
pub(super) fn tenant_locks<'a>(
    scope: &Scope<'a>,
    backends: &BTreeMap<String, Arc<Backend<'a>>>,
    distribution: &'a Distribution,
    template: &'a Origin,
) -> Vec<Lock<'a>> {
    let mut locks: Vec<Lock<'a>> = scope
        .index
        .tenant_origins_of(distribution, template)
        .map(|tenant_origin| {
            let mut lock = match &tenant_origin.origin {
                Ok(origin) => lock_of(scope, backends, distribution, origin),
                Err(why) => {
                    let mut lock = lock_of(scope, backends, distribution, template);
                    lock.unresolved = Some(Unresolved::TenantTemplate(format!(
                        "`{}{}` cannot be filled in: {why}",
                        template.domain_name, template.origin_path
                    )));
                    lock
                }
            };
            lock.tenant = Some(tenant_origin.tenant);
            lock
        })
        .collect();
    if locks.is_empty() {
        let mut lock = lock_of(scope, backends, distribution, template);
        // Only a failed tenant listing (or no CloudFront data at all) leaves tenants unknown.
        let mut gaps: Vec<String> = scope
            .account
            .failures(Service::Cloudfront)
            .filter(|c| c.operation.as_deref() == Some("ListDistributionTenants"))
            .map(|c| {
                format!("ListDistributionTenants failed ({})", c.error.as_deref().unwrap_or("no error given"))
            })
            .collect();
        if !scope.account.coverage.iter().any(|c| c.service == Service::Cloudfront) {
            gaps.push("CloudFront was not read".to_string());
        }
        lock.unresolved = Some(if gaps.is_empty() {
            Unresolved::TenantTemplate(format!(
                "its domain `{}{}` is a template filled in per tenant, and distribution {} has no enabled tenant: it reaches no backend",
                template.domain_name, template.origin_path, distribution.id
            ))
        } else {
            Unresolved::Unread(format!(
                "its domain `{}{}` is a template filled in per tenant, and the tenants could not be read: {}",
                template.domain_name,
                template.origin_path,
                gaps.join("; ")
            ))
        });
        locks.push(lock);
    }
    locks
}

/// Why a load balancer or function URL is not in the inventory: its region's listing was not
/// read (or the region is not in the host name, so it cannot be told), or no account holds it.
fn unfound(
    scope: &Scope<'_>,
    region: Option<&str>,
    service: Service,
    what: &str,
    domain: &str,
) -> Unresolved {
    match region {
        Some(region) => {
            let gaps = coverage_gaps(scope.account, region, &[service]);
            if gaps.is_empty() {
                Unresolved::Missing(format!("{what} {domain} is not in the inventory"))
            } else {
                Unresolved::Unread(format!("{what} {domain} could not be looked up: {}", gaps.join("; ")))
            }
        }
        None => Unresolved::Missing(format!("{what} {domain} is not in the inventory")),
    }
}

/// The backends of one API target: each reachable stage of a REST API, or the HTTP API.
fn api_target_arns(target: &ApiTarget<'_>) -> Vec<String> {
    match target.api {
        crate::index::Api::Rest(api) => match &target.stage {
            Some(name) => {
                api.stage(name).map(|s| format!("{}/stages/{}", api.arn, s.name)).into_iter().collect()
            }
            None => api.stages.iter().map(|s| format!("{}/stages/{}", api.arn, s.name)).collect(),
        },
        crate::index::Api::Http(api) => vec![api.arn.clone()],
    }
}
