//! Writing reports and snapshots: to stdout, or atomically to a file (a temporary file in the
//! same directory, renamed into place), so a failed run never leaves a partial file behind.

use crate::error::Error;
use std::io::Write;
use std::path::Path;

/// Writes `content` to `path`, or to stdout when `path` is `None`.
pub fn write(path: Option<&Path>, content: &str) -> Result<(), Error> {
    match path {
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(content.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|e| Error::output(Path::new("<stdout>"), e.to_string()))
        }
        Some(path) => write_file(path, content),
    }
}

/// Checks early that `path` can be written (its directory exists and accepts a new file), so a
/// long live scan does not fail only at the end. Leaves nothing behind.
pub fn check_writable(path: &Path) -> Result<(), Error> {
    let dir = parent_dir(path);
    tempfile::NamedTempFile::new_in(dir).map(drop).map_err(|e| Error::output(path, e.to_string()))
}

fn write_file(path: &Path, content: &str) -> Result<(), Error> {
    let dir = parent_dir(path);
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::output(path, e.to_string()))?;
    temp.write_all(content.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::output(path, e.to_string()))?;
    temp.persist(path).map_err(|e| Error::output(path, e.error.to_string()))?;
    Ok(())
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}
