//! Per-check options that users may tune in `edge-audit.toml` (`[checks.options]`). Defaults are
//! what the documentation of each check describes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckOptions {
    /// EA107: a secret shorter than this is weak.
    pub min_secret_length: usize,
    /// EA107: a secret with fewer estimated bits of entropy is weak.
    pub min_secret_entropy_bits: u32,
    /// EA402: ports that must never be open to the internet.
    pub admin_ports: Vec<u16>,
    /// Header names (case-insensitive) that count as origin secrets, in addition to those that
    /// look like one (`x-origin-verify`, `x-api-key`, names with secret/token/key/auth/verify).
    pub secret_header_names: Vec<String>,
    /// EA401: ports treated as listener ports of an EC2 instance origin.
    pub listener_ports: Vec<u16>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            min_secret_length: 32,
            min_secret_entropy_bits: crate::secret::STRONG_SECRET_BITS,
            admin_ports: vec![22, 3389],
            secret_header_names: Vec::new(),
            listener_ports: vec![80, 443],
        }
    }
}

/// Fragments of header names that mark a header as carrying a shared secret.
const SECRET_NAME_FRAGMENTS: &[&str] =
    &["secret", "verify", "token", "key", "auth", "signature", "origin", "shared", "password"];

impl CheckOptions {
    /// Whether a custom origin header with this name carries a shared secret.
    pub fn is_secret_header(&self, name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        self.secret_header_names.iter().any(|n| n.eq_ignore_ascii_case(name))
            || SECRET_NAME_FRAGMENTS.iter().any(|f| lower.contains(f))
    }
}
