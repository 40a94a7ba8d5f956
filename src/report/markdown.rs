//! `--format markdown`: a summary table and the findings, fit for a GitHub job summary
//! (`$GITHUB_STEP_SUMMARY`) or a pull-request comment.

use super::table::{headline, suppression_reason, verdict};
use super::text::escape_markdown_cell as escape;
use super::Report;
use edge_audit_checks::Severity;
use std::io::Write;

pub fn render(report: &Report) -> Result<String, super::RenderError> {
    super::rendered_text("Markdown report", |out| write(report, out))
}

/// Streams the report to `out`, one finding at a time (the same text as [`render`]).
pub fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(b"## edge-audit report\n\n")?;
    // The picture first: GitHub renders a `mermaid` code block as a diagram.
    if let Some(perimeter) = &report.perimeter {
        let ids = super::graph::FindingIds::for_graph(perimeter, report.finding_keys());
        write!(out, "```mermaid\n{}```\n\n", super::graph::mermaid(perimeter, &ids))?;
        if perimeter.is_summarised() {
            write!(
                out,
                "_{} edges: more than the {} the diagram draws one by one, so each distribution is summarised \
                 (origins per verdict); at most {} distributions are drawn, most exposed first._\n\n",
                perimeter.edge_count(),
                super::graph::MAX_DETAILED_EDGES,
                super::graph::MAX_DISTRIBUTIONS
            )?;
        }
    }
    write!(out, "{}\n\n", escape(&headline(report)))?;
    out.write_all(b"| Severity | Findings |\n|---|---:|\n")?;
    for severity in Severity::DESCENDING {
        writeln!(out, "| {} | {} |", title_case(severity), report.summary.count(severity))?;
    }
    write!(out, "| Not evaluated | {} |\n\n", report.summary.not_evaluated)?;
    writeln!(out, "**{}**", escape(&verdict(report)))?;
    for severity in Severity::DESCENDING {
        let count = report.count_at(severity);
        if count == 0 {
            continue;
        }
        write!(out, "\n### {} ({count})\n\n", title_case(severity))?;
        out.write_all(
            b"| Check | Resource | Account / region | Finding | How to fix |\n|---|---|---|---|---|\n",
        )?;
        for f in report.each_finding_where(|key| key.severity == severity) {
            let f = f?;
            writeln!(
                out,
                "| `{}` {} | `{}` | {} / {} | {} | {} |",
                f.check_id,
                escape(&f.title),
                escape(&f.resource_label()),
                f.resource.account,
                f.resource.region,
                escape(&match f.baseline {
                    Some(crate::report::baseline::BaselineStatus::New) => format!("**new** {}", f.message),
                    _ => f.message.clone(),
                }),
                escape(first_sentence(&f.remediation)),
            )?;
        }
    }
    if let Some(probes) = report.probes.as_deref().filter(|p| !p.is_empty()) {
        write!(out, "\n### Probes ({})\n\n", probes.len())?;
        out.write_all(
            b"| Distribution / origin | Via | Request | Status | Result | Evidence |\n|---|---|---|---:|---|---|\n",
        )?;
        for p in probes {
            let status = p.status.map(|s| s.to_string()).unwrap_or_else(|| "—".to_string());
            let evidence = p.marker.as_deref().or(p.error.as_deref()).unwrap_or("");
            writeln!(
                out,
                "| `{}` / `{}` | {} | `{} {}` | {} | {} | {} |",
                escape(&p.distribution_id),
                escape(&p.origin_label()),
                p.via.as_str(),
                p.method,
                escape(&p.url),
                status,
                p.classification,
                escape(evidence),
            )?;
        }
    }
    if !report.not_evaluated.is_empty() {
        write!(out, "\n### Not evaluated ({})\n\n", report.not_evaluated.len())?;
        out.write_all(b"| Check | Account | Scope | Reason |\n|---|---|---|---|\n")?;
        for n in &report.not_evaluated {
            writeln!(
                out,
                "| `{}` | {} | `{}` | {} |",
                n.check_id,
                n.account,
                escape(&n.scope),
                escape(&n.reason)
            )?;
        }
    }
    if let Some(compliance) = &report.compliance {
        compliance.write_markdown(out)?;
    }
    if !report.suppressed.is_empty() {
        write!(out, "\n### Suppressed ({})\n\n", report.suppressed.len())?;
        out.write_all(b"| Check | Resource | Account / region | Reason |\n|---|---|---|---|\n")?;
        for s in &report.suppressed {
            let f = &s.finding;
            writeln!(
                out,
                "| `{}` {} | `{}` | {} / {} | {} |",
                f.check_id,
                escape(&f.title),
                escape(&f.resource_label()),
                f.resource.account,
                f.resource.region,
                escape(&suppression_reason(s)),
            )?;
        }
    }
    Ok(())
}

pub(crate) fn title_case(severity: Severity) -> String {
    let s = severity.as_str();
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The remediation's first sentence (tables want it short; `explain` has the rest).
fn first_sentence(text: &str) -> &str {
    let end = text.find(". ").map(|i| i + 1).unwrap_or(text.len());
    &text[..end]
}
