//! The real binary against moto + the emulator extension on the origin locks AWS added since
//! 2024 (issue 14): CloudFront VPC origins, and origin access control on Lambda function URLs. moto 5.2.5 has no VPC origins; the emulator answers
//! ListVpcOrigins / GetVpcOrigin and puts each origin's `VpcOriginConfig` into moto's
//! distribution answers (see tests/moto/README.md, "The emulator").
//!
//! `vpc-origin-good` reaches an internal ALB through a VPC origin (locked); `vpc-origin-bad`
//! reaches an internet-facing ALB through one (locked to nothing) and has an origin through a VPC
//! origin shared from an account outside the scan (not evaluated, naming the account).
//! `oac-lambda-good` locks an AWS_IAM function URL with an OAC that always signs and a policy
//! allowing CloudFront both invoke actions; `oac-lambda-bad` allows only
//! `lambda:InvokeFunctionUrl` (EA114: CloudFront cannot invoke it). moto stores the OAC and the
//! policy but drops the origin's `OriginAccessControlId`, which the emulator puts back.
//!
//! `routing-rule-gate-good` locks a REST API (execute-api disabled) by its custom domain's only
//! routing rule, which requires the header CloudFront sends; `-bad` requires another value
//! (EA305). `multi-tenant-good` has a tenant inheriting the web ACL and one overriding it with
//! its own; in `-bad` that tenant disables it (EA101 on the tenant). `edge-signer-good` signs for
//! an AWS_IAM API with an origin-request Lambda@Edge function (could not verify, low);
//! `-bad` leaves one method at NONE (EA204, EA202). The emulator answers ListRoutingRules and
//! ListDistributionTenants, and puts back the domains' routingMode, the ConnectionMode and the
//! edge-code associations moto drops. `origin-mtls-good`'s trust store comes from the
//! emulator's DescribeTrustStores. `tenant-template-good` has an API origin that is a template
//! (`{{api}}.execute-api…/{{stage}}`) filled per tenant from GetDistributionTenant's
//! `Parameters` and the `TenantConfig` defaults (emulator), both tenants' APIs locked; in `-bad`
//! one tenant's API is open (EA202 naming the tenant's origin).
//!
//! Drift end to end: the live account is changed (moto through boto3, or the emulator's data
//! replaced) between two snapshots, and saved drift, live drift and the classification are
//! asserted both ways — VPC origins, tenants, routing rules (`routing_rules_changed`) and edge
//! signers (`edge_functions_changed`, `authorization_changed`). The shared VPC origin of a
//! second account has its own module, `moto_shared`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::moto_scan::{
    assert_live_drift_unchanged, at_least_medium, finding_keys, findings, live, not_evaluated_keys, owner,
    read, saved_and_live_changes, scenario_identifiers, seeded, snapshot_to, REGIONS,
};
use crate::support::{json, path_str, tempdir};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const VPC_ORIGIN: [&str; 2] = ["vpc-origin-bad", "vpc-origin-good"];
const OAC_LAMBDA: [&str; 2] = ["oac-lambda-bad", "oac-lambda-good"];
/// The account `vpc-origin-bad` shares a VPC origin from (not scanned).
const PARTNER: &str = "999999999999";

fn scenarios(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Every expected check of each `-bad` scenario fired on its resources, and no `-good` one has a
/// finding of medium or above. EA112 is the one exception, as in `moto_scan`: a `-good` scenario
/// subscribes to Shield Advanced, whose answer the SDK cannot parse, so it is *not evaluated*.
fn assert_scenarios_judged(manifest: &Value, report: &Value) {
    let ids = scenario_identifiers(manifest);
    let mut by_scenario: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for finding in findings(report) {
        by_scenario.entry(owner(&ids, finding)).or_default().push(finding);
    }
    let shield_not_evaluated = report["not_evaluated"].as_array().into_iter().flatten().any(|n| {
        n["check_id"] == "EA112" && n["reason"].as_str().is_some_and(|r| r.contains("DescribeSubscription"))
    });
    let mut problems = Vec::new();
    for (name, scenario) in manifest["scenarios"].as_object().expect("no scenarios") {
        let mine = by_scenario.get(name.as_str()).cloned().unwrap_or_default();
        if scenario["variant"] == "bad" {
            let fired: BTreeSet<&str> = mine.iter().filter_map(|f| f["check_id"].as_str()).collect();
            for check in scenario["expected_checks"]
                .as_array()
                .expect("expected_checks")
                .iter()
                .filter_map(Value::as_str)
            {
                let explained = check == "EA112" && shield_not_evaluated;
                if !(fired.contains(check) || explained) {
                    problems.push(format!("{name}: {check} did not fire; fired: {fired:?}"));
                }
            }
        } else {
            for finding in mine.into_iter().filter(|f| at_least_medium(f)) {
                problems.push(format!(
                    "{name}: unexpected {} {}: {}",
                    finding["severity"], finding["check_id"], finding["message"]
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

fn ea106_on<'a>(report: &'a Value, distribution_arn: &str) -> Vec<&'a Value> {
    findings(report)
        .iter()
        .filter(|f| f["check_id"] == "EA106" && f["resource"]["arn"] == distribution_arn)
        .collect()
}

fn distribution_arn(manifest: &Value, scenario: &str) -> String {
    manifest["scenarios"][scenario]["distributions"][0]["arn"].as_str().expect("distribution arn").to_string()
}

/// `scan` live: the VPC origin to an internet-facing ALB is found (EA106 says why, and the ALB is
/// judged like any ALB: EA401/EA404/EA406), the internal one is locked, the shared one is not
/// evaluated with the owner account named.
#[test]
fn vpc_origins_are_judged_by_their_endpoint() {
    let Some((moto, manifest)) = seeded(&scenarios(&VPC_ORIGIN)) else { return };
    let out =
        live(&moto, &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none"]);
    assert_eq!(out.code, 3, "incomplete (the Shield gap), nothing failed\n{}", out.stderr);
    let report = json(&out.stdout);
    assert_scenarios_judged(&manifest, &report);

    let bad = distribution_arn(&manifest, "vpc-origin-bad");
    let vpc = ea106_on(&report, &bad)
        .into_iter()
        .find(|f| f["message"].as_str().is_some_and(|m| m.contains("through a VPC origin")))
        .unwrap_or_else(|| panic!("no EA106 on the bad VPC origin: {:#}", report["findings"]));
    assert!(vpc["message"].as_str().unwrap().contains("internet-facing"), "{}", vpc["message"]);
    let shared: Vec<&Value> = report["not_evaluated"]
        .as_array()
        .expect("not_evaluated")
        .iter()
        .filter(|n| n["check_id"] == "EA106" && n["reason"].as_str().is_some_and(|r| r.contains(PARTNER)))
        .collect();
    assert_eq!(shared.len(), 1, "the shared VPC origin names its account: {:#}", report["not_evaluated"]);
    assert!(shared[0]["scope"].as_str().unwrap().ends_with("/partner"), "{}", shared[0]);
    let good = distribution_arn(&manifest, "vpc-origin-good");
    assert!(ea106_on(&report, &good).is_empty(), "the internal ALB is locked by its VPC origin");
}

/// `snapshot` + `scan --from` report what the live scan reports; the snapshot holds the VPC
/// origins and each origin's `vpc_origin`; `--stats` counts one ListVpcOrigins page and one
/// GetVpcOrigin per VPC origin of the account that a distribution uses.
#[test]
fn vpc_origins_survive_a_snapshot_and_are_read_once_each() {
    let Some((moto, manifest)) = seeded(&scenarios(&VPC_ORIGIN)) else { return };
    let dir = tempdir();
    let inventory = dir.path().join("inv.json");
    let snap = live(&moto, &["snapshot", "--regions", REGIONS, "--output", path_str(&inventory)]);
    assert_eq!(snap.code, 0, "snapshot\n{}", snap.stderr);
    let saved = json(&read(&inventory));
    let account = &saved["accounts"][0];
    let own: BTreeSet<&str> = manifest["scenarios"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|s| s["vpc_origins"].as_array().into_iter().flatten())
        .filter(|v| v["owner"] == crate::support::moto::MOTO_ACCOUNT)
        .filter_map(|v| v["id"].as_str())
        .collect();
    let saved_ids: BTreeSet<&str> = account["vpc_origins"]
        .as_array()
        .expect("vpc_origins")
        .iter()
        .filter_map(|v| v["id"].as_str())
        .collect();
    assert_eq!(saved_ids, own);
    for vpc_origin in account["vpc_origins"].as_array().unwrap() {
        assert!(vpc_origin["endpoint_arn"].as_str().unwrap().contains(":loadbalancer/app/"), "{vpc_origin}");
        assert_eq!(vpc_origin["protocol_policy"], "https-only", "GetVpcOrigin was read: {vpc_origin}");
    }
    let partner = account["distributions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["origins"].as_array().into_iter().flatten())
        .find(|o| o["id"] == "partner")
        .expect("partner origin");
    assert_eq!(partner["vpc_origin"]["owner_account_id"], PARTNER);
    assert!(
        partner.get("custom").is_none_or(Value::is_null),
        "a VPC origin has no CustomOriginConfig: {partner}"
    );

    let from =
        live(&moto, &["scan", "--from", path_str(&inventory), "--format", "json", "--fail-on", "none"]);
    let live_scan = live(
        &moto,
        &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none", "--stats"],
    );
    let (from, live_report) = (json(&from.stdout), json(&live_scan.stdout));
    assert_eq!(finding_keys(&from), finding_keys(&live_report), "scan --from and the live scan differ");
    assert_eq!(not_evaluated_keys(&from), not_evaluated_keys(&live_report));
    let calls = |name: &str| operation_calls(&live_report, name);
    assert_eq!(calls("ListVpcOrigins"), 1, "{:#}", live_report["stats"]);
    assert_eq!(calls("GetVpcOrigin"), own.len() as u64, "{:#}", live_report["stats"]);
}

/// AccessDenied on `cloudfront:ListVpcOrigins` (the emulator's deny mode): the VPC origins are
/// not evaluated, with the operation and the error named, never taken for private ones; the
/// collection failure is reported and the run is incomplete.
#[test]
fn denied_vpc_origins_are_not_evaluated() {
    let Some((moto, manifest)) = seeded(&scenarios(&VPC_ORIGIN)) else { return };
    moto.emulate(&json!({"deny": ["cloudfront:ListVpcOrigins"]}));
    let out =
        live(&moto, &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none"]);
    assert_eq!(out.code, 3, "incomplete\n{}", out.stderr);
    let report = json(&out.stdout);
    let failures = report["accounts"][0]["collection_failures"].as_array().expect("collection_failures");
    assert!(failures.iter().any(|f| f["operation"] == "ListVpcOrigins"), "{failures:#?}");
    let denied: BTreeSet<&str> = report["not_evaluated"]
        .as_array()
        .expect("not_evaluated")
        .iter()
        .filter(|n| {
            n["check_id"] == "EA106"
                && n["reason"]
                    .as_str()
                    .is_some_and(|r| r.contains("ListVpcOrigins") && r.contains("AccessDenied"))
        })
        .filter_map(|n| n["scope"].as_str())
        // Per origin (the framework adds a service-wide entry per CloudFront check).
        .filter(|scope| scope.contains('/'))
        .collect();
    // The two VPC origins of the account; the shared one is named by its owner as before.
    let expected: BTreeSet<String> = ["vpc-origin-bad", "vpc-origin-good"]
        .iter()
        .map(|s| {
            let id = manifest["scenarios"][*s]["distributions"][0]["id"].as_str().unwrap();
            format!("{id}/app")
        })
        .collect();
    assert_eq!(denied, expected.iter().map(String::as_str).collect(), "{:#}", report["not_evaluated"]);
    let bad = distribution_arn(&manifest, "vpc-origin-bad");
    assert!(
        ea106_on(&report, &bad)
            .iter()
            .all(|f| !f["message"].as_str().unwrap_or("").contains("through a VPC origin")),
        "no confident VPC-origin finding without the VPC origins"
    );
}

/// `scan` live and `snapshot` + `scan --from`: the function URL whose policy lacks
/// lambda:InvokeFunction is EA114 (medium, broken not open), the good one is locked; the OACs are
/// read with one ListOriginAccessControls call.
#[test]
fn oac_function_urls_are_judged_with_their_policy() {
    let Some((moto, manifest)) = seeded(&scenarios(&OAC_LAMBDA)) else { return };
    let dir = tempdir();
    let inventory = dir.path().join("inv.json");
    let snap = live(&moto, &["snapshot", "--regions", REGIONS, "--output", path_str(&inventory)]);
    assert_eq!(snap.code, 0, "snapshot\n{}", snap.stderr);
    let saved = json(&read(&inventory));
    let controls = saved["accounts"][0]["origin_access_controls"].as_array().expect("origin_access_controls");
    assert!(
        controls.iter().any(|c| c["origin_type"] == "lambda" && c["signing_behavior"] == "always"),
        "{controls:#?}"
    );

    let out = live(
        &moto,
        &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none", "--stats"],
    );
    assert_eq!(out.code, 3, "incomplete (the Shield gap), nothing failed\n{}", out.stderr);
    let report = json(&out.stdout);
    assert_scenarios_judged(&manifest, &report);
    let bad = distribution_arn(&manifest, "oac-lambda-bad");
    let ea114: Vec<&Value> = findings(&report).iter().filter(|f| f["check_id"] == "EA114").collect();
    assert_eq!(ea114.len(), 1, "{ea114:#?}");
    assert_eq!(ea114[0]["resource"]["arn"], bad.as_str());
    assert_eq!(ea114[0]["severity"], "medium");
    assert_eq!(ea114[0]["evidence"]["missing_actions"], json!(["lambda:InvokeFunction"]));
    let list_calls: u64 = report["stats"]["operations"]
        .as_array()
        .expect("stats")
        .iter()
        .filter(|o| o["operation"] == "ListOriginAccessControls")
        .filter_map(|o| o["calls"].as_u64())
        .sum();
    assert_eq!(list_calls, 1, "{:#}", report["stats"]);

    let from =
        live(&moto, &["scan", "--from", path_str(&inventory), "--format", "json", "--fail-on", "none"]);
    let from = json(&from.stdout);
    assert_eq!(finding_keys(&from), finding_keys(&report), "scan --from and the live scan differ");
}

/// Origin mutual TLS through the real binary: the listener in mode `verify` with a trust store
/// locks the ALB (no EA404/EA405, the guard named in the inventory's perimeter), `passthrough`
/// locks nothing (EA404, EA405); the snapshot holds the origin's client certificate and the
/// listener's mode, and `scan --from` agrees with the live scan.
#[test]
fn origin_mutual_tls_locks_only_where_the_listener_verifies() {
    let Some((moto, manifest)) = seeded(&scenarios(&["origin-mtls-bad", "origin-mtls-good"])) else { return };
    let dir = tempdir();
    let inventory = dir.path().join("inv.json");
    let snap = live(&moto, &["snapshot", "--regions", REGIONS, "--output", path_str(&inventory)]);
    assert_eq!(snap.code, 0, "snapshot\n{}", snap.stderr);
    let saved = json(&read(&inventory));
    let account = &saved["accounts"][0];
    let modes: BTreeSet<String> = account["load_balancers"]
        .as_array()
        .expect("load_balancers")
        .iter()
        .flat_map(|lb| lb["listeners"].as_array().into_iter().flatten())
        .filter_map(|l| l["mutual_authentication"]["mode"].as_str().map(str::to_string))
        .collect();
    assert_eq!(modes, BTreeSet::from(["passthrough".to_string(), "verify".to_string()]));
    let certificates = account["distributions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["origins"].as_array().into_iter().flatten())
        .filter(|o| {
            o["custom"]["client_certificate_arn"].as_str().is_some_and(|a| a.starts_with("arn:aws:acm:"))
        })
        .count();
    assert_eq!(certificates, 2, "both app origins present a client certificate");

    let out =
        live(&moto, &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none"]);
    assert_eq!(out.code, 3, "incomplete (the Shield gap), nothing failed\n{}", out.stderr);
    let report = json(&out.stdout);
    assert_scenarios_judged(&manifest, &report);
    let bad_lb = manifest["scenarios"]["origin-mtls-bad"]["load_balancers"][0]["arn"].as_str().unwrap();
    let ea404 =
        findings(&report).iter().find(|f| f["check_id"] == "EA404").expect("EA404 on the passthrough ALB");
    assert_eq!(ea404["resource"]["arn"], bad_lb);
    assert!(ea404["message"].as_str().unwrap().contains("mode passthrough"), "{}", ea404["message"]);

    let from =
        live(&moto, &["scan", "--from", path_str(&inventory), "--format", "json", "--fail-on", "none"]);
    assert_eq!(
        finding_keys(&json(&from.stdout)),
        finding_keys(&report),
        "scan --from and the live scan differ"
    );
}

/// `drift` over VPC origins: a snapshot of `vpc-origin-good` compared with the live account is
/// unchanged (the VPC origins and the origins' `vpc_origin` round-trip); after the internal ALB's
/// security group opens 443 to the internet, saved and live drift report the same typed change.
#[test]
fn drift_over_vpc_origins_round_trips_and_reports_changes() {
    let Some((moto, manifest)) = seeded(&scenarios(&["vpc-origin-good"])) else { return };
    let dir = tempdir();
    let before = dir.path().join("a.json");
    let after = dir.path().join("b.json");
    snapshot_to(&moto, &before);
    assert_live_drift_unchanged(&moto, &before);

    let group =
        manifest["scenarios"]["vpc-origin-good"]["load_balancers"][0]["security_group"].as_str().unwrap();
    let open = format!(
        "import boto3\nboto3.client('ec2', region_name='eu-west-1', endpoint_url='{}', aws_access_key_id='testing', \
         aws_secret_access_key='testing').authorize_security_group_ingress(GroupId='{group}', IpPermissions=[{{'IpProtocol': \
         'tcp', 'FromPort': 443, 'ToPort': 443, 'IpRanges': [{{'CidrIp': '0.0.0.0/0'}}]}}])",
        moto.endpoint
    );
    let opened = std::process::Command::new(moto.python()).args(["-c", &open]).output().expect("python");
    assert!(opened.status.success(), "boto3: {}", String::from_utf8_lossy(&opened.stderr));
    snapshot_to(&moto, &after);
    let saved = saved_and_live_changes(&moto, &before, &after);
    assert!(saved.iter().any(|(kind, _, id, _)| kind == "sg_ingress_opened" && id == group), "{saved:?}");
}

/// The trust store of a `verify` listener through the real binary: the snapshot holds it as
/// DescribeTrustStores (the emulator) reports it (ACTIVE, one CA certificate); with `elasticloadbalancing:DescribeTrustStores` denied, the verifying ALB of
/// `origin-mtls-good` is not evaluated by EA404 (naming the call and the error), never passed
/// or reported with confidence.
#[test]
fn trust_stores_back_the_mutual_tls_lock_or_leave_it_unverified() {
    let Some((moto, manifest)) = seeded(&scenarios(&["origin-mtls-good"])) else { return };
    let dir = tempdir();
    let inventory = dir.path().join("inv.json");
    let snap = live(&moto, &["snapshot", "--regions", REGIONS, "--output", path_str(&inventory)]);
    assert_eq!(snap.code, 0, "snapshot\n{}", snap.stderr);
    let saved = json(&read(&inventory));
    let stores: Vec<&Value> = saved["accounts"][0]["load_balancers"]
        .as_array()
        .expect("load_balancers")
        .iter()
        .flat_map(|lb| lb["listeners"].as_array().into_iter().flatten())
        .filter_map(|l| {
            l["mutual_authentication"]["trust_store"]
                .as_object()
                .map(|_| &l["mutual_authentication"]["trust_store"])
        })
        .collect();
    assert_eq!(stores.len(), 1, "{:#}", saved["accounts"][0]["load_balancers"]);
    assert_eq!(stores[0]["status"], "ACTIVE");
    assert_eq!(stores[0]["ca_certificates"], 1);

    moto.emulate(&json!({"deny": ["elasticloadbalancing:DescribeTrustStores"]}));
    let out =
        live(&moto, &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none"]);
    assert_eq!(out.code, 3, "incomplete\n{}", out.stderr);
    let report = json(&out.stdout);
    let lb = manifest["scenarios"]["origin-mtls-good"]["load_balancers"][0]["arn"].as_str().unwrap();
    assert!(
        findings(&report).iter().all(|f| !(f["check_id"] == "EA404" && f["resource"]["arn"] == lb)),
        "no confident EA404 without the trust store: {:#}",
        report["findings"]
    );
    let reasons: Vec<&str> = report["not_evaluated"]
        .as_array()
        .expect("not_evaluated")
        .iter()
        .filter(|n| n["check_id"] == "EA404" && n["scope"] == lb)
        .filter_map(|n| n["reason"].as_str())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("DescribeTrustStores") && r.contains("AccessDenied")),
        "{:#}",
        report["not_evaluated"]
    );
}

const EDGE_2025: [&str; 6] = [
    "edge-signer-bad",
    "edge-signer-good",
    "multi-tenant-bad",
    "multi-tenant-good",
    "routing-rule-gate-bad",
    "routing-rule-gate-good",
];

fn tenant_of<'a>(manifest: &'a Value, scenario: &str, suffix: &str) -> &'a Value {
    manifest["scenarios"][scenario]["distribution_tenants"]
        .as_array()
        .expect("distribution_tenants")
        .iter()
        .find(|t| t["domains"][0].as_str().is_some_and(|d| d.starts_with(suffix)))
        .unwrap_or_else(|| panic!("no tenant {suffix} in {scenario}"))
}

/// `scan` live on the routing-rule, tenant and edge-signer scenarios (the emulator answers
/// ListRoutingRules, the domains' routingMode, ListDistributionTenants, ConnectionMode and the
/// edge-code associations moto drops): every `-bad` one is found, no `-good` one has a finding
/// at medium or above. The rule requiring a value CloudFront does not send is EA305 naming the
/// rule; the tenant that disables the web ACL is EA101 on the tenant naming its domains; the
/// Lambda@Edge signer is could-not-verify (EA305 low/low) naming the function.
#[test]
fn routing_rules_tenants_and_edge_signers_are_judged_live() {
    let Some((moto, manifest)) = seeded(&scenarios(&EDGE_2025)) else { return };
    let out =
        live(&moto, &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none"]);
    assert_eq!(out.code, 3, "incomplete (the Shield gap), nothing failed\n{}", out.stderr);
    let report = json(&out.stdout);
    assert_scenarios_judged(&manifest, &report);
    let failures = report["accounts"][0]["collection_failures"].as_array().expect("collection_failures");
    assert!(
        failures.iter().all(|f| f["operation"] == "DescribeSubscription"),
        "only the Shield gap: {failures:#?}"
    );

    let routing_bad = distribution_arn(&manifest, "routing-rule-gate-bad");
    let ea305 = findings(&report)
        .iter()
        .find(|f| f["check_id"] == "EA305" && f["resource"]["arn"] == routing_bad.as_str())
        .unwrap_or_else(|| panic!("no EA305 on the routing rule: {:#}", report["findings"]));
    assert_eq!(ea305["severity"], "high");
    let message = ea305["message"].as_str().unwrap();
    assert!(
        message.contains("routing rule(s) rr01 of custom domain api.routing-rule-gate-bad.example.com"),
        "{message}"
    );

    let shop_b = tenant_of(&manifest, "multi-tenant-bad", "shop-b");
    let ea101: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["check_id"] == "EA101" && f["resource"]["id"] == shop_b["id"])
        .collect();
    assert_eq!(ea101.len(), 1, "{:#}", report["findings"]);
    assert_eq!(ea101[0]["resource"]["type"], "cloudfront/distribution-tenant");
    assert!(
        ea101[0]["message"].as_str().unwrap().contains("www.shop-b.multi-tenant-bad.example.com"),
        "{}",
        ea101[0]["message"]
    );
    let inherit = tenant_of(&manifest, "multi-tenant-bad", "shop-a");
    assert!(
        findings(&report).iter().all(|f| f["resource"]["id"] != inherit["id"]),
        "the tenant inheriting the distribution's ACL is protected"
    );

    let signer_good = distribution_arn(&manifest, "edge-signer-good");
    let signer: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["check_id"] == "EA305" && f["resource"]["arn"] == signer_good.as_str())
        .collect();
    assert_eq!(signer.len(), 1, "{:#}", report["findings"]);
    assert_eq!(
        (signer[0]["severity"].as_str(), signer[0]["confidence"].as_str()),
        (Some("low"), Some("low"))
    );
    assert!(
        signer[0]["message"].as_str().unwrap().contains("function:edge-signer-good-signer"),
        "{}",
        signer[0]
    );
}

/// `snapshot` + `scan --from` report what the live scan reports; the snapshot holds the tenants
/// (web ACL customization, domains, connection group), the multi-tenant distribution's
/// ConnectionMode, the custom domains' routing mode and rules (globs as fingerprints: no secret
/// value in the file) and the edge-code associations; `--stats` counts one
/// ListDistributionTenants page, one ListRoutingRules per routing-rule domain and no
/// GetDistributionTenant (no origin of these is a template: the listing carries what the
/// verdict needs).
#[test]
fn routing_rules_tenants_and_edge_code_survive_a_snapshot_and_are_read_once() {
    let Some((moto, manifest)) = seeded(&scenarios(&EDGE_2025)) else { return };
    let dir = tempdir();
    let inventory = dir.path().join("inv.json");
    let snap = live(&moto, &["snapshot", "--regions", REGIONS, "--output", path_str(&inventory)]);
    assert_eq!(snap.code, 0, "snapshot\n{}", snap.stderr);
    let text = read(&inventory);
    for secret in crate::support::moto::secret_values(&manifest) {
        assert!(!text.contains(&secret), "a secret value is in the snapshot");
    }
    let saved = json(&text);
    let account = &saved["accounts"][0];

    let tenants = account["distribution_tenants"].as_array().expect("distribution_tenants");
    assert_eq!(tenants.len(), 4, "{tenants:#?}");
    let shop_b = tenant_of(&manifest, "multi-tenant-bad", "shop-b");
    let saved_b = tenants.iter().find(|t| t["id"] == shop_b["id"]).expect("shop-b");
    assert_eq!(saved_b["web_acl"]["action"], "disable");
    assert_eq!(saved_b["domains"].as_array().map(Vec::len), Some(2));
    assert!(saved_b["connection_group_id"].as_str().is_some_and(|c| c.starts_with("cg_")), "{saved_b}");
    let good_b = tenant_of(&manifest, "multi-tenant-good", "shop-b");
    let saved_good_b = tenants.iter().find(|t| t["id"] == good_b["id"]).expect("good shop-b");
    assert_eq!(saved_good_b["web_acl"]["action"], "override");
    assert!(saved_good_b["web_acl"]["arn"].as_str().is_some_and(|a| a.contains("tenant-b-acl")));
    let distributions = account["distributions"].as_array().unwrap();
    let by_arn = |arn: &str| distributions.iter().find(|d| d["arn"] == arn).expect("distribution").clone();
    assert_eq!(by_arn(&distribution_arn(&manifest, "multi-tenant-good"))["connection_mode"], "tenant-only");

    let domains = account["domain_names"].as_array().expect("domain_names");
    for variant in ["good", "bad"] {
        let name = format!("api.routing-rule-gate-{variant}.example.com");
        let domain = domains.iter().find(|d| d["name"] == name.as_str()).expect("the custom domain");
        assert_eq!(domain["routing_mode"], "ROUTING_RULE_ONLY");
        let rules = domain["routing_rules"].as_array().expect("routing_rules");
        assert_eq!(rules.len(), 1);
        let header = &rules[0]["conditions"][0]["match_headers"][0];
        assert_eq!(header["header"], "X-Origin-Verify");
        assert!(
            header["literal"]["fingerprint"].as_str().is_some_and(|f| f.starts_with("sha256:")),
            "{header}"
        );
    }

    let signer = by_arn(&distribution_arn(&manifest, "edge-signer-good"));
    let default = &signer["default_behavior"];
    assert_eq!(default["lambda_function_associations"][0]["event_type"], "origin-request");
    assert!(default["lambda_function_associations"][0]["function_arn"]
        .as_str()
        .is_some_and(|a| a.contains(":function:edge-signer-good-signer:")));
    assert_eq!(default["function_associations"][0]["event_type"], "viewer-request");

    let from =
        live(&moto, &["scan", "--from", path_str(&inventory), "--format", "json", "--fail-on", "none"]);
    let live_scan = live(
        &moto,
        &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none", "--stats"],
    );
    let (from, live_report) = (json(&from.stdout), json(&live_scan.stdout));
    assert_eq!(finding_keys(&from), finding_keys(&live_report), "scan --from and the live scan differ");
    assert_eq!(not_evaluated_keys(&from), not_evaluated_keys(&live_report));
    let calls = |name: &str| operation_calls(&live_report, name);
    assert_eq!(calls("ListDistributionTenants"), 1, "{:#}", live_report["stats"]);
    assert_eq!(calls("GetDistributionTenant"), 0, "{:#}", live_report["stats"]);
    assert_eq!(calls("ListRoutingRules"), 2, "{:#}", live_report["stats"]);
}

/// How many calls of `operation` a JSON report's `--stats` counts, over every service and region.
fn operation_calls(report: &Value, operation: &str) -> u64 {
    report["stats"]["operations"]
        .as_array()
        .expect("stats.operations")
        .iter()
        .filter(|o| o["operation"] == operation)
        .filter_map(|o| o["calls"].as_u64())
        .sum()
}

const TENANT_TEMPLATE: [&str; 2] = ["tenant-template-bad", "tenant-template-good"];

/// The REST API of `scenario` whose name ends with `suffix`.
fn rest_api_of<'a>(manifest: &'a Value, scenario: &str, suffix: &str) -> &'a Value {
    manifest["scenarios"][scenario]["rest_apis"]
        .as_array()
        .expect("rest_apis")
        .iter()
        .find(|a| a["name"].as_str().is_some_and(|n| n.ends_with(suffix)))
        .unwrap_or_else(|| panic!("no API {suffix} in {scenario}"))
}

/// `scan` live on the templated-origin scenarios (the emulator puts the
/// `{{api}}.execute-api…/{{stage}}` template into moto's origin, the `TenantConfig` into
/// GetDistributionConfig and the tenants' `Parameters` into GetDistributionTenant): each tenant's
/// origin is filled in and judged. `-bad`'s tenant shop-b reaches an API without the origin web
/// ACL (EA202 naming the tenant's origin); `-good` has nothing at medium or above; no template is
/// left not evaluated. One GetDistributionConfig per templated distribution, one
/// GetDistributionTenant per tenant; a snapshot keeps the parameters and `scan --from` agrees.
#[test]
fn templated_tenant_origins_are_judged_per_tenant_live() {
    let Some((moto, manifest)) = seeded(&scenarios(&TENANT_TEMPLATE)) else { return };
    let out = live(
        &moto,
        &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none", "--stats"],
    );
    assert_eq!(out.code, 3, "incomplete (the Shield gap), nothing failed\n{}", out.stderr);
    let report = json(&out.stdout);
    assert_scenarios_judged(&manifest, &report);
    let failures = report["accounts"][0]["collection_failures"].as_array().expect("collection_failures");
    assert!(
        failures.iter().all(|f| f["operation"] == "DescribeSubscription"),
        "only the Shield gap: {failures:#?}"
    );
    let api_b = rest_api_of(&manifest, "tenant-template-bad", "api-b");
    let shop_b = tenant_of(&manifest, "tenant-template-bad", "shop-b");
    let ea202: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["check_id"] == "EA202" && f["resource"]["id"] == api_b["id"])
        .collect();
    assert_eq!(ea202.len(), 1, "{:#}", report["findings"]);
    let message = ea202[0]["message"].as_str().unwrap();
    assert!(message.contains(shop_b["id"].as_str().unwrap()), "the tenant is named: {message}");
    let api_a = rest_api_of(&manifest, "tenant-template-bad", "api-a");
    assert!(
        findings(&report).iter().all(|f| !(f["resource"]["id"] == api_a["id"] && at_least_medium(f))),
        "shop-a's API (the stage default filled in) is locked: {:#}",
        report["findings"]
    );
    let not_evaluated = report["not_evaluated"].as_array().expect("not_evaluated");
    assert!(
        !not_evaluated.iter().any(|n| n["reason"].as_str().is_some_and(|r| r.contains("template"))),
        "{not_evaluated:#?}"
    );
    let calls = |name: &str| operation_calls(&report, name);
    assert_eq!(calls("GetDistributionConfig"), 2, "{:#}", report["stats"]);
    assert_eq!(calls("GetDistributionTenant"), 4, "{:#}", report["stats"]);

    let dir = tempdir();
    let inventory = dir.path().join("inv.json");
    let snap = live(&moto, &["snapshot", "--regions", REGIONS, "--output", path_str(&inventory)]);
    assert_eq!(snap.code, 0, "snapshot\n{}", snap.stderr);
    let text = read(&inventory);
    for secret in crate::support::moto::secret_values(&manifest) {
        assert!(!text.contains(&secret), "a secret value is in the snapshot");
    }
    let saved = json(&text);
    let account = &saved["accounts"][0];
    let saved_b = account["distribution_tenants"]
        .as_array()
        .expect("distribution_tenants")
        .iter()
        .find(|t| t["id"] == shop_b["id"])
        .expect("shop-b");
    assert_eq!(saved_b["parameters"]["api"], api_b["id"]);
    let distribution = account["distributions"]
        .as_array()
        .expect("distributions")
        .iter()
        .find(|d| d["arn"] == distribution_arn(&manifest, "tenant-template-bad").as_str())
        .expect("the distribution");
    let stage = distribution["tenant_parameters"]
        .as_array()
        .expect("tenant_parameters")
        .iter()
        .find(|p| p["name"] == "stage")
        .expect("stage");
    assert_eq!(stage["default_value"], "prod");
    let from =
        live(&moto, &["scan", "--from", path_str(&inventory), "--format", "json", "--fail-on", "none"]);
    let from = json(&from.stdout);
    assert_eq!(finding_keys(&from), finding_keys(&report), "scan --from and the live scan differ");
    assert_eq!(not_evaluated_keys(&from), not_evaluated_keys(&report));
}

/// GetDistributionTenant denied (the emulator's deny mode): a coverage failure naming each
/// tenant, and each tenant's templated origin not evaluated naming the read, never judged from
/// the template or passed.
#[test]
fn denied_tenant_parameters_are_not_evaluated() {
    let Some((moto, manifest)) = seeded(&scenarios(&["tenant-template-bad"])) else { return };
    moto.emulate(&json!({"deny": ["cloudfront:GetDistributionTenant"]}));
    let out =
        live(&moto, &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none"]);
    assert_eq!(out.code, 3, "incomplete\n{}", out.stderr);
    let report = json(&out.stdout);
    let failures = report["accounts"][0]["collection_failures"].as_array().expect("collection_failures");
    let not_evaluated = report["not_evaluated"].as_array().expect("not_evaluated");
    for suffix in ["shop-a", "shop-b"] {
        let tenant = tenant_of(&manifest, "tenant-template-bad", suffix);
        let arn = tenant["arn"].as_str().unwrap();
        assert!(
            failures.iter().any(|f| f["operation"] == "GetDistributionTenant"
                && f["resource"] == arn
                && f["error"].as_str().is_some_and(|e| e.contains("AccessDenied"))),
            "{suffix}: {failures:#?}"
        );
        assert!(
            not_evaluated.iter().any(|n| n["check_id"] == "EA106"
                && n["scope"] == arn
                && n["reason"].as_str().is_some_and(|r| r.contains("GetDistributionTenant"))),
            "{suffix}: {not_evaluated:#?}"
        );
    }
}

/// AccessDenied on the new listings (the emulator's deny mode): with ListRoutingRules denied the
/// routing-rule domains are a gap naming the call, and the API behind them is not evaluated,
/// never taken as locked or open; with ListDistributionTenants denied EA101 is not evaluated
/// and no tenant finding is made up.
#[test]
fn denied_routing_rules_and_tenants_are_not_evaluated() {
    let Some((moto, manifest)) = seeded(&scenarios(&["multi-tenant-bad", "routing-rule-gate-good"])) else {
        return;
    };
    moto.emulate(&json!({"deny": ["apigateway:ListRoutingRules", "cloudfront:ListDistributionTenants"]}));
    let out =
        live(&moto, &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none"]);
    assert_eq!(out.code, 3, "incomplete\n{}", out.stderr);
    let report = json(&out.stdout);
    let failures = report["accounts"][0]["collection_failures"].as_array().expect("collection_failures");
    for operation in ["ListRoutingRules", "ListDistributionTenants"] {
        assert!(
            failures.iter().any(|f| f["operation"] == operation
                && f["error"].as_str().is_some_and(|e| e.contains("AccessDenied"))),
            "{operation}: {failures:#?}"
        );
    }
    let not_evaluated = report["not_evaluated"].as_array().expect("not_evaluated");
    assert!(
        not_evaluated.iter().any(|n| n["check_id"] == "EA101"
            && n["reason"].as_str().is_some_and(|r| r.contains("ListDistributionTenants"))),
        "{not_evaluated:#?}"
    );
    let shop_b = tenant_of(&manifest, "multi-tenant-bad", "shop-b");
    assert!(findings(&report).iter().all(|f| f["resource"]["id"] != shop_b["id"]), "no tenant finding");
    let api = manifest["scenarios"]["routing-rule-gate-good"]["rest_apis"][0]["id"].as_str().unwrap();
    assert!(
        findings(&report).iter().all(|f| !(f["resource"]["id"] == api && at_least_medium(f))),
        "no confident finding on the API without its routing rules: {:#}",
        report["findings"]
    );
    assert!(
        not_evaluated.iter().any(|n| n["reason"].as_str().is_some_and(|r| r.contains("ListRoutingRules"))),
        "{not_evaluated:#?}"
    );
}

/// `drift` over tenants: a snapshot of `multi-tenant-good` against the live account is
/// unchanged; once the second tenant's web ACL customization becomes `disable` (the emulator's
/// scenario data replaced), saved and live drift report the same `web_acl_removed` change on
/// the tenant, classified weakened.
#[test]
fn drift_over_tenants_round_trips_and_reports_a_disabled_web_acl() {
    let Some((moto, manifest)) = seeded(&scenarios(&["multi-tenant-good"])) else { return };
    let dir = tempdir();
    let before = dir.path().join("a.json");
    let after = dir.path().join("b.json");
    snapshot_to(&moto, &before);
    assert_live_drift_unchanged(&moto, &before);

    // The emulator appends list items: replace its data with the scenario's, tenant b disabled.
    let shop_b = tenant_of(&manifest, "multi-tenant-good", "shop-b")["id"].as_str().unwrap().to_string();
    let mut emulated = manifest["scenarios"]["multi-tenant-good"]["emulated"].clone();
    for tenant in emulated["cloudfront"]["distribution_tenants"].as_array_mut().expect("tenants") {
        if tenant["Id"] == shop_b.as_str() {
            tenant["Customizations"] = json!({"WebAcl": {"Action": "disable"}});
        }
    }
    moto.emulate_reset();
    moto.emulate(&emulated);
    snapshot_to(&moto, &after);
    let saved = saved_and_live_changes(&moto, &before, &after);
    assert!(
        saved
            .iter()
            .any(|(kind, class, id, _)| kind == "web_acl_removed" && class == "weakened" && *id == shop_b),
        "{saved:?}"
    );
}

/// The live account's emulator data replaced by `document` (the emulator appends list items, so
/// it is reset first; moto's resources are kept).
fn replace_emulated(moto: &crate::support::moto::MotoServer, document: &Value) {
    moto.emulate_reset();
    moto.emulate(document);
}

/// `drift --baseline a --current b` as JSON, exit code asserted.
fn saved_drift(
    moto: &crate::support::moto::MotoServer,
    a: &std::path::Path,
    b: &std::path::Path,
    code: i32,
) -> Value {
    let out = live(moto, &["drift", "--baseline", path_str(a), "--current", path_str(b), "--format", "json"]);
    assert_eq!(out.code, code, "drift {} -> {}\n{}{}", a.display(), b.display(), out.stdout, out.stderr);
    json(&out.stdout)
}

/// `drift` over routing rules, end to end: a snapshot of `routing-rule-gate-good` against the
/// live account is unchanged; once its domain's only rule requires another value than the one
/// the distribution sends (the `-bad` shape, the emulator's routing rules replaced), saved and
/// live drift report one `routing_rules_changed` on the custom domain, classified weakened with
/// the EA305 that appeared on the distribution (exit 1, no glob in the output); the account put
/// back, drift from the bad snapshot reports the same change strengthened, EA305 disappeared.
#[test]
fn drift_over_routing_rules_reports_a_gate_weakened_and_strengthened() {
    let name = "routing-rule-gate-good";
    let Some((moto, manifest)) = seeded(&scenarios(&[name])) else { return };
    let domain = format!("api.{name}.example.com");
    let distribution = distribution_arn(&manifest, name);
    let dir = tempdir();
    let (good, bad) = (dir.path().join("good.json"), dir.path().join("bad.json"));
    snapshot_to(&moto, &good);
    assert_live_drift_unchanged(&moto, &good);

    let original = manifest["scenarios"][name]["emulated"].clone();
    let mut changed = original.clone();
    let other_value = "a-value-cloudfront-does-not-send-0123456789abcdef";
    changed["apigateway"]["routing_rules"][domain.as_str()][0]["conditions"][0]["matchHeaders"]["anyOf"][0]
        ["valueGlob"] = json!(other_value);
    replace_emulated(&moto, &changed);
    snapshot_to(&moto, &bad);
    let weakened = saved_and_live_changes(&moto, &good, &bad);
    let expected =
        ("routing_rules_changed".to_string(), "weakened".to_string(), domain.clone(), String::new());
    assert_eq!(weakened, BTreeSet::from([expected]), "only the routing rule changed");
    let report = saved_drift(&moto, &good, &bad, 1);
    let text = report.to_string();
    assert!(!text.contains(other_value), "a routing rule's glob is a secret: only fingerprints");
    for secret in crate::support::moto::secret_values(&manifest) {
        assert!(!text.contains(&secret), "a secret value is in the drift report");
    }
    let change = &report["changes"][0];
    assert_eq!(change["resource"]["type"], "apigateway/domainname", "{change:#}");
    assert!(change["summary"].as_str().unwrap().contains("changed rr01"), "{}", change["summary"]);
    let appeared: Vec<&Value> = change["appeared"].as_array().expect("appeared").iter().collect();
    assert!(
        appeared.iter().any(|f| f["check_id"] == "EA305" && f["resource"] == distribution.as_str()),
        "EA305 on the distribution belongs to the change: {change:#}"
    );
    assert_ne!(
        change["before"]["routing_rules"], change["after"]["routing_rules"],
        "the rule's fingerprint changed: {change:#}"
    );

    replace_emulated(&moto, &original);
    assert_live_drift_unchanged(&moto, &good);
    let strengthened = saved_and_live_changes(&moto, &bad, &good);
    let expected = ("routing_rules_changed".to_string(), "strengthened".to_string(), domain, String::new());
    assert_eq!(strengthened, BTreeSet::from([expected]));
    let report = saved_drift(&moto, &bad, &good, 0);
    assert!(
        report["changes"][0]["disappeared"]
            .as_array()
            .expect("disappeared")
            .iter()
            .any(|f| f["check_id"] == "EA305" && f["resource"] == distribution.as_str()),
        "{:#}",
        report["changes"][0]
    );
}

/// `GET /orders/{id}` of `edge-signer-good`'s API set to authorization `auth` with boto3 (moto
/// 5.2.5 has no UpdateMethod: the method is put again, its integration put back as it was).
fn set_orders_id_auth(moto: &crate::support::moto::MotoServer, api: &str, auth: &str) {
    let code = format!(
        "import boto3\nc = boto3.client('apigateway', region_name='us-east-1', endpoint_url='{}', \
         aws_access_key_id='testing', aws_secret_access_key='testing')\n\
         r = next(r for r in c.get_resources(restApiId='{api}')['items'] if r['path'] == '/orders/{{id}}')\n\
         m = dict(restApiId='{api}', resourceId=r['id'], httpMethod='GET')\n\
         i = c.get_integration(**m)\n\
         c.put_method(authorizationType='{auth}', **m)\n\
         extra = {{'uri': i['uri']}} if 'uri' in i else {{}}\n\
         extra.update({{'integrationHttpMethod': i['httpMethod']}} if 'httpMethod' in i else {{}})\n\
         c.put_integration(type=i['type'], **m, **extra)\n\
         assert c.get_method(**m)['authorizationType'] == '{auth}'\n\
         assert c.get_integration(**m).get('uri') == i.get('uri')",
        moto.endpoint
    );
    let out = std::process::Command::new(moto.python()).args(["-c", &code]).output().expect("python");
    assert!(out.status.success(), "boto3: {}", String::from_utf8_lossy(&out.stderr));
}

/// `drift` over edge signers, end to end, on `edge-signer-good`: unchanged against the live
/// account; the `-bad` shape (`GET /orders/{id}` authorization NONE, callable around the
/// signer) is one `authorization_changed`, weakened, and undoing it strengthened; the
/// origin-request signer removed from the default behavior (the emulator's edge-code
/// associations replaced) is one `edge_functions_changed` on the distribution naming the
/// function, classified as the scans of both sides differ, and putting it back the reverse.
#[test]
fn drift_over_edge_signers_reports_the_signer_and_the_methods_it_signs_for() {
    let name = "edge-signer-good";
    let Some((moto, manifest)) = seeded(&scenarios(&[name])) else { return };
    let api = manifest["scenarios"][name]["rest_apis"][0]["id"].as_str().unwrap().to_string();
    let distribution = distribution_arn(&manifest, name);
    let distribution_id = manifest["scenarios"][name]["distributions"][0]["id"].as_str().unwrap().to_string();
    let dir = tempdir();
    let (good, open, unsigned) =
        (dir.path().join("good.json"), dir.path().join("open.json"), dir.path().join("unsigned.json"));
    snapshot_to(&moto, &good);
    assert_live_drift_unchanged(&moto, &good);

    set_orders_id_auth(&moto, &api, "NONE");
    snapshot_to(&moto, &open);
    let weakened = saved_and_live_changes(&moto, &good, &open);
    let expected: BTreeSet<(String, String, String, String)> = BTreeSet::from([(
        "authorization_changed".to_string(),
        "weakened".to_string(),
        api.clone(),
        "GET /orders/{id}".to_string(),
    )]);
    assert_eq!(weakened, expected);
    set_orders_id_auth(&moto, &api, "AWS_IAM");
    let strengthened = saved_and_live_changes(&moto, &open, &good);
    assert_eq!(
        strengthened
            .iter()
            .map(|(k, c, id, d)| (k.as_str(), c.as_str(), id.as_str(), d.as_str()))
            .collect::<Vec<_>>(),
        vec![("authorization_changed", "strengthened", api.as_str(), "GET /orders/{id}")]
    );
    assert_live_drift_unchanged(&moto, &good);

    // The signer removed: the default behavior keeps its CloudFront Function only.
    let original = manifest["scenarios"][name]["emulated"].clone();
    let mut changed = original.clone();
    changed["cloudfront"]["behaviors"][distribution_id.as_str()]["*"]["set"]["LambdaFunctionAssociations"] =
        json!({"Quantity": 0});
    replace_emulated(&moto, &changed);
    snapshot_to(&moto, &unsigned);
    let removed = saved_and_live_changes(&moto, &good, &unsigned);
    let expected = BTreeSet::from([(
        "edge_functions_changed".to_string(),
        "weakened".to_string(),
        distribution_id.clone(),
        "behavior *".to_string(),
    )]);
    assert_eq!(removed, expected, "only the signer changed");
    let report = saved_drift(&moto, &good, &unsigned, 1);
    let change = &report["changes"][0];
    assert_eq!(change["resource"]["arn"], distribution.as_str());
    let summary = change["summary"].as_str().unwrap();
    assert!(
        summary.contains("no longer runs lambda@edge edge-signer-good-signer:1 on origin-request"),
        "{summary}"
    );
    let kinds = |side: &Value| -> Vec<(String, String)> {
        side.as_array()
            .expect("associations")
            .iter()
            .map(|a| (a["kind"].as_str().unwrap().to_string(), a["event_type"].as_str().unwrap().to_string()))
            .collect()
    };
    assert_eq!(
        kinds(&change["before"]),
        [("lambda@edge", "origin-request"), ("cloudfront-function", "viewer-request")]
            .map(|(k, e)| (k.to_string(), e.to_string()))
    );
    assert_eq!(kinds(&change["after"]), [("cloudfront-function".to_string(), "viewer-request".to_string())]);
    // Weakened by what the scans say: the API is no longer locked by a signature (EA106 on
    // the distribution, EA202 on the API it reaches), and the could-not-verify signer is gone.
    let checks = |list: &Value| -> BTreeSet<(String, String)> {
        list.as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (f["check_id"].as_str().unwrap().to_string(), f["resource"].as_str().unwrap().to_string())
            })
            .collect()
    };
    let api_arn = format!("arn:aws:apigateway:us-east-1::/restapis/{api}");
    let appeared = checks(&change["appeared"]);
    for check in [("EA106", distribution.as_str()), ("EA202", api_arn.as_str())] {
        assert!(appeared.contains(&(check.0.to_string(), check.1.to_string())), "{check:?}: {change:#}");
    }
    assert!(
        checks(&change["disappeared"]).contains(&("EA305".to_string(), distribution.clone())),
        "{change:#}"
    );
    assert_eq!(report["unattributed"]["appeared"], json!([]), "every new finding belongs to the change");

    replace_emulated(&moto, &original);
    let back = saved_and_live_changes(&moto, &unsigned, &good);
    let expected = BTreeSet::from([(
        "edge_functions_changed".to_string(),
        "strengthened".to_string(),
        distribution_id,
        "behavior *".to_string(),
    )]);
    assert_eq!(back, expected);
    assert!(saved_drift(&moto, &unsigned, &good, 0)["changes"][0]["summary"]
        .as_str()
        .unwrap()
        .contains("now runs lambda@edge edge-signer-good-signer:1 on origin-request"),);
}
