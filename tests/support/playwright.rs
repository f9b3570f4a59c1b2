//! End-to-end browser scenarios: `playwright-core` pinned and installed once under the cargo
//! target directory (no browser download; the system Chromium is driven), and a runner for the
//! node scripts in `tests/e2e/`, which print one JSON line `{"ok", "problems", "result"}` (see
//! `tests/e2e/harness.mjs` and `tests/e2e/README.md`). Without node and npm the scenarios fail
//! with a message saying so rather than skip.

use serde_json::Value;
use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::OnceLock;
use std::time::Duration;

/// Pinned so every machine drives the browser with the same client.
pub const PLAYWRIGHT_VERSION: &str = "1.64.1";

/// A scenario that takes longer than this is killed and the test fails.
const TIMEOUT: Duration = Duration::from_secs(600);

const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

static INSTALLED: OnceLock<Result<PathBuf, String>> = OnceLock::new();

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `tests/e2e/<name>`: where scenarios and the harness live.
pub fn e2e_script(name: &str) -> PathBuf {
    workspace().join("tests").join("e2e").join(name)
}

/// `CARGO_TARGET_DIR` (a relative one taken from the workspace root) or `<workspace>/target`.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        Some(dir) => workspace().join(dir),
        None => workspace().join("target"),
    }
}

/// Installs the pinned `playwright-core` under `<target>/playwright` unless a previous run did
/// (once per process; a lock file keeps test processes running at once from installing over
/// each other) and returns that prefix, whose `node_modules` holds the package.
pub fn ensure() -> Result<PathBuf, String> {
    INSTALLED.get_or_init(install).clone()
}

fn install() -> Result<PathBuf, String> {
    let target = target_dir();
    let dir = target.join("playwright");
    let marker = dir.join(format!(".installed-{PLAYWRIGHT_VERSION}"));
    fs::create_dir_all(&target).map_err(|e| format!("creating {}: {e}", target.display()))?;
    let lock_path = target.join("playwright.lock");
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("opening {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("locking {}: {e}", lock_path.display()))?;
    // Checked even when installed: the scenarios are node scripts.
    run_checked(Command::new("node").arg("--version"))
        .map_err(|e| format!("node is missing (install Node.js 20 or later, with npm): {e}"))?;
    if marker.exists() {
        return Ok(dir);
    }
    // A half-done install (interrupted, other version) starts over.
    let _ = fs::remove_dir_all(&dir);
    run_checked(
        Command::new("npm")
            .args([
                "install",
                "--prefix",
                &dir.to_string_lossy(),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                &format!("playwright-core@{PLAYWRIGHT_VERSION}"),
            ])
            // The system Chromium is used; never fetch Playwright's own builds.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )?;
    let package = dir.join("node_modules/playwright-core/package.json");
    if !package.exists() {
        return Err(format!(
            "npm install finished but {} is missing",
            package.display()
        ));
    }
    fs::write(&marker, b"").map_err(|e| format!("writing {}: {e}", marker.display()))?;
    Ok(dir)
}

fn run_checked(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("running {command:?}: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(text)
    } else {
        Err(format!(
            "{command:?} exited with {}:\n{text}",
            output.status
        ))
    }
}

/// What a finished scenario script left behind.
#[derive(Debug)]
pub struct Scenario {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Scenario {
    /// The harness's report: the last stdout line that parses as a JSON object.
    pub fn result(&self) -> Value {
        self.stdout
            .lines()
            .rev()
            .find_map(|line| {
                serde_json::from_str::<Value>(line.trim())
                    .ok()
                    .filter(Value::is_object)
            })
            .unwrap_or_else(|| panic!("no JSON line from the scenario:\n{}", self.describe()))
    }

    /// Panics with the whole output unless the script exited 0 and reported `"ok": true`;
    /// returns the scenario's own `result`.
    pub fn assert_ok(&self) -> Value {
        let report = self.result();
        if !self.status.success() || report["ok"] != Value::Bool(true) {
            panic!("the scenario failed:\n{}", self.describe());
        }
        report["result"].clone()
    }

    pub fn describe(&self) -> String {
        format!(
            "exit {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

/// Runs `node <script>` (a relative path is taken from the workspace root, which is also the
/// working directory) with playwright-core on `NODE_PATH`, `PLASMA_CHROMIUM_PATH` passed through
/// (or `/usr/bin/chromium` when that exists) and `env` on top, e.g. `BASE_URL` and
/// `SCREENSHOT_DIR`. Installs playwright-core first if needed; panics if that fails or the
/// script runs longer than 10 minutes (it is killed).
pub async fn run(script: &Path, env: &[(&str, String)]) -> Scenario {
    let prefix = tokio::task::spawn_blocking(ensure)
        .await
        .expect("the playwright-core install panicked")
        .unwrap_or_else(|why| panic!("playwright-core is needed for the e2e scenarios: {why}"));
    let root = workspace();
    let script = if script.is_relative() {
        root.join(script)
    } else {
        script.to_path_buf()
    };
    let mut command = tokio::process::Command::new("node");
    command
        .arg(&script)
        .current_dir(&root)
        .env("NODE_PATH", prefix.join("node_modules"))
        .kill_on_drop(true);
    match std::env::var_os("PLASMA_CHROMIUM_PATH") {
        Some(path) => {
            command.env("PLASMA_CHROMIUM_PATH", path);
        }
        None if Path::new(DEFAULT_CHROMIUM).exists() => {
            command.env("PLASMA_CHROMIUM_PATH", DEFAULT_CHROMIUM);
        }
        None => {}
    }
    for (key, value) in env {
        command.env(key, value);
    }
    let output = tokio::time::timeout(TIMEOUT, command.output())
        .await
        .unwrap_or_else(|_| {
            panic!(
                "{} did not finish within {} s",
                script.display(),
                TIMEOUT.as_secs()
            )
        })
        .unwrap_or_else(|e| panic!("running node {}: {e}", script.display()));
    Scenario {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
