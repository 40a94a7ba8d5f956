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
    /// Where API Gateway takes the caller's identity from, as the API reports it:
    /// `method.request.header.X-Origin-Verify` (REST, one entry per comma-separated source) or
    /// `$request.header.X-Origin-Verify` (HTTP APIs). A request without one of these is refused
    /// before a Lambda authorizer runs (when its cache is on).
    pub identity_sources: Vec<String>,
}

impl Authorizer {
    /// Whether the authorizer is a Lambda function (REST `TOKEN`/`REQUEST`, HTTP `REQUEST`):
    /// what it accepts is decided by its code, which edge-audit cannot read.
    pub fn is_lambda(&self) -> bool {
        ["TOKEN", "REQUEST"].iter().any(|t| self.authorizer_type.eq_ignore_ascii_case(t))
    }

    /// The request headers among the identity sources, lower-case.
    pub fn identity_headers(&self) -> Vec<String> {
        self.identity_sources
            .iter()
            .filter_map(|source| {
                let source = source.trim();
                source
                    .strip_prefix("method.request.header.")
                    .or_else(|| source.strip_prefix("$request.header."))
                    .map(str::to_ascii_lowercase)
            })
            .collect()
    }
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
    /// As GetDomainNames of API Gateway v1 reports it: `BASE_PATH_MAPPING_ONLY` (the default,
    /// also when absent), `ROUTING_RULE_ONLY` or `ROUTING_RULE_THEN_BASE_PATH_MAPPING` (API
    /// Gateway v2 calls the same modes `API_MAPPING_ONLY` and `ROUTING_RULE_THEN_API_MAPPING`;
    /// both spellings are understood).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing_mode: Option<String>,
    /// The domain's routing rules (apigatewayv2 ListRoutingRules), read only when the routing
    /// mode uses them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routing_rules: Vec<RoutingRule>,
    /// `mutualTlsAuthentication.truststoreUri`: the domain requires a client certificate that
    /// chains to this trust store (mutual TLS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutual_tls_truststore_uri: Option<String>,
}

/// How a custom domain name picks the API for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutingMode {
    ApiMappingOnly,
    RoutingRuleOnly,
    RoutingRuleThenApiMapping,
}

/// One way a custom domain routes requests to an API stage: through a base path mapping or a
/// routing rule, with the rule's conditions when there is one.
#[derive(Debug, Clone, Copy)]
pub struct DomainRoute<'a> {
    /// Empty for the root.
    pub base_path: &'a str,
    pub api_id: &'a str,
    pub stage: Option<&'a str>,
    /// The routing rule that sends requests this way; `None` for a base path mapping.
    pub rule: Option<&'a RoutingRule>,
}

impl ApiDomainName {
    pub fn routing_mode(&self) -> RoutingMode {
        match self.routing_mode.as_deref() {
            Some(mode) if mode.eq_ignore_ascii_case("ROUTING_RULE_ONLY") => RoutingMode::RoutingRuleOnly,
            Some(mode)
                if mode.eq_ignore_ascii_case("ROUTING_RULE_THEN_API_MAPPING")
                    || mode.eq_ignore_ascii_case("ROUTING_RULE_THEN_BASE_PATH_MAPPING") =>
            {
                RoutingMode::RoutingRuleThenApiMapping
            }
            // The default, and a mode edge-audit does not know: mappings route, rules cannot
            // lock anything.
            _ => RoutingMode::ApiMappingOnly,
        }
    }

    /// Every way the domain reaches an API, as API Gateway evaluates them: routing rules in
    /// priority order (lowest first), then — in `ROUTING_RULE_THEN_API_MAPPING` — the base path
    /// mappings. A rule without conditions is a catch-all: nothing after it is ever evaluated,
    /// so neither later rules nor the mappings reach anything.
    pub fn routes(&self) -> Vec<DomainRoute<'_>> {
        let mode = self.routing_mode();
        let mut out = Vec::new();
        if mode != RoutingMode::ApiMappingOnly {
            let mut rules: Vec<&RoutingRule> = self.routing_rules.iter().collect();
            rules.sort_by(|a, b| (a.priority, &a.id).cmp(&(b.priority, &b.id)));
            for rule in rules {
                let base_path = rule
                    .conditions
                    .iter()
                    .find_map(|c| c.match_base_paths.first())
                    .map(|p| p.trim_matches('/'))
                    .unwrap_or("");
                if let Some(action) = &rule.action {
                    out.push(DomainRoute {
                        base_path,
                        api_id: &action.api_id,
                        stage: Some(action.stage.as_str()).filter(|s| !s.is_empty()),
                        rule: Some(rule),
                    });
                }
                if rule.conditions.is_empty() {
                    return out;
                }
            }
        }
        if mode != RoutingMode::RoutingRuleOnly {
            out.extend(self.mappings.iter().map(|m| DomainRoute {
                base_path: &m.base_path,
                api_id: &m.api_id,
                stage: m.stage.as_deref(),
                rule: None,
            }));
        }
        out
    }
}

/// A routing rule of a custom domain name: when every condition holds, the request goes to the
/// action's API stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoutingRule {
    pub id: String,
    /// 1–1000000, evaluated lowest first.
    pub priority: i32,
    /// ANDed: the rule matches when every condition holds; none makes it a catch-all.
    pub conditions: Vec<RoutingCondition>,
    /// The InvokeApi action (the only action API Gateway has); `None` if none was reported.
    pub action: Option<RoutingAction>,
}

/// One condition of a routing rule: a set of base paths (any of them) or of header globs (any
/// of them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoutingCondition {
    /// Case-sensitive base paths, any of which matches.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub match_base_paths: Vec<String>,
    /// Header name + value glob pairs, any of which matches.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub match_headers: Vec<HeaderGlob>,
}

/// A header condition: the header's name (matched case-insensitively) and its value glob
/// (case-sensitive, a literal with an optional `*` at the start, the end or both). The glob is
/// a secret when it is the value a distribution sends, so only its literal part is kept, as a
/// fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderGlob {
    pub header: String,
    /// Where the glob's wildcards are.
    pub wildcard: GlobWildcard,
    /// The glob without its wildcards.
    pub literal: SecretValue,
}

/// The shape of a header value glob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GlobWildcard {
    /// No wildcard: the value must equal the literal.
    None,
    /// `literal*`.
    Prefix,
    /// `*literal`.
    Suffix,
    /// `*literal*` (and `*` alone, whose literal is empty).
    Contains,
}

impl HeaderGlob {
    /// Splits a value glob into its wildcard shape and literal, fingerprinting the literal. The
    /// plaintext is not kept.
    pub fn from_glob(header: &str, glob: &str) -> Self {
        let leading = glob.starts_with('*');
        let rest = glob.strip_prefix('*').unwrap_or(glob);
        let trailing = rest.ends_with('*');
        let literal = rest.strip_suffix('*').unwrap_or(rest);
        let wildcard = match (leading, trailing) {
            (false, false) => GlobWildcard::None,
            (false, true) => GlobWildcard::Prefix,
            (true, false) if literal.is_empty() => GlobWildcard::Contains,
            (true, false) => GlobWildcard::Suffix,
            (true, true) => GlobWildcard::Contains,
        };
        Self { header: header.to_string(), wildcard, literal: SecretValue::from_plaintext(literal) }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoutingAction {
    pub api_id: String,
    pub stage: String,
    pub strip_base_path: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BasePathMapping {
    /// `(none)` is stored as an empty string.
    pub base_path: String,
    pub api_id: String,
    pub stage: Option<String>,
}
