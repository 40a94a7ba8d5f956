use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::managed_policies::CACHING_DISABLED;
use crate::perimeter::is_api_origin;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A cache behavior (the default one included) that routes to an API origin (API Gateway,
    /// load balancer, Lambda URL, or a custom origin behind an API path pattern) and caches
    /// responses: a cache policy other than Managed-CachingDisabled whose default TTL is above
    /// 0, or legacy cache settings with DefaultTTL or MaxTTL above 0.
    ///
    /// A custom cache policy that was not collected cannot be judged: the behavior is reported
    /// as not evaluated.
    ///
    /// The behavior of a multi-tenant distribution whose origin is a template (`{{param}}` in
    /// its domain) routes to an API when any enabled tenant's filled-in origin is one.
    ///
    /// ## Why it matters
    ///
    /// API responses are usually per user. A cached `GET /api/me` is served to the next viewer
    /// whose request has the same cache key: one user's data leaks to another, and writes seem
    /// to be ignored because stale answers come back.
    ///
    /// ## Example
    ///
    /// The `/api*` behavior uses legacy settings with `DefaultTTL: 86400`.
    ///
    /// ## How to fix
    ///
    /// Use the managed cache policy CachingDisabled
    /// (`4135ea2d-6df8-44a3-9df3-4b5a84be39ad`) with the origin request policy
    /// AllViewerExceptHostHeader on API behaviors, or set every TTL to 0 and cache selected
    /// public endpoints explicitly.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html>
    CloudfrontApiBehaviorCaches {
        id: "EA104",
        slug: "cloudfront-api-behavior-caches",
        title: "API behavior caches responses",
        severity: Medium,
        services: [Cloudfront],
    }
}

impl Audit for CloudfrontApiBehaviorCaches {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for distribution in &ctx.account.distributions {
            for behavior in distribution.all_behaviors() {
                let Some(origin) = distribution.origin(&behavior.target_origin_id) else { continue };
                // A templated origin serves an API when any tenant's filled-in version does.
                let versions = ctx.index.origin_versions(distribution, origin);
                if !versions.iter().any(|v| is_api_origin(distribution, v.origin)) {
                    continue;
                }
                let policy_id = behavior.cache_policy_id.as_deref().filter(|id| !id.is_empty());
                let (caching, evidence) = match (policy_id, &behavior.legacy) {
                    (Some(CACHING_DISABLED), _) => continue,
                    (Some(id), _) => match ctx.index.cache_policy(id) {
                        Some(policy) => (
                            policy.default_ttl > 0,
                            serde_json::json!({
                                "cache_policy_id": policy.id,
                                "cache_policy_name": policy.name,
                                "min_ttl": policy.min_ttl,
                                "default_ttl": policy.default_ttl,
                                "max_ttl": policy.max_ttl,
                            }),
                        ),
                        None => {
                            out.not_evaluated(
                                &Self::META,
                                distribution.arn.clone(),
                                format!(
                                    "behavior `{}` uses cache policy {id}, which is not a managed policy and was not collected",
                                    behavior.pattern()
                                ),
                            );
                            continue;
                        }
                    },
                    (None, Some(legacy)) => (
                        legacy.default_ttl > 0 || legacy.max_ttl > 0,
                        serde_json::json!({
                            "legacy": true,
                            "min_ttl": legacy.min_ttl,
                            "default_ttl": legacy.default_ttl,
                            "max_ttl": legacy.max_ttl,
                        }),
                    ),
                    (None, None) => continue,
                };
                if !caching {
                    continue;
                }
                let how = match evidence.get("cache_policy_name").and_then(|n| n.as_str()) {
                    Some(name) => format!("cache policy {name} (default TTL {}s)", evidence["default_ttl"]),
                    None => format!(
                        "legacy settings DefaultTTL {}s / MaxTTL {}s",
                        evidence["default_ttl"], evidence["max_ttl"]
                    ),
                };
                out.push(
                    Finding::new(
                        &Self::META,
                        distribution.resource(ctx.account_id()),
                        format!(
                            "Distribution {} caches API responses on behavior `{}` to origin `{}` ({} {}): {how}",
                            distribution.id,
                            behavior.pattern(),
                            origin.id,
                            origin.kind.label(),
                            origin.domain_name
                        ),
                    )
                    .detail(behavior.pattern())
                    .evidence("behavior", behavior.pattern())
                    .evidence("origin_id", &origin.id)
                    .evidence("cache", evidence),
                );
            }
        }
    }
}
