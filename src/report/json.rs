//! `--format json`: the [`Report`] as pretty-printed JSON (the stable, versioned contract).

use super::{json_text, RenderError, Report};

pub fn render(report: &Report) -> Result<String, RenderError> {
    json_text("JSON report", report, true)
}
