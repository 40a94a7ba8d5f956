//! Table tests of the header algebra (what a web ACL or listener rules require, and how a
//! distribution's request fares) and of the exposure model (entry points and reachability).

use super::headers::{acl_header_guard, judge_alternatives, listener_header_guard, AclHeaderGuard, Verdict};
use super::{Exposure, Perimeter};
use crate::index::Index;
use crate::inventory::*;
use crate::options::CheckOptions;
use crate::secret::SecretValue;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Header algebra
// ---------------------------------------------------------------------------------------------

fn secret(value: &str) -> Value {
    serde_json::to_value(SecretValue::from_plaintext(value)).expect("a secret value serialises")
}

fn byte_match(header: &str, value: &str, constraint: &str, transformations: &[&str]) -> Value {
    json!({"type": "byte_match", "field": {"type": "single_header", "name": header},
           "positional_constraint": constraint, "search": secret(value), "transformations": transformations})
}

fn exactly(header: &str, value: &str) -> Value {
    byte_match(header, value, "EXACTLY", &[])
}

fn not(statement: Value) -> Value {
    json!({"type": "not", "statement": statement})
}

fn and(statements: Vec<Value>) -> Value {
    json!({"type": "and", "statements": statements})
}

fn or(statements: Vec<Value>) -> Value {
    json!({"type": "or", "statements": statements})
}

fn geo() -> Value {
    json!({"type": "geo_match", "country_codes": ["DE"]})
}

fn managed(name: &str) -> Value {
    json!({"type": "managed_rule_group", "vendor": "AWS", "name": name})
}

fn rule(name: &str, priority: i64, action: Option<&str>, statement: Value) -> Value {
    json!({"name": name, "priority": priority, "action": action, "statement": statement})
}

fn acl(default_action: &str, rules: Vec<Value>) -> WebAcl {
    serde_json::from_value(json!({"arn": "arn:aws:wafv2:eu-west-1:1:regional/webacl/t/1", "name": "t",
                                  "scope": "REGIONAL", "region": "eu-west-1",
                                  "default_action": default_action, "rules": rules}))
    .expect("a web ACL")
}

fn origin(headers: &[(&str, &str)]) -> Origin {
    let headers: Vec<Value> = headers.iter().map(|(n, v)| json!({"name": n, "value": secret(v)})).collect();
    serde_json::from_value(json!({"id": "o", "domain_name": "api.example.com", "custom_headers": headers}))
        .expect("an origin")
}

/// How an ACL treats a request with `headers`: `None` when it does not enforce a header at all,
/// `Some(None)` when edge-audit cannot tell, else the verdict.
fn acl_verdict(
    acl: &WebAcl,
    account: &AccountInventory,
    headers: &[(&str, &str)],
) -> Option<Option<Verdict>> {
    let index = Index::build(account);
    match acl_header_guard(acl, &index) {
        AclHeaderGuard::Enforced(alternatives) => {
            Some(Some(judge_alternatives(&alternatives, &origin(headers))))
        }
        AclHeaderGuard::Unverifiable(_) => Some(None),
        AclHeaderGuard::NotEnforced(_) => None,
    }
}

/// (label, web ACL, headers the distribution sends, expected [`acl_verdict`]).
type AclCase<'a> = (&'a str, WebAcl, Vec<(&'a str, &'a str)>, Option<Option<Verdict>>);
/// (label, load balancer, headers sent, expected verdict or `None` when nothing is enforced).
type ListenerCase<'a> = (&'a str, LoadBalancer, Vec<(&'a str, &'a str)>, Option<Verdict>);
/// (label, account fields, backend ARN, services read, (exposure, entry points)).
type ExposureCase<'a> = (&'a str, Value, &'a str, &'a [&'a str], (&'a str, Vec<String>));

const H: &str = "x-origin-verify";
const V: &str = "4f1c1f6b1b7a4f1e9c3a8d2e7b6a5c4d";

#[test]
fn web_acl_header_algebra() {
    use Verdict::{CouldNotVerify, Mismatch, Satisfied};
    let sat = Some(Some(Satisfied));
    let mis = Some(Some(Mismatch));
    let cnv = Some(Some(CouldNotVerify));
    let unverifiable = Some(None);
    let open = None;
    let allow_header = || rule("allow", 0, Some("allow"), exactly(H, V));
    let regex_set_arn = "arn:aws:wafv2:eu-west-1:1:regional/regexpatternset/s/1";
    let account: AccountInventory = serde_json::from_value(json!({"account_id": "1", "regex_pattern_sets": [
        {"arn": regex_set_arn, "name": "s", "scope": "REGIONAL", "region": "eu-west-1",
         "patterns": [{"pattern": secret("^other$"), "literal": secret("other")}]}]}))
    .expect("an account");
    let cases: Vec<AclCase<'_>> = vec![
        ("block + allow EXACTLY, right value", acl("block", vec![allow_header()]), vec![(H, V)], sat),
        ("block + allow EXACTLY, wrong value", acl("block", vec![allow_header()]), vec![(H, "nope")], mis),
        ("block + allow EXACTLY, no header", acl("block", vec![allow_header()]), vec![], mis),
        (
            "block + allow EXACTLY, header name case",
            acl("block", vec![rule("a", 0, Some("allow"), exactly("X-Origin-Verify", V))]),
            vec![(H, V)],
            sat,
        ),
        (
            "block + allow without a header",
            acl("block", vec![rule("geo", 0, Some("allow"), geo())]),
            vec![(H, V)],
            open,
        ),
        (
            "block + header allow + geo allow",
            acl("block", vec![allow_header(), rule("geo", 1, Some("allow"), geo())]),
            vec![],
            open,
        ),
        (
            "block + nothing allowed",
            acl("block", vec![rule("m", 0, None, managed("AWSManagedRulesCommonRuleSet"))]),
            vec![(H, V)],
            mis,
        ),
        (
            "block + counted allow rule is not an allow",
            acl("block", vec![rule("c", 0, Some("count"), geo()), allow_header()]),
            vec![(H, V)],
            sat,
        ),
        (
            "allow + block NOT header, right value",
            acl("allow", vec![rule("b", 0, Some("block"), not(exactly(H, V)))]),
            vec![(H, V)],
            sat,
        ),
        (
            "allow + block NOT header, wrong value",
            acl("allow", vec![rule("b", 0, Some("block"), not(exactly(H, V)))]),
            vec![(H, "x")],
            mis,
        ),
        (
            "allow + earlier allow bypasses the block",
            acl(
                "allow",
                vec![rule("geo", 0, Some("allow"), geo()), rule("b", 1, Some("block"), not(exactly(H, V)))],
            ),
            vec![(H, V)],
            open,
        ),
        (
            "allow + later allow does not bypass",
            acl(
                "allow",
                vec![rule("b", 0, Some("block"), not(exactly(H, V))), rule("geo", 1, Some("allow"), geo())],
            ),
            vec![(H, V)],
            sat,
        ),
        ("allow + no rule", acl("allow", vec![]), vec![(H, V)], open),
        (
            "allow + only managed groups",
            acl("allow", vec![rule("m", 0, None, managed("AWSManagedRulesCommonRuleSet"))]),
            vec![],
            open,
        ),
        (
            "block + allow OR of two headers, second",
            acl("block", vec![rule("a", 0, Some("allow"), or(vec![exactly("a", "1"), exactly("b", "2")]))]),
            vec![("b", "2")],
            sat,
        ),
        (
            "block + allow OR of two headers, neither",
            acl("block", vec![rule("a", 0, Some("allow"), or(vec![exactly("a", "1"), exactly("b", "2")]))]),
            vec![("a", "2")],
            mis,
        ),
        (
            "block + allow AND of two headers, one",
            acl("block", vec![rule("a", 0, Some("allow"), and(vec![exactly("a", "1"), exactly("b", "2")]))]),
            vec![("a", "1")],
            mis,
        ),
        (
            "block + allow AND of two headers, both",
            acl("block", vec![rule("a", 0, Some("allow"), and(vec![exactly("a", "1"), exactly("b", "2")]))]),
            vec![("a", "1"), ("b", "2")],
            sat,
        ),
        (
            "block + allow AND header and geo",
            acl("block", vec![rule("a", 0, Some("allow"), and(vec![exactly(H, V), geo()]))]),
            vec![(H, V)],
            sat,
        ),
        (
            "block + allow OR header or geo",
            acl("block", vec![rule("a", 0, Some("allow"), or(vec![exactly(H, V), geo()]))]),
            vec![(H, V)],
            open,
        ),
        (
            "allow + block NOT OR, second value",
            acl("allow", vec![rule("b", 0, Some("block"), not(or(vec![exactly(H, "old"), exactly(H, V)])))]),
            vec![(H, V)],
            sat,
        ),
        (
            "allow + two blocking NOTs, both needed",
            acl(
                "allow",
                vec![
                    rule("b1", 0, Some("block"), not(exactly("a", "1"))),
                    rule("b2", 1, Some("block"), not(exactly("b", "2"))),
                ],
            ),
            vec![("a", "1")],
            mis,
        ),
        (
            "allow + two blocking NOTs, both sent",
            acl(
                "allow",
                vec![
                    rule("b1", 0, Some("block"), not(exactly("a", "1"))),
                    rule("b2", 1, Some("block"), not(exactly("b", "2"))),
                ],
            ),
            vec![("a", "1"), ("b", "2")],
            sat,
        ),
        (
            "STARTS_WITH, other value: cannot compare",
            acl("block", vec![rule("a", 0, Some("allow"), byte_match(H, V, "STARTS_WITH", &[]))]),
            vec![(H, "zzz")],
            cnv,
        ),
        (
            "STARTS_WITH, same value",
            acl("block", vec![rule("a", 0, Some("allow"), byte_match(H, V, "STARTS_WITH", &[]))]),
            vec![(H, V)],
            sat,
        ),
        (
            "EXACTLY after LOWERCASE, other value: cannot compare",
            acl("block", vec![rule("a", 0, Some("allow"), byte_match(H, V, "EXACTLY", &["LOWERCASE"]))]),
            vec![(H, "Q")],
            cnv,
        ),
        (
            "anchored literal regex, same",
            acl(
                "block",
                vec![rule(
                    "a",
                    0,
                    Some("allow"),
                    json!({"type": "regex_match", "field": {"type": "single_header", "name": H}, "pattern": secret(&format!("^{V}$")), "literal": secret(V)}),
                )],
            ),
            vec![(H, V)],
            sat,
        ),
        (
            "anchored literal regex, other",
            acl(
                "block",
                vec![rule(
                    "a",
                    0,
                    Some("allow"),
                    json!({"type": "regex_match", "field": {"type": "single_header", "name": H}, "pattern": secret(&format!("^{V}$")), "literal": secret(V)}),
                )],
            ),
            vec![(H, "x")],
            mis,
        ),
        (
            "regex that is not a literal",
            acl(
                "block",
                vec![rule(
                    "a",
                    0,
                    Some("allow"),
                    json!({"type": "regex_match", "field": {"type": "single_header", "name": H}, "pattern": secret("^[a-f0-9]{32}$")}),
                )],
            ),
            vec![(H, V)],
            cnv,
        ),
        (
            "regex pattern set not collected",
            acl(
                "block",
                vec![rule(
                    "a",
                    0,
                    Some("allow"),
                    json!({"type": "regex_pattern_set_reference", "field": {"type": "single_header", "name": H}, "arn": "arn:aws:wafv2:eu-west-1:1:regional/regexpatternset/missing/2"}),
                )],
            ),
            vec![(H, V)],
            cnv,
        ),
        (
            "regex pattern set with another literal",
            acl(
                "block",
                vec![rule(
                    "a",
                    0,
                    Some("allow"),
                    json!({"type": "regex_pattern_set_reference", "field": {"type": "single_header", "name": H}, "arn": regex_set_arn}),
                )],
            ),
            vec![(H, V)],
            mis,
        ),
        (
            "regex pattern set with the literal",
            acl(
                "block",
                vec![rule(
                    "a",
                    0,
                    Some("allow"),
                    json!({"type": "regex_pattern_set_reference", "field": {"type": "single_header", "name": H}, "arn": regex_set_arn}),
                )],
            ),
            vec![(H, "other")],
            sat,
        ),
        (
            "custom rule group may allow",
            acl(
                "block",
                vec![rule(
                    "g",
                    0,
                    None,
                    json!({"type": "rule_group_reference", "arn": "arn:aws:wafv2:eu-west-1:1:regional/rulegroup/g/1"}),
                )],
            ),
            vec![(H, V)],
            unverifiable,
        ),
        (
            "custom rule group overridden to count",
            acl(
                "block",
                vec![
                    json!({"name": "g", "priority": 0, "override_count": true, "statement": {"type": "rule_group_reference", "arn": "arn:aws:wafv2:eu-west-1:1:regional/rulegroup/g/1"}}),
                    allow_header(),
                ],
            ),
            vec![(H, V)],
            sat,
        ),
    ];
    assert!(cases.len() >= 30);
    for (label, acl, headers, expected) in cases {
        assert_eq!(acl_verdict(&acl, &account, &headers), expected, "{label}");
    }
}

/// `statement` with the facts the collector's matching pass stores: it accepts the sent
/// values `accepts`, and any accepted value holds `required` fixed characters.
fn tested(
    mut statement: Value,
    accepts: &[&str],
    required: Option<usize>,
    not_evaluated: Option<&str>,
) -> Value {
    let fingerprints: Vec<String> =
        accepts.iter().map(|v| SecretValue::from_plaintext(v).fingerprint).collect();
    statement["test"] =
        json!({"accepts": fingerprints, "required_chars": required, "not_evaluated": not_evaluated});
    statement
}

fn regex(header: &str) -> Value {
    json!({"type": "regex_match", "field": {"type": "single_header", "name": header}, "pattern": secret("(pattern)")})
}

fn group_ref(name: &str, extra: Value) -> Value {
    let mut statement = json!({"type": "rule_group_reference", "arn": format!("arn:aws:wafv2:eu-west-1:1:regional/rulegroup/{name}/1")});
    if let (Some(s), Some(extra)) = (statement.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            s.insert(k.clone(), v.clone());
        }
    }
    statement
}

fn group_rule(name: &str, priority: i64, statement: Value) -> Value {
    json!({"name": name, "priority": priority, "action": null, "statement": statement})
}

#[test]
fn evaluated_tests_rule_groups_labels_and_firewall_manager() {
    use Verdict::{CouldNotVerify, Mismatch, Satisfied};
    let sat = Some(Some(Satisfied));
    let mis = Some(Some(Mismatch));
    let cnv = Some(Some(CouldNotVerify));
    let unverifiable = Some(None);
    let open = None;
    let group = |name: &str, rules: Vec<Value>| {
        json!({"arn": format!("arn:aws:wafv2:eu-west-1:1:regional/rulegroup/{name}/1"), "name": name,
               "scope": "REGIONAL", "region": "eu-west-1", "rules": rules})
    };
    let account: AccountInventory = serde_json::from_value(json!({"account_id": "1", "rule_groups": [
        group("gate", vec![rule("allow-header", 0, Some("allow"), exactly(H, V))]),
        group("wrong-header", vec![rule("allow-header", 0, Some("allow"), exactly("x-other", V))]),
        group("gate-block", vec![rule("block-without", 0, Some("block"), not(exactly(H, V)))]),
        group("labeller", vec![json!({"name": "mark", "priority": 0, "action": "count", "labels": ["origin:verified"],
                                      "statement": exactly(H, V)})]),
        group("presence", vec![rule("allow-any", 0, Some("allow"),
                                    tested(regex(H), &[V], Some(0), None))]),
    ]}))
    .expect("an account");
    let secret_regex = || tested(regex(H), &[V], Some(32), None);
    let cases: Vec<AclCase<'_>> = vec![
        (
            "regex accepting the sent value",
            acl("block", vec![rule("a", 0, Some("allow"), secret_regex())]),
            vec![(H, V)],
            sat,
        ),
        (
            "regex rejecting the sent value",
            acl("block", vec![rule("a", 0, Some("allow"), secret_regex())]),
            vec![(H, "x")],
            mis,
        ),
        (
            "regex not evaluated",
            acl("block", vec![rule("a", 0, Some("allow"), tested(regex(H), &[], None, Some("look-around")))]),
            vec![(H, V)],
            cnv,
        ),
        (
            "regex .* is presence only",
            acl("block", vec![rule("a", 0, Some("allow"), tested(regex(H), &[V, "x"], Some(0), None))]),
            vec![(H, V)],
            open,
        ),
        (
            "short CONTAINS is a fragment",
            acl(
                "block",
                vec![rule(
                    "a",
                    0,
                    Some("allow"),
                    tested(byte_match(H, "4f1c", "CONTAINS", &[]), &[V], Some(4), None),
                )],
            ),
            vec![(H, V)],
            open,
        ),
        (
            "default Allow, block NOT presence is no lock",
            acl("allow", vec![rule("b", 0, Some("block"), not(tested(regex(H), &[V], Some(1), None)))]),
            vec![(H, V)],
            open,
        ),
        (
            "transformed byte match accepting the sent value",
            acl(
                "block",
                vec![rule(
                    "a",
                    0,
                    Some("allow"),
                    tested(byte_match(H, V, "EXACTLY", &["LOWERCASE"]), &[V], Some(32), None),
                )],
            ),
            vec![(H, V)],
            sat,
        ),
        (
            "transformed byte match rejecting it",
            acl(
                "block",
                vec![rule(
                    "a",
                    0,
                    Some("allow"),
                    tested(byte_match(H, V, "EXACTLY", &["BASE64_DECODE"]), &[], Some(32), None),
                )],
            ),
            vec![(H, V)],
            mis,
        ),
        (
            "rule group gate, right header",
            acl("block", vec![group_rule("g", 0, group_ref("gate", json!({})))]),
            vec![(H, V)],
            sat,
        ),
        (
            "rule group gate, wrong value",
            acl("block", vec![group_rule("g", 0, group_ref("gate", json!({})))]),
            vec![(H, "x")],
            mis,
        ),
        (
            "rule group checks another header",
            acl("block", vec![group_rule("g", 0, group_ref("wrong-header", json!({})))]),
            vec![(H, V)],
            mis,
        ),
        (
            "rule group gate excluded: allows nothing",
            acl(
                "block",
                vec![group_rule("g", 0, group_ref("gate", json!({"excluded_rules": ["allow-header"]})))],
            ),
            vec![(H, V)],
            mis,
        ),
        (
            "rule group block overridden to count",
            acl(
                "allow",
                vec![group_rule(
                    "g",
                    0,
                    group_ref(
                        "gate-block",
                        json!({"rule_action_overrides": [{"name": "block-without", "action": "count"}]}),
                    ),
                )],
            ),
            vec![(H, V)],
            open,
        ),
        (
            "rule group block gate",
            acl("allow", vec![group_rule("g", 0, group_ref("gate-block", json!({})))]),
            vec![(H, V)],
            sat,
        ),
        (
            "rule group with a presence test",
            acl("block", vec![group_rule("g", 0, group_ref("presence", json!({})))]),
            vec![(H, V)],
            open,
        ),
        (
            "rule group not read",
            acl("block", vec![group_rule("g", 0, group_ref("missing", json!({})))]),
            vec![(H, V)],
            unverifiable,
        ),
        (
            "Count rule labels, block NOT label",
            acl(
                "allow",
                vec![
                    json!({"name": "mark", "priority": 0, "action": "count", "labels": ["origin:verified"], "statement": exactly(H, V)}),
                    rule(
                        "b",
                        1,
                        Some("block"),
                        not(json!({"type": "label_match", "scope": "LABEL", "key": "origin:verified"})),
                    ),
                ],
            ),
            vec![(H, V)],
            sat,
        ),
        (
            "Count rule labels, block NOT label, wrong value",
            acl(
                "allow",
                vec![
                    json!({"name": "mark", "priority": 0, "action": "count", "labels": ["origin:verified"], "statement": exactly(H, V)}),
                    rule(
                        "b",
                        1,
                        Some("block"),
                        not(json!({"type": "label_match", "scope": "LABEL", "key": "verified"})),
                    ),
                ],
            ),
            vec![(H, "x")],
            mis,
        ),
        (
            "label of a rule group, allow on namespace",
            acl(
                "block",
                vec![
                    group_rule("g", 0, group_ref("labeller", json!({}))),
                    rule(
                        "a",
                        1,
                        Some("allow"),
                        json!({"type": "label_match", "scope": "NAMESPACE", "key": "awswaf:1:rulegroup:labeller:origin:"}),
                    ),
                ],
            ),
            vec![(H, V)],
            sat,
        ),
        (
            "Count NOT(header) labels requests without it, a later rule blocks the label",
            acl(
                "allow",
                vec![
                    json!({"name": "mark-missing", "priority": 0, "action": "count", "labels": ["origin:missing"],
                           "statement": not(exactly(H, V))}),
                    rule(
                        "b",
                        1,
                        Some("block"),
                        json!({"type": "label_match", "scope": "LABEL", "key": "origin:missing"}),
                    ),
                ],
            ),
            vec![(H, V)],
            sat,
        ),
        (
            "Count NOT(header) label then block, wrong value",
            acl(
                "allow",
                vec![
                    json!({"name": "mark-missing", "priority": 0, "action": "count", "labels": ["origin:missing"],
                           "statement": not(exactly(H, V))}),
                    rule(
                        "b",
                        1,
                        Some("block"),
                        json!({"type": "label_match", "scope": "LABEL", "key": "origin:missing"}),
                    ),
                ],
            ),
            vec![(H, "x")],
            mis,
        ),
        (
            "Count of a plain header match labels, blocking that label is no lock",
            acl(
                "allow",
                vec![
                    json!({"name": "mark", "priority": 0, "action": "count", "labels": ["origin:verified"],
                           "statement": exactly(H, V)}),
                    rule(
                        "b",
                        1,
                        Some("block"),
                        json!({"type": "label_match", "scope": "LABEL", "key": "origin:verified"}),
                    ),
                ],
            ),
            vec![(H, V)],
            open,
        ),
        (
            "block OR(NOT header, geo) under default Allow",
            acl("allow", vec![rule("b", 0, Some("block"), or(vec![not(exactly(H, V)), geo()]))]),
            vec![(H, V)],
            sat,
        ),
        (
            "block AND(NOT header, geo): requests outside the country pass without it",
            acl("allow", vec![rule("b", 0, Some("block"), and(vec![not(exactly(H, V)), geo()]))]),
            vec![(H, V)],
            open,
        ),
        (
            "Challenge NOT(header) is no lock (a solved challenge gets through)",
            acl("allow", vec![rule("c", 0, Some("challenge"), not(exactly(H, V)))]),
            vec![(H, V)],
            open,
        ),
        (
            "CAPTCHA NOT(header) is no lock",
            acl("allow", vec![rule("c", 0, Some("captcha"), not(exactly(H, V)))]),
            vec![(H, V)],
            open,
        ),
        (
            "default Block: an Allow after a block NOT(header) needs both headers",
            acl(
                "block",
                vec![
                    rule("b", 0, Some("block"), not(exactly(H, V))),
                    rule("a", 1, Some("allow"), exactly("x-other", V)),
                ],
            ),
            vec![(H, V)],
            mis,
        ),
        (
            "default Block: an Allow after a block NOT(header), both sent",
            acl(
                "block",
                vec![
                    rule("b", 0, Some("block"), not(exactly(H, V))),
                    rule("a", 1, Some("allow"), exactly("x-other", V)),
                ],
            ),
            vec![(H, V), ("x-other", V)],
            sat,
        ),
        (
            "label match before the labelling rule",
            acl(
                "allow",
                vec![
                    rule(
                        "b",
                        0,
                        Some("block"),
                        not(json!({"type": "label_match", "scope": "LABEL", "key": "origin:verified"})),
                    ),
                    json!({"name": "mark", "priority": 1, "action": "count", "labels": ["origin:verified"], "statement": exactly(H, V)}),
                ],
            ),
            vec![(H, V)],
            open,
        ),
        (
            "label of a managed group",
            acl(
                "block",
                vec![
                    rule("m", 0, None, managed("AWSManagedRulesBotControlRuleSet")),
                    rule(
                        "a",
                        1,
                        Some("allow"),
                        json!({"type": "label_match", "scope": "LABEL", "key": "awswaf:managed:aws:bot-control:bot:verified"}),
                    ),
                ],
            ),
            vec![(H, V)],
            open,
        ),
        (
            "Firewall Manager pre-process gate",
            {
                let mut acl = acl("allow", vec![rule("geo", 0, Some("allow"), geo())]);
                acl.pre_process_rules =
                    serde_json::from_value(json!([group_rule("fms", 0, group_ref("gate-block", json!({})))]))
                        .expect("rules");
                acl
            },
            vec![(H, V)],
            sat,
        ),
        (
            "Firewall Manager post-process gate comes after an allow",
            {
                let mut acl = acl("allow", vec![rule("geo", 0, Some("allow"), geo())]);
                acl.post_process_rules =
                    serde_json::from_value(json!([group_rule("fms", 0, group_ref("gate-block", json!({})))]))
                        .expect("rules");
                acl
            },
            vec![(H, V)],
            open,
        ),
        (
            "allow on header before block NOT other header",
            acl(
                "allow",
                vec![
                    rule("a", 0, Some("allow"), exactly("a", "1")),
                    rule("b", 1, Some("block"), not(exactly(H, V))),
                ],
            ),
            vec![("a", "1")],
            sat,
        ),
    ];
    for (label, acl, headers, expected) in cases {
        assert_eq!(acl_verdict(&acl, &account, &headers), expected, "{label}");
    }
}

fn listener(default: &str, rules: Vec<Value>) -> Value {
    let default = match default {
        "forward" => json!([{"type": "forward", "target_group_arns": ["tg"]}]),
        _ => json!([{"type": "fixed_response", "status_code": "403"}]),
    };
    json!({"arn": "l", "port": 443, "protocol": "HTTPS", "default_actions": default, "rules": rules})
}

fn lb_rule(priority: i64, conditions: Vec<Value>, action: &str) -> Value {
    let actions = match action {
        "forward" => json!([{"type": "forward", "target_group_arns": ["tg"]}]),
        _ => json!([{"type": "redirect"}]),
    };
    json!({"arn": format!("r{priority}"), "priority": priority, "conditions": conditions, "actions": actions})
}

/// A header condition with the matching pass's facts: value `i` accepts the sent values
/// `accepts[i]` and needs `required[i]` fixed characters.
fn tested_condition(values: &[&str], accepts: &[&[&str]], required: &[usize]) -> Value {
    let tests: Vec<Value> = accepts
        .iter()
        .zip(required)
        .map(|(accepted, required)| {
            let fingerprints: Vec<String> =
                accepted.iter().map(|v| SecretValue::from_plaintext(v).fingerprint).collect();
            json!({"accepts": fingerprints, "required_chars": required})
        })
        .collect();
    json!({"type": "http_header", "name": H, "values": values.iter().map(|v| secret(v)).collect::<Vec<_>>(), "tests": tests})
}

/// [`tested_condition`] with `RegexValues` (regular expressions) instead of wildcard values.
fn regex_condition(patterns: &[&str], tests: Option<(&[&[&str]], &[usize])>) -> Value {
    let mut condition = match tests {
        Some((accepts, required)) => tested_condition(patterns, accepts, required),
        None => header_condition(patterns),
    };
    condition["regex"] = json!(true);
    condition
}

fn header_condition(values: &[&str]) -> Value {
    json!({"type": "http_header", "name": H, "values": values.iter().map(|v| secret(v)).collect::<Vec<_>>()})
}

#[test]
fn listener_rule_header_algebra() {
    use Verdict::{Mismatch, Satisfied};
    let lb = |listeners: Vec<Value>| -> LoadBalancer {
        serde_json::from_value(
            json!({"arn": "lb", "name": "web", "scheme": "internet-facing", "listeners": listeners}),
        )
        .expect("a load balancer")
    };
    let path = json!({"type": "path_pattern", "values": ["/admin/*"]});
    let cases: Vec<ListenerCase<'_>> = vec![
        (
            "403 default, forward on header, sent",
            lb(vec![listener("403", vec![lb_rule(1, vec![header_condition(&[V])], "forward")])]),
            vec![(H, V)],
            Some(Satisfied),
        ),
        (
            "403 default, forward on header, other value",
            lb(vec![listener("403", vec![lb_rule(1, vec![header_condition(&[V])], "forward")])]),
            vec![(H, "x")],
            Some(Mismatch),
        ),
        (
            "forwards by default",
            lb(vec![listener("forward", vec![lb_rule(1, vec![header_condition(&[V])], "forward")])]),
            vec![(H, V)],
            None,
        ),
        (
            "a rule forwards without a header",
            lb(vec![listener(
                "403",
                vec![
                    lb_rule(1, vec![header_condition(&[V])], "forward"),
                    lb_rule(2, vec![path.clone()], "forward"),
                ],
            )]),
            vec![(H, V)],
            None,
        ),
        (
            "a redirect without a header is no way in",
            lb(vec![listener(
                "403",
                vec![
                    lb_rule(1, vec![header_condition(&[V])], "forward"),
                    lb_rule(2, vec![path.clone()], "redirect"),
                ],
            )]),
            vec![(H, V)],
            Some(Satisfied),
        ),
        (
            "header and path condition",
            lb(vec![listener(
                "403",
                vec![lb_rule(1, vec![header_condition(&[V]), path.clone()], "forward")],
            )]),
            vec![(H, V)],
            Some(Satisfied),
        ),
        (
            "two values, the second sent",
            lb(vec![listener("403", vec![lb_rule(1, vec![header_condition(&["old", V])], "forward")])]),
            vec![(H, V)],
            Some(Satisfied),
        ),
        ("no listener", lb(vec![]), vec![(H, V)], None),
        (
            "a presence test beside the secret only narrows the match (conditions are ANDed)",
            lb(vec![listener(
                "403",
                vec![lb_rule(
                    1,
                    vec![
                        header_condition(&[V]),
                        json!({"type": "http_header", "name": "user-agent", "values": [secret("*")],
                               "tests": [{"accepts": [], "required_chars": 0}]}),
                    ],
                    "forward",
                )],
            )]),
            vec![(H, V)],
            Some(Satisfied),
        ),
        (
            "a catch-all fixed response before a forwarding default leaves the default unreachable",
            lb(vec![listener(
                "forward",
                vec![
                    lb_rule(1, vec![header_condition(&[V])], "forward"),
                    lb_rule(2, vec![json!({"type": "path_pattern", "values": ["*"]})], "redirect"),
                ],
            )]),
            vec![(H, V)],
            Some(Satisfied),
        ),
        (
            "rules are evaluated by priority, not by their order in the listing",
            lb(vec![listener(
                "forward",
                vec![
                    lb_rule(9, vec![json!({"type": "path_pattern", "values": ["/*"]})], "redirect"),
                    lb_rule(1, vec![header_condition(&[V])], "forward"),
                ],
            )]),
            vec![(H, V)],
            Some(Satisfied),
        ),
        (
            "a catch-all that only covers some paths does not hide the default",
            lb(vec![listener(
                "forward",
                vec![
                    lb_rule(1, vec![header_condition(&[V])], "forward"),
                    lb_rule(2, vec![path.clone()], "redirect"),
                ],
            )]),
            vec![(H, V)],
            None,
        ),
        (
            "a forwarding rule before the catch-all still needs the header",
            lb(vec![listener(
                "403",
                vec![
                    lb_rule(1, vec![path.clone()], "forward"),
                    lb_rule(2, vec![json!({"type": "path_pattern", "values": ["*"]})], "redirect"),
                ],
            )]),
            vec![(H, V)],
            None,
        ),
        (
            "a value of * only tests presence",
            lb(vec![listener(
                "403",
                vec![lb_rule(1, vec![tested_condition(&["*"], &[&[V]], &[0])], "forward")],
            )]),
            vec![(H, V)],
            None,
        ),
        (
            "a wildcard value keeping a fragment",
            lb(vec![listener(
                "403",
                vec![lb_rule(1, vec![tested_condition(&["4f1c*"], &[&[V]], &[4])], "forward")],
            )]),
            vec![(H, V)],
            None,
        ),
        (
            "the secret in another case (ALB compares case-insensitively)",
            lb(vec![listener(
                "403",
                vec![lb_rule(1, vec![tested_condition(&["UPPER"], &[&[V]], &[32])], "forward")],
            )]),
            vec![(H, V)],
            Some(Satisfied),
        ),
        (
            "a tested value the distribution does not send",
            lb(vec![listener(
                "403",
                vec![lb_rule(1, vec![tested_condition(&["other"], &[&[]], &[32])], "forward")],
            )]),
            vec![(H, V)],
            Some(Mismatch),
        ),
        (
            "two conditions ANDed, one fails",
            lb(vec![listener(
                "403",
                vec![lb_rule(
                    1,
                    vec![
                        header_condition(&[V]),
                        json!({"type": "http_header", "name": "x-b", "values": [secret("b")]}),
                    ],
                    "forward",
                )],
            )]),
            vec![(H, V)],
            Some(Mismatch),
        ),
        (
            "an HTTP listener that only redirects is no way in",
            lb(vec![
                listener("403", vec![lb_rule(1, vec![header_condition(&[V])], "forward")]),
                json!({"arn": "l80", "port": 80, "protocol": "HTTP", "default_actions": [{"type": "redirect", "port": "443", "protocol": "HTTPS"}], "rules": []}),
            ]),
            vec![(H, V)],
            Some(Satisfied),
        ),
        (
            "a regex (RegexValues) holding the secret, anchored",
            lb(vec![listener(
                "403",
                vec![lb_rule(1, vec![regex_condition(&["^secret$"], Some((&[&[V]], &[32])))], "forward")],
            )]),
            vec![(H, V)],
            Some(Satisfied),
        ),
        (
            "a regex .+ only tests presence",
            lb(vec![listener(
                "403",
                vec![lb_rule(1, vec![regex_condition(&[".+"], Some((&[&[V]], &[0])))], "forward")],
            )]),
            vec![(H, V)],
            None,
        ),
        (
            "a regex the distribution's value does not match",
            lb(vec![listener(
                "403",
                vec![lb_rule(1, vec![regex_condition(&["^other$"], Some((&[&[]], &[32])))], "forward")],
            )]),
            vec![(H, V)],
            Some(Mismatch),
        ),
        (
            "a regex without the matching pass's facts is never compared as a literal",
            lb(vec![listener("403", vec![lb_rule(1, vec![regex_condition(&[V], None)], "forward")])]),
            vec![(H, V)],
            Some(Verdict::CouldNotVerify),
        ),
        (
            "a second listener forwards by default",
            lb(vec![
                listener("403", vec![lb_rule(1, vec![header_condition(&[V])], "forward")]),
                listener("forward", vec![]),
            ]),
            vec![(H, V)],
            None,
        ),
    ];
    for (label, lb, headers, expected) in cases {
        let verdict =
            listener_header_guard(&lb).ok().map(|alts| judge_alternatives(&alts, &origin(&headers)));
        assert_eq!(verdict, expected, "{label}");
    }
}

// ---------------------------------------------------------------------------------------------
// Exposure
// ---------------------------------------------------------------------------------------------

fn coverage(services: &[&str]) -> Vec<Value> {
    let mut out = vec![json!({"region": "global", "service": "cloudfront", "status": "collected"})];
    out.extend(services.iter().map(|s| json!({"region": "eu-west-1", "service": s, "status": "collected"})));
    out
}

const ALL_REGIONAL: &[&str] = &["apigateway", "apigatewayv2", "wafv2-regional", "ec2", "elbv2", "lambda"];

fn rest_api(extra: Value) -> Value {
    let mut api = json!({"id": "a1", "arn": "arn:aws:apigateway:eu-west-1::/restapis/a1", "name": "api",
                         "region": "eu-west-1", "endpoint_types": ["REGIONAL"], "stages": [{"name": "prod"}],
                         "resources": [{"id": "r", "path": "/items", "methods": [
                             {"http_method": "GET", "authorization_type": "NONE", "api_key_required": false}]}]});
    if let (Some(api), Some(extra)) = (api.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            api.insert(k.clone(), v.clone());
        }
    }
    api
}

fn domain(endpoint_type: &str, stage: Option<&str>, base_path: &str) -> Value {
    json!({"name": "api.example.com", "region": "eu-west-1", "endpoint_type": endpoint_type,
           "mappings": [{"base_path": base_path, "api_id": "a1", "stage": stage}]})
}

/// The exposure and entry points (described) of backend `arn` in an account built from `extra`.
fn backend(extra: Value, arn: &str, services: &[&str]) -> (String, Vec<String>) {
    let mut account = json!({"account_id": "1", "partition": "aws", "regions": ["eu-west-1"], "coverage": coverage(services)});
    if let (Some(a), Some(extra)) = (account.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            a.insert(k.clone(), v.clone());
        }
    }
    let account: AccountInventory = serde_json::from_value(account).expect("an account");
    let index = Index::build(&account);
    let options = CheckOptions::default();
    let perimeter = Perimeter::build(&account, &index, &options);
    let backend = perimeter.backend(arn).unwrap_or_else(|| panic!("no backend {arn}"));
    let exposure = match &backend.exposure {
        Exposure::Locked(guards) => format!("locked:{}", guards.join("+")),
        other => other.as_str().to_string(),
    };
    (exposure, backend.entry_point_descriptions())
}

const STAGE: &str = "arn:aws:apigateway:eu-west-1::/restapis/a1/stages/prod";

#[test]
fn exposure_and_entry_points() {
    let exec = "execute-api https://a1.execute-api.eu-west-1.amazonaws.com/prod".to_string();
    let custom = |prefix: &str| format!("custom-domain https://api.example.com{prefix}");
    let iam_everywhere = json!({"resources": [{"id": "r", "path": "/items", "methods": [
        {"http_method": "GET", "authorization_type": "AWS_IAM", "api_key_required": false}]}]});
    let keyed = json!({"resources": [{"id": "r", "path": "/items", "methods": [
        {"http_method": "GET", "authorization_type": "NONE", "api_key_required": true}]}]});
    let header_acl_arn = "arn:aws:wafv2:eu-west-1:1:regional/webacl/t/1";
    let mut header_acl =
        serde_json::to_value(acl("block", vec![rule("allow", 0, Some("allow"), exactly(H, V))]))
            .expect("acl");
    header_acl["arn"] = json!(header_acl_arn);
    let cases: Vec<ExposureCase<'_>> = vec![
        (
            "open REST stage",
            json!({"rest_apis": [rest_api(json!({}))]}),
            STAGE,
            ALL_REGIONAL,
            ("internet", vec![exec.clone()]),
        ),
        (
            "default endpoint disabled, no domain",
            json!({"rest_apis": [rest_api(json!({"disable_execute_api_endpoint": true}))]}),
            STAGE,
            ALL_REGIONAL,
            ("locked:not-public", vec![]),
        ),
        (
            "default endpoint disabled, a custom domain maps the stage",
            json!({"rest_apis": [rest_api(json!({"disable_execute_api_endpoint": true}))], "domain_names": [domain("REGIONAL", Some("prod"), "")]}),
            STAGE,
            ALL_REGIONAL,
            ("internet", vec![custom("")]),
        ),
        (
            "custom domain maps another stage",
            json!({"rest_apis": [rest_api(json!({"disable_execute_api_endpoint": true}))], "domain_names": [domain("REGIONAL", Some("dev"), "")]}),
            STAGE,
            ALL_REGIONAL,
            ("locked:not-public", vec![]),
        ),
        (
            "edge custom domain with a base path",
            json!({"rest_apis": [rest_api(json!({}))], "domain_names": [domain("EDGE", Some("prod"), "v1")]}),
            STAGE,
            ALL_REGIONAL,
            ("internet", vec![exec.clone(), custom("/v1")]),
        ),
        (
            "mapping without a stage: the caller names it",
            json!({"rest_apis": [rest_api(json!({"disable_execute_api_endpoint": true}))], "domain_names": [domain("REGIONAL", None, "shop")]}),
            STAGE,
            ALL_REGIONAL,
            ("internet", vec![custom("/shop/prod")]),
        ),
        (
            "private custom domain is no public door",
            json!({"rest_apis": [rest_api(json!({"disable_execute_api_endpoint": true}))], "domain_names": [domain("PRIVATE", Some("prod"), "")]}),
            STAGE,
            ALL_REGIONAL,
            ("locked:not-public", vec![]),
        ),
        (
            "PRIVATE API",
            json!({"rest_apis": [rest_api(json!({"endpoint_types": ["PRIVATE"]}))], "domain_names": [domain("REGIONAL", Some("prod"), "")]}),
            STAGE,
            ALL_REGIONAL,
            ("locked:not-public", vec![]),
        ),
        (
            "stage behind a header ACL",
            json!({"rest_apis": [rest_api(json!({"stages": [{"name": "prod", "web_acl_arn": header_acl_arn}]}))], "web_acls": [header_acl.clone()]}),
            STAGE,
            ALL_REGIONAL,
            ("locked:secret-header-check", vec![exec.clone()]),
        ),
        (
            "AWS_IAM everywhere without a signer",
            json!({"rest_apis": [rest_api(iam_everywhere.clone())]}),
            STAGE,
            ALL_REGIONAL,
            ("internet", vec![exec.clone()]),
        ),
        (
            "API keys without a usage plan",
            json!({"rest_apis": [rest_api(keyed.clone())]}),
            STAGE,
            ALL_REGIONAL,
            ("internet", vec![exec.clone()]),
        ),
        (
            "API keys in a usage plan",
            json!({"rest_apis": [rest_api(keyed.clone())], "usage_plans": [{"id": "u", "name": "u", "region": "eu-west-1", "api_stages": [{"api_id": "a1", "stage": "prod"}], "api_key_ids": ["k"]}], "api_keys": [{"id": "k", "name": "k", "region": "eu-west-1", "enabled": true, "value": secret("key")}]}),
            STAGE,
            ALL_REGIONAL,
            ("locked:required-api-key", vec![exec.clone()]),
        ),
        (
            "API Gateway not read",
            json!({"rest_apis": [rest_api(json!({}))]}),
            STAGE,
            &["wafv2-regional"],
            ("unknown", vec![exec.clone()]),
        ),
        (
            "HTTP API with $default",
            json!({"http_apis": [{"id": "h1", "arn": "arn:aws:apigateway:eu-west-1::/apis/h1", "name": "h", "region": "eu-west-1", "api_endpoint": "https://h1.execute-api.eu-west-1.amazonaws.com", "stages": [{"name": "$default"}], "routes": [{"id": "r", "route_key": "GET /items", "authorization_type": "NONE"}]}]}),
            "arn:aws:apigateway:eu-west-1::/apis/h1",
            ALL_REGIONAL,
            ("internet", vec!["execute-api https://h1.execute-api.eu-west-1.amazonaws.com".to_string()]),
        ),
        (
            "HTTP API with its endpoint disabled",
            json!({"http_apis": [{"id": "h1", "arn": "arn:aws:apigateway:eu-west-1::/apis/h1", "name": "h", "region": "eu-west-1", "disable_execute_api_endpoint": true, "stages": [{"name": "$default"}]}]}),
            "arn:aws:apigateway:eu-west-1::/apis/h1",
            ALL_REGIONAL,
            ("locked:not-public", vec![]),
        ),
        (
            "internal load balancer",
            json!({"load_balancers": [{"arn": "lb", "name": "web", "region": "eu-west-1", "scheme": "internal", "dns_name": "internal-web.elb.amazonaws.com", "listeners": [listener("forward", vec![])]}]}),
            "lb",
            ALL_REGIONAL,
            ("locked:not-public", vec![]),
        ),
        (
            "internet-facing load balancer that forwards",
            json!({"load_balancers": [{"arn": "lb", "name": "web", "region": "eu-west-1", "scheme": "internet-facing", "dns_name": "web.elb.amazonaws.com", "listeners": [listener("forward", vec![])]}]}),
            "lb",
            ALL_REGIONAL,
            ("internet", vec!["listener https://web.elb.amazonaws.com".to_string()]),
        ),
        (
            "load balancer behind a header rule",
            json!({"load_balancers": [{"arn": "lb", "name": "web", "region": "eu-west-1", "scheme": "internet-facing", "dns_name": "web.elb.amazonaws.com", "listeners": [listener("403", vec![lb_rule(1, vec![header_condition(&[V])], "forward")])]}]}),
            "lb",
            ALL_REGIONAL,
            ("locked:secret-header-check", vec!["listener https://web.elb.amazonaws.com".to_string()]),
        ),
        (
            "function URL with AWS_IAM",
            json!({"lambda_functions": [{"name": "f", "arn": "fn", "region": "eu-west-1", "url": {"url": "https://u1.lambda-url.eu-west-1.on.aws/", "auth_type": "AWS_IAM"}}]}),
            "fn",
            ALL_REGIONAL,
            (
                "locked:function-url-aws-iam",
                vec!["function-url https://u1.lambda-url.eu-west-1.on.aws".to_string()],
            ),
        ),
        (
            "function URL with NONE",
            json!({"lambda_functions": [{"name": "f", "arn": "fn", "region": "eu-west-1", "url": {"url": "https://u1.lambda-url.eu-west-1.on.aws/", "auth_type": "NONE"}}]}),
            "fn",
            ALL_REGIONAL,
            ("internet", vec!["function-url https://u1.lambda-url.eu-west-1.on.aws".to_string()]),
        ),
    ];
    assert!(cases.len() >= 15);
    for (label, extra, arn, services, (exposure, entry_points)) in cases {
        assert_eq!(backend(extra, arn, services), (exposure.to_string(), entry_points), "{label}");
    }
}

// ---------------------------------------------------------------------------------------------
// Routing rules of custom domains
// ---------------------------------------------------------------------------------------------

fn glob(header: &str, value_glob: &str) -> Value {
    serde_json::to_value(HeaderGlob::from_glob(header, value_glob)).expect("a glob serialises")
}

fn routing_rule(id: &str, priority: i64, conditions: Vec<Value>, stage: &str) -> Value {
    json!({"id": id, "priority": priority, "conditions": conditions,
           "action": {"api_id": "a1", "stage": stage, "strip_base_path": false}})
}

fn headers_condition(globs: Vec<Value>) -> Value {
    json!({"match_headers": globs})
}

fn routed_domain(mode: &str, rules: Vec<Value>, mappings: Vec<Value>) -> Value {
    json!({"name": "api.example.com", "region": "eu-west-1", "endpoint_type": "REGIONAL",
           "regional_domain_name": "d-abc.execute-api.eu-west-1.amazonaws.com",
           "routing_mode": mode, "routing_rules": rules, "mappings": mappings})
}

/// (label, domain, execute-api disabled, expected exposure, verdict on a distribution origin
/// to the domain sending `(H, V)`, or `None` when the backend has no routing guard).
type RoutingCase<'a> = (&'a str, Value, bool, &'a str, Option<Verdict>);

#[test]
fn routing_rule_gates() {
    use Verdict::{CouldNotVerify, Mismatch, Satisfied};
    let exact = || routing_rule("r1", 10, vec![headers_condition(vec![glob(H, V)])], "prod");
    let mapping = json!({"base_path": "", "api_id": "a1", "stage": "prod"});
    let cases: Vec<RoutingCase<'_>> = vec![
        (
            "exact secret, rules only",
            routed_domain("ROUTING_RULE_ONLY", vec![exact()], vec![]),
            true,
            "locked:routing-rule-header-gate",
            Some(Satisfied),
        ),
        (
            "exact secret, header name case-insensitive",
            routed_domain(
                "ROUTING_RULE_ONLY",
                vec![routing_rule(
                    "r1",
                    10,
                    vec![headers_condition(vec![glob("X-Origin-Verify", V)])],
                    "prod",
                )],
                vec![],
            ),
            true,
            "locked:routing-rule-header-gate",
            Some(Satisfied),
        ),
        (
            "other value",
            routed_domain(
                "ROUTING_RULE_ONLY",
                vec![routing_rule(
                    "r1",
                    10,
                    vec![headers_condition(vec![glob(H, "another-long-value-0123456789")])],
                    "prod",
                )],
                vec![],
            ),
            true,
            "locked:routing-rule-header-gate",
            Some(Mismatch),
        ),
        (
            "rules only but execute-api open",
            routed_domain("ROUTING_RULE_ONLY", vec![exact()], vec![]),
            false,
            "internet",
            None,
        ),
        (
            "rules then mappings: the mapping is the way around",
            routed_domain("ROUTING_RULE_THEN_API_MAPPING", vec![exact()], vec![mapping.clone()]),
            true,
            "internet",
            None,
        ),
        (
            "rules then mappings (v1 spelling)",
            routed_domain("ROUTING_RULE_THEN_BASE_PATH_MAPPING", vec![exact()], vec![mapping.clone()]),
            true,
            "internet",
            None,
        ),
        (
            "mapping-only mode ignores the rules",
            routed_domain("API_MAPPING_ONLY", vec![exact()], vec![mapping.clone()]),
            true,
            "internet",
            None,
        ),
        (
            "rules only, mappings not evaluated",
            routed_domain("ROUTING_RULE_ONLY", vec![exact()], vec![mapping.clone()]),
            true,
            "locked:routing-rule-header-gate",
            Some(Satisfied),
        ),
        (
            "glob * is presence",
            routed_domain(
                "ROUTING_RULE_ONLY",
                vec![routing_rule("r1", 10, vec![headers_condition(vec![glob(H, "*")])], "prod")],
                vec![],
            ),
            true,
            "internet",
            None,
        ),
        (
            "short prefix is no secret",
            routed_domain(
                "ROUTING_RULE_ONLY",
                vec![routing_rule("r1", 10, vec![headers_condition(vec![glob(H, "4f1c*")])], "prod")],
                vec![],
            ),
            true,
            "internet",
            None,
        ),
        (
            "long prefix: could not verify",
            routed_domain(
                "ROUTING_RULE_ONLY",
                vec![routing_rule(
                    "r1",
                    10,
                    vec![headers_condition(vec![glob(H, "4f1c1f6b1b7a4f1e9c3a*")])],
                    "prod",
                )],
                vec![],
            ),
            true,
            "locked:routing-rule-header-gate",
            Some(CouldNotVerify),
        ),
        (
            "rule without condition is open",
            routed_domain("ROUTING_RULE_ONLY", vec![routing_rule("r1", 10, vec![], "prod")], vec![]),
            true,
            "internet",
            None,
        ),
        (
            "base path only is open",
            routed_domain(
                "ROUTING_RULE_ONLY",
                vec![routing_rule("r1", 10, vec![json!({"match_base_paths": ["v1"]})], "prod")],
                vec![],
            ),
            true,
            "internet",
            None,
        ),
        (
            "a catch-all to another API first shadows the gate",
            routed_domain(
                "ROUTING_RULE_ONLY",
                vec![
                    json!({"id": "all", "priority": 1, "conditions": [], "action": {"api_id": "other", "stage": "prod", "strip_base_path": false}}),
                    exact(),
                ],
                vec![],
            ),
            true,
            "locked:not-public",
            None,
        ),
        (
            "secret ANDed with presence still gates",
            routed_domain(
                "ROUTING_RULE_ONLY",
                vec![routing_rule(
                    "r1",
                    10,
                    vec![
                        headers_condition(vec![glob(H, V)]),
                        headers_condition(vec![glob("x-version", "*")]),
                    ],
                    "prod",
                )],
                vec![],
            ),
            true,
            "locked:routing-rule-header-gate",
            Some(Mismatch),
        ),
        (
            "anyOf with a presence pair is open",
            routed_domain(
                "ROUTING_RULE_ONLY",
                vec![routing_rule(
                    "r1",
                    10,
                    vec![headers_condition(vec![glob(H, V), glob("x-version", "beta*")])],
                    "prod",
                )],
                vec![],
            ),
            true,
            "internet",
            None,
        ),
        (
            "a second, open rule to the API",
            routed_domain(
                "ROUTING_RULE_ONLY",
                vec![exact(), routing_rule("r2", 20, vec![json!({"match_base_paths": ["v2"]})], "prod")],
                vec![],
            ),
            true,
            "internet",
            None,
        ),
        (
            "rule to another stage",
            routed_domain(
                "ROUTING_RULE_ONLY",
                vec![routing_rule("r1", 10, vec![headers_condition(vec![glob(H, V)])], "dev")],
                vec![],
            ),
            true,
            "locked:not-public",
            None,
        ),
    ];
    assert!(cases.len() >= 15);
    for (label, domain, disabled, exposure, verdict) in cases {
        let extra = json!({"rest_apis": [rest_api(json!({"disable_execute_api_endpoint": disabled}))], "domain_names": [domain]});
        assert_eq!(backend(extra.clone(), STAGE, ALL_REGIONAL).0, exposure, "{label}");
        let mut account = json!({"account_id": "1", "partition": "aws", "regions": ["eu-west-1"], "coverage": coverage(ALL_REGIONAL)});
        if let (Some(a), Some(extra)) = (account.as_object_mut(), extra.as_object()) {
            a.extend(extra.clone());
        }
        let account: AccountInventory = serde_json::from_value(account).expect("an account");
        let index = Index::build(&account);
        let options = CheckOptions::default();
        let perimeter = Perimeter::build(&account, &index, &options);
        let backend = perimeter.backend(STAGE).expect("the stage");
        let through_domain = origin(&[(H, V)]);
        let got = backend.side.guards.iter().find(|g| g.name() == "routing-rule-header-gate").map(|g| {
            g.judge(&through_domain, &super::Sent::of(&Distribution::default(), &through_domain, &options))
                .verdict
        });
        assert_eq!(got, verdict, "{label}");
    }
}

#[test]
fn routing_rule_routes_in_priority_order() {
    let domain: ApiDomainName = serde_json::from_value(routed_domain(
        "ROUTING_RULE_THEN_API_MAPPING",
        vec![
            routing_rule("late", 50, vec![headers_condition(vec![glob(H, V)])], "late"),
            routing_rule("early", 5, vec![headers_condition(vec![glob(H, V)])], "early"),
        ],
        vec![json!({"base_path": "", "api_id": "a1", "stage": "mapped"})],
    ))
    .expect("a domain");
    let stages: Vec<Option<&str>> = domain.routes().iter().map(|r| r.stage).collect();
    assert_eq!(stages, vec![Some("early"), Some("late"), Some("mapped")]);
}

#[test]
fn header_glob_keeps_no_plaintext() {
    let g = HeaderGlob::from_glob("X-Origin-Verify", &format!("{V}*"));
    assert_eq!(g.wildcard, GlobWildcard::Prefix);
    assert_eq!(g.literal.length, V.len());
    assert!(g.literal.same_value(&SecretValue::from_plaintext(V)));
    let text = serde_json::to_string(&g).expect("serialises");
    assert!(!text.contains(V), "the glob's literal is never serialised in clear");
    assert_eq!(HeaderGlob::from_glob("h", "*mid*").wildcard, GlobWildcard::Contains);
    assert_eq!(HeaderGlob::from_glob("h", "*end").wildcard, GlobWildcard::Suffix);
    assert_eq!(HeaderGlob::from_glob("h", "*").wildcard, GlobWildcard::Contains);
    assert_eq!(HeaderGlob::from_glob("h", "exact").wildcard, GlobWildcard::None);
}

#[test]
fn edge_signer_is_never_a_pass() {
    let iam_everywhere = json!({"resources": [{"id": "r", "path": "/items", "methods": [
        {"http_method": "GET", "authorization_type": "AWS_IAM", "api_key_required": false}]}]});
    let signer = "arn:aws:lambda:us-east-1:1:function:sign:3";
    let api_domain = "a1.execute-api.eu-west-1.amazonaws.com";
    let distribution = |with_signer: bool| {
        let associations = if with_signer {
            json!([{"function_arn": signer, "event_type": "origin-request"}])
        } else {
            json!([])
        };
        json!({"id": "E1", "arn": "arn:aws:cloudfront::1:distribution/E1", "enabled": true,
               "origins": [{"id": "api", "domain_name": api_domain, "origin_path": "/prod",
                            "kind": {"type": "api_gateway", "api_id": "a1", "region": "eu-west-1"}}],
               "default_behavior": {"target_origin_id": "api", "lambda_function_associations": associations}})
    };
    for (with_signer, exposure, verdict) in
        [(true, "locked:aws-iam-authorization", Some(Verdict::CouldNotVerify)), (false, "internet", None)]
    {
        let mut account = json!({"account_id": "1", "partition": "aws", "regions": ["eu-west-1"],
                                 "coverage": coverage(ALL_REGIONAL),
                                 "rest_apis": [rest_api(iam_everywhere.clone())],
                                 "distributions": [distribution(with_signer)]});
        account["coverage"] = json!(coverage(ALL_REGIONAL));
        let account: AccountInventory = serde_json::from_value(account).expect("an account");
        let index = Index::build(&account);
        let options = CheckOptions::default();
        let perimeter = Perimeter::build(&account, &index, &options);
        let backend = perimeter.backend(STAGE).expect("the stage");
        let got = match &backend.exposure {
            Exposure::Locked(guards) => format!("locked:{}", guards.join("+")),
            other => other.as_str().to_string(),
        };
        assert_eq!(got, exposure, "signer {with_signer}");
        let lock = perimeter.locks.first().expect("a lock");
        let judged: Option<Verdict> = lock.targets.first().and_then(|t| {
            t.judged_guards()
                .find(|(g, _)| g.name() == "aws-iam-authorization")
                .map(|(g, _)| g.judge(lock.origin, &lock.sent).verdict)
        });
        assert_eq!(judged, verdict, "signer {with_signer}");
        if with_signer {
            let why = lock.targets[0]
                .verdicts
                .iter()
                .find(|v| v.guard == "aws-iam-authorization")
                .map(|v| v.why.clone())
                .unwrap_or_default();
            assert!(why.contains(signer), "the reason names the function: {why}");
        }
    }
}

/// A REST API whose resources and methods could not be read (a per-resource record) is not
/// evaluated, naming the read, unless a lock already decides (a web ACL gate on the stage); the
/// region's other REST APIs are judged. Without the record, its stage would look open with
/// every method authorized (there are none to look at).
#[test]
fn an_unread_rest_api_is_a_gap_of_that_api_only() {
    let arn = |api: &str| format!("arn:aws:apigateway:eu-west-1::/restapis/{api}");
    let direct = vec![rule("allow", 0, Some("allow"), exactly(H, V))];
    let mut gate = serde_json::to_value(acl("block", direct)).expect("acl");
    gate["arn"] = json!("arn:aws:wafv2:eu-west-1:1:regional/webacl/gate/1");
    let mut covered = coverage(ALL_REGIONAL);
    for api in ["unread", "gated"] {
        let failure = Coverage::resource_failed(
            "eu-west-1",
            Service::Apigateway,
            "GetResources",
            arn(api),
            "AccessDeniedException: not authorized to perform apigateway:GET",
        );
        covered.push(serde_json::to_value(&failure).expect("coverage"));
    }
    let account: AccountInventory = serde_json::from_value(json!({
        "account_id": "1", "partition": "aws", "regions": ["eu-west-1"], "coverage": covered,
        "rest_apis": [
            rest_api(json!({"id": "unread", "arn": arn("unread"), "resources": []})),
            rest_api(json!({"id": "read", "arn": arn("read")})),
            rest_api(json!({"id": "gated", "arn": arn("gated"), "resources": [],
                            "stages": [{"name": "prod", "web_acl_arn": gate["arn"]}]})),
        ],
        "web_acls": [gate]}))
    .expect("an account");
    assert!(account.is_collected("eu-west-1", Service::Apigateway));
    let index = Index::build(&account);
    let options = CheckOptions::default();
    let perimeter = Perimeter::build(&account, &index, &options);
    let exposure = |api: &str| -> (String, String) {
        let backend = perimeter.backend(&format!("{}/stages/prod", arn(api))).expect("a backend");
        let why = match &backend.exposure {
            Exposure::Unknown(why) => why.join("; "),
            _ => String::new(),
        };
        (backend.exposure.as_str().to_string(), why)
    };
    let unread = exposure("unread");
    assert_eq!(unread.0, "unknown", "{unread:?}");
    assert!(
        unread.1.contains(
            "REST API unread could not be read completely: GetResources failed (AccessDeniedException"
        ),
        "{unread:?}"
    );
    assert_eq!(exposure("read").0, "internet", "the region's other APIs are judged");
    assert_eq!(exposure("gated"), ("locked".to_string(), String::new()), "a lock that decides still does");
}

/// A custom rule group whose read failed (a per-resource coverage record) leaves the stage of
/// the web ACL that references it not evaluated, naming the group and the error; the region's
/// other ACLs are judged (the region stays collected). A group missing without a failed read
/// (an older inventory) is "could not verify" as before.
#[test]
fn an_unread_rule_group_is_a_gap_of_the_acls_that_reference_it_only() {
    let group = "arn:aws:wafv2:eu-west-1:999999999999:regional/rulegroup/fms-gate/9";
    let stage = |api: &str, acl: &str| {
        rest_api(json!({"id": api, "arn": format!("arn:aws:apigateway:eu-west-1::/restapis/{api}"),
                        "stages": [{"name": "prod", "web_acl_arn": acl}]}))
    };
    let web_acl = |name: &str, pre: Vec<Value>, rules: Vec<Value>| {
        let mut acl = serde_json::to_value(acl("block", rules)).expect("acl");
        acl["arn"] = json!(format!("arn:aws:wafv2:eu-west-1:1:regional/webacl/{name}/1"));
        acl["name"] = json!(name);
        acl["pre_process_rules"] = json!(pre);
        acl
    };
    let mut statement = group_ref("x", json!({}));
    statement["arn"] = json!(group);
    let fms = vec![group_rule("fms-gate", 0, statement)];
    let direct = vec![rule("allow", 0, Some("allow"), exactly(H, V))];
    let mut covered = coverage(ALL_REGIONAL);
    let failure = Coverage::resource_failed(
        "eu-west-1",
        Service::WafRegional,
        "GetRuleGroup",
        group,
        "AccessDeniedException: not authorized to perform wafv2:GetRuleGroup",
    );
    let with_failure = serde_json::to_value(&failure).expect("coverage");
    covered.push(with_failure);
    let account = |coverage: Vec<Value>| -> AccountInventory {
        serde_json::from_value(json!({"account_id": "1", "partition": "aws", "regions": ["eu-west-1"],
            "coverage": coverage,
            "rest_apis": [stage("a1", "arn:aws:wafv2:eu-west-1:1:regional/webacl/grouped/1"),
                          stage("a2", "arn:aws:wafv2:eu-west-1:1:regional/webacl/direct/1")],
            "web_acls": [web_acl("grouped", fms.clone(), vec![]), web_acl("direct", vec![], direct.clone())]}))
        .expect("an account")
    };
    let exposures = |account: &AccountInventory| -> Vec<(String, String)> {
        let index = Index::build(account);
        let options = CheckOptions::default();
        let perimeter = Perimeter::build(account, &index, &options);
        ["a1", "a2"]
            .iter()
            .map(|api| {
                let arn = format!("arn:aws:apigateway:eu-west-1::/restapis/{api}/stages/prod");
                let backend = perimeter.backend(&arn).expect("a backend");
                let why = match &backend.exposure {
                    Exposure::Unknown(why) => why.join("; "),
                    _ => String::new(),
                };
                (backend.exposure.as_str().to_string(), why)
            })
            .collect()
    };
    let read_failed = account(covered);
    assert!(read_failed.is_collected("eu-west-1", Service::WafRegional));
    let judged = exposures(&read_failed);
    assert_eq!(judged[0].0, "unknown", "{judged:?}");
    assert!(
        judged[0].1.contains(group) && judged[0].1.contains("GetRuleGroup failed (AccessDeniedException"),
        "{judged:?}"
    );
    assert_eq!(judged[1], ("locked".to_string(), String::new()), "the other ACL of the region is judged");
    let index = Index::build(&read_failed);
    let grouped = &read_failed.web_acls.iter().find(|a| a.name == "grouped").expect("grouped");
    assert!(matches!(acl_header_guard(grouped, &index), AclHeaderGuard::Unverifiable(_)));

    // No failed read recorded (an inventory written before per-resource records): could not
    // verify, as before.
    let unrecorded = account(coverage(ALL_REGIONAL));
    assert_eq!(exposures(&unrecorded)[0].0, "internet");
}

#[test]
fn an_unread_regex_pattern_set_is_a_gap_of_the_acls_that_match_with_it_only() {
    let set = "arn:aws:wafv2:eu-west-1:1:regional/regexpatternset/verify/7";
    let stage = |api: &str, acl: &str| {
        rest_api(json!({"id": api, "arn": format!("arn:aws:apigateway:eu-west-1::/restapis/{api}"),
                        "stages": [{"name": "prod", "web_acl_arn": acl}]}))
    };
    let web_acl = |name: &str, rules: Vec<Value>| {
        let mut acl = serde_json::to_value(acl("block", rules)).expect("acl");
        acl["arn"] = json!(format!("arn:aws:wafv2:eu-west-1:1:regional/webacl/{name}/1"));
        acl["name"] = json!(name);
        acl
    };
    let on_set = json!({"type": "regex_pattern_set_reference", "arn": set,
                        "field": {"type": "single_header", "name": H}, "transformations": ["NONE"]});
    let mut covered = coverage(ALL_REGIONAL);
    covered.push(
        serde_json::to_value(Coverage::resource_failed(
            "eu-west-1",
            Service::WafRegional,
            "GetRegexPatternSet",
            set,
            "AccessDeniedException: not authorized to perform wafv2:GetRegexPatternSet",
        ))
        .expect("coverage"),
    );
    let account: AccountInventory = serde_json::from_value(json!({"account_id": "1", "partition": "aws",
        "regions": ["eu-west-1"], "coverage": covered,
        "rest_apis": [stage("a1", "arn:aws:wafv2:eu-west-1:1:regional/webacl/on-set/1"),
                      stage("a2", "arn:aws:wafv2:eu-west-1:1:regional/webacl/direct/1")],
        "web_acls": [web_acl("on-set", vec![rule("allow", 0, Some("allow"), on_set)]),
                     web_acl("direct", vec![rule("allow", 0, Some("allow"), exactly(H, V))])]}))
    .expect("an account");
    let index = Index::build(&account);
    let options = CheckOptions::default();
    let perimeter = Perimeter::build(&account, &index, &options);
    let exposure = |api: &str| {
        let arn = format!("arn:aws:apigateway:eu-west-1::/restapis/{api}/stages/prod");
        perimeter.backend(&arn).map(|b| (b.exposure.as_str().to_string(), format!("{:?}", b.exposure)))
    };
    let (state, why) = exposure("a1").expect("a1");
    assert_eq!(state, "unknown", "{why}");
    assert!(why.contains(set) && why.contains("GetRegexPatternSet failed (AccessDeniedException"), "{why}");
    assert_eq!(
        exposure("a2").map(|e| e.0).as_deref(),
        Some("locked"),
        "the other ACL of the region is judged"
    );
}
