//! The inventory: a provider-neutral, versioned, deterministic description of what was collected
//! from one or more AWS accounts. Collectors write it; checks read it; `edge-audit snapshot`
//! saves it as JSON and `scan --from` loads it back.
//!
//! Two rules shape it:
//! - **Coverage is explicit.** Every (account, region, service) the collector tried has a
//!   [`Coverage`] record, collected or failed with the operation and the error. A service with no
//!   collected record was *not read*, which is different from "read, and empty".
//! - **Secrets are never in clear.** Header values, API key values and WAF match strings are
//!   [`SecretValue`](crate::secret::SecretValue)s.
//!
//! Regional resources carry their `region`; global ones (CloudFront, CLOUDFRONT-scope WAF) use
//! [`GLOBAL_REGION`].

mod apigateway;
mod cloudfront;
mod lambda;
mod network;
mod shield;
mod value_test;
mod waf;

pub use apigateway::*;
pub use cloudfront::*;
pub use lambda::*;
pub use network::*;
pub use shield::*;
pub use value_test::*;
pub use waf::*;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The version of the inventory format this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// Region name used for global services (CloudFront, WAF CLOUDFRONT scope, Shield).
pub const GLOBAL_REGION: &str = "global";

/// Resource tags, sorted.
pub type Tags = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    pub schema_version: u32,
    /// What wrote the inventory (`edge-audit 0.1.0`), for humans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_by: Option<String>,
    /// When the collection started (RFC 3339), set by the collector; checks never read a clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
    pub accounts: Vec<AccountInventory>,
}

impl Inventory {
    pub fn new(accounts: Vec<AccountInventory>) -> Self {
        let mut inventory =
            Self { schema_version: SCHEMA_VERSION, generated_by: None, collected_at: None, accounts };
        inventory.normalize();
        inventory
    }

    /// Sorts every list so that the same account state always serialises to the same bytes.
    pub fn normalize(&mut self) {
        self.accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        for account in &mut self.accounts {
            account.normalize();
        }
    }
}

/// Deserialises a list at its exact length. A list grows by doubling as it is read, so a
/// distribution's single origin would hold the room of four, and an inventory holds tens of
/// thousands of such lists for as long as a scan runs.
pub(crate) fn exact<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut items = Vec::<T>::deserialize(deserializer)?;
    items.shrink_to_fit();
    Ok(items)
}

/// Everything collected from one account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountInventory {
    pub account_id: String,
    /// `aws`, `aws-cn`, `aws-us-gov`.
    pub partition: String,
    /// The regions that were audited (requested and enabled).
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub regions: Vec<String>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub coverage: Vec<Coverage>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub distributions: Vec<Distribution>,
    /// CloudFront VPC origins owned by the account (ListVpcOrigins).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub vpc_origins: Vec<VpcOrigin>,
    /// CloudFront origin access controls (ListOriginAccessControls).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub origin_access_controls: Vec<OriginAccessControl>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub cache_policies: Vec<CachePolicy>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub origin_request_policies: Vec<OriginRequestPolicy>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub web_acls: Vec<WebAcl>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub ip_sets: Vec<IpSet>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub regex_pattern_sets: Vec<RegexPatternSet>,
    /// Customer-managed rule groups the web ACLs reference.
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub rule_groups: Vec<RuleGroup>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub rest_apis: Vec<RestApi>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub http_apis: Vec<HttpApi>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub usage_plans: Vec<UsagePlan>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub api_keys: Vec<ApiKey>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub domain_names: Vec<ApiDomainName>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub security_groups: Vec<SecurityGroup>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub prefix_lists: Vec<PrefixList>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub instances: Vec<Instance>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub network_interfaces: Vec<NetworkInterface>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub load_balancers: Vec<LoadBalancer>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub target_groups: Vec<TargetGroup>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub lambda_functions: Vec<LambdaFunction>,
    /// The tenants of multi-tenant (`ConnectionMode` `tenant-only`) distributions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub distribution_tenants: Vec<DistributionTenant>,
    /// `None` when Shield was not read (see coverage), which is not the same as "no subscription".
    pub shield: Option<ShieldState>,
}

impl AccountInventory {
    pub fn new(account_id: impl Into<String>) -> Self {
        Self { account_id: account_id.into(), partition: "aws".to_string(), ..Self::default() }
    }

    /// Whether `service` was read completely in `region` (or [`GLOBAL_REGION`]): a collected
    /// record and no failure. A [`CoverageStatus::ResourceFailed`] record does not count: the
    /// checks that depend on that one resource find it ([`Self::resource_failure`]) and report
    /// what it leaves unjudged themselves.
    pub fn is_collected(&self, region: &str, service: Service) -> bool {
        let mut collected = false;
        for c in self.coverage.iter().filter(|c| c.service == service && c.region == region) {
            match c.status {
                CoverageStatus::Collected => collected = true,
                CoverageStatus::Failed => return false,
                CoverageStatus::ResourceFailed => {}
            }
        }
        collected
    }

    /// The failed coverage records of a service, any region: whole-service failures and
    /// per-resource ones.
    pub fn failures(&self, service: Service) -> impl Iterator<Item = &Coverage> {
        self.coverage.iter().filter(move |c| c.service == service && c.status.is_failure())
    }

    /// The failed read of one resource (by the ARN or id the collector named) of `service`, if
    /// any: a per-resource record, or a whole-service failure that names the resource.
    pub fn resource_failure(&self, service: Service, resource: &str) -> Option<&Coverage> {
        self.failures(service).find(|c| c.resource.as_deref() == Some(resource))
    }

    /// The regions in which `service` is expected to hold data: [`GLOBAL_REGION`] for global
    /// services, the audited regions otherwise.
    pub fn regions_of(&self, service: Service) -> Vec<String> {
        if service.is_global() {
            vec![GLOBAL_REGION.to_string()]
        } else {
            self.regions.clone()
        }
    }

    pub fn normalize(&mut self) {
        self.regions.sort();
        self.regions.dedup();
        self.coverage.sort();
        self.coverage.dedup();
        self.distributions.sort_by(|a, b| a.id.cmp(&b.id));
        self.vpc_origins.sort_by(|a, b| a.id.cmp(&b.id));
        self.origin_access_controls.sort_by(|a, b| a.id.cmp(&b.id));
        for d in &mut self.distributions {
            d.normalize();
        }
        self.cache_policies.sort_by(|a, b| a.id.cmp(&b.id));
        self.origin_request_policies.sort_by(|a, b| a.id.cmp(&b.id));
        self.web_acls.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.ip_sets.sort_by(|a, b| a.arn.cmp(&b.arn));
        for s in &mut self.ip_sets {
            s.addresses.sort();
        }
        self.regex_pattern_sets.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.rule_groups.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.rest_apis.sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
        for api in &mut self.rest_apis {
            api.normalize();
        }
        self.http_apis.sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
        for api in &mut self.http_apis {
            api.normalize();
        }
        self.usage_plans.sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
        for plan in &mut self.usage_plans {
            plan.api_stages.sort();
            plan.api_key_ids.sort();
        }
        self.api_keys.sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
        self.domain_names.sort_by(|a, b| (&a.region, &a.name).cmp(&(&b.region, &b.name)));
        for domain in &mut self.domain_names {
            domain.mappings.sort();
            domain.routing_rules.sort_by(|a, b| (a.priority, &a.id).cmp(&(b.priority, &b.id)));
        }
        self.security_groups.sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
        self.prefix_lists.sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
        self.instances.sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
        self.network_interfaces.sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
        self.load_balancers.sort_by(|a, b| a.arn.cmp(&b.arn));
        for lb in &mut self.load_balancers {
            lb.listeners.sort_by(|a, b| a.arn.cmp(&b.arn));
            for listener in &mut lb.listeners {
                listener.rules.sort_by(|a, b| (a.priority, &a.arn).cmp(&(b.priority, &b.arn)));
            }
        }
        self.target_groups.sort_by(|a, b| a.arn.cmp(&b.arn));
        for tg in &mut self.target_groups {
            tg.targets.sort();
        }
        self.lambda_functions.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.distribution_tenants.sort_by(|a, b| a.id.cmp(&b.id));
        for tenant in &mut self.distribution_tenants {
            tenant.domains.sort();
        }
        if let Some(shield) = &mut self.shield {
            shield.protections.sort_by(|a, b| a.resource_arn.cmp(&b.resource_arn));
        }
    }
}

/// The AWS services edge-audit reads. A check declares the ones it needs; if one of them could
/// not be read, the check is reported as not evaluated for that scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    Cloudfront,
    /// WAF with CLOUDFRONT scope (global).
    #[serde(rename = "wafv2-cloudfront")]
    WafCloudfront,
    /// WAF with REGIONAL scope.
    #[serde(rename = "wafv2-regional")]
    WafRegional,
    Apigateway,
    Apigatewayv2,
    Ec2,
    Elbv2,
    Lambda,
    Shield,
}

impl Service {
    pub const ALL: [Self; 9] = [
        Self::Cloudfront,
        Self::WafCloudfront,
        Self::WafRegional,
        Self::Apigateway,
        Self::Apigatewayv2,
        Self::Ec2,
        Self::Elbv2,
        Self::Lambda,
        Self::Shield,
    ];

    pub fn is_global(self) -> bool {
        matches!(self, Self::Cloudfront | Self::WafCloudfront | Self::Shield)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cloudfront => "cloudfront",
            Self::WafCloudfront => "wafv2-cloudfront",
            Self::WafRegional => "wafv2-regional",
            Self::Apigateway => "apigateway",
            Self::Apigatewayv2 => "apigatewayv2",
            Self::Ec2 => "ec2",
            Self::Elbv2 => "elbv2",
            Self::Lambda => "lambda",
            Self::Shield => "shield",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    Collected,
    /// The service was not read completely in the region: every check that needs it is not
    /// evaluated there.
    Failed,
    /// One resource's detail read failed (`resource` names it) and the rest of the service was
    /// read in the region: the region stays collected, and the checks that depend on that
    /// resource report what it leaves unjudged (a web ACL referencing an unread rule group, a
    /// REST API whose resources, authorizers or policy were not read, an HTTP API whose routes
    /// or authorizers were not read, a security group rule naming a prefix
    /// list whose entries were not read) as not evaluated, naming it.
    ResourceFailed,
}

impl CoverageStatus {
    /// Failed, for the whole service or for one resource.
    pub fn is_failure(self) -> bool {
        matches!(self, Self::Failed | Self::ResourceFailed)
    }
}

/// Whether one service was read in one region of the account. A failure names the operation and
/// the error (AccessDenied, throttling after retries, timeout, not implemented, opted-out region).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    pub region: String,
    pub service: Service,
    pub status: CoverageStatus,
    /// The SDK operation that failed (`GetStages`), on failures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The resource the failed detail call was about, when it was a per-resource call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The error code and message, on failures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Coverage {
    pub fn collected(region: impl Into<String>, service: Service) -> Self {
        Self {
            region: region.into(),
            service,
            status: CoverageStatus::Collected,
            operation: None,
            resource: None,
            error: None,
        }
    }

    pub fn failed(
        region: impl Into<String>,
        service: Service,
        operation: impl Into<String>,
        error: impl Into<String>,
    ) -> Self {
        Self {
            region: region.into(),
            service,
            status: CoverageStatus::Failed,
            operation: Some(operation.into()),
            resource: None,
            error: Some(error.into()),
        }
    }

    /// The failed read of one resource only (see [`CoverageStatus::ResourceFailed`]).
    pub fn resource_failed(
        region: impl Into<String>,
        service: Service,
        operation: impl Into<String>,
        resource: impl Into<String>,
        error: impl Into<String>,
    ) -> Self {
        Self {
            status: CoverageStatus::ResourceFailed,
            resource: Some(resource.into()),
            ..Self::failed(region, service, operation, error)
        }
    }

    /// `GetRuleGroup failed (AccessDeniedException: …)`: the operation and the error, for the
    /// reason of a resource left unjudged.
    pub fn failed_read(&self) -> String {
        format!(
            "{} failed ({})",
            self.operation.as_deref().unwrap_or("a read"),
            self.error.as_deref().unwrap_or("no error given")
        )
    }

    /// A human sentence for not-evaluated reasons.
    pub fn reason(&self) -> String {
        let mut reason = format!("{} could not be read in {}", self.service, self.region);
        if let Some(op) = &self.operation {
            reason.push_str(&format!(": {op}"));
        }
        if let Some(resource) = &self.resource {
            reason.push_str(&format!(" on {resource}"));
        }
        if let Some(error) = &self.error {
            reason.push_str(&format!(" failed ({error})"));
        }
        reason
    }
}
