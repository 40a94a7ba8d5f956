use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::{Confidence, Finding, Severity};
use crate::index::API_KEY_HEADER;
use crate::perimeter::{headers_evidence, Guard, HeaderEvidence, Verdict};

declare_check! {
    /// ## What it finds
    ///
    /// A distribution that sends a secret header to an origin whose own check expects another
    /// header name or another value (compared by fingerprint): a regional web ACL on the stage
    /// or load balancer, an ALB listener rule's http-header condition, or the API keys of the
    /// stage's usage plans against the `x-api-key` the distribution sends. Both sides are named
    /// in the finding; values never are.
    ///
    /// Regexes (statements and pattern sets), byte matches with positional constraints and text
    /// transformations, and ALB's case-insensitive wildcard values are evaluated as AWS
    /// evaluates them, against the value the distribution sends (at collection; only the
    /// result is stored), and custom rule groups are expanded with their overrides: a
    /// `LOWERCASE` transformation before an `EXACTLY` match of a search string with capitals is
    /// a mismatch, like a rule group that checks another header. Every text transformation of
    /// the API is applied (`TRIM`, `UPPERCASE`, `MD5` and the other 28) where the AWS WAF
    /// Developer Guide describes what it does to the value. What cannot be evaluated — a regex
    /// with back-references (look-around is evaluated), a value that hits a case the guide
    /// leaves open (a `CSS_DECODE` of a hexadecimal escape, a `TRIM` of a no-break space), a
    /// rule group that could not be read — is reported as "could not verify" (medium, low
    /// confidence).
    ///
    /// A check that only tests presence or a short fragment (`.*`, an ALB value of `*`) is not
    /// a mismatch but no lock at all: EA404, EA405 or EA202 report it.
    ///
    /// The routing rules of an API Gateway custom domain are such a check when they are the
    /// only way into the API (`execute-api` disabled, no API mapping reaching it, routing mode
    /// `ROUTING_RULE_ONLY` or no fallback mapping for it): a rule's `MatchHeaders` condition
    /// with an exact value glob is compared by fingerprint with the header the distribution
    /// sends to that domain; a glob with a wildcard (`prefix*`, `*suffix`, `*contains*`) cannot
    /// be compared with fingerprints and is "could not verify". edge-audit evaluates the glob in
    /// the checks, not in the collector, because the collector keeps no plaintext once a value
    /// is fingerprinted.
    ///
    /// An API with AWS_IAM on every method (or a function URL with AuthType AWS_IAM and no
    /// origin access control) behind an origin whose every behavior has an `origin-request`
    /// Lambda@Edge function is "locked by a signer whose check lives in code": whether the
    /// function signs the requests cannot be read from the configuration. The finding says
    /// could not verify (low, low confidence) and names the function.
    ///
    /// ## Why it matters
    ///
    /// Every request through CloudFront is refused at the origin (403), usually right after a
    /// rotation or a rename. The tempting "fix" under pressure is to remove the check, which
    /// unlocks the origin for everybody.
    ///
    /// ## Example
    ///
    /// The distribution sends `x-origin-verified`; the stage's web ACL allows only requests
    /// with `x-origin-verify`.
    ///
    /// ## How to fix
    ///
    /// Make both sides use the same header name and value, from one source of truth (a
    /// Secrets Manager secret read by both the distribution and the web ACL or listener rule).
    /// During a rotation, accept the old and the new value at the origin first.
    ///
    /// ## References
    ///
    /// - <https://aws.amazon.com/blogs/security/how-to-enhance-amazon-cloudfront-origin-security-with-aws-waf-and-aws-secrets-manager/>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html>
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html>
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-routing-rules.html>
    OriginHeaderMismatch {
        id: "EA305",
        slug: "origin-header-mismatch",
        title: "Origin expects another secret than the distribution sends",
        severity: High,
        services: [Cloudfront, WafRegional, Apigateway, Elbv2],
    }
}

impl Audit for OriginHeaderMismatch {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for lock in &ctx.perimeter.locks {
            let origin = lock.origin;
            for target in &lock.targets {
                if !target.side.is_complete() {
                    out.not_evaluated(&Self::META, target.arn.clone(), target.side.not_collected.join("; "));
                    continue;
                }
                for guard in &target.side.guards {
                    let expected = match guard {
                        Guard::Header { alternatives, .. } => alternatives
                            .iter()
                            .flat_map(|checks| checks.iter().map(|c| c.evidence()))
                            .collect::<Vec<_>>(),
                        Guard::ApiKey { keys } => keys
                            .iter()
                            .map(|k| {
                                serde_json::json!({
                                    "header": API_KEY_HEADER,
                                    "api_key_id": k.id,
                                    "enabled": k.enabled,
                                    "fingerprint": k.value.as_ref().map(|v| v.fingerprint.clone()),
                                })
                            })
                            .collect(),
                        Guard::RoutingRules { gates } => gates.iter().map(|g| g.evidence()).collect(),
                        Guard::Iam | Guard::LambdaIam => match lock.sent.signer {
                            Some(function) => vec![serde_json::json!({ "origin_request_function": function })],
                            None => continue,
                        },
                        _ => continue,
                    };
                    let verdict = guard.judge(origin, &lock.sent);
                    let signed_in_code = matches!(guard, Guard::Iam | Guard::LambdaIam);
                    let (severity, confidence, outcome) = match verdict.verdict {
                        Verdict::Satisfied => continue,
                        // Only the signer case matters here: a plain IAM mismatch is EA106's.
                        Verdict::Mismatch if signed_in_code => continue,
                        Verdict::CouldNotVerify if signed_in_code => (
                            Severity::Low,
                            Confidence::Low,
                            "could not verify that CloudFront's requests are signed",
                        ),
                        Verdict::Mismatch => {
                            (Severity::High, Confidence::High, "CloudFront's requests are refused")
                        }
                        Verdict::CouldNotVerify => (
                            Severity::Medium,
                            Confidence::Low,
                            "could not verify that CloudFront's requests pass",
                        ),
                    };
                    let sent: Vec<HeaderEvidence> =
                        headers_evidence(&origin.custom_headers.iter().collect::<Vec<_>>());
                    let finding = Finding::new(
                        &Self::META,
                        lock.resource(ctx.account_id()),
                        format!("{} origin `{}` → {}: {}; {outcome}", lock.subject(), origin.id, target.label, verdict.why),
                    )
                    .severity(severity)
                    .confidence(confidence)
                    .detail(format!("{}/{}", origin.id, guard.name()))
                    .evidence("origin_id", &origin.id)
                    .evidence("target", &target.arn)
                    .evidence("check", guard.describe())
                    .evidence("expected", expected)
                    .evidence("sent", sent);
                    out.push(lock.with_tenant_evidence(finding));
                }
            }
        }
    }
}
