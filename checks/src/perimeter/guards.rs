//! The origin side: the guards that make a backend refuse requests lacking what only a
//! distribution supplies (a header check in a web ACL or in listener rules, required API keys,
//! AWS_IAM with a signer at the edge, a Lambda URL with AuthType AWS_IAM, no public entry point
//! at all), and how each guard treats the requests of one distribution origin.

use super::entry::EntryPoint;
use super::headers::{
    acl_header_guard, judge_alternatives, listener_header_guard, unread_regex_pattern_sets,
    unread_rule_groups, AclHeaderGuard, GuardVerdict, HeaderAlternatives, Verdict,
};
use super::routing::{DomainReach, RoutingGate};
use super::scope::Scope;
use super::sent::Sent;
use crate::index::{Api, Index, Operation};
use crate::inventory::*;

pub use crate::index::API_KEY_HEADER;

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
    /// Every listener verifies client certificates against a trust store (mutual TLS mode
    /// `verify`): only a client holding a certificate the trust store accepts gets through.
    MutualTls(String),
    /// Not reachable from the internet at all.
    NotPublic(String),
    /// Reachable only through custom domains whose routing rules require a secret header (the
    /// default endpoint disabled, no mapping around the rules).
    RoutingRules { gates: Vec<RoutingGate<'a>> },
}

impl Guard<'_> {
    pub fn name(&self) -> &'static str {
        match self {
            Guard::Header { .. } => "secret-header-check",
            Guard::ApiKey { .. } => "required-api-key",
            Guard::Iam => "aws-iam-authorization",
            Guard::LambdaIam => "function-url-aws-iam",
            Guard::MutualTls(_) => "origin-mutual-tls",
            Guard::NotPublic(_) => "not-public",
            Guard::RoutingRules { .. } => "routing-rule-header-gate",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Guard::Header { source, .. } => format!("{} requires a secret header", source.describe()),
            Guard::ApiKey { .. } => "every method requires an API key from x-api-key".to_string(),
            Guard::Iam => "AWS_IAM authorization on every method".to_string(),
            Guard::LambdaIam => "function URL AuthType AWS_IAM".to_string(),
            Guard::MutualTls(what) => format!("mutual TLS ({what})"),
            Guard::NotPublic(why) => why.clone(),
            Guard::RoutingRules { gates } => format!(
                "{} require a secret header",
                gates.iter().map(RoutingGate::describe).collect::<Vec<_>>().join("; ")
            ),
        }
    }
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
                        let mut reasons: Vec<String> =
                            alternatives.iter().flatten().flat_map(|c| c.unverifiable_reasons()).collect();
                        reasons.sort();
                        reasons.dedup();
                        format!(
                            "{} checks header(s) {} with a value edge-audit cannot compare{}",
                            source.describe(),
                            expected.join(", "),
                            if reasons.is_empty() {
                                String::new()
                            } else {
                                format!(" ({})", reasons.join("; "))
                            }
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
            // The signature is made in the function's code, which edge-audit cannot read: the
            // lock is plausible, never verified.
            Guard::Iam => match sent.signer {
                Some(function) => (
                    Verdict::CouldNotVerify,
                    format!(
                        "locked by a signer whose check lives in code: the origin-request Lambda@Edge function {function} may sign the requests with SigV4, which edge-audit cannot verify"
                    ),
                ),
                None => (
                    Verdict::Mismatch,
                    "no origin-request Lambda@Edge function signs the requests".to_string(),
                ),
            },
            Guard::LambdaIam => match (sent.origin_access_control, sent.signer) {
                (Some(_), _) => (Verdict::Satisfied, "the origin access control signs the requests".to_string()),
                (None, Some(function)) => (
                    Verdict::CouldNotVerify,
                    format!(
                        "locked by a signer whose check lives in code: no origin access control, but the origin-request Lambda@Edge function {function} may sign the requests with SigV4, which edge-audit cannot verify"
                    ),
                ),
                (None, None) => (Verdict::Mismatch, "no origin access control signs the requests".to_string()),
            },
            Guard::MutualTls(what) => match sent.client_certificate {
                Some(arn) => (
                    Verdict::CouldNotVerify,
                    format!(
                        "{what}; the distribution presents client certificate {arn}, whose issuer edge-audit cannot compare with the trust store"
                    ),
                ),
                None => (
                    Verdict::Mismatch,
                    format!("{what}, but the distribution presents no client certificate (no OriginMtlsConfig)"),
                ),
            },
            Guard::NotPublic(why) => (Verdict::Satisfied, why.clone()),
            Guard::RoutingRules { gates } => match gates.iter().find(|g| g.is_used_by(origin)) {
                Some(gate) => {
                    let verdict = gate.judge(origin);
                    let why = match verdict {
                        Verdict::Satisfied => {
                            format!("{} accept the header the distribution sends", gate.describe())
                        }
                        Verdict::CouldNotVerify => format!(
                            "{} match the header with a wildcard glob (or the distribution's value against one): edge-audit compares fingerprints only and cannot evaluate a glob against them",
                            gate.describe()
                        ),
                        Verdict::Mismatch => format!(
                            "{} do not match the headers the distribution sends: its requests are not routed to the API",
                            gate.describe()
                        ),
                    };
                    (verdict, why)
                }
                None => (
                    Verdict::Mismatch,
                    format!(
                        "the API is reachable only through {}, and the distribution's origin is not that domain",
                        gates.iter().map(|g| g.domain.name.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                ),
            },
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
    /// Locks whose check lives in code edge-audit cannot read: every operation behind a Lambda
    /// authorizer that takes its identity from a header the distribution sends. API Gateway
    /// refuses requests without the header; whether the function compares its value is the
    /// function's business. The backend's exposure is then unknown, never internet or locked.
    pub checked_in_code: Vec<String>,
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
    let Some(acl) = index.web_acls.get(acl_arn) else {
        if account.is_collected(region, Service::WafRegional) {
            side.unverifiable.push(format!("web ACL {acl_arn} is not in the inventory"));
        } else {
            side.not_collected
                .push(format!("web ACL {acl_arn} could not be read (wafv2-regional in {region})"));
        }
        return;
    };
    // A rule group or regex pattern set whose read failed is a gap of this ACL's data, as a
    // region not read would be: the backend is not evaluated (naming it), never judged
    // reachable or locked on a guess. The region's other ACLs are unaffected.
    let unread = |kind: &str, resource: &str| {
        let failure = account.resource_failure(acl.scope.service(), resource)?;
        Some(format!("web ACL {}: {kind} {resource} could not be read ({})", acl.name, failure.failed_read()))
    };
    // What a set's header checks accept is unknown (`.*` would be no lock): the ACL is no guard.
    let unread_sets: Vec<String> = unread_regex_pattern_sets(acl, index)
        .into_iter()
        .filter_map(|set| unread("regex pattern set", set))
        .collect();
    if !unread_sets.is_empty() {
        side.not_collected.extend(unread_sets);
        return;
    }
    match acl_header_guard(acl, index) {
        AclHeaderGuard::Enforced(alternatives) => {
            side.guards.push(Guard::Header { source: GuardSource::WebAcl(acl), alternatives })
        }
        AclHeaderGuard::NotEnforced(why) => side.open_because.push(format!("web ACL {}: {why}", acl.name)),
        AclHeaderGuard::Unverifiable(why) => {
            let groups = unread_rule_groups(acl, index).into_iter();
            side.not_collected.extend(groups.filter_map(|group| unread("custom rule group", group)));
            side.unverifiable.push(format!("web ACL {}: {why}", acl.name))
        }
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

/// The guard of a backend that has no public entry point at all: it is reachable only through
/// a distribution (or from inside the VPC), whatever else it checks.
/// No public entry point is a lock only when it is known: `why` says why the backend is not
/// public, or (`Err`) what was not read that could hold an entry point — then the side is
/// incomplete, never locked.
fn add_no_entry_point_guard(
    side: &mut OriginSide<'_>,
    entry_points: &[EntryPoint],
    why: impl FnOnce() -> Result<String, String>,
) {
    if entry_points.is_empty() {
        match why() {
            Ok(why) => side.guards.push(Guard::NotPublic(why)),
            Err(gap) => side.not_collected.push(gap),
        }
    }
}

/// Why an API with no entry point is not public, when the custom domains (which the API
/// Gateway collector reads for both API kinds) were read completely in its region.
fn unmapped_api(account: &AccountInventory, region: &str, why: &str) -> Result<String, String> {
    if account.is_collected(region, Service::Apigateway) {
        Ok(why.to_string())
    } else {
        Err(format!(
            "the custom domains of {region} were not read completely: whether a public one maps the API is unknown"
        ))
    }
}

/// The guard of the entry points themselves: none public at all (not public), or only
/// custom-domain entry points behind routing-rule header gates; with public entry points
/// beside the gates, the gates are ways around nothing and say so.
fn add_entry_guard<'a>(
    side: &mut OriginSide<'a>,
    entry_points: &[EntryPoint],
    reach: &DomainReach<'a>,
    why_not_public: impl FnOnce() -> Result<String, String>,
) {
    side.open_because.extend(reach.open_because.iter().cloned());
    // The entry points no gate covers (an entry both gated and mapped is open).
    let open: Vec<&EntryPoint> = entry_points
        .iter()
        .filter(|e| reach.open.contains(e) || !reach.gates.iter().any(|g| g.entry_points.contains(e)))
        .collect();
    if reach.gates.is_empty() {
        add_no_entry_point_guard(side, entry_points, why_not_public);
    } else if open.is_empty() {
        side.guards.push(Guard::RoutingRules { gates: reach.gates.clone() });
    } else {
        let around: Vec<String> = open.iter().take(3).map(|e| e.describe()).collect();
        for gate in &reach.gates {
            side.open_because.push(format!(
                "{} require a secret header, but {} reach(es) the API around them",
                gate.describe(),
                around.join(", ")
            ));
        }
    }
}

/// The origin side of a REST API stage, reachable at `entry_points` and through the gates of
/// `reach`.
pub fn rest_side<'a>(
    scope: &Scope<'a>,
    api: &'a RestApi,
    stage: Option<&'a RestStage>,
    entry_points: &[EntryPoint],
    reach: &DomainReach<'a>,
) -> OriginSide<'a> {
    let account = scope.account;
    let index = scope.index;
    let mut side = OriginSide {
        not_collected: coverage_gaps(account, &api.region, &[Service::Apigateway]),
        ..OriginSide::default()
    };
    // Resources, authorizers or the resource policy of this API alone that could not be read
    // (the region's other APIs were): what authorizes its methods, or who its policy lets in,
    // is unknown.
    side.not_collected.extend(
        account
            .failures(Service::Apigateway)
            .filter(|c| c.resource.as_deref() == Some(api.arn.as_str()))
            .map(|c| format!("REST API {} could not be read completely: {}", api.id, c.failed_read())),
    );
    add_entry_guard(&mut side, entry_points, reach, || {
        if api.is_private() {
            Ok("PRIVATE endpoint, reachable only from VPC endpoints".to_string())
        } else {
            unmapped_api(
                account,
                &api.region,
                "default execute-api endpoint disabled and no public custom domain maps the stage",
            )
        }
    });
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
    add_custom_domain_mtls_guard(&mut side, index, entry_points);
    let operations = Api::Rest(api).operations();
    add_operation_guards(
        &mut side,
        &operations,
        signed_at_edge(scope, &api.arn),
        &sent_header_names(scope, &api.arn),
    );
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

/// The names (lower-case) of the custom headers that the distribution origins reaching `arn`
/// send.
fn sent_header_names(scope: &Scope<'_>, arn: &str) -> Vec<String> {
    let mut names: Vec<String> = scope
        .index
        .origins_reaching(arn)
        .iter()
        .flat_map(|u| u.origin.custom_headers.iter().map(|h| h.name.to_ascii_lowercase()))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Whether some distribution origin that reaches `arn` signs its requests at the edge.
pub fn signed_at_edge(scope: &Scope<'_>, arn: &str) -> bool {
    scope
        .index
        .origins_reaching(arn)
        .iter()
        .any(|u| Sent::of(u.distribution, u.origin, scope.options).signer.is_some())
}

/// Guards that come from method/route authorization. AWS_IAM everywhere is a lock only with a
/// signer at the edge; without one it is "authorization everywhere" like any authorizer.
fn add_operation_guards(
    side: &mut OriginSide<'_>,
    operations: &[Operation<'_>],
    signed: bool,
    sent: &[String],
) {
    if operations.is_empty() {
        return;
    }
    // A Lambda authorizer keyed on the distribution's own header on every operation.
    let keyed_on_sent = |o: &Operation<'_>| {
        o.authorization.eq_ignore_ascii_case("CUSTOM")
            && o.authorizer
                .is_some_and(|a| a.is_lambda() && a.identity_headers().iter().any(|h| sent.contains(h)))
    };
    if operations.iter().all(keyed_on_sent) {
        let mut described: Vec<String> = operations
            .iter()
            .filter_map(|o| o.authorizer)
            .map(|a| {
                let headers: Vec<String> =
                    a.identity_headers().into_iter().filter(|h| sent.contains(h)).collect();
                format!(
                    "Lambda authorizer {} ({}) takes its identity from header {}, which the distribution sends: API Gateway refuses requests without it, and whether the function compares its value lives in its code",
                    a.name,
                    a.authorizer_type,
                    headers.join(", ")
                )
            })
            .collect();
        described.sort();
        described.dedup();
        side.checked_in_code.extend(described);
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
pub fn http_side<'a>(
    scope: &Scope<'a>,
    api: &'a HttpApi,
    entry_points: &[EntryPoint],
    reach: &DomainReach<'a>,
) -> OriginSide<'a> {
    let mut side = OriginSide {
        not_collected: coverage_gaps(scope.account, &api.region, &[Service::Apigatewayv2]),
        ..OriginSide::default()
    };
    // Routes or authorizers of this API alone that could not be read (the region's other APIs
    // were): what authorizes its routes is unknown.
    side.not_collected.extend(
        scope
            .account
            .failures(Service::Apigatewayv2)
            .filter(|c| c.resource.as_deref() == Some(api.arn.as_str()))
            .map(|c| format!("HTTP API {} could not be read completely: {}", api.id, c.failed_read())),
    );
    add_entry_guard(&mut side, entry_points, reach, || {
        unmapped_api(
            scope.account,
            &api.region,
            "default execute-api endpoint disabled and no public custom domain maps the API",
        )
    });
    add_custom_domain_mtls_guard(&mut side, scope.index, entry_points);
    add_operation_guards(
        &mut side,
        &Api::Http(api).operations(),
        signed_at_edge(scope, &api.arn),
        &sent_header_names(scope, &api.arn),
    );
    side
}

/// Mutual TLS on API Gateway custom domains locks an API only when every public entry point is
/// such a domain: with the default `execute-api` endpoint still enabled (or a custom domain
/// without mutual TLS) the API is reachable around it.
fn add_custom_domain_mtls_guard(side: &mut OriginSide<'_>, index: &Index<'_>, entry_points: &[EntryPoint]) {
    let domain_of = |e: &EntryPoint| index.domain_names.get(&e.host.to_ascii_lowercase()).copied();
    let mtls: Vec<&str> = entry_points
        .iter()
        .filter(|e| e.kind == super::entry::EntryKind::CustomDomain)
        .filter_map(|e| {
            domain_of(e).filter(|d| d.mutual_tls_truststore_uri.is_some()).map(|d| d.name.as_str())
        })
        .collect();
    if mtls.is_empty() {
        return;
    }
    let around: Vec<String> = entry_points
        .iter()
        .filter(|e| {
            e.kind != super::entry::EntryKind::CustomDomain
                || domain_of(e).is_none_or(|d| d.mutual_tls_truststore_uri.is_none())
        })
        .map(EntryPoint::describe)
        .collect();
    if around.is_empty() {
        side.guards.push(Guard::MutualTls(format!(
            "custom domain {} requires mutual TLS and the default execute-api endpoint is disabled",
            mtls.join(", ")
        )));
    } else {
        side.open_because.push(format!(
            "custom domain {} requires mutual TLS, but the API is reachable around it: {}",
            mtls.join(", "),
            around.join(", ")
        ));
    }
}

/// The origin side of a load balancer.
pub fn alb_side<'a>(scope: &Scope<'a>, lb: &'a LoadBalancer) -> OriginSide<'a> {
    let mut side = OriginSide {
        not_collected: coverage_gaps(scope.account, &lb.region, &[Service::Elbv2, Service::WafRegional]),
        ..OriginSide::default()
    };
    if lb.scheme == "internal" {
        side.guards.push(Guard::NotPublic("internal load balancer".to_string()));
    }
    add_acl_guard(
        &mut side,
        scope.account,
        scope.index,
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
    add_mutual_tls_guard(&mut side, scope.account, lb);
    side
}

/// Origin mutual TLS locks a load balancer only where it is enforced: every listener in mode
/// `verify` against a trust store that DescribeTrustStores shows `ACTIVE` with at least one CA
/// certificate. `passthrough` forwards the certificate unverified (the targets would have to
/// check it, which edge-audit cannot see), `off` asks for none, and a trust store that is not
/// active is no proven lock. A trust store that could not be read (DescribeTrustStores failed, or
/// the region's listing does not hold it: shared from another account) or that holds no CA
/// certificate cannot be verified: the side is then incomplete, never locked by it.
fn add_mutual_tls_guard(side: &mut OriginSide<'_>, account: &AccountInventory, lb: &LoadBalancer) {
    if lb.listeners.is_empty() || lb.listeners.iter().all(|l| l.mutual_authentication.is_none()) {
        return;
    }
    let listing_failure = account
        .failures(Service::Elbv2)
        .find(|c| c.region == lb.region && c.operation.as_deref() == Some("DescribeTrustStores"))
        .map(|c| c.error.clone().unwrap_or_else(|| "failed".to_string()));
    let mut unverified = Vec::new();
    let mut unknown = Vec::new();
    let mut stores = Vec::new();
    for l in &lb.listeners {
        let mutual = l.mutual_authentication.as_ref();
        let mode = mutual.map(|m| m.mode.as_str()).unwrap_or("off");
        let arn = mutual.and_then(|m| m.trust_store_arn.as_deref());
        match (mode, arn, mutual.and_then(|m| m.trust_store.as_ref())) {
            ("verify", None, _) => unverified.push(format!("listener :{} verifies without a trust store", l.port)),
            ("verify", Some(arn), None) => unknown.push(match &listing_failure {
                Some(error) => format!(
                    "listener :{} verifies against trust store {arn}, which could not be read (DescribeTrustStores: {error})",
                    l.port
                ),
                None => format!(
                    "listener :{} verifies against trust store {arn}, which the region's DescribeTrustStores listing does not hold (shared from another account?): its status and CA certificates are unknown",
                    l.port
                ),
            }),
            ("verify", Some(_), Some(store)) if !store.status.eq_ignore_ascii_case("ACTIVE") => unverified.push(
                format!("listener :{} verifies against trust store {}, whose status is {}, not ACTIVE", l.port, store.name, store.status),
            ),
            ("verify", Some(_), Some(store)) => match store.ca_certificates {
                Some(count) if count > 0 => {
                    stores.push(format!("{} (ACTIVE, {count} CA certificate{})", store.name, if count == 1 { "" } else { "s" }))
                }
                _ => unknown.push(format!(
                    "listener :{} verifies against trust store {}, which reports no CA certificate",
                    l.port, store.name
                )),
            },
            (other, ..) => unverified.push(format!("listener :{} mutual TLS mode {other}", l.port)),
        }
    }
    if !unverified.is_empty() {
        side.open_because.push(format!("mutual TLS is not enforced: {}", unverified.join(", ")));
    } else if !unknown.is_empty() {
        side.not_collected.push(format!("mutual TLS could not be verified: {}", unknown.join(", ")));
    } else {
        stores.sort();
        stores.dedup();
        side.guards.push(Guard::MutualTls(format!(
            "every listener of {} verifies client certificates against trust store {}",
            lb.name,
            stores.join(", ")
        )));
    }
}

/// The origin side of a Lambda function URL.
pub fn lambda_side<'a>(scope: &Scope<'a>, function: &'a LambdaFunction) -> OriginSide<'a> {
    let mut side = OriginSide {
        not_collected: coverage_gaps(scope.account, &function.region, &[Service::Lambda]),
        ..OriginSide::default()
    };
    match &function.url {
        Some(url) if url.auth_type.eq_ignore_ascii_case("AWS_IAM") => {
            // AWS_IAM refuses unsigned requests only; a policy granting everyone the URL lets
            // any AWS account's signed request in, whatever the origin access control signs.
            match super::oac::public_url_grant(function.policy.as_ref()) {
                Some(grant) => side.open_because.push(format!(
                    "function URL AuthType AWS_IAM, but the resource policy{} lets principal {} call lambda:InvokeFunctionUrl without a narrowing condition: any AWS account can sign a request",
                    if grant.sid.is_empty() { String::new() } else { format!(" (statement {})", grant.sid) },
                    grant.principal
                )),
                None => side.guards.push(Guard::LambdaIam),
            }
        }
        Some(url) => side.open_because.push(format!("function URL AuthType {}", url.auth_type)),
        None => side.guards.push(Guard::NotPublic("the function has no URL".to_string())),
    }
    side
}
