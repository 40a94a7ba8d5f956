//! An inventory whose secrets are built from known plaintext values, so tests can prove that no
//! output ever contains them.

use edge_audit_checks::inventory::*;
use edge_audit_checks::origin::OriginKind;
use edge_audit_checks::secret::{exact_literal_of_regex, SecretValue};

/// Plaintext secrets planted in [`inventory`]: origin header values, an API key value, WAF
/// byte-match and regex strings, an ALB header condition value.
pub(crate) const PLAINTEXT: &[&str] = &[
    "hdr-Secret-9f3Kq2LmZx7Wv4Tn8Rb1Yc6Hd0Jp5Gs",
    "weak-origin-secret",
    "apikey-8Jd2Lq9Vx4Mz7Ct1Rw6Yb3Hn0Kf5Gp2Sa",
    "waf-bytes-Qz8Xk2Vm9Lp4Tn7Rc1Wb6Hd3Jf0Gs",
    "regex-Literal-7Hs2Kd9Lq4Vx1Mz8Ct3Rw6Yb0",
    "alb-header-Zk4Ls9Qd2Vx7Mp1Tc8Rw3Yb6Hn0",
];

fn secret(value: &str) -> SecretValue {
    SecretValue::from_plaintext(value)
}

/// One account whose CloudFront, WAF, API Gateway and ALB configuration carries every kind of
/// secret edge-audit handles.
pub(crate) fn inventory() -> Inventory {
    let account_id = "222222222222";
    let mut account = AccountInventory::new(account_id);
    account.regions = vec!["eu-west-1".into()];
    for service in Service::ALL {
        let region = if service.is_global() { GLOBAL_REGION } else { "eu-west-1" };
        account.coverage.push(Coverage::collected(region, service));
    }
    let api_domain = "q1w2e3r4t5.execute-api.eu-west-1.amazonaws.com";
    account.distributions.push(Distribution {
        id: "E9SECRETS0001".into(),
        arn: format!("arn:aws:cloudfront::{account_id}:distribution/E9SECRETS0001"),
        domain_name: "d9secrets.cloudfront.net".into(),
        enabled: true,
        origins: vec![Origin {
            id: "api".into(),
            domain_name: api_domain.into(),
            origin_path: "/prod".into(),
            kind: OriginKind::from_domain(api_domain),
            custom: Some(CustomOriginConfig {
                http_port: 80,
                https_port: 443,
                protocol_policy: "https-only".into(),
                ssl_protocols: vec!["TLSv1.2".into()],
                client_certificate_arn: None,
            }),
            custom_headers: vec![
                OriginHeader { name: "x-origin-verify".into(), value: secret(PLAINTEXT[0]) },
                OriginHeader { name: "x-api-key".into(), value: secret(PLAINTEXT[2]) },
                OriginHeader { name: "x-legacy-verify".into(), value: secret(PLAINTEXT[1]) },
            ],
            ..Origin::default()
        }],
        default_behavior: CacheBehavior {
            target_origin_id: "api".into(),
            viewer_protocol_policy: "allow-all".into(),
            ..CacheBehavior::default()
        },
        ..Distribution::default()
    });
    let acl_arn = format!("arn:aws:wafv2:eu-west-1:{account_id}:regional/webacl/origin-check/acl1");
    account.web_acls.push(WebAcl {
        id: "acl1".into(),
        arn: acl_arn.clone(),
        name: "origin-check".into(),
        scope: WafScope::Regional,
        region: "eu-west-1".into(),
        default_action: WafAction::Block,
        rules: vec![
            WafRule {
                name: "allow-cloudfront".into(),
                priority: 0,
                action: Some(WafAction::Allow),
                override_count: false,
                labels: vec![],
                statement: Statement::ByteMatch {
                    field: FieldToMatch::SingleHeader { name: "x-origin-verify".into() },
                    positional_constraint: "EXACTLY".into(),
                    search: secret(PLAINTEXT[3]),
                    transformations: vec![],
                    test: None,
                },
            },
            WafRule {
                name: "allow-regex".into(),
                priority: 1,
                action: Some(WafAction::Allow),
                override_count: false,
                labels: vec![],
                statement: Statement::RegexMatch {
                    field: FieldToMatch::SingleHeader { name: "x-origin-verify".into() },
                    pattern: secret(&format!("^{}$", PLAINTEXT[4])),
                    literal: exact_literal_of_regex(&format!("^{}$", PLAINTEXT[4])).map(|l| secret(&l)),
                    transformations: vec![],
                    test: None,
                },
            },
        ],
        logging_enabled: Some(false),
        ..WebAcl::default()
    });
    account.rest_apis.push(RestApi {
        id: "q1w2e3r4t5".into(),
        arn: "arn:aws:apigateway:eu-west-1::/restapis/q1w2e3r4t5".into(),
        name: "secrets-api".into(),
        region: "eu-west-1".into(),
        endpoint_types: vec!["REGIONAL".into()],
        stages: vec![RestStage { name: "prod".into(), web_acl_arn: Some(acl_arn), ..RestStage::default() }],
        resources: vec![RestResource {
            id: "r".into(),
            path: "/".into(),
            methods: vec![RestMethod {
                http_method: "GET".into(),
                authorization_type: "NONE".into(),
                api_key_required: true,
                ..RestMethod::default()
            }],
        }],
        ..RestApi::default()
    });
    account.api_keys.push(ApiKey {
        id: "key1".into(),
        name: "cloudfront".into(),
        region: "eu-west-1".into(),
        enabled: true,
        value: Some(secret(PLAINTEXT[2])),
    });
    account.load_balancers.push(LoadBalancer {
        arn: format!("arn:aws:elasticloadbalancing:eu-west-1:{account_id}:loadbalancer/app/lb/1"),
        name: "lb".into(),
        region: "eu-west-1".into(),
        lb_type: "application".into(),
        scheme: "internet-facing".into(),
        dns_name: "lb-1.eu-west-1.elb.amazonaws.com".into(),
        listeners: vec![Listener {
            arn: format!("arn:aws:elasticloadbalancing:eu-west-1:{account_id}:listener/app/lb/1/2"),
            port: 443,
            protocol: "HTTPS".into(),
            default_actions: vec![LbAction::FixedResponse { status_code: "403".into() }],
            mutual_authentication: None,
            rules: vec![ListenerRule {
                arn: "rule-1".into(),
                priority: 1,
                conditions: vec![RuleCondition::HttpHeader {
                    name: "X-Origin-Verify".into(),
                    values: vec![secret(PLAINTEXT[5])],
                    tests: vec![],
                    regex: false,
                }],
                actions: vec![LbAction::Forward { target_group_arns: vec!["tg".into()] }],
            }],
        }],
        ..LoadBalancer::default()
    });
    Inventory::new(vec![account])
}
