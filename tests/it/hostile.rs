//! Hostile and broken input (issue 16), each class through the real binary: no panic, no echoed
//! secret, no clobbered file, no silent pass. Every refusal is one escaped, bounded line on
//! stderr, exit 2, nothing on stdout and nothing written.

use crate::support::secrets::{self, PLAINTEXT};
use crate::support::{edge_audit, fixture, path_str, run, run_in, tempdir, write, Run};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// The longest error line edge-audit prints: `error: ` and the capped message.
const MAX_LINE_CHARS: usize = "error: ".len() + 400 + " … (truncated)".len();

/// Asserts a refusal: exit 2, stdout empty, one line on stderr within the cap, free of control
/// characters and of every planted plaintext secret, containing every needle.
fn assert_refused(out: &Run, needles: &[&str]) -> String {
    assert_eq!(out.code, 2, "stderr: {}", out.stderr);
    assert!(out.stdout.is_empty(), "unexpected stdout: {}", out.stdout);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "want one line, got {:?}", out.stderr);
    let line = lines[0];
    assert!(line.starts_with("error: "), "{line}");
    assert!(line.chars().count() <= MAX_LINE_CHARS, "line of {} characters", line.chars().count());
    assert!(!line.chars().any(char::is_control), "control character in {line:?}");
    for secret in PLAINTEXT {
        assert!(!line.contains(secret), "the error quotes the secret {secret:?}: {line}");
    }
    for needle in needles {
        assert!(line.contains(needle), "`{needle}` missing from {line:?}");
    }
    line.to_string()
}

fn secrets_inventory() -> Value {
    serde_json::to_value(secrets::inventory()).unwrap_or_else(|e| panic!("{e}"))
}

fn save(dir: &Path, name: &str, value: &Value) -> std::path::PathBuf {
    write(dir, name, &serde_json::to_string_pretty(value).unwrap_or_else(|e| panic!("{e}")))
}

/// The JSON pointers of every secret value (an object with a `fingerprint`) in `value`.
fn secret_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) if map.contains_key("fingerprint") => out.push(at),
        Value::Object(map) => {
            for (k, v) in map {
                secret_pointers(v, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                secret_pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// `/accounts/0/web_acls/0/rules/0/statement/search` as edge-audit names it:
/// `accounts[0].web_acls[0].rules[0].statement.search`.
fn field_path(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.trim_start_matches('/').split('/') {
        if part.parse::<usize>().is_ok() {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

/// Class 2: a secret-bearing field holding the plaintext, or a secret value whose sub-fields
/// carry it (as the fingerprint, as an unknown key, as an unknown key's value, as the strength),
/// is refused naming the field, on both `scan --from` and both sides of `drift`, and the
/// plaintext never appears.
#[test]
fn secrets_are_never_quoted_in_errors() {
    let dir = tempdir();
    let good = secrets_inventory();
    let good_path = save(dir.path(), "good.json", &good);
    let mut pointers = Vec::new();
    secret_pointers(&good, String::new(), &mut pointers);
    // Origin headers, the API key, the WAF byte match, the regex and its literal, the ALB header.
    assert!(pointers.len() >= 7, "the secret corpus shrank: {pointers:?}");
    for (i, pointer) in pointers.iter().enumerate() {
        let plaintext = PLAINTEXT[i % PLAINTEXT.len()];
        let original = good.pointer(pointer).cloned().unwrap_or(Value::Null);
        let mut with_key = original.clone();
        with_key[plaintext] = Value::from(1);
        let mut with_value = original.clone();
        with_value["value"] = Value::from(plaintext);
        let mut as_fingerprint = original.clone();
        as_fingerprint["fingerprint"] = Value::from(plaintext);
        let mut as_strength = original.clone();
        as_strength["strength"] = Value::from(plaintext);
        let mut as_length = original.clone();
        as_length["length"] = Value::from(plaintext);
        let cases = [
            ("plain string", Value::from(plaintext), field_path(pointer)),
            ("unknown key", with_key, format!("{}.(key not shown)", field_path(pointer))),
            ("unknown key with the value", with_value, format!("{}.(key not shown)", field_path(pointer))),
            ("fingerprint", as_fingerprint, format!("{}.fingerprint", field_path(pointer))),
            ("strength", as_strength, format!("{}.strength", field_path(pointer))),
            ("length", as_length, format!("{}.length", field_path(pointer))),
        ];
        for (what, replacement, field) in cases {
            let mut bad = good.clone();
            if let Some(slot) = bad.pointer_mut(pointer) {
                *slot = replacement;
            }
            let bad_path = save(dir.path(), "bad.json", &bad);
            let context = format!("{what} at {pointer}");
            let scan = run(&["scan", "--from", path_str(&bad_path)]);
            let line = assert_refused(&scan, &["bad.json", &field]);
            assert!(!line.contains(plaintext), "{context}: {line}");
            let before =
                run(&["drift", "--baseline", path_str(&bad_path), "--current", path_str(&good_path)]);
            assert_refused(&before, &["bad.json", &field]);
            let after = run(&["drift", "--baseline", path_str(&good_path), "--current", path_str(&bad_path)]);
            assert_refused(&after, &["bad.json", &field]);
        }
    }
}

/// Class 7: paths go through internally tagged enums (WAF statements, listener conditions) down
/// to the field, and the variant tag itself is named when it is unknown.
#[test]
fn paths_go_through_tagged_enums() {
    let dir = tempdir();
    let mut inventory = secrets_inventory();
    let nested = serde_json::json!({
        "type": "and",
        "statements": [
            {"type": "geo_match", "country_codes": ["DE"]},
            {"type": "not", "statement": {"type": "size_constraint", "field": {"type": "body"},
                                          "comparison": "GT", "size": "big"}}
        ]
    });
    inventory["accounts"][0]["web_acls"][0]["rules"][0]["statement"] = nested;
    let path = save(dir.path(), "nested.json", &inventory);
    assert_refused(
        &run(&["scan", "--from", path_str(&path)]),
        &["accounts[0].web_acls[0].rules[0].statement.statements[1].statement.size", "expected i64"],
    );
    let mut inventory = secrets_inventory();
    inventory["accounts"][0]["load_balancers"][0]["listeners"][0]["rules"][0]["conditions"][0]["type"] =
        Value::from("http_headr");
    let path = save(dir.path(), "variant.json", &inventory);
    assert_refused(
        &run(&["scan", "--from", path_str(&path)]),
        &[
            "accounts[0].load_balancers[0].listeners[0].rules[0].conditions[0].type",
            "unknown variant",
            "http_header",
        ],
    );
    let mut inventory = secrets_inventory();
    inventory["accounts"][0]["web_acls"][0]["rules"][0]["statement"]["field"]["nme"] = Value::from("x");
    let path = save(dir.path(), "field.json", &inventory);
    assert_refused(
        &run(&["scan", "--from", path_str(&path)]),
        &["accounts[0].web_acls[0].rules[0].statement.field.nme", "unknown field `nme`"],
    );
}

/// Class 7: an integer out of range is called a number out of range (JSON and TOML), not a
/// string.
#[test]
fn out_of_range_integers_are_described_as_such() {
    let dir = tempdir();
    let mut inventory = secrets_inventory();
    inventory["accounts"][0]["load_balancers"][0]["listeners"][0]["port"] = Value::from(70000);
    let path = save(dir.path(), "port.json", &inventory);
    assert_refused(
        &run(&["scan", "--from", path_str(&path)]),
        &["listeners[0].port", "integer `70000`", "u16"],
    );
    let text = serde_json::to_string(&inventory).unwrap_or_default().replacen(
        "\"port\":70000",
        "\"port\":99999999999999999999999",
        1,
    );
    let path = write(dir.path(), "huge.json", &text);
    assert_refused(
        &run(&["scan", "--from", path_str(&path)]),
        &["listeners[0].port", "number out of range", "u16"],
    );
    let config =
        write(dir.path(), "edge-audit.toml", "[checks.options]\nmin_secret_length = 99999999999999999999\n");
    let out = run(&["--config", path_str(&config), "scan", "--from", path_str(&fixture("clean.json"))]);
    let line = assert_refused(&out, &["min_secret_length", "integer out of range"]);
    assert!(!line.contains("string"), "{line}");
}

/// Class 7: control characters and bidi marks from the input are escaped, the line is capped.
#[test]
fn error_lines_are_escaped_and_capped() {
    let dir = tempdir();
    let config = write(dir.path(), "edge-audit.toml", "[checks]\n\"sel\\u001b[31mect\\u202e\" = []\n");
    let line = assert_refused(
        &run(&["--config", path_str(&config), "scan", "--from", path_str(&fixture("clean.json"))]),
        &["unknown key", "\\u{1b}[31m", "\\u{202e}"],
    );
    assert!(!line.contains('\u{202e}'), "{line}");
    // A 1 MB key name: the line stays capped and the key is not quoted.
    let long_key = "k".repeat(1_000_000);
    let config = write(dir.path(), "long.toml", &format!("[checks]\n{long_key} = 1\n"));
    let line = assert_refused(
        &run(&["--config", path_str(&config), "scan", "--from", path_str(&fixture("clean.json"))]),
        &["unknown key", "1000000-character value, not shown"],
    );
    assert!(!line.contains("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"));
    // An inventory value with an escape sequence in a wrongly typed field.
    let mut inventory = secrets_inventory();
    inventory["accounts"][0]["distributions"][0]["enabled"] = Value::from("\u{1b}]0;pwned\u{7}\u{202e}");
    let path = save(dir.path(), "escape.json", &inventory);
    assert_refused(
        &run(&["scan", "--from", path_str(&path)]),
        &["distributions[0].enabled", "expected a boolean"],
    );
    // And an unknown key made of control characters, in the path.
    let mut inventory = secrets_inventory();
    inventory["accounts"][0]["\u{1b}[2J\u{202e}"] = Value::from(1);
    let path = save(dir.path(), "key.json", &inventory);
    assert_refused(&run(&["scan", "--from", path_str(&path)]), &["unknown field", "\\u{1b}[2J"]);
}

/// Class 1: a huge `[[suppress]]` glob is a one-line configuration error, not a panic.
#[test]
fn huge_suppression_globs_are_refused_not_a_panic() {
    let dir = tempdir();
    for (pattern, needle) in [
        ("a*".repeat(85_000), "characters long"),
        ("a*".repeat(500), "wildcards"),
        (format!("arn:{}", "[a]".repeat(100)), "wildcards"),
        ("arn:aws:*[".to_string(), "invalid pattern"),
    ] {
        let config = write(
            dir.path(),
            "edge-audit.toml",
            &format!(
                "[[suppress]]\ncheck = \"EA101\"\nresource = \"{pattern}\"\nreason = \"r\"\nexpires = 2099-01-01\n"
            ),
        );
        let out = run(&["--config", path_str(&config), "scan", "--from", path_str(&fixture("clean.json"))]);
        assert_refused(&out, &["edge-audit.toml:3", "resource", needle]);
    }
    // Within the bounds, a glob with many wildcards still works.
    let config = write(
        dir.path(),
        "edge-audit.toml",
        &format!(
            "[[suppress]]\ncheck = \"EA101\"\nresource = \"arn:{}\"\nreason = \"r\"\nexpires = 2099-01-01\n",
            "*".repeat(64)
        ),
    );
    let out = run(&["--config", path_str(&config), "scan", "--from", path_str(&fixture("clean.json"))]);
    assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
}

/// Class 4: nothing evaluated is never a pass.
#[test]
fn nothing_to_evaluate_is_an_error() {
    let clean = fixture("clean.json");
    assert_refused(
        &run(&["scan", "--from", path_str(&clean), "--checks", "EA101", "--skip-checks", "EA101"]),
        &["no check is selected"],
    );
    assert_refused(&run(&["scan", "--from", path_str(&clean), "--checks", "EA601"]), &["EA601", "no probe"]);
    assert_refused(
        &run(&["scan", "--from", path_str(&clean), "--checks", "EA601,EA602", "--no-probe"]),
        &["EA601, EA602", "no probe"],
    );
    let dir = tempdir();
    let empty = write(dir.path(), "empty.json", r#"{"schema_version": 1, "accounts": []}"#);
    assert_refused(&run(&["scan", "--from", path_str(&empty)]), &["empty.json", "no account"]);
    assert_refused(
        &run(&["drift", "--baseline", path_str(&empty), "--current", path_str(&clean)]),
        &["empty.json", "no account"],
    );
    let config =
        write(dir.path(), "edge-audit.toml", "[checks]\nselect = [\"EA101\"]\nignore = [\"EA101\"]\n");
    assert_refused(
        &run(&[
            "--config",
            path_str(&config),
            "drift",
            "--baseline",
            path_str(&clean),
            "--current",
            path_str(&clean),
        ]),
        &["no check is selected"],
    );
}

/// Class 9: flags that cannot apply are refused, not ignored.
#[test]
fn flags_that_cannot_apply_are_refused() {
    let clean = fixture("clean.json");
    for flag in [
        vec!["--probe-timeout", "5"],
        vec!["--probe-concurrency", "2"],
        vec!["--probe-through-cloudfront"],
        vec!["--connect-to", "a:443:127.0.0.1:8443"],
    ] {
        let mut args = vec!["scan", "--from", path_str(&clean)];
        args.extend(flag.iter().copied());
        assert_refused(&run(&args), &[flag[0], "no probe will be sent"]);
    }
    // Probes asked for but no selected check judges them: run, with a warning.
    let out =
        run(&["scan", "--from", path_str(&clean), "--probe", "--checks", "EA101", "--probe-timeout", "5"]);
    assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
    assert!(
        out.stderr.contains("warning: --probe-timeout tunes probes")
            && out.stderr.contains("no selected check judges probes"),
        "{}",
        out.stderr
    );
    assert_refused(&run(&["scan", "--from", path_str(&clean), "--external-id", "X"]), &["--external-id"]);
    assert_refused(
        &run(&["drift", "--baseline", path_str(&clean), "--current", path_str(&clean), "--external-id", "X"]),
        &["--external-id"],
    );
}

/// Class 7: clap's multi-line message is folded with the missing flag kept.
#[test]
fn a_missing_required_flag_is_named() {
    assert_refused(
        &run(&["scan", "--external-id", "X"]),
        &["required arguments were not provided", "--role-arn"],
    );
}

/// Class 10: no command is a usage error on stderr.
#[test]
fn no_command_is_a_usage_error() {
    let out = run(&[]);
    assert_refused(&out, &["no command given", "usage: edge-audit", "scan"]);
    assert_refused(&run(&["-v"]), &["no command given"]);
}

/// Class 7: a refused endpoint is a connection problem, not missing credentials.
#[test]
fn a_refused_endpoint_is_reported_as_a_connection_problem() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_else(|e| panic!("{e}"));
    drop(listener);
    let output = edge_audit()
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/edge-audit-test/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/edge-audit-test/credentials")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .args(["scan", "--regions", "us-east-1", "--no-probe"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    let line = assert_refused(&out, &["cannot reach the AWS endpoint"]);
    assert!(!line.contains("no usable AWS credentials"), "{line}");
}

/// Class 5: `--output -` is stdout; a non-regular target (symlink, device) is refused and left
/// alone; a replaced file keeps its mode; an input is never the output.
#[test]
fn output_targets() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let clean = fixture("clean.json");
    // `-`: stdout, and no file named `-`.
    let out = run_in(dir.path(), &["scan", "--from", path_str(&clean), "--format", "json", "--output", "-"]);
    assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
    assert!(out.stdout.contains("\"schema_version\""), "{}", out.stdout);
    assert!(!dir.path().join("-").exists());
    // A symlink is refused and still points where it did.
    let real = write(dir.path(), "real.json", "keep me");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap_or_else(|e| panic!("{e}"));
    let out = run(&["scan", "--from", path_str(&clean), "--output", path_str(&link)]);
    assert_refused(&out, &["link.json", "symbolic link", "not a regular file"]);
    assert!(std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()));
    assert_eq!(std::fs::read_to_string(&real).unwrap_or_default(), "keep me");
    // A device is refused (and, as root, not replaced).
    let out = run(&["scan", "--from", path_str(&clean), "--output", "/dev/null"]);
    assert_refused(&out, &["/dev/null", "character device"]);
    assert!(std::fs::metadata("/dev/null").is_ok_and(|m| !m.is_file()));
    // An existing file keeps its mode.
    let report = write(dir.path(), "report.json", "old");
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o644))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = run(&["scan", "--from", path_str(&clean), "--format", "json", "--output", path_str(&report)]);
    assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
    let mode = std::fs::metadata(&report).map(|m| m.permissions().mode() & 0o777).unwrap_or(0);
    assert_eq!(mode, 0o644);
    assert!(std::fs::read_to_string(&report).unwrap_or_default().contains("schema_version"));
    // The same file as an input: refused, the input intact (also through another name).
    let inventory = write(dir.path(), "inventory.json", &std::fs::read_to_string(&clean).unwrap_or_default());
    let alias = dir.path().join("alias.json");
    std::fs::hard_link(&inventory, &alias).unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read_to_string(&inventory).unwrap_or_default();
    for target in [&inventory, &alias] {
        let out = run(&["scan", "--from", path_str(&inventory), "--output", path_str(target)]);
        assert_refused(&out, &["same file as --from"]);
        let out = run(&[
            "drift",
            "--baseline",
            path_str(&clean),
            "--current",
            path_str(&inventory),
            "--output",
            path_str(target),
        ]);
        assert_refused(&out, &["same file as --current"]);
        let out = run(&[
            "drift",
            "--baseline",
            path_str(&inventory),
            "--current",
            path_str(&clean),
            "--output",
            path_str(target),
        ]);
        assert_refused(&out, &["same file as --baseline"]);
    }
    assert_eq!(std::fs::read_to_string(&inventory).unwrap_or_default(), before);
    let config = write(dir.path(), "edge-audit.toml", "[checks]\n");
    let out = run(&[
        "--config",
        path_str(&config),
        "scan",
        "--from",
        path_str(&clean),
        "--output",
        path_str(&config),
    ]);
    assert_refused(&out, &["same file as --config"]);
    let baseline = dir.path().join("baseline.json");
    let out = run(&["scan", "--from", path_str(&clean), "--format", "json", "--output", path_str(&baseline)]);
    assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
    let out = run(&[
        "scan",
        "--from",
        path_str(&clean),
        "--baseline",
        path_str(&baseline),
        "--output",
        path_str(&baseline),
    ]);
    assert_refused(&out, &["same file as --baseline"]);
    // Nothing but what the test made is left in the directory.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    assert_eq!(
        names,
        [
            "alias.json",
            "baseline.json",
            "edge-audit.toml",
            "inventory.json",
            "link.json",
            "real.json",
            "report.json"
        ]
    );
}

/// Class 6: SIGINT or SIGTERM while the report is being written removes the temporary file;
/// the target keeps its old content.
#[test]
fn a_signal_during_the_write_leaves_no_temporary_file() {
    for signal in ["INT", "TERM"] {
        let dir = tempdir();
        let target = write(dir.path(), "report.json", "previous report");
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("edge-audit"))
            .env(OUTPUT_DELAY_ENV, "20000")
            .args([
                "scan",
                "--from",
                path_str(&fixture("clean.json")),
                "--format",
                "json",
                "--output",
                path_str(&target),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        // Wait for the temporary file beside the target.
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        let temp_exists = || std::fs::read_dir(dir.path()).map(|d| d.flatten().count() > 1).unwrap_or(false);
        while !temp_exists() {
            assert!(std::time::Instant::now() < deadline, "no temporary file appeared");
            std::thread::sleep(Duration::from_millis(20));
        }
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(status.success());
        let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        let expected = if signal == "INT" { 130 } else { 143 };
        assert_eq!(output.status.code(), Some(expected), "{}", String::from_utf8_lossy(&output.stderr));
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        assert_eq!(names, ["report.json"], "SIG{signal} left files behind");
        assert_eq!(std::fs::read_to_string(&target).unwrap_or_default(), "previous report");
    }
}

/// The test-only pause between creating the temporary file and writing it (milliseconds).
const OUTPUT_DELAY_ENV: &str = "EDGE_AUDIT_TEST_WRITE_DELAY_MS";

/// Class 8: only regular files or `-`, within the size cap.
#[test]
fn special_files_and_oversized_input_are_refused() {
    let dir = tempdir();
    let fifo = dir.path().join("fifo");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success());
    let out = edge_audit()
        .args(["scan", "--from", path_str(&fifo)])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_refused(&out, &["fifo", "not a regular file (a FIFO)"]);
    assert_refused(&run(&["scan", "--from", "/dev/zero"]), &["/dev/zero", "character device"]);
    assert_refused(&run(&["scan", "--from", path_str(dir.path())]), &["a directory"]);
    assert_refused(
        &run(&["scan", "--from", path_str(&fixture("clean.json")), "--baseline", "/dev/zero"]),
        &["/dev/zero"],
    );
    assert_refused(
        &run(&["--config", "/dev/zero", "scan", "--from", path_str(&fixture("clean.json"))]),
        &["/dev/zero"],
    );
    // Standard input works, and is capped too.
    let clean = std::fs::read(fixture("clean.json")).unwrap_or_default();
    let out = edge_audit().args(["scan", "--from", "-", "--format", "json"]).write_stdin(clean).output();
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(out.status.code(), Some(0 | 1 | 3)), "{}", String::from_utf8_lossy(&out.stderr));
    let big = vec![b' '; 2 * 1024 * 1024];
    let out = edge_audit()
        .env("EDGE_AUDIT_MAX_INPUT_MIB", "1")
        .args(["scan", "--from", "-"])
        .write_stdin(big.clone())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_refused(&out, &["-: larger than the 1 MiB input limit"]);
    let file = dir.path().join("big.json");
    std::fs::write(&file, &big).unwrap_or_else(|e| panic!("{e}"));
    let out = edge_audit()
        .env("EDGE_AUDIT_MAX_INPUT_MIB", "1")
        .args(["scan", "--from", path_str(&file)])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_refused(&out, &["big.json", "1 MiB input limit"]);
}

/// Class 9: duplicate keys, unknown keys in a secret value, a malformed fingerprint.
#[test]
fn duplicate_keys_and_loose_secret_values_are_refused() {
    let dir = tempdir();
    let path = write(dir.path(), "dup.json", r#"{"schema_version": 1, "schema_version": 2, "accounts": []}"#);
    assert_refused(
        &run(&["scan", "--from", path_str(&path)]),
        &["dup.json", "duplicate key at `schema_version`"],
    );
    let mut inventory = secrets_inventory();
    inventory["accounts"][0]["distributions"][0]["tags"] = serde_json::json!({"env": "prod"});
    let text = serde_json::to_string(&inventory)
        .unwrap_or_default()
        .replace(r#""env":"prod""#, r#""env":"prod","env":"dev""#);
    let path = write(dir.path(), "tags.json", &text);
    assert_refused(
        &run(&["scan", "--from", path_str(&path)]),
        &["duplicate key at `accounts[0].distributions[0].tags.env`"],
    );
    let path = write(
        dir.path(),
        "base.json",
        r#"{"schema_version": 1, "kind": "scan", "findings": [], "findings": []}"#,
    );
    assert_refused(
        &run(&["scan", "--from", path_str(&fixture("clean.json")), "--baseline", path_str(&path)]),
        &["base.json", "duplicate key at `findings`"],
    );
    let mut inventory = secrets_inventory();
    inventory["accounts"][0]["api_keys"][0]["value"]["fingerprint"] = Value::from("sha256:0123456789ABCDEF");
    let path = save(dir.path(), "upper.json", &inventory);
    assert_refused(
        &run(&["scan", "--from", path_str(&path)]),
        &["api_keys[0].value.fingerprint", "not a fingerprint"],
    );
}

/// Class 9: a baseline taken from another account is used, with a warning.
#[test]
fn a_baseline_from_another_account_is_warned_about() {
    let dir = tempdir();
    let baseline = dir.path().join("baseline.json");
    let out = run(&[
        "scan",
        "--from",
        path_str(&fixture("two-accounts.json")),
        "--format",
        "json",
        "--output",
        path_str(&baseline),
    ]);
    assert!(matches!(out.code, 0 | 1 | 3), "{}", out.stderr);
    let same =
        run(&["scan", "--from", path_str(&fixture("two-accounts.json")), "--baseline", path_str(&baseline)]);
    assert!(!same.stderr.contains("warning: baseline"), "{}", same.stderr);
    let other = secrets_inventory();
    let other_path = save(dir.path(), "other.json", &other);
    let out = run(&[
        "scan",
        "--from",
        path_str(&other_path),
        "--baseline",
        path_str(&baseline),
        "--fail-on",
        "none",
    ]);
    assert!(matches!(out.code, 0 | 3), "{}", out.stderr);
    assert!(
        out.stderr.contains("warning: baseline") && out.stderr.contains("222222222222"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("every finding there counts as new"), "{}", out.stderr);
}
