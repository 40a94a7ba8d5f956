//! SARIF within GitHub code scanning's limits: at most 25,000 results per run and a file of at
//! most 10 MB (`sarif::Limits::GITHUB`). A larger report keeps its most severe results, says so in
//! a run notification and in one `warning:` line on stderr, and still validates.
//!
//! Validation runs on cut reports of a few hundred results (the same code with smaller limits):
//! the validator's GitHub rule set flags any array of more than 1,000 elements (GH1004, which the
//! shared configuration raises to an error, although GitHub accepts 25,000 results per run), and
//! it takes about half a minute on a 10 MB file.

use crate::sarif_validation::{validate, validator};
use crate::support::{fixture, path_str, require, run};
use edge_audit::report::sarif::{self, Limits};
use edge_audit::report::Report;
use edge_audit_checks::{registry, CheckOptions, Severity};
use serde_json::Value;
use std::path::{Path, PathBuf};

const DISTRIBUTIONS: usize = 26_000;

/// An inventory of one account (the clean fixture's) with [`DISTRIBUTIONS`] distributions without
/// a web ACL (EA101, high, each), written to `dir`. The account also draws less severe findings
/// (its web ACL is attached to nothing; the new distributions lack Shield protection).
fn large_inventory(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(fixture("clean.json")).unwrap_or_else(|e| panic!("{e}"));
    let mut inventory: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let account = &mut inventory["accounts"][0];
    let account_id = account["account_id"].as_str().unwrap_or_default().to_string();
    let mut template = account["distributions"][0].clone();
    if let Some(map) = template.as_object_mut() {
        map.remove("web_acl_id");
    }
    let distributions: Vec<Value> = (0..DISTRIBUTIONS)
        .map(|i| {
            let mut d = template.clone();
            let id = format!("E{i:07}");
            d["arn"] = Value::from(format!("arn:aws:cloudfront::{account_id}:distribution/{id}"));
            d["domain_name"] = Value::from(format!("d{i:07}.cloudfront.net"));
            d["id"] = Value::from(id);
            d
        })
        .collect();
    account["distributions"] = Value::from(distributions);
    let path = dir.join("large-inventory.json");
    std::fs::write(&path, serde_json::to_vec(&inventory).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    path
}

fn notifications(run: &Value) -> Vec<String> {
    run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .map(|a| a.iter().filter_map(|n| n["message"]["text"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

#[test]
fn a_run_keeps_at_most_25000_results_the_most_severe() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let inventory =
        edge_audit::snapshot::load(&large_inventory(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
    let report = Report::new(&inventory, outcome, Some(Severity::High));
    let total = report.findings.len();
    let high = report.findings.iter().filter(|f| f.severity >= Severity::High).count();
    assert!(high >= DISTRIBUTIONS && total > high, "{high} high or critical of {total}");

    // The count limit alone (no size limit), as GitHub's.
    let limits = Limits { max_bytes: usize::MAX, ..Limits::GITHUB };
    assert_eq!(limits.max_results_per_run, 25_000);
    let rendered = sarif::render_limited(&report, limits).unwrap();
    assert_eq!((rendered.kept_results, rendered.total_results), (25_000, total));
    let log: Value = serde_json::from_str(&rendered.text).unwrap_or_else(|e| panic!("{e}"));
    let run = &log["runs"][0];
    let results = run["results"].as_array().map(Vec::as_slice).unwrap_or_default();
    assert_eq!(results.len(), 25_000);
    assert!(results.iter().all(|r| r["level"] == "error"), "high and critical results are kept first");
    let notes = notifications(run);
    assert!(
        notes.iter().any(|n| n.contains(&format!("the 25000 most severe of {total} results"))
            && n.contains("at most 25000 results per run")),
        "{notes:?}"
    );
    let warning = rendered.warning.unwrap_or_default();
    assert!(warning.contains(&format!("kept the 25000 most severe of {total} results")), "{warning}");

    // The same cuts on a smaller scale, by count and by size, validate as GitHub ingests them.
    let by_count =
        sarif::render_limited(&report, Limits { max_results_per_run: 400, ..Limits::GITHUB }).unwrap();
    assert_eq!(by_count.kept_results, 400);
    let by_size = sarif::render_limited(&report, Limits { max_bytes: 400_000, ..Limits::GITHUB }).unwrap();
    assert!(by_size.text.len() <= 400_000, "{} bytes", by_size.text.len());
    assert!((300..1_000).contains(&by_size.kept_results), "{} results", by_size.kept_results);
    let size_log: Value = serde_json::from_str(&by_size.text).unwrap_or_else(|e| panic!("{e}"));
    let notes = notifications(&size_log["runs"][0]);
    assert!(notes.iter().any(|n| n.contains("400000 bytes per file")), "{notes:?}");
    let files: Vec<PathBuf> = [("by-count", &by_count), ("by-size", &by_size)]
        .into_iter()
        .map(|(name, rendered)| {
            let path = dir.path().join(format!("{name}.sarif"));
            std::fs::write(&path, &rendered.text).unwrap_or_else(|e| panic!("{e}"));
            path
        })
        .collect();
    let validator = validator();
    if require("validate-sarif (../shared/tools or tools/sarif)", validator.is_some()) {
        if let Some(validator) = validator {
            validate(&validator, &files);
        }
    }
}

#[test]
fn a_large_report_is_cut_to_github_limits_with_one_warning() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let inventory = large_inventory(dir.path());
    let sarif = dir.path().join("large.sarif");
    let out = run(&[
        "scan",
        "--from",
        path_str(&inventory),
        "--format",
        "sarif",
        "--output",
        path_str(&sarif),
        "--fail-on",
        "none",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let warnings: Vec<&str> = out.stderr.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 1, "one warning line: {}", out.stderr);
    assert!(warnings[0].contains("SARIF report cut to GitHub code scanning's limits"), "{}", warnings[0]);

    let text = std::fs::read_to_string(&sarif).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.len() <= Limits::GITHUB.max_bytes, "{} bytes", text.len());
    let log: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let runs = log["runs"].as_array().map(Vec::as_slice).unwrap_or_default();
    assert_eq!(runs.len(), 1);
    let results = runs[0]["results"].as_array().map(Vec::as_slice).unwrap_or_default();
    // Code scanning shows at most the 5,000 most severe results of a run: the cut loses none of them.
    assert!((5_000..25_000).contains(&results.len()), "{} results", results.len());
    assert!(results.iter().all(|r| r["level"] == "error"), "high and critical results are kept first");
    let kept = format!("the {} most severe of ", results.len());
    assert!(warnings[0].contains(&format!("kept {kept}")), "{}", warnings[0]);
    let notes = notifications(&runs[0]);
    assert!(notes.iter().any(|n| n.contains(&kept) && n.contains("10000000 bytes per file")), "{notes:?}");
    // What the validator checks per result, on every result (see the module comment).
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap_or(":");
        assert!(r["locations"].as_array().map(Vec::len) == Some(1) && !uri.contains(':'), "{r}");
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].is_string(), "{r}");
    }
}
