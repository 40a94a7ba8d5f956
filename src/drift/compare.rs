//! The comparison itself: resource by resource, setting by setting.

use super::{Change, ChangeType, Classification, NotCompared};
use edge_audit_checks::index::Index;
use edge_audit_checks::inventory::*;

use edge_audit_checks::resource::AsResource;
use edge_audit_checks::{CheckOptions, ResourceRef};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

use ChangeType as T;

/// Compares two inventories (`before` the baseline, `after` the current state): what changed,
/// resource by resource, and what could not be compared. It only describes: every change is
/// `neutral` here, and [`super::classify`] decides weakened or strengthened from the perimeter
/// model and the findings of both inventories, so that drift and scan never disagree.
pub fn compare(
    before: &Inventory,
    after: &Inventory,
    options: &CheckOptions,
) -> (Vec<Change>, Vec<NotCompared>) {
    let mut cx = Cx { options, changes: Vec::new(), not_compared: BTreeSet::new() };
    let before_accounts: BTreeMap<&str, &AccountInventory> =
        before.accounts.iter().map(|a| (a.account_id.as_str(), a)).collect();
    let after_accounts: BTreeMap<&str, &AccountInventory> =
        after.accounts.iter().map(|a| (a.account_id.as_str(), a)).collect();
    for (id, b) in &before_accounts {
        match after_accounts.get(id) {
            Some(a) => cx.account(b, a),
            None => {
                cx.not_compared.insert(NotCompared {
                    account: id.to_string(),
                    scope: "account".to_string(),
                    reason: "the account is in the baseline inventory only".to_string(),
                });
            }
        }
    }
    for id in after_accounts.keys().filter(|id| !before_accounts.contains_key(*id)) {
        cx.not_compared.insert(NotCompared {
            account: id.to_string(),
            scope: "account".to_string(),
            reason: "the account is in the current inventory only".to_string(),
        });
    }
    let mut changes = cx.changes;
    changes.sort_by(|x, y| {
        (&x.resource.arn, x.change_type, &x.detail).cmp(&(&y.resource.arn, y.change_type, &y.detail))
    });
    (changes, cx.not_compared.into_iter().collect())
}

struct Cx<'o> {
    options: &'o CheckOptions,
    changes: Vec<Change>,
    not_compared: BTreeSet<NotCompared>,
}

/// Pairs two lists by key: (before, after) with either side missing.
fn pair<'a, T, K: Ord>(
    before: &'a [T],
    after: &'a [T],
    key: impl Fn(&'a T) -> K,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut map: BTreeMap<K, (Option<&'a T>, Option<&'a T>)> = BTreeMap::new();
    for item in before {
        map.entry(key(item)).or_default().0 = Some(item);
    }
    for item in after {
        map.entry(key(item)).or_default().1 = Some(item);
    }
    map.into_values().collect()
}

/// Which parts of a REST API both inventories read completely: its stages (the region's
/// GetStages) and its methods (the region, and the API's own GetResources).
#[derive(Debug, Clone, Copy)]
struct Read {
    stages: bool,
    methods: bool,
}

impl Cx<'_> {
    fn push(
        &mut self,
        resource: ResourceRef,
        change_type: ChangeType,
        detail: impl Into<String>,
        summary: String,
        before: Value,
        after: Value,
    ) {
        self.changes.push(Change {
            resource,
            change_type,
            classification: Classification::Neutral,
            detail: detail.into(),
            summary,
            before,
            after,
            appeared: Vec::new(),
            disappeared: Vec::new(),
        });
    }

    /// Created or deleted, when the side that lacks the resource read its service; otherwise
    /// not compared.
    #[allow(clippy::too_many_arguments)]
    fn created_or_deleted(
        &mut self,
        b: &AccountInventory,
        a: &AccountInventory,
        region: &str,
        service: Service,
        resource: ResourceRef,
        exists_after: bool,
        types: (ChangeType, ChangeType),
        what: &str,
    ) {
        let (missing_in, change_type, verb) =
            if exists_after { (b, types.0, "created") } else { (a, types.1, "deleted") };
        if !missing_in.is_collected(region, service) {
            self.not_compared.insert(NotCompared {
                account: a.account_id.clone(),
                scope: region.to_string(),
                reason: format!(
                    "{service} was not read completely in {region} of the {} inventory: created or deleted \
                     {what}s cannot be told apart from unread ones",
                    if exists_after { "baseline" } else { "current" }
                ),
            });
            return;
        }
        let label = resource.name.clone().unwrap_or_else(|| resource.id.clone());
        let (before, after) = if exists_after {
            (Value::Null, json!({ "exists": true }))
        } else {
            (json!({ "exists": true }), Value::Null)
        };
        self.push(
            resource.clone(),
            change_type,
            "",
            format!("{} {} ({label}) was {verb}", capitalize(what), resource.id),
            before,
            after,
        );
    }

    fn account(&mut self, b: &AccountInventory, a: &AccountInventory) {
        let (bi, ai) = (Index::build(b), Index::build(a));
        let account = a.account_id.as_str();
        for (x, y) in pair(&b.distributions, &a.distributions, |d| d.arn.as_str()) {
            match (x, y) {
                (Some(x), Some(y)) => self.distribution(account, x, y, &bi, &ai),
                (Some(d), None) | (None, Some(d)) => self.created_or_deleted(
                    b,
                    a,
                    GLOBAL_REGION,
                    Service::Cloudfront,
                    d.resource(account),
                    y.is_some(),
                    (T::DistributionCreated, T::DistributionDeleted),
                    "distribution",
                ),
                (None, None) => {}
            }
        }
        for (x, y) in pair(&b.distribution_tenants, &a.distribution_tenants, |t| t.arn.as_str()) {
            match (x, y) {
                (Some(x), Some(y)) => {
                    // The ACL in front of the tenant's traffic: its override, the parent's, or
                    // none when it disables it.
                    let acl_of =
                        |tenant: &DistributionTenant, inventory: &AccountInventory| -> Option<String> {
                            match tenant.effective_acl(parent_of(tenant, inventory)?) {
                                TenantAcl::Inherited(acl) => acl.map(str::to_string),
                                TenantAcl::Override(acl) => Some(acl.to_string()),
                                TenantAcl::Disabled => None,
                            }
                        };
                    let (acl_x, acl_y) = (acl_of(x, b), acl_of(y, a));
                    self.web_acl(y.resource(account), "", acl_x.as_deref(), acl_y.as_deref());
                    self.tenant_origins(account, (x, b), (y, a));
                }
                (Some(t), None) | (None, Some(t)) => self.created_or_deleted(
                    b,
                    a,
                    GLOBAL_REGION,
                    Service::Cloudfront,
                    t.resource(account),
                    y.is_some(),
                    (T::DistributionCreated, T::DistributionDeleted),
                    "distribution tenant",
                ),
                (None, None) => {}
            }
        }
        for (x, y) in pair(&b.rest_apis, &a.rest_apis, |api| api.arn.as_str()) {
            match (x, y) {
                (Some(x), Some(y)) => {
                    let stages = self.both_read(b, a, &y.region, Service::Apigateway, "stages and methods");
                    // The API's own resources may be unread while the region (its stages) was.
                    let methods =
                        stages && self.resource_read(b, a, Service::Apigateway, &y.arn, "its methods");
                    self.rest_api(account, x, y, Read { stages, methods })
                }
                (Some(api), None) | (None, Some(api)) => self.created_or_deleted(
                    b,
                    a,
                    &api.region,
                    Service::Apigateway,
                    api.resource(account),
                    y.is_some(),
                    (T::ApiCreated, T::ApiDeleted),
                    "REST API",
                ),
                (None, None) => {}
            }
        }
        for (x, y) in pair(&b.http_apis, &a.http_apis, |api| api.arn.as_str()) {
            match (x, y) {
                (Some(x), Some(y)) => {
                    let complete = self.both_read(b, a, &y.region, Service::Apigatewayv2, "routes")
                        && self.resource_read(b, a, Service::Apigatewayv2, &y.arn, "its routes");
                    self.http_api(account, x, y, complete)
                }
                (Some(api), None) | (None, Some(api)) => self.created_or_deleted(
                    b,
                    a,
                    &api.region,
                    Service::Apigatewayv2,
                    api.resource(account),
                    y.is_some(),
                    (T::ApiCreated, T::ApiDeleted),
                    "HTTP API",
                ),
                (None, None) => {}
            }
        }
        for (x, y) in pair(&b.domain_names, &a.domain_names, |d| (d.region.as_str(), d.name.as_str())) {
            // A domain created or deleted changes no API's exposure by itself (its mappings
            // reach APIs that are compared on their own); its routing is compared when both
            // inventories hold it.
            if let (Some(x), Some(y)) = (x, y) {
                self.domain_routing(account, x, y);
            }
        }
        for (x, y) in pair(&b.load_balancers, &a.load_balancers, |lb| lb.arn.as_str()) {
            match (x, y) {
                (Some(x), Some(y)) => self.load_balancer(account, x, y),
                (Some(lb), None) | (None, Some(lb)) => self.created_or_deleted(
                    b,
                    a,
                    &lb.region,
                    Service::Elbv2,
                    lb.resource(account),
                    y.is_some(),
                    (T::LoadBalancerCreated, T::LoadBalancerDeleted),
                    "load balancer",
                ),
                (None, None) => {}
            }
        }
        for (x, y) in pair(&b.web_acls, &a.web_acls, |acl| acl.arn.as_str()) {
            match (x, y) {
                (Some(x), Some(y)) => self.web_acl_rules(account, x, y),
                (Some(acl), None) | (None, Some(acl)) => {
                    let (region, service) = match acl.scope {
                        WafScope::Cloudfront => (GLOBAL_REGION, Service::WafCloudfront),
                        WafScope::Regional => (acl.region.as_str(), Service::WafRegional),
                    };
                    self.created_or_deleted(
                        b,
                        a,
                        region,
                        service,
                        acl.resource(account),
                        y.is_some(),
                        (T::WebAclCreated, T::WebAclDeleted),
                        "web ACL",
                    );
                }
                (None, None) => {}
            }
        }
        for (x, y) in pair(&b.security_groups, &a.security_groups, |sg| sg.arn.as_str()) {
            match (x, y) {
                (Some(x), Some(y)) => self.security_group(account, x, y),
                (Some(sg), None) | (None, Some(sg)) => self.created_or_deleted(
                    b,
                    a,
                    &sg.region,
                    Service::Ec2,
                    sg.resource(account),
                    y.is_some(),
                    (T::SecurityGroupCreated, T::SecurityGroupDeleted),
                    "security group",
                ),
                (None, None) => {}
            }
        }
        for (x, y) in pair(&b.lambda_functions, &a.lambda_functions, |f| f.arn.as_str()) {
            if let (Some(x), Some(y)) = (x, y) {
                self.lambda(account, x, y);
            }
        }
    }

    /// A web ACL association that changed on `resource` (distribution, stage, load balancer).
    fn web_acl(&mut self, resource: ResourceRef, detail: &str, x: Option<&str>, y: Option<&str>) {
        let x = x.filter(|s| !s.is_empty());
        let y = y.filter(|s| !s.is_empty());
        let target =
            if detail.is_empty() { resource.id.clone() } else { format!("{} {detail}", resource.id) };
        let (change_type, summary) = match (x, y) {
            (None, Some(acl)) => {
                (T::WebAclAssociated, format!("{target} is now protected by web ACL {}", short(acl)))
            }
            (Some(acl), None) => (T::WebAclRemoved, format!("{target} lost its web ACL {}", short(acl))),
            (Some(p), Some(q)) if p != q => {
                (T::WebAclReplaced, format!("{target}: web ACL {} replaced by {}", short(p), short(q)))
            }
            _ => return,
        };
        self.push(resource, change_type, detail, summary, json!({ "web_acl": x }), json!({ "web_acl": y }));
    }

    fn distribution(
        &mut self,
        account: &str,
        x: &Distribution,
        y: &Distribution,
        bi: &Index<'_>,
        ai: &Index<'_>,
    ) {
        let resource = y.resource(account);
        self.web_acl(resource.clone(), "", x.web_acl_id.as_deref(), y.web_acl_id.as_deref());
        for (ox, oy) in pair(&x.origins, &y.origins, |o| o.id.as_str()) {
            let (Some(ox), Some(oy)) = (ox, oy) else { continue };
            if origin_target(ox) != origin_target(oy) {
                self.push(
                    resource.clone(),
                    T::OriginTargetChanged,
                    format!("origin {}", oy.id),
                    format!(
                        "Distribution {}: origin {} now reaches {} instead of {}",
                        y.id,
                        oy.id,
                        origin_target_text(oy),
                        origin_target_text(ox)
                    ),
                    origin_target(ox),
                    origin_target(oy),
                );
            }
            let secret = |o: &Origin| -> BTreeMap<String, OriginHeader> {
                o.custom_headers
                    .iter()
                    .filter(|h| self.options.is_secret_header(&h.name))
                    .map(|h| (h.name.to_ascii_lowercase(), h.clone()))
                    .collect()
            };
            let (hx, hy) = (secret(ox), secret(oy));
            let names: BTreeSet<&String> = hx.keys().chain(hy.keys()).collect();
            for name in names {
                let detail = format!("origin {}, header {name}", oy.id);
                let (change_type, verb) = match (hx.get(name), hy.get(name)) {
                    (None, Some(_)) => (T::OriginSecretAdded, "now sends"),
                    (Some(_), None) => (T::OriginSecretRemoved, "no longer sends"),
                    (Some(p), Some(q)) if !p.value.same_value(&q.value) => {
                        (T::OriginSecretRotated, "sends a new value of")
                    }
                    _ => continue,
                };
                let side = |h: Option<&OriginHeader>| match h {
                    Some(h) => json!({ "header": h.name, "value": h.value }),
                    None => Value::Null,
                };
                self.push(
                    resource.clone(),
                    change_type,
                    detail,
                    format!("Distribution {}: origin {} {verb} secret header {name}", y.id, oy.id),
                    side(hx.get(name)),
                    side(hy.get(name)),
                );
            }
        }
        // Cache policies of behaviors that serve an API (or anything dynamic).
        let behaviors = |d: &'_ Distribution| -> Vec<CacheBehavior> { d.all_behaviors().cloned().collect() };
        let (bx, by) = (behaviors(x), behaviors(y));
        for (cx, cy) in pair(&bx, &by, |b| b.pattern().to_string()) {
            let (Some(cx), Some(cy)) = (cx, cy) else { continue };
            self.edge_functions(&resource, &y.id, cx, cy);
            if cx.cache_policy_id == cy.cache_policy_id {
                continue;
            }
            let policy = |index: &Index<'_>, id: &Option<String>| -> Value {
                match id {
                    None => Value::Null,
                    Some(id) => match index.cache_policy(id) {
                        Some(p) => {
                            json!({ "id": p.id, "name": p.name, "default_ttl": p.default_ttl, "max_ttl": p.max_ttl })
                        }
                        None => json!({ "id": id }),
                    },
                }
            };
            let name = |v: &Value| {
                v.get("name")
                    .or_else(|| v.get("id"))
                    .and_then(Value::as_str)
                    .unwrap_or("(legacy settings)")
                    .to_string()
            };
            let (px, py) = (policy(bi, &cx.cache_policy_id), policy(ai, &cy.cache_policy_id));
            self.push(
                resource.clone(),
                T::CachePolicyChanged,
                format!("behavior {}", cy.pattern()),
                format!(
                    "Distribution {}: behavior {} now uses cache policy {} instead of {}",
                    y.id,
                    cy.pattern(),
                    name(&py),
                    name(&px)
                ),
                px,
                py,
            );
        }
    }

    /// A custom domain's routing mode or rules: the rules (secret-free: header globs are kept as
    /// fingerprints) and the APIs they send requests to, before and after.
    fn domain_routing(&mut self, account: &str, x: &ApiDomainName, y: &ApiDomainName) {
        let mode =
            |d: &ApiDomainName| d.routing_mode.clone().unwrap_or_else(|| "BASE_PATH_MAPPING_ONLY".into());
        let rules = |d: &ApiDomainName| {
            let mut rules = d.routing_rules.clone();
            rules.sort_by(|p, q| (p.priority, &p.id).cmp(&(q.priority, &q.id)));
            rules
        };
        let (rx, ry) = (rules(x), rules(y));
        if mode(x) == mode(y) && rx == ry {
            return;
        }
        let side = |d: &ApiDomainName, rules: &[RoutingRule]| {
            let api_ids: BTreeSet<&str> = d.routes().iter().map(|r| r.api_id).collect();
            json!({ "routing_mode": mode(d), "routing_rules": rules, "api_ids": api_ids })
        };
        let what = if mode(x) != mode(y) {
            format!("routing mode changed from {} to {}", mode(x), mode(y))
        } else {
            let ids =
                |rules: &[RoutingRule]| -> BTreeSet<String> { rules.iter().map(|r| r.id.clone()).collect() };
            let (ix, iy) = (ids(&rx), ids(&ry));
            let added: Vec<&String> = iy.difference(&ix).collect();
            let removed: Vec<&String> = ix.difference(&iy).collect();
            let changed: Vec<&String> = ix
                .intersection(&iy)
                .filter(|id| rx.iter().find(|r| &r.id == *id) != ry.iter().find(|r| &r.id == *id))
                .collect();
            let list = |label: &str, ids: &[&String]| {
                (!ids.is_empty()).then(|| {
                    format!("{label} {}", ids.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))
                })
            };
            [list("added", &added), list("removed", &removed), list("changed", &changed)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ")
        };
        let resource = ResourceRef {
            arn: format!("arn:aws:apigateway:{}::/domainnames/{}", y.region, y.name),
            id: y.name.clone(),
            resource_type: "apigateway/domainname".to_string(),
            name: Some(y.name.clone()),
            region: y.region.clone(),
            account: account.to_string(),
        };
        self.push(
            resource,
            T::RoutingRulesChanged,
            "",
            format!("Custom domain {}: routing rules {what}", y.name),
            side(x, &rx),
            side(y, &ry),
        );
    }

    /// A tenant's filled-in origins: where each templated origin of its distribution takes
    /// this tenant's requests, when the tenant's parameters (or the distribution's defaults)
    /// changed and the template did not (a changed template is the distribution's own change).
    /// When a side cannot fill the template in (parameters or defaults not read), the origin is
    /// not compared, never reported moved.
    fn tenant_origins(
        &mut self,
        account: &str,
        (x, before): (&DistributionTenant, &AccountInventory),
        (y, after): (&DistributionTenant, &AccountInventory),
    ) {
        let (Some(px), Some(py)) = (parent_of(x, before), parent_of(y, after)) else { return };
        for (ox, oy) in pair(&px.origins, &py.origins, |o| o.id.as_str()) {
            let (Some(ox), Some(oy)) = (ox, oy) else { continue };
            if !oy.is_tenant_template() || origin_target(ox) != origin_target(oy) {
                continue;
            }
            let filled = |o: &Origin, tenant: &DistributionTenant, parent: &Distribution| {
                o.for_tenant(tenant, parent.tenant_parameters.as_deref()).map(|f| origin_target(&f))
            };
            let (fx, fy) = match (filled(ox, x, px), filled(oy, y, py)) {
                (Ok(fx), Ok(fy)) => (fx, fy),
                // Parameters or defaults not read on a side: where the tenant went is unknown.
                (Err(why), _) | (_, Err(why)) => {
                    self.not_compared.insert(NotCompared {
                        account: account.to_string(),
                        scope: GLOBAL_REGION.to_string(),
                        reason: format!("origin {} of tenant {} ({}): {why}", oy.id, y.name, y.id),
                    });
                    continue;
                }
            };
            if fx == fy {
                continue;
            }
            self.push(
                y.resource(account),
                T::OriginTargetChanged,
                format!("origin {}", oy.id),
                format!(
                    "Tenant {} ({}) of distribution {}: origin {} now reaches {} instead of {}",
                    y.name,
                    y.id,
                    y.distribution_id,
                    oy.id,
                    target_text(&fy),
                    target_text(&fx)
                ),
                fx,
                fy,
            );
        }
    }

    /// A behavior's edge code: its Lambda@Edge and CloudFront Function associations.
    fn edge_functions(
        &mut self,
        resource: &ResourceRef,
        distribution_id: &str,
        x: &CacheBehavior,
        y: &CacheBehavior,
    ) {
        let code = |b: &CacheBehavior| -> BTreeSet<(String, String, &'static str)> {
            b.lambda_function_associations
                .iter()
                .map(|a| (a.event_type.clone(), a.function_arn.clone(), "lambda@edge"))
                .chain(
                    b.function_associations
                        .iter()
                        .map(|a| (a.event_type.clone(), a.function_arn.clone(), "cloudfront-function")),
                )
                .collect()
        };
        let (cx, cy) = (code(x), code(y));
        if cx == cy {
            return;
        }
        let describe = |set: &BTreeSet<&(String, String, &'static str)>| {
            set.iter()
                .map(|(event, arn, kind)| format!("{kind} {} on {event}", function_name(arn)))
                .collect::<Vec<_>>()
        };
        let added = describe(&cy.difference(&cx).collect());
        let removed = describe(&cx.difference(&cy).collect());
        let mut what = Vec::new();
        if !added.is_empty() {
            what.push(format!("now runs {}", added.join(", ")));
        }
        if !removed.is_empty() {
            what.push(format!("no longer runs {}", removed.join(", ")));
        }
        let side = |set: &BTreeSet<(String, String, &'static str)>| {
            Value::Array(
                set.iter()
                    .map(|(event, arn, kind)| json!({ "kind": kind, "event_type": event, "function_arn": arn }))
                    .collect(),
            )
        };
        self.push(
            resource.clone(),
            T::EdgeFunctionsChanged,
            format!("behavior {}", y.pattern()),
            format!("Distribution {distribution_id}: behavior {} {}", y.pattern(), what.join("; ")),
            side(&cx),
            side(&cy),
        );
    }

    fn execute_api(&mut self, resource: &ResourceRef, x: bool, y: bool) {
        // The fields hold `disable_execute_api_endpoint`.
        let (change_type, state) = match (x, y) {
            (true, false) => (T::ExecuteApiEndpointEnabled, "enabled again"),
            (false, true) => (T::ExecuteApiEndpointDisabled, "disabled"),
            _ => return,
        };
        self.push(
            resource.clone(),
            change_type,
            "",
            format!("API {}: the default execute-api endpoint is {state}", resource.id),
            json!({ "disable_execute_api_endpoint": x }),
            json!({ "disable_execute_api_endpoint": y }),
        );
    }

    /// API key and authorization changes of one method or route.
    #[allow(clippy::too_many_arguments)]
    fn access(
        &mut self,
        resource: &ResourceRef,
        what: &str,
        key_x: bool,
        key_y: bool,
        auth_x: (&str, Option<&str>),
        auth_y: (&str, Option<&str>),
    ) {
        if key_x != key_y {
            let verb = if key_y { "now requires" } else { "no longer requires" };
            self.push(
                resource.clone(),
                T::ApiKeyRequirementChanged,
                what,
                format!("API {}: {what} {verb} an API key", resource.id),
                json!({ "api_key_required": key_x }),
                json!({ "api_key_required": key_y }),
            );
        }
        if auth_x != auth_y {
            let label = |t: &str| if t.is_empty() { "NONE".to_string() } else { t.to_string() };
            self.push(
                resource.clone(),
                T::AuthorizationChanged,
                what,
                format!(
                    "API {}: authorization of {what} changed from {} to {}",
                    resource.id,
                    label(auth_x.0),
                    label(auth_y.0)
                ),
                json!({ "authorization_type": auth_x.0, "authorizer_id": auth_x.1 }),
                json!({ "authorization_type": auth_y.0, "authorizer_id": auth_y.1 }),
            );
        }
    }

    /// Whether `service` was read completely in `region` of both inventories, so that a part of
    /// a resource present on one side only (a stage, a method) was really created or deleted.
    /// Otherwise records that `what` could not be compared there.
    fn both_read(
        &mut self,
        b: &AccountInventory,
        a: &AccountInventory,
        region: &str,
        service: Service,
        what: &str,
    ) -> bool {
        if b.is_collected(region, service) && a.is_collected(region, service) {
            return true;
        }
        self.not_compared.insert(NotCompared {
            account: a.account_id.clone(),
            scope: region.to_string(),
            reason: format!(
                "{service} was not read completely in {region} of both inventories: {what} created or \
                 deleted cannot be told apart from unread ones"
            ),
        });
        false
    }

    /// Whether `resource` was read completely in both inventories (no per-resource failed
    /// read names it: see `CoverageStatus::ResourceFailed`). Otherwise records that `what` of it
    /// could not be compared.
    fn resource_read(
        &mut self,
        b: &AccountInventory,
        a: &AccountInventory,
        service: Service,
        resource: &str,
        what: &str,
    ) -> bool {
        let failed = [("baseline", b), ("current", a)]
            .into_iter()
            .find_map(|(side, inventory)| inventory.resource_failure(service, resource).map(|c| (side, c)));
        let Some((side, failure)) = failed else { return true };
        self.not_compared.insert(NotCompared {
            account: a.account_id.clone(),
            scope: resource.to_string(),
            reason: format!(
                "{resource} was not read completely in the {side} inventory ({}): {what} created or deleted \
                 cannot be told apart from unread ones",
                failure.failed_read()
            ),
        });
        false
    }

    fn rest_api(&mut self, account: &str, x: &RestApi, y: &RestApi, read: Read) {
        let resource = y.resource(account);
        self.execute_api(&resource, x.disable_execute_api_endpoint, y.disable_execute_api_endpoint);
        if x.endpoint_types != y.endpoint_types {
            self.push(
                resource.clone(),
                T::EndpointTypeChanged,
                "",
                format!(
                    "API {}: endpoint type changed from {} to {}",
                    y.id,
                    x.endpoint_types.join(","),
                    y.endpoint_types.join(",")
                ),
                json!({ "endpoint_types": x.endpoint_types }),
                json!({ "endpoint_types": y.endpoint_types }),
            );
        }
        for (sx, sy) in pair(&x.stages, &y.stages, |s| s.name.as_str()) {
            match (sx, sy) {
                (Some(sx), Some(sy)) => self.web_acl(
                    resource.clone(),
                    &format!("stage {}", sy.name),
                    sx.web_acl_arn.as_deref(),
                    sy.web_acl_arn.as_deref(),
                ),
                (None, Some(stage)) if read.stages => self.stage(&resource, &y.id, stage, true, &x.stages),
                (Some(stage), None) if read.stages => self.stage(&resource, &y.id, stage, false, &y.stages),
                (None, Some(_)) | (Some(_), None) => {}
                (None, None) => {}
            }
        }
        let methods = |api: &RestApi| -> Vec<(String, RestMethod)> {
            api.methods().map(|(path, m)| (format!("{} {path}", m.http_method), m.clone())).collect()
        };
        let (mx, my) = (methods(x), methods(y));
        for (p, q) in pair(&mx, &my, |(k, _)| k.clone()) {
            match (p, q) {
                (Some((what, p)), Some((_, q))) => self.access(
                    &resource,
                    what,
                    p.api_key_required,
                    q.api_key_required,
                    (&p.authorization_type, p.authorizer_id.as_deref()),
                    (&q.authorization_type, q.authorizer_id.as_deref()),
                ),
                (None, Some((what, m))) | (Some((what, m)), None) if read.methods => self.route(
                    &resource,
                    "method",
                    what,
                    (&m.authorization_type, m.api_key_required),
                    q.is_some(),
                ),
                // On one side only where the service was not read completely on both: not
                // compared (`both_read` said so).
                _ => {}
            }
        }
    }

    fn http_api(&mut self, account: &str, x: &HttpApi, y: &HttpApi, complete: bool) {
        let resource = y.resource(account);
        self.execute_api(&resource, x.disable_execute_api_endpoint, y.disable_execute_api_endpoint);
        for (p, q) in pair(&x.routes, &y.routes, |r| r.route_key.as_str()) {
            match (p, q) {
                (Some(p), Some(q)) => self.access(
                    &resource,
                    &q.route_key,
                    p.api_key_required,
                    q.api_key_required,
                    (&p.authorization_type, p.authorizer_id.as_deref()),
                    (&q.authorization_type, q.authorizer_id.as_deref()),
                ),
                (None, Some(r)) | (Some(r), None) if complete => self.route(
                    &resource,
                    "route",
                    &r.route_key,
                    (&r.authorization_type, r.api_key_required),
                    q.is_some(),
                ),
                // On one side only where the service was not read completely on both: not
                // compared (`both_read` said so).
                _ => {}
            }
        }
    }

    /// A REST API stage that exists on one side only. A new stage without a web ACL where the
    /// API's other stages had one is a gap in the perimeter; deleting such a stage closes one.
    fn stage(
        &mut self,
        resource: &ResourceRef,
        api_id: &str,
        stage: &RestStage,
        created: bool,
        others: &[RestStage],
    ) {
        let others_protected = others.iter().any(|s| s.web_acl_arn.is_some());
        let unprotected = stage.web_acl_arn.is_none() && others_protected;
        let (change_type, verb) = match (created, unprotected) {
            (true, true) => (T::StageCreated, "was created without the web ACL its other stages have"),
            (true, false) => (T::StageCreated, "was created"),
            (false, true) => (T::StageDeleted, "(without the web ACL its other stages have) was deleted"),
            (false, false) => (T::StageDeleted, "was deleted"),
        };
        let side = json!({ "stage": stage.name, "web_acl": stage.web_acl_arn });
        let (before, after) = if created { (Value::Null, side) } else { (side, Value::Null) };
        self.push(
            resource.clone(),
            change_type,
            format!("stage {}", stage.name),
            format!("API {api_id}: stage {} {verb}", stage.name),
            before,
            after,
        );
    }

    /// A REST API method or HTTP API route that exists on one side only. One that anybody may
    /// call (authorization NONE, no API key) widens the surface when it appears and narrows it
    /// when it goes.
    fn route(
        &mut self,
        resource: &ResourceRef,
        kind: &str,
        what: &str,
        (authorization, api_key_required): (&str, bool),
        created: bool,
    ) {
        let open = authorization.eq_ignore_ascii_case("NONE") && !api_key_required;
        let change_type = if created { T::RouteCreated } else { T::RouteDeleted };
        let access = if open {
            "open to anybody (authorization NONE, no API key)".to_string()
        } else {
            format!(
                "authorization {authorization}{}",
                if api_key_required { ", API key required" } else { "" }
            )
        };
        let side = json!({ "authorization_type": authorization, "api_key_required": api_key_required });
        let (before, after) = if created { (Value::Null, side) } else { (side, Value::Null) };
        self.push(
            resource.clone(),
            change_type,
            format!("{kind} {what}"),
            format!(
                "API {}: {kind} {what} was {} ({access})",
                resource.id,
                if created { "created" } else { "deleted" }
            ),
            before,
            after,
        );
    }

    /// Changes of one web ACL's own configuration: its default action and its rules (matched by
    /// name). Rule statements are compared whole (match strings by fingerprint) and shown only as
    /// "changed": they can carry secrets.
    fn web_acl_rules(&mut self, account: &str, x: &WebAcl, y: &WebAcl) {
        let resource = y.resource(account);
        if x.default_action != y.default_action {
            self.push(
                resource.clone(),
                T::WebAclDefaultActionChanged,
                "",
                format!(
                    "Web ACL {}: default action changed from {} to {}",
                    y.name,
                    action_name(x.default_action),
                    action_name(y.default_action)
                ),
                json!({ "default_action": x.default_action }),
                json!({ "default_action": y.default_action }),
            );
        }
        // An Allow rule lets requests past the default action only where that action blocks.
        let opens = |rule: &WafRule, acl: &WebAcl| {
            rule.action == Some(WafAction::Allow) && acl.default_action.blocks()
        };
        let mut notes = Vec::new();
        for (p, q) in pair(&x.rules, &y.rules, |r| r.name.as_str()) {
            let note = match (p, q) {
                (Some(p), Some(q)) if p.same_configuration(q) => continue,
                (Some(p), Some(q)) => {
                    if p.enforces() && !q.enforces() {
                        "no longer blocks"
                    } else if !p.enforces() && q.enforces() {
                        "now blocks"
                    } else if opens(q, y) && !opens(p, x) {
                        "now allows"
                    } else if opens(p, x) && !opens(q, y) {
                        "no longer allows"
                    } else if !p.statement.same_configuration(&q.statement) {
                        "has a changed statement"
                    } else {
                        "changed priority"
                    }
                }
                (None, Some(q)) if q.enforces() => "was added (blocks)",
                (None, Some(q)) if opens(q, y) => "was added (allows)",
                (None, Some(_)) => "was added",
                (Some(p), None) if p.enforces() => "was removed (it blocked)",
                (Some(p), None) if opens(p, x) => "was removed (it allowed)",
                (Some(_), None) => "was removed",
                (None, None) => continue,
            };
            let name = q.or(p).map(|r| r.name.as_str()).unwrap_or_default();
            notes.push(format!("rule {name} {note}"));
        }
        if notes.is_empty() {
            return;
        }
        let rules = |acl: &WebAcl| -> Value {
            Value::Array(
                acl.rules
                    .iter()
                    .map(|r| {
                        json!({ "name": r.name, "priority": r.priority, "action": r.action,
                                "override_count": r.override_count, "enforces": r.enforces() })
                    })
                    .collect(),
            )
        };
        self.push(
            resource,
            T::WebAclRulesChanged,
            "",
            format!("Web ACL {}: {}", y.name, notes.join("; ")),
            json!({ "rules": rules(x) }),
            json!({ "rules": rules(y) }),
        );
    }

    fn load_balancer(&mut self, account: &str, x: &LoadBalancer, y: &LoadBalancer) {
        let resource = y.resource(account);
        self.web_acl(resource.clone(), "", x.web_acl_arn.as_deref(), y.web_acl_arn.as_deref());
        for (lx, ly) in pair(&x.listeners, &y.listeners, |l| (l.port, l.protocol.clone())) {
            if lx.map(Listener::configuration) == ly.map(Listener::configuration) {
                continue;
            }
            let l = ly.or(lx);
            let (port, protocol) = l.map(|l| (l.port, l.protocol.clone())).unwrap_or_default();
            let state = match (lx, ly) {
                (None, Some(_)) => "was added",
                (Some(_), None) => "was removed",
                _ => "has new rules or default actions",
            };
            let side = |l: Option<&Listener>| match l {
                Some(l) => json!({ "default_actions": l.default_actions, "rules": l.rules }),
                None => Value::Null,
            };
            self.push(
                resource.clone(),
                T::ListenerRulesChanged,
                format!("listener {protocol}:{port}"),
                format!("Load balancer {}: listener {protocol}:{port} {state}", y.name),
                side(lx),
                side(ly),
            );
        }
    }

    fn security_group(&mut self, account: &str, x: &SecurityGroup, y: &SecurityGroup) {
        let atoms = |sg: &SecurityGroup| -> BTreeSet<(String, String, bool)> {
            let mut out = BTreeSet::new();
            for r in &sg.ingress {
                let ports = match (r.from_port, r.to_port) {
                    (Some(f), Some(t)) if f == t => format!("{}/{f}", r.protocol),
                    (Some(f), Some(t)) => format!("{}/{f}-{t}", r.protocol),
                    _ => format!("{}/all", r.protocol),
                };
                for c in r.ipv4_ranges.iter().chain(&r.ipv6_ranges) {
                    out.insert((ports.clone(), c.clone(), true));
                }
                for p in &r.prefix_list_ids {
                    out.insert((ports.clone(), p.clone(), false));
                }
                for g in &r.source_security_groups {
                    out.insert((ports.clone(), g.clone(), false));
                }
            }
            out
        };
        let (ax, ay) = (atoms(x), atoms(y));
        let resource = y.resource(account);
        let show = |set: Vec<&(String, String, bool)>| -> Value {
            Value::Array(
                set.into_iter()
                    .map(|(ports, source, _)| json!({ "ports": ports, "source": source }))
                    .collect(),
            )
        };
        let opened: Vec<_> = ay.difference(&ax).collect();
        if !opened.is_empty() {
            let list: Vec<String> = opened.iter().map(|(p, s, _)| format!("{p} from {s}")).collect();
            self.push(
                resource.clone(),
                T::SgIngressOpened,
                "",
                format!("Security group {}: ingress opened ({})", y.id, list.join(", ")),
                Value::Null,
                show(opened),
            );
        }
        let closed: Vec<_> = ax.difference(&ay).collect();
        if !closed.is_empty() {
            let list: Vec<String> = closed.iter().map(|(p, s, _)| format!("{p} from {s}")).collect();
            self.push(
                resource,
                T::SgIngressClosed,
                "",
                format!("Security group {}: ingress closed ({})", y.id, list.join(", ")),
                show(closed),
                Value::Null,
            );
        }
    }

    fn lambda(&mut self, account: &str, x: &LambdaFunction, y: &LambdaFunction) {
        let resource = y.resource(account);
        let side = |u: &Option<FunctionUrl>| match u {
            Some(u) => json!({ "url": u.url, "auth_type": u.auth_type }),
            None => Value::Null,
        };
        let (change_type, summary) = match (&x.url, &y.url) {
            (None, Some(u)) => (
                T::LambdaUrlCreated,
                format!("Function {}: a function URL with auth type {} was created", y.name, u.auth_type),
            ),
            (Some(u), None) => (
                T::LambdaUrlDeleted,
                format!("Function {}: its function URL (auth type {}) was deleted", y.name, u.auth_type),
            ),
            (Some(p), Some(q)) if p.auth_type != q.auth_type => (
                T::LambdaUrlAuthTypeChanged,
                format!(
                    "Function {}: function URL auth type changed from {} to {}",
                    y.name, p.auth_type, q.auth_type
                ),
            ),
            _ => return,
        };
        self.push(resource, change_type, "", summary, side(&x.url), side(&y.url));
    }
}

fn action_name(action: WafAction) -> String {
    serde_json::to_value(action).ok().and_then(|v| v.as_str().map(str::to_uppercase)).unwrap_or_default()
}

/// The last segment of an ARN (`…/webacl/name/id` → `name/id`).
fn short(arn: &str) -> String {
    let parts: Vec<&str> = arn.rsplitn(3, '/').collect();
    match parts.as_slice() {
        [id, name, _] => format!("{name}/{id}"),
        _ => arn.to_string(),
    }
}

/// A function's name from its ARN: `signer:1` of a Lambda version ARN
/// (`…:function:signer:1`), `check` of a CloudFront Function (`…:function/check`).
fn function_name(arn: &str) -> &str {
    arn.split_once(":function:").or_else(|| arn.split_once(":function/")).map(|(_, name)| name).unwrap_or(arn)
}

/// A tenant's (multi-tenant) distribution in `inventory`.
fn parent_of<'i>(tenant: &DistributionTenant, inventory: &'i AccountInventory) -> Option<&'i Distribution> {
    inventory.distributions.iter().find(|d| d.id == tenant.distribution_id)
}

/// Where an origin sends CloudFront's requests: its domain (lower-case), origin path and VPC
/// origin. None of these is a secret.
fn origin_target(origin: &Origin) -> Value {
    json!({
        "domain_name": origin.domain_name.trim_end_matches('.').to_ascii_lowercase(),
        "origin_path": origin.origin_path,
        "vpc_origin_id": origin.vpc_origin_id,
    })
}

fn origin_target_text(origin: &Origin) -> String {
    target_text(&origin_target(origin))
}

/// `domain/path` or `VPC origin id`, from an [`origin_target`].
fn target_text(target: &Value) -> String {
    let field = |name: &str| target.get(name).and_then(Value::as_str).unwrap_or("");
    match field("vpc_origin_id") {
        "" => format!("{}{}", field("domain_name"), field("origin_path")),
        vpc => format!("VPC origin {vpc} ({}{})", field("domain_name"), field("origin_path")),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
