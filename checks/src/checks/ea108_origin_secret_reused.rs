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

/// How many other places and distributions a finding names; the rest are given by count, so a
/// secret shared by thousands of distributions does not make every finding list all of them.
const EVIDENCE_SAMPLE: usize = 10;

/// `distribution/origin (header)`.
fn place(used: &Use<'_>) -> String {
    format!("{}/{} ({})", used.distribution.id, used.origin_id, used.header)
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
            // The uses of each distribution, in one pass: a secret shared by N distributions
            // yields N findings, and each must cost O(1) in the others, not O(N).
            let mut by_distribution: BTreeMap<&str, Vec<&Use<'_>>> = BTreeMap::new();
            for used in &uses {
                by_distribution.entry(used.distribution.id.as_str()).or_default().push(used);
            }
            let domains: BTreeSet<&str> = uses.iter().map(|u| u.origin_domain.as_str()).collect();
            if by_distribution.len() < 2 && domains.len() < 2 {
                continue;
            }
            let distribution_ids: Vec<&str> = by_distribution.keys().copied().collect();
            for (distribution_id, here) in &by_distribution {
                let Some(first) = here.first() else { continue };
                let distribution = first.distribution;
                // Evidence stays bounded: this distribution's own places, a sample of the other
                // places and distributions, and the rest by count.
                let own: Vec<String> = here.iter().map(|u| place(u)).collect();
                let others: Vec<String> = uses
                    .iter()
                    .filter(|u| u.distribution.id != *distribution_id)
                    .take(EVIDENCE_SAMPLE)
                    .map(place)
                    .collect();
                let other_places = uses.len() - here.len();
                let sample_ids: Vec<&str> = distribution_ids.iter().copied().take(EVIDENCE_SAMPLE).collect();
                out.push(
                    Finding::new(
                        &Self::META,
                        distribution.resource(ctx.account_id()),
                        format!(
                            "Distribution {} sends the secret with fingerprint {fingerprint} to origin(s) {}; the same value is sent to {} place(s) in total, by {} distribution(s)",
                            distribution.id,
                            here.iter().map(|u| format!("`{}`", u.origin_id)).collect::<Vec<_>>().join(", "),
                            uses.len(),
                            distribution_ids.len()
                        ),
                    )
                    .detail(fingerprint)
                    .evidence("fingerprint", fingerprint)
                    .evidence("length", first.length)
                    .evidence("used_here", &own)
                    .evidence("used_elsewhere_sample", &others)
                    .evidence("used_elsewhere_count", other_places)
                    .evidence("places_count", uses.len())
                    .evidence("distributions", &sample_ids)
                    .evidence("distributions_count", distribution_ids.len()),
                );
            }
        }
    }
}
