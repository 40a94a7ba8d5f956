//! Drift: what changed in the perimeter between two inventories of the same accounts.
//!
//! [`compare`] is a pure function over two [`Inventory`]s that returns typed [`Change`]s, each
//! classified weakened, strengthened or neutral; [`attach_findings`] adds the findings that
//! appeared or disappeared with each change (the checks run on both inventories, diffed by
//! fingerprint); [`DriftReport`] turns the whole into EA701/EA702 findings and renders it.
//!
//! Fail closed: a resource that is missing from one inventory is only "created" or "deleted"
//! when its service was read completely in that region of that inventory; otherwise the pair
//! is listed as not compared.

mod compare;
pub mod render;

pub use compare::compare;

use edge_audit_checks::{Finding, ResourceRef, Severity};
use serde::Serialize;
use std::collections::BTreeSet;

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
            Classification::Weakened => "weakened",
            Classification::Strengthened => "strengthened",
            Classification::Neutral => "neutral",
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
    pub fn of(finding: &Finding) -> FindingRef {
        FindingRef {
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

/// Adds to each change the findings that appeared or disappeared on its resource (the same ARN,
/// or an ARN beneath it: an API's stages); returns those on no changed resource.
pub fn attach_findings(changes: &mut [Change], before: &[Finding], after: &[Finding]) -> Unattributed {
    let before_fps: BTreeSet<String> = before.iter().map(Finding::fingerprint).collect();
    let after_fps: BTreeSet<String> = after.iter().map(Finding::fingerprint).collect();
    let appeared: Vec<&Finding> = after.iter().filter(|f| !before_fps.contains(&f.fingerprint())).collect();
    let disappeared: Vec<&Finding> =
        before.iter().filter(|f| !after_fps.contains(&f.fingerprint())).collect();
    let mut unattributed = Unattributed::default();
    let covers = |change: &Change, finding: &Finding| {
        let arn = finding.resource.arn.as_str();
        let base = change.resource.arn.as_str();
        arn == base || arn.strip_prefix(base).is_some_and(|rest| rest.starts_with('/'))
    };
    for (list, target_is_appeared) in [(&appeared, true), (&disappeared, false)] {
        for finding in list.iter() {
            let mut attached = false;
            for change in changes.iter_mut().filter(|c| covers(c, finding)) {
                attached = true;
                let target = if target_is_appeared { &mut change.appeared } else { &mut change.disappeared };
                target.push(FindingRef::of(finding));
            }
            if !attached {
                let target = if target_is_appeared {
                    &mut unattributed.appeared
                } else {
                    &mut unattributed.disappeared
                };
                target.push(FindingRef::of(finding));
            }
        }
    }
    for change in changes.iter_mut() {
        change.appeared.sort();
        change.disappeared.sort();
    }
    unattributed.appeared.sort();
    unattributed.disappeared.sort();
    unattributed
}

pub use render::DriftReport;
