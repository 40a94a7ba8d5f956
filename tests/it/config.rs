//! `edge-audit.toml`: discovery, validation errors (file, line, key; exit 2), `init`, the
//! example configuration, and how `[checks]` combines with `--checks` / `--skip-checks`.

use crate::support::{example, fixture, json, path_str, run, run_in, tempdir, write};

/// Each bad configuration and the one line edge-audit prints for it.
const BAD_CONFIGS: &[(&str, &str)] = &[
    ("unknown top-level key", "[checks]\nselect = []\n\n[[suppres]]\ncheck = \"EA101\"\n"),
    ("unknown key in [checks]", "[checks]\nselct = [\"EA101\"]\n"),
    (
        "unknown key in [[suppress]]",
        "[[suppress]]\ncheck = \"EA101\"\nresource = \"*\"\nreason = \"r\"\nexpires = 2026-01-01\nsuppres = 1\n",
    ),
    ("unknown check in select", "[checks]\nselect = [\"EA101\", \"EA999\"]\n"),
    ("unknown check in ignore", "[checks]\nignore = [\"no-such-check\"]\n"),
    ("unknown check in severity", "[checks.severity]\nEA998 = \"low\"\n"),
    ("bad severity", "[checks.severity]\nEA101 = \"urgent\"\n"),
    ("select not an array", "[checks]\nselect = \"EA101\"\n"),
    ("unknown option", "[checks.options]\nmin_secret_lenght = 40\n"),
    ("bad option value", "[checks.options]\nadmin_ports = [22, \"ssh\"]\n"),
    ("suppression without reason", "[[suppress]]\ncheck = \"EA101\"\nresource = \"*\"\nexpires = 2026-01-01\n"),
    ("suppression without expiry", "\n[[suppress]]\ncheck = \"EA101\"\nresource = \"*\"\nreason = \"legacy\"\n"),
    (
        "suppression with a bad date",
        "[[suppress]]\ncheck = \"EA101\"\nresource = \"*\"\nreason = \"r\"\nexpires = \"2026-02-30\"\n",
    ),
    (
        "suppression of an unknown check",
        "[[suppress]]\ncheck = \"EA997\"\nresource = \"*\"\nreason = \"r\"\npermanent = true\n",
    ),
    ("suppression without resource", "[[suppress]]\ncheck = \"EA101\"\nreason = \"r\"\npermanent = true\n"),
    (
        "expires and permanent",
        "[[suppress]]\ncheck = \"EA101\"\nresource = \"*\"\nreason = \"r\"\nexpires = 2026-01-01\npermanent = true\n",
    ),
    ("not TOML", "[checks\nselect = []\n"),
];

#[test]
fn bad_configurations_get_one_line_naming_file_line_and_key() {
    let dir = tempdir();
    let inventory = fixture("clean.json");
    let mut lines = Vec::new();
    for (name, text) in BAD_CONFIGS {
        write(dir.path(), "edge-audit.toml", text);
        // Discovered in the working directory, so the message names `edge-audit.toml`.
        let out = run_in(dir.path(), &["scan", "--from", path_str(&inventory)]);
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{name}: stdout {}", out.stdout);
        let stderr: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(stderr.len(), 1, "{name}: want one line, got {:?}", out.stderr);
        assert!(stderr[0].starts_with("error: edge-audit.toml:"), "{name}: {}", stderr[0]);
        lines.push(format!("{name}: {}", stderr[0]));
    }
    insta::assert_snapshot!("config_errors", lines.join("\n"));
}

#[test]
fn an_explicit_config_is_named_as_given_and_must_exist() {
    let dir = tempdir();
    let config = write(dir.path(), "audit.toml", "[checks]\nselect = [\"EA999\"]\n");
    let inventory = fixture("clean.json");
    let out = run(&["scan", "--from", path_str(&inventory), "--config", path_str(&config)]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains(&format!("{}:2: unknown check `EA999`", config.display())), "{}", out.stderr);
    // Also before the subcommand (a global flag).
    let out = run(&["--config", path_str(&config), "scan", "--from", path_str(&inventory)]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let missing = dir.path().join("missing.toml");
    let out = run(&["scan", "--from", path_str(&inventory), "--config", path_str(&missing)]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr.lines().count(), 1);
    assert!(out.stderr.contains("missing.toml"), "{}", out.stderr);
}

#[test]
fn init_writes_a_starter_that_validates_and_never_overwrites() {
    let dir = tempdir();
    let out = run_in(dir.path(), &["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let path = dir.path().join("edge-audit.toml");
    let starter = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(starter.contains("[[suppress]]") && starter.contains("[checks.options]"));
    // The starter is discovered, parses and validates: a clean inventory still exits 0.
    let inventory = fixture("clean.json");
    let scan = run_in(dir.path(), &["scan", "--from", path_str(&inventory)]);
    assert_eq!(scan.code, 0, "{}{}", scan.stdout, scan.stderr);

    std::fs::write(&path, "# mine\n").unwrap_or_else(|e| panic!("{e}"));
    let again = run_in(dir.path(), &["init"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists") && again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), "# mine\n");
    let forced = run_in(dir.path(), &["init", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), starter);

    let other = dir.path().join("sub.toml");
    let out = run(&["init", "--output", path_str(&other)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(other.is_file());
}

#[test]
fn the_example_configuration_validates() {
    let config = example("edge-audit.toml");
    let inventory = example("acme-shop.json");
    let out = run(&[
        "scan",
        "--config",
        path_str(&config),
        "--from",
        path_str(&inventory),
        "--today",
        "2026-01-15",
        "--format",
        "json",
    ]);
    assert_ne!(out.code, 2, "{}", out.stderr);
    let report = json(&out.stdout);
    // The example suppresses something in the example account.
    assert!(report["summary"]["suppressed"].as_u64().unwrap_or(0) >= 1, "{}", out.stdout);
}

fn check_ids(report: &serde_json::Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["id"].as_str().map(String::from))
        .collect()
}

fn scan_json(dir: &std::path::Path, config: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    write(dir, "edge-audit.toml", config);
    let inventory = fixture("two-accounts.json");
    let mut args = vec!["scan", "--from", path_str(&inventory), "--format", "json"];
    args.extend_from_slice(extra);
    let out = run_in(dir, &args);
    assert!(out.code != 2, "{}", out.stderr);
    (out.code, json(&out.stdout))
}

#[test]
fn select_and_ignore_combine_with_the_command_line() {
    let dir = tempdir();
    let d = dir.path();
    // Config select: only EA101.
    let (_, r) = scan_json(d, "[checks]\nselect = [\"EA101\"]\n", &[]);
    assert_eq!(check_ids(&r), ["EA101"]);
    // --checks replaces the configuration's select.
    let (_, r) = scan_json(d, "[checks]\nselect = [\"EA101\"]\n", &["--checks", "EA102"]);
    assert_eq!(check_ids(&r), ["EA102"]);
    // Config ignore (by slug) drops EA101; --checks naming it brings it back.
    let (code, r) = scan_json(d, "[checks]\nignore = [\"cloudfront-no-web-acl\"]\n", &[]);
    assert!(!check_ids(&r).contains(&"EA101".to_string()));
    assert_eq!(code, 0, "the only high finding is EA101's");
    let (_, r) = scan_json(d, "[checks]\nignore = [\"EA101\"]\n", &["--checks", "EA101,EA102"]);
    assert_eq!(check_ids(&r), ["EA101", "EA102"]);
    // --skip-checks narrows further.
    let (_, r) = scan_json(d, "[checks]\nselect = [\"EA101\", \"EA102\"]\n", &["--skip-checks", "EA102"]);
    assert_eq!(check_ids(&r), ["EA101"]);
}

#[test]
fn severity_remaps_apply_before_the_gate() {
    let dir = tempdir();
    let (code, r) = scan_json(dir.path(), "[checks.severity]\ncloudfront-no-web-acl = \"low\"\n", &[]);
    assert_eq!(code, 0, "EA101 remapped to low no longer fails at high");
    let ea101 = r["findings"].as_array().into_iter().flatten().find(|f| f["check_id"] == "EA101").cloned();
    assert_eq!(ea101.unwrap_or_default()["severity"], "low");
    assert_eq!(r["summary"]["low"], 1);
    let (code, _) =
        scan_json(dir.path(), "[checks.severity]\nEA102 = \"critical\"\n", &["--fail-on", "critical"]);
    assert_eq!(code, 1);
}

#[test]
fn check_options_are_read() {
    let dir = tempdir();
    let config = "[checks.options]\nmin_secret_length = 48\nmin_secret_entropy_bits = 160\n\
                  admin_ports = [22, 3389, 5432]\nsecret_header_names = [\"x-edge-token\"]\n\
                  listener_ports = [80, 443, 8080]\n";
    let (code, _) = scan_json(dir.path(), config, &[]);
    assert_eq!(code, 1);
}

#[test]
fn no_config_in_the_working_directory_changes_nothing() {
    let dir = tempdir();
    let inventory = fixture("two-accounts.json");
    let out = run_in(dir.path(), &["scan", "--from", path_str(&inventory), "--format", "json"]);
    assert_eq!(out.code, 1);
    let r = json(&out.stdout);
    assert_eq!(r["summary"]["suppressed"], 0);
    assert!(r["suppressed"].as_array().is_some_and(|s| s.is_empty()));
    assert!(!check_ids(&r).iter().any(|id| id.starts_with("EA9") || id.starts_with("EA7")));
}

#[test]
fn a_bad_today_is_a_usage_error() {
    let inventory = fixture("clean.json");
    let out = run(&["scan", "--from", path_str(&inventory), "--today", "31/01/2026"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--today"), "{}", out.stderr);
}

#[test]
fn the_readme_example_configuration_validates() {
    let readme = std::fs::read_to_string(crate::support::root().join("README.md")).unwrap_or_default();
    let section = readme.split("## Configuration, suppressions and baselines").nth(1).unwrap_or_default();
    let block = section.split("```toml\n").nth(1).and_then(|b| b.split("```").next()).unwrap_or_default();
    assert!(block.contains("[[suppress]]"), "README example not found");
    let dir = tempdir();
    let config = write(dir.path(), "edge-audit.toml", block);
    let inventory = fixture("clean.json");
    let out = run(&[
        "scan",
        "--config",
        path_str(&config),
        "--from",
        path_str(&inventory),
        "--today",
        "2026-01-01",
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

/// A suppression matched alone (the fallback when a check's patterns cannot form one set)
/// matches as the combined matcher does: its check, and its pattern over the whole ARN.
#[test]
fn a_suppression_matched_alone_covers_its_check_and_pattern() {
    let dir = tempdir();
    let path = write(
        dir.path(),
        "edge-audit.toml",
        "[[suppress]]\ncheck = \"EA101\"\nresource = \"arn:aws:cloudfront::*:distribution/E1*\"\nreason = \"r\"\npermanent = true\n",
    );
    let config = edge_audit::config::Config::load(&path).expect("loads");
    let suppression = config.suppress.first().expect("one entry");
    let finding = |check: &str, arn: &str| -> edge_audit_checks::Finding {
        serde_json::from_value(serde_json::json!({
            "check_id": check, "slug": "s", "title": "t", "severity": "high", "confidence": "high",
            "resource": { "arn": arn, "id": "E1", "type": "cloudfront/distribution", "name": null,
                          "region": "global", "account": "111111111111" },
            "message": "m", "evidence": {}, "remediation": "r"
        }))
        .expect("finding")
    };
    assert!(suppression.matches(&finding("EA101", "arn:aws:cloudfront::111111111111:distribution/E1ABC")));
    assert!(!suppression.matches(&finding("EA102", "arn:aws:cloudfront::111111111111:distribution/E1ABC")));
    assert!(!suppression.matches(&finding("EA101", "arn:aws:cloudfront::111111111111:distribution/E2ABC")));
}
