//! The real binary against moto + the emulator on a CloudFront VPC origin shared from a second
//! account (issue 14): the distribution is in moto's account, the VPC origin
//! (`VpcOriginConfig.OwnerAccountId`) and its endpoint, an ALB, in the partner account that
//! seed.py enters through sts AssumeRole. The emulator answers ListVpcOrigins per account: it
//! learns which account each access key acts in from the AssumeRole answers it forwards, so
//! the VPC origin is listed by its owner only (tests/moto/README.md, "The emulator").
//!
//! `shared-vpc-origin-good`: the partner's ALB is internal, so the VPC origin locks it;
//! `shared-vpc-origin-bad`: it is internet-facing with 443 open to the internet and forwards
//! everything. Scanned with both accounts, the VPC origin is resolved in the owner's account
//! and its ALB judged there like any ALB origin; scanned alone, the home account cannot judge
//! it and says so, naming the owner.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::moto_scan::{
    at_least_medium, finding_keys, findings, live, not_evaluated_keys, read, seeded, REGIONS,
};
use crate::support::moto::{MotoServer, MOTO_ACCOUNT};
use crate::support::{json, path_str, tempdir, Run};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const SCENARIOS: [&str; 2] = ["shared-vpc-origin-bad", "shared-vpc-origin-good"];

fn seed() -> Option<(MotoServer, Value)> {
    seeded(&SCENARIOS.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

/// The partner account and the role seed.py created there (from the manifest).
fn partner(manifest: &Value) -> (String, String) {
    let scenario = &manifest["scenarios"]["shared-vpc-origin-good"];
    (
        scenario["partner_account_id"].as_str().expect("partner_account_id").to_string(),
        scenario["partner_role"].as_str().expect("partner_role").to_string(),
    )
}

/// The binary with both accounts (`--account` ×2, `--role-name`), then `rest`.
fn both_accounts(moto: &MotoServer, manifest: &Value, command: &str, rest: &[&str]) -> Run {
    let (account, role) = partner(manifest);
    let mut args = vec![
        command,
        "--account",
        MOTO_ACCOUNT,
        "--account",
        &account,
        "--role-name",
        &role,
        "--regions",
        REGIONS,
    ];
    args.extend_from_slice(rest);
    live(moto, &args)
}

fn scan_both(moto: &MotoServer, manifest: &Value) -> Value {
    let out = both_accounts(moto, manifest, "scan", &["--no-probe", "--format", "json", "--fail-on", "none"]);
    assert_eq!(out.code, 3, "two-account scan (3: the Shield gap)\n{}", out.stderr);
    json(&out.stdout)
}

fn scenario<'a>(manifest: &'a Value, name: &str) -> &'a Value {
    &manifest["scenarios"][name]
}

fn distribution(manifest: &Value, name: &str) -> (String, String) {
    let d = &scenario(manifest, name)["distributions"][0];
    (d["id"].as_str().unwrap().to_string(), d["arn"].as_str().unwrap().to_string())
}

fn load_balancer(manifest: &Value, name: &str) -> String {
    let lb = &scenario(manifest, name)["load_balancers"][0];
    assert_eq!(lb["account"], partner(manifest).0.as_str(), "the ALB is seeded in the partner account: {lb}");
    lb["arn"].as_str().unwrap().to_string()
}

fn vpc_origin_id(manifest: &Value, name: &str) -> String {
    let vo = &scenario(manifest, name)["vpc_origins"][0];
    assert_eq!(vo["owner"], partner(manifest).0.as_str(), "{vo}");
    vo["id"].as_str().unwrap().to_string()
}

fn on<'a>(report: &'a Value, check: &str, arn: &str) -> Vec<&'a Value> {
    findings(report).iter().filter(|f| f["check_id"] == check && f["resource"]["arn"] == arn).collect()
}

/// The EA106 not-evaluated entries of an origin (`<distribution id>/<origin id>`).
fn ea106_not_evaluated<'a>(report: &'a Value, scope: &str) -> Vec<&'a str> {
    report["not_evaluated"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|n| n["check_id"] == "EA106" && n["scope"] == scope)
        .filter_map(|n| n["reason"].as_str())
        .collect()
}

/// Both accounts scanned: the shared VPC origin is resolved in its owner's account. The bad one
/// reaches the partner's internet-facing ALB, so EA106 on the distribution says the VPC origin
/// locks nothing (naming the VPC origin and the ALB), and the ALB is judged as any ALB origin in
/// the partner account (EA401 open SG, EA404 no header rule, EA406 no web ACL); the good one
/// reaches an internal ALB: locked, nothing of medium or above on either resource, and no
/// origin left not evaluated.
#[test]
fn a_shared_vpc_origin_is_judged_in_the_owner_account() {
    let Some((moto, manifest)) = seed() else { return };
    let (partner_account, _) = partner(&manifest);
    let report = scan_both(&moto, &manifest);
    let scanned = crate::moto_scan::scanned_accounts(&report);
    assert_eq!(scanned, BTreeSet::from([MOTO_ACCOUNT, partner_account.as_str()]));

    let (bad_id, bad) = distribution(&manifest, "shared-vpc-origin-bad");
    let bad_lb = load_balancer(&manifest, "shared-vpc-origin-bad");
    let ea106 = on(&report, "EA106", &bad);
    assert_eq!(ea106.len(), 1, "{:#}", report["findings"]);
    let message = ea106[0]["message"].as_str().unwrap();
    assert!(message.contains("through a VPC origin"), "{message}");
    assert!(message.contains(&vpc_origin_id(&manifest, "shared-vpc-origin-bad")), "{message}");
    assert!(message.contains("svo-bad-alb, which is internet-facing"), "{message}");
    assert_eq!(ea106[0]["resource"]["account"], MOTO_ACCOUNT, "the distribution's account");
    // EA401 is about the ALB's security group, EA404/EA406 about the ALB itself.
    let open_sg = scenario(&manifest, "shared-vpc-origin-bad")["security_groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["role"] == "alb-open-sg")
        .expect("alb-open-sg")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let ea401: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| f["check_id"] == "EA401" && f["resource"]["id"] == open_sg.as_str())
        .collect();
    assert_eq!(ea401.len(), 1, "EA401 on the partner's ALB security group: {:#}", report["findings"]);
    assert!(
        ea401[0]["message"].as_str().unwrap().contains("of origin load balancer svo-bad-alb"),
        "{}",
        ea401[0]
    );
    for found in
        ea401.iter().copied().chain(on(&report, "EA404", &bad_lb)).chain(on(&report, "EA406", &bad_lb))
    {
        assert_eq!(found["resource"]["account"], partner_account.as_str(), "{found}");
        assert!(found["message"].as_str().unwrap().contains("svo-bad-alb"), "{found}");
    }
    for check in ["EA404", "EA406"] {
        assert_eq!(
            on(&report, check, &bad_lb).len(),
            1,
            "{check} on the partner's ALB: {:#}",
            report["findings"]
        );
    }
    assert!(
        ea106_not_evaluated(&report, &format!("{bad_id}/app")).is_empty(),
        "{:#}",
        report["not_evaluated"]
    );

    let (good_id, good) = distribution(&manifest, "shared-vpc-origin-good");
    let good_lb = load_balancer(&manifest, "shared-vpc-origin-good");
    let serious: Vec<&Value> = findings(&report)
        .iter()
        .filter(|f| [good.as_str(), good_lb.as_str()].contains(&f["resource"]["arn"].as_str().unwrap_or("")))
        .filter(|f| at_least_medium(f))
        .collect();
    assert!(serious.is_empty(), "the internal ALB behind the shared VPC origin is locked: {serious:#?}");
    assert!(on(&report, "EA106", &good).is_empty());
    assert!(
        ea106_not_evaluated(&report, &format!("{good_id}/app")).is_empty(),
        "{:#}",
        report["not_evaluated"]
    );
}

/// The home account alone: each shared VPC origin is *not evaluated* (EA106), naming the VPC
/// origin and its owner account and asking for it to be scanned; nothing is said about the
/// partner's ALBs (not read), and no VPC-origin verdict is made up for either distribution.
#[test]
fn a_shared_vpc_origin_is_not_evaluated_without_its_owner_account() {
    let Some((moto, manifest)) = seed() else { return };
    let (partner_account, _) = partner(&manifest);
    let out =
        live(&moto, &["scan", "--regions", REGIONS, "--no-probe", "--format", "json", "--fail-on", "none"]);
    assert_eq!(out.code, 3, "one-account scan\n{}", out.stderr);
    let report = json(&out.stdout);
    for name in SCENARIOS {
        let (id, arn) = distribution(&manifest, name);
        let reasons = ea106_not_evaluated(&report, &format!("{id}/app"));
        assert_eq!(reasons.len(), 1, "{name}: {:#}", report["not_evaluated"]);
        let vo = vpc_origin_id(&manifest, name);
        assert!(
            reasons[0].contains(&format!("VPC origin {vo} is owned by account {partner_account}")),
            "{name}: {}",
            reasons[0]
        );
        assert!(reasons[0].contains("--account"), "{}", reasons[0]);
        assert!(
            on(&report, "EA106", &arn).is_empty(),
            "{name}: no verdict without the owner: {:#}",
            report["findings"]
        );
    }
    for finding in findings(&report) {
        assert_ne!(finding["resource"]["account"], partner_account.as_str(), "not scanned: {finding}");
    }
}

/// The emulator answers per account: with both accounts, the snapshot holds the VPC origins in
/// the partner's inventory (ListVpcOrigins with the partner's assumed-role key) and none in the
/// home account's (moto's default key), and each account lists them once; `scan --from` of
/// that snapshot reports what the live two-account scan reports.
#[test]
fn shared_vpc_origins_are_listed_by_their_owner_and_survive_a_snapshot() {
    let Some((moto, manifest)) = seed() else { return };
    let (partner_account, _) = partner(&manifest);
    let dir = tempdir();
    let inventory = dir.path().join("inv.json");
    let snap = both_accounts(&moto, &manifest, "snapshot", &["--output", path_str(&inventory)]);
    assert_eq!(snap.code, 0, "snapshot\n{}", snap.stderr);
    let saved = json(&read(&inventory));
    let account = |id: &str| {
        saved["accounts"].as_array().unwrap().iter().find(|a| a["account_id"] == id).expect("account").clone()
    };
    let ids = |a: &Value| -> BTreeSet<String> {
        a["vpc_origins"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v["id"].as_str().map(str::to_string))
            .collect()
    };
    let expected: BTreeSet<String> = SCENARIOS.iter().map(|s| vpc_origin_id(&manifest, s)).collect();
    assert_eq!(ids(&account(&partner_account)), expected, "the owner lists its VPC origins");
    assert!(ids(&account(MOTO_ACCOUNT)).is_empty(), "the home account owns none");
    for vo in account(&partner_account)["vpc_origins"].as_array().unwrap() {
        assert_eq!(vo["account_id"], partner_account.as_str(), "{vo}");
        assert!(
            vo["endpoint_arn"]
                .as_str()
                .is_some_and(|a| a.contains(&format!(":{partner_account}:loadbalancer/app/svo-"))),
            "{vo}"
        );
    }
    let origins: Vec<Value> = account(MOTO_ACCOUNT)["distributions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["origins"].as_array().cloned().unwrap_or_default())
        .filter(|o| o["id"] == "app")
        .collect();
    assert_eq!(origins.len(), 2);
    for origin in &origins {
        assert_eq!(origin["vpc_origin"]["owner_account_id"], partner_account.as_str(), "{origin}");
    }

    let from =
        live(&moto, &["scan", "--from", path_str(&inventory), "--format", "json", "--fail-on", "none"]);
    let from = json(&from.stdout);
    let live_report = scan_both(&moto, &manifest);
    assert_eq!(finding_keys(&from), finding_keys(&live_report), "scan --from and the live scan differ");
    assert_eq!(not_evaluated_keys(&from), not_evaluated_keys(&live_report));
}

/// AccessDenied on the partner's `cloudfront:ListVpcOrigins` only (the emulator's per-account
/// deny): the home account's listing still works, the shared VPC origins are not in the
/// owner's inventory, so each is not evaluated naming the VPC origin and the owner account —
/// never taken for locked, and the bad one's ALB is not declared reachable through it.
#[test]
fn a_shared_vpc_origin_the_owner_cannot_list_is_not_evaluated() {
    let Some((moto, manifest)) = seed() else { return };
    let (partner_account, _) = partner(&manifest);
    moto.emulate(&json!({"accounts": {partner_account.as_str(): {"deny": ["cloudfront:ListVpcOrigins"]}}}));
    let report = scan_both(&moto, &manifest);
    for name in SCENARIOS {
        let (id, arn) = distribution(&manifest, name);
        let reasons = ea106_not_evaluated(&report, &format!("{id}/app"));
        assert_eq!(reasons.len(), 1, "{name}: {:#}", report["not_evaluated"]);
        let vo = vpc_origin_id(&manifest, name);
        assert!(
            reasons[0].contains(&format!("VPC origin {vo} is not in account {partner_account}'s inventory")),
            "{name}: {}",
            reasons[0]
        );
        assert!(on(&report, "EA106", &arn).is_empty(), "{name}: {:#}", report["findings"]);
    }
    // The home account was not denied anything: its own listing was made and succeeded.
    let home =
        report["accounts"].as_array().unwrap().iter().find(|a| a["account_id"] == MOTO_ACCOUNT).unwrap();
    let failures = home["collection_failures"].as_array().expect("collection_failures");
    assert!(failures.iter().all(|f| f["operation"] != "ListVpcOrigins"), "{failures:#?}");
}
