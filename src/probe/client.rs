//! The probe's HTTP client: one HTTP/1.1 request per connection, on hyper's connection API over
//! tokio + rustls, so that every byte on the wire is ours.
//!
//! Why not reqwest: `--connect-to` must send a request for `HOST:PORT` to `ADDR:PORT2` while the
//! `Host` header, SNI and certificate verification keep `HOST`. reqwest 0.13's `resolve()`
//! overrides are keyed by host only (one address for every port of a host) and an explicit port
//! in the URL always replaces the override's port, and its connector layers cannot change the
//! destination (the request type is sealed). Owning the connection also guarantees what a probe
//! sends: exactly `Host`, `User-Agent`, `Accept` and `Connection: close` — no cookies, no
//! credentials, no redirects followed, no proxy from the environment, no decompression.

use super::plan::{ProbeRequest, Scheme};
use super::ConnectTo;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, ServerName};
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;

/// At most this much of a response body is read (enough to recognise an error page).
pub const MAX_BODY: usize = 4096;

/// What came back.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Lower-case names, in order.
    pub headers: Vec<(String, String)>,
    /// At most [`MAX_BODY`] bytes.
    pub body: Vec<u8>,
}

/// Why nothing (usable) came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeError {
    Dns(String),
    Timeout(Duration),
    Tls(String),
    Refused,
    Reset,
    /// The connection ended without an answer (no reset: an orderly or TLS-less close).
    Closed,
    Other(String),
}

impl fmt::Display for ProbeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dns(e) => write!(f, "DNS failure: {e}"),
            Self::Timeout(d) => write!(f, "timeout after {} s", d.as_secs_f64()),
            Self::Tls(e) => write!(f, "TLS error: {e}"),
            Self::Refused => f.write_str("connection refused"),
            Self::Reset => f.write_str("connection reset"),
            Self::Closed => f.write_str("connection closed without an answer"),
            Self::Other(e) => f.write_str(e),
        }
    }
}

/// Sends probe requests.
#[derive(Clone)]
pub struct Client {
    tls: tokio_rustls::TlsConnector,
    connect_to: Arc<[ConnectTo]>,
    user_agent: String,
    timeout: Duration,
}

impl Client {
    /// A client trusting the system's roots plus `extra_roots`.
    pub fn new(
        connect_to: &[ConnectTo],
        extra_roots: &[CertificateDer<'static>],
        user_agent: String,
        timeout: Duration,
    ) -> Result<Self, String> {
        let mut roots = rustls::RootCertStore::empty();
        let native = rustls_native_certs::load_native_certs();
        for error in &native.errors {
            tracing::debug!("system certificates: {error}");
        }
        let (added, ignored) = roots.add_parsable_certificates(native.certs);
        tracing::debug!("probe trust store: {added} system roots ({ignored} unparsable)");
        for cert in extra_roots {
            roots.add(cert.clone()).map_err(|e| format!("CA certificate not usable: {e}"))?;
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS setup: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
            connect_to: connect_to.to_vec().into(),
            user_agent,
            timeout,
        })
    }

    /// Sends `request` once, within the timeout.
    pub async fn send(&self, request: &ProbeRequest) -> Result<Response, ProbeError> {
        match tokio::time::timeout(self.timeout, self.exchange(request)).await {
            Ok(result) => result,
            Err(_) => Err(ProbeError::Timeout(self.timeout)),
        }
    }

    async fn exchange(&self, request: &ProbeRequest) -> Result<Response, ProbeError> {
        let tcp = self.connect(&request.host, request.port).await?;
        match request.scheme {
            Scheme::Http => self.http(TokioIo::new(tcp), request).await,
            Scheme::Https => {
                let name = ServerName::try_from(request.host.clone())
                    .map_err(|e| ProbeError::Tls(format!("invalid server name {}: {e}", request.host)))?;
                let tls = self.tls.connect(name, tcp).await.map_err(|e| io_error(&e, true))?;
                self.http(TokioIo::new(tls), request).await
            }
        }
    }

    /// Opens the TCP connection, honouring `--connect-to`.
    async fn connect(&self, host: &str, port: u16) -> Result<TcpStream, ProbeError> {
        let (target, target_port) = ConnectTo::resolve(&self.connect_to, host, port);
        let addrs: Vec<SocketAddr> = match target.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, target_port)],
            Err(_) => tokio::net::lookup_host((target.as_str(), target_port))
                .await
                .map_err(|e| ProbeError::Dns(format!("{target}: {e}")))?
                .collect(),
        };
        if addrs.is_empty() {
            return Err(ProbeError::Dns(format!("{target}: no address")));
        }
        let mut last = ProbeError::Other(format!("cannot connect to {target}:{target_port}"));
        for addr in addrs {
            match TcpStream::connect(addr).await {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    return Ok(stream);
                }
                Err(e) => last = io_error(&e, false),
            }
        }
        Err(last)
    }

    async fn http<T>(&self, io: TokioIo<T>, request: &ProbeRequest) -> Result<Response, ProbeError>
    where
        T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let (mut sender, connection) = hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(io)
            .await
            .map_err(|e| hyper_error(&e))?;
        let driver = AbortOnDrop(tokio::spawn(async move {
            let _ = connection.await;
        }));
        let http_request = http::Request::builder()
            .method(request.method)
            .uri(request.path.as_str())
            .header(http::header::HOST, request.authority())
            .header(http::header::USER_AGENT, self.user_agent.as_str())
            .header(http::header::ACCEPT, "*/*")
            .header(http::header::CONNECTION, "close")
            .body(Empty::<Bytes>::new())
            .map_err(|e| ProbeError::Other(format!("invalid request: {e}")))?;
        let response = sender.send_request(http_request).await.map_err(|e| hyper_error(&e))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (name.as_str().to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned())
            })
            .collect();
        let mut body = Vec::new();
        let mut stream = response.into_body();
        while body.len() < MAX_BODY {
            match stream.frame().await {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        let room = MAX_BODY - body.len();
                        body.extend_from_slice(&data[..data.len().min(room)]);
                    }
                }
                // A body cut short still leaves the status and headers to judge.
                Some(Err(_)) | None => break,
            }
        }
        drop(stream);
        drop(driver);
        Ok(Response { status, headers, body })
    }
}

/// Aborts the connection task when the exchange ends (or times out).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn io_error(error: &std::io::Error, tls: bool) -> ProbeError {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::ConnectionRefused => ProbeError::Refused,
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => {
            ProbeError::Reset
        }
        ErrorKind::UnexpectedEof => ProbeError::Closed,
        ErrorKind::TimedOut => ProbeError::Other(format!("connect timeout: {error}")),
        _ if tls => ProbeError::Tls(error.to_string()),
        _ => ProbeError::Other(error.to_string()),
    }
}

fn hyper_error(error: &hyper::Error) -> ProbeError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return io_error(io, false);
        }
        source = e.source();
    }
    if error.is_incomplete_message() {
        return ProbeError::Closed;
    }
    ProbeError::Other(format!("HTTP error: {error}"))
}
