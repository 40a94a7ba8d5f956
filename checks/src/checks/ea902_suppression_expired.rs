use crate::declare_check;

declare_check! {
    /// ## What it finds
    ///
    /// A `[[suppress]]` entry of `edge-audit.toml` whose `expires` date has passed. From the day
    /// after that date the suppression no longer hides anything: the findings it covered are
    /// reported (and gate the run) again, and this finding says why.
    ///
    /// ## Why it matters
    ///
    /// A suppression is a promise to fix something by a date. Letting it lapse silently would
    /// turn a temporary exception into a permanent blind spot; letting it keep suppressing would
    /// make the date meaningless.
    ///
    /// ## Example
    ///
    /// ```toml
    /// [[suppress]]
    /// check = "EA101"
    /// resource = "arn:aws:cloudfront::123456789012:distribution/E1LEGACY"
    /// reason = "legacy site, decommissioned in Q2"
    /// expires = 2025-06-30
    /// ```
    ///
    /// On 2025-07-01 the EA101 finding on `E1LEGACY` is reported again, with this finding on
    /// `suppress[0]` of `edge-audit.toml`.
    ///
    /// ## How to fix
    ///
    /// Fix the finding and delete the suppression, or, if the exception is still justified,
    /// give it a new `expires` date (and a reason that says why). Use `permanent = true` only
    /// for accepted risks that will never be fixed.
    ///
    /// ## References
    ///
    /// - <https://github.com/edge-audit/edge-audit#configuration-suppressions-and-baselines>
    SuppressionExpired {
        id: "EA902",
        slug: "suppression-expired",
        title: "Suppression expired",
        severity: Low,
        produced_by: Policy,
    }
}
