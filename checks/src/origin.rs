//! What an origin is, derived from its domain name alone. Cross-resource questions (is this API
//! REST or HTTP? which API does a custom domain map to?) are answered by [`crate::index::Index`].

use crate::strict::tagged_enum;
use serde::Serialize;

tagged_enum! {
    #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
    pub enum OriginKind {
        /// `{api_id}.execute-api.{region}.amazonaws.com`: a REST or an HTTP API.
        ApiGateway { api_id: String, region: String },
        /// `*.elb.amazonaws.com`; the region when the name carries it.
        Alb { dns_name: String, region: Option<String> },
        /// `{url_id}.lambda-url.{region}.on.aws`.
        LambdaUrl { url_id: String, region: String },
        /// `bucket.s3.amazonaws.com`, `bucket.s3.{region}.amazonaws.com`.
        S3Rest { bucket: String },
        /// `bucket.s3-website-{region}.amazonaws.com` or `bucket.s3-website.{region}.amazonaws.com`.
        S3Website { bucket: String, region: String },
        /// A MediaStore, MediaPackage, EC2 public DNS name, API Gateway custom domain, or anything
        /// else reached over HTTP(S).
        #[default]
        Custom,
    }
}

impl OriginKind {
    /// Classifies an origin domain name.
    pub fn from_domain(domain: &str) -> Self {
        let domain = domain.trim_end_matches('.').to_ascii_lowercase();
        // A multi-tenant distribution's origin may be a template (`{{tenant}}.example.com`,
        // `{{api}}.execute-api…`) that CloudFront fills from each tenant's parameters: the
        // template itself names no resource.
        if domain.contains('{') {
            return Self::Custom;
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if let [api_id, "execute-api", region, "amazonaws", "com"] = labels.as_slice() {
            return Self::ApiGateway { api_id: api_id.to_string(), region: region.to_string() };
        }
        if let [url_id, "lambda-url", region, "on", "aws"] = labels.as_slice() {
            return Self::LambdaUrl { url_id: url_id.to_string(), region: region.to_string() };
        }
        if domain.ends_with(".elb.amazonaws.com") {
            // name-123.eu-west-1.elb.amazonaws.com, or dualstack./internal- variants.
            let region = labels.len().checked_sub(4).and_then(|i| labels.get(i)).map(|r| r.to_string());
            return Self::Alb { dns_name: domain.clone(), region };
        }
        if let Some(rest) = domain.strip_suffix(".amazonaws.com") {
            if let Some((bucket, endpoint)) = split_s3(rest) {
                if let Some(region) =
                    endpoint.strip_prefix("s3-website-").or_else(|| endpoint.strip_prefix("s3-website."))
                {
                    return Self::S3Website { bucket, region: region.to_string() };
                }
                if endpoint == "s3" || endpoint.starts_with("s3.") || endpoint.starts_with("s3-") {
                    return Self::S3Rest { bucket };
                }
            }
        }
        Self::Custom
    }

    /// API Gateway, ALB or Lambda URL: origins that run code per request.
    pub fn is_api(&self) -> bool {
        matches!(self, Self::ApiGateway { .. } | Self::Alb { .. } | Self::LambdaUrl { .. })
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::ApiGateway { .. } => "API Gateway",
            Self::Alb { .. } => "load balancer",
            Self::LambdaUrl { .. } => "Lambda function URL",
            Self::S3Rest { .. } => "S3 bucket",
            Self::S3Website { .. } => "S3 website endpoint",
            Self::Custom => "custom origin",
        }
    }
}

/// Splits `bucket.s3.eu-west-1` (the part before `.amazonaws.com`) into the bucket and the
/// S3 endpoint label(s). Bucket names may contain dots, so the endpoint is found from the right.
fn split_s3(rest: &str) -> Option<(String, String)> {
    let idx = rest.find(".s3")?;
    // Take the last `.s3` occurrence that starts the endpoint part.
    let idx = rest
        .rfind(".s3.")
        .or_else(|| rest.rfind(".s3-"))
        .or_else(|| rest.ends_with(".s3").then(|| rest.len() - 3))
        .unwrap_or(idx);
    let bucket = &rest[..idx];
    let endpoint = &rest[idx + 1..];
    (!bucket.is_empty()).then(|| (bucket.to_string(), endpoint.to_string()))
}

/// The first concrete request path a CloudFront path pattern routes: the literal prefix up to
/// the first wildcard, as a directory when the pattern ends in that wildcard (`/api*` → `/api/`,
/// `/v1/*` → `/v1/`, `*` → `/`, `/img/*.jpg` → `/img/`, `/health` → `/health`).
pub fn literal_prefix(pattern: &str) -> String {
    let cut = pattern.find(['*', '?']).unwrap_or(pattern.len());
    let mut prefix = pattern[..cut].to_string();
    if !prefix.starts_with('/') {
        prefix.insert(0, '/');
    }
    // `/api*` matches `/api/` (and everything under it); `/file*.js` does not match `/file/`,
    // so only a trailing wildcard turns the prefix into a directory.
    let trailing_wildcard = matches!(&pattern[cut..], "*" | "?");
    if trailing_wildcard && !prefix.ends_with('/') {
        prefix.push('/');
    }
    prefix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_domains() {
        assert_eq!(
            OriginKind::from_domain("abc123.execute-api.eu-west-1.amazonaws.com"),
            OriginKind::ApiGateway { api_id: "abc123".into(), region: "eu-west-1".into() }
        );
        assert_eq!(
            OriginKind::from_domain("xyz.lambda-url.us-east-1.on.aws"),
            OriginKind::LambdaUrl { url_id: "xyz".into(), region: "us-east-1".into() }
        );
        assert_eq!(
            OriginKind::from_domain("my-alb-1234.eu-west-1.elb.amazonaws.com"),
            OriginKind::Alb {
                dns_name: "my-alb-1234.eu-west-1.elb.amazonaws.com".into(),
                region: Some("eu-west-1".into())
            }
        );
        assert_eq!(
            OriginKind::from_domain("site.s3.amazonaws.com"),
            OriginKind::S3Rest { bucket: "site".into() }
        );
        assert_eq!(
            OriginKind::from_domain("my.site.s3.eu-west-1.amazonaws.com"),
            OriginKind::S3Rest { bucket: "my.site".into() }
        );
        assert_eq!(
            OriginKind::from_domain("site.s3-website-us-east-1.amazonaws.com"),
            OriginKind::S3Website { bucket: "site".into(), region: "us-east-1".into() }
        );
        assert_eq!(
            OriginKind::from_domain("site.s3-website.eu-west-1.amazonaws.com"),
            OriginKind::S3Website { bucket: "site".into(), region: "eu-west-1".into() }
        );
        assert_eq!(OriginKind::from_domain("api.example.com"), OriginKind::Custom);
    }

    #[test]
    fn literal_prefixes() {
        assert_eq!(literal_prefix("/api*"), "/api/");
        assert_eq!(literal_prefix("/v1/*"), "/v1/");
        assert_eq!(literal_prefix("*"), "/");
        assert_eq!(literal_prefix("api/*"), "/api/");
        assert_eq!(literal_prefix("/health"), "/health");
        assert_eq!(literal_prefix("/img/*.jpg"), "/img/");
        assert_eq!(literal_prefix("/v?"), "/v/");
    }
}
