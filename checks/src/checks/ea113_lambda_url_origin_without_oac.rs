use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::index::ResolvedOrigin;
use crate::origin::OriginKind;

declare_check! {
    /// ## What it finds
    ///
    /// An origin that is a Lambda function URL (`*.lambda-url.<region>.on.aws`) with no origin
    /// access control.
    ///
    /// ## Why it matters
    ///
    /// Without OAC CloudFront cannot sign its requests, so the function URL must use AuthType
    /// NONE: anyone who learns the URL invokes the function directly, bypassing the WAF, and
    /// every such invocation is billed and counts against the function's concurrency.
    ///
    /// ## Example
    ///
    /// A `/lambda-url/*` behavior whose origin is `abc123.lambda-url.eu-west-1.on.aws` with no
    /// `OriginAccessControlId`.
    ///
    /// ## How to fix
    ///
    /// Create an origin access control of type `lambda` (signing behavior `always`), attach it
    /// to the origin, switch the function URL to AuthType AWS_IAM, and allow **both**
    /// `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` for `cloudfront.amazonaws.com` with
    /// the distribution's ARN as `AWS:SourceArn` (one of them alone leaves CloudFront refused:
    /// EA114). Once the OAC is there, edge-audit judges the lock with the OAC's signing behavior
    /// (ListOriginAccessControls) and that policy.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html>
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html>
    LambdaUrlOriginWithoutOac {
        id: "EA113",
        slug: "lambda-url-origin-without-oac",
        title: "Lambda function URL origin without origin access control",
        severity: High,
        services: [Cloudfront],
    }
}

impl Audit for LambdaUrlOriginWithoutOac {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        // The perimeter's locks: every origin once, a templated one once per tenant (filled in).
        for lock in &ctx.perimeter.locks {
            let origin = lock.origin;
            {
                if !matches!(origin.kind, OriginKind::LambdaUrl { .. }) {
                    continue;
                }
                if origin.origin_access_control_id.as_deref().is_some_and(|id| !id.is_empty()) {
                    continue;
                }
                let function = match ctx.index.resolve_origin(origin) {
                    ResolvedOrigin::LambdaUrl(f) => Some(f),
                    _ => None,
                };
                let auth_type = function.and_then(|f| f.url.as_ref()).map(|u| u.auth_type.as_str());
                let finding = Finding::new(
                    &Self::META,
                    lock.resource(ctx.account_id()),
                    format!(
                        "{} reaches Lambda function URL origin `{}` ({}) without an origin access control{}",
                        lock.subject(),
                        origin.id,
                        function.map(|f| f.name.as_str()).unwrap_or(origin.domain_name.as_str()),
                        match auth_type {
                            Some(auth) => format!("; the function URL uses AuthType {auth}"),
                            None => String::new(),
                        }
                    ),
                )
                .detail(&origin.id)
                .evidence("origin_id", &origin.id)
                .evidence("origin_domain", &origin.domain_name)
                .evidence("function", function.map(|f| f.arn.as_str()))
                .evidence("function_url_auth_type", auth_type);
                out.push(lock.with_tenant_evidence(finding));
            }
        }
    }
}
