//! Bad input gets one clear line naming the file and field, exit code 2, and no output file.

use crate::support::{fixture, path_str, run};

/// Asserts a usage/input error: exit 2, nothing on stdout, exactly one line on stderr that
/// contains every `needle`.
fn assert_one_line_error(args: &[&str], needles: &[&str]) {
    let out = run(args);
    assert_eq!(out.code, 2, "args {args:?}: stderr {}", out.stderr);
    assert!(out.stdout.is_empty(), "args {args:?}: unexpected stdout {}", out.stdout);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "args {args:?}: want one line, got {:?}", out.stderr);
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    for needle in needles {
        assert!(lines[0].contains(needle), "args {args:?}: `{needle}` missing from {:?}", lines[0]);
    }
}

#[test]
fn malformed_json_names_the_file() {
    let path = fixture("malformed.json");
    assert_one_line_error(
        &["scan", "--from", path_str(&path)],
        &["malformed.json", "not valid JSON", "line"],
    );
}

#[test]
fn wrong_schema_version_is_refused() {
    let path = fixture("wrong-schema.json");
    assert_one_line_error(&["scan", "--from", path_str(&path)], &["wrong-schema.json", "schema_version 2"]);
}

#[test]
fn a_bad_field_is_named_with_its_path() {
    let path = fixture("bad-field.json");
    assert_one_line_error(
        &["scan", "--from", path_str(&path)],
        &["bad-field.json", "accounts[0].distributions[0].enabled", "expected a boolean"],
    );
}

#[test]
fn missing_input_file() {
    assert_one_line_error(
        &["scan", "--from", "/nonexistent/inventory.json"],
        &["/nonexistent/inventory.json"],
    );
}

#[test]
fn unknown_check_id_is_an_error_not_an_empty_selection() {
    let path = fixture("clean.json");
    assert_one_line_error(
        &["scan", "--from", path_str(&path), "--checks", "EA999"],
        &["EA999", "unknown check"],
    );
    assert_one_line_error(
        &["scan", "--from", path_str(&path), "--skip-checks", "no-such-check"],
        &["no-such-check"],
    );
    assert_one_line_error(&["explain", "EA998"], &["EA998"]);
}

#[test]
fn unknown_flag_and_bad_values() {
    assert_one_line_error(&["scan", "--frobnicate"], &["--frobnicate"]);
    let path = fixture("clean.json");
    assert_one_line_error(&["scan", "--from", path_str(&path), "--format", "xml"], &["xml"]);
    assert_one_line_error(&["scan", "--from", path_str(&path), "--fail-on", "severe"], &["severe"]);
}

#[test]
fn unwritable_output_path_leaves_nothing() {
    let path = fixture("clean.json");
    let target = "/nonexistent-dir/report.json";
    assert_one_line_error(
        &["scan", "--from", path_str(&path), "--format", "json", "--output", target],
        &[target],
    );
    assert!(!std::path::Path::new(target).exists());
}

#[test]
fn bad_input_leaves_no_partial_output_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = dir.path().join("report.sarif");
    for bad in ["malformed.json", "wrong-schema.json", "bad-field.json"] {
        let input = fixture(bad);
        let out =
            run(&["scan", "--from", path_str(&input), "--format", "sarif", "--output", path_str(&target)]);
        assert_eq!(out.code, 2);
        assert!(!target.exists(), "{bad} left {} behind", target.display());
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).map(|d| d.flatten().collect()).unwrap_or_default();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

#[test]
fn help_and_version_exit_zero() {
    let help = run(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("scan") && help.stdout.contains("Exit codes"));
    let scan_help = run(&["scan", "--help"]);
    for flag in ["--from", "--format", "--output", "--fail-on", "--checks", "--skip-checks", "--no-probe"] {
        assert!(scan_help.stdout.contains(flag), "scan --help lacks {flag}");
    }
    let version = run(&["--version"]);
    assert_eq!(version.code, 0);
    assert!(version.stdout.starts_with("edge-audit "));
}
