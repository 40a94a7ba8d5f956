//! A moto server for the tests: started on a free loopback port, reset and seeded with the
//! scenarios of `tests/moto/seed.py`, stopped when dropped.
//!
//! In front of it runs the project's emulator extension (`tests/moto/emulator/`, on another free
//! loopback port): it answers the operations moto 5.2.5 lacks from the scenario data the seeder
//! posts to it, edits moto's answers where moto drops fields, and forwards everything else to
//! moto byte for byte. [`MotoServer::endpoint`] is the emulator's address, so everything a test
//! points at "moto" (the SDK configuration, `AWS_ENDPOINT_URL`, the seeder) goes through it. A
//! moto that is installed but an emulator that does not start fails the test, CI or not.
//!
//! moto and the seeder's boto3 come from one Python virtualenv: `EDGE_AUDIT_MOTO` (the path of its
//! `moto_server`), else `EDGE_AUDIT_VENV` (the venv directory, as `scripts/test` exports it), else
//! `.venv` in the project root. Create it with
//! `python3 -m venv .venv && .venv/bin/pip install -r tests/moto/requirements.txt`.

use super::root;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long moto may take to start answering.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// The account moto serves (seed.py's manifest says the same).
pub(crate) const MOTO_ACCOUNT: &str = "123456789012";

/// The venv binaries: (moto_server, python).
fn binaries() -> Option<(PathBuf, PathBuf)> {
    let moto = match std::env::var_os("EDGE_AUDIT_MOTO") {
        Some(path) => PathBuf::from(path),
        None => {
            let venv = std::env::var_os("EDGE_AUDIT_VENV")
                .map(PathBuf::from)
                .unwrap_or_else(|| root().join(".venv"));
            venv.join("bin/moto_server")
        }
    };
    let python = moto.parent()?.join("python");
    (moto.is_file() && python.exists()).then_some((moto, python))
}

/// A running moto server behind the emulator extension, both killed on drop.
pub(crate) struct MotoServer {
    /// `http://127.0.0.1:PORT` of the emulator (which forwards to moto what it does not answer).
    pub endpoint: String,
    /// `http://127.0.0.1:PORT` of moto itself, for tests of the emulator.
    pub moto_endpoint: String,
    /// The emulator's address (control requests, resets).
    address: SocketAddr,
    python: PathBuf,
    child: Child,
    emulator: Option<Child>,
}

impl MotoServer {
    /// Whether moto is installed where the tests look for it.
    pub(crate) fn available() -> bool {
        binaries().is_some()
    }

    /// Starts a server, or skips (returns `None`, with a loud message) when moto is not installed,
    /// except under CI=true where a missing moto fails the test.
    pub(crate) fn start_or_skip() -> Option<Self> {
        if !super::require(
            "moto (EDGE_AUDIT_MOTO, EDGE_AUDIT_VENV or .venv/bin/moto_server)",
            Self::available(),
        ) {
            return None;
        }
        Some(Self::start())
    }

    /// Starts a server and waits until it answers. Panics when moto is missing or does not start.
    pub(crate) fn start() -> Self {
        let (moto, python) = binaries().unwrap_or_else(|| {
            panic!("moto is not installed: set EDGE_AUDIT_MOTO or create .venv (see tests/moto/README.md)")
        });
        // Port 0 finds a free port; the tiny window before moto binds it is acceptable in tests.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .unwrap_or_else(|e| panic!("no free loopback port: {e}"))
            .port();
        let child = Command::new(&moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", moto.display()));
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let endpoint = format!("http://{address}");
        let mut server = Self {
            endpoint: endpoint.clone(),
            moto_endpoint: endpoint,
            address,
            python,
            child,
            emulator: None,
        };
        let started = Instant::now();
        loop {
            if server.post("/moto-api/reset", "").is_ok() {
                server.start_emulator();
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("moto_server exited during startup: {status}");
            }
            if started.elapsed() > STARTUP_TIMEOUT {
                panic!("moto_server did not answer on {} within {STARTUP_TIMEOUT:?}", server.endpoint);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Starts the emulator in front of moto and points [`Self::endpoint`] at it. Panics when it
    /// does not start: a test of the emulator's operations must not silently run against moto.
    fn start_emulator(&mut self) {
        let mut emulator = Command::new(&self.python)
            .arg(root().join("tests/moto/emulator"))
            .args(["--upstream", &self.moto_endpoint, "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the emulator (tests/moto/emulator): {e}"));
        // The emulator binds port 0 and prints `listening on http://127.0.0.1:PORT`.
        let stdout = emulator.stdout.take();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let Some(stdout) = stdout else {
                let _ = sender.send(line);
                return;
            };
            let mut reader = BufReader::new(stdout);
            let _ = reader.read_line(&mut line);
            let _ = sender.send(line);
            // Keep draining so the emulator never blocks on a full pipe.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = receiver.recv_timeout(STARTUP_TIMEOUT).unwrap_or_default();
        let Some(endpoint) = line.trim().strip_prefix("listening on ").map(str::to_string) else {
            let _ = emulator.kill();
            let status = emulator.wait().map(|s| s.to_string()).unwrap_or_default();
            panic!("the emulator did not start (said {line:?}, {status}); see tests/moto/README.md");
        };
        let address: SocketAddr = endpoint
            .trim_start_matches("http://")
            .parse()
            .unwrap_or_else(|e| panic!("the emulator announced {endpoint:?}: {e}"));
        self.emulator = Some(emulator);
        self.address = address;
        self.endpoint = endpoint;
        self.post("/_emulator/health", "").unwrap_or_else(|e| panic!("the emulator does not answer: {e}"));
    }

    /// Adds scenario data to the emulator's store (`POST /_emulator/scenario`, merged into what
    /// the seeder posted): e.g. `{"deny": ["cloudfront:ListVpcOrigins"]}` for an AccessDenied mode.
    pub(crate) fn emulate(&self, document: &serde_json::Value) {
        self.post("/_emulator/scenario", &document.to_string())
            .unwrap_or_else(|e| panic!("the emulator refused the scenario data: {e}"));
    }

    /// Forgets the emulator's scenario data (`POST /_emulator/reset`), moto's resources kept.
    pub(crate) fn emulate_reset(&self) {
        self.post("/_emulator/reset", "").unwrap_or_else(|e| panic!("the emulator refused the reset: {e}"));
    }

    /// The venv's python (it has boto3, and PyYAML through moto): for tests that change the
    /// seeded account or read the action's YAML.
    pub(crate) fn python(&self) -> &std::path::Path {
        &self.python
    }

    /// Forgets every resource (`POST /moto-api/reset`).
    pub(crate) fn reset(&self) {
        self.post("/moto-api/reset", "").unwrap_or_else(|e| panic!("moto reset failed: {e}"));
    }

    /// Seeds the scenarios (with a fixed id seed, so ids are stable) and returns the manifest.
    pub(crate) fn seed(&self, scenarios: &[&str]) -> serde_json::Value {
        let mut command = Command::new(&self.python);
        command.arg(root().join("tests/moto/seed.py")).args(["--endpoint", &self.endpoint, "--seed", "42"]);
        for scenario in scenarios {
            command.args(["--scenario", scenario]);
        }
        let output = command.output().unwrap_or_else(|e| panic!("cannot run seed.py: {e}"));
        if !output.status.success() {
            panic!(
                "seed.py {scenarios:?} failed ({}):\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("seed.py printed no manifest: {e}"))
    }

    /// A POST of `body` (JSON or empty); Ok when the server answers 200.
    fn post(&self, path: &str, body: &str) -> std::io::Result<()> {
        let mut stream = TcpStream::connect_timeout(&self.address, Duration::from_secs(2))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        write!(
            stream,
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.address,
            body.len()
        )?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        if response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200") {
            Ok(())
        } else {
            Err(std::io::Error::other(format!("{path}: {}", response.lines().next().unwrap_or("no answer"))))
        }
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.as_mut() {
            let _ = emulator.kill();
            let _ = emulator.wait();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every value of `secret_values` in a manifest, over all scenarios.
pub(crate) fn secret_values(manifest: &serde_json::Value) -> Vec<String> {
    let mut secrets = Vec::new();
    if let Some(scenarios) = manifest["scenarios"].as_object() {
        for scenario in scenarios.values() {
            for secret in scenario["secret_values"].as_array().into_iter().flatten() {
                if let Some(secret) = secret.as_str() {
                    secrets.push(secret.to_string());
                }
            }
        }
    }
    secrets
}
