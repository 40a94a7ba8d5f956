//! End-to-end tests of the real `edge-audit` binary. One test binary with modules: every extra
//! test binary would link the whole AWS SDK again.

mod support;

mod baseline;
mod cli_errors;
mod collect_mock;
mod collect_scope;
mod completions;
mod config;
mod drift;
mod drift_agreement;
mod edge_mechanisms;
mod emulator;
mod exit_codes;
mod fuzz;
mod hostile;
mod iam;
mod moto;
mod moto_mechanisms;
mod moto_scan;
mod moto_shared;
mod probe;
mod report_formats;
mod reporters;
mod sarif_limits;
mod sarif_validation;
mod secrets;
mod streamed;
mod suppress;
