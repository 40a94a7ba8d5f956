//! The header-requirement algebra: which headers (and values) an origin-side check — a web ACL's
//! statements, an ALB's listener rules — requires before it lets a request through, as
//! alternatives of ANDed header checks, and how a distribution's request fares against them.
//!
//! Secret values are compared by fingerprint only ([`SecretValue::same_value`]).

use crate::index::Index;
use crate::inventory::*;
use crate::inventory::{TestStrength, ValueTest, SECRET_MIN_REQUIRED_CHARS};
use crate::secret::SecretValue;

/// One value an origin-side header check accepts.
#[derive(Debug, Clone)]
pub struct ExpectedValue<'a> {
    /// `None` when the value cannot be known (a regex that is not a plain literal).
    pub value: Option<&'a SecretValue>,
    /// The check accepts exactly this value, so a different fingerprint is a real mismatch
    /// (EXACTLY without transformations, a literal regex, an ALB header value).
    pub exact: bool,
    /// What the check was found to accept among the values the scan's distributions send, for
    /// tests that are not a plain comparison (see [`ValueTest`]). It decides over `value`.
    pub test: Option<&'a ValueTest>,
}

impl<'a> ExpectedValue<'a> {
    fn literal(value: &'a SecretValue) -> Self {
        ExpectedValue { value: Some(value), exact: true, test: None }
    }
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

/// How one guard treats the requests a distribution sends through one origin.
#[derive(Debug, Clone)]
pub struct GuardVerdict {
    pub verdict: Verdict,
    /// Why, in a sentence without secret values.
    pub why: String,
}

impl<'a> HeaderCheck<'a> {
    pub fn judge(&self, origin: &Origin) -> Verdict {
        let Some(sent) = origin.header(&self.name) else {
            return Verdict::Mismatch;
        };
        let mut verdict = Verdict::Mismatch;
        for expected in &self.values {
            if let Some(test) = expected.test {
                if test.accepts(&sent.value.fingerprint) {
                    return Verdict::Satisfied;
                }
                if test.not_evaluated.is_some() || test.required_chars.is_none() {
                    verdict = Verdict::CouldNotVerify;
                }
                continue;
            }
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

    /// Why the check (or one of its values) could not be evaluated, for the reason of a verdict.
    pub fn unverifiable_reasons(&self) -> Vec<String> {
        let mut out: Vec<String> = self.unverifiable.iter().cloned().collect();
        out.extend(self.values.iter().filter_map(|v| v.test).filter_map(|t| t.not_evaluated.clone()));
        out
    }

    /// Why a request without the secret can pass this check, when it can: a value that only
    /// tests presence or a short fragment.
    fn weakness(&self) -> Option<String> {
        self.values.iter().filter_map(|v| v.test).find_map(|test| match test.strength() {
            TestStrength::Presence => {
                Some(format!("header {} is only tested for presence (any value passes)", self.name))
            }
            TestStrength::Fragment => Some(format!(
                "header {} is tested for a fragment of {} fixed characters only (a secret needs {SECRET_MIN_REQUIRED_CHARS})",
                self.name,
                test.required_chars.unwrap_or(0)
            )),
            TestStrength::Secret | TestStrength::Unknown => None,
        })
    }

    /// The fingerprints this check accepts, for evidence.
    pub fn evidence(&self) -> serde_json::Value {
        serde_json::json!({
            "header": self.name,
            "accepted_values": self.values.iter().map(|v| match (v.test, v.value) {
                (Some(test), _) => serde_json::json!({
                    "accepts_sent": test.accepts,
                    "required_chars": test.required_chars,
                    "exact": false,
                }),
                (None, Some(value)) => serde_json::json!({
                    "fingerprint": value.fingerprint,
                    "length": value.length,
                    "exact": v.exact,
                }),
                (None, None) => serde_json::json!({"fingerprint": null, "exact": false}),
            }).collect::<Vec<_>>(),
        })
    }
}

/// A header check from a WAF statement on a single header, if it is one.
fn statement_header_check<'a>(statement: &'a Statement, index: &Index<'a>) -> Option<HeaderCheck<'a>> {
    let not_evaluated = "the inventory holds no evaluation of this test (written before edge-audit evaluated regexes and transformations)";
    match statement {
        Statement::ByteMatch {
            field: FieldToMatch::SingleHeader { name },
            positional_constraint,
            search,
            transformations,
            test,
        } => {
            let untransformed = transformations.iter().all(|t| t.eq_ignore_ascii_case("NONE"));
            let exact = untransformed && positional_constraint == "EXACTLY";
            Some(HeaderCheck {
                name: name.to_ascii_lowercase(),
                values: vec![ExpectedValue {
                    value: Some(search),
                    exact,
                    test: test.as_ref().filter(|_| !exact),
                }],
                unverifiable: None,
            })
        }
        Statement::RegexMatch {
            field: FieldToMatch::SingleHeader { name },
            literal,
            transformations,
            test,
            ..
        } => {
            let plain_literal =
                literal.is_some() && transformations.iter().all(|t| t.eq_ignore_ascii_case("NONE"));
            Some(HeaderCheck {
                name: name.to_ascii_lowercase(),
                values: vec![ExpectedValue {
                    value: literal.as_ref().filter(|_| plain_literal),
                    exact: plain_literal,
                    test: test.as_ref(),
                }],
                unverifiable: (test.is_none() && !plain_literal).then(|| not_evaluated.to_string()),
            })
        }
        Statement::RegexPatternSetReference {
            arn,
            field: FieldToMatch::SingleHeader { name },
            transformations,
            test,
        } => {
            let name = name.to_ascii_lowercase();
            let untransformed = transformations.iter().all(|t| t.eq_ignore_ascii_case("NONE"));
            Some(match (test, index.regex_pattern_sets.get(arn.as_str())) {
                (Some(test), _) => HeaderCheck {
                    name,
                    values: vec![ExpectedValue { value: None, exact: false, test: Some(test) }],
                    unverifiable: None,
                },
                (None, Some(set)) => HeaderCheck {
                    name,
                    values: set
                        .patterns
                        .iter()
                        .map(|p| ExpectedValue {
                            value: p.literal.as_ref().filter(|_| untransformed),
                            exact: p.literal.is_some() && untransformed,
                            test: None,
                        })
                        .collect(),
                    unverifiable: set
                        .patterns
                        .iter()
                        .any(|p| p.literal.is_none() || !untransformed)
                        .then(|| format!("regex pattern set {}: {not_evaluated}", set.name)),
                },
                (None, None) => HeaderCheck {
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

/// What the rules evaluated before a statement have told: the statements of the rules that
/// add each label (fully qualified), for `LabelMatchStatement`.
#[derive(Debug, Default)]
struct Labels<'a> {
    added: Vec<(String, &'a Statement)>,
    /// Why a statement was found not to prove a secret (a presence or fragment test), for the
    /// reason of a verdict.
    weak: Vec<String>,
}

impl<'a> Labels<'a> {
    /// The statements whose match adds a label that `key` (of `scope` LABEL or NAMESPACE) matches.
    fn matching(&self, scope: &str, key: &str) -> Vec<&'a Statement> {
        self.added
            .iter()
            .filter(|(label, _)| {
                if scope.eq_ignore_ascii_case("NAMESPACE") {
                    let namespace = if key.ends_with(':') { key.to_string() } else { format!("{key}:") };
                    label.starts_with(&namespace) || label.contains(&format!(":{namespace}"))
                } else {
                    label == key || label.ends_with(&format!(":{key}"))
                }
            })
            .map(|(_, statement)| *statement)
            .collect()
    }
}

/// The header alternatives a statement requires to match, or `None` when it can match a request
/// without any particular secret header (an IP set, a path, a rate rule, a presence test …).
fn required_headers<'a>(
    statement: &'a Statement,
    index: &Index<'a>,
    labels: &mut Labels<'a>,
    depth: usize,
) -> Option<HeaderAlternatives<'a>> {
    if depth > MAX_LABEL_DEPTH {
        return None;
    }
    if let Some(check) = statement_header_check(statement, index) {
        if let Some(weak) = check.weakness() {
            labels.weak.push(weak);
            return None;
        }
        return Some(vec![vec![check]]);
    }
    match statement {
        Statement::And { statements } => {
            // Sub-statements without a header requirement only narrow the match further.
            let mut combined: Option<HeaderAlternatives<'a>> = None;
            for sub in statements {
                if let Some(alternatives) = required_headers(sub, index, labels, depth + 1) {
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
                all.extend(required_headers(sub, index, labels, depth + 1)?);
            }
            Some(all)
        }
        Statement::LabelMatch { scope, key } => {
            // The request carries the label only if a rule evaluated earlier matched it.
            let sources = labels.matching(scope, key);
            if sources.is_empty() {
                // A label of a managed rule group, or of no rule: edge-audit cannot tell.
                return None;
            }
            let mut all = Vec::new();
            for source in sources {
                all.extend(required_headers(source, index, labels, depth + 1)?);
            }
            Some(all)
        }
        _ => None,
    }
}

/// The header alternatives a request must satisfy *not* to match `statement` (a blocking rule's),
/// or `None` when a request without any particular secret header can avoid it. Not matching
/// `NOT(x)` means matching `x`; not matching an OR means avoiding every branch; not matching an
/// AND, avoiding one; not carrying a label, avoiding every earlier rule that adds it.
fn required_to_avoid<'a>(
    statement: &'a Statement,
    index: &Index<'a>,
    labels: &mut Labels<'a>,
    depth: usize,
) -> Option<HeaderAlternatives<'a>> {
    if depth > MAX_LABEL_DEPTH {
        return None;
    }
    let all_of = |requirements: Vec<HeaderAlternatives<'a>>| {
        requirements.into_iter().reduce(|previous, next| cross(previous, next))
    };
    match statement {
        Statement::Not { statement } => required_headers(statement, index, labels, depth + 1),
        Statement::Or { statements } => {
            let requirements: Vec<HeaderAlternatives<'a>> =
                statements.iter().filter_map(|s| required_to_avoid(s, index, labels, depth + 1)).collect();
            all_of(requirements)
        }
        Statement::And { statements } => {
            let mut any = Vec::new();
            for sub in statements {
                any.extend(required_to_avoid(sub, index, labels, depth + 1)?);
            }
            (!any.is_empty()).then_some(any)
        }
        Statement::LabelMatch { scope, key } => {
            let sources = labels.matching(scope, key);
            let requirements: Vec<HeaderAlternatives<'a>> =
                sources.into_iter().filter_map(|s| required_to_avoid(s, index, labels, depth + 1)).collect();
            all_of(requirements)
        }
        _ => None,
    }
}

/// Label matches resolve to the statements of earlier rules; this bounds chains of them.
const MAX_LABEL_DEPTH: usize = 32;

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

/// What a rule does in the ACL's evaluation, once rule groups are expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// Ends the evaluation and lets the request through.
    Allow,
    /// Ends the evaluation and refuses the request.
    Block,
    /// Adds the rule's labels and goes on.
    Count,
    /// An AWS managed rule group: may block (unless overridden to Count), never allows, adds
    /// labels edge-audit does not know.
    Opaque,
    /// CAPTCHA or Challenge: a request with a solved (or silently obtained) token goes on as
    /// under Count, so it refuses no determined client: it is never a lock.
    Puzzle,
}

/// One rule of the ACL's evaluation order.
#[derive(Debug, Clone)]
struct EvaluatedRule<'a> {
    name: String,
    effect: Effect,
    statement: &'a Statement,
    /// Fully qualified labels the rule adds when it matches.
    labels: Vec<String>,
}

fn effect_of(action: WafAction) -> Effect {
    match action {
        WafAction::Allow => Effect::Allow,
        WafAction::Count => Effect::Count,
        WafAction::Block => Effect::Block,
        WafAction::Captcha | WafAction::Challenge => Effect::Puzzle,
    }
}

/// The account id of a WAF ARN (`arn:aws:wafv2:region:account:…`).
fn arn_account(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or("")
}

fn qualified(prefix: &str, label: &str) -> String {
    if label.starts_with("awswaf:") {
        label.to_string()
    } else {
        format!("{prefix}:{label}")
    }
}

/// The ACL's rules in the order AWS WAF evaluates them — Firewall Manager's pre-process rule
/// groups, the ACL's rules, Firewall Manager's post-process rule groups, each by priority —
/// with custom rule groups expanded in place (their rules by priority, with the reference's
/// RuleActionOverrides, ExcludedRules and override to Count applied). `Err` when a referenced
/// custom rule group that may allow requests was not read.
fn evaluation_order<'a>(acl: &'a WebAcl, index: &Index<'a>) -> Result<Vec<EvaluatedRule<'a>>, String> {
    let acl_prefix = format!("awswaf:{}:webacl:{}", arn_account(&acl.arn), acl.name);
    let mut out = Vec::new();
    for list in [&acl.pre_process_rules, &acl.rules, &acl.post_process_rules] {
        let mut rules: Vec<&WafRule> = list.iter().collect();
        rules.sort_by_key(|r| r.priority);
        for rule in rules {
            match &rule.statement {
                Statement::RuleGroupReference { arn, excluded_rules, rule_action_overrides } => {
                    let Some(group) = index.rule_groups.get(arn.as_str()) else {
                        if rule.override_count {
                            // Every rule of the group counts: it adds labels edge-audit cannot
                            // see, and never ends the evaluation.
                            continue;
                        }
                        return Err(format!(
                            "rule {} references custom rule group {arn}, which was not read, and may allow requests",
                            rule.name
                        ));
                    };
                    let group_prefix = format!("awswaf:{}:rulegroup:{}", arn_account(&group.arn), group.name);
                    let mut inner: Vec<&WafRule> = group.rules.iter().collect();
                    inner.sort_by_key(|r| r.priority);
                    for member in inner {
                        let action = if rule.override_count || excluded_rules.contains(&member.name) {
                            WafAction::Count
                        } else {
                            rule_action_overrides
                                .iter()
                                .find(|o| o.name == member.name)
                                .map(|o| o.action)
                                .or(member.action)
                                .unwrap_or(WafAction::Count)
                        };
                        out.push(EvaluatedRule {
                            name: format!("{}/{}", rule.name, member.name),
                            effect: effect_of(action),
                            statement: &member.statement,
                            labels: member.labels.iter().map(|l| qualified(&group_prefix, l)).collect(),
                        });
                    }
                }
                Statement::ManagedRuleGroup { .. } => out.push(EvaluatedRule {
                    name: rule.name.clone(),
                    effect: if rule.override_count { Effect::Count } else { Effect::Opaque },
                    statement: &rule.statement,
                    labels: Vec::new(),
                }),
                _ => out.push(EvaluatedRule {
                    name: rule.name.clone(),
                    effect: effect_of(rule.action.unwrap_or(WafAction::Count)),
                    statement: &rule.statement,
                    labels: rule.labels.iter().map(|l| qualified(&acl_prefix, l)).collect(),
                }),
            }
        }
    }
    Ok(out)
}

/// The custom rule groups `acl` references (Firewall Manager's pre- and post-process groups
/// included) that are not in the inventory and whose rules could end the evaluation (the
/// reference does not override them to Count): while they are unread, the ACL's gate cannot be
/// judged.
pub fn unread_rule_groups<'a>(acl: &'a WebAcl, index: &Index<'_>) -> Vec<&'a str> {
    let mut out: Vec<&'a str> = acl
        .pre_process_rules
        .iter()
        .chain(&acl.rules)
        .chain(&acl.post_process_rules)
        .filter(|rule| !rule.override_count)
        .filter_map(|rule| match &rule.statement {
            Statement::RuleGroupReference { arn, .. } if !index.rule_groups.contains_key(arn.as_str()) => {
                Some(arn.as_str())
            }
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The regex pattern sets (by ARN) that a web ACL's rules, or the custom rule groups it
/// references, match with and that the inventory does not hold.
pub fn unread_regex_pattern_sets<'a>(acl: &'a WebAcl, index: &Index<'a>) -> Vec<&'a str> {
    let mut statements: Vec<&'a Statement> = Vec::new();
    for rule in acl.all_rules() {
        statements.extend(rule.statement.walk());
        if let Statement::RuleGroupReference { arn, .. } = &rule.statement {
            if let Some(group) = index.rule_groups.get(arn.as_str()) {
                statements.extend(group.rules.iter().flat_map(|r| r.statement.walk()));
            }
        }
    }
    let mut out: Vec<&'a str> = statements
        .into_iter()
        .filter_map(|statement| match statement {
            Statement::RegexPatternSetReference { arn, .. }
                if !index.regex_pattern_sets.contains_key(arn.as_str()) =>
            {
                Some(arn.as_str())
            }
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Analyses a web ACL in AWS WAF's evaluation order: a request is let through by the first
/// terminating Allow rule it matches, or by a default Allow when no terminating rule matched.
/// The ACL requires a secret header when every way through does: each Allow rule requires one,
/// and under a default Allow a blocking rule that only requests with the header avoid
/// (`NOT(header matches)`, an OR of such, a label a Count rule adds to requests without it)
/// comes before any Allow rule that does not. CAPTCHA and Challenge refuse no client that
/// solves them: never a lock.
pub fn acl_header_guard<'a>(acl: &'a WebAcl, index: &Index<'a>) -> AclHeaderGuard<'a> {
    let rules = match evaluation_order(acl, index) {
        Ok(rules) => rules,
        Err(why) => return AclHeaderGuard::Unverifiable(why),
    };
    let mut labels = Labels::default();
    let with_weak = |why: String, labels: &Labels<'_>| {
        if labels.weak.is_empty() {
            why
        } else {
            format!("{why} ({})", labels.weak.join("; "))
        }
    };
    let default_blocks = acl.default_action.blocks();
    // Alternatives of the requests let through so far; `blocked_without`: the header
    // alternatives every request must satisfy to get past the blocking rules seen so far.
    let mut allowed: HeaderAlternatives<'a> = Vec::new();
    let mut blocked_without: Option<HeaderAlternatives<'a>> = None;
    for rule in &rules {
        match rule.effect {
            Effect::Allow => match required_headers(rule.statement, index, &mut labels, 0) {
                // What gets this far has got past the blocks before it as well.
                Some(alternatives) => allowed.extend(match &blocked_without {
                    Some(required) => cross(required.clone(), alternatives),
                    None => alternatives,
                }),
                None if blocked_without.is_some() => {}
                None => {
                    return AclHeaderGuard::NotEnforced(with_weak(
                        format!("rule {} allows requests without a secret header", rule.name),
                        &labels,
                    ))
                }
            },
            Effect::Block => {
                if let Some(alternatives) = required_to_avoid(rule.statement, index, &mut labels, 0) {
                    blocked_without = Some(match blocked_without {
                        None => alternatives,
                        Some(previous) => cross(previous, alternatives),
                    });
                }
            }
            Effect::Puzzle => {
                if required_to_avoid(rule.statement, index, &mut labels, 0).is_some() {
                    labels.weak.push(format!(
                        "rule {} answers requests without the header with a CAPTCHA or Challenge, which a client that solves it gets past",
                        rule.name
                    ));
                }
            }
            Effect::Count | Effect::Opaque => {}
        }
        for label in &rule.labels {
            labels.added.push((label.clone(), rule.statement));
        }
    }
    match (blocked_without, default_blocks) {
        // Whatever gets past the blocks carries the header; under a default Allow that is
        // enough, under a default Block only the Allow rules (crossed with the blocks before
        // them) let anything through.
        (Some(required), false) => {
            let mut alternatives = allowed;
            alternatives.extend(required);
            AclHeaderGuard::Enforced(alternatives)
        }
        (_, true) => AclHeaderGuard::Enforced(allowed),
        (None, false) => AclHeaderGuard::NotEnforced(with_weak(
            "default action Allow and no rule blocks requests without a secret header".to_string(),
            &labels,
        )),
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

/// The header alternatives an ALB's listeners require before forwarding, as ALB evaluates each
/// listener: its rules by priority, the first whose conditions match deciding, then the default
/// action. Every forwarding rule must require a secret header (conditions are ANDed: one strong
/// header condition is enough, a presence or fragment test beside it only narrows the match),
/// and the default action must not forward unless a non-forwarding rule that matches every
/// request (`path-pattern` `*`) comes first, which leaves every later rule and the default
/// unreachable. `Err` says which listener or rule forwards without a secret.
pub fn listener_header_guard(lb: &LoadBalancer) -> Result<HeaderAlternatives<'_>, String> {
    if lb.listeners.is_empty() {
        return Err(format!("load balancer {} has no listener rules to check a header", lb.name));
    }
    let mut alternatives = Vec::new();
    for listener in &lb.listeners {
        let mut rules: Vec<&ListenerRule> = listener.rules.iter().collect();
        rules.sort_by_key(|r| r.priority);
        let mut default_reached = true;
        for rule in rules {
            if !rule.actions.iter().any(LbAction::forwards) {
                if matches_every_request(rule) {
                    // A catch-all fixed response or redirect: nothing after it is evaluated.
                    default_reached = false;
                    break;
                }
                continue;
            }
            // Conditions are ANDed; the values of one condition are ORed.
            let checks: Vec<HeaderCheck<'_>> =
                rule.conditions.iter().filter_map(listener_header_check).collect();
            let (weak, strong): (Vec<HeaderCheck<'_>>, Vec<HeaderCheck<'_>>) =
                checks.into_iter().partition(|c| c.weakness().is_some());
            if strong.is_empty() {
                return Err(match weak.iter().find_map(HeaderCheck::weakness) {
                    Some(weak) => format!(
                        "listener rule {} (priority {}) on port {} forwards without a secret: {weak}",
                        rule.arn, rule.priority, listener.port
                    ),
                    None => format!(
                        "listener rule {} (priority {}) on port {} forwards without an http-header condition",
                        rule.arn, rule.priority, listener.port
                    ),
                });
            }
            alternatives.push(strong);
        }
        if default_reached && listener.default_actions.iter().any(LbAction::forwards) {
            return Err(format!(
                "listener {} ({} {}) forwards by default without requiring a header",
                listener.arn, listener.protocol, listener.port
            ));
        }
    }
    Ok(alternatives)
}

/// An ALB `http-header` condition as a header check.
fn listener_header_check(condition: &RuleCondition) -> Option<HeaderCheck<'_>> {
    let RuleCondition::HttpHeader { name, values, tests, regex } = condition else { return None };
    Some(HeaderCheck {
        name: name.to_ascii_lowercase(),
        values: values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let test = tests.get(i).filter(|_| tests.len() == values.len());
                // A regex without the matching pass's facts cannot be compared with a
                // fingerprint: could not verify, never a match.
                if *regex {
                    ExpectedValue { value: None, exact: false, test }
                } else {
                    ExpectedValue { test, ..ExpectedValue::literal(v) }
                }
            })
            .collect(),
        unverifiable: None,
    })
}

/// Whether every request matches a listener rule's conditions (ANDed, at least one): a path
/// pattern or host header of `*` (or `/*` for paths), source addresses covering both families.
fn matches_every_request(rule: &ListenerRule) -> bool {
    !rule.conditions.is_empty()
        && rule.conditions.iter().all(|condition| match condition {
            RuleCondition::PathPattern { values } => values.iter().any(|v| v == "*" || v == "/*"),
            RuleCondition::HostHeader { values } => values.iter().any(|v| v == "*"),
            RuleCondition::SourceIp { values } => {
                values.iter().any(|v| v == "0.0.0.0/0") && values.iter().any(|v| v == "::/0")
            }
            _ => false,
        })
}
