//! `scan --baseline previous.json`: findings matched by fingerprint, only new ones gate the run,
//! matching independent of the baseline's order and wording; bad baselines are one-line errors.

use crate::support::{fixture, json, path_str, run, tempdir, write};
use std::path::Path;

fn scan(args: &[&str]) -> (i32, serde_json::Value) {
    let inventory = fixture("two-accounts.json");
    let mut all = vec!["scan", "--from", path_str(&inventory), "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(out.code != 2, "{}", out.stderr);
    (out.code, json(&out.stdout))
}

fn save(dir: &Path, name: &str, report: &serde_json::Value) -> std::path::PathBuf {
    write(dir, name, &serde_json::to_string_pretty(report).unwrap_or_default())
}

fn statuses(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["check_id"].as_str().unwrap_or("").to_string(),
                f["baseline"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn known_findings_do_not_fail_the_run() {
    let dir = tempdir();
    let (code, first) = scan(&[]);
    assert_eq!(code, 1);
    assert!(first["findings"][0].get("baseline").is_none(), "no `baseline` without --baseline");
    let baseline = save(dir.path(), "previous.json", &first);
    let (code, second) = scan(&["--baseline", path_str(&baseline)]);
    assert_eq!(code, 0, "everything is known");
    assert_eq!(statuses(&second), [("EA101".into(), "known".into()), ("EA102".into(), "known".into())]);
    assert_eq!(second["summary"]["new"], 0);
    assert_eq!(second["summary"]["known"], 2);
    assert_eq!(second["summary"]["failing"], 0);
    assert_eq!(second["summary"]["total"], 2, "known findings are still reported");
}

#[test]
fn only_new_findings_count_towards_fail_on() {
    let dir = tempdir();
    // The baseline knew only EA102.
    let (_, earlier) = scan(&["--skip-checks", "EA101"]);
    let baseline = save(dir.path(), "previous.json", &earlier);
    let (code, report) = scan(&["--baseline", path_str(&baseline)]);
    assert_eq!(code, 1, "EA101 is new and high");
    assert_eq!(statuses(&report), [("EA101".into(), "new".into()), ("EA102".into(), "known".into())]);
    // At --fail-on medium, the known medium EA102 still does not count: one failing finding.
    let (code, report) = scan(&["--baseline", path_str(&baseline), "--fail-on", "medium"]);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["failing"], 1);
    // With EA101 skipped, only known findings remain: exit 0 even at --fail-on info.
    let (code, _) = scan(&["--baseline", path_str(&baseline), "--fail-on", "info", "--skip-checks", "EA101"]);
    assert_eq!(code, 0);
}

#[test]
fn matching_survives_reordering_and_rewording() {
    let dir = tempdir();
    let (_, mut earlier) = scan(&[]);
    if let Some(findings) = earlier["findings"].as_array_mut() {
        findings.reverse();
        for f in findings.iter_mut() {
            f["message"] = serde_json::json!("reworded by a later version of edge-audit");
            f["title"] = serde_json::json!("renamed");
            f["severity"] = serde_json::json!("low");
        }
    }
    let baseline = save(dir.path(), "shuffled.json", &earlier);
    let (code, report) = scan(&["--baseline", path_str(&baseline)]);
    assert_eq!(code, 0);
    assert!(statuses(&report).iter().all(|(_, s)| s == "known"), "{report}");
}

#[test]
fn baseline_status_reaches_table_markdown_and_sarif() {
    let dir = tempdir();
    let (_, earlier) = scan(&["--skip-checks", "EA101"]);
    let baseline = save(dir.path(), "previous.json", &earlier);
    let inventory = fixture("two-accounts.json");
    let base = ["scan", "--from", path_str(&inventory), "--baseline", path_str(&baseline)];
    let table = run(&base);
    assert!(table.stdout.contains("baseline: 1 new, 1 known"), "{}", table.stdout);
    assert!(table.stdout.contains("[new]"), "{}", table.stdout);
    let mut args = base.to_vec();
    args.extend(["--format", "sarif"]);
    let sarif = json(&run(&args).stdout);
    let states: Vec<(String, String)> = sarif["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["results"].as_array().cloned().unwrap_or_default())
        .map(|r| {
            (r["ruleId"].as_str().unwrap_or("").into(), r["baselineState"].as_str().unwrap_or("").into())
        })
        .collect();
    assert_eq!(states, [("EA101".into(), "new".into()), ("EA102".into(), "unchanged".into())]);
}

#[test]
fn bad_baselines_are_one_line_errors() {
    let dir = tempdir();
    let (_, good) = scan(&[]);
    let mut no_fingerprint = good.clone();
    if let Some(f) = no_fingerprint["findings"][1].as_object_mut() {
        f.remove("fingerprint");
    }
    let mut no_findings = good.clone();
    if let Some(r) = no_findings.as_object_mut() {
        r.remove("findings");
    }
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (write(dir.path(), "malformed.json", "{\"findings\": ["), "not valid JSON"),
        (save(dir.path(), "no-fingerprint.json", &no_fingerprint), "findings[1].fingerprint"),
        (save(dir.path(), "no-findings.json", &no_findings), "field `findings` is missing"),
        (
            write(
                dir.path(),
                "inventory.json",
                &std::fs::read_to_string(fixture("clean.json")).unwrap_or_default(),
            ),
            "findings",
        ),
        (write(dir.path(), "array.json", "[]"), "not an edge-audit JSON report"),
        (dir.path().join("missing.json"), "missing.json"),
        (write(dir.path(), "drift.json", &drift_report()), "drift report"),
    ];
    let inventory = fixture("two-accounts.json");
    let target = dir.path().join("report.json");
    for (path, needle) in cases {
        let out = run(&[
            "scan",
            "--from",
            path_str(&inventory),
            "--baseline",
            path_str(&path),
            "--output",
            path_str(&target),
        ]);
        assert_eq!(out.code, 2, "{}: {}", path.display(), out.stderr);
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{:?}", out.stderr);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        assert!(lines[0].contains(&name), "{} lacks the file name", lines[0]);
        assert!(lines[0].contains(needle), "{} lacks `{needle}`", lines[0]);
        assert!(!target.exists(), "no report is written on a bad baseline");
    }
}

fn drift_report() -> String {
    let base = fixture("drift/base.json");
    let out =
        run(&["drift", "--baseline", path_str(&base), "--current", path_str(&base), "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}
