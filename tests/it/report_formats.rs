//! Issue 17: the formats security teams already read, each checked by its real consumer or
//! schema: per-account SARIF (`--output-dir`, validate-sarif), OCSF (py-ocsf-models), ASFF
//! (botocore's model of BatchImportFindings), the compliance table (`--compliance`), the Mermaid
//! diagram of the Markdown report (the `mermaid` npm parser) and the HTML report (headless
//! Chromium, with DOM assertions and a screenshot).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::sarif_validation::{validate, validator};
use crate::support::secrets::{inventory as secrets_inventory, PLAINTEXT};
use crate::support::{example, fixture, json, path_str, require, root, run, tempdir, write, Run};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// `scan --from INPUT ARGS... --fail-on none`; the run must succeed (0, or 3 when incomplete).
fn scan(input: &Path, args: &[&str]) -> Run {
    let mut all = vec!["scan", "--from", path_str(input), "--fail-on", "none"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(out.code == 0 || out.code == 3, "{all:?}: exit {}\n{}", out.code, out.stderr);
    out
}

/// The secrets inventory written to `dir`.
fn secrets_file(dir: &Path) -> PathBuf {
    write(dir, "secrets-inventory.json", &serde_json::to_string(&secrets_inventory()).unwrap())
}

/// An inventory of `count` accounts: copies of the first account of `two-accounts.json`.
fn many_accounts(dir: &Path, count: usize) -> PathBuf {
    let mut base = json(&read(&fixture("two-accounts.json")));
    let template = base["accounts"][0].clone();
    let accounts: Vec<Value> = (0..count)
        .map(|i| {
            let mut account = template.clone();
            account["account_id"] = Value::String(format!("{:012}", 100_000_000_000u64 + i as u64));
            account
        })
        .collect();
    base["accounts"] = Value::Array(accounts);
    write(dir, &format!("{count}-accounts.json"), &base.to_string())
}

fn assert_no_plaintext_secret(what: &str, text: &str) {
    for secret in PLAINTEXT {
        assert!(!text.contains(secret), "{what} contains the secret {secret:?}");
    }
}

/// The test venv's python when it has the validators' packages (py-ocsf-models, botocore).
fn venv_python() -> Option<PathBuf> {
    let venv = std::env::var_os("EDGE_AUDIT_VENV").map(PathBuf::from).unwrap_or_else(|| root().join(".venv"));
    let python = venv.join("bin/python");
    let usable = Command::new(&python)
        .args(["-c", "import py_ocsf_models, botocore"])
        .output()
        .is_ok_and(|o| o.status.success());
    usable.then_some(python)
}

/// Runs a validator script of `tools/` with the venv's python; panics with its output on failure.
fn run_python_validator(python: &Path, script: &str, files: &[&Path]) -> String {
    let output = Command::new(python)
        .arg(root().join(script))
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {script}: {e}"));
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{script} rejected the output:\n{text}");
    text
}

// --- SARIF: one file per account ------------------------------------------------------------------

#[test]
fn output_dir_writes_one_valid_sarif_file_per_account() {
    let dir = tempdir();
    let out_dir = dir.path().join("sarif");
    std::fs::create_dir_all(&out_dir).unwrap();
    // A file of an account audited earlier but not now, and a file that is not ours.
    write(&out_dir, "edge-audit-999999999999.sarif", "{}");
    write(&out_dir, "notes.sarif", "{}");
    scan(
        &fixture("two-accounts.json"),
        &["--format", "sarif", "--output-dir", path_str(&out_dir), "--compliance", "nist-800-53"],
    );
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["edge-audit-444444444444.sarif", "edge-audit-555555555555.sarif", "notes.sarif"]);
    let mut files = Vec::new();
    for account in ["444444444444", "555555555555"] {
        let path = out_dir.join(format!("edge-audit-{account}.sarif"));
        let log = json(&read(&path));
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1, "{account}: one run per file");
        assert_eq!(runs[0]["automationDetails"]["id"], format!("edge-audit/aws/{account}/"));
        for result in runs[0]["results"].as_array().unwrap() {
            assert_eq!(
                result["properties"]["resource"]["account"], account,
                "{account}: another account's result"
            );
        }
        // Rules carry their compliance controls as tags.
        let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
        let ea101 = rules.iter().find(|r| r["id"] == "EA101").expect("EA101 is a rule");
        let tags: Vec<&str> =
            ea101["properties"]["tags"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        assert!(tags.contains(&"FSBP CloudFront.6") && tags.contains(&"NIST.800-53.r5 SC-7"), "{tags:?}");
        // The account's compliance table rides in the run's property bag.
        let table = &runs[0]["properties"]["compliance"];
        assert_eq!(table["framework"], "nist-800-53");
        assert_eq!(table["account"], account);
        files.push(path);
    }
    let validator = validator();
    if require("validate-sarif (../shared/tools or tools/sarif)", validator.is_some()) {
        validate(&validator.unwrap(), &files);
    }
}

#[test]
fn a_single_sarif_file_of_more_than_20_accounts_is_refused() {
    let dir = tempdir();
    let inventory = many_accounts(dir.path(), 21);
    let target = dir.path().join("org.sarif");
    let out =
        run(&["scan", "--from", path_str(&inventory), "--format", "sarif", "--output", path_str(&target)]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
    assert!(out.stderr.starts_with("error: ") && out.stderr.contains("--output-dir"), "{}", out.stderr);
    assert!(out.stderr.contains("21 runs") && out.stderr.contains("at most 20"), "{}", out.stderr);
    assert!(!target.exists(), "nothing may be written");
    // 20 accounts still fit one file.
    let twenty = many_accounts(dir.path(), 20);
    let out = run(&[
        "scan",
        "--from",
        path_str(&twenty),
        "--format",
        "sarif",
        "--output",
        path_str(&target),
        "--fail-on",
        "none",
    ]);
    assert!(out.code == 0 || out.code == 3, "{}", out.stderr);
    assert_eq!(json(&read(&target))["runs"].as_array().unwrap().len(), 20);
}

#[test]
fn output_dir_is_only_for_sarif_and_excludes_output() {
    let dir = tempdir();
    let out_dir = dir.path().join("out");
    let out = run(&[
        "scan",
        "--from",
        path_str(&example("acme-shop.json")),
        "--format",
        "json",
        "--output-dir",
        path_str(&out_dir),
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--output-dir") && out.stderr.contains("--format sarif"), "{}", out.stderr);
    assert!(!out_dir.exists(), "nothing may be created");
    let file = dir.path().join("x.sarif");
    let out = run(&[
        "scan",
        "--from",
        path_str(&example("acme-shop.json")),
        "--format",
        "sarif",
        "--output-dir",
        path_str(&out_dir),
        "--output",
        path_str(&file),
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--output-dir") && out.stderr.contains("--output"), "{}", out.stderr);
}

// --- OCSF and ASFF ---------------------------------------------------------------------------------

#[test]
fn ocsf_events_validate_against_the_ocsf_schema() {
    let python = venv_python();
    let dir = tempdir();
    let secrets = secrets_file(dir.path());
    let mut files = Vec::new();
    for (name, input) in
        [("example", example("acme-shop.json")), ("secrets", secrets), ("two", fixture("two-accounts.json"))]
    {
        let target = dir.path().join(format!("{name}.ocsf.json"));
        scan(&input, &["--format", "ocsf", "--compliance", "fsbp", "--output", path_str(&target)]);
        let text = read(&target);
        assert_no_plaintext_secret(name, &text);
        let events = json(&text);
        let events = events.as_array().unwrap();
        assert!(!events.is_empty(), "{name}: no event");
        for event in events {
            assert_eq!(event["class_uid"], 2003, "Compliance Finding");
            assert_eq!(event["metadata"]["version"], "1.5.0");
        }
        files.push(target);
    }
    // The example's EA101 finding: check, resource, severity, remediation, evidence, controls.
    let events = json(&read(&files[0]));
    let ea101 = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["metadata"]["event_code"] == "EA101")
        .expect("an EA101 event");
    assert_eq!(ea101["severity"], "High");
    assert_eq!(ea101["resources"][0]["type"], "AwsCloudFrontDistribution");
    assert!(ea101["resources"][0]["data"]["evidence"].is_object());
    assert!(!ea101["remediation"]["desc"].as_str().unwrap().is_empty());
    assert_eq!(ea101["compliance"]["control"], "FSBP CloudFront.6");
    assert!(ea101["compliance"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "NIST.800-53.r5 SC-7"));
    let uid = ea101["finding_info"]["uid"].as_str().unwrap();
    assert!(uid.starts_with("edge-audit/123456789012/EA101/"), "{uid}");
    // With --compliance, one event per control carries its status; CloudFront.6 fails here.
    let control = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["compliance"]["control"] == "FSBP CloudFront.6" && e["metadata"]["event_code"] != "EA101")
        .expect("a CloudFront.6 control event");
    assert_eq!(control["compliance"]["status_id"], 3);
    if require("the test venv with py-ocsf-models (EDGE_AUDIT_VENV or .venv)", python.is_some()) {
        let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
        run_python_validator(&python.unwrap(), "tools/ocsf/validate-ocsf.py", &refs);
    }
}

#[test]
fn asff_is_what_batch_import_findings_takes_with_ids_stable_across_runs() {
    let python = venv_python();
    let dir = tempdir();
    let secrets = secrets_file(dir.path());
    let mut files = Vec::new();
    for (name, input) in
        [("example", example("acme-shop.json")), ("secrets", secrets), ("two", fixture("two-accounts.json"))]
    {
        let target = dir.path().join(format!("{name}.asff.json"));
        scan(
            &input,
            &[
                "--format",
                "asff",
                "--compliance",
                "cis",
                "--output",
                path_str(&target),
                "--security-hub-region",
                "eu-west-1",
            ],
        );
        let text = read(&target);
        assert_no_plaintext_secret(name, &text);
        files.push(target);
    }
    let first = json(&read(&files[0]));
    let findings = first["Findings"].as_array().unwrap();
    let report = json(&scan(&example("acme-shop.json"), &["--format", "json"]).stdout);
    for f in report["findings"].as_array().unwrap() {
        let id = format!(
            "edge-audit/123456789012/{}/{}",
            f["check_id"].as_str().unwrap(),
            f["fingerprint"].as_str().unwrap()
        );
        let asff = findings
            .iter()
            .find(|a| a["Id"] == id.as_str())
            .unwrap_or_else(|| panic!("no ASFF finding {id}"));
        assert_eq!(
            asff["ProductArn"],
            "arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default"
        );
        assert_eq!(asff["AwsAccountId"], "123456789012");
        assert_eq!(asff["Compliance"]["Status"], "FAILED");
    }
    // CIS 5.2 fails on the example (EA402: SSH open to the internet).
    let cis =
        findings.iter().find(|a| a["Id"] == "edge-audit/123456789012/compliance/cis/5.2").expect("CIS 5.2");
    assert_eq!(cis["Compliance"]["Status"], "FAILED");
    // A second run gives the same ids: a re-import updates instead of duplicating.
    let again = dir.path().join("again.asff.json");
    scan(
        &example("acme-shop.json"),
        &[
            "--format",
            "asff",
            "--compliance",
            "cis",
            "--output",
            path_str(&again),
            "--security-hub-region",
            "eu-west-1",
        ],
    );
    let ids =
        |v: &Value| v["Findings"].as_array().unwrap().iter().map(|f| f["Id"].to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&json(&read(&again))));
    if require("the test venv with botocore (EDGE_AUDIT_VENV or .venv)", python.is_some()) {
        let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
        run_python_validator(&python.unwrap(), "tools/asff/validate-asff.py", &refs);
    }
}

// --- Compliance -------------------------------------------------------------------------------------

#[test]
fn compliance_table_is_in_every_format() {
    let dir = tempdir();
    let input = example("acme-shop.json");
    let report = json(&scan(&input, &["--format", "json", "--compliance", "fsbp"]).stdout);
    let table = &report["compliance"];
    assert_eq!(table["framework"], "fsbp");
    let control = |id: &str| {
        table["controls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let cf6 = control("CloudFront.6");
    assert_eq!(cf6["status"], "fail");
    assert_eq!(cf6["checks"], serde_json::json!(["EA101"]));
    assert_eq!(cf6["findings"][0]["check_id"], "EA101");
    // Every control has a status, and the summary counts them.
    let controls = table["controls"].as_array().unwrap();
    let count = |s: &str| controls.iter().filter(|c| c["status"] == s).count();
    assert_eq!(table["summary"]["fail"], count("fail"));
    assert_eq!(table["summary"]["pass"], count("pass"));
    assert_eq!(table["summary"]["not_evaluated"], count("not_evaluated"));
    assert_eq!(count("fail") + count("pass") + count("not_evaluated"), controls.len());
    // Fail closed: a control whose check did not run is not evaluated, never a pass.
    let report =
        json(&scan(&input, &["--format", "json", "--compliance", "nist-800-53", "--checks", "EA101"]).stdout);
    let ca8 = report["compliance"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "CA-8")
        .cloned()
        .unwrap();
    assert_eq!(ca8["status"], "not_evaluated");
    assert!(ca8["reasons"][0].as_str().unwrap().contains("did not run"), "{ca8}");
    // A clean account passes the controls its checks cover completely.
    let clean = json(&scan(&fixture("clean.json"), &["--format", "json", "--compliance", "fsbp"]).stdout);
    let cf6 = clean["compliance"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "CloudFront.6")
        .cloned()
        .unwrap();
    assert_eq!(cf6["status"], "pass", "{cf6}");
    // Table, Markdown and HTML show it.
    let text = scan(&input, &["--compliance", "fsbp"]).stdout;
    assert!(text.contains("COMPLIANCE: AWS Foundational Security Best Practices"), "{text}");
    let markdown = scan(&input, &["--format", "markdown", "--compliance", "cis"]).stdout;
    assert!(markdown.contains("### Compliance: CIS AWS Foundations Benchmark v3.0.0"), "{markdown}");
    assert!(markdown.contains("| 5.2 |"), "{markdown}");
    let html = dir.path().join("r.html");
    scan(&input, &["--format", "html", "--compliance", "fsbp", "--output", path_str(&html)]);
    assert!(read(&html).contains("<table id=\"compliance\">"));
    // Without --compliance there is no table.
    assert!(json(&scan(&input, &["--format", "json"]).stdout).get("compliance").is_none());
}

#[test]
fn explain_shows_the_controls_of_a_check() {
    let out = run(&["explain", "EA101"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("## Compliance"), "{}", out.stdout);
    assert!(
        out.stdout.contains("AWS Foundational Security Best Practices v1.0.0 CloudFront.6"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("NIST SP 800-53 Rev. 5 SC-7 (Boundary Protection)"), "{}", out.stdout);
    let out = run(&["explain", "EA903"]);
    assert!(out.stdout.contains("No control: "), "{}", out.stdout);
    let out = run(&["scan", "--from", path_str(&example("acme-shop.json")), "--compliance", "iso"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn a_bad_security_hub_region_is_refused_in_one_line() {
    let dir = tempdir();
    let target = dir.path().join("x.asff.json");
    let out = run(&[
        "scan",
        "--from",
        path_str(&example("acme-shop.json")),
        "--format",
        "asff",
        "--security-hub-region",
        "eu-west-1\n:evil",
        "--output",
        path_str(&target),
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("--security-hub-region"), "{}", out.stderr);
    assert!(!target.exists());
}

// --- The picture: Mermaid and HTML ---------------------------------------------------------------

/// An inventory with `copies` copies of the example's distributions (new ids), to pass the cap.
fn many_distributions(dir: &Path, copies: usize) -> PathBuf {
    let mut base = json(&read(&example("acme-shop.json")));
    let originals = base["accounts"][0]["distributions"].as_array().unwrap().clone();
    let mut all = Vec::new();
    for i in 0..copies {
        for d in &originals {
            let mut d = d.clone();
            let id = format!("{}{i:03}", d["id"].as_str().unwrap());
            d["arn"] = Value::String(format!("arn:aws:cloudfront::123456789012:distribution/{id}"));
            d["id"] = Value::String(id);
            all.push(d);
        }
    }
    base["accounts"][0]["distributions"] = Value::Array(all);
    write(dir, "many-distributions.json", &base.to_string())
}

/// The diagram keeps only the distributions it draws (the most exposed), as accounts are
/// judged one after another: a reachable distribution in the last account is drawn first, ahead
/// of fifty earlier ones edge-audit could not verify, and the rest are counted.
#[test]
fn the_diagram_draws_the_most_exposed_distributions_wherever_they_are() {
    let dir = tempdir();
    let mut inventory = json(&read(&fixture("clean.json")));
    let original = inventory["accounts"][0]["distributions"][0].clone();
    let copies: Vec<Value> = (0..50)
        .map(|i| {
            let mut d = original.clone();
            let id = format!("E1CLEAN{i:03}");
            d["arn"] = Value::String(format!("arn:aws:cloudfront::333333333333:distribution/{id}"));
            d["id"] = Value::String(id);
            d
        })
        .collect();
    inventory["accounts"][0]["distributions"] = Value::Array(copies);
    let mut shop = json(&read(&example("acme-shop.json")));
    let shop_account = shop["accounts"][0].take();
    inventory["accounts"].as_array_mut().unwrap().push(shop_account);
    let input = write(dir.path(), "mixed.json", &inventory.to_string());
    let target = dir.path().join("mixed.md");
    scan(&input, &["--format", "markdown", "--output", path_str(&target)]);
    let text = read(&target);
    let drawn: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("  d").and_then(|rest| rest.split_once("[\"")).map(|(_, label)| label))
        .filter(|label| label.starts_with('E'))
        .collect();
    assert_eq!(drawn.len(), 40, "{text}");
    assert!(drawn[0].starts_with("E2SHOPWEB0001 "), "the reachable ones first: {drawn:?}");
    assert!(drawn[1].starts_with("E3ADMIN00001 "), "{drawn:?}");
    // Then the earliest of the others, in inventory order.
    assert!(drawn[2].starts_with("E1CLEAN000 ") && drawn[39].starts_with("E1CLEAN037 "), "{drawn:?}");
    assert!(text.contains("… and 12 more distributions"), "{text}");
    let html_target = dir.path().join("mixed.html");
    scan(&input, &["--format", "html", "--output", path_str(&html_target)]);
    let html = read(&html_target);
    assert!(html.contains("… and 12 more distributions"), "the SVG counts them too");
}

#[test]
fn the_markdown_report_starts_with_a_mermaid_diagram_that_parses() {
    let dir = tempdir();
    let mut files = Vec::new();
    let inputs = [
        ("example", example("acme-shop.json")),
        ("clean", fixture("clean.json")),
        ("two", fixture("two-accounts.json")),
        ("incomplete", fixture("incomplete.json")),
        ("secrets", secrets_file(dir.path())),
        ("large", many_distributions(dir.path(), 30)),
    ];
    for (name, input) in inputs {
        let target = dir.path().join(format!("{name}.md"));
        scan(&input, &["--format", "markdown", "--output", path_str(&target)]);
        let text = read(&target);
        assert!(text.starts_with("## edge-audit report\n\n```mermaid\nflowchart LR\n"), "{name}: {text}");
        assert_no_plaintext_secret(name, &text);
        files.push(target);
    }
    let example_md = read(&files[0]);
    // Edges are labelled by lock and verdict, coloured, and the findings are named by id.
    assert!(example_md.contains("-->|\"secret-header · reachable around CloudFront\"|"), "{example_md}");
    assert!(example_md.contains("linkStyle 0 stroke:#cf222e"), "{example_md}");
    assert!(example_md.contains("EA404 EA406"), "{example_md}");
    // Large accounts are summarised per distribution, and say so.
    let large = read(&files[5]);
    assert!(large.contains("each distribution is summarised"), "{large}");
    assert!(large.contains("… and 20 more distributions"), "{large}");
    assert!(large.matches("-->").count() <= 40, "summarised: one edge per drawn distribution");
    let parser = root().join("tools/mermaid/parse-mermaid");
    let have_node = Command::new("npm").arg("--version").output().is_ok_and(|o| o.status.success());
    if !require("node and npm (for the mermaid parser)", have_node) {
        return;
    }
    let output = Command::new(&parser)
        .args(&files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run parse-mermaid: {e}"));
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if output.status.code() == Some(2) {
        // The npm install failed: a missing component.
        if !require(&format!("the mermaid npm parser ({text})"), false) {
            return;
        }
    }
    assert!(output.status.success(), "a Mermaid diagram does not parse:\n{text}");
    assert_eq!(text.matches(": ok flowchart").count(), files.len(), "{text}");
}

/// Chromium: `$EDGE_AUDIT_CHROMIUM`, else the first of chromium, chromium-browser, google-chrome.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("EDGE_AUDIT_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium with a fresh profile on `args`; returns stdout.
fn headless(chromium: &Path, profile: &Path, args: &[&str]) -> String {
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", chromium.display()));
    assert!(output.status.success(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_html_report_renders_in_headless_chromium() {
    let dir = tempdir();
    let html = dir.path().join("report.html");
    scan(
        &example("acme-shop.json"),
        &["--format", "html", "--compliance", "fsbp", "--output", path_str(&html)],
    );
    let source = read(&html);
    // Self-contained: nothing to load, and the page's policy forbids loading anything.
    for external in ["src=", "href=", "<link", "url(", "@import"] {
        assert!(!source.contains(external), "the HTML report references an external asset ({external})");
    }
    assert!(source.contains("default-src 'none'"));
    let secrets_html = dir.path().join("secrets.html");
    scan(&secrets_file(dir.path()), &["--format", "html", "--output", path_str(&secrets_html)]);
    assert_no_plaintext_secret("secrets.html", &read(&secrets_html));

    let chromium = chromium();
    if !require("chromium (Debian package `chromium`; scripts/test installs it)", chromium.is_some()) {
        return;
    }
    let chromium = chromium.unwrap();
    let report = json(&scan(&example("acme-shop.json"), &["--format", "json"]).stdout);
    let findings = report["findings"].as_array().unwrap();
    let url = format!("file://{}", html.display());

    // The whole report, after its script ran.
    let dom = headless(&chromium, &dir.path().join("profile-1"), &["--dump-dom", &url]);
    assert!(dom.contains("data-ready=\"true\""), "the filter script did not run");
    assert!(dom.contains("<svg") && dom.contains("id=\"perimeter\""), "no graph");
    let reachable_edges = dom.matches("class=\"edge reachable\"").count();
    assert!(reachable_edges >= 4, "{reachable_edges} reachable edges");
    assert!(dom.contains("class=\"edge unverified\""), "the S3 website origin is could-not-verify");
    assert_eq!(dom.matches("<tr data-severity=").count(), findings.len());
    assert!(!dom.contains("<tr data-severity=\"high\" hidden"), "nothing is filtered without a filter");
    assert!(dom.contains(&format!("<span id=\"shown\">{}</span>", findings.len())), "shown count");
    assert!(dom.contains("<ul id=\"not-evaluated\">"), "the not-evaluated list");
    assert!(dom.contains("<table id=\"compliance\">"));

    // The severity filter, given in the URL fragment: only high and critical rows stay visible.
    let dom =
        headless(&chromium, &dir.path().join("profile-2"), &["--dump-dom", &format!("{url}#severity=high")]);
    let high = findings.iter().filter(|f| f["severity"] == "high" || f["severity"] == "critical").count();
    let hidden = dom.matches(" hidden=\"\"").count();
    assert_eq!(findings.len() - hidden, high, "rows left visible by the severity filter");
    assert!(dom.contains(&format!("<span id=\"shown\">{high}</span>")));
    // The text filter.
    let dom = headless(&chromium, &dir.path().join("profile-3"), &["--dump-dom", &format!("{url}#q=EA402")]);
    assert_eq!(findings.len() - dom.matches(" hidden=\"\"").count(), 1, "one EA402 row");

    // A screenshot, kept with the test's files.
    let screenshot = dir.path().join("report.png");
    headless(
        &chromium,
        &dir.path().join("profile-4"),
        &["--window-size=1280,1600", &format!("--screenshot={}", screenshot.display()), &url],
    );
    let png = std::fs::read(&screenshot).unwrap_or_else(|e| panic!("no screenshot: {e}"));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000, "not a real screenshot");
}

// --- An organisation of 25 accounts (moto) ---------------------------------------------------------

/// Creates an organization with `members` member accounts in moto (test setup; edge-audit only
/// reads) and returns their ids.
fn create_organization(moto: &crate::support::moto::MotoServer, members: usize) -> Vec<String> {
    let script = r#"
import sys, boto3
org = boto3.client("organizations", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")
org.create_organization(FeatureSet="ALL")
for i in range(int(sys.argv[2])):
    status = org.create_account(Email=f"member{i}@example.com", AccountName=f"member{i}")["CreateAccountStatus"]
    print(status["AccountId"])
"#;
    let output = Command::new(moto.python())
        .args(["-c", script, &moto.endpoint, &members.to_string()])
        .output()
        .unwrap_or_else(|e| panic!("cannot run the organization setup: {e}"));
    assert!(
        output.status.success(),
        "organization setup failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).lines().map(str::to_string).collect()
}

/// Runs the binary against moto, with dummy credentials and nothing of the developer's config.
fn live(moto: &crate::support::moto::MotoServer, args: &[&str]) -> Run {
    let mut cmd = crate::support::edge_audit();
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_DEFAULT_REGION",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/edge-audit-test/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/edge-audit-test/credentials")
        .args(args)
        .timeout(std::time::Duration::from_secs(400));
    let output = cmd.output().unwrap_or_else(|e| panic!("cannot run edge-audit {args:?}: {e}"));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `scan --org` of 25 accounts (moto AssumeRole into the 24 members): one SARIF file per
/// account that GitHub accepts; the single file is refused.
#[test]
fn org_of_25_accounts_gets_one_accepted_sarif_file_per_account() {
    let Some(moto) = crate::support::moto::MotoServer::start_or_skip() else { return };
    moto.reset();
    moto.seed(&["apigw-regional-waf-header-bad"]);
    let mut accounts = create_organization(&moto, 24);
    accounts.push(crate::support::moto::MOTO_ACCOUNT.to_string());
    accounts.sort();
    assert_eq!(accounts.len(), 25);
    let dir = tempdir();
    let inventory = dir.path().join("org.json");
    let out = live(&moto, &["snapshot", "--org", "--regions", "us-east-1", "--output", path_str(&inventory)]);
    assert_eq!(out.code, 0, "{}", out.stderr);

    let single = dir.path().join("org.sarif");
    let out =
        run(&["scan", "--from", path_str(&inventory), "--format", "sarif", "--output", path_str(&single)]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("25 runs") && out.stderr.contains("--output-dir"), "{}", out.stderr);
    assert!(!single.exists());

    let out_dir = dir.path().join("sarif");
    let out = live(
        &moto,
        &[
            "scan",
            "--org",
            "--regions",
            "us-east-1",
            "--no-probe",
            "--format",
            "sarif",
            "--output-dir",
            path_str(&out_dir),
            "--fail-on",
            "none",
        ],
    );
    assert!(out.code == 0 || out.code == 3, "{}", out.stderr);
    let mut files = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for account in &accounts {
        let path = out_dir.join(format!("edge-audit-{account}.sarif"));
        let log = json(&read(&path));
        assert_eq!(log["runs"].as_array().unwrap().len(), 1, "{account}");
        ids.insert(log["runs"][0]["automationDetails"]["id"].as_str().unwrap().to_string());
        files.push(path);
    }
    assert_eq!(ids.len(), 25, "every file has its own category");
    assert_eq!(std::fs::read_dir(&out_dir).unwrap().count(), 25);
    // The seeded account has the planted mistakes; the members are empty but still get a run.
    let caller =
        json(&read(&out_dir.join(format!("edge-audit-{}.sarif", crate::support::moto::MOTO_ACCOUNT))));
    assert!(!caller["runs"][0]["results"].as_array().unwrap().is_empty());
    let validator = validator();
    if require("validate-sarif (../shared/tools or tools/sarif)", validator.is_some()) {
        validate(&validator.unwrap(), &files);
    }
}
