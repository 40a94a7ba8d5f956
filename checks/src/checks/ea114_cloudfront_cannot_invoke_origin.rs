use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::perimeter::oac::{cloudfront_grant, oac_signs};
use crate::perimeter::{BackendKind, Guard, GuardStatus, Scope};

declare_check! {
    /// ## What it finds
    ///
    /// A Lambda function URL origin locked with an origin access control — the OAC signs, the
    /// URL's AuthType is `AWS_IAM` — whose resource policy does not allow the service principal
    /// `cloudfront.amazonaws.com` **both** `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction`
    /// for this distribution (an `AWS:SourceArn` naming it, an `AWS:SourceAccount` of the
    /// account, or no source condition).
    ///
    /// The OAC's signing behavior comes from ListOriginAccessControls (`always`, or
    /// `no-override` where no behavior forwards the viewer's `Authorization`); the policy from
    /// the function's GetPolicy. When either was not read the origin is *not evaluated*.
    ///
    /// ## Why it matters
    ///
    /// Since October 2025 a function URL behind an OAC needs both permissions, and since
    /// 2026-11-01 AWS enforces this for existing function URLs too. With one of them missing
    /// CloudFront's signed requests are refused with 403: the site or API behind the behavior is
    /// **broken, not open** — nobody gets in, CloudFront included.
    ///
    /// ## Example
    ///
    /// A policy with the single statement AWS documented before October 2025: `Allow`
    /// `cloudfront.amazonaws.com` `lambda:InvokeFunctionUrl` with `AWS:SourceArn` = the
    /// distribution, and no `lambda:InvokeFunction`.
    ///
    /// ## How to fix
    ///
    /// Add the missing permission for the same principal and condition:
    /// `aws lambda add-permission --function-name FN --statement-id cloudfront-invoke
    /// --action lambda:InvokeFunction --principal cloudfront.amazonaws.com --source-arn
    /// arn:aws:cloudfront::ACCOUNT:distribution/ID` (and `lambda:InvokeFunctionUrl` with
    /// `--function-url-auth-type AWS_IAM` if that is the one missing). Prefer `AWS:SourceArn`
    /// to `AWS:SourceAccount`: the latter lets every distribution of the account in.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html>
    /// - <https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html>
    CloudfrontCannotInvokeOrigin {
        id: "EA114",
        slug: "cloudfront-cannot-invoke-origin",
        title: "CloudFront is not allowed to invoke its Lambda function URL origin",
        severity: Medium,
        services: [Cloudfront, Lambda],
    }
}

impl Audit for CloudfrontCannotInvokeOrigin {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for lock in &ctx.perimeter.locks {
            let (distribution, origin) = (lock.distribution, lock.origin);
            if !distribution.enabled {
                continue;
            }
            for target in &lock.targets {
                let BackendKind::FunctionUrl(function) = target.kind else { continue };
                let Some((_, report)) = target.judged_guards().find(|(g, _)| matches!(g, Guard::LambdaIam)) else {
                    continue;
                };
                let grant = cloudfront_grant(function.policy.as_ref(), &distribution.arn, ctx.account_id());
                let missing = grant.missing();
                let scope = Scope { account: ctx.account, index: ctx.index, options: ctx.options };
                let signs = oac_signs(&scope, distribution, origin).is_ok();
                match report.status {
                    // The OAC signs and the policy misses an action: exactly this check's case
                    // (an OAC that does not sign is EA113's and EA106's business).
                    GuardStatus::Mismatch if signs && !missing.is_empty() => {
                        let finding = Finding::new(
                            &Self::META,
                            lock.resource(ctx.account_id()),
                            format!(
                                "{} signs its requests to function {} (origin `{}`) with an origin access control, but the function's resource policy does not allow cloudfront.amazonaws.com {}: CloudFront cannot invoke it and the origin answers 403 (broken, not open)",
                                lock.subject(),
                                function.name,
                                origin.id,
                                missing.join(" and ")
                            ),
                        )
                        .detail(&origin.id)
                        .evidence("origin_id", &origin.id)
                        .evidence("function", &function.arn)
                        .evidence("missing_actions", &missing)
                        .evidence("origin_access_control_id", &origin.origin_access_control_id);
                        out.push(lock.with_tenant_evidence(finding));
                    }
                    GuardStatus::CouldNotVerify => out.not_evaluated(&Self::META, lock.key(), report.why.clone()),
                    _ => {}
                }
            }
        }
    }
}
