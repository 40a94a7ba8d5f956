//! CloudFront distributions, their origins and cache behaviors, and cache / origin-request
//! policies.

use super::Tags;
use crate::origin::OriginKind;
use crate::secret::SecretValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Distribution {
    pub id: String,
    pub arn: String,
    /// `d111111abcdef8.cloudfront.net`.
    pub domain_name: String,
    pub enabled: bool,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub aliases: Vec<String>,
    pub comment: String,
    /// WAFv2 web ACL ARN (or a WAF Classic id) as CloudFront reports it; `None` when none.
    pub web_acl_id: Option<String>,
    /// Minimum viewer TLS protocol (`TLSv1.2_2021`).
    pub viewer_minimum_protocol: Option<String>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub origins: Vec<Origin>,
    pub default_behavior: CacheBehavior,
    /// The ordered (non-default) cache behaviors, in CloudFront's precedence order.
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub behaviors: Vec<CacheBehavior>,
    pub tags: Tags,
    /// `direct` (CloudFront's default, also when absent) or `tenant-only`: a multi-tenant
    /// distribution serves viewers only through its tenants' domains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_mode: Option<String>,
    /// `TenantConfig.ParameterDefinitions` (GetDistributionConfig: the ListDistributions
    /// summary does not carry them): the parameters a tenant fills into the templated origins,
    /// with their defaults. Read only for multi-tenant distributions with a templated origin;
    /// `None` when not read, so a default cannot be assumed absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_parameters: Option<Vec<TenantParameterDefinition>>,
}

/// One of a multi-tenant distribution's `TenantConfig.ParameterDefinitions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TenantParameterDefinition {
    pub name: String,
    /// `Definition.StringSchema.DefaultValue`: used for a tenant that sets no value.
    pub default_value: Option<String>,
    /// `Definition.StringSchema.Required`.
    pub required: bool,
}

impl Distribution {
    pub fn origin(&self, origin_id: &str) -> Option<&Origin> {
        self.origins.iter().find(|o| o.id == origin_id)
    }

    /// Every behavior, default last (CloudFront's evaluation order).
    pub fn all_behaviors(&self) -> impl Iterator<Item = &CacheBehavior> {
        self.behaviors.iter().chain(std::iter::once(&self.default_behavior))
    }

    /// The behaviors that route to `origin_id`.
    pub fn behaviors_for<'a>(&'a self, origin_id: &'a str) -> impl Iterator<Item = &'a CacheBehavior> {
        self.all_behaviors().filter(move |b| b.target_origin_id == origin_id)
    }

    /// A multi-tenant distribution (`ConnectionMode` `tenant-only`).
    pub fn is_multi_tenant(&self) -> bool {
        self.connection_mode.as_deref().is_some_and(|m| m.eq_ignore_ascii_case("tenant-only"))
    }

    pub(crate) fn normalize(&mut self) {
        // Behavior order is significant (precedence); origins are keyed by id.
        self.origins.sort_by(|a, b| a.id.cmp(&b.id));
        self.aliases.sort();
        for origin in &mut self.origins {
            origin.custom_headers.sort_by_key(|h| h.name.to_ascii_lowercase());
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Origin {
    pub id: String,
    pub domain_name: String,
    /// `/prod` (no trailing slash), empty when none.
    pub origin_path: String,
    /// What the domain is, derived from it by [`OriginKind::from_domain`].
    pub kind: OriginKind,
    /// Present for custom origins (everything but S3 REST origins with S3OriginConfig).
    pub custom: Option<CustomOriginConfig>,
    /// The origin carries an S3OriginConfig (an S3 REST origin, possibly with a legacy OAI).
    pub s3_origin_config: bool,
    pub origin_access_control_id: Option<String>,
    pub vpc_origin_id: Option<String>,
    /// The origin's `VpcOriginConfig` (present exactly when `vpc_origin_id` is): CloudFront
    /// reaches a private endpoint in a VPC through it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_origin: Option<OriginVpcConfig>,
    /// Headers CloudFront adds to every request to this origin. The values are secrets.
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub custom_headers: Vec<OriginHeader>,
}

impl Origin {
    /// Whether CloudFront fills this origin's domain name or path per tenant from the tenant's
    /// parameters (`{{name}}` placeholders, multi-tenant distributions only).
    pub fn is_tenant_template(&self) -> bool {
        self.domain_name.contains("{{") || self.origin_path.contains("{{")
    }

    /// The origin one tenant reaches: this (templated) origin with every `{{name}}` of its
    /// domain name and origin path replaced by the tenant's value of `name`, else the
    /// distribution's default for it. `Err` says why it cannot be told: the tenant's parameters
    /// were not read, or a placeholder has neither a value nor a (known) default.
    pub fn for_tenant(
        &self,
        tenant: &DistributionTenant,
        definitions: Option<&[TenantParameterDefinition]>,
    ) -> Result<Self, String> {
        let Some(parameters) = tenant.parameters.as_ref() else {
            return Err(format!(
                "the parameters of tenant {} ({}) were not read (GetDistributionTenant)",
                tenant.name, tenant.id
            ));
        };
        let value_of = |name: &str| -> Result<String, String> {
            if let Some(value) = parameters.get(name) {
                return Ok(value.clone());
            }
            match definitions {
                Some(definitions) => definitions
                    .iter()
                    .find(|d| d.name == name)
                    .and_then(|d| d.default_value.clone())
                    .ok_or_else(|| {
                        format!(
                            "tenant {} ({}) sets no parameter `{name}` and the distribution defines no default for it",
                            tenant.name, tenant.id
                        )
                    }),
                None => Err(format!(
                    "tenant {} ({}) sets no parameter `{name}` and the distribution's parameter defaults (TenantConfig) were not read",
                    tenant.name, tenant.id
                )),
            }
        };
        let domain_name = substitute(&self.domain_name, &value_of)?;
        let origin_path = substitute(&self.origin_path, &value_of)?;
        let origin_path = origin_path.trim_end_matches('/').to_string();
        if domain_name.is_empty() || domain_name.contains(['/', ' ', '{', '}']) {
            return Err(format!(
                "tenant {} ({}) fills the domain `{}` into `{domain_name}`, which is not a host name",
                tenant.name, tenant.id, self.domain_name
            ));
        }
        Ok(Self { kind: OriginKind::from_domain(&domain_name), domain_name, origin_path, ..self.clone() })
    }

    /// The header CloudFront sends with this name (case-insensitive), if any.
    pub fn header(&self, name: &str) -> Option<&OriginHeader> {
        self.custom_headers.iter().find(|h| h.name.eq_ignore_ascii_case(name))
    }
}

/// An origin's `VpcOriginConfig`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OriginVpcConfig {
    pub vpc_origin_id: String,
    /// The account that owns the VPC origin (shared through AWS RAM when it is not this one);
    /// `None` when CloudFront does not say (then it is this account's).
    pub owner_account_id: Option<String>,
    pub read_timeout: Option<i32>,
    pub keepalive_timeout: Option<i32>,
}

/// A CloudFront origin access control (ListOriginAccessControls): how CloudFront signs its
/// requests to the origins that use it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OriginAccessControl {
    pub id: String,
    pub name: String,
    /// `s3`, `lambda`, `mediastore`, `mediapackagev2`.
    pub origin_type: String,
    /// `always`, `never` or `no-override` (sign unless the viewer sent `Authorization`).
    pub signing_behavior: String,
    /// `sigv4`.
    pub signing_protocol: String,
}

/// A CloudFront VPC origin (ListVpcOrigins / GetVpcOrigin): the private endpoint — an ALB, an
/// NLB or an EC2 instance — that distributions reach without it being public.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VpcOrigin {
    pub id: String,
    pub arn: String,
    /// The account that owns it.
    pub account_id: String,
    pub name: String,
    /// The endpoint: a load balancer ARN or an EC2 instance ARN.
    pub endpoint_arn: String,
    /// `Deployed`, `Deploying`, `Failed` …
    pub status: String,
    /// `http-only`, `match-viewer` or `https-only`, when GetVpcOrigin was read.
    pub protocol_policy: Option<String>,
    pub http_port: Option<u16>,
    pub https_port: Option<u16>,
    pub ssl_protocols: Vec<String>,
}

impl VpcOrigin {
    /// What the endpoint is, from its ARN.
    pub fn endpoint_kind(&self) -> VpcOriginEndpoint<'_> {
        let arn = self.endpoint_arn.as_str();
        if let Some(rest) = arn.split(":loadbalancer/").nth(1) {
            if rest.starts_with("app/") {
                return VpcOriginEndpoint::Alb(arn);
            }
            return VpcOriginEndpoint::Nlb(arn);
        }
        if let Some(id) = arn.split(":instance/").nth(1) {
            return VpcOriginEndpoint::Instance(id);
        }
        VpcOriginEndpoint::Other(arn)
    }
}

/// A VPC origin's endpoint, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VpcOriginEndpoint<'a> {
    /// An Application Load Balancer (its ARN).
    Alb(&'a str),
    /// A Network Load Balancer (its ARN).
    Nlb(&'a str),
    /// An EC2 instance (its id).
    Instance(&'a str),
    Other(&'a str),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CustomOriginConfig {
    pub http_port: u16,
    pub https_port: u16,
    /// `http-only`, `match-viewer` or `https-only`.
    pub protocol_policy: String,
    /// `SSLv3`, `TLSv1`, `TLSv1.1`, `TLSv1.2`.
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub ssl_protocols: Vec<String>,
    /// `OriginMtlsConfig.ClientCertificateArn`: the certificate CloudFront presents to the
    /// origin (origin mutual TLS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_certificate_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginHeader {
    pub name: String,
    pub value: SecretValue,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CacheBehavior {
    /// `None` for the default behavior (`*`).
    pub path_pattern: Option<String>,
    pub target_origin_id: String,
    /// `allow-all`, `redirect-to-https` or `https-only`.
    pub viewer_protocol_policy: String,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub allowed_methods: Vec<String>,
    pub cache_policy_id: Option<String>,
    pub origin_request_policy_id: Option<String>,
    /// Legacy cache settings (ForwardedValues and TTLs), when no cache policy is used.
    pub legacy: Option<LegacyCacheSettings>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub lambda_function_associations: Vec<FunctionAssociation>,
    #[serde(deserialize_with = "crate::inventory::exact")]
    pub function_associations: Vec<FunctionAssociation>,
}

impl CacheBehavior {
    /// The path pattern as CloudFront shows it: `*` for the default behavior.
    pub fn pattern(&self) -> &str {
        self.path_pattern.as_deref().unwrap_or("*")
    }

    pub fn is_default(&self) -> bool {
        self.path_pattern.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LegacyCacheSettings {
    pub min_ttl: i64,
    pub default_ttl: i64,
    pub max_ttl: i64,
    /// Header names forwarded to the origin (and in the cache key); `*` means all.
    pub forwarded_headers: Vec<String>,
    pub forward_query_string: bool,
    /// `none`, `whitelist` or `all`.
    pub forward_cookies: String,
}

/// A Lambda@Edge or CloudFront Functions association.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FunctionAssociation {
    pub function_arn: String,
    /// `viewer-request`, `origin-request`, `origin-response`, `viewer-response`.
    pub event_type: String,
    pub include_body: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CachePolicy {
    pub id: String,
    pub name: String,
    /// An AWS managed policy.
    pub managed: bool,
    pub min_ttl: i64,
    pub default_ttl: i64,
    pub max_ttl: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OriginRequestPolicy {
    pub id: String,
    pub name: String,
    pub managed: bool,
    /// `none`, `whitelist`, `allViewer`, `allViewerAndWhitelistCloudFront`, `allExcept`.
    pub header_behavior: String,
    pub headers: Vec<String>,
}

impl OriginRequestPolicy {
    /// Whether requests under this policy carry the viewer's Host header to the origin.
    pub fn forwards_host_header(&self) -> bool {
        let listed = self.headers.iter().any(|h| h.eq_ignore_ascii_case("host"));
        match self.header_behavior.as_str() {
            "allViewer" | "allViewerAndWhitelistCloudFront" => true,
            "allExcept" => !listed,
            "whitelist" => listed,
            _ => false,
        }
    }
}

/// A tenant of a multi-tenant distribution (ListDistributionTenants): it serves its own
/// domains with the parent distribution's origins and behaviors, and can replace or switch off
/// the distribution's web ACL.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DistributionTenant {
    pub id: String,
    pub arn: String,
    pub name: String,
    /// The parent (multi-tenant) distribution.
    pub distribution_id: String,
    pub domains: Vec<String>,
    pub connection_group_id: Option<String>,
    pub enabled: bool,
    /// `Customizations.WebAcl`; `None` when the tenant inherits the distribution's web ACL.
    pub web_acl: Option<TenantWebAcl>,
    /// `Parameters` (GetDistributionTenant; the listing does not carry them): name → value,
    /// filled into the parent's templated origins. Read only for enabled tenants of a
    /// distribution with a templated origin; `None` when not read (then those origins are not
    /// evaluated for this tenant, never guessed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameters: Option<BTreeMap<String, String>>,
}

/// `template` with each `{{name}}` replaced by `value_of(name)`. An unclosed `{{` is an error:
/// CloudFront would not accept it, and guessing its meaning could name the wrong backend.
fn substitute(template: &str, value_of: &dyn Fn(&str) -> Result<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(format!("`{template}` has an unclosed `{{{{` placeholder"));
        };
        let value = value_of(after[..end].trim())?;
        // A value is inserted as is, never read as a template in its turn (nor is it by CloudFront).
        if value.contains("{{") {
            return Err(format!("the value of parameter `{}` is itself a template", after[..end].trim()));
        }
        out.push_str(&value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A tenant's web ACL customization.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TenantWebAcl {
    /// `override` (the tenant uses `arn` instead of the distribution's ACL) or `disable` (no
    /// web ACL at all for the tenant's traffic).
    pub action: String,
    pub arn: Option<String>,
}

/// The web ACL that filters one tenant's traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantAcl<'a> {
    /// The distribution's own web ACL applies (it may be none).
    Inherited(Option<&'a str>),
    /// The tenant replaces it with this one.
    Override(&'a str),
    /// The tenant switches web ACL filtering off.
    Disabled,
}

impl DistributionTenant {
    /// The web ACL in front of this tenant's traffic, given its parent distribution. An
    /// `override` without an ARN and an action edge-audit does not know are taken as
    /// `disable`: nothing shows an ACL applies.
    pub fn effective_acl<'a>(&'a self, parent: &'a Distribution) -> TenantAcl<'a> {
        match &self.web_acl {
            None => TenantAcl::Inherited(parent.web_acl_id.as_deref().filter(|a| !a.is_empty())),
            Some(custom) if custom.action.eq_ignore_ascii_case("override") => {
                match custom.arn.as_deref().filter(|a| !a.is_empty()) {
                    Some(arn) => TenantAcl::Override(arn),
                    None => TenantAcl::Disabled,
                }
            }
            Some(_) => TenantAcl::Disabled,
        }
    }
}
