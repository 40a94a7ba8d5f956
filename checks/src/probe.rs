//! Active probes: what an origin answered to a request that went around CloudFront (or, with
//! `--probe-through-cloudfront`, through it).
//!
//! The binary sends the requests (`edge-audit::probe`) and classifies the answers; this module
//! holds the results as plain data and the logic the probe checks (EA601–EA606) share. Nothing
//! here touches the network: checks stay pure functions, of the inventory and of these results.
//!
//! A probe never carries a secret: no credentials, no cookies, none of the distribution's custom
//! origin headers. So a result never holds one either; its `headers` are a short list of response
//! headers that identify who answered ([`RELEVANT_HEADERS`]).

use crate::check::{CheckMeta, Context, Output};
use crate::finding::{Confidence, Finding, ResourceRef, Severity};
use crate::index::{host_of, ResolvedOrigin};
use crate::origin::OriginKind;
use crate::perimeter::BackendKind;
use crate::resource::AsResource;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Response headers a probe result keeps (lower-case): the ones that say who answered.
pub const RELEVANT_HEADERS: &[&str] = &[
    "server",
    "x-amzn-errortype",
    "x-amzn-requestid",
    "x-amz-cf-id",
    "x-cache",
    "via",
    "content-type",
    "location",
];

/// How the request reached the origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeVia {
    /// Straight to the origin's own endpoint, as an attacker who knows it would.
    Direct,
    /// To the distribution, on a path routed to the origin (`--probe-through-cloudfront`).
    Cloudfront,
}

impl ProbeVia {
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeVia::Direct => "direct",
            ProbeVia::Cloudfront => "cloudfront",
        }
    }
}

/// Who refused the request, if anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeClassification {
    /// Refused before any application code ran: API Gateway (resource policy, API key, IAM,
    /// authorizer), AWS WAF, an ALB fixed response, Lambda URL IAM auth, CloudFront's edge.
    BlockedByGateway,
    /// A 401/403 without a gateway's marker: the application refused, after it ran (and billed).
    BlockedByApplication,
    /// The origin answered: 2xx, 3xx, 404 or another 4xx, 5xx.
    Reachable,
    /// No answer to judge: DNS failure, timeout, TLS error, connection refused.
    Inconclusive,
}

impl ProbeClassification {
    pub fn as_str(self) -> &'static str {
        match self {
            ProbeClassification::BlockedByGateway => "blocked_by_gateway",
            ProbeClassification::BlockedByApplication => "blocked_by_application",
            ProbeClassification::Reachable => "reachable",
            ProbeClassification::Inconclusive => "inconclusive",
        }
    }
}

impl fmt::Display for ProbeClassification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One probe request and what came back. Sorted by account, distribution, origin, via, URL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeResult {
    pub account: String,
    pub distribution_id: String,
    pub distribution_arn: String,
    pub origin_id: String,
    pub origin_kind: OriginKind,
    pub via: ProbeVia,
    /// The URL requested (never carries a secret).
    pub url: String,
    /// `GET` or `HEAD`.
    pub method: String,
    /// The HTTP status; `None` when no answer came.
    pub status: Option<u16>,
    pub classification: ProbeClassification,
    /// What identified the refusing gateway (`x-amzn-ErrorType: ForbiddenException`,
    /// `server: awselb/2.0`).
    pub marker: Option<String>,
    /// The [`RELEVANT_HEADERS`] of the response (lower-case names).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    pub duration_ms: u64,
    /// Why there was no answer (inconclusive probes).
    pub error: Option<String>,
}

impl ProbeResult {
    /// The host the request went to.
    pub fn host(&self) -> &str {
        host_of(&self.url)
    }

    /// `GET https://host/path → 403 (blocked_by_gateway: x-amzn-ErrorType: ForbiddenException)`.
    pub fn summary(&self) -> String {
        let answer = match (self.status, &self.error) {
            (Some(status), _) => status.to_string(),
            (None, Some(error)) => format!("no answer ({error})"),
            (None, None) => "no answer".to_string(),
        };
        match &self.marker {
            Some(marker) => {
                format!("{} {} → {answer} ({}: {marker})", self.method, self.url, self.classification)
            }
            None => format!("{} {} → {answer} ({})", self.method, self.url, self.classification),
        }
    }

    /// Whether CloudFront itself refused (its own error page: a CloudFront WAF block or a geo
    /// restriction), rather than passing on an origin's refusal.
    pub fn refused_by_cloudfront_edge(&self) -> bool {
        self.headers.get("server").is_some_and(|s| s.eq_ignore_ascii_case("cloudfront"))
            && !self.headers.contains_key("x-amzn-errortype")
    }

    /// The evidence a finding carries about this probe.
    fn evidence(&self) -> serde_json::Value {
        serde_json::json!({
            "distribution_id": self.distribution_id,
            "origin_id": self.origin_id,
            "via": self.via,
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "classification": self.classification,
            "marker": self.marker,
            "headers": self.headers,
        })
    }
}

/// The resource a probe is about: the backend behind the origin in the perimeter model (the API
/// of a stage or custom domain, the load balancer, the function) or the instance, when the
/// inventory has it, else the distribution.
fn probed_resource(ctx: &Context<'_>, probe: &ProbeResult) -> Option<(ResourceRef, String)> {
    let account = ctx.account_id();
    let distribution = ctx.account.distributions.iter().find(|d| d.id == probe.distribution_id)?;
    let fallback = || (distribution.resource(account), format!("{} {}", distribution.id, probe.origin_id));
    let Some(origin) = distribution.origin(&probe.origin_id) else {
        return Some(fallback());
    };
    let lock = ctx.perimeter.locks.iter().find(|l| std::ptr::eq(l.origin, origin));
    let backend = lock.and_then(|l| l.targets.first()).map(|t| &t.backend);
    let (resource, label) = match (backend.map(|b| b.kind), ctx.index.resolve_origin(origin)) {
        (Some(BackendKind::RestStage { api, .. }), _) => (api.resource(account), "API"),
        (Some(BackendKind::HttpApi(api)), _) => (api.resource(account), "API"),
        (Some(BackendKind::LoadBalancer(lb)), _) => (lb.resource(account), "Load balancer"),
        (Some(BackendKind::FunctionUrl(function)), _) => (function.resource(account), "Function URL of"),
        // No backend (a stage the inventory lacks …): what the origin's domain names.
        (None, ResolvedOrigin::RestApi(api)) => (api.resource(account), "API"),
        (None, ResolvedOrigin::HttpApi(api)) => (api.resource(account), "API"),
        (None, ResolvedOrigin::LoadBalancer(lb)) => (lb.resource(account), "Load balancer"),
        (None, ResolvedOrigin::LambdaUrl(function)) => (function.resource(account), "Function URL of"),
        (None, ResolvedOrigin::Instance(instance)) => (instance.resource(account), "Instance"),
        _ => return Some(fallback()),
    };
    let name = match &resource.name {
        Some(name) if name != &resource.id => format!("{label} {} ({name})", resource.id),
        _ => format!("{label} {}", resource.id),
    };
    Some((resource, name))
}

/// EA601–EA604: findings for the direct probes of the origins `kind` accepts. One finding per
/// backend resource and host; `reachable` at the check's default severity, refused by the
/// application only at `application_severity`.
pub(crate) fn report_direct(
    ctx: &Context<'_>,
    out: &mut Output,
    meta: &'static CheckMeta,
    kind: fn(&OriginKind) -> bool,
    application_severity: Severity,
) {
    type Group<'p> = (ResourceRef, String, Vec<&'p ProbeResult>);
    let mut groups: BTreeMap<(String, String), Group<'_>> = BTreeMap::new();
    for probe in ctx.account_probes() {
        if probe.via != ProbeVia::Direct
            || !kind(&probe.origin_kind)
            || !matches!(
                probe.classification,
                ProbeClassification::Reachable | ProbeClassification::BlockedByApplication
            )
        {
            continue;
        }
        let Some((resource, name)) = probed_resource(ctx, probe) else {
            continue;
        };
        let host = probe.host().to_string();
        groups
            .entry((resource.arn.clone(), host))
            .or_insert_with(|| (resource, name, Vec::new()))
            .2
            .push(probe);
    }
    for ((_, host), (resource, name, probes)) in groups {
        let distributions: BTreeSet<&str> = probes.iter().map(|p| p.distribution_id.as_str()).collect();
        let distributions = distributions.into_iter().collect::<Vec<_>>().join(", ");
        let reachable: Vec<&&ProbeResult> =
            probes.iter().filter(|p| p.classification == ProbeClassification::Reachable).collect();
        let (severity, message) = match reachable.first() {
            Some(first) => (
                meta.default_severity,
                format!(
                    "{name} answers requests that go around distribution {distributions}: {} — \
                     nothing in front of the application refused it",
                    first.summary()
                ),
            ),
            None => (
                application_severity,
                format!(
                    "{name} refuses direct requests only in the application: {} — every such request \
                     still runs (and bills) the backend and skips distribution {distributions}'s web \
                     ACL, rate limits and Shield",
                    probes[0].summary()
                ),
            ),
        };
        let evidence: Vec<serde_json::Value> = probes.iter().map(|p| p.evidence()).collect();
        out.push(
            Finding::new(meta, resource, message)
                .severity(severity)
                .evidence("probes", evidence)
                .evidence("reachable", !reachable.is_empty())
                .detail(host),
        );
    }
}

/// EA605: every probe that got no answer to judge is "not evaluated", with the reason.
pub(crate) fn report_inconclusive(ctx: &Context<'_>, out: &mut Output, meta: &CheckMeta) {
    for probe in ctx.account_probes() {
        if probe.classification != ProbeClassification::Inconclusive {
            continue;
        }
        let scope =
            probed_resource(ctx, probe).map(|(r, _)| r.arn).unwrap_or_else(|| probe.distribution_arn.clone());
        let reason = format!(
            "probe {} {} ({} to origin {} of distribution {}) got no answer: {}",
            probe.method,
            probe.url,
            probe.via.as_str(),
            probe.origin_id,
            probe.distribution_id,
            probe.error.as_deref().unwrap_or("unknown error")
        );
        out.not_evaluated(meta, scope, reason);
    }
}

/// EA606: the distribution itself gets a 403 from its origin on a path routed to it.
pub(crate) fn report_cloudfront_refused(ctx: &Context<'_>, out: &mut Output, meta: &'static CheckMeta) {
    let account = ctx.account_id();
    for probe in ctx.account_probes() {
        if probe.via != ProbeVia::Cloudfront
            || probe.status != Some(403)
            || probe.refused_by_cloudfront_edge()
            || !matches!(
                probe.classification,
                ProbeClassification::BlockedByGateway | ProbeClassification::BlockedByApplication
            )
        {
            continue;
        }
        let Some(distribution) = ctx.account.distributions.iter().find(|d| d.id == probe.distribution_id)
        else {
            continue;
        };
        let who = probe.marker.as_deref().map(|m| format!(" ({m})")).unwrap_or_default();
        out.push(
            Finding::new(
                meta,
                distribution.resource(account),
                format!(
                    "Distribution {} answers {} {} with a 403 from its origin {}{who}: the origin refuses \
                     CloudFront's own requests — the secret CloudFront sends does not match what the \
                     origin checks, or the origin path or stage is wrong",
                    distribution.id, probe.method, probe.url, probe.origin_id
                ),
            )
            .confidence(Confidence::Medium)
            .evidence("probe", probe.evidence())
            .detail(format!("{} {}", probe.origin_id, probe.url)),
        );
    }
}
