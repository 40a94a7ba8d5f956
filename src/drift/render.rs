//! The drift report: its JSON contract, EA701/EA702 findings, and the table, Markdown and
//! SARIF renderings.

use super::{Change, Classification, NotCompared, Unattributed};
use crate::config::Config;
use crate::report::markdown::title_case;
use crate::report::text::escape_markdown_cell as escape;
use crate::report::{self, ReportFinding, SuppressedFinding, Tool, TOOL_NAME, TOOL_VERSION};
use comfy_table::{presets, ContentArrangement, Table};
use edge_audit_checks::checks::{PerimeterChanged, PerimeterWeakened};
use edge_audit_checks::registry::Outcome;
use edge_audit_checks::{CheckMeta, Finding, Inventory, NotEvaluated, Severity};
use serde::Serialize;

/// Version of the JSON drift report format.
pub const DRIFT_SCHEMA_VERSION: u32 = 1;

/// One side of the comparison.
#[derive(Debug, Serialize)]
pub struct Side {
    /// The inventory file; `live` for a live collection.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DriftReport {
    pub schema_version: u32,
    /// Always `drift` (a scan report has none).
    pub kind: &'static str,
    pub tool: Tool,
    pub baseline: Side,
    pub current: Side,
    pub fail_on: String,
    pub changes: Vec<Change>,
    /// Findings that appeared or disappeared on resources without a change of their own.
    pub unattributed: Unattributed,
    pub not_compared: Vec<NotCompared>,
    /// The changes as EA701 (weakened) and EA702 (other) findings, after severity remaps and
    /// suppressions.
    pub findings: Vec<ReportFinding>,
    /// EA701/EA702 findings taken out by a `[[suppress]]` entry or an `edge-audit:ignore` tag on
    /// the changed resource (current inventory); they never fail the run.
    pub suppressed: Vec<SuppressedFinding>,
    pub summary: DriftSummary,
    /// The changes as a scan report with the two drift rules, for `--format sarif`.
    #[serde(skip)]
    pub(crate) sarif: report::Report,
}

/// The formats a drift report is written in (`drift --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Sarif,
    Markdown,
}

#[derive(Debug, Default, Serialize)]
pub struct DriftSummary {
    pub changes: usize,
    pub weakened: usize,
    pub strengthened: usize,
    pub neutral: usize,
    /// Findings present now and not in the baseline, and the reverse.
    pub appeared: usize,
    pub disappeared: usize,
    /// EA701/EA702 findings at or above `fail_on` (suppressed ones excluded).
    pub failing: usize,
    /// EA701/EA702 findings suppressed.
    pub suppressed: usize,
    pub not_compared: usize,
}

/// The EA701/EA702 finding of a change.
pub fn finding_of(change: &Change) -> Finding {
    let meta: &CheckMeta = if change.classification == Classification::Weakened {
        &PerimeterWeakened::META
    } else {
        &PerimeterChanged::META
    };
    Finding::new(meta, change.resource.clone(), change.summary.clone())
        .detail(format!("{} {}", change.change_type.as_str(), change.detail))
        .evidence("change_type", change.change_type)
        .evidence("classification", change.classification)
        .evidence("before", &change.before)
        .evidence("after", &change.after)
}

impl DriftReport {
    /// Builds the report. The configuration remaps EA701/EA702 (`[checks.severity]`) and
    /// suppresses them (`[[suppress]]`, expiring on `today`), as for a scan; so do
    /// `edge-audit:ignore` tags in the current inventory.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        baseline: Side,
        current: Side,
        current_inventory: &Inventory,
        changes: Vec<Change>,
        unattributed: Unattributed,
        not_compared: Vec<NotCompared>,
        config: Option<&Config>,
        today: time::Date,
        fail_on: Option<Severity>,
    ) -> Self {
        let raw = Outcome {
            findings: changes.iter().map(finding_of).collect(),
            not_evaluated: Vec::new(),
            checks: vec![&PerimeterWeakened::META, &PerimeterChanged::META],
        };
        // No policy checks selected: drift does not judge the suppressions themselves (a scan's
        // EA902/EA903 do), so an entry for a scan check is never "unused" here.
        let (remapped, suppressed) = crate::policy::apply(raw, current_inventory, config, &[], today);
        let findings: Vec<Finding> = remapped.findings;
        let count = |c: Classification| changes.iter().filter(|x| x.classification == c).count();
        let appeared: usize =
            changes.iter().map(|c| c.appeared.len()).sum::<usize>() + unattributed.appeared.len();
        let disappeared: usize =
            changes.iter().map(|c| c.disappeared.len()).sum::<usize>() + unattributed.disappeared.len();
        let not_evaluated: Vec<NotEvaluated> = not_compared
            .iter()
            .map(|n| NotEvaluated {
                check_id: PerimeterWeakened::META.id.to_string(),
                account: n.account.clone(),
                scope: n.scope.clone(),
                reason: n.reason.clone(),
            })
            .collect();
        // The SARIF rendering reuses the scan report's, with the two drift rules.
        let outcome = Outcome {
            findings: findings.clone(),
            not_evaluated,
            checks: vec![&PerimeterWeakened::META, &PerimeterChanged::META],
        };
        let sarif = report::Report::new(current_inventory, outcome, fail_on);
        let findings: Vec<ReportFinding> =
            findings.into_iter().map(|f| ReportFinding::new(f, fail_on)).collect();
        let suppressed: Vec<SuppressedFinding> =
            suppressed.into_iter().map(SuppressedFinding::from).collect();
        let summary = DriftSummary {
            suppressed: suppressed.len(),
            changes: changes.len(),
            weakened: count(Classification::Weakened),
            strengthened: count(Classification::Strengthened),
            neutral: count(Classification::Neutral),
            appeared,
            disappeared,
            failing: findings.iter().filter(|f| f.fails).count(),
            not_compared: not_compared.len(),
        };
        Self {
            schema_version: DRIFT_SCHEMA_VERSION,
            kind: "drift",
            tool: Tool { name: TOOL_NAME, version: TOOL_VERSION },
            baseline,
            current,
            fail_on: fail_on.map(|s| s.to_string()).unwrap_or_else(|| "none".to_string()),
            changes,
            unattributed,
            not_compared,
            findings,
            suppressed,
            summary,
            sarif,
        }
    }

    /// 1 when a change fails the run, else 3 when something could not be compared, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.summary.failing > 0 {
            1
        } else if !self.not_compared.is_empty() {
            3
        } else {
            0
        }
    }

    pub fn render(&self, format: Format) -> Result<String, report::RenderError> {
        match format {
            Format::Json => report::json_text("drift report", self, true),
            Format::Sarif => self.sarif.render(report::Format::Sarif, false),
            Format::Table => Ok(self.table()),
            Format::Markdown => Ok(self.markdown()),
        }
    }

    fn headline(&self) -> String {
        let side = |s: &Side| match &s.collected_at {
            Some(at) => format!("{} ({at})", s.source),
            None => s.source.clone(),
        };
        format!("{TOOL_NAME} {TOOL_VERSION} drift: {} → {}", side(&self.baseline), side(&self.current))
    }

    fn verdict(&self) -> String {
        let s = &self.summary;
        let gate = if self.fail_on == "none" {
            "nothing fails the run (--fail-on none)".to_string()
        } else if s.failing > 0 {
            format!("{} at or above {}", s.failing, self.fail_on)
        } else {
            format!("none at or above {}", self.fail_on)
        };
        let gate = if s.suppressed > 0 { format!("{gate} ({} suppressed)", s.suppressed) } else { gate };
        let incomplete = if s.not_compared > 0 {
            format!("; comparison incomplete: {} part(s) not compared", s.not_compared)
        } else {
            String::new()
        };
        format!(
            "{} change{} ({} weakened, {} strengthened, {} neutral); {} finding(s) appeared, {} disappeared; {gate}{incomplete}.",
            s.changes,
            if s.changes == 1 { "" } else { "s" },
            s.weakened,
            s.strengthened,
            s.neutral,
            s.appeared,
            s.disappeared
        )
    }

    fn table(&self) -> String {
        let mut out = self.headline();
        out.push('\n');
        for class in [Classification::Weakened, Classification::Strengthened, Classification::Neutral] {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.classification == class).collect();
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{} ({})\n", class.as_str().to_uppercase(), changes.len()));
            let mut table = new_table(&["Change", "Resource", "What changed", "Findings"]);
            for c in changes {
                table.add_row(vec![
                    c.change_type.as_str(),
                    resource_label(&c.resource),
                    c.summary.clone(),
                    findings_cell(c),
                ]);
            }
            out.push_str(&table.to_string());
            out.push('\n');
        }
        let u = &self.unattributed;
        if !u.appeared.is_empty() || !u.disappeared.is_empty() {
            out.push_str(&format!(
                "\nFINDINGS ON UNCHANGED RESOURCES ({})\n",
                u.appeared.len() + u.disappeared.len()
            ));
            let mut table = new_table(&["", "Check", "Resource", "Finding"]);
            for (sign, list) in [("+", &u.appeared), ("-", &u.disappeared)] {
                for f in list.iter() {
                    table.add_row(vec![
                        sign.to_string(),
                        f.check_id.clone(),
                        f.resource.clone(),
                        f.message.clone(),
                    ]);
                }
            }
            out.push_str(&table.to_string());
            out.push('\n');
        }
        if !self.not_compared.is_empty() {
            out.push_str(&format!("\nNOT COMPARED ({})\n", self.not_compared.len()));
            let mut table = new_table(&["Account", "Scope", "Reason"]);
            for n in &self.not_compared {
                table.add_row(vec![&n.account, &n.scope, &n.reason]);
            }
            out.push_str(&table.to_string());
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.verdict());
        out.push('\n');
        out
    }

    fn markdown(&self) -> String {
        let mut out = String::from("## edge-audit drift\n\n");
        out.push_str(&format!("{}\n\n", escape(&self.headline())));
        out.push_str("| Classification | Changes |\n|---|---:|\n");
        out.push_str(&format!("| Weakened | {} |\n", self.summary.weakened));
        out.push_str(&format!("| Strengthened | {} |\n", self.summary.strengthened));
        out.push_str(&format!("| Neutral | {} |\n", self.summary.neutral));
        out.push_str(&format!("| Not compared | {} |\n\n", self.summary.not_compared));
        out.push_str(&format!("**{}**\n", escape(&self.verdict())));
        for class in [Classification::Weakened, Classification::Strengthened, Classification::Neutral] {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.classification == class).collect();
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!("\n### {} ({})\n\n", capital(class.as_str()), changes.len()));
            out.push_str(
                "| Change | Resource | Account / region | What changed | Findings |\n|---|---|---|---|---|\n",
            );
            for c in changes {
                out.push_str(&format!(
                    "| `{}` | `{}` | {} / {} | {} | {} |\n",
                    c.change_type.as_str(),
                    escape(&c.resource.arn),
                    c.resource.account,
                    c.resource.region,
                    escape(&c.summary),
                    escape(&findings_cell(c)).replace('\n', " "),
                ));
            }
        }
        let u = &self.unattributed;
        if !u.appeared.is_empty() || !u.disappeared.is_empty() {
            out.push_str("\n### Findings on unchanged resources\n\n| | Check | Resource | Finding |\n|---|---|---|---|\n");
            for (sign, list) in [("appeared", &u.appeared), ("disappeared", &u.disappeared)] {
                for f in list.iter() {
                    out.push_str(&format!(
                        "| {sign} | `{}` {} | `{}` | {} |\n",
                        f.check_id,
                        title_case(f.severity),
                        escape(&f.resource),
                        escape(&f.message)
                    ));
                }
            }
        }
        if !self.not_compared.is_empty() {
            out.push_str(&format!(
                "\n### Not compared ({})\n\n| Account | Scope | Reason |\n|---|---|---|\n",
                self.not_compared.len()
            ));
            for n in &self.not_compared {
                out.push_str(&format!(
                    "| {} | `{}` | {} |\n",
                    n.account,
                    escape(&n.scope),
                    escape(&n.reason)
                ));
            }
        }
        out
    }
}

/// `+EA101 -EA102`: the findings that appeared (+) and disappeared (-) with a change.
fn findings_cell(change: &Change) -> String {
    let mut parts: Vec<String> = change.appeared.iter().map(|f| format!("+{}", f.check_id)).collect();
    parts.extend(change.disappeared.iter().map(|f| format!("-{}", f.check_id)));
    parts.join(" ")
}

/// The resource as people name it: `id (name)`.
fn resource_label(r: &edge_audit_checks::ResourceRef) -> String {
    match &r.name {
        Some(name) if name != &r.id => format!("{} ({name})", r.id),
        _ => r.id.clone(),
    }
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(100)
        .set_header(header.to_vec());
    table
}
