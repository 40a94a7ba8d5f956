//! Shield Advanced: subscription state and protections.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ShieldState {
    /// The account has an active Shield Advanced subscription. Not subscribed is a fact, not an
    /// error.
    pub subscribed: bool,
    pub protections: Vec<ShieldProtection>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ShieldProtection {
    pub id: String,
    pub name: String,
    pub resource_arn: String,
}
