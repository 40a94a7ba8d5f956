//! Tags of a whole resource type in one paginated read: Resource Groups Tagging API
//! `GetResources`, up to 100 resources a page, instead of one tag call per resource.
//!
//! Tags drive `edge-audit:ignore` suppressions. `GetResources` lists every resource of the type
//! that is or was tagged; a resource it does not list has no tags. When the listing fails (the
//! role predates the `tag:GetResources` permission, the endpoint does not serve it, …) the
//! collectors fall back to their service's own per-resource tag call, so a missing permission
//! costs calls, never completeness. A tag set that could not be read either way is a coverage
//! record naming the resource (a tag might have suppressed its findings), never an empty map.

use super::pacing::op;
use super::{CallError, RegionContext};
use edge_audit_checks::inventory::{Coverage, Tags};
use futures::stream::{self, StreamExt};
use std::collections::HashMap;
use std::future::Future;

/// The largest page `GetResources` serves.
const RESOURCES_PER_PAGE: i32 = 100;

/// The tags of each resource in `arns`, in the same order: from one `GetResources` listing of
/// `resource_type` (`cloudfront:distribution`, `lambda:function`, `wafv2`) in `region`, or, if
/// that listing fails, from `read_one(arn)` per resource, concurrently under the request limit.
pub(super) async fn tags_of<F, Fut>(
    ctx: &RegionContext<'_>,
    region: &str,
    resource_type: &str,
    arns: Vec<String>,
    read_one: F,
) -> Vec<Result<Tags, Coverage>>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<Tags, Coverage>>,
{
    if arns.is_empty() {
        return Vec::new();
    }
    match listing(ctx, region, resource_type).await {
        Ok(mut listed) => return arns.iter().map(|arn| Ok(listed.remove(arn).unwrap_or_default())).collect(),
        Err(error) => tracing::info!(
            "tag:GetResources for {resource_type} in {region} failed ({error}); reading tags per resource"
        ),
    }
    let read_one = &read_one;
    let mut answers: Vec<(usize, Result<Tags, Coverage>)> = stream::iter(arns.into_iter().enumerate())
        .map(|(index, arn)| async move { (index, read_one(arn).await) })
        .buffer_unordered(ctx.fan_out())
        .collect()
        .await;
    answers.sort_by_key(|(index, _)| *index);
    answers.into_iter().map(|(_, answer)| answer).collect()
}

/// Every resource of `resource_type` in `region` that `GetResources` lists, with its tags.
async fn listing(
    ctx: &RegionContext<'_>,
    region: &str,
    resource_type: &str,
) -> Result<HashMap<String, Tags>, CallError> {
    let client = ctx.clients.tagging(region);
    let pages = client
        .get_resources()
        .resource_type_filters(resource_type)
        .resources_per_page(RESOURCES_PER_PAGE)
        .into_paginator()
        .send();
    let pages = ctx.all_pages_in(region, op("resourcegroupstagging", "GetResources"), pages).await?;
    let mut tags = HashMap::new();
    for mapping in pages.iter().flat_map(|page| page.resource_tag_mapping_list()) {
        let Some(arn) = mapping.resource_arn() else { continue };
        let set: Tags = mapping.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect();
        tags.insert(arn.to_string(), set);
    }
    Ok(tags)
}

/// Stores each answer of [`tags_of`] in its resource's tag set (`slots`, in the order the ARNs
/// were given) and returns the coverage records of the tag sets that could not be read.
pub(super) fn store<'a>(
    slots: impl IntoIterator<Item = &'a mut Tags>,
    answers: Vec<Result<Tags, Coverage>>,
) -> Vec<Coverage> {
    let mut failures = Vec::new();
    for (slot, answer) in slots.into_iter().zip(answers) {
        match answer {
            Ok(tags) => *slot = tags,
            Err(coverage) => failures.push(coverage),
        }
    }
    failures
}
