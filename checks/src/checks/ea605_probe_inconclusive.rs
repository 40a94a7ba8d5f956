use crate::check::{Audit, Context, Output};
use crate::declare_check;

declare_check! {
    /// ## What it finds
    ///
    /// An origin probe that got no answer to judge: the name did not resolve, the connection
    /// was refused or timed out, or TLS failed (for example a certificate for another name).
    /// It is reported as **not evaluated** with the reason, never as a pass and never as a
    /// finding: nothing was proven either way, so the audit is incomplete (exit code 3 when
    /// nothing else fails).
    ///
    /// ## Why it matters
    ///
    /// "We could not connect" is not "the origin refuses direct requests": the origin may only
    /// be unreachable from where edge-audit ran (an egress firewall, a DNS view, a proxy), or
    /// may answer plain clients that skip certificate verification. Treating silence as safety
    /// would hide an open origin.
    ///
    /// ## Example
    ///
    /// `GET https://my-alb-123.us-east-1.elb.amazonaws.com/` fails with a TLS error: the load
    /// balancer's certificate is for `api.example.com`, so the probe cannot verify it is talking
    /// to the origin.
    ///
    /// ## How to fix
    ///
    /// Run the probe from a network that can reach the origin (outside the VPC, like an
    /// attacker), raise `--probe-timeout` for slow origins, or pass `--probe-ca-cert` for an
    /// origin with a private CA. If the origin really is unreachable from the internet, prefer
    /// making that explicit with a CloudFront VPC origin.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html>
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html>
    ProbeInconclusive {
        id: "EA605",
        slug: "probe-inconclusive",
        title: "Origin probe got no answer",
        severity: Info,
        services: [Cloudfront],
        requires_probes: true,
    }
}

impl Audit for ProbeInconclusive {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        super::probes::report_inconclusive(ctx, out, &Self::META);
    }
}
