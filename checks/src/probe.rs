//! Active probes: what an origin answered to a request that went around CloudFront (or, with
//! `--probe-through-cloudfront`, through it).
//!
//! The binary sends the requests (`edge-audit::probe`) and classifies the answers; this module
//! holds the results as plain data (what the probe checks, EA601–EA606, judge lives with them in
//! `checks/probes.rs`). Nothing here touches the network: checks stay pure functions, of the
//! inventory and of these results.
//!
//! A probe never carries a secret: no credentials, no cookies, none of the distribution's custom
//! origin headers. So a result never holds one either; its `headers` are a short list of response
//! headers that identify who answered ([`RELEVANT_HEADERS`]).

use crate::index::host_of;
use crate::origin::OriginKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Response headers a probe result keeps (lower-case): the ones that say who answered.
pub const RELEVANT_HEADERS: &[&str] = &[
    "server",
    "x-amzn-errortype",
    "x-amzn-requestid",
    "x-amz-cf-id",
    "x-cache",
    "via",
    "content-type",
    "location",
];

/// How the request reached the origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeVia {
    /// Straight to the origin's own endpoint, as an attacker who knows it would.
    Direct,
    /// To the distribution, on a path routed to the origin (`--probe-through-cloudfront`).
    Cloudfront,
}

impl ProbeVia {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Cloudfront => "cloudfront",
        }
    }
}

/// Who refused the request, if anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeClassification {
    /// Refused before any application code ran: API Gateway (resource policy, API key, IAM,
    /// authorizer), AWS WAF, an ALB fixed response, Lambda URL IAM auth, CloudFront's edge.
    BlockedByGateway,
    /// A 401/403 without a gateway's marker: the application refused, after it ran (and billed).
    BlockedByApplication,
    /// The origin answered: 2xx, 3xx, 404 or another 4xx, 5xx.
    Reachable,
    /// No answer to judge: DNS failure, timeout, TLS error, connection refused.
    Inconclusive,
}

impl ProbeClassification {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BlockedByGateway => "blocked_by_gateway",
            Self::BlockedByApplication => "blocked_by_application",
            Self::Reachable => "reachable",
            Self::Inconclusive => "inconclusive",
        }
    }
}

impl fmt::Display for ProbeClassification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One probe request and what came back. Sorted by account, distribution, origin, via, URL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeResult {
    pub account: String,
    pub distribution_id: String,
    pub distribution_arn: String,
    pub origin_id: String,
    /// The tenant of a multi-tenant distribution whose filled-in origin (or whose domain, for a
    /// request through CloudFront) was probed; absent for every other origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    pub origin_kind: OriginKind,
    pub via: ProbeVia,
    /// The URL requested (never carries a secret).
    pub url: String,
    /// `GET` or `HEAD`.
    pub method: String,
    /// The HTTP status; `None` when no answer came.
    pub status: Option<u16>,
    pub classification: ProbeClassification,
    /// What identified the refusing gateway (`x-amzn-ErrorType: ForbiddenException`,
    /// `server: awselb/2.0`).
    pub marker: Option<String>,
    /// The [`RELEVANT_HEADERS`] of the response (lower-case names).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    pub duration_ms: u64,
    /// Why there was no answer (inconclusive probes).
    pub error: Option<String>,
}

impl ProbeResult {
    /// The origin id, with the tenant for a tenant's filled-in origin: `api (tenant t-1)`.
    pub fn origin_label(&self) -> String {
        match &self.tenant_id {
            Some(tenant) => format!("{} (tenant {tenant})", self.origin_id),
            None => self.origin_id.clone(),
        }
    }

    /// The host the request went to.
    pub fn host(&self) -> &str {
        host_of(&self.url)
    }

    /// `GET https://host/path → 403 (blocked_by_gateway: x-amzn-ErrorType: ForbiddenException)`.
    pub fn summary(&self) -> String {
        let answer = match (self.status, &self.error) {
            (Some(status), _) => status.to_string(),
            (None, Some(error)) => format!("no answer ({error})"),
            (None, None) => "no answer".to_string(),
        };
        match &self.marker {
            Some(marker) => {
                format!("{} {} → {answer} ({}: {marker})", self.method, self.url, self.classification)
            }
            None => format!("{} {} → {answer} ({})", self.method, self.url, self.classification),
        }
    }

    /// Whether CloudFront itself refused (its own error page: a CloudFront WAF block or a geo
    /// restriction), rather than passing on an origin's refusal.
    pub fn refused_by_cloudfront_edge(&self) -> bool {
        self.headers.get("server").is_some_and(|s| s.eq_ignore_ascii_case("cloudfront"))
            && !self.headers.contains_key("x-amzn-errortype")
    }

    /// The evidence a finding carries about this probe.
    pub(crate) fn evidence(&self) -> serde_json::Value {
        serde_json::json!({
            "distribution_id": self.distribution_id,
            "origin_id": self.origin_id,
            "via": self.via,
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "classification": self.classification,
            "marker": self.marker,
            "headers": self.headers,
        })
    }
}
