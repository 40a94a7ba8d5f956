//! One file per check. Each declares its metadata and documentation with
//! [`declare_check!`](crate::declare_check) and implements [`Check`](crate::check::Check).
//! Add a new check to [`ALL`]; ids are never reused.

use crate::check::Check;

mod ea101_cloudfront_no_web_acl;
mod ea102_cloudfront_viewer_allows_http;
mod ea301_web_acl_unassociated;
mod ea601_execute_api_reachable_directly;
mod ea602_alb_reachable_directly;
mod ea603_lambda_url_reachable_directly;
mod ea604_custom_origin_reachable_directly;
mod ea605_probe_inconclusive;
mod ea606_cloudfront_path_refused;

pub use ea101_cloudfront_no_web_acl::CloudfrontNoWebAcl;
pub use ea102_cloudfront_viewer_allows_http::CloudfrontViewerAllowsHttp;
pub use ea301_web_acl_unassociated::WebAclUnassociated;
pub use ea601_execute_api_reachable_directly::ExecuteApiReachableDirectly;
pub use ea602_alb_reachable_directly::AlbReachableDirectly;
pub use ea603_lambda_url_reachable_directly::LambdaUrlReachableDirectly;
pub use ea604_custom_origin_reachable_directly::CustomOriginReachableDirectly;
pub use ea605_probe_inconclusive::ProbeInconclusive;
pub use ea606_cloudfront_path_refused::CloudfrontPathRefused;

/// Every check, in id order.
pub static ALL: &[&dyn Check] = &[
    &CloudfrontNoWebAcl,
    &CloudfrontViewerAllowsHttp,
    &WebAclUnassociated,
    &ExecuteApiReachableDirectly,
    &AlbReachableDirectly,
    &LambdaUrlReachableDirectly,
    &CustomOriginReachableDirectly,
    &ProbeInconclusive,
    &CloudfrontPathRefused,
];
