//! Every SARIF file the tests produce passes `../shared/tools/validate-sarif`, which checks it
//! the way GitHub code scanning ingests it.

use crate::support::secrets::inventory;
use crate::support::{example, fixture, path_str, require, root, run};
use std::path::PathBuf;

fn validator() -> Option<PathBuf> {
    let path = std::env::var_os("EDGE_AUDIT_VALIDATE_SARIF")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/tools/validate-sarif"));
    path.is_file().then_some(path)
}

#[test]
fn github_accepts_every_sarif_we_produce() {
    let validator = validator();
    if !require("../shared/tools/validate-sarif", validator.is_some()) {
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
    let status = std::process::Command::new(validator)
        .args(&files)
        .status()
        .unwrap_or_else(|e| panic!("cannot run validate-sarif: {e}"));
    assert!(status.success(), "validate-sarif rejected a SARIF file (see its output above)");
}
