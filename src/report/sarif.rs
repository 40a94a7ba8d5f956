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

use super::{Report, ReportFinding, TOOL_NAME, TOOL_URI, TOOL_VERSION};
use edge_audit_checks::{CheckMeta, Severity};
use serde::Serialize;

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
    results: Vec<SarifResult>,
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

pub fn render(report: &Report) -> String {
    let mut accounts: Vec<&str> = report.accounts.iter().map(|a| a.account_id.as_str()).collect();
    if accounts.is_empty() {
        // An empty inventory still gets a run, so GitHub closes alerts that were fixed.
        accounts.push("none");
    }
    let runs = accounts
        .iter()
        .map(|account| {
            let results = report
                .findings
                .iter()
                .filter(|f| f.resource.account == *account)
                .map(|f| result(report, f))
                .collect();
            let notifications = report
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
                results,
            }
        })
        .collect();
    let log = Log { schema: SCHEMA_URI, version: "2.1.0", runs };
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
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
        properties: serde_json::json!({
            "severity": finding.severity,
            "confidence": finding.confidence,
            "security-severity": security_severity(finding.severity),
            "resource": finding.resource,
            "evidence": finding.evidence,
        }),
    }
}
