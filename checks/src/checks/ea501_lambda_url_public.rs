use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::{Confidence, Finding, Severity};
use crate::inventory::{FunctionUrl, LambdaFunction};
use crate::perimeter::oac::{public_url_grant, PublicUrlGrant};
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A Lambda function URL with AuthType NONE. High when the function URL is the origin of a
    /// distribution (it is meant to be reached through CloudFront only), medium otherwise.
    /// Confidence is lower when the function has no resource policy statement granting
    /// `lambda:InvokeFunctionUrl` to `*`, which AWS also requires for public access.
    ///
    /// Also a function URL with AuthType `AWS_IAM` whose resource policy allows principal `*`
    /// (or `{"AWS": "*"}`) `lambda:InvokeFunctionUrl` (or `lambda:*`, `lambda:Invoke*`, `*`)
    /// with no condition narrowing the callers. AWS_IAM only refuses *unsigned* requests: with
    /// such a grant, a request signed by any principal of any AWS account is let in, so the
    /// URL is public even when CloudFront signs its own requests with an origin access control.
    /// Any condition key other than `lambda:FunctionUrlAuthType` (`AWS:SourceArn`,
    /// `aws:PrincipalOrgID`, `AWS:SourceAccount` …) counts as narrowing and keeps this check
    /// quiet, and so does an unconditional Deny of everyone; the statement that lets
    /// `cloudfront.amazonaws.com` in with `AWS:SourceArn` (the OAC lock, EA113/EA114) is not a
    /// public grant.
    ///
    /// ## Why it matters
    ///
    /// Anyone with the URL invokes the function: no WAF, no rate limit, no authentication in
    /// front of it. Even requests the code rejects are billed and use the function's
    /// concurrency, so a flood of junk calls can starve real users.
    ///
    /// ## Example
    ///
    /// `aws lambda get-function-url-config` returns `"AuthType": "NONE"` for the function
    /// behind `/lambda-url/*`; or `"AuthType": "AWS_IAM"` and `aws lambda get-policy` shows
    /// `{"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunctionUrl"}`.
    ///
    /// ## How to fix
    ///
    /// Switch the URL to AuthType AWS_IAM and put CloudFront in front with an origin access
    /// control of type `lambda`; or replace the function URL with API Gateway and a regional
    /// web ACL. For an AWS_IAM URL, remove the statement granting `*` and grant
    /// `cloudfront.amazonaws.com` `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction`
    /// conditioned on `AWS:SourceArn` = the distribution's ARN.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html>
    LambdaUrlPublic {
        id: "EA501",
        slug: "lambda-url-public",
        title: "Public Lambda function URL",
        severity: High,
        services: [Lambda, Cloudfront],
    }
}

/// Whether a resource policy has a statement letting everyone invoke the function URL.
fn grants_public_url_invoke(policy: Option<&serde_json::Value>) -> bool {
    let Some(policy) = policy else { return false };
    let statements = match policy.get("Statement") {
        Some(serde_json::Value::Array(list)) => list.iter().collect::<Vec<_>>(),
        Some(single) => vec![single],
        None => return false,
    };
    statements.iter().any(|s| {
        let allow = s.get("Effect").and_then(|e| e.as_str()) == Some("Allow");
        let everyone = match s.get("Principal") {
            Some(serde_json::Value::String(p)) => p == "*",
            Some(principal) => principal.get("AWS").and_then(|a| a.as_str()) == Some("*"),
            None => false,
        };
        let action = s.get("Action").map(|a| a.to_string()).unwrap_or_default();
        allow && everyone && (action.contains("lambda:InvokeFunctionUrl") || action.contains("lambda:*"))
    })
}

impl Audit for LambdaUrlPublic {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for function in &ctx.account.lambda_functions {
            let Some(url) = &function.url else { continue };
            if url.auth_type.eq_ignore_ascii_case("AWS_IAM") {
                if let Some(grant) = public_url_grant(function.policy.as_ref()) {
                    iam_url_granted_to_everyone(ctx, out, function, url, &grant);
                }
                continue;
            }
            if !url.auth_type.eq_ignore_ascii_case("NONE") {
                continue;
            }
            let origin_of = origins_of(ctx, function);
            let public_policy = grants_public_url_invoke(function.policy.as_ref());
            let (severity, message) = if origin_of.is_empty() {
                (
                    Severity::Medium,
                    format!("Function {} has a public function URL (AuthType NONE)", function.name),
                )
            } else {
                (
                    Severity::High,
                    format!(
                        "Function {} is the origin of {} but its function URL is public (AuthType NONE): callers can skip CloudFront",
                        function.name,
                        origin_of.join(", ")
                    ),
                )
            };
            out.push(
                Finding::new(&Self::META, function.resource(ctx.account_id()), message)
                    .severity(severity)
                    .confidence(if public_policy { Confidence::High } else { Confidence::Medium })
                    .evidence("url", &url.url)
                    .evidence("auth_type", &url.auth_type)
                    .evidence("public_invoke_policy", public_policy)
                    .evidence("origin_of", &origin_of),
            );
        }
    }
}

/// The distribution/origin pairs that send requests to the function.
fn origins_of(ctx: &Context<'_>, function: &LambdaFunction) -> Vec<String> {
    ctx.index
        .origins_reaching(&function.arn)
        .iter()
        .map(|u| u.label())
        .collect()
}

/// An AWS_IAM function URL whose resource policy lets everyone in: public to any AWS account.
fn iam_url_granted_to_everyone(
    ctx: &Context<'_>,
    out: &mut Output,
    function: &LambdaFunction,
    url: &FunctionUrl,
    grant: &PublicUrlGrant,
) {
    let origin_of = origins_of(ctx, function);
    let statement = if grant.sid.is_empty() { String::new() } else { format!(" (statement {})", grant.sid) };
    let (severity, message) = if origin_of.is_empty() {
        (
            Severity::Medium,
            format!(
                "Function {} has an AWS_IAM function URL, but its resource policy{statement} lets principal {} call lambda:InvokeFunctionUrl: any AWS account can sign a request",
                function.name, grant.principal
            ),
        )
    } else {
        (
            Severity::High,
            format!(
                "Function {} is the origin of {} behind AWS_IAM, but its resource policy{statement} lets principal {} call lambda:InvokeFunctionUrl with no narrowing condition: any AWS account can sign a request and skip CloudFront, whatever the origin access control signs",
                function.name,
                origin_of.join(", "),
                grant.principal
            ),
        )
    };
    out.push(
        Finding::new(&LambdaUrlPublic::META, function.resource(ctx.account_id()), message)
            .severity(severity)
            .confidence(Confidence::High)
            .evidence("url", &url.url)
            .evidence("auth_type", &url.auth_type)
            .evidence("public_invoke_policy", true)
            .evidence("public_statement", &grant.sid)
            .evidence("principal", grant.principal)
            .evidence("origin_of", &origin_of),
    );
}
