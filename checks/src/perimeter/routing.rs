//! Routing rules of API Gateway custom domain names as header gates on the custom-domain entry
//! point.
//!
//! A custom domain in `ROUTING_RULE_ONLY` or `ROUTING_RULE_THEN_API_MAPPING` mode sends a
//! request to the API stage of the first rule (lowest priority) whose conditions all hold
//! (header conditions: a header name, matched case-insensitively, and a case-sensitive value
//! glob `literal`, `literal*`, `*literal` or `*literal*`; any of a condition's pairs matches).
//! A rule that routes to an API only when a header carries a secret value is a header gate:
//! requests without it never reach the API *through that domain*. It locks the API only when
//! every other way in is closed too — the default `execute-api` endpoint disabled, no base path
//! mapping of this or another domain reaching the stage (in `ROUTING_RULE_THEN_API_MAPPING`
//! mode a request that matches no rule falls through to the mappings).
//!
//! What counts as a secret: an exact value glob (its literal is compared by fingerprint with the
//! header the distribution sends), or a glob with a wildcard whose literal part has at least
//! [`MIN_SECRET_LITERAL`] characters. The latter cannot be compared: only fingerprints of the
//! literal and of the sent header exist, and whether one contains the other is not decidable
//! from fingerprints, so the verdict is "could not verify". A glob of `*` or a wildcard with a
//! short literal requires the header's presence (or a guessable value), not a secret: the rule
//! does not gate.

use super::entry::{EntryKind, EntryPoint};
use super::headers::Verdict;
use crate::index::Index;
use crate::inventory::*;
use crate::secret::SecretValue;

/// The shortest literal part of a wildcard glob that is taken for a secret (as long as the
/// shortest value EA107 does not call weak).
pub const MIN_SECRET_LITERAL: usize = 16;

/// What one header condition pair requires of a request.
#[derive(Debug, Clone, Copy)]
pub enum GlobRequirement<'a> {
    /// The header equals this value.
    Exact(&'a SecretValue),
    /// The header matches a glob with a wildcard around this literal.
    Wildcard { literal: &'a SecretValue, wildcard: GlobWildcard },
}

/// One header requirement of a routing rule alternative.
#[derive(Debug, Clone)]
pub struct HeaderRequirement<'a> {
    /// Lowercase.
    pub name: String,
    pub requirement: GlobRequirement<'a>,
}

impl<'a> HeaderRequirement<'a> {
    fn of(glob: &'a HeaderGlob) -> Self {
        let requirement = match glob.wildcard {
            GlobWildcard::None => GlobRequirement::Exact(&glob.literal),
            wildcard => GlobRequirement::Wildcard { literal: &glob.literal, wildcard },
        };
        Self { name: glob.header.to_ascii_lowercase(), requirement }
    }

    /// Whether only someone who holds a secret can meet this requirement.
    pub fn is_secret(&self) -> bool {
        match self.requirement {
            GlobRequirement::Exact(value) => value.length > 0,
            GlobRequirement::Wildcard { literal, .. } => literal.length >= MIN_SECRET_LITERAL,
        }
    }

    /// How the headers an origin sends fare against this requirement.
    pub fn judge(&self, origin: &Origin) -> Verdict {
        let Some(sent) = origin.header(&self.name) else {
            return Verdict::Mismatch;
        };
        match self.requirement {
            GlobRequirement::Exact(value) if value.same_value(&sent.value) => Verdict::Satisfied,
            GlobRequirement::Exact(_) => Verdict::Mismatch,
            // `*` matches any value of a header that is there.
            GlobRequirement::Wildcard { literal, .. } if literal.length == 0 => Verdict::Satisfied,
            GlobRequirement::Wildcard { .. } => Verdict::CouldNotVerify,
        }
    }

    /// For evidence: the header, the shape of the glob and the literal's fingerprint.
    pub fn evidence(&self) -> serde_json::Value {
        let (glob, value) = match self.requirement {
            GlobRequirement::Exact(value) => ("exact", value),
            GlobRequirement::Wildcard { literal, wildcard } => (
                match wildcard {
                    GlobWildcard::Prefix => "prefix",
                    GlobWildcard::Suffix => "suffix",
                    _ => "contains",
                },
                literal,
            ),
        };
        serde_json::json!({
            "header": self.name,
            "glob": glob,
            "fingerprint": value.fingerprint,
            "length": value.length,
        })
    }
}

/// The ANDed header requirements of one way to match a rule.
pub type GateAlternative<'a> = Vec<HeaderRequirement<'a>>;

/// The header alternatives of a rule (one pair chosen from each header condition), or why the
/// rule does not require a secret header.
fn rule_alternatives(rule: &RoutingRule) -> Result<Vec<GateAlternative<'_>>, String> {
    let header_conditions: Vec<&Vec<HeaderGlob>> =
        rule.conditions.iter().map(|c| &c.match_headers).filter(|h| !h.is_empty()).collect();
    if header_conditions.is_empty() {
        return Err(format!("routing rule {} (priority {}) has no header condition", rule.id, rule.priority));
    }
    let mut alternatives: Vec<GateAlternative<'_>> = vec![Vec::new()];
    for condition in header_conditions {
        let mut next = Vec::new();
        for alternative in &alternatives {
            for glob in condition {
                let mut extended = alternative.clone();
                extended.push(HeaderRequirement::of(glob));
                next.push(extended);
            }
        }
        alternatives = next;
    }
    if let Some(open) = alternatives.iter().find(|a| !a.iter().any(HeaderRequirement::is_secret)) {
        let names: Vec<&str> = open.iter().map(|r| r.name.as_str()).collect();
        return Err(format!(
            "routing rule {} (priority {}) matches header {} with a glob that requires its presence or a short value, not a secret",
            rule.id,
            rule.priority,
            names.join(" and ")
        ));
    }
    Ok(alternatives)
}

/// The routing rules of one custom domain that route to an API stage only with a secret header.
#[derive(Debug, Clone)]
pub struct RoutingGate<'a> {
    pub domain: &'a ApiDomainName,
    /// The gated entry points (one per base path the rules match).
    pub entry_points: Vec<EntryPoint>,
    pub rule_ids: Vec<&'a str>,
    /// A request passes when it meets every requirement of one alternative.
    pub alternatives: Vec<GateAlternative<'a>>,
}

impl RoutingGate<'_> {
    /// Whether a distribution origin sends its requests to this domain.
    pub fn is_used_by(&self, origin: &Origin) -> bool {
        let host = origin.domain_name.trim_end_matches('.');
        host.eq_ignore_ascii_case(&self.domain.name)
            || self.domain.regional_domain_name.as_deref().is_some_and(|d| host.eq_ignore_ascii_case(d))
            || self.domain.distribution_domain_name.as_deref().is_some_and(|d| host.eq_ignore_ascii_case(d))
    }

    /// How the headers an origin sends fare: the best alternative, each as its worst
    /// requirement.
    pub fn judge(&self, origin: &Origin) -> Verdict {
        self.alternatives
            .iter()
            .map(|alternative| {
                alternative.iter().map(|r| r.judge(origin)).max().unwrap_or(Verdict::Satisfied)
            })
            .min()
            .unwrap_or(Verdict::Mismatch)
    }

    pub fn describe(&self) -> String {
        format!("routing rule(s) {} of custom domain {}", self.rule_ids.join(", "), self.domain.name)
    }

    pub fn evidence(&self) -> serde_json::Value {
        serde_json::json!({
            "domain": self.domain.name,
            "routing_mode": self.domain.routing_mode,
            "rules": self.rule_ids,
            "alternatives": self.alternatives.iter()
                .map(|a| a.iter().map(HeaderRequirement::evidence).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
        })
    }
}

/// How the public custom domains reach one API (stage): the entry points open to anyone, the
/// header gates, and why routing rules that could gate do not.
#[derive(Debug, Clone, Default)]
pub struct DomainReach<'a> {
    pub open: Vec<EntryPoint>,
    pub gates: Vec<RoutingGate<'a>>,
    pub open_because: Vec<String>,
}

fn prefix_of(base_path: &str, mapped_stage: Option<&str>, wanted: Option<&str>) -> Option<String> {
    let base = base_path.trim_matches('/');
    let base = if base.is_empty() || base == "(none)" { String::new() } else { format!("/{base}") };
    match (mapped_stage, wanted) {
        (Some(mapped), Some(wanted)) if mapped != wanted => None,
        (Some(_), _) | (None, None) => Some(base),
        // A mapping without a stage: the caller names the stage after the base path.
        (None, Some(wanted)) => Some(format!("{base}/{wanted}")),
    }
}

fn https_entry(host: &str, path_prefix: String) -> EntryPoint {
    EntryPoint {
        kind: EntryKind::CustomDomain,
        scheme: "https".to_string(),
        host: host.trim_end_matches('.').to_ascii_lowercase(),
        port: 443,
        path_prefix,
    }
}

/// The public custom domains (not PRIVATE) whose routes reach `api_id`, stage `stage` (any stage
/// of an HTTP API when `None`).
pub fn domain_reach<'a>(index: &Index<'a>, api_id: &str, stage: Option<&str>) -> DomainReach<'a> {
    let mut reach = DomainReach::default();
    for domain in index.domain_names.values().copied() {
        if domain.endpoint_type.eq_ignore_ascii_case("PRIVATE") {
            continue;
        }
        let mut gate =
            RoutingGate { domain, entry_points: Vec::new(), rule_ids: Vec::new(), alternatives: Vec::new() };
        let mut open_here = Vec::new();
        for route in domain.routes().into_iter().filter(|r| r.api_id == api_id) {
            let Some(prefix) = prefix_of(route.base_path, route.stage, stage) else { continue };
            let entry = https_entry(&domain.name, prefix);
            match route.rule.map(|rule| (rule, rule_alternatives(rule))) {
                None => open_here.push(entry),
                Some((rule, Ok(alternatives))) => {
                    gate.entry_points.push(entry);
                    gate.rule_ids.push(&rule.id);
                    gate.alternatives.extend(alternatives);
                }
                Some((_, Err(why))) => {
                    reach.open_because.push(format!("custom domain {}: {why}", domain.name));
                    open_here.push(entry);
                }
            }
        }
        if !gate.entry_points.is_empty()
            && !open_here.is_empty()
            && domain.routing_mode() != RoutingMode::RoutingRuleOnly
        {
            reach.open_because.push(format!(
                "custom domain {} falls back to its API mappings (routing mode {}) for requests its routing rules do not match",
                domain.name,
                domain.routing_mode.as_deref().unwrap_or("API_MAPPING_ONLY")
            ));
        }
        reach.open.extend(open_here);
        if !gate.entry_points.is_empty() {
            gate.entry_points.sort();
            gate.entry_points.dedup();
            reach.gates.push(gate);
        }
    }
    reach
}
