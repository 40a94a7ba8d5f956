//! The report: what a scan found, in one structure that every format renders.
//!
//! [`Report`] is also the JSON contract (`--format json`): scheduled jobs and other tools parse
//! it, so its field names are stable and it carries `schema_version`. Fields are only ever added.

pub mod asff;
pub mod baseline;
pub mod compliance;
pub mod graph;
pub mod html;
pub mod json;
pub mod markdown;
pub mod ocsf;
pub mod sarif;
pub mod spill;
pub mod table;
pub mod text;

use crate::policy::{Suppressed, SuppressedBy};
use crate::report::baseline::{Baseline, BaselineStatus};
use edge_audit_checks::inventory::{CoverageStatus, Inventory};
use edge_audit_checks::registry::Outcome;
use edge_audit_checks::{CheckMeta, Finding, NotEvaluated, ProbeResult, ResourceRef, Severity};
use serde::Serialize;

/// Version of the JSON report format.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

pub const TOOL_NAME: &str = "edge-audit";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
pub const TOOL_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// The formats a scan report is written in (`scan --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Sarif,
    Markdown,
    /// OCSF 1.5 Compliance Finding events (JSON array).
    Ocsf,
    /// AWS Security Finding Format, as `securityhub batch-import-findings` takes it.
    Asff,
    /// One self-contained HTML file: the perimeter graph, the findings, the not-evaluated list.
    Html,
}

/// A report that could not be serialised. Plain data cannot fail to serialise today; should a
/// future field make it fail, the run stops with this error instead of writing a hollow `{}`
/// that a pipeline would read as "no findings".
#[derive(Debug, thiserror::Error)]
#[error("cannot serialise the {what}: {message}")]
pub struct RenderError {
    what: &'static str,
    message: String,
}

impl From<RenderError> for crate::error::Error {
    fn from(err: RenderError) -> Self {
        Self::Fatal(err.to_string())
    }
}

/// Streams `value` as pretty JSON with a closing newline to `out` (see
/// [`output::write_with`](crate::output::write_with)): a failure to serialise is returned as an
/// `Other` I/O error carrying the [`RenderError`].
pub fn write_json<T: serde::Serialize + ?Sized>(
    what: &'static str,
    value: &T,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| {
        if e.is_io() {
            std::io::Error::from(e)
        } else {
            std::io::Error::other(RenderError { what, message: e.to_string() })
        }
    })?;
    out.write_all(b"\n")
}

/// The text a streaming renderer writes, for the callers that want it whole (tests, drift's
/// embedded reports). The renderer's own error comes back as it is.
pub fn rendered_text(
    what: &'static str,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<String, RenderError> {
    let mut buffer = Vec::new();
    write(&mut buffer).map_err(|e| match e.into_inner().map(|inner| inner.downcast::<RenderError>()) {
        Some(Ok(render)) => *render,
        Some(Err(other)) => RenderError { what, message: other.to_string() },
        None => RenderError { what, message: "the renderer failed".to_string() },
    })?;
    String::from_utf8(buffer).map_err(|e| RenderError { what, message: e.to_string() })
}

/// Serialises the items of an iterator as a JSON array, one at a time, so that a report of many
/// findings never holds all their JSON values at once; an item that failed is the
/// serialisation's error.
pub struct JsonSeq<I>(std::cell::RefCell<Option<I>>);

impl<I> JsonSeq<I> {
    pub fn new(items: I) -> Self {
        Self(std::cell::RefCell::new(Some(items)))
    }
}

impl<I, T> serde::Serialize for JsonSeq<I>
where
    I: Iterator<Item = std::io::Result<T>>,
    T: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq as _};
        // Serialised once: a second pass (there is none) would see an empty array.
        let items = self.0.borrow_mut().take();
        let mut seq = serializer.serialize_seq(None)?;
        for item in items.into_iter().flatten() {
            // An item that cannot be read (a streamed scan's finding) stops the report: a
            // report that silently lacks findings reads as a cleaner perimeter.
            seq.serialize_element(&item.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

/// `value` as JSON text (pretty or compact) with a closing newline.
pub fn json_text<T: serde::Serialize + ?Sized>(
    what: &'static str,
    value: &T,
    pretty: bool,
) -> Result<String, RenderError> {
    let text = if pretty { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) };
    let mut out = text.map_err(|e| RenderError { what, message: e.to_string() })?;
    out.push('\n');
    Ok(out)
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    /// When the inventory was collected (RFC 3339), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
    /// The severity at or above which findings fail the run; `none` when nothing fails it.
    pub fail_on: String,
    pub accounts: Vec<AccountSummary>,
    /// The checks that ran.
    pub checks: Vec<CheckRef>,
    pub findings: Vec<ReportFinding>,
    pub not_evaluated: Vec<NotEvaluated>,
    /// Findings that a suppression (`[[suppress]]` or an `edge-audit:ignore` tag) took out of the
    /// gate and of SARIF, each with the suppression.
    pub suppressed: Vec<SuppressedFinding>,
    pub summary: Summary,
    /// The active origin probes and what they got, when probes ran (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probes: Option<Vec<ProbeResult>>,
    /// API call statistics, time per phase and peak memory (`--stats`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<crate::live::RunStats>,
    /// With `scan --compliance`: the per-control table of that framework over every account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compliance: Option<compliance::ComplianceTable>,
    /// Metadata of the checks that ran, for rule descriptions (SARIF, explain links).
    #[serde(skip)]
    pub rules: Vec<&'static CheckMeta>,
    /// Distributions, origins and backends with their locks, for the Markdown and HTML graph;
    /// `None` when the report was built without the inventory's perimeter.
    #[serde(skip)]
    pub perimeter: Option<graph::Perimeter>,
    /// Where ASFF findings are imported (`--security-hub-region`).
    #[serde(skip)]
    pub security_hub_region: String,
    /// The findings of a streamed scan, when they are held in a temporary file instead of in
    /// `findings` (which is then empty, [`Self::with_spilled`]): reporters read the findings
    /// through [`Self::finding_keys`] and [`Self::finding_at`], wherever they are.
    #[serde(skip)]
    pub spilled: Option<spill::Spill>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct AccountSummary {
    pub account_id: String,
    pub partition: String,
    pub regions: Vec<String>,
    /// (region, service) pairs read completely.
    pub collected: usize,
    /// Collection failures, with operation and error.
    pub collection_failures: Vec<CollectionFailure>,
}

#[derive(Debug, Serialize)]
pub struct CollectionFailure {
    pub region: String,
    pub service: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CheckRef {
    pub id: &'static str,
    pub slug: &'static str,
    pub title: &'static str,
    pub default_severity: Severity,
}

/// A finding as reported: the check's finding plus its stable fingerprint. Read back from the
/// temporary file of a streamed scan ([`spill::Spill::finding`]) as it was written there.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct ReportFinding {
    pub check_id: String,
    pub slug: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: edge_audit_checks::Confidence,
    pub resource: ResourceRef,
    pub message: String,
    pub evidence: edge_audit_checks::Evidence,
    #[serde(
        serialize_with = "edge_audit_checks::finding::shared_text::serialize",
        deserialize_with = "edge_audit_checks::finding::shared_text::deserialize"
    )]
    pub remediation: std::sync::Arc<str>,
    /// Stable identity (check id + resource ARN + distinguishing detail), for baselines,
    /// suppressions and SARIF.
    pub fingerprint: String,
    /// Whether the finding is at or above `fail_on` (and, with a baseline, new).
    pub fails: bool,
    /// `new` or `known`: whether the finding was in the `--baseline` report. Only with
    /// `--baseline`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineStatus>,
}

/// A finding of the report as a reporter reads it: held in memory, or read back from a streamed
/// scan's temporary file (and dropped once written).
#[derive(Debug)]
pub enum Listed<'a> {
    Held(&'a ReportFinding),
    /// Boxed: one finding at a time is read back, and the enum stays a pointer's size.
    Read(Box<ReportFinding>),
}

impl std::ops::Deref for Listed<'_> {
    type Target = ReportFinding;

    fn deref(&self) -> &ReportFinding {
        match self {
            Self::Held(finding) => finding,
            Self::Read(finding) => finding,
        }
    }
}

/// What the aggregate views of a report (counts, the compliance table, the perimeter graph) read
/// of one finding: held by a streamed scan without the finding itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FindingKey<'a> {
    pub check_id: &'a str,
    pub severity: Severity,
    pub account: &'a str,
    /// The resource ARN.
    pub arn: &'a str,
    pub fingerprint: &'a str,
}

impl<'a> From<&'a ReportFinding> for FindingKey<'a> {
    fn from(f: &'a ReportFinding) -> Self {
        Self {
            check_id: &f.check_id,
            severity: f.severity,
            account: &f.resource.account,
            arn: &f.resource.arn,
            fingerprint: &f.fingerprint,
        }
    }
}

/// A suppressed finding: the finding as reported (it never fails) and what suppressed it.
#[derive(Debug, Serialize)]
pub struct SuppressedFinding {
    #[serde(flatten)]
    pub finding: ReportFinding,
    pub suppression: SuppressedBy,
}

impl From<Suppressed> for SuppressedFinding {
    fn from(s: Suppressed) -> Self {
        Self { finding: ReportFinding::new(s.finding, None), suppression: s.by }
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub total: usize,
    /// Findings at or above `fail_on`.
    pub failing: usize,
    pub not_evaluated: usize,
    /// Findings left out by suppressions (not in `total`).
    pub suppressed: usize,
    /// With `--baseline`: findings not in the baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<usize>,
    /// With `--baseline`: findings already in the baseline (they never fail the run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known: Option<usize>,
}

impl Summary {
    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }
}

impl Report {
    /// Builds the report of a check run over `inventory`.
    pub fn new(inventory: &Inventory, outcome: Outcome, fail_on: Option<Severity>) -> Self {
        let accounts = inventory
            .accounts
            .iter()
            .map(|a| AccountSummary {
                account_id: a.account_id.clone(),
                partition: a.partition.clone(),
                regions: a.regions.clone(),
                collected: a.coverage.iter().filter(|c| c.status == CoverageStatus::Collected).count(),
                collection_failures: a
                    .coverage
                    .iter()
                    .filter(|c| c.status.is_failure())
                    .map(|c| CollectionFailure {
                        region: c.region.clone(),
                        service: c.service.to_string(),
                        operation: c.operation.clone(),
                        resource: c.resource.clone(),
                        error: c.error.clone(),
                    })
                    .collect(),
            })
            .collect();
        let findings: Vec<ReportFinding> =
            outcome.findings.into_iter().map(|f| ReportFinding::new(f, fail_on)).collect();
        let mut summary = Summary {
            total: findings.len(),
            not_evaluated: outcome.not_evaluated.len(),
            ..Summary::default()
        };
        for f in &findings {
            match f.severity {
                Severity::Critical => summary.critical += 1,
                Severity::High => summary.high += 1,
                Severity::Medium => summary.medium += 1,
                Severity::Low => summary.low += 1,
                Severity::Info => summary.info += 1,
            }
            if f.fails {
                summary.failing += 1;
            }
        }
        Self {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: Tool { name: TOOL_NAME, version: TOOL_VERSION },
            collected_at: inventory.collected_at.clone(),
            fail_on: fail_on.map(|s| s.to_string()).unwrap_or_else(|| "none".to_string()),
            accounts,
            checks: outcome
                .checks
                .iter()
                .map(|m| CheckRef {
                    id: m.id,
                    slug: m.slug,
                    title: m.title,
                    default_severity: m.default_severity,
                })
                .collect(),
            findings,
            not_evaluated: outcome.not_evaluated,
            suppressed: Vec::new(),
            summary,
            probes: None,
            stats: None,
            compliance: None,
            rules: outcome.checks,
            perimeter: None,
            security_hub_region: asff::DEFAULT_REGION.to_string(),
            spilled: None,
        }
    }

    /// Takes the findings of a streamed scan (built with no finding in memory): they count in
    /// the summary, and the JSON report lists them where `findings` would. Marked against a
    /// baseline when they were spilled (see [`spill::Spill::push`]), they count as new or known
    /// too.
    pub fn with_spilled(mut self, spilled: spill::Spill) -> Self {
        let mut summary = Summary {
            not_evaluated: self.summary.not_evaluated,
            suppressed: self.summary.suppressed,
            ..Summary::default()
        };
        let (mut new, mut known) = (0, 0);
        for (severity, fails, baseline) in spilled.counts() {
            summary.total += 1;
            match severity {
                Severity::Critical => summary.critical += 1,
                Severity::High => summary.high += 1,
                Severity::Medium => summary.medium += 1,
                Severity::Low => summary.low += 1,
                Severity::Info => summary.info += 1,
            }
            if fails {
                summary.failing += 1;
            }
            match baseline {
                Some(BaselineStatus::New) => new += 1,
                Some(BaselineStatus::Known) => known += 1,
                None => {}
            }
        }
        if spilled.with_baseline() {
            summary.new = Some(new);
            summary.known = Some(known);
        }
        self.summary = summary;
        self.spilled = Some(spilled);
        self
    }

    /// How many findings the report lists.
    pub fn finding_count(&self) -> usize {
        match &self.spilled {
            Some(spilled) => spilled.len(),
            None => self.findings.len(),
        }
    }

    /// The key of every finding, in report order (a streamed scan's come without reading the
    /// findings back).
    pub fn finding_keys(&self) -> Box<dyn Iterator<Item = FindingKey<'_>> + '_> {
        match &self.spilled {
            Some(spilled) => Box::new(spilled.keys()),
            None => Box::new(self.findings.iter().map(FindingKey::from)),
        }
    }

    /// The finding at `index` in report order: a streamed scan's is read back from its temporary
    /// file, so that a reporter holds one finding at a time.
    pub fn finding_at(&self, index: usize) -> std::io::Result<Listed<'_>> {
        match &self.spilled {
            Some(spilled) => spilled.finding(index).map(|f| Listed::Read(Box::new(f))),
            None => self
                .findings
                .get(index)
                .map(Listed::Held)
                .ok_or_else(|| std::io::Error::other("no finding at this position")),
        }
    }

    /// Every finding in report order, one at a time (see [`Self::finding_at`]).
    pub fn each_finding(&self) -> impl Iterator<Item = std::io::Result<Listed<'_>>> + '_ {
        (0..self.finding_count()).map(|i| self.finding_at(i))
    }

    /// The findings whose key `wanted` accepts, in report order, one at a time; the others are
    /// not read back.
    pub fn each_finding_where<'r>(
        &'r self,
        wanted: impl Fn(&FindingKey<'_>) -> bool + 'r,
    ) -> impl Iterator<Item = std::io::Result<Listed<'r>>> + 'r {
        let chosen: Vec<usize> =
            self.finding_keys().enumerate().filter(|(_, key)| wanted(key)).map(|(i, _)| i).collect();
        chosen.into_iter().map(move |i| self.finding_at(i))
    }

    /// How many findings have `severity`.
    pub fn count_at(&self, severity: Severity) -> usize {
        self.finding_keys().filter(|k| k.severity == severity).count()
    }

    /// Lists findings that suppressions took out (see [`crate::policy::apply`]).
    pub fn with_suppressed(mut self, suppressed: Vec<Suppressed>) -> Self {
        self.suppressed = suppressed.into_iter().map(SuppressedFinding::from).collect();
        self.summary.suppressed = self.suppressed.len();
        self
    }

    /// Marks every finding `new` or `known`; only new findings fail the run. The findings of a
    /// streamed scan were marked against the same baseline as they were spilled, and are counted
    /// already ([`Self::with_spilled`]).
    pub fn with_baseline(mut self, baseline: &Baseline) -> Self {
        if self.spilled.is_some() {
            return self;
        }
        let (mut new, mut known, mut failing) = (0, 0, 0);
        for f in &mut self.findings {
            let status = baseline.status(&f.fingerprint);
            f.baseline = Some(status);
            match status {
                BaselineStatus::New => new += 1,
                BaselineStatus::Known => {
                    known += 1;
                    f.fails = false;
                }
            }
            if f.fails {
                failing += 1;
            }
        }
        self.summary.new = Some(new);
        self.summary.known = Some(known);
        self.summary.failing = failing;
        self
    }

    /// Adds the per-control table of `framework` (`--compliance`). Call it last: it reads the
    /// findings, suppressions and not-evaluated entries as they are.
    pub fn with_compliance(mut self, framework: edge_audit_checks::compliance::Framework) -> Self {
        self.compliance = Some(compliance::ComplianceTable::build(&self, framework, None));
        self
    }

    /// Attaches the perimeter graph (Markdown and HTML draw it).
    pub fn with_perimeter(mut self, perimeter: graph::Perimeter) -> Self {
        self.perimeter = Some(perimeter);
        self
    }

    /// Sets the Security Hub region ASFF findings name in their `ProductArn`.
    pub fn with_security_hub_region(mut self, region: &str) -> Self {
        self.security_hub_region = region.to_string();
        self
    }

    /// The framework of the compliance table, when there is one.
    pub fn compliance_framework(&self) -> Option<edge_audit_checks::compliance::Framework> {
        self.compliance.as_ref().map(|c| c.framework)
    }

    /// When the findings were observed: the inventory's collection time, else now (RFC 3339).
    pub fn observed_at(&self) -> String {
        self.collected_at.clone().unwrap_or_else(|| {
            time::OffsetDateTime::now_utc()
                .replace_nanosecond(0)
                .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
        })
    }

    /// Attaches `--stats` figures.
    pub fn with_stats(mut self, stats: crate::live::RunStats) -> Self {
        self.stats = Some(stats);
        self
    }

    /// Attaches the probe results (`None`: no probe ran).
    pub fn with_probes(mut self, probes: Option<Vec<ProbeResult>>) -> Self {
        self.probes = probes;
        self
    }

    /// The process exit code this report calls for: 1 when a finding fails the run, otherwise 3
    /// when something could not be evaluated, otherwise 0.
    pub fn exit_code(&self) -> u8 {
        if self.summary.failing > 0 {
            1
        } else if !self.not_evaluated.is_empty() {
            3
        } else {
            0
        }
    }

    /// Renders the report in `format`.
    pub fn render(&self, format: Format, color: bool) -> Result<String, RenderError> {
        Ok(self.render_with_warnings(format, color)?.0)
    }

    /// Streams the report in `format` to `out` (see
    /// [`output::write_with`](crate::output::write_with)) and returns the warnings for stderr, as
    /// [`Self::render_with_warnings`]. Every format is written as it is serialised, one finding at
    /// a time: a streamed scan's findings are read back from their temporary file as they are
    /// written, so no format holds every finding (SARIF measures its layouts the same way, to cut
    /// the log to GitHub's limits).
    pub fn write(
        &self,
        format: Format,
        color: bool,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<Vec<String>> {
        match format {
            Format::Table => table::write(self, color, out)?,
            Format::Json => json::write(self, out)?,
            Format::Sarif => {
                let cut = sarif::write_limited(self, sarif::Limits::GITHUB, out)?;
                return Ok(cut.warning.into_iter().collect());
            }
            Format::Markdown => markdown::write(self, out)?,
            Format::Ocsf => ocsf::write(self, out)?,
            Format::Asff => asff::write(self, out)?,
            Format::Html => html::write(self, out)?,
        }
        Ok(Vec::new())
    }

    /// Renders the report in `format`, with the warnings for stderr (one line each, without the
    /// `warning: ` prefix): a SARIF report cut to GitHub code scanning's limits says so.
    pub fn render_with_warnings(
        &self,
        format: Format,
        color: bool,
    ) -> Result<(String, Vec<String>), RenderError> {
        let mut warnings = Vec::new();
        let text = rendered_text("report", |out| {
            warnings = self.write(format, color, out)?;
            Ok(())
        })?;
        Ok((text, warnings))
    }
}

impl ReportFinding {
    pub(crate) fn new(finding: Finding, fail_on: Option<Severity>) -> Self {
        let fingerprint = finding.fingerprint();
        Self {
            fails: fail_on.is_some_and(|t| finding.severity >= t),
            check_id: finding.check_id,
            slug: finding.slug,
            title: finding.title,
            severity: finding.severity,
            confidence: finding.confidence,
            resource: finding.resource,
            message: finding.message,
            evidence: finding.evidence,
            remediation: finding.remediation,
            fingerprint,
            baseline: None,
        }
    }

    /// The resource as people name it: its name when it has one, else its id.
    pub fn resource_label(&self) -> String {
        match &self.resource.name {
            Some(name) if name != &self.resource.id => format!("{} ({})", self.resource.id, name),
            _ => self.resource.id.clone(),
        }
    }
}
