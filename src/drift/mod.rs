//! Drift: what changed in the perimeter between two inventories of the same accounts.
//!
//! [`compare`] is a pure function over two [`Inventory`]s that describes what changed, as typed
//! [`Change`]s; [`classify`] attaches the findings that appeared or disappeared with each change
//! (the checks run on both inventories, diffed by fingerprint) and decides, from them and from
//! the perimeter model of both inventories, whether the change weakened or strengthened the
//! perimeter — drift has no rules of its own, so it can never disagree with `scan`;
//! [`DriftReport`] turns the whole into EA701/EA702 findings and renders it.
//!
//! Fail closed: a resource that is missing from one inventory is only "created" or "deleted"
//! when its service was read completely in that region of that inventory; otherwise the pair
//! is listed as not compared.

mod compare;
pub mod render;

pub use compare::compare;

use edge_audit_checks::model::{AccountModel, Indexes, Model};
use edge_audit_checks::registry;
use edge_audit_checks::{Check, CheckOptions, Finding, Inventory, ResourceRef, Severity};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Whether a change weakens the perimeter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Classification {
    Weakened,
    Strengthened,
    Neutral,
}

impl Classification {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weakened => "weakened",
            Self::Strengthened => "strengthened",
            Self::Neutral => "neutral",
        }
    }
}

/// What changed. Serialised in snake_case (`web_acl_removed`): a public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeType {
    DistributionCreated,
    DistributionDeleted,
    ApiCreated,
    ApiDeleted,
    LoadBalancerCreated,
    LoadBalancerDeleted,
    WebAclCreated,
    WebAclDeleted,
    /// A web ACL's default action changed (Allow ↔ Block).
    WebAclDefaultActionChanged,
    /// Rules of a web ACL were added, removed or changed (action, Count override, statement).
    WebAclRulesChanged,
    SecurityGroupCreated,
    SecurityGroupDeleted,
    /// A REST API stage was created (or deleted, below).
    StageCreated,
    StageDeleted,
    /// A REST API method or an HTTP API route was created (or deleted, below).
    RouteCreated,
    RouteDeleted,
    /// A web ACL now protects a distribution, REST API stage or load balancer.
    WebAclAssociated,
    WebAclRemoved,
    WebAclReplaced,
    OriginSecretAdded,
    OriginSecretRemoved,
    /// Same header, new value (the fingerprint changed).
    OriginSecretRotated,
    ExecuteApiEndpointEnabled,
    ExecuteApiEndpointDisabled,
    EndpointTypeChanged,
    ApiKeyRequirementChanged,
    AuthorizationChanged,
    SgIngressOpened,
    SgIngressClosed,
    ListenerRulesChanged,
    LambdaUrlCreated,
    LambdaUrlDeleted,
    LambdaUrlAuthTypeChanged,
    CachePolicyChanged,
    /// A custom domain name's routing mode or routing rules changed (rules added, removed, or
    /// their priority, header conditions or target changed): who the domain lets through.
    RoutingRulesChanged,
    /// A behavior's edge code changed: its Lambda@Edge or CloudFront Function associations
    /// (an origin-request signer, a viewer-request check) were added, removed or replaced.
    EdgeFunctionsChanged,
    /// An origin now sends CloudFront's requests elsewhere: its domain, origin path or VPC
    /// origin changed, or, for a tenant of a multi-tenant distribution, the parameters that
    /// fill its templated origin in (the tenant moved to another backend).
    OriginTargetChanged,
}

impl ChangeType {
    pub fn as_str(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }
}

/// A finding that appeared or disappeared between the two inventories.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FindingRef {
    pub check_id: String,
    pub title: String,
    pub severity: Severity,
    pub resource: String,
    pub message: String,
    pub fingerprint: String,
}

impl FindingRef {
    pub fn of(finding: &Finding) -> Self {
        Self {
            check_id: finding.check_id.clone(),
            title: finding.title.clone(),
            severity: finding.severity,
            resource: finding.resource.arn.clone(),
            message: finding.message.clone(),
            fingerprint: finding.fingerprint(),
        }
    }
}

/// One perimeter change on one resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub resource: ResourceRef,
    pub change_type: ChangeType,
    pub classification: Classification,
    /// What, within the resource, changed (`origin api, header x-origin-verify`, `GET /items`,
    /// `stage prod`); empty when the resource itself changed. Part of the EA701/EA702
    /// fingerprint.
    pub detail: String,
    /// One sentence, resource first.
    pub summary: String,
    /// The relevant settings before and after, secret-free (secrets appear as fingerprints).
    pub before: serde_json::Value,
    pub after: serde_json::Value,
    /// Findings present after the change and not before, on this resource.
    pub appeared: Vec<FindingRef>,
    /// Findings present before the change and not after, on this resource.
    pub disappeared: Vec<FindingRef>,
}

/// A part of the inventories that could not be compared (not read in one of them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NotCompared {
    pub account: String,
    /// A region, `global`, or `account`.
    pub scope: String,
    pub reason: String,
}

/// Findings that appeared or disappeared on resources with no change of their own.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Unattributed {
    pub appeared: Vec<FindingRef>,
    pub disappeared: Vec<FindingRef>,
}

/// The resources a change bears on: its own, and those whose perimeter verdict depends on it —
/// the load balancers and instances a security group fronts, the resources a web ACL is
/// associated with. Findings on any of them (or beneath them: an API's stages) belong to it.
fn bearing(change: &Change, accounts: &[&AccountModel<'_>]) -> BTreeSet<String> {
    let mut arns = BTreeSet::from([change.resource.arn.clone()]);
    // An association change bears on the web ACLs on either side too (what they front changed).
    for side in [&change.before, &change.after] {
        if let Some(acl) = side.get("web_acl").and_then(Value::as_str) {
            arns.insert(acl.to_string());
        }
    }
    for judged in accounts.iter().filter(|a| a.account.account_id == change.resource.account) {
        let (account, index) = (judged.account, judged.index);
        match change.change_type {
            ChangeType::SgIngressOpened
            | ChangeType::SgIngressClosed
            | ChangeType::SecurityGroupCreated
            | ChangeType::SecurityGroupDeleted => {
                let id = change.resource.id.as_str();
                let fronts = |groups: &[String]| groups.iter().any(|g| g == id);
                arns.extend(
                    account
                        .load_balancers
                        .iter()
                        .filter(|lb| fronts(&lb.security_groups))
                        .map(|lb| lb.arn.clone()),
                );
                arns.extend(
                    account.instances.iter().filter(|i| fronts(&i.security_groups)).map(|i| i.arn.clone()),
                );
            }
            ChangeType::WebAclRulesChanged
            | ChangeType::WebAclDefaultActionChanged
            | ChangeType::WebAclCreated
            | ChangeType::WebAclDeleted => {
                if let Some(users) = index.web_acl_users(&change.resource.arn) {
                    arns.extend(users.iter().cloned());
                }
            }
            ChangeType::OriginTargetChanged => {
                // The backends the origin reached before and those it reaches now (each side's
                // index names its own): whether they are locked to this distribution or tenant.
                let arn = change.resource.arn.as_str();
                match change.resource.resource_type.as_str() {
                    "cloudfront/distribution-tenant" => arns.extend(index.reached_by_tenant(arn)),
                    _ => arns.extend(index.reached_by_distribution(arn)),
                }
            }
            ChangeType::EdgeFunctionsChanged => {
                // What the distribution's origins reach: a signer signs for those backends, so
                // whether they are reachable around CloudFront depends on it.
                let distribution = change.resource.arn.as_str();
                arns.extend(index.reached_by_distribution(distribution));
            }
            ChangeType::RoutingRulesChanged => {
                // The APIs the domain routes to on either side, and the distributions whose
                // origin is the domain (EA305 judges the rules from there).
                let domain = change.resource.id.as_str();
                let routed: BTreeSet<&str> = [&change.before, &change.after]
                    .into_iter()
                    .flat_map(|side| side.get("api_ids").and_then(Value::as_array).into_iter().flatten())
                    .filter_map(Value::as_str)
                    .collect();
                arns.extend(
                    account
                        .rest_apis
                        .iter()
                        .filter(|api| {
                            routed.contains(api.id.as_str()) && api.region == change.resource.region
                        })
                        .map(|api| api.arn.clone()),
                );
                arns.extend(
                    account
                        .distributions
                        .iter()
                        .filter(|d| d.origins.iter().any(|o| o.domain_name.eq_ignore_ascii_case(domain)))
                        .map(|d| d.arn.clone()),
                );
            }
            _ => {}
        }
        // A distribution's changes bear on its tenants, which serve its origins and inherit its
        // web ACL.
        if change.resource.resource_type == "cloudfront/distribution" {
            arns.extend(
                account
                    .distribution_tenants
                    .iter()
                    .filter(|t| t.distribution_id == change.resource.id)
                    .map(|t| t.arn.clone()),
            );
        }
        // The web ACLs of the resource itself or beneath it (an API's stages): whether they
        // front an entry point depends on the resource's exposure.
        let own = |arn: &str| covered(&BTreeSet::from([change.resource.arn.clone()]), arn);
        let acls = account
            .distributions
            .iter()
            .filter(|d| own(&d.arn))
            .filter_map(|d| d.web_acl_id.clone())
            .chain(
                account
                    .rest_apis
                    .iter()
                    .filter(|api| own(&api.arn))
                    .flat_map(|api| api.stages.iter().filter_map(|s| s.web_acl_arn.clone())),
            )
            .chain(
                account
                    .load_balancers
                    .iter()
                    .filter(|lb| own(&lb.arn))
                    .filter_map(|lb| lb.web_acl_arn.clone()),
            );
        arns.extend(acls);
        // The distributions whose origins reach any of these: whether CloudFront's own
        // requests get through depends on them (EA305, EA106 are about the distribution).
        let reached: Vec<String> = arns
            .iter()
            .flat_map(|arn| [arn.as_str(), arn.split("/stages/").next().unwrap_or(arn)])
            .flat_map(|arn| index.origins_reaching(arn).into_iter().map(|u| u.distribution.arn.clone()))
            .collect();
        arns.extend(reached);
    }
    arns
}

/// Whether `arn` is one of `arns` or beneath one (`…/restapis/abc/stages/prod` beneath the API).
fn covered(arns: &BTreeSet<String>, arn: &str) -> bool {
    arns.iter().any(|base| arn == base || arn.strip_prefix(base.as_str()).is_some_and(|r| r.starts_with('/')))
}

/// The exposure rank ([`edge_audit_checks::perimeter::Exposure::rank`]) of every backend of an inventory, by ARN: what the
/// perimeter model says about each public entry point's backend.
fn exposure_ranks(model: &Model<'_>) -> BTreeMap<String, u8> {
    let mut ranks = BTreeMap::new();
    for judged in &model.accounts {
        for backend in &judged.perimeter.backends {
            ranks.insert(backend.arn.clone(), backend.exposure.rank());
        }
    }
    ranks
}

/// Attaches to each change the findings that appeared or disappeared on the resources it bears
/// on, and classifies it: **weakened** when a finding at or above medium appeared there or the
/// perimeter verdict of a backend there got worse (locked → unknown → reachable from the
/// internet); **strengthened** in the opposite case (and not weakened); otherwise **neutral**.
/// Returns the findings on no changed resource.
pub fn classify(
    changes: &mut [Change],
    (before, before_findings): (&Model<'_>, &[Finding]),
    (after, after_findings): (&Model<'_>, &[Finding]),
) -> Unattributed {
    let before_fps: BTreeSet<String> = before_findings.iter().map(Finding::fingerprint).collect();
    let after_fps: BTreeSet<String> = after_findings.iter().map(Finding::fingerprint).collect();
    let appeared: Vec<&Finding> =
        after_findings.iter().filter(|f| !before_fps.contains(&f.fingerprint())).collect();
    let disappeared: Vec<&Finding> =
        before_findings.iter().filter(|f| !after_fps.contains(&f.fingerprint())).collect();
    let (ranks_before, ranks_after) = (exposure_ranks(before), exposure_ranks(after));
    let accounts: Vec<&AccountModel<'_>> = before.accounts.iter().chain(&after.accounts).collect();
    let mut attached = BTreeSet::new();
    for change in changes.iter_mut() {
        let arns = bearing(change, &accounts);
        for finding in appeared.iter().filter(|f| covered(&arns, &f.resource.arn)) {
            attached.insert(finding.fingerprint());
            change.appeared.push(FindingRef::of(finding));
        }
        for finding in disappeared.iter().filter(|f| covered(&arns, &f.resource.arn)) {
            attached.insert(finding.fingerprint());
            change.disappeared.push(FindingRef::of(finding));
        }
        change.appeared.sort();
        change.disappeared.sort();
        let serious = |list: &[FindingRef]| list.iter().any(|f| f.severity >= Severity::Medium);
        let (mut worse, mut better) = (serious(&change.appeared), serious(&change.disappeared));
        let backends: BTreeSet<&String> =
            ranks_before.keys().chain(ranks_after.keys()).filter(|arn| covered(&arns, arn)).collect();
        for arn in backends {
            // A backend on one side only: created (or deleted) reachable is a way in more (less).
            let (b, a) =
                (ranks_before.get(arn).copied().unwrap_or(0), ranks_after.get(arn).copied().unwrap_or(0));
            worse |= a > b;
            better |= a < b;
        }
        change.classification = match (worse, better) {
            (true, _) => Classification::Weakened,
            (false, true) => Classification::Strengthened,
            (false, false) => Classification::Neutral,
        };
    }
    changes.sort_by(|x, y| {
        (x.classification, &x.resource.arn, x.change_type, &x.detail).cmp(&(
            y.classification,
            &y.resource.arn,
            y.change_type,
            &y.detail,
        ))
    });
    let mut unattributed = Unattributed {
        appeared: appeared
            .iter()
            .filter(|f| !attached.contains(&f.fingerprint()))
            .map(|f| FindingRef::of(f))
            .collect(),
        disappeared: disappeared
            .iter()
            .filter(|f| !attached.contains(&f.fingerprint()))
            .map(|f| FindingRef::of(f))
            .collect(),
    };
    unattributed.appeared.sort();
    unattributed.disappeared.sort();
    unattributed
}

/// What drift found between two inventories.
#[derive(Debug)]
pub struct Analysis {
    /// Classified, weakened first.
    pub changes: Vec<Change>,
    pub not_compared: Vec<NotCompared>,
    pub unattributed: Unattributed,
}

/// The whole comparison: what changed ([`compare`]), the findings of `checks` on both sides
/// (with the configured severity remaps, as `scan` reports them), and the classification
/// ([`classify`]).
pub fn analyse(
    before: &Inventory,
    after: &Inventory,
    checks: &[&'static dyn Check],
    options: &CheckOptions,
    severity_remaps: &BTreeMap<String, Severity>,
) -> Analysis {
    let (mut changes, not_compared) = compare(before, after, options);
    // Each side judged once: its checks and the exposure ranks read the same model.
    let (indexes_before, indexes_after) = (Indexes::build(before), Indexes::build(after));
    let model_before = Model::build(before, &indexes_before, options);
    let model_after = Model::build(after, &indexes_after, options);
    let findings = |model: &Model<'_>| {
        let mut outcome = registry::run_model(model, checks, None);
        for finding in &mut outcome.findings {
            if let Some(severity) = severity_remaps.get(&finding.check_id) {
                finding.severity = *severity;
            }
        }
        outcome.findings
    };
    let (found_before, found_after) = (findings(&model_before), findings(&model_after));
    let unattributed = classify(&mut changes, (&model_before, &found_before), (&model_after, &found_after));
    Analysis { changes, not_compared, unattributed }
}

pub use render::{DriftReport, Format};
