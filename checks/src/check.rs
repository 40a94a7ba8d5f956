//! The check framework: metadata, the [`Check`] trait, the per-account context and the output a
//! check writes to.
//!
//! A check is one file under `checks/src/checks/`, declared with [`declare_check!`]: its doc
//! comment *is* its documentation (`edge-audit explain`, SARIF rule help) and must have the
//! sections listed in [`REQUIRED_DOC_SECTIONS`]; a test enforces it.

use crate::finding::{Confidence, Finding, NotEvaluated, ResourceRef, Severity};
use crate::index::Index;
use crate::inventory::{AccountInventory, Service};
use crate::options::CheckOptions;
use crate::perimeter::Perimeter;
use crate::probe::ProbeResult;

/// The sections every check's documentation must have, in this order.
pub const REQUIRED_DOC_SECTIONS: [&str; 5] =
    ["What it finds", "Why it matters", "Example", "How to fix", "References"];

/// What a check's findings are computed from, and so who runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// One account's inventory and its perimeter model: run by [`crate::registry::run`].
    Inventory,
    /// The results of the active probes as well: run only when origins were probed.
    Probe,
    /// Two inventories: produced by the `edge-audit` binary's drift module (EA7xx).
    Drift,
    /// The configuration and a date: produced by the binary's policy layer (EA9xx).
    Policy,
}

impl CheckKind {
    /// Whether [`crate::registry::run`] runs checks of this kind (drift and policy findings
    /// come from the binary).
    pub fn runs_over_an_inventory(self) -> bool {
        matches!(self, Self::Inventory | Self::Probe)
    }
}

/// A check's identity and documentation. `id` and `slug` are public contracts: never changed,
/// never reused.
#[derive(Debug)]
pub struct CheckMeta {
    /// `EA101`.
    pub id: &'static str,
    /// `cloudfront-no-web-acl`.
    pub slug: &'static str,
    pub title: &'static str,
    pub default_severity: Severity,
    /// The services whose data the check reads; a collection failure in any of them makes the
    /// check "not evaluated" for that scope. Empty for drift and policy checks.
    pub services: &'static [Service],
    /// Markdown, from the check's doc comment.
    pub doc: &'static str,
    pub kind: CheckKind,
}

impl CheckMeta {
    /// The check judges active probe results ([`Context::probes`]): it runs, and is listed as a
    /// rule, only when origins were probed.
    pub fn requires_probes(&self) -> bool {
        self.kind == CheckKind::Probe
    }

    /// The documentation with rustdoc's leading space removed from each line.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string()
    }

    /// The body of a `## {heading}` section, trimmed; `None` when missing or empty.
    pub fn doc_section(&self, heading: &str) -> Option<String> {
        let doc = self.documentation();
        let mut body = String::new();
        let mut inside = false;
        for line in doc.lines() {
            if let Some(title) = line.strip_prefix("## ") {
                if inside {
                    break;
                }
                inside = title.trim() == heading;
                continue;
            }
            if inside {
                body.push_str(line);
                body.push('\n');
            }
        }
        let body = body.trim().to_string();
        (!body.is_empty()).then_some(body)
    }

    /// The "How to fix" section, which every finding carries as its remediation.
    pub fn remediation(&self) -> String {
        self.doc_section("How to fix").unwrap_or_default()
    }

    /// [`Self::remediation`], made once per check and shared by all its findings (a scan of a
    /// large organisation holds hundreds of thousands of them until they are reported).
    pub fn shared_remediation(&self) -> std::sync::Arc<str> {
        static MADE: std::sync::Mutex<Vec<(&'static str, std::sync::Arc<str>)>> =
            std::sync::Mutex::new(Vec::new());
        let mut made = MADE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, text)) = made.iter().find(|(id, _)| *id == self.id) {
            return text.clone();
        }
        let text: std::sync::Arc<str> = self.remediation().into();
        made.push((self.id, text.clone()));
        text
    }

    /// The first paragraph of "What it finds": a one-paragraph description.
    pub fn summary(&self) -> String {
        self.doc_section("What it finds")
            .and_then(|s| s.split("\n\n").next().map(|p| p.replace('\n', " ")))
            .unwrap_or_else(|| self.title.to_string())
    }

    /// Whether `key` names this check, by id or slug (case-insensitive).
    pub fn is_named(&self, key: &str) -> bool {
        self.id.eq_ignore_ascii_case(key) || self.slug.eq_ignore_ascii_case(key)
    }
}

/// A check: a pure function from one account's inventory to findings.
pub trait Check: Send + Sync {
    fn meta(&self) -> &'static CheckMeta;
    fn run(&self, ctx: &Context<'_>, out: &mut Output);
}

/// What a check file implements: its logic. [`declare_check!`] turns it into a [`Check`] with the
/// declared metadata, so a check file holds no registry plumbing.
pub trait Audit {
    fn run(&self, ctx: &Context<'_>, out: &mut Output);
}

/// What a check sees: one account's inventory, its index, its perimeter model (computed once
/// for every check) and the configured options.
pub struct Context<'a> {
    pub account: &'a AccountInventory,
    pub index: &'a Index<'a>,
    pub perimeter: &'a Perimeter<'a>,
    pub options: &'a CheckOptions,
    /// Results of the active origin probes, every account's (a check filters on its account);
    /// `None` when no probe ran.
    pub probes: Option<&'a [ProbeResult]>,
}

impl Context<'_> {
    pub fn account_id(&self) -> &str {
        &self.account.account_id
    }
}

impl<'a> Context<'a> {
    /// This account's probe results (none when no probe ran).
    pub fn account_probes(&self) -> impl Iterator<Item = &'a ProbeResult> + '_ {
        self.probes.unwrap_or_default().iter().filter(|p| p.account == self.account.account_id)
    }
}

/// Where a check writes its results.
#[derive(Debug, Default)]
pub struct Output {
    account: String,
    pub findings: Vec<Finding>,
    pub not_evaluated: Vec<NotEvaluated>,
}

impl Output {
    pub fn new(account: impl Into<String>) -> Self {
        Self { account: account.into(), ..Self::default() }
    }

    pub fn push(&mut self, mut finding: Finding) {
        finding.evidence.compact();
        self.findings.push(finding);
    }

    /// Records that `meta` could not be evaluated for `scope` (a region, `global` or an ARN).
    pub fn not_evaluated(&mut self, meta: &CheckMeta, scope: impl Into<String>, reason: impl Into<String>) {
        self.not_evaluated.push(NotEvaluated {
            check_id: meta.id.to_string(),
            account: self.account.clone(),
            scope: scope.into(),
            reason: reason.into(),
        });
    }
}

// Findings are made from a check's metadata; the constructor lives here so that the finding
// model does not depend on the check framework.
impl Finding {
    /// A finding with the check's default severity, high confidence and empty evidence.
    pub fn new(meta: &CheckMeta, resource: ResourceRef, message: impl Into<String>) -> Self {
        Self {
            check_id: meta.id.to_string(),
            slug: meta.slug.to_string(),
            title: meta.title.to_string(),
            severity: meta.default_severity,
            confidence: Confidence::High,
            resource,
            message: message.into(),
            evidence: crate::finding::Evidence::default(),
            remediation: meta.shared_remediation(),
            detail: String::new(),
        }
    }
}

/// Declares a check: a unit struct with a `META` constant built from the doc comment and the
/// fields given, and its [`Check`] implementation; the check file then only implements
/// [`Audit`] (the logic).
///
/// ```text
/// declare_check! {
///     /// ## What it finds
///     /// …
///     CloudfrontNoWebAcl {
///         id: "EA101",
///         slug: "cloudfront-no-web-acl",
///         title: "Distribution without a web ACL",
///         severity: High,
///         services: [Cloudfront],
///     }
/// }
/// ```
///
/// A check that judges probe results adds `requires_probes: true,` after `services`. A check
/// whose findings the binary produces (drift, policy) names that instead of services —
/// `produced_by: Drift,` — and implements nothing.
#[macro_export]
macro_rules! declare_check {
    (@kind) => { $crate::check::CheckKind::Inventory };
    (@kind $requires_probes:literal) => {
        if $requires_probes {
            $crate::check::CheckKind::Probe
        } else {
            $crate::check::CheckKind::Inventory
        }
    };
    // What every check declares: the struct, its META and its `Check` implementation, whose
    // `run` the two public forms below supply.
    (
        @define [$($doc:literal)+] $name:ident, $id:literal, $slug:literal, $title:literal,
        $severity:ident, [$($service:ident),*], $kind:expr, { $($run:tt)* }
    ) => {
        $(#[doc = $doc])+
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;

        impl $name {
            pub const META: $crate::check::CheckMeta = $crate::check::CheckMeta {
                id: $id,
                slug: $slug,
                title: $title,
                default_severity: $crate::finding::Severity::$severity,
                services: &[$($crate::inventory::Service::$service),*],
                doc: concat!($($doc, "\n"),+),
                kind: $kind,
            };
        }

        impl $crate::check::Check for $name {
            fn meta(&self) -> &'static $crate::check::CheckMeta {
                &Self::META
            }

            $($run)*
        }
    };
    (
        $(#[doc = $doc:literal])+
        $name:ident {
            id: $id:literal,
            slug: $slug:literal,
            title: $title:literal,
            severity: $severity:ident,
            produced_by: $kind:ident $(,)?
        }
    ) => {
        $crate::declare_check! {
            @define [$($doc)+] $name, $id, $slug, $title, $severity, [], $crate::check::CheckKind::$kind, {
                /// The binary produces these findings; the registry never runs this.
                fn run(&self, _ctx: &$crate::check::Context<'_>, _out: &mut $crate::check::Output) {}
            }
        }
    };
    (
        $(#[doc = $doc:literal])+
        $name:ident {
            id: $id:literal,
            slug: $slug:literal,
            title: $title:literal,
            severity: $severity:ident,
            services: [$($service:ident),* $(,)?]
            $(, requires_probes: $requires_probes:literal)? $(,)?
        }
    ) => {
        $crate::declare_check! {
            @define [$($doc)+] $name, $id, $slug, $title, $severity, [$($service),*],
            $crate::declare_check!(@kind $($requires_probes)?), {
                fn run(&self, ctx: &$crate::check::Context<'_>, out: &mut $crate::check::Output) {
                    $crate::check::Audit::run(self, ctx, out)
                }
            }
        }
    };
}
