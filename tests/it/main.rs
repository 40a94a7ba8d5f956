//! End-to-end tests of the real `edge-audit` binary. One test binary with modules: every extra
//! test binary would link the whole AWS SDK again.

mod support;

mod cli_errors;
mod collect_mock;
mod collect_scope;
mod exit_codes;
mod iam;
mod moto;
mod reporters;
mod sarif_validation;
mod secrets;
