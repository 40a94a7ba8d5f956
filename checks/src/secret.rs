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

/// Bits of estimated entropy from which a secret (32 characters or more, no phrase) is strong:
/// 112, the smallest security strength NIST SP 800-131A accepts for keys, so that a UUIDv4 (122
/// random bits) and `openssl rand -hex 16` (128) are strong.
pub const STRONG_SECRET_BITS: u32 = 112;

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
    /// At least 32 characters and [`STRONG_SECRET_BITS`] of estimated entropy, no phrase.
    Strong,
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Weak => "weak",
            Self::Moderate => "moderate",
            Self::Strong => "strong",
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
    /// Estimated entropy in whole bits (zxcvbn's decomposition, random parts costed at the
    /// value's alphabet: see `estimate_entropy_bits`).
    pub entropy_bits: u32,
    pub strength: Strength,
    /// The value contains a dictionary word or template marker (`secret`, `changeme`, `{{`…).
    pub looks_like_phrase: bool,
}

impl SecretValue {
    /// Fingerprints and rates a plaintext value. The plaintext is not kept.
    pub fn from_plaintext(value: &str) -> Self {
        let length = value.chars().count();
        let entropy_bits = estimate_entropy_bits(value);
        let looks_like_phrase = looks_like_phrase(value);
        let strength = if length < 16 || looks_like_phrase || entropy_bits < 64 {
            Strength::Weak
        } else if length < 32 || entropy_bits < STRONG_SECRET_BITS {
            Strength::Moderate
        } else {
            Strength::Strong
        };
        Self { fingerprint: fingerprint(value.as_bytes()), length, entropy_bits, strength, looks_like_phrase }
    }

    /// Fingerprints raw bytes (WAF byte-match search strings are bytes).
    pub fn from_bytes(value: &[u8]) -> Self {
        match std::str::from_utf8(value) {
            Ok(text) => Self::from_plaintext(text),
            Err(_) => Self {
                fingerprint: fingerprint(value),
                length: value.len(),
                entropy_bits: 0,
                strength: Strength::Weak,
                looks_like_phrase: false,
            },
        }
    }

    /// Whether two secrets are the same value.
    pub fn same_value(&self, other: &Self) -> bool {
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
/// How many leading characters zxcvbn analyses (its matching grows quadratically); the rest is
/// costed at the value's alphabet, which only adds bits to an already long value.
const ZXCVBN_MAX_CHARS: usize = 128;

/// log2 of the alphabet a value's characters are drawn from, by the narrowest common encoding
/// that holds every one of them: digits (10), hex of one case (16), one-case letters (26),
/// one-case letters and digits (36), base62 (62), base64 or base64url (64), printable ASCII (95).
fn alphabet_bits(chars: &[char]) -> f64 {
    let all = |f: fn(&char) -> bool| chars.iter().all(f);
    let size: f64 = if all(char::is_ascii_digit) {
        10.0
    } else if all(|c| matches!(c, '0'..='9' | 'a'..='f')) || all(|c| matches!(c, '0'..='9' | 'A'..='F')) {
        16.0
    } else if all(char::is_ascii_lowercase) || all(char::is_ascii_uppercase) {
        26.0
    } else if all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        || all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        36.0
    } else if all(char::is_ascii_alphanumeric) {
        62.0
    } else if all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_')) {
        64.0
    } else {
        95.0
    };
    size.log2()
}

/// A UUID (`8-4-4-4-12` hex digits): 122 random bits at best (version 4), whatever its length.
fn is_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Estimated entropy in bits: zxcvbn decomposes the value into its most guessable parts
/// (dictionary words and their l33t and reversed forms, keyboard walks, repeats, sequences,
/// dates); each part it recognises costs the guesses zxcvbn estimates for it, and each part it
/// does not (random characters) costs its length times the bits per character of the value's
/// alphabet ([`alphabet_bits`]). So `openssl rand -hex 16` is 128 bits, 32 random base62
/// characters 190, a UUIDv4 122, and `my-super-secret` a few dozen.
fn estimate_entropy_bits(value: &str) -> u32 {
    let chars: Vec<char> = value.chars().collect();
    if chars.is_empty() {
        return 0;
    }
    let per_char = alphabet_bits(&chars);
    let analysed: String = chars.iter().take(ZXCVBN_MAX_CHARS).collect();
    let rest = chars.len().saturating_sub(ZXCVBN_MAX_CHARS) as f64 * per_char;
    let mut bits = rest;
    for part in zxcvbn::zxcvbn(&analysed, &[]).sequence() {
        let length = part.token.chars().count() as f64;
        let random = length * per_char;
        bits += match part.pattern {
            zxcvbn::matching::patterns::MatchPattern::BruteForce => random,
            _ => (part.guesses.unwrap_or(1).max(1) as f64).log2().min(random),
        };
    }
    if is_uuid(value) {
        bits = bits.min(122.0);
    }
    bits.floor() as u32
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

    /// Values people really deploy, strong and weak (test values, never deployed anywhere).
    #[test]
    fn strength_table() {
        let strong = [
            "7f6ca4effe6a551250ec6e1e2bbb0857", // openssl rand -hex 16
            "975097ea3820cef295980cc42d67d2bb", // openssl rand -hex 16
            "EA3402781BA1A58B3D0F9993C1814B92", // upper-case hex
            "ede3257f80b035e9b252499cccf2da5f6b824755061b3ac2540193d650e23d23", // rand -hex 32
            "06bc942f-25ca-4bcf-a6f7-aa9b65e54124", // UUIDv4
            "3cd7dc18-72b0-4971-9752-2e942707fd02", // UUIDv4
            "jo15Kt0TCrWVcAM2MRf8flhCN2Kz2Vws", // 32 base62
            "prRh1iXtuCZEmohfUphCl3FuGQpcmpjw", // 32 base62
            "xdlmzbwO1KcHG2GCJJPevEhXMgtZ9cWJAM6rzIhd", // 40 base62
            "QxhEXZEIpmJ7lOCtsb/ognwfNbpaZn5A", // base64 of 24 bytes
            "TUxPT7popvb5C2beRBUhIZV0xbKWNyxn", // base64url of 24 bytes
            "q8Zt3vN0xLw5Rb7YkPc2Hs9Jd4Mf6Ga1Ue0Vn3Xy",
        ];
        let weak = [
            "my-super-secret",
            "changeme",
            "password",
            "Password123!",
            "secret",
            "letmein",
            "correct-horse-battery-staple",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "0000000000000000000000000000000000000000",
            "1234567890123456789012345678901234567890",
            "abcdefghijklmnopqrstuvwxyz0123456789",
            "qwertyuiopasdfghjklzxcvbnmqwertyuiop",
            "{{ origin_verify_secret }}",
            "${ORIGIN_SECRET}",
            "deadbeefdeadbeefdeadbeefdeadbeef",
            "P@ssw0rdP@ssw0rdP@ssw0rdP@ssw0rd",
            "x-origin-verify-value-for-prod",
            "CloudFrontOriginVerifySecret2024",
            "2024-01-01T00:00:00Z-2024-12-31",
            "Zt3vN0xLw5Rb7Yk",
        ];
        assert!(strong.len() + weak.len() >= 30);
        for value in strong {
            let rated = SecretValue::from_plaintext(value);
            assert_eq!(rated.strength, Strength::Strong, "{value}: {rated:?}");
            assert!(rated.entropy_bits >= STRONG_SECRET_BITS, "{value}: {rated:?}");
        }
        for value in weak {
            let rated = SecretValue::from_plaintext(value);
            assert_ne!(rated.strength, Strength::Strong, "{value}: {rated:?}");
        }
        // A UUID is never more than its 122 random bits.
        assert_eq!(SecretValue::from_plaintext("06bc942f-25ca-4bcf-a6f7-aa9b65e54124").entropy_bits, 122);
    }

    #[test]
    fn regex_literals() {
        assert_eq!(exact_literal_of_regex("^abc\\-def$").as_deref(), Some("abc-def"));
        assert_eq!(exact_literal_of_regex("^abc.*$"), None);
        assert_eq!(exact_literal_of_regex("abc"), None);
        assert_eq!(exact_literal_of_regex("^a\\d$"), None);
    }
}
