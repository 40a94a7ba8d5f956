//! Loading and saving inventories (snapshots). Loading follows the input rules of
//! [`crate::input`] (regular file or `-`, size cap, no duplicate keys), validates the schema
//! version first and reports the exact field that does not fit, so a bad file gets one precise
//! line that never quotes an input value.

use crate::error::Error;
use edge_audit_checks::inventory::{Inventory, SCHEMA_VERSION};
use edge_audit_checks::strict;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::{Read, Seek};
use std::path::Path;

/// Only the version, read before the rest so that a future format is named as such rather
/// than as its first unknown field.
#[derive(Deserialize)]
struct Header {
    schema_version: Option<serde::de::IgnoredAny>,
}

/// The version as a number, when it is one.
#[derive(Deserialize)]
struct Version {
    schema_version: serde_json::Number,
}

/// Reads an inventory written by `edge-audit snapshot`. The bytes are deserialised straight
/// into the typed model (no intermediate JSON tree). From a regular file, the bytes read whole
/// for the checks of [`parse`] (duplicate keys, schema version) are dropped before the typed
/// model is built, which streams from the same open file again: the file's text and its typed
/// model are never in memory together. The stream must be the bytes that were checked (same
/// length and SHA-256), else the file changed while it was read and is refused.
pub fn load(path: &Path) -> Result<Inventory, Error> {
    let (bytes, file) = crate::input::read_bytes_and_file(path, crate::input::max_json_bytes()?)?;
    let Some(file) = file else { return parse(path, &bytes) };
    check(path, &bytes)?;
    let checked = (bytes.len() as u64, Sha256::digest(&bytes));
    drop(bytes);
    let changed = || Error::input(path, "the file changed while it was read: read it again");
    let mut file = file;
    file.seek(std::io::SeekFrom::Start(0)).map_err(|e| Error::input(path, e.to_string()))?;
    // One byte more than was checked: a file that grew is seen to.
    let mut source =
        Digesting { inner: file.take(checked.0.saturating_add(1)), digest: Sha256::new(), len: 0 };
    let mut buffered = std::io::BufReader::with_capacity(256 * 1024, &mut source);
    let typed = typed(path, serde_json::Deserializer::from_reader(&mut buffered));
    // What the parser did not need (trailing whitespace) still counts in the digest.
    std::io::copy(&mut buffered, &mut std::io::sink()).map_err(|e| Error::input(path, e.to_string()))?;
    drop(buffered);
    if (source.len, source.digest.finalize()) != checked {
        return Err(changed());
    }
    typed
}

/// Reads through to a SHA-256 of what was read.
struct Digesting<R> {
    inner: R,
    digest: Sha256,
    len: u64,
}

impl<R: Read> Read for Digesting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = buf.get(..n).unwrap_or_default();
        self.digest.update(read);
        self.len += read.len() as u64;
        Ok(n)
    }
}

/// [`load`] on bytes already read; `path` names them in errors.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Inventory, Error> {
    check(path, bytes)?;
    typed(path, serde_json::Deserializer::from_slice(bytes))
}

/// The typed inventory, normalised; a field that does not fit is named.
fn typed<'de, R: serde_json::de::Read<'de>>(
    path: &Path,
    mut deserializer: serde_json::Deserializer<R>,
) -> Result<Inventory, Error> {
    let mut inventory: Inventory = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| Error::input(path, field_error(&e)))?;
    inventory.normalize();
    Ok(inventory)
}

/// What is checked on the whole text before the typed model is built: no duplicate key, a JSON
/// object with a supported `schema_version`.
fn check(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    crate::input::reject_duplicate_keys(path, bytes)?;
    let header: Header = serde_json::from_slice(bytes).map_err(|e| {
        let message = match e.classify() {
            serde_json::error::Category::Data => {
                "not an edge-audit inventory (expected a JSON object)".into()
            }
            _ => crate::error::describe_serde(&crate::input::json_message(&e)),
        };
        Error::input(path, message)
    })?;
    if header.schema_version.is_none() {
        return Err(Error::input(path, "field `schema_version` is missing: not an edge-audit inventory"));
    }
    let version = serde_json::from_slice::<Version>(bytes).ok().map(|v| v.schema_version);
    match version.as_ref().and_then(serde_json::Number::as_u64) {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        _ => {
            let shown = version.map_or_else(|| "that is not a number".to_string(), |v| v.to_string());
            return Err(Error::input(
                path,
                format!("schema_version {shown} is not supported (this edge-audit reads version {SCHEMA_VERSION})"),
            ));
        }
    }
    Ok(())
}

/// `field `accounts[0].web_acls[0].rules[0].statement.search`: invalid type: a string, expected
/// struct SecretValue at line 1 column 9`: the full path (through tagged enums) and serde's
/// message without the input value.
pub fn field_error(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let message = error.inner().to_string();
    let outer = strict::render_path(error.path(), strict::is_unknown_key_of_secret(&message));
    let (field, message) = match strict::split_nested(&message) {
        Some((inner, message)) => (strict::join_path(&outer, inner), message.to_string()),
        None => (outer, message),
    };
    let message = crate::error::describe_serde(&message);
    if field.is_empty() {
        message
    } else {
        format!("field `{field}`: {message}")
    }
}

/// Serialises an inventory (deterministically: normalised, pretty-printed).
pub fn to_json(inventory: &Inventory) -> Result<String, crate::report::RenderError> {
    let mut inventory = inventory.clone();
    inventory.normalize();
    crate::report::json_text("inventory", &inventory, true)
}
