//! End-to-end tests of the real `edge-audit` binary. One test binary with modules: every extra
//! test binary would link the whole AWS SDK again.

mod support;

mod cli_errors;
mod exit_codes;
mod reporters;
mod sarif_validation;
mod secrets;
