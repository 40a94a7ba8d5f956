use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::perimeter::locks::Unresolved;
use crate::perimeter::{self, Verdict, VpcOriginReach};

declare_check! {
    /// ## What it finds
    ///
    /// A custom or API origin that the distribution reaches without anything the origin could
    /// recognise it by: no secret custom header, no origin access control, no VPC origin, no
    /// `origin-request` Lambda@Edge signer (and, for an S3 website origin, no `Referer` secret).
    ///
    /// It looks at the distribution side only: whatever the origin does, it cannot tell this
    /// distribution's requests from anyone else's. S3 REST origins (S3OriginConfig) are out of
    /// scope.
    ///
    /// With several accounts in one scan (`--account`, `--org`, or a saved inventory of
    /// several), an origin whose API, load balancer or function URL is in another scanned
    /// account is resolved there and judged as a local one, in both accounts' checks. An origin
    /// that receives a secret header but whose backend is in no scanned account is reported as
    /// *not evaluated* for the distribution, naming the header (never its value) and the
    /// accounts that were searched — an `execute-api`, `elb` or `lambda-url` host name does not
    /// say which account owns it: scan the account that owns the backend too. When the listing
    /// that would hold the backend could not be read (AccessDenied on the API's region, say), the
    /// entry says which read failed instead. Without a secret, all of these are reported as any
    /// other origin.
    ///
    /// An origin of a multi-tenant distribution whose domain or path is a template (`{{name}}`)
    /// is judged once per enabled tenant, filled in with the tenant's parameters
    /// (GetDistributionTenant) or the distribution's defaults (`TenantConfig`): the finding is
    /// then on the tenant (`cloudfront/distribution-tenant`), with the distribution, the tenant
    /// and the template in its evidence. A tenant whose origin cannot be filled in (a parameter
    /// with no value and no default, parameters or defaults that could not be read) is treated
    /// like an unresolved backend above, naming the parameter or the read; a template no enabled
    /// tenant fills in reaches no backend and is reported *not evaluated*, saying so.
    ///
    /// A **VPC origin** (`VpcOriginConfig`, read with ListVpcOrigins and GetVpcOrigin) counts only
    /// when its endpoint is private: an internal load balancer, or an EC2 instance without a
    /// public address or whose security groups admit the internet on none of its listener ports.
    /// A VPC origin whose endpoint is an internet-facing load balancer (or a public, open
    /// instance) locks nothing — the endpoint is reachable around CloudFront and is judged like
    /// any other (EA4xx). A VPC origin shared from another account through AWS RAM
    /// (`OwnerAccountId`) is judged in the owner's account when that account is scanned too
    /// (`--account` both, or `--org`): its VPC origin listing and endpoint are read there. One
    /// shared from an account outside the scan, one whose listing failed (AccessDenied on
    /// `cloudfront:ListVpcOrigins`) or whose endpoint was not read is reported *not evaluated*,
    /// naming the account or the failure.
    ///
    /// ## Why it matters
    ///
    /// CloudFront's WAF, rate limits, geo restrictions and Shield protection only apply to
    /// requests that go through CloudFront. An origin that cannot tell CloudFront's requests
    /// apart can be called directly (its `execute-api`, `elb.amazonaws.com` or `lambda-url`
    /// name is easy to find), bypassing all of them. Allow-listing CloudFront's IP ranges does
    /// not help: every CloudFront distribution of every AWS customer uses them.
    ///
    /// ## Example
    ///
    /// An API Gateway origin with no custom headers and no Lambda@Edge association.
    ///
    /// ## How to fix
    ///
    /// Make the distribution send a long random secret header (`X-Origin-Verify`) to the origin
    /// and make the origin refuse requests without it (a regional web ACL on the stage or ALB,
    /// ALB listener rules), or use the origin's native mechanism: OAC for Lambda URLs and S3, a
    /// VPC origin for ALBs and instances, SigV4 signing with Lambda@Edge and AWS_IAM
    /// authorization for API Gateway.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html>
    /// - <https://aws.amazon.com/blogs/security/protect-apis-with-amazon-api-gateway-and-perimeter-protection-services/>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html>
    OriginNotLockedToCloudfront {
        id: "EA106",
        slug: "origin-not-locked-to-cloudfront",
        title: "Origin cannot tell CloudFront's requests from anyone else's",
        severity: High,
        services: [Cloudfront],
    }
}

impl Audit for OriginNotLockedToCloudfront {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        for lock in &ctx.perimeter.locks {
            let (distribution, origin) = (lock.distribution, lock.origin);
            if !distribution.enabled
                || (origin.custom.is_none() && origin.vpc_origin_id.is_none() && !origin.kind.is_api())
            {
                continue;
            }
            let subject_arn = lock.tenant.map_or(&distribution.arn, |t| &t.arn);
            if let (true, Some(unresolved)) = (lock.is_untenanted_template(), &lock.unresolved) {
                // No tenant fills the template in: it reaches nothing that could be judged.
                out.not_evaluated(
                    &Self::META,
                    subject_arn,
                    format!("origin `{}`: {}", origin.id, unresolved.why()),
                );
                continue;
            }
            if let (Some(unresolved), false) = (&lock.unresolved, lock.sent.secret_headers.is_empty()) {
                // The distribution sends a secret to a backend edge-audit cannot see: whether
                // that backend checks it cannot be judged from here.
                let headers: Vec<&str> = lock.sent.secret_headers.iter().map(|h| h.name.as_str()).collect();
                let (where_, then) = match unresolved {
                    Unresolved::Missing(_) => {
                        ("is in no scanned account", "scan the account that owns it too (--account, --org)")
                    }
                    Unresolved::Unread(_) => ("could not be looked up", "grant the read that failed and scan again"),
                    Unresolved::TenantTemplate(_) => (
                        "cannot be told for this tenant",
                        "grant the read that failed, or give the parameter a value or a default",
                    ),
                };
                out.not_evaluated(
                    &Self::META,
                    subject_arn,
                    format!(
                        "origin `{}` ({} {}) sends header {} to a backend that {where_} ({}): {then}",
                        origin.id,
                        origin.kind.label(),
                        origin.domain_name,
                        headers.join(", "),
                        unresolved.why()
                    ),
                );
            }
            // A VPC origin locks the origin only when its endpoint is private; the other
            // mechanisms are recognised by the origin (EA305 and others judge them).
            let vpc_reach = lock.vpc_reach.clone();
            if lock.sent.mechanisms().iter().any(|m| *m != "vpc-origin") {
                continue;
            }
            match &vpc_reach {
                Some(VpcOriginReach::Private(_)) => continue,
                Some(VpcOriginReach::NotEvaluated(why)) => {
                    out.not_evaluated(&Self::META, lock.key(), why.clone());
                    continue;
                }
                Some(VpcOriginReach::Internet(_)) | None => {}
            }
            // A header whose name does not look secret still counts when the origin checks it.
            let recognised = lock.targets.iter().any(|t| {
                t.side.guards.iter().any(|g| {
                    !matches!(g, perimeter::Guard::NotPublic(_))
                        && g.judge(origin, &lock.sent).verdict == Verdict::Satisfied
                })
            });
            if recognised {
                continue;
            }
            let headers: Vec<&str> = origin.custom_headers.iter().map(|h| h.name.as_str()).collect();
            let message = match &vpc_reach {
                Some(reach) => format!(
                    "{} reaches origin `{}` ({} {}) through a VPC origin, but {}; it sends no secret header or signature the endpoint could check",
                    lock.subject(),
                    origin.id,
                    origin.kind.label(),
                    origin.domain_name,
                    reach.why()
                ),
                None => format!(
                    "{} reaches origin `{}` ({} {}) with no secret header, origin access control, VPC origin or origin-request signer: the origin cannot refuse requests that bypass CloudFront",
                    lock.subject(),
                    origin.id,
                    origin.kind.label(),
                    origin.domain_name
                ),
            };
            let finding = Finding::new(&Self::META, lock.resource(ctx.account_id()), message)
                .detail(&origin.id)
                .evidence("origin_id", &origin.id)
                .evidence("origin_domain", &origin.domain_name)
                .evidence("origin_kind", origin.kind.label())
                .evidence("custom_header_names", headers)
                .evidence("origin_access_control_id", &origin.origin_access_control_id)
                .evidence("vpc_origin_id", &origin.vpc_origin_id)
                .evidence("vpc_origin", vpc_reach.as_ref().map(|r| r.why()));
            out.push(lock.with_tenant_evidence(finding));
        }
    }
}
