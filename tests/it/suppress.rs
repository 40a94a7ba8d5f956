//! Suppressions: `[[suppress]]` entries (exact ARN or glob, expiry against an injected date,
//! permanent), `edge-audit:ignore` resource tags, EA902 (expired) and EA903 (unused, only in a
//! complete audit), and how suppressed findings appear in every format.

use crate::support::{fixture, json, path_str, run, tempdir, write};
use std::path::Path;

const E4: &str = "arn:aws:cloudfront::444444444444:distribution/E4NOACL";

fn suppression(check: &str, resource: &str, until: &str) -> String {
    format!("[[suppress]]\ncheck = \"{check}\"\nresource = \"{resource}\"\nreason = \"accepted until the migration\"\n{until}\n")
}

fn scan(config: &Path, inventory: &Path, today: &str, format: &str) -> (i32, String) {
    let out = run(&[
        "scan",
        "--from",
        path_str(inventory),
        "--config",
        path_str(config),
        "--today",
        today,
        "--format",
        format,
    ]);
    assert!(out.code != 2, "{}", out.stderr);
    (out.code, out.stdout)
}

fn ids(list: &serde_json::Value) -> Vec<String> {
    list.as_array().into_iter().flatten().filter_map(|f| f["check_id"].as_str().map(String::from)).collect()
}

#[test]
fn expiry_is_inclusive_of_the_date_and_raises_ea902_after_it() {
    let dir = tempdir();
    let config = write(dir.path(), "edge-audit.toml", &suppression("EA101", E4, "expires = 2026-03-31"));
    let inventory = fixture("two-accounts.json");
    for (today, suppressed) in [("2026-03-30", true), ("2026-03-31", true), ("2026-04-01", false)] {
        let (code, out) = scan(&config, &inventory, today, "json");
        let r = json(&out);
        let findings = ids(&r["findings"]);
        if suppressed {
            assert_eq!(code, 0, "{today}: EA101 (the only high finding) is suppressed");
            assert!(!findings.contains(&"EA101".to_string()), "{today}: {findings:?}");
            assert!(!findings.contains(&"EA902".to_string()), "{today}: {findings:?}");
            assert_eq!(ids(&r["suppressed"]), ["EA101"]);
            assert_eq!(r["summary"]["suppressed"], 1);
            let s = &r["suppressed"][0];
            assert_eq!(s["resource"]["arn"], E4);
            assert_eq!(s["suppression"]["source"], "config");
            assert_eq!(s["suppression"]["reason"], "accepted until the migration");
            assert_eq!(s["suppression"]["expires"], "2026-03-31");
            assert_eq!(s["suppression"]["origin"], "edge-audit.toml#suppress[0]");
            assert_eq!(s["fails"], false);
            assert!(s["fingerprint"].is_string());
        } else {
            assert_eq!(code, 1, "{today}: the expired suppression no longer hides EA101");
            assert!(findings.contains(&"EA101".to_string()));
            assert!(r["suppressed"].as_array().is_some_and(|s| s.is_empty()));
            let expired: Vec<&serde_json::Value> =
                r["findings"].as_array().into_iter().flatten().filter(|f| f["check_id"] == "EA902").collect();
            assert_eq!(expired.len(), 1, "{out}");
            let f = expired[0];
            assert_eq!(f["severity"], "low");
            assert_eq!(f["resource"]["type"], "edge-audit/suppression");
            assert_eq!(f["resource"]["arn"], "edge-audit:config:edge-audit.toml#suppress[0]");
            assert_eq!(f["resource"]["account"], "444444444444", "the account the pattern names");
            assert!(f["message"].as_str().is_some_and(|m| m.contains("2026-03-31") && m.contains("line 1")));
        }
    }
}

#[test]
fn the_date_can_come_from_the_environment() {
    let dir = tempdir();
    let config = write(dir.path(), "edge-audit.toml", &suppression("EA101", E4, "expires = 2026-03-31"));
    let inventory = fixture("two-accounts.json");
    let out = crate::support::edge_audit()
        .env("EDGE_AUDIT_TODAY", "2026-04-01")
        .args(["scan", "--from", path_str(&inventory), "--config", path_str(&config), "--format", "json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let r = json(&String::from_utf8_lossy(&out.stdout));
    assert!(ids(&r["findings"]).contains(&"EA902".to_string()));
}

#[test]
fn globs_match_across_accounts_and_permanent_never_expires() {
    let dir = tempdir();
    let config = write(
        dir.path(),
        "edge-audit.toml",
        &suppression("cloudfront-no-web-acl", "arn:aws:cloudfront::*:distribution/*", "permanent = true"),
    );
    let (code, out) = scan(&config, &fixture("two-accounts.json"), "2099-12-31", "json");
    assert_eq!(code, 0);
    let r = json(&out);
    assert_eq!(ids(&r["suppressed"]), ["EA101"]);
    assert!(r["suppressed"][0]["suppression"].get("expires").is_none());
    assert!(!ids(&r["findings"]).iter().any(|id| id == "EA902" || id == "EA903"));
    // A glob that does not match leaves the finding alone.
    let config = write(
        dir.path(),
        "edge-audit.toml",
        &suppression("EA101", "arn:aws:cloudfront::999999999999:distribution/*", "permanent = true"),
    );
    let (code, _) = scan(&config, &fixture("two-accounts.json"), "2026-01-01", "json");
    assert_eq!(code, 1);
}

/// A large organisation's suppression list (10,000 entries, over 1 MiB of TOML) is read; a
/// configuration file past its fixed cap is refused with that cap, not with the advice about the
/// JSON cap's environment variable, which does not move it.
#[test]
fn ten_thousand_suppressions_are_read_and_an_oversized_config_is_refused() {
    let dir = tempdir();
    let mut text: String = (0..9_999)
        .map(|i| {
            suppression(
                "EA101",
                &format!("arn:aws:cloudfront::999999999999:distribution/X{i:06}*"),
                "permanent = true",
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text.push_str(&suppression("EA101", E4, "permanent = true"));
    assert!(text.len() > 1024 * 1024, "{}", text.len());
    let config = write(dir.path(), "edge-audit.toml", &text);
    let (code, out) = scan(&config, &fixture("two-accounts.json"), "2026-01-01", "json");
    assert_eq!(code, 0, "the last entry suppresses EA101");
    assert_eq!(ids(&json(&out)["suppressed"]), ["EA101"]);

    let oversized = dir.path().join("big.toml");
    std::fs::write(&oversized, format!("# {}\n", "x".repeat(16 * 1024 * 1024)))
        .unwrap_or_else(|e| panic!("{e}"));
    let out =
        run(&["scan", "--from", path_str(&fixture("two-accounts.json")), "--config", path_str(&oversized)]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("big.toml") && out.stderr.contains("16 MiB limit of a configuration file"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("EDGE_AUDIT_MAX_INPUT_MIB"), "{}", out.stderr);
}

#[test]
fn suppressed_findings_leave_sarif_and_are_listed_in_table_and_markdown() {
    let dir = tempdir();
    let config = write(dir.path(), "edge-audit.toml", &suppression("EA101", E4, "expires = 2026-03-31"));
    let inventory = fixture("two-accounts.json");
    let (_, sarif) = scan(&config, &inventory, "2026-01-01", "sarif");
    let sarif = json(&sarif);
    let rule_ids: Vec<&str> = sarif["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|run| run["results"].as_array().into_iter().flatten())
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    assert_eq!(rule_ids, ["EA102"], "suppressed EA101 is no SARIF result");
    let (_, table) = scan(&config, &inventory, "2026-01-01", "table");
    assert!(table.contains("SUPPRESSED (1)"), "{table}");
    assert!(table.contains("accepted until the migration"), "{table}");
    assert!(table.contains("1 suppressed"), "{table}");
    let (_, markdown) = scan(&config, &inventory, "2026-01-01", "markdown");
    assert!(markdown.contains("### Suppressed (1)"), "{markdown}");
    assert!(markdown.contains("accepted until the migration"), "{markdown}");
}

/// two-accounts.json with an `edge-audit:ignore` tag on the distribution of account 4444.
fn tagged_inventory(dir: &Path, value: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(fixture("two-accounts.json")).unwrap_or_default();
    let mut inventory = json(&text);
    for account in inventory["accounts"].as_array_mut().into_iter().flatten() {
        for d in account["distributions"].as_array_mut().into_iter().flatten() {
            if d["arn"] == E4 {
                d["tags"] = serde_json::json!({ "edge-audit:ignore": value, "team": "web" });
            }
        }
    }
    write(dir, "tagged.json", &serde_json::to_string_pretty(&inventory).unwrap_or_default())
}

#[test]
fn a_resource_tag_suppresses_the_checks_it_names_on_that_resource() {
    let dir = tempdir();
    let inventory = tagged_inventory(dir.path(), "EA101 EA112");
    let out = run(&["scan", "--from", path_str(&inventory), "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = json(&out.stdout);
    assert_eq!(ids(&r["suppressed"]), ["EA101"]);
    let by = &r["suppressed"][0]["suppression"];
    assert_eq!(by["source"], "tag");
    assert_eq!(by["origin"], E4);
    assert!(by["reason"].as_str().is_some_and(|s| s.contains("edge-audit:ignore=EA101 EA112")));
    // EA102 in the other account is untouched.
    assert_eq!(ids(&r["findings"]), ["EA102"]);
    // A tag naming other checks suppresses nothing.
    let inventory = tagged_inventory(dir.path(), "cloudfront-viewer-allows-http");
    let out = run(&["scan", "--from", path_str(&inventory), "--format", "json"]);
    assert_eq!(out.code, 1);
}

/// `tags.json`: distribution E4NOACL (no web ACL) tagged `EA101`, and two functions with public
/// URLs, `webhook` tagged `lambda-url-public` (EA501's slug) and `admin` untagged.
#[test]
fn tags_on_a_distribution_and_a_lambda_function_suppress_their_findings() {
    const WEBHOOK: &str = "arn:aws:lambda:us-east-1:444444444444:function:webhook";
    const ADMIN: &str = "arn:aws:lambda:us-east-1:444444444444:function:admin";
    let out = run(&["scan", "--from", path_str(&fixture("tags.json")), "--format", "json"]);
    // EA501 on `admin` (not an origin) is medium: below the default --fail-on high.
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = json(&out.stdout);
    let suppressed: Vec<(&str, &str, &str)> = r["suppressed"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["check_id"].as_str().unwrap_or_default(),
                s["suppression"]["origin"].as_str().unwrap_or_default(),
                s["suppression"]["source"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(suppressed, [("EA101", E4, "tag"), ("EA501", WEBHOOK, "tag")]);
    assert!(r["suppressed"][1]["suppression"]["reason"]
        .as_str()
        .is_some_and(|s| s.contains("edge-audit:ignore=lambda-url-public")));
    // The tag covers only its own function.
    assert_eq!(ids(&r["findings"]), ["EA501"]);
    assert_eq!(r["findings"][0]["resource"]["arn"], ADMIN);
    assert_eq!(r["summary"]["suppressed"], 2);
}

#[test]
fn with_many_suppressions_the_first_live_match_wins_and_every_match_counts_as_used() {
    // Thousands of entries go through one compiled matcher; what it decides must be what
    // checking the entries one by one, in order, decides.
    let dir = tempdir();
    let mut text = String::new();
    for i in 0..2_000 {
        let check = if i % 2 == 0 { "EA101" } else { "EA102" };
        let resource = format!("arn:aws:cloudfront::999999999999:distribution/E{i:05}*");
        text.push_str(&suppression(check, &resource, "permanent = true"));
    }
    // 2000: matches E4, expired; 2001: matches E4 (glob), live; 2002: matches E4 exactly, live.
    text.push_str(&suppression(
        "EA101",
        "arn:aws:cloudfront::444444444444:distribution/*",
        "expires = 2026-01-01",
    ));
    text.push_str(&suppression("EA101", "arn:aws:cloudfront::*:distribution/E4*", "permanent = true"));
    text.push_str(&suppression("EA101", E4, "permanent = true"));
    let config = write(dir.path(), "edge-audit.toml", &text);
    let (code, out) = scan(&config, &fixture("two-accounts.json"), "2026-06-01", "json");
    assert_eq!(code, 0, "EA101 is suppressed");
    let r = json(&out);
    assert_eq!(ids(&r["suppressed"]), ["EA101"]);
    assert_eq!(r["suppressed"][0]["suppression"]["origin"], "edge-audit.toml#suppress[2001]");
    let policy: Vec<String> = r["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["check_id"] == "EA902" || f["check_id"] == "EA903")
        .filter_map(|f| f["resource"]["arn"].as_str().map(String::from))
        .collect();
    assert!(policy.contains(&"edge-audit:config:edge-audit.toml#suppress[2000]".to_string()), "expired");
    for used in [2001, 2002] {
        let arn = format!("edge-audit:config:edge-audit.toml#suppress[{used}]");
        assert!(!policy.contains(&arn), "#{used} matched, so it is not unused: {policy:?}");
    }
}

#[test]
fn an_unused_suppression_is_reported_only_in_a_complete_audit() {
    let dir = tempdir();
    let config = write(
        dir.path(),
        "edge-audit.toml",
        &suppression("EA101", "arn:aws:cloudfront::333333333333:distribution/E1GONE", "permanent = true"),
    );
    // clean.json: complete, and nothing matches.
    let (code, out) = scan(&config, &fixture("clean.json"), "2026-01-01", "json");
    let r = json(&out);
    assert_eq!(ids(&r["findings"]), ["EA903"]);
    let f = &r["findings"][0];
    assert_eq!(f["severity"], "info");
    assert_eq!(f["resource"]["arn"], "edge-audit:config:edge-audit.toml#suppress[0]");
    assert_eq!(code, 0, "info does not fail at the default threshold");
    // incomplete.json: the same account with CloudFront unread; the suppression may well match
    // what could not be evaluated, so it is not called unused.
    let (code, out) = scan(&config, &fixture("incomplete.json"), "2026-01-01", "json");
    let r = json(&out);
    assert!(!ids(&r["findings"]).contains(&"EA903".to_string()), "{out}");
    assert_eq!(code, 3);
    // Not when its check did not run either.
    let out = run(&[
        "scan",
        "--from",
        path_str(&fixture("clean.json")),
        "--config",
        path_str(&config),
        "--skip-checks",
        "EA101",
        "--format",
        "json",
    ]);
    assert!(!ids(&json(&out.stdout)["findings"]).contains(&"EA903".to_string()));
}

#[test]
fn policy_findings_follow_selection_and_severity_remaps() {
    let dir = tempdir();
    let mut text = String::from("[checks.severity]\nsuppression-expired = \"high\"\n\n");
    text.push_str(&suppression("EA102", "*", "expires = 2020-01-01"));
    let config = write(dir.path(), "edge-audit.toml", &text);
    let inventory = fixture("clean.json");
    let (code, out) = scan(&config, &inventory, "2026-01-01", "json");
    let r = json(&out);
    assert_eq!(ids(&r["findings"]), ["EA902"]);
    assert_eq!(r["findings"][0]["severity"], "high");
    assert_eq!(code, 1);
    let out = run(&[
        "scan",
        "--from",
        path_str(&inventory),
        "--config",
        path_str(&config),
        "--today",
        "2026-01-01",
        "--skip-checks",
        "EA902",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn policy_and_drift_checks_are_in_the_catalogue() {
    let out = run(&["checks", "--format", "json"]);
    assert_eq!(out.code, 0);
    let list = json(&out.stdout);
    for (id, slug, severity) in [
        ("EA701", "perimeter-weakened", "high"),
        ("EA702", "perimeter-changed", "info"),
        ("EA902", "suppression-expired", "low"),
        ("EA903", "suppression-unused", "info"),
    ] {
        let entry =
            list.as_array().into_iter().flatten().find(|c| c["id"] == id).cloned().unwrap_or_default();
        assert_eq!(entry["slug"], slug);
        assert_eq!(entry["default_severity"], severity);
        let doc = entry["documentation"].as_str().unwrap_or_default();
        for section in
            ["## What it finds", "## Why it matters", "## Example", "## How to fix", "## References"]
        {
            assert!(doc.contains(section), "{id} lacks {section}");
        }
        let explain = run(&["explain", slug]);
        assert_eq!(explain.code, 0);
        assert!(explain.stdout.starts_with(&format!("# {id} {slug}")), "{}", explain.stdout);
    }
}

#[test]
fn github_accepts_sarif_with_policy_findings_and_baseline_states() {
    let dir = tempdir();
    let mut text = suppression("EA101", E4, "expires = 2026-03-31");
    text.push_str(&suppression("EA102", "arn:aws:cloudfront::*:distribution/NOPE", "permanent = true"));
    let config = write(dir.path(), "edge-audit.toml", &text);
    let inventory = fixture("two-accounts.json");
    let (_, earlier) = scan(&config, &inventory, "2026-01-01", "json");
    let baseline = write(dir.path(), "previous.json", &earlier);
    let target = dir.path().join("policy.sarif");
    let out = run(&[
        "scan",
        "--from",
        path_str(&inventory),
        "--config",
        path_str(&config),
        "--today",
        "2026-04-01",
        "--baseline",
        path_str(&baseline),
        "--format",
        "sarif",
        "--output",
        path_str(&target),
    ]);
    assert!(out.code != 2, "{}", out.stderr);
    let sarif = json(&std::fs::read_to_string(&target).unwrap_or_default());
    let results: Vec<(String, String)> = sarif["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["results"].as_array().cloned().unwrap_or_default())
        .map(|r| {
            (r["ruleId"].as_str().unwrap_or("").into(), r["baselineState"].as_str().unwrap_or("").into())
        })
        .collect();
    // EA101 was suppressed in the baseline (known); EA902 is new; EA903 and EA102 are known.
    assert!(results.contains(&("EA101".into(), "unchanged".into())), "{results:?}");
    assert!(results.contains(&("EA902".into(), "new".into())), "{results:?}");
    assert!(results.contains(&("EA903".into(), "unchanged".into())), "{results:?}");
    let validator = std::env::var_os("EDGE_AUDIT_VALIDATE_SARIF")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| crate::support::root().join("../shared/tools/validate-sarif"));
    if !crate::support::require("../shared/tools/validate-sarif", validator.is_file()) {
        return;
    }
    let status = std::process::Command::new(validator)
        .arg(&target)
        .status()
        .unwrap_or_else(|e| panic!("cannot run validate-sarif: {e}"));
    assert!(status.success(), "validate-sarif rejected the SARIF file");
}

// The tag lookup of the policy layer, as a library function (it used to be a unit test in
// src/policy.rs, which never ran: the library has no test target).
mod tag_lookup {
    use edge_audit::policy::{is_lambda_function, tag_suppression};
    use edge_audit_checks::checks::LambdaUrlPublic;
    use edge_audit_checks::{Finding, ResourceRef};
    use std::collections::BTreeMap;

    fn finding_on(arn: &str) -> Finding {
        let resource = ResourceRef {
            arn: arn.to_string(),
            id: "x".into(),
            resource_type: "lambda/function".into(),
            name: None,
            region: "us-east-1".into(),
            account: "123456789012".into(),
        };
        Finding::new(&LambdaUrlPublic::META, resource, "public")
    }

    #[test]
    fn a_function_tag_covers_its_qualified_arns_only() {
        const APP: &str = "arn:aws:lambda:us-east-1:123456789012:function:app";
        let tags = BTreeMap::from([(APP.to_string(), (vec!["EA501".to_string()], "EA501".to_string()))]);
        for (arn, covered) in [
            (APP.to_string(), true),
            (format!("{APP}:prod"), true),
            (format!("{APP}:7"), true),
            (format!("{APP}2"), false),
            ("arn:aws:lambda:us-east-1:123456789012:function:other".to_string(), false),
        ] {
            assert_eq!(tag_suppression(&tags, &finding_on(&arn)).is_some(), covered, "{arn}");
        }
        assert!(is_lambda_function(APP));
        assert!(!is_lambda_function(&format!("{APP}:prod")));
        assert!(!is_lambda_function("arn:aws:cloudfront::123456789012:distribution/E1"));
    }
}
