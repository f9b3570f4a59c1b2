//! Administration: API keys and the audit log. The REST routes here and the GraphQL fields in
//! [`crate::graphql`] call the same functions, so both APIs answer alike.

use crate::Gateway;
use crate::api_keys::{ApiKey, NewKey};
use crate::audit::AuditEvent;
use crate::principal::Principal;
use crate::rbac::Permission;
use crate::routes::Api;
use async_graphql::SimpleObject;
use axum::Extension;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use plasma_http::{ApiJson, Problem};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, OpenApi, ToSchema};

pub const KEYS: &str = "/admin/api-keys";
pub const KEY: &str = "/admin/api-keys/{id}";
pub const AUDIT: &str = "/admin/audit";

pub fn routes(api: Api) -> Api {
    let gw = api.gateway().clone();
    api.route(Method::POST, KEYS, Permission::Admin, post_key, gw.clone())
        .route(Method::GET, KEYS, Permission::Admin, get_keys, gw.clone())
        .route(
            Method::DELETE,
            KEY,
            Permission::Admin,
            delete_key,
            gw.clone(),
        )
        .route(Method::GET, AUDIT, Permission::Admin, get_audit, gw)
}

/// This module's part of the OpenAPI document; the platform merges it with the others and
/// adds each route's permission and security from the route table.
#[derive(OpenApi)]
#[openapi(
    paths(post_key, get_keys, delete_key, get_audit),
    tags((name = "admin", description = "API keys and the audit log"))
)]
pub struct AdminDoc;

#[derive(Debug, Clone, Serialize, ToSchema, SimpleObject)]
pub struct CreatedKey {
    pub key: ApiKey,
    /// The secret to send as `x-api-key`; it is never shown again.
    pub secret: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyList {
    pub items: Vec<ApiKey>,
}

#[derive(Debug, Clone, Serialize, ToSchema, SimpleObject)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEvent>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// RFC 3339; 30 days before `to` when absent.
    pub from: Option<DateTime<Utc>>,
    /// RFC 3339; now when absent.
    pub to: Option<DateTime<Utc>>,
    /// Only this actor's entries.
    pub actor: Option<String>,
    /// 1 to 500; 50 when absent.
    pub limit: Option<u32>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

pub async fn create_key(gw: &Gateway, who: &Principal, new: NewKey) -> Result<CreatedKey, Problem> {
    let (key, secret) = gw.keys.create(&who.tenant, &who.subject, new).await?;
    Ok(CreatedKey { key, secret })
}

pub async fn list_keys(gw: &Gateway, who: &Principal) -> Result<Vec<ApiKey>, Problem> {
    Ok(gw.keys.list(&who.tenant).await?)
}

pub async fn revoke_key(gw: &Gateway, who: &Principal, id: &str) -> Result<(), Problem> {
    if gw.keys.revoke(&who.tenant, id).await? {
        Ok(())
    } else {
        Err(Problem::not_found(&format!("API key {id}")))
    }
}

/// The page a query asks for, with the defaults and bounds both APIs share.
pub async fn audit_page(
    gw: &Gateway,
    who: &Principal,
    q: AuditQuery,
) -> Result<AuditPage, Problem> {
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
    Ok(AuditPage { items, next })
}

/// Create an API key.
#[utoipa::path(
    post,
    path = KEYS,
    tag = "admin",
    operation_id = "createApiKey",
    request_body = NewKey,
    responses(
        (status = 201, description = "The key, with its secret shown this once", body = CreatedKey),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn post_key(
    State(gw): State<Arc<Gateway>>,
    Extension(who): Extension<Principal>,
    ApiJson(new): ApiJson<NewKey>,
) -> Result<(StatusCode, Json<CreatedKey>), Problem> {
    Ok((StatusCode::CREATED, Json(create_key(&gw, &who, new).await?)))
}

/// The tenant's API keys, without their secrets.
#[utoipa::path(
    get,
    path = KEYS,
    tag = "admin",
    operation_id = "listApiKeys",
    responses((status = 200, description = "Every key, revoked ones included", body = KeyList))
)]
async fn get_keys(
    State(gw): State<Arc<Gateway>>,
    Extension(who): Extension<Principal>,
) -> Result<Json<KeyList>, Problem> {
    Ok(Json(KeyList {
        items: list_keys(&gw, &who).await?,
    }))
}

/// Revoke an API key; it stops authenticating at once.
#[utoipa::path(
    delete,
    path = KEY,
    tag = "admin",
    operation_id = "revokeApiKey",
    params(("id" = String, Path, description = "The key's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "The tenant has no such key", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn delete_key(
    State(gw): State<Arc<Gateway>>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    revoke_key(&gw, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The tenant's audit log, newest first.
#[utoipa::path(
    get,
    path = AUDIT,
    tag = "admin",
    operation_id = "auditLog",
    params(AuditQuery),
    responses(
        (status = 200, description = "One page of entries", body = AuditPage),
        (status = 400, description = "An invalid parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get_audit(
    State(gw): State<Arc<Gateway>>,
    Extension(who): Extension<Principal>,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditPage>, Problem> {
    let Query(q) = query.map_err(|e| Problem::invalid(e.body_text()))?;
    Ok(Json(audit_page(&gw, &who, q).await?))
}
