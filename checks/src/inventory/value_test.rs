//! What a non-literal value test accepts, computed at collection while the plaintexts were in
//! memory: a WAF regex (statement or pattern set), a byte match with a positional constraint
//! other than EXACTLY or with text transformations, an ALB http-header condition value
//! (case-insensitive, `*` and `?` wildcards).
//!
//! Such a test cannot be compared with a distribution's header by fingerprint. Instead the
//! collector evaluates it against every header value the scan's distributions send and stores
//! the fingerprints of those it accepts, and how many fixed characters any value it accepts must
//! contain (`.*`, `*` or a size test need none: they test presence; a short CONTAINS needs a
//! fragment only). The checks read these facts; `scan --from` and drift work on them.

use crate::secret::is_fingerprint;
use serde::{Deserialize, Serialize};

/// Fixed characters from which a test proves that a request knows a secret: a request that
/// must contain fewer (a presence test, `.*`, a CONTAINS of a few characters) can be forged by
/// anyone who knows the header's name and format. Half of the 32 characters EA107 asks of a
/// secret.
pub const SECRET_MIN_REQUIRED_CHARS: usize = 16;

/// What a value test accepts among the values the scan's distributions send.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ValueTest {
    /// Fingerprints of the sent header values (any distribution, any header) the test accepts.
    #[serde(deserialize_with = "fingerprints_of_format")]
    pub accepts: Vec<String>,
    /// The fewest fixed characters a value must contain to pass (case-insensitive letters count
    /// once); `None` when the test could not be evaluated at all.
    pub required_chars: Option<usize>,
    /// Why the test, or a part of it (one pattern of a set), could not be evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_evaluated: Option<String>,
}

/// How strong a value test is as a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestStrength {
    /// Any value it accepts contains at least [`SECRET_MIN_REQUIRED_CHARS`] fixed characters.
    Secret,
    /// It accepts values that hold a few fixed characters only: knowing the header's name and
    /// a fragment is enough.
    Fragment,
    /// It only tests that the header is there (`.*`, `.+`, an ALB value of `*`).
    Presence,
    /// Not known (see [`ValueTest::not_evaluated`]).
    Unknown,
}

impl ValueTest {
    /// Whether the test accepts the value with this fingerprint.
    pub fn accepts(&self, fingerprint: &str) -> bool {
        self.accepts.iter().any(|f| f == fingerprint)
    }

    pub fn strength(&self) -> TestStrength {
        match self.required_chars {
            Some(0) => TestStrength::Presence,
            Some(n) if n < SECRET_MIN_REQUIRED_CHARS => TestStrength::Fragment,
            // A part that could not be evaluated may be weaker than the rest.
            Some(_) if self.not_evaluated.is_some() => TestStrength::Unknown,
            Some(_) => TestStrength::Secret,
            None => TestStrength::Unknown,
        }
    }
}

/// Reads fingerprints, refusing anything else without quoting it.
fn fingerprints_of_format<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    let list = Vec::<String>::deserialize(deserializer)?;
    if list.iter().all(|f| is_fingerprint(f)) {
        Ok(list)
    } else {
        Err(serde::de::Error::custom(
            "not a fingerprint in `accepts` (expected `sha256:` followed by 16 lowercase hex digits; the value is not shown)",
        ))
    }
}
