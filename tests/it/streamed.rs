//! The report of a streamed scan (findings spilled to a temporary file as the checks record them,
//! `report::spill`, and read back one at a time as the report is written) is, in every format,
//! byte for byte the report of the same scan with every finding held in memory: the same order,
//! deduplication, severity remaps, suppressions (configuration and tags), policy findings,
//! baseline marks, compliance tables and perimeter graph.
#![allow(clippy::expect_used)]

use crate::support::{fixture, root, tempdir, write};
use edge_audit::config::Config;
use edge_audit::policy;
use edge_audit::report::baseline::Baseline;
use edge_audit::report::graph::Perimeter;
use edge_audit::report::spill::{Spill, Spilling};
use edge_audit::report::{json, Format, Report};
use edge_audit_checks::compliance::Framework;
use edge_audit_checks::model::{Indexes, Judge, Model};
use edge_audit_checks::registry::{self, Outcome};
use edge_audit_checks::{CheckOptions, Finding, Inventory, Severity};
use std::path::Path;

const CONFIG: &str = r#"
[checks.severity]
EA107 = "critical"
EA112 = "low"

[[suppress]]
check = "EA101"
resource = "arn:aws:cloudfront::444444444444:distribution/E4NOACL"
reason = "accepted"
permanent = true

[[suppress]]
check = "EA107"
resource = "arn:aws:cloudfront::*:distribution/E2*"
reason = "rotating"
expires = 2027-01-01

[[suppress]]
check = "EA103"
resource = "arn:aws:cloudfront::999999999999:distribution/NOPE"
reason = "unused"
permanent = true

[[suppress]]
check = "EA112"
resource = "arn:aws:cloudfront::*"
reason = "expired"
expires = 2026-01-01
"#;

/// [`CONFIG`] written to `dir` and loaded.
fn config_in(dir: &Path) -> Config {
    Config::load(&write(dir, "edge-audit.toml", CONFIG)).expect("config")
}

fn today() -> time::Date {
    time::macros::date!(2026 - 06 - 01)
}

/// The report as `scan` writes it with every finding in memory.
fn held(
    inventory: &Inventory,
    findings: Outcome,
    config: Option<&Config>,
    fail_on: Option<Severity>,
    baseline: Option<&Baseline>,
) -> String {
    json::render(&held_report(inventory, findings, config, fail_on, baseline)).expect("renders")
}

fn held_report(
    inventory: &Inventory,
    findings: Outcome,
    config: Option<&Config>,
    fail_on: Option<Severity>,
    baseline: Option<&Baseline>,
) -> Report {
    let checks = registry::all();
    let (outcome, suppressed) = policy::apply(findings, inventory, config, checks, today());
    let mut report = Report::new(inventory, outcome, fail_on).with_suppressed(suppressed);
    if let Some(baseline) = baseline {
        report = report.with_baseline(baseline);
    }
    report
}

/// The report as `scan --format json` writes it, its findings spilled as `run` records them.
fn streamed(
    inventory: &Inventory,
    run: impl FnOnce(&mut dyn FnMut(Finding)) -> Outcome,
    config: Option<&Config>,
    fail_on: Option<Severity>,
    baseline: Option<&Baseline>,
) -> String {
    json::render(&streamed_report(inventory, run, config, fail_on, baseline, None)).expect("renders")
}

/// The report of a streamed scan, its temporary file in `dir` (the system's without).
fn streamed_report(
    inventory: &Inventory,
    run: impl FnOnce(&mut dyn FnMut(Finding)) -> Outcome,
    config: Option<&Config>,
    fail_on: Option<Severity>,
    baseline: Option<&Baseline>,
    dir: Option<&Path>,
) -> Report {
    let checks = registry::all();
    let spill = Spill::new(fail_on, baseline, dir);
    let (outcome, suppressed, spilled) =
        policy::apply_streamed(run, inventory, config, checks, today(), Spilling { spill, baseline })
            .expect("spills");
    let mut report =
        Report::new(inventory, outcome, fail_on).with_suppressed(suppressed).with_spilled(spilled);
    if let Some(baseline) = baseline {
        report = report.with_baseline(baseline);
    }
    report
}

/// Every format `scan --format` writes.
const FORMATS: [Format; 7] =
    [Format::Table, Format::Json, Format::Sarif, Format::Markdown, Format::Ocsf, Format::Asff, Format::Html];

/// The report in every format, with its perimeter graph and, with `framework`, its compliance
/// table (added last, as `scan` does).
fn every_format(
    report: Report,
    perimeter: &Perimeter,
    framework: Option<Framework>,
) -> Vec<(Format, String)> {
    let mut report = report.with_perimeter(perimeter.clone());
    // OCSF and ASFF say when the findings were observed: the fixtures do not, so it would be now.
    report.collected_at = Some("2026-06-01T00:00:00Z".to_string());
    if let Some(framework) = framework {
        report = report.with_compliance(framework);
    }
    FORMATS
        .iter()
        .map(|&format| {
            let (text, warnings) = report.render_with_warnings(format, false).expect("renders");
            (format, format!("{text}{warnings:?}"))
        })
        .collect()
}

fn both(
    inventory: &Inventory,
    config: Option<&Config>,
    fail_on: Option<Severity>,
    baseline: Option<&Baseline>,
) -> (String, String) {
    let options = CheckOptions::default();
    let indexes = Indexes::build(inventory);
    let model = Model::build(inventory, &indexes, &options);
    let held_report =
        held(inventory, registry::run_model(&model, registry::all(), None), config, fail_on, baseline);
    let streamed_report = streamed(
        inventory,
        |sink| registry::run_model_into(model, registry::all(), None, sink),
        config,
        fail_on,
        baseline,
    );
    // Accounts judged one at a time (what `scan --from` without probes does): the same report.
    let judge = Judge::new(inventory, &indexes, &options);
    let judged_report = streamed(
        inventory,
        |sink| registry::run_judged_into(&judge, registry::all(), None, sink),
        config,
        fail_on,
        baseline,
    );
    assert_eq!(streamed_report, judged_report, "accounts judged one at a time");
    (held_report, streamed_report)
}

fn inventories() -> Vec<(String, Inventory)> {
    let mut paths = vec![fixture("two-accounts.json"), fixture("tags.json"), fixture("incomplete.json")];
    for name in
        ["cloudfront-bad.json", "network-bad.json", "apigw-bad.json", "foundation-bad.json", "waf-bad.json"]
    {
        let path = root().join("checks/tests/fixtures").join(name);
        if path.exists() {
            paths.push(path);
        }
    }
    paths
        .into_iter()
        .map(|p| (p.display().to_string(), edge_audit::snapshot::load(&p).expect("fixture loads")))
        .collect()
}

#[test]
fn a_streamed_json_report_is_the_held_one() {
    let dir = tempdir();
    let config = config_in(dir.path());
    for (name, inventory) in inventories() {
        for config in [None, Some(&config)] {
            for fail_on in [None, Some(Severity::High), Some(Severity::Info)] {
                let (held, streamed) = both(&inventory, config, fail_on, None);
                assert_eq!(held, streamed, "{name}, config {}, fail_on {fail_on:?}", config.is_some());
                // Against a baseline of half of that report's findings.
                let report: serde_json::Value = serde_json::from_str(&held).expect("json");
                let mut earlier = report.clone();
                if let Some(findings) = earlier["findings"].as_array_mut() {
                    let keep = findings.len() / 2;
                    findings.truncate(keep);
                }
                let baseline_path = write(dir.path(), "baseline.json", &earlier.to_string());
                let baseline = Baseline::load(&baseline_path).expect("baseline");
                let (held, streamed) = both(&inventory, config, fail_on, Some(&baseline));
                assert_eq!(held, streamed, "{name} with a baseline");
            }
        }
    }
}

/// Duplicates (same check, resource and detail) are merged as the check run merges them: only
/// those that had the same severity when recorded, the first recorded kept.
#[test]
fn duplicates_merge_as_in_the_check_run() {
    let dir = tempdir();
    let config = config_in(dir.path());
    let inventory = edge_audit::snapshot::load(&fixture("two-accounts.json")).expect("fixture");
    let options = CheckOptions::default();
    let indexes = Indexes::build(&inventory);
    let model = Model::build(&inventory, &indexes, &options);
    let found = registry::run_model(&model, registry::all(), None);
    assert!(found.findings.len() >= 2, "the fixture has findings");
    // Every finding twice, one of each pair with another severity, another message and another
    // detail for some; recorded interleaved.
    let mut recorded = Vec::new();
    for (i, f) in found.findings.iter().enumerate() {
        let mut twin = f.clone();
        twin.message = format!("{} (again)", f.message);
        if i % 3 == 0 {
            twin.severity = Severity::Info;
        }
        if i % 4 == 0 {
            twin.detail = format!("{} other", f.detail);
        }
        recorded.push(twin);
        recorded.push(f.clone());
        recorded.push(f.clone());
    }
    let checks = found.checks.clone();
    let not_evaluated = found.not_evaluated.clone();
    let outcome_of = |findings: Vec<Finding>| Outcome {
        findings,
        checks: checks.clone(),
        not_evaluated: not_evaluated.clone(),
    };
    // The check run's merge, as `registry::run_model` does it.
    let mut merged = recorded.clone();
    registry::sort_in_place_by(&mut merged, |a, b| a.sort_key().cmp(&b.sort_key()));
    merged.dedup_by(|a, b| registry::same_finding(a, b));
    for config in [None, Some(&config)] {
        let held_report = held(&inventory, outcome_of(merged.clone()), config, Some(Severity::Medium), None);
        let streamed_report = streamed(
            &inventory,
            |sink| {
                recorded.iter().cloned().for_each(&mut *sink);
                outcome_of(Vec::new())
            },
            config,
            Some(Severity::Medium),
            None,
        );
        assert_eq!(held_report, streamed_report, "config {}", config.is_some());
    }
}

/// What `scan --format json` writes for a fixture: the same bytes as the in-memory rendering
/// (checked through the binary, suppressions and a baseline included).
#[test]
fn scan_json_matches_the_held_rendering() {
    let dir = tempdir();
    let config = config_in(dir.path());
    let config_path = dir.path().join("edge-audit.toml");
    let path = fixture("two-accounts.json");
    let inventory = edge_audit::snapshot::load(&path).expect("fixture");
    let out = dir.path().join("report.json");
    let run = crate::support::run(&[
        "scan",
        "--from",
        crate::support::path_str(&path),
        "--config",
        crate::support::path_str(&config_path),
        "--today",
        "2026-06-01",
        "--format",
        "json",
        "--fail-on",
        "high",
        "--output",
        crate::support::path_str(&out),
    ]);
    assert!(run.code != 2, "{}", run.stderr);
    let written = std::fs::read_to_string(&out).expect("report written");
    let (held, _) = both(&inventory, Some(&config), Some(Severity::High), None);
    assert_eq!(written, held);
    assert!(Path::new(&out).exists());
}

/// Where no temporary file can be made, the spilled findings stay in memory: the same report.
#[test]
fn without_a_temporary_file_the_findings_stay_in_memory() {
    let dir = tempdir();
    let config = config_in(dir.path());
    let inventory = edge_audit::snapshot::load(&fixture("two-accounts.json")).expect("fixture");
    let options = CheckOptions::default();
    let indexes = Indexes::build(&inventory);
    let missing = dir.path().join("no such directory");
    let (held_report, _) = both(&inventory, Some(&config), Some(Severity::High), None);
    let judge = Judge::new(&inventory, &indexes, &options);
    let in_memory = streamed_report(
        &inventory,
        |sink| registry::run_judged_into(&judge, registry::all(), None, sink),
        Some(&config),
        Some(Severity::High),
        None,
        Some(&missing),
    );
    assert_eq!(held_report, json::render(&in_memory).expect("renders"));
}

/// Every format of a streamed scan's report, the perimeter graph built one account at a time
/// and the compliance tables included, is the held report's.
#[test]
fn every_format_of_a_streamed_report_is_the_held_one() {
    let dir = tempdir();
    let config = config_in(dir.path());
    let options = CheckOptions::default();
    let mut compared = 0;
    for (name, inventory) in inventories() {
        let indexes = Indexes::build(&inventory);
        let model = Model::build(&inventory, &indexes, &options);
        let whole = Perimeter::build(&model);
        let judge = Judge::new(&inventory, &indexes, &options);
        // What `scan` draws when it judges one account at a time.
        let mut per_account = Perimeter::default();
        judge.accounts().for_each(|account| per_account.add_account(&account));
        // A baseline of every other finding of the plain report.
        let plain = held(&inventory, registry::run_model(&model, registry::all(), None), None, None, None);
        let mut earlier: serde_json::Value = serde_json::from_str(&plain).expect("json");
        if let Some(findings) = earlier["findings"].as_array_mut() {
            let mut i = 0;
            findings.retain(|_| {
                i += 1;
                i % 2 == 0
            });
        }
        let baseline =
            Baseline::load(&write(dir.path(), "baseline.json", &earlier.to_string())).expect("baseline");
        for (config, fail_on, baseline, framework) in [
            (None, None, None, None),
            (Some(&config), Some(Severity::High), None, Some(Framework::Fsbp)),
            (Some(&config), Some(Severity::Medium), Some(&baseline), Some(Framework::Nist80053)),
            (None, Some(Severity::Info), Some(&baseline), Some(Framework::Cis)),
        ] {
            let held = held_report(
                &inventory,
                registry::run_model(&model, registry::all(), None),
                config,
                fail_on,
                baseline,
            );
            let streamed = streamed_report(
                &inventory,
                |sink| registry::run_judged_into(&judge, registry::all(), None, sink),
                config,
                fail_on,
                baseline,
                Some(dir.path()),
            );
            assert!(streamed.spilled.is_some() && streamed.findings.is_empty(), "{name}: nothing held");
            assert_eq!(held.finding_count(), streamed.finding_count(), "{name}");
            let held = every_format(held, &whole, framework);
            let streamed = every_format(streamed, &per_account, framework);
            for ((format, held), (_, streamed)) in held.iter().zip(&streamed) {
                assert_eq!(
                    held,
                    streamed,
                    "{name}, {format:?}, config {}, {fail_on:?}, {framework:?}",
                    config.is_some()
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 7 * 4 * 3, "{compared} renderings compared");
}
