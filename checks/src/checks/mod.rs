//! One file per check. Each declares its metadata and documentation with
//! [`declare_check!`](crate::declare_check) and implements [`Check`](crate::check::Check).
//! Add a new check to [`ALL`]; ids are never reused.

use crate::check::Check;

mod ea101_cloudfront_no_web_acl;
mod ea102_cloudfront_viewer_allows_http;
mod ea301_web_acl_unassociated;
mod ea701_perimeter_weakened;
mod ea702_perimeter_changed;
mod ea902_suppression_expired;
mod ea903_suppression_unused;

pub use ea101_cloudfront_no_web_acl::CloudfrontNoWebAcl;
pub use ea102_cloudfront_viewer_allows_http::CloudfrontViewerAllowsHttp;
pub use ea301_web_acl_unassociated::WebAclUnassociated;
pub use ea701_perimeter_weakened::PerimeterWeakened;
pub use ea702_perimeter_changed::PerimeterChanged;
pub use ea902_suppression_expired::SuppressionExpired;
pub use ea903_suppression_unused::SuppressionUnused;

/// Every check, in id order.
pub static ALL: &[&dyn Check] = &[
    &CloudfrontNoWebAcl,
    &CloudfrontViewerAllowsHttp,
    &WebAclUnassociated,
    &PerimeterWeakened,
    &PerimeterChanged,
    &SuppressionExpired,
    &SuppressionUnused,
];
