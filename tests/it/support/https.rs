//! Local origins for the probe tests: HTTP and HTTPS servers on 127.0.0.1 (ephemeral ports) that
//! answer like API Gateway, AWS WAF, an ALB, a Lambda URL or an application would, and record
//! every request (arrival time, Host, headers) and how many connections were open at once.
//!
//! Certificates come from a test CA made at test time with rcgen; its PEM is written to a
//! temporary file for `--probe-ca-cert`. Nothing here resolves or reaches a real host: the binary
//! is pointed at these servers with `--connect-to`.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The names the ordinary test certificate covers.
pub(crate) const AWS_NAMES: &[&str] = &[
    "*.execute-api.us-east-1.amazonaws.com",
    "*.elb.amazonaws.com",
    "*.us-east-1.elb.amazonaws.com",
    "*.lambda-url.us-east-1.on.aws",
    "*.cloudfront.net",
    "*.example.com",
    "evil.example",
];

/// A certificate authority made for one test.
pub(crate) struct TestCa {
    dir: tempfile::TempDir,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    pub(crate) fn new() -> Self {
        let key = KeyPair::generate().unwrap_or_else(|e| panic!("CA key: {e}"));
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap_or_else(|e| panic!("{e}"));
        params.distinguished_name.push(DnType::CommonName, "edge-audit test CA");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).unwrap_or_else(|e| panic!("CA certificate: {e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("ca.pem"), cert.pem()).unwrap_or_else(|e| panic!("{e}"));
        Self { dir, issuer: Issuer::new(params, key) }
    }

    /// The CA certificate (PEM), for `--probe-ca-cert`.
    pub(crate) fn pem_path(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// A temporary directory that lives as long as the CA.
    pub(crate) fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// A TLS server configuration with a certificate for `names`, issued by this CA.
    pub(crate) fn server_config(&self, names: &[&str]) -> Arc<rustls::ServerConfig> {
        let key = KeyPair::generate().unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).unwrap_or_else(|e| panic!("{e}"));
        params.distinguished_name.push(DnType::CommonName, "edge-audit test origin");
        let cert = params.signed_by(&key, &self.issuer).unwrap_or_else(|e| panic!("certificate: {e}"));
        let chain = vec![CertificateDer::from(cert.der().to_vec())];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|b| b.with_no_client_auth().with_single_cert(chain, key))
            .unwrap_or_else(|e: rustls::Error| panic!("server config: {e}"));
        Arc::new(config)
    }
}

/// How a server answers one host (or host and path prefix).
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Reset the connection of this many requests (the first ones to this host) unanswered.
    pub drop_first: usize,
}

impl Reply {
    pub(crate) fn new(status: u16) -> Self {
        Self { status, headers: Vec::new(), body: String::new(), delay: Duration::ZERO, drop_first: 0 }
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub(crate) fn body(mut self, body: &str) -> Self {
        self.body = body.to_string();
        self
    }

    pub(crate) fn drop_first(mut self, connections: usize) -> Self {
        self.drop_first = connections;
        self
    }

    pub(crate) fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// API Gateway refusing before the integration (resource policy, API key, WAF on a stage).
    pub(crate) fn api_gateway_forbidden() -> Self {
        Self::new(403)
            .header("content-type", "application/json")
            .header("x-amzn-RequestId", "8f1c2d3e-0000-4000-8000-000000000001")
            .header("x-amzn-ErrorType", "ForbiddenException")
            .body(r#"{"message":"Forbidden"}"#)
    }

    /// The AWS WAF block page an ALB returns.
    pub(crate) fn alb_waf_block() -> Self {
        Self::new(403).header("server", "awselb/2.0").header("content-type", "text/html").body(
            "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n</body>\r\n</html>\r\n",
        )
    }

    /// An application refusing by itself.
    pub(crate) fn app_forbidden() -> Self {
        Self::new(403)
            .header("content-type", "application/json")
            .header("x-powered-by", "Express")
            .body(r#"{"error":"missing origin header"}"#)
    }

    pub(crate) fn ok() -> Self {
        Self::new(200).header("content-type", "application/json").body(r#"{"items":[]}"#)
    }
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    /// When the connection was accepted (closest to when the client started the request).
    pub accepted: Instant,
    /// When the request head had arrived.
    pub at: Instant,
    pub method: String,
    pub path: String,
    /// The Host header without the port, lower-case.
    pub host: String,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    /// The TLS server name the client sent (HTTPS only).
    pub sni: Option<String>,
}

impl Recorded {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

struct State {
    /// `host` or `host/path-prefix` → reply; the longest match wins.
    routes: BTreeMap<String, Reply>,
    fallback: Reply,
    log: Mutex<Vec<Recorded>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A running server; stops when dropped.
pub(crate) struct TestServer {
    pub port: u16,
    state: Arc<State>,
    _runtime: tokio::runtime::Runtime,
}

impl TestServer {
    /// An HTTPS server with `tls`, answering `routes` (others: 404).
    pub(crate) fn https(tls: Arc<rustls::ServerConfig>, routes: &[(&str, Reply)]) -> Self {
        Self::start(Some(tls), routes)
    }

    /// A plain HTTP server.
    pub(crate) fn http(routes: &[(&str, Reply)]) -> Self {
        Self::start(None, routes)
    }

    fn start(tls: Option<Arc<rustls::ServerConfig>>, routes: &[(&str, Reply)]) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_else(|e| panic!("{e}"));
        listener.set_nonblocking(true).unwrap_or_else(|e| panic!("{e}"));
        let state = Arc::new(State {
            routes: routes.iter().map(|(k, r)| (k.to_ascii_lowercase(), r.clone())).collect(),
            fallback: Reply::new(404).body("no route"),
            log: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        });
        let shared = state.clone();
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap_or_else(|e| panic!("{e}"));
            let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let accepted = Instant::now();
                let state = shared.clone();
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    state.max_in_flight.fetch_max(now, Ordering::SeqCst);
                    // A hang-up is a reset (SO_LINGER 0), as a crashed or overloaded server sends.
                    match acceptor {
                        Some(acceptor) => {
                            if let Ok(mut tls) = acceptor.accept(stream).await {
                                let sni = tls.get_ref().1.server_name().map(str::to_string);
                                if serve(&mut tls, accepted, sni, &state).await {
                                    let _ = tls.get_ref().0.set_zero_linger();
                                }
                            }
                        }
                        None => {
                            let mut stream = stream;
                            if serve(&mut stream, accepted, None, &state).await {
                                let _ = stream.set_zero_linger();
                            }
                        }
                    }
                    state.in_flight.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Self { port, state, _runtime: runtime }
    }

    /// Every request received so far, in arrival order.
    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.state.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The most connections open at once.
    pub(crate) fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }
}

/// A port nothing listens on.
pub(crate) fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    listener.local_addr().map(|a| a.port()).unwrap_or_else(|e| panic!("{e}"))
}

/// Answers one request; true when it hangs up instead (the caller resets the connection).
async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    accepted: Instant,
    sni: Option<String>,
    state: &State,
) -> bool {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_string();
    let path = request_line.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let host_header = headers.iter().find(|(n, _)| n == "host").map(|(_, v)| v.clone()).unwrap_or_default();
    let host =
        host_header.rsplit_once(':').map(|(h, _)| h.to_string()).unwrap_or(host_header).to_ascii_lowercase();
    let recorded = Recorded {
        accepted,
        at: Instant::now(),
        method: method.clone(),
        path: path.clone(),
        host: host.clone(),
        headers,
        sni,
    };
    let seen = match state.log.lock() {
        Ok(mut log) => {
            let seen = log.iter().filter(|r| r.host == host).count();
            log.push(recorded);
            seen
        }
        Err(_) => 0,
    };
    let key = format!("{host}{path}");
    let reply = state
        .routes
        .iter()
        .filter(|(route, _)| **route == host || key.starts_with(route.as_str()) && route.contains('/'))
        .max_by_key(|(route, _)| route.len())
        .map(|(_, reply)| reply.clone())
        .unwrap_or_else(|| state.fallback.clone());
    if seen < reply.drop_first {
        return true;
    }
    tokio::time::sleep(reply.delay).await;
    let mut response = format!("HTTP/1.1 {} Test\r\n", reply.status);
    for (name, value) in &reply.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str(&format!("content-length: {}\r\nconnection: close\r\n\r\n", reply.body.len()));
    if method != "HEAD" {
        response.push_str(&reply.body);
    }
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
    false
}
