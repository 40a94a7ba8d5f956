//! The matching pass: once every account of the scan is collected, and before the plaintexts
//! are dropped, every non-literal value test of the inventory — a WAF regex (statement or
//! pattern set), a byte match with a positional constraint or text transformations, an ALB
//! http-header condition value — is evaluated against every header value the scan's
//! distributions send. The inventory keeps the fingerprints of the values each test accepts
//! and how much of a secret a request must know to pass it ([`ValueTest`]); the checks judge
//! from these facts, and `scan --from` and drift read them back.
//!
//! The collectors hand their plaintexts to [`Plaintexts`] while they convert the answers; the
//! pass consumes it, so the plaintexts live exactly as long as the collection run. Nothing of
//! them is logged or stored: only fingerprints leave this module.

use edge_audit_checks::inventory::{AccountInventory, RuleCondition, Statement, ValueTest, WafRule};
use edge_audit_checks::matching::{evaluate, Matcher};
use edge_audit_checks::secret::SecretValue;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// The plaintexts of one collection run that the matching pass needs.
#[derive(Debug, Default)]
pub(super) struct Plaintexts {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Every custom header value a distribution sends to an origin.
    sent: BTreeSet<String>,
    /// WAF search strings and regexes and ALB condition values, by their fingerprint.
    matchers: BTreeMap<String, Vec<u8>>,
}

impl Plaintexts {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned lock only means another collector panicked while inserting: the sets are
        // still consistent (inserts are atomic), so go on with them.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A header value a distribution sends (fingerprinted as `SecretValue::from_plaintext`).
    pub(super) fn sent(&self, value: &str) {
        self.lock().sent.insert(value.to_string());
    }

    /// The plaintext of a matcher value, kept under its fingerprint.
    pub(super) fn matcher(&self, secret: &SecretValue, plaintext: &[u8]) {
        self.lock().matchers.entry(secret.fingerprint.clone()).or_insert_with(|| plaintext.to_vec());
    }

    /// A matcher value converted to a [`SecretValue`], its plaintext kept for the pass.
    pub(super) fn keep_text(&self, plaintext: &str) -> SecretValue {
        let secret = SecretValue::from_plaintext(plaintext);
        self.matcher(&secret, plaintext.as_bytes());
        secret
    }

    /// [`Plaintexts::keep_text`] for raw bytes (WAF search strings).
    pub(super) fn keep_bytes(&self, plaintext: &[u8]) -> SecretValue {
        let secret = SecretValue::from_bytes(plaintext);
        self.matcher(&secret, plaintext);
        secret
    }
}

/// Evaluates every non-literal value test of `accounts` against every value sent in the run,
/// storing the facts in place. Consumes the plaintexts.
pub(super) fn apply(accounts: &mut [AccountInventory], plaintexts: Plaintexts) {
    let inner = plaintexts.inner.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let sent: Vec<&str> = inner.sent.iter().map(String::as_str).collect();
    let pass = Pass { sent: &sent, matchers: &inner.matchers };
    for account in accounts.iter_mut() {
        // Pattern sets are referenced by ARN from the ACLs and rule groups of their account.
        let sets: BTreeMap<String, Vec<String>> = account
            .regex_pattern_sets
            .iter()
            .map(|set| {
                (set.arn.clone(), set.patterns.iter().map(|p| p.pattern.fingerprint.clone()).collect())
            })
            .collect();
        for acl in &mut account.web_acls {
            for rule in
                acl.rules.iter_mut().chain(&mut acl.pre_process_rules).chain(&mut acl.post_process_rules)
            {
                pass.rule(rule, &sets);
            }
        }
        for group in &mut account.rule_groups {
            for rule in &mut group.rules {
                pass.rule(rule, &sets);
            }
        }
        for lb in &mut account.load_balancers {
            for listener in &mut lb.listeners {
                for rule in &mut listener.rules {
                    for condition in &mut rule.conditions {
                        if let RuleCondition::HttpHeader { values, tests, regex, .. } = condition {
                            *tests = values.iter().map(|v| pass.alb_value(v, *regex)).collect();
                        }
                    }
                }
            }
        }
    }
}

struct Pass<'a> {
    sent: &'a [&'a str],
    matchers: &'a BTreeMap<String, Vec<u8>>,
}

/// The reason for a matcher whose plaintext the pass does not have (an inventory fragment
/// built outside a collection run).
const NOT_KEPT: &str = "the value of the test was not available to the matching pass";

impl Pass<'_> {
    fn plaintext(&self, secret: &SecretValue) -> Option<&[u8]> {
        self.matchers.get(&secret.fingerprint).map(Vec::as_slice)
    }

    fn not_kept() -> ValueTest {
        ValueTest { not_evaluated: Some(NOT_KEPT.to_string()), ..ValueTest::default() }
    }

    fn rule(&self, rule: &mut WafRule, sets: &BTreeMap<String, Vec<String>>) {
        self.statement(&mut rule.statement, sets, 0);
    }

    fn statement(&self, statement: &mut Statement, sets: &BTreeMap<String, Vec<String>>, depth: usize) {
        // The collector bounds the nesting already; this only keeps the recursion finite.
        if depth > 64 {
            return;
        }
        use edge_audit_checks::inventory::FieldToMatch::SingleHeader;
        match statement {
            Statement::And { statements } | Statement::Or { statements } => {
                for sub in statements {
                    self.statement(sub, sets, depth + 1);
                }
            }
            Statement::Not { statement } => self.statement(statement, sets, depth + 1),
            Statement::RateBased { scope_down: Some(sub), .. }
            | Statement::ManagedRuleGroup { scope_down: Some(sub), .. } => {
                self.statement(sub, sets, depth + 1)
            }
            Statement::ByteMatch {
                field: SingleHeader { .. },
                positional_constraint,
                search,
                transformations,
                test,
            } => {
                let literal =
                    positional_constraint == "EXACTLY" && transformations.iter().all(|t| t == "NONE");
                if literal {
                    return;
                }
                *test = Some(match self.plaintext(search) {
                    Some(plaintext) => evaluate(
                        &[Matcher::ByteMatch { search: plaintext, positional_constraint, transformations }],
                        self.sent,
                    ),
                    None => Self::not_kept(),
                });
            }
            Statement::RegexMatch { field: SingleHeader { .. }, pattern, transformations, test, .. } => {
                *test = Some(match self.plaintext(pattern) {
                    Some(plaintext) => {
                        let pattern = String::from_utf8_lossy(plaintext);
                        evaluate(&[Matcher::Regex { pattern: &pattern, transformations }], self.sent)
                    }
                    None => Self::not_kept(),
                });
            }
            Statement::RegexPatternSetReference {
                arn,
                field: SingleHeader { .. },
                transformations,
                test,
            } => {
                // A set that was not read stays without facts: the checks say so.
                let Some(fingerprints) = sets.get(arn.as_str()) else { return };
                let patterns: Option<Vec<String>> = fingerprints
                    .iter()
                    .map(|f| self.matchers.get(f).map(|p| String::from_utf8_lossy(p).into_owned()))
                    .collect();
                *test = Some(match patterns {
                    Some(patterns) if !patterns.is_empty() => {
                        let matchers: Vec<Matcher<'_>> =
                            patterns.iter().map(|p| Matcher::Regex { pattern: p, transformations }).collect();
                        evaluate(&matchers, self.sent)
                    }
                    // An empty set matches nothing.
                    Some(_) => ValueTest { required_chars: Some(usize::MAX), ..ValueTest::default() },
                    None => Self::not_kept(),
                });
            }
            _ => {}
        }
    }

    /// An ALB http-header condition value: a wildcard pattern, or a regex (`RegexValues`),
    /// evaluated like a WAF regex without transformations.
    fn alb_value(&self, value: &SecretValue, regex: bool) -> ValueTest {
        match self.plaintext(value) {
            Some(plaintext) => {
                let pattern = String::from_utf8_lossy(plaintext);
                let matcher = if regex {
                    Matcher::Regex { pattern: &pattern, transformations: &[] }
                } else {
                    Matcher::AlbValue { pattern: &pattern }
                };
                evaluate(&[matcher], self.sent)
            }
            None => Self::not_kept(),
        }
    }
}
