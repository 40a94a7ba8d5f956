//! A moto server for the tests: started on a free loopback port, reset and seeded with the
//! scenarios of `tests/moto/seed.py`, stopped when dropped.
//!
//! moto and the seeder's boto3 come from one Python virtualenv: `EDGE_AUDIT_MOTO` (the path of its
//! `moto_server`), else `EDGE_AUDIT_VENV` (the venv directory, as `scripts/test` exports it), else
//! `.venv` in the project root. Create it with
//! `python3 -m venv .venv && .venv/bin/pip install -r tests/moto/requirements.txt`.

use super::root;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
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

/// A running moto server, killed on drop.
pub(crate) struct MotoServer {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    address: SocketAddr,
    python: PathBuf,
    child: Child,
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
        let mut server = Self { endpoint: format!("http://{address}"), address, python, child };
        let started = Instant::now();
        loop {
            if server.post("/moto-api/reset").is_ok() {
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

    /// The venv's python (it has boto3, and PyYAML through moto): for tests that change the
    /// seeded account or read the action's YAML.
    pub(crate) fn python(&self) -> &std::path::Path {
        &self.python
    }

    /// Forgets every resource (`POST /moto-api/reset`).
    pub(crate) fn reset(&self) {
        self.post("/moto-api/reset").unwrap_or_else(|e| panic!("moto reset failed: {e}"));
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

    /// A bodiless POST; Ok when moto answers 200.
    fn post(&self, path: &str) -> std::io::Result<()> {
        let mut stream = TcpStream::connect_timeout(&self.address, Duration::from_secs(2))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        write!(
            stream,
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.address
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
