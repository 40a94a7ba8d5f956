//! The perimeter model: what makes an origin refuse requests that did not come through a
//! distribution (its *lock*), and which resources are reachable from the internet directly.
//!
//! Everything here is shared by several checks (EA106, EA110/EA111, EA202–EA207, EA305,
//! EA404/EA405 …), so that "is this API locked to CloudFront?" has exactly one answer.
//!
//! Two sides make a lock:
//! - the **distribution side** ([`Sent`]): what the distribution adds to its requests to one origin
//!   that the origin could check — a secret custom header (`x-api-key` included), an origin
//!   access control (OAC), a VPC origin, an `origin-request` Lambda@Edge signer;
//! - the **origin side** ([`OriginSide`]): the [`Guard`]s that make the origin refuse requests
//!   without that — a regional web ACL or ALB listener rules that require the header, required
//!   API keys fed from the header, AWS_IAM on every method, a Lambda URL with AuthType AWS_IAM,
//!   an endpoint that is not public at all.
//!
//! Guards at one origin all apply (a request must pass the web ACL *and* the method's
//! authorization), so a guard the distribution does not satisfy breaks the distribution even if
//! another one is satisfied; that is EA305's business. An origin with at least one guard refuses
//! requests that lack something only the distribution (or whoever holds its secret) has: it is
//! *locked*, and not an internet-facing entry point.
//!
//! Secret values are compared by fingerprint only ([`SecretValue::same_value`]).

use crate::check::Context;
use crate::index::{Index, ResolvedOrigin};
use crate::inventory::*;
use crate::options::CheckOptions;
use crate::secret::SecretValue;
use serde::Serialize;
use std::collections::BTreeMap;

/// The header API Gateway reads API keys from (apiKeySource HEADER).
pub const API_KEY_HEADER: &str = "x-api-key";

/// Names of the CloudFront origin-facing managed prefix lists.
pub const CLOUDFRONT_PREFIX_LISTS: [&str; 2] =
    ["com.amazonaws.global.cloudfront.origin-facing", "com.amazonaws.global.cloudfront.ipv6-origin-facing"];

// ---------------------------------------------------------------------------------------------
// API origins
// ---------------------------------------------------------------------------------------------

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
    pub api_key_required: bool,
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
    pub fn api_targets(&self, origin: &'a Origin) -> Vec<ApiTarget<'a>> {
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
            ResolvedOrigin::ApiDomain { domain } => domain
                .mappings
                .iter()
                .filter(|m| {
                    m.base_path.is_empty() || first_segment.is_empty() || m.base_path == first_segment
                })
                .filter_map(|m| self.api(&m.api_id).map(|api| ApiTarget { api, stage: m.stage.clone() }))
                .collect(),
            _ => Vec::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Distribution side
// ---------------------------------------------------------------------------------------------

/// What a distribution sends to one origin that the origin could use to recognise it.
#[derive(Debug, Clone, Default)]
pub struct Sent<'a> {
    /// Custom headers whose names mark them as secrets (`x-origin-verify`, `x-api-key` …).
    pub secret_headers: Vec<&'a OriginHeader>,
    pub origin_access_control: Option<&'a str>,
    pub vpc_origin: Option<&'a str>,
    /// The `origin-request` Lambda@Edge function on every behavior that routes to the origin.
    pub signer: Option<&'a str>,
    /// An S3 website origin sent a `Referer` header (checked by an `aws:Referer` bucket policy
    /// condition, the only header an S3 website can check).
    pub referer: Option<&'a OriginHeader>,
}

impl<'a> Sent<'a> {
    pub fn of(distribution: &'a Distribution, origin: &'a Origin, options: &CheckOptions) -> Sent<'a> {
        let secret_headers =
            origin.custom_headers.iter().filter(|h| options.is_secret_header(&h.name)).collect();
        let behaviors: Vec<&CacheBehavior> = distribution.behaviors_for(&origin.id).collect();
        let signer = if behaviors.is_empty() {
            None
        } else {
            let signers: Vec<Option<&str>> = behaviors
                .iter()
                .map(|b| {
                    b.lambda_function_associations
                        .iter()
                        .find(|a| a.event_type == "origin-request")
                        .map(|a| a.function_arn.as_str())
                })
                .collect();
            // Only a signer on every route to the origin signs every request.
            if signers.iter().all(Option::is_some) {
                signers.into_iter().flatten().next()
            } else {
                None
            }
        };
        let referer = match origin.kind {
            crate::origin::OriginKind::S3Website { .. } => origin.header("Referer"),
            _ => None,
        };
        Sent {
            secret_headers,
            origin_access_control: origin.origin_access_control_id.as_deref().filter(|s| !s.is_empty()),
            vpc_origin: origin.vpc_origin_id.as_deref().filter(|s| !s.is_empty()),
            signer,
            referer,
        }
    }

    /// Whether the distribution does anything an origin could recognise it by.
    pub fn any(&self) -> bool {
        !self.mechanisms().is_empty()
    }

    /// The mechanisms, by name, for evidence.
    pub fn mechanisms(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if !self.secret_headers.is_empty() {
            out.push("secret-header");
        }
        if self.origin_access_control.is_some() {
            out.push("origin-access-control");
        }
        if self.vpc_origin.is_some() {
            out.push("vpc-origin");
        }
        if self.signer.is_some() {
            out.push("origin-request-signer");
        }
        if self.referer.is_some() {
            out.push("referer-header");
        }
        out
    }
}

/// A header as evidence: the name and the fingerprint/length/strength, never the value.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderEvidence {
    pub name: String,
    pub fingerprint: String,
    pub length: usize,
    pub strength: crate::secret::Strength,
}

impl HeaderEvidence {
    pub fn of(name: &str, value: &SecretValue) -> HeaderEvidence {
        HeaderEvidence {
            name: name.to_string(),
            fingerprint: value.fingerprint.clone(),
            length: value.length,
            strength: value.strength,
        }
    }
}

pub fn headers_evidence(headers: &[&OriginHeader]) -> Vec<HeaderEvidence> {
    headers.iter().map(|h| HeaderEvidence::of(&h.name, &h.value)).collect()
}

// ---------------------------------------------------------------------------------------------
// Header checks (web ACL statements, ALB listener rule conditions)
// ---------------------------------------------------------------------------------------------

/// One value an origin-side header check accepts.
#[derive(Debug, Clone)]
pub struct ExpectedValue<'a> {
    /// `None` when the value cannot be known (a regex that is not a plain literal).
    pub value: Option<&'a SecretValue>,
    /// The check accepts exactly this value, so a different fingerprint is a real mismatch
    /// (EXACTLY without transformations, a literal regex, an ALB header value).
    pub exact: bool,
}

/// An origin-side requirement that a request carry header `name` with one of `values`.
#[derive(Debug, Clone)]
pub struct HeaderCheck<'a> {
    /// Lowercase.
    pub name: String,
    pub values: Vec<ExpectedValue<'a>>,
    /// Why the value could not be verified, when it could not.
    pub unverifiable: Option<String>,
}

/// How a distribution's request fares against a header check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Satisfied,
    CouldNotVerify,
    Mismatch,
}

impl<'a> HeaderCheck<'a> {
    pub fn judge(&self, origin: &Origin) -> Verdict {
        let Some(sent) = origin.header(&self.name) else {
            return Verdict::Mismatch;
        };
        let mut verdict = Verdict::Mismatch;
        for expected in &self.values {
            match expected.value {
                Some(value) if value.same_value(&sent.value) => return Verdict::Satisfied,
                Some(_) if expected.exact => {}
                _ => verdict = Verdict::CouldNotVerify,
            }
        }
        if self.values.is_empty() && self.unverifiable.is_some() {
            verdict = Verdict::CouldNotVerify;
        }
        verdict
    }

    /// The fingerprints this check accepts, for evidence.
    pub fn evidence(&self) -> serde_json::Value {
        serde_json::json!({
            "header": self.name,
            "accepted_values": self.values.iter().map(|v| match v.value {
                Some(value) => serde_json::json!({
                    "fingerprint": value.fingerprint,
                    "length": value.length,
                    "exact": v.exact,
                }),
                None => serde_json::json!({"fingerprint": null, "exact": false}),
            }).collect::<Vec<_>>(),
        })
    }
}

/// A header check from a WAF statement on a single header, if it is one.
fn statement_header_check<'a>(statement: &'a Statement, index: &Index<'a>) -> Option<HeaderCheck<'a>> {
    match statement {
        Statement::ByteMatch {
            field: FieldToMatch::SingleHeader { name },
            positional_constraint,
            search,
            transformations,
        } => {
            let untransformed = transformations.iter().all(|t| t.eq_ignore_ascii_case("NONE"));
            Some(HeaderCheck {
                name: name.to_ascii_lowercase(),
                values: vec![ExpectedValue {
                    value: Some(search),
                    exact: untransformed && positional_constraint == "EXACTLY",
                }],
                unverifiable: None,
            })
        }
        Statement::RegexMatch { field: FieldToMatch::SingleHeader { name }, literal, .. } => {
            Some(HeaderCheck {
                name: name.to_ascii_lowercase(),
                values: vec![ExpectedValue { value: literal.as_ref(), exact: literal.is_some() }],
                unverifiable: literal.is_none().then(|| "the regex is not a plain literal".to_string()),
            })
        }
        Statement::RegexPatternSetReference { arn, field: FieldToMatch::SingleHeader { name } } => {
            let name = name.to_ascii_lowercase();
            Some(match index.regex_pattern_sets.get(arn.as_str()) {
                Some(set) => HeaderCheck {
                    name,
                    values: set
                        .patterns
                        .iter()
                        .map(|p| ExpectedValue { value: p.literal.as_ref(), exact: p.literal.is_some() })
                        .collect(),
                    unverifiable: set.patterns.iter().any(|p| p.literal.is_none()).then(|| {
                        format!("regex pattern set {} holds patterns that are not literals", set.name)
                    }),
                },
                None => HeaderCheck {
                    name,
                    values: Vec::new(),
                    unverifiable: Some(format!("regex pattern set {arn} was not collected")),
                },
            })
        }
        _ => None,
    }
}

/// Alternatives of ANDed header checks: a request passes if it satisfies every check of one
/// alternative.
pub type HeaderAlternatives<'a> = Vec<Vec<HeaderCheck<'a>>>;

/// The header alternatives a statement requires to match, or `None` when it can match a request
/// without any particular header (an IP set, a path, a rate rule …).
fn required_headers<'a>(statement: &'a Statement, index: &Index<'a>) -> Option<HeaderAlternatives<'a>> {
    if let Some(check) = statement_header_check(statement, index) {
        return Some(vec![vec![check]]);
    }
    match statement {
        Statement::And { statements } => {
            // Sub-statements without a header requirement only narrow the match further.
            let mut combined: Option<HeaderAlternatives<'a>> = None;
            for sub in statements {
                if let Some(alternatives) = required_headers(sub, index) {
                    combined = Some(match combined {
                        None => alternatives,
                        Some(previous) => cross(previous, alternatives),
                    });
                }
            }
            combined
        }
        Statement::Or { statements } => {
            let mut all = Vec::new();
            for sub in statements {
                all.extend(required_headers(sub, index)?);
            }
            Some(all)
        }
        _ => None,
    }
}

fn cross<'a>(left: HeaderAlternatives<'a>, right: HeaderAlternatives<'a>) -> HeaderAlternatives<'a> {
    let mut out = Vec::new();
    for l in &left {
        for r in &right {
            let mut both = l.clone();
            both.extend(r.iter().cloned());
            out.push(both);
        }
    }
    out
}

/// Whether a web ACL refuses requests that lack a header.
#[derive(Debug, Clone)]
pub enum AclHeaderGuard<'a> {
    /// Every request the ACL lets through satisfies one of these alternatives.
    Enforced(HeaderAlternatives<'a>),
    /// The ACL lets requests through without the header; the reason says how.
    NotEnforced(String),
    /// The ACL could let requests through without the header, but edge-audit cannot tell.
    Unverifiable(String),
}

/// Analyses a web ACL: default Block with only header-requiring Allow rules, or default Allow
/// with a blocking `NOT(header matches)` rule that no earlier Allow rule bypasses.
pub fn acl_header_guard<'a>(acl: &'a WebAcl, index: &Index<'a>) -> AclHeaderGuard<'a> {
    let mut rules: Vec<&WafRule> = acl.rules.iter().collect();
    rules.sort_by_key(|r| r.priority);
    let allows = |r: &WafRule| r.action == Some(WafAction::Allow);
    // A custom rule group may hold Allow rules we cannot see; AWS managed groups never allow.
    let opaque_group = |r: &WafRule| {
        r.action.is_none() && !r.override_count && matches!(r.statement, Statement::RuleGroupReference { .. })
    };
    match acl.default_action {
        WafAction::Block | WafAction::Captcha | WafAction::Challenge => {
            let mut alternatives = Vec::new();
            for rule in &rules {
                if opaque_group(rule) {
                    return AclHeaderGuard::Unverifiable(format!(
                        "rule {} references a custom rule group that may allow requests",
                        rule.name
                    ));
                }
                if !allows(rule) {
                    continue;
                }
                match required_headers(&rule.statement, index) {
                    Some(alts) => alternatives.extend(alts),
                    None => {
                        return AclHeaderGuard::NotEnforced(format!(
                            "rule {} allows requests without a secret header",
                            rule.name
                        ))
                    }
                }
            }
            AclHeaderGuard::Enforced(alternatives)
        }
        WafAction::Allow | WafAction::Count => {
            let mut required: Option<HeaderAlternatives<'a>> = None;
            for rule in &rules {
                if opaque_group(rule) && required.is_none() {
                    return AclHeaderGuard::Unverifiable(format!(
                        "rule {} references a custom rule group that may allow requests",
                        rule.name
                    ));
                }
                if allows(rule) && required.is_none() && required_headers(&rule.statement, index).is_none() {
                    // An Allow rule before any header block lets requests through regardless.
                    return AclHeaderGuard::NotEnforced(format!(
                        "rule {} allows requests before any header check",
                        rule.name
                    ));
                }
                let blocks = rule.action.is_some_and(WafAction::blocks);
                if let (true, Statement::Not { statement }) = (blocks, &rule.statement) {
                    if let Some(alts) = required_headers(statement, index) {
                        required = Some(match required {
                            None => alts,
                            Some(previous) => cross(previous, alts),
                        });
                    }
                }
            }
            match required {
                Some(alternatives) => AclHeaderGuard::Enforced(alternatives),
                None => AclHeaderGuard::NotEnforced(
                    "default action Allow and no rule blocks requests without a secret header".to_string(),
                ),
            }
        }
    }
}

/// Judges a request from `origin` against header alternatives: satisfied if one alternative is.
pub fn judge_alternatives(alternatives: &HeaderAlternatives<'_>, origin: &Origin) -> Verdict {
    alternatives
        .iter()
        .map(|checks| checks.iter().map(|c| c.judge(origin)).max().unwrap_or(Verdict::Satisfied))
        .min()
        .unwrap_or(Verdict::Mismatch)
}

// ---------------------------------------------------------------------------------------------
// Origin side
// ---------------------------------------------------------------------------------------------

/// Where a header guard lives.
#[derive(Debug, Clone, Copy)]
pub enum GuardSource<'a> {
    WebAcl(&'a WebAcl),
    Listeners(&'a LoadBalancer),
}

impl GuardSource<'_> {
    pub fn describe(&self) -> String {
        match self {
            GuardSource::WebAcl(acl) => format!("web ACL {}", acl.name),
            GuardSource::Listeners(lb) => format!("listener rules of {}", lb.name),
        }
    }
}

/// Something that makes an origin refuse requests lacking what the distribution supplies.
#[derive(Debug, Clone)]
pub enum Guard<'a> {
    /// Requests must carry a secret header (web ACL or ALB listener rules).
    Header { source: GuardSource<'a>, alternatives: HeaderAlternatives<'a> },
    /// Every method requires an API key read from `x-api-key`, and the stage is in a usage plan
    /// holding `keys`.
    ApiKey { keys: Vec<&'a ApiKey> },
    /// AWS_IAM authorization on every method or route: only a signer at the edge gets through.
    Iam,
    /// A Lambda function URL with AuthType AWS_IAM: only an OAC-signed request gets through.
    LambdaIam,
    /// Not reachable from the internet at all.
    NotPublic(String),
}

impl Guard<'_> {
    pub fn name(&self) -> &'static str {
        match self {
            Guard::Header { .. } => "secret-header-check",
            Guard::ApiKey { .. } => "required-api-key",
            Guard::Iam => "aws-iam-authorization",
            Guard::LambdaIam => "function-url-aws-iam",
            Guard::NotPublic(_) => "not-public",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Guard::Header { source, .. } => format!("{} requires a secret header", source.describe()),
            Guard::ApiKey { .. } => "every method requires an API key from x-api-key".to_string(),
            Guard::Iam => "AWS_IAM authorization on every method".to_string(),
            Guard::LambdaIam => "function URL AuthType AWS_IAM".to_string(),
            Guard::NotPublic(why) => why.clone(),
        }
    }
}

/// How one guard treats the requests a distribution sends through one origin.
#[derive(Debug, Clone)]
pub struct GuardVerdict {
    pub verdict: Verdict,
    /// Why, in a sentence without secret values.
    pub why: String,
}

impl<'a> Guard<'a> {
    pub fn judge(&self, origin: &Origin, sent: &Sent<'_>) -> GuardVerdict {
        let (verdict, why) = match self {
            Guard::Header { source, alternatives } => {
                let verdict = judge_alternatives(alternatives, origin);
                let expected: Vec<String> =
                    alternatives.iter().flat_map(|a| a.iter().map(|c| c.name.clone())).collect();
                let sent_names: Vec<&str> = origin.custom_headers.iter().map(|h| h.name.as_str()).collect();
                let why = match verdict {
                    Verdict::Satisfied => {
                        format!("{} accepts the header the distribution sends", source.describe())
                    }
                    Verdict::CouldNotVerify => {
                        format!(
                            "{} checks header(s) {} with a value edge-audit cannot compare",
                            source.describe(),
                            expected.join(", ")
                        )
                    }
                    Verdict::Mismatch => {
                        let sends_name = expected.iter().any(|n| origin.header(n).is_some());
                        if alternatives.is_empty() {
                            format!("{} allows no request at all", source.describe())
                        } else if sends_name {
                            format!(
                                "{} expects header {} with another value than the distribution sends",
                                source.describe(),
                                expected.join(" or ")
                            )
                        } else {
                            format!(
                                "{} expects header {} but the distribution sends {}",
                                source.describe(),
                                expected.join(" or "),
                                if sent_names.is_empty() {
                                    "no custom header".to_string()
                                } else {
                                    sent_names.join(", ")
                                }
                            )
                        }
                    }
                };
                (verdict, why)
            }
            Guard::ApiKey { keys } => match origin.header(API_KEY_HEADER) {
                None => (
                    Verdict::Mismatch,
                    "the API requires an API key but the distribution sends no x-api-key".to_string(),
                ),
                Some(header) => {
                    let enabled: Vec<&&ApiKey> = keys.iter().filter(|k| k.enabled).collect();
                    if enabled.iter().any(|k| k.value.as_ref().is_some_and(|v| v.same_value(&header.value))) {
                        (Verdict::Satisfied, "the x-api-key the distribution sends is an enabled key of the stage's usage plan".to_string())
                    } else if enabled.iter().any(|k| k.value.is_none()) {
                        (
                            Verdict::CouldNotVerify,
                            "the values of the usage plan's API keys were not read".to_string(),
                        )
                    } else if enabled.is_empty() {
                        (Verdict::Mismatch, "the stage's usage plans hold no enabled API key".to_string())
                    } else {
                        (
                            Verdict::Mismatch,
                            "the x-api-key the distribution sends is not a key of the stage's usage plans"
                                .to_string(),
                        )
                    }
                }
            },
            Guard::Iam => match sent.signer {
                Some(_) => (
                    Verdict::Satisfied,
                    "an origin-request Lambda@Edge function signs the requests".to_string(),
                ),
                None => (
                    Verdict::Mismatch,
                    "no origin-request Lambda@Edge function signs the requests".to_string(),
                ),
            },
            Guard::LambdaIam => match sent.origin_access_control {
                Some(_) => (Verdict::Satisfied, "the origin access control signs the requests".to_string()),
                None => (Verdict::Mismatch, "no origin access control signs the requests".to_string()),
            },
            Guard::NotPublic(why) => (Verdict::Satisfied, why.clone()),
        };
        GuardVerdict { verdict, why }
    }
}

/// What the origin side of one reachable resource (REST stage, HTTP API, ALB, function URL)
/// does about requests that did not come through a distribution.
#[derive(Debug, Clone, Default)]
pub struct OriginSide<'a> {
    pub guards: Vec<Guard<'a>>,
    /// Every method/route requires some authorization (IAM, Cognito, JWT, a Lambda authorizer).
    /// Not a lock to the distribution, but not open either.
    pub authorization_everywhere: bool,
    /// Things that might restrict access that edge-audit cannot interpret (a resource policy, a
    /// regex header check, a custom rule group).
    pub unverifiable: Vec<String>,
    /// Why the origin side could not be assessed completely (a service not read).
    pub not_collected: Vec<String>,
    /// Facts for evidence: why each potential guard does not apply.
    pub open_because: Vec<String>,
}

impl OriginSide<'_> {
    /// Whether the origin refuses requests that lack what only the distribution supplies.
    pub fn is_locked(&self) -> bool {
        !self.guards.is_empty()
    }

    pub fn guard_names(&self) -> Vec<&'static str> {
        self.guards.iter().map(Guard::name).collect()
    }

    pub fn is_complete(&self) -> bool {
        self.not_collected.is_empty()
    }
}

/// The coverage gaps among `services` in `region`, as reasons.
pub fn coverage_gaps(account: &AccountInventory, region: &str, services: &[Service]) -> Vec<String> {
    services
        .iter()
        .filter(|s| !account.is_collected(region, **s))
        .map(|s| format!("{s} was not read completely in {region}"))
        .collect()
}

/// Adds a web ACL's header guard (if any) to `side`.
fn add_acl_guard<'a>(
    side: &mut OriginSide<'a>,
    account: &AccountInventory,
    index: &Index<'a>,
    acl_arn: Option<&'a str>,
    region: &str,
    what: &str,
) {
    let Some(acl_arn) = acl_arn.filter(|a| !a.is_empty()) else {
        side.open_because.push(format!("{what} has no web ACL"));
        return;
    };
    match index.web_acls.get(acl_arn) {
        Some(acl) => match acl_header_guard(acl, index) {
            AclHeaderGuard::Enforced(alternatives) => {
                side.guards.push(Guard::Header { source: GuardSource::WebAcl(acl), alternatives })
            }
            AclHeaderGuard::NotEnforced(why) => {
                side.open_because.push(format!("web ACL {}: {why}", acl.name))
            }
            AclHeaderGuard::Unverifiable(why) => {
                side.unverifiable.push(format!("web ACL {}: {why}", acl.name))
            }
        },
        None if !account.is_collected(region, Service::WafRegional) => side
            .not_collected
            .push(format!("web ACL {acl_arn} could not be read (wafv2-regional in {region})")),
        None => side.unverifiable.push(format!("web ACL {acl_arn} is not in the inventory")),
    }
}

/// Whether a resource policy is one edge-audit can read as "no restriction": absent, or only
/// unconditional Allow statements.
fn policy_is_plainly_open(policy: Option<&serde_json::Value>) -> bool {
    let Some(policy) = policy else { return true };
    let statements = match policy.get("Statement") {
        Some(serde_json::Value::Array(list)) => list.clone(),
        Some(single) => vec![single.clone()],
        None => return true,
    };
    statements
        .iter()
        .all(|s| s.get("Effect").and_then(|e| e.as_str()) == Some("Allow") && s.get("Condition").is_none())
}

/// Whether a custom domain name maps the API (so a disabled execute-api endpoint still leaves a
/// public door).
fn mapped_by_custom_domain(index: &Index<'_>, api_id: &str) -> bool {
    index.domain_names.values().any(|d| d.mappings.iter().any(|m| m.api_id == api_id))
}

/// The origin side of a REST API stage (or the API, for the guards that do not depend on the
/// stage, when `stage` is `None`).
pub fn rest_side<'a>(ctx: &Context<'a>, api: &'a RestApi, stage: Option<&'a RestStage>) -> OriginSide<'a> {
    let account = ctx.account;
    let index = ctx.index;
    let mut side = OriginSide {
        not_collected: coverage_gaps(account, &api.region, &[Service::Apigateway]),
        ..OriginSide::default()
    };
    if api.is_private() {
        side.guards.push(Guard::NotPublic("PRIVATE endpoint, reachable only from VPC endpoints".to_string()));
    }
    if api.disable_execute_api_endpoint && !mapped_by_custom_domain(index, &api.id) {
        side.guards.push(Guard::NotPublic("default execute-api endpoint disabled".to_string()));
    }
    if let Some(stage) = stage {
        add_acl_guard(
            &mut side,
            account,
            index,
            stage.web_acl_arn.as_deref(),
            &api.region,
            &format!("stage {}", stage.name),
        );
    }
    let operations = Api::Rest(api).operations();
    add_operation_guards(&mut side, &operations, signed_at_edge(ctx, &api.arn));
    let key_source_header = api.api_key_source.as_deref().is_none_or(|s| s.eq_ignore_ascii_case("HEADER"));
    if !operations.is_empty() && operations.iter().all(|o| o.api_key_required) {
        let plans: Vec<&UsagePlan> = match stage {
            Some(stage) => index
                .usage_plans_by_stage
                .get(&(api.id.as_str(), stage.name.as_str()))
                .map(|p| p.to_vec())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        if !key_source_header {
            side.open_because.push("API keys are required but apiKeySource is AUTHORIZER".to_string());
        } else if plans.is_empty() {
            side.open_because.push("API keys are required but the stage is in no usage plan".to_string());
        } else {
            let keys = plans
                .iter()
                .flat_map(|p| p.api_key_ids.iter())
                .filter_map(|id| index.api_keys.get(id.as_str()).copied())
                .collect();
            side.guards.push(Guard::ApiKey { keys });
        }
    } else if operations.iter().any(|o| o.api_key_required) {
        // Keys on some methods only: the others are the way around.
        side.open_because.push("not every method requires an API key".to_string());
    }
    if !policy_is_plainly_open(api.policy.as_ref()) {
        side.unverifiable
            .push("the API has a resource policy with conditions or Deny statements".to_string());
    }
    side
}

/// Whether some distribution origin that reaches `arn` signs its requests at the edge.
pub fn signed_at_edge(ctx: &Context<'_>, arn: &str) -> bool {
    ctx.index
        .origins_reaching(arn)
        .iter()
        .any(|u| Sent::of(u.distribution, u.origin, ctx.options).signer.is_some())
}

/// Guards that come from method/route authorization. AWS_IAM everywhere is a lock only with a
/// signer at the edge; without one it is "authorization everywhere" like any authorizer.
fn add_operation_guards(side: &mut OriginSide<'_>, operations: &[Operation<'_>], signed: bool) {
    if operations.is_empty() {
        return;
    }
    if operations.iter().all(Operation::is_iam) {
        if signed {
            side.guards.push(Guard::Iam);
        } else {
            side.open_because.push(
                "AWS_IAM on every method, but no distribution signs its requests with Lambda@Edge"
                    .to_string(),
            );
        }
    } else {
        let open: Vec<&str> =
            operations.iter().filter(|o| !o.is_iam()).map(|o| o.name.as_str()).take(5).collect();
        side.open_because.push(format!("not every method uses AWS_IAM ({})", open.join(", ")));
    }
    side.authorization_everywhere = operations.iter().all(Operation::requires_authorization);
}

/// The origin side of an HTTP (or WebSocket) API.
pub fn http_side<'a>(ctx: &Context<'a>, api: &'a HttpApi) -> OriginSide<'a> {
    let mut side = OriginSide {
        not_collected: coverage_gaps(ctx.account, &api.region, &[Service::Apigatewayv2]),
        ..OriginSide::default()
    };
    if api.disable_execute_api_endpoint && !mapped_by_custom_domain(ctx.index, &api.id) {
        side.guards.push(Guard::NotPublic("default execute-api endpoint disabled".to_string()));
    }
    add_operation_guards(&mut side, &Api::Http(api).operations(), signed_at_edge(ctx, &api.arn));
    side
}

/// The origin side of an API: per stage for REST APIs.
pub fn api_side<'a>(ctx: &Context<'a>, api: Api<'a>, stage: Option<&str>) -> OriginSide<'a> {
    match api {
        Api::Rest(rest) => rest_side(ctx, rest, stage.and_then(|s| rest.stage(s))),
        Api::Http(http) => http_side(ctx, http),
    }
}

/// The origin side of a load balancer.
pub fn alb_side<'a>(ctx: &Context<'a>, lb: &'a LoadBalancer) -> OriginSide<'a> {
    let mut side = OriginSide {
        not_collected: coverage_gaps(ctx.account, &lb.region, &[Service::Elbv2, Service::WafRegional]),
        ..OriginSide::default()
    };
    if lb.scheme == "internal" {
        side.guards.push(Guard::NotPublic("internal load balancer".to_string()));
    }
    add_acl_guard(
        &mut side,
        ctx.account,
        ctx.index,
        lb.web_acl_arn.as_deref(),
        &lb.region,
        "the load balancer",
    );
    match listener_header_guard(lb) {
        Ok(alternatives) => {
            side.guards.push(Guard::Header { source: GuardSource::Listeners(lb), alternatives })
        }
        Err(why) => side.open_because.push(why),
    }
    side
}

/// The header alternatives an ALB's listeners require before forwarding: every listener's
/// default action must not forward, and every rule that forwards must have an http-header
/// condition. `Err` says which listener or rule forwards without one.
pub fn listener_header_guard(lb: &LoadBalancer) -> Result<HeaderAlternatives<'_>, String> {
    if lb.listeners.is_empty() {
        return Err(format!("load balancer {} has no listener rules to check a header", lb.name));
    }
    let mut alternatives = Vec::new();
    for listener in &lb.listeners {
        if listener.default_actions.iter().any(LbAction::forwards) {
            return Err(format!(
                "listener {} ({} {}) forwards by default without requiring a header",
                listener.arn, listener.protocol, listener.port
            ));
        }
        for rule in &listener.rules {
            if !rule.actions.iter().any(LbAction::forwards) {
                continue;
            }
            let checks: Vec<HeaderCheck<'_>> = rule
                .conditions
                .iter()
                .filter_map(|c| match c {
                    RuleCondition::HttpHeader { name, values } => Some(HeaderCheck {
                        name: name.to_ascii_lowercase(),
                        values: values
                            .iter()
                            .map(|v| ExpectedValue { value: Some(v), exact: true })
                            .collect(),
                        unverifiable: None,
                    }),
                    _ => None,
                })
                .collect();
            if checks.is_empty() {
                return Err(format!(
                    "listener rule {} (priority {}) on port {} forwards without an http-header condition",
                    rule.arn, rule.priority, listener.port
                ));
            }
            alternatives.push(checks);
        }
    }
    Ok(alternatives)
}

/// The origin side of a Lambda function URL.
pub fn lambda_side<'a>(ctx: &Context<'a>, function: &'a LambdaFunction) -> OriginSide<'a> {
    let mut side = OriginSide {
        not_collected: coverage_gaps(ctx.account, &function.region, &[Service::Lambda]),
        ..OriginSide::default()
    };
    match &function.url {
        Some(url) if url.auth_type.eq_ignore_ascii_case("AWS_IAM") => side.guards.push(Guard::LambdaIam),
        Some(url) => side.open_because.push(format!("function URL AuthType {}", url.auth_type)),
        None => side.guards.push(Guard::NotPublic("the function has no URL".to_string())),
    }
    side
}

// ---------------------------------------------------------------------------------------------
// Locks: (distribution, origin)
// ---------------------------------------------------------------------------------------------

/// One resource an origin reaches, with its origin side.
#[derive(Debug, Clone)]
pub struct LockTarget<'a> {
    /// `restapi/abc123/stages/prod`, `loadbalancer/app/web/…`: for messages and details.
    pub label: String,
    pub arn: String,
    pub region: String,
    pub side: OriginSide<'a>,
}

/// The lock assessment of one (distribution, origin).
#[derive(Debug, Clone)]
pub struct Lock<'a> {
    pub distribution: &'a Distribution,
    pub origin: &'a Origin,
    pub resolved: ResolvedOrigin<'a>,
    pub sent: Sent<'a>,
    /// The resources behind the origin whose origin side edge-audit can see. Empty for S3,
    /// unknown resources and plain custom origins (a web server's own checks are invisible).
    pub targets: Vec<LockTarget<'a>>,
    /// Why the resources behind the origin could not be identified, when the inventory is
    /// incomplete (the API's region was not read …).
    pub unresolved: Option<String>,
}

impl<'a> Lock<'a> {
    /// Whether the origin is an API: API Gateway, ALB, Lambda URL, or a custom origin behind
    /// a behavior with an API-looking path pattern.
    pub fn is_api_origin(&self) -> bool {
        is_api_origin(self.distribution, self.origin)
    }

    /// Every target is locked (and there is at least one).
    pub fn origin_locked(&self) -> bool {
        !self.targets.is_empty() && self.targets.iter().all(|t| t.side.is_locked())
    }
}

/// Path patterns that route API traffic.
fn looks_like_api_path(pattern: &str) -> bool {
    let lower = pattern.to_ascii_lowercase();
    let first = lower.trim_start_matches('/').split(['/', '*', '?', '.']).next().unwrap_or("");
    first == "api"
        || first == "graphql"
        || first == "rest"
        || first == "rpc"
        || (first.len() >= 2 && first.starts_with('v') && first[1..].chars().all(|c| c.is_ascii_digit()))
}

/// Whether an origin is an API origin (see [`Lock::is_api_origin`]).
pub fn is_api_origin(distribution: &Distribution, origin: &Origin) -> bool {
    if origin.kind.is_api() {
        return true;
    }
    matches!(origin.kind, crate::origin::OriginKind::Custom)
        && distribution
            .behaviors_for(&origin.id)
            .any(|b| b.path_pattern.as_deref().is_some_and(looks_like_api_path))
}

/// Computes the lock of every origin of every distribution.
pub fn locks<'a>(ctx: &Context<'a>) -> Vec<Lock<'a>> {
    let mut out = Vec::new();
    for distribution in &ctx.account.distributions {
        for origin in &distribution.origins {
            out.push(lock_of(ctx, distribution, origin));
        }
    }
    out
}

/// The lock of one origin of one distribution.
pub fn lock_of<'a>(ctx: &Context<'a>, distribution: &'a Distribution, origin: &'a Origin) -> Lock<'a> {
    let resolved = ctx.index.resolve_origin(origin);
    let sent = Sent::of(distribution, origin, ctx.options);
    let mut targets = Vec::new();
    let mut unresolved = None;
    match resolved {
        ResolvedOrigin::RestApi(_) | ResolvedOrigin::HttpApi(_) | ResolvedOrigin::ApiDomain { .. } => {
            for target in ctx.index.api_targets(origin) {
                targets.extend(api_lock_targets(ctx, &target));
            }
        }
        ResolvedOrigin::UnknownApi { api_id, region } => {
            let gaps = coverage_gaps(ctx.account, region, &[Service::Apigateway, Service::Apigatewayv2]);
            unresolved = Some(if gaps.is_empty() {
                format!("API {api_id} is not in the account's inventory for {region}")
            } else {
                format!("API {api_id} could not be looked up: {}", gaps.join("; "))
            });
        }
        ResolvedOrigin::LoadBalancer(lb) => targets.push(LockTarget {
            label: format!("load balancer {}", lb.name),
            arn: lb.arn.clone(),
            region: lb.region.clone(),
            side: alb_side(ctx, lb),
        }),
        ResolvedOrigin::LambdaUrl(function) => targets.push(LockTarget {
            label: format!("function {}", function.name),
            arn: function.arn.clone(),
            region: function.region.clone(),
            side: lambda_side(ctx, function),
        }),
        ResolvedOrigin::UnknownLoadBalancer => {
            unresolved = Some(format!("load balancer {} is not in the inventory", origin.domain_name))
        }
        ResolvedOrigin::UnknownLambdaUrl => {
            unresolved = Some(format!("function URL {} is not in the inventory", origin.domain_name))
        }
        ResolvedOrigin::Instance(_)
        | ResolvedOrigin::S3Rest
        | ResolvedOrigin::S3Website
        | ResolvedOrigin::Custom => {}
    }
    Lock { distribution, origin, resolved, sent, targets, unresolved }
}

/// The lock targets of one API target: each reachable stage of a REST API, or the HTTP API.
pub fn api_lock_targets<'a>(ctx: &Context<'a>, target: &ApiTarget<'a>) -> Vec<LockTarget<'a>> {
    match target.api {
        Api::Rest(api) => {
            let stages: Vec<&RestStage> = match &target.stage {
                Some(name) => api.stage(name).into_iter().collect(),
                None => api.stages.iter().collect(),
            };
            stages
                .into_iter()
                .map(|stage| LockTarget {
                    label: format!("REST API {} stage {}", api.id, stage.name),
                    arn: format!("{}/stages/{}", api.arn, stage.name),
                    region: api.region.clone(),
                    side: rest_side(ctx, api, Some(stage)),
                })
                .collect()
        }
        Api::Http(api) => vec![LockTarget {
            label: format!("HTTP API {}", api.id),
            arn: api.arn.clone(),
            region: api.region.clone(),
            side: http_side(ctx, api),
        }],
    }
}

// ---------------------------------------------------------------------------------------------
// Exposure of regional resources
// ---------------------------------------------------------------------------------------------

/// Whether a regional resource can be reached from the internet without a distribution.
#[derive(Debug, Clone)]
pub enum Exposure {
    /// Reachable directly; the reasons say why no guard applies.
    Internet(Vec<String>),
    /// Locked: it refuses requests without what only a distribution supplies (or is not public).
    Locked(Vec<&'static str>),
    /// The data needed to decide was not collected.
    Unknown(Vec<String>),
}

impl Exposure {
    pub fn of(side: &OriginSide<'_>) -> Exposure {
        if side.is_locked() {
            Exposure::Locked(side.guard_names())
        } else if !side.is_complete() {
            Exposure::Unknown(side.not_collected.clone())
        } else {
            Exposure::Internet(side.open_because.clone())
        }
    }

    pub fn is_internet(&self) -> bool {
        matches!(self, Exposure::Internet(_))
    }
}

/// The exposure of each stage of a REST API.
pub fn rest_stage_exposure<'a>(
    ctx: &Context<'a>,
    api: &'a RestApi,
) -> BTreeMap<&'a str, (OriginSide<'a>, Exposure)> {
    api.stages
        .iter()
        .map(|stage| {
            let side = rest_side(ctx, api, Some(stage));
            let exposure = Exposure::of(&side);
            (stage.name.as_str(), (side, exposure))
        })
        .collect()
}

/// Whether a REST API stage's web ACL is only the lock itself: every rule is part of the header
/// check (no managed groups, no rate rules), so the ACL is not meant to filter attacks.
pub fn acl_is_only_a_lock(acl: &WebAcl, index: &Index<'_>) -> bool {
    matches!(acl_header_guard(acl, index), AclHeaderGuard::Enforced(_))
}

// ---------------------------------------------------------------------------------------------
// Security groups
// ---------------------------------------------------------------------------------------------

/// Whether a prefix list id names one of CloudFront's origin-facing lists.
pub fn is_cloudfront_prefix_list(index: &Index<'_>, id: &str) -> bool {
    index.prefix_lists.get(id).is_some_and(|pl| CLOUDFRONT_PREFIX_LISTS.contains(&pl.name.as_str()))
}

/// The sources a set of security groups admit on a TCP port.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PortSources {
    pub port: u16,
    /// Security groups (by id) with a rule open to 0.0.0.0/0 or ::/0 on the port.
    pub internet: Vec<String>,
    /// Other CIDRs.
    pub cidrs: Vec<String>,
    /// CloudFront origin-facing prefix lists.
    pub cloudfront_prefix_lists: Vec<String>,
    /// Other prefix lists.
    pub prefix_lists: Vec<String>,
    pub security_groups: Vec<String>,
}

impl PortSources {
    pub fn any(&self) -> bool {
        !self.internet.is_empty()
            || !self.cidrs.is_empty()
            || !self.cloudfront_prefix_lists.is_empty()
            || !self.prefix_lists.is_empty()
            || !self.security_groups.is_empty()
    }
}

/// What `group_ids` admit on TCP `port`.
pub fn port_sources(index: &Index<'_>, group_ids: &[String], port: u16) -> PortSources {
    let mut sources = PortSources { port, ..PortSources::default() };
    for id in group_ids {
        let Some(sg) = index.security_groups.get(id.as_str()) else { continue };
        for rule in sg.ingress.iter().filter(|r| r.covers_tcp_port(port)) {
            if rule.open_to_internet() && !sources.internet.contains(id) {
                sources.internet.push(id.clone());
            }
            for cidr in rule.ipv4_ranges.iter().chain(&rule.ipv6_ranges) {
                if cidr != "0.0.0.0/0" && cidr != "::/0" {
                    sources.cidrs.push(cidr.clone());
                }
            }
            for pl in &rule.prefix_list_ids {
                if is_cloudfront_prefix_list(index, pl) {
                    sources.cloudfront_prefix_lists.push(pl.clone());
                } else {
                    sources.prefix_lists.push(pl.clone());
                }
            }
            sources.security_groups.extend(rule.source_security_groups.iter().cloned());
        }
    }
    for list in [
        &mut sources.cidrs,
        &mut sources.cloudfront_prefix_lists,
        &mut sources.prefix_lists,
        &mut sources.security_groups,
    ] {
        list.sort();
        list.dedup();
    }
    sources
}

/// The ports an origin listens on: the ALB's listener ports, or the configured listener ports
/// for an instance.
pub fn listener_ports(lb: &LoadBalancer) -> Vec<u16> {
    let mut ports: Vec<u16> = lb.listeners.iter().map(|l| l.port).collect();
    ports.sort();
    ports.dedup();
    ports
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/// A resource the internet reaches directly, behind a web ACL.
#[derive(Debug, Clone, Serialize)]
pub struct EntryPoint {
    /// `distribution`, `rest-stage`, `load-balancer`.
    pub kind: &'static str,
    pub arn: String,
    /// `E123`, `a1b2c3/prod`, `web-alb`.
    pub name: String,
}

/// The web ACLs in front of internet-facing entry points: every enabled distribution's ACL,
/// and the ACL of every REST stage or internet-facing load balancer that is not locked to a
/// distribution. An ACL that only checks the origin header of a locked origin is not in front
/// of an entry point (the lock makes the resource not one).
#[derive(Debug, Default)]
pub struct EntryAcls<'a> {
    /// ACL → the entry points it protects.
    pub acls: BTreeMap<&'a str, (&'a WebAcl, Vec<EntryPoint>)>,
    /// (scope, reason) of the entry points whose ACL or exposure could not be established.
    pub not_evaluated: Vec<(String, String)>,
}

pub fn entry_acls<'a>(ctx: &Context<'a>) -> EntryAcls<'a> {
    let mut entries = EntryAcls::default();
    let account = ctx.account;
    let add = |entries: &mut EntryAcls<'a>,
               acl_arn: &'a str,
               region: &str,
               service: Service,
               entry: EntryPoint| {
        match ctx.index.web_acls.get(acl_arn) {
            Some(acl) => entries.acls.entry(acl_arn).or_insert_with(|| (acl, Vec::new())).1.push(entry),
            None => {
                let reason = if account.is_collected(region, service) {
                    format!("web ACL {acl_arn} of {} {} is not in the inventory (WAF Classic, or another account)", entry.kind, entry.name)
                } else {
                    format!(
                        "web ACL {acl_arn} of {} {} could not be read ({service} in {region})",
                        entry.kind, entry.name
                    )
                };
                entries.not_evaluated.push((entry.arn, reason));
            }
        }
    };
    for distribution in account.distributions.iter().filter(|d| d.enabled) {
        if let Some(acl) = distribution.web_acl_id.as_deref().filter(|a| !a.is_empty()) {
            let entry = EntryPoint {
                kind: "distribution",
                arn: distribution.arn.clone(),
                name: distribution.id.clone(),
            };
            add(&mut entries, acl, GLOBAL_REGION, Service::WafCloudfront, entry);
        }
    }
    for api in &account.rest_apis {
        for (stage_name, (_, exposure)) in rest_stage_exposure(ctx, api) {
            let Some(stage) = api.stage(stage_name) else { continue };
            let Some(acl) = stage.web_acl_arn.as_deref().filter(|a| !a.is_empty()) else { continue };
            let entry = EntryPoint {
                kind: "rest-stage",
                arn: format!("{}/stages/{}", api.arn, stage.name),
                name: format!("{}/{}", api.id, stage.name),
            };
            match exposure {
                Exposure::Internet(_) => add(&mut entries, acl, &api.region, Service::WafRegional, entry),
                Exposure::Locked(_) => {}
                Exposure::Unknown(why) => entries.not_evaluated.push((entry.arn, why.join("; "))),
            }
        }
    }
    for lb in account.load_balancers.iter().filter(|lb| lb.scheme != "internal") {
        let Some(acl) = lb.web_acl_arn.as_deref().filter(|a| !a.is_empty()) else { continue };
        let entry = EntryPoint { kind: "load-balancer", arn: lb.arn.clone(), name: lb.name.clone() };
        match Exposure::of(&alb_side(ctx, lb)) {
            Exposure::Internet(_) => add(&mut entries, acl, &lb.region, Service::WafRegional, entry),
            Exposure::Locked(_) => {}
            Exposure::Unknown(why) => entries.not_evaluated.push((entry.arn, why.join("; "))),
        }
    }
    entries
}

/// The origin side of every deployed stage of an API (one entry for an HTTP API, whose guards
/// do not depend on the stage). A REST API without stages is not deployed: no entry.
pub fn api_sides<'a>(ctx: &Context<'a>, api: Api<'a>) -> Vec<(String, OriginSide<'a>)> {
    match api {
        Api::Rest(rest) => {
            rest.stages.iter().map(|stage| (stage.name.clone(), rest_side(ctx, rest, Some(stage)))).collect()
        }
        Api::Http(http) => {
            let label = http.stages.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(",");
            vec![(label, http_side(ctx, http))]
        }
    }
}

/// Whether an API is reachable from the internet without a distribution: internet-facing if
/// any deployed stage is; unknown if a stage's data is incomplete; locked otherwise.
pub fn api_exposure(ctx: &Context<'_>, api: Api<'_>) -> Exposure {
    let sides = api_sides(ctx, api);
    let mut unknown = Vec::new();
    let mut locked = Vec::new();
    for (_, side) in &sides {
        match Exposure::of(side) {
            internet @ Exposure::Internet(_) => return internet,
            Exposure::Unknown(why) => unknown.extend(why),
            Exposure::Locked(guards) => locked.extend(guards),
        }
    }
    if !unknown.is_empty() {
        unknown.sort();
        unknown.dedup();
        return Exposure::Unknown(unknown);
    }
    if sides.is_empty() {
        locked.push("not-deployed");
    }
    locked.sort();
    locked.dedup();
    Exposure::Locked(locked)
}

// ---------------------------------------------------------------------------------------------
// Web ACL associations
// ---------------------------------------------------------------------------------------------

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
pub fn acl_association(ctx: &Context<'_>, acl: &WebAcl) -> AclAssociation {
    if let Some(users) = ctx.index.web_acl_users(&acl.arn).filter(|u| !u.is_empty()) {
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
        needed.iter().filter(|s| !ctx.account.is_collected(region, **s)).map(|s| s.as_str()).collect();
    if missing.is_empty() {
        AclAssociation::Unassociated
    } else {
        AclAssociation::Unknown(missing)
    }
}

// ---------------------------------------------------------------------------------------------
// WAF statements
// ---------------------------------------------------------------------------------------------

/// Every statement in a tree, the root included (scope-down statements too).
pub fn walk_statements(statement: &Statement) -> Vec<&Statement> {
    let mut out = vec![statement];
    match statement {
        Statement::And { statements } | Statement::Or { statements } => {
            for sub in statements {
                out.extend(walk_statements(sub));
            }
        }
        Statement::Not { statement } => out.extend(walk_statements(statement)),
        Statement::RateBased { scope_down: Some(sub), .. }
        | Statement::ManagedRuleGroup { scope_down: Some(sub), .. } => out.extend(walk_statements(sub)),
        _ => {}
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Network origins
// ---------------------------------------------------------------------------------------------

/// A load balancer or instance that a distribution reaches, with the ports it listens on and
/// the security groups in front of it.
#[derive(Debug, Clone)]
pub struct NetworkOrigin<'a> {
    pub lb: Option<&'a LoadBalancer>,
    pub instance: Option<&'a Instance>,
    pub ports: Vec<u16>,
    pub security_groups: &'a [String],
    pub region: &'a str,
    /// `distribution/origin` pairs that reach it.
    pub used_by: Vec<String>,
}

impl NetworkOrigin<'_> {
    pub fn name(&self) -> &str {
        match (self.lb, self.instance) {
            (Some(lb), _) => &lb.name,
            (_, Some(instance)) => &instance.id,
            _ => "",
        }
    }

    pub fn label(&self) -> String {
        match (self.lb, self.instance) {
            (Some(lb), _) => format!("load balancer {}", lb.name),
            (_, Some(instance)) => format!("instance {}", instance.id),
            _ => String::new(),
        }
    }
}

/// The load balancers (not internal ones) and instances that are origins of a distribution.
pub fn network_origins<'a>(ctx: &Context<'a>) -> Vec<NetworkOrigin<'a>> {
    let used_by = |arn: &str| -> Vec<String> {
        ctx.index
            .origins_reaching(arn)
            .iter()
            .map(|u| format!("{}/{}", u.distribution.id, u.origin.id))
            .collect()
    };
    let mut out = Vec::new();
    for lb in ctx.account.load_balancers.iter().filter(|lb| lb.scheme != "internal") {
        let users = used_by(&lb.arn);
        if !users.is_empty() {
            out.push(NetworkOrigin {
                lb: Some(lb),
                instance: None,
                ports: listener_ports(lb),
                security_groups: &lb.security_groups,
                region: &lb.region,
                used_by: users,
            });
        }
    }
    for instance in &ctx.account.instances {
        let users = used_by(&instance.arn);
        if !users.is_empty() {
            out.push(NetworkOrigin {
                lb: None,
                instance: Some(instance),
                ports: ctx.options.listener_ports.clone(),
                security_groups: &instance.security_groups,
                region: &instance.region,
                used_by: users,
            });
        }
    }
    out
}

/// Whether some distribution reaching `arn` sends a secret header.
pub fn sent_secret_header(ctx: &Context<'_>, arn: &str) -> bool {
    ctx.index
        .origins_reaching(arn)
        .iter()
        .any(|u| !Sent::of(u.distribution, u.origin, ctx.options).secret_headers.is_empty())
}
