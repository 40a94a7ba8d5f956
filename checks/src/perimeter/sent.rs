//! The distribution side: what a distribution adds to its requests to one origin that the origin
//! could recognise it by — a secret custom header (`x-api-key` included), an origin access
//! control, a VPC origin, an `origin-request` Lambda@Edge signer, a `Referer` for S3 websites.

use crate::inventory::*;
use crate::options::CheckOptions;
use crate::secret::SecretValue;
use serde::Serialize;

/// What a distribution sends to one origin that the origin could use to recognise it.
#[derive(Debug, Clone, Default)]
pub struct Sent<'a> {
    /// Custom headers whose names mark them as secrets (`x-origin-verify`, `x-api-key` …).
    pub secret_headers: Vec<&'a OriginHeader>,
    pub origin_access_control: Option<&'a str>,
    pub vpc_origin: Option<&'a str>,
    /// The client certificate CloudFront presents to the origin (origin mutual TLS).
    pub client_certificate: Option<&'a str>,
    /// The `origin-request` Lambda@Edge function on every behavior that routes to the origin.
    pub signer: Option<&'a str>,
    /// An S3 website origin sent a `Referer` header (checked by an `aws:Referer` bucket policy
    /// condition, the only header an S3 website can check).
    pub referer: Option<&'a OriginHeader>,
}

impl<'a> Sent<'a> {
    pub fn of(distribution: &'a Distribution, origin: &'a Origin, options: &CheckOptions) -> Self {
        let secret_headers =
            origin.custom_headers.iter().filter(|h| options.is_secret_header(&h.name)).collect();
        let behaviors: Vec<&CacheBehavior> = distribution.behaviors_for(&origin.id).collect();
        let signer = if behaviors.is_empty() {
            None
        } else {
            let signers: Vec<Option<&str>> = behaviors
                .iter()
                .map(|b| {
                    b.lambda_function_associations
                        .iter()
                        .find(|a| a.event_type == "origin-request")
                        .map(|a| a.function_arn.as_str())
                })
                .collect();
            // Only a signer on every route to the origin signs every request.
            if signers.iter().all(Option::is_some) {
                signers.into_iter().flatten().next()
            } else {
                None
            }
        };
        let referer = match origin.kind {
            crate::origin::OriginKind::S3Website { .. } => origin.header("Referer"),
            _ => None,
        };
        Sent {
            secret_headers,
            origin_access_control: origin.origin_access_control_id.as_deref().filter(|s| !s.is_empty()),
            vpc_origin: origin.vpc_origin_id.as_deref().filter(|s| !s.is_empty()),
            client_certificate: origin
                .custom
                .as_ref()
                .and_then(|c| c.client_certificate_arn.as_deref())
                .filter(|s| !s.is_empty()),
            signer,
            referer,
        }
    }

    /// Whether the distribution does anything an origin could recognise it by.
    pub fn any(&self) -> bool {
        !self.mechanisms().is_empty()
    }

    /// The mechanisms, by name, for evidence.
    pub fn mechanisms(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if !self.secret_headers.is_empty() {
            out.push("secret-header");
        }
        if self.origin_access_control.is_some() {
            out.push("origin-access-control");
        }
        if self.vpc_origin.is_some() {
            out.push("vpc-origin");
        }
        if self.signer.is_some() {
            out.push("origin-request-signer");
        }
        if self.client_certificate.is_some() {
            out.push("origin-mtls");
        }
        if self.referer.is_some() {
            out.push("referer-header");
        }
        out
    }
}

/// A header as evidence: the name and the fingerprint/length/strength, never the value.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderEvidence {
    pub name: String,
    pub fingerprint: String,
    pub length: usize,
    pub strength: crate::secret::Strength,
}

impl HeaderEvidence {
    pub fn of(name: &str, value: &SecretValue) -> Self {
        Self {
            name: name.to_string(),
            fingerprint: value.fingerprint.clone(),
            length: value.length,
            strength: value.strength,
        }
    }
}

pub fn headers_evidence(headers: &[&OriginHeader]) -> Vec<HeaderEvidence> {
    headers.iter().map(|h| HeaderEvidence::of(&h.name, &h.value)).collect()
}
