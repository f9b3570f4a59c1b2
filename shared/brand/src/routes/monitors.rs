//! Monitor routes: create, list, read, delete, scan, and the scan runs.

use crate::monitors::{Monitor, NewMonitor, validate};
use crate::scan::{Brand, MAX_RUNS, ScanRun, enqueue};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use plasma_gateway::use_case::{UseCase, parse};
use plasma_gateway::{Permission, Principal};
use plasma_http::params::{Params, invalid};
use plasma_http::{ApiJson, Problem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const MONITORS: &str = "/brand/monitors";
pub const MONITOR: &str = "/brand/monitors/{id}";
pub const SCAN: &str = "/brand/monitors/{id}/scan";
pub const SCANS: &str = "/brand/monitors/{id}/scans";

#[derive(Debug, Serialize, ToSchema)]
pub struct MonitorList {
    pub items: Vec<Monitor>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScanStarted {
    pub scan_id: String,
    /// Jobs queued, one per source.
    pub jobs: usize,
}

/// A scan of every source of a monitor, now (`POST /brand/monitors/{id}/scan` on REST).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanRequest {
    /// The monitor's id.
    pub monitor_id: String,
}

impl UseCase for ScanRequest {
    const NAME: &'static str = "brand.scan";
    const TITLE: &'static str = "Scan a monitor now";
    const DESCRIPTION: &'static str =
        "Queues a scan of every source of a brand monitor; mentions arrive as the scan runs.";
    const PERMISSION: Permission = Permission::BrandWrite;
    const ERRORS: &'static [&'static str] = &["invalid_request", "invalid_field", "not_found"];
}

impl ScanRequest {
    pub async fn run(self, brand: &Brand, tenant: &str) -> Result<ScanStarted, Problem> {
        let monitor = monitor(brand, tenant, &self.monitor_id).await?;
        let scan_id = enqueue(brand, tenant, &monitor).await?;
        Ok(ScanStarted {
            scan_id,
            jobs: monitor.sources.len(),
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScanRunList {
    pub items: Vec<ScanRun>,
}

/// The tenant's monitor, or the 404 every monitor route answers (also for other tenants').
pub(super) async fn monitor(brand: &Brand, tenant: &str, id: &str) -> Result<Monitor, Problem> {
    brand
        .monitors()
        .get(tenant, id)
        .await?
        .ok_or_else(|| Problem::not_found(&format!("monitor {id}")))
}

#[utoipa::path(
    post,
    path = MONITORS,
    tag = "brand",
    operation_id = "createMonitor",
    request_body = NewMonitor,
    responses(
        (status = 201, description = "The monitor", body = Monitor),
        (status = 400, description = "An invalid field (`invalid_field` naming it, e.g. a `newsapi` or `x` source's `url` on a host the operator did not allow for the platform's credential); `invalid_query` with `field` and `position` for a query syntax error", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    ApiJson(new): ApiJson<NewMonitor>,
) -> Result<(StatusCode, Json<Monitor>), Problem> {
    let created = validate(
        new,
        brand.egress,
        &brand.settings,
        brand.ids.new_id(),
        brand.clock.now(),
    )?;
    for (i, id) in created.competitors.iter().enumerate() {
        if brand.monitors().get(&who.tenant, id).await?.is_none() {
            return Err(invalid(
                &format!("competitors[{i}]"),
                format!("no monitor {id}"),
            ));
        }
    }
    brand.monitors().create(&who.tenant, &created).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(
    get,
    path = MONITORS,
    tag = "brand",
    operation_id = "listMonitors",
    responses((status = 200, description = "The tenant's monitors, oldest first", body = MonitorList))
)]
pub(super) async fn list(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
) -> Result<Json<MonitorList>, Problem> {
    Ok(Json(MonitorList {
        items: brand.monitors().list(&who.tenant).await?,
    }))
}

#[utoipa::path(
    get,
    path = MONITOR,
    tag = "brand",
    operation_id = "getMonitor",
    params(("id" = String, Path, description = "The monitor's id")),
    responses(
        (status = 200, description = "The monitor", body = Monitor),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn get(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<Monitor>, Problem> {
    Ok(Json(monitor(&brand, &who.tenant, &id).await?))
}

#[utoipa::path(
    delete,
    path = MONITOR,
    tag = "brand",
    operation_id = "deleteMonitor",
    params(("id" = String, Path, description = "The monitor's id")),
    responses(
        (status = 204, description = "Deleted; its mentions and scan runs are no longer reachable"),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn delete(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    if brand.monitors().delete(&who.tenant, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::not_found(&format!("monitor {id}")))
    }
}

#[utoipa::path(
    post,
    path = SCAN,
    tag = "brand",
    operation_id = "scanMonitor",
    params(("id" = String, Path, description = "The monitor's id")),
    responses(
        (status = 202, description = "One job per source was queued; follow it in the scan runs", body = ScanStarted),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn scan(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<ScanStarted>), Problem> {
    let request: ScanRequest = parse(serde_json::json!({ "monitor_id": id }))?;
    let started = request.run(&brand, &who.tenant).await?;
    Ok((StatusCode::ACCEPTED, Json(started)))
}

#[utoipa::path(
    get,
    path = SCANS,
    tag = "brand",
    operation_id = "listScanRuns",
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("limit" = Option<usize>, Query, description = "1 to 50, default 10"),
    ),
    responses(
        (status = 200, description = "Scan runs, newest first, with each source's outcome", body = ScanRunList),
        (status = 400, description = "A bad parameter (`field` names it)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn scans(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ScanRunList>, Problem> {
    let monitor = monitor(&brand, &who.tenant, &id).await?;
    let params = Params::parse(raw, &["limit"])?;
    let limit = params
        .get("limit", &format!("1 to {MAX_RUNS}"), |v| {
            v.parse().ok().filter(|n| (1..=MAX_RUNS).contains(n))
        })?
        .unwrap_or(10);
    Ok(Json(ScanRunList {
        items: brand.runs().list(&who.tenant, &monitor.id, limit).await?,
    }))
}
