//! Errors that end a run. Every one prints as a single line on stderr and exits with code 2.

use std::path::{Path, PathBuf};

/// The longest error line printed, in characters (the `error: ` prefix not counted). Input can
/// make messages arbitrarily long (a 1 MB key name); a terminal or a CI log gets a bounded line.
pub const MAX_ERROR_CHARS: usize = 400;

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
    pub fn input(path: &Path, message: impl Into<String>) -> Self {
        Self::Input { path: path.to_path_buf(), message: one_line(&message.into()) }
    }

    pub fn output(path: &Path, message: impl Into<String>) -> Self {
        Self::Output { path: path.to_path_buf(), message: one_line(&message.into()) }
    }
}

/// Folds a message onto one line.
pub fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The line printed for an error: folded onto one line, every control character and every
/// bidirectional or invisible formatting mark escaped (`\u{1b}`, `\u{202e}`: input must not be
/// able to move the cursor, recolour the terminal or reorder what the reader sees), and capped at
/// [`MAX_ERROR_CHARS`] characters.
pub fn printable_line(message: &str) -> String {
    let mut line = String::new();
    let mut chars = 0usize;
    for c in one_line(message).chars() {
        let piece = if is_unsafe_for_terminal(c) { c.escape_unicode().to_string() } else { c.to_string() };
        let width = piece.chars().count();
        if chars + width > MAX_ERROR_CHARS {
            line.push_str(" … (truncated)");
            return line;
        }
        chars += width;
        line.push_str(&piece);
    }
    line
}

/// Control characters (C0, DEL, C1) and the Unicode formatting marks that change how text is
/// displayed without being visible: bidi embeddings, overrides and isolates, zero-width
/// characters, the BOM, line and paragraph separators.
fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
        )
}

/// Quotes a piece of input for an error message: short values escaped in backticks, longer ones
/// only described by their length. Never use it for a value that may be a secret.
pub fn quote_input(text: &str) -> String {
    const MAX_QUOTED_CHARS: usize = 32;
    let count = text.chars().count();
    if count > MAX_QUOTED_CHARS {
        format!("(a {count}-character value, not shown)")
    } else {
        format!("`{}`", text.escape_debug())
    }
}

/// A serde error message (serde_json's or toml's) with every piece of input *value* taken out,
/// keeping what is wrong and what was expected. serde quotes the offending value (`invalid type:
/// string "<the value>", expected struct SecretValue`), and the value may be a secret: an origin
/// header value typed as a plain string in a hand-edited snapshot. So strings become `a string`,
/// unknown variants are not named, unknown keys are shown only when short (and never inside a
/// secret value, where a key could be the secret itself); numbers and booleans are kept (they are
/// never secrets and say what is out of range).
pub fn describe_serde(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(512));
    let mut rest = message;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("unknown variant `") {
            let end = after.rfind("`, expected").or_else(|| after.rfind("`, there are no variants"));
            match end {
                Some(end) => {
                    out.push_str("unknown variant");
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str("unknown variant");
                    rest = "";
                }
            }
            continue;
        }
        if let Some(after) = rest.strip_prefix("unknown field `") {
            let end = after.rfind("`, expected").or_else(|| after.rfind("`, there are no fields"));
            let (key, tail) = match end {
                Some(end) => (&after[..end], &after[end + 1..]),
                None => (after, ""),
            };
            if tail.contains("`fingerprint`") {
                out.push_str("unknown field");
            } else {
                out.push_str("unknown field ");
                out.push_str(&quote_input(key));
            }
            rest = tail;
            continue;
        }
        if let Some(after) = rest.strip_prefix("string \"") {
            out.push_str("a string");
            rest = skip_quoted(after);
            continue;
        }
        if let Some(after) = rest.strip_prefix('"') {
            out.push_str("(a value, not shown)");
            rest = skip_quoted(after);
            continue;
        }
        // serde_json reads an integer beyond 64 bits as a float: say it is out of range.
        if let Some(after) = rest.strip_prefix("invalid type: floating point `") {
            if let Some(end) = after.find("`, expected ") {
                let expected = &after[end + "`, expected ".len()..];
                let integer = ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize"]
                    .iter()
                    .any(|t| expected.starts_with(t));
                if integer && !after[..end].contains('.') {
                    out.push_str("invalid value: a number out of range");
                    rest = &after[end..];
                    rest = &rest[1..];
                    continue;
                }
            }
        }
        if let Some(after) = rest.strip_prefix("character `") {
            out.push_str("a character");
            rest = after.find('`').map_or("", |end| &after[end + 1..]);
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// The text after a Debug-quoted string whose opening quote was already consumed.
fn skip_quoted(after_quote: &str) -> &str {
    let mut escaped = false;
    for (i, c) in after_quote.char_indices() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return &after_quote[i + 1..],
            _ => {}
        }
    }
    ""
}
