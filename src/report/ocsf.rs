//! `--format ocsf`: OCSF 1.5.0 events, a JSON array of **Compliance Finding** (`class_uid`
//! 2003) events, one per finding.
//!
//! Why Compliance Finding rather than Detection Finding (2004): edge-audit's findings are posture
//! evaluations of resources against rules, not detections of activity; the new AWS Security Hub
//! publishes its own posture (CSPM control) findings in this class, and it is the class with a
//! `compliance` object, which carries the check and the controls it evidences (standards,
//! requirements, status). Detection Finding describes observed activity (attacks, anomalies).
//!
//! `finding_info.uid` is derived from the fingerprint (the same id as ASFF's), so consumers that
//! deduplicate on it update a finding across runs. The evidence goes to `resources[].data`: it is
//! secret-free by construction. With `--compliance`, one more event per control and account
//! carries the control's status (`compliance.status_id` 1 pass, 3 fail, 2 "warning": not
//! evaluated, missing information).

use super::asff::{finding_id, partition, region_of, resource_type};
use super::compliance::{ComplianceTable, ControlVerdict};
use super::{Report, ReportFinding, TOOL_NAME, TOOL_URI, TOOL_VERSION};
use edge_audit_checks::{Confidence, Severity};
use serde_json::{json, Value};

/// The OCSF schema version the events follow.
pub const OCSF_VERSION: &str = "1.5.0";

const CLASS_UID: u32 = 2003;
const CATEGORY_UID: u32 = 2;
/// Activity 1: Create (the finding was observed in this run).
const ACTIVITY_CREATE: u32 = 1;

pub fn render(report: &Report) -> Result<String, super::RenderError> {
    super::rendered_text("OCSF report", |out| write(report, out))
}

/// Streams the events to `out`, one at a time (the same text as [`render`]).
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let observed = report.observed_at();
    let observed = observed.as_str();
    let time_ms = epoch_millis(observed);
    let findings = report.each_finding().map(|f| f.map(|f| finding_event(report, &f, observed, time_ms)));
    let controls = report.compliance_framework().into_iter().flat_map(move |framework| {
        super::sarif::run_accounts(report).into_iter().flat_map(move |account| {
            let table = ComplianceTable::build(report, framework, Some(account));
            control_events(report, &table, account, observed, time_ms).into_iter().map(Ok)
        })
    });
    super::write_json("OCSF report", &super::JsonSeq::new(findings.chain(controls)), out)
}

/// OCSF `severity_id` and caption.
fn severity(severity: Severity) -> (u32, &'static str) {
    match severity {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

fn confidence(confidence: Confidence) -> (u32, &'static str) {
    match confidence {
        Confidence::Low => (1, "Low"),
        Confidence::Medium => (2, "Medium"),
        Confidence::High => (3, "High"),
    }
}

/// Milliseconds since the epoch of an RFC 3339 time (0 when it does not parse).
fn epoch_millis(rfc3339: &str) -> i64 {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
        .unwrap_or(0)
}

fn metadata(event_code: &str) -> Value {
    json!({
        "version": OCSF_VERSION,
        "product": {
            "name": TOOL_NAME,
            "vendor_name": TOOL_NAME,
            "version": TOOL_VERSION,
            "url_string": TOOL_URI,
        },
        "event_code": event_code,
        "profiles": ["cloud"],
    })
}

fn cloud(account: &str, region: &str) -> Value {
    json!({
        "provider": "AWS",
        "region": region,
        "account": { "uid": account, "name": account, "type_id": 10, "type": "AWS Account" },
    })
}

/// The envelope every event shares.
fn event(severity_id: (u32, &str), observed: &str, time_ms: i64, event_code: &str) -> Value {
    json!({
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Compliance Finding: Create",
        "severity_id": severity_id.0,
        "severity": severity_id.1,
        "status_id": 1,
        "status": "New",
        "time": time_ms,
        "time_dt": observed,
        "metadata": metadata(event_code),
    })
}

fn finding_event(report: &Report, f: &ReportFinding, observed: &str, time_ms: i64) -> Value {
    let account = f.resource.account.as_str();
    let partition = partition(report, account);
    let region = region_of(&f.resource.region, partition);
    let controls = edge_audit_checks::compliance::controls(&f.check_id);
    let mut standards: Vec<&str> = Vec::new();
    for c in controls {
        if !standards.contains(&c.framework.standard()) {
            standards.push(c.framework.standard());
        }
    }
    let requirements: Vec<String> = controls.iter().map(|c| c.framework.requirement(c.id)).collect();
    let mut compliance = json!({
        "status_id": 3,
        "checks": [{
            "uid": f.check_id,
            "name": f.title,
            "status_id": 3,
            "status": "Fail",
            "severity_id": severity(f.severity).0,
            "severity": severity(f.severity).1,
        }],
    });
    if let Some(first) = controls.first() {
        compliance["control"] = json!(first.framework.requirement(first.id));
        compliance["standards"] = json!(standards);
        compliance["requirements"] = json!(requirements);
        compliance["checks"][0]["standards"] = json!(standards);
    }
    let mut event = event(severity(f.severity), observed, time_ms, &f.check_id);
    let (confidence_id, confidence_name) = confidence(f.confidence);
    event["confidence_id"] = json!(confidence_id);
    event["confidence"] = json!(confidence_name);
    event["message"] = json!(f.message);
    event["finding_info"] = json!({
        "uid": finding_id(f),
        "title": format!("{} {}", f.check_id, f.title),
        "desc": f.message,
        "types": [format!("edge-audit/{}", f.check_id), f.slug],
        "created_time": time_ms,
        "modified_time": time_ms,
    });
    event["compliance"] = compliance;
    event["cloud"] = cloud(account, region);
    event["resources"] = json!([{
        "uid": f.resource.arn,
        "name": f.resource.name.as_deref().unwrap_or(&f.resource.id),
        "type": resource_type(&f.resource.resource_type),
        "region": region,
        "cloud_partition": partition,
        "data": { "id": f.resource.id, "edge_audit_type": f.resource.resource_type, "evidence": f.evidence },
    }]);
    event["remediation"] = json!({ "desc": &*f.remediation });
    event["unmapped"] = json!({ "fingerprint": f.fingerprint, "check_slug": f.slug });
    event
}

fn control_events(
    report: &Report,
    table: &ComplianceTable,
    account: &str,
    observed: &str,
    time_ms: i64,
) -> Vec<Value> {
    let partition = partition(report, account);
    let region = region_of("global", partition);
    table
        .controls
        .iter()
        .map(|c| {
            let (status_id, status, detail) = match c.status {
                ControlVerdict::Pass => (1, "Pass", format!("checks {} found nothing", c.checks.join(", "))),
                ControlVerdict::Fail => {
                    (3, "Fail", format!("{} finding(s) of checks {}", c.findings.len(), c.checks.join(", ")))
                }
                ControlVerdict::NotEvaluated => {
                    (2, "Warning", format!("not evaluated: {}", c.reasons.join("; ")))
                }
            };
            let severity_id = match c.status {
                ControlVerdict::Fail => {
                    severity(c.findings.iter().map(|f| f.severity).max().unwrap_or(Severity::Info))
                }
                _ => severity(Severity::Info),
            };
            let requirement = table.framework.requirement(c.id);
            let mut event = event(severity_id, observed, time_ms, &requirement);
            event["message"] = json!(format!("{} {}: {status} ({detail})", table.standard, c.id));
            event["status_detail"] = json!(detail);
            event["finding_info"] = json!({
                "uid": format!("edge-audit/{account}/compliance/{}/{}", table.framework, c.id),
                "title": format!("{} {}: {}", table.standard, c.id, c.title),
                "desc": detail,
                "types": ["edge-audit/compliance"],
                "created_time": time_ms,
                "modified_time": time_ms,
            });
            event["compliance"] = json!({
                "control": requirement,
                "desc": c.title,
                "standards": [table.standard],
                "requirements": [requirement],
                "status_id": status_id,
                "checks": c.checks.iter().map(|id| json!({ "uid": id })).collect::<Vec<_>>(),
            });
            event["cloud"] = cloud(account, region);
            event["unmapped"] = json!({
                "findings": c.findings.iter().map(|f| &f.fingerprint).collect::<Vec<_>>(),
                "status": status,
            });
            event
        })
        .collect()
}
