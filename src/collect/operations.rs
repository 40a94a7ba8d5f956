//! Every AWS operation the collectors call, with the IAM action it needs. This table is the
//! contract behind `iam/edge-audit-readonly.json`: a test scans `src/collect/` for SDK calls and
//! fails when one is missing here, is not a read (List/Describe/Get), or is missing from the
//! policy.

/// One SDK operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The SDK crate's service (`aws_sdk_<service>`).
    pub service: &'static str,
    /// The fluent builder method on the client (`list_distributions`).
    pub method: &'static str,
    /// The AWS operation name (`ListDistributions`), as coverage records and statistics name it.
    pub name: &'static str,
    /// The IAM action that authorizes it.
    pub iam_action: &'static str,
}

const fn op(
    service: &'static str,
    method: &'static str,
    name: &'static str,
    iam_action: &'static str,
) -> Operation {
    Operation { service, method, name, iam_action }
}

/// API Gateway (both versions) authorizes every read with `apigateway:GET` on the resource path.
const APIGATEWAY_GET: &str = "apigateway:GET";

pub const OPERATIONS: &[Operation] = &[
    // Scope
    op("sts", "get_caller_identity", "GetCallerIdentity", "sts:GetCallerIdentity"),
    // Not a read of resources, but the only way into other accounts; aws-config's
    // AssumeRoleProvider performs it for --role-arn, --account and --org.
    op("sts", "assume_role", "AssumeRole", "sts:AssumeRole"),
    op("organizations", "list_accounts", "ListAccounts", "organizations:ListAccounts"),
    op("ec2", "describe_regions", "DescribeRegions", "ec2:DescribeRegions"),
    // CloudFront
    op("cloudfront", "list_distributions", "ListDistributions", "cloudfront:ListDistributions"),
    op("cloudfront", "get_cache_policy", "GetCachePolicy", "cloudfront:GetCachePolicy"),
    op(
        "cloudfront",
        "get_origin_request_policy",
        "GetOriginRequestPolicy",
        "cloudfront:GetOriginRequestPolicy",
    ),
    op("cloudfront", "list_tags_for_resource", "ListTagsForResource", "cloudfront:ListTagsForResource"),
    op("cloudfront", "list_vpc_origins", "ListVpcOrigins", "cloudfront:ListVpcOrigins"),
    op("cloudfront", "get_vpc_origin", "GetVpcOrigin", "cloudfront:GetVpcOrigin"),
    op(
        "cloudfront",
        "list_origin_access_controls",
        "ListOriginAccessControls",
        "cloudfront:ListOriginAccessControls",
    ),
    op(
        "cloudfront",
        "list_distribution_tenants",
        "ListDistributionTenants",
        "cloudfront:ListDistributionTenants",
    ),
    // Only for multi-tenant distributions with a templated origin, and their enabled tenants.
    op("cloudfront", "get_distribution_config", "GetDistributionConfig", "cloudfront:GetDistributionConfig"),
    op("cloudfront", "get_distribution_tenant", "GetDistributionTenant", "cloudfront:GetDistributionTenant"),
    // WAFv2
    op("wafv2", "list_web_acls", "ListWebACLs", "wafv2:ListWebACLs"),
    op("wafv2", "get_web_acl", "GetWebACL", "wafv2:GetWebACL"),
    op("wafv2", "get_ip_set", "GetIPSet", "wafv2:GetIPSet"),
    op("wafv2", "get_regex_pattern_set", "GetRegexPatternSet", "wafv2:GetRegexPatternSet"),
    op("wafv2", "get_rule_group", "GetRuleGroup", "wafv2:GetRuleGroup"),
    op("wafv2", "get_logging_configuration", "GetLoggingConfiguration", "wafv2:GetLoggingConfiguration"),
    op("wafv2", "get_web_acl_for_resource", "GetWebACLForResource", "wafv2:GetWebACLForResource"),
    op("wafv2", "list_tags_for_resource", "ListTagsForResource", "wafv2:ListTagsForResource"),
    op("wafv2", "list_resources_for_web_acl", "ListResourcesForWebACL", "wafv2:ListResourcesForWebACL"),
    // API Gateway (REST)
    op("apigateway", "get_rest_apis", "GetRestApis", APIGATEWAY_GET),
    op("apigateway", "get_stages", "GetStages", APIGATEWAY_GET),
    op("apigateway", "get_resources", "GetResources", APIGATEWAY_GET),
    op("apigateway", "get_authorizers", "GetAuthorizers", APIGATEWAY_GET),
    op("apigateway", "get_usage_plans", "GetUsagePlans", APIGATEWAY_GET),
    op("apigateway", "get_usage_plan_keys", "GetUsagePlanKeys", APIGATEWAY_GET),
    op("apigateway", "get_api_keys", "GetApiKeys", APIGATEWAY_GET),
    op("apigateway", "get_domain_names", "GetDomainNames", APIGATEWAY_GET),
    op("apigateway", "get_base_path_mappings", "GetBasePathMappings", APIGATEWAY_GET),
    // API Gateway v2 (HTTP and WebSocket)
    op("apigatewayv2", "get_apis", "GetApis", APIGATEWAY_GET),
    op("apigatewayv2", "get_stages", "GetStages", APIGATEWAY_GET),
    op("apigatewayv2", "get_routes", "GetRoutes", APIGATEWAY_GET),
    op("apigatewayv2", "get_authorizers", "GetAuthorizers", APIGATEWAY_GET),
    // Routing rules of the REST APIs' custom domain names (a v2 listing).
    op("apigatewayv2", "list_routing_rules", "ListRoutingRules", APIGATEWAY_GET),
    // EC2
    op("ec2", "describe_security_groups", "DescribeSecurityGroups", "ec2:DescribeSecurityGroups"),
    op(
        "ec2",
        "describe_managed_prefix_lists",
        "DescribeManagedPrefixLists",
        "ec2:DescribeManagedPrefixLists",
    ),
    op(
        "ec2",
        "get_managed_prefix_list_entries",
        "GetManagedPrefixListEntries",
        "ec2:GetManagedPrefixListEntries",
    ),
    op("ec2", "describe_instances", "DescribeInstances", "ec2:DescribeInstances"),
    op("ec2", "describe_network_interfaces", "DescribeNetworkInterfaces", "ec2:DescribeNetworkInterfaces"),
    // ELBv2
    op(
        "elasticloadbalancingv2",
        "describe_load_balancers",
        "DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancers",
    ),
    op(
        "elasticloadbalancingv2",
        "describe_listeners",
        "DescribeListeners",
        "elasticloadbalancing:DescribeListeners",
    ),
    op("elasticloadbalancingv2", "describe_rules", "DescribeRules", "elasticloadbalancing:DescribeRules"),
    op(
        "elasticloadbalancingv2",
        "describe_target_groups",
        "DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroups",
    ),
    op(
        "elasticloadbalancingv2",
        "describe_target_health",
        "DescribeTargetHealth",
        "elasticloadbalancing:DescribeTargetHealth",
    ),
    op("elasticloadbalancingv2", "describe_tags", "DescribeTags", "elasticloadbalancing:DescribeTags"),
    op(
        "elasticloadbalancingv2",
        "describe_trust_stores",
        "DescribeTrustStores",
        "elasticloadbalancing:DescribeTrustStores",
    ),
    // Lambda
    op("lambda", "list_functions", "ListFunctions", "lambda:ListFunctions"),
    op("lambda", "get_function_url_config", "GetFunctionUrlConfig", "lambda:GetFunctionUrlConfig"),
    op("lambda", "get_policy", "GetPolicy", "lambda:GetPolicy"),
    op("lambda", "list_tags", "ListTags", "lambda:ListTags"),
    // Tags of a whole resource type per region (distributions, web ACLs, Lambda functions)
    op("resourcegroupstagging", "get_resources", "GetResources", "tag:GetResources"),
    // Shield Advanced
    op("shield", "describe_subscription", "DescribeSubscription", "shield:DescribeSubscription"),
    op("shield", "list_protections", "ListProtections", "shield:ListProtections"),
];
