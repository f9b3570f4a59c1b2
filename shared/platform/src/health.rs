//! `GET /health`: version, backend, and each adapter's state. 503 when any adapter fails,
//! so load balancers and `plasma serve` users see a broken dependency at once.

use crate::{Platform, housekeeping};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use plasma_core::PortResult;
use serde_json::{Value, json};
use std::future::Future;
use std::time::Duration;

const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

async fn check(fut: impl Future<Output = PortResult<String>>) -> (bool, Value) {
    match tokio::time::timeout(CHECK_TIMEOUT, fut).await {
        Ok(Ok(detail)) => (true, json!({ "status": "ok", "detail": detail })),
        Ok(Err(e)) => (false, json!({ "status": "error", "detail": e.to_string() })),
        Err(_) => (false, json!({ "status": "error", "detail": "timed out" })),
    }
}

pub async fn health(State(p): State<Platform>) -> (StatusCode, Json<Value>) {
    let (items, blobs, queue, bus, scheduler) = tokio::join!(
        check(p.items.health()),
        check(p.blobs.health()),
        check(p.queue.health()),
        check(p.bus.health()),
        check(p.scheduler.health()),
    );
    let checks = [
        ("items", items),
        ("blobs", blobs),
        ("queue", queue),
        ("events", bus),
        ("scheduler", scheduler),
    ];
    let healthy = checks.iter().all(|(_, (ok, _))| *ok);
    let adapters: serde_json::Map<String, Value> = checks
        .into_iter()
        .map(|(name, (_, v))| (name.to_string(), v))
        .collect();
    let housekeeping = housekeeping::last_report(&p).await.ok().flatten();
    let body = json!({
        "status": if healthy { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "backend": p.backend,
        "adapters": adapters,
        "housekeeping": housekeeping,
    });
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}
