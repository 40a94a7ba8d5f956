//! The header-requirement algebra: which headers (and values) an origin-side check — a web ACL's
//! statements, an ALB's listener rules — requires before it lets a request through, as
//! alternatives of ANDed header checks, and how a distribution's request fares against them.
//!
//! Secret values are compared by fingerprint only ([`SecretValue::same_value`]).

use crate::index::Index;
use crate::inventory::*;
use crate::secret::SecretValue;

/// One value an origin-side header check accepts.
#[derive(Debug, Clone)]
pub struct ExpectedValue<'a> {
    /// `None` when the value cannot be known (a regex that is not a plain literal).
    pub value: Option<&'a SecretValue>,
    /// The check accepts exactly this value, so a different fingerprint is a real mismatch
    /// (EXACTLY without transformations, a literal regex, an ALB header value).
    pub exact: bool,
}

/// An origin-side requirement that a request carry header `name` with one of `values`.
#[derive(Debug, Clone)]
pub struct HeaderCheck<'a> {
    /// Lowercase.
    pub name: String,
    pub values: Vec<ExpectedValue<'a>>,
    /// Why the value could not be verified, when it could not.
    pub unverifiable: Option<String>,
}

/// How a distribution's request fares against a header check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Satisfied,
    CouldNotVerify,
    Mismatch,
}

impl<'a> HeaderCheck<'a> {
    pub fn judge(&self, origin: &Origin) -> Verdict {
        let Some(sent) = origin.header(&self.name) else {
            return Verdict::Mismatch;
        };
        let mut verdict = Verdict::Mismatch;
        for expected in &self.values {
            match expected.value {
                Some(value) if value.same_value(&sent.value) => return Verdict::Satisfied,
                Some(_) if expected.exact => {}
                _ => verdict = Verdict::CouldNotVerify,
            }
        }
        if self.values.is_empty() && self.unverifiable.is_some() {
            verdict = Verdict::CouldNotVerify;
        }
        verdict
    }

    /// The fingerprints this check accepts, for evidence.
    pub fn evidence(&self) -> serde_json::Value {
        serde_json::json!({
            "header": self.name,
            "accepted_values": self.values.iter().map(|v| match v.value {
                Some(value) => serde_json::json!({
                    "fingerprint": value.fingerprint,
                    "length": value.length,
                    "exact": v.exact,
                }),
                None => serde_json::json!({"fingerprint": null, "exact": false}),
            }).collect::<Vec<_>>(),
        })
    }
}

/// A header check from a WAF statement on a single header, if it is one.
fn statement_header_check<'a>(statement: &'a Statement, index: &Index<'a>) -> Option<HeaderCheck<'a>> {
    match statement {
        Statement::ByteMatch {
            field: FieldToMatch::SingleHeader { name },
            positional_constraint,
            search,
            transformations,
        } => {
            let untransformed = transformations.iter().all(|t| t.eq_ignore_ascii_case("NONE"));
            Some(HeaderCheck {
                name: name.to_ascii_lowercase(),
                values: vec![ExpectedValue {
                    value: Some(search),
                    exact: untransformed && positional_constraint == "EXACTLY",
                }],
                unverifiable: None,
            })
        }
        Statement::RegexMatch { field: FieldToMatch::SingleHeader { name }, literal, .. } => {
            Some(HeaderCheck {
                name: name.to_ascii_lowercase(),
                values: vec![ExpectedValue { value: literal.as_ref(), exact: literal.is_some() }],
                unverifiable: literal.is_none().then(|| "the regex is not a plain literal".to_string()),
            })
        }
        Statement::RegexPatternSetReference { arn, field: FieldToMatch::SingleHeader { name } } => {
            let name = name.to_ascii_lowercase();
            Some(match index.regex_pattern_sets.get(arn.as_str()) {
                Some(set) => HeaderCheck {
                    name,
                    values: set
                        .patterns
                        .iter()
                        .map(|p| ExpectedValue { value: p.literal.as_ref(), exact: p.literal.is_some() })
                        .collect(),
                    unverifiable: set.patterns.iter().any(|p| p.literal.is_none()).then(|| {
                        format!("regex pattern set {} holds patterns that are not literals", set.name)
                    }),
                },
                None => HeaderCheck {
                    name,
                    values: Vec::new(),
                    unverifiable: Some(format!("regex pattern set {arn} was not collected")),
                },
            })
        }
        _ => None,
    }
}

/// Alternatives of ANDed header checks: a request passes if it satisfies every check of one
/// alternative.
pub type HeaderAlternatives<'a> = Vec<Vec<HeaderCheck<'a>>>;

/// The header alternatives a statement requires to match, or `None` when it can match a request
/// without any particular header (an IP set, a path, a rate rule …).
fn required_headers<'a>(statement: &'a Statement, index: &Index<'a>) -> Option<HeaderAlternatives<'a>> {
    if let Some(check) = statement_header_check(statement, index) {
        return Some(vec![vec![check]]);
    }
    match statement {
        Statement::And { statements } => {
            // Sub-statements without a header requirement only narrow the match further.
            let mut combined: Option<HeaderAlternatives<'a>> = None;
            for sub in statements {
                if let Some(alternatives) = required_headers(sub, index) {
                    combined = Some(match combined {
                        None => alternatives,
                        Some(previous) => cross(previous, alternatives),
                    });
                }
            }
            combined
        }
        Statement::Or { statements } => {
            let mut all = Vec::new();
            for sub in statements {
                all.extend(required_headers(sub, index)?);
            }
            Some(all)
        }
        _ => None,
    }
}

fn cross<'a>(left: HeaderAlternatives<'a>, right: HeaderAlternatives<'a>) -> HeaderAlternatives<'a> {
    let mut out = Vec::new();
    for l in &left {
        for r in &right {
            let mut both = l.clone();
            both.extend(r.iter().cloned());
            out.push(both);
        }
    }
    out
}

/// Whether a web ACL refuses requests that lack a header.
#[derive(Debug, Clone)]
pub enum AclHeaderGuard<'a> {
    /// Every request the ACL lets through satisfies one of these alternatives.
    Enforced(HeaderAlternatives<'a>),
    /// The ACL lets requests through without the header; the reason says how.
    NotEnforced(String),
    /// The ACL could let requests through without the header, but edge-audit cannot tell.
    Unverifiable(String),
}

/// Analyses a web ACL: default Block with only header-requiring Allow rules, or default Allow
/// with a blocking `NOT(header matches)` rule that no earlier Allow rule bypasses.
pub fn acl_header_guard<'a>(acl: &'a WebAcl, index: &Index<'a>) -> AclHeaderGuard<'a> {
    let mut rules: Vec<&WafRule> = acl.rules.iter().collect();
    rules.sort_by_key(|r| r.priority);
    let allows = |r: &WafRule| r.action == Some(WafAction::Allow);
    // A custom rule group may hold Allow rules we cannot see; AWS managed groups never allow.
    let opaque_group = |r: &WafRule| {
        r.action.is_none() && !r.override_count && matches!(r.statement, Statement::RuleGroupReference { .. })
    };
    match acl.default_action {
        WafAction::Block | WafAction::Captcha | WafAction::Challenge => {
            let mut alternatives = Vec::new();
            for rule in &rules {
                if opaque_group(rule) {
                    return AclHeaderGuard::Unverifiable(format!(
                        "rule {} references a custom rule group that may allow requests",
                        rule.name
                    ));
                }
                if !allows(rule) {
                    continue;
                }
                match required_headers(&rule.statement, index) {
                    Some(alts) => alternatives.extend(alts),
                    None => {
                        return AclHeaderGuard::NotEnforced(format!(
                            "rule {} allows requests without a secret header",
                            rule.name
                        ))
                    }
                }
            }
            AclHeaderGuard::Enforced(alternatives)
        }
        WafAction::Allow | WafAction::Count => {
            let mut required: Option<HeaderAlternatives<'a>> = None;
            for rule in &rules {
                if opaque_group(rule) && required.is_none() {
                    return AclHeaderGuard::Unverifiable(format!(
                        "rule {} references a custom rule group that may allow requests",
                        rule.name
                    ));
                }
                if allows(rule) && required.is_none() && required_headers(&rule.statement, index).is_none() {
                    // An Allow rule before any header block lets requests through regardless.
                    return AclHeaderGuard::NotEnforced(format!(
                        "rule {} allows requests before any header check",
                        rule.name
                    ));
                }
                let blocks = rule.action.is_some_and(WafAction::blocks);
                if let (true, Statement::Not { statement }) = (blocks, &rule.statement) {
                    if let Some(alts) = required_headers(statement, index) {
                        required = Some(match required {
                            None => alts,
                            Some(previous) => cross(previous, alts),
                        });
                    }
                }
            }
            match required {
                Some(alternatives) => AclHeaderGuard::Enforced(alternatives),
                None => AclHeaderGuard::NotEnforced(
                    "default action Allow and no rule blocks requests without a secret header".to_string(),
                ),
            }
        }
    }
}

/// Judges a request from `origin` against header alternatives: satisfied if one alternative is.
pub fn judge_alternatives(alternatives: &HeaderAlternatives<'_>, origin: &Origin) -> Verdict {
    alternatives
        .iter()
        .map(|checks| checks.iter().map(|c| c.judge(origin)).max().unwrap_or(Verdict::Satisfied))
        .min()
        .unwrap_or(Verdict::Mismatch)
}

/// The header alternatives an ALB's listeners require before forwarding: every listener's
/// default action must not forward, and every rule that forwards must have an http-header
/// condition. `Err` says which listener or rule forwards without one.
pub fn listener_header_guard(lb: &LoadBalancer) -> Result<HeaderAlternatives<'_>, String> {
    if lb.listeners.is_empty() {
        return Err(format!("load balancer {} has no listener rules to check a header", lb.name));
    }
    let mut alternatives = Vec::new();
    for listener in &lb.listeners {
        if listener.default_actions.iter().any(LbAction::forwards) {
            return Err(format!(
                "listener {} ({} {}) forwards by default without requiring a header",
                listener.arn, listener.protocol, listener.port
            ));
        }
        for rule in &listener.rules {
            if !rule.actions.iter().any(LbAction::forwards) {
                continue;
            }
            let checks: Vec<HeaderCheck<'_>> = rule
                .conditions
                .iter()
                .filter_map(|c| match c {
                    RuleCondition::HttpHeader { name, values } => Some(HeaderCheck {
                        name: name.to_ascii_lowercase(),
                        values: values
                            .iter()
                            .map(|v| ExpectedValue { value: Some(v), exact: true })
                            .collect(),
                        unverifiable: None,
                    }),
                    _ => None,
                })
                .collect();
            if checks.is_empty() {
                return Err(format!(
                    "listener rule {} (priority {}) on port {} forwards without an http-header condition",
                    rule.arn, rule.priority, listener.port
                ));
            }
            alternatives.push(checks);
        }
    }
    Ok(alternatives)
}
