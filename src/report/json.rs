//! `--format json`: the [`Report`] as pretty-printed JSON (the stable, versioned contract).

use super::{write_json, RenderError, Report};

pub fn render(report: &Report) -> Result<String, RenderError> {
    super::rendered_text("JSON report", |out| write(report, out))
}

/// Streams the report to `out` (the same text as [`render`]).
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_json("JSON report", report, out)
}
