//! Errors that end a run. Every one prints as a single line on stderr and exits with code 2.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A bad argument or combination of arguments.
    #[error("{0}")]
    Usage(String),
    /// A file we were given could not be read or is not what it should be; names the file and,
    /// where known, the field.
    #[error("{}: {message}", path.display())]
    Input { path: PathBuf, message: String },
    /// A configuration file (`edge-audit.toml`) that does not validate: file, line, what.
    #[error("{}:{line}: {message}", path.display())]
    Config { path: PathBuf, line: usize, message: String },
    /// The report or snapshot could not be written.
    #[error("cannot write {}: {message}", path.display())]
    Output { path: PathBuf, message: String },
    /// Anything else that stops the run (credentials, an unreachable account).
    #[error("{0}")]
    Fatal(String),
}

impl Error {
    pub fn input(path: &Path, message: impl Into<String>) -> Error {
        Error::Input { path: path.to_path_buf(), message: one_line(&message.into()) }
    }

    pub fn output(path: &Path, message: impl Into<String>) -> Error {
        Error::Output { path: path.to_path_buf(), message: one_line(&message.into()) }
    }
}

/// Folds a message onto one line.
pub fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}
