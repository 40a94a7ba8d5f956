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
    pub evidence: serde_json::Value,
    pub remediation: String,
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
        if let serde_json::Value::Object(map) = &mut self.evidence {
            map.insert(key.to_string(), serde_json::to_value(value).unwrap_or(serde_json::Value::Null));
        }
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
