use crate::check::{Audit, Context, Output};
use crate::declare_check;
use crate::finding::Finding;
use crate::resource::AsResource;

declare_check! {
    /// ## What it finds
    ///
    /// A secret custom origin header (`X-Origin-Verify`, `x-api-key`, or any name listed in
    /// `secret_header_names` or containing secret/verify/token/key/auth …) whose value is
    /// shorter than `min_secret_length` (32), has fewer than `min_secret_entropy_bits` (112)
    /// bits of estimated entropy, or looks like a phrase or an unrendered template
    /// (`my-super-…`, `{{ … }}`).
    ///
    /// edge-audit never keeps the value: the collector keeps its length, an entropy estimate,
    /// whether it contains template markers, and a fingerprint. The estimate is guessability,
    /// not character counting: [zxcvbn](https://github.com/shssoichiro/zxcvbn-rs) splits the
    /// value into what an attacker would guess first — dictionary words (also reversed and in
    /// l33t), keyboard walks, repeats, sequences, dates — 16 characters at a time; each part it
    /// recognises costs zxcvbn's guesses for it plus the bits needed to say where it sits in the
    /// value, and what it cannot explain is costed at the bits per character of the value's
    /// alphabet (10 for digits, 16 for hex, 36, 62 for base62, 64 for base64/base64url, 95 for
    /// anything else); no part costs more than its characters at that rate, and a UUID counts
    /// its 122 random bits at most. So `openssl rand -hex 16` is about 120–128 bits (the
    /// three-character "dates" and "words" every random string contains cost almost nothing), a
    /// UUIDv4 122, 32 random base62 characters about 180–192: all strong; a value built from
    /// words, walks, repeats or dates is not. The figure is the same in every run. The
    /// threshold, 112 bits, is the smallest security strength NIST SP 800-131A accepts.
    ///
    /// ## Why it matters
    ///
    /// The header is the only thing that separates CloudFront's requests from an attacker's.
    /// Short or guessable values — often copied from a blog post — are found by guessing; once
    /// known, the origin accepts direct requests that skip the WAF.
    ///
    /// ## Example
    ///
    /// `X-Origin-Verify` set to the example value of a tutorial (a few words and digits), or to
    /// 16 hex characters (64 bits).
    ///
    /// ## How to fix
    ///
    /// Generate at least 32 random characters (`openssl rand -base64 32`), store them in
    /// Secrets Manager, rotate them on a schedule (send the new value, accept both at the
    /// origin, then drop the old one).
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html>
    /// - <https://docs.aws.amazon.com/whitepapers/latest/secure-content-delivery-amazon-cloudfront/custom-origin-with-cloudfront.html>
    /// - <https://aws.amazon.com/blogs/security/how-to-enhance-amazon-cloudfront-origin-security-with-aws-waf-and-aws-secrets-manager/>
    OriginSecretWeak {
        id: "EA107",
        slug: "origin-secret-weak",
        title: "Origin secret header is weak",
        severity: Medium,
        services: [Cloudfront],
    }
}

impl Audit for OriginSecretWeak {
    fn run(&self, ctx: &Context<'_>, out: &mut Output) {
        let options = ctx.options;
        for distribution in &ctx.account.distributions {
            for origin in &distribution.origins {
                for header in origin.custom_headers.iter().filter(|h| options.is_secret_header(&h.name)) {
                    let value = &header.value;
                    let mut problems = Vec::new();
                    if value.length < options.min_secret_length {
                        problems.push(format!(
                            "{} characters (minimum {})",
                            value.length, options.min_secret_length
                        ));
                    }
                    if value.entropy_bits < options.min_secret_entropy_bits {
                        problems.push(format!(
                            "about {} bits of entropy (minimum {})",
                            value.entropy_bits, options.min_secret_entropy_bits
                        ));
                    }
                    if value.looks_like_phrase {
                        problems.push("looks like a phrase or a template".to_string());
                    }
                    if problems.is_empty() {
                        continue;
                    }
                    out.push(
                        Finding::new(
                            &Self::META,
                            distribution.resource(ctx.account_id()),
                            format!(
                                "Distribution {} sends a weak secret in header {} to origin `{}`: {}",
                                distribution.id,
                                header.name,
                                origin.id,
                                problems.join(", ")
                            ),
                        )
                        .detail(format!("{}/{}", origin.id, header.name.to_ascii_lowercase()))
                        .evidence("origin_id", &origin.id)
                        .evidence("header", &header.name)
                        .evidence("fingerprint", &value.fingerprint)
                        .evidence("length", value.length)
                        .evidence("entropy_bits", value.entropy_bits)
                        .evidence("strength", value.strength)
                        .evidence("looks_like_phrase", value.looks_like_phrase)
                        .evidence("min_length", options.min_secret_length)
                        .evidence("min_entropy_bits", options.min_secret_entropy_bits),
                    );
                }
            }
        }
    }
}
