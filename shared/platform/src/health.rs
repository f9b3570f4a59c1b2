//! `GET /health` and GraphQL's `health`: version, backend, and each adapter's state. 503 when
//! any adapter fails, so load balancers and `plasma serve` users see a broken dependency at once.

use crate::Platform;
use crate::housekeeping::{self, Report};
use async_graphql::{Context, Object, SimpleObject};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use plasma_core::PortResult;
use serde::Serialize;
use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;
use utoipa::ToSchema;

const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Serialize, ToSchema, SimpleObject)]
pub struct Health {
    /// `ok`, or `degraded` when any adapter failed.
    pub status: String,
    pub version: String,
    /// `embedded` or `aws`.
    pub backend: String,
    /// By adapter: items, blobs, queue, events, scheduler.
    pub adapters: BTreeMap<String, Check>,
    /// The last housekeeping run, once there was one.
    pub housekeeping: Option<Report>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Check {
    /// `ok` or `error`.
    pub status: String,
    pub detail: String,
}

async fn check(fut: impl Future<Output = PortResult<String>>) -> Check {
    let (status, detail) = match tokio::time::timeout(CHECK_TIMEOUT, fut).await {
        Ok(Ok(detail)) => ("ok", detail),
        Ok(Err(e)) => ("error", e.to_string()),
        Err(_) => ("error", "timed out".to_string()),
    };
    Check {
        status: status.into(),
        detail,
    }
}

pub async fn report(p: &Platform) -> Health {
    let (items, blobs, queue, bus, scheduler, secrets) = tokio::join!(
        check(p.items.health()),
        check(p.blobs.health()),
        check(p.queue.health()),
        check(p.bus.health()),
        check(p.scheduler.health()),
        check(p.cipher.health()),
    );
    let adapters = BTreeMap::from([
        ("items".to_string(), items),
        ("blobs".to_string(), blobs),
        ("queue".to_string(), queue),
        ("events".to_string(), bus),
        ("scheduler".to_string(), scheduler),
        ("secrets".to_string(), secrets),
    ]);
    let healthy = adapters.values().all(|c| c.status == "ok");
    Health {
        status: if healthy { "ok" } else { "degraded" }.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        backend: p.backend.into(),
        adapters,
        housekeeping: housekeeping::last_report(p).await.ok().flatten(),
    }
}

/// The platform's health.
#[utoipa::path(
    get,
    path = "/health",
    tag = "platform",
    operation_id = "health",
    responses(
        (status = 200, description = "Every adapter answers", body = Health),
        (status = 503, description = "An adapter failed", body = Health),
    )
)]
pub async fn health(State(p): State<Platform>) -> (StatusCode, Json<Health>) {
    let health = report(&p).await;
    let status = if health.status == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(health))
}

#[derive(Default)]
pub struct HealthQuery;

#[Object]
impl HealthQuery {
    /// The same document as `GET /health`.
    async fn health(&self, ctx: &Context<'_>) -> async_graphql::Result<Health> {
        Ok(report(ctx.data::<Platform>()?).await)
    }
}
