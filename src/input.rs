//! Reading the files edge-audit is given (`--from`, `--baseline`, `--current`, `--config`): only
//! regular files, or `-` for standard input, and never more than a size cap, so a FIFO with no
//! writer cannot block a run forever and `/dev/zero` cannot be read until memory runs out. JSON
//! inputs are also checked for duplicate keys, which JSON parsers otherwise resolve silently
//! (last one wins, even for `schema_version`).

use crate::error::Error;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::path::Path;

/// The largest JSON input (inventory, baseline report) read, by default: 512 MiB.
pub const DEFAULT_MAX_JSON_BYTES: u64 = 512 * 1024 * 1024;
/// The largest configuration file read: 16 MiB (about 130,000 `[[suppress]]` entries; a large
/// organisation's suppression list must fit, a runaway file must not).
pub const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;
/// Raises (or lowers) [`DEFAULT_MAX_JSON_BYTES`], in MiB.
pub const MAX_INPUT_ENV: &str = "EDGE_AUDIT_MAX_INPUT_MIB";

/// Whether `path` means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The JSON size cap: [`MAX_INPUT_ENV`] when set to a whole number of MiB, else the default.
pub fn max_json_bytes() -> Result<u64, Error> {
    match std::env::var(MAX_INPUT_ENV) {
        Err(_) => Ok(DEFAULT_MAX_JSON_BYTES),
        Ok(text) => text
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|mib| (1..=1024 * 1024).contains(mib))
            .map(|mib| mib * 1024 * 1024)
            .ok_or_else(|| {
                Error::Usage(format!("{MAX_INPUT_ENV} must be a whole number of MiB from 1 to 1048576"))
            }),
    }
}

/// What the size cap of an input is, for the message that refuses a larger one.
#[derive(Debug, Clone, Copy)]
enum Cap {
    /// A JSON input's: [`MAX_INPUT_ENV`] moves it.
    Json(u64),
    /// A configuration file's: fixed.
    Config(u64),
}

impl Cap {
    fn bytes(self) -> u64 {
        match self {
            Self::Json(bytes) | Self::Config(bytes) => bytes,
        }
    }
}

/// Reads all of `path` (a regular file, or `-` for standard input), at most `cap` bytes.
pub fn read_bytes(path: &Path, cap: u64) -> Result<Vec<u8>, Error> {
    read_within(path, Cap::Json(cap)).map(|(bytes, _)| bytes)
}

/// [`read_bytes`], and the regular file the bytes were read from, still open (none for standard
/// input): a caller may drop the bytes and read the same file again, as a stream.
pub fn read_bytes_and_file(path: &Path, cap: u64) -> Result<(Vec<u8>, Option<std::fs::File>), Error> {
    read_within(path, Cap::Json(cap))
}

fn read_within(path: &Path, cap: Cap) -> Result<(Vec<u8>, Option<std::fs::File>), Error> {
    if is_stdin(path) {
        return read_capped(std::io::stdin().lock(), path, cap, None).map(|bytes| (bytes, None));
    }
    // Checked before opening: opening a FIFO for reading blocks until a writer appears.
    let metadata = std::fs::metadata(path).map_err(|e| Error::input(path, e.to_string()))?;
    if !metadata.is_file() {
        return Err(not_regular(path, &metadata));
    }
    let file = open_nonblocking(path).map_err(|e| Error::input(path, e.to_string()))?;
    // And again on what was opened, in case the name was swapped in between.
    let metadata = file.metadata().map_err(|e| Error::input(path, e.to_string()))?;
    if !metadata.is_file() {
        return Err(not_regular(path, &metadata));
    }
    if metadata.len() > cap.bytes() {
        return Err(too_large(path, cap));
    }
    let bytes = read_capped(&file, path, cap, Some(metadata.len()))?;
    Ok((bytes, Some(file)))
}

/// Reads `path` as UTF-8 text (configuration files, at most `cap` bytes).
pub fn read_text(path: &Path, cap: u64) -> Result<String, Error> {
    let (bytes, _) = read_within(path, Cap::Config(cap))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::input(
            path,
            format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
        )
    })
}

fn read_capped(reader: impl Read, path: &Path, cap: Cap, expected: Option<u64>) -> Result<Vec<u8>, Error> {
    let capacity = expected.and_then(|len| usize::try_from(len).ok()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    reader
        .take(cap.bytes().saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::input(path, e.to_string()))?;
    if bytes.len() as u64 > cap.bytes() {
        return Err(too_large(path, cap));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK keeps a FIFO swapped in after the check from blocking the open; it has no
    // effect on reading a regular file.
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn not_regular(path: &Path, metadata: &std::fs::Metadata) -> Error {
    Error::input(
        path,
        format!("not a regular file ({}); give a file, or `-` for standard input", kind_of(metadata)),
    )
}

/// What a non-regular file is, for messages.
pub fn kind_of(metadata: &std::fs::Metadata) -> &'static str {
    let file_type = metadata.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

fn too_large(path: &Path, cap: Cap) -> Error {
    Error::input(
        path,
        match cap {
            Cap::Json(bytes) => {
                format!(
                    "larger than the {} MiB input limit (raise it with {MAX_INPUT_ENV})",
                    bytes / (1024 * 1024)
                )
            }
            Cap::Config(bytes) => {
                format!("larger than the {} MiB limit of a configuration file", bytes / (1024 * 1024))
            }
        },
    )
}

/// Refuses a JSON document in which an object has the same key twice, naming the key's path.
/// Walks the document without building it: memory stays at one set of keys per open object.
pub fn reject_duplicate_keys(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let mut at = Vec::new();
    Walk { at: &mut at }
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end())
        .map_err(|e| Error::input(path, crate::error::describe_serde(&json_message(&e))))
}

/// serde_json's message, with `not valid JSON` in front of syntax errors.
pub fn json_message(error: &serde_json::Error) -> String {
    match error.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("not valid JSON: {error}")
        }
        _ => error.to_string(),
    }
}

/// Where the walk is: object keys and array indices.
enum Step {
    Key(String),
    Index(usize),
}

fn render(at: &[Step]) -> String {
    let mut out = String::new();
    for step in at {
        match step {
            Step::Index(i) => out.push_str(&format!("[{i}]")),
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                if key.chars().count() > 32 {
                    out.push('…');
                } else {
                    out.extend(key.chars().flat_map(char::escape_debug));
                }
            }
        }
    }
    out
}

struct Walk<'a> {
    at: &'a mut Vec<Step>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            self.at.push(Step::Index(index));
            let more = seq.next_element_seed(Walk { at: self.at })?;
            self.at.pop();
            if more.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                self.at.push(Step::Key(key));
                let message = format!("duplicate key at `{}`", render(self.at));
                return Err(A::Error::custom(message));
            }
            self.at.push(Step::Key(key));
            map.next_value_seed(Walk { at: self.at })?;
            self.at.pop();
        }
        Ok(())
    }
}
