use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::perimeter::Exposure;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A stage of an internet-facing REST API — one with a public entry point (its default
    /// `execute-api` endpoint, or a public custom domain that maps the stage) and not locked to a
    /// distribution (see EA202) — with no web ACL.
    ///
    /// APIs locked behind a distribution are not reported: the distribution's web ACL filters
    /// their traffic.
    ///
    /// A stage whose exposure cannot be decided is *not evaluated*, with the reason, never a
    /// finding: its API's data was not read, the lock's check lives in code (every method behind
    /// a Lambda authorizer whose identity source is the header the distribution sends), or the
    /// web ACL that would lock it matches with a rule group or regex pattern set that could not
    /// be read.
    ///
    /// ## Why it matters
    ///
    /// Such a stage is an entry point in its own right. Without a web ACL nothing filters
    /// exploits, bad inputs or floods before they reach the integration, and API Gateway's
    /// throttling alone is per account and region, shared by every API.
    ///
    /// ## Example
    ///
    /// Stage `prod` of a REGIONAL API with `webAclArn` empty, called directly through its
    /// invoke URL.
    ///
    /// ## How to fix
    ///
    /// Associate a REGIONAL web ACL with the stage (`aws wafv2 associate-web-acl`), with the AWS
    /// managed baseline groups and a rate-based rule; or lock the API behind a protected
    /// distribution.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html>
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html>
    ApigwStageNoWebAcl {
        id: "EA203",
        slug: "apigw-stage-no-web-acl",
        title: "Internet-facing API stage without a web ACL",
        severity: Medium,
        services: [Apigateway, WafRegional],
    }
}

impl Audit for ApigwStageNoWebAcl {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for api in &ctx.account.rest_apis {
            for stage in &api.stages {
                let arn = format!("{}/stages/{}", api.arn, stage.name);
                let Some(backend) = ctx.perimeter.backend(&arn) else { continue };
                if backend.web_acl_arn().is_some() {
                    continue;
                }
                match &backend.exposure {
                    Exposure::Locked(_) => continue,
                    Exposure::Unknown(why) => {
                        out.not_evaluated(&Self::META, arn, why.join("; "));
                        continue;
                    }
                    Exposure::Internet(_) => {}
                }
                let origin_of: Vec<String> = ctx
                    .index
                    .origins_reaching(&api.arn)
                    .iter()
                    .map(|u| u.label())
                    .collect();
                out.push(
                    Finding::new(
                        &Self::META,
                        api.resource(ctx.account_id()),
                        format!(
                            "REST API {} ({}) stage {} is reachable from the internet and has no web ACL",
                            api.id, api.name, stage.name
                        ),
                    )
                    .detail(&stage.name)
                    .evidence("stage", &stage.name)
                    .evidence("stage_arn", &arn)
                    .evidence("endpoint_types", &api.endpoint_types)
                    .evidence("entry_points", backend.entry_point_descriptions())
                    .evidence("origin_of", origin_of)
                    .evidence("why_reachable", &backend.side.open_because),
                );
            }
        }
    }
}
