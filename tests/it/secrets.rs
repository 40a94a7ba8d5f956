//! Secrets stay secret: no output format, and no snapshot, contains a secret value that was in
//! the source data.

use crate::support::secrets::{inventory, PLAINTEXT};
use crate::support::{path_str, run};

fn assert_no_plaintext(what: &str, text: &str) {
    for secret in PLAINTEXT {
        assert!(!text.contains(secret), "{what} contains the secret value {secret:?}");
        // Nor a recognisable part of it (a truncated or partially masked value still leaks).
        let head: String = secret.chars().take(12).collect();
        assert!(!text.contains(&head), "{what} contains the start of a secret value ({head:?})");
    }
}

#[test]
fn no_output_format_contains_a_secret_value() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshot = dir.path().join("inventory.json");
    let json = serde_json::to_string_pretty(&inventory()).unwrap_or_default();
    assert_no_plaintext("the inventory snapshot", &json);
    assert!(json.contains("sha256:"), "secrets are kept as fingerprints");
    std::fs::write(&snapshot, json).unwrap_or_else(|e| panic!("{e}"));
    for format in ["table", "json", "sarif", "markdown"] {
        for verbosity in [None, Some("-vv")] {
            let mut args =
                vec!["scan", "--from", path_str(&snapshot), "--format", format, "--fail-on", "none"];
            args.extend(verbosity);
            let out = run(&args);
            assert!(out.code == 0 || out.code == 3, "{format}: exit {} {}", out.code, out.stderr);
            assert!(!out.stdout.is_empty(), "{format}: empty output");
            assert_no_plaintext(&format!("{format} output"), &out.stdout);
            assert_no_plaintext(&format!("{format} stderr"), &out.stderr);
        }
    }
}
