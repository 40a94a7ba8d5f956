use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::{Confidence, Finding};
use crate::index::Api;
use crate::index::ResolvedOrigin;
use crate::inventory::Service;
use crate::perimeter::coverage_gaps;

declare_check! {
    /// ## What it finds
    ///
    /// A distribution whose API Gateway origin (`{api-id}.execute-api.{region}.amazonaws.com`)
    /// names an API that is not in the account, or whose origin path does not start with a
    /// stage of that API. HTTP APIs with only the `$default` stage take no stage in the path, so
    /// there the origin path must not name one.
    ///
    /// An API that is in no scanned account is reported with low confidence: it may be deleted,
    /// or belong to an account outside the scan (then scan that account too: `--account`,
    /// `--org`; if the distribution sends it a secret header, the origin's lock is also listed
    /// as not evaluated).
    ///
    /// ## Why it matters
    ///
    /// Every request through that origin fails (`403 Forbidden` / `{"message":"Not Found"}`),
    /// or — worse — reaches an API of another account, or a leftover stage (`/staging`) that
    /// lacks production's protections. Origins naming deleted APIs are also free for the taking
    /// if the id is ever reused.
    ///
    /// ## Example
    ///
    /// Origin path `/staging` on an API that only has the stage `prod`.
    ///
    /// ## How to fix
    ///
    /// Set the origin path to `/{stage}` of a deployed stage (no path for `$default`), and
    /// remove origins whose API no longer exists.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesOriginPath>
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html>
    ApigwOriginPathMismatch {
        id: "EA208",
        slug: "apigw-origin-path-mismatch",
        title: "API Gateway origin names no deployed stage or API",
        severity: Medium,
        services: [Cloudfront, Apigateway, Apigatewayv2],
    }
}

impl Audit for ApigwOriginPathMismatch {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        // The perimeter's resolution: an API in another scanned account is found there.
        for lock in &ctx.perimeter.locks {
            let (distribution, origin) = (lock.distribution, lock.origin);
            let first = origin.origin_path.trim_start_matches('/').split('/').next().unwrap_or("");
            let (api, problem) = match lock.resolved {
                ResolvedOrigin::UnknownApi { api_id, region } => {
                    let gaps =
                        coverage_gaps(ctx.account, region, &[Service::Apigateway, Service::Apigatewayv2]);
                    if !gaps.is_empty() {
                        out.not_evaluated(
                            &Self::META,
                            lock.tenant.map_or(&distribution.arn, |t| &t.arn).clone(),
                            format!("origin `{}` names API {api_id}: {}", origin.id, gaps.join("; ")),
                        );
                        continue;
                    }
                    (
                        None,
                        format!(
                            "names API {api_id} in {region}, which is in no scanned account (deleted, or owned by an account outside the scan: scan that account too)"
                        ),
                    )
                }
                ResolvedOrigin::RestApi(api) => {
                    if first.is_empty() || api.stage(first).is_some() {
                        continue;
                    }
                    (
                        Some(Api::Rest(api)),
                        format!(
                            "has origin path {} but REST API {} has no stage {first}",
                            origin.origin_path, api.id
                        ),
                    )
                }
                ResolvedOrigin::HttpApi(api) if api.has_only_default_stage() => {
                    if first != "$default" {
                        continue;
                    }
                    (Some(Api::Http(api)), format!("has origin path {} but HTTP API {} serves $default without a stage in the path", origin.origin_path, api.id))
                }
                ResolvedOrigin::HttpApi(api) => {
                    if first.is_empty() || api.stages.iter().any(|s| s.name == first) {
                        continue;
                    }
                    (
                        Some(Api::Http(api)),
                        format!(
                            "has origin path {} but HTTP API {} has no stage {first}",
                            origin.origin_path, api.id
                        ),
                    )
                }
                _ => continue,
            };
            // The API's absence from the scan is certain; that it does not exist is not.
            let confidence = if api.is_none() { Confidence::Low } else { Confidence::High };
            let stages = api.map(|a| a.stage_names()).unwrap_or_default();
            let finding = Finding::new(
                &Self::META,
                lock.resource(ctx.account_id()),
                format!("{} origin `{}` {problem}", lock.subject(), origin.id),
            )
            .confidence(confidence)
            .detail(&origin.id)
            .evidence("origin_id", &origin.id)
            .evidence("origin_domain", &origin.domain_name)
            .evidence("origin_path", &origin.origin_path)
            .evidence("api_stages", stages);
            out.push(lock.with_tenant_evidence(finding));
        }
    }
}
