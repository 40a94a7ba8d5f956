//! AWS WAF (v2), CLOUDFRONT scope (global, called in us-east-1) and REGIONAL scope (per region):
//! web ACLs with their rules converted statement by statement, the IP sets and regex pattern
//! sets the rules reference (each read once), whether logging is configured, and the ACLs' tags.
//!
//! Match strings and regexes become [`SecretValue`]s as soon as they are read.

use super::matching::Plaintexts;
use super::pacing::op;
use super::{tagging, CallError, RegionContext};
use aws_config::retry::RetryConfig;
use aws_sdk_wafv2::types as waf;
use edge_audit_checks::inventory::{
    AccountInventory, Coverage, FieldToMatch, IpSet, RegexPattern, RegexPatternSet, RuleActionOverride,
    RuleGroup, Service, Statement, WafAction, WafRule, WafScope, WebAcl, GLOBAL_REGION,
};
use edge_audit_checks::secret::{exact_literal_of_regex, SecretValue};
use futures::stream::{self, StreamExt};
use std::collections::BTreeSet;

/// The SDK's name of the service, for pacing.
const SDK: &str = "wafv2";

/// Statements nest (And/Or/Not, scope-down); WAF allows a handful of levels. The bound only
/// protects the recursion from a malformed answer.
const MAX_STATEMENT_DEPTH: usize = 20;

/// The regional resource types a web ACL can protect that edge-audit does not collect: API
/// Gateway stages and load balancers name their web ACL themselves (stage `webAclArn`,
/// GetWebACLForResource), so ListResourcesForWebACL is only asked about these, each separately.
const UNCOLLECTED_RESOURCE_TYPES: [waf::ResourceType; 4] = [
    waf::ResourceType::Appsync,
    waf::ResourceType::CognitioUserPool,
    waf::ResourceType::AppRunnerService,
    waf::ResourceType::VerifiedAccessInstance,
];

struct ScopeInfo {
    scope: waf::Scope,
    inventory_scope: WafScope,
    service: Service,
}

pub(super) async fn collect(ctx: RegionContext<'_>) -> AccountInventory {
    let global = ctx.region == GLOBAL_REGION;
    let info = if global {
        ScopeInfo {
            scope: waf::Scope::Cloudfront,
            inventory_scope: WafScope::Cloudfront,
            service: Service::WafCloudfront,
        }
    } else {
        ScopeInfo {
            scope: waf::Scope::Regional,
            inventory_scope: WafScope::Regional,
            service: Service::WafRegional,
        }
    };
    let client =
        if global { ctx.clients.wafv2(ctx.clients.global_region()) } else { ctx.clients.wafv2(&ctx.region) };
    let mut out = ctx.fragment();

    let summaries = match list_web_acls(&ctx, &client, &info.scope).await {
        Ok(summaries) => summaries,
        Err(error) => {
            out.coverage.push(ctx.failed(info.service, "ListWebACLs", &error));
            return out;
        }
    };

    let details: Vec<(Option<WebAcl>, Vec<Coverage>)> = stream::iter(summaries)
        .map(|summary| web_acl(&ctx, &client, &info, summary))
        .buffer_unordered(ctx.fan_out())
        .collect()
        .await;
    let mut failures = Vec::new();
    for (acl, coverage) in details {
        out.web_acls.extend(acl);
        failures.extend(coverage);
    }

    // The custom rule groups the ACLs reference (Firewall Manager's included), each once, by
    // ARN: a Firewall Manager group lives in the administrator account. A group that cannot be
    // read is a gap of the ACLs that reference it only (their gates are not evaluated, naming
    // it), not of the region's other ACLs.
    let mut group_arns = BTreeSet::new();
    for acl in &out.web_acls {
        for rule in acl.rules.iter().chain(&acl.pre_process_rules).chain(&acl.post_process_rules) {
            if let Statement::RuleGroupReference { arn, .. } = &rule.statement {
                group_arns.insert(arn.clone());
            }
        }
    }
    let groups = stream::iter(group_arns)
        .map(|arn| rule_group(&ctx, &client, &info, arn))
        .buffer_unordered(ctx.fan_out())
        .collect::<Vec<Result<RuleGroup, Coverage>>>()
        .await;
    let mut resource_gaps = Vec::new();
    for result in groups {
        match result {
            Ok(group) => out.rule_groups.push(group),
            Err(coverage) => resource_gaps.push(coverage),
        }
    }

    // The IP sets and regex pattern sets the rules (of the ACLs and of the rule groups)
    // reference, each once; for regional ACLs, at the same time, the associations of those no
    // stage or load balancer names.
    let mut ip_set_arns = BTreeSet::new();
    let mut regex_set_arns = BTreeSet::new();
    for acl in &out.web_acls {
        for rule in acl.rules.iter().chain(&acl.pre_process_rules).chain(&acl.post_process_rules) {
            referenced_sets(&rule.statement, &mut ip_set_arns, &mut regex_set_arns);
        }
    }
    for group in &out.rule_groups {
        for rule in &group.rules {
            referenced_sets(&rule.statement, &mut ip_set_arns, &mut regex_set_arns);
        }
    }
    let ip_sets = stream::iter(ip_set_arns)
        .map(|arn| ip_set(&ctx, &client, &info, arn))
        .buffer_unordered(ctx.fan_out())
        .collect::<Vec<Result<IpSet, Coverage>>>();
    let regex_sets = stream::iter(regex_set_arns)
        .map(|arn| regex_pattern_set(&ctx, &client, &info, arn))
        .buffer_unordered(ctx.fan_out())
        .collect::<Vec<Result<RegexPatternSet, Coverage>>>();
    let regional: Vec<(usize, String)> = if global {
        Vec::new()
    } else {
        out.web_acls.iter().enumerate().map(|(index, acl)| (index, acl.arn.clone())).collect()
    };
    let lookups = uncollected_associations(&ctx, &client, regional);
    let (ip_sets, regex_sets, lookups) = futures::join!(ip_sets, regex_sets, lookups);
    // An unread set is that set's gap, as an unread rule group is (see `ip_set`).
    for result in ip_sets {
        match result {
            Ok(set) => out.ip_sets.push(set),
            Err(coverage) => resource_gaps.push(coverage),
        }
    }
    for result in regex_sets {
        match result {
            Ok(set) => out.regex_pattern_sets.push(set),
            Err(coverage) => resource_gaps.push(coverage),
        }
    }
    for (index, lookup) in lookups {
        let Some(acl) = out.web_acls.get_mut(index) else { continue };
        match lookup {
            Lookup::Found(resources) => acl.associated_resources = Some(resources),
            Lookup::Unanswered => {}
            Lookup::Throttled(error) => {
                failures.push(ctx.failed_on(info.service, "ListResourcesForWebACL", &acl.arn, &error))
            }
        }
    }

    failures.extend(web_acl_tags(&ctx, &client, &info, &mut out.web_acls).await);

    if failures.is_empty() {
        out.coverage.push(Coverage::collected(ctx.region.clone(), info.service));
    }
    out.coverage.extend(failures);
    out.coverage.extend(resource_gaps);
    out
}

async fn list_web_acls(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_wafv2::Client,
    scope: &waf::Scope,
) -> Result<Vec<waf::WebAclSummary>, CallError> {
    // ListWebACLs has no SDK paginator.
    let pages = ctx
        .token_pages(
            op(SDK, "ListWebACLs"),
            |marker| client.list_web_acls().scope(scope.clone()).limit(100).set_next_marker(marker).send(),
            aws_sdk_wafv2::operation::list_web_acls::ListWebAcLsOutput::next_marker,
        )
        .await?;
    Ok(pages.iter().flat_map(|p| p.web_acls()).cloned().collect())
}

/// GetWebACL, then its logging configuration and (regional) associations.
async fn web_acl(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_wafv2::Client,
    info: &ScopeInfo,
    summary: waf::WebAclSummary,
) -> (Option<WebAcl>, Vec<Coverage>) {
    let (Some(name), Some(id)) = (summary.name(), summary.id()) else {
        let error = CallError::new("ListWebACLs returned a web ACL without a name or id");
        return (None, vec![ctx.failed(info.service, "ListWebACLs", &error)]);
    };
    let arn = summary.arn().unwrap_or_default().to_string();
    let request = client.get_web_acl().name(name).id(id).scope(info.scope.clone());
    let detail = match ctx.call(op(SDK, "GetWebACL"), request.send()).await {
        Ok(output) => output,
        Err(error) => return (None, vec![ctx.failed_on(info.service, "GetWebACL", &arn, &error.into())]),
    };
    let Some(acl) = detail.web_acl() else {
        let error = CallError::new("GetWebACL returned no web ACL");
        return (None, vec![ctx.failed_on(info.service, "GetWebACL", &arn, &error)]);
    };
    let arn = if acl.arn().is_empty() { arn } else { acl.arn().to_string() };
    let mut failures = Vec::new();

    let logging_request = client.get_logging_configuration().resource_arn(&arn);
    let logging_enabled = match ctx.call(op(SDK, "GetLoggingConfiguration"), logging_request.send()).await {
        Ok(output) => Some(output.logging_configuration().is_some()),
        // No configuration is a fact, not a failure.
        Err(error) if error.as_service_error().is_some_and(|e| e.is_waf_nonexistent_item_exception()) => {
            Some(false)
        }
        Err(error) => {
            failures.push(ctx.failed_on(info.service, "GetLoggingConfiguration", &arn, &error.into()));
            None
        }
    };

    let web_acl = WebAcl {
        id: acl.id().to_string(),
        arn,
        name: acl.name().to_string(),
        scope: info.inventory_scope,
        region: ctx.region.clone(),
        default_action: match acl.default_action() {
            Some(action) if action.block().is_some() => WafAction::Block,
            _ => WafAction::Allow,
        },
        rules: acl.rules().iter().map(|r| rule(r, ctx.plaintexts)).collect(),
        pre_process_rules: acl
            .pre_process_firewall_manager_rule_groups()
            .iter()
            .map(|g| firewall_manager_rule(g, ctx.plaintexts))
            .collect(),
        post_process_rules: acl
            .post_process_firewall_manager_rule_groups()
            .iter()
            .map(|g| firewall_manager_rule(g, ctx.plaintexts))
            .collect(),
        logging_enabled,
        // Filled in once every service has been read: see `uncollected_associations`.
        associated_resources: None,
        // Filled in for all ACLs at once: see `web_acl_tags`.
        tags: Default::default(),
    };
    (Some(web_acl), failures)
}

/// Fills in the web ACLs' tags (see [`tagging::tags_of`]): one listing of the WAF resources of
/// the scope's region (CLOUDFRONT scope: the global region), ListTagsForResource per ACL as the
/// fallback. Returns a coverage record per tag set that could not be read.
async fn web_acl_tags(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_wafv2::Client,
    info: &ScopeInfo,
    web_acls: &mut [WebAcl],
) -> Vec<Coverage> {
    let arns = web_acls.iter().map(|acl| acl.arn.clone()).collect();
    let region = match info.inventory_scope {
        WafScope::Cloudfront => ctx.clients.global_region(),
        WafScope::Regional => ctx.region.as_str(),
    };
    let service = info.service;
    let answers = tagging::tags_of(ctx, region, "wafv2", arns, |arn| async move {
        match ctx
            .call(op(SDK, "ListTagsForResource"), client.list_tags_for_resource().resource_arn(&arn).send())
            .await
        {
            Ok(output) => Ok(output
                .tag_info_for_resource()
                .map(|info| {
                    info.tag_list().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect()
                })
                .unwrap_or_default()),
            Err(error) => Err(ctx.failed_on(service, "ListTagsForResource", &arn, &error.into())),
        }
    })
    .await;
    tagging::store(web_acls.iter_mut().map(|acl| &mut acl.tags), answers)
}

/// For each regional web ACL of `acls` (index, ARN) that no API stage or load balancer of this
/// region names, asks ListResourcesForWebACL about the resource types edge-audit does not collect
/// (AppSync, Cognito, App Runner, Verified Access). Waits for this region's stages and load
/// balancers to be read (see [`AclUse`](super::acl_use::AclUse)), not for the whole account, so
/// the lookups (1 call/s) run while API Gateway is still being read; the common case, an ACL a
/// stage or load balancer already names, costs no call (asking per ACL and type would be six
/// calls per ACL).
///
/// A supplement for one finding's confidence, so an error answer gets one attempt and leaves the
/// ACL at `None` (EA301 then reports with lower confidence; moto answers HTTP 500 here). But no
/// read is given up because of throttling: like every call, each retries throttled attempts
/// until its deadline, and an ACL whose lookup is still throttled then gets a coverage record
/// naming it, so the gap is reported as not evaluated instead of going missing.
async fn uncollected_associations(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_wafv2::Client,
    acls: Vec<(usize, String)>,
) -> Vec<(usize, Lookup)> {
    if acls.is_empty() {
        return Vec::new();
    }
    let named = ctx.acl_use.named_in(&ctx.region).await;
    stream::iter(acls.into_iter().filter(|(_, arn)| !named.contains(arn)))
        .map(|(index, arn)| async move { (index, associated_resources(ctx, client, &arn).await) })
        .buffer_unordered(ctx.fan_out())
        .collect()
        .await
}

/// What ListResourcesForWebACL told about one ACL.
enum Lookup {
    /// The associated resources of every uncollected type.
    Found(Vec<String>),
    /// An error answer: unknown, with no coverage gap (see [`uncollected_associations`]).
    Unanswered,
    /// Still throttled at the deadline: a coverage gap.
    Throttled(CallError),
}

/// The resources of [`UNCOLLECTED_RESOURCE_TYPES`] associated with the web ACL.
async fn associated_resources(ctx: &RegionContext<'_>, client: &aws_sdk_wafv2::Client, arn: &str) -> Lookup {
    // One attempt for error answers; the pacing interceptor still retries throttled attempts
    // until the deadline.
    let one_attempt = aws_sdk_wafv2::config::Builder::default().retry_config(RetryConfig::disabled());
    let mut resources = Vec::new();
    for resource_type in UNCOLLECTED_RESOURCE_TYPES {
        let request = client
            .list_resources_for_web_acl()
            .web_acl_arn(arn)
            .resource_type(resource_type)
            .customize()
            .config_override(one_attempt.clone());
        match ctx.call(op(SDK, "ListResourcesForWebACL"), request.send()).await {
            Ok(output) => resources.extend(output.resource_arns().iter().cloned()),
            Err(error) if error.raw_response().is_some_and(super::stats::is_throttling) => {
                return Lookup::Throttled(error.into())
            }
            Err(_) => return Lookup::Unanswered,
        }
    }
    resources.sort();
    Lookup::Found(resources)
}

/// A Firewall Manager rule group of a web ACL, as a rule referencing the group.
fn firewall_manager_rule(group: &waf::FirewallManagerRuleGroup, plaintexts: &Plaintexts) -> WafRule {
    let statement = group
        .firewall_manager_statement()
        .map(|s| {
            if let Some(reference) = s.rule_group_reference_statement() {
                rule_group_reference(reference)
            } else if let Some(managed) = s.managed_rule_group_statement() {
                managed_rule_group(managed, plaintexts, 0)
            } else {
                Statement::Other { kind: "Unknown".into() }
            }
        })
        .unwrap_or(Statement::Other { kind: "Missing".into() });
    WafRule {
        name: group.name().to_string(),
        priority: i64::from(group.priority()),
        action: None,
        override_count: group.override_action().is_some_and(|o| o.count().is_some()),
        labels: Vec::new(),
        statement,
    }
}

fn rule_group_reference(reference: &waf::RuleGroupReferenceStatement) -> Statement {
    Statement::RuleGroupReference {
        arn: reference.arn().to_string(),
        excluded_rules: reference.excluded_rules().iter().map(|r| r.name().to_string()).collect(),
        rule_action_overrides: reference
            .rule_action_overrides()
            .iter()
            .filter_map(|o| {
                o.action_to_use()
                    .map(|a| RuleActionOverride { name: o.name().to_string(), action: rule_action(a) })
            })
            .collect(),
    }
}

fn managed_rule_group(
    group: &waf::ManagedRuleGroupStatement,
    plaintexts: &Plaintexts,
    depth: usize,
) -> Statement {
    let mut counted: Vec<String> = group.excluded_rules().iter().map(|r| r.name().to_string()).collect();
    counted.extend(
        group
            .rule_action_overrides()
            .iter()
            .filter(|o| o.action_to_use().is_some_and(|a| !rule_action(a).blocks()))
            .map(|o| o.name().to_string()),
    );
    counted.sort();
    counted.dedup();
    Statement::ManagedRuleGroup {
        vendor: group.vendor_name().to_string(),
        name: group.name().to_string(),
        version: group.version().map(str::to_string),
        rules_overridden_to_count: counted,
        scope_down: group.scope_down_statement().map(|s| Box::new(statement(s, depth + 1, plaintexts))),
    }
}

fn rule(rule: &waf::Rule, plaintexts: &Plaintexts) -> WafRule {
    let statement = rule
        .statement()
        .map(|s| statement(s, 0, plaintexts))
        .unwrap_or(Statement::Other { kind: "Missing".into() });
    let is_group =
        matches!(statement, Statement::ManagedRuleGroup { .. } | Statement::RuleGroupReference { .. });
    let action = match rule.action() {
        Some(action) => Some(rule_action(action)),
        // A plain rule always has an action; if AWS omitted it, assume the weakest.
        None if !is_group => Some(WafAction::Count),
        None => None,
    };
    WafRule {
        name: rule.name().to_string(),
        priority: i64::from(rule.priority()),
        action,
        override_count: rule.override_action().is_some_and(|o| o.count().is_some()),
        labels: rule.rule_labels().iter().map(|l| l.name().to_string()).collect(),
        statement,
    }
}

fn rule_action(action: &waf::RuleAction) -> WafAction {
    if action.block().is_some() {
        WafAction::Block
    } else if action.captcha().is_some() {
        WafAction::Captcha
    } else if action.challenge().is_some() {
        WafAction::Challenge
    } else if action.allow().is_some() {
        WafAction::Allow
    } else {
        // Count, or an action this build does not know: neither stops a request.
        WafAction::Count
    }
}

fn statement(s: &waf::Statement, depth: usize, plaintexts: &Plaintexts) -> Statement {
    if depth > MAX_STATEMENT_DEPTH {
        return Statement::Other { kind: "NestedTooDeep".into() };
    }
    let nested = |s: &waf::Statement| statement(s, depth + 1, plaintexts);
    if let Some(and) = s.and_statement() {
        return Statement::And { statements: and.statements().iter().map(nested).collect() };
    }
    if let Some(or) = s.or_statement() {
        return Statement::Or { statements: or.statements().iter().map(nested).collect() };
    }
    if let Some(not) = s.not_statement() {
        let inner = not.statement().map(nested).unwrap_or(Statement::Other { kind: "Missing".into() });
        return Statement::Not { statement: Box::new(inner) };
    }
    if let Some(byte_match) = s.byte_match_statement() {
        return Statement::ByteMatch {
            field: field_to_match(byte_match.field_to_match()),
            positional_constraint: byte_match.positional_constraint().as_str().to_string(),
            // The matching pass evaluates positional and transformed matches (see `matching`).
            search: plaintexts.keep_bytes(byte_match.search_string().as_ref()),
            transformations: transformations(byte_match.text_transformations()),
            test: None,
        };
    }
    if let Some(regex) = s.regex_match_statement() {
        return Statement::RegexMatch {
            field: field_to_match(regex.field_to_match()),
            pattern: plaintexts.keep_text(regex.regex_string()),
            literal: exact_literal_of_regex(regex.regex_string()).map(|l| SecretValue::from_plaintext(&l)),
            transformations: transformations(regex.text_transformations()),
            test: None,
        };
    }
    if let Some(reference) = s.regex_pattern_set_reference_statement() {
        return Statement::RegexPatternSetReference {
            arn: reference.arn().to_string(),
            field: field_to_match(reference.field_to_match()),
            transformations: transformations(reference.text_transformations()),
            test: None,
        };
    }
    if let Some(reference) = s.ip_set_reference_statement() {
        return Statement::IpSetReference {
            arn: reference.arn().to_string(),
            forwarded_ip_header: reference
                .ip_set_forwarded_ip_config()
                .map(|c| c.header_name().to_string())
                .filter(|h| !h.is_empty()),
        };
    }
    if let Some(rate) = s.rate_based_statement() {
        return Statement::RateBased {
            limit: rate.limit(),
            aggregate_key_type: rate.aggregate_key_type().as_str().to_string(),
            scope_down: rate.scope_down_statement().map(|s| Box::new(nested(s))),
        };
    }
    if let Some(group) = s.managed_rule_group_statement() {
        return managed_rule_group(group, plaintexts, depth);
    }
    if let Some(reference) = s.rule_group_reference_statement() {
        return rule_group_reference(reference);
    }
    if let Some(geo) = s.geo_match_statement() {
        return Statement::GeoMatch {
            country_codes: geo.country_codes().iter().map(|c| c.as_str().to_string()).collect(),
        };
    }
    if let Some(size) = s.size_constraint_statement() {
        return Statement::SizeConstraint {
            field: field_to_match(size.field_to_match()),
            comparison: size.comparison_operator().as_str().to_string(),
            size: size.size(),
        };
    }
    if let Some(label) = s.label_match_statement() {
        return Statement::LabelMatch {
            scope: label.scope().as_str().to_string(),
            key: label.key().to_string(),
        };
    }
    let kind = if s.sqli_match_statement().is_some() {
        "SqliMatch"
    } else if s.xss_match_statement().is_some() {
        "XssMatch"
    } else if s.asn_match_statement().is_some() {
        "AsnMatch"
    } else {
        "Unknown"
    };
    Statement::Other { kind: kind.into() }
}

fn field_to_match(field: Option<&waf::FieldToMatch>) -> FieldToMatch {
    let Some(field) = field else {
        return FieldToMatch::Other { kind: "Missing".into() };
    };
    if let Some(header) = field.single_header() {
        FieldToMatch::SingleHeader { name: header.name().to_string() }
    } else if let Some(argument) = field.single_query_argument() {
        FieldToMatch::SingleQueryArgument { name: argument.name().to_string() }
    } else if field.uri_path().is_some() {
        FieldToMatch::UriPath
    } else if field.query_string().is_some() {
        FieldToMatch::QueryString
    } else if field.method().is_some() {
        FieldToMatch::Method
    } else if field.body().is_some() {
        FieldToMatch::Body
    } else if let Some(headers) = field.headers() {
        // `Headers` whose pattern includes exactly one header, matched on its value, inspects
        // what `SingleHeader` inspects (the way CDK and Terraform users often write a header
        // gate): recorded as that, so the gate is judged. Keys, several headers or all of them
        // stay `Headers`, which is no secret-header requirement; so does OversizeHandling
        // MATCH, under which any request with more than 8 KB of headers matches whatever the
        // value (a way past an Allow rule or a NOT).
        let included =
            headers.match_pattern().map(waf::HeaderMatchPattern::included_headers).unwrap_or_default();
        let oversize_matches = matches!(headers.oversize_handling(), waf::OversizeHandling::Match);
        match (included, headers.match_scope()) {
            ([name], waf::MapMatchScope::Value) if !oversize_matches => {
                FieldToMatch::SingleHeader { name: name.to_string() }
            }
            _ => FieldToMatch::Headers,
        }
    } else if field.cookies().is_some() {
        FieldToMatch::Cookies
    } else {
        let kind = if field.all_query_arguments().is_some() {
            "AllQueryArguments"
        } else if field.json_body().is_some() {
            "JsonBody"
        } else if field.header_order().is_some() {
            "HeaderOrder"
        } else if field.ja3_fingerprint().is_some() {
            "JA3Fingerprint"
        } else if field.ja4_fingerprint().is_some() {
            "JA4Fingerprint"
        } else if field.uri_fragment().is_some() {
            "UriFragment"
        } else {
            "Unknown"
        };
        FieldToMatch::Other { kind: kind.into() }
    }
}

fn transformations(list: &[waf::TextTransformation]) -> Vec<String> {
    let mut list: Vec<&waf::TextTransformation> = list.iter().collect();
    list.sort_by_key(|t| t.priority());
    list.iter().map(|t| t.r#type().as_str().to_string()).collect()
}

fn referenced_sets(s: &Statement, ip_sets: &mut BTreeSet<String>, regex_sets: &mut BTreeSet<String>) {
    for statement in s.walk() {
        match statement {
            Statement::IpSetReference { arn, .. } => {
                ip_sets.insert(arn.clone());
            }
            Statement::RegexPatternSetReference { arn, .. } => {
                regex_sets.insert(arn.clone());
            }
            _ => {}
        }
    }
}

/// `arn:aws:wafv2:<region>:<account>:<regional|global>/ipset/<name>/<id>` → (name, id).
fn name_and_id(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.rsplit('/');
    let id = parts.next().filter(|s| !s.is_empty())?;
    let name = parts.next().filter(|s| !s.is_empty())?;
    Some((name, id))
}

/// An IP set a web ACL references. A failed read is that set's gap only
/// ([`Coverage::resource_failed`]): EA303 and EA304 say the set was not collected, and the
/// rest of the region's WAF is judged.
async fn ip_set(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_wafv2::Client,
    info: &ScopeInfo,
    arn: String,
) -> Result<IpSet, Coverage> {
    let Some((name, id)) = name_and_id(&arn) else {
        return Err(ctx.failed_resource(
            info.service,
            "GetIPSet",
            &arn,
            &CallError::new("not an IP set ARN"),
        ));
    };
    let request = client.get_ip_set().name(name).id(id).scope(info.scope.clone());
    let output = ctx
        .call(op(SDK, "GetIPSet"), request.send())
        .await
        .map_err(|error| ctx.failed_resource(info.service, "GetIPSet", &arn, &error.into()))?;
    let set = output.ip_set().ok_or_else(|| {
        ctx.failed_resource(info.service, "GetIPSet", &arn, &CallError::new("GetIPSet returned no IP set"))
    })?;
    Ok(IpSet {
        id: set.id().to_string(),
        arn: if set.arn().is_empty() { arn.clone() } else { set.arn().to_string() },
        name: set.name().to_string(),
        scope: info.inventory_scope,
        region: ctx.region.clone(),
        ip_address_version: set.ip_address_version().as_str().to_string(),
        addresses: set.addresses().to_vec(),
    })
}

/// A regex pattern set a statement references. A failed read is that set's gap only: a header
/// check on it is *could not verify*, naming the set, and the rest of the region's WAF is judged.
async fn regex_pattern_set(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_wafv2::Client,
    info: &ScopeInfo,
    arn: String,
) -> Result<RegexPatternSet, Coverage> {
    const OPERATION: &str = "GetRegexPatternSet";
    let Some((name, id)) = name_and_id(&arn) else {
        return Err(ctx.failed_resource(
            info.service,
            OPERATION,
            &arn,
            &CallError::new("not a regex pattern set ARN"),
        ));
    };
    let request = client.get_regex_pattern_set().name(name).id(id).scope(info.scope.clone());
    let output = ctx
        .call(op(SDK, OPERATION), request.send())
        .await
        .map_err(|error| ctx.failed_resource(info.service, OPERATION, &arn, &error.into()))?;
    let set = output.regex_pattern_set().ok_or_else(|| {
        ctx.failed_resource(
            info.service,
            OPERATION,
            &arn,
            &CallError::new("GetRegexPatternSet returned no set"),
        )
    })?;
    Ok(RegexPatternSet {
        id: set.id().unwrap_or(id).to_string(),
        arn: set.arn().unwrap_or(&arn).to_string(),
        name: set.name().unwrap_or(name).to_string(),
        scope: info.inventory_scope,
        region: ctx.region.clone(),
        patterns: set
            .regular_expression_list()
            .iter()
            .filter_map(|r| r.regex_string())
            .map(|pattern| RegexPattern {
                pattern: ctx.plaintexts.keep_text(pattern),
                literal: exact_literal_of_regex(pattern).map(|l| SecretValue::from_plaintext(&l)),
            })
            .collect(),
    })
}

/// GetRuleGroup for one custom rule group a web ACL references, by its ARN alone (GetRuleGroup
/// takes the ARN instead of name, id and scope; the name and id in the ARN would look the group
/// up in the caller's account, and a Firewall Manager group is the administrator account's), its
/// rules converted like an ACL's. A failure is a per-resource gap naming the group (see
/// [`Coverage::resource_failed`]).
async fn rule_group(
    ctx: &RegionContext<'_>,
    client: &aws_sdk_wafv2::Client,
    info: &ScopeInfo,
    arn: String,
) -> Result<RuleGroup, Coverage> {
    const OPERATION: &str = "GetRuleGroup";
    let failed = |error: &CallError| ctx.failed_resource(info.service, OPERATION, &arn, error);
    let (name, id) = name_and_id(&arn).unwrap_or_default();
    let request = client.get_rule_group().arn(&arn);
    let output = ctx.call(op(SDK, OPERATION), request.send()).await.map_err(|error| failed(&error.into()))?;
    let group =
        output.rule_group().ok_or_else(|| failed(&CallError::new("GetRuleGroup returned no rule group")))?;
    Ok(RuleGroup {
        id: if group.id().is_empty() { id.to_string() } else { group.id().to_string() },
        arn: arn.clone(),
        name: if group.name().is_empty() { name.to_string() } else { group.name().to_string() },
        scope: info.inventory_scope,
        region: ctx.region.clone(),
        rules: group.rules().iter().map(|r| rule(r, ctx.plaintexts)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers_field(
        included: &[&str],
        scope: waf::MapMatchScope,
        oversize: waf::OversizeHandling,
    ) -> waf::FieldToMatch {
        let mut pattern = waf::HeaderMatchPattern::builder();
        for name in included {
            pattern = pattern.included_headers(*name);
        }
        let headers = waf::Headers::builder()
            .match_pattern(pattern.build())
            .match_scope(scope)
            .oversize_handling(oversize)
            .build()
            .expect("a Headers field");
        waf::FieldToMatch::builder().headers(headers).build()
    }

    #[test]
    fn a_headers_field_on_one_value_is_that_header_and_nothing_weaker_is() {
        use waf::{MapMatchScope as Scope, OversizeHandling as Oversize};
        let single = FieldToMatch::SingleHeader { name: "x-origin-verify".into() };
        let cases = [
            (headers_field(&["x-origin-verify"], Scope::Value, Oversize::NoMatch), single.clone()),
            (headers_field(&["x-origin-verify"], Scope::Value, Oversize::Continue), single),
            // More than 8 KB of headers matches whatever the value.
            (headers_field(&["x-origin-verify"], Scope::Value, Oversize::Match), FieldToMatch::Headers),
            (headers_field(&["x-origin-verify"], Scope::Key, Oversize::NoMatch), FieldToMatch::Headers),
            (headers_field(&["x-origin-verify"], Scope::All, Oversize::NoMatch), FieldToMatch::Headers),
            (
                headers_field(&["x-origin-verify", "x-b"], Scope::Value, Oversize::NoMatch),
                FieldToMatch::Headers,
            ),
            (headers_field(&[], Scope::Value, Oversize::NoMatch), FieldToMatch::Headers),
        ];
        for (field, expected) in cases {
            assert_eq!(field_to_match(Some(&field)), expected, "{field:?}");
        }
    }
}
