//! `--format table` (the default): findings grouped by severity, readable at 100 columns;
//! colour only when asked for (a terminal without `NO_COLOR`).

use super::Report;
use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};
use edge_audit_checks::Severity;
use std::io::Write;

const WIDTH: u16 = 100;

/// Findings per table: a streamed scan's findings are read back and laid out this many at a time,
/// so that a large report is never one table in memory. A severity with more findings continues
/// in another table under the same heading.
const ROWS_PER_TABLE: usize = 1000;

pub fn render(report: &Report, color: bool) -> Result<String, super::RenderError> {
    super::rendered_text("table report", |out| write(report, color, out))
}

/// Streams the report to `out` (the same text as [`render`]).
pub fn write(report: &Report, color: bool, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}", headline(report))?;
    for severity in Severity::DESCENDING {
        let count = report.count_at(severity);
        if count == 0 {
            continue;
        }
        writeln!(out, "\n{} ({count})", severity.as_str().to_uppercase())?;
        let mut table: Option<Table> = None;
        let mut rows = 0;
        for f in report.each_finding_where(|key| key.severity == severity) {
            let f = f?;
            let message = match f.baseline {
                Some(crate::report::baseline::BaselineStatus::New) => format!("[new] {}", f.message),
                _ => f.message.clone(),
            };
            let mut check = Cell::new(&f.check_id);
            if color {
                check = check.fg(severity_color(severity)).add_attribute(Attribute::Bold);
            }
            table.get_or_insert_with(|| new_table(&["Check", "Resource", "Region", "Finding"])).add_row(
                vec![check, Cell::new(f.resource_label()), Cell::new(&f.resource.region), Cell::new(message)],
            );
            rows += 1;
            if rows % ROWS_PER_TABLE == 0 {
                if let Some(full) = table.take() {
                    writeln!(out, "{full}")?;
                }
            }
        }
        if let Some(rest) = table {
            writeln!(out, "{rest}")?;
        }
    }
    if let Some(probes) = report.probes.as_deref().filter(|p| !p.is_empty()) {
        writeln!(out, "\nPROBES ({})", probes.len())?;
        let mut table = new_table(&["Origin", "Request", "Answer", "Result"]);
        for p in probes {
            let answer = match (p.status, &p.error) {
                (Some(status), _) => format!("{status} in {} ms", p.duration_ms),
                (None, Some(error)) => error.clone(),
                (None, None) => "no answer".to_string(),
            };
            let result = match &p.marker {
                Some(marker) => format!("{}\n{marker}", p.classification),
                None => p.classification.to_string(),
            };
            table.add_row(vec![
                format!("{} {}\n({})", p.distribution_id, p.origin_label(), p.via.as_str()),
                format!("{} {}", p.method, p.url),
                answer,
                result,
            ]);
        }
        writeln!(out, "{table}")?;
    }
    if !report.not_evaluated.is_empty() {
        writeln!(out, "\nNOT EVALUATED ({})", report.not_evaluated.len())?;
        let mut table = new_table(&["Check", "Account", "Scope", "Reason"]);
        for n in &report.not_evaluated {
            table.add_row(vec![&n.check_id, &n.account, &n.scope, &n.reason]);
        }
        writeln!(out, "{table}")?;
    }
    if !report.suppressed.is_empty() {
        writeln!(out, "\nSUPPRESSED ({})", report.suppressed.len())?;
        let mut table = new_table(&["Check", "Resource", "Region", "Reason"]);
        for s in &report.suppressed {
            table.add_row(vec![
                s.finding.check_id.clone(),
                s.finding.resource_label(),
                s.finding.resource.region.clone(),
                suppression_reason(s),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    if let Some(compliance) = &report.compliance {
        let s = &compliance.summary;
        writeln!(
            out,
            "\nCOMPLIANCE: {} ({} pass, {} fail, {} not evaluated)",
            compliance.standard, s.pass, s.fail, s.not_evaluated
        )?;
        let mut table = new_table(&["Control", "Status", "Checks", "Findings / reason"]);
        for c in &compliance.controls {
            let detail = match c.status {
                super::compliance::ControlVerdict::Fail => c
                    .findings
                    .iter()
                    .map(|f| format!("{} {}", f.check_id, f.resource))
                    .collect::<Vec<_>>()
                    .join("\n"),
                super::compliance::ControlVerdict::NotEvaluated => c.reasons.join("\n"),
                super::compliance::ControlVerdict::Pass => String::new(),
            };
            table.add_row(vec![
                format!("{}\n{}", c.id, c.title),
                c.status.as_str().to_string(),
                c.checks.join(", "),
                detail,
            ]);
        }
        writeln!(out, "{table}")?;
    }
    writeln!(out, "\n{}", verdict(report))
}

fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WIDTH)
        .set_header(header.to_vec());
    table
}

fn severity_color(severity: Severity) -> Color {
    match severity {
        Severity::Critical => Color::Magenta,
        Severity::High => Color::Red,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Blue,
        Severity::Info => Color::Grey,
    }
}

/// `edge-audit 0.1.0: 1 account (123456789012), 2 regions, 3 checks`.
pub fn headline(report: &Report) -> String {
    let accounts: Vec<&str> = report.accounts.iter().map(|a| a.account_id.as_str()).collect();
    let mut regions: Vec<&str> =
        report.accounts.iter().flat_map(|a| a.regions.iter().map(String::as_str)).collect();
    regions.sort();
    regions.dedup();
    format!(
        "{} {}: {} account{} ({}), {} region{}, {} check{}",
        report.tool.name,
        report.tool.version,
        accounts.len(),
        plural(accounts.len()),
        accounts.join(", "),
        regions.len(),
        plural(regions.len()),
        report.checks.len(),
        plural(report.checks.len())
    )
}

/// The closing sentence: counts, and what they mean for the exit code.
pub fn verdict(report: &Report) -> String {
    let s = &report.summary;
    let counts = Severity::DESCENDING
        .iter()
        .map(|sev| format!("{} {}", s.count(*sev), sev))
        .collect::<Vec<_>>()
        .join(", ");
    let gate = if report.fail_on == "none" {
        "nothing fails the run (--fail-on none)".to_string()
    } else if s.failing > 0 {
        format!("{} at or above {}", s.failing, report.fail_on)
    } else {
        format!("none at or above {}", report.fail_on)
    };
    let incomplete = if s.not_evaluated > 0 {
        format!("; audit incomplete: {} check result(s) not evaluated", s.not_evaluated)
    } else {
        String::new()
    };
    let baseline = match (s.new, s.known) {
        (Some(new), Some(known)) => format!("; baseline: {new} new, {known} known (only new ones fail)"),
        _ => String::new(),
    };
    let suppressed = if s.suppressed > 0 { format!("; {} suppressed", s.suppressed) } else { String::new() };
    format!("{} finding{} ({counts}){baseline}; {gate}{suppressed}{incomplete}.", s.total, plural(s.total))
}

/// `reason (edge-audit.toml#suppress[0], until 2026-01-31)`.
pub fn suppression_reason(s: &super::SuppressedFinding) -> String {
    let by = &s.suppression;
    match (&by.expires, by.source) {
        (Some(expires), _) => format!("{} ({}, until {expires})", by.reason, by.origin),
        (None, "config") => format!("{} ({}, permanent)", by.reason, by.origin),
        (None, _) => by.reason.clone(),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
