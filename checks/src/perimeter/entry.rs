//! Entry points: the public ways into a backend that do not pass through a distribution. Both
//! the exposure model (which lists them) and the guards (which judge what each one lets in)
//! read them, so they live apart from both.

use serde::Serialize;

/// How an entry point reaches its backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// `{api-id}.execute-api.{region}.amazonaws.com`.
    ExecuteApi,
    /// An API Gateway custom domain name (regional or edge-optimized) that maps the API.
    CustomDomain,
    /// A listener of an internet-facing load balancer.
    Listener,
    /// `{url-id}.lambda-url.{region}.on.aws`.
    FunctionUrl,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ExecuteApi => "execute-api",
            Self::CustomDomain => "custom-domain",
            Self::Listener => "listener",
            Self::FunctionUrl => "function-url",
        }
    }
}

/// One public way into a backend that does not pass through a distribution.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntryPoint {
    pub kind: EntryKind,
    /// `https`, `http`, or the transport of a load balancer listener that is not HTTP (`tcp`,
    /// `tls`, `udp`): such listeners are entry points but are not probed.
    pub scheme: String,
    /// Lower-case host name.
    pub host: String,
    pub port: u16,
    /// The path that reaches the backend's root on this entry point: `/prod` for stage `prod`
    /// on `execute-api`, `/v1` for a custom domain's base path `v1`, empty for the root.
    pub path_prefix: String,
}

impl EntryPoint {
    pub(super) fn https(kind: EntryKind, host: &str, path_prefix: String) -> Self {
        Self {
            kind,
            scheme: "https".to_string(),
            host: host.trim_end_matches('.').to_ascii_lowercase(),
            port: 443,
            path_prefix,
        }
    }

    /// `https://host/prefix`, with the port when it is not the scheme's default.
    pub fn url(&self) -> String {
        let default_port = match self.scheme.as_str() {
            "http" => 80,
            _ => 443,
        };
        if self.port == default_port {
            format!("{}://{}{}", self.scheme, self.host, self.path_prefix)
        } else {
            format!("{}://{}:{}{}", self.scheme, self.host, self.port, self.path_prefix)
        }
    }

    /// `execute-api https://abc.execute-api.eu-west-1.amazonaws.com/prod`, for messages.
    pub fn describe(&self) -> String {
        format!("{} {}", self.kind.as_str(), self.url())
    }
}
