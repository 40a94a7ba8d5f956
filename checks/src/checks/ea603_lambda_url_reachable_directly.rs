use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Severity;
use crate::origin::OriginKind;

declare_check! {
    /// ## What it finds
    ///
    /// A Lambda function URL behind a distribution that answered a request sent straight to
    /// `{url-id}.lambda-url.{region}.on.aws` (active probe, no credentials, no secret header).
    /// An answer from the function is critical; a 401/403 without Lambda's IAM refusal
    /// (`x-amzn-ErrorType: AccessDeniedException`) came from the function's code: high.
    ///
    /// ## Why it matters
    ///
    /// A function URL with `AuthType: NONE` runs the function for anyone on the internet. Each
    /// direct request skips the distribution's web ACL and rate limits, is an invocation you pay
    /// for, and consumes the function's concurrency: a flood is a denial of service (and of
    /// wallet) for the real traffic, even when the code refuses the request after it started.
    ///
    /// ## Example
    ///
    /// The distribution reaches the URL through Origin Access Control, but the URL's auth type
    /// is still `NONE`, so `GET https://abc.lambda-url.us-east-1.on.aws/` returns `200`.
    ///
    /// ## How to fix
    ///
    /// Set the function URL's auth type to `AWS_IAM` and give the distribution an Origin Access
    /// Control of type `lambda` (signing `always`), with a resource policy that allows
    /// `lambda:InvokeFunctionUrl` only to `cloudfront.amazonaws.com` for this distribution's ARN.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html>
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html>
    LambdaUrlReachableDirectly {
        id: "EA603",
        slug: "lambda-url-reachable-directly",
        title: "Lambda function URL answers requests that bypass CloudFront",
        severity: Critical,
        services: [Cloudfront],
        requires_probes: true,
    }
}

impl Audit for LambdaUrlReachableDirectly {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        super::probes::report_direct(
            ctx,
            out,
            &Self::META,
            |kind| matches!(kind, OriginKind::LambdaUrl { .. }),
            Severity::High,
        );
    }
}
