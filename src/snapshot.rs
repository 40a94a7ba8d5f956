//! Loading and saving inventories (snapshots). Loading validates the schema version first and
//! reports the exact field that does not fit, so a bad file gets one precise line.

use crate::error::Error;
use edge_audit_checks::inventory::{Inventory, SCHEMA_VERSION};
use std::path::Path;

/// Reads an inventory written by `edge-audit snapshot`.
pub fn load(path: &Path) -> Result<Inventory, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::input(path, e.to_string()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Error::input(path, format!("not valid JSON: {e}")))?;
    match value.get("schema_version") {
        None => {
            return Err(Error::input(path, "field `schema_version` is missing: not an edge-audit inventory"))
        }
        Some(v) if v.as_u64() != Some(u64::from(SCHEMA_VERSION)) => {
            return Err(Error::input(
                path,
                format!(
                    "schema_version {v} is not supported (this edge-audit reads version {SCHEMA_VERSION})"
                ),
            ))
        }
        Some(_) => {}
    }
    let mut inventory: Inventory = serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        Error::input(path, format!("field `{field}`: {}", e.inner()))
    })?;
    inventory.normalize();
    Ok(inventory)
}

/// Serialises an inventory (deterministically: normalised, pretty-printed).
pub fn to_json(inventory: &Inventory) -> String {
    let mut inventory = inventory.clone();
    inventory.normalize();
    let mut out = serde_json::to_string_pretty(&inventory).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}
