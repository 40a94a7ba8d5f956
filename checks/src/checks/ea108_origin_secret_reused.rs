use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::inventory::Distribution;
use crate::resource::AsResource;
use std::collections::{BTreeMap, BTreeSet};

declare_check! {
    /// ## What it finds
    ///
    /// The same secret header value (by fingerprint) sent by more than one distribution, or by
    /// one distribution to several different origins (different origin domain names).
    ///
    /// ## Why it matters
    ///
    /// A shared secret is only as safe as the weakest place it is used: staging's leak opens
    /// production, one origin's access logs open the others, and it cannot be rotated for one
    /// of them without breaking the rest. It also means a request that passed one
    /// distribution's WAF rules can be replayed to an origin meant for another.
    ///
    /// ## Example
    ///
    /// Staging and production distributions both send `X-Origin-Verify` with the same value.
    ///
    /// ## How to fix
    ///
    /// Generate one secret per distribution and origin, and rotate them independently.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html>
    /// - <https://aws.amazon.com/blogs/security/how-to-enhance-amazon-cloudfront-origin-security-with-aws-waf-and-aws-secrets-manager/>
    OriginSecretReused {
        id: "EA108",
        slug: "origin-secret-reused",
        title: "Origin secret reused",
        severity: Low,
        services: [Cloudfront],
    }
}

/// Where one secret value is sent.
struct Use<'a> {
    distribution: &'a Distribution,
    origin_id: &'a str,
    origin_domain: String,
    header: &'a str,
    length: usize,
}

impl Audit for OriginSecretReused {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        let mut by_fingerprint: BTreeMap<&str, Vec<Use<'_>>> = BTreeMap::new();
        for distribution in &ctx.account.distributions {
            for origin in &distribution.origins {
                for header in origin.custom_headers.iter().filter(|h| ctx.options.is_secret_header(&h.name)) {
                    by_fingerprint.entry(header.value.fingerprint.as_str()).or_default().push(Use {
                        distribution,
                        origin_id: &origin.id,
                        origin_domain: origin.domain_name.to_ascii_lowercase(),
                        header: &header.name,
                        length: header.value.length,
                    });
                }
            }
        }
        for (fingerprint, uses) in by_fingerprint {
            let distributions: BTreeSet<&str> = uses.iter().map(|u| u.distribution.id.as_str()).collect();
            let domains: BTreeSet<&str> = uses.iter().map(|u| u.origin_domain.as_str()).collect();
            if distributions.len() < 2 && domains.len() < 2 {
                continue;
            }
            let places: Vec<String> = uses
                .iter()
                .map(|u| format!("{}/{} ({})", u.distribution.id, u.origin_id, u.header))
                .collect();
            for distribution_id in &distributions {
                let Some(first) = uses.iter().find(|u| u.distribution.id == *distribution_id) else {
                    continue;
                };
                let distribution = first.distribution;
                let here: Vec<&str> = uses
                    .iter()
                    .filter(|u| u.distribution.id == *distribution_id)
                    .map(|u| u.origin_id)
                    .collect();
                let elsewhere = places.len() - here.len();
                out.push(
                    Finding::new(
                        &Self::META,
                        distribution.resource(ctx.account_id()),
                        format!(
                            "Distribution {} sends the secret with fingerprint {fingerprint} to origin(s) {}; the same value is sent to {} place(s) in total",
                            distribution.id,
                            here.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", "),
                            here.len() + elsewhere
                        ),
                    )
                    .detail(fingerprint)
                    .evidence("fingerprint", fingerprint)
                    .evidence("length", first.length)
                    .evidence("used_by", &places)
                    .evidence("distributions", &distributions),
                );
            }
        }
    }
}
