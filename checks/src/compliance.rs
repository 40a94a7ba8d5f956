//! Which compliance controls each check evidences: AWS Foundational Security Best Practices
//! (FSBP, the Security Hub standard), the CIS AWS Foundations Benchmark and NIST SP 800-53 Rev. 5.
//!
//! One table, keyed by check id, in this one file (the check files stay about their logic). Every
//! mapping carries a one-line rationale: an auditor reads it to decide whether the check is
//! evidence for the control. A check that evidences no control says why instead
//! ([`Mapping::NoControl`]); a test requires every check of the registry to be in the table.
//!
//! A mapping says the check's *finding* is a failure of the control (or of part of it); no
//! finding is evidence the control holds for what the check reads, never for the whole control.

use crate::check::CheckMeta;
use serde::Serialize;

/// A compliance framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    /// AWS Foundational Security Best Practices (Security Hub CSPM standard).
    Fsbp,
    /// CIS Amazon Web Services Foundations Benchmark v3.0.0.
    Cis,
    /// NIST SP 800-53 Rev. 5.
    #[serde(rename = "nist-800-53")]
    Nist80053,
}

impl Framework {
    pub const ALL: [Self; 3] = [Self::Fsbp, Self::Cis, Self::Nist80053];

    /// The name used on the command line and in reports: `fsbp`, `cis`, `nist-800-53`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fsbp => "fsbp",
            Self::Cis => "cis",
            Self::Nist80053 => "nist-800-53",
        }
    }

    /// The standard's full name, as Security Hub and OCSF consumers spell it.
    pub fn standard(self) -> &'static str {
        match self {
            Self::Fsbp => "AWS Foundational Security Best Practices v1.0.0",
            Self::Cis => "CIS AWS Foundations Benchmark v3.0.0",
            Self::Nist80053 => "NIST SP 800-53 Rev. 5",
        }
    }

    /// A control's identifier as a requirement string (ASFF `Compliance.RelatedRequirements`,
    /// SARIF tags): `FSBP CloudFront.6`, `CIS 5.2`, `NIST.800-53.r5 SC-7`.
    pub fn requirement(self, control: &str) -> String {
        match self {
            Self::Fsbp => format!("FSBP {control}"),
            Self::Cis => format!("CIS {control}"),
            Self::Nist80053 => format!("NIST.800-53.r5 {control}"),
        }
    }
}

impl std::fmt::Display for Framework {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One control a check evidences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Control {
    pub framework: Framework,
    /// `CloudFront.6`, `5.2`, `SC-7`.
    pub id: &'static str,
    /// Why a finding of the check is a failure of this control.
    pub rationale: &'static str,
}

impl Control {
    /// The control's title in its framework.
    pub fn title(&self) -> &'static str {
        control_title(self.framework, self.id).unwrap_or("")
    }
}

/// What the table says about one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapping {
    Controls(&'static [Control]),
    /// No control of these frameworks fits; the reason says why.
    NoControl(&'static str),
}

const fn fsbp(id: &'static str, rationale: &'static str) -> Control {
    Control { framework: Framework::Fsbp, id, rationale }
}
const fn cis(id: &'static str, rationale: &'static str) -> Control {
    Control { framework: Framework::Cis, id, rationale }
}
const fn nist(id: &'static str, rationale: &'static str) -> Control {
    Control { framework: Framework::Nist80053, id, rationale }
}

const SC7_BYPASS: &str =
    "the backend accepts traffic that goes around the managed boundary (CloudFront, WAF, Shield)";
const AC4_BYPASS: &str =
    "information flows to the backend are not restricted to the path through the distribution";

/// The table: every check id of the catalogue, in id order.
const TABLE: &[(&str, Mapping)] = &[
    ("EA101", Mapping::Controls(&[
        fsbp("CloudFront.6", "CloudFront.6 requires a web ACL on every distribution; EA101 finds distributions without one"),
        nist("SC-7", "without a web ACL the distribution's boundary filters no application-layer attack"),
        nist("SI-4", "a web ACL is where the edge inspects and records requests; none means no monitoring at the edge"),
    ])),
    ("EA102", Mapping::Controls(&[
        fsbp("CloudFront.3", "CloudFront.3 requires encryption in transit for viewers; EA102 finds behaviors that allow plain HTTP"),
        nist("SC-8", "viewer traffic over plain HTTP is neither confidential nor integrity-protected"),
    ])),
    ("EA103", Mapping::Controls(&[
        fsbp("CloudFront.9", "CloudFront.9 requires encrypted traffic to custom origins; EA103 finds origins reached over HTTP"),
        fsbp("CloudFront.10", "CloudFront.10 forbids deprecated SSL protocols to custom origins; EA103 finds SSLv3/TLSv1/TLSv1.1"),
        nist("SC-8", "the hop from the edge to the origin is unencrypted or uses a broken protocol"),
    ])),
    ("EA104", Mapping::Controls(&[
        nist("SC-4", "a cached API response of one viewer can be served to another: information in shared resources"),
    ])),
    ("EA105", Mapping::Controls(&[
        nist("CM-6", "the origin request policy is misconfigured for API Gateway, which then refuses or misroutes requests"),
    ])),
    ("EA106", Mapping::Controls(&[
        nist("SC-7", SC7_BYPASS),
        nist("AC-4", AC4_BYPASS),
    ])),
    ("EA107", Mapping::Controls(&[
        nist("IA-5", "the origin secret is an authenticator of the distribution; a short or guessable one fails authenticator strength"),
        nist("SC-7", "a guessable secret lets anyone pass the origin's lock and go around the boundary"),
    ])),
    ("EA108", Mapping::Controls(&[
        nist("IA-5", "one secret shared by several distributions or origins cannot be rotated or revoked per use"),
    ])),
    ("EA110", Mapping::Controls(&[
        nist("SI-3", "without AWS managed rule groups the entry point does not filter known malicious requests"),
        nist("SC-7", "the boundary's web ACL lacks the baseline protections of the managed rule groups"),
    ])),
    ("EA111", Mapping::Controls(&[
        nist("SC-5", "no blocking rate-based rule: the entry point does not limit request floods"),
    ])),
    ("EA112", Mapping::Controls(&[
        nist("SC-5", "without Shield Advanced the distribution lacks layer 3/4/7 DDoS protection and response"),
    ])),
    ("EA113", Mapping::Controls(&[
        fsbp("CloudFront.16", "CloudFront.16 requires origin access control for Lambda function URL origins; EA113 finds origins without it"),
        nist("SC-7", "without OAC the function URL cannot tell the distribution's requests from anyone's"),
        nist("AC-4", AC4_BYPASS),
    ])),
    ("EA201", Mapping::Controls(&[
        nist("SC-7", "an edge-optimized API behind a distribution adds a second, AWS-managed distribution the first cannot control"),
    ])),
    ("EA202", Mapping::Controls(&[
        nist("SC-7", SC7_BYPASS),
        nist("AC-4", AC4_BYPASS),
    ])),
    ("EA203", Mapping::Controls(&[
        fsbp("APIGateway.4", "APIGateway.4 requires a web ACL on API Gateway stages; EA203 finds internet-facing stages without one"),
        nist("SC-7", "traffic reaching the stage directly is not filtered at any boundary"),
    ])),
    ("EA204", Mapping::Controls(&[
        fsbp("APIGateway.8", "APIGateway.8 requires an authorization type on API Gateway routes; EA204 finds open methods and routes"),
        nist("AC-3", "anyone can invoke the method directly: no access enforcement"),
    ])),
    ("EA205", Mapping::Controls(&[
        nist("AC-3", "an API key required by the method is not enforced by any usage plan, so the key restricts nothing"),
    ])),
    ("EA206", Mapping::Controls(&[
        nist("CM-6", "the distribution and the API disagree on where the API key comes from: a misconfiguration of the lock"),
    ])),
    ("EA207", Mapping::Controls(&[
        nist("SC-5", "an internet-facing stage without throttling does not limit request floods"),
    ])),
    ("EA208", Mapping::Controls(&[
        nist("CM-6", "the origin names a stage or API that is not deployed: the route is broken or points at the wrong backend"),
    ])),
    ("EA301", Mapping::Controls(&[
        nist("CM-7", "a web ACL associated with nothing is unused configuration that suggests a protection that is not applied"),
    ])),
    ("EA302", Mapping::Controls(&[
        fsbp("WAF.10", "WAF.10 requires at least one rule or rule group in a web ACL; EA302 finds web ACLs that cannot block anything"),
        nist("SC-7", "the boundary's web ACL filters nothing"),
    ])),
    ("EA303", Mapping::Controls(&[
        nist("SC-7", "a rule on an empty IP set never matches: the boundary rule is inert"),
        nist("CM-6", "the rule's configuration contradicts its purpose"),
    ])),
    ("EA304", Mapping::Controls(&[
        nist("SC-7", "a rule that can never match does not filter at the boundary"),
        nist("CM-6", "the rule's configuration contradicts its purpose"),
    ])),
    ("EA305", Mapping::Controls(&[
        nist("SC-7", "the origin expects another secret than the distribution sends: the lock refuses CloudFront or admits others"),
        nist("AC-4", "the information flow policy at the origin does not match the distribution"),
    ])),
    ("EA306", Mapping::Controls(&[
        nist("SC-7", "rules in Count only observe: the boundary does not block what they match"),
        nist("SI-4", "Count rules are monitoring without enforcement, which is only fine when intended"),
    ])),
    ("EA307", Mapping::Controls(&[
        fsbp("WAF.11", "WAF.11 requires logging on AWS WAF web ACLs; EA307 finds web ACLs without logging"),
        nist("AU-12", "the web ACL generates no audit records of the requests it judges"),
        nist("SI-4", "without WAF logs attacks on the boundary cannot be monitored"),
    ])),
    ("EA401", Mapping::Controls(&[
        fsbp("EC2.18", "EC2.18 allows unrestricted inbound traffic only on authorized ports; EA401 finds origins open to 0.0.0.0/0 or ::/0"),
        nist("SC-7", SC7_BYPASS),
        nist("AC-4", AC4_BYPASS),
    ])),
    ("EA402", Mapping::Controls(&[
        fsbp("EC2.19", "EC2.19 forbids unrestricted access to high-risk ports; EA402 finds administration ports open to the internet"),
        fsbp("EC2.53", "EC2.53 forbids ingress from 0.0.0.0/0 to remote administration ports"),
        fsbp("EC2.54", "EC2.54 forbids ingress from ::/0 to remote administration ports"),
        cis("5.2", "CIS 5.2: no security group allows ingress from 0.0.0.0/0 to remote server administration ports"),
        cis("5.3", "CIS 5.3: no security group allows ingress from ::/0 to remote server administration ports"),
        nist("SC-7", "administration ports are reachable from the internet, outside any boundary"),
        nist("AC-17", "remote access is not restricted to managed access points"),
    ])),
    ("EA403", Mapping::Controls(&[
        nist("SC-7", "load balancer targets are reachable from other sources than the load balancer"),
        nist("AC-4", AC4_BYPASS),
    ])),
    ("EA404", Mapping::Controls(&[
        nist("SC-7", SC7_BYPASS),
        nist("AC-4", "the load balancer forwards requests whether or not they carry the distribution's secret header"),
    ])),
    ("EA405", Mapping::Controls(&[
        nist("SC-7", "the CloudFront prefix list admits every distribution of every AWS customer, not only this one"),
        nist("AC-4", AC4_BYPASS),
    ])),
    ("EA406", Mapping::Controls(&[
        fsbp("ELB.16", "ELB.16 requires a web ACL on Application Load Balancers; EA406 finds load balancer origins without one"),
        nist("SC-7", "requests reaching the load balancer directly are not filtered at any boundary"),
    ])),
    ("EA501", Mapping::Controls(&[
        fsbp("Lambda.1", "Lambda.1 forbids public access in function policies; EA501 finds function URLs anyone can invoke"),
        nist("AC-3", "the function URL has no access enforcement (auth type NONE with a public policy)"),
        nist("SC-7", SC7_BYPASS),
    ])),
    ("EA601", Mapping::Controls(&[
        nist("SC-7", "a probe proved the execute-api endpoint answers requests that bypass CloudFront"),
        nist("CA-8", "an active test of the boundary (a penetration-style probe) found it open"),
    ])),
    ("EA602", Mapping::Controls(&[
        nist("SC-7", "a probe proved the load balancer answers requests that bypass CloudFront"),
        nist("CA-8", "an active test of the boundary (a penetration-style probe) found it open"),
    ])),
    ("EA603", Mapping::Controls(&[
        nist("SC-7", "a probe proved the function URL answers requests that bypass CloudFront"),
        nist("CA-8", "an active test of the boundary (a penetration-style probe) found it open"),
    ])),
    ("EA604", Mapping::Controls(&[
        nist("SC-7", "a probe proved the custom origin answers requests that bypass CloudFront"),
        nist("CA-8", "an active test of the boundary (a penetration-style probe) found it open"),
    ])),
    ("EA605", Mapping::NoControl(
        "a probe that got no answer proves nothing about any control: it is reported as not evaluated, never as evidence",
    )),
    ("EA606", Mapping::Controls(&[
        nist("CM-6", "the origin refuses its own distribution, usually a secret rotated on one side only"),
    ])),
    ("EA701", Mapping::Controls(&[
        nist("CM-3", "a weakening change to the perimeter configuration since the baseline: configuration change control"),
        nist("SC-7", "the boundary protection is weaker than at the baseline"),
    ])),
    ("EA702", Mapping::Controls(&[
        nist("CM-3", "a change to the perimeter configuration since the baseline, for review under change control"),
    ])),
    ("EA902", Mapping::NoControl(
        "about edge-audit's own configuration (a suppression past its date), not about the audited account",
    )),
    ("EA903", Mapping::NoControl(
        "about edge-audit's own configuration (a suppression that matches nothing), not about the audited account",
    )),
];

/// Titles of the controls the table names.
const TITLES: &[(Framework, &str, &str)] = &[
    (Framework::Fsbp, "APIGateway.4", "API Gateway should be associated with a WAF Web ACL"),
    (Framework::Fsbp, "APIGateway.8", "API Gateway routes should specify an authorization type"),
    (Framework::Fsbp, "CloudFront.3", "CloudFront distributions should require encryption in transit"),
    (Framework::Fsbp, "CloudFront.6", "CloudFront distributions should have WAF enabled"),
    (Framework::Fsbp, "CloudFront.9", "CloudFront distributions should encrypt traffic to custom origins"),
    (
        Framework::Fsbp,
        "CloudFront.10",
        "CloudFront distributions should not use deprecated SSL protocols between edge locations and custom origins",
    ),
    (
        Framework::Fsbp,
        "CloudFront.16",
        "CloudFront distributions should use origin access control for Lambda function URL origins",
    ),
    (Framework::Fsbp, "EC2.18", "Security groups should only allow unrestricted incoming traffic for authorized ports"),
    (Framework::Fsbp, "EC2.19", "Security groups should not allow unrestricted access to ports with high risk"),
    (
        Framework::Fsbp,
        "EC2.53",
        "EC2 security groups should not allow ingress from 0.0.0.0/0 to remote server administration ports",
    ),
    (Framework::Fsbp, "EC2.54", "EC2 security groups should not allow ingress from ::/0 to remote server administration ports"),
    (Framework::Fsbp, "ELB.16", "Application Load Balancers should be associated with an AWS WAF web ACL"),
    (Framework::Fsbp, "Lambda.1", "Lambda function policies should prohibit public access"),
    (Framework::Fsbp, "WAF.10", "AWS WAF web ACLs should have at least one rule or rule group"),
    (Framework::Fsbp, "WAF.11", "AWS WAF web ACL logging should be enabled"),
    (
        Framework::Cis,
        "5.2",
        "Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports",
    ),
    (Framework::Cis, "5.3", "Ensure no security groups allow ingress from ::/0 to remote server administration ports"),
    (Framework::Nist80053, "AC-3", "Access Enforcement"),
    (Framework::Nist80053, "AC-4", "Information Flow Enforcement"),
    (Framework::Nist80053, "AC-17", "Remote Access"),
    (Framework::Nist80053, "AU-12", "Audit Record Generation"),
    (Framework::Nist80053, "CA-8", "Penetration Testing"),
    (Framework::Nist80053, "CM-3", "Configuration Change Control"),
    (Framework::Nist80053, "CM-6", "Configuration Settings"),
    (Framework::Nist80053, "CM-7", "Least Functionality"),
    (Framework::Nist80053, "IA-5", "Authenticator Management"),
    (Framework::Nist80053, "SC-4", "Information in Shared System Resources"),
    (Framework::Nist80053, "SC-5", "Denial-of-service Protection"),
    (Framework::Nist80053, "SC-7", "Boundary Protection"),
    (Framework::Nist80053, "SC-8", "Transmission Confidentiality and Integrity"),
    (Framework::Nist80053, "SI-3", "Malicious Code Protection"),
    (Framework::Nist80053, "SI-4", "System Monitoring"),
];

/// What the table says about `check_id`; `None` for an id not in the table.
pub fn mapping(check_id: &str) -> Option<Mapping> {
    TABLE.iter().find(|(id, _)| id.eq_ignore_ascii_case(check_id)).map(|(_, m)| *m)
}

/// The controls `check_id` evidences (empty for a check that maps to none, or an unknown id).
pub fn controls(check_id: &str) -> &'static [Control] {
    match mapping(check_id) {
        Some(Mapping::Controls(controls)) => controls,
        _ => &[],
    }
}

/// Why `check_id` maps to no control, when it maps to none.
pub fn no_control_reason(check_id: &str) -> Option<&'static str> {
    match mapping(check_id) {
        Some(Mapping::NoControl(reason)) => Some(reason),
        _ => None,
    }
}

/// The title of a control of `framework` named in the table.
pub fn control_title(framework: Framework, id: &str) -> Option<&'static str> {
    TITLES.iter().find(|(f, i, _)| *f == framework && *i == id).map(|(_, _, t)| *t)
}

/// Every control of `framework` that some check of the table evidences, in table order, each once.
pub fn framework_controls(framework: Framework) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for (_, mapping) in TABLE {
        if let Mapping::Controls(controls) = mapping {
            for c in controls.iter().filter(|c| c.framework == framework) {
                if !out.contains(&c.id) {
                    out.push(c.id);
                }
            }
        }
    }
    out
}

/// The check ids of the table that evidence control `id` of `framework`.
pub fn checks_of_control(framework: Framework, id: &str) -> Vec<&'static str> {
    TABLE
        .iter()
        .filter(|(_, m)| matches!(m, Mapping::Controls(cs) if cs.iter().any(|c| c.framework == framework && c.id == id)))
        .map(|(check, _)| *check)
        .collect()
}

impl CheckMeta {
    /// The compliance controls this check evidences (see [`crate::compliance`]).
    pub fn compliance_controls(&self) -> &'static [Control] {
        controls(self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_maps_to_a_control_or_says_why_none_fits() {
        for check in crate::registry::all() {
            let meta = check.meta();
            match mapping(meta.id) {
                Some(Mapping::Controls(controls)) => {
                    assert!(
                        !controls.is_empty(),
                        "{}: an empty control list (say why none fits instead)",
                        meta.id
                    );
                    for c in controls {
                        assert!(!c.rationale.trim().is_empty(), "{} {}: no rationale", meta.id, c.id);
                        assert!(
                            !c.rationale.contains('\n'),
                            "{} {}: the rationale is one line",
                            meta.id,
                            c.id
                        );
                        assert!(
                            control_title(c.framework, c.id).is_some(),
                            "{} maps to {} {}, which has no title in TITLES",
                            meta.id,
                            c.framework,
                            c.id
                        );
                    }
                }
                Some(Mapping::NoControl(reason)) => {
                    assert!(!reason.trim().is_empty(), "{}: no reason", meta.id)
                }
                None => panic!("{} is not in the compliance table (checks/src/compliance.rs)", meta.id),
            }
        }
    }

    #[test]
    fn the_table_names_only_checks_of_the_registry_once_each() {
        let mut seen = std::collections::BTreeSet::new();
        for (id, _) in TABLE {
            assert!(
                crate::registry::find(id).is_some(),
                "{id} is in the compliance table but not in the registry"
            );
            assert!(seen.insert(*id), "{id} is in the compliance table twice");
        }
    }

    #[test]
    fn control_lookups_agree_with_the_table() {
        assert_eq!(
            controls("ea101").iter().map(|c| c.id).collect::<Vec<_>>(),
            ["CloudFront.6", "SC-7", "SI-4"]
        );
        assert!(controls("EA605").is_empty());
        assert!(no_control_reason("EA605").is_some());
        assert!(controls("EA999").is_empty() && mapping("EA999").is_none());
        assert!(framework_controls(Framework::Cis).contains(&"5.2"));
        assert_eq!(checks_of_control(Framework::Fsbp, "CloudFront.6"), ["EA101"]);
        assert!(checks_of_control(Framework::Nist80053, "SC-7").len() > 10);
        assert_eq!(Framework::Nist80053.requirement("SC-7"), "NIST.800-53.r5 SC-7");
        for framework in Framework::ALL {
            let json = serde_json::to_value(framework).unwrap_or_default();
            assert_eq!(json, framework.as_str(), "the JSON name is the command-line name");
        }
    }
}
