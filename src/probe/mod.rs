//! Active probes: prove that every origin behind a distribution refuses requests that go around
//! it, and that the refusal comes from a gateway (API Gateway, AWS WAF, the load balancer,
//! Lambda URL IAM auth), not from the application after it ran.
//!
//! [`plan`] turns the inventory into requests, [`client`] sends them, [`classify`] judges the
//! answers; the checks EA601–EA606 (in the checks crate) turn the results into findings.
//!
//! Manners: GET (HEAD where the behavior does not allow GET), no credentials, no cookies, no
//! body, never a custom origin header; `User-Agent: edge-audit/<version> (+<repository>)`;
//! redirects are not followed; at most 4 KiB of a body is read; at most `--probe-concurrency`
//! requests at once and at most 2 per host per second; one retry, on a connection reset only.

pub mod classify;
pub mod client;
pub mod connect_to;
pub mod plan;

pub use connect_to::ConnectTo;

use crate::error::Error;
use edge_audit_checks::model::Model;
use edge_audit_checks::probe::RELEVANT_HEADERS;
use edge_audit_checks::{ProbeClassification, ProbeResult};
use futures::StreamExt;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The User-Agent every probe sends.
pub const USER_AGENT: &str =
    concat!("edge-audit/", env!("CARGO_PKG_VERSION"), " (+", env!("CARGO_PKG_REPOSITORY"), ")");

/// How to probe.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Also request each routed path through the distribution itself (EA606).
    pub through_cloudfront: bool,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// For one request: connect, TLS, answer and body.
    pub timeout: Duration,
    /// Minimum spacing of two requests to one host (500 ms: 2 per second).
    pub per_host_interval: Duration,
    pub connect_to: Vec<ConnectTo>,
    /// CA certificates trusted in addition to the system's.
    pub extra_roots: Vec<CertificateDer<'static>>,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        Self {
            through_cloudfront: false,
            concurrency: 8,
            timeout: Duration::from_secs(10),
            per_host_interval: Duration::from_millis(500),
            connect_to: Vec::new(),
            extra_roots: Vec::new(),
        }
    }
}

/// Reads the certificates of a PEM file; a file with none is an error.
pub fn load_ca(path: &Path) -> Result<Vec<CertificateDer<'static>>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::input(path, e.to_string()))?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::input(path, format!("not a PEM certificate file: {e}")))?;
    if certs.is_empty() {
        return Err(Error::input(path, "no PEM certificate (-----BEGIN CERTIFICATE-----) in the file"));
    }
    // Parse each one now, so a bad file fails here, not as a TLS error on every probe.
    let mut store = rustls::RootCertStore::empty();
    for cert in &certs {
        store.add(cert.clone()).map_err(|e| Error::input(path, format!("unusable CA certificate: {e}")))?;
    }
    Ok(certs)
}

/// Probes every origin of the inventory `model` judged and returns the results, sorted. Never fails: a request
/// that gets no answer is an [`ProbeClassification::Inconclusive`] result with the reason.
pub async fn probe_inventory(model: &Model<'_>, options: &ProbeOptions) -> Vec<ProbeResult> {
    let targets = plan::plan(model, options.through_cloudfront);
    // One request per distinct (method, URL), however many distributions share the origin.
    let mut requests: Vec<plan::ProbeRequest> = targets.iter().map(|t| t.request.clone()).collect();
    requests.sort();
    requests.dedup();
    let requests = interleave_hosts(requests);
    tracing::info!("probing {} origin endpoint(s) with {} request(s)", targets.len(), requests.len());
    let client = match client::Client::new(
        &options.connect_to,
        &options.extra_roots,
        USER_AGENT.to_string(),
        options.timeout,
    ) {
        Ok(client) => client,
        Err(error) => {
            return targets.iter().map(|t| inconclusive(t, &error)).collect();
        }
    };
    let pacer = Pacer::new(options.per_host_interval);
    let answers: HashMap<plan::ProbeRequest, Answered> = futures::stream::iter(requests)
        .map(|request| {
            let client = &client;
            let pacer = &pacer;
            async move {
                let answered = send_with_retry(client, pacer, &request).await;
                (request, answered)
            }
        })
        .buffer_unordered(options.concurrency.max(1))
        .collect()
        .await;
    let mut results: Vec<ProbeResult> = targets
        .iter()
        .map(|target| match answers.get(&target.request) {
            Some(answered) => result(target, answered),
            None => inconclusive(target, "not sent"),
        })
        .collect();
    results.sort();
    results
}

/// What one request got.
struct Answered {
    outcome: Result<client::Response, client::ProbeError>,
    duration: Duration,
}

async fn send_with_retry(client: &client::Client, pacer: &Pacer, request: &plan::ProbeRequest) -> Answered {
    let mut retried = false;
    loop {
        pacer.wait(&request.host).await;
        let started = Instant::now();
        let outcome = client.send(request).await;
        let duration = started.elapsed();
        tracing::debug!(
            "probe {} {} → {}",
            request.method,
            request.url(),
            match &outcome {
                Ok(r) => r.status.to_string(),
                Err(e) => e.to_string(),
            }
        );
        match outcome {
            Err(client::ProbeError::Reset) if !retried => retried = true,
            outcome => return Answered { outcome, duration },
        }
    }
}

fn result(target: &plan::ProbeTarget, answered: &Answered) -> ProbeResult {
    let mut result = base(target);
    result.duration_ms = u64::try_from(answered.duration.as_millis()).unwrap_or(u64::MAX);
    match &answered.outcome {
        Ok(response) => {
            let (classification, marker) = classify::classify(&classify::Answer {
                status: response.status,
                headers: &response.headers,
                body: &response.body,
            });
            result.status = Some(response.status);
            result.classification = classification;
            result.marker = marker;
            for (name, value) in &response.headers {
                if RELEVANT_HEADERS.contains(&name.as_str()) && !result.headers.contains_key(name) {
                    result.headers.insert(name.clone(), classify::truncate(&clean(value), 200));
                }
            }
        }
        Err(error) => {
            result.error = Some(classify::truncate(&clean(&error.to_string()), 300));
        }
    }
    result
}

fn inconclusive(target: &plan::ProbeTarget, error: &str) -> ProbeResult {
    ProbeResult { error: Some(error.to_string()), ..base(target) }
}

fn base(target: &plan::ProbeTarget) -> ProbeResult {
    ProbeResult {
        account: target.account.clone(),
        distribution_id: target.distribution_id.clone(),
        distribution_arn: target.distribution_arn.clone(),
        origin_id: target.origin_id.clone(),
        tenant_id: target.tenant_id.clone(),
        origin_kind: target.origin_kind.clone(),
        via: target.via,
        url: target.request.url(),
        method: target.request.method.to_string(),
        status: None,
        classification: ProbeClassification::Inconclusive,
        marker: None,
        headers: BTreeMap::new(),
        duration_ms: 0,
        error: None,
    }
}

/// Control characters out of text that ends up in reports.
fn clean(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Orders requests round-robin over hosts, so that the per-host spacing of one host does not
/// hold up the others.
fn interleave_hosts(requests: Vec<plan::ProbeRequest>) -> Vec<plan::ProbeRequest> {
    let mut by_host: BTreeMap<String, Vec<plan::ProbeRequest>> = BTreeMap::new();
    for request in requests {
        by_host.entry(request.host.clone()).or_default().push(request);
    }
    let mut queues: Vec<std::vec::IntoIter<plan::ProbeRequest>> =
        by_host.into_values().map(Vec::into_iter).collect();
    let mut out = Vec::new();
    loop {
        let before = out.len();
        for queue in &mut queues {
            out.extend(queue.next());
        }
        if out.len() == before {
            return out;
        }
    }
}

/// Spaces requests to one host at least `interval` apart.
struct Pacer {
    interval: Duration,
    next: Mutex<HashMap<String, Instant>>,
}

impl Pacer {
    fn new(interval: Duration) -> Self {
        Self { interval, next: Mutex::new(HashMap::new()) }
    }

    /// Waits for this host's next slot and takes it.
    async fn wait(&self, host: &str) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.get(host).copied().filter(|t| *t > now).unwrap_or(now);
            next.insert(host.to_string(), slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot.into()).await;
    }
}
