//! Origins whose backend is in another account: resolved across the scanned accounts and
//! judged as local ones; not evaluated (naming the header, never its value) when no scanned
//! account holds the backend.
//!
//! `cross-account-api-origin`: account 111111111111 has the distribution, which sends the secret
//! `x-origin-verify` to REST API `rwh0000g01`; account 222222222222 has the API, whose stage
//! web ACL blocks requests without that secret.

mod support;

use edge_audit_checks::model::{Indexes, Model};
use edge_audit_checks::registry;
use edge_audit_checks::CheckOptions;
use support::{load, of};

const API: &str = "arn:aws:apigateway:eu-west-1::/restapis/rwh0000g01";

#[test]
fn an_origin_in_another_scanned_account_is_judged_there() {
    let inventory = load("cross-account-api-origin");
    let options = CheckOptions::default();
    let indexes = Indexes::build(&inventory);
    let model = Model::build(&inventory, &indexes, &options);
    let home = model.account("111111111111").expect("distribution account");
    let lock = home.perimeter.locks.iter().find(|l| l.origin.id == "api").expect("the API origin");
    assert_eq!(lock.backend_account.as_deref(), Some("222222222222"));
    assert!(lock.unresolved.is_none(), "{:?}", lock.unresolved);
    assert!(lock.origin_locked(), "the stage's header ACL locks it: {:?}", lock.targets);
    // The backend's account sees the foreign distribution reaching its API.
    let backend = model.account("222222222222").expect("API account");
    assert_eq!(backend.index.origins_reaching(API).len(), 1);

    let outcome = registry::run_model(&model, registry::all(), None);
    let serious: Vec<_> =
        outcome.findings.iter().filter(|f| f.severity >= edge_audit_checks::Severity::Medium).collect();
    assert!(serious.is_empty(), "{serious:?}");
    assert!(outcome.not_evaluated.iter().all(|n| n.check_id != "EA106"), "{:?}", outcome.not_evaluated);
}

/// The API's region was not read: the backend could not be looked up, which is not "in no
/// scanned account" — the entry says which read failed instead of blaming the scope.
#[test]
fn a_secret_sent_to_a_backend_whose_listing_failed_is_not_evaluated_as_unread() {
    let mut inventory = load("cross-account-api-origin");
    inventory.accounts.truncate(1);
    use edge_audit_checks::inventory::{CoverageStatus, Service};
    let api_coverage = inventory.accounts[0]
        .coverage
        .iter_mut()
        .filter(|c| c.service == Service::Apigateway)
        .map(|c| {
            c.status = CoverageStatus::Failed;
            c.operation = Some("GetRestApis".into());
            c.error = Some("AccessDenied".into());
        })
        .count();
    assert!(api_coverage > 0, "the fixture records API Gateway's coverage");
    let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
    let entries: Vec<_> = outcome.not_evaluated.iter().filter(|n| n.check_id == "EA106").collect();
    assert_eq!(entries.len(), 1, "{:?}", outcome.not_evaluated);
    assert!(entries[0].reason.contains("could not be looked up"), "{}", entries[0].reason);
    assert!(entries[0].reason.contains("grant the read that failed"), "{}", entries[0].reason);
    assert!(!entries[0].reason.contains("no scanned account"), "{}", entries[0].reason);
}

#[test]
fn an_open_api_in_another_scanned_account_is_reported_there() {
    let mut inventory = load("cross-account-api-origin");
    inventory.accounts[1].rest_apis[0].stages[0].web_acl_arn = None;
    let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
    let ea202 = of(&outcome, "EA202");
    assert_eq!(ea202.len(), 1, "{:?}", outcome.findings);
    assert_eq!(ea202[0].resource.account, "222222222222");
    assert_eq!(ea202[0].severity.as_str(), "high");
    assert!(ea202[0].message.contains("E"), "{}", ea202[0].message);
    assert_eq!(ea202[0].evidence["origin_of"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_secret_sent_to_an_account_outside_the_scan_is_not_evaluated() {
    let mut inventory = load("cross-account-api-origin");
    inventory.accounts.truncate(1);
    let outcome = registry::run(&inventory, registry::all(), &CheckOptions::default());
    let entries: Vec<_> = outcome.not_evaluated.iter().filter(|n| n.check_id == "EA106").collect();
    assert_eq!(entries.len(), 1, "{:?}", outcome.not_evaluated);
    assert!(entries[0].reason.contains("x-origin-verify"), "{}", entries[0].reason);
    assert!(entries[0].reason.contains("scan the account that owns it too"), "{}", entries[0].reason);
    // The execute-api host does not name its owner: the entry names the accounts searched.
    let searched = format!("none of the scanned ones ({})", inventory.accounts[0].account_id);
    assert!(entries[0].reason.contains(&searched), "{}", entries[0].reason);
    assert!(of(&outcome, "EA106").is_empty(), "a secret is sent: not the no-secret finding");
    // The API is in no scanned account: deleted, or another account's. Low confidence, not a
    // confident "this origin is broken".
    let ea208 = of(&outcome, "EA208");
    assert_eq!(ea208.len(), 1, "{:?}", outcome.findings);
    assert_eq!(ea208[0].confidence.as_str(), "low");
    assert!(ea208[0].message.contains("scan that account too"), "{}", ea208[0].message);
}

/// `vpc-origin-bad`'s origin `shared` goes through VPC origin `vo_sharedpartner1`, owned by
/// account 222222222222 (AWS RAM). Alone, that origin is not evaluated naming the account. With
/// the owner scanned too (its VPC origin listing and load balancer), it is judged there: an
/// internal load balancer is locked by the VPC origin (no EA106 on `shared`, no not-evaluated);
/// an internet-facing one locks nothing (EA106 on `shared`, saying why). The owner's listing
/// without that VPC origin stays not evaluated, naming it.
#[test]
fn a_vpc_origin_shared_from_another_scanned_account_is_judged_there() {
    use edge_audit_checks::inventory::{AccountInventory, LoadBalancer, VpcOrigin};
    const PARTNER_LB: &str =
        "arn:aws:elasticloadbalancing:eu-west-1:222222222222:loadbalancer/app/partner/9999999999999999";
    let with_owner = |scheme: &str, listed: bool| {
        let mut inventory = load("vpc-origin-bad");
        let mut owner = AccountInventory::new("222222222222");
        owner.regions = vec!["eu-west-1".to_string()];
        owner.coverage = inventory.accounts[0].coverage.clone();
        if listed {
            owner.vpc_origins.push(VpcOrigin {
                id: "vo_sharedpartner1".into(),
                arn: "arn:aws:cloudfront::222222222222:vpcorigin/vo_sharedpartner1".into(),
                account_id: "222222222222".into(),
                name: "partner".into(),
                endpoint_arn: PARTNER_LB.into(),
                status: "Deployed".into(),
                ..VpcOrigin::default()
            });
        }
        owner.load_balancers.push(LoadBalancer {
            arn: PARTNER_LB.into(),
            name: "partner".into(),
            region: "eu-west-1".into(),
            scheme: scheme.into(),
            dns_name: "internal-partner-99.eu-west-1.elb.amazonaws.com".into(),
            ..LoadBalancer::default()
        });
        inventory.accounts.push(owner);
        inventory.normalize();
        registry::run(&inventory, &[registry::find("EA106").unwrap()], &CheckOptions::default())
    };
    let shared_findings = |outcome: &registry::Outcome| {
        of(outcome, "EA106").into_iter().filter(|f| f.detail == "shared").cloned().collect::<Vec<_>>()
    };
    let shared_not_evaluated = |outcome: &registry::Outcome| {
        outcome
            .not_evaluated
            .iter()
            .filter(|n| n.check_id == "EA106" && n.scope.ends_with("/shared"))
            .map(|n| n.reason.clone())
            .collect::<Vec<_>>()
    };

    let alone =
        registry::run(&load("vpc-origin-bad"), &[registry::find("EA106").unwrap()], &CheckOptions::default());
    let reasons = shared_not_evaluated(&alone);
    assert_eq!(reasons.len(), 1, "{:?}", alone.not_evaluated);
    assert!(
        reasons[0].contains("owned by account 222222222222") && reasons[0].contains("--account"),
        "{}",
        reasons[0]
    );

    let internal = with_owner("internal", true);
    assert!(shared_findings(&internal).is_empty(), "{:?}", internal.findings);
    assert!(shared_not_evaluated(&internal).is_empty(), "{:?}", internal.not_evaluated);

    let public = with_owner("internet-facing", true);
    let found = shared_findings(&public);
    assert_eq!(found.len(), 1, "{:?}", public.findings);
    assert!(
        found[0].message.contains("through a VPC origin") && found[0].message.contains("internet-facing"),
        "{}",
        found[0].message
    );

    let unlisted = with_owner("internal", false);
    assert!(shared_findings(&unlisted).is_empty(), "{:?}", unlisted.findings);
    let reasons = shared_not_evaluated(&unlisted);
    assert_eq!(reasons.len(), 1, "{:?}", unlisted.not_evaluated);
    assert!(reasons[0].contains("vo_sharedpartner1"), "{}", reasons[0]);
}

/// A multi-tenant distribution of 111111111111 whose API origin is a template: the tenant's
/// filled-in origin names the API of 222222222222, and is judged there (locked by the stage's
/// header ACL), on the tenant, not "in no scanned account".
#[test]
fn a_tenant_origin_in_another_scanned_account_is_judged_there() {
    use edge_audit_checks::inventory::DistributionTenant;
    let mut inventory = load("cross-account-api-origin");
    let home = &mut inventory.accounts[0];
    let distribution = &mut home.distributions[0];
    distribution.connection_mode = Some("tenant-only".into());
    let (id, arn) = (distribution.id.clone(), distribution.arn.clone());
    let origin = distribution.origins.iter_mut().find(|o| o.id == "api").expect("the API origin");
    origin.domain_name = "{{api}}.execute-api.eu-west-1.amazonaws.com".into();
    origin.kind = edge_audit_checks::origin::OriginKind::from_domain(&origin.domain_name);
    home.distribution_tenants.push(DistributionTenant {
        id: "dt_1".into(),
        arn: arn.replace(":distribution/", ":distribution-tenant/").replace(&id, "dt_1"),
        name: "shop".into(),
        distribution_id: id,
        enabled: true,
        parameters: Some([("api".to_string(), "rwh0000g01".to_string())].into_iter().collect()),
        ..DistributionTenant::default()
    });
    let options = CheckOptions::default();
    let indexes = Indexes::build(&inventory);
    let model = Model::build(&inventory, &indexes, &options);
    let home = model.account("111111111111").expect("distribution account");
    let lock = home.perimeter.locks.iter().find(|l| l.origin.id == "api").expect("the tenant's lock");
    assert_eq!(lock.tenant.map(|t| t.id.as_str()), Some("dt_1"));
    assert_eq!(lock.backend_account.as_deref(), Some("222222222222"));
    assert!(lock.unresolved.is_none(), "{:?}", lock.unresolved);
    assert!(lock.origin_locked(), "the stage's header ACL locks it: {:?}", lock.targets);
    let outcome = registry::run_model(&model, registry::all(), None);
    assert!(outcome.not_evaluated.iter().all(|n| n.check_id != "EA106"), "{:?}", outcome.not_evaluated);
}
