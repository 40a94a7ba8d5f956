//! Origin access control on Lambda function URLs: whether CloudFront's signature actually locks a
//! function URL to one distribution.
//!
//! Three things must hold together:
//! - the origin's OAC (ListOriginAccessControls) is of origin type `lambda` and **signs**:
//!   `always`, or `no-override` where viewers cannot send their own `Authorization` (no behavior
//!   to the origin forwards it: then CloudFront does not sign);
//! - the function URL's AuthType is `AWS_IAM` (the guard itself, [`Guard::LambdaIam`]);
//! - the function's resource policy lets the service principal `cloudfront.amazonaws.com` call
//!   **both** `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` (required for function URLs
//!   since October 2025, enforced for existing URLs since 2026-11-01), conditioned on
//!   `AWS:SourceArn` = this distribution. A `AWS:SourceAccount`-only condition lets every
//!   distribution of the account in (weaker, said so); no condition lets any distribution of any
//!   account in. A policy missing one of the two actions means CloudFront *cannot* invoke the
//!   function: the site is broken, not open (EA114).
//!
//! [`Guard::LambdaIam`]: super::Guard::LambdaIam

use super::headers::GuardVerdict;
use super::headers::Verdict;
use super::scope::Scope;
use crate::inventory::*;
use serde_json::Value;

/// The two actions a function URL behind an OAC needs CloudFront to be allowed.
pub const INVOKE_ACTIONS: [&str; 2] = ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"];

/// How far a grant to `cloudfront.amazonaws.com` reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GrantScope {
    /// `AWS:SourceArn` is this distribution: the lock edge-audit wants.
    Distribution,
    /// Only `AWS:SourceAccount` (= this account): every distribution of the account.
    Account,
    /// No source condition at all: any distribution of any AWS account.
    AnyDistribution,
    /// Conditions edge-audit cannot read as one of the above.
    Unknown,
}

impl GrantScope {
    fn describe(self) -> &'static str {
        match self {
            Self::Distribution => "conditioned on AWS:SourceArn = this distribution",
            Self::Account => {
                "conditioned on AWS:SourceAccount only: every distribution of the account can invoke it (weaker than AWS:SourceArn)"
            }
            Self::AnyDistribution => {
                "with no AWS:SourceArn or AWS:SourceAccount condition: any distribution of any AWS account can invoke it"
            }
            Self::Unknown => "with conditions edge-audit cannot interpret",
        }
    }
}

/// What a function's resource policy grants `cloudfront.amazonaws.com` for one distribution:
/// the best scope per action of [`INVOKE_ACTIONS`] (`None`: not granted to this distribution).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloudFrontGrant {
    pub invoke_function_url: Option<GrantScope>,
    pub invoke_function: Option<GrantScope>,
}

impl CloudFrontGrant {
    /// The actions of [`INVOKE_ACTIONS`] not granted.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.invoke_function_url.is_none() {
            out.push(INVOKE_ACTIONS[0]);
        }
        if self.invoke_function.is_none() {
            out.push(INVOKE_ACTIONS[1]);
        }
        out
    }

    /// The weakest scope among the granted actions (what the pair of grants amounts to).
    pub fn scope(&self) -> Option<GrantScope> {
        match (self.invoke_function_url, self.invoke_function) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        }
    }
}

fn as_list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
        None => Vec::new(),
    }
}

fn names_cloudfront(principal: Option<&Value>) -> bool {
    let services = match principal {
        Some(Value::Object(map)) => as_list(map.get("Service")),
        _ => Vec::new(),
    };
    services.iter().any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case("cloudfront.amazonaws.com")))
}

fn allows_action(statement: &Value, action: &str) -> bool {
    as_list(statement.get("Action"))
        .iter()
        .filter_map(|a| a.as_str())
        .any(|a| a == "*" || a.eq_ignore_ascii_case("lambda:*") || a.eq_ignore_ascii_case(action))
}

/// The values of condition key `key` (case-insensitive) under the operators in `operators`.
fn condition_values<'v>(conditions: &'v Value, operators: &[&str], key: &str) -> Option<Vec<&'v str>> {
    let map = conditions.as_object()?;
    let mut found: Option<Vec<&str>> = None;
    for (operator, entries) in map {
        if !operators.iter().any(|o| o.eq_ignore_ascii_case(operator)) {
            continue;
        }
        for (k, v) in entries.as_object().into_iter().flatten() {
            if k.eq_ignore_ascii_case(key) {
                found.get_or_insert_with(Vec::new).extend(as_list(Some(v)).iter().filter_map(|v| v.as_str()));
            }
        }
    }
    found
}

/// An IAM ARN pattern (`*` any run, `?` one character) matched against an ARN, without
/// backtracking blow-up (the classic two-pointer match).
fn arn_matches(pattern: &str, arn: &str) -> bool {
    let (p, s): (Vec<char>, Vec<char>) = (pattern.chars().collect(), arn.chars().collect());
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((star_p, star_s)) = star {
            pi = star_p + 1;
            si = star_s + 1;
            star = Some((star_p, star_s + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// How one Allow statement for `cloudfront.amazonaws.com` applies to `distribution_arn`.
fn statement_scope(statement: &Value, distribution_arn: &str, account_id: &str) -> Option<GrantScope> {
    let Some(conditions) = statement.get("Condition") else { return Some(GrantScope::AnyDistribution) };
    let operators = ["ArnLike", "ArnEquals", "StringEquals", "StringLike"];
    let known = ["aws:sourcearn", "aws:sourceaccount"];
    let other_keys = conditions.as_object().into_iter().flatten().any(|(_, entries)| {
        entries
            .as_object()
            .into_iter()
            .flatten()
            .any(|(k, _)| !known.contains(&k.to_ascii_lowercase().as_str()))
    });
    let unknown_operator = conditions
        .as_object()
        .into_iter()
        .flatten()
        .any(|(operator, _)| !operators.iter().any(|o| o.eq_ignore_ascii_case(operator)));
    if other_keys || unknown_operator {
        return Some(GrantScope::Unknown);
    }
    if let Some(arns) = condition_values(conditions, &operators, "AWS:SourceArn") {
        // A grant to another distribution does not apply to this one.
        return arns.iter().any(|p| arn_matches(p, distribution_arn)).then_some(GrantScope::Distribution);
    }
    if let Some(accounts) = condition_values(conditions, &operators, "AWS:SourceAccount") {
        return accounts.contains(&account_id).then_some(GrantScope::Account);
    }
    Some(GrantScope::AnyDistribution)
}

/// What `policy` grants CloudFront for `distribution_arn` (an explicit Deny of an action for
/// CloudFront removes it).
pub fn cloudfront_grant(policy: Option<&Value>, distribution_arn: &str, account_id: &str) -> CloudFrontGrant {
    let statements = as_list(policy.and_then(|p| p.get("Statement")));
    let best = |action: &str| -> Option<GrantScope> {
        let denied = statements.iter().any(|s| {
            s.get("Effect").and_then(Value::as_str) == Some("Deny")
                && names_cloudfront(s.get("Principal"))
                && allows_action(s, action)
                && s.get("Condition").is_none()
        });
        if denied {
            return None;
        }
        statements
            .iter()
            .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
            .filter(|s| names_cloudfront(s.get("Principal")) && allows_action(s, action))
            .filter_map(|s| statement_scope(s, distribution_arn, account_id))
            .min()
    };
    CloudFrontGrant { invoke_function_url: best(INVOKE_ACTIONS[0]), invoke_function: best(INVOKE_ACTIONS[1]) }
}

/// Whether a viewer's `Authorization` header reaches the origin on `behavior`: `None` when
/// edge-audit cannot tell (a custom policy that was not read).
fn forwards_authorization(scope: &Scope<'_>, behavior: &CacheBehavior) -> Option<bool> {
    let named =
        |headers: &[String]| headers.iter().any(|h| h == "*" || h.eq_ignore_ascii_case("authorization"));
    if let Some(legacy) = &behavior.legacy {
        return Some(named(&legacy.forwarded_headers));
    }
    match &behavior.origin_request_policy_id {
        None => Some(false),
        Some(id) => {
            let policy = scope.index.origin_request_policy(id)?;
            let listed = named(&policy.headers);
            Some(match policy.header_behavior.as_str() {
                "allViewer" | "allViewerAndWhitelistCloudFront" => true,
                "allExcept" => !listed,
                "whitelist" => listed,
                _ => false,
            })
        }
    }
}

/// Whether the OAC of `origin` signs every request of `distribution` to it: `Ok(why)`, or the
/// verdict it amounts to for the function URL's AWS_IAM guard and why.
pub fn oac_signs(
    scope: &Scope<'_>,
    distribution: &Distribution,
    origin: &Origin,
) -> Result<String, (Verdict, String)> {
    let Some(id) = origin.origin_access_control_id.as_deref().filter(|id| !id.is_empty()) else {
        return Err((Verdict::Mismatch, "no origin access control signs the requests".to_string()));
    };
    let account = scope.account;
    let Some(oac) = account.origin_access_controls.iter().find(|o| o.id == id) else {
        let failure = account
            .failures(Service::Cloudfront)
            .find(|c| c.operation.as_deref() == Some("ListOriginAccessControls"));
        return Err((
            Verdict::CouldNotVerify,
            match failure {
                Some(c) => format!(
                    "origin access control {id} could not be read (ListOriginAccessControls: {})",
                    c.error.as_deref().unwrap_or("failed")
                ),
                None => format!(
                    "origin access control {id} is not in the inventory: its signing behavior is unknown"
                ),
            },
        ));
    };
    if !oac.origin_type.eq_ignore_ascii_case("lambda") {
        return Err((
            Verdict::Mismatch,
            format!("origin access control {} is for {} origins, not Lambda", oac.name, oac.origin_type),
        ));
    }
    match oac.signing_behavior.as_str() {
        "always" => Ok(format!("origin access control {} always signs the requests (SigV4)", oac.name)),
        "no-override" => {
            let forwarded: Vec<Option<bool>> =
                distribution.behaviors_for(&origin.id).map(|b| forwards_authorization(scope, b)).collect();
            if forwarded.contains(&Some(true)) {
                Err((
                    Verdict::Mismatch,
                    format!(
                        "origin access control {} signs with no-override, and a behavior forwards the viewer's Authorization header: CloudFront then sends the viewer's instead of signing",
                        oac.name
                    ),
                ))
            } else if forwarded.contains(&None) {
                Err((
                    Verdict::CouldNotVerify,
                    format!(
                        "origin access control {} signs with no-override; whether a behavior forwards the viewer's Authorization header is unknown (a custom origin-request policy was not read)",
                        oac.name
                    ),
                ))
            } else {
                Ok(format!(
                    "origin access control {} signs (no-override, and no behavior forwards a viewer's Authorization header)",
                    oac.name
                ))
            }
        }
        other => Err((
            Verdict::Mismatch,
            format!("origin access control {} never signs (signing behavior {other})", oac.name),
        )),
    }
}

/// The verdict of a function URL's AWS_IAM guard on `distribution`'s requests through `origin`.
pub fn judge_function_url(
    scope: &Scope<'_>,
    distribution: &Distribution,
    origin: &Origin,
    function: &LambdaFunction,
) -> GuardVerdict {
    let signs = match oac_signs(scope, distribution, origin) {
        Ok(why) => why,
        Err((verdict, why)) => return GuardVerdict { verdict, why },
    };
    if function.policy.is_none() && !scope.account.is_collected(&function.region, Service::Lambda) {
        return GuardVerdict {
            verdict: Verdict::CouldNotVerify,
            why: format!("{signs}, but the function's resource policy was not read"),
        };
    }
    let grant = cloudfront_grant(function.policy.as_ref(), &distribution.arn, &scope.account.account_id);
    let missing = grant.missing();
    if !missing.is_empty() {
        return GuardVerdict {
            verdict: Verdict::Mismatch,
            why: format!(
                "{signs}, but the function's resource policy does not allow cloudfront.amazonaws.com {} for this distribution: CloudFront cannot invoke the function",
                missing.join(" and ")
            ),
        };
    }
    match grant.scope() {
        Some(GrantScope::Unknown) | None => GuardVerdict {
            verdict: Verdict::CouldNotVerify,
            why: format!("{signs}; the policy lets CloudFront invoke the function {}", GrantScope::Unknown.describe()),
        },
        Some(scope) => GuardVerdict {
            verdict: Verdict::Satisfied,
            why: format!(
                "{signs}; the policy lets cloudfront.amazonaws.com call lambda:InvokeFunctionUrl and lambda:InvokeFunction {}",
                scope.describe()
            ),
        },
    }
}

/// A resource-policy statement that lets every AWS principal call a function URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrlGrant {
    /// The statement's `Sid` (empty when it has none).
    pub sid: String,
    /// The principal as written (`*` or `{"AWS": "*"}`).
    pub principal: &'static str,
}

/// Whether `principal` is everyone: `"*"`, or `{"AWS": "*"}` (also in a list).
fn everyone(principal: Option<&Value>) -> Option<&'static str> {
    match principal {
        Some(Value::String(p)) if p == "*" => Some("*"),
        Some(Value::Object(map)) => {
            as_list(map.get("AWS")).iter().any(|a| a.as_str() == Some("*")).then_some("{\"AWS\": \"*\"}")
        }
        _ => None,
    }
}

/// Whether an action pattern of a statement (`lambda:InvokeFunctionUrl`, `lambda:*`,
/// `lambda:Invoke*`, `*` …) covers `action` (IAM matches actions case-insensitively).
fn action_covers(statement: &Value, action: &str) -> bool {
    let action = action.to_ascii_lowercase();
    as_list(statement.get("Action"))
        .iter()
        .filter_map(|a| a.as_str())
        .any(|pattern| arn_matches(&pattern.to_ascii_lowercase(), &action))
}

/// The condition keys of a statement that narrow who can call: every key but
/// `lambda:FunctionUrlAuthType`, which only says which AuthType the grant is for (AWS adds it
/// to the public statement of an AuthType NONE URL) and lets the same callers in.
fn narrowing_keys(statement: &Value) -> Vec<String> {
    statement
        .get("Condition")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(_, entries)| {
            entries.as_object().into_iter().flatten().map(|(k, _)| k.to_ascii_lowercase())
        })
        .filter(|k| k != "lambda:functionurlauthtype")
        .collect()
}

/// The first Allow statement of `policy` that lets everyone (`*` or `AWS: *`) call
/// `lambda:InvokeFunctionUrl` without a condition narrowing the callers (`aws:SourceArn`,
/// `aws:PrincipalOrgID`, `aws:SourceAccount` …: any condition key but
/// `lambda:FunctionUrlAuthType`). On an `AWS_IAM` function URL, such a grant lets any signed
/// request of any AWS account in: the URL is public despite CloudFront's origin access control.
/// A statement with a narrowing condition is not reported (its reach is not judged here).
pub fn public_url_grant(policy: Option<&Value>) -> Option<PublicUrlGrant> {
    let statements = as_list(policy.and_then(|p| p.get("Statement")));
    // An unconditional Deny of everyone refuses every caller (CloudFront included).
    let denied_to_all = statements.iter().any(|s| {
        s.get("Effect").and_then(Value::as_str) == Some("Deny")
            && everyone(s.get("Principal")).is_some()
            && action_covers(s, INVOKE_ACTIONS[0])
            && s.get("Condition").is_none()
    });
    if denied_to_all {
        return None;
    }
    statements.iter().find_map(|s| {
        if s.get("Effect").and_then(Value::as_str) != Some("Allow") || s.get("NotAction").is_some() {
            return None;
        }
        let principal = everyone(s.get("Principal"))?;
        (action_covers(s, INVOKE_ACTIONS[0]) && narrowing_keys(s).is_empty()).then(|| PublicUrlGrant {
            sid: s.get("Sid").and_then(Value::as_str).unwrap_or_default().to_string(),
            principal,
        })
    })
}
