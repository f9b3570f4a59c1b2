//! The `plasma` binary as a user runs it: `plasma serve` answers health, stops cleanly on
//! SIGTERM, and after `kill -9` and a restart finishes the work that was queued or scheduled
//! while it was down; `plasma token` mints tokens the server accepts.

use chrono::{Duration, Utc};
use plasma_core::{Event, OneTimeSchedule, SystemClock, UuidV7Ids};
use plasma_gateway::audit::{self, AuditEvent};
use plasma_platform::{Platform, topology};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

struct Serve {
    child: Child,
    url: String,
}

/// A failing test must not leave a server running.
impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `plasma serve` on a free port and wait for it to say where it listens.
fn serve(data_dir: &Path) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plasma"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("PLASMA_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("plasma serve starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout
        .read_line(&mut first)
        .expect("plasma serve prints its address");
    // Keep draining, as a terminal would.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    Serve { child, url }
}

fn token(data_dir: &Path, tenant: &str, role: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_plasma"))
        .args([
            "--data-dir",
            data_dir.to_str().unwrap(),
            "token",
            "--tenant",
            tenant,
            "--role",
            role,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

async fn get(url: &str, bearer: Option<&str>) -> (u16, Value) {
    plasma_http::outbound::install_crypto_provider();
    let mut req = reqwest::Client::new().get(url);
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.expect("request reaches plasma serve");
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn serve_answers_health_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = serve(dir.path());
    let (status, body) = get(&format!("{}/health", s.url), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ok");

    let pid = s.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::task::spawn_blocking(move || s.child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

#[tokio::test]
async fn work_queued_or_scheduled_while_down_is_done_after_a_crash_and_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = serve(dir.path());
    s.child.kill().unwrap(); // SIGKILL: no chance to clean up
    s.child.wait().unwrap();

    // While the runner is down, an event is published and a one-time schedule falls due.
    let now = Utc::now();
    let entry = |request_id: &str| AuditEvent {
        tenant: "acme".into(),
        actor: "offline-writer".into(),
        action: "test".into(),
        resource: request_id.into(),
        outcome: "success".into(),
        request_id: request_id.into(),
        at: now,
    };
    {
        let p = Platform::embedded(
            plasma_platform::EmbeddedRuntime {
                data_dir: dir.path().to_owned(),
                public_url: "http://unused".into(),
                clock: Arc::new(SystemClock),
                ids: Arc::new(UuidV7Ids),
            },
            plasma_platform::Settings::default(),
        )
        .unwrap();
        audit::publish(p.ports.bus.as_ref(), &entry("queued-while-down"))
            .await
            .unwrap();
        let envelope = plasma_core::EventEnvelope::local(
            "late-schedule-event".into(),
            now,
            &Event::new(
                audit::SOURCE,
                audit::DETAIL_TYPE,
                serde_json::to_value(entry("scheduled-while-down")).unwrap(),
            ),
        );
        let schedule = OneTimeSchedule {
            name: "late-one".into(),
            at: now - Duration::minutes(5),
            queue: topology::JOBS.into(),
            body: serde_json::to_string(&envelope).unwrap(),
        };
        p.ports.scheduler.schedule_once(schedule).await.unwrap();
    }

    let mut s = serve(dir.path());
    let admin = token(dir.path(), "acme", "admin");
    let url = format!("{}/admin/audit?actor=offline-writer", s.url);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let ids = loop {
        let (status, body) = get(&url, Some(&admin)).await;
        assert_eq!(status, 200, "{body}");
        let mut ids: Vec<String> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["request_id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        if ids.len() >= 2 || std::time::Instant::now() > deadline {
            break ids;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(ids, vec!["queued-while-down", "scheduled-while-down"]);
    s.child.kill().unwrap();
    s.child.wait().unwrap();
}

#[test]
fn token_refuses_unknown_roles_and_bad_tenants() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_plasma"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["token", "--tenant", "acme", "--role", "wizard"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));
    let out = run(&["token", "--tenant", "a#b", "--role", "admin"]);
    assert!(!out.status.success());
    let out = run(&[
        "token", "--tenant", "acme", "--role", "admin", "--ttl", "2h",
    ]);
    assert!(out.status.success());
    let jwt = String::from_utf8(out.stdout).unwrap();
    assert_eq!(jwt.trim().split('.').count(), 3, "a compact JWT");
}
