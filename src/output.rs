//! Writing reports and snapshots: to stdout (no `--output`, or `--output -`), or atomically to a
//! file: a temporary file in the same directory, renamed into place, so a failed or interrupted
//! run never leaves a partial file behind.
//!
//! The target must be a regular file or not exist yet. A symbolic link, a device (`/dev/null`),
//! a FIFO or a directory is refused rather than replaced by a regular file (redirect stdout for
//! those: `--output - > /dev/null`). A file that is replaced keeps its permission bits. While the
//! temporary file exists, SIGINT and SIGTERM remove it before the process exits.

use crate::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The temporary file being written, for the signal handler to remove.
static PENDING_TEMP: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Whether `path` means standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes `content` to `path`, or to stdout when `path` is `None` or `-`.
pub fn write(path: Option<&Path>, content: &str) -> Result<(), Error> {
    write_with(path, |out| out.write_all(content.as_bytes()))
}

/// Streams what `render` writes to `path` (atomically, as [`write`]) or to stdout, through a
/// buffer: a large report goes to its file as it is serialised instead of being built whole in
/// memory first. A renderer that cannot serialise returns an [`std::io::Error`] of kind `Other`
/// carrying its own error (`std::io::Error::other`); the run then stops with that error's
/// message and, for a file, nothing is written or replaced.
pub fn write_with(
    path: Option<&Path>,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    match path {
        Some(path) if !is_stdout(path) => write_file(path, render),
        _ => write_stdout(render),
    }
}

/// The error to stop with: the renderer's own, or a failure to write `path`.
fn write_error(path: &Path, error: std::io::Error) -> Error {
    match error.get_ref() {
        Some(inner) if error.kind() == std::io::ErrorKind::Other => Error::Fatal(inner.to_string()),
        _ => Error::output(path, error.to_string()),
    }
}

/// Writes one diagnostic line (a warning, an error, a summary) to stderr, escaped and bounded by
/// the caller. A closed stderr is not an error worth failing a scan for: the line is dropped.
pub fn diagnostic(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// Writes text to stderr as is (the multi-line `--stats` table).
pub fn diagnostic_text(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
}

/// `warning: …` on stderr.
pub fn warning(message: &str) {
    diagnostic(&format!("warning: {}", crate::error::printable_line(message)));
}

/// `error: …` on stderr.
pub fn error(message: &str) {
    diagnostic(&format!("error: {}", crate::error::printable_line(message)));
}

fn write_stdout(render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Error> {
    let mut stdout = std::io::BufWriter::with_capacity(WRITE_BUFFER, std::io::stdout().lock());
    render(&mut stdout).and_then(|()| stdout.flush()).map_err(|e| write_error(Path::new("<stdout>"), e))
}

/// Bytes buffered between the serialiser and the file or stdout.
const WRITE_BUFFER: usize = 256 * 1024;

/// Checks early that `path` can be written (a regular file or a new name in a directory that
/// accepts a new file), so a long live scan does not fail only at the end. Leaves nothing behind.
pub fn check_writable(path: &Path) -> Result<(), Error> {
    if is_stdout(path) {
        return Ok(());
    }
    existing_mode(path)?;
    let dir = parent_dir(path);
    tempfile::NamedTempFile::new_in(dir).map(drop).map_err(|e| Error::output(path, e.to_string()))
}

/// Refuses an output that is one of the run's inputs (`--output` = `--from` would destroy the
/// inventory being read). Compares the files themselves (device and inode), not the names.
pub fn check_not_an_input(output: &Path, inputs: &[(&str, &Path)]) -> Result<(), Error> {
    if is_stdout(output) {
        return Ok(());
    }
    let Ok(target) = std::fs::metadata(output) else {
        // Not there yet: it cannot be an existing input.
        return Ok(());
    };
    for (flag, input) in inputs {
        if crate::input::is_stdin(input) {
            continue;
        }
        if let Ok(read) = std::fs::metadata(input) {
            if same_file(&target, &read) {
                return Err(Error::Usage(format!(
                    "--output {} is the same file as {flag} {}: refusing to overwrite an input",
                    output.display(),
                    input.display()
                )));
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// The permissions of the regular file at `path`, `None` when there is none; an error when
/// something else is there.
fn existing_mode(path: &Path) -> Result<Option<std::fs::Permissions>, Error> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::output(path, e.to_string())),
        Ok(metadata) if metadata.file_type().is_file() => Ok(Some(metadata.permissions())),
        Ok(metadata) => Err(Error::output(
            path,
            format!(
                "it is {}, not a regular file: refusing to replace it (use `--output -` and redirect \
                 standard output to write there)",
                crate::input::kind_of(&metadata)
            ),
        )),
    }
}

fn write_file(path: &Path, render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Error> {
    let mode = existing_mode(path)?;
    install_signal_cleanup();
    let dir = parent_dir(path);
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::output(path, e.to_string()))?;
    set_pending(Some(temp.path().to_path_buf()));
    pause_for_tests();
    let written = (|| {
        if let Some(permissions) = mode {
            temp.as_file().set_permissions(permissions)?;
        }
        let mut buffered = std::io::BufWriter::with_capacity(WRITE_BUFFER, temp.as_file_mut());
        render(&mut buffered)?;
        buffered.flush()?;
        drop(buffered);
        temp.as_file().sync_all()
    })();
    if let Err(e) = written {
        set_pending(None);
        return Err(write_error(path, e));
    }
    // Renamed under the lock: a signal either removes the temporary file before the rename or
    // finds nothing left to remove.
    let mut pending = PENDING_TEMP.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let persisted = temp.persist(path);
    *pending = None;
    drop(pending);
    persisted.map(drop).map_err(|e| Error::output(path, e.error.to_string()))
}

/// The test suite's way to catch the temporary file in place (the signal test): a pause, in
/// milliseconds, between creating it and writing it. Capped at a minute.
const TEST_WRITE_DELAY_ENV: &str = "EDGE_AUDIT_TEST_WRITE_DELAY_MS";

fn pause_for_tests() {
    if let Some(ms) = std::env::var(TEST_WRITE_DELAY_ENV).ok().and_then(|v| v.parse::<u64>().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(60_000)));
    }
}

fn set_pending(path: Option<PathBuf>) {
    *PENDING_TEMP.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = path;
}

/// On SIGINT or SIGTERM: remove the temporary file being written, then exit as the signal would
/// have (128 + its number). Installed on the first file write, so until then the signals keep
/// their default behaviour.
fn install_signal_cleanup() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            tracing::warn!("cannot install the SIGINT/SIGTERM handler that removes temporary files");
            return;
        };
        let spawned = std::thread::Builder::new().name("signal-cleanup".into()).spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let mut pending = PENDING_TEMP.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if let Some(temp) = pending.take() {
                    let _ = std::fs::remove_file(temp);
                }
                std::process::exit(128 + signal);
            }
        });
        if spawned.is_err() {
            tracing::warn!("cannot start the thread that removes temporary files on SIGINT/SIGTERM");
        }
    });
}

/// The directory a file is written in (`.` for a bare name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}
