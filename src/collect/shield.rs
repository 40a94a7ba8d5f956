//! Shield Advanced (global): whether the account subscribes, and its protections.

use super::pacing::op;
use super::RegionContext;
use edge_audit_checks::inventory::{AccountInventory, Coverage, Service, ShieldProtection, ShieldState};

/// The SDK's name of the service, for pacing.
const SDK: &str = "shield";

const SERVICE: Service = Service::Shield;

pub(super) async fn collect(ctx: RegionContext<'_>) -> AccountInventory {
    let client = ctx.clients.shield();
    let mut out = ctx.fragment();

    // DescribeSubscription rather than GetSubscriptionState: it answers the same question and
    // is also served by moto. ResourceNotFound means "not subscribed", a fact.
    let subscribed = match ctx
        .call(op(SDK, "DescribeSubscription"), client.describe_subscription().send())
        .await
    {
        Ok(output) => output.subscription().is_some_and(|s| {
            let now = aws_smithy_types::DateTime::from(std::time::SystemTime::now());
            s.end_time().is_none_or(|end| end.secs() > now.secs())
        }),
        Err(error) if error.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => false,
        Err(error) => {
            out.coverage.push(ctx.failed(SERVICE, "DescribeSubscription", &error.into()));
            return out;
        }
    };

    let protections = match ctx
        .all_pages(op(SDK, "ListProtections"), client.list_protections().into_paginator().send())
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.protections())
            .map(|p| ShieldProtection {
                id: p.id().unwrap_or_default().to_string(),
                name: p.name().unwrap_or_default().to_string(),
                resource_arn: p.resource_arn().unwrap_or_default().to_string(),
            })
            .collect(),
        // Shield answers ResourceNotFound when there is no protection at all.
        Err(error) if error.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => {
            Vec::new()
        }
        Err(error) => {
            out.coverage.push(ctx.failed(SERVICE, "ListProtections", &error.into()));
            return out;
        }
    };

    out.shield = Some(ShieldState { subscribed, protections });
    out.coverage.push(Coverage::collected(ctx.region.clone(), SERVICE));
    out
}
