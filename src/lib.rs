//! edge-audit: audit and drift detection for AWS edge perimeters.
//!
//! Data flows one way: [`collect`] (AWS SDK → inventory) → checks (the `edge-audit-checks`
//! crate) → findings → policy → [`report`]. A check never calls AWS; a collector never judges.
#![forbid(unsafe_code)]

pub mod app;

pub mod cli;
pub mod collect;
pub mod config;
pub mod drift;
pub mod error;
pub mod input;
pub mod live;
pub mod output;
pub mod policy;
pub mod probe;
pub mod report;
pub mod snapshot;
