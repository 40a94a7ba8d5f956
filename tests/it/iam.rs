//! Read-only, provably: every AWS operation the collectors call is a List/Describe/Get, is in the
//! operations table, and its IAM action is in `iam/edge-audit-readonly.json`, which grants
//! nothing else.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::root;
use edge_audit::collect::operations::{Operation, OPERATIONS};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Verbs that start AWS operation names, as snake_case method prefixes. Any no-argument method
/// call in the collectors starting with one of these is taken for an SDK operation.
const OPERATION_VERBS: &[&str] = &[
    "accept",
    "add",
    "apply",
    "assume",
    "associate",
    "attach",
    "authorize",
    "batch",
    "cancel",
    "copy",
    "create",
    "delete",
    "deploy",
    "deregister",
    "describe",
    "detach",
    "disable",
    "disassociate",
    "enable",
    "export",
    "flush",
    "get",
    "import",
    "invoke",
    "list",
    "modify",
    "publish",
    "purge",
    "put",
    "register",
    "reject",
    "remove",
    "replace",
    "reset",
    "restore",
    "revoke",
    "rotate",
    "run",
    "send",
    "set",
    "start",
    "stop",
    "subscribe",
    "tag",
    "terminate",
    "test",
    "unsubscribe",
    "untag",
    "update",
];

/// Output accessors whose names happen to start with a verb: not operations.
const NOT_OPERATIONS: &[&str] =
    &["disable_execute_api_endpoint", "tag_descriptions", "tag_info_for_resource", "tag_list"];

/// The only operations allowed that are not reads: STS AssumeRole (entering audited accounts; it
/// is granted by the central auditor's policy, not by the read-only one).
const NOT_A_READ_ALLOWED: &[&str] = &["AssumeRole"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `.verb_something()` call (a fluent operation builder takes no argument) in `source`.
fn operation_calls(source: &str) -> BTreeSet<String> {
    let mut calls = BTreeSet::new();
    let bytes = source.as_bytes();
    let mut i = 0;
    while let Some(offset) = source[i..].find('.') {
        let start = i + offset + 1;
        let mut end = start;
        while end < bytes.len()
            && (bytes[end].is_ascii_lowercase() || bytes[end].is_ascii_digit() || bytes[end] == b'_')
        {
            end += 1;
        }
        let name = &source[start..end];
        if source[end..].starts_with("()") {
            if let Some((verb, _)) = name.split_once('_') {
                if OPERATION_VERBS.contains(&verb) && !NOT_OPERATIONS.contains(&name) {
                    calls.insert(name.to_string());
                }
            }
        }
        i = start;
    }
    calls
}

fn policy_actions() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("iam/edge-audit-readonly.json")).unwrap();
    let policy: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut actions = BTreeSet::new();
    for statement in policy["Statement"].as_array().unwrap() {
        assert_eq!(statement["Effect"], "Allow", "{statement}");
        assert!(
            statement.get("NotAction").is_none() && statement.get("NotResource").is_none(),
            "{statement}"
        );
        match &statement["Action"] {
            serde_json::Value::String(action) => {
                actions.insert(action.clone());
            }
            serde_json::Value::Array(list) => {
                actions.extend(list.iter().map(|a| a.as_str().unwrap().to_string()));
            }
            other => panic!("unexpected Action {other}"),
        }
    }
    actions
}

fn is_read_action(action: &str) -> bool {
    let (_, name) = action.split_once(':').unwrap();
    // API Gateway authorizes reads by HTTP verb.
    action == "apigateway:GET" || ["List", "Describe", "Get"].iter().any(|verb| name.starts_with(verb))
}

#[test]
fn the_scanner_finds_operation_calls() {
    let calls = operation_calls(
        "let x = client\n    .list_web_acls()\n    .scope(s); c.get_web_acl().send(); v.get(0); m.get_or_insert_with(f); a.is_empty();",
    );
    assert_eq!(calls.into_iter().collect::<Vec<_>>(), ["get_web_acl", "list_web_acls"]);
}

#[test]
fn collectors_call_only_listed_read_operations() {
    let mut files = Vec::new();
    rust_files(&root().join("src/collect"), &mut files);
    assert!(files.len() >= 10, "src/collect has {} files", files.len());
    let mut used = BTreeSet::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for call in operation_calls(&source) {
            let known: Vec<&Operation> = OPERATIONS.iter().filter(|o| o.method == call).collect();
            assert!(
                !known.is_empty(),
                "{}: `.{call}()` looks like an AWS operation but is not in src/collect/operations.rs",
                file.display()
            );
            used.insert(call);
        }
    }
    for operation in OPERATIONS {
        assert!(
            ["List", "Describe", "Get"].iter().any(|verb| operation.name.starts_with(verb))
                || NOT_A_READ_ALLOWED.contains(&operation.name),
            "{} is not a read",
            operation.name
        );
        // AssumeRole is performed by aws-config's AssumeRoleProvider, not called by name.
        if operation.name != "AssumeRole" {
            assert!(used.contains(operation.method), "{} is listed but never called", operation.method);
        }
    }
}

#[test]
fn the_policy_grants_exactly_the_operations_and_only_reads() {
    let actions = policy_actions();
    for action in &actions {
        assert!(!action.contains('*'), "wildcard action {action}");
        assert!(is_read_action(action), "{action} is not a read");
    }
    let needed: BTreeSet<String> = OPERATIONS
        .iter()
        .filter(|o| !NOT_A_READ_ALLOWED.contains(&o.name))
        .map(|o| o.iam_action.to_string())
        .collect();
    let missing: Vec<&String> = needed.difference(&actions).collect();
    assert!(missing.is_empty(), "missing from iam/edge-audit-readonly.json: {missing:?}");
    let extra: Vec<&String> = actions.difference(&needed).collect();
    assert!(extra.is_empty(), "granted but never used: {extra:?}");
}
