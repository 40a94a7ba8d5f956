//! One file per check. Each declares its metadata and documentation with
//! [`declare_check!`](crate::declare_check) and implements [`Audit`](crate::check::Audit); one
//! line below declares its module, exports it and registers it in [`ALL`]. Ids are never reused.

use crate::check::Check;

mod probes;

/// `module::Check,` per line: `mod module;`, `pub use module::Check;`, and `&Check` in [`ALL`],
/// in the order given (id order).
macro_rules! checks {
    ($($module:ident::$check:ident),+ $(,)?) => {
        $(mod $module; pub use $module::$check;)+

        /// Every check, in id order.
        pub static ALL: &[&dyn Check] = &[$(&$check),+];
    };
}

checks! {
    ea101_cloudfront_no_web_acl::CloudfrontNoWebAcl,
    ea102_cloudfront_viewer_allows_http::CloudfrontViewerAllowsHttp,
    ea103_cloudfront_origin_weak_transport::CloudfrontOriginWeakTransport,
    ea104_cloudfront_api_behavior_caches::CloudfrontApiBehaviorCaches,
    ea105_cloudfront_apigw_origin_gets_host_header::CloudfrontApigwOriginGetsHostHeader,
    ea106_origin_not_locked_to_cloudfront::OriginNotLockedToCloudfront,
    ea107_origin_secret_weak::OriginSecretWeak,
    ea108_origin_secret_reused::OriginSecretReused,
    ea110_entry_web_acl_missing_managed_rules::EntryWebAclMissingManagedRules,
    ea111_entry_web_acl_no_rate_limit::EntryWebAclNoRateLimit,
    ea112_no_shield_advanced::NoShieldAdvanced,
    ea113_lambda_url_origin_without_oac::LambdaUrlOriginWithoutOac,
    ea114_cloudfront_cannot_invoke_origin::CloudfrontCannotInvokeOrigin,
    ea201_apigw_edge_optimized_behind_cloudfront::ApigwEdgeOptimizedBehindCloudfront,
    ea202_api_reachable_around_cloudfront::ApiReachableAroundCloudfront,
    ea203_apigw_stage_no_web_acl::ApigwStageNoWebAcl,
    ea204_apigw_open_methods::ApigwOpenMethods,
    ea205_apigw_api_key_without_usage_plan::ApigwApiKeyWithoutUsagePlan,
    ea206_apigw_api_key_source_mismatch::ApigwApiKeySourceMismatch,
    ea207_apigw_no_throttling::ApigwNoThrottling,
    ea208_apigw_origin_path_mismatch::ApigwOriginPathMismatch,
    ea301_web_acl_unassociated::WebAclUnassociated,
    ea302_web_acl_does_nothing::WebAclDoesNothing,
    ea303_waf_rule_on_empty_ip_set::WafRuleOnEmptyIpSet,
    ea304_waf_rule_never_matches::WafRuleNeverMatches,
    ea305_origin_header_mismatch::OriginHeaderMismatch,
    ea306_waf_rules_count_only::WafRulesCountOnly,
    ea307_web_acl_logging_disabled::WebAclLoggingDisabled,
    ea401_origin_sg_open_to_internet::OriginSgOpenToInternet,
    ea402_admin_port_open_to_internet::AdminPortOpenToInternet,
    ea403_backend_not_restricted_to_load_balancer::BackendNotRestrictedToLoadBalancer,
    ea404_alb_origin_no_header_rule::AlbOriginNoHeaderRule,
    ea405_origin_prefix_list_only::OriginPrefixListOnly,
    ea406_alb_origin_no_web_acl::AlbOriginNoWebAcl,
    ea501_lambda_url_public::LambdaUrlPublic,
    ea601_execute_api_reachable_directly::ExecuteApiReachableDirectly,
    ea602_alb_reachable_directly::AlbReachableDirectly,
    ea603_lambda_url_reachable_directly::LambdaUrlReachableDirectly,
    ea604_custom_origin_reachable_directly::CustomOriginReachableDirectly,
    ea605_probe_inconclusive::ProbeInconclusive,
    ea606_cloudfront_path_refused::CloudfrontPathRefused,
    ea701_perimeter_weakened::PerimeterWeakened,
    ea702_perimeter_changed::PerimeterChanged,
    ea902_suppression_expired::SuppressionExpired,
    ea903_suppression_unused::SuppressionUnused,
}
