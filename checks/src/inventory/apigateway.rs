//! API Gateway: REST APIs (v1), HTTP APIs (v2), usage plans, API keys and custom domain names.

use super::Tags;
use crate::secret::SecretValue;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RestApi {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub region: String,
    /// `EDGE`, `REGIONAL`, `PRIVATE`.
    pub endpoint_types: Vec<String>,
    pub disable_execute_api_endpoint: bool,
    /// `HEADER` or `AUTHORIZER`; API Gateway's default is HEADER.
    pub api_key_source: Option<String>,
    /// The resource policy document, parsed.
    pub policy: Option<serde_json::Value>,
    pub stages: Vec<RestStage>,
    pub resources: Vec<RestResource>,
    pub authorizers: Vec<Authorizer>,
    pub tags: Tags,
}

impl RestApi {
    pub fn stage(&self, name: &str) -> Option<&RestStage> {
        self.stages.iter().find(|s| s.name == name)
    }

    pub fn is_edge_optimized(&self) -> bool {
        self.endpoint_types.iter().any(|t| t == "EDGE")
    }

    pub fn is_private(&self) -> bool {
        self.endpoint_types.iter().any(|t| t == "PRIVATE")
    }

    /// Every method of every resource, with its resource path.
    pub fn methods(&self) -> impl Iterator<Item = (&str, &RestMethod)> {
        self.resources.iter().flat_map(|r| r.methods.iter().map(move |m| (r.path.as_str(), m)))
    }

    pub(crate) fn normalize(&mut self) {
        self.endpoint_types.sort();
        self.stages.sort_by(|a, b| a.name.cmp(&b.name));
        self.resources.sort_by(|a, b| a.path.cmp(&b.path));
        for r in &mut self.resources {
            r.methods.sort_by(|a, b| a.http_method.cmp(&b.http_method));
        }
        self.authorizers.sort_by(|a, b| a.id.cmp(&b.id));
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RestStage {
    pub name: String,
    pub web_acl_arn: Option<String>,
    /// Stage-wide throttling (method settings `*/*`), when set.
    pub throttling: Option<Throttle>,
    pub tags: Tags,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Throttle {
    pub rate_limit: f64,
    pub burst_limit: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RestResource {
    pub id: String,
    pub path: String,
    pub methods: Vec<RestMethod>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RestMethod {
    pub http_method: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM`, `COGNITO_USER_POOLS`.
    pub authorization_type: String,
    pub authorizer_id: Option<String>,
    pub api_key_required: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Authorizer {
    pub id: String,
    pub name: String,
    /// `TOKEN`, `REQUEST`, `COGNITO_USER_POOLS` (REST); `REQUEST`, `JWT` (HTTP).
    pub authorizer_type: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpApi {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub region: String,
    /// `HTTP` or `WEBSOCKET`.
    pub protocol_type: String,
    pub api_endpoint: String,
    pub disable_execute_api_endpoint: bool,
    pub stages: Vec<HttpStage>,
    pub routes: Vec<HttpRoute>,
    pub authorizers: Vec<Authorizer>,
    pub tags: Tags,
}

impl HttpApi {
    pub(crate) fn normalize(&mut self) {
        self.stages.sort_by(|a, b| a.name.cmp(&b.name));
        self.routes.sort_by(|a, b| a.route_key.cmp(&b.route_key));
        self.authorizers.sort_by(|a, b| a.id.cmp(&b.id));
    }

    pub fn has_only_default_stage(&self) -> bool {
        !self.stages.is_empty() && self.stages.iter().all(|s| s.name == "$default")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpStage {
    pub name: String,
    pub auto_deploy: bool,
    pub throttling: Option<Throttle>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpRoute {
    pub id: String,
    /// `GET /items`, `$default`.
    pub route_key: String,
    /// `NONE`, `AWS_IAM`, `CUSTOM`, `JWT`.
    pub authorization_type: String,
    pub authorizer_id: Option<String>,
    pub api_key_required: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UsagePlan {
    pub id: String,
    pub name: String,
    pub region: String,
    pub api_stages: Vec<UsagePlanStage>,
    pub throttle: Option<Throttle>,
    pub api_key_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UsagePlanStage {
    pub api_id: String,
    pub stage: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub region: String,
    pub enabled: bool,
    /// The key's value as a fingerprint, so a distribution's `x-api-key` header can be matched
    /// to it. `None` when the value was not read.
    pub value: Option<SecretValue>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiDomainName {
    pub name: String,
    pub region: String,
    /// `EDGE` or `REGIONAL`.
    pub endpoint_type: String,
    /// `d-abc.execute-api.eu-west-1.amazonaws.com` for regional domains.
    pub regional_domain_name: Option<String>,
    /// `d111.cloudfront.net` for edge-optimized domains.
    pub distribution_domain_name: Option<String>,
    pub mappings: Vec<BasePathMapping>,
    /// `mutualTlsAuthentication.truststoreUri`: the domain requires a client certificate that
    /// chains to this trust store (mutual TLS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutual_tls_truststore_uri: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BasePathMapping {
    /// `(none)` is stored as an empty string.
    pub base_path: String,
    pub api_id: String,
    pub stage: Option<String>,
}
