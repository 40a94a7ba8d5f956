//! edge-audit's inventory model and checks.
//!
//! This crate is pure: no AWS SDK, no network, no clock. Collectors (in the `edge-audit` binary)
//! turn AWS API answers into an [`inventory::Inventory`]; checks are functions from that
//! inventory to [`finding::Finding`]s; [`registry::run`] applies them.
#![forbid(unsafe_code)]

pub mod check;
pub mod checks;
pub mod cidr;
pub mod compliance;
pub mod finding;
pub mod index;
pub mod inventory;
pub mod managed_policies;
pub mod matching;
pub mod model;
pub mod network;
pub mod options;
pub mod origin;
pub mod perimeter;
pub mod probe;
pub mod registry;
pub mod resource;
pub mod secret;
pub mod strict;
pub mod util;

pub use check::{Check, CheckMeta, Context, Output};
pub use finding::{Confidence, Evidence, Finding, NotEvaluated, ResourceRef, Severity};
pub use inventory::Inventory;
pub use options::CheckOptions;
pub use probe::{ProbeClassification, ProbeResult, ProbeVia};
