use crate::declare_check;

declare_check! {
    /// ## What it finds
    ///
    /// A change between two inventories of the same accounts (`edge-audit drift`) that touches
    /// the perimeter without weakening it: a web ACL associated or replaced, an origin secret
    /// rotated, the execute-api endpoint disabled, a security group closed, a resource created
    /// or deleted, a listener rule reordered.
    ///
    /// ## Why it matters
    ///
    /// Not every perimeter change is a problem, but every one is worth a look: a record of what
    /// changed, and when, is what an incident review or an audit asks for first. A strengthening
    /// change also closes findings, which the drift report lists with it.
    ///
    /// ## Example
    ///
    /// The `x-origin-verify` header of origin `api` on distribution `E2ABC` has a new
    /// fingerprint: `origin_secret_rotated`, neutral (the value itself is never stored).
    ///
    /// ## How to fix
    ///
    /// Nothing to fix when the change was intended. Confirm it against the change log of your
    /// infrastructure code; take a new baseline snapshot (`edge-audit snapshot`) once accepted.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html>
    PerimeterChanged {
        id: "EA702",
        slug: "perimeter-changed",
        title: "Perimeter changed since the baseline",
        severity: Info,
        produced_by: Drift,
    }
}

