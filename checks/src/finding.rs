//! What checks produce: findings about resources, and "not evaluated" results when the data a
//! check needs could not be collected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Highest first, the order reports list them in.
    pub const DESCENDING: [Self; 5] = [Self::Critical, Self::High, Self::Medium, Self::Low, Self::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Ok(Self::Info),
            "low" => Ok(Self::Low),
            "medium" => Ok(Self::Medium),
            "high" => Ok(Self::High),
            "critical" => Ok(Self::Critical),
            other => {
                Err(format!("unknown severity `{other}` (expected critical, high, medium, low or info)"))
            }
        }
    }
}

/// How sure a check is that the finding is real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// The resource a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ResourceRef {
    pub arn: String,
    pub id: String,
    /// `cloudfront/distribution`, `wafv2/webacl`, `apigateway/restapi`, `ec2/security-group` …
    #[serde(rename = "type")]
    pub resource_type: String,
    pub name: Option<String>,
    /// The region, or `global`.
    pub region: String,
    pub account: String,
}

/// One problem found on one resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub check_id: String,
    pub slug: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub resource: ResourceRef,
    /// A sentence that names the resource first.
    pub message: String,
    /// Structured, secret-free facts behind the finding.
    pub evidence: Evidence,
    /// The check's "How to fix", one copy shared by all its findings.
    #[serde(serialize_with = "shared_text::serialize", deserialize_with = "shared_text::deserialize")]
    pub remediation: std::sync::Arc<str>,
    /// What distinguishes two findings of one check on one resource (an origin id, a rule name);
    /// part of the fingerprint.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

impl Finding {
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn confidence(mut self, confidence: Confidence) -> Self {
        self.confidence = confidence;
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    /// Adds one evidence field. Never pass a secret value here: pass its
    /// [`SecretValue`](crate::secret::SecretValue), which serialises to a fingerprint.
    pub fn evidence(mut self, key: &str, value: impl Serialize) -> Self {
        self.evidence.insert(key, serde_json::to_value(value).unwrap_or(serde_json::Value::Null));
        self
    }

    /// A stable identity: check id, resource ARN and the distinguishing detail. Used by SARIF
    /// fingerprints, baselines and suppressions; independent of message wording and order.
    pub fn fingerprint(&self) -> String {
        crate::util::stable_hash(&[&self.check_id, &self.resource.arn, &self.detail])
    }

    /// Deterministic report order: severity (highest first), check, resource, detail.
    pub fn sort_key(&self) -> (std::cmp::Reverse<Severity>, &str, &str, &str) {
        (std::cmp::Reverse(self.severity), &self.check_id, &self.resource.arn, &self.detail)
    }
}

/// Serde for text shared behind an `Arc` (serde's `rc` feature would change the features of
/// every crate built with serde in the workspace, the AWS SDK's included).
pub mod shared_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(text: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<str>, D::Error> {
        String::deserialize(deserializer).map(Arc::from)
    }
}

/// The evidence of a finding: a JSON object of secret-free facts. A check builds it field by
/// field; once the finding is recorded ([`Output::push`](crate::check::Output::push)) it is kept
/// as compact JSON text, because a scan holds every finding until it is reported and a parsed
/// tree costs several times its text (on 150,000 findings, hundreds of megabytes). Reading a
/// field (`evidence["key"]`, [`Evidence::get`]) parses the text once and keeps the tree;
/// reporters serialise it without keeping one.
#[derive(Debug, Clone)]
pub enum Evidence {
    /// Being built: always a JSON object (boxed, so that the recorded form sets the size of
    /// every finding).
    Fields(Box<serde_json::Value>),
    /// Recorded: the object as compact JSON, and its tree once a reader asked for it.
    ///
    /// The tree is boxed: most findings never have it, and an empty cell is then one pointer
    /// instead of a whole `Value` in every finding.
    Text { json: Box<str>, parsed: std::sync::OnceLock<Box<serde_json::Value>> },
}

impl Default for Evidence {
    fn default() -> Self {
        Self::Fields(Box::new(serde_json::Value::Object(serde_json::Map::new())))
    }
}

impl Evidence {
    /// Sets `key` (a recorded evidence object is parsed back first: rare, only after the fact).
    pub fn insert(&mut self, key: &str, value: serde_json::Value) {
        if let Self::Text { .. } = self {
            *self = Self::Fields(Box::new(self.value().clone()));
        }
        if let Self::Fields(fields) = self {
            if let serde_json::Value::Object(map) = fields.as_mut() {
                map.insert(key.to_string(), value);
            }
        }
    }

    /// Keeps the object as compact JSON text from now on.
    pub fn compact(&mut self) {
        if let Self::Fields(fields) = self {
            // Serialising JSON values cannot fail; should it, the fields stay as they are.
            if let Ok(json) = serde_json::to_string(fields) {
                *self = Self::Text { json: json.into_boxed_str(), parsed: std::sync::OnceLock::new() };
            }
        }
    }

    /// The object as a JSON value.
    pub fn value(&self) -> &serde_json::Value {
        match self {
            Self::Fields(fields) => fields,
            Self::Text { json, parsed } => parsed.get_or_init(|| {
                Box::new(
                    serde_json::from_str(json)
                        .unwrap_or_else(|_| serde_json::Value::Object(serde_json::Map::new())),
                )
            }),
        }
    }

    /// One field.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.value().get(key)
    }
}

impl std::ops::Index<&str> for Evidence {
    type Output = serde_json::Value;

    fn index(&self, key: &str) -> &serde_json::Value {
        static NULL: serde_json::Value = serde_json::Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

/// Compact JSON, as `serde_json::Value` displays.
impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fields(fields) => fields.fmt(f),
            Self::Text { json, .. } => f.write_str(json),
        }
    }
}

impl PartialEq for Evidence {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value()
    }
}

impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Fields(fields) => fields.serialize(serializer),
            Self::Text { parsed, .. } if parsed.get().is_some() => self.value().serialize(serializer),
            // Parsed for this one serialisation and dropped: a report of many findings never
            // holds all their trees at once.
            Self::Text { json, .. } => serde_json::from_str::<serde_json::Value>(json)
                .map_err(serde::ser::Error::custom)?
                .serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            object @ serde_json::Value::Object(_) => Ok(Self::Fields(Box::new(object))),
            other => Err(serde::de::Error::custom(format!(
                "evidence must be a JSON object, not {}",
                match other {
                    serde_json::Value::Null => "null",
                    serde_json::Value::Bool(_) => "a boolean",
                    serde_json::Value::Number(_) => "a number",
                    serde_json::Value::String(_) => "a string",
                    serde_json::Value::Array(_) => "an array",
                    serde_json::Value::Object(_) => "an object",
                }
            ))),
        }
    }
}

/// A check that could not be evaluated (fully) for a scope because the data it needs was not
/// collected. Never a pass.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NotEvaluated {
    pub check_id: String,
    pub account: String,
    /// A region, `global`, or a resource ARN when only one resource is affected.
    pub scope: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    /// A scan holds every finding until it is reported (hundreds of thousands in a large
    /// organisation): what is rarely there (the evidence tree) is boxed, not inline.
    #[test]
    fn a_finding_stays_small() {
        let size = std::mem::size_of::<super::Finding>();
        assert!(size <= 400, "{size}");
        assert!(std::mem::size_of::<super::Evidence>() <= 32, "{}", std::mem::size_of::<super::Evidence>());
    }

    use super::*;
    use serde_json::json;

    /// Recorded evidence reads, compares, displays and serialises (pretty or not) exactly as the
    /// JSON object it was built as, in the order its fields were added.
    #[test]
    fn recorded_evidence_is_the_object_it_was_built_as() {
        let mut built = Evidence::default();
        built.insert("zeta", json!(["GET /api", "POST /api"]));
        built.insert("alpha", json!({"nested": [1, 2, {"deep": null}]}));
        built.insert("count", json!(3));
        let expected = json!({"zeta": ["GET /api", "POST /api"], "alpha": {"nested": [1, 2, {"deep": null}]}, "count": 3});
        let mut recorded = built.clone();
        recorded.compact();
        assert!(matches!(recorded, Evidence::Text { .. }));
        for evidence in [&built, &recorded] {
            assert_eq!(evidence.value(), &expected);
            assert_eq!(evidence["count"], json!(3));
            assert_eq!(evidence["missing"], serde_json::Value::Null);
            assert_eq!(evidence.to_string(), expected.to_string());
            assert_eq!(
                serde_json::to_string_pretty(evidence).ok(),
                serde_json::to_string_pretty(&expected).ok()
            );
        }
        assert_eq!(built, recorded);
        // Serialising a recorded object does not keep its tree.
        let mut fresh = built.clone();
        fresh.compact();
        let _ = serde_json::to_string(&fresh);
        assert!(matches!(&fresh, Evidence::Text { parsed, .. } if parsed.get().is_none()));
        // Adding a field after the fact still works.
        recorded.insert("late", json!(true));
        assert_eq!(recorded["late"], json!(true));
        assert_eq!(recorded["count"], json!(3));
        // Read back from a report: objects only.
        assert!(serde_json::from_str::<Evidence>("[1]").is_err());
        assert_eq!(serde_json::from_str::<Evidence>(&expected.to_string()).ok().as_ref(), Some(&built));
    }
}
