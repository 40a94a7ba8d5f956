//! One file per check. Each declares its metadata and documentation with
//! [`declare_check!`](crate::declare_check) and implements [`Check`](crate::check::Check).
//! Add a new check to [`ALL`]; ids are never reused.

use crate::check::Check;

mod ea101_cloudfront_no_web_acl;
mod ea102_cloudfront_viewer_allows_http;
mod ea103_cloudfront_origin_weak_transport;
mod ea104_cloudfront_api_behavior_caches;
mod ea105_cloudfront_apigw_origin_gets_host_header;
mod ea106_origin_not_locked_to_cloudfront;
mod ea107_origin_secret_weak;
mod ea108_origin_secret_reused;
mod ea110_entry_web_acl_missing_managed_rules;
mod ea111_entry_web_acl_no_rate_limit;
mod ea112_no_shield_advanced;
mod ea113_lambda_url_origin_without_oac;
mod ea201_apigw_edge_optimized_behind_cloudfront;
mod ea202_api_reachable_around_cloudfront;
mod ea203_apigw_stage_no_web_acl;
mod ea204_apigw_open_methods;
mod ea205_apigw_api_key_without_usage_plan;
mod ea206_apigw_api_key_source_mismatch;
mod ea207_apigw_no_throttling;
mod ea208_apigw_origin_path_mismatch;
mod ea301_web_acl_unassociated;
mod ea302_web_acl_does_nothing;
mod ea303_waf_rule_on_empty_ip_set;
mod ea304_waf_rule_never_matches;
mod ea305_origin_header_mismatch;
mod ea306_waf_rules_count_only;
mod ea307_web_acl_logging_disabled;
mod ea401_origin_sg_open_to_internet;
mod ea402_admin_port_open_to_internet;
mod ea403_backend_not_restricted_to_load_balancer;
mod ea404_alb_origin_no_header_rule;
mod ea405_origin_prefix_list_only;
mod ea406_alb_origin_no_web_acl;
mod ea501_lambda_url_public;
mod ea601_execute_api_reachable_directly;
mod ea602_alb_reachable_directly;
mod ea603_lambda_url_reachable_directly;
mod ea604_custom_origin_reachable_directly;
mod ea605_probe_inconclusive;
mod ea606_cloudfront_path_refused;
mod ea701_perimeter_weakened;
mod ea702_perimeter_changed;
mod ea902_suppression_expired;
mod ea903_suppression_unused;

pub use ea101_cloudfront_no_web_acl::CloudfrontNoWebAcl;
pub use ea102_cloudfront_viewer_allows_http::CloudfrontViewerAllowsHttp;
pub use ea103_cloudfront_origin_weak_transport::CloudfrontOriginWeakTransport;
pub use ea104_cloudfront_api_behavior_caches::CloudfrontApiBehaviorCaches;
pub use ea105_cloudfront_apigw_origin_gets_host_header::CloudfrontApigwOriginGetsHostHeader;
pub use ea106_origin_not_locked_to_cloudfront::OriginNotLockedToCloudfront;
pub use ea107_origin_secret_weak::OriginSecretWeak;
pub use ea108_origin_secret_reused::OriginSecretReused;
pub use ea110_entry_web_acl_missing_managed_rules::EntryWebAclMissingManagedRules;
pub use ea111_entry_web_acl_no_rate_limit::EntryWebAclNoRateLimit;
pub use ea112_no_shield_advanced::NoShieldAdvanced;
pub use ea113_lambda_url_origin_without_oac::LambdaUrlOriginWithoutOac;
pub use ea201_apigw_edge_optimized_behind_cloudfront::ApigwEdgeOptimizedBehindCloudfront;
pub use ea202_api_reachable_around_cloudfront::ApiReachableAroundCloudfront;
pub use ea203_apigw_stage_no_web_acl::ApigwStageNoWebAcl;
pub use ea204_apigw_open_methods::ApigwOpenMethods;
pub use ea205_apigw_api_key_without_usage_plan::ApigwApiKeyWithoutUsagePlan;
pub use ea206_apigw_api_key_source_mismatch::ApigwApiKeySourceMismatch;
pub use ea207_apigw_no_throttling::ApigwNoThrottling;
pub use ea208_apigw_origin_path_mismatch::ApigwOriginPathMismatch;
pub use ea301_web_acl_unassociated::WebAclUnassociated;
pub use ea302_web_acl_does_nothing::WebAclDoesNothing;
pub use ea303_waf_rule_on_empty_ip_set::WafRuleOnEmptyIpSet;
pub use ea304_waf_rule_never_matches::WafRuleNeverMatches;
pub use ea305_origin_header_mismatch::OriginHeaderMismatch;
pub use ea306_waf_rules_count_only::WafRulesCountOnly;
pub use ea307_web_acl_logging_disabled::WebAclLoggingDisabled;
pub use ea401_origin_sg_open_to_internet::OriginSgOpenToInternet;
pub use ea402_admin_port_open_to_internet::AdminPortOpenToInternet;
pub use ea403_backend_not_restricted_to_load_balancer::BackendNotRestrictedToLoadBalancer;
pub use ea404_alb_origin_no_header_rule::AlbOriginNoHeaderRule;
pub use ea405_origin_prefix_list_only::OriginPrefixListOnly;
pub use ea406_alb_origin_no_web_acl::AlbOriginNoWebAcl;
pub use ea501_lambda_url_public::LambdaUrlPublic;
pub use ea601_execute_api_reachable_directly::ExecuteApiReachableDirectly;
pub use ea602_alb_reachable_directly::AlbReachableDirectly;
pub use ea603_lambda_url_reachable_directly::LambdaUrlReachableDirectly;
pub use ea604_custom_origin_reachable_directly::CustomOriginReachableDirectly;
pub use ea605_probe_inconclusive::ProbeInconclusive;
pub use ea606_cloudfront_path_refused::CloudfrontPathRefused;
pub use ea701_perimeter_weakened::PerimeterWeakened;
pub use ea702_perimeter_changed::PerimeterChanged;
pub use ea902_suppression_expired::SuppressionExpired;
pub use ea903_suppression_unused::SuppressionUnused;

/// Every check, in id order.
pub static ALL: &[&dyn Check] = &[
    &CloudfrontNoWebAcl,
    &CloudfrontViewerAllowsHttp,
    &CloudfrontOriginWeakTransport,
    &CloudfrontApiBehaviorCaches,
    &CloudfrontApigwOriginGetsHostHeader,
    &OriginNotLockedToCloudfront,
    &OriginSecretWeak,
    &OriginSecretReused,
    &EntryWebAclMissingManagedRules,
    &EntryWebAclNoRateLimit,
    &NoShieldAdvanced,
    &LambdaUrlOriginWithoutOac,
    &ApigwEdgeOptimizedBehindCloudfront,
    &ApiReachableAroundCloudfront,
    &ApigwStageNoWebAcl,
    &ApigwOpenMethods,
    &ApigwApiKeyWithoutUsagePlan,
    &ApigwApiKeySourceMismatch,
    &ApigwNoThrottling,
    &ApigwOriginPathMismatch,
    &WebAclUnassociated,
    &WebAclDoesNothing,
    &WafRuleOnEmptyIpSet,
    &WafRuleNeverMatches,
    &OriginHeaderMismatch,
    &WafRulesCountOnly,
    &WebAclLoggingDisabled,
    &OriginSgOpenToInternet,
    &AdminPortOpenToInternet,
    &BackendNotRestrictedToLoadBalancer,
    &AlbOriginNoHeaderRule,
    &OriginPrefixListOnly,
    &AlbOriginNoWebAcl,
    &LambdaUrlPublic,
    &ExecuteApiReachableDirectly,
    &AlbReachableDirectly,
    &LambdaUrlReachableDirectly,
    &CustomOriginReachableDirectly,
    &ProbeInconclusive,
    &CloudfrontPathRefused,
    &PerimeterWeakened,
    &PerimeterChanged,
    &SuppressionExpired,
    &SuppressionUnused,
];
