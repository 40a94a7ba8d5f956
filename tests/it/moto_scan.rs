//! The real binary against moto: `scan` live, `snapshot` + `scan --from`, the GitHub Action's
//! scan step, live and saved `drift`, and `--stats`, on the perimeters `tests/moto/seed.py`
//! builds (its manifest says which resources belong to which scenario and which checks each
//! `-bad` scenario must trigger).
//!
//! Each test starts its own moto server (no shared state): the forty-two scenarios (twenty-one
//! architectures; `second-account-origin` has its own two-account test) are seeded once per
//! server and the binary reaches moto through `AWS_ENDPOINT_URL`, with dummy credentials and no
//! profile or shared config file.
//!
//! moto 5.2.5 cannot hold every setting that makes a `-good` scenario good: the findings this
//! causes are tolerated one (scenario, check, resource) at a time in [`GOOD_GAPS`], each with the
//! moto gap that explains it, and each entry must still be needed (a stale entry fails).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::sarif_validation::{validate, validator};
use crate::support::moto::{secret_values, MotoServer, MOTO_ACCOUNT};
use crate::support::{edge_audit, json, path_str, require, root, tempdir, write, Run};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub(crate) const REGIONS: &str = "us-east-1,eu-west-1";
const REGION_COUNT: u64 = 2;

const ARCHITECTURES: [&str; 21] = [
    "apigw-ip-allowlist",
    "apigw-regional-waf-header",
    "apigw-api-key",
    "alb-prefix-list-header",
    "sigv4-lambda-edge",
    // Gates as AWS evaluates them (issue #13).
    "regex-pattern-set",
    "regex-unanchored-fragment",
    "regex-look-ahead",
    "byte-match-transformed",
    "headers-field-gate",
    "rule-group-gate",
    "rule-group-wrong-header",
    "alb-wildcard-presence",
    "alb-wildcard-secret",
    "http-listener-forwards",
    "split-cidr-open",
    "dual-stack-sg",
    "lambda-authorizer-header",
    "second-stage",
    "custom-domain-default-endpoint",
    "alb-regex-header",
];

/// One run of the binary may take this long (a live scan of the forty-two scenarios takes ~15 s).
const RUN_TIMEOUT: Duration = Duration::from_secs(180);

/// `<arch>-bad` and `<arch>-good` of every architecture, in a fixed order.
fn all_scenarios() -> Vec<String> {
    ARCHITECTURES.iter().flat_map(|a| [format!("{a}-bad"), format!("{a}-good")]).collect()
}

/// A moto server seeded with `scenarios`, or `None` when moto is missing (skipped locally).
pub(crate) fn seeded(scenarios: &[String]) -> Option<(MotoServer, Value)> {
    let moto = MotoServer::start_or_skip()?;
    let names: Vec<&str> = scenarios.iter().map(String::as_str).collect();
    let manifest = moto.seed(&names);
    Some((moto, manifest))
}

/// The account ids a JSON report says it scanned.
pub(crate) fn scanned_accounts(report: &Value) -> BTreeSet<&str> {
    report["accounts"].as_array().expect("accounts").iter().filter_map(|a| a["account_id"].as_str()).collect()
}

/// The environment that points the AWS SDK of the binary at moto, and at nothing else.
fn moto_env(moto: &MotoServer) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", moto.endpoint.clone()),
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        // No developer configuration may leak in.
        ("AWS_CONFIG_FILE", "/nonexistent/edge-audit-test/config".into()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/edge-audit-test/credentials".into()),
    ]
}

/// Variables removed from the binary's environment (they would override moto's configuration).
const UNSET: [&str; 7] = [
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_DEFAULT_REGION",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
];

/// Runs the real binary against moto.
pub(crate) fn live(moto: &MotoServer, args: &[&str]) -> Run {
    let mut cmd = edge_audit();
    for var in UNSET {
        cmd.env_remove(var);
    }
    cmd.envs(moto_env(moto)).args(args).timeout(RUN_TIMEOUT);
    let output = cmd.output().unwrap_or_else(|e| panic!("cannot run edge-audit {args:?}: {e}"));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Fails when any secret value of the manifest appears in `text`.
pub(crate) fn assert_no_secret(manifest: &Value, what: &str, text: &str) {
    let secrets = secret_values(manifest);
    assert!(!secrets.is_empty(), "the manifest lists no secret values: the check would be vacuous");
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "{what} contains the secret value {secret:?}");
    }
}

// --- Which scenario a finding belongs to ---------------------------------------------------------

/// Manifest keys whose string values identify a resource (ids, ARNs, names).
const IDENTIFYING_KEYS: [&str; 8] =
    ["id", "arn", "ids", "name", "stage_arn", "stage_arns", "security_group", "version_arn"];

fn identifiers(value: &Value, key: Option<&str>, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                // Mistakes and secret headers describe, they do not identify.
                if key.is_none() && (k == "mistakes" || k == "secret_headers") {
                    continue;
                }
                identifiers(v, Some(k), out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| identifiers(v, key, out)),
        Value::String(s) if key.is_some_and(|k| IDENTIFYING_KEYS.contains(&k)) => {
            out.insert(s.clone());
        }
        _ => {}
    }
}

/// Every id, ARN and name of every scenario's resources.
pub(crate) fn scenario_identifiers(manifest: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let scenarios = manifest["scenarios"].as_object().expect("manifest without scenarios");
    scenarios
        .iter()
        .map(|(name, scenario)| {
            let mut ids = BTreeSet::new();
            identifiers(scenario, None, &mut ids);
            (name.clone(), ids)
        })
        .collect()
}

/// The scenario a finding's resource belongs to (by ARN or id). Every finding must belong to
/// exactly one: an unattributed finding could hide a finding on a `-good` scenario.
pub(crate) fn owner<'a>(ids: &'a BTreeMap<String, BTreeSet<String>>, finding: &Value) -> &'a str {
    let resource = &finding["resource"];
    let keys = [resource["arn"].as_str().unwrap_or(""), resource["id"].as_str().unwrap_or("")];
    let owners: Vec<&str> = ids
        .iter()
        .filter(|(_, set)| keys.iter().any(|k| !k.is_empty() && set.contains(*k)))
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        owners.len() == 1,
        "finding {} on {} belongs to {} scenarios ({owners:?}), not exactly one",
        finding["check_id"],
        resource,
        owners.len()
    );
    owners[0]
}

pub(crate) fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().unwrap_or_else(|| panic!("report without findings: {report}"))
}

pub(crate) fn at_least_medium(finding: &Value) -> bool {
    matches!(finding["severity"].as_str(), Some("critical" | "high" | "medium"))
}

// --- moto gaps ----------------------------------------------------------------------------------

/// A manifest resource of one scenario.
#[derive(Debug, Clone, Copy)]
enum Of {
    /// The scenario's only distribution.
    Distribution,
    /// The REST API of that name.
    RestApi(&'static str),
}

/// A finding on a `-good` scenario that a named moto gap explains.
struct Gap {
    scenario: &'static str,
    check: &'static str,
    resource: Of,
    why: &'static str,
}

/// The Lambda@Edge SigV4 signer of `sigv4-lambda-edge-good` lives only in the manifest.
const NO_SIGNER: &str = "moto 5.2.5 drops DistributionConfig.DefaultCacheBehavior/CacheBehaviors \
     LambdaFunctionAssociations (always Quantity 0): the Lambda@Edge origin-request SigV4 signer \
     is invisible, so the AWS_IAM API is not locked to the distribution";

/// Every finding of medium or above that a `-good` scenario may have against moto.
const GOOD_GAPS: [Gap; 3] = [
    Gap { scenario: "sigv4-lambda-edge-good", check: "EA106", resource: Of::Distribution, why: NO_SIGNER },
    Gap {
        scenario: "sigv4-lambda-edge-good",
        check: "EA202",
        resource: Of::RestApi("sigv4-lambda-edge-good-petstore"),
        why: NO_SIGNER,
    },
    Gap {
        scenario: "sigv4-lambda-edge-good",
        check: "EA203",
        resource: Of::RestApi("sigv4-lambda-edge-good-petstore"),
        why: "follows from the missing signer (see EA202): an API not locked to a distribution is \
              internet-facing, and its stage has no web ACL of its own (by design: AWS_IAM + signer)",
    },
];

/// An expected check of the `-bad` scenarios that cannot fire against moto, and the
/// not-evaluated entry that must replace it (fail closed, never silently clean).
struct MissingGap {
    check: &'static str,
    /// A substring of the reason of the check's not-evaluated entry.
    not_evaluated_because: &'static str,
    why: &'static str,
}

const BAD_GAPS: [MissingGap; 1] = [MissingGap {
    check: "EA112",
    not_evaluated_because: "DescribeSubscription",
    why: "the -good scenarios subscribe the account to Shield Advanced, and moto's \
          DescribeSubscription answer (StartTime \"21/11/2026, 06:06:35\") cannot be parsed by the \
          AWS SDK for Rust: Shield is not collected and EA112 is not evaluated for the whole account",
}];

fn gap_resource_matches(scenario: &Value, of: Of, finding: &Value) -> bool {
    let arn = finding["resource"]["arn"].as_str().unwrap_or("");
    match of {
        Of::Distribution => {
            let distributions = scenario["distributions"].as_array().expect("no distributions");
            assert_eq!(distributions.len(), 1, "Of::Distribution needs exactly one distribution");
            distributions[0]["arn"].as_str() == Some(arn)
        }
        Of::RestApi(name) => scenario["rest_apis"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|api| api["name"].as_str() == Some(name) && finding["resource"]["id"] == api["id"]),
    }
}

// --- 1. live scan of every scenario ----------------------------------------------------------

/// `scan` live over both regions: every planted mistake of each `-bad` scenario is found on a
/// resource of that scenario, the `-good` scenarios have nothing of medium or above (but the
/// moto gaps), no secret value is printed, and the Shield gap is reported as not evaluated.
#[test]
fn live_scan_finds_every_planted_mistake_and_nothing_on_good_perimeters() {
    let Some((moto, manifest)) = seeded(&all_scenarios()) else { return };
    let out =
        live(&moto, &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none"]);
    assert_no_secret(&manifest, "stdout of scan", &out.stdout);
    assert_no_secret(&manifest, "stderr of scan", &out.stderr);
    // Nothing fails with --fail-on none, but the audit is incomplete (the Shield gap): exit 3.
    assert_eq!(out.code, 3, "scan exit code (3: incomplete, nothing failed)\n{}", out.stderr);
    let report = json(&out.stdout);
    let not_evaluated = report["not_evaluated"].as_array().expect("no not_evaluated");
    for gap in &BAD_GAPS {
        assert!(
            not_evaluated.iter().any(|n| n["check_id"] == gap.check
                && n["reason"].as_str().is_some_and(|r| r.contains(gap.not_evaluated_because))),
            "{} should be not evaluated because of {} ({}): {not_evaluated:#?}",
            gap.check,
            gap.not_evaluated_because,
            gap.why
        );
    }
    let failures = &report["accounts"][0]["collection_failures"];
    assert_eq!(
        failures.as_array().map(Vec::len),
        Some(1),
        "the only part moto cannot serve is Shield DescribeSubscription: {failures:#}"
    );
    assert_eq!(failures[0]["operation"], "DescribeSubscription", "{failures:#}");

    let ids = scenario_identifiers(&manifest);
    let mut by_scenario: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for finding in findings(&report) {
        by_scenario.entry(owner(&ids, finding)).or_default().push(finding);
    }

    let mut problems = Vec::new();
    let mut gaps_used = vec![false; GOOD_GAPS.len()];
    for (name, scenario) in manifest["scenarios"].as_object().expect("no scenarios") {
        let mine = by_scenario.get(name.as_str()).cloned().unwrap_or_default();
        match scenario["variant"].as_str() {
            Some("bad") => {
                let fired: BTreeSet<&str> = mine.iter().filter_map(|f| f["check_id"].as_str()).collect();
                let expected = scenario["expected_checks"].as_array().expect("no expected_checks");
                assert!(!expected.is_empty(), "{name}: a -bad scenario without expected checks");
                for check in expected.iter().filter_map(Value::as_str) {
                    if fired.contains(check) || BAD_GAPS.iter().any(|g| g.check == check) {
                        continue;
                    }
                    let why = scenario["mistakes"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|m| m["check"] == check)
                        .filter_map(|m| m["why"].as_str())
                        .collect::<Vec<_>>()
                        .join("; ");
                    problems.push(format!("{name}: {check} did not fire ({why}); fired: {fired:?}"));
                }
            }
            Some("good") => {
                for finding in mine.into_iter().filter(|f| at_least_medium(f)) {
                    let gap = GOOD_GAPS.iter().position(|g| {
                        g.scenario == name
                            && finding["check_id"] == g.check
                            && gap_resource_matches(scenario, g.resource, finding)
                    });
                    match gap {
                        Some(index) => gaps_used[index] = true,
                        None => problems.push(format!(
                            "{name}: unexpected {} {} on {}: {}",
                            finding["severity"],
                            finding["check_id"],
                            finding["resource"]["arn"],
                            finding["message"]
                        )),
                    }
                }
            }
            other => panic!("{name}: variant {other:?}"),
        }
    }
    for (gap, used) in GOOD_GAPS.iter().zip(gaps_used) {
        if !used {
            problems.push(format!(
                "stale moto gap: {} {} on {:?} no longer fires ({}); remove it from GOOD_GAPS",
                gap.scenario, gap.check, gap.resource, gap.why
            ));
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

// --- 1b. an origin in a second account ------------------------------------------------------------

/// The second account of `second-account-origin` (seed.py's PARTNER_ACCOUNT_ID), entered through
/// sts AssumeRole of the role seed.py creates there.
const PARTNER_ACCOUNT: &str = "210987654321";
const PARTNER_ROLE: &str = "edge-audit-readonly";

/// `second-account-origin`: the distributions (moto's account) send the secret header to REST
/// APIs in a second account. Scanned with both accounts (`--account` ×2, `--role-name`), each API
/// is resolved in the partner account and judged there as a local origin: the `-good` one (stage
/// ACL on the secret) has nothing of medium or above, the `-bad` one (no ACL) has EA202/EA203/
/// EA204 on the partner account's API. Scanned alone, the home account cannot judge the lock:
/// each origin is *not evaluated* (EA106) naming the header and asking for the owner's account,
/// and EA208 (the API is in no scanned account) is low confidence; nothing is said about the APIs.
#[test]
fn an_origin_in_a_second_account_is_judged_there_and_not_evaluated_without_it() {
    let names: Vec<String> =
        ["second-account-origin-bad", "second-account-origin-good"].iter().map(|s| s.to_string()).collect();
    let Some((moto, manifest)) = seeded(&names) else { return };
    let accounts = [MOTO_ACCOUNT, PARTNER_ACCOUNT];
    let both = live(
        &moto,
        &[
            "scan",
            "--account",
            accounts[0],
            "--account",
            accounts[1],
            "--role-name",
            PARTNER_ROLE,
            "--regions",
            REGIONS,
            "--no-probe",
            "--format",
            "json",
            "--fail-on",
            "none",
        ],
    );
    assert_no_secret(&manifest, "stdout of the two-account scan", &both.stdout);
    assert_no_secret(&manifest, "stderr of the two-account scan", &both.stderr);
    assert_eq!(both.code, 3, "two-account scan (3: the Shield gap)\n{}", both.stderr);
    let report = json(&both.stdout);
    let scanned = scanned_accounts(&report);
    assert_eq!(scanned, BTreeSet::from(accounts), "both accounts are scanned");
    let ids = scenario_identifiers(&manifest);
    let mut problems = Vec::new();
    for (name, scenario) in manifest["scenarios"].as_object().expect("scenarios") {
        let api = scenario["rest_apis"][0]["id"].as_str().expect("the partner's API");
        let mine: Vec<&Value> = findings(&report).iter().filter(|f| owner(&ids, f) == name).collect();
        if scenario["variant"] == "good" {
            problems.extend(mine.iter().filter(|f| at_least_medium(f)).map(|f| {
                format!("{name}: unexpected {} {}: {}", f["severity"], f["check_id"], f["message"])
            }));
            continue;
        }
        for check in
            scenario["expected_checks"].as_array().expect("expected").iter().filter_map(Value::as_str)
        {
            if check == "EA112" {
                continue; // not evaluated: the Shield gap (BAD_GAPS)
            }
            let on_partner_api = mine.iter().any(|f| {
                f["check_id"] == check
                    && f["resource"]["id"] == api
                    && f["resource"]["account"] == PARTNER_ACCOUNT
            });
            if !on_partner_api {
                problems
                    .push(format!("{name}: {check} not reported on API {api} of account {PARTNER_ACCOUNT}"));
            }
        }
    }
    // Resolved: the home account's origins have a verdict, not a not-evaluated entry.
    let unresolved = |report: &Value| -> Vec<String> {
        report["not_evaluated"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|n| n["check_id"] == "EA106")
            .filter_map(|n| n["reason"].as_str().map(str::to_string))
            .collect()
    };
    assert!(unresolved(&report).is_empty(), "resolved origins are not evaluated: {:?}", unresolved(&report));
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));

    // The home account alone: the lock cannot be judged.
    let alone =
        live(&moto, &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none"]);
    assert_no_secret(&manifest, "stdout of the one-account scan", &alone.stdout);
    assert_eq!(alone.code, 3, "one-account scan\n{}", alone.stderr);
    let report = json(&alone.stdout);
    let reasons = unresolved(&report);
    assert_eq!(reasons.len(), 2, "one not-evaluated entry per distribution: {reasons:?}");
    for reason in &reasons {
        assert!(reason.contains("X-Origin-Verify"), "the header is named: {reason}");
        assert!(reason.contains("scan the account that owns it too"), "{reason}");
        // The host name does not name the owner; the accounts searched are named instead.
        let searched = format!("none of the scanned ones ({MOTO_ACCOUNT})");
        assert!(reason.contains(&searched), "{reason}");
    }
    for finding in findings(&report) {
        assert_ne!(finding["resource"]["account"], PARTNER_ACCOUNT, "the partner was not scanned: {finding}");
        if finding["check_id"] == "EA208" {
            assert_eq!(finding["confidence"], "low", "an API outside the scan may exist: {finding}");
        }
    }
    assert!(
        !findings(&report).iter().any(|f| ["EA202", "EA203"].contains(&f["check_id"].as_str().unwrap_or(""))),
        "no verdict on APIs that were not read"
    );
}

// --- 2. snapshot, scan --from, and --stats -------------------------------------------------------

/// What identifies a finding across runs.
pub(crate) fn finding_keys(report: &Value) -> Vec<(String, String, String, String, String)> {
    let mut keys: Vec<_> = findings(report)
        .iter()
        .map(|f| {
            let s = |v: &Value| v.as_str().unwrap_or_else(|| panic!("not a string: {v} in {f}")).to_string();
            (
                s(&f["check_id"]),
                s(&f["resource"]["arn"]),
                s(&f["severity"]),
                s(&f["message"]),
                s(&f["fingerprint"]),
            )
        })
        .collect();
    keys.sort();
    keys
}

pub(crate) fn not_evaluated_keys(report: &Value) -> BTreeSet<String> {
    report["not_evaluated"].as_array().into_iter().flatten().map(Value::to_string).collect()
}

/// `snapshot` then `scan --from` reports exactly what a live scan of the same state reports, and
/// the snapshot holds no secret value. The live scan runs with `--stats`: its call counts show the
/// collector reads (List/Describe/Get only) with one call per page, and per resource only what
/// the resource needs.
#[test]
fn snapshot_then_scan_from_equals_the_live_scan_and_stats_count_every_call() {
    let Some((moto, manifest)) = seeded(&all_scenarios()) else { return };
    let dir = tempdir();
    let inventory = dir.path().join("inv.json");

    let snap = live(&moto, &["snapshot", "--regions", REGIONS, "--output", path_str(&inventory)]);
    assert_eq!(snap.code, 0, "snapshot exit code\n{}", snap.stderr);
    assert_no_secret(&manifest, "stderr of snapshot", &snap.stderr);
    let saved = read(&inventory);
    assert_no_secret(&manifest, "the snapshot file", &saved);
    assert!(json(&saved).is_object(), "the snapshot is not a JSON object");

    let from = live(&moto, &["scan", "--from", path_str(&inventory), "--format", "json"]);
    let live_scan = live(
        &moto,
        &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "high", "--stats"],
    );
    for (what, run) in [("scan --from", &from), ("live scan", &live_scan)] {
        // High findings (the -bad scenarios) fail the default --fail-on high.
        assert_eq!(run.code, 1, "{what} exit code\n{}", run.stderr);
        assert_no_secret(&manifest, &format!("stdout of {what}"), &run.stdout);
        assert_no_secret(&manifest, &format!("stderr of {what}"), &run.stderr);
    }
    let from = json(&from.stdout);
    let live_report = json(&live_scan.stdout);
    let from_keys = finding_keys(&from);
    assert!(from_keys.len() > 20, "too few findings from the scenarios: {}", from_keys.len());
    let live_keys = finding_keys(&live_report);
    let only_from: Vec<_> = from_keys.iter().filter(|k| !live_keys.contains(k)).collect();
    let only_live: Vec<_> = live_keys.iter().filter(|k| !from_keys.contains(k)).collect();
    assert!(
        only_from.is_empty() && only_live.is_empty(),
        "scan --from and the live scan differ: only in scan --from {only_from:?}; only in the live scan {only_live:?}"
    );
    assert_eq!(not_evaluated_keys(&from), not_evaluated_keys(&live_report), "not_evaluated differs");
    assert_eq!(from["summary"], live_report["summary"], "summaries differ");

    // --stats: the table and the run summary on stderr, the figures in the JSON report.
    assert!(
        live_scan.stderr.contains("GetCallerIdentity"),
        "no stats table on stderr:\n{}",
        live_scan.stderr
    );
    assert!(live_scan.stderr.contains("bounded by "), "no bound on stderr:\n{}", live_scan.stderr);
    assert_stats(&manifest, &json(&saved), &live_report["stats"]);
}

/// Counts of the manifest's resources of `key`, over all scenarios.
fn count(manifest: &Value, key: &str, filter: impl Fn(&Value) -> bool) -> u64 {
    manifest["scenarios"]
        .as_object()
        .into_iter()
        .flat_map(|s| s.values())
        .flat_map(|s| s[key].as_array().into_iter().flatten())
        .filter(|v| filter(v))
        .count() as u64
}

fn assert_stats(manifest: &Value, snapshot: &Value, stats: &Value) {
    let operations = stats["operations"].as_array().unwrap_or_else(|| panic!("no stats.operations: {stats}"));
    let api_calls = stats["api_calls"].as_u64().unwrap_or_else(|| panic!("no stats.api_calls: {stats}"));
    assert!(api_calls > 0, "no API calls counted: {stats}");
    let sum: u64 = operations.iter().map(|o| o["calls"].as_u64().expect("calls")).sum();
    assert_eq!(api_calls, sum, "api_calls is not the sum of operations[].calls: {stats:#}");
    let pages: u64 = operations.iter().map(|o| o["pages"].as_u64().expect("pages")).sum();
    assert_eq!(stats["pages"].as_u64(), Some(pages), "pages is not the sum: {stats:#}");
    let pages_of = |name: &str| {
        operations.iter().find(|o| o["operation"] == name).and_then(|o| o["pages"].as_u64()).unwrap_or(0)
    };
    // moto answers every listing in one page: one per region (or one, for CloudFront).
    assert_eq!(pages_of("ListDistributions"), 1, "{stats:#}");
    assert_eq!(pages_of("DescribeSecurityGroups"), REGION_COUNT, "{stats:#}");
    assert_eq!(pages_of("GetWebACL"), 0, "a detail call is not a page: {stats:#}");
    let attempts: u64 = operations.iter().map(|o| o["attempts"].as_u64().expect("attempts")).sum();
    assert_eq!(stats["attempts"].as_u64(), Some(attempts), "attempts is not the sum: {stats:#}");
    // Pacing: every call but the scope's (STS) took a token of a quota bucket, and the bucket
    // that bounded the run is named with its floor.
    let buckets = stats["buckets"].as_array().unwrap_or_else(|| panic!("no stats.buckets: {stats}"));
    let paced: u64 = buckets.iter().map(|b| b["calls"].as_u64().expect("calls")).sum();
    let unpaced: u64 = operations
        .iter()
        .filter(|o| o["service"] == "STS")
        .map(|o| o["calls"].as_u64().expect("calls"))
        .sum();
    assert_eq!(paced + unpaced, api_calls, "calls outside any quota bucket: {stats:#}");
    let bound = &stats["bound"];
    assert!(
        buckets.iter().any(|b| b["bucket"] == bound["bucket"] && b["floor_ms"] == bound["floor_ms"]),
        "the bound is not the bucket with that floor: {stats:#}"
    );
    let largest = buckets.iter().filter_map(|b| b["floor_ms"].as_u64()).max();
    assert_eq!(bound["floor_ms"].as_u64(), largest, "{stats:#}");

    let all = |_: &Value| true;
    let rest_apis = count(manifest, "rest_apis", all);
    let http_apis = count(manifest, "http_apis", all);
    let web_acls = count(manifest, "web_acls", all);
    let regional_acls = count(manifest, "web_acls", |a| a["scope"] == "REGIONAL");
    let load_balancers = count(manifest, "load_balancers", all);
    let functions = count(manifest, "lambda_functions", all);
    let functions_with_url = count(manifest, "lambda_functions", |f| !f["url"].is_null());
    let usage_plans = count(manifest, "usage_plans", all);
    let rest_apis_with_authorizer = count(manifest, "rest_apis", |a| !a["authorizer_id"].is_null());
    let domain_names = count(manifest, "domain_names", all);
    // What the snapshot holds, for calls made per resource the manifest does not list.
    let in_snapshot = |per_account: &dyn Fn(&Value) -> u64| -> u64 {
        snapshot["accounts"].as_array().map(|accounts| accounts.iter().map(per_account).sum()).unwrap_or(0)
    };
    let length = |v: &Value| v.as_array().map_or(0, |a| a.len() as u64);
    let listeners = in_snapshot(&|a| {
        a["load_balancers"].as_array().map_or(0, |lbs| lbs.iter().map(|lb| length(&lb["listeners"])).sum())
    });
    let regex_pattern_sets = in_snapshot(&|a| length(&a["regex_pattern_sets"]));
    let rule_groups = in_snapshot(&|a| length(&a["rule_groups"]));
    let ip_sets = count(manifest, "ip_sets", all);
    // One page per region: moto's lists are short.
    let per_region = REGION_COUNT;
    // (service, operation) → the most calls the collection may make for the seeded account.
    let bounds: BTreeMap<(&str, &str), u64> = [
        (("STS", "GetCallerIdentity"), 1),
        // CloudFront: one page of ListDistributions carries every DistributionConfig; no
        // per-distribution GetDistribution(Config).
        (("CloudFront", "ListDistributions"), 1),
        (("CloudFront", "ListOriginAccessControls"), 1),
        // Listed once per account, used or not (a VPC origin may be shared with another account).
        (("CloudFront", "ListVpcOrigins"), 1),
        // Tags drive `edge-audit:ignore` suppressions: one tag:GetResources listing for the
        // distributions and the CLOUDFRONT web ACLs, and per region for the functions and the
        // REGIONAL web ACLs; never one call per resource.
        (("Resource Groups Tagging API", "GetResources"), 2 * per_region + 2),
        (("Shield", "DescribeSubscription"), 1),
        (("Shield", "ListProtections"), 1),
        (("WAFV2", "ListWebACLs"), per_region + 1), // REGIONAL per region + CLOUDFRONT
        (("WAFV2", "GetWebACL"), web_acls),
        (("WAFV2", "GetLoggingConfiguration"), web_acls),
        (("WAFV2", "GetIPSet"), ip_sets),
        // Only for regional ACLs no stage or ALB names, per resource type edge-audit does not
        // collect (moto answers 500, so in practice one each).
        (("WAFV2", "ListResourcesForWebACL"), regional_acls * 4),
        (("WAFV2", "GetWebACLForResource"), load_balancers),
        (("API Gateway", "GetRestApis"), per_region),
        (("API Gateway", "GetResources"), rest_apis),
        (("API Gateway", "GetStages"), rest_apis),
        (("API Gateway", "GetDomainNames"), per_region),
        (("API Gateway", "GetBasePathMappings"), domain_names),
        (("API Gateway", "GetAuthorizers"), rest_apis_with_authorizer),
        (("API Gateway", "GetApiKeys"), per_region),
        (("API Gateway", "GetUsagePlans"), per_region),
        (("API Gateway", "GetUsagePlanKeys"), usage_plans),
        (("ApiGatewayV2", "GetApis"), per_region),
        (("ApiGatewayV2", "GetRoutes"), http_apis),
        (("ApiGatewayV2", "GetStages"), http_apis),
        (("ApiGatewayV2", "GetDomainNames"), per_region),
        (("EC2", "DescribeSecurityGroups"), per_region),
        (("EC2", "DescribeInstances"), per_region),
        (("EC2", "DescribeNetworkInterfaces"), per_region),
        (("EC2", "DescribeManagedPrefixLists"), per_region),
        (("Elastic Load Balancing v2", "DescribeLoadBalancers"), per_region),
        (("Elastic Load Balancing v2", "DescribeTargetGroups"), per_region),
        (("Elastic Load Balancing v2", "DescribeListeners"), load_balancers),
        (("Elastic Load Balancing v2", "DescribeRules"), listeners),
        (("WAFV2", "GetRegexPatternSet"), regex_pattern_sets),
        (("WAFV2", "GetRuleGroup"), rule_groups),
        (("Elastic Load Balancing v2", "DescribeTargetHealth"), load_balancers), // one group each
        (("Elastic Load Balancing v2", "DescribeTags"), per_region),
        (("Lambda", "ListFunctions"), per_region),
        (("Lambda", "GetFunctionUrlConfig"), functions),
        (("Lambda", "GetPolicy"), functions_with_url),
    ]
    .into_iter()
    .collect();

    let mut problems = Vec::new();
    for operation in operations {
        let service = operation["service"].as_str().expect("service");
        let name = operation["operation"].as_str().expect("operation");
        let calls = operation["calls"].as_u64().expect("calls");
        if !["List", "Describe", "Get"].iter().any(|verb| name.starts_with(verb)) {
            problems.push(format!("{service} {name} is not a read (List/Describe/Get)"));
        }
        match bounds.get(&(service, name)) {
            Some(&bound) if calls > bound => {
                problems.push(format!("{service} {name}: {calls} calls, at most {bound} expected"));
            }
            Some(_) => {}
            None => problems.push(format!(
                "{service} {name} ({calls} calls) has no bound here: add one (per page per region, or \
                 per resource it reads)"
            )),
        }
    }
    let called = |service: &str, name: &str| {
        operations.iter().any(|o| o["service"] == service && o["operation"] == name)
    };
    for (service, name) in [("STS", "GetCallerIdentity"), ("CloudFront", "ListDistributions")] {
        if !called(service, name) {
            problems.push(format!("{service} {name} was not called"));
        }
    }
    for name in ["GetDistribution", "GetDistributionConfig"] {
        if called("CloudFront", name) {
            problems.push(format!("CloudFront {name} called: ListDistributions already has the configs"));
        }
    }
    assert!(problems.is_empty(), "{}\n{stats:#}", problems.join("\n"));
}

// --- 3. the GitHub Action's scan step -----------------------------------------------------------

/// The `run:` script of a step of `action.yml` (by id, or by name when the step has no id), read
/// with the venv's PyYAML (moto depends on it).
fn action_step(python: &Path, step: &str) -> String {
    let code = "import sys, yaml\n\
                action = yaml.safe_load(open(sys.argv[1]))\n\
                steps = [s for s in action['runs']['steps'] if sys.argv[2] in (s.get('id'), s.get('name'))]\n\
                assert len(steps) == 1, steps\n\
                assert steps[0]['shell'] == 'bash', steps[0]['shell']\n\
                sys.stdout.write(steps[0]['run'])\n";
    let output = std::process::Command::new(python)
        .args(["-c", code, path_str(&root().join("action.yml")), step])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    assert!(output.status.success(), "cannot read step {step}: {}", String::from_utf8_lossy(&output.stderr));
    let script = String::from_utf8(output.stdout).expect("UTF-8 step");
    assert!(!script.contains("${{"), "step {step} interpolates expressions in run:, set its env instead");
    script
}

/// Runs a step script with bash as a composite action would (`bash -e {0}`).
fn run_step(script: &Path, dir: &Path, env: &[(&str, String)], moto: &MotoServer) -> Run {
    let mut cmd = std::process::Command::new("bash");
    cmd.arg("--noprofile").arg("--norc").arg("-e").arg("-o").arg("pipefail").arg(script).current_dir(dir);
    for var in UNSET {
        cmd.env_remove(var);
    }
    cmd.envs(moto_env(moto)).env_remove("NO_COLOR").env_remove("EDGE_AUDIT_LOG");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let output = cmd.output().unwrap_or_else(|e| panic!("cannot run bash: {e}"));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `key=value` lines of a `$GITHUB_OUTPUT` file.
fn step_outputs(path: &Path) -> BTreeMap<String, String> {
    read(path)
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A SARIF file without its rules' documentation (`runs[].tool.driver.rules`), as text. EA107's
/// documentation quotes the published tutorial values `my-super-secret` and
/// `my-super-secret-key-123xyz` as examples of weak secrets, and the `-bad` scenarios plant exactly
/// those values: their appearance there is static text, not a leak. Everything that comes from the
/// inventory (results, locations, invocations, notifications) is still searched.
fn sarif_without_rule_help(text: &str) -> String {
    let mut sarif = json(text);
    for run in sarif["runs"].as_array_mut().expect("SARIF runs") {
        let rules = run["tool"]["driver"]["rules"].take();
        assert!(rules.as_array().is_some_and(|r| !r.is_empty()), "SARIF run without rules");
    }
    sarif.to_string()
}

/// A port on loopback nobody listens on (bound, then released).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// The action's "Snapshot and scan" step, run as is from `action.yml` with the inputs as its
/// environment, then its "Gate" step on the exit code it output: snapshot, SARIF and Markdown
/// from the inventory, then the gating JSON run.
///
/// 1. `probe: false`, `fail-on: high`: every report is written, the SARIF passes the validator,
///    the Markdown has the header, the severity table and the findings, the exit code is 1 and
///    the Gate fails with 1.
/// 2. `probe: true`, `fail-on: none`: the JSON run probes; the binary is wrapped to add
///    `--connect-to ::127.0.0.1:<closed port>` to the probing run only, so no request leaves
///    loopback: every probe is EA605 not evaluated, the exit code is 3, and the Gate fails with 3
///    unless `allow-incomplete`.
#[test]
fn action_scan_step_against_moto() {
    let Some((moto, manifest)) = seeded(&all_scenarios()) else { return };
    let scan_step = action_step(moto.python(), "scan");
    let gate_step = action_step(moto.python(), "Gate");
    let bin = PathBuf::from(assert_cmd::cargo::cargo_bin!("edge-audit"));
    let dir = tempdir();
    let scan_script = write(dir.path(), "scan-step.sh", &scan_step);
    let gate_script = write(dir.path(), "gate-step.sh", &gate_step);
    let wrapper = write(
        dir.path(),
        "edge-audit-loopback",
        &format!(
            "#!/bin/sh\n# The real binary; a probing run only connects to a closed loopback port.\n\
             for arg in \"$@\"; do\n  if [ \"$arg\" = --probe ]; then\n    \
             exec '{bin}' \"$@\" --connect-to '::127.0.0.1:{port}'\n  fi\ndone\nexec '{bin}' \"$@\"\n",
            bin = path_str(&bin),
            port = closed_port()
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    let inputs = |bin: &Path, probe: &str, fail_on: &str, work: &Path| -> Vec<(&'static str, String)> {
        vec![
            ("EDGE_AUDIT", path_str(bin).to_string()),
            ("ACCOUNT", String::new()),
            ("REGIONS", REGIONS.to_string()),
            ("ROLE_NAME", String::new()),
            ("FAIL_ON", fail_on.to_string()),
            ("CONFIG", String::new()),
            ("PROBE", probe.to_string()),
            ("BASELINE", String::new()),
            ("OUT_DIR", "edge-audit-out".to_string()),
            ("STEP_SUMMARY", "true".to_string()),
            ("GITHUB_OUTPUT", path_str(&work.join("github-output")).to_string()),
            ("GITHUB_STEP_SUMMARY", path_str(&work.join("step-summary.md")).to_string()),
        ]
    };
    let gate = |work: &Path, exit_code: &str, allow_incomplete: &str| {
        run_step(
            &gate_script,
            work,
            &[
                ("EXIT_CODE", exit_code.to_string()),
                ("FAIL_ON", "high".to_string()),
                ("ALLOW_INCOMPLETE", allow_incomplete.to_string()),
            ],
            &moto,
        )
    };

    // 1. No probes, gate on high.
    let work = dir.path().join("no-probe");
    std::fs::create_dir(&work).expect("mkdir");
    let step = run_step(&scan_script, &work, &inputs(&bin, "false", "high", &work), &moto);
    assert_eq!(step.code, 0, "the scan step never fails itself\n{}{}", step.stdout, step.stderr);
    assert_no_secret(&manifest, "the scan step's output", &format!("{}{}", step.stdout, step.stderr));
    let outputs = step_outputs(&work.join("github-output"));
    assert_eq!(outputs.get("exit-code").map(String::as_str), Some("1"), "{outputs:?}\n{}", step.stderr);
    let out_dir = work.join("edge-audit-out");
    let file = |key: &str, name: &str, searched: fn(&str) -> String| {
        assert_eq!(outputs.get(key).map(String::as_str), Some(format!("edge-audit-out/{name}").as_str()));
        let path = out_dir.join(name);
        let text = read(&path);
        assert_no_secret(&manifest, name, &searched(&text));
        (path, text)
    };
    let (_, inventory) = file("inventory", "inventory.json", str::to_string);
    // SARIF: a directory of one file per account (here the caller's only).
    assert_eq!(outputs.get("sarif").map(String::as_str), Some("edge-audit-out/sarif"), "{outputs:?}");
    let sarif_path = out_dir.join(format!("sarif/edge-audit-{MOTO_ACCOUNT}.sarif"));
    let sarif = read(&sarif_path);
    assert_no_secret(&manifest, "the SARIF file", &sarif_without_rule_help(&sarif));
    let (_, markdown) = file("markdown", "edge-audit.md", str::to_string);
    let (_, report) = file("json", "edge-audit.json", str::to_string);
    assert!(json(&inventory).is_object());
    let report = json(&report);
    assert_eq!(report["fail_on"], "high");
    let summary = &report["summary"];
    assert!(summary["failing"].as_u64().unwrap_or(0) > 0, "nothing failing: {summary}");

    // SARIF: one result per finding, accepted by GitHub's ingestion rules.
    let sarif = json(&sarif);
    let results = sarif["runs"][0]["results"].as_array().expect("SARIF results");
    assert_eq!(results.len(), findings(&report).len(), "SARIF results vs JSON findings");
    let rule_ids: BTreeSet<&str> = results.iter().filter_map(|r| r["ruleId"].as_str()).collect();
    let check_ids: BTreeSet<&str> = findings(&report).iter().filter_map(|f| f["check_id"].as_str()).collect();
    assert_eq!(rule_ids, check_ids, "SARIF rules vs JSON checks");
    let validator = validator();
    if require("validate-sarif (../shared/tools or tools/sarif)", validator.is_some()) {
        validate(&validator.expect("validator"), &[sarif_path]);
    }

    // Markdown: the header, the severity table with the JSON's counts, every finding.
    assert!(markdown.starts_with("## edge-audit report\n"), "Markdown header:\n{markdown}");
    assert!(markdown.contains("| Severity | Findings |"), "no severity table:\n{markdown}");
    for (label, key) in
        [("Critical", "critical"), ("High", "high"), ("Medium", "medium"), ("Low", "low"), ("Info", "info")]
    {
        let row = format!("| {label} | {} |", summary[key]);
        assert!(markdown.contains(&row), "Markdown lacks {row:?}:\n{markdown}");
    }
    assert!(markdown.contains("| Not evaluated | "), "no not-evaluated row:\n{markdown}");
    assert!(markdown.contains("audit incomplete"), "the Shield gap is not stated:\n{markdown}");
    for finding in findings(&report) {
        let check = format!("`{}`", finding["check_id"].as_str().expect("check_id"));
        let message = finding["message"].as_str().expect("message");
        assert!(
            markdown.lines().any(|l| l.contains(&check) && l.contains(message)),
            "Markdown lacks {check} {message}"
        );
    }
    let step_summary = read(&work.join("step-summary.md"));
    assert!(step_summary.starts_with("## edge-audit\n"), "job summary:\n{step_summary}");
    assert!(step_summary.contains(&markdown), "the job summary does not hold the Markdown report");

    // The Gate fails on exit code 1, whatever allow-incomplete says.
    for allow in ["false", "true"] {
        let gated = gate(&work, "1", allow);
        assert_eq!(gated.code, 1, "Gate on 1 (allow-incomplete {allow}):\n{}", gated.stdout);
    }

    // 2. Probes confined to loopback, nothing gates: incomplete.
    let work = dir.path().join("probe");
    std::fs::create_dir(&work).expect("mkdir");
    let step = run_step(&scan_script, &work, &inputs(&wrapper, "true", "none", &work), &moto);
    assert_eq!(step.code, 0, "{}{}", step.stdout, step.stderr);
    assert_no_secret(&manifest, "the scan step's output", &format!("{}{}", step.stdout, step.stderr));
    let outputs = step_outputs(&work.join("github-output"));
    assert_eq!(outputs.get("exit-code").map(String::as_str), Some("3"), "{outputs:?}\n{}", step.stderr);
    let report = json(&read(&work.join("edge-audit-out/edge-audit.json")));
    let probes: Vec<&Value> = report["not_evaluated"]
        .as_array()
        .expect("not_evaluated")
        .iter()
        .filter(|n| n["check_id"] == "EA605")
        .collect();
    assert!(!probes.is_empty(), "no EA605: the probes did not run\n{:#}", report["not_evaluated"]);
    for probe in &probes {
        let reason = probe["reason"].as_str().unwrap_or("");
        assert!(reason.contains("connection refused"), "a probe got somewhere: {reason}");
    }
    let reached: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| {
            f["check_id"]
                .as_str()
                .is_some_and(|id| ["EA601", "EA602", "EA603", "EA604", "EA606"].contains(&id))
        })
        .collect();
    assert!(reached.is_empty(), "probe findings from a closed port: {reached:#?}");
    let step_summary = read(&work.join("step-summary.md"));
    assert!(step_summary.contains("_Live origin probes run in the JSON/gating run only"), "{step_summary}");
    let gated = gate(&work, "3", "false");
    assert_eq!(gated.code, 3, "Gate on 3:\n{}", gated.stdout);
    let gated = gate(&work, "3", "true");
    assert_eq!(gated.code, 0, "Gate on 3 with allow-incomplete:\n{}", gated.stdout);
}

// --- 4. drift between two seeded states ----------------------------------------------------------

/// Weakens three `-good` perimeters: the regional web ACL leaves the API stage, the ALB's
/// security group opens 443 to the internet, and `GET /api` stops requiring the API key
/// (PutMethod again: moto 5.2.5 has no UpdateMethod).
const WEAKEN: &str = r#"
import json, sys, boto3
manifest = json.load(open(sys.argv[1]))["scenarios"]
kw = dict(endpoint_url=sys.argv[2], aws_access_key_id="testing", aws_secret_access_key="testing")
stage = manifest["apigw-regional-waf-header-good"]["rest_apis"][0]
boto3.client("wafv2", region_name=stage["region"], **kw).disassociate_web_acl(ResourceArn=stage["stage_arn"])
alb = manifest["alb-prefix-list-header-good"]["load_balancers"][0]
boto3.client("ec2", region_name="eu-west-1", **kw).authorize_security_group_ingress(
    GroupId=alb["security_group"],
    IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
)
api = manifest["apigw-api-key-good"]["rest_apis"][0]
apigw = boto3.client("apigateway", region_name=api["region"], **kw)
resource = next(r for r in apigw.get_resources(restApiId=api["id"])["items"] if r["path"] == "/api")
apigw.put_method(restApiId=api["id"], resourceId=resource["id"], httpMethod="GET",
                 authorizationType="NONE", apiKeyRequired=False)
assert not apigw.get_method(restApiId=api["id"], resourceId=resource["id"], httpMethod="GET")["apiKeyRequired"]
"#;

/// (change_type, classification, resource id, detail) of every change of a drift report.
/// `snapshot` of the live scope (both regions) to `path`.
pub(crate) fn snapshot_to(moto: &MotoServer, path: &Path) {
    let out = live(moto, &["snapshot", "--regions", REGIONS, "--output", path_str(path)]);
    assert_eq!(out.code, 0, "snapshot\n{}", out.stderr);
}

/// Live drift of an account unchanged since `baseline`: exit 0 and no change.
pub(crate) fn assert_live_drift_unchanged(moto: &MotoServer, baseline: &Path) {
    let same =
        live(moto, &["drift", "--baseline", path_str(baseline), "--regions", REGIONS, "--format", "json"]);
    assert_eq!(same.code, 0, "live drift of an unchanged account\n{}{}", same.stdout, same.stderr);
    assert!(changes(&json(&same.stdout)).is_empty(), "changes without a change: {}", same.stdout);
}

/// The changes from `before` to `after` (saved drift), asserted equal to live drift's against
/// `before`.
pub(crate) fn saved_and_live_changes(
    moto: &MotoServer,
    before: &Path,
    after: &Path,
) -> BTreeSet<(String, String, String, String)> {
    let saved = live(
        moto,
        &["drift", "--baseline", path_str(before), "--current", path_str(after), "--format", "json"],
    );
    let current =
        live(moto, &["drift", "--baseline", path_str(before), "--regions", REGIONS, "--format", "json"]);
    let (saved, current) = (changes(&json(&saved.stdout)), changes(&json(&current.stdout)));
    assert_eq!(saved, current, "saved and live drift differ");
    saved
}

pub(crate) fn changes(report: &Value) -> BTreeSet<(String, String, String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or_else(|| panic!("not a string: {v}")).to_string();
    report["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("drift report without changes: {report}"))
        .iter()
        .map(|c| (s(&c["change_type"]), s(&c["classification"]), s(&c["resource"]["id"]), s(&c["detail"])))
        .collect()
}

/// Snapshot A of three `-good` perimeters, weaken them with boto3, snapshot B: `drift A → B`
/// reports each weakening as its typed change, classified weakened, with an EA701 finding, and
/// exits 1; `drift --baseline A` against the live (weakened) account reports the same changes.
#[test]
fn drift_between_two_moto_states_reports_each_weakening() {
    let scenarios: Vec<String> =
        ["apigw-regional-waf-header-good", "alb-prefix-list-header-good", "apigw-api-key-good"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let Some((moto, manifest)) = seeded(&scenarios) else { return };
    let dir = tempdir();
    let before = dir.path().join("a.json");
    let after = dir.path().join("b.json");
    snapshot_to(&moto, &before);

    // Unchanged: nothing to report.
    assert_live_drift_unchanged(&moto, &before);

    let manifest_file = write(dir.path(), "manifest.json", &manifest.to_string());
    let weakened = std::process::Command::new(moto.python())
        .args(["-c", WEAKEN, path_str(&manifest_file), &moto.endpoint])
        .output()
        .expect("python");
    assert!(
        weakened.status.success(),
        "boto3 changes failed:\n{}",
        String::from_utf8_lossy(&weakened.stderr)
    );
    snapshot_to(&moto, &after);

    let scenario = |name: &str| &manifest["scenarios"][name];
    let waf_api = scenario("apigw-regional-waf-header-good")["rest_apis"][0]["id"].as_str().expect("api id");
    let key_api = scenario("apigw-api-key-good")["rest_apis"][0]["id"].as_str().expect("api id");
    let alb_sg = scenario("alb-prefix-list-header-good")["load_balancers"][0]["security_group"]
        .as_str()
        .expect("security group");
    let expected: BTreeSet<(String, String, String, String)> = [
        ("web_acl_removed", waf_api, "stage prod"),
        ("api_key_requirement_changed", key_api, "GET /api"),
        ("sg_ingress_opened", alb_sg, ""),
    ]
    .into_iter()
    .map(|(kind, id, detail)| (kind.to_string(), "weakened".to_string(), id.to_string(), detail.to_string()))
    .collect();

    let saved = live(
        &moto,
        &["drift", "--baseline", path_str(&before), "--current", path_str(&after), "--format", "json"],
    );
    let current =
        live(&moto, &["drift", "--baseline", path_str(&before), "--regions", REGIONS, "--format", "json"]);
    for (what, out) in [("drift --current", &saved), ("live drift", &current)] {
        assert_eq!(out.code, 1, "{what}: weakened changes fail the default --fail-on high\n{}", out.stderr);
        assert_no_secret(&manifest, what, &format!("{}{}", out.stdout, out.stderr));
        let report = json(&out.stdout);
        assert_eq!(report["kind"], "drift");
        assert_eq!(changes(&report), expected, "{what}: changes\n{:#}", report["changes"]);
        assert_eq!(report["not_compared"], serde_json::json!([]), "{what}: not compared");
        assert_eq!(report["summary"]["weakened"], 3, "{what}: {}", report["summary"]);
        let ea701: BTreeSet<&str> = findings(&report)
            .iter()
            .filter(|f| f["check_id"] == "EA701")
            .filter_map(|f| f["resource"]["id"].as_str())
            .collect();
        assert_eq!(ea701, BTreeSet::from([waf_api, key_api, alb_sg]), "{what}: EA701 findings");
        for finding in findings(&report).iter().filter(|f| f["check_id"] == "EA701") {
            assert_eq!(finding["resource"]["account"], MOTO_ACCOUNT);
        }
    }
}

/// SDK wire-level logging never reaches stderr (issue 16): a live scan and a snapshot with the
/// log filter wide open (`EDGE_AUDIT_LOG=trace`, SDK and hyper targets named explicitly, or
/// `-vv`) print no secret value of the manifest, while the scan still reads everything.
#[test]
fn trace_logging_never_prints_a_secret_value() {
    let Some((moto, manifest)) = seeded(&all_scenarios()) else { return };
    let dir = tempdir();
    let snapshot = dir.path().join("snapshot.json");
    let cases: [(Option<&str>, Vec<&str>); 3] = [
        (Some("trace"), vec!["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none"]),
        (
            Some("trace,aws_smithy_runtime=trace,aws_smithy_runtime_api=trace,hyper=trace,hyper_util=trace,aws_sdk_apigateway=trace"),
            vec!["-vv", "snapshot", "--regions", REGIONS, "--output", path_str(&snapshot)],
        ),
        (None, vec!["-vv", "scan", "--regions", REGIONS, "--no-probe", "--fail-on", "none"]),
    ];
    for (filter, args) in cases {
        let mut cmd = edge_audit();
        for var in UNSET {
            cmd.env_remove(var);
        }
        cmd.envs(moto_env(&moto)).args(&args).timeout(RUN_TIMEOUT);
        if let Some(filter) = filter {
            cmd.env("EDGE_AUDIT_LOG", filter);
        }
        let output = cmd.output().unwrap_or_else(|e| panic!("cannot run edge-audit {args:?}: {e}"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(matches!(output.status.code(), Some(0 | 3)), "{args:?}: {stderr}");
        assert_no_secret(&manifest, &format!("stderr of {args:?} at {filter:?}"), &stderr);
        assert_no_secret(&manifest, &format!("stdout of {args:?}"), &String::from_utf8_lossy(&output.stdout));
    }
    assert_no_secret(&manifest, "the snapshot", &read(&snapshot));
}
