//! Small helpers shared by the checks and the binary.

use sha2::{Digest, Sha256};

/// A short, stable hash of several strings (unambiguous: each part is length-prefixed).
pub fn stable_hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}
