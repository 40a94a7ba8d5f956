//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning ingests it.
//!
//! We write small typed structs of our own rather than using `serde-sarif`: we emit a narrow,
//! fixed subset of SARIF, and owning these few structs keeps every field GitHub checks visible in
//! one place (GitHub rejects a whole upload for one bad result) and spares a large generated
//! dependency.
//!
//! Layout: one run per account, `automationDetails.id` = `edge-audit/aws/<account>/` (GitHub's
//! category); every check that ran is a rule; every finding a result with exactly one location
//! whose URI is a scheme-less path built from the resource (`aws/<account>/<region>/<service>/
//! <type>/<id>`), line 1, a logical location carrying the ARN, and a fingerprint derived from the
//! check id and the ARN, so an alert follows the resource, not a line of a file. Checks that
//! could not be evaluated are tool notifications of the run, never results.
//!
//! GitHub's limits ([`Limits::GITHUB`]): at most 25,000 results per run, and 10 MB per file (GitHub
//! measures it gzip-compressed; we measure the uncompressed file, see there). A report beyond them
//! keeps its most severe results, says what it left out in a tool notification of each run
//! concerned, and the command prints one `warning:` line.

use super::{FindingKey, Report, ReportFinding, TOOL_NAME, TOOL_URI, TOOL_VERSION};
use edge_audit_checks::{CheckMeta, Severity};
use serde::Serialize;
use std::io::Write;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    invocations: Vec<Invocation>,
    results: Results<'a>,
    /// With `--compliance`: `{"compliance": <the account's per-control table>}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    precision: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    /// `new` or `unchanged`, with `scan --baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    properties: serde_json::Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fingerprints {
    primary_location_line_hash: String,
}

/// SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` (a number as a string): GitHub shows > 9.0 as critical,
/// 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// The artifact path of a finding: `aws/<account>/<region|global>/<service>/<type>/<id>`, with
/// every character outside `[A-Za-z0-9._-]` in a segment replaced (GitHub wants a relative path
/// without `:`).
pub fn artifact_uri(finding: &ReportFinding) -> String {
    let r = &finding.resource;
    let (service, kind) = r.resource_type.split_once('/').unwrap_or((r.resource_type.as_str(), "resource"));
    let mut segments = vec!["aws".to_string(), safe(&r.account), safe(&r.region), safe(service), safe(kind)];
    segments.extend(r.id.split('/').filter(|s| !s.is_empty()).map(safe));
    segments.join("/")
}

fn safe(segment: &str) -> String {
    let cleaned: String = segment
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' })
        .collect();
    let trimmed = cleaned.trim_matches('.');
    if trimmed.is_empty() {
        "-".to_string()
    } else {
        trimmed.to_string()
    }
}

fn rule(meta: &'static CheckMeta) -> Rule<'static> {
    let service_tags = meta.services.iter().map(|s| s.as_str().trim_end_matches("-regional").to_string());
    let mut tags: Vec<String> = vec!["security".to_string(), "aws".to_string()];
    for tag in service_tags {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    // Compliance controls as tags (`FSBP CloudFront.6`, `NIST.800-53.r5 SC-7`): code scanning
    // filters alerts by tag.
    for control in meta.compliance_controls() {
        let tag = control.framework.requirement(control.id);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let documentation = meta.documentation();
    Rule {
        id: meta.id,
        name: meta.slug.to_string(),
        short_description: Text { text: meta.title.to_string() },
        full_description: Text { text: meta.summary() },
        help: Help {
            text: format!("{}\n\nHow to fix: {}", meta.summary(), meta.remediation().replace('\n', " ")),
            markdown: format!("# {} {}\n\n{}", meta.id, meta.title, documentation),
        },
        default_configuration: Configuration { level: level(meta.default_severity) },
        properties: RuleProperties {
            tags,
            precision: "high",
            security_severity: security_severity(meta.default_severity),
        },
    }
}

/// GitHub code scanning's limits on one SARIF upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Results in one run: GitHub rejects a run with more than 25,000.
    pub max_results_per_run: usize,
    /// Size of the SARIF file in bytes, uncompressed.
    pub max_bytes: usize,
}

impl Limits {
    /// GitHub's limits, the size one conservatively. GitHub rejects an upload above 10 MB
    /// *gzip-compressed* (`upload-sarif` compresses the file); we hold the uncompressed file to
    /// 10,000,000 bytes instead. That needs no compressor, keeps every file within what
    /// Microsoft's SARIF validator reads (10,000 KB), and loses nothing visible: code scanning
    /// shows at most the 5,000 most severe results of a run, and 10 MB holds about 10,000 of ours.
    pub const GITHUB: Self = Self { max_results_per_run: 25_000, max_bytes: 10_000_000 };
}

/// A SARIF log, and what had to be left out of it to fit [`Limits`].
#[derive(Debug)]
pub struct Rendered {
    pub text: String,
    /// Results in the input (all runs).
    pub total_results: usize,
    /// Results written (all runs).
    pub kept_results: usize,
    /// One line for stderr (without the `warning: ` prefix) when results were left out.
    pub warning: Option<String>,
}

/// The SARIF log of `report`, within GitHub's limits.
pub fn render(report: &Report) -> Result<String, super::RenderError> {
    Ok(render_limited(report, Limits::GITHUB)?.text)
}

/// The SARIF log of `report`, within `limits`.
///
/// The log is pretty-printed; when that is too large, it is written compact (no whitespace). When
/// a run has more results than allowed, or even the compact file is too large, the most severe
/// results are kept (findings are ordered by severity, then check and resource, so the choice is
/// stable), every run that lost results says so in a tool notification, and
/// [`Rendered::warning`] says so for stderr.
pub fn render_limited(report: &Report, limits: Limits) -> Result<Rendered, super::RenderError> {
    let mut cut = None;
    let text = super::rendered_text("SARIF log", |out| {
        cut = Some(write_runs(report, &Findings::of(report), &run_accounts(report), limits, out)?);
        Ok(())
    })?;
    let cut = cut.unwrap_or(Cut { total_results: 0, kept_results: 0, warning: None });
    Ok(Rendered {
        text,
        total_results: cut.total_results,
        kept_results: cut.kept_results,
        warning: cut.warning,
    })
}

/// Streams the SARIF log of `report` within `limits` to `out` (the same text as
/// [`render_limited`]); returns what was left out.
pub fn write_limited(report: &Report, limits: Limits, out: &mut dyn Write) -> std::io::Result<Cut> {
    write_runs(report, &Findings::of(report), &run_accounts(report), limits, out)
}

/// The accounts that get a run: every account of the report, or `none` for an empty inventory
/// (it still gets a run, so GitHub closes alerts that were fixed).
pub fn run_accounts(report: &Report) -> Vec<&str> {
    let mut accounts: Vec<&str> = report.accounts.iter().map(|a| a.account_id.as_str()).collect();
    if accounts.is_empty() {
        accounts.push("none");
    }
    accounts
}

/// The runs GitHub code scanning accepts in one SARIF file.
pub const MAX_RUNS_PER_FILE: usize = 20;

/// `--output-dir`: streams the SARIF log of `account` alone (its own file, whose
/// `automationDetails.id` is its category) within `limits` to `out`; `findings` are the
/// report's ([`Findings::of`]), gathered once for every account.
pub fn write_account(
    report: &Report,
    findings: &Findings<'_>,
    account: &str,
    limits: Limits,
    out: &mut dyn Write,
) -> std::io::Result<Cut> {
    write_runs(report, findings, &[account], limits, out)
}

/// The file `--output-dir` writes for `account`.
pub fn file_name(account: &str) -> String {
    format!("edge-audit-{}.sarif", safe(account))
}

/// Whether `name` is a file name `--output-dir` writes (so a later run may replace it).
pub fn is_per_account_file(name: &str) -> bool {
    name.strip_prefix("edge-audit-").and_then(|rest| rest.strip_suffix(".sarif")).is_some_and(|account| {
        account == "none" || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// What a SARIF log left out to fit its [`Limits`].
#[derive(Debug)]
pub struct Cut {
    /// Results in the input (all runs).
    pub total_results: usize,
    /// Results written (all runs).
    pub kept_results: usize,
    /// One line for stderr (without the `warning: ` prefix) when results were left out.
    pub warning: Option<String>,
}

/// The keys of a report's findings and their positions per account, gathered once for every
/// SARIF log written from the report (`--output-dir` writes one per account).
pub struct Findings<'a> {
    keys: Vec<FindingKey<'a>>,
    of_account: std::collections::HashMap<&'a str, Vec<usize>>,
}

impl<'a> Findings<'a> {
    pub fn of(report: &'a Report) -> Self {
        let keys: Vec<FindingKey<'a>> = report.finding_keys().collect();
        let mut of_account: std::collections::HashMap<&'a str, Vec<usize>> = std::collections::HashMap::new();
        for (position, key) in keys.iter().enumerate() {
            of_account.entry(key.account).or_default().push(position);
        }
        Self { keys, of_account }
    }
}

/// Counts the bytes a log would take, without keeping them.
struct ByteCount(usize);

impl Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Streams the SARIF log of the runs of `accounts` within `limits` (see [`render_limited`]).
///
/// The findings are read one at a time, as the log is measured and as it is written: the size
/// of each candidate result is measured once, the whole log again for each layout tried (pretty,
/// then compact, then compact with fewer results), and nothing but the sizes is kept.
fn write_runs(
    report: &Report,
    findings: &Findings<'_>,
    accounts: &[&str],
    limits: Limits,
    out: &mut dyn Write,
) -> std::io::Result<Cut> {
    let keys = &findings.keys;
    // Each run's findings (positions in the report), most severe first (a stable sort keeps the
    // report's order within a severity); what a run keeps is always a prefix of that order.
    let runs: Vec<Vec<usize>> = accounts
        .iter()
        .map(|account| {
            let mut positions = findings.of_account.get(account).cloned().unwrap_or_default();
            positions.sort_by_key(|&i| keys.get(i).map(|k| std::cmp::Reverse(k.severity)));
            positions
        })
        .collect();
    let mut kept: Vec<usize> = runs.iter().map(|r| r.len().min(limits.max_results_per_run)).collect();
    // The compact size of every result a run may keep, measured once.
    let sizes: Vec<Vec<usize>> = runs
        .iter()
        .zip(&kept)
        .map(|(run, &kept)| run[..kept].iter().map(|&i| result_size(report, i)).collect())
        .collect::<std::io::Result<_>>()?;
    let layout = |kept: &[usize], pretty: bool, size_limited: bool, results: bool| Layout {
        report,
        keys,
        accounts,
        runs: &runs,
        kept: kept.to_vec(),
        limits,
        size_limited,
        pretty,
        results,
    };
    let measure = |layout: Layout<'_>| -> std::io::Result<usize> {
        let mut count = ByteCount(0);
        layout.write(&mut count)?;
        Ok(count.0)
    };
    // The pretty log is never smaller than the compact one: when the compact results alone pass
    // the limit, the pretty log is not measured (it would read every finding once more).
    let compact_floor = measure(layout(&kept, false, false, false))? + sizes.iter().flatten().sum::<usize>()
        - sizes.iter().filter(|s| !s.is_empty()).count();
    let mut pretty = compact_floor <= limits.max_bytes;
    let mut size_limited = false;
    loop {
        let size = measure(layout(&kept, pretty, size_limited, true))?;
        if size <= limits.max_bytes || kept.iter().all(|k| *k == 0) {
            break;
        }
        if pretty {
            pretty = false;
            continue;
        }
        // Too large: drop the least severe kept results of all runs until their size covers the
        // excess (plus room for the notifications that say so).
        size_limited = true;
        let mut excess = size - limits.max_bytes + 1024 * runs.len();
        while excess > 0 {
            // The run whose last kept result is the least severe (the later run on a tie).
            let Some(run) = (0..runs.len())
                .filter(|&i| kept[i] > 0)
                .min_by_key(|&i| (keys[runs[i][kept[i] - 1]].severity, std::cmp::Reverse(i)))
            else {
                break;
            };
            kept[run] -= 1;
            excess = excess.saturating_sub(sizes[run][kept[run]]);
        }
    }
    layout(&kept, pretty, size_limited, true).write(out)?;
    let total_results: usize = runs.iter().map(Vec::len).sum();
    let kept_results: usize = kept.iter().sum();
    let warning = (kept_results < total_results).then(|| {
        let per_run: Vec<String> = accounts
            .iter()
            .zip(runs.iter().zip(&kept))
            .filter(|(_, (run, kept))| **kept < run.len())
            .map(|(account, (run, kept))| format!("account {account}: {kept} of {}", run.len()))
            .collect();
        format!(
            "SARIF report cut to GitHub code scanning's limits ({}): kept the {kept_results} most severe of \
             {total_results} results ({}); code scanning closes the alerts of the omitted ones; the JSON report \
             has every finding",
            limits_text(limits, size_limited),
            per_run.join(", ")
        )
    });
    Ok(Cut { total_results, kept_results, warning })
}

fn limits_text(limits: Limits, size_limited: bool) -> String {
    if size_limited {
        format!(
            "at most {} results per run and {} bytes per file",
            limits.max_results_per_run, limits.max_bytes
        )
    } else {
        format!("at most {} results per run", limits.max_results_per_run)
    }
}

/// One way of writing the log: which results each run keeps, pretty or compact.
struct Layout<'a> {
    report: &'a Report,
    /// The report's finding keys, in report order.
    keys: &'a [FindingKey<'a>],
    accounts: &'a [&'a str],
    runs: &'a [Vec<usize>],
    kept: Vec<usize>,
    limits: Limits,
    size_limited: bool,
    pretty: bool,
    /// `false`: every `results` array left empty (the rest of the log, measured alone).
    results: bool,
}

impl Layout<'_> {
    fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let log = self.log();
        let written = match self.pretty {
            true => serde_json::to_writer_pretty(&mut *out, &log),
            false => serde_json::to_writer(&mut *out, &log),
        };
        written.map_err(|e| {
            if e.is_io() {
                std::io::Error::from(e)
            } else {
                std::io::Error::other(super::RenderError { what: "SARIF log", message: e.to_string() })
            }
        })?;
        out.write_all(b"\n")
    }

    fn log(&self) -> Log<'_> {
        let report = self.report;
        let runs = self
            .accounts
            .iter()
            .zip(self.runs.iter().zip(&self.kept))
            .map(|(account, (findings, &kept))| {
                let mut notifications: Vec<Notification> = report
                    .not_evaluated
                    .iter()
                    .filter(|n| n.account == *account)
                    .map(|n| Notification {
                        level: "warning",
                        message: Text {
                            text: format!("{} not evaluated for {}: {}", n.check_id, n.scope, n.reason),
                        },
                    })
                    .collect();
                if kept < findings.len() {
                    let omitted = findings.len() - kept;
                    let most_severe_omitted = self.keys.get(findings[kept]).map_or(Severity::Info, |k| k.severity);
                    notifications.push(Notification {
                        level: "warning",
                        message: Text {
                            text: format!(
                                "Results cut to GitHub code scanning's limits ({}): this run has the {kept} most \
                                 severe of {} results; {omitted} results of severity {most_severe_omitted} or lower \
                                 are omitted, and code scanning closes their alerts. The JSON report (--format json) \
                                 has every finding.",
                                limits_text(self.limits, self.size_limited),
                                findings.len(),
                            ),
                        },
                    });
                }
                Run {
                    tool: Tool {
                        driver: Driver {
                            name: TOOL_NAME,
                            semantic_version: TOOL_VERSION,
                            information_uri: TOOL_URI,
                            rules: report.rules.iter().map(|m| rule(m)).collect(),
                        },
                    },
                    automation_details: AutomationDetails { id: format!("edge-audit/aws/{account}/") },
                    invocations: vec![Invocation {
                        execution_successful: true,
                        tool_execution_notifications: notifications,
                    }],
                    results: Results { report, positions: if self.results { &findings[..kept] } else { &[] } },
                    properties: report.compliance_framework().map(|framework| {
                        let table = super::compliance::ComplianceTable::build(report, framework, Some(account));
                        serde_json::json!({ "compliance": table })
                    }),
                }
            })
            .collect();
        Log { schema: SCHEMA_URI, version: "2.1.0", runs }
    }
}

/// A run's results: the findings at `positions` in the report, read one at a time as the log
/// is serialised.
struct Results<'a> {
    report: &'a Report,
    positions: &'a [usize],
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq as _};
        let mut seq = serializer.serialize_seq(Some(self.positions.len()))?;
        for &position in self.positions {
            let finding = self.report.finding_at(position).map_err(S::Error::custom)?;
            seq.serialize_element(&result(self.report, &finding))?;
        }
        seq.end()
    }
}

/// Size of one result in the compact log, with its separator.
fn result_size(report: &Report, position: usize) -> std::io::Result<usize> {
    let finding = report.finding_at(position)?;
    let mut count = ByteCount(0);
    serde_json::to_writer(&mut count, &result(report, &finding)).map_err(std::io::Error::other)?;
    Ok(count.0 + 1)
}

fn result(report: &Report, finding: &ReportFinding) -> SarifResult {
    let rule_index = report.rules.iter().position(|m| m.id == finding.check_id).unwrap_or(0);
    SarifResult {
        rule_id: finding.check_id.clone(),
        rule_index,
        level: level(finding.severity),
        message: Text { text: finding.message.clone() },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: artifact_uri(finding) },
                region: Region { start_line: 1 },
            },
            logical_locations: vec![LogicalLocation {
                name: finding.resource.id.clone(),
                fully_qualified_name: finding.resource.arn.clone(),
                kind: "resource",
            }],
        }],
        partial_fingerprints: Fingerprints { primary_location_line_hash: finding.fingerprint.clone() },
        baseline_state: finding.baseline.map(|b| match b {
            crate::report::baseline::BaselineStatus::New => "new",
            crate::report::baseline::BaselineStatus::Known => "unchanged",
        }),
        properties: serde_json::json!({
            "severity": finding.severity,
            "confidence": finding.confidence,
            "security-severity": security_severity(finding.severity),
            "resource": finding.resource,
            "evidence": finding.evidence,
        }),
    }
}
