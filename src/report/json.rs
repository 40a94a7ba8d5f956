//! `--format json`: the [`Report`] as pretty-printed JSON (the stable, versioned contract).

use super::{write_json, RenderError, Report};

pub fn render(report: &Report) -> Result<String, RenderError> {
    super::rendered_text("JSON report", |out| write(report, out))
}

/// Streams the report to `out` (the same text as [`render`]).
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let Some(spilled) = report.spilled.as_ref().filter(|s| !s.is_empty()) else {
        return write_json("JSON report", report, out);
    };
    // The report without its findings (`"findings": []`, they are not in memory), with the
    // spilled findings copied in between the brackets. The key is the top-level object's (two
    // spaces in; a newline inside a JSON string is escaped), so it is there once.
    let mut rest = Vec::new();
    write_json("JSON report", report, &mut rest)?;
    let at = rest
        .windows(FINDINGS_KEY.len())
        .position(|w| w == FINDINGS_KEY)
        .map(|at| at + FINDINGS_KEY.len() - 1)
        .ok_or_else(|| {
            std::io::Error::other(RenderError { what: "JSON report", message: "no findings array".into() })
        })?;
    out.write_all(&rest[..at])?;
    spilled.write_elements(out)?;
    out.write_all(&rest[at..])
}

/// The `findings` array of a report that holds no finding in memory, up to its `]`.
const FINDINGS_KEY: &[u8] = b"\n  \"findings\": []";
