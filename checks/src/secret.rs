//! Secret values (origin custom-header values, API key values, WAF match strings) as the
//! inventory keeps them: never in clear.
//!
//! A [`SecretValue`] holds a fingerprint, the length and a strength estimate. Checks compare
//! fingerprints to match a value across resources (the distribution's header against the web
//! ACL's byte match) without ever knowing it. The plaintext only exists in the collector's memory
//! for the time it takes to call [`SecretValue::from_plaintext`].
//!
//! The fingerprint is a domain-separated SHA-256, truncated to 64 bits. It is not a keyed MAC:
//! a weak value (which EA107 reports anyway) could be confirmed by guessing, a strong one cannot.
//! Keeping it unkeyed is what lets two snapshots taken months apart (drift) recognise a rotation.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Prefix mixed into every fingerprint so that our fingerprints are not plain SHA-256 digests
/// that could be looked up in precomputed tables.
const FINGERPRINT_DOMAIN: &[u8] = b"edge-audit/secret-fingerprint/v1\0";

/// Words that make a secret guessable when they appear in it (case-insensitive).
const WEAK_MARKERS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "changeme",
    "change-me",
    "example",
    "default",
    "test",
    "admin",
    "letmein",
    "qwerty",
    "12345",
    "token",
    "apikey",
    "api-key",
    "cloudfront",
    "origin",
    "verify",
    "todo",
    "placeholder",
    "xxxx",
];

/// How guessable a secret looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// Short, low entropy, a phrase or a template.
    Weak,
    /// Long enough but with little variety.
    Moderate,
    /// At least 32 characters and about 128 bits of estimated entropy, no phrase.
    Strong,
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Strength::Weak => "weak",
            Strength::Moderate => "moderate",
            Strength::Strong => "strong",
        })
    }
}

/// A secret as the inventory stores it. Deliberately has no field and no method that returns
/// the value.
///
/// Reading one is strict: exactly these fields, and a fingerprint in the format
/// [`SecretValue::from_plaintext`] writes, because the fingerprint is copied into JSON and SARIF
/// evidence and a foreign snapshot must not be able to smuggle arbitrary text (or a secret in
/// clear) there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretValue {
    /// `sha256:` followed by 16 lowercase hex digits.
    #[serde(deserialize_with = "fingerprint_of_format")]
    pub fingerprint: String,
    /// Length in characters.
    pub length: usize,
    /// Estimated entropy in whole bits (length × per-character Shannon entropy, capped by the
    /// alphabet the characters are drawn from).
    pub entropy_bits: u32,
    pub strength: Strength,
    /// The value contains a dictionary word or template marker (`secret`, `changeme`, `{{`…).
    pub looks_like_phrase: bool,
}

impl SecretValue {
    /// Fingerprints and rates a plaintext value. The plaintext is not kept.
    pub fn from_plaintext(value: &str) -> SecretValue {
        let length = value.chars().count();
        let entropy_bits = estimate_entropy_bits(value);
        let looks_like_phrase = looks_like_phrase(value);
        let strength = if length < 16 || looks_like_phrase || entropy_bits < 64 {
            Strength::Weak
        } else if length < 32 || entropy_bits < 128 {
            Strength::Moderate
        } else {
            Strength::Strong
        };
        SecretValue {
            fingerprint: fingerprint(value.as_bytes()),
            length,
            entropy_bits,
            strength,
            looks_like_phrase,
        }
    }

    /// Fingerprints raw bytes (WAF byte-match search strings are bytes).
    pub fn from_bytes(value: &[u8]) -> SecretValue {
        match std::str::from_utf8(value) {
            Ok(text) => SecretValue::from_plaintext(text),
            Err(_) => SecretValue {
                fingerprint: fingerprint(value),
                length: value.len(),
                entropy_bits: 0,
                strength: Strength::Weak,
                looks_like_phrase: false,
            },
        }
    }

    /// Whether two secrets are the same value.
    pub fn same_value(&self, other: &SecretValue) -> bool {
        self.fingerprint == other.fingerprint
    }
}

/// The prefix of every fingerprint.
const FINGERPRINT_PREFIX: &str = "sha256:";
/// Hex digits after the prefix (64 bits).
const FINGERPRINT_HEX_DIGITS: usize = 16;

/// Whether `text` is a fingerprint as [`fingerprint`] writes it.
pub fn is_fingerprint(text: &str) -> bool {
    text.strip_prefix(FINGERPRINT_PREFIX).is_some_and(|hex| {
        hex.len() == FINGERPRINT_HEX_DIGITS && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// Reads a fingerprint, refusing anything else without quoting it (it may be the secret itself,
/// pasted in clear).
fn fingerprint_of_format<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if is_fingerprint(&text) {
        Ok(text)
    } else {
        Err(serde::de::Error::custom(format!(
            "not a fingerprint (expected `{FINGERPRINT_PREFIX}` followed by {FINGERPRINT_HEX_DIGITS} lowercase \
             hex digits; the value is not shown)"
        )))
    }
}

/// Whether a regular expression accepts exactly one literal string, and if so that string.
/// WAF regex pattern sets often hold `^value$`; reducing such a pattern to its literal lets the
/// checks compare it with a header value by fingerprint. Anything with a real regex operator
/// returns `None` (the comparison is then "could not verify").
pub fn exact_literal_of_regex(pattern: &str) -> Option<String> {
    let inner = pattern.strip_prefix('^')?.strip_suffix('$')?;
    let mut literal = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next()?;
                if escaped.is_ascii_alphanumeric() {
                    // \d, \w, \s … are classes, not literals.
                    return None;
                }
                literal.push(escaped);
            }
            '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '^' | '$' => return None,
            other => literal.push(other),
        }
    }
    Some(literal)
}

fn fingerprint(bytes: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(FINGERPRINT_DOMAIN);
    hasher.update(bytes);
    let digest = hasher.finalize();
    let mut out = String::from("sha256:");
    for byte in &digest[..8] {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Length × Shannon entropy of the character distribution, capped by log2 of the size of the
/// alphabet the characters come from. A deliberately conservative estimate: repeated or
/// single-class strings score low.
fn estimate_entropy_bits(value: &str) -> u32 {
    let chars: Vec<char> = value.chars().collect();
    if chars.is_empty() {
        return 0;
    }
    let mut counts = std::collections::BTreeMap::new();
    for c in &chars {
        *counts.entry(*c).or_insert(0usize) += 1;
    }
    let n = chars.len() as f64;
    let shannon: f64 = counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum();
    let mut alphabet = 0u32;
    if chars.iter().any(|c| c.is_ascii_lowercase()) {
        alphabet += 26;
    }
    if chars.iter().any(|c| c.is_ascii_uppercase()) {
        alphabet += 26;
    }
    if chars.iter().any(|c| c.is_ascii_digit()) {
        alphabet += 10;
    }
    if chars.iter().any(|c| !c.is_ascii_alphanumeric()) {
        alphabet += 33;
    }
    let per_char = shannon.min(f64::from(alphabet.max(2)).log2());
    (per_char * n).floor() as u32
}

fn looks_like_phrase(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if WEAK_MARKERS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // Templates left unrendered: `{{ secret }}`, `${SECRET}`, `<secret>`.
    if lower.contains("{{") || lower.contains("${") || (lower.starts_with('<') && lower.ends_with('>')) {
        return true;
    }
    // Words joined by separators (`my-api-is-safe`): several alphabetic runs and no digits.
    let words: Vec<&str> = lower.split(['-', '_', ' ', '.']).filter(|w| !w.is_empty()).collect();
    words.len() >= 3 && words.iter().all(|w| w.chars().all(|c| c.is_ascii_alphabetic()) && w.len() <= 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_hides_the_value() {
        let a = SecretValue::from_plaintext("s3cr3t-value");
        let b = SecretValue::from_plaintext("s3cr3t-value");
        assert_eq!(a, b);
        assert!(a.fingerprint.starts_with("sha256:"));
        assert_eq!(a.fingerprint.len(), "sha256:".len() + 16);
        let json = serde_json::to_string(&a).unwrap_or_default();
        assert!(!json.contains("s3cr3t-value"));
    }

    #[test]
    fn strength_estimates() {
        assert_eq!(SecretValue::from_plaintext("my-super-secret").strength, Strength::Weak);
        assert_eq!(
            SecretValue::from_plaintext("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").strength,
            Strength::Weak
        );
        let strong = SecretValue::from_plaintext("q8Zt3vN0xLw5Rb7YkPc2Hs9Jd4Mf6Ga1Ue0Vn3Xy");
        assert_eq!(strong.strength, Strength::Strong, "{strong:?}");
        assert!(SecretValue::from_plaintext("correct-horse-battery-staple").looks_like_phrase);
        assert_eq!(SecretValue::from_plaintext("Zt3vN0xLw5Rb7Yk").strength, Strength::Weak);
    }

    #[test]
    fn regex_literals() {
        assert_eq!(exact_literal_of_regex("^abc\\-def$").as_deref(), Some("abc-def"));
        assert_eq!(exact_literal_of_regex("^abc.*$"), None);
        assert_eq!(exact_literal_of_regex("abc"), None);
        assert_eq!(exact_literal_of_regex("^a\\d$"), None);
    }
}
