//! Starting a throwaway headless Chromium and finding its DevTools endpoint.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// A running browser with its own profile directory. Dropping it kills the process; call
/// [`Chromium::shutdown`] to also wait for it before the profile is removed.
pub(crate) struct Chromium {
    child: Child,
    /// The browser-level DevTools websocket, `ws://127.0.0.1:<port>/devtools/browser/<id>`.
    pub(crate) ws_url: String,
    // Declared after `child` so it is removed only once the process is gone.
    _profile: tempfile::TempDir,
}

impl Chromium {
    pub(crate) async fn launch(binary: &Path, within: Duration) -> Result<Self, String> {
        let profile = tempfile::Builder::new()
            .prefix("plasma-chromium-")
            .tempdir()
            .map_err(|e| format!("creating the browser profile directory failed: {e}"))?;
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--mute-audio",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            // Unread pipes would fill and stall the browser; the port comes from a file.
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("starting {} failed: {e}", binary.display()))?;

        // Chromium writes "<port>\n<path>" once DevTools listens; the file appears before it is
        // complete, so wait for both lines.
        let port_file = profile.path().join("DevToolsActivePort");
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Ok(contents) = tokio::fs::read_to_string(&port_file).await {
                let mut lines = contents.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next())
                    && let Ok(port) = port.trim().parse::<u16>()
                    && path.starts_with('/')
                {
                    return Ok(Self {
                        child,
                        ws_url: format!("ws://127.0.0.1:{port}{}", path.trim()),
                        _profile: profile,
                    });
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("{} exited at start ({status})", binary.display()));
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(format!(
                    "{} did not open its DevTools port within {within:?}",
                    binary.display()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub(crate) async fn shutdown(mut self) {
        let _ = self.child.kill().await;
    }
}
