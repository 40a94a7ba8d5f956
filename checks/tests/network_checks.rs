//! EA401–EA406 and EA501 on fixture inventories (and EA501 on `oac-lambda-public`).
//!
//! `network-bad`: distribution E5NET000000001 in front of
//! - `alb-open`: security group open to the internet on 80/443 (listener 443), a header rule
//!   with a weak secret;
//! - `alb-pl`: security group on the CloudFront prefix list, HTTP listener forwarding by
//!   default;
//! - both share target group `web-tg` (instances i-0aaa…, i-0bbb… on 8080 behind `web-sg`,
//!   which also opens 8080 and SSH 22 to the world);
//! - `ec2-pl`: instance i-0ccc… on the prefix list, no secret header sent;
//! - `ec2-open`: instance i-0ddd… with 443 open to the world;
//! - `lambda-url`: function `url-app` with AuthType NONE and a public invoke policy.
//!
//! Also: a network interface whose group opens 3380–3390 (RDP included) to ::/0, an unattached
//! group with SSH open (not reported), a non-origin function `report` with AuthType NONE and no
//! policy.
//!
//! `network-good`: prefix list + header rule + web ACL on the ALB, targets admitting only the
//! ALB's group, an instance origin that receives a secret header, SSH only from the VPC, a
//! Lambda URL origin with AWS_IAM and OAC.

mod support;

use support::{row, run_check, sorted_summary};

#[test]
fn ea401_reports_origin_groups_open_on_listener_ports() {
    let outcome = run_check("EA401", "network-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [
            row("sg-0a1b2c3d4e5f00001", "high", "alb-open"),
            row("sg-0a1b2c3d4e5f00006", "high", "i-0ddd0000000000001"),
        ]
    );
    // alb-open listens on 443 only: port 80 being open too is not what makes it an origin risk.
    assert_eq!(
        outcome.findings.iter().find(|f| f.detail == "alb-open").map(|f| f.evidence["ports"].clone()),
        Some(serde_json::json!([443]))
    );
    assert!(run_check("EA401", "network-good").findings.is_empty());
}

#[test]
fn ea402_reports_admin_ports_on_attached_groups_only() {
    let outcome = run_check("EA402", "network-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("sg-0a1b2c3d4e5f00003", "high", "22"), row("sg-0a1b2c3d4e5f00004", "high", "3389"),]
    );
    let web = outcome.findings.iter().find(|f| f.detail == "22").map(|f| f.evidence["attached_to"].clone());
    assert_eq!(
        web,
        Some(serde_json::json!(["instance i-0aaa0000000000001", "instance i-0bbb0000000000001"]))
    );
    assert!(run_check("EA402", "network-good").findings.is_empty());
}

#[test]
fn ea403_reports_targets_reachable_around_the_alb() {
    let outcome = run_check("EA403", "network-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("i-0aaa0000000000001", "medium", "8080"), row("i-0bbb0000000000001", "medium", "8080")]
    );
    assert!(outcome.findings[0].message.contains("the internet"));
    assert!(run_check("EA403", "network-good").findings.is_empty());
}

#[test]
fn ea404_reports_alb_forwarding_without_header() {
    let outcome = run_check("EA404", "network-bad");
    assert_eq!(sorted_summary(&outcome.findings), [row("app/alb-pl/2222222222222222", "high", "")]);
    assert!(outcome.findings[0].message.contains("forwards by default"), "{}", outcome.findings[0].message);
    assert!(run_check("EA404", "network-good").findings.is_empty());
}

#[test]
fn ea405_reports_prefix_list_only_origins() {
    let outcome = run_check("EA405", "network-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("app/alb-pl/2222222222222222", "medium", ""), row("i-0ccc0000000000001", "medium", "")]
    );
    assert!(outcome.findings.iter().all(|f| f.evidence["prefix_lists"].to_string().contains("pl-4fa04526")));
    assert!(run_check("EA405", "network-good").findings.is_empty());
}

#[test]
fn ea406_reports_alb_origins_without_web_acl() {
    let outcome = run_check("EA406", "network-bad");
    assert_eq!(
        sorted_summary(&outcome.findings),
        [row("app/alb-open/1111111111111111", "low", ""), row("app/alb-pl/2222222222222222", "low", "")]
    );
    assert!(run_check("EA406", "network-good").findings.is_empty());
}

#[test]
fn ea501_grades_public_function_urls_by_use() {
    let outcome = run_check("EA501", "network-bad");
    assert_eq!(sorted_summary(&outcome.findings), [row("report", "medium", ""), row("url-app", "high", "")]);
    let report = outcome.findings.iter().find(|f| f.resource.id == "report").map(|f| f.confidence.as_str());
    assert_eq!(report, Some("medium"), "no public invoke policy: lower confidence");
    assert!(run_check("EA501", "network-good").findings.is_empty());
}

/// `oac-lambda-public`: the OAC always signs and `app`'s policy lets CloudFront in by SourceArn,
/// but a second statement lets principal `*` call lambda:InvokeFunctionUrl (conditioned only on
/// `lambda:FunctionUrlAuthType`, which narrows nothing): EA501 high, and the perimeter has no
/// AWS_IAM guard for it (EA106). `reports` grants `AWS: *` only within an organization
/// (`aws:PrincipalOrgID`): quiet, as is `oac-lambda-good` (CloudFront by SourceArn only).
#[test]
fn ea501_reports_aws_iam_function_urls_granted_to_everyone() {
    let outcome = run_check("EA501", "oac-lambda-public");
    assert_eq!(sorted_summary(&outcome.findings), [row("app", "high", "")]);
    let app = &outcome.findings[0];
    assert_eq!(app.evidence["auth_type"], "AWS_IAM");
    assert_eq!(app.evidence["public_statement"], "anyone-with-credentials");
    assert_eq!(app.evidence["origin_of"], serde_json::json!(["E7OACPUBLIC001/app"]));
    assert!(app.message.contains("any AWS account can sign a request"), "{}", app.message);
    assert!(run_check("EA501", "oac-lambda-good").findings.is_empty());

    // The perimeter model agrees: `app`'s function URL is reachable from the internet (no
    // AWS_IAM guard), naming the statement; `reports` keeps its guard.
    let exposure_of = |fixture: &str, origin_id: &str| {
        use edge_audit_checks::index::Index;
        use edge_audit_checks::perimeter::{Exposure, Perimeter};
        let inventory = support::load(fixture);
        let account = &inventory.accounts[0];
        let index = Index::build(account);
        let options = edge_audit_checks::CheckOptions::default();
        let perimeter = Perimeter::build(account, &index, &options);
        let lock = perimeter.locks.iter().find(|l| l.origin.id == origin_id).expect("a lock");
        match Exposure::of(&lock.targets[0].side) {
            Exposure::Internet(why) => Some(why.join("; ")),
            _ => None,
        }
    };
    let why = exposure_of("oac-lambda-public", "app").expect("app is reachable from the internet");
    assert!(why.contains("anyone-with-credentials") && why.contains("principal *"), "{why}");
    assert_eq!(exposure_of("oac-lambda-public", "reports"), None);
    assert_eq!(exposure_of("oac-lambda-good", "app"), None);

    // The same grant spelled `{"AWS": "*"}` with `lambda:*` and no condition fires; an
    // unconditional Deny of everyone, or a SourceArn condition, keeps it quiet.
    let with_statement = |statement: serde_json::Value| {
        let mut inventory = support::load("oac-lambda-good");
        let function = &mut inventory.accounts[0].lambda_functions[0];
        let policy = function.policy.as_mut().unwrap();
        policy["Statement"].as_array_mut().unwrap().push(statement);
        support::run_inventory("EA501", &inventory).findings.len()
    };
    let aws_star = serde_json::json!({"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "lambda:*", "Resource": "*"});
    assert_eq!(with_statement(aws_star.clone()), 1);
    let mut narrowed = aws_star.clone();
    narrowed["Condition"] = serde_json::json!({"ArnLike": {"AWS:SourceArn": "arn:aws:cloudfront::111111111111:distribution/E7OACGOOD00001"}});
    assert_eq!(with_statement(narrowed), 0);
    let mut inventory = support::load("oac-lambda-good");
    let statements = inventory.accounts[0].lambda_functions[0].policy.as_mut().unwrap()["Statement"]
        .as_array_mut()
        .unwrap();
    statements.push(aws_star);
    statements.push(serde_json::json!({"Effect": "Deny", "Principal": "*", "Action": "lambda:InvokeFunctionUrl", "Resource": "*"}));
    assert!(support::run_inventory("EA501", &inventory).findings.is_empty());
}

/// A customer-managed prefix list is as open as the ranges it holds: the ALB's group admits a
/// list whose two halves cover IPv4 (EA401), or a list of office ranges (quiet); the CloudFront
/// origin-facing list stays recognised by name.
#[test]
fn customer_prefix_lists_are_judged_by_their_entries() {
    use edge_audit_checks::inventory::PrefixList;
    use edge_audit_checks::registry;
    let with_entries = |entries: Option<Vec<String>>| {
        let mut inventory = support::load("network-good");
        let account = &mut inventory.accounts[0];
        if entries.is_none() {
            account.coverage.push(edge_audit_checks::inventory::Coverage::resource_failed(
                "eu-west-1",
                edge_audit_checks::inventory::Service::Ec2,
                "GetManagedPrefixListEntries",
                "pl-0customer00001",
                "UnauthorizedOperation: You are not authorized to perform this operation.",
            ));
        }
        account.prefix_lists.push(PrefixList {
            id: "pl-0customer00001".into(),
            name: "partner-ranges".into(),
            region: "eu-west-1".into(),
            owner_id: Some(account.account_id.clone()),
            entries,
        });
        let alb_group = account.security_groups.iter_mut().find(|sg| sg.id == "sg-0b1b2c3d4e5f00001");
        alb_group.expect("the ALB's group").ingress[0].prefix_list_ids.push("pl-0customer00001".into());
        let check = registry::find("EA401").expect("EA401");
        registry::run(&inventory, &[check], &Default::default())
    };
    let with_list = |entries: &[&str]| with_entries(Some(entries.iter().map(|e| e.to_string()).collect()));
    let open = with_list(&["0.0.0.0/1", "128.0.0.0/1"]);
    assert_eq!(sorted_summary(&open.findings), [row("sg-0b1b2c3d4e5f00001", "high", "alb")]);
    let office = with_list(&["198.51.100.0/24", "2001:db8:1::/48"]);
    assert!(office.findings.is_empty(), "{:?}", office.findings);
    assert!(office.not_evaluated.is_empty(), "{:?}", office.not_evaluated);

    // Entries that could not be read: not "not open". The group is not evaluated, naming the
    // list and the failed read; nothing passes and nothing is guessed.
    let unread = with_entries(None);
    assert!(unread.findings.is_empty(), "{:?}", unread.findings);
    let reasons: Vec<(&str, &str)> =
        unread.not_evaluated.iter().map(|n| (n.scope.as_str(), n.reason.as_str())).collect();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(reasons[0].0.ends_with("security-group/sg-0b1b2c3d4e5f00001"), "{reasons:?}");
    assert!(
        reasons[0].1.contains("pl-0customer00001 (partner-ranges)")
            && reasons[0].1.contains("GetManagedPrefixListEntries failed (UnauthorizedOperation"),
        "{reasons:?}"
    );
}

/// Origin mutual TLS locks an ALB only where every listener verifies client certificates against
/// a trust store: `mtls-good` (mode verify) is quiet, `mtls-bad` (passthrough) is EA404 naming the
/// mode.
#[test]
fn ea404_accepts_verified_mutual_tls_and_not_passthrough() {
    let bad = support::run_check("EA404", "mtls-bad");
    assert_eq!(bad.findings.len(), 1, "{:?}", bad.findings);
    assert!(bad.findings[0].message.contains("mutual TLS mode passthrough"), "{}", bad.findings[0].message);
    let good = support::run_check("EA404", "mtls-good");
    assert!(good.findings.is_empty() && good.not_evaluated.is_empty(), "{:?}", good.findings);
    // The guard is the listener's verification; the distribution presents a certificate.
    let inventory = support::load("mtls-good");
    let account = &inventory.accounts[0];
    let index = edge_audit_checks::index::Index::build(account);
    let options = edge_audit_checks::CheckOptions::default();
    let perimeter = edge_audit_checks::perimeter::Perimeter::build(account, &index, &options);
    let lock = &perimeter.locks[0];
    assert_eq!(lock.sent.mechanisms(), ["origin-mtls"]);
    let report =
        lock.targets[0].verdicts.iter().find(|v| v.guard == "origin-mutual-tls").expect("mTLS guard");
    assert!(report.why.contains("presents client certificate"), "{}", report.why);
}

/// The trust store behind a `verify` listener (DescribeTrustStores): `ACTIVE` with a CA
/// certificate locks (the guard names it); `CREATING` is no lock (EA404 says why); a trust store
/// with no CA certificate, one the region's listing does not hold (shared from another account)
/// and one whose listing failed (AccessDenied) cannot be verified: EA404 is not evaluated with
/// the reason, never a pass.
#[test]
fn ea404_judges_mutual_tls_by_its_trust_store() {
    use edge_audit_checks::inventory::{Coverage, Service};
    let with = |edit: &dyn Fn(&mut edge_audit_checks::Inventory)| {
        let mut inventory = support::load("mtls-good");
        edit(&mut inventory);
        support::run_inventory("EA404", &inventory)
    };
    fn trust_store(
        inventory: &mut edge_audit_checks::Inventory,
    ) -> &mut Option<edge_audit_checks::inventory::TrustStore> {
        let listener = &mut inventory.accounts[0].load_balancers[0].listeners[0];
        &mut listener.mutual_authentication.as_mut().unwrap().trust_store
    }
    let active = with(&|_| {});
    assert!(active.findings.is_empty() && active.not_evaluated.is_empty(), "{:?}", active);

    let creating = with(&|inventory| trust_store(inventory).as_mut().unwrap().status = "CREATING".into());
    assert_eq!(creating.findings.len(), 1, "{:?}", creating);
    assert!(
        creating.findings[0].message.contains("status is CREATING, not ACTIVE"),
        "{}",
        creating.findings[0].message
    );

    let not_evaluated = |outcome: &edge_audit_checks::registry::Outcome, needle: &str| {
        assert!(outcome.findings.is_empty(), "no confident finding: {:?}", outcome.findings);
        assert!(
            outcome.not_evaluated.iter().any(|n| n.reason.contains(needle)),
            "{needle}: {:?}",
            outcome.not_evaluated
        );
    };
    let empty = with(&|inventory| trust_store(inventory).as_mut().unwrap().ca_certificates = Some(0));
    not_evaluated(&empty, "reports no CA certificate");
    let shared = with(&|inventory| *trust_store(inventory) = None);
    not_evaluated(&shared, "listing does not hold (shared from another account?)");
    let denied = with(&|inventory| {
        *trust_store(inventory) = None;
        let account = &mut inventory.accounts[0];
        account.coverage.push(Coverage::failed(
            "eu-west-1".to_string(),
            Service::Elbv2,
            "DescribeTrustStores",
            "AccessDenied: not authorized".to_string(),
        ));
    });
    not_evaluated(&denied, "could not be read (DescribeTrustStores: AccessDenied");
}

/// CloudFront's IPv6 origin-facing list, as AWS names it, in a fixture's account.
fn with_ipv6_cloudfront_list(inventory: &mut edge_audit_checks::inventory::Inventory, group: &str) {
    use edge_audit_checks::inventory::PrefixList;
    let account = &mut inventory.accounts[0];
    account.prefix_lists.push(PrefixList {
        id: "pl-0ipv6cloudfront".into(),
        name: "com.amazonaws.global.ipv6.cloudfront.origin-facing".into(),
        region: "eu-west-1".into(),
        owner_id: Some("AWS".into()),
        entries: None,
    });
    let groups: Vec<_> = account.security_groups.iter_mut().filter(|sg| sg.id == group).collect();
    assert_eq!(groups.len(), 1, "no group {group} in the fixture");
    for sg in groups {
        for rule in &mut sg.ingress {
            rule.prefix_list_ids.push("pl-0ipv6cloudfront".into());
        }
    }
}

/// A dual-stack origin restricted to both CloudFront origin-facing lists (IPv4 and
/// `com.amazonaws.global.ipv6.cloudfront.origin-facing`) is restricted to CloudFront: the IPv6
/// list is recognised by its real name, so EA405 names both lists on the prefix-list-only ALB
/// and the locked ALB stays quiet; `::/0` beside the IPv4 list is open to the internet (EA401).
#[test]
fn both_cloudfront_origin_facing_lists_are_recognised_and_ipv6_any_is_open() {
    let run =
        |inventory: &edge_audit_checks::inventory::Inventory, id: &str| support::run_inventory(id, inventory);
    let mut bad = support::load("network-bad");
    with_ipv6_cloudfront_list(&mut bad, "sg-0a1b2c3d4e5f00002");
    let ea405 = run(&bad, "EA405");
    let alb_pl: Vec<_> =
        ea405.findings.iter().filter(|f| f.resource.id == "app/alb-pl/2222222222222222").collect();
    assert_eq!(alb_pl.len(), 1, "{:?}", ea405.findings);
    let lists = alb_pl[0].evidence["prefix_lists"].to_string();
    assert!(lists.contains("pl-4fa04526") && lists.contains("pl-0ipv6cloudfront"), "{lists}");

    let mut good = support::load("network-good");
    with_ipv6_cloudfront_list(&mut good, "sg-0b1b2c3d4e5f00001");
    for id in ["EA401", "EA405"] {
        let outcome = run(&good, id);
        assert!(outcome.findings.is_empty(), "{id}: {:?}", outcome.findings);
    }
    let group = good.accounts[0].security_groups.iter_mut().find(|sg| sg.id == "sg-0b1b2c3d4e5f00001");
    group.expect("the ALB's group").ingress[0].ipv6_ranges.push("::/0".into());
    assert_eq!(sorted_summary(&run(&good, "EA401").findings), [row("sg-0b1b2c3d4e5f00001", "high", "alb")]);
}

/// EA401's severity for a very broad public range (documented on its page): `3.0.0.0/8` on the
/// origin's listener port 443 is medium, naming the range; a public /24 is not reported; an
/// unread customer prefix list is not evaluated (never taken for "not open").
#[test]
fn ea401_reports_a_broad_public_range_at_medium_and_not_a_24() {
    let broad = run_check("EA401", "checks/EA401/fires/broad-public-range");
    assert_eq!(sorted_summary(&broad.findings), [row("sg-0a", "medium", "web")]);
    let finding = &broad.findings[0];
    assert!(finding.message.contains("very broad public ranges (3.0.0.0/8)"), "{}", finding.message);
    assert_eq!(finding.evidence["ports"], serde_json::json!([443]));
    assert_eq!(finding.evidence["broad_ranges"], serde_json::json!(["3.0.0.0/8"]));

    let narrow = run_check("EA401", "checks/EA401/quiet/narrow-public-range");
    assert!(narrow.findings.is_empty() && narrow.not_evaluated.is_empty(), "{narrow:?}");

    let unread = run_check("EA401", "checks/EA401/fires/unread-prefix-list");
    assert!(unread.findings.is_empty(), "{:?}", unread.findings);
    let reasons: Vec<&str> = unread.not_evaluated.iter().map(|n| n.reason.as_str()).collect();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(reasons[0].contains("pl-0partner (partner-ranges) could not be read"), "{reasons:?}");
}

/// A customer-managed prefix list whose entries could not be read, beside the CloudFront list
/// of `alb-pl` and on SSH of `ec2-pl-sg`: EA405 does not call the ALB "prefix list only"
/// (the unread list may admit the internet) and EA402 does not call SSH closed; both are not
/// evaluated, naming the list, while the rest of `network-bad` is judged as before.
#[test]
fn an_unread_prefix_list_is_not_evaluated_by_ea402_and_ea405() {
    use edge_audit_checks::inventory::{Coverage, IngressRule, PrefixList, Service};
    let mut inventory = support::load("network-bad");
    let account = &mut inventory.accounts[0];
    account.coverage.push(Coverage::resource_failed(
        "eu-west-1",
        Service::Ec2,
        "GetManagedPrefixListEntries",
        "pl-0partner",
        "UnauthorizedOperation: You are not authorized to perform this operation.",
    ));
    account.prefix_lists.push(PrefixList {
        id: "pl-0partner".into(),
        name: "partner-ranges".into(),
        region: "eu-west-1".into(),
        owner_id: Some(account.account_id.clone()),
        entries: None,
    });
    fn group<'a>(
        account: &'a mut edge_audit_checks::inventory::AccountInventory,
        id: &str,
    ) -> &'a mut Vec<IngressRule> {
        account.security_groups.iter_mut().find(|sg| sg.id == id).map(|sg| &mut sg.ingress).expect("a group")
    }
    group(account, "sg-0a1b2c3d4e5f00002")
        .iter_mut()
        .for_each(|r| r.prefix_list_ids.push("pl-0partner".into()));
    group(account, "sg-0a1b2c3d4e5f00005").push(IngressRule {
        protocol: "tcp".into(),
        from_port: Some(22),
        to_port: Some(22),
        prefix_list_ids: vec!["pl-0partner".into()],
        ..IngressRule::default()
    });
    let ea405 = support::run_inventory("EA405", &inventory);
    assert_eq!(sorted_summary(&ea405.findings), [row("i-0ccc0000000000001", "medium", "")]);
    let not_evaluated: Vec<(&str, &str)> =
        ea405.not_evaluated.iter().map(|n| (n.scope.as_str(), n.reason.as_str())).collect();
    assert_eq!(not_evaluated.len(), 1, "{not_evaluated:?}");
    assert!(not_evaluated[0].0.ends_with("app/alb-pl/2222222222222222"), "{not_evaluated:?}");
    assert!(
        not_evaluated[0].1.contains("pl-0partner (partner-ranges) could not be read"),
        "{not_evaluated:?}"
    );

    let ea402 = support::run_inventory("EA402", &inventory);
    assert!(
        ea402.findings.iter().all(|f| f.resource.arn.contains("sg-0a1b2c3d4e5f00003")
            || f.resource.arn.contains("sg-0a1b2c3d4e5f00004")),
        "{:?}",
        ea402.findings
    );
    let scopes: Vec<&str> = ea402.not_evaluated.iter().map(|n| n.scope.as_str()).collect();
    assert_eq!(scopes.len(), 1, "{scopes:?}");
    assert!(scopes[0].ends_with("security-group/sg-0a1b2c3d4e5f00005"), "{scopes:?}");
}
