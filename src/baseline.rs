//! Baselines for `scan --baseline previous.json`: the fingerprints of an earlier JSON report.
//! Findings are matched by fingerprint (check id + resource ARN + detail), so the order of the
//! earlier report and the wording of its messages do not matter.

use crate::error::Error;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Whether a finding was already in the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineStatus {
    New,
    Known,
}

#[derive(Debug, Clone)]
pub struct Baseline {
    pub path: PathBuf,
    /// Fingerprints of the earlier report's findings, suppressed ones included (a suppression
    /// that expires does not make its finding new).
    pub fingerprints: BTreeSet<String>,
}

impl Baseline {
    /// Reads a JSON report written by `edge-audit scan --format json`.
    pub fn load(path: &Path) -> Result<Baseline, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::input(path, e.to_string()))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| Error::input(path, format!("not valid JSON: {e}")))?;
        if !value.is_object() {
            return Err(Error::input(path, "not an edge-audit JSON report (expected an object)"));
        }
        match value.get("schema_version") {
            None => {
                return Err(Error::input(
                    path,
                    "field `schema_version` is missing: not an edge-audit JSON report (`scan --format json`)",
                ))
            }
            Some(v) if v.as_u64() != Some(u64::from(crate::report::REPORT_SCHEMA_VERSION)) => {
                return Err(Error::input(
                    path,
                    format!(
                        "schema_version {v} is not supported (this edge-audit reads report version {})",
                        crate::report::REPORT_SCHEMA_VERSION
                    ),
                ))
            }
            Some(_) => {}
        }
        if value.get("kind").and_then(|k| k.as_str()) == Some("drift") {
            return Err(Error::input(
                path,
                "field `kind`: this is a drift report; --baseline takes a scan report",
            ));
        }
        let mut fingerprints = BTreeSet::new();
        for (list, required) in [("findings", true), ("suppressed", false)] {
            let items = match value.get(list) {
                Some(serde_json::Value::Array(items)) => items,
                None if !required => continue,
                None => {
                    return Err(Error::input(
                        path,
                        format!("field `{list}` is missing: not an edge-audit scan report"),
                    ))
                }
                Some(_) => return Err(Error::input(path, format!("field `{list}`: expected an array"))),
            };
            for (i, item) in items.iter().enumerate() {
                match item.get("fingerprint").and_then(|f| f.as_str()) {
                    Some(f) if !f.is_empty() => {
                        fingerprints.insert(f.to_string());
                    }
                    Some(_) | None => {
                        return Err(Error::input(
                            path,
                            format!("field `{list}[{i}].fingerprint`: missing or not a non-empty string"),
                        ))
                    }
                }
            }
        }
        Ok(Baseline { path: path.to_path_buf(), fingerprints })
    }

    pub fn status(&self, fingerprint: &str) -> BaselineStatus {
        if self.fingerprints.contains(fingerprint) {
            BaselineStatus::Known
        } else {
            BaselineStatus::New
        }
    }
}
