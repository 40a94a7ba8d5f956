//! `scan --compliance fsbp|cis|nist-800-53`: the per-control table (JSON field `compliance`).
//!
//! Each control of the framework that some check evidences ([`edge_audit_checks::compliance`])
//! gets one status, failing closed:
//! - `fail`: a check mapped to it has a (not suppressed) finding;
//! - `not_evaluated`: otherwise, when a check mapped to it did not run (not selected, or a probe
//!   check without probes) or could not be evaluated somewhere;
//! - `pass`: every check mapped to it ran completely and found nothing.
//!
//! A pass says only that edge-audit's checks found nothing for this control in what they read,
//! never that the whole control is met.

use super::Report;
use edge_audit_checks::compliance::{checks_of_control, control_title, framework_controls, Framework};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ComplianceTable {
    /// `fsbp`, `cis` or `nist-800-53`.
    pub framework: Framework,
    /// The standard's full name.
    pub standard: &'static str,
    /// The account the table is about; absent when it covers every account of the report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub controls: Vec<ControlStatus>,
    pub summary: ComplianceSummary,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ComplianceSummary {
    pub pass: usize,
    pub fail: usize,
    pub not_evaluated: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlVerdict {
    Pass,
    Fail,
    NotEvaluated,
}

impl ControlVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotEvaluated => "not evaluated",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ControlStatus {
    /// `CloudFront.6`, `5.2`, `SC-7`.
    pub id: &'static str,
    pub title: &'static str,
    pub status: ControlVerdict,
    /// The checks that evidence the control.
    pub checks: Vec<&'static str>,
    /// The findings that fail it.
    pub findings: Vec<ControlFinding>,
    /// Why it is not evaluated (empty otherwise).
    pub reasons: Vec<String>,
    /// Findings of its checks that a suppression took out (they do not fail the control).
    pub suppressed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ControlFinding {
    pub check_id: String,
    pub severity: edge_audit_checks::Severity,
    pub fingerprint: String,
    /// The resource ARN.
    pub resource: String,
}

impl ComplianceTable {
    /// The table of `framework` over `report`, or over one `account` of it.
    pub fn build(report: &Report, framework: Framework, account: Option<&str>) -> Self {
        let in_scope = |a: &str| account.is_none_or(|want| want == a);
        let mut summary = ComplianceSummary::default();
        let controls = framework_controls(framework)
            .into_iter()
            .map(|id| {
                let checks = checks_of_control(framework, id);
                // The findings' keys: a streamed scan's findings are not read back for this.
                let findings: Vec<ControlFinding> = report
                    .finding_keys()
                    .filter(|f| checks.contains(&f.check_id) && in_scope(f.account))
                    .map(|f| ControlFinding {
                        check_id: f.check_id.to_owned(),
                        severity: f.severity,
                        fingerprint: f.fingerprint.to_owned(),
                        resource: f.arn.to_owned(),
                    })
                    .collect();
                let suppressed = report
                    .suppressed
                    .iter()
                    .filter(|s| {
                        checks.contains(&s.finding.check_id.as_str()) && in_scope(&s.finding.resource.account)
                    })
                    .count();
                let not_run: Vec<&str> =
                    checks.iter().copied().filter(|c| !report.rules.iter().any(|m| m.id == *c)).collect();
                let mut reasons = Vec::new();
                if !not_run.is_empty() {
                    reasons.push(format!("{} did not run", not_run.join(", ")));
                }
                reasons.extend(
                    report
                        .not_evaluated
                        .iter()
                        .filter(|n| checks.contains(&n.check_id.as_str()) && in_scope(&n.account))
                        .map(|n| {
                            format!(
                                "{} not evaluated for {} in {}: {}",
                                n.check_id, n.scope, n.account, n.reason
                            )
                        }),
                );
                let status = if !findings.is_empty() {
                    summary.fail += 1;
                    ControlVerdict::Fail
                } else if !reasons.is_empty() {
                    summary.not_evaluated += 1;
                    ControlVerdict::NotEvaluated
                } else {
                    summary.pass += 1;
                    ControlVerdict::Pass
                };
                if status != ControlVerdict::NotEvaluated {
                    reasons.clear();
                }
                ControlStatus {
                    id,
                    title: control_title(framework, id).unwrap_or(""),
                    status,
                    checks,
                    findings,
                    reasons,
                    suppressed,
                }
            })
            .collect();
        Self {
            framework,
            standard: framework.standard(),
            account: account.map(str::to_string),
            controls,
            summary,
        }
    }

    /// Writes the table as Markdown (the Markdown report's section), one control at a time.
    pub fn write_markdown(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        use super::text::escape_markdown_cell as escape;
        write!(
            out,
            "\n### Compliance: {} ({} pass, {} fail, {} not evaluated)\n\n",
            self.standard, self.summary.pass, self.summary.fail, self.summary.not_evaluated
        )?;
        out.write_all(b"| Control | Title | Status | Checks | Findings / reason |\n|---|---|---|---|---|\n")?;
        for c in &self.controls {
            let detail = match c.status {
                ControlVerdict::Fail => {
                    let mut ids: Vec<String> = c
                        .findings
                        .iter()
                        .map(|f| format!("{} `{}`", f.check_id, escape(&f.resource)))
                        .collect();
                    ids.dedup();
                    ids.join("<br>")
                }
                ControlVerdict::NotEvaluated => escape(&c.reasons.join("; ")),
                ControlVerdict::Pass => String::new(),
            };
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                c.id,
                escape(c.title),
                c.status.as_str(),
                c.checks.join(", "),
                detail
            )?;
        }
        Ok(())
    }
}
