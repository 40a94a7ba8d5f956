//! Snapshot tests of every reporter, run through the real binary on fixture inventories. The
//! check selection is pinned so that adding checks to the catalogue does not churn these.

use crate::support::{example, fixture, path_str, run};

const PINNED: &str = "EA101,EA102,EA301";

fn scan(path: &std::path::Path, format: &str) -> String {
    let out =
        run(&["scan", "--from", path_str(path), "--checks", PINNED, "--format", format, "--fail-on", "none"]);
    assert!(out.code == 0 || out.code == 3, "exit {}: {}", out.code, out.stderr);
    out.stdout
}

#[test]
fn table_report() {
    insta::assert_snapshot!("table_example", scan(&example("acme-shop.json"), "table"));
}

#[test]
fn table_report_is_plain_when_not_a_terminal_and_fits_100_columns() {
    let text = scan(&example("acme-shop.json"), "table");
    assert!(!text.contains('\u{1b}'), "no ANSI escapes when stdout is not a terminal");
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100 || !line.contains('│'),
            "table row wider than 100 columns: {line}"
        );
    }
}

#[test]
fn json_report() {
    let text = scan(&example("acme-shop.json"), "json");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    insta::assert_json_snapshot!("json_example", value, { ".tool.version" => "[version]" });
}

#[test]
fn json_report_contract() {
    let text = scan(&fixture("two-accounts.json"), "json");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["tool"]["name"], "edge-audit");
    assert!(report["tool"]["version"].is_string());
    let accounts: Vec<&str> = report["accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["account_id"].as_str())
        .collect();
    assert_eq!(accounts, ["444444444444", "555555555555"]);
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(findings.len(), 2);
    for f in &findings {
        for key in ["check_id", "title", "severity", "resource", "message", "evidence", "remediation"] {
            assert!(f.get(key).is_some(), "finding lacks `{key}`: {f}");
        }
        for key in ["arn", "id", "type", "name", "region", "account"] {
            assert!(f["resource"].get(key).is_some(), "resource lacks `{key}`: {f}");
        }
        let severity = f["severity"].as_str().unwrap_or_default();
        assert_eq!(severity, severity.to_lowercase());
    }
    // Sorted: highest severity first.
    assert_eq!(findings[0]["check_id"], "EA101");
    assert_eq!(findings[1]["check_id"], "EA102");
    assert!(report["not_evaluated"].as_array().is_some_and(|n| n.is_empty()));
    for key in ["critical", "high", "medium", "low", "info", "total"] {
        assert!(report["summary"][key].is_u64(), "summary lacks `{key}`");
    }
    assert_eq!(report["summary"]["high"], 1);
    assert_eq!(report["summary"]["medium"], 1);
}

#[test]
fn json_findings_are_deterministic() {
    let a = scan(&fixture("two-accounts.json"), "json");
    let b = scan(&fixture("two-accounts.json"), "json");
    assert_eq!(a, b);
}

#[test]
fn sarif_report() {
    let text = scan(&example("acme-shop.json"), "sarif");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    insta::assert_json_snapshot!("sarif_example", value, {
        ".runs[].tool.driver.semanticVersion" => "[version]",
    });
}

#[test]
fn sarif_has_one_run_per_account_and_resource_paths() {
    let text = scan(&fixture("two-accounts.json"), "sarif");
    let log: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let runs = log["runs"].as_array().cloned().unwrap_or_default();
    let ids: Vec<&str> = runs.iter().filter_map(|r| r["automationDetails"]["id"].as_str()).collect();
    assert_eq!(ids, ["edge-audit/aws/444444444444/", "edge-audit/aws/555555555555/"]);
    let result = &runs[0]["results"][0];
    assert_eq!(result["ruleId"], "EA101");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "aws/444444444444/global/cloudfront/distribution/E4NOACL"
    );
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "arn:aws:cloudfront::444444444444:distribution/E4NOACL"
    );
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
    assert_eq!(rules.len(), 3, "every check that ran is a rule");
    for rule in &rules {
        let tags = rule["properties"]["tags"].as_array().cloned().unwrap_or_default();
        assert!(tags.iter().any(|t| t == "security"));
        let severity = rule["properties"]["security-severity"].as_str().unwrap_or_default();
        assert!(severity.parse::<f64>().is_ok(), "security-severity must be numeric: {severity}");
        assert!(rule["help"]["markdown"].as_str().is_some_and(|m| m.contains("## How to fix")));
    }
}

#[test]
fn clean_sarif_has_an_empty_results_array() {
    let text = scan(&fixture("clean.json"), "sarif");
    let log: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!("markdown_example", scan(&example("acme-shop.json"), "markdown"));
}

#[test]
fn markdown_lists_what_was_not_evaluated() {
    let out = run(&["scan", "--from", path_str(&fixture("incomplete.json")), "--format", "markdown"]);
    assert_eq!(out.code, 3);
    assert!(out.stdout.contains("### Not evaluated"), "{}", out.stdout);
    assert!(out.stdout.contains("ThrottlingException"));
}

#[test]
fn output_file_is_written_atomically_and_nothing_goes_to_stdout() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = dir.path().join("report.json");
    let out = run(&[
        "scan",
        "--from",
        path_str(&example("acme-shop.json")),
        "--format",
        "json",
        "--output",
        path_str(&target),
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&target).unwrap_or_default();
    assert!(serde_json::from_str::<serde_json::Value>(&written).is_ok());
    let entries = std::fs::read_dir(dir.path()).map(|d| d.count()).unwrap_or(0);
    assert_eq!(entries, 1, "no temporary file left next to the report");
}

#[test]
fn checks_and_explain() {
    let list = run(&["checks"]);
    assert_eq!(list.code, 0);
    for id in ["EA101", "EA102", "EA301"] {
        assert!(list.stdout.contains(id));
    }
    let json = run(&["checks", "--format", "json"]);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).unwrap_or_default();
    assert!(parsed.as_array().is_some_and(|a| a.len() >= 3));
    for key in ["EA101", "cloudfront-no-web-acl"] {
        let explained = run(&["explain", key]);
        assert_eq!(explained.code, 0);
        for section in ["## What it finds", "## Why it matters", "## How to fix", "## References"] {
            assert!(explained.stdout.contains(section), "explain {key} lacks {section}");
        }
    }
}
