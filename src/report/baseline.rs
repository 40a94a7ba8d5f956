//! Baselines for `scan --baseline previous.json`: the fingerprints of an earlier JSON report.
//! Findings are matched by fingerprint (check id + resource ARN + detail), so the order of the
//! earlier report and the wording of its messages do not matter.

use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Whether a finding was already in the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The accounts the earlier report covered (its `accounts[].account_id`), to warn when the
    /// scan is of another account: every finding would then count as new.
    pub accounts: BTreeSet<String>,
}

impl Baseline {
    /// Reads a JSON report written by `edge-audit scan --format json`.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let bytes = crate::input::read_bytes(path, crate::input::max_json_bytes()?)?;
        Self::parse(path, &bytes)
    }

    /// [`Baseline::load`] on bytes already read; `path` names them in errors.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Self, Error> {
        crate::input::reject_duplicate_keys(path, bytes)?;
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| Error::input(path, crate::error::describe_serde(&crate::input::json_message(&e))))?;
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
                        "schema_version {} is not supported (this edge-audit reads report version {})",
                        if v.is_number() { v.to_string() } else { "that is not a number".to_string() },
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
        let mut accounts = BTreeSet::new();
        if let Some(list) = value.get("accounts").and_then(|a| a.as_array()) {
            for (i, account) in list.iter().enumerate() {
                match account.get("account_id").and_then(|id| id.as_str()) {
                    Some(id) => {
                        accounts.insert(id.to_string());
                    }
                    None => {
                        return Err(Error::input(
                            path,
                            format!("field `accounts[{i}].account_id`: missing or not a string"),
                        ))
                    }
                }
            }
        }
        Ok(Self { path: path.to_path_buf(), fingerprints, accounts })
    }

    /// The scanned accounts the baseline does not cover (empty when it covers them all).
    pub fn accounts_not_covered<'a>(&self, scanned: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        scanned.into_iter().filter(|id| !self.accounts.contains(*id)).collect()
    }

    pub fn status(&self, fingerprint: &str) -> BaselineStatus {
        if self.fingerprints.contains(fingerprint) {
            BaselineStatus::Known
        } else {
            BaselineStatus::New
        }
    }
}
