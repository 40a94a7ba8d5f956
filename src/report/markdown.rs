//! `--format markdown`: a summary table and the findings, fit for a GitHub job summary
//! (`$GITHUB_STEP_SUMMARY`) or a pull-request comment.

use super::table::{headline, suppression_reason, verdict};
use super::text::escape_markdown_cell as escape;
use super::{Report, ReportFinding};
use edge_audit_checks::Severity;

pub fn render(report: &Report) -> String {
    let mut out = String::from("## edge-audit report\n\n");
    // The picture first: GitHub renders a `mermaid` code block as a diagram.
    if let Some(perimeter) = &report.perimeter {
        out.push_str("```mermaid\n");
        out.push_str(&super::graph::mermaid(perimeter, &report.findings));
        out.push_str("```\n\n");
        if perimeter.is_summarised() {
            out.push_str(&format!(
                "_{} edges: more than the {} the diagram draws one by one, so each distribution is summarised \
                 (origins per verdict); at most {} distributions are drawn, most exposed first._\n\n",
                perimeter.edge_count(),
                super::graph::MAX_DETAILED_EDGES,
                super::graph::MAX_DISTRIBUTIONS
            ));
        }
    }
    out.push_str(&format!("{}\n\n", escape(&headline(report))));
    out.push_str("| Severity | Findings |\n|---|---:|\n");
    for severity in Severity::DESCENDING {
        out.push_str(&format!("| {} | {} |\n", title_case(severity), report.summary.count(severity)));
    }
    out.push_str(&format!("| Not evaluated | {} |\n\n", report.summary.not_evaluated));
    out.push_str(&format!("**{}**\n", escape(&verdict(report))));
    for severity in Severity::DESCENDING {
        let findings: Vec<&ReportFinding> =
            report.findings.iter().filter(|f| f.severity == severity).collect();
        if findings.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {} ({})\n\n", title_case(severity), findings.len()));
        out.push_str(
            "| Check | Resource | Account / region | Finding | How to fix |\n|---|---|---|---|---|\n",
        );
        for f in findings {
            out.push_str(&format!(
                "| `{}` {} | `{}` | {} / {} | {} | {} |\n",
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
            ));
        }
    }
    if let Some(probes) = report.probes.as_deref().filter(|p| !p.is_empty()) {
        out.push_str(&format!("\n### Probes ({})\n\n", probes.len()));
        out.push_str("| Distribution / origin | Via | Request | Status | Result | Evidence |\n|---|---|---|---:|---|---|\n");
        for p in probes {
            let status = p.status.map(|s| s.to_string()).unwrap_or_else(|| "—".to_string());
            let evidence = p.marker.as_deref().or(p.error.as_deref()).unwrap_or("");
            out.push_str(&format!(
                "| `{}` / `{}` | {} | `{} {}` | {} | {} | {} |\n",
                escape(&p.distribution_id),
                escape(&p.origin_label()),
                p.via.as_str(),
                p.method,
                escape(&p.url),
                status,
                p.classification,
                escape(evidence),
            ));
        }
    }
    if !report.not_evaluated.is_empty() {
        out.push_str(&format!("\n### Not evaluated ({})\n\n", report.not_evaluated.len()));
        out.push_str("| Check | Account | Scope | Reason |\n|---|---|---|---|\n");
        for n in &report.not_evaluated {
            out.push_str(&format!(
                "| `{}` | {} | `{}` | {} |\n",
                n.check_id,
                n.account,
                escape(&n.scope),
                escape(&n.reason)
            ));
        }
    }
    if let Some(compliance) = &report.compliance {
        out.push_str(&compliance.markdown());
    }
    if !report.suppressed.is_empty() {
        out.push_str(&format!("\n### Suppressed ({})\n\n", report.suppressed.len()));
        out.push_str("| Check | Resource | Account / region | Reason |\n|---|---|---|---|\n");
        for s in &report.suppressed {
            let f = &s.finding;
            out.push_str(&format!(
                "| `{}` {} | `{}` | {} / {} | {} |\n",
                f.check_id,
                escape(&f.title),
                escape(&f.resource_label()),
                f.resource.account,
                f.resource.region,
                escape(&suppression_reason(s)),
            ));
        }
    }
    out
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
