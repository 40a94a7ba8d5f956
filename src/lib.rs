//! edge-audit: audit and drift detection for AWS edge perimeters.
//!
//! Data flows one way: [`collect`] (AWS SDK → inventory) → checks (the `edge-audit-checks`
//! crate) → findings → policy → [`report`]. A check never calls AWS; a collector never judges.
#![forbid(unsafe_code)]

pub mod app;
pub mod cli;
pub mod collect;
pub mod error;
pub mod output;
pub mod report;
pub mod snapshot;
