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

/// Complete secret values that people really deploy because a write-up printed them (the
/// seeds' tutorials): a page quoting one puts it into every SARIF upload as rule help.
const TUTORIAL_SECRETS: &[&str] = &[
    // The Pulumi write-up's `uuid4().hex` example header value.
    "d44deafc0df242ef8b318a38f37f9a7c",
    // The ALB/EC2 write-up's example header value.
    "my-super-secret-key-123xyz",
];

/// The weak values the moto scenarios plant (`ctx.weak_secret("…")` in tests/moto/seed.py).
fn seeded_weak_secrets() -> Vec<String> {
    let seed = std::fs::read_to_string(crate::support::root().join("tests/moto/seed.py"))
        .unwrap_or_else(|e| panic!("tests/moto/seed.py: {e}"));
    let mut values = Vec::new();
    for part in seed.split("weak_secret(\"").skip(1) {
        if let Some((value, _)) = part.split_once('"') {
            values.push(value.to_string());
        }
    }
    assert!(values.len() >= 2, "the seeder's weak secrets were not found: {values:?}");
    values
}

/// Every file below `dir` (recursively) whose name ends with one of `endings`.
fn files_below(dir: &std::path::Path, endings: &[&str], out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_below(&path, endings, out);
        } else if endings.iter().any(|e| path.to_string_lossy().ends_with(e)) {
            out.push(path);
        }
    }
}

/// No check's page (what `explain` prints and SARIF carries as rule help), no README, guide,
/// example inventory or reporter snapshot holds a complete secret value of the test suites'
/// corpora: the planted plaintexts, the seeder's weak values, the tutorials' values.
/// Placeholders only.
#[test]
fn no_page_example_or_snapshot_contains_a_corpus_secret() {
    let root = crate::support::root();
    let mut corpus: Vec<String> = PLAINTEXT.iter().chain(TUTORIAL_SECRETS).map(|s| s.to_string()).collect();
    corpus.extend(seeded_weak_secrets());
    let mut texts: Vec<(String, String)> = edge_audit_checks::registry::all()
        .iter()
        .map(|check| (format!("the page of {}", check.meta().id), check.meta().documentation()))
        .collect();
    let mut files = vec![root.join("README.md"), root.join("tests/moto/README.md")];
    files_below(&root.join("docs"), &[".md"], &mut files);
    files_below(&root.join("examples"), &[".json", ".toml", ".md"], &mut files);
    files_below(&root.join("tests/it/snapshots"), &[".snap"], &mut files);
    files_below(&root.join("checks/tests/snapshots"), &[".snap"], &mut files);
    assert!(files.iter().filter(|f| f.to_string_lossy().ends_with(".snap")).count() >= 5, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        texts.push((file.display().to_string(), text));
    }
    // The SARIF rule help as the binary writes it, for every rule.
    let sarif = run(&[
        "scan",
        "--from",
        path_str(&crate::support::example("acme-shop.json")),
        "--format",
        "sarif",
        "--fail-on",
        "none",
    ]);
    texts.push(("the SARIF report".to_string(), sarif.stdout));
    for (what, text) in &texts {
        for secret in &corpus {
            assert!(!text.contains(secret.as_str()), "{what} contains the complete secret value {secret:?}");
        }
    }
}
