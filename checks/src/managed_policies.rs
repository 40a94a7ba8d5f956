//! The AWS managed CloudFront cache and origin-request policies, by id. Their settings are fixed
//! by AWS, so collectors need not call GetCachePolicy for them and checks can judge them even
//! when the inventory holds no policy objects.

use crate::inventory::{CachePolicy, OriginRequestPolicy};

/// (id, name, min TTL, default TTL, max TTL)
const CACHE_POLICIES: &[(&str, &str, i64, i64, i64)] = &[
    ("658327ea-f89d-4fab-a63d-7e88639e58f6", "Managed-CachingOptimized", 1, 86400, 31536000),
    ("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "Managed-CachingDisabled", 0, 0, 0),
    (
        "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
        "Managed-CachingOptimizedForUncompressedObjects",
        1,
        86400,
        31536000,
    ),
    ("08627262-05a9-4f76-9ded-b50ca2e3a84f", "Managed-Elemental-MediaPackage", 0, 86400, 31536000),
    ("2e54312d-136d-493c-8eb9-b001f22f67d2", "Managed-Amplify", 2, 2, 31536000),
    ("83da9c7e-98b4-4e11-a168-04f0df8e2c65", "UseOriginCacheControlHeaders", 0, 0, 31536000),
    ("4cc15a8a-d715-48a4-82b8-cc0b614638fe", "UseOriginCacheControlHeaders-QueryStrings", 0, 0, 31536000),
];

/// The id of Managed-CachingDisabled.
pub const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

/// The id of Managed-AllViewerExceptHostHeader.
pub const ALL_VIEWER_EXCEPT_HOST_HEADER: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

/// (id, name, header behavior, headers)
const ORIGIN_REQUEST_POLICIES: &[(&str, &str, &str, &[&str])] = &[
    ("216adef6-5c7f-47e4-b989-5492eafa07d3", "Managed-AllViewer", "allViewer", &[]),
    (ALL_VIEWER_EXCEPT_HOST_HEADER, "Managed-AllViewerExceptHostHeader", "allExcept", &["host"]),
    (
        "33f36d7e-f396-46d9-90e0-52428a34d9dc",
        "Managed-AllViewerAndCloudFrontHeaders-2022-06",
        "allViewerAndWhitelistCloudFront",
        &[],
    ),
    ("59781a5b-3903-41f3-afcb-af62929ccde1", "Managed-CORS-CustomOrigin", "whitelist", &["origin"]),
    (
        "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
        "Managed-CORS-S3Origin",
        "whitelist",
        &["origin", "access-control-request-headers", "access-control-request-method"],
    ),
    (
        "775133bc-15f2-49f9-abea-afb2e0bf67d2",
        "Managed-Elemental-MediaTailor-PersonalizedManifests",
        "whitelist",
        &[
            "origin",
            "access-control-request-headers",
            "x-forwarded-for",
            "access-control-request-method",
            "user-agent",
        ],
    ),
    (
        "acba4595-bd28-49b8-b9fe-13317c0390fa",
        "Managed-UserAgentRefererHeaders",
        "whitelist",
        &["user-agent", "referer"],
    ),
];

/// The managed cache policy with this id.
pub fn cache_policy(id: &str) -> Option<CachePolicy> {
    CACHE_POLICIES.iter().find(|p| p.0 == id).map(|&(id, name, min_ttl, default_ttl, max_ttl)| CachePolicy {
        id: id.to_string(),
        name: name.to_string(),
        managed: true,
        min_ttl,
        default_ttl,
        max_ttl,
    })
}

/// The managed origin-request policy with this id.
pub fn origin_request_policy(id: &str) -> Option<OriginRequestPolicy> {
    ORIGIN_REQUEST_POLICIES.iter().find(|p| p.0 == id).map(|&(id, name, behavior, headers)| {
        OriginRequestPolicy {
            id: id.to_string(),
            name: name.to_string(),
            managed: true,
            header_behavior: behavior.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
        }
    })
}

/// Whether an id is one of the managed policies (either kind).
pub fn is_managed(id: &str) -> bool {
    CACHE_POLICIES.iter().any(|p| p.0 == id) || ORIGIN_REQUEST_POLICIES.iter().any(|p| p.0 == id)
}
