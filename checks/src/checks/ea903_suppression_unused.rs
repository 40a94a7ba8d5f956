use crate::declare_check;

declare_check! {
    /// ## What it finds
    ///
    /// A `[[suppress]]` entry of `edge-audit.toml` that matched no finding in a complete audit
    /// (nothing was left not evaluated) in which its check ran.
    ///
    /// ## Why it matters
    ///
    /// An unused suppression is dead weight at best: the problem was fixed or the resource is
    /// gone. At worst it is a loaded gun: a broad glob (`arn:aws:cloudfront::*`) that matches
    /// nothing today will silently hide the next real finding. Incomplete audits never report
    /// it, because the finding the suppression is for may simply not have been evaluated.
    ///
    /// ## Example
    ///
    /// A suppression of EA402 for security group `sg-0abc` stays in the configuration after the
    /// group was deleted.
    ///
    /// ## How to fix
    ///
    /// Delete the suppression, or narrow its `resource` pattern to what it was meant for.
    ///
    /// ## References
    ///
    /// - <https://github.com/edge-audit/edge-audit#configuration-suppressions-and-baselines>
    SuppressionUnused {
        id: "EA903",
        slug: "suppression-unused",
        title: "Suppression matches nothing",
        severity: Info,
        produced_by: Policy,
    }
}

