//! Shared helpers: running the binary, fixture paths, inventories built from plaintext secrets.
#![allow(dead_code)]

pub(crate) mod aws_mock;
pub(crate) mod https;
pub(crate) mod moto;
pub(crate) mod secrets;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The project root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/{name}` or `examples/{name}`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

pub(crate) fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// The real binary, with a clean environment for the parts that change its output.
pub(crate) fn edge_audit() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("edge-audit"));
    cmd.env_remove("NO_COLOR").env_remove("EDGE_AUDIT_LOG").env("AWS_EC2_METADATA_DISABLED", "true");
    cmd
}

/// Output of a run: exit code, stdout, stderr.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub(crate) fn run(args: &[&str]) -> Run {
    let output = edge_audit().args(args).output().unwrap_or_else(|e| panic!("cannot run edge-audit: {e}"));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub(crate) fn path_str(path: &Path) -> &str {
    path.to_str().unwrap_or_else(|| panic!("non-UTF-8 path {}", path.display()))
}

/// True when the tests run in CI, where a missing real component is a failure, never a skip.
pub(crate) fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Skips (locally) or fails (in CI) a test whose real component is missing.
pub(crate) fn require(component: &str, available: bool) -> bool {
    if available {
        return true;
    }
    if in_ci() {
        panic!("{component} is required under CI=true but is not available");
    }
    // The test harness captures stderr of passing tests only with --nocapture off; a skip must
    // be loud in the log either way.
    #[allow(clippy::print_stderr)]
    {
        eprintln!("SKIPPED: {component} is not available (it is required when CI=true)");
    }
    false
}

/// Runs the binary in `dir` (for `edge-audit.toml` discovery and `init`).
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = edge_audit()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run edge-audit: {e}"));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A temporary directory (removed on drop).
pub(crate) fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"))
}

/// Writes `content` to `dir/name` and returns the path.
pub(crate) fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}

/// Parses JSON output, failing the test with the text when it is not JSON.
pub(crate) fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}
