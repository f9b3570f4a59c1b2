//! One moto server per test process, started on first use and shared by every test in the
//! binary. Its Python venv is created on demand under `<workspace>/target/moto-venv`.
//!
//! The server is a child whose stdin we hold open for the life of the process: when the test
//! binary exits (or is killed) the pipe closes, the wrapper script sees EOF and exits, so no
//! moto server outlives the tests. Any failure to start panics: AWS cases never skip silently.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sqs::config::Credentials;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Pinned so every machine runs the same emulator (latest on PyPI when the suite was written).
pub const MOTO_VERSION: &str = "5.2.5";
pub const REGION: &str = "us-east-1";
/// The account id moto puts in every ARN.
pub const ACCOUNT_ID: &str = "123456789012";

const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);

/// Binds port 0 so the OS picks a free port, prints it, then serves until stdin closes.
const WRAPPER: &str = r#"
import logging, sys
from moto.server import ThreadedMotoServer
logging.getLogger("werkzeug").setLevel(logging.ERROR)
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdout = sys.stderr
sys.stdin.read()
"#;

struct Server {
    endpoint: String,
    // Never dropped: held so the child's stdin stays open until this process exits.
    _child: Child,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// Base URL of this process's moto server (`http://127.0.0.1:PORT`), starting it if needed.
pub async fn endpoint() -> String {
    let result = tokio::task::spawn_blocking(|| match SERVER.get_or_init(start) {
        Ok(server) => Ok(server.endpoint.clone()),
        Err(e) => Err(e.clone()),
    })
    .await
    .expect("moto start-up thread panicked");
    match result {
        Ok(endpoint) => endpoint,
        Err(e) => panic!("moto server could not start; AWS conformance tests cannot run:\n{e}"),
    }
}

/// SDK configuration for the shared moto server: region us-east-1, static test credentials.
pub async fn sdk_config() -> SdkConfig {
    let endpoint = endpoint().await;
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
        .endpoint_url(endpoint)
        .load()
        .await
}

fn workspace_target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target")
}

fn start() -> Result<Server, String> {
    start_with_env(&[])
}

/// A moto server of its own, for a test that needs it started with `env` (Step Functions'
/// interpreter sends its service calls to `http://localhost:$MOTO_PORT`, so a test can point
/// it at a stand-in Lambda). Stopped when dropped.
pub struct DedicatedMoto {
    pub endpoint: String,
    child: Child,
}

impl Drop for DedicatedMoto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl DedicatedMoto {
    pub async fn start(env: Vec<(String, String)>) -> Self {
        let started = tokio::task::spawn_blocking(move || {
            let env: Vec<(&str, &str)> =
                env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            start_with_env(&env)
        })
        .await
        .expect("moto start-up thread panicked");
        match started {
            Ok(server) => Self {
                endpoint: server.endpoint,
                child: server._child,
            },
            Err(e) => panic!("a dedicated moto server could not start:\n{e}"),
        }
    }

    /// SDK configuration for this server, as [`sdk_config`] gives for the shared one.
    pub async fn sdk_config(&self) -> SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
            .endpoint_url(&self.endpoint)
            .load()
            .await
    }
}

fn start_with_env(env: &[(&str, &str)]) -> Result<Server, String> {
    let target = workspace_target();
    let python = crate::venv::ensure(
        &target,
        "moto-venv",
        &format!("moto[server]=={MOTO_VERSION}"),
    )?;
    prune_old_logs(&target.join("moto-venv"));
    let log_path = target
        .join("moto-venv")
        .join(format!("server-{}.log", std::process::id()));
    let log =
        File::create(&log_path).map_err(|e| format!("creating {}: {e}", log_path.display()))?;
    let mut child = Command::new(&python)
        .args(["-c", WRAPPER])
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("spawning {}: {e}", python.display()))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let fail = |why: String| {
        let log = fs::read_to_string(&log_path).unwrap_or_default();
        format!("{why}\n--- {} ---\n{log}", log_path.display())
    };
    let port = read_port(stdout, STARTUP_TIMEOUT).map_err(|e| fail(e.clone()))?;
    let endpoint = format!("http://127.0.0.1:{port}");
    wait_until_answering(port, STARTUP_TIMEOUT).map_err(fail)?;
    Ok(Server {
        endpoint,
        _child: child,
    })
}

/// Each run leaves a (usually empty) server log; drop empty ones from runs an hour gone.
fn prune_old_logs(venv: &Path) {
    let Ok(entries) = fs::read_dir(venv) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry.metadata().is_ok_and(|m| {
            m.len() == 0
                && m.modified()
                    .is_ok_and(|t| t.elapsed().unwrap_or_default() > Duration::from_secs(3600))
        });
        if stale && entry.file_name().to_string_lossy().starts_with("server-") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Reads the port line on a helper thread so a wedged interpreter cannot hang the tests.
fn read_port(stdout: impl Read + Send + 'static, timeout: Duration) -> Result<u16, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = tx.send(BufReader::new(stdout).read_line(&mut line).map(|_| line));
    });
    match rx.recv_timeout(timeout) {
        Ok(Ok(line)) => line
            .trim()
            .parse()
            .map_err(|_| format!("moto wrapper printed {line:?} instead of a port")),
        Ok(Err(e)) => Err(format!("reading the moto port: {e}")),
        Err(_) => Err(format!("moto did not report its port within {timeout:?}")),
    }
}

fn wait_until_answering(port: u16, timeout: Duration) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    loop {
        let answered = TcpStream::connect(("127.0.0.1", port)).and_then(|mut s| {
            s.set_read_timeout(Some(Duration::from_secs(5)))?;
            s.write_all(b"GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")?;
            let mut head = [0u8; 12];
            s.read_exact(&mut head)?;
            Ok(head.starts_with(b"HTTP/"))
        });
        match answered {
            Ok(true) => return Ok(()),
            _ if Instant::now() > deadline => {
                return Err(format!(
                    "moto on port {port} did not answer HTTP within {timeout:?}"
                ));
            }
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}
