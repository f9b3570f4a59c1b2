//! Administration routes: API keys and the audit log.

use crate::Gateway;
use crate::api_keys::{ApiKey, NewKey};
use crate::principal::Principal;
use crate::rbac::Permission;
use crate::routes::Api;
use axum::Extension;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use plasma_http::{ApiJson, Problem};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

pub fn routes(api: Api) -> Api {
    let gw = api.gateway().clone();
    api.route(
        Method::POST,
        "/admin/api-keys",
        Permission::Admin,
        create_key,
        gw.clone(),
    )
    .route(
        Method::GET,
        "/admin/api-keys",
        Permission::Admin,
        list_keys,
        gw.clone(),
    )
    .route(
        Method::DELETE,
        "/admin/api-keys/{id}",
        Permission::Admin,
        revoke_key,
        gw.clone(),
    )
    .route(
        Method::GET,
        "/admin/audit",
        Permission::Admin,
        query_audit,
        gw,
    )
}

async fn create_key(
    State(gw): State<Arc<Gateway>>,
    Extension(who): Extension<Principal>,
    ApiJson(new): ApiJson<NewKey>,
) -> Result<Response, Problem> {
    let (key, secret) = gw.keys.create(&who.tenant, &who.subject, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "key": key, "secret": secret })),
    )
        .into_response())
}

async fn list_keys(
    State(gw): State<Arc<Gateway>>,
    Extension(who): Extension<Principal>,
) -> Result<Json<serde_json::Value>, Problem> {
    let items: Vec<ApiKey> = gw.keys.list(&who.tenant).await?;
    Ok(Json(json!({ "items": items })))
}

async fn revoke_key(
    State(gw): State<Arc<Gateway>>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    if gw.keys.revoke(&who.tenant, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::not_found(&format!("API key {id}")))
    }
}

#[derive(Debug, Deserialize)]
struct AuditQuery {
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    actor: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

async fn query_audit(
    State(gw): State<Arc<Gateway>>,
    Extension(who): Extension<Principal>,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<serde_json::Value>, Problem> {
    let Query(q) = query.map_err(|e| Problem::invalid(e.body_text()))?;
    let to = q.to.unwrap_or_else(|| gw.clock.now());
    let from = q.from.unwrap_or(to - Duration::days(30));
    if from > to {
        return Err(Problem::invalid("from must not be after to").with("field", "from"));
    }
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    let (items, next) = gw
        .audit_log
        .query(&who.tenant, from, to, q.actor.as_deref(), limit, q.cursor)
        .await?;
    Ok(Json(json!({ "items": items, "next": next })))
}
