//! One pass over an account's inventory that builds the lookups checks need, so that no check
//! joins lists quadratically (distributions × APIs × ACLs × groups).

use crate::inventory::*;
use crate::managed_policies;
use crate::origin::OriginKind;
use std::collections::{BTreeMap, BTreeSet};

/// What a distribution's origin turned out to be, once looked up in the inventory.
#[derive(Debug, Clone, Copy)]
pub enum ResolvedOrigin<'a> {
    RestApi(&'a RestApi),
    HttpApi(&'a HttpApi),
    /// A custom domain name of API Gateway; [`Index::api_targets`] maps it through its base path
    /// mappings.
    ApiDomain {
        domain: &'a ApiDomainName,
    },
    /// An execute-api domain whose API is not in the inventory.
    UnknownApi {
        api_id: &'a str,
        region: &'a str,
    },
    LoadBalancer(&'a LoadBalancer),
    UnknownLoadBalancer,
    LambdaUrl(&'a LambdaFunction),
    UnknownLambdaUrl,
    /// A custom origin whose domain is an instance's public DNS name or IP.
    Instance(&'a Instance),
    S3Rest,
    S3Website,
    Custom,
    /// A domain name or origin path with `{{parameter}}` placeholders that CloudFront fills
    /// per tenant of a multi-tenant distribution.
    TenantTemplate,
}

/// A distribution origin, the distribution it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct OriginUse<'a> {
    pub distribution: &'a Distribution,
    pub origin: &'a Origin,
    /// The tenant whose parameters filled `origin` in, when it is a templated origin of a
    /// multi-tenant distribution as that tenant reaches it.
    pub tenant: Option<&'a DistributionTenant>,
}

impl OriginUse<'_> {
    /// `{distribution id}/{origin id}`, with the tenant's id in between for a tenant's origin.
    pub fn label(&self) -> String {
        match self.tenant {
            Some(tenant) => format!("{}/{}/{}", self.distribution.id, tenant.id, self.origin.id),
            None => format!("{}/{}", self.distribution.id, self.origin.id),
        }
    }
}

/// A templated origin (`{{name}}` in its domain or path) of a multi-tenant distribution as one
/// enabled tenant reaches it. The filled-in origin is owned here, by the [`Index`], for as long
/// as the scan's model borrows it.
#[derive(Debug, Clone)]
pub struct TenantOrigin<'a> {
    pub distribution: &'a Distribution,
    pub tenant: &'a DistributionTenant,
    pub template: &'a Origin,
    /// The template with the tenant's parameters (or the distribution's defaults) filled in, or
    /// why it cannot be (parameters not read, a placeholder with no value and no default).
    pub origin: Result<Origin, String>,
}

#[derive(Debug, Default)]
pub struct Index<'a> {
    pub rest_apis: BTreeMap<&'a str, &'a RestApi>,
    pub http_apis: BTreeMap<&'a str, &'a HttpApi>,
    pub web_acls: BTreeMap<&'a str, &'a WebAcl>,
    pub ip_sets: BTreeMap<&'a str, &'a IpSet>,
    pub regex_pattern_sets: BTreeMap<&'a str, &'a RegexPatternSet>,
    pub rule_groups: BTreeMap<&'a str, &'a RuleGroup>,
    pub load_balancers_by_dns: BTreeMap<String, &'a LoadBalancer>,
    pub load_balancers: BTreeMap<&'a str, &'a LoadBalancer>,
    pub lambda_by_url_id: BTreeMap<String, &'a LambdaFunction>,
    pub security_groups: BTreeMap<&'a str, &'a SecurityGroup>,
    pub prefix_lists: BTreeMap<&'a str, &'a PrefixList>,
    pub instances: BTreeMap<&'a str, &'a Instance>,
    instances_by_public_name: BTreeMap<String, &'a Instance>,
    pub domain_names: BTreeMap<String, &'a ApiDomainName>,
    pub target_groups_by_lb: BTreeMap<&'a str, Vec<&'a TargetGroup>>,
    /// (api id, stage) → usage plans that include that stage.
    pub usage_plans_by_stage: BTreeMap<(&'a str, &'a str), Vec<&'a UsagePlan>>,
    pub api_keys: BTreeMap<&'a str, &'a ApiKey>,
    /// CloudFront VPC origins of the account, by id.
    pub vpc_origins: BTreeMap<&'a str, &'a VpcOrigin>,
    /// Web ACL ARN → ARNs of the resources that use it (distributions, REST stages, ALBs).
    pub web_acl_associations: BTreeMap<&'a str, BTreeSet<String>>,
    /// Resource ARN (API, load balancer, function) → the distribution origins that reach it.
    /// Tenants' filled-in origins are in `tenant_origin_uses` (they are owned by this index, so
    /// cannot be borrowed for `'a` while it is built): [`Index::origins_reaching`] reads both.
    pub origin_uses: BTreeMap<&'a str, Vec<OriginUse<'a>>>,
    /// Every enabled tenant × templated origin of the account's multi-tenant distributions, in
    /// inventory order (distribution, tenant, origin), then those of other scanned accounts'
    /// distributions whose filled-in origin reaches a backend of this account
    /// ([`Index::register_foreign_tenant_origin`]).
    pub tenant_origins: Vec<TenantOrigin<'a>>,
    /// Resource ARN → the `tenant_origins` (by position) that reach it.
    tenant_origin_uses: BTreeMap<String, Vec<usize>>,
    cache_policies: BTreeMap<&'a str, &'a CachePolicy>,
    origin_request_policies: BTreeMap<&'a str, &'a OriginRequestPolicy>,
    /// Resource (as the failed coverage record names it: an ARN or an id) → the first failed
    /// read of it.
    pub resource_failures: BTreeMap<&'a str, &'a Coverage>,
}

impl<'a> Index<'a> {
    pub fn build(account: &'a AccountInventory) -> Self {
        let mut index = Index::default();
        for api in &account.rest_apis {
            index.rest_apis.insert(&api.id, api);
            for stage in &api.stages {
                if let Some(acl) = &stage.web_acl_arn {
                    index.associate(acl, format!("{}/stages/{}", api.arn, stage.name));
                }
            }
        }
        for api in &account.http_apis {
            index.http_apis.insert(&api.id, api);
        }
        for acl in &account.web_acls {
            index.web_acls.insert(&acl.arn, acl);
            for resource in acl.associated_resources.iter().flatten() {
                index.associate(&acl.arn, resource.clone());
            }
        }
        for set in &account.ip_sets {
            index.ip_sets.insert(&set.arn, set);
        }
        for set in &account.regex_pattern_sets {
            index.regex_pattern_sets.insert(&set.arn, set);
        }
        for group in &account.rule_groups {
            index.rule_groups.insert(&group.arn, group);
        }
        for lb in &account.load_balancers {
            index.load_balancers.insert(&lb.arn, lb);
            index.load_balancers_by_dns.insert(lb.dns_name.to_ascii_lowercase(), lb);
            if let Some(acl) = &lb.web_acl_arn {
                index.associate(acl, lb.arn.clone());
            }
        }
        for function in &account.lambda_functions {
            if let Some(url) = &function.url {
                if let OriginKind::LambdaUrl { url_id, .. } = OriginKind::from_domain(host_of(&url.url)) {
                    index.lambda_by_url_id.insert(url_id, function);
                }
            }
        }
        for sg in &account.security_groups {
            index.security_groups.insert(&sg.id, sg);
        }
        for pl in &account.prefix_lists {
            index.prefix_lists.insert(&pl.id, pl);
        }
        for coverage in account.coverage.iter().filter(|c| c.status.is_failure()) {
            if let Some(resource) = coverage.resource.as_deref() {
                index.resource_failures.entry(resource).or_insert(coverage);
            }
        }
        for instance in &account.instances {
            index.instances.insert(&instance.id, instance);
            for name in instance.public_dns_name.iter().chain(instance.public_ip.iter()) {
                if !name.is_empty() {
                    index.instances_by_public_name.insert(name.to_ascii_lowercase(), instance);
                }
            }
        }
        for domain in &account.domain_names {
            index.domain_names.insert(domain.name.to_ascii_lowercase(), domain);
        }
        for tg in &account.target_groups {
            for lb in &tg.load_balancer_arns {
                index.target_groups_by_lb.entry(lb.as_str()).or_default().push(tg);
            }
        }
        for plan in &account.usage_plans {
            for stage in &plan.api_stages {
                index.usage_plans_by_stage.entry((&stage.api_id, &stage.stage)).or_default().push(plan);
            }
        }
        for key in &account.api_keys {
            index.api_keys.insert(&key.id, key);
        }
        for policy in &account.cache_policies {
            index.cache_policies.insert(&policy.id, policy);
        }
        for policy in &account.origin_request_policies {
            index.origin_request_policies.insert(&policy.id, policy);
        }
        for vpc_origin in &account.vpc_origins {
            index.vpc_origins.insert(&vpc_origin.id, vpc_origin);
        }
        for tenant in &account.distribution_tenants {
            if let Some(acl) = tenant.web_acl.as_ref().and_then(|w| w.arn.as_ref()).filter(|a| !a.is_empty())
            {
                index.associate(acl, tenant.arn.clone());
            }
        }
        for distribution in &account.distributions {
            if let Some(acl) = &distribution.web_acl_id {
                index.associate(acl, distribution.arn.clone());
            }
            for origin in &distribution.origins {
                index.register_origin_use(distribution, origin);
            }
        }
        index.tenant_origins = tenant_origins(account);
        let mut uses: Vec<(String, usize)> = Vec::new();
        for (position, tenant_origin) in index.tenant_origins.iter().enumerate() {
            if let Ok(origin) = &tenant_origin.origin {
                uses.extend(index.target_arns(origin).into_iter().map(|arn| (arn.to_string(), position)));
            }
        }
        for (arn, position) in uses {
            let positions = index.tenant_origin_uses.entry(arn).or_default();
            if !positions.contains(&position) {
                positions.push(position);
            }
        }
        index
    }

    /// The ARNs of the resources of this account an origin resolves to (APIs, load balancers,
    /// functions, instances); empty when it resolves to none.
    fn target_arns<'o>(&self, origin: &'o Origin) -> Vec<&'o str>
    where
        'a: 'o,
    {
        match self.resolve_origin(origin) {
            ResolvedOrigin::RestApi(api) => vec![api.arn.as_str()],
            ResolvedOrigin::HttpApi(api) => vec![api.arn.as_str()],
            ResolvedOrigin::LoadBalancer(lb) => vec![lb.arn.as_str()],
            ResolvedOrigin::LambdaUrl(f) => vec![f.arn.as_str()],
            ResolvedOrigin::Instance(i) => vec![i.arn.as_str()],
            // A custom domain reaches every API its base path mappings name (those compatible
            // with the origin path).
            ResolvedOrigin::ApiDomain { .. } => {
                self.api_targets(origin).iter().map(|t| t.api.arn()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The tenants' versions of one templated origin of `distribution`.
    pub fn tenant_origins_of<'s>(
        &'s self,
        distribution: &'s Distribution,
        template: &'s Origin,
    ) -> impl Iterator<Item = &'s TenantOrigin<'a>> + 's {
        self.tenant_origins
            .iter()
            .filter(move |t| std::ptr::eq(t.distribution, distribution) && std::ptr::eq(t.template, template))
    }

    /// `origin` of `distribution` as CloudFront reaches it: the origin itself, or, for a
    /// templated origin, each enabled tenant's filled-in version (those that could be filled
    /// in). A templated origin no tenant fills in is itself (its kind is custom; the perimeter
    /// reports it as not evaluated). Checks that judge an origin by what it reaches (its kind,
    /// its API) read these, not the template.
    pub fn origin_versions<'s>(
        &'s self,
        distribution: &'s Distribution,
        origin: &'s Origin,
    ) -> Vec<OriginUse<'s>> {
        let tenants: Vec<OriginUse<'s>> = match origin.is_tenant_template() {
            true => self
                .tenant_origins_of(distribution, origin)
                .filter_map(|t| {
                    let filled = t.origin.as_ref().ok()?;
                    Some(OriginUse { distribution, origin: filled, tenant: Some(t.tenant) })
                })
                .collect(),
            false => Vec::new(),
        };
        match tenants.is_empty() {
            true => vec![OriginUse { distribution, origin, tenant: None }],
            false => tenants,
        }
    }

    /// Records that `origin` of `distribution` reaches the backends it resolves to in this
    /// account (the distribution may be another account's); returns whether it resolved to any.
    pub fn register_origin_use(&mut self, distribution: &'a Distribution, origin: &'a Origin) -> bool {
        let targets: Vec<&'a str> = self.target_arns(origin);
        let resolved = !targets.is_empty();
        for target in targets {
            let uses = self.origin_uses.entry(target).or_default();
            if !uses.iter().any(|u| std::ptr::eq(u.origin, origin)) {
                uses.push(OriginUse { distribution, origin, tenant: None });
            }
        }
        resolved
    }

    /// Records that a tenant's filled-in origin of another account's distribution reaches
    /// backends of this account (the scan holds both accounts), so that this account's guards
    /// see the tenant among the origins reaching them (its sent headers, its signer) as they see
    /// a foreign distribution's plain origin. The filled-in origin is copied: the home account's
    /// index owns its own. Returns whether it resolved to any backend here.
    pub fn register_foreign_tenant_origin(&mut self, tenant_origin: TenantOrigin<'a>) -> bool {
        let Ok(origin) = &tenant_origin.origin else { return false };
        let targets: Vec<String> = self.target_arns(origin).into_iter().map(str::to_string).collect();
        if targets.is_empty() {
            return false;
        }
        let position = self.tenant_origins.len();
        self.tenant_origins.push(tenant_origin);
        for arn in targets {
            self.tenant_origin_uses.entry(arn).or_default().push(position);
        }
        true
    }

    fn associate(&mut self, acl: &'a str, resource: String) {
        self.web_acl_associations.entry(acl).or_default().insert(resource);
    }

    /// Looks an origin up in the inventory.
    pub fn resolve_origin<'o>(&self, origin: &'o Origin) -> ResolvedOrigin<'o>
    where
        'a: 'o,
    {
        // A VPC origin names its endpoint by ARN, which is better than any domain.
        if let Some(endpoint) = self.vpc_origin_endpoint(origin) {
            return endpoint;
        }
        if origin.is_tenant_template() {
            return ResolvedOrigin::TenantTemplate;
        }
        match &origin.kind {
            OriginKind::ApiGateway { api_id, region } => {
                if let Some(api) = self.rest_apis.get(api_id.as_str()) {
                    ResolvedOrigin::RestApi(api)
                } else if let Some(api) = self.http_apis.get(api_id.as_str()) {
                    ResolvedOrigin::HttpApi(api)
                } else {
                    ResolvedOrigin::UnknownApi { api_id, region }
                }
            }
            OriginKind::Alb { dns_name, .. } => {
                let dns = dns_name.strip_prefix("dualstack.").unwrap_or(dns_name);
                match self.load_balancers_by_dns.get(dns) {
                    Some(lb) => ResolvedOrigin::LoadBalancer(lb),
                    None => ResolvedOrigin::UnknownLoadBalancer,
                }
            }
            OriginKind::LambdaUrl { url_id, .. } => match self.lambda_by_url_id.get(url_id) {
                Some(f) => ResolvedOrigin::LambdaUrl(f),
                None => ResolvedOrigin::UnknownLambdaUrl,
            },
            OriginKind::S3Rest { .. } => ResolvedOrigin::S3Rest,
            OriginKind::S3Website { .. } => ResolvedOrigin::S3Website,
            OriginKind::Custom => {
                let domain = origin.domain_name.to_ascii_lowercase();
                if let Some(domain) = self.domain_names.get(&domain) {
                    ResolvedOrigin::ApiDomain { domain }
                } else if let Some(instance) = self.instances_by_public_name.get(&domain) {
                    ResolvedOrigin::Instance(instance)
                } else {
                    ResolvedOrigin::Custom
                }
            }
        }
    }

    /// The VPC origin an origin goes through, when the account owns it and it is in the
    /// inventory.
    pub fn vpc_origin_of(&self, origin: &Origin) -> Option<&'a VpcOrigin> {
        self.vpc_origins.get(origin.vpc_origin_id.as_deref()?).copied()
    }

    /// The load balancer or instance behind an origin's VPC origin, when both are in the
    /// inventory.
    fn vpc_origin_endpoint<'o>(&self, origin: &Origin) -> Option<ResolvedOrigin<'o>>
    where
        'a: 'o,
    {
        let vpc_origin = self.vpc_origin_of(origin)?;
        match vpc_origin.endpoint_kind() {
            VpcOriginEndpoint::Alb(arn) | VpcOriginEndpoint::Nlb(arn) => {
                self.load_balancers.get(arn).map(|lb| ResolvedOrigin::LoadBalancer(lb))
            }
            VpcOriginEndpoint::Instance(id) => self.instances.get(id).map(|i| ResolvedOrigin::Instance(i)),
            VpcOriginEndpoint::Other(_) => None,
        }
    }

    /// The distribution origins that reach a resource (by ARN), tenants' filled-in origins
    /// included.
    pub fn origins_reaching<'s>(&'s self, arn: &str) -> Vec<OriginUse<'s>> {
        let plain = self.origin_uses.get(arn).into_iter().flatten().copied();
        let tenants = self.tenant_origin_uses.get(arn).into_iter().flatten().filter_map(|&position| {
            let tenant_origin = self.tenant_origins.get(position)?;
            let origin = tenant_origin.origin.as_ref().ok()?;
            Some(OriginUse {
                distribution: tenant_origin.distribution,
                origin,
                tenant: Some(tenant_origin.tenant),
            })
        });
        plain.chain(tenants).collect()
    }

    /// The ARNs of the resources the origins of `distribution_arn` reach (its tenants' included).
    pub fn reached_by_distribution(&self, distribution_arn: &str) -> Vec<String> {
        let plain = self
            .origin_uses
            .iter()
            .filter(|(_, uses)| uses.iter().any(|u| u.distribution.arn == distribution_arn))
            .map(|(arn, _)| arn.to_string());
        let tenants = self
            .tenant_origin_uses
            .iter()
            .filter(|(_, positions)| {
                positions.iter().any(|&p| {
                    self.tenant_origins.get(p).is_some_and(|t| t.distribution.arn == distribution_arn)
                })
            })
            .map(|(arn, _)| arn.clone());
        plain.chain(tenants).collect()
    }

    /// The ARNs of the resources one tenant's filled-in origins reach.
    pub fn reached_by_tenant(&self, tenant_arn: &str) -> Vec<String> {
        self.tenant_origin_uses
            .iter()
            .filter(|(_, positions)| {
                positions
                    .iter()
                    .any(|&p| self.tenant_origins.get(p).is_some_and(|t| t.tenant.arn == tenant_arn))
            })
            .map(|(arn, _)| arn.clone())
            .collect()
    }

    /// The resources that use a web ACL.
    pub fn web_acl_users(&self, acl_arn: &str) -> Option<&BTreeSet<String>> {
        self.web_acl_associations.get(acl_arn)
    }

    /// A cache policy by id: collected, or one of the AWS managed ones.
    pub fn cache_policy(&self, id: &str) -> Option<CachePolicy> {
        self.cache_policies.get(id).map(|p| (*p).clone()).or_else(|| managed_policies::cache_policy(id))
    }

    /// An origin-request policy by id: collected, or one of the AWS managed ones.
    pub fn origin_request_policy(&self, id: &str) -> Option<OriginRequestPolicy> {
        self.origin_request_policies
            .get(id)
            .map(|p| (*p).clone())
            .or_else(|| managed_policies::origin_request_policy(id))
    }
}

/// Every enabled tenant × templated origin of the account's multi-tenant distributions, each
/// filled in with the tenant's parameters. A disabled tenant serves nothing, so reaches nothing.
fn tenant_origins(account: &AccountInventory) -> Vec<TenantOrigin<'_>> {
    let mut out = Vec::new();
    for distribution in
        account.distributions.iter().filter(|d| d.origins.iter().any(Origin::is_tenant_template))
    {
        let tenants =
            account.distribution_tenants.iter().filter(|t| t.enabled && t.distribution_id == distribution.id);
        for tenant in tenants {
            for template in distribution.origins.iter().filter(|o| o.is_tenant_template()) {
                out.push(TenantOrigin {
                    distribution,
                    tenant,
                    template,
                    origin: template.for_tenant(tenant, distribution.tenant_parameters.as_deref()),
                });
            }
        }
    }
    out
}

/// The host part of a URL (`https://host/path` → `host`).
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.split(['/', ':', '?']).next().unwrap_or(rest)
}

// ---------------------------------------------------------------------------------------------
// API origins: one facade over REST and HTTP APIs
// ---------------------------------------------------------------------------------------------

/// The header API Gateway reads API keys from (apiKeySource HEADER).
pub const API_KEY_HEADER: &str = "x-api-key";

/// An API Gateway API of either flavour.
#[derive(Debug, Clone, Copy)]
pub enum Api<'a> {
    Rest(&'a RestApi),
    Http(&'a HttpApi),
}

impl<'a> Api<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            Api::Rest(api) => &api.id,
            Api::Http(api) => &api.id,
        }
    }

    pub fn arn(&self) -> &'a str {
        match self {
            Api::Rest(api) => &api.arn,
            Api::Http(api) => &api.arn,
        }
    }

    pub fn name(&self) -> &'a str {
        match self {
            Api::Rest(api) => &api.name,
            Api::Http(api) => &api.name,
        }
    }

    pub fn region(&self) -> &'a str {
        match self {
            Api::Rest(api) => &api.region,
            Api::Http(api) => &api.region,
        }
    }

    /// The names of the API's stages.
    pub fn stage_names(&self) -> Vec<&'a str> {
        match self {
            Api::Rest(api) => api.stages.iter().map(|s| s.name.as_str()).collect(),
            Api::Http(api) => api.stages.iter().map(|s| s.name.as_str()).collect(),
        }
    }

    pub fn execute_api_disabled(&self) -> bool {
        match self {
            Api::Rest(api) => api.disable_execute_api_endpoint,
            Api::Http(api) => api.disable_execute_api_endpoint,
        }
    }

    pub fn resource(&self, account: &str) -> crate::finding::ResourceRef {
        use crate::resource::AsResource;
        match self {
            Api::Rest(api) => api.resource(account),
            Api::Http(api) => api.resource(account),
        }
    }

    /// `REST API` or `HTTP API`, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Api::Rest(_) => "REST API",
            Api::Http(_) => "HTTP API",
        }
    }

    /// The services whose data describe this API.
    pub fn service(&self) -> Service {
        match self {
            Api::Rest(_) => Service::Apigateway,
            Api::Http(_) => Service::Apigatewayv2,
        }
    }

    /// Every invocable operation: REST methods as `GET /path`, HTTP API routes by route key,
    /// each with its authorization type and whether it requires an API key. CORS preflight
    /// `OPTIONS` methods are left out: they are conventionally open mock integrations.
    pub fn operations(&self) -> Vec<Operation<'a>> {
        match self {
            Api::Rest(api) => api
                .methods()
                .filter(|(_, m)| !m.http_method.eq_ignore_ascii_case("OPTIONS"))
                .map(|(path, m)| Operation {
                    name: format!("{} {path}", m.http_method),
                    authorization: &m.authorization_type,
                    authorizer: authorizer(&api.authorizers, m.authorizer_id.as_deref()),
                    api_key_required: m.api_key_required,
                })
                .collect(),
            Api::Http(api) => api
                .routes
                .iter()
                .filter(|r| !r.route_key.starts_with("OPTIONS "))
                .map(|r| Operation {
                    name: r.route_key.clone(),
                    authorization: &r.authorization_type,
                    authorizer: authorizer(&api.authorizers, r.authorizer_id.as_deref()),
                    api_key_required: r.api_key_required,
                })
                .collect(),
        }
    }
}

/// A REST method or an HTTP API route.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// `GET /pets/{petId}` or a route key.
    pub name: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM`, `COGNITO_USER_POOLS`, `JWT`.
    pub authorization: &'a str,
    /// The authorizer the operation names, when the inventory holds it.
    pub authorizer: Option<&'a Authorizer>,
    pub api_key_required: bool,
}

/// The authorizer with this id among an API's.
fn authorizer<'a>(authorizers: &'a [Authorizer], id: Option<&str>) -> Option<&'a Authorizer> {
    id.and_then(|id| authorizers.iter().find(|a| a.id == id))
}

impl Operation<'_> {
    pub fn is_open(&self) -> bool {
        !self.requires_authorization() && !self.api_key_required
    }

    pub fn requires_authorization(&self) -> bool {
        !self.authorization.is_empty() && !self.authorization.eq_ignore_ascii_case("NONE")
    }

    pub fn is_iam(&self) -> bool {
        self.authorization.eq_ignore_ascii_case("AWS_IAM")
    }
}

/// One API (and stage, when known) that an API Gateway origin reaches.
#[derive(Debug, Clone)]
pub struct ApiTarget<'a> {
    pub api: Api<'a>,
    /// The stage the requests land on: `None` when the distribution does not pin one (no origin
    /// path, so the viewer's first path segment picks it) — then every stage is reachable.
    pub stage: Option<String>,
}

impl<'a> Index<'a> {
    /// An API by id, REST first.
    pub fn api(&self, api_id: &str) -> Option<Api<'a>> {
        self.rest_apis
            .get(api_id)
            .map(|a| Api::Rest(a))
            .or_else(|| self.http_apis.get(api_id).map(|a| Api::Http(a)))
    }

    /// The APIs (and stages) a distribution origin reaches, through the execute-api domain or a
    /// custom domain's base path mappings.
    pub fn api_targets<'o>(&self, origin: &'o Origin) -> Vec<ApiTarget<'o>>
    where
        'a: 'o,
    {
        let first_segment =
            origin.origin_path.trim_start_matches('/').split('/').next().unwrap_or("").to_string();
        match self.resolve_origin(origin) {
            ResolvedOrigin::RestApi(api) => {
                let stage = (!first_segment.is_empty()).then_some(first_segment);
                vec![ApiTarget { api: Api::Rest(api), stage }]
            }
            ResolvedOrigin::HttpApi(api) => {
                // HTTP APIs with only `$default` serve every path from it; otherwise the first
                // segment names the stage.
                let stage = if api.has_only_default_stage() {
                    Some("$default".to_string())
                } else {
                    (!first_segment.is_empty()).then_some(first_segment)
                };
                vec![ApiTarget { api: Api::Http(api), stage }]
            }
            // The domain's routes: its routing rules and/or base path mappings, by routing mode.
            ResolvedOrigin::ApiDomain { domain } => domain
                .routes()
                .into_iter()
                .filter(|r| {
                    r.base_path.is_empty() || first_segment.is_empty() || r.base_path == first_segment
                })
                .filter_map(|r| {
                    self.api(r.api_id).map(|api| ApiTarget { api, stage: r.stage.map(str::to_string) })
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Whether a web ACL protects anything.
#[derive(Debug, Clone)]
pub enum AclAssociation {
    /// The resources (ARNs) that use it.
    Associated(Vec<String>),
    Unassociated,
    /// Not associated as far as was read, but a place an association could show up was not
    /// read: the services missing, by name.
    Unknown(Vec<&'static str>),
}

/// The association state of a web ACL, read from the resources' side (distribution web ACL
/// id, stage webAclArn, ALB GetWebACLForResource) and ListResourcesForWebACL.
pub fn acl_association(account: &AccountInventory, index: &Index<'_>, acl: &WebAcl) -> AclAssociation {
    if let Some(users) = index.web_acl_users(&acl.arn).filter(|u| !u.is_empty()) {
        return AclAssociation::Associated(users.iter().cloned().collect());
    }
    let (region, needed): (&str, &[Service]) = match acl.scope {
        WafScope::Cloudfront => (GLOBAL_REGION, &[Service::Cloudfront]),
        // Load balancers' associations come from GetWebACLForResource (WAF regional).
        WafScope::Regional => {
            (acl.region.as_str(), &[Service::Apigateway, Service::Elbv2, Service::WafRegional])
        }
    };
    let missing: Vec<&'static str> =
        needed.iter().filter(|s| !account.is_collected(region, **s)).map(|s| s.as_str()).collect();
    if missing.is_empty() {
        AclAssociation::Unassociated
    } else {
        AclAssociation::Unknown(missing)
    }
}
