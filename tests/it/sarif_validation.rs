//! Every SARIF file the tests produce passes `validate-sarif`, which checks it the way GitHub
//! code scanning ingests it.

use crate::support::secrets::inventory;
use crate::support::{example, fixture, path_str, require, root, run};
use std::path::PathBuf;

/// The SARIF validator: `$EDGE_AUDIT_VALIDATE_SARIF` when set, else the project's shared
/// `../shared/tools/validate-sarif`, else the repository's copy `tools/sarif/validate-sarif`
/// (GitHub-hosted runners have no `../shared`).
pub(crate) fn validator() -> Option<PathBuf> {
    let path = match std::env::var_os("EDGE_AUDIT_VALIDATE_SARIF") {
        Some(path) => PathBuf::from(path),
        None => [root().join("../shared/tools/validate-sarif"), root().join("tools/sarif/validate-sarif")]
            .into_iter()
            .find(|p| p.is_file())?,
    };
    path.is_file().then_some(path)
}

/// Runs the validator on `files`; panics with its output when it rejects one.
pub(crate) fn validate(validator: &std::path::Path, files: &[PathBuf]) {
    let output = std::process::Command::new(validator)
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", validator.display()));
    assert!(
        output.status.success(),
        "{} rejected a SARIF file:\n{}{}",
        validator.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The repository's copy of the validator's inputs is the shared one, where both exist.
#[test]
fn repository_copy_of_the_validator_inputs_matches_shared() {
    let shared = root().join("../shared/sarif");
    if !shared.is_dir() {
        return;
    }
    for name in ["sarif-2.1.0.schema.json", "github-ingestion.config.xml"] {
        let read = |p: PathBuf| std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(
            read(shared.join(name)) == read(root().join("tools/sarif").join(name)),
            "tools/sarif/{name} differs from ../shared/sarif/{name}: copy it again"
        );
    }
}

#[test]
fn github_accepts_every_sarif_we_produce() {
    let validator = validator();
    if !require("validate-sarif (../shared/tools or tools/sarif)", validator.is_some()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let secrets_inventory = dir.path().join("secrets-inventory.json");
    std::fs::write(&secrets_inventory, serde_json::to_string(&inventory()).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let inputs = [
        ("example", example("acme-shop.json")),
        ("clean", fixture("clean.json")),
        ("incomplete", fixture("incomplete.json")),
        ("two-accounts", fixture("two-accounts.json")),
        ("secrets", secrets_inventory),
    ];
    let mut files = Vec::new();
    for (name, input) in inputs {
        let target = dir.path().join(format!("{name}.sarif"));
        let out = run(&[
            "scan",
            "--from",
            path_str(&input),
            "--format",
            "sarif",
            "--output",
            path_str(&target),
            "--fail-on",
            "none",
        ]);
        assert!(out.code == 0 || out.code == 3, "{name}: {}", out.stderr);
        files.push(target);
    }
    let Some(validator) = validator else { return };
    validate(&validator, &files);
}
