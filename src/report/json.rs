//! `--format json`: the [`Report`] as pretty-printed JSON (the stable, versioned contract).

use super::Report;

pub fn render(report: &Report) -> String {
    // Serialising plain data structures cannot fail; fall back to an empty object for safety.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}
