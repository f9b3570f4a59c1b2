//! `GET /health`, `GET /admin/health` and GraphQL's `health`. Anyone may ask whether the
//! platform is up (`status`; 503 when any adapter fails, so load balancers see a broken
//! dependency at once); the details — version, backend, each adapter's state with resource
//! names, queue depths and dead letters — tell an attacker what runs where, so they need
//! `admin:*`.

use crate::Platform;
use crate::housekeeping::{self, Report};
use async_graphql::{Context, Guard, Object, SimpleObject};
use axum::Json;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use plasma_core::PortResult;
use plasma_gateway::Permission;
use plasma_gateway::graphql::authorize;
use serde::Serialize;
use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;
use utoipa::ToSchema;

const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// The route with the details, for the permission check and audit of GraphQL's fields.
pub const ADMIN_HEALTH: &str = "/admin/health";

/// What anyone may know: whether the platform is up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Status {
    /// `ok`, or `degraded` when any adapter failed.
    pub status: String,
}

/// The details; in GraphQL every field but `status` needs `admin:*`.
#[derive(Debug, Clone, Serialize, ToSchema, SimpleObject)]
pub struct Health {
    /// `ok`, or `degraded` when any adapter failed.
    pub status: String,
    #[graphql(guard = "AdminOnly")]
    pub version: String,
    /// `embedded` or `aws`.
    #[graphql(guard = "AdminOnly")]
    pub backend: String,
    /// By adapter: items, blobs, queue, events, scheduler.
    #[graphql(guard = "AdminOnly")]
    pub adapters: BTreeMap<String, Check>,
    /// The last housekeeping run, once there was one.
    #[graphql(guard = "AdminOnly")]
    pub housekeeping: Option<Report>,
}

/// The permission `GET /admin/health` needs, checked and audited as for any field.
struct AdminOnly;

impl Guard for AdminOnly {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let route = ADMIN_HEALTH;
        authorize(ctx, Permission::Admin, Method::GET, route, route)
            .await
            .map(drop)
    }
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
        check(p.ports.items.health()),
        check(p.ports.blobs.health()),
        check(p.ports.queue.health()),
        check(p.ports.bus.health()),
        check(p.ports.scheduler.health()),
        check(p.ports.cipher.health()),
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
        backend: p.ports.backend.into(),
        adapters,
        housekeeping: housekeeping::last_report(p).await.ok().flatten(),
    }
}

fn status_code(health: &Health) -> StatusCode {
    if health.status == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    }
}

/// Whether the platform is up.
#[utoipa::path(
    get,
    path = "/health",
    tag = "platform",
    operation_id = "health",
    responses(
        (status = 200, description = "Every adapter answers", body = Status),
        (status = 503, description = "An adapter failed", body = Status),
    )
)]
pub async fn health(State(p): State<Platform>) -> (StatusCode, Json<Status>) {
    let health = report(&p).await;
    let status = Status {
        status: health.status.clone(),
    };
    (status_code(&health), Json(status))
}

/// The platform's health in detail: version, backend, each adapter and the last
/// housekeeping run (queue depths, dead letters).
#[utoipa::path(
    get,
    path = ADMIN_HEALTH,
    tag = "admin",
    operation_id = "adminHealth",
    responses(
        (status = 200, description = "Every adapter answers", body = Health),
        (status = 503, description = "An adapter failed", body = Health),
    )
)]
pub async fn details(State(p): State<Platform>) -> (StatusCode, Json<Health>) {
    let health = report(&p).await;
    (status_code(&health), Json(health))
}

#[derive(Default)]
pub struct HealthQuery;

#[Object]
impl HealthQuery {
    /// The same document as `GET /admin/health`; anyone may read `status`, the other fields
    /// need `admin:*`.
    async fn health(&self, ctx: &Context<'_>) -> async_graphql::Result<Health> {
        Ok(report(ctx.data::<Platform>()?).await)
    }
}
