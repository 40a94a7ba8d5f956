//! Lambda functions with their function URLs and resource policies.

use super::Tags;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LambdaFunction {
    pub name: String,
    pub arn: String,
    pub region: String,
    pub url: Option<FunctionUrl>,
    /// The resource policy, parsed, when the function has one.
    pub policy: Option<serde_json::Value>,
    /// Collected only for functions with a function URL (the only ones findings are about).
    #[serde(default)]
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FunctionUrl {
    /// `https://abc123.lambda-url.eu-west-1.on.aws/`.
    pub url: String,
    /// `NONE` or `AWS_IAM`.
    pub auth_type: String,
}
