//! Mocked AWS for the collector tests: SDK clients whose answers come from aws-smithy-mocks rules
//! (modeled outputs and errors, or raw HTTP responses the SDK really parses), with an "empty
//! account" default for every operation the collectors use, so a test only states what differs.

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_smithy_mocks::{create_mock_http_client, mock, MockResponseInterceptor, Rule, RuleMode};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use edge_audit::collect::{AccountClients, AccountScope, CallStats, StatsInterceptor};
use std::time::Duration;

pub(crate) const ACCOUNT: &str = "123456789012";
pub(crate) const REGION: &str = "us-east-1";

/// Credentials that are obviously not real.
pub(crate) fn test_credentials() -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(Credentials::new("AKIDTESTTESTTEST", "test-secret", None, None, "tests"))
}

/// Retries as in production (adaptive), but with millisecond backoffs so tests stay fast.
pub(crate) fn fast_retry(max_attempts: u32) -> RetryConfig {
    RetryConfig::adaptive()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

/// A configuration whose HTTP client only answers what the mock interceptor tells it.
pub(crate) fn mock_config() -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(test_credentials())
        .http_client(create_mock_http_client())
        .retry_config(fast_retry(3))
        .timeout_config(TimeoutConfig::builder().operation_timeout(Duration::from_secs(10)).build())
        .build()
}

/// The scope of a one-region test account.
pub(crate) fn scope() -> AccountScope {
    AccountScope { account_id: ACCOUNT.into(), partition: "aws".into(), regions: vec![REGION.into()] }
}

/// Clients answering with `rules` first, then the empty-account defaults; with a stats recorder.
pub(crate) fn mocked_clients(rules: Vec<Rule>) -> (AccountClients, CallStats) {
    let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
    for rule in rules.iter().chain(empty_account().iter()) {
        interceptor = interceptor.with_rule(rule);
    }
    let stats = CallStats::new();
    let clients = AccountClients::new(mock_config())
        .with_interceptor(interceptor)
        .with_interceptor(StatsInterceptor::new(stats.clone()));
    (clients, stats)
}

/// An HTTP response as a service would send it.
pub(crate) fn http(status: u16, headers: &[(&str, &str)], body: impl Into<String>) -> HttpResponse {
    let status = StatusCode::try_from(status).unwrap_or_else(|e| panic!("bad status {status}: {e}"));
    let mut response = HttpResponse::new(status, SdkBody::from(body.into()));
    for (name, value) in headers {
        response.headers_mut().insert(name.to_string(), value.to_string());
    }
    response
}

/// An `ErrorMetadata` with a code and message, for operation errors without a modeled variant.
pub(crate) fn error_meta(code: &str, message: &str) -> aws_smithy_types::error::ErrorMetadata {
    aws_smithy_types::error::ErrorMetadata::builder().code(code).message(message).build()
}

/// What an account with nothing in it answers, for every operation the collectors use.
pub(crate) fn empty_account() -> Vec<Rule> {
    use aws_sdk_apigateway as apigw;
    use aws_sdk_apigatewayv2 as v2;
    use aws_sdk_ec2 as ec2;
    use aws_sdk_elasticloadbalancingv2 as elb;
    use aws_sdk_lambda as lambda;
    use aws_sdk_shield as shield;
    use aws_sdk_wafv2 as waf;
    vec![
        mock!(aws_sdk_cloudfront::Client::list_distributions)
            .then_output(|| aws_sdk_cloudfront::operation::list_distributions::ListDistributionsOutput::builder().build()),
        mock!(aws_sdk_cloudfront::Client::list_vpc_origins).then_output(|| {
            aws_sdk_cloudfront::operation::list_vpc_origins::ListVpcOriginsOutput::builder().build()
        }),
        mock!(aws_sdk_cloudfront::Client::list_tags_for_resource).then_output(|| {
            aws_sdk_cloudfront::operation::list_tags_for_resource::ListTagsForResourceOutput::builder().build()
        }),
        mock!(aws_sdk_cloudfront::Client::list_distribution_tenants).then_output(|| {
            aws_sdk_cloudfront::operation::list_distribution_tenants::ListDistributionTenantsOutput::builder()
                .build()
        }),
        // WAF
        mock!(waf::Client::list_web_acls)
            .then_output(|| waf::operation::list_web_acls::ListWebAcLsOutput::builder().build()),
        mock!(waf::Client::get_logging_configuration).then_error(|| {
            waf::operation::get_logging_configuration::GetLoggingConfigurationError::WafNonexistentItemException(
                waf::types::error::WafNonexistentItemException::builder().message("no logging").build(),
            )
        }),
        mock!(waf::Client::list_resources_for_web_acl).then_output(|| {
            waf::operation::list_resources_for_web_acl::ListResourcesForWebAclOutput::builder().build()
        }),
        mock!(waf::Client::list_tags_for_resource)
            .then_output(|| waf::operation::list_tags_for_resource::ListTagsForResourceOutput::builder().build()),
        mock!(waf::Client::get_web_acl_for_resource).then_output(|| {
            waf::operation::get_web_acl_for_resource::GetWebAclForResourceOutput::builder().build()
        }),
        // API Gateway
        mock!(apigw::Client::get_rest_apis)
            .then_output(|| apigw::operation::get_rest_apis::GetRestApisOutput::builder().build()),
        mock!(apigw::Client::get_stages)
            .then_output(|| apigw::operation::get_stages::GetStagesOutput::builder().build()),
        mock!(apigw::Client::get_resources)
            .then_output(|| apigw::operation::get_resources::GetResourcesOutput::builder().build()),
        mock!(apigw::Client::get_authorizers)
            .then_output(|| apigw::operation::get_authorizers::GetAuthorizersOutput::builder().build()),
        mock!(apigw::Client::get_usage_plans)
            .then_output(|| apigw::operation::get_usage_plans::GetUsagePlansOutput::builder().build()),
        mock!(apigw::Client::get_usage_plan_keys)
            .then_output(|| apigw::operation::get_usage_plan_keys::GetUsagePlanKeysOutput::builder().build()),
        mock!(apigw::Client::get_api_keys)
            .then_output(|| apigw::operation::get_api_keys::GetApiKeysOutput::builder().build()),
        mock!(apigw::Client::get_domain_names)
            .then_output(|| apigw::operation::get_domain_names::GetDomainNamesOutput::builder().build()),
        mock!(apigw::Client::get_base_path_mappings).then_output(|| {
            apigw::operation::get_base_path_mappings::GetBasePathMappingsOutput::builder().build()
        }),
        // API Gateway v2
        mock!(v2::Client::get_apis).then_output(|| v2::operation::get_apis::GetApisOutput::builder().build()),
        mock!(v2::Client::get_stages).then_output(|| v2::operation::get_stages::GetStagesOutput::builder().build()),
        mock!(v2::Client::get_routes).then_output(|| v2::operation::get_routes::GetRoutesOutput::builder().build()),
        mock!(v2::Client::get_authorizers)
            .then_output(|| v2::operation::get_authorizers::GetAuthorizersOutput::builder().build()),
        mock!(v2::Client::list_routing_rules)
            .then_output(|| v2::operation::list_routing_rules::ListRoutingRulesOutput::builder().build()),
        // EC2
        mock!(ec2::Client::describe_security_groups).then_output(|| {
            ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput::builder().build()
        }),
        mock!(ec2::Client::describe_managed_prefix_lists).then_output(|| {
            ec2::operation::describe_managed_prefix_lists::DescribeManagedPrefixListsOutput::builder().build()
        }),
        mock!(ec2::Client::describe_instances)
            .then_output(|| ec2::operation::describe_instances::DescribeInstancesOutput::builder().build()),
        mock!(ec2::Client::describe_network_interfaces).then_output(|| {
            ec2::operation::describe_network_interfaces::DescribeNetworkInterfacesOutput::builder().build()
        }),
        // ELBv2
        mock!(elb::Client::describe_load_balancers).then_output(|| {
            elb::operation::describe_load_balancers::DescribeLoadBalancersOutput::builder().build()
        }),
        mock!(elb::Client::describe_listeners)
            .then_output(|| elb::operation::describe_listeners::DescribeListenersOutput::builder().build()),
        mock!(elb::Client::describe_rules)
            .then_output(|| elb::operation::describe_rules::DescribeRulesOutput::builder().build()),
        mock!(elb::Client::describe_target_groups).then_output(|| {
            elb::operation::describe_target_groups::DescribeTargetGroupsOutput::builder().build()
        }),
        mock!(elb::Client::describe_target_health).then_output(|| {
            elb::operation::describe_target_health::DescribeTargetHealthOutput::builder().build()
        }),
        mock!(elb::Client::describe_trust_stores).then_output(|| {
            elb::operation::describe_trust_stores::DescribeTrustStoresOutput::builder().build()
        }),
        mock!(elb::Client::describe_tags)
            .then_output(|| elb::operation::describe_tags::DescribeTagsOutput::builder().build()),
        // Lambda
        mock!(lambda::Client::list_functions)
            .then_output(|| lambda::operation::list_functions::ListFunctionsOutput::builder().build()),
        mock!(lambda::Client::get_function_url_config).then_error(|| {
            lambda::operation::get_function_url_config::GetFunctionUrlConfigError::ResourceNotFoundException(
                lambda::types::error::ResourceNotFoundException::builder().message("no url").build(),
            )
        }),
        mock!(lambda::Client::get_policy).then_error(|| {
            lambda::operation::get_policy::GetPolicyError::ResourceNotFoundException(
                lambda::types::error::ResourceNotFoundException::builder().message("no policy").build(),
            )
        }),
        mock!(lambda::Client::list_tags)
            .then_output(|| lambda::operation::list_tags::ListTagsOutput::builder().build()),
        // Resource Groups Tagging API
        mock!(aws_sdk_resourcegroupstagging::Client::get_resources).then_output(|| {
            aws_sdk_resourcegroupstagging::operation::get_resources::GetResourcesOutput::builder().build()
        }),
        // Shield
        mock!(shield::Client::describe_subscription).then_error(|| {
            shield::operation::describe_subscription::DescribeSubscriptionError::ResourceNotFoundException(
                shield::types::error::ResourceNotFoundException::builder().message("not subscribed").build(),
            )
        }),
        mock!(shield::Client::list_protections)
            .then_output(|| shield::operation::list_protections::ListProtectionsOutput::builder().build()),
    ]
}
