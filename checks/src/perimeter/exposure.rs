//! Exposure and reachability: every backend (REST API stage, HTTP API, load balancer, Lambda
//! function URL), every public entry point it has — its default `execute-api` endpoint, each
//! public custom domain that maps it, each listener of an internet-facing load balancer, its
//! function URL — and whether it can be reached from the internet without a distribution.
//!
//! This is the one notion of "reachable directly" / "internet-facing" / "entry point" that every
//! check, the probe planner and drift read.

pub use super::entry::{EntryKind, EntryPoint};
use super::guards::{alb_side, http_side, lambda_side, rest_side, OriginSide};
use super::routing::{self, DomainReach, RoutingGate};
use super::scope::Scope;
use crate::index::{host_of, Api, Index};
use crate::inventory::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// The public custom domains (not PRIVATE) whose routes reach `api_id`, stage `stage` (or any
/// stage of an HTTP API when `stage` is `None`), as entry points: base path mappings and routing
/// rules, gated or not (see [`routing::domain_reach`]; a gate is a guard, not the absence of a
/// way in).
fn custom_domain_entries(index: &Index<'_>, api_id: &str, stage: Option<&str>) -> Vec<EntryPoint> {
    let reach = routing::domain_reach(index, api_id, stage);
    let mut out = reach.open;
    out.extend(reach.gates.into_iter().flat_map(|g| g.entry_points));
    out
}

/// The entry points of one stage of a REST API: none when the API is PRIVATE.
pub fn rest_stage_entry_points(index: &Index<'_>, api: &RestApi, stage: &RestStage) -> Vec<EntryPoint> {
    if api.is_private() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if !api.disable_execute_api_endpoint {
        let host = format!("{}.execute-api.{}.amazonaws.com", api.id, api.region);
        out.push(EntryPoint::https(EntryKind::ExecuteApi, &host, format!("/{}", stage.name)));
    }
    out.extend(custom_domain_entries(index, &api.id, Some(&stage.name)));
    out.sort();
    out.dedup();
    out
}

/// The entry points of an HTTP API: its default endpoint (the root for `$default`, `/{stage}`
/// for each named stage) and the custom domains that map it.
pub fn http_entry_points(index: &Index<'_>, api: &HttpApi) -> Vec<EntryPoint> {
    let mut out = Vec::new();
    if !api.disable_execute_api_endpoint {
        let host = if api.api_endpoint.is_empty() {
            format!("{}.execute-api.{}.amazonaws.com", api.id, api.region)
        } else {
            host_of(&api.api_endpoint).to_string()
        };
        if api.stages.is_empty() {
            out.push(EntryPoint::https(EntryKind::ExecuteApi, &host, String::new()));
        }
        for stage in &api.stages {
            let prefix = if stage.name == "$default" { String::new() } else { format!("/{}", stage.name) };
            out.push(EntryPoint::https(EntryKind::ExecuteApi, &host, prefix));
        }
    }
    out.extend(custom_domain_entries(index, &api.id, None));
    out.sort();
    out.dedup();
    out
}

/// The listeners of an internet-facing load balancer; none for an internal one.
pub fn load_balancer_entry_points(lb: &LoadBalancer) -> Vec<EntryPoint> {
    if lb.scheme == "internal" {
        return Vec::new();
    }
    let mut out: Vec<EntryPoint> = lb
        .listeners
        .iter()
        .map(|l| EntryPoint {
            kind: EntryKind::Listener,
            scheme: l.protocol.to_ascii_lowercase(),
            host: lb.dns_name.trim_end_matches('.').to_ascii_lowercase(),
            port: l.port,
            path_prefix: String::new(),
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A function URL, when the function has one.
pub fn function_url_entry_points(function: &LambdaFunction) -> Vec<EntryPoint> {
    function
        .url
        .iter()
        .map(|u| EntryPoint::https(EntryKind::FunctionUrl, host_of(&u.url), String::new()))
        .collect()
}

/// Whether a backend can be reached from the internet without a distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exposure {
    /// Reachable directly; the reasons say why no guard applies.
    Internet(Vec<String>),
    /// Locked: it refuses requests without what only a distribution supplies (or has no
    /// public entry point).
    Locked(Vec<&'static str>),
    /// The data needed to decide was not collected.
    Unknown(Vec<String>),
}

impl Exposure {
    pub fn of(side: &OriginSide<'_>) -> Self {
        if side.is_locked() {
            Self::Locked(side.guard_names())
        } else if !side.is_complete() {
            Self::Unknown(side.not_collected.clone())
        } else if !side.checked_in_code.is_empty() {
            Self::Unknown(side.checked_in_code.clone())
        } else {
            Self::Internet(side.open_because.clone())
        }
    }

    pub fn is_internet(&self) -> bool {
        matches!(self, Self::Internet(_))
    }

    /// Worse is higher: locked 0, unknown 1, internet 2. Drift compares these.
    pub fn rank(&self) -> u8 {
        match self {
            Self::Locked(_) => 0,
            Self::Unknown(_) => 1,
            Self::Internet(_) => 2,
        }
    }

    /// `locked`, `unknown`, `internet`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Locked(_) => "locked",
            Self::Unknown(_) => "unknown",
            Self::Internet(_) => "internet",
        }
    }
}

/// What a backend is.
#[derive(Debug, Clone, Copy)]
pub enum BackendKind<'a> {
    RestStage { api: &'a RestApi, stage: &'a RestStage },
    HttpApi(&'a HttpApi),
    LoadBalancer(&'a LoadBalancer),
    FunctionUrl(&'a LambdaFunction),
}

/// A resource a distribution can reach, judged on its own: its public entry points, its
/// origin side (the guards) and the resulting exposure.
#[derive(Debug, Clone)]
pub struct Backend<'a> {
    pub kind: BackendKind<'a>,
    /// `…/restapis/abc123/stages/prod`, the HTTP API's, load balancer's or function's ARN.
    pub arn: String,
    /// `REST API abc123 stage prod`, `load balancer web`: for messages.
    pub label: String,
    pub region: String,
    pub entry_points: Vec<EntryPoint>,
    /// The routing-rule header gates of custom-domain entry points (which are in
    /// `entry_points` too).
    pub routing_gates: Vec<RoutingGate<'a>>,
    pub side: OriginSide<'a>,
    pub exposure: Exposure,
}

impl<'a> Backend<'a> {
    fn new(
        kind: BackendKind<'a>,
        arn: String,
        label: String,
        region: &str,
        entry_points: Vec<EntryPoint>,
        side: OriginSide<'a>,
    ) -> Self {
        let exposure = Exposure::of(&side);
        Backend {
            kind,
            arn,
            label,
            region: region.to_string(),
            entry_points,
            routing_gates: Vec::new(),
            side,
            exposure,
        }
    }

    fn with_gates(mut self, reach: DomainReach<'a>) -> Self {
        self.routing_gates = reach.gates;
        self
    }

    pub fn rest_stage(scope: &Scope<'a>, api: &'a RestApi, stage: &'a RestStage) -> Self {
        let entry_points = rest_stage_entry_points(scope.index, api, stage);
        let reach = if api.is_private() {
            DomainReach::default()
        } else {
            routing::domain_reach(scope.index, &api.id, Some(&stage.name))
        };
        let side = rest_side(scope, api, Some(stage), &entry_points, &reach);
        Backend::new(
            BackendKind::RestStage { api, stage },
            format!("{}/stages/{}", api.arn, stage.name),
            format!("REST API {} stage {}", api.id, stage.name),
            &api.region,
            entry_points,
            side,
        )
        .with_gates(reach)
    }

    pub fn http_api(scope: &Scope<'a>, api: &'a HttpApi) -> Self {
        let entry_points = http_entry_points(scope.index, api);
        let reach = routing::domain_reach(scope.index, &api.id, None);
        let side = http_side(scope, api, &entry_points, &reach);
        Backend::new(
            BackendKind::HttpApi(api),
            api.arn.clone(),
            format!("HTTP API {}", api.id),
            &api.region,
            entry_points,
            side,
        )
        .with_gates(reach)
    }

    pub fn load_balancer(scope: &Scope<'a>, lb: &'a LoadBalancer) -> Self {
        Backend::new(
            BackendKind::LoadBalancer(lb),
            lb.arn.clone(),
            format!("load balancer {}", lb.name),
            &lb.region,
            load_balancer_entry_points(lb),
            alb_side(scope, lb),
        )
    }

    pub fn function_url(scope: &Scope<'a>, function: &'a LambdaFunction) -> Self {
        Backend::new(
            BackendKind::FunctionUrl(function),
            function.arn.clone(),
            format!("function {}", function.name),
            &function.region,
            function_url_entry_points(function),
            lambda_side(scope, function),
        )
    }

    /// The API this backend belongs to, for REST stages and HTTP APIs.
    pub fn api(&self) -> Option<Api<'a>> {
        match self.kind {
            BackendKind::RestStage { api, .. } => Some(Api::Rest(api)),
            BackendKind::HttpApi(api) => Some(Api::Http(api)),
            _ => None,
        }
    }

    /// The REST stage's name, or the HTTP API's stage names joined by commas.
    pub fn stage_label(&self) -> String {
        match self.kind {
            BackendKind::RestStage { stage, .. } => stage.name.clone(),
            BackendKind::HttpApi(api) => {
                api.stages.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(",")
            }
            _ => String::new(),
        }
    }

    /// The web ACL associated with the backend itself (REST stage, load balancer).
    pub fn web_acl_arn(&self) -> Option<&'a str> {
        match self.kind {
            BackendKind::RestStage { stage, .. } => stage.web_acl_arn.as_deref(),
            BackendKind::LoadBalancer(lb) => lb.web_acl_arn.as_deref(),
            _ => None,
        }
        .filter(|a| !a.is_empty())
    }

    /// The entry points, described, for messages and evidence.
    pub fn entry_point_descriptions(&self) -> Vec<String> {
        self.entry_points.iter().map(EntryPoint::describe).collect()
    }
}

/// The aggregate exposure of several backends (the stages of one API): internet if any is,
/// unknown if any could not be decided, locked otherwise (`not-deployed` when there is none).
pub fn combined_exposure<'b>(backends: impl IntoIterator<Item = &'b Backend<'b>>) -> Exposure {
    let mut unknown = Vec::new();
    let mut locked = Vec::new();
    let mut any = false;
    for backend in backends {
        any = true;
        match &backend.exposure {
            internet @ Exposure::Internet(_) => return internet.clone(),
            Exposure::Unknown(why) => unknown.extend(why.iter().cloned()),
            Exposure::Locked(guards) => locked.extend(guards.iter().copied()),
        }
    }
    if !unknown.is_empty() {
        unknown.sort();
        unknown.dedup();
        return Exposure::Unknown(unknown);
    }
    if !any {
        locked.push("not-deployed");
    }
    locked.sort();
    locked.dedup();
    Exposure::Locked(locked)
}

// ---------------------------------------------------------------------------------------------
// Entry-point web ACLs
// ---------------------------------------------------------------------------------------------

/// A resource the internet reaches directly, behind a web ACL.
#[derive(Debug, Clone, Serialize)]
pub struct AclEntry {
    /// `distribution`, `distribution-tenant`, `rest-stage`, `load-balancer`.
    pub kind: &'static str,
    pub arn: String,
    /// `E123`, `a1b2c3/prod`, `web-alb`.
    pub name: String,
}

/// The web ACLs in front of internet-facing entry points: every enabled distribution's ACL,
/// and the ACL of every REST stage or load balancer whose exposure is `internet`. An ACL that
/// only checks the origin header of a locked backend is not in front of an entry point (the
/// lock makes the resource not one).
#[derive(Debug, Default)]
pub struct EntryAcls<'a> {
    /// ACL → the entry points it protects.
    pub acls: BTreeMap<&'a str, (&'a WebAcl, Vec<AclEntry>)>,
    /// (scope, reason) of the entry points whose ACL or exposure could not be established.
    pub not_evaluated: Vec<(String, String)>,
}

impl<'a> EntryAcls<'a> {
    pub(super) fn build(scope: &Scope<'a>, backends: &[Backend<'a>]) -> Self {
        let mut entries = EntryAcls::default();
        let account = scope.account;
        let mut add = |acl_arn: &'a str, region: &str, service: Service, entry: AclEntry| match scope
            .index
            .web_acls
            .get(acl_arn)
        {
            Some(acl) => entries.acls.entry(acl_arn).or_insert_with(|| (acl, Vec::new())).1.push(entry),
            None => {
                let reason = if account.is_collected(region, service) {
                    format!(
                        "web ACL {acl_arn} of {} {} is not in the inventory (WAF Classic, or another account)",
                        entry.kind, entry.name
                    )
                } else {
                    format!(
                        "web ACL {acl_arn} of {} {} could not be read ({service} in {region})",
                        entry.kind, entry.name
                    )
                };
                entries.not_evaluated.push((entry.arn, reason));
            }
        };
        for distribution in account.distributions.iter().filter(|d| d.enabled) {
            if let Some(acl) = distribution.web_acl_id.as_deref().filter(|a| !a.is_empty()) {
                let entry = AclEntry {
                    kind: "distribution",
                    arn: distribution.arn.clone(),
                    name: distribution.id.clone(),
                };
                add(acl, GLOBAL_REGION, Service::WafCloudfront, entry);
            }
        }
        // A tenant's `override` ACL is the entry ACL of the tenant's domains.
        for tenant in account.distribution_tenants.iter().filter(|t| t.enabled) {
            let Some(parent) =
                account.distributions.iter().find(|d| d.id == tenant.distribution_id && d.enabled)
            else {
                continue;
            };
            if let TenantAcl::Override(acl) = tenant.effective_acl(parent) {
                let entry = AclEntry {
                    kind: "distribution-tenant",
                    arn: tenant.arn.clone(),
                    name: format!("{} ({})", tenant.name, tenant.id),
                };
                add(acl, GLOBAL_REGION, Service::WafCloudfront, entry);
            }
        }
        let mut unknown = Vec::new();
        for backend in backends {
            let (Some(acl), entry) = (
                backend.web_acl_arn(),
                match backend.kind {
                    BackendKind::RestStage { api, stage } => AclEntry {
                        kind: "rest-stage",
                        arn: backend.arn.clone(),
                        name: format!("{}/{}", api.id, stage.name),
                    },
                    BackendKind::LoadBalancer(lb) => {
                        AclEntry { kind: "load-balancer", arn: lb.arn.clone(), name: lb.name.clone() }
                    }
                    _ => continue,
                },
            ) else {
                continue;
            };
            match &backend.exposure {
                Exposure::Internet(_) => add(acl, &backend.region, Service::WafRegional, entry),
                Exposure::Locked(_) => {}
                Exposure::Unknown(why) => unknown.push((entry.arn, why.join("; "))),
            }
        }
        entries.not_evaluated.extend(unknown);
        entries
    }
}

// ---------------------------------------------------------------------------------------------
// Network origins
// ---------------------------------------------------------------------------------------------

/// A load balancer or instance that a distribution reaches, with the ports it listens on and
/// the security groups in front of it.
#[derive(Debug, Clone)]
pub struct NetworkOrigin<'a> {
    pub lb: Option<&'a LoadBalancer>,
    pub instance: Option<&'a Instance>,
    pub ports: Vec<u16>,
    pub security_groups: &'a [String],
    pub region: &'a str,
    /// `distribution/origin` pairs that reach it.
    pub used_by: Vec<String>,
}

impl NetworkOrigin<'_> {
    pub fn name(&self) -> &str {
        match (self.lb, self.instance) {
            (Some(lb), _) => &lb.name,
            (_, Some(instance)) => &instance.id,
            _ => "",
        }
    }

    pub fn label(&self) -> String {
        match (self.lb, self.instance) {
            (Some(lb), _) => format!("load balancer {}", lb.name),
            (_, Some(instance)) => format!("instance {}", instance.id),
            _ => String::new(),
        }
    }
}

/// The load balancers with a public entry point and the instances that are origins of a
/// distribution.
pub(super) fn network_origins<'a>(scope: &Scope<'a>) -> Vec<NetworkOrigin<'a>> {
    let used_by =
        |arn: &str| -> Vec<String> { scope.index.origins_reaching(arn).iter().map(|u| u.label()).collect() };
    let mut out = Vec::new();
    for lb in scope.account.load_balancers.iter().filter(|lb| lb.scheme != "internal") {
        let users = used_by(&lb.arn);
        if !users.is_empty() {
            out.push(NetworkOrigin {
                lb: Some(lb),
                instance: None,
                ports: crate::network::listener_ports(lb),
                security_groups: &lb.security_groups,
                region: &lb.region,
                used_by: users,
            });
        }
    }
    for instance in &scope.account.instances {
        let users = used_by(&instance.arn);
        if !users.is_empty() {
            out.push(NetworkOrigin {
                lb: None,
                instance: Some(instance),
                ports: scope.options.listener_ports.clone(),
                security_groups: &instance.security_groups,
                region: &instance.region,
                used_by: users,
            });
        }
    }
    out
}
