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

/// Whether a regular expression accepts exactly one string, and if so that string.
/// WAF regex pattern sets often hold `^value$` (or `^(?:value)$`, `^val\-ue$` …); reducing
/// such a pattern to its literal lets the checks compare it with a header value by fingerprint.
/// `regex-syntax` parses the pattern and extracts its literals; only a pattern anchored at both
/// ends (`^`/`$` or `\A`/`\z`, not multi-line) whose language is one exact string qualifies.
/// Anything else (classes, repetition, alternation, case-insensitive flags, a pattern the
/// parser refuses) returns `None`: the matching pass then evaluates the pattern itself.
pub fn exact_literal_of_regex(pattern: &str) -> Option<String> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    use regex_syntax::hir::Look;
    let hir = regex_syntax::ParserBuilder::new()
        .nest_limit(MAX_LITERAL_REGEX_NESTING)
        .build()
        .parse(pattern)
        .ok()?;
    let properties = hir.properties();
    // `^` and `$` (or `\A`, `\z`) must hold at the very start and end of every match.
    let anchored = properties.look_set_prefix().contains(Look::Start)
        && properties.look_set_suffix().contains(Look::End);
    // A look-around anywhere else (`\b`, a `^` in the middle) can only narrow what matches, but
    // the single literal would then not be what the pattern accepts.
    let looks = properties.look_set();
    let only_anchors = looks.remove(Look::Start).remove(Look::End).is_empty();
    if !anchored || !only_anchors {
        return None;
    }
    let mut extractor = Extractor::new();
    // WAF patterns are at most 200 characters: room for a literal of any of them.
    extractor.kind(ExtractKind::Prefix).limit_literal_len(MAX_LITERAL_LEN);
    let literals = extractor.extract(&hir);
    match literals.literals() {
        Some([only]) if only.is_exact() => String::from_utf8(only.as_bytes().to_vec()).ok(),
        _ => None,
    }
}

/// Longest literal looked for (the extractor cuts longer ones and marks them inexact).
const MAX_LITERAL_LEN: usize = 512;

/// Nesting accepted when looking for a pattern's literal (WAF allows 200-character patterns).
const MAX_LITERAL_REGEX_NESTING: u32 = 64;

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

/// How many characters zxcvbn analyses at a time. zxcvbn picks the decomposition with the
/// fewest guesses in `u64` arithmetic that saturates: from about 19 characters on, every
/// decomposition of a random string scores `u64::MAX`, and which one it returns then depends on
/// the iteration order of its hash maps — per process, so the same value got 82 bits in one run
/// and 103 in the next. Windows of 16 characters keep every count below 10^17, so the chosen
/// decomposition is the true minimum; the windows' bits add up (a pattern longer than a window,
/// rare in a secret, is costed as its pieces).
const ZXCVBN_WINDOW_CHARS: usize = 16;

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

/// Estimated entropy in bits: zxcvbn decomposes the value (window by window, see
/// [`ZXCVBN_WINDOW_CHARS`]) into its most guessable parts (dictionary words and their l33t and
/// reversed forms, keyboard walks, repeats, sequences, dates); each part it recognises costs the
/// guesses zxcvbn estimates for it, and each part it does not (random characters) costs its
/// length times the bits per character of the value's alphabet ([`alphabet_bits`]); no window
/// costs more than its length at that rate. So `openssl rand -hex 16` is 128 bits, 32 random
/// base62 characters 190, a UUIDv4 122, and `my-super-secret` a few dozen. The same value gets
/// the same figure in every process (a test runs it in several).
fn estimate_entropy_bits(value: &str) -> u32 {
    let chars: Vec<char> = value.chars().collect();
    if chars.is_empty() {
        return 0;
    }
    let per_char = alphabet_bits(&chars);
    let placements = placement_bits(chars.len());
    let mut bits = 0.0;
    for window in chars.chunks(ZXCVBN_WINDOW_CHARS) {
        let text: String = window.iter().collect();
        let random = window.len() as f64 * per_char;
        let mut window_bits = 0.0;
        for part in zxcvbn::zxcvbn(&text, &[]).sequence() {
            let part_chars = part.token.chars().count();
            let part_random = part_chars as f64 * per_char;
            window_bits += match pattern_guesses(part) {
                Some(guesses) => {
                    // Knowing the pattern is not enough: the attacker must also guess where it
                    // sits in the value, unless it is the whole value.
                    let at = if part_chars < chars.len() { placements } else { 0.0 };
                    (guesses.log2() + at).min(part_random)
                }
                _ => part_random,
            };
        }
        bits += window_bits.min(random);
    }
    if is_uuid(value) {
        bits = bits.min(122.0);
    }
    bits.floor() as u32
}

/// log2 of the places a part can take in a value of `length` characters (a start and an end).
fn placement_bits(length: usize) -> f64 {
    let n = length as f64;
    (n * (n + 1.0) / 2.0).max(1.0).log2()
}

/// The guesses zxcvbn estimates for a recognised part, or `None` for random characters. For a
/// dictionary word the count is rebuilt from its parts (rank × case variations × l33t
/// variations): zxcvbn 3.1 reports no case variation for some l33t tokens (`A1A5` read as
/// `alas`) and then floors the count to 50, far below the word's rank.
fn pattern_guesses(part: &zxcvbn::Match) -> Option<f64> {
    use zxcvbn::matching::patterns::MatchPattern;
    let reported = part.guesses.unwrap_or(1).max(1) as f64;
    match &part.pattern {
        MatchPattern::BruteForce => None,
        MatchPattern::Dictionary(word) => {
            let rebuilt = word.base_guesses.max(1) as f64
                * word.uppercase_variations.max(1) as f64
                * word.l33t_variations.max(1) as f64
                * if word.reversed { 2.0 } else { 1.0 };
            Some(reported.max(rebuilt))
        }
        _ => Some(reported),
    }
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

    /// A tiny deterministic generator (splitmix64): the same "random" values in every run.
    struct SplitMix(u64);

    impl SplitMix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn text(&mut self, alphabet: &[u8], len: usize) -> String {
            (0..len).map(|_| char::from(alphabet[(self.next() % alphabet.len() as u64) as usize])).collect()
        }
    }

    /// What secret generators really produce is strong, every time: 400 values of each kind
    /// (random hex of 32, base62 of 32, base64 and base64url of 24 bytes, UUIDv4), none rated
    /// below strong. Spurious short "patterns" in random text must not cost a value its rating.
    #[test]
    fn generated_secrets_are_strong() {
        const HEX: &[u8] = b"0123456789abcdef";
        const HEX_UPPER: &[u8] = b"0123456789ABCDEF";
        const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut rng = SplitMix(0x0000_ed6e_a0d1);
        let mut weak = Vec::new();
        for _ in 0..400 {
            let uuid = {
                let h = rng.text(HEX, 32);
                let variant = char::from(b"89ab"[(rng.next() % 4) as usize]);
                format!("{}-{}-4{}-{variant}{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
            };
            for value in [
                rng.text(HEX, 32),
                rng.text(HEX_UPPER, 32),
                rng.text(BASE62, 32),
                rng.text(BASE64, 32),
                rng.text(BASE64URL, 32),
                uuid,
            ] {
                let rated = SecretValue::from_plaintext(&value);
                if rated.strength != Strength::Strong {
                    weak.push(format!("{value}: {} bits", rated.entropy_bits));
                }
            }
        }
        assert!(weak.is_empty(), "{} generated secrets rated below strong: {weak:#?}", weak.len());
    }

    /// Values whose figure used to change from process to process (zxcvbn's saturated counts).
    const ENTROPY_PROBES: &[&str] = &[
        "7f6ca4effe6a551250ec6e1e2bbb0857",
        "ede3257f80b035e9b252499cccf2da5f6b824755061b3ac2540193d650e23d23",
        "jo15Kt0TCrWVcAM2MRf8flhCN2Kz2Vws",
        "xdlmzbwO1KcHG2GCJJPevEhXMgtZ9cWJAM6rzIhd",
        "QxhEXZEIpmJ7lOCtsb/ognwfNbpaZn5A",
        "q8Zt3vN0xLw5Rb7YkPc2Hs9Jd4Mf6Ga1Ue0Vn3Xy",
        "Zm9vYmFyLWJhei1xdXV4LWNvcmdlLWdyYXVsdC1nYXJwbHk",
        "CloudFrontOriginVerifySecret2024",
        "P@ssw0rdP@ssw0rdP@ssw0rdP@ssw0rd",
        "correct-horse-battery-staple-1987-summer",
    ];

    const ENTROPY_CHILD: &str = "EDGE_AUDIT_ENTROPY_CHILD";

    fn entropy_figures() -> String {
        ENTROPY_PROBES.iter().map(|v| format!("{}\n", estimate_entropy_bits(v))).collect()
    }

    /// Run by [`entropy_is_the_same_in_every_process`] in child processes: prints the figures.
    #[test]
    fn entropy_child() {
        if std::env::var_os(ENTROPY_CHILD).is_some() {
            // Straight to the process's stdout (the parent reads it), not through the test harness.
            let _ = std::io::Write::write_all(
                &mut std::io::stdout(),
                format!("<<{}>>", entropy_figures()).as_bytes(),
            );
        }
    }

    /// The same value gets the same entropy in every process: zxcvbn's tables are hash maps
    /// seeded per process, and a figure that depends on their order would change a finding (and
    /// a snapshot) from one run to the next. Six child processes of this test binary, each with
    /// its own hash seeds, must print exactly this process's figures.
    #[test]
    fn entropy_is_the_same_in_every_process() {
        let here = entropy_figures();
        let exe = std::env::current_exe().unwrap_or_default();
        for run in 0..6 {
            let out = std::process::Command::new(&exe)
                .args(["--exact", "secret::tests::entropy_child", "--nocapture", "--test-threads=1"])
                .env(ENTROPY_CHILD, "1")
                .output();
            let out = match out {
                Ok(out) => out,
                Err(e) => panic!("could not run {}: {e}", exe.display()),
            };
            let stdout = String::from_utf8_lossy(&out.stdout);
            let figures = stdout.split("<<").nth(1).and_then(|rest| rest.split(">>").next());
            assert_eq!(figures, Some(here.as_str()), "child {run} printed {stdout}");
        }
    }

    #[test]
    fn regex_literals() {
        assert_eq!(exact_literal_of_regex("^abc\\-def$").as_deref(), Some("abc-def"));
        assert_eq!(exact_literal_of_regex("^abc.*$"), None);
        assert_eq!(exact_literal_of_regex("abc"), None);
        assert_eq!(exact_literal_of_regex("^a\\d$"), None);
        assert_eq!(exact_literal_of_regex("^(?:abc)$").as_deref(), Some("abc"));
        assert_eq!(exact_literal_of_regex("\\Aabc\\z").as_deref(), Some("abc"));
        assert_eq!(exact_literal_of_regex("^a\\.b$").as_deref(), Some("a.b"));
        // Case-insensitive, alternation, multi-line anchors, word boundaries: not one string.
        assert_eq!(exact_literal_of_regex("(?i)^abc$"), None);
        assert_eq!(exact_literal_of_regex("^(?:abc|abd)$"), None);
        assert_eq!(exact_literal_of_regex("(?m)^abc$"), None);
        assert_eq!(exact_literal_of_regex("^abc\\b$"), None);
        assert_eq!(exact_literal_of_regex("^abc"), None);
        assert_eq!(exact_literal_of_regex("abc$"), None);
        assert_eq!(exact_literal_of_regex("^ab(c$"), None);
        // A literal longer than the extractor's default limit (100 bytes) is still one string.
        let long = "k".repeat(180);
        assert_eq!(exact_literal_of_regex(&format!("^{long}$")), Some(long));
    }
}
