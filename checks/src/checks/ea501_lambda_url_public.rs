use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::{Confidence, Finding, Severity};
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A Lambda function URL with AuthType NONE. High when the function URL is the origin of a
    /// distribution (it is meant to be reached through CloudFront only), medium otherwise.
    /// Confidence is lower when the function has no resource policy statement granting
    /// `lambda:InvokeFunctionUrl` to `*`, which AWS also requires for public access.
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
    /// behind `/lambda-url/*`.
    ///
    /// ## How to fix
    ///
    /// Switch the URL to AuthType AWS_IAM and put CloudFront in front with an origin access
    /// control of type `lambda`; or replace the function URL with API Gateway and a regional
    /// web ACL.
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
            if !url.auth_type.eq_ignore_ascii_case("NONE") {
                continue;
            }
            let origin_of: Vec<String> = ctx
                .index
                .origins_reaching(&function.arn)
                .iter()
                .map(|u| format!("{}/{}", u.distribution.id, u.origin.id))
                .collect();
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
