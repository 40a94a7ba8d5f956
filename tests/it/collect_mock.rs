//! The collectors against mocked AWS answers (aws-smithy-mocks): pagination, retries and
//! throttling, fail-closed coverage, timeouts, custom cache policies and secret fingerprints.
// A panic is how a test reports a broken expectation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::aws_mock::{self, error_meta, http, mocked_clients, ACCOUNT, REGION};
use aws_sdk_cloudfront::operation::list_distributions::ListDistributionsOutput;
use aws_smithy_mocks::{mock, Rule};
use edge_audit::collect::operations::OPERATIONS;
use edge_audit::collect::{collect_account, AccountClients, CallStats, OperationStats, StatsInterceptor};
use edge_audit_checks::inventory::{
    AccountInventory, CoverageStatus, RuleCondition, Service, Statement, GLOBAL_REGION,
};
use std::time::Duration;

/// A strong origin-verify secret, alphanumeric so that `^…$` is an exact-literal regex.
const ORIGIN_SECRET: &str = "Zq8VtY3nWc6LpR2xKd9HsJ4mBf7Ga1UeXw5Tn0Pj";
const API_KEY_SECRET: &str = "k3y-Hb7Qz2Lm9Xc4Vr8Tn1Ws6Pd0Fg5Jy";
const CUSTOM_CACHE_POLICY: &str = "11111111-2222-3333-4444-555555555555";
const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

async fn collect(rules: Vec<Rule>) -> (AccountInventory, CallStats) {
    let (clients, stats) = mocked_clients(rules);
    (collect_account(&clients, &aws_mock::scope(), 4).await, stats)
}

/// The counters of `operation`, summed over the services that have one of that name.
fn stats_of(stats: &CallStats, operation: &str) -> OperationStats {
    stats.snapshot().into_iter().filter(|((_, op), _)| op == operation).fold(
        OperationStats::default(),
        |sum, (_, s)| OperationStats {
            calls: sum.calls + s.calls,
            pages: sum.pages + s.pages,
            attempts: sum.attempts + s.attempts,
            retries: sum.retries + s.retries,
            throttled: sum.throttled + s.throttled,
            errors: sum.errors + s.errors,
            bytes_received: sum.bytes_received + s.bytes_received,
        },
    )
}

/// Every failed read, of a whole service or of one resource.
fn failures(account: &AccountInventory) -> Vec<String> {
    account.coverage.iter().filter(|c| c.status.is_failure()).map(|c| c.reason()).collect()
}

// ---------------------------------------------------------------------------------------------
// CloudFront answers as XML, parsed by the real SDK deserializer.

fn origin_xml(id: &str, domain: &str, path: &str, headers: &[(&str, &str)]) -> String {
    let items: String = headers
        .iter()
        .map(|(name, value)| {
            format!("<OriginCustomHeader><HeaderName>{name}</HeaderName><HeaderValue>{value}</HeaderValue></OriginCustomHeader>")
        })
        .collect();
    format!(
        "<Origin><Id>{id}</Id><DomainName>{domain}</DomainName><OriginPath>{path}</OriginPath>\
         <CustomHeaders><Quantity>{}</Quantity><Items>{items}</Items></CustomHeaders>\
         <CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort>\
         <OriginProtocolPolicy>https-only</OriginProtocolPolicy>\
         <OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>\
         </CustomOriginConfig></Origin>",
        headers.len()
    )
}

fn behavior_xml(tag: &str, path: Option<&str>, origin: &str, cache_policy: &str) -> String {
    let path = path.map(|p| format!("<PathPattern>{p}</PathPattern>")).unwrap_or_default();
    format!(
        "<{tag}>{path}<TargetOriginId>{origin}</TargetOriginId><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>\
         <AllowedMethods><Quantity>2</Quantity><Items><Method>GET</Method><Method>HEAD</Method></Items></AllowedMethods>\
         <CachePolicyId>{cache_policy}</CachePolicyId></{tag}>"
    )
}

fn distribution_xml(
    id: &str,
    origins: &[String],
    default_behavior: String,
    behaviors: &[String],
    acl: &str,
) -> String {
    format!(
        "<DistributionSummary><Id>{id}</Id><ARN>arn:aws:cloudfront::{ACCOUNT}:distribution/{id}</ARN>\
         <Status>Deployed</Status><DomainName>{id}.cloudfront.net</DomainName>\
         <Aliases><Quantity>0</Quantity></Aliases>\
         <Origins><Quantity>{}</Quantity><Items>{}</Items></Origins>{default_behavior}\
         <CacheBehaviors><Quantity>{}</Quantity><Items>{}</Items></CacheBehaviors>\
         <Comment>test</Comment><PriceClass>PriceClass_All</PriceClass><Enabled>true</Enabled>\
         <ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate>\
         <MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion></ViewerCertificate>\
         <WebACLId>{acl}</WebACLId><HttpVersion>http2</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled>\
         <Staging>false</Staging></DistributionSummary>",
        origins.len(),
        origins.concat(),
        behaviors.len(),
        behaviors.concat(),
    )
}

fn simple_distribution(id: &str) -> String {
    distribution_xml(
        id,
        &[origin_xml("site", "site.example.com", "", &[])],
        behavior_xml("DefaultCacheBehavior", None, "site", CACHING_DISABLED),
        &[],
        "",
    )
}

fn distribution_list_xml(items: &[String], next_marker: Option<&str>) -> String {
    let next = next_marker.map(|m| format!("<NextMarker>{m}</NextMarker>")).unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <DistributionList xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
         <Marker></Marker>{next}<MaxItems>{}</MaxItems><IsTruncated>{}</IsTruncated><Quantity>{}</Quantity>\
         <Items>{}</Items></DistributionList>",
        items.len(),
        next_marker.is_some(),
        items.len(),
        items.concat()
    )
}

/// ListDistributions answering `page` for the request whose Marker is `marker`.
fn list_distributions_page(marker: Option<&'static str>, body: String) -> Rule {
    mock!(aws_sdk_cloudfront::Client::list_distributions)
        .match_requests(move |request| request.marker() == marker)
        .then_http_response(move || http(200, &[("content-type", "text/xml")], body.clone()))
}

fn cloudfront_throttle() -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    http(
        400,
        &[("content-type", "text/xml")],
        "<?xml version=\"1.0\"?><ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>\
         <Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>",
    )
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn empty_account_is_collected_everywhere() {
    let (account, stats) = collect(Vec::new()).await;
    assert_eq!(failures(&account), Vec::<String>::new());
    for service in Service::ALL {
        let region = if service.is_global() { GLOBAL_REGION } else { REGION };
        assert!(account.is_collected(region, service), "{service} not collected in {region}");
    }
    assert_eq!(account.coverage.len(), Service::ALL.len());
    assert_eq!(account.account_id, ACCOUNT);
    assert_eq!(account.regions, vec![REGION.to_string()]);
    assert_eq!(account.shield.as_ref().map(|s| s.subscribed), Some(false));
    // Every operation the statistics saw is one the IAM policy is built from.
    for (service, operation) in stats.snapshot().keys() {
        assert!(OPERATIONS.iter().any(|o| o.name == operation), "{service}:{operation} is not in OPERATIONS");
    }
}

#[tokio::test]
async fn every_page_of_a_listing_is_read() {
    use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput;
    use aws_sdk_ec2::types::{IpPermission, IpRange, SecurityGroup};
    let group = |id: &str| {
        SecurityGroup::builder()
            .group_id(id)
            .group_name(id)
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443)
                    .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                    .build(),
            )
            .build()
    };
    let (g1, g2, g3) = (group("sg-1"), group("sg-2"), group("sg-3"));
    let rules = vec![
        list_distributions_page(None, distribution_list_xml(&[simple_distribution("E1")], Some("m1"))),
        list_distributions_page(
            Some("m1"),
            distribution_list_xml(&[simple_distribution("E2"), simple_distribution("E3")], Some("m2")),
        ),
        list_distributions_page(Some("m2"), distribution_list_xml(&[simple_distribution("E4")], None)),
        mock!(aws_sdk_ec2::Client::describe_security_groups)
            .match_requests(|r| r.next_token().is_none())
            .then_output(move || {
                DescribeSecurityGroupsOutput::builder()
                    .security_groups(g1.clone())
                    .security_groups(g2.clone())
                    .next_token("t1")
                    .build()
            }),
        mock!(aws_sdk_ec2::Client::describe_security_groups)
            .match_requests(|r| r.next_token() == Some("t1"))
            .then_output(move || DescribeSecurityGroupsOutput::builder().security_groups(g3.clone()).build()),
    ];
    let (account, stats) = collect(rules).await;
    assert_eq!(failures(&account), Vec::<String>::new());
    let ids: Vec<&str> = account.distributions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["E1", "E2", "E3", "E4"]);
    let groups: Vec<&str> = account.security_groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(groups, ["sg-1", "sg-2", "sg-3"]);
    assert_eq!(account.security_groups[0].ingress[0].ipv4_ranges, ["0.0.0.0/0"]);
    assert_eq!(account.security_groups[0].arn, format!("arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-1"));
    assert_eq!(stats_of(&stats, "ListDistributions").calls, 3);
    assert_eq!(stats_of(&stats, "DescribeSecurityGroups").calls, 2);
    // --stats tells pages of listings from detail calls.
    assert_eq!(stats_of(&stats, "ListDistributions").pages, 3);
    assert_eq!(stats_of(&stats, "DescribeSecurityGroups").pages, 2);
    let detail = stats_of(&stats, "DescribeSubscription");
    assert_eq!((detail.calls, detail.pages), (1, 0), "a detail call is no page: {detail:?}");
    assert!(account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    assert!(account.is_collected(REGION, Service::Ec2));
    // Managed policies come from the built-in table, never from GetCachePolicy.
    assert_eq!(stats_of(&stats, "GetCachePolicy").calls, 0);
}

#[tokio::test]
async fn throttling_then_success_is_collected() {
    let rule = mock!(aws_sdk_cloudfront::Client::list_distributions)
        .sequence()
        .http_response(cloudfront_throttle)
        .times(2)
        .output(|| ListDistributionsOutput::builder().build())
        .build();
    let (account, stats) = collect(vec![rule]).await;
    assert_eq!(failures(&account), Vec::<String>::new());
    assert!(account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    let list = stats_of(&stats, "ListDistributions");
    assert_eq!((list.calls, list.attempts, list.retries, list.throttled, list.errors), (1, 3, 2, 2, 0));
}

#[tokio::test]
async fn throttling_is_retried_past_the_attempt_limit_until_the_deadline_then_fails_closed() {
    let rule = mock!(aws_sdk_cloudfront::Client::list_distributions)
        .sequence()
        .http_response(cloudfront_throttle)
        .repeatedly()
        .build();
    let (clients, stats) = mocked_clients(vec![rule]);
    let deadline = Duration::from_millis(400);
    let clients = clients.with_throttle_deadline(deadline);
    let started = std::time::Instant::now();
    let account = collect_account(&clients, &aws_mock::scope(), 4).await;
    assert!(started.elapsed() >= deadline, "gave up before the deadline: {:?}", started.elapsed());
    let failed: Vec<_> = account.failures(Service::Cloudfront).collect();
    assert_eq!(failed.len(), 1, "{:?}", account.coverage);
    assert_eq!(failed[0].region, GLOBAL_REGION);
    assert_eq!(failed[0].operation.as_deref(), Some("ListDistributions"));
    assert_eq!(failed[0].error.as_deref(), Some("Throttling: Rate exceeded"));
    assert!(!account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    assert!(account.distributions.is_empty());
    let list = stats_of(&stats, "ListDistributions");
    // The configured limit is 3 attempts: throttling is not bound by it.
    assert!(list.attempts > 3, "{list:?}");
    assert_eq!((list.throttled, list.errors), (list.attempts, 1), "{list:?}");
    // The rest of the account is unaffected.
    assert!(account.is_collected(REGION, Service::Ec2));
}

#[tokio::test]
async fn other_errors_keep_the_attempt_limit() {
    let rule = mock!(aws_sdk_cloudfront::Client::list_distributions)
        .sequence()
        .http_response(|| http(500, &[], "internal error"))
        .repeatedly()
        .build();
    let (account, stats) = collect(vec![rule]).await;
    assert!(!account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    let list = stats_of(&stats, "ListDistributions");
    assert_eq!((list.attempts, list.throttled, list.errors), (3, 0, 1), "{list:?}");
}

#[tokio::test]
async fn access_denied_on_one_service_leaves_the_others_collected() {
    let rule = mock!(aws_sdk_lambda::Client::list_functions).then_error(|| {
        aws_sdk_lambda::operation::list_functions::ListFunctionsError::generic(error_meta(
            "AccessDeniedException",
            "User: arn:aws:sts::123456789012:assumed-role/EdgeAuditReadOnly/edge-audit is not authorized to perform: lambda:ListFunctions",
        ))
    });
    let (account, _) = collect(vec![rule]).await;
    let failed: Vec<_> = account.failures(Service::Lambda).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].region, REGION);
    assert_eq!(failed[0].operation.as_deref(), Some("ListFunctions"));
    assert_eq!(failed[0].resource, None);
    let error = failed[0].error.as_deref().unwrap_or_default();
    assert!(error.starts_with("AccessDeniedException: User: "), "{error}");
    assert!(!account.is_collected(REGION, Service::Lambda));
    for service in Service::ALL.into_iter().filter(|s| *s != Service::Lambda) {
        let region = if service.is_global() { GLOBAL_REGION } else { REGION };
        assert!(account.is_collected(region, service), "{service} should be collected");
    }
}

/// A server that accepts connections and never answers.
async fn silent_server() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    (format!("http://{address}"), task)
}

#[tokio::test]
async fn a_timeout_is_a_coverage_failure() {
    use aws_config::timeout::TimeoutConfig;
    let (endpoint, server) = silent_server().await;
    let config = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .credentials_provider(aws_mock::test_credentials())
        .endpoint_url(&endpoint)
        .retry_config(aws_mock::fast_retry(2))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(2))
                .operation_attempt_timeout(Duration::from_millis(300))
                .operation_timeout(Duration::from_secs(2))
                .build(),
        )
        .build();
    let stats = CallStats::new();
    let clients = AccountClients::new(config).with_interceptor(StatsInterceptor::new(stats.clone()));
    let started = std::time::Instant::now();
    let account = collect_account(&clients, &aws_mock::scope(), 8).await;
    server.abort();
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    // Nothing answered, so nothing is collected and every service says why.
    assert!(account.coverage.iter().all(|c| c.status == CoverageStatus::Failed), "{:?}", account.coverage);
    for service in Service::ALL {
        assert!(account.failures(service).count() >= 1, "{service}: {:?}", account.coverage);
    }
    for coverage in &account.coverage {
        let error = coverage.error.as_deref().unwrap_or_default();
        assert!(error.contains("timed out"), "{error}");
    }
    assert!(stats.totals().attempts >= 2 * Service::ALL.len() as u64);
}

#[tokio::test]
async fn custom_cache_policies_are_read_once_and_failures_name_the_policy() {
    use aws_sdk_cloudfront::operation::get_cache_policy::GetCachePolicyOutput;
    use aws_sdk_cloudfront::types::{CachePolicy, CachePolicyConfig};
    const UNKNOWN_POLICY: &str = "99999999-0000-0000-0000-000000000000";
    let distribution = |id: &str, policy: &str| {
        distribution_xml(
            id,
            &[origin_xml("api", "abc123.execute-api.us-east-1.amazonaws.com", "/prod", &[])],
            behavior_xml("DefaultCacheBehavior", None, "api", CUSTOM_CACHE_POLICY),
            &[
                behavior_xml("CacheBehavior", Some("/static/*"), "api", policy),
                behavior_xml("CacheBehavior", Some("/nocache/*"), "api", CACHING_DISABLED),
            ],
            "",
        )
    };
    let rules = vec![
        list_distributions_page(
            None,
            distribution_list_xml(
                &[distribution("E1", CUSTOM_CACHE_POLICY), distribution("E2", UNKNOWN_POLICY)],
                None,
            ),
        ),
        mock!(aws_sdk_cloudfront::Client::get_cache_policy)
            .match_requests(|r| r.id() == Some(CUSTOM_CACHE_POLICY))
            .then_output(|| {
                let config = CachePolicyConfig::builder()
                    .name("api-short")
                    .min_ttl(0)
                    .default_ttl(5)
                    .max_ttl(60)
                    .build()
                    .unwrap();
                let policy = CachePolicy::builder()
                    .id(CUSTOM_CACHE_POLICY)
                    .last_modified_time(aws_smithy_types::DateTime::from_secs(0))
                    .cache_policy_config(config)
                    .build()
                    .unwrap();
                GetCachePolicyOutput::builder().cache_policy(policy).build()
            }),
        // What moto answers for an operation it does not implement.
        mock!(aws_sdk_cloudfront::Client::get_cache_policy)
            .match_requests(|r| r.id() == Some(UNKNOWN_POLICY))
            .then_http_response(|| http(404, &[("content-type", "text/html")], "<html>Not Found</html>")),
    ];
    let (account, stats) = collect(rules).await;
    assert_eq!(account.cache_policies.len(), 1);
    let policy = &account.cache_policies[0];
    assert_eq!(
        (
            policy.id.as_str(),
            policy.name.as_str(),
            policy.managed,
            policy.min_ttl,
            policy.default_ttl,
            policy.max_ttl
        ),
        (CUSTOM_CACHE_POLICY, "api-short", false, 0, 5, 60)
    );
    // Each distinct custom id once (the known one is used by both distributions).
    assert_eq!(stats_of(&stats, "GetCachePolicy").calls, 2);
    let failed: Vec<_> = account.failures(Service::Cloudfront).collect();
    assert_eq!(failed.len(), 1, "{:?}", account.coverage);
    assert_eq!(failed[0].operation.as_deref(), Some("GetCachePolicy"));
    assert_eq!(
        failed[0].resource.as_deref(),
        Some(format!("arn:aws:cloudfront::{ACCOUNT}:cache-policy/{UNKNOWN_POLICY}").as_str())
    );
    assert!(failed[0].error.as_deref().unwrap_or_default().contains("404"), "{:?}", failed[0].error);
    assert!(!account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    // The distributions themselves were read.
    assert_eq!(account.distributions.len(), 2);
    let d = &account.distributions[0];
    assert_eq!(d.default_behavior.cache_policy_id.as_deref(), Some(CUSTOM_CACHE_POLICY));
    assert_eq!(d.default_behavior.legacy, None);
    assert_eq!(d.behaviors.iter().map(|b| b.pattern()).collect::<Vec<_>>(), ["/static/*", "/nocache/*"]);
    assert_eq!(d.origins[0].origin_path, "/prod");
    assert_eq!(d.viewer_minimum_protocol.as_deref(), Some("TLSv1.2_2021"));
}

fn waf_visibility() -> serde_json::Value {
    serde_json::json!({"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "m"})
}

/// A CLOUDFRONT web ACL checking the origin secret three ways (byte match, regex, regex set),
/// with an IP set and a managed rule group overridden to Count.
fn secret_web_acl_rules() -> Vec<Rule> {
    secret_web_acl_rules_with(false)
}

/// [`secret_web_acl_rules`], with GetRegexPatternSet denied when `deny_regex_set`.
fn secret_web_acl_rules_with(deny_regex_set: bool) -> Vec<Rule> {
    use aws_sdk_wafv2::types::Scope;
    let acl_arn = format!("arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/edge/acl-1");
    let ip_set_arn = format!("arn:aws:wafv2:us-east-1:{ACCOUNT}:global/ipset/office/ips-1");
    let regex_set_arn = format!("arn:aws:wafv2:us-east-1:{ACCOUNT}:global/regexpatternset/verify/rps-1");
    let header = serde_json::json!({"SingleHeader": {"Name": "x-origin-verify"}});
    let none = serde_json::json!([{"Priority": 0, "Type": "NONE"}]);
    let web_acl = serde_json::json!({
        "WebACL": {
            "Name": "edge", "Id": "acl-1", "ARN": acl_arn,
            "DefaultAction": {"Block": {}},
            "VisibilityConfig": waf_visibility(),
            "Capacity": 10,
            "Rules": [
                {"Name": "verify", "Priority": 0, "Action": {"Allow": {}}, "VisibilityConfig": waf_visibility(),
                 "Statement": {"AndStatement": {"Statements": [
                     {"ByteMatchStatement": {"SearchString": aws_smithy_types::base64::encode(ORIGIN_SECRET),
                      "FieldToMatch": header, "TextTransformations": none, "PositionalConstraint": "EXACTLY"}},
                     {"NotStatement": {"Statement": {"RegexMatchStatement": {
                         "RegexString": format!("^{ORIGIN_SECRET}$"), "FieldToMatch": header, "TextTransformations": none}}}},
                     {"RegexPatternSetReferenceStatement": {"ARN": regex_set_arn, "FieldToMatch": header,
                      "TextTransformations": none}}
                 ]}}},
                {"Name": "office", "Priority": 1, "Action": {"Allow": {}}, "VisibilityConfig": waf_visibility(),
                 "Statement": {"IPSetReferenceStatement": {"ARN": ip_set_arn}}},
                {"Name": "common", "Priority": 2, "OverrideAction": {"Count": {}}, "VisibilityConfig": waf_visibility(),
                 "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet",
                   "RuleActionOverrides": [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]}}},
                {"Name": "rate", "Priority": 3, "Action": {"Block": {}}, "VisibilityConfig": waf_visibility(),
                 "Statement": {"RateBasedStatement": {"Limit": 2000, "AggregateKeyType": "IP"}}}
            ]
        },
        "LockToken": "t"
    })
    .to_string();
    let ip_set = serde_json::json!({"IPSet": {"Name": "office", "Id": "ips-1", "ARN": ip_set_arn,
        "IPAddressVersion": "IPV4", "Addresses": ["203.0.113.0/24", "198.51.100.7/32"]}, "LockToken": "t"})
    .to_string();
    let regex_set =
        serde_json::json!({"RegexPatternSet": {"Name": "verify", "Id": "rps-1", "ARN": regex_set_arn,
        "RegularExpressionList": [{"RegexString": format!("^{ORIGIN_SECRET}$")}, {"RegexString": "^a.*b$"}]},
        "LockToken": "t"})
        .to_string();
    let summary_arn = acl_arn.clone();
    vec![
        mock!(aws_sdk_wafv2::Client::list_web_acls)
            .match_requests(|r| r.scope() == Some(&Scope::Cloudfront))
            .then_output(move || {
                aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput::builder()
                    .web_acls(
                        aws_sdk_wafv2::types::WebAclSummary::builder()
                            .name("edge")
                            .id("acl-1")
                            .arn(summary_arn.clone())
                            .build(),
                    )
                    .build()
            }),
        mock!(aws_sdk_wafv2::Client::get_web_acl)
            .match_requests(|r| r.id() == Some("acl-1") && r.scope() == Some(&Scope::Cloudfront))
            .then_http_response(move || http(200, &[], web_acl.clone())),
        mock!(aws_sdk_wafv2::Client::get_ip_set)
            .match_requests(|r| r.name() == Some("office") && r.id() == Some("ips-1"))
            .then_http_response(move || http(200, &[], ip_set.clone())),
        match deny_regex_set {
            false => mock!(aws_sdk_wafv2::Client::get_regex_pattern_set)
                .match_requests(|r| r.name() == Some("verify") && r.id() == Some("rps-1"))
                .then_http_response(move || http(200, &[], regex_set.clone())),
            true => mock!(aws_sdk_wafv2::Client::get_regex_pattern_set).then_error(|| {
                aws_sdk_wafv2::operation::get_regex_pattern_set::GetRegexPatternSetError::generic(error_meta(
                    "AccessDeniedException",
                    "not authorized to perform: wafv2:GetRegexPatternSet",
                ))
            }),
        },
        mock!(aws_sdk_wafv2::Client::get_logging_configuration)
            .match_requests(move |r| r.resource_arn() == Some(acl_arn.as_str()))
            .then_output(|| {
                aws_sdk_wafv2::operation::get_logging_configuration::GetLoggingConfigurationOutput::builder()
                    .logging_configuration(
                        aws_sdk_wafv2::types::LoggingConfiguration::builder()
                            .resource_arn("arn")
                            .log_destination_configs(
                                "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-edge",
                            )
                            .build()
                            .unwrap(),
                    )
                    .build()
            }),
    ]
}

/// An internet-facing ALB whose listener rule checks the origin secret, with a regional web ACL.
fn secret_load_balancer_rules() -> Vec<Rule> {
    use aws_sdk_elasticloadbalancingv2::operation::{
        describe_listeners, describe_load_balancers, describe_rules,
    };
    use aws_sdk_elasticloadbalancingv2::types::{
        Action, ActionTypeEnum, FixedResponseActionConfig, HttpHeaderConditionConfig, Listener, LoadBalancer,
        LoadBalancerSchemeEnum, LoadBalancerTypeEnum, ProtocolEnum, Rule as LbRule,
        RuleCondition as LbCondition,
    };
    const LB: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1";
    const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/2";
    let regional_acl = serde_json::json!({"WebACL": {"Name": "alb", "Id": "r-1",
        "ARN": format!("arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/webacl/alb/r-1"),
        "DefaultAction": {"Allow": {}}, "Rules": [], "VisibilityConfig": waf_visibility()}})
    .to_string();
    vec![
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_load_balancers).then_output(|| {
            describe_load_balancers::DescribeLoadBalancersOutput::builder()
                .load_balancers(
                    LoadBalancer::builder()
                        .load_balancer_arn(LB)
                        .load_balancer_name("web")
                        .r#type(LoadBalancerTypeEnum::Application)
                        .scheme(LoadBalancerSchemeEnum::InternetFacing)
                        .dns_name("web-1.us-east-1.elb.amazonaws.com")
                        .security_groups("sg-alb")
                        .build(),
                )
                .build()
        }),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_listeners)
            .match_requests(|r| r.load_balancer_arn() == Some(LB))
            .then_output(|| {
                describe_listeners::DescribeListenersOutput::builder()
                    .listeners(
                        Listener::builder()
                            .listener_arn(LISTENER)
                            .port(443)
                            .protocol(ProtocolEnum::Https)
                            .default_actions(
                                Action::builder()
                                    .r#type(ActionTypeEnum::FixedResponse)
                                    .fixed_response_config(
                                        FixedResponseActionConfig::builder().status_code("403").build(),
                                    )
                                    .build(),
                            )
                            .build(),
                    )
                    .build()
            }),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_rules)
            .match_requests(|r| r.listener_arn() == Some(LISTENER))
            .then_output(|| {
                describe_rules::DescribeRulesOutput::builder()
                    .rules(
                        LbRule::builder()
                            .rule_arn("rule-1")
                            .priority("1")
                            .conditions(
                                LbCondition::builder()
                                    .field("http-header")
                                    .http_header_config(
                                        HttpHeaderConditionConfig::builder()
                                            .http_header_name("X-Origin-Verify")
                                            .values(ORIGIN_SECRET)
                                            .build(),
                                    )
                                    .build(),
                            )
                            .actions(
                                Action::builder()
                                    .r#type(ActionTypeEnum::Forward)
                                    .target_group_arn("tg-1")
                                    .build(),
                            )
                            .build(),
                    )
                    .rules(
                        LbRule::builder()
                            .rule_arn("rule-default")
                            .priority("default")
                            .is_default(true)
                            .build(),
                    )
                    .build()
            }),
        mock!(aws_sdk_wafv2::Client::get_web_acl_for_resource)
            .match_requests(|r| r.resource_arn() == Some(LB))
            .then_http_response(move || http(200, &[], regional_acl.clone())),
    ]
}

#[tokio::test]
async fn secrets_are_kept_only_as_fingerprints() {
    use aws_sdk_apigateway::operation::get_api_keys::GetApiKeysOutput;
    use aws_sdk_apigateway::types::ApiKey;
    let mut rules = vec![list_distributions_page(
        None,
        distribution_list_xml(
            &[distribution_xml(
                "E1",
                &[origin_xml(
                    "api",
                    "abc123.execute-api.us-east-1.amazonaws.com",
                    "/prod",
                    &[("x-origin-verify", ORIGIN_SECRET), ("x-api-key", API_KEY_SECRET)],
                )],
                behavior_xml("DefaultCacheBehavior", None, "api", CACHING_DISABLED),
                &[],
                &format!("arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/edge/acl-1"),
            )],
            None,
        ),
    )];
    rules.extend(secret_web_acl_rules());
    rules.extend(secret_load_balancer_rules());
    rules.push(
        mock!(aws_sdk_apigateway::Client::get_api_keys)
            .match_requests(|r| r.include_values() == Some(true))
            .then_output(|| {
                GetApiKeysOutput::builder()
                    .items(
                        ApiKey::builder()
                            .id("key-1")
                            .name("cloudfront")
                            .enabled(true)
                            .value(API_KEY_SECRET)
                            .build(),
                    )
                    .build()
            }),
    );
    let (account, stats) = collect(rules).await;
    assert_eq!(failures(&account), Vec::<String>::new());

    let json = serde_json::to_string(&edge_audit_checks::Inventory::new(vec![account.clone()])).unwrap();
    for secret in [ORIGIN_SECRET, API_KEY_SECRET] {
        assert!(!json.contains(secret), "a secret value reached the inventory");
        assert!(
            !json.contains(&aws_smithy_types::base64::encode(secret)),
            "a base64 secret reached the inventory"
        );
    }

    // The same value everywhere has the same fingerprint, so checks can match it.
    let origin = &account.distributions[0].origins[0];
    let header = &origin.header("X-Origin-Verify").unwrap().value;
    assert_eq!(header.length, ORIGIN_SECRET.len());
    let api_key = account.api_keys[0].value.as_ref().unwrap();
    assert!(api_key.same_value(&origin.header("x-api-key").unwrap().value));
    assert_eq!(stats_of(&stats, "GetApiKeys").calls, 1);

    let acl = &account.web_acls[0];
    assert_eq!(acl.logging_enabled, Some(true));
    assert_eq!(acl.default_action, edge_audit_checks::inventory::WafAction::Block);
    assert_eq!(acl.associated_resources, None, "CLOUDFRONT associations come from the distributions");
    let Statement::And { statements } = &acl.rules[0].statement else { panic!("{:?}", acl.rules[0]) };
    let Statement::ByteMatch { search, positional_constraint, field, transformations, .. } = &statements[0]
    else {
        panic!("{statements:?}")
    };
    assert!(search.same_value(header));
    assert_eq!(positional_constraint, "EXACTLY");
    assert_eq!(
        field,
        &edge_audit_checks::inventory::FieldToMatch::SingleHeader { name: "x-origin-verify".into() }
    );
    assert_eq!(transformations, &["NONE".to_string()]);
    let Statement::Not { statement } = &statements[1] else { panic!("{statements:?}") };
    let Statement::RegexMatch { literal: Some(literal), .. } = statement.as_ref() else {
        panic!("{statement:?}")
    };
    assert!(literal.same_value(header));
    let Statement::ManagedRuleGroup { rules_overridden_to_count, .. } = &acl.rules[2].statement else {
        panic!("{:?}", acl.rules[2])
    };
    assert_eq!(rules_overridden_to_count, &["SizeRestrictions_BODY".to_string()]);
    assert!(acl.rules[2].override_count && !acl.rules[2].enforces());
    assert!(acl.rules[3].enforces());

    let regex_set = &account.regex_pattern_sets[0];
    assert!(regex_set.patterns[0].literal.as_ref().is_some_and(|l| l.same_value(header)));
    assert_eq!(regex_set.patterns[1].literal, None);
    assert_eq!(account.ip_sets[0].addresses, ["198.51.100.7/32", "203.0.113.0/24"]);

    let lb = &account.load_balancers[0];
    assert_eq!(
        lb.web_acl_arn.as_deref(),
        Some(format!("arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/webacl/alb/r-1").as_str())
    );
    let listener = &lb.listeners[0];
    assert_eq!(listener.rules.len(), 1, "the default rule is the listener's default actions");
    let RuleCondition::HttpHeader { name, values, .. } = &listener.rules[0].conditions[0] else {
        panic!("{:?}", listener.rules[0])
    };
    assert_eq!(name, "X-Origin-Verify");
    assert!(values[0].same_value(header));
}

#[tokio::test]
async fn per_resource_detail_failures_name_the_resource() {
    let mut rules = vec![mock!(aws_sdk_lambda::Client::get_policy)
        .match_requests(|r| r.function_name() == Some("app"))
        .then_error(|| {
            aws_sdk_lambda::operation::get_policy::GetPolicyError::generic(error_meta(
                "AccessDeniedException",
                "not authorized to perform: lambda:GetPolicy",
            ))
        })];
    rules.extend(app_and_worker_functions());
    let (account, _) = collect(rules).await;
    let app = account.lambda_functions.iter().find(|f| f.name == "app").unwrap();
    assert_eq!(app.url.as_ref().map(|u| u.auth_type.as_str()), Some("NONE"));
    assert_eq!(app.policy, None);
    let worker = account.lambda_functions.iter().find(|f| f.name == "worker").unwrap();
    assert_eq!((worker.url.as_ref(), worker.policy.as_ref()), (None, None), "not found is a fact");
    let failed: Vec<_> = account.failures(Service::Lambda).collect();
    assert_eq!(failed.len(), 1, "{:?}", account.coverage);
    assert_eq!(failed[0].operation.as_deref(), Some("GetPolicy"));
    assert_eq!(failed[0].resource.as_deref(), Some(FUNCTION_ARN));
    assert!(!account.is_collected(REGION, Service::Lambda));
}

#[test]
fn rest_api_policies_parse_in_every_encoding() {
    use edge_audit::collect::parse_rest_api_policy;
    let plain = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*"}]}"#;
    let expected: serde_json::Value = serde_json::from_str(plain).unwrap();
    let escaped = plain.replace('"', "\\\"");
    let encoded: String = plain
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    for text in [plain.to_string(), escaped, encoded] {
        assert_eq!(parse_rest_api_policy(&text).ok(), Some(expected.clone()), "{text}");
    }
    assert!(parse_rest_api_policy("{not json").is_err());
}

// ---------------------------------------------------------------------------------------------
// Tags (they drive `edge-audit:ignore` suppressions).

/// One distribution, E1, whose origin is the ALB `web-1` and sends the origin secret.
fn alb_origin_distribution() -> Rule {
    list_distributions_page(
        None,
        distribution_list_xml(
            &[distribution_xml(
                "E1",
                &[origin_xml(
                    "alb",
                    "web-1.us-east-1.elb.amazonaws.com",
                    "",
                    &[("x-origin-verify", ORIGIN_SECRET)],
                )],
                behavior_xml("DefaultCacheBehavior", None, "alb", CACHING_DISABLED),
                &[],
                "",
            )],
            None,
        ),
    )
}

fn distribution_arn(id: &str) -> String {
    format!("arn:aws:cloudfront::{ACCOUNT}:distribution/{id}")
}

fn two_distributions() -> Rule {
    list_distributions_page(
        None,
        distribution_list_xml(&[simple_distribution("E1"), simple_distribution("E2")], None),
    )
}

fn load_balancer_arn(i: usize) -> String {
    format!("arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/web-{i}/{i:016x}")
}

/// A `tag:GetResources` mapping.
fn tag_mapping(arn: &str, tags: &[(&str, &str)]) -> aws_sdk_resourcegroupstagging::types::ResourceTagMapping {
    use aws_sdk_resourcegroupstagging::types::{ResourceTagMapping, Tag};
    let mut mapping = ResourceTagMapping::builder().resource_arn(arn);
    for (key, value) in tags {
        mapping = mapping.tags(Tag::builder().key(*key).value(*value).build().unwrap());
    }
    mapping.build()
}

/// `tag:GetResources` for `resource_type`, page `token` (None = first), answering `mappings` and
/// pointing to `next`.
fn get_resources_page(
    resource_type: &'static str,
    token: Option<&'static str>,
    mappings: Vec<aws_sdk_resourcegroupstagging::types::ResourceTagMapping>,
    next: &'static str,
) -> Rule {
    use aws_sdk_resourcegroupstagging::operation::get_resources::GetResourcesOutput;
    mock!(aws_sdk_resourcegroupstagging::Client::get_resources)
        .match_requests(move |r| {
            r.resource_type_filters() == [resource_type.to_string()]
                && r.resources_per_page() == Some(100)
                && r.pagination_token().filter(|t| !t.is_empty()) == token
        })
        .then_output(move || {
            GetResourcesOutput::builder()
                .set_resource_tag_mapping_list(Some(mappings.clone()))
                .pagination_token(next)
                .build()
        })
}

fn get_resources_denied() -> Rule {
    use aws_sdk_resourcegroupstagging::operation::get_resources::GetResourcesError;
    mock!(aws_sdk_resourcegroupstagging::Client::get_resources).then_error(|| {
        GetResourcesError::generic(error_meta(
            "AccessDeniedException",
            "not authorized to perform: tag:GetResources",
        ))
    })
}

/// Two Lambda functions, `app` with a public URL and `worker` without.
fn app_and_worker_functions() -> Vec<Rule> {
    use aws_sdk_lambda::operation::list_functions::ListFunctionsOutput;
    use aws_sdk_lambda::types::FunctionConfiguration;
    vec![
        mock!(aws_sdk_lambda::Client::list_functions).then_output(|| {
            ListFunctionsOutput::builder()
                .functions(
                    FunctionConfiguration::builder().function_name("app").function_arn(FUNCTION_ARN).build(),
                )
                .functions(
                    FunctionConfiguration::builder().function_name("worker").function_arn(WORKER_ARN).build(),
                )
                .build()
        }),
        mock!(aws_sdk_lambda::Client::get_function_url_config)
            .match_requests(|r| r.function_name() == Some("app"))
            .then_http_response(|| {
                http(
                    200,
                    &[("content-type", "application/json")],
                    serde_json::json!({"FunctionUrl": "https://abcdefgh.lambda-url.us-east-1.on.aws/",
                        "FunctionArn": FUNCTION_ARN, "AuthType": "NONE",
                        "CreationTime": "2024-01-01T00:00:00Z", "LastModifiedTime": "2024-01-01T00:00:00Z"})
                    .to_string(),
                )
            }),
    ]
}

const FUNCTION_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:app";
const WORKER_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:worker";

#[tokio::test]
async fn tags_are_collected_for_distributions_load_balancers_and_url_functions() {
    use aws_sdk_elasticloadbalancingv2::operation::describe_load_balancers::DescribeLoadBalancersOutput;
    use aws_sdk_elasticloadbalancingv2::operation::describe_tags::DescribeTagsOutput;
    use aws_sdk_elasticloadbalancingv2::types::{LoadBalancer, LoadBalancerTypeEnum, Tag, TagDescription};
    // 25 load balancers: DescribeTags takes them in two batches (20 + 5).
    let load_balancers: Vec<LoadBalancer> = (0..25)
        .map(|i| {
            LoadBalancer::builder()
                .load_balancer_arn(load_balancer_arn(i))
                .load_balancer_name(format!("web-{i}"))
                .r#type(LoadBalancerTypeEnum::Network)
                .build()
        })
        .collect();
    let lb_tags = |i: usize, value: &str| {
        TagDescription::builder()
            .resource_arn(load_balancer_arn(i))
            .tags(Tag::builder().key("edge-audit:ignore").value(value).build())
            .tags(Tag::builder().key("team").value("web").build())
            .build()
    };
    let (first, last) = (lb_tags(0, "EA406"), lb_tags(24, "EA401 EA404"));
    let mut rules = vec![
        two_distributions(),
        // CloudFront's tags over two pages; a distribution deleted since (E9) is ignored.
        get_resources_page(
            "cloudfront:distribution",
            None,
            vec![tag_mapping(
                &distribution_arn("E1"),
                &[("edge-audit:ignore", "EA101 EA112"), ("empty", "")],
            )],
            "page-2",
        ),
        get_resources_page(
            "cloudfront:distribution",
            Some("page-2"),
            vec![tag_mapping(&distribution_arn("E9"), &[("team", "gone")])],
            "",
        ),
        get_resources_page(
            "lambda:function",
            None,
            vec![
                tag_mapping(FUNCTION_ARN, &[("edge-audit:ignore", "EA501")]),
                tag_mapping(WORKER_ARN, &[("team", "batch")]),
            ],
            "",
        ),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_load_balancers).then_output(move || {
            DescribeLoadBalancersOutput::builder().set_load_balancers(Some(load_balancers.clone())).build()
        }),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_tags)
            .match_requests(|r| r.resource_arns().len() == 20 && r.resource_arns()[0] == load_balancer_arn(0))
            .then_output(move || DescribeTagsOutput::builder().tag_descriptions(first.clone()).build()),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_tags)
            .match_requests(|r| r.resource_arns().len() == 5 && r.resource_arns()[4] == load_balancer_arn(24))
            .then_output(move || DescribeTagsOutput::builder().tag_descriptions(last.clone()).build()),
    ];
    rules.extend(app_and_worker_functions());
    let (account, stats) = collect(rules).await;
    assert_eq!(failures(&account), Vec::<String>::new());
    assert!(account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    assert!(account.is_collected(REGION, Service::Elbv2));
    assert!(account.is_collected(REGION, Service::Lambda));

    let tags_of = |id: &str| account.distributions.iter().find(|d| d.id == id).unwrap().tags.clone();
    let e1 = tags_of("E1");
    assert_eq!(e1.get("edge-audit:ignore").map(String::as_str), Some("EA101 EA112"));
    assert_eq!(e1.get("empty").map(String::as_str), Some(""));
    assert!(tags_of("E2").is_empty(), "not listed by GetResources: never tagged");

    assert_eq!(account.load_balancers.len(), 25);
    let lb = |i: usize| account.load_balancers.iter().find(|lb| lb.arn == load_balancer_arn(i)).unwrap();
    assert_eq!(lb(0).tags.get("edge-audit:ignore").map(String::as_str), Some("EA406"));
    assert_eq!(lb(0).tags.get("team").map(String::as_str), Some("web"));
    assert_eq!(lb(24).tags.get("edge-audit:ignore").map(String::as_str), Some("EA401 EA404"));
    assert!(lb(7).tags.is_empty());
    assert_eq!(stats_of(&stats, "DescribeTags").calls, 2, "batches of at most 20 ARNs");

    let function = |name: &str| account.lambda_functions.iter().find(|f| f.name == name).unwrap();
    assert_eq!(function("app").tags.get("edge-audit:ignore").map(String::as_str), Some("EA501"));
    assert!(function("worker").tags.is_empty(), "only functions with a URL carry tags");
    assert_eq!(function("worker").policy, None);

    // One listing per resource type and page instead of one call per resource; a function
    // without a URL costs no policy read.
    assert_eq!(stats_of(&stats, "GetResources").calls, 3, "two CloudFront pages, one Lambda page");
    assert_eq!(stats_of(&stats, "ListTagsForResource").calls, 0);
    assert_eq!(stats_of(&stats, "ListTags").calls, 0);
    assert_eq!(stats_of(&stats, "GetPolicy").calls, 1, "only the function with a URL");
}

#[tokio::test]
async fn without_the_tagging_permission_tags_are_read_per_resource() {
    use aws_sdk_cloudfront::operation::list_tags_for_resource::ListTagsForResourceOutput;
    use aws_sdk_lambda::operation::list_tags::ListTagsOutput;
    let mut rules = vec![
        get_resources_denied(),
        two_distributions(),
        mock!(aws_sdk_cloudfront::Client::list_tags_for_resource)
            .match_requests(|r| r.resource() == Some(distribution_arn("E1").as_str()))
            .then_output(|| {
                use aws_sdk_cloudfront::types::{Tag, Tags};
                ListTagsForResourceOutput::builder()
                    .tags(
                        Tags::builder()
                            .items(
                                Tag::builder().key("edge-audit:ignore").value("EA101 EA112").build().unwrap(),
                            )
                            .build(),
                    )
                    .build()
            }),
        mock!(aws_sdk_lambda::Client::list_tags)
            .match_requests(|r| r.resource() == Some(FUNCTION_ARN))
            .then_output(|| ListTagsOutput::builder().tags("edge-audit:ignore", "EA501").build()),
        mock!(aws_sdk_wafv2::Client::list_tags_for_resource)
            .match_requests(|r| r.resource_arn() == Some(regional_acl_arn("spare", "s-1").as_str()))
            .then_http_response(|| {
                let body = serde_json::json!({"TagInfoForResource": {"ResourceARN": regional_acl_arn("spare", "s-1"),
                    "TagList": [{"Key": "edge-audit:ignore", "Value": "EA301"}]}});
                http(200, &[], body.to_string())
            }),
    ];
    rules.extend(app_and_worker_functions());
    rules.extend(used_and_spare_regional_acls());
    let (account, stats) = collect(rules).await;
    assert_eq!(failures(&account), Vec::<String>::new(), "the fallback read every tag set");
    let acl = |name: &str| account.web_acls.iter().find(|a| a.name == name).unwrap();
    assert_eq!(acl("spare").tags.get("edge-audit:ignore").map(String::as_str), Some("EA301"));
    assert!(acl("used").tags.is_empty());
    assert!(account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    assert!(account.is_collected(REGION, Service::Lambda));
    let e1 = &account.distributions.iter().find(|d| d.id == "E1").unwrap().tags;
    assert_eq!(e1.get("edge-audit:ignore").map(String::as_str), Some("EA101 EA112"));
    let app = account.lambda_functions.iter().find(|f| f.name == "app").unwrap();
    assert_eq!(app.tags.get("edge-audit:ignore").map(String::as_str), Some("EA501"));
    assert_eq!(stats_of(&stats, "GetResources").errors, 3, "one denied listing per resource type");
    assert_eq!(
        stats_of(&stats, "ListTagsForResource").calls,
        4,
        "one call per distribution (CloudFront) and per web ACL (WAF)"
    );
    assert_eq!(stats_of(&stats, "ListTags").calls, 1, "only functions with a URL");
}

#[tokio::test]
async fn unreadable_distribution_tags_are_a_per_resource_gap() {
    let rules = vec![
        get_resources_denied(),
        two_distributions(),
        mock!(aws_sdk_cloudfront::Client::list_tags_for_resource)
            .match_requests(|r| r.resource() == Some(distribution_arn("E2").as_str()))
            .then_http_response(|| {
                http(
                    403,
                    &[("content-type", "text/xml")],
                    "<?xml version=\"1.0\"?><ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                     <Message>User: arn:aws:sts::123456789012:assumed-role/EdgeAuditReadOnly/edge-audit is not \
                     authorized to perform: cloudfront:ListTagsForResource</Message></Error>\
                     <RequestId>r</RequestId></ErrorResponse>",
                )
            }),
    ];
    let (account, _) = collect(rules).await;
    let failed: Vec<_> = account.failures(Service::Cloudfront).collect();
    assert_eq!(failed.len(), 1, "{:?}", account.coverage);
    assert_eq!(failed[0].region, GLOBAL_REGION);
    assert_eq!(failed[0].operation.as_deref(), Some("ListTagsForResource"));
    assert_eq!(failed[0].resource.as_deref(), Some(distribution_arn("E2").as_str()));
    let error = failed[0].error.as_deref().unwrap_or_default();
    assert!(error.starts_with("AccessDenied: User: "), "{error}");
    // Not collected (so checks say "not evaluated"), yet the distributions themselves were read
    // and the rest of the account is unaffected.
    assert!(!account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    assert_eq!(account.distributions.len(), 2);
    assert!(account.is_collected(REGION, Service::Elbv2));
}

// ---------------------------------------------------------------------------------------------
// Regional web ACL associations.

fn regional_acl_arn(name: &str, id: &str) -> String {
    format!("arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/webacl/{name}/{id}")
}

fn regional_acl_json(name: &str, id: &str) -> String {
    serde_json::json!({"WebACL": {"Name": name, "Id": id, "ARN": regional_acl_arn(name, id),
        "DefaultAction": {"Allow": {}}, "Rules": [], "VisibilityConfig": waf_visibility()}, "LockToken": "t"})
    .to_string()
}

/// Two REGIONAL web ACLs, `used` (associated with an ALB, as GetWebACLForResource tells) and
/// `spare` (named by no collected resource).
fn used_and_spare_regional_acls() -> Vec<Rule> {
    use aws_sdk_elasticloadbalancingv2::operation::describe_load_balancers::DescribeLoadBalancersOutput;
    use aws_sdk_elasticloadbalancingv2::types::{LoadBalancer, LoadBalancerTypeEnum};
    use aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput;
    use aws_sdk_wafv2::types::{Scope, WebAclSummary};
    let summary = |name: &str, id: &str| {
        WebAclSummary::builder().name(name).id(id).arn(regional_acl_arn(name, id)).build()
    };
    let (used, spare) = (summary("used", "u-1"), summary("spare", "s-1"));
    vec![
        mock!(aws_sdk_wafv2::Client::list_web_acls)
            .match_requests(|r| r.scope() == Some(&Scope::Regional))
            .then_output(move || {
                ListWebAcLsOutput::builder().web_acls(used.clone()).web_acls(spare.clone()).build()
            }),
        mock!(aws_sdk_wafv2::Client::get_web_acl)
            .match_requests(|r| r.id() == Some("u-1"))
            .then_http_response(|| http(200, &[], regional_acl_json("used", "u-1"))),
        mock!(aws_sdk_wafv2::Client::get_web_acl)
            .match_requests(|r| r.id() == Some("s-1"))
            .then_http_response(|| http(200, &[], regional_acl_json("spare", "s-1"))),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_load_balancers).then_output(|| {
            DescribeLoadBalancersOutput::builder()
                .load_balancers(
                    LoadBalancer::builder()
                        .load_balancer_arn(load_balancer_arn(1))
                        .load_balancer_name("web-1")
                        .r#type(LoadBalancerTypeEnum::Application)
                        .build(),
                )
                .build()
        }),
        mock!(aws_sdk_wafv2::Client::get_web_acl_for_resource)
            .match_requests(|r| r.resource_arn() == Some(load_balancer_arn(1).as_str()))
            .then_http_response(|| http(200, &[], regional_acl_json("used", "u-1"))),
    ]
}

#[tokio::test]
async fn only_web_acls_no_collected_resource_uses_are_asked_for_other_associations() {
    use aws_sdk_wafv2::operation::list_resources_for_web_acl::ListResourcesForWebAclOutput;
    use aws_sdk_wafv2::types::ResourceType;
    const USER_POOL: &str = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc";
    let mut rules = vec![mock!(aws_sdk_wafv2::Client::list_resources_for_web_acl)
        .match_requests(|r| {
            r.web_acl_arn() == Some(regional_acl_arn("spare", "s-1").as_str())
                && r.resource_type() == Some(&ResourceType::CognitioUserPool)
        })
        .then_output(|| ListResourcesForWebAclOutput::builder().resource_arns(USER_POOL).build())];
    // The ACLs' tags: one listing of the region's WAF resources.
    rules.push(get_resources_page(
        "wafv2",
        None,
        vec![tag_mapping(&regional_acl_arn("used", "u-1"), &[("edge-audit:ignore", "EA303")])],
        "",
    ));
    rules.extend(used_and_spare_regional_acls());
    let (account, stats) = collect(rules).await;
    assert_eq!(failures(&account), Vec::<String>::new());
    let acl = |name: &str| account.web_acls.iter().find(|a| a.name == name).unwrap();
    assert_eq!(acl("used").tags.get("edge-audit:ignore").map(String::as_str), Some("EA303"));
    assert!(acl("spare").tags.is_empty());
    assert_eq!(stats_of(&stats, "ListTagsForResource").calls, 0);
    assert_eq!(account.load_balancers[0].web_acl_arn.as_deref(), Some(acl("used").arn.as_str()));
    assert_eq!(acl("used").associated_resources, None, "the ALB names it: nothing to ask");
    assert_eq!(acl("spare").associated_resources, Some(vec![USER_POOL.to_string()]));
    assert_eq!(
        stats_of(&stats, "ListResourcesForWebACL").calls,
        4,
        "AppSync, Cognito, App Runner and Verified Access for the spare ACL only"
    );
    // ListWebACLs (no SDK paginator: edge-audit follows NextMarker itself) reads pages; the
    // per-ACL reads are detail calls.
    let list = stats_of(&stats, "ListWebACLs");
    assert_eq!((list.calls, list.pages), (2, 2), "one page per scope: {list:?}");
    assert_eq!(stats_of(&stats, "GetWebACL").pages, 0);
}

#[tokio::test]
async fn an_unanswered_association_lookup_is_one_attempt_and_no_gap() {
    let mut rules = vec![mock!(aws_sdk_wafv2::Client::list_resources_for_web_acl)
        .then_http_response(|| http(500, &[], "internal error"))];
    rules.extend(used_and_spare_regional_acls());
    let (account, stats) = collect(rules).await;
    assert_eq!(failures(&account), Vec::<String>::new(), "a supplement, not a coverage gap");
    assert!(account.is_collected(REGION, Service::WafRegional));
    let spare = account.web_acls.iter().find(|a| a.name == "spare").unwrap();
    assert_eq!(spare.associated_resources, None, "unknown, so EA301 lowers its confidence");
    let lookups = stats_of(&stats, "ListResourcesForWebACL");
    assert_eq!((lookups.calls, lookups.attempts, lookups.errors), (1, 1, 1), "{lookups:?}");
}

fn waf_throttle() -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    http(
        400,
        &[("content-type", "application/x-amz-json-1.1")],
        r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
    )
}

#[tokio::test]
async fn a_throttled_association_lookup_is_retried_until_it_is_answered() {
    use aws_sdk_wafv2::operation::list_resources_for_web_acl::ListResourcesForWebAclOutput;
    const USER_POOL: &str = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc";
    let mut rules = vec![mock!(aws_sdk_wafv2::Client::list_resources_for_web_acl)
        .sequence()
        .http_response(waf_throttle)
        .times(3)
        .output(|| ListResourcesForWebAclOutput::builder().resource_arns(USER_POOL).build())
        .repeatedly()
        .build()];
    rules.extend(used_and_spare_regional_acls());
    let (account, stats) = collect(rules).await;
    assert_eq!(failures(&account), Vec::<String>::new());
    let spare = account.web_acls.iter().find(|a| a.name == "spare").unwrap();
    // Four resource types asked, each answering the user pool.
    assert_eq!(spare.associated_resources, Some(vec![USER_POOL.to_string(); 4]));
    let lookups = stats_of(&stats, "ListResourcesForWebACL");
    assert_eq!((lookups.calls, lookups.throttled, lookups.errors), (4, 3, 0), "{lookups:?}");
}

#[tokio::test]
async fn an_association_lookup_throttled_to_the_deadline_is_a_coverage_gap_naming_the_acl() {
    let mut rules = vec![mock!(aws_sdk_wafv2::Client::list_resources_for_web_acl)
        .sequence()
        .http_response(waf_throttle)
        .repeatedly()
        .build()];
    rules.extend(used_and_spare_regional_acls());
    let (clients, stats) = mocked_clients(rules);
    let clients = clients.with_throttle_deadline(Duration::from_millis(300));
    let account = collect_account(&clients, &aws_mock::scope(), 4).await;
    let failed: Vec<_> = account.failures(Service::WafRegional).collect();
    assert_eq!(failed.len(), 1, "{:?}", account.coverage);
    assert_eq!(failed[0].operation.as_deref(), Some("ListResourcesForWebACL"));
    assert_eq!(failed[0].resource.as_deref(), Some(regional_acl_arn("spare", "s-1").as_str()));
    assert_eq!(failed[0].error.as_deref(), Some("ThrottlingException: Rate exceeded"));
    assert!(!account.is_collected(REGION, Service::WafRegional), "not evaluated, not dropped");
    let spare = account.web_acls.iter().find(|a| a.name == "spare").unwrap();
    assert_eq!(spare.associated_resources, None);
    let lookups = stats_of(&stats, "ListResourcesForWebACL");
    assert!(lookups.attempts > 1 && lookups.throttled == lookups.attempts, "{lookups:?}");
}

#[tokio::test]
async fn buckets_of_two_accounts_are_independent() {
    use edge_audit::collect::pacing::{op, Pacer};
    let throttled_twice = mock!(aws_sdk_wafv2::Client::list_web_acls)
        .sequence()
        .http_response(waf_throttle)
        .times(2)
        .output(|| aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput::builder().build())
        .repeatedly()
        .build();
    let (throttled_clients, _) = mocked_clients(vec![throttled_twice]);
    let (calm_clients, _) = mocked_clients(Vec::new());
    let pacer = Pacer::new(4);
    let (first, second) = (pacer.account("111111111111"), pacer.account("222222222222"));
    let list_web_acls = op("wafv2", "ListWebACLs");
    let list = |clients: &AccountClients| {
        clients.wafv2(REGION).list_web_acls().scope(aws_sdk_wafv2::types::Scope::Regional).send()
    };
    // The first account's call is throttled twice (then answered): its bucket is drained.
    first.call(REGION, list_web_acls, list(&throttled_clients)).await.unwrap();
    // The second account's bucket of the same operation and region is untouched: no wait.
    let started = std::time::Instant::now();
    second.call(REGION, list_web_acls, list(&calm_clients)).await.unwrap();
    let calm = started.elapsed();
    // The first account's next call waits for its drained bucket (5/s: at least 200 ms).
    let started = std::time::Instant::now();
    first.call(REGION, list_web_acls, list(&calm_clients)).await.unwrap();
    let drained = started.elapsed();
    assert!(drained >= Duration::from_millis(200), "the throttled bucket did not back off: {drained:?}");
    assert!(calm < drained, "the other account waited too: {calm:?} vs {drained:?}");
    let report = pacer.report();
    let row = |account: &str| {
        report.iter().find(|b| b.account == account && b.bucket == "wafv2:ListWebACLs").unwrap()
    };
    assert_eq!((row("111111111111").calls, row("111111111111").throttled), (2, 2));
    assert_eq!((row("222222222222").calls, row("222222222222").throttled), (1, 0));
}

#[tokio::test]
async fn a_single_token_bucket_sends_its_calls_a_token_apart_even_when_one_waited_for_a_slot() {
    use edge_audit::collect::pacing::{op, Pacer};
    use std::time::Instant;
    // One request in flight per account, held 600 ms by a call of another bucket.
    let pacer = Pacer::new(1);
    let account = pacer.account("111111111111");
    let lookup = op("wafv2", "GetWebACLForResource"); // 1/s, burst 1
    let started = Instant::now();
    let busy =
        account.call(REGION, op("wafv2", "ListWebACLs"), tokio::time::sleep(Duration::from_millis(600)));
    // Each request notes when it is sent (first polled).
    let first = account.call(REGION, lookup, async { Instant::now() });
    let second = account.call(REGION, lookup, async { Instant::now() });
    let ((), first, second) = futures::join!(busy, first, second);
    assert!(first - started >= Duration::from_millis(600), "the first lookup did not wait for the slot");
    // The first lookup had its token at once but was sent 600 ms later; the second must not
    // follow it within AWS's one token per second (it would be throttled).
    let gap = second - first;
    assert!(gap >= Duration::from_secs(1), "two calls of a 1/s bucket sent {gap:?} apart");
    let report = pacer.report();
    let row = report.iter().find(|b| b.bucket == "wafv2:GetWebACLForResource").unwrap();
    assert_eq!((row.calls, row.throttled), (2, 0));
}

/// The calls of a bucket with a burst (API Gateway `GetResources`: 2.5/s, burst 5) that waited
/// for an in-flight slot while their tokens refilled are not sent together once the slot frees:
/// AWS's bucket holds at most its burst, so the calls must conform to it from the moment they are
/// sent. Checked against a model of AWS's bucket (full at the start).
#[tokio::test]
async fn a_bucket_with_a_burst_sends_no_more_at_once_than_aws_bucket_holds_after_a_wait_for_slots() {
    use edge_audit::collect::pacing::{op, quota_of, Pacer};
    use std::time::Instant;
    let quota = quota_of("apigateway", "GetResources").unwrap();
    // One request in flight per account, held 2.5 s by a call of another bucket: long enough
    // for AWS's bucket to be full again and for the client's to have refilled several tokens.
    let pacer = Pacer::new(1);
    let account = pacer.account("111111111111");
    let get_resources = op("apigateway", "GetResources");
    let started = Instant::now();
    let busy =
        account.call(REGION, op("apigateway", "GetStages"), tokio::time::sleep(Duration::from_millis(2500)));
    let calls = futures::future::join_all(
        (0..10).map(|_| account.call(REGION, get_resources, async { Instant::now() })),
    );
    let ((), mut sent) = futures::join!(busy, calls);
    sent.sort();
    // AWS's bucket: `burst` tokens at the start, refilled at `rate`, at most `burst`.
    let (mut tokens, mut at) = (quota.burst, started);
    for (i, time) in sent.iter().enumerate() {
        tokens = (tokens + time.duration_since(at).as_secs_f64() * quota.rate).min(quota.burst);
        at = *time;
        assert!(
            tokens >= 1.0,
            "call {i} sent {:?} in would be throttled (AWS's bucket holds {tokens:.2}); sent at {:?}",
            time.duration_since(started),
            sent.iter().map(|t| t.duration_since(started)).collect::<Vec<_>>()
        );
        tokens -= 1.0;
    }
    let report = pacer.report();
    let row = report.iter().find(|b| b.bucket.contains("GetResources")).unwrap();
    assert_eq!((row.calls, row.throttled), (10, 0));
}

#[test]
fn every_collector_operation_has_a_quota_bucket() {
    use edge_audit::collect::pacing::quota_of;
    for operation in OPERATIONS.iter().filter(|o| o.service != "sts") {
        assert!(
            quota_of(operation.service, operation.name).is_some(),
            "{}:{} has no row in pacing::QUOTAS",
            operation.service,
            operation.name
        );
    }
    // Where AWS shares one account-level rate, the rows splitting it never add up to more.
    let get_resources = quota_of("apigateway", "GetResources").unwrap();
    let management = quota_of("apigateway", "GetStages").unwrap();
    let v2 = quota_of("apigatewayv2", "GetRoutes").unwrap();
    assert_eq!((management.bucket, management.rate, management.burst), (v2.bucket, v2.rate, v2.burst));
    assert!(get_resources.rate + management.rate <= 10.0);
    assert!(get_resources.burst + management.burst <= 40.0);
}

#[tokio::test]
async fn unreadable_load_balancer_tags_name_each_load_balancer_of_the_batch() {
    use aws_sdk_elasticloadbalancingv2::operation::describe_load_balancers::DescribeLoadBalancersOutput;
    use aws_sdk_elasticloadbalancingv2::operation::describe_tags::DescribeTagsError;
    use aws_sdk_elasticloadbalancingv2::types::LoadBalancer;
    let rules = vec![
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_load_balancers).then_output(|| {
            DescribeLoadBalancersOutput::builder()
                .load_balancers(LoadBalancer::builder().load_balancer_arn(load_balancer_arn(1)).build())
                .load_balancers(LoadBalancer::builder().load_balancer_arn(load_balancer_arn(2)).build())
                .build()
        }),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_tags).then_error(|| {
            DescribeTagsError::generic(error_meta(
                "AccessDenied",
                "not authorized to perform: elasticloadbalancing:DescribeTags",
            ))
        }),
    ];
    let (account, _) = collect(rules).await;
    let mut failed: Vec<_> = account.failures(Service::Elbv2).collect();
    failed.sort_by_key(|c| c.resource.clone());
    let named: Vec<_> = failed.iter().map(|c| (c.operation.as_deref(), c.resource.clone())).collect();
    assert_eq!(
        named,
        [
            (Some("DescribeTags"), Some(load_balancer_arn(1))),
            (Some("DescribeTags"), Some(load_balancer_arn(2)))
        ]
    );
    assert!(!account.is_collected(REGION, Service::Elbv2));
    assert_eq!(account.load_balancers.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// VPC origins: ListVpcOrigins (paged by Marker) and GetVpcOrigin, as the API reference shapes them.

fn vpc_origin_xml(id: &str, name: &str) -> String {
    format!(
        "<Origin><Id>{name}</Id><DomainName>internal-{name}-1.{REGION}.elb.amazonaws.com</DomainName><OriginPath></OriginPath>\
         <CustomHeaders><Quantity>0</Quantity></CustomHeaders>\
         <VpcOriginConfig><VpcOriginId>{id}</VpcOriginId><OwnerAccountId>{ACCOUNT}</OwnerAccountId>\
         <OriginReadTimeout>30</OriginReadTimeout><OriginKeepaliveTimeout>5</OriginKeepaliveTimeout></VpcOriginConfig></Origin>"
    )
}

fn vpc_origin_endpoint_arn(name: &str) -> String {
    format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/{name}/50dc6c495c0c9188")
}

fn vpc_origin_summary_xml(id: &str, name: &str) -> String {
    format!(
        "<VpcOriginSummary><Id>{id}</Id><Name>{name}</Name><Status>Deployed</Status>\
         <CreatedTime>2026-01-05T10:00:00Z</CreatedTime><LastModifiedTime>2026-01-05T10:00:00Z</LastModifiedTime>\
         <Arn>arn:aws:cloudfront::{ACCOUNT}:vpcorigin/{id}</Arn><AccountId>{ACCOUNT}</AccountId>\
         <OriginEndpointArn>{}</OriginEndpointArn></VpcOriginSummary>",
        vpc_origin_endpoint_arn(name)
    )
}

fn vpc_origin_list_xml(items: &[String], marker: &str, next_marker: Option<&str>) -> String {
    let next = next_marker.map(|m| format!("<NextMarker>{m}</NextMarker>")).unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <VpcOriginList xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
         <Marker>{marker}</Marker>{next}<MaxItems>1</MaxItems><IsTruncated>{}</IsTruncated><Quantity>{}</Quantity>\
         <Items>{}</Items></VpcOriginList>",
        next_marker.is_some(),
        items.len(),
        items.concat()
    )
}

fn get_vpc_origin_xml(id: &str, name: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <VpcOrigin xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Id>{id}</Id>\
         <Arn>arn:aws:cloudfront::{ACCOUNT}:vpcorigin/{id}</Arn><AccountId>{ACCOUNT}</AccountId><Status>Deployed</Status>\
         <CreatedTime>2026-01-05T10:00:00Z</CreatedTime><LastModifiedTime>2026-01-05T10:00:00Z</LastModifiedTime>\
         <VpcOriginEndpointConfig><Name>{name}</Name><Arn>{}</Arn><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort>\
         <OriginProtocolPolicy>https-only</OriginProtocolPolicy>\
         <OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>\
         </VpcOriginEndpointConfig></VpcOrigin>",
        vpc_origin_endpoint_arn(name)
    )
}

fn distribution_with_vpc_origins() -> Rule {
    list_distributions_page(
        None,
        distribution_list_xml(
            &[distribution_xml(
                "EVPC1",
                &[vpc_origin_xml("vo_app", "app"), vpc_origin_xml("vo_admin", "admin")],
                behavior_xml("DefaultCacheBehavior", None, "app", CACHING_DISABLED),
                &[behavior_xml("CacheBehavior", Some("/admin/*"), "admin", CACHING_DISABLED)],
                "",
            )],
            None,
        ),
    )
}

fn cloudfront_access_denied(operation: &str) -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    http(
        403,
        &[("content-type", "text/xml")],
        format!(
            "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
             <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::{ACCOUNT}:assumed-role/EdgeAuditReadOnly/edge-audit \
             is not authorized to perform: cloudfront:{operation}</Message></Error><RequestId>r</RequestId></ErrorResponse>"
        ),
    )
}

#[tokio::test]
async fn vpc_origins_are_read_page_by_page_with_their_endpoints() {
    let rules = vec![
        distribution_with_vpc_origins(),
        mock!(aws_sdk_cloudfront::Client::list_vpc_origins)
            .match_requests(|r| r.marker().is_none())
            .then_http_response(|| {
                http(
                    200,
                    &[("content-type", "text/xml")],
                    vpc_origin_list_xml(&[vpc_origin_summary_xml("vo_app", "app")], "", Some("page-2")),
                )
            }),
        mock!(aws_sdk_cloudfront::Client::list_vpc_origins)
            .match_requests(|r| r.marker() == Some("page-2"))
            .then_http_response(|| {
                http(
                    200,
                    &[("content-type", "text/xml")],
                    vpc_origin_list_xml(
                        &[
                            vpc_origin_summary_xml("vo_admin", "admin"),
                            vpc_origin_summary_xml("vo_spare", "spare"),
                        ],
                        "page-2",
                        None,
                    ),
                )
            }),
        mock!(aws_sdk_cloudfront::Client::get_vpc_origin)
            .match_requests(|r| r.id() == Some("vo_app"))
            .then_http_response(|| {
                http(
                    200,
                    &[("content-type", "text/xml"), ("etag", "E2QWRUHEXAMPLE")],
                    get_vpc_origin_xml("vo_app", "app"),
                )
            }),
        // The detail of one VPC origin is denied: its summary stays, the gap names it.
        mock!(aws_sdk_cloudfront::Client::get_vpc_origin)
            .match_requests(|r| r.id() == Some("vo_admin"))
            .then_http_response(|| cloudfront_access_denied("GetVpcOrigin")),
    ];
    let (account, stats) = collect(rules).await;
    assert_eq!(stats_of(&stats, "ListVpcOrigins").calls, 2, "both pages");
    // Only the VPC origins a distribution uses are read in detail.
    assert_eq!(stats_of(&stats, "GetVpcOrigin").calls, 2);
    let ids: Vec<&str> = account.vpc_origins.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["vo_admin", "vo_app", "vo_spare"]);
    let app = account.vpc_origins.iter().find(|v| v.id == "vo_app").unwrap();
    assert_eq!(app.endpoint_arn, vpc_origin_endpoint_arn("app"));
    assert_eq!(app.status, "Deployed");
    assert_eq!(app.account_id, ACCOUNT);
    assert_eq!(app.protocol_policy.as_deref(), Some("https-only"));
    assert_eq!((app.http_port, app.https_port), (Some(80), Some(443)));
    assert_eq!(app.ssl_protocols, ["TLSv1.2"]);
    let admin = account.vpc_origins.iter().find(|v| v.id == "vo_admin").unwrap();
    assert_eq!(admin.endpoint_arn, vpc_origin_endpoint_arn("admin"));
    assert_eq!(admin.protocol_policy, None);
    let failed: Vec<_> = account.failures(Service::Cloudfront).collect();
    assert_eq!(failed.len(), 1, "{:?}", account.coverage);
    assert_eq!(failed[0].operation.as_deref(), Some("GetVpcOrigin"));
    assert_eq!(
        failed[0].resource.as_deref(),
        Some(format!("arn:aws:cloudfront::{ACCOUNT}:vpcorigin/vo_admin").as_str())
    );
    assert!(
        failed[0].error.as_deref().unwrap_or_default().starts_with("AccessDenied"),
        "{:?}",
        failed[0].error
    );
    // The origins carry their VpcOriginConfig (and no custom origin config).
    let origin = account.distributions[0].origin("app").unwrap();
    assert_eq!(origin.vpc_origin_id.as_deref(), Some("vo_app"));
    let config = origin.vpc_origin.as_ref().unwrap();
    assert_eq!(config.owner_account_id.as_deref(), Some(ACCOUNT));
    assert_eq!((config.read_timeout, config.keepalive_timeout), (Some(30), Some(5)));
    assert!(origin.custom.is_none());
}

#[tokio::test]
async fn denied_vpc_origins_are_a_coverage_gap_and_the_origins_are_not_evaluated() {
    let rules = vec![
        distribution_with_vpc_origins(),
        mock!(aws_sdk_cloudfront::Client::list_vpc_origins)
            .then_http_response(|| cloudfront_access_denied("ListVpcOrigins")),
    ];
    let (account, stats) = collect(rules).await;
    assert_eq!(stats_of(&stats, "GetVpcOrigin").calls, 0);
    assert!(account.vpc_origins.is_empty());
    let failed: Vec<_> = account.failures(Service::Cloudfront).collect();
    assert_eq!(failed.len(), 1, "{:?}", account.coverage);
    assert_eq!(failed[0].operation.as_deref(), Some("ListVpcOrigins"));
    assert!(!account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    assert_eq!(account.distributions.len(), 1, "the distributions themselves were read");
    // The perimeter does not take the unread VPC origins for private ones.
    let inventory = edge_audit_checks::Inventory::new(vec![account]);
    let ea106 = edge_audit_checks::registry::find("EA106").unwrap();
    let outcome =
        edge_audit_checks::registry::run(&inventory, &[ea106], &edge_audit_checks::CheckOptions::default());
    // One entry per origin through a VPC origin (besides the framework's service-wide one).
    let reasons: Vec<&str> = outcome
        .not_evaluated
        .iter()
        .filter(|n| n.scope.starts_with("EVPC1/"))
        .map(|n| n.reason.as_str())
        .collect();
    assert_eq!(reasons.len(), 2, "{:?}", outcome.not_evaluated);
    assert!(
        reasons.iter().all(|r| r.contains("ListVpcOrigins") && r.contains("AccessDenied")),
        "{reasons:?}"
    );
    assert!(outcome.findings.iter().all(|f| f.check_id != "EA106"), "{:?}", outcome.findings);
}

/// An account none of whose distributions uses a VPC origin only lists its VPC origins for other
/// accounts' distributions (shared ones): a role without `cloudfront:ListVpcOrigins` must not cost
/// it its CloudFront coverage. A distribution elsewhere using a VPC origin owned here and missing
/// from this inventory is not evaluated there (`perimeter::vpc`).
#[tokio::test]
async fn denied_vpc_origins_cost_no_coverage_when_no_distribution_uses_one() {
    let rules = vec![mock!(aws_sdk_cloudfront::Client::list_vpc_origins)
        .then_http_response(|| cloudfront_access_denied("ListVpcOrigins"))];
    let (account, stats) = collect(rules).await;
    assert_eq!(stats_of(&stats, "ListVpcOrigins").calls, 1, "asked once");
    assert!(account.vpc_origins.is_empty());
    assert_eq!(account.failures(Service::Cloudfront).count(), 0, "{:?}", account.coverage);
    assert!(account.is_collected(GLOBAL_REGION, Service::Cloudfront));
}

// ---------------------------------------------------------------------------------------------
// Origin mutual TLS: the origin's OriginMtlsConfig (CloudFront XML) and the listener's
// MutualAuthentication (ELBv2 query-protocol XML), as the API references shape them.

const ELB_NS: &str = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

fn mtls_lb_arn() -> String {
    format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/mtls/50dc6c495c0c9188")
}

fn mtls_listener_xml(port: u16, mode: &str) -> String {
    format!(
        "<member><ListenerArn>arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/app/mtls/50dc6c495c0c9188/{port:016x}</ListenerArn>\
         <LoadBalancerArn>{}</LoadBalancerArn><Port>{port}</Port><Protocol>HTTPS</Protocol>\
         <DefaultActions><member><Type>fixed-response</Type><FixedResponseConfig><StatusCode>403</StatusCode></FixedResponseConfig></member></DefaultActions>\
         <MutualAuthentication><Mode>{mode}</Mode>\
         <TrustStoreArn>arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:truststore/ts/8888888888888888</TrustStoreArn>\
         <IgnoreClientCertificateExpiry>false</IgnoreClientCertificateExpiry><TrustStoreAssociationStatus>active</TrustStoreAssociationStatus>\
         </MutualAuthentication></member>",
        mtls_lb_arn()
    )
}

#[tokio::test]
async fn origin_mutual_tls_is_read_from_the_origin_and_the_listeners() {
    let certificate =
        format!("arn:aws:acm:us-east-1:{ACCOUNT}:certificate/0a1b2c3d-0000-4000-8000-000000000001");
    let origin = origin_xml("alb", &format!("mtls-1.{REGION}.elb.amazonaws.com"), "", &[]).replace(
        "</CustomOriginConfig>",
        &format!("<OriginMtlsConfig><ClientCertificateArn>{certificate}</ClientCertificateArn></OriginMtlsConfig></CustomOriginConfig>"),
    );
    let distribution = distribution_xml(
        "EMTLS1",
        &[origin],
        behavior_xml("DefaultCacheBehavior", None, "alb", CACHING_DISABLED),
        &[],
        "",
    );
    let mut rules = vec![list_distributions_page(None, distribution_list_xml(&[distribution], None))];
    rules.extend(mtls_load_balancer_rules("passthrough"));
    let (account, _) = collect(rules).await;
    let origin = account.distributions[0].origin("alb").unwrap();
    assert_eq!(origin.custom.as_ref().unwrap().client_certificate_arn.as_deref(), Some(certificate.as_str()));
    let lb = account.load_balancers.iter().find(|lb| lb.name == "mtls").expect("the load balancer");
    let modes: Vec<(u16, &str, bool)> = lb
        .listeners
        .iter()
        .map(|l| {
            let m = l.mutual_authentication.as_ref().unwrap();
            (
                l.port,
                m.mode.as_str(),
                m.trust_store_arn.as_deref().is_some_and(|a| a.contains(":truststore/ts/")),
            )
        })
        .collect();
    assert_eq!(modes, [(443, "verify", true), (8443, "passthrough", true)]);
    // One listener in passthrough: mutual TLS locks nothing, and the perimeter says why.
    let inventory = edge_audit_checks::Inventory::new(vec![account]);
    let account = &inventory.accounts[0];
    let index = edge_audit_checks::index::Index::build(account);
    let options = edge_audit_checks::CheckOptions::default();
    let perimeter = edge_audit_checks::perimeter::Perimeter::build(account, &index, &options);
    let backend = perimeter.backend(&mtls_lb_arn()).expect("the load balancer backend");
    assert!(backend.side.guards.iter().all(|g| g.name() != "origin-mutual-tls"));
    assert!(
        backend.side.open_because.iter().any(|w| w.contains("listener :8443 mutual TLS mode passthrough")),
        "{:?}",
        backend.side.open_because
    );
}

/// The ELBv2 rules of one internet-facing ALB `mtls` whose two listeners both verify client
/// certificates against trust store `ts`.
fn verifying_load_balancer_rules() -> Vec<Rule> {
    mtls_load_balancer_rules("verify")
}

/// The ELBv2 rules of one internet-facing ALB `mtls` with trust store `ts`: listener :443 in
/// `verify` mode, listener :8443 in `second_mode`.
fn mtls_load_balancer_rules(second_mode: &str) -> Vec<Rule> {
    let load_balancers = format!(
        "<DescribeLoadBalancersResponse xmlns=\"{ELB_NS}\"><DescribeLoadBalancersResult><LoadBalancers><member>\
         <LoadBalancerArn>{}</LoadBalancerArn><DNSName>mtls-1.{REGION}.elb.amazonaws.com</DNSName>\
         <LoadBalancerName>mtls</LoadBalancerName><Scheme>internet-facing</Scheme><Type>application</Type>\
         <SecurityGroups><member>sg-0mtls</member></SecurityGroups></member></LoadBalancers></DescribeLoadBalancersResult>\
         <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>",
        mtls_lb_arn()
    );
    let listeners = format!(
        "<DescribeListenersResponse xmlns=\"{ELB_NS}\"><DescribeListenersResult><Listeners>{}{}</Listeners>\
         </DescribeListenersResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeListenersResponse>",
        mtls_listener_xml(443, "verify"),
        mtls_listener_xml(8443, second_mode)
    );
    vec![
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_load_balancers)
            .then_http_response(move || http(200, &[("content-type", "text/xml")], load_balancers.clone())),
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_listeners)
            .then_http_response(move || http(200, &[("content-type", "text/xml")], listeners.clone())),
    ]
}

/// One DescribeTrustStores page (query-protocol XML, as the API reference shapes it).
fn trust_store_page(members: &[(&str, &str, &str, u32)], next: Option<&str>) -> String {
    let members: String = members
        .iter()
        .map(|(name, id, status, cas)| {
            format!(
                "<member><Name>{name}</Name><TrustStoreArn>arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:truststore/{name}/{id}</TrustStoreArn>\
                 <Status>{status}</Status><NumberOfCaCertificates>{cas}</NumberOfCaCertificates><TotalRevokedEntries>0</TotalRevokedEntries></member>"
            )
        })
        .collect();
    let next = next.map(|m| format!("<NextMarker>{m}</NextMarker>")).unwrap_or_default();
    format!(
        "<DescribeTrustStoresResponse xmlns=\"{ELB_NS}\"><DescribeTrustStoresResult><TrustStores>{members}</TrustStores>{next}\
         </DescribeTrustStoresResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeTrustStoresResponse>"
    )
}

fn mtls_backend_side(account: AccountInventory) -> (Vec<&'static str>, Vec<String>, Vec<String>) {
    let inventory = edge_audit_checks::Inventory::new(vec![account]);
    let account = &inventory.accounts[0];
    let index = edge_audit_checks::index::Index::build(account);
    let options = edge_audit_checks::CheckOptions::default();
    let perimeter = edge_audit_checks::perimeter::Perimeter::build(account, &index, &options);
    let side = &perimeter.backend(&mtls_lb_arn()).expect("the load balancer backend").side;
    (side.guard_names(), side.guards.iter().map(|g| g.describe()).collect(), side.not_collected.clone())
}

/// DescribeTrustStores is read once per region (every page) only when a listener verifies;
/// each `verify` listener gets its trust store's status and CA count, and the trust store locks
/// the ALB (the guard names it). AccessDenied is a coverage gap: the mutual TLS guard is then
/// unverified (the side incomplete, naming the call and the error), never a lock.
#[tokio::test]
async fn trust_stores_of_verifying_listeners_are_read_and_judged() {
    let first = trust_store_page(&[("other", "1111111111111111", "CREATING", 1)], Some("page-2"));
    let second = trust_store_page(&[("ts", "8888888888888888", "ACTIVE", 2)], None);
    let mut rules = verifying_load_balancer_rules();
    rules.push(
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_trust_stores)
            .match_requests(|r| r.marker().is_none())
            .then_http_response(move || http(200, &[("content-type", "text/xml")], first.clone())),
    );
    rules.push(
        mock!(aws_sdk_elasticloadbalancingv2::Client::describe_trust_stores)
            .match_requests(|r| r.marker() == Some("page-2"))
            .then_http_response(move || http(200, &[("content-type", "text/xml")], second.clone())),
    );
    let (account, stats) = collect(rules).await;
    assert!(failures(&account).is_empty(), "{:?}", failures(&account));
    assert_eq!(stats_of(&stats, "DescribeTrustStores").pages, 2);
    let lb = account.load_balancers.iter().find(|lb| lb.name == "mtls").unwrap();
    for listener in &lb.listeners {
        let store = listener.mutual_authentication.as_ref().unwrap().trust_store.as_ref().expect("read");
        assert_eq!(
            (store.name.as_str(), store.status.as_str(), store.ca_certificates),
            ("ts", "ACTIVE", Some(2))
        );
    }
    let (guards, described, not_collected) = mtls_backend_side(account);
    // (The listeners answer 403 by default, which the header guard reports too.)
    assert!(guards.contains(&"origin-mutual-tls"), "{guards:?} {not_collected:?}");
    assert!(
        described.iter().any(|d| d.contains("trust store ts (ACTIVE, 2 CA certificates)")),
        "{described:?}"
    );

    let mut rules = verifying_load_balancer_rules();
    rules.push(mock!(aws_sdk_elasticloadbalancingv2::Client::describe_trust_stores).then_http_response(|| {
        http(
            403,
            &[("content-type", "text/xml")],
            format!(
                "<ErrorResponse xmlns=\"{ELB_NS}\"><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                 <Message>User is not authorized to perform: elasticloadbalancing:DescribeTrustStores</Message></Error>\
                 <RequestId>r</RequestId></ErrorResponse>"
            ),
        )
    }));
    let (account, _) = collect(rules).await;
    let failed = failures(&account);
    assert!(
        failed.iter().any(|f| f.contains("DescribeTrustStores") && f.contains("AccessDenied")),
        "{failed:?}"
    );
    let (guards, _, not_collected) = mtls_backend_side(account);
    assert!(!guards.contains(&"origin-mutual-tls"), "an unread trust store is no lock: {guards:?}");
    assert!(
        not_collected.iter().any(|w| w.contains("could not be read (DescribeTrustStores: AccessDenied")),
        "{not_collected:?}"
    );
}

/// A customer-managed prefix list that a rule references is expanded, every page of it; the
/// AWS-managed CloudFront list is not (recognised by name); a denied expansion fails EC2's
/// coverage in the region (fail closed) instead of leaving the list unjudged.
#[tokio::test]
async fn referenced_customer_prefix_lists_are_expanded() {
    use aws_sdk_ec2::operation::describe_managed_prefix_lists::DescribeManagedPrefixListsOutput;
    use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput;
    use aws_sdk_ec2::operation::get_managed_prefix_list_entries::{
        GetManagedPrefixListEntriesError, GetManagedPrefixListEntriesOutput,
    };
    use aws_sdk_ec2::types::{IpPermission, ManagedPrefixList, PrefixListEntry, PrefixListId, SecurityGroup};
    let rules = |deny: bool| {
        let group = SecurityGroup::builder()
            .group_id("sg-1")
            .group_name("alb")
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443)
                    .prefix_list_ids(PrefixListId::builder().prefix_list_id("pl-0partner").build())
                    .prefix_list_ids(PrefixListId::builder().prefix_list_id("pl-4fa04526").build())
                    .build(),
            )
            .build();
        let lists = DescribeManagedPrefixListsOutput::builder()
            .prefix_lists(
                ManagedPrefixList::builder()
                    .prefix_list_id("pl-0partner")
                    .prefix_list_name("partner-ranges")
                    .owner_id(ACCOUNT)
                    .build(),
            )
            .prefix_lists(
                ManagedPrefixList::builder()
                    .prefix_list_id("pl-4fa04526")
                    .prefix_list_name("com.amazonaws.global.cloudfront.origin-facing")
                    .owner_id("AWS")
                    .build(),
            )
            .prefix_lists(
                ManagedPrefixList::builder()
                    .prefix_list_id("pl-0unused")
                    .prefix_list_name("unused")
                    .owner_id(ACCOUNT)
                    .build(),
            )
            .build();
        let mut out = vec![
            mock!(aws_sdk_ec2::Client::describe_security_groups).then_output(move || {
                DescribeSecurityGroupsOutput::builder().security_groups(group.clone()).build()
            }),
            mock!(aws_sdk_ec2::Client::describe_managed_prefix_lists).then_output(move || lists.clone()),
        ];
        if deny {
            out.push(mock!(aws_sdk_ec2::Client::get_managed_prefix_list_entries).then_error(|| {
                GetManagedPrefixListEntriesError::generic(error_meta(
                    "UnauthorizedOperation",
                    "You are not authorized to perform this operation.",
                ))
            }));
        } else {
            out.push(
                mock!(aws_sdk_ec2::Client::get_managed_prefix_list_entries)
                    .match_requests(|r| r.prefix_list_id() == Some("pl-0partner") && r.next_token().is_none())
                    .then_output(|| {
                        GetManagedPrefixListEntriesOutput::builder()
                            .entries(PrefixListEntry::builder().cidr("0.0.0.0/1").build())
                            .next_token("p2")
                            .build()
                    }),
            );
            out.push(
                mock!(aws_sdk_ec2::Client::get_managed_prefix_list_entries)
                    .match_requests(|r| {
                        r.prefix_list_id() == Some("pl-0partner") && r.next_token() == Some("p2")
                    })
                    .then_output(|| {
                        GetManagedPrefixListEntriesOutput::builder()
                            .entries(PrefixListEntry::builder().cidr("128.0.0.0/1").build())
                            .build()
                    }),
            );
        }
        out
    };
    let (account, stats) = collect(rules(false)).await;
    assert_eq!(failures(&account), Vec::<String>::new());
    let entries = |id: &str| account.prefix_lists.iter().find(|p| p.id == id).map(|p| p.entries.clone());
    assert_eq!(entries("pl-0partner"), Some(Some(vec!["0.0.0.0/1".to_string(), "128.0.0.0/1".to_string()])));
    assert_eq!(entries("pl-4fa04526"), Some(None), "AWS-managed lists are not expanded");
    assert_eq!(entries("pl-0unused"), Some(None), "only referenced lists are expanded");
    assert_eq!(stats_of(&stats, "GetManagedPrefixListEntries").calls, 2);

    // Denied: a gap of that list only (the region's other groups are judged), and the rule
    // that names it admits "unknown" sources with the reason, never none.
    let (account, _) = collect(rules(true)).await;
    assert!(account.is_collected(REGION, Service::Ec2));
    let failed: Vec<_> = account.failures(Service::Ec2).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(
        (failed[0].status, failed[0].operation.as_deref(), failed[0].resource.as_deref()),
        (CoverageStatus::ResourceFailed, Some("GetManagedPrefixListEntries"), Some("pl-0partner"))
    );
    assert_eq!(
        account.prefix_lists.iter().find(|p| p.id == "pl-0partner").map(|p| p.entries.clone()),
        Some(None)
    );
    let index = edge_audit_checks::index::Index::build(&account);
    let sources = edge_audit_checks::network::port_sources(&index, &["sg-1".to_string()], 443);
    assert!(sources.internet.is_empty());
    assert_eq!(sources.unknown.len(), 1, "{sources:?}");
    assert!(
        sources.unknown[0].contains("pl-0partner (partner-ranges)")
            && sources.unknown[0].contains("GetManagedPrefixListEntries failed (UnauthorizedOperation"),
        "{sources:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Custom rule groups and the matching pass.

fn rule_group_arn(name: &str, id: &str) -> String {
    format!("arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/rulegroup/{name}/{id}")
}

/// A distribution sending the origin secret, and a REGIONAL web ACL whose gate is the custom
/// rule group `gate` (a Count rule that labels requests whose lowercased x-origin-verify
/// contains the lowercased secret, and an unanchored regex rule), overridden per rule.
fn rule_group_gate_rules(get_rule_group: Rule) -> Vec<Rule> {
    use aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput;
    use aws_sdk_wafv2::types::{Scope, WebAclSummary};
    let acl_arn = regional_acl_arn("gate", "g-1");
    let group_arn = rule_group_arn("gate", "rg-1");
    let web_acl = serde_json::json!({"WebACL": {"Name": "gate", "Id": "g-1", "ARN": acl_arn,
        "DefaultAction": {"Allow": {}}, "VisibilityConfig": waf_visibility(),
        "Rules": [
            {"Name": "origin-gate", "Priority": 0, "OverrideAction": {"None": {}}, "VisibilityConfig": waf_visibility(),
             "Statement": {"RuleGroupReferenceStatement": {"ARN": group_arn,
                "ExcludedRules": [{"Name": "legacy"}],
                "RuleActionOverrides": [{"Name": "regex", "ActionToUse": {"Count": {}}}]}}},
            {"Name": "block-unlabelled", "Priority": 1, "Action": {"Block": {}}, "VisibilityConfig": waf_visibility(),
             "Statement": {"NotStatement": {"Statement": {"LabelMatchStatement": {"Scope": "LABEL", "Key": "origin:verified"}}}}}
        ]}, "LockToken": "t"})
    .to_string();
    let summary = WebAclSummary::builder().name("gate").id("g-1").arn(acl_arn.clone()).build();
    // A second ACL of the region whose gate is its own rule, so needs no group.
    let direct_arn = regional_acl_arn("direct", "d-1");
    let direct = serde_json::json!({"WebACL": {"Name": "direct", "Id": "d-1", "ARN": direct_arn,
        "DefaultAction": {"Block": {}}, "VisibilityConfig": waf_visibility(),
        "Rules": [
            {"Name": "allow-secret", "Priority": 0, "Action": {"Allow": {}}, "VisibilityConfig": waf_visibility(),
             "Statement": {"ByteMatchStatement": {
                 "SearchString": aws_smithy_types::base64::encode(ORIGIN_SECRET),
                 "FieldToMatch": {"SingleHeader": {"Name": "x-origin-verify"}}, "PositionalConstraint": "EXACTLY",
                 "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}}
        ]}, "LockToken": "t"})
    .to_string();
    let direct_summary = WebAclSummary::builder().name("direct").id("d-1").arn(direct_arn).build();
    vec![
        alb_origin_distribution(),
        mock!(aws_sdk_wafv2::Client::list_web_acls)
            .match_requests(|r| r.scope() == Some(&Scope::Regional))
            .then_output(move || {
                ListWebAcLsOutput::builder()
                    .web_acls(summary.clone())
                    .web_acls(direct_summary.clone())
                    .build()
            }),
        mock!(aws_sdk_wafv2::Client::get_web_acl)
            .match_requests(|r| r.id() == Some("g-1"))
            .then_http_response(move || http(200, &[], web_acl.clone())),
        mock!(aws_sdk_wafv2::Client::get_web_acl)
            .match_requests(|r| r.id() == Some("d-1"))
            .then_http_response(move || http(200, &[], direct.clone())),
        get_rule_group,
    ]
}

/// The web ACL named `name`.
fn web_acl_named<'a>(account: &'a AccountInventory, name: &str) -> &'a edge_audit_checks::inventory::WebAcl {
    account.web_acls.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no web ACL {name}"))
}

/// How the web ACL named `name` treats requests without the secret header.
fn gate_of<'a>(
    account: &'a AccountInventory,
    index: &edge_audit_checks::index::Index<'a>,
    name: &str,
) -> edge_audit_checks::perimeter::AclHeaderGuard<'a> {
    edge_audit_checks::perimeter::headers::acl_header_guard(web_acl_named(account, name), index)
}

/// GetRuleGroup asked by the ARN alone (no name, id or scope: those would look the group up in
/// the caller's account, and a Firewall Manager group is the administrator account's).
fn get_rule_group_by_arn(arn: String, body: String) -> Rule {
    mock!(aws_sdk_wafv2::Client::get_rule_group)
        .match_requests(move |r| {
            r.arn() == Some(arn.as_str()) && r.name().is_none() && r.id().is_none() && r.scope().is_none()
        })
        .then_http_response(move || http(200, &[], body.clone()))
}

fn rule_group_json() -> String {
    let header = serde_json::json!({"SingleHeader": {"Name": "x-origin-verify"}});
    serde_json::json!({"RuleGroup": {"Name": "gate", "Id": "rg-1", "ARN": rule_group_arn("gate", "rg-1"),
        "Capacity": 50, "VisibilityConfig": waf_visibility(),
        "Rules": [
            {"Name": "label-verified", "Priority": 0, "Action": {"Count": {}}, "VisibilityConfig": waf_visibility(),
             "RuleLabels": [{"Name": "origin:verified"}],
             "Statement": {"ByteMatchStatement": {
                 "SearchString": aws_smithy_types::base64::encode(ORIGIN_SECRET.to_lowercase()),
                 "FieldToMatch": header, "PositionalConstraint": "CONTAINS",
                 "TextTransformations": [{"Priority": 1, "Type": "LOWERCASE"}, {"Priority": 0, "Type": "URL_DECODE"}]}}},
            {"Name": "regex", "Priority": 1, "Action": {"Allow": {}}, "VisibilityConfig": waf_visibility(),
             "Statement": {"RegexMatchStatement": {"RegexString": ".+", "FieldToMatch": header,
                 "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}},
            {"Name": "legacy", "Priority": 2, "Action": {"Allow": {}}, "VisibilityConfig": waf_visibility(),
             "Statement": {"SizeConstraintStatement": {"FieldToMatch": header, "ComparisonOperator": "GT", "Size": 0,
                 "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}}
        ]}, "LockToken": "t"})
    .to_string()
}

#[tokio::test]
async fn custom_rule_groups_are_read_once_and_their_tests_evaluated_against_the_sent_values() {
    use edge_audit_checks::inventory::{TestStrength, WafAction};
    use edge_audit_checks::secret::SecretValue;
    let get_rule_group = get_rule_group_by_arn(rule_group_arn("gate", "rg-1"), rule_group_json());
    let (account, stats) = collect(rule_group_gate_rules(get_rule_group)).await;
    assert!(failures(&account).is_empty(), "{:?}", failures(&account));
    assert_eq!(stats_of(&stats, "GetRuleGroup").calls, 1, "asked by ARN, once");

    let acl = web_acl_named(&account, "gate");
    let Statement::RuleGroupReference { arn, excluded_rules, rule_action_overrides } =
        &acl.rules[0].statement
    else {
        panic!("{:?}", acl.rules[0])
    };
    assert_eq!(arn, &rule_group_arn("gate", "rg-1"));
    assert_eq!(excluded_rules, &["legacy".to_string()]);
    assert_eq!(
        (rule_action_overrides[0].name.as_str(), rule_action_overrides[0].action),
        ("regex", WafAction::Count)
    );

    let group = &account.rule_groups[0];
    assert_eq!((group.name.as_str(), group.rules.len()), ("gate", 3));
    assert_eq!(group.rules[0].labels, ["origin:verified".to_string()]);
    let sent = SecretValue::from_plaintext(ORIGIN_SECRET).fingerprint;
    let Statement::ByteMatch { transformations, test: Some(test), .. } = &group.rules[0].statement else {
        panic!("{:?}", group.rules[0])
    };
    // Priority order: URL_DECODE (0) before LOWERCASE (1).
    assert_eq!(transformations, &["URL_DECODE".to_string(), "LOWERCASE".to_string()]);
    assert!(test.accepts(&sent), "CONTAINS of the lowercased secret accepts the mixed-case value");
    assert_eq!(test.strength(), TestStrength::Secret);
    let Statement::RegexMatch { test: Some(test), .. } = &group.rules[1].statement else {
        panic!("{:?}", group.rules[1])
    };
    assert!(test.accepts(&sent));
    assert_eq!(test.strength(), TestStrength::Presence, ".+ only tests presence");
    // No plaintext in the inventory, only fingerprints.
    let json = serde_json::to_string(&account).unwrap();
    assert!(!json.contains(ORIGIN_SECRET) && !json.contains(&ORIGIN_SECRET.to_lowercase()));

    // The gate: the label comes from the group's Count rule, the presence regex is overridden
    // to Count and the size test excluded, so the ACL requires the secret.
    let index = edge_audit_checks::index::Index::build(&account);
    let guard = edge_audit_checks::perimeter::headers::acl_header_guard(acl, &index);
    assert!(matches!(guard, edge_audit_checks::perimeter::AclHeaderGuard::Enforced(_)), "{guard:?}");
}

#[tokio::test]
async fn a_rule_group_that_cannot_be_read_is_a_gap_of_the_acls_that_reference_it_only() {
    let get_rule_group = mock!(aws_sdk_wafv2::Client::get_rule_group).then_error(|| {
        aws_sdk_wafv2::operation::get_rule_group::GetRuleGroupError::generic(error_meta(
            "AccessDeniedException",
            "User: arn:aws:sts::123456789012:assumed-role/EdgeAuditReadOnly/edge-audit is not authorized to perform: wafv2:GetRuleGroup",
        ))
    });
    let (account, _) = collect(rule_group_gate_rules(get_rule_group)).await;
    let failed: Vec<_> = account.failures(Service::WafRegional).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].status, CoverageStatus::ResourceFailed);
    assert_eq!(failed[0].operation.as_deref(), Some("GetRuleGroup"));
    assert_eq!(failed[0].resource.as_deref(), Some(rule_group_arn("gate", "rg-1").as_str()));
    // The region's WAF stays read: only the ACLs that reference the group lack data.
    assert!(account.is_collected(REGION, Service::WafRegional));
    assert!(account.rule_groups.is_empty());
    assert_eq!(account.web_acls.len(), 2);
    let index = edge_audit_checks::index::Index::build(&account);
    // The other ACL of the region is judged: its own rule requires the secret.
    let direct = gate_of(&account, &index, "direct");
    assert!(matches!(direct, edge_audit_checks::perimeter::AclHeaderGuard::Enforced(_)), "{direct:?}");
    // Not read: the referencing ACL's gate is "could not verify", never a pass.
    let gate = gate_of(&account, &index, "gate");
    assert!(matches!(gate, edge_audit_checks::perimeter::AclHeaderGuard::Unverifiable(_)), "{gate:?}");
    assert_eq!(
        edge_audit_checks::perimeter::headers::unread_rule_groups(web_acl_named(&account, "gate"), &index),
        [rule_group_arn("gate", "rg-1").as_str()]
    );
}

/// A web ACL that Firewall Manager manages: its pre-process rule group lives in the
/// administrator account (999999999999) and is read by that ARN, and its label gate is
/// evaluated like a local group's.
#[tokio::test]
async fn a_firewall_manager_rule_group_is_read_by_its_arn_in_the_administrator_account() {
    use aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput;
    use aws_sdk_wafv2::types::{Scope, WebAclSummary};
    let fms_arn =
        "arn:aws:wafv2:us-east-1:999999999999:regional/rulegroup/FMManagedRuleGroup-gate/fms-1".to_string();
    let acl_arn = regional_acl_arn("FMManagedWebACLV2-gate", "f-1");
    let header = serde_json::json!({"SingleHeader": {"Name": "x-origin-verify"}});
    let web_acl = serde_json::json!({"WebACL": {"Name": "FMManagedWebACLV2-gate", "Id": "f-1", "ARN": acl_arn,
        "DefaultAction": {"Allow": {}}, "VisibilityConfig": waf_visibility(), "ManagedByFirewallManager": true,
        "PreProcessFirewallManagerRuleGroups": [
            {"Name": "fms-gate", "Priority": 1, "OverrideAction": {"None": {}}, "VisibilityConfig": waf_visibility(),
             "FirewallManagerStatement": {"RuleGroupReferenceStatement": {"ARN": fms_arn}}}],
        "Rules": [
            {"Name": "block-unlabelled", "Priority": 0, "Action": {"Block": {}}, "VisibilityConfig": waf_visibility(),
             "Statement": {"NotStatement": {"Statement": {"LabelMatchStatement": {"Scope": "LABEL", "Key": "origin:verified"}}}}}
        ]}, "LockToken": "t"})
    .to_string();
    let group = serde_json::json!({"RuleGroup": {"Name": "FMManagedRuleGroup-gate", "Id": "fms-1", "ARN": fms_arn,
        "Capacity": 10, "VisibilityConfig": waf_visibility(),
        "Rules": [
            {"Name": "label-verified", "Priority": 0, "Action": {"Count": {}}, "VisibilityConfig": waf_visibility(),
             "RuleLabels": [{"Name": "origin:verified"}],
             "Statement": {"ByteMatchStatement": {
                 "SearchString": aws_smithy_types::base64::encode(ORIGIN_SECRET),
                 "FieldToMatch": header, "PositionalConstraint": "EXACTLY",
                 "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}}}
        ]}, "LockToken": "t"})
    .to_string();
    let summary =
        WebAclSummary::builder().name("FMManagedWebACLV2-gate").id("f-1").arn(acl_arn.clone()).build();
    let rules = vec![
        alb_origin_distribution(),
        mock!(aws_sdk_wafv2::Client::list_web_acls)
            .match_requests(|r| r.scope() == Some(&Scope::Regional))
            .then_output(move || ListWebAcLsOutput::builder().web_acls(summary.clone()).build()),
        mock!(aws_sdk_wafv2::Client::get_web_acl)
            .match_requests(|r| r.id() == Some("f-1"))
            .then_http_response(move || http(200, &[], web_acl.clone())),
        get_rule_group_by_arn(fms_arn.clone(), group),
    ];
    let (account, stats) = collect(rules).await;
    assert!(failures(&account).is_empty(), "{:?}", failures(&account));
    assert_eq!(stats_of(&stats, "GetRuleGroup").calls, 1);
    assert_eq!(account.rule_groups.iter().map(|g| g.arn.as_str()).collect::<Vec<_>>(), [fms_arn.as_str()]);
    let acl = &account.web_acls[0];
    assert!(
        matches!(acl.pre_process_rules[0].statement, Statement::RuleGroupReference { ref arn, .. } if *arn == fms_arn)
    );
    let index = edge_audit_checks::index::Index::build(&account);
    let guard = edge_audit_checks::perimeter::headers::acl_header_guard(acl, &index);
    assert!(matches!(guard, edge_audit_checks::perimeter::AclHeaderGuard::Enforced(_)), "{guard:?}");
}

// ---------------------------------------------------------------------------------------------
// CloudFront multi-tenant distributions: templated origins filled in per tenant

const TEMPLATED: &str = "E1TEMPLATE";
const OPEN_API: &str = "op3n4p1id0";

/// A multi-tenant distribution whose origin `api` is `{{api}}.execute-api…/{{stage}}` and
/// sends a secret header.
fn templated_distribution_xml() -> String {
    distribution_xml(
        TEMPLATED,
        &[origin_xml(
            "api",
            &format!("{{{{api}}}}.execute-api.{REGION}.amazonaws.com"),
            "/{{stage}}",
            &[("x-origin-verify", ORIGIN_SECRET)],
        )],
        behavior_xml("DefaultCacheBehavior", None, "api", CACHING_DISABLED),
        &[],
        "",
    )
    .replace("</Staging>", "</Staging><ConnectionMode>tenant-only</ConnectionMode>")
}

/// ListDistributionTenants (API reference: `DistributionTenantList` of
/// `DistributionTenantSummary`, no `Parameters`): two enabled tenants and a disabled one.
fn templated_tenants_xml() -> String {
    let summary = |id: &str, enabled: bool| {
        format!(
            "<DistributionTenantSummary><Id>{id}</Id><DistributionId>{TEMPLATED}</DistributionId><Name>{id}-name</Name>\
             <Arn>arn:aws:cloudfront::{ACCOUNT}:distribution-tenant/{id}</Arn>\
             <Domains><member><Domain>{id}.shop.example.com</Domain><Status>active</Status></member></Domains>\
             <CreatedTime>2026-01-01T00:00:00Z</CreatedTime><LastModifiedTime>2026-01-01T00:00:00Z</LastModifiedTime>\
             <ETag>E1</ETag><Enabled>{enabled}</Enabled><Status>Deployed</Status></DistributionTenantSummary>"
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <ListDistributionTenantsResult xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
         <DistributionTenantList>{}{}{}</DistributionTenantList></ListDistributionTenantsResult>",
        summary("dt_open", true),
        summary("dt_denied", true),
        summary("dt_off", false)
    )
}

/// GetDistributionConfig (API reference: a `DistributionConfig` with `TenantConfig`): `stage`
/// defaults to `prod`, `api` has no default.
fn templated_config_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <DistributionConfig xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
         <CallerReference>ref</CallerReference>\
         <Origins><Quantity>1</Quantity><Items>{}</Items></Origins>{}\
         <Comment>saas</Comment><Enabled>true</Enabled>\
         <TenantConfig><ParameterDefinitions>\
         <member><Name>api</Name><Definition><StringSchema><Comment>the tenant's API</Comment><Required>true</Required></StringSchema></Definition></member>\
         <member><Name>stage</Name><Definition><StringSchema><DefaultValue>prod</DefaultValue><Required>false</Required></StringSchema></Definition></member>\
         </ParameterDefinitions></TenantConfig>\
         <ConnectionMode>tenant-only</ConnectionMode></DistributionConfig>",
        origin_xml(
            "api",
            &format!("{{{{api}}}}.execute-api.{REGION}.amazonaws.com"),
            "/{{stage}}",
            &[("x-origin-verify", ORIGIN_SECRET)]
        ),
        behavior_xml("DefaultCacheBehavior", None, "api", CACHING_DISABLED),
    )
}

/// GetDistributionTenant (API reference: a `DistributionTenant` with `Parameters`).
fn templated_tenant_xml(id: &str, parameters: &[(&str, &str)]) -> String {
    let members: String = parameters
        .iter()
        .map(|(name, value)| format!("<member><Name>{name}</Name><Value>{value}</Value></member>"))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <DistributionTenant xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\
         <Id>{id}</Id><DistributionId>{TEMPLATED}</DistributionId><Name>{id}-name</Name>\
         <Arn>arn:aws:cloudfront::{ACCOUNT}:distribution-tenant/{id}</Arn>\
         <Domains><member><Domain>{id}.shop.example.com</Domain><Status>active</Status></member></Domains>\
         <Parameters>{members}</Parameters>\
         <CreatedTime>2026-01-01T00:00:00Z</CreatedTime><LastModifiedTime>2026-01-01T00:00:00Z</LastModifiedTime>\
         <Enabled>true</Enabled><Status>Deployed</Status></DistributionTenant>"
    )
}

/// An open REST API (`GET /items`, no authorization) with stage `prod`.
fn open_rest_api() -> Vec<Rule> {
    use aws_sdk_apigateway::operation::{get_rest_apis, get_stages};
    use aws_sdk_apigateway::types::{EndpointConfiguration, EndpointType, RestApi, Stage};
    vec![
        mock!(aws_sdk_apigateway::Client::get_rest_apis).then_output(|| {
            get_rest_apis::GetRestApisOutput::builder()
                .items(
                    RestApi::builder()
                        .id(OPEN_API)
                        .name("tenant-api")
                        .endpoint_configuration(
                            EndpointConfiguration::builder().types(EndpointType::Regional).build(),
                        )
                        .build(),
                )
                .build()
        }),
        mock!(aws_sdk_apigateway::Client::get_stages).then_output(|| {
            get_stages::GetStagesOutput::builder().item(Stage::builder().stage_name("prod").build()).build()
        }),
        mock!(aws_sdk_apigateway::Client::get_resources).then_output(open_items_resources),
    ]
}

/// GetResources of an API with one open method, `GET /items` (authorization NONE, no API key).
fn open_items_resources() -> aws_sdk_apigateway::operation::get_resources::GetResourcesOutput {
    use aws_sdk_apigateway::operation::get_resources;
    use aws_sdk_apigateway::types::{Method, Resource};
    get_resources::GetResourcesOutput::builder()
        .items(
            Resource::builder()
                .id("r1")
                .path("/items")
                .resource_methods(
                    "GET",
                    Method::builder()
                        .http_method("GET")
                        .authorization_type("NONE")
                        .api_key_required(false)
                        .build(),
                )
                .build(),
        )
        .build()
}

#[tokio::test]
async fn templated_origins_are_filled_in_per_tenant_and_a_denied_tenant_is_not_evaluated() {
    let config = templated_config_xml();
    let tenants = templated_tenants_xml();
    let open = templated_tenant_xml("dt_open", &[("api", OPEN_API)]);
    let mut rules = vec![
        list_distributions_page(None, distribution_list_xml(&[templated_distribution_xml()], None)),
        mock!(aws_sdk_cloudfront::Client::list_distribution_tenants)
            .then_http_response(move || http(200, &[("content-type", "text/xml")], tenants.clone())),
        mock!(aws_sdk_cloudfront::Client::get_distribution_config)
            .match_requests(|r| r.id() == Some(TEMPLATED))
            .then_http_response(move || {
                http(200, &[("content-type", "text/xml"), ("etag", "E2")], config.clone())
            }),
        mock!(aws_sdk_cloudfront::Client::get_distribution_tenant)
            .match_requests(|r| r.identifier() == Some("dt_open"))
            .then_http_response(move || {
                http(200, &[("content-type", "text/xml"), ("etag", "E3")], open.clone())
            }),
        mock!(aws_sdk_cloudfront::Client::get_distribution_tenant)
            .match_requests(|r| r.identifier() == Some("dt_denied"))
            .then_http_response(|| cloudfront_access_denied("GetDistributionTenant")),
    ];
    rules.extend(open_rest_api());
    let (account, stats) = collect(rules).await;

    // What was read: the definitions, the enabled tenants' parameters (none for the disabled one).
    assert_eq!(stats_of(&stats, "GetDistributionConfig").calls, 1);
    assert_eq!(stats_of(&stats, "GetDistributionTenant").calls, 2, "not for the disabled tenant");
    let distribution = &account.distributions[0];
    let definitions = distribution.tenant_parameters.as_ref().expect("definitions read");
    let stage = definitions.iter().find(|d| d.name == "stage").expect("stage");
    assert_eq!(stage.default_value.as_deref(), Some("prod"));
    assert!(definitions.iter().any(|d| d.name == "api" && d.required && d.default_value.is_none()));
    let tenant = |id: &str| account.distribution_tenants.iter().find(|t| t.id == id).expect("tenant");
    assert_eq!(
        tenant("dt_open").parameters.as_ref().and_then(|p| p.get("api")).map(String::as_str),
        Some(OPEN_API)
    );
    assert_eq!(tenant("dt_denied").parameters, None, "unread, not empty");
    assert_eq!(tenant("dt_off").parameters, None);
    // The denied read is a coverage failure naming the tenant.
    assert!(!account.is_collected(GLOBAL_REGION, Service::Cloudfront));
    let failed = failures(&account);
    assert!(
        failed.iter().any(|f| f.contains("GetDistributionTenant")
            && f.contains("dt_denied")
            && f.contains("AccessDenied")),
        "{failed:?}"
    );

    // Judged: dt_open reaches the open API (EA202 names the tenant); dt_denied is not evaluated.
    let inventory = edge_audit_checks::inventory::Inventory::new(vec![account]);
    let outcome = edge_audit_checks::registry::run(
        &inventory,
        edge_audit_checks::registry::all(),
        &edge_audit_checks::CheckOptions::default(),
    );
    let ea202: Vec<_> = outcome.findings.iter().filter(|f| f.check_id == "EA202").collect();
    assert_eq!(ea202.len(), 1, "{:#?}", outcome.findings);
    assert!(ea202[0].message.contains(&format!("{TEMPLATED}/dt_open/api")), "{}", ea202[0].message);
    let denied = outcome
        .not_evaluated
        .iter()
        .find(|n| n.check_id == "EA106" && n.scope.ends_with("distribution-tenant/dt_denied"))
        .unwrap_or_else(|| panic!("{:#?}", outcome.not_evaluated));
    assert!(denied.reason.contains("GetDistributionTenant"), "{}", denied.reason);
    let text = serde_json::to_string(&outcome.findings).expect("findings serialise")
        + &serde_json::to_string(&outcome.not_evaluated).expect("entries serialise");
    assert!(!text.contains(ORIGIN_SECRET), "no secret in the outcome");
}

#[tokio::test]
async fn unreadable_parameter_defaults_leave_only_tenants_that_rely_on_them_unjudged() {
    let tenants = templated_tenants_xml();
    let open = templated_tenant_xml("dt_open", &[("api", OPEN_API), ("stage", "prod")]);
    let partial = templated_tenant_xml("dt_denied", &[("api", OPEN_API)]);
    let rules = vec![
        list_distributions_page(None, distribution_list_xml(&[templated_distribution_xml()], None)),
        mock!(aws_sdk_cloudfront::Client::list_distribution_tenants)
            .then_http_response(move || http(200, &[("content-type", "text/xml")], tenants.clone())),
        mock!(aws_sdk_cloudfront::Client::get_distribution_config)
            .then_http_response(|| cloudfront_access_denied("GetDistributionConfig")),
        mock!(aws_sdk_cloudfront::Client::get_distribution_tenant)
            .match_requests(|r| r.identifier() == Some("dt_open"))
            .then_http_response(move || http(200, &[("content-type", "text/xml")], open.clone())),
        mock!(aws_sdk_cloudfront::Client::get_distribution_tenant)
            .match_requests(|r| r.identifier() == Some("dt_denied"))
            .then_http_response(move || http(200, &[("content-type", "text/xml")], partial.clone())),
    ];
    let (account, _stats) = collect(rules).await;
    assert_eq!(account.distributions[0].tenant_parameters, None);
    let failed = failures(&account);
    assert!(
        failed.iter().any(|f| f.contains("GetDistributionConfig") && f.contains(TEMPLATED)),
        "{failed:?}"
    );
    let index = edge_audit_checks::index::Index::build(&account);
    let filled: Vec<(&str, Result<&str, &str>)> = index
        .tenant_origins
        .iter()
        .map(|t| {
            (t.tenant.id.as_str(), t.origin.as_ref().map(|o| o.origin_path.as_str()).map_err(String::as_str))
        })
        .collect();
    assert_eq!(filled.len(), 2, "{filled:?}");
    assert_eq!(filled.iter().find(|(id, _)| *id == "dt_open").map(|f| f.1), Some(Ok("/prod")));
    let relying = filled.iter().find(|(id, _)| *id == "dt_denied").map(|f| f.1).expect("dt_denied");
    assert!(
        relying.is_err_and(|why| why.contains("`stage`") && why.contains("were not read")),
        "{relying:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// HTTP API authorizers: GetAuthorizers as the API Gateway v2 API reference shapes its answer
// (REST-JSON: `items[]` with `authorizerId`, `authorizerType` REQUEST|JWT, `identitySource`,
// `jwtConfiguration`, `name`; `nextToken`).

const HTTP_REQUEST_API: &str = "abc123";
const HTTP_JWT_API: &str = "def456";

fn http_api_arn(id: &str) -> String {
    format!("arn:aws:apigateway:{REGION}::/apis/{id}")
}

/// A distribution whose two origins are the HTTP APIs `abc123` (every route behind a REQUEST
/// Lambda authorizer keyed on the origin header it sends; its authorizers come in two pages) and
/// `def456` (every route behind a JWT authorizer), both `$default` stage.
fn http_authorizer_rules(jwt_api_authorizers: Rule) -> Vec<Rule> {
    use aws_sdk_apigatewayv2::operation::get_stages::GetStagesOutput;
    use aws_sdk_apigatewayv2::operation::{get_apis::GetApisOutput, get_routes::GetRoutesOutput};
    use aws_sdk_apigatewayv2::types::{Api, AuthorizationType, ProtocolType, Route, Stage};
    let api = |id: &str| {
        Api::builder()
            .api_id(id)
            .name(format!("http-{id}"))
            .protocol_type(ProtocolType::Http)
            .route_selection_expression("${request.method} ${request.path}")
            .api_endpoint(format!("https://{id}.execute-api.{REGION}.amazonaws.com"))
            .build()
    };
    let routes = |authorization: AuthorizationType, authorizer: &str| {
        let route = |key: &str, id: &str| {
            Route::builder()
                .route_id(id)
                .route_key(key)
                .authorization_type(authorization.clone())
                .authorizer_id(authorizer)
                .build()
        };
        GetRoutesOutput::builder().items(route("GET /items", "r1")).items(route("POST /items", "r2")).build()
    };
    let request_routes = routes(AuthorizationType::Custom, "au1");
    let jwt_routes = routes(AuthorizationType::Jwt, "jw2");
    let origin = |id: &str, api: &str| {
        origin_xml(
            id,
            &format!("{api}.execute-api.{REGION}.amazonaws.com"),
            "",
            &[("X-Origin-Verify", ORIGIN_SECRET)],
        )
    };
    let distribution = distribution_xml(
        "E1",
        &[origin("request", HTTP_REQUEST_API), origin("jwt", HTTP_JWT_API)],
        behavior_xml("DefaultCacheBehavior", None, "request", CACHING_DISABLED),
        &[behavior_xml("CacheBehavior", Some("/jwt/*"), "jwt", CACHING_DISABLED)],
        "",
    );
    let page = |body: serde_json::Value| {
        let body = body.to_string();
        move || http(200, &[("content-type", "application/json")], body.clone())
    };
    vec![
        list_distributions_page(None, distribution_list_xml(&[distribution], None)),
        mock!(aws_sdk_apigatewayv2::Client::get_apis).then_output(move || {
            GetApisOutput::builder().items(api(HTTP_REQUEST_API)).items(api(HTTP_JWT_API)).build()
        }),
        mock!(aws_sdk_apigatewayv2::Client::get_stages).then_output(|| {
            GetStagesOutput::builder()
                .items(Stage::builder().stage_name("$default").auto_deploy(true).build())
                .build()
        }),
        mock!(aws_sdk_apigatewayv2::Client::get_routes)
            .match_requests(|r| r.api_id() == Some(HTTP_REQUEST_API))
            .then_output(move || request_routes.clone()),
        mock!(aws_sdk_apigatewayv2::Client::get_routes)
            .match_requests(|r| r.api_id() == Some(HTTP_JWT_API))
            .then_output(move || jwt_routes.clone()),
        // abc123: page 1 holds the REQUEST authorizer, page 2 (nextToken) an unused JWT one.
        mock!(aws_sdk_apigatewayv2::Client::get_authorizers)
            .match_requests(|r| r.api_id() == Some(HTTP_REQUEST_API) && r.next_token().is_none())
            .then_http_response(page(serde_json::json!({
                "items": [{
                    "authorizerId": "au1",
                    "authorizerType": "REQUEST",
                    "authorizerUri": format!("arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:{REGION}:{ACCOUNT}:function:origin-check/invocations"),
                    "authorizerPayloadFormatVersion": "2.0",
                    "authorizerResultTtlInSeconds": 300,
                    "enableSimpleResponses": true,
                    "identitySource": ["$request.header.X-Origin-Verify"],
                    "name": "origin-check"
                }],
                "nextToken": "page-2"
            }))),
        mock!(aws_sdk_apigatewayv2::Client::get_authorizers)
            .match_requests(|r| r.api_id() == Some(HTTP_REQUEST_API) && r.next_token() == Some("page-2"))
            .then_http_response(page(serde_json::json!({
                "items": [{
                    "authorizerId": "jw1",
                    "authorizerType": "JWT",
                    "identitySource": ["$request.header.Authorization"],
                    "jwtConfiguration": {"audience": ["spa"], "issuer": format!("https://cognito-idp.{REGION}.amazonaws.com/{REGION}_pool")},
                    "name": "unused-jwt"
                }]
            }))),
        jwt_api_authorizers,
    ]
}

fn jwt_api_authorizers() -> Rule {
    mock!(aws_sdk_apigatewayv2::Client::get_authorizers)
        .match_requests(|r| r.api_id() == Some(HTTP_JWT_API))
        .then_http_response(|| {
            let body = serde_json::json!({"items": [{
                "authorizerId": "jw2",
                "authorizerType": "JWT",
                "identitySource": ["$request.header.Authorization"],
                "jwtConfiguration": {"audience": ["api"], "issuer": "https://issuer.example.com"},
                "name": "jwt"
            }]});
            http(200, &[("content-type", "application/json")], body.to_string())
        })
}

/// EA202's findings and not-evaluated entries on the account, by API ARN.
fn ea202(account: &AccountInventory) -> edge_audit_checks::registry::Outcome {
    let inventory = edge_audit_checks::Inventory::new(vec![account.clone()]);
    let check = edge_audit_checks::registry::find("EA202").expect("EA202");
    edge_audit_checks::registry::run(&inventory, &[check], &Default::default())
}

#[tokio::test]
async fn http_api_authorizers_are_read_page_by_page_and_judged() {
    use edge_audit_checks::finding::{Confidence, Severity};
    let (account, stats) = collect(http_authorizer_rules(jwt_api_authorizers())).await;
    assert!(failures(&account).is_empty(), "{:?}", failures(&account));
    assert_eq!(stats_of(&stats, "GetAuthorizers").calls, 3, "two pages for abc123, one for def456");
    let api = |id: &str| account.http_apis.iter().find(|a| a.id == id).expect("an HTTP API");
    let parsed: Vec<(&str, &str, &str, Vec<String>)> = api(HTTP_REQUEST_API)
        .authorizers
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str(), a.authorizer_type.as_str(), a.identity_sources.clone()))
        .collect();
    assert_eq!(
        parsed,
        [
            ("au1", "origin-check", "REQUEST", vec!["$request.header.X-Origin-Verify".to_string()]),
            ("jw1", "unused-jwt", "JWT", vec!["$request.header.Authorization".to_string()]),
        ]
    );
    assert!(
        api(HTTP_REQUEST_API).authorizers[0].is_lambda() && !api(HTTP_JWT_API).authorizers[0].is_lambda()
    );

    let outcome = ea202(&account);
    assert!(outcome.not_evaluated.is_empty(), "{:?}", outcome.not_evaluated);
    let finding = |id: &str| {
        outcome
            .findings
            .iter()
            .find(|f| f.resource.arn == http_api_arn(id))
            .unwrap_or_else(|| panic!("no EA202 on {id}: {:?}", outcome.findings))
    };
    // A REQUEST Lambda authorizer keyed on the origin header: API Gateway refuses requests
    // without it, the function's code compares the value: could not verify, low.
    let request = finding(HTTP_REQUEST_API);
    assert_eq!(
        (request.severity, request.confidence),
        (Severity::Low, Confidence::Low),
        "{}",
        request.message
    );
    assert!(
        request.message.starts_with("Could not verify") && request.message.contains("origin-check"),
        "{}",
        request.message
    );
    // A JWT authorizer is authorization, not a lock to the distribution: reachable, medium.
    let jwt = finding(HTTP_JWT_API);
    assert_eq!((jwt.severity, jwt.confidence), (Severity::Medium, Confidence::High), "{}", jwt.message);
    assert!(jwt.message.contains("every method still requires authorization"), "{}", jwt.message);
}

/// moto 5.2.5 answers GetAuthorizers with HTTP 500: that API is not evaluated (naming the
/// failed read), the region's other HTTP APIs are.
#[tokio::test]
async fn a_failed_get_authorizers_leaves_only_that_api_not_evaluated() {
    let broken = mock!(aws_sdk_apigatewayv2::Client::get_authorizers)
        .match_requests(|r| r.api_id() == Some(HTTP_JWT_API))
        .then_http_response(|| {
            http(
                500,
                &[("content-type", "application/json"), ("x-amzn-errortype", "InternalServerError")],
                r#"{"message": "Internal server error"}"#,
            )
        });
    let (account, _) = collect(http_authorizer_rules(broken)).await;
    let failed: Vec<_> = account.failures(Service::Apigatewayv2).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(
        (failed[0].status, failed[0].operation.as_deref(), failed[0].resource.clone()),
        (CoverageStatus::ResourceFailed, Some("GetAuthorizers"), Some(http_api_arn(HTTP_JWT_API)))
    );
    assert!(account.is_collected(REGION, Service::Apigatewayv2), "the region's other APIs were read");

    let outcome = ea202(&account);
    let not_evaluated: Vec<(&str, &str)> =
        outcome.not_evaluated.iter().map(|n| (n.scope.as_str(), n.reason.as_str())).collect();
    assert_eq!(not_evaluated.len(), 1, "{not_evaluated:?}");
    assert_eq!(not_evaluated[0].0, http_api_arn(HTTP_JWT_API));
    assert!(not_evaluated[0].1.contains("GetAuthorizers failed"), "{not_evaluated:?}");
    // Never a pass, never a guess: no finding on the unread API, the other one still judged.
    let judged: Vec<&str> = outcome.findings.iter().map(|f| f.resource.arn.as_str()).collect();
    assert_eq!(judged, [http_api_arn(HTTP_REQUEST_API).as_str()]);
}

fn outcome_of(account: &AccountInventory, ids: &[&str]) -> edge_audit_checks::registry::Outcome {
    let inventory = edge_audit_checks::Inventory::new(vec![account.clone()]);
    let checks: Vec<_> =
        ids.iter().map(|id| edge_audit_checks::registry::find(id).expect("a registered check")).collect();
    edge_audit_checks::registry::run(&inventory, &checks, &Default::default())
}

/// One REST API's GetResources denied: that API's record is per resource, the region's other
/// REST API is read and judged, and the checks that read methods report the unread one as not
/// evaluated (never "no open method", never "no keyed method").
#[tokio::test]
async fn a_failed_get_resources_leaves_only_that_rest_api_not_evaluated() {
    use aws_sdk_apigateway::operation::{get_resources, get_rest_apis, get_stages};
    use aws_sdk_apigateway::types::{EndpointConfiguration, EndpointType, RestApi, Stage};
    const READ: &str = "r3ad4p1id0";
    const UNREAD: &str = "unr3ad4p1d";
    let arn = |id: &str| format!("arn:aws:apigateway:{REGION}::/restapis/{id}");
    let api = |id: &str| {
        RestApi::builder()
            .id(id)
            .name(format!("api-{id}"))
            .endpoint_configuration(EndpointConfiguration::builder().types(EndpointType::Regional).build())
            .build()
    };
    let rules = vec![
        mock!(aws_sdk_apigateway::Client::get_rest_apis).then_output(move || {
            get_rest_apis::GetRestApisOutput::builder().items(api(READ)).items(api(UNREAD)).build()
        }),
        mock!(aws_sdk_apigateway::Client::get_stages).then_output(|| {
            get_stages::GetStagesOutput::builder().item(Stage::builder().stage_name("prod").build()).build()
        }),
        mock!(aws_sdk_apigateway::Client::get_resources)
            .match_requests(|r| r.rest_api_id() == Some(UNREAD))
            .then_error(|| {
                get_resources::GetResourcesError::generic(error_meta(
                    "AccessDeniedException",
                    "not authorized to perform: apigateway:GET",
                ))
            }),
        mock!(aws_sdk_apigateway::Client::get_resources)
            .match_requests(|r| r.rest_api_id() == Some(READ))
            .then_output(open_items_resources),
    ];
    let (account, _) = collect(rules).await;
    let failed: Vec<_> = account.failures(Service::Apigateway).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(
        (failed[0].status, failed[0].operation.as_deref(), failed[0].resource.clone()),
        (CoverageStatus::ResourceFailed, Some("GetResources"), Some(arn(UNREAD)))
    );
    assert!(account.is_collected(REGION, Service::Apigateway), "the region's other API was read");
    assert_eq!(account.rest_apis.len(), 2, "the unread API is kept, with its stages");

    let outcome = outcome_of(&account, &["EA204", "EA205"]);
    let mut not_evaluated: Vec<(&str, &str, &str)> = outcome
        .not_evaluated
        .iter()
        .map(|n| (n.check_id.as_str(), n.scope.as_str(), n.reason.as_str()))
        .collect();
    not_evaluated.sort();
    assert_eq!(not_evaluated.len(), 2, "{not_evaluated:?}");
    for (check, (id, scope, reason)) in ["EA204", "EA205"].iter().zip(&not_evaluated) {
        assert_eq!((id, *scope), (check, arn(UNREAD).as_str()), "{not_evaluated:?}");
        assert!(reason.contains("GetResources failed (AccessDeniedException"), "{not_evaluated:?}");
    }
    let judged: Vec<(&str, &str)> =
        outcome.findings.iter().map(|f| (f.check_id.as_str(), f.resource.arn.as_str())).collect();
    assert_eq!(judged, [("EA204", arn(READ).as_str())], "the read API is judged: GET /items is open");
}

/// Every text transformation the locked WAF SDK can return is one the matching pass evaluates
/// (a new one would otherwise make correct gates "could not verify" unnoticed).
#[test]
fn every_waf_text_transformation_of_the_sdk_is_evaluated() {
    use aws_sdk_wafv2::types::TextTransformationType;
    let missing: Vec<&str> = TextTransformationType::values()
        .iter()
        .copied()
        .filter(|name| !edge_audit_checks::matching::SUPPORTED_TRANSFORMATIONS.contains(name))
        .collect();
    assert!(missing.is_empty(), "not evaluated: {missing:?}");
}

/// A regex pattern set that cannot be read is that set's gap only: the WAF scope stays read,
/// the IP set and the rest of the ACL are collected, and the statement on the set is "could
/// not verify" (the set is absent from the inventory), never a match.
#[tokio::test]
async fn a_regex_pattern_set_that_cannot_be_read_is_a_gap_of_that_set_only() {
    let (account, _) = collect(secret_web_acl_rules_with(true)).await;
    let failed: Vec<_> = account.failures(Service::WafCloudfront).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].status, CoverageStatus::ResourceFailed);
    assert_eq!(failed[0].operation.as_deref(), Some("GetRegexPatternSet"));
    assert!(account.is_collected("global", Service::WafCloudfront));
    assert_eq!(account.web_acls.len(), 1);
    assert_eq!(account.ip_sets.len(), 1);
    assert!(account.regex_pattern_sets.is_empty());
}
