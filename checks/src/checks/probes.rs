//! What the probe checks (EA601–EA606) share: findings from probe results, attributed to the
//! backend behind each probed origin in the perimeter model.

use crate::check::{CheckMeta, Context, Output};
use crate::finding::{Confidence, Finding, ResourceRef, Severity};
use crate::index::ResolvedOrigin;
use crate::origin::OriginKind;
use crate::perimeter::BackendKind;
use crate::probe::{ProbeClassification, ProbeResult, ProbeVia};
use crate::resource::AsResource;
use std::collections::{BTreeMap, BTreeSet};

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
    // A templated origin is probed per tenant: the tenant's lock is the one the probe names
    // (results saved before probes named their tenant: the one whose origin has the probed host).
    let tenant_lock = |l: &&crate::perimeter::Lock<'_>| {
        l.tenant.is_some() && std::ptr::eq(l.distribution, distribution) && l.origin.id == origin.id
    };
    let lock = match &probe.tenant_id {
        Some(tenant) => {
            ctx.perimeter.locks.iter().filter(tenant_lock).find(|l| l.tenant.is_some_and(|t| &t.id == tenant))
        }
        None => ctx.perimeter.locks.iter().find(|l| std::ptr::eq(l.origin, origin)).or_else(|| {
            ctx.perimeter
                .locks
                .iter()
                .filter(tenant_lock)
                .find(|l| l.origin.domain_name.eq_ignore_ascii_case(probe.host()))
        }),
    };
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
