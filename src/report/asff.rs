//! `--format asff`: the AWS Security Finding Format, as `securityhub:BatchImportFindings` takes
//! it (`{"Findings": [...]}`, the `--cli-input-json` shape of `aws securityhub
//! batch-import-findings`). edge-audit never calls Security Hub itself; importing is an optional
//! workflow step (README, "Use it with Security Hub").
//!
//! Every finding's `Id` is derived from its fingerprint (`edge-audit/<account>/<check>/<fingerprint>`),
//! so a re-import updates the finding instead of adding a duplicate. `ProductArn` is the
//! account's default product (`product/<account>/default`) in `--security-hub-region`: Security
//! Hub accepts findings of an account from that account. Field lengths are held to the API's
//! limits (Title 256, Description 1024, Remediation text 512, product field values 2048).

use super::compliance::{ComplianceTable, ControlVerdict};
use super::text::truncate;
use super::{Report, ReportFinding, TOOL_NAME};
use edge_audit_checks::Severity;
use serde_json::{json, Map, Value};

/// The default of `--security-hub-region`.
pub const DEFAULT_REGION: &str = "us-east-1";

/// ASFF's schema version (the only one).
const SCHEMA_VERSION: &str = "2018-10-08";

/// The finding type of every edge-audit finding (ASFF types taxonomy).
const FINDING_TYPE: &str = "Software and Configuration Checks/AWS Security Best Practices";

pub fn render(report: &Report) -> Result<String, super::RenderError> {
    super::rendered_text("ASFF report", |out| write(report, out))
}

/// Streams `{"Findings": [...]}` to `out`, one finding at a time (the same text as [`render`]).
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Import<T> {
        #[serde(rename = "Findings")]
        findings: T,
    }
    let observed = report.observed_at();
    let observed = observed.as_str();
    let findings = report.each_finding().map(|f| f.map(|f| finding(report, &f, observed)));
    let controls = report.compliance_framework().into_iter().flat_map(move |framework| {
        super::sarif::run_accounts(report).into_iter().flat_map(move |account| {
            let table = ComplianceTable::build(report, framework, Some(account));
            control_findings(report, &table, account, observed).into_iter().map(Ok)
        })
    });
    let import = Import { findings: super::JsonSeq::new(findings.chain(controls)) };
    super::write_json("ASFF report", &import, out)
}

/// ASFF severity label.
pub fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
        Severity::Info => "INFORMATIONAL",
    }
}

/// The ASFF resource type of an edge-audit resource type (`Other` when ASFF has none).
pub fn resource_type(resource_type: &str) -> &'static str {
    match resource_type {
        "cloudfront/distribution" => "AwsCloudFrontDistribution",
        "wafv2/webacl" => "AwsWafv2WebAcl",
        "apigateway/restapi" => "AwsApiGatewayRestApi",
        "apigatewayv2/api" => "AwsApiGatewayV2Api",
        "ec2/security-group" => "AwsEc2SecurityGroup",
        "ec2/instance" => "AwsEc2Instance",
        "elasticloadbalancing/loadbalancer" => "AwsElbv2LoadBalancer",
        "lambda/function" => "AwsLambdaFunction",
        _ => "Other",
    }
}

/// The partition of `account` in the report (`aws` when unknown).
pub fn partition<'a>(report: &'a Report, account: &str) -> &'a str {
    report.accounts.iter().find(|a| a.account_id == account).map(|a| a.partition.as_str()).unwrap_or("aws")
}

/// The region a global resource (CloudFront, its web ACLs) is recorded in: its partition's.
pub fn region_of<'a>(region: &'a str, partition: &str) -> &'a str {
    if region != "global" {
        return region;
    }
    match partition {
        "aws-cn" => "cn-northwest-1",
        "aws-us-gov" => "us-gov-west-1",
        _ => "us-east-1",
    }
}

/// The stable ASFF id of a finding.
pub fn finding_id(finding: &ReportFinding) -> String {
    format!("edge-audit/{}/{}/{}", finding.resource.account, finding.check_id, finding.fingerprint)
}

fn product_arn(report: &Report, account: &str) -> String {
    format!(
        "arn:{}:securityhub:{}:{account}:product/{account}/default",
        partition(report, account),
        report.security_hub_region
    )
}

fn finding(report: &Report, f: &ReportFinding, observed: &str) -> Value {
    let account = f.resource.account.as_str();
    let partition = partition(report, account);
    let region = region_of(&f.resource.region, partition);
    let requirements: Vec<String> = edge_audit_checks::compliance::controls(&f.check_id)
        .iter()
        .map(|c| c.framework.requirement(c.id))
        .take(32)
        .collect();
    let mut fields = Map::new();
    let mut field = |key: &str, value: String| {
        fields.insert(format!("edge-audit/{key}"), Value::String(truncate(&value, 2048)));
    };
    field("CheckId", f.check_id.clone());
    field("Slug", f.slug.clone());
    field("Fingerprint", f.fingerprint.clone());
    field("Confidence", f.confidence.as_str().to_string());
    field("ResourceArn", f.resource.arn.clone());
    // The evidence is secret-free by construction (fingerprints and lengths, never values).
    field("Evidence", f.evidence.to_string());
    let label = severity_label(f.severity);
    let mut resource = json!({
        "Type": resource_type(&f.resource.resource_type),
        "Id": f.resource.arn,
        "Partition": partition,
        "Region": region,
    });
    if let Some(name) = &f.resource.name {
        resource["Details"] = json!({ "Other": { "Name": truncate(name, 1024) } });
    }
    let mut compliance = json!({ "Status": "FAILED" });
    if !requirements.is_empty() {
        compliance["RelatedRequirements"] = json!(requirements);
    }
    json!({
        "SchemaVersion": SCHEMA_VERSION,
        "Id": finding_id(f),
        "ProductArn": product_arn(report, account),
        "ProductName": TOOL_NAME,
        "CompanyName": TOOL_NAME,
        "GeneratorId": format!("edge-audit/{}", f.check_id),
        "AwsAccountId": account,
        "Region": region,
        "Types": [FINDING_TYPE],
        "CreatedAt": observed,
        "UpdatedAt": observed,
        "Severity": { "Label": label },
        "FindingProviderFields": { "Severity": { "Label": label }, "Types": [FINDING_TYPE] },
        "Title": truncate(&format!("{} {}", f.check_id, f.title), 256),
        "Description": truncate(&f.message, 1024),
        "Remediation": { "Recommendation": { "Text": truncate(&f.remediation.replace('\n', " "), 512) } },
        "ProductFields": fields,
        "Resources": [resource],
        "Compliance": compliance,
        "RecordState": "ACTIVE",
    })
}

/// One ASFF finding per control of the account's compliance table (`--compliance`), with the
/// control's status as `Compliance.Status`: PASSED, FAILED, or WARNING for not evaluated
/// (Security Hub's "some information is missing").
fn control_findings(report: &Report, table: &ComplianceTable, account: &str, observed: &str) -> Vec<Value> {
    let partition = partition(report, account);
    let region = region_of("global", partition);
    table
        .controls
        .iter()
        .map(|c| {
            let (status, label, description) = match c.status {
                ControlVerdict::Pass => (
                    "PASSED",
                    "INFORMATIONAL",
                    format!("Checks {} found nothing for this control.", c.checks.join(", ")),
                ),
                ControlVerdict::Fail => (
                    "FAILED",
                    c.findings
                        .iter()
                        .map(|f| f.severity)
                        .max()
                        .map(severity_label)
                        .unwrap_or("INFORMATIONAL"),
                    format!("{} finding(s) of checks {}.", c.findings.len(), c.checks.join(", ")),
                ),
                ControlVerdict::NotEvaluated => {
                    ("WARNING", "INFORMATIONAL", format!("Not evaluated: {}.", c.reasons.join("; ")))
                }
            };
            let requirement = table.framework.requirement(c.id);
            json!({
                "SchemaVersion": SCHEMA_VERSION,
                "Id": format!("edge-audit/{account}/compliance/{}/{}", table.framework, c.id),
                "ProductArn": product_arn(report, account),
                "ProductName": TOOL_NAME,
                "CompanyName": TOOL_NAME,
                "GeneratorId": format!("edge-audit/compliance/{}/{}", table.framework, c.id),
                "AwsAccountId": account,
                "Region": region,
                "Types": [FINDING_TYPE],
                "CreatedAt": observed,
                "UpdatedAt": observed,
                "Severity": { "Label": label },
                "FindingProviderFields": { "Severity": { "Label": label }, "Types": [FINDING_TYPE] },
                "Title": truncate(&format!("{} {}: {}", table.standard, c.id, c.title), 256),
                "Description": truncate(&description, 1024),
                "Resources": [{
                    "Type": "AwsAccount",
                    "Id": format!("AWS::::Account:{account}"),
                    "Partition": partition,
                    "Region": region,
                }],
                "Compliance": { "Status": status, "RelatedRequirements": [requirement] },
                "RecordState": "ACTIVE",
            })
        })
        .collect()
}
