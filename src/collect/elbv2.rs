//! Elastic Load Balancing v2, per region: load balancers with their listeners and listener
//! rules (header values as fingerprints), the regional web ACL of each application load balancer
//! (WAF GetWebACLForResource) and the load balancers' tags (DescribeTags, 20 per call), and target
//! groups with their registered targets.

use super::acl_use::AclUser;
use super::matching::Plaintexts;
use super::pacing::op;
use super::{CallError, RegionContext};
use aws_sdk_elasticloadbalancingv2::types as elb;
use edge_audit_checks::inventory::{
    AccountInventory, Coverage, LbAction, Listener, ListenerRule, LoadBalancer, MutualAuthentication,
    RuleCondition, Service, Tags, Target, TargetGroup, TrustStore,
};
use futures::stream::{self, StreamExt};

/// The SDK's name of the service, for pacing.
const SDK: &str = "elasticloadbalancingv2";

const SERVICE: Service = Service::Elbv2;
const PAGE_SIZE: i32 = 400;
/// DescribeTags takes at most 20 resource ARNs per call.
const TAGS_BATCH: usize = 20;

pub(super) async fn collect(ctx: RegionContext<'_>) -> AccountInventory {
    let client = ctx.clients.elbv2(&ctx.region);
    let waf = ctx.clients.wafv2(&ctx.region);
    let mut out = ctx.fragment();
    let mut failures = Vec::new();
    // Sent once the load balancers' web ACLs are known (or, on failure, when dropped).
    let mut lb_acls = ctx.acl_use.reporter(&ctx.region, AclUser::LoadBalancers);

    let load_balancers = client.describe_load_balancers().page_size(PAGE_SIZE).into_paginator().send();
    let target_groups = client.describe_target_groups().page_size(PAGE_SIZE).into_paginator().send();
    let (load_balancers, target_groups) = futures::join!(
        ctx.all_pages(op(SDK, "DescribeLoadBalancers"), load_balancers),
        ctx.all_pages(op(SDK, "DescribeTargetGroups"), target_groups)
    );

    match load_balancers {
        Ok(pages) => {
            let summaries: Vec<elb::LoadBalancer> =
                pages.iter().flat_map(|p| p.load_balancers()).cloned().collect();
            let details: Vec<(LoadBalancer, Vec<Coverage>)> = stream::iter(summaries)
                .map(|lb| load_balancer(&ctx, &client, &waf, lb))
                .buffer_unordered(ctx.fan_out())
                .collect()
                .await;
            for (lb, lb_failures) in details {
                out.load_balancers.push(lb);
                failures.extend(lb_failures);
            }
            lb_acls.extend(out.load_balancers.iter().filter_map(|lb| lb.web_acl_arn.as_deref()));
            lb_acls.send();
            failures.extend(load_balancer_tags(&ctx, &client, &mut out.load_balancers).await);
            failures.extend(trust_stores(&ctx, &client, &mut out.load_balancers).await);
        }
        Err(error) => {
            lb_acls.send();
            failures.push(ctx.failed(SERVICE, "DescribeLoadBalancers", &error.into()));
        }
    }

    match target_groups {
        Ok(pages) => {
            let groups: Vec<elb::TargetGroup> =
                pages.iter().flat_map(|p| p.target_groups()).cloned().collect();
            let details: Vec<(TargetGroup, Option<Coverage>)> = stream::iter(groups)
                .map(|tg| target_group(&ctx, &client, tg))
                .buffer_unordered(ctx.fan_out())
                .collect()
                .await;
            for (tg, failure) in details {
                out.target_groups.push(tg);
                failures.extend(failure);
            }
        }
        Err(error) => failures.push(ctx.failed(SERVICE, "DescribeTargetGroups", &error.into())),
    }

    if failures.is_empty() {
        out.coverage.push(Coverage::collected(ctx.region.clone(), SERVICE));
    }
    out.coverage.extend(failures);
    out
}

async fn load_balancer(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    waf: &aws_sdk_wafv2::Client,
    lb: elb::LoadBalancer,
) -> (LoadBalancer, Vec<Coverage>) {
    let arn = lb.load_balancer_arn().unwrap_or_default().to_string();
    let lb_type = lb.r#type().map(|t| t.as_str().to_string()).unwrap_or_default();

    // The web ACL association (GetWebACLForResource, 1 call/s: the slow link of the chain to the
    // WAF collector's association lookups) is asked at once, alongside the listeners and rules,
    // not after them.
    let listeners = async {
        let mut failures = Vec::new();
        let listener_pages =
            client.describe_listeners().load_balancer_arn(&arn).page_size(PAGE_SIZE).into_paginator();
        let listeners = match ctx.all_pages(op(SDK, "DescribeListeners"), listener_pages.send()).await {
            Ok(pages) => pages.iter().flat_map(|p| p.listeners()).cloned().collect::<Vec<_>>(),
            Err(error) => {
                failures.push(ctx.failed_on(SERVICE, "DescribeListeners", &arn, &error.into()));
                Vec::new()
            }
        };
        let listeners: Vec<(Listener, Option<Coverage>)> = stream::iter(listeners)
            .map(|listener| listener_with_rules(ctx, client, listener))
            .buffer_unordered(ctx.fan_out())
            .collect()
            .await;
        let listeners: Vec<Listener> = listeners
            .into_iter()
            .map(|(listener, failure)| {
                failures.extend(failure);
                listener
            })
            .collect();
        (listeners, failures)
    };

    // WAF protects application load balancers only; the association is read from the load
    // balancer's side. It belongs to the load balancer's record, so a failure is an elbv2 gap.
    let web_acl = async {
        if lb_type != "application" {
            return (None, None);
        }
        let request = waf.get_web_acl_for_resource().resource_arn(&arn);
        match ctx.call(op("wafv2", "GetWebACLForResource"), request.send()).await {
            Ok(output) => (output.web_acl().map(|acl| acl.arn().to_string()).filter(|a| !a.is_empty()), None),
            Err(error) => (None, Some(ctx.failed_on(SERVICE, "GetWebACLForResource", &arn, &error.into()))),
        }
    };
    let ((listeners, mut failures), (web_acl_arn, web_acl_failure)) = futures::join!(listeners, web_acl);
    failures.extend(web_acl_failure);

    let load_balancer = LoadBalancer {
        name: lb.load_balancer_name().unwrap_or_default().to_string(),
        region: ctx.region.clone(),
        lb_type,
        scheme: lb.scheme().map(|s| s.as_str().to_string()).unwrap_or_default(),
        dns_name: lb.dns_name().unwrap_or_default().to_string(),
        security_groups: lb.security_groups().to_vec(),
        listeners,
        web_acl_arn,
        tags: Default::default(),
        arn,
    };
    (load_balancer, failures)
}

/// One DescribeTags batch: (ARN, tags) of the load balancers it described, or a failure for each
/// load balancer of the batch.
type TagBatch = Result<Vec<(String, Tags)>, Vec<Coverage>>;

/// Fills in the tags of `load_balancers` with DescribeTags, [`TAGS_BATCH`] ARNs per call. Tags
/// drive `edge-audit:ignore` suppressions, so a failed batch is a gap for each of its load
/// balancers (named in its coverage record), never an empty tag set.
async fn load_balancer_tags(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    load_balancers: &mut [LoadBalancer],
) -> Vec<Coverage> {
    let arns: Vec<String> = load_balancers.iter().map(|lb| lb.arn.clone()).collect();
    let batches: Vec<Vec<String>> = arns.chunks(TAGS_BATCH).map(<[String]>::to_vec).collect();
    let answers: Vec<TagBatch> = stream::iter(batches)
        .map(|batch| async move {
            let request = client.describe_tags().set_resource_arns(Some(batch.clone()));
            match ctx.call(op(SDK, "DescribeTags"), request.send()).await {
                Ok(output) => Ok(output
                    .tag_descriptions()
                    .iter()
                    .map(|d| {
                        let tags = d
                            .tags()
                            .iter()
                            .filter_map(|t| {
                                Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string()))
                            })
                            .collect();
                        (d.resource_arn().unwrap_or_default().to_string(), tags)
                    })
                    .collect()),
                Err(error) => {
                    let error = CallError::from(error);
                    Err(batch.iter().map(|arn| ctx.failed_on(SERVICE, "DescribeTags", arn, &error)).collect())
                }
            }
        })
        .buffer_unordered(ctx.fan_out())
        .collect()
        .await;
    let mut failures = Vec::new();
    for answer in answers {
        match answer {
            Ok(described) => {
                for (arn, tags) in described {
                    if let Some(lb) = load_balancers.iter_mut().find(|lb| lb.arn == arn) {
                        lb.tags = tags;
                    }
                }
            }
            Err(batch_failures) => failures.extend(batch_failures),
        }
    }
    failures
}

/// The trust stores of the listeners that verify client certificates (mode `verify`): one
/// DescribeTrustStores listing of the region, skipped when no listener verifies. Each listener
/// gets its trust store's status and CA count; a trust store the listing does not hold (shared
/// from another account) stays `None`, and a failed listing is a coverage failure (every
/// `verify` listener of the region is then unverified, never assumed enforced).
async fn trust_stores(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    load_balancers: &mut [LoadBalancer],
) -> Option<Coverage> {
    let verifies = |m: &MutualAuthentication| m.mode == "verify" && m.trust_store_arn.is_some();
    let wanted = load_balancers
        .iter()
        .flat_map(|lb| &lb.listeners)
        .filter_map(|l| l.mutual_authentication.as_ref())
        .any(verifies);
    if !wanted {
        return None;
    }
    let pages = client.describe_trust_stores().page_size(PAGE_SIZE).into_paginator().send();
    let stores: std::collections::BTreeMap<String, TrustStore> = match ctx
        .all_pages(op(SDK, "DescribeTrustStores"), pages)
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.trust_stores())
            .filter_map(|t| {
                let arn = t.trust_store_arn()?.to_string();
                Some((
                    arn,
                    TrustStore {
                        name: t.name().unwrap_or_default().to_string(),
                        status: t.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
                        ca_certificates: t.number_of_ca_certificates().and_then(|n| u64::try_from(n).ok()),
                        revoked_entries: t.total_revoked_entries().and_then(|n| u64::try_from(n).ok()),
                    },
                ))
            })
            .collect(),
        Err(error) => return Some(ctx.failed(SERVICE, "DescribeTrustStores", &CallError::from(error))),
    };
    for mutual in load_balancers
        .iter_mut()
        .flat_map(|lb| lb.listeners.iter_mut())
        .filter_map(|l| l.mutual_authentication.as_mut())
        .filter(|m| verifies(m))
    {
        mutual.trust_store = mutual.trust_store_arn.as_ref().and_then(|arn| stores.get(arn)).cloned();
    }
    None
}

async fn listener_with_rules(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    listener: elb::Listener,
) -> (Listener, Option<Coverage>) {
    let arn = listener.listener_arn().unwrap_or_default().to_string();
    let pages = client.describe_rules().listener_arn(&arn).page_size(PAGE_SIZE).into_paginator().send();
    let (rules, failure) = match ctx.all_pages(op(SDK, "DescribeRules"), pages).await {
        Ok(pages) => (
            pages
                .iter()
                .flat_map(|p| p.rules())
                // The default rule repeats the listener's default actions.
                .filter(|rule| !rule.is_default().unwrap_or(false) && rule.priority() != Some("default"))
                .map(|rule| listener_rule(rule, ctx.plaintexts))
                .collect(),
            None,
        ),
        Err(error) => {
            (Vec::new(), Some(ctx.failed_on(SERVICE, "DescribeRules", &arn, &CallError::from(error))))
        }
    };
    let listener = Listener {
        port: listener.port().and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
        protocol: listener.protocol().map(|p| p.as_str().to_string()).unwrap_or_default(),
        default_actions: actions(listener.default_actions()),
        rules,
        mutual_authentication: listener.mutual_authentication().map(|m| MutualAuthentication {
            mode: m.mode().unwrap_or("off").to_ascii_lowercase(),
            trust_store_arn: m.trust_store_arn().filter(|a| !a.is_empty()).map(str::to_string),
            ignore_client_certificate_expiry: m.ignore_client_certificate_expiry().unwrap_or(false),
            trust_store: None,
        }),
        arn,
    };
    (listener, failure)
}

fn listener_rule(rule: &elb::Rule, plaintexts: &Plaintexts) -> ListenerRule {
    ListenerRule {
        arn: rule.rule_arn().unwrap_or_default().to_string(),
        // Rules are evaluated lowest priority first; an unreadable priority sorts last.
        priority: rule.priority().and_then(|p| p.parse().ok()).unwrap_or(i64::MAX),
        conditions: rule.conditions().iter().map(|c| condition(c, plaintexts)).collect(),
        actions: actions(rule.actions()),
    }
}

fn condition(condition: &elb::RuleCondition, plaintexts: &Plaintexts) -> RuleCondition {
    let field = condition.field().unwrap_or_default();
    // The typed `*_config` blocks are current; `values` is the legacy form (host and path only).
    let values_or_legacy = |values: Option<&[String]>| -> Vec<String> {
        match values {
            Some(values) if !values.is_empty() => values.to_vec(),
            _ => condition.values().to_vec(),
        }
    };
    match field {
        "http-header" => match condition.http_header_config() {
            Some(config) => {
                // `Values` (wildcard patterns) or `RegexValues` (regular expressions, 2025).
                let regex = config.values().is_empty() && !config.regex_values().is_empty();
                let values = if regex { config.regex_values() } else { config.values() };
                RuleCondition::HttpHeader {
                    name: config.http_header_name().unwrap_or_default().to_string(),
                    // The origin-verify secret lives here; the matching pass evaluates each
                    // value as ALB does (case-insensitive wildcards, or a regex) and fills in
                    // `tests`.
                    values: values.iter().map(|v| plaintexts.keep_text(v)).collect(),
                    tests: Vec::new(),
                    regex,
                }
            }
            None => RuleCondition::Other { field: "http-header".into() },
        },
        "path-pattern" => RuleCondition::PathPattern {
            values: values_or_legacy(condition.path_pattern_config().map(|c| c.values())),
        },
        "host-header" => RuleCondition::HostHeader {
            values: values_or_legacy(condition.host_header_config().map(|c| c.values())),
        },
        "source-ip" => RuleCondition::SourceIp {
            values: condition.source_ip_config().map(|c| c.values().to_vec()).unwrap_or_default(),
        },
        "http-request-method" => RuleCondition::HttpRequestMethod {
            values: condition.http_request_method_config().map(|c| c.values().to_vec()).unwrap_or_default(),
        },
        "query-string" => RuleCondition::QueryString {
            count: condition.query_string_config().map(|c| c.values().len()).unwrap_or(0),
        },
        other => RuleCondition::Other { field: other.to_string() },
    }
}

fn actions(actions: &[elb::Action]) -> Vec<LbAction> {
    let mut sorted: Vec<&elb::Action> = actions.iter().collect();
    sorted.sort_by_key(|a| a.order().unwrap_or(i32::MAX));
    sorted.into_iter().map(action).collect()
}

fn action(action: &elb::Action) -> LbAction {
    let kind = action.r#type().map(|t| t.as_str()).unwrap_or_default();
    match kind {
        "forward" => {
            let mut target_group_arns: Vec<String> = action
                .forward_config()
                .map(|c| {
                    c.target_groups()
                        .iter()
                        .filter_map(|t| t.target_group_arn())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            if let Some(arn) = action.target_group_arn() {
                if !target_group_arns.iter().any(|a| a == arn) {
                    target_group_arns.push(arn.to_string());
                }
            }
            LbAction::Forward { target_group_arns }
        }
        "fixed-response" => LbAction::FixedResponse {
            status_code: action
                .fixed_response_config()
                .and_then(|c| c.status_code())
                .unwrap_or_default()
                .to_string(),
        },
        "redirect" => {
            let config = action.redirect_config();
            LbAction::Redirect {
                host: config.and_then(|c| c.host()).map(str::to_string),
                port: config.and_then(|c| c.port()).map(str::to_string),
                protocol: config.and_then(|c| c.protocol()).map(str::to_string),
            }
        }
        "authenticate-oidc" | "authenticate-cognito" | "jwt-validation" => {
            LbAction::Authenticate { kind: kind.to_string() }
        }
        other => LbAction::Other { kind: other.to_string() },
    }
}

async fn target_group(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    tg: elb::TargetGroup,
) -> (TargetGroup, Option<Coverage>) {
    let arn = tg.target_group_arn().unwrap_or_default().to_string();
    let request = client.describe_target_health().target_group_arn(&arn);
    let (targets, failure) = match ctx.call(op(SDK, "DescribeTargetHealth"), request.send()).await {
        Ok(output) => (
            output
                .target_health_descriptions()
                .iter()
                .filter_map(|d| d.target())
                .map(|t| Target {
                    id: t.id().unwrap_or_default().to_string(),
                    port: t.port().and_then(|p| u16::try_from(p).ok()),
                })
                .collect(),
            None,
        ),
        Err(error) => (Vec::new(), Some(ctx.failed_on(SERVICE, "DescribeTargetHealth", &arn, &error.into()))),
    };
    let target_group = TargetGroup {
        name: tg.target_group_name().unwrap_or_default().to_string(),
        region: ctx.region.clone(),
        protocol: tg.protocol().map(|p| p.as_str().to_string()),
        port: tg.port().and_then(|p| u16::try_from(p).ok()),
        target_type: tg.target_type().map(|t| t.as_str().to_string()).unwrap_or_default(),
        load_balancer_arns: tg.load_balancer_arns().to_vec(),
        targets,
        arn,
    };
    (target_group, failure)
}
