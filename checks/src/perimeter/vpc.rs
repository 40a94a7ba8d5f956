//! VPC origins: whether the endpoint a distribution reaches through a CloudFront VPC origin is
//! private (then the VPC origin locks it: only CloudFront's VPC-origin service network reaches
//! it) or itself reachable from the internet (then the VPC origin locks nothing, and the
//! endpoint is judged like any load balancer or instance).
//!
//! The endpoint is resolved by the VPC origin's endpoint ARN ([`Index::vpc_origin_of`]); the
//! internet question is the one the rest of the model asks: an internal load balancer has no
//! public entry point, an instance is reachable only with a public address *and* a security
//! group rule that admits the internet on one of its listener ports ([`port_sources`]).
//!
//! [`Index::vpc_origin_of`]: crate::index::Index::vpc_origin_of

use super::scope::Scope;
use crate::inventory::*;
use crate::network::port_sources;

/// What a distribution origin's VPC origin amounts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VpcOriginReach {
    /// The endpoint is not reachable from the internet: the VPC origin locks it.
    Private(String),
    /// The endpoint is reachable from the internet around the VPC origin.
    Internet(String),
    /// edge-audit cannot tell (the VPC origin, or its endpoint, was not read or is owned by an
    /// account outside the scan).
    NotEvaluated(String),
}

impl VpcOriginReach {
    pub fn why(&self) -> &str {
        match self {
            Self::Private(why) | Self::Internet(why) | Self::NotEvaluated(why) => why,
        }
    }
}

/// The reach of `origin`'s VPC origin, `None` when the origin does not use one.
pub fn vpc_origin_reach(scope: &Scope<'_>, origin: &Origin) -> Option<VpcOriginReach> {
    let id = origin.vpc_origin_id.as_deref().filter(|id| !id.is_empty())?;
    let account = scope.account;
    let owner = origin.vpc_origin.as_ref().and_then(|v| v.owner_account_id.as_deref());
    if let Some(owner) = owner.filter(|o| *o != account.account_id) {
        // Shared through AWS RAM: its endpoint lives in the owner's account.
        return Some(VpcOriginReach::NotEvaluated(format!(
            "VPC origin {id} is owned by account {owner}, which is not read with this account: scan it too (--account) to judge its endpoint"
        )));
    }
    let Some(vpc_origin) = scope.index.vpc_origin_of(origin) else {
        let failure = account
            .failures(Service::Cloudfront)
            .find(|c| matches!(c.operation.as_deref(), Some("ListVpcOrigins")));
        return Some(VpcOriginReach::NotEvaluated(match failure {
            Some(c) => format!(
                "VPC origin {id}: the VPC origins could not be read (ListVpcOrigins: {})",
                c.error.as_deref().unwrap_or("failed")
            ),
            None => format!(
                "VPC origin {id} is not in account {}'s inventory (deleted, or its VPC origins could not be listed)",
                account.account_id
            ),
        }));
    };
    Some(endpoint_reach(scope, vpc_origin))
}

fn endpoint_reach(scope: &Scope<'_>, vpc_origin: &VpcOrigin) -> VpcOriginReach {
    let index = scope.index;
    let id = &vpc_origin.id;
    let region = arn_region(&vpc_origin.endpoint_arn);
    let unread = |service: Service, what: &str| {
        let gaps = super::guards::coverage_gaps(scope.account, region, &[service]);
        VpcOriginReach::NotEvaluated(if gaps.is_empty() {
            format!("VPC origin {id}: {what} {} is not in the inventory", vpc_origin.endpoint_arn)
        } else {
            format!(
                "VPC origin {id}: {what} {} could not be looked up: {}",
                vpc_origin.endpoint_arn,
                gaps.join("; ")
            )
        })
    };
    match vpc_origin.endpoint_kind() {
        VpcOriginEndpoint::Alb(arn) | VpcOriginEndpoint::Nlb(arn) => match index.load_balancers.get(arn) {
            Some(lb) if lb.scheme == "internal" => VpcOriginReach::Private(format!(
                "VPC origin {id} reaches the internal load balancer {}",
                lb.name
            )),
            Some(lb) => VpcOriginReach::Internet(format!(
                "VPC origin {id} reaches load balancer {}, which is internet-facing: it is reachable around CloudFront",
                lb.name
            )),
            None => unread(Service::Elbv2, "load balancer"),
        },
        VpcOriginEndpoint::Instance(instance_id) => match index.instances.get(instance_id) {
            Some(instance) => instance_reach(scope, id, instance),
            None => unread(Service::Ec2, "instance"),
        },
        VpcOriginEndpoint::Other(arn) => {
            VpcOriginReach::NotEvaluated(format!("VPC origin {id}: edge-audit does not know the endpoint {arn}"))
        }
    }
}

fn instance_reach(scope: &Scope<'_>, id: &str, instance: &Instance) -> VpcOriginReach {
    let Some(public_ip) = instance.public_ip.as_deref().filter(|ip| !ip.is_empty()) else {
        return VpcOriginReach::Private(format!(
            "VPC origin {id} reaches instance {}, which has no public address",
            instance.id
        ));
    };
    let sources: Vec<_> = scope
        .options
        .listener_ports
        .iter()
        .map(|port| port_sources(scope.index, &instance.security_groups, *port))
        .collect();
    let open: Vec<u16> = sources.iter().filter(|s| !s.internet.is_empty()).map(|s| s.port).collect();
    let mut unknown: Vec<&str> = sources.iter().flat_map(|s| s.unknown.iter().map(String::as_str)).collect();
    unknown.sort();
    unknown.dedup();
    if open.is_empty() && !unknown.is_empty() {
        VpcOriginReach::NotEvaluated(format!(
            "VPC origin {id} reaches instance {}, whose public address {public_ip} may admit the internet: {}",
            instance.id,
            unknown.join("; ")
        ))
    } else if open.is_empty() {
        VpcOriginReach::Private(format!(
            "VPC origin {id} reaches instance {}; its public address {public_ip} admits the internet on none of ports {:?}",
            instance.id, scope.options.listener_ports
        ))
    } else {
        VpcOriginReach::Internet(format!(
            "VPC origin {id} reaches instance {}, whose public address {public_ip} admits the internet on port(s) {open:?}: it is reachable around CloudFront",
            instance.id
        ))
    }
}

/// The region of an ARN (`arn:aws:elasticloadbalancing:eu-west-1:…`), empty when it has none.
fn arn_region(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap_or("")
}
