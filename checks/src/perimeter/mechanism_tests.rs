//! Table tests of the 2024+ lock mechanisms: what a VPC origin's endpoint amounts to, and what a
//! function's resource policy grants CloudFront for one distribution.

use super::oac::{cloudfront_grant, GrantScope};
use super::vpc::{vpc_origin_reach, VpcOriginReach};
use super::Scope;
use crate::index::Index;
use crate::inventory::*;
use crate::options::CheckOptions;
use serde_json::{json, Value};

const ACCOUNT: &str = "111111111111";
const DISTRIBUTION: &str = "arn:aws:cloudfront::111111111111:distribution/EDIST";
const LB: &str = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/1";
const NLB: &str = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/tcp/2";
const INSTANCE: &str = "arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc";

fn account(scheme: &str, public_ip: Option<&str>, sg_cidr: &str, endpoint: &str) -> AccountInventory {
    let coverage: Vec<Value> = ["global", "eu-west-1"]
        .iter()
        .flat_map(|r| {
            ["cloudfront", "ec2", "elbv2"].map(|s| json!({"region": r, "service": s, "status": "collected"}))
        })
        .collect();
    serde_json::from_value(json!({
        "account_id": ACCOUNT, "regions": ["eu-west-1"],
        "coverage": coverage,
        "vpc_origins": [{"id": "vo_1", "arn": "arn:aws:cloudfront::111111111111:vpcorigin/vo_1", "account_id": ACCOUNT,
                         "endpoint_arn": endpoint, "status": "Deployed"}],
        "load_balancers": [
            {"arn": LB, "name": "web", "region": "eu-west-1", "scheme": scheme, "dns_name": "web-1.eu-west-1.elb.amazonaws.com"},
            {"arn": NLB, "name": "tcp", "region": "eu-west-1", "lb_type": "network", "scheme": scheme, "dns_name": "tcp-2.elb.eu-west-1.amazonaws.com"}
        ],
        "instances": [{"id": "i-0abc", "arn": INSTANCE, "region": "eu-west-1", "state": "running",
                       "public_ip": public_ip, "security_groups": ["sg-1"]}],
        "security_groups": [{"id": "sg-1", "region": "eu-west-1",
                             "ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "ipv4_ranges": [sg_cidr]}]}]
    }))
    .expect("an account")
}

fn origin(vpc_origin_id: &str, owner: Option<&str>) -> Origin {
    serde_json::from_value(json!({"id": "o", "domain_name": "web-1.eu-west-1.elb.amazonaws.com",
        "vpc_origin_id": vpc_origin_id, "vpc_origin": {"vpc_origin_id": vpc_origin_id, "owner_account_id": owner}}))
    .expect("an origin")
}

/// `P` private, `I` internet, `N` not evaluated.
fn reach_kind(reach: &VpcOriginReach) -> char {
    match reach {
        VpcOriginReach::Private(_) => 'P',
        VpcOriginReach::Internet(_) => 'I',
        VpcOriginReach::NotEvaluated(_) => 'N',
    }
}

/// (what, scheme, instance public ip, SG source, endpoint, vpc origin id, owner, expected, reason part)
type ReachCase<'a> =
    (&'a str, &'a str, Option<&'a str>, &'a str, &'a str, &'a str, Option<&'a str>, char, &'a str);

/// (what, statements, expected (InvokeFunctionUrl, InvokeFunction))
type GrantCase<'a> = (&'a str, Vec<Value>, (Option<GrantScope>, Option<GrantScope>));

#[test]
fn vpc_origin_reach_table() {
    let cases: &[ReachCase<'_>] = &[
        ("internal ALB", "internal", None, "10.0.0.0/8", LB, "vo_1", None, 'P', "internal load balancer web"),
        (
            "internet-facing ALB",
            "internet-facing",
            None,
            "10.0.0.0/8",
            LB,
            "vo_1",
            None,
            'I',
            "internet-facing",
        ),
        (
            "internal NLB",
            "internal",
            None,
            "10.0.0.0/8",
            NLB,
            "vo_1",
            Some(ACCOUNT),
            'P',
            "internal load balancer tcp",
        ),
        (
            "instance without public address",
            "internal",
            None,
            "0.0.0.0/0",
            INSTANCE,
            "vo_1",
            None,
            'P',
            "no public address",
        ),
        (
            "public instance, closed SG",
            "internal",
            Some("203.0.113.9"),
            "10.0.0.0/8",
            INSTANCE,
            "vo_1",
            None,
            'P',
            "admits the internet on none",
        ),
        (
            "public instance, open SG",
            "internal",
            Some("203.0.113.9"),
            "0.0.0.0/0",
            INSTANCE,
            "vo_1",
            None,
            'I',
            "[443]",
        ),
        (
            "shared from another account",
            "internal",
            None,
            "10.0.0.0/8",
            LB,
            "vo_1",
            Some("222222222222"),
            'N',
            "owned by account 222222222222",
        ),
        (
            "VPC origin not listed",
            "internal",
            None,
            "10.0.0.0/8",
            LB,
            "vo_9",
            None,
            'N',
            "vo_9 is not in account 111111111111's inventory",
        ),
        (
            "endpoint not in the inventory",
            "internal",
            None,
            "10.0.0.0/8",
            "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/gone/3",
            "vo_1",
            None,
            'N',
            "loadbalancer/app/gone/3 is not in the inventory",
        ),
        (
            "unknown endpoint kind",
            "internal",
            None,
            "10.0.0.0/8",
            "arn:aws:ecs:eu-west-1:1:service/x",
            "vo_1",
            None,
            'N',
            "does not know the endpoint",
        ),
    ];
    let options = CheckOptions::default();
    for (what, scheme, ip, cidr, endpoint, id, owner, expected, reason) in cases {
        let account = account(scheme, *ip, cidr, endpoint);
        let index = Index::build(&account);
        let scope = Scope { account: &account, index: &index, options: &options };
        let reach = vpc_origin_reach(&scope, &origin(id, *owner)).expect("a VPC origin");
        assert_eq!(reach_kind(&reach), *expected, "{what}: {reach:?}");
        assert!(reach.why().contains(reason), "{what}: {:?} lacks {reason:?}", reach.why());
    }
    // A public instance whose group's rule names a customer prefix list whose entries could not
    // be read: not evaluated, naming the list, never "private".
    let mut unread = account("internal", Some("203.0.113.9"), "10.0.0.0/8", INSTANCE);
    unread.security_groups[0].ingress[0].prefix_list_ids.push("pl-0partner".into());
    unread.prefix_lists.push(PrefixList {
        id: "pl-0partner".into(),
        name: "partner-ranges".into(),
        region: "eu-west-1".into(),
        owner_id: Some(ACCOUNT.into()),
        entries: None,
    });
    unread.coverage.push(Coverage::resource_failed(
        "eu-west-1",
        Service::Ec2,
        "GetManagedPrefixListEntries",
        "pl-0partner",
        "UnauthorizedOperation",
    ));
    let index = Index::build(&unread);
    let scope = Scope { account: &unread, index: &index, options: &options };
    let reach = vpc_origin_reach(&scope, &origin("vo_1", None)).expect("a VPC origin");
    assert_eq!(reach_kind(&reach), 'N', "{reach:?}");
    assert!(reach.why().contains("pl-0partner (partner-ranges) could not be read"), "{reach:?}");

    // An origin without a VPC origin has no reach to judge.
    let account = account("internal", None, "10.0.0.0/8", LB);
    let index = Index::build(&account);
    let scope = Scope { account: &account, index: &index, options: &options };
    let plain: Origin =
        serde_json::from_value(json!({"id": "o", "domain_name": "x.example.com"})).expect("origin");
    assert_eq!(vpc_origin_reach(&scope, &plain), None);
}

fn statement(effect: &str, principal: Value, action: Value, condition: Option<Value>) -> Value {
    let mut s = json!({"Effect": effect, "Principal": principal, "Action": action, "Resource": "*"});
    if let Some(condition) = condition {
        s["Condition"] = condition;
    }
    s
}

fn cf() -> Value {
    json!({"Service": "cloudfront.amazonaws.com"})
}

fn source_arn(arn: &str) -> Option<Value> {
    Some(json!({"ArnLike": {"AWS:SourceArn": arn}}))
}

#[test]
fn cloudfront_grant_table() {
    use GrantScope::*;
    let both = json!(["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"]);
    let cases: Vec<GrantCase<'_>> = vec![
        (
            "both by SourceArn",
            vec![statement("Allow", cf(), both.clone(), source_arn(DISTRIBUTION))],
            (Some(Distribution), Some(Distribution)),
        ),
        (
            "SourceArn glob",
            vec![statement(
                "Allow",
                cf(),
                both.clone(),
                source_arn("arn:aws:cloudfront::111111111111:distribution/*"),
            )],
            (Some(Distribution), Some(Distribution)),
        ),
        (
            "another distribution",
            vec![statement(
                "Allow",
                cf(),
                both.clone(),
                source_arn("arn:aws:cloudfront::111111111111:distribution/EOTHER"),
            )],
            (None, None),
        ),
        (
            "SourceAccount only",
            vec![statement(
                "Allow",
                cf(),
                both.clone(),
                Some(json!({"StringEquals": {"AWS:SourceAccount": ACCOUNT}})),
            )],
            (Some(Account), Some(Account)),
        ),
        (
            "another account",
            vec![statement(
                "Allow",
                cf(),
                both.clone(),
                Some(json!({"StringEquals": {"AWS:SourceAccount": "999999999999"}})),
            )],
            (None, None),
        ),
        (
            "no condition",
            vec![statement("Allow", cf(), json!("lambda:*"), None)],
            (Some(AnyDistribution), Some(AnyDistribution)),
        ),
        (
            "the pre-2025 single statement",
            vec![statement("Allow", cf(), json!("lambda:InvokeFunctionUrl"), source_arn(DISTRIBUTION))],
            (Some(Distribution), None),
        ),
        (
            "best of two statements",
            vec![
                statement(
                    "Allow",
                    cf(),
                    json!("lambda:InvokeFunctionUrl"),
                    Some(json!({"StringEquals": {"AWS:SourceAccount": ACCOUNT}})),
                ),
                statement("Allow", cf(), both.clone(), source_arn(DISTRIBUTION)),
            ],
            (Some(Distribution), Some(Distribution)),
        ),
        (
            "an unknown condition key",
            vec![statement(
                "Allow",
                cf(),
                both.clone(),
                Some(json!({"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}})),
            )],
            (Some(Unknown), Some(Unknown)),
        ),
        (
            "another principal",
            vec![statement("Allow", json!({"AWS": "*"}), both.clone(), None)],
            (None, None),
        ),
        (
            "an unconditional Deny",
            vec![
                statement("Allow", cf(), both.clone(), source_arn(DISTRIBUTION)),
                statement("Deny", cf(), json!("lambda:InvokeFunction"), None),
            ],
            (Some(Distribution), None),
        ),
    ];
    for (what, statements, (url, function)) in cases {
        let policy = json!({"Version": "2012-10-17", "Statement": statements});
        let grant = cloudfront_grant(Some(&policy), DISTRIBUTION, ACCOUNT);
        assert_eq!((grant.invoke_function_url, grant.invoke_function), (url, function), "{what}");
    }
    let none = cloudfront_grant(None, DISTRIBUTION, ACCOUNT);
    assert_eq!(none.missing(), ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"]);
}

/// Mutual TLS on an API Gateway custom domain locks the API only with the default endpoint
/// disabled (and no other public domain without it).
#[test]
fn api_custom_domain_mutual_tls_table() {
    use super::{Exposure, Perimeter};
    const STAGE: &str = "arn:aws:apigateway:eu-west-1::/restapis/a1/stages/prod";
    let api = |disabled: bool| {
        json!({"id": "a1", "arn": "arn:aws:apigateway:eu-west-1::/restapis/a1", "name": "api", "region": "eu-west-1",
               "endpoint_types": ["REGIONAL"], "stages": [{"name": "prod"}], "disable_execute_api_endpoint": disabled,
               "resources": [{"id": "r", "path": "/items", "methods": [
                   {"http_method": "GET", "authorization_type": "NONE", "api_key_required": false}]}]})
    };
    let domain = |name: &str, mtls: bool| {
        let mut d = json!({"name": name, "region": "eu-west-1", "endpoint_type": "REGIONAL",
                           "mappings": [{"base_path": "", "api_id": "a1", "stage": "prod"}]});
        if mtls {
            d["mutual_tls_truststore_uri"] = json!("s3://trust/ca.pem");
        }
        d
    };
    // (what, execute-api disabled, domains, expected exposure, reason part)
    let cases = [
        (
            "mTLS domain, default endpoint disabled",
            true,
            vec![domain("api.example.com", true)],
            "locked",
            "requires mutual TLS",
        ),
        (
            "mTLS domain, default endpoint enabled",
            false,
            vec![domain("api.example.com", true)],
            "internet",
            "reachable around it",
        ),
        (
            "a second domain without mTLS",
            true,
            vec![domain("api.example.com", true), domain("open.example.com", false)],
            "internet",
            "open.example.com",
        ),
        ("no mTLS at all", true, vec![domain("api.example.com", false)], "internet", ""),
    ];
    for (what, disabled, domains, expected, reason) in cases {
        let coverage: Vec<Value> = ["apigateway", "apigatewayv2", "wafv2-regional"]
            .iter()
            .map(|s| json!({"region": "eu-west-1", "service": s, "status": "collected"}))
            .collect();
        let account: AccountInventory = serde_json::from_value(json!({
            "account_id": ACCOUNT, "regions": ["eu-west-1"], "coverage": coverage,
            "rest_apis": [api(disabled)], "domain_names": domains}))
        .expect("an account");
        let index = Index::build(&account);
        let options = CheckOptions::default();
        let perimeter = Perimeter::build(&account, &index, &options);
        let backend = perimeter.backend(STAGE).expect("the stage");
        assert_eq!(backend.exposure.as_str(), expected, "{what}: {:?}", backend.exposure);
        let reasons: Vec<String> = backend
            .side
            .guards
            .iter()
            .map(|g| g.describe())
            .chain(backend.side.open_because.iter().cloned())
            .collect();
        assert!(reasons.iter().any(|r| r.contains(reason)), "{what}: {reasons:?}");
        if expected == "locked" {
            assert!(
                matches!(&backend.exposure, Exposure::Locked(g) if g.contains(&"origin-mutual-tls")),
                "{what}"
            );
        }
    }
}
