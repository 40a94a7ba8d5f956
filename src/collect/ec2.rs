//! EC2, per region: security groups (ingress rules), managed prefix lists (to recognise the
//! CloudFront origin-facing list), instances and network interfaces (public addresses).
//!
//! The entries of the customer-managed prefix lists some ingress rule references are read with
//! GetManagedPrefixListEntries; a list whose entries cannot be read is a per-resource gap
//! naming it: the rules that reference it admit "unknown" ranges, never none.

use super::pacing::op;
use super::RegionContext;
use aws_sdk_ec2::types as ec2;
use edge_audit_checks::inventory::{
    AccountInventory, Coverage, CoverageStatus, IngressRule, Instance, NetworkInterface, PrefixList,
    SecurityGroup, Service, Tags,
};

/// The SDK's name of the service, for pacing.
const SDK: &str = "ec2";

const SERVICE: Service = Service::Ec2;
/// The largest page DescribeSecurityGroups and friends serve.
const PAGE_SIZE: i32 = 1000;

pub(super) async fn collect(ctx: RegionContext<'_>) -> AccountInventory {
    let client = ctx.clients.ec2(&ctx.region);
    let mut out = ctx.fragment();
    let mut failures = Vec::new();

    let security_groups = client.describe_security_groups().max_results(PAGE_SIZE).into_paginator().send();
    let prefix_lists = client.describe_managed_prefix_lists().max_results(100).into_paginator().send();
    let instances = client.describe_instances().max_results(PAGE_SIZE).into_paginator().send();
    let interfaces = client.describe_network_interfaces().max_results(PAGE_SIZE).into_paginator().send();
    let (security_groups, prefix_lists, instances, interfaces) = futures::join!(
        ctx.all_pages(op(SDK, "DescribeSecurityGroups"), security_groups),
        ctx.all_pages(op(SDK, "DescribeManagedPrefixLists"), prefix_lists),
        ctx.all_pages(op(SDK, "DescribeInstances"), instances),
        ctx.all_pages(op(SDK, "DescribeNetworkInterfaces"), interfaces),
    );

    match security_groups {
        Ok(pages) => {
            out.security_groups =
                pages.iter().flat_map(|p| p.security_groups()).map(|sg| security_group(&ctx, sg)).collect()
        }
        Err(error) => failures.push(ctx.failed(SERVICE, "DescribeSecurityGroups", &error.into())),
    }
    match prefix_lists {
        Ok(pages) => {
            out.prefix_lists = pages
                .iter()
                .flat_map(|p| p.prefix_lists())
                .map(|pl| PrefixList {
                    id: pl.prefix_list_id().unwrap_or_default().to_string(),
                    name: pl.prefix_list_name().unwrap_or_default().to_string(),
                    region: ctx.region.clone(),
                    owner_id: pl.owner_id().map(str::to_string),
                    entries: None,
                })
                .collect()
        }
        Err(error) => failures.push(ctx.failed(SERVICE, "DescribeManagedPrefixLists", &error.into())),
    }
    // The entries of the customer-managed lists that some ingress rule references: a list is
    // as open as the ranges it holds (AWS-managed lists are recognised by name instead).
    let referenced: std::collections::BTreeSet<&str> = out
        .security_groups
        .iter()
        .flat_map(|sg| &sg.ingress)
        .flat_map(|rule| &rule.prefix_list_ids)
        .map(String::as_str)
        .collect();
    let wanted: Vec<String> = out
        .prefix_lists
        .iter()
        .filter(|pl| !pl.is_aws_managed() && referenced.contains(pl.id.as_str()))
        .map(|pl| pl.id.clone())
        .collect();
    let ctx_ref = &ctx;
    let client_ref = &client;
    let lookups = wanted.iter().map(|id| {
        let pages = client_ref
            .get_managed_prefix_list_entries()
            .prefix_list_id(id)
            .max_results(100)
            .into_paginator()
            .send();
        async move { (id, ctx_ref.all_pages(op(SDK, "GetManagedPrefixListEntries"), pages).await) }
    });
    for (id, result) in futures::future::join_all(lookups).await {
        match result {
            Ok(pages) => {
                let cidrs: Vec<String> = pages
                    .iter()
                    .flat_map(|p| p.entries())
                    .filter_map(|e| e.cidr())
                    .map(str::to_string)
                    .collect();
                if let Some(pl) = out.prefix_lists.iter_mut().find(|pl| pl.id == *id) {
                    pl.entries = Some(cidrs);
                }
            }
            // A gap of the rules that reference the list only: they are judged "unknown" with
            // this reason (see `network::port_sources`), the region's other groups normally.
            Err(error) => {
                failures.push(ctx.failed_resource(SERVICE, "GetManagedPrefixListEntries", id, &error.into()))
            }
        }
    }
    match instances {
        Ok(pages) => {
            out.instances = pages
                .iter()
                .flat_map(|p| p.reservations())
                .flat_map(|r| r.instances())
                .map(|i| instance(&ctx, i))
                .collect()
        }
        Err(error) => failures.push(ctx.failed(SERVICE, "DescribeInstances", &error.into())),
    }
    match interfaces {
        Ok(pages) => {
            out.network_interfaces = pages
                .iter()
                .flat_map(|p| p.network_interfaces())
                .map(|eni| network_interface(&ctx, eni))
                .collect()
        }
        Err(error) => failures.push(ctx.failed(SERVICE, "DescribeNetworkInterfaces", &error.into())),
    }

    if failures.iter().all(|c| c.status != CoverageStatus::Failed) {
        out.coverage.push(Coverage::collected(ctx.region.clone(), SERVICE));
    }
    out.coverage.extend(failures);
    out
}

fn security_group(ctx: &RegionContext<'_>, sg: &ec2::SecurityGroup) -> SecurityGroup {
    let id = sg.group_id().unwrap_or_default().to_string();
    let owner = sg.owner_id().unwrap_or(ctx.account_id);
    SecurityGroup {
        arn: sg.security_group_arn().map(str::to_string).unwrap_or_else(|| {
            format!("arn:{}:ec2:{}:{owner}:security-group/{id}", ctx.partition, ctx.region)
        }),
        id,
        name: sg.group_name().unwrap_or_default().to_string(),
        region: ctx.region.clone(),
        vpc_id: sg.vpc_id().map(str::to_string),
        ingress: sg.ip_permissions().iter().map(ingress_rule).collect(),
        tags: tags(sg.tags()),
    }
}

fn ingress_rule(permission: &ec2::IpPermission) -> IngressRule {
    let protocol = permission.ip_protocol().unwrap_or("-1").to_string();
    let all_traffic = protocol == "-1";
    IngressRule {
        // Ports mean nothing for "all traffic" (AWS may still send -1 or 0-65535).
        from_port: if all_traffic { None } else { permission.from_port() },
        to_port: if all_traffic { None } else { permission.to_port() },
        protocol,
        ipv4_ranges: permission.ip_ranges().iter().filter_map(|r| r.cidr_ip()).map(str::to_string).collect(),
        ipv6_ranges: permission
            .ipv6_ranges()
            .iter()
            .filter_map(|r| r.cidr_ipv6())
            .map(str::to_string)
            .collect(),
        prefix_list_ids: permission
            .prefix_list_ids()
            .iter()
            .filter_map(|p| p.prefix_list_id())
            .map(str::to_string)
            .collect(),
        source_security_groups: permission
            .user_id_group_pairs()
            .iter()
            .filter_map(|pair| pair.group_id())
            .map(str::to_string)
            .collect(),
    }
}

fn instance(ctx: &RegionContext<'_>, instance: &ec2::Instance) -> Instance {
    let id = instance.instance_id().unwrap_or_default().to_string();
    Instance {
        arn: format!("arn:{}:ec2:{}:{}:instance/{id}", ctx.partition, ctx.region, ctx.account_id),
        id,
        region: ctx.region.clone(),
        state: instance.state().and_then(|s| s.name()).map(|n| n.as_str().to_string()).unwrap_or_default(),
        public_ip: non_empty(instance.public_ip_address()),
        public_dns_name: non_empty(instance.public_dns_name()),
        private_ip: non_empty(instance.private_ip_address()),
        security_groups: instance
            .security_groups()
            .iter()
            .filter_map(|g| g.group_id())
            .map(str::to_string)
            .collect(),
        tags: tags(instance.tags()),
    }
}

fn network_interface(ctx: &RegionContext<'_>, eni: &ec2::NetworkInterface) -> NetworkInterface {
    NetworkInterface {
        id: eni.network_interface_id().unwrap_or_default().to_string(),
        region: ctx.region.clone(),
        interface_type: eni.interface_type().map(|t| t.as_str().to_string()).unwrap_or_default(),
        description: eni.description().unwrap_or_default().to_string(),
        instance_id: eni.attachment().and_then(|a| non_empty(a.instance_id())),
        public_ip: eni.association().and_then(|a| non_empty(a.public_ip())),
        security_groups: eni.groups().iter().filter_map(|g| g.group_id()).map(str::to_string).collect(),
    }
}

fn tags(tags: &[ec2::Tag]) -> Tags {
    tags.iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
        .collect()
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value.filter(|v| !v.is_empty()).map(str::to_string)
}
