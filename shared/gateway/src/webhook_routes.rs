//! Webhook administration: endpoints, a test event, and the delivery log (where deliveries
//! that failed every attempt stay as the dead-letter record).

use crate::principal::Principal;
use crate::rbac::Permission;
use crate::routes::Api;
use crate::webhooks::{Delivery, Endpoint, NewEndpoint, Webhooks};
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::{Extension, Json};
use plasma_http::{ApiJson, Problem};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, OpenApi, ToSchema};

pub const ENDPOINTS: &str = "/webhooks";
pub const ENDPOINT: &str = "/webhooks/{id}";
pub const TEST: &str = "/webhooks/{id}/test";
pub const DELIVERIES: &str = "/webhooks/{id}/deliveries";

pub fn routes(api: Api, webhooks: Webhooks) -> Api {
    api.route(
        Method::POST,
        ENDPOINTS,
        Permission::Admin,
        create,
        webhooks.clone(),
    )
    .route(
        Method::GET,
        ENDPOINTS,
        Permission::Admin,
        list,
        webhooks.clone(),
    )
    .route(
        Method::DELETE,
        ENDPOINT,
        Permission::Admin,
        delete,
        webhooks.clone(),
    )
    .route(
        Method::POST,
        TEST,
        Permission::Admin,
        send_test,
        webhooks.clone(),
    )
    .route(
        Method::GET,
        DELIVERIES,
        Permission::Admin,
        deliveries,
        webhooks,
    )
}

/// This module's part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(create, list, delete, send_test, deliveries),
    tags((name = "webhooks", description = "Signed outbound webhooks (Standard Webhooks)"))
)]
pub struct WebhookDoc;

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedEndpoint {
    pub endpoint: Endpoint,
    /// `whsec_...`: verify `webhook-signature` with it. Shown this once.
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointList {
    pub items: Vec<Endpoint>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TestSent {
    pub delivery_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryPage {
    pub items: Vec<Delivery>,
    /// Cursor for the next page, absent at the end.
    pub next: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct Page {
    /// 1 to 200, default 50.
    limit: Option<u32>,
    cursor: Option<String>,
}

fn missing(id: &str) -> Problem {
    Problem::not_found(&format!("webhook endpoint {id}"))
}

#[utoipa::path(
    post,
    path = ENDPOINTS,
    tag = "webhooks",
    operation_id = "createWebhookEndpoint",
    request_body = NewEndpoint,
    responses(
        (status = 201, description = "The endpoint, with its signing secret shown this once", body = CreatedEndpoint),
        (status = 400, description = "An invalid field, or a URL outbound calls may not reach", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(w): State<Webhooks>,
    Extension(who): Extension<Principal>,
    ApiJson(new): ApiJson<NewEndpoint>,
) -> Result<(StatusCode, Json<CreatedEndpoint>), Problem> {
    let (endpoint, secret) = w.create_endpoint(&who.tenant, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedEndpoint { endpoint, secret }),
    ))
}

#[utoipa::path(
    get,
    path = ENDPOINTS,
    tag = "webhooks",
    operation_id = "listWebhookEndpoints",
    responses((status = 200, description = "The tenant's endpoints", body = EndpointList))
)]
async fn list(
    State(w): State<Webhooks>,
    Extension(who): Extension<Principal>,
) -> Result<Json<EndpointList>, Problem> {
    Ok(Json(EndpointList {
        items: w.endpoints(&who.tenant).await?,
    }))
}

#[utoipa::path(
    delete,
    path = ENDPOINT,
    tag = "webhooks",
    operation_id = "deleteWebhookEndpoint",
    params(("id" = String, Path, description = "The endpoint's id")),
    responses(
        (status = 204, description = "Deleted; pending deliveries to it fail"),
        (status = 404, description = "No such endpoint", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn delete(
    State(w): State<Webhooks>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    if w.delete_endpoint(&who.tenant, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(missing(&id))
    }
}

#[utoipa::path(
    post,
    path = TEST,
    tag = "webhooks",
    operation_id = "sendTestWebhook",
    params(("id" = String, Path, description = "The endpoint's id")),
    responses(
        (status = 202, description = "A `webhook.test` event was queued", body = TestSent),
        (status = 404, description = "No such endpoint", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn send_test(
    State(w): State<Webhooks>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<TestSent>), Problem> {
    if w.endpoint(&who.tenant, &id).await?.is_none() {
        return Err(missing(&id));
    }
    let payload = json!({ "message": "a test event from Plasma Engine" });
    let delivery_id = w.emit_to(&who.tenant, &id, "webhook.test", payload).await?;
    Ok((StatusCode::ACCEPTED, Json(TestSent { delivery_id })))
}

#[utoipa::path(
    get,
    path = DELIVERIES,
    tag = "webhooks",
    operation_id = "listWebhookDeliveries",
    params(("id" = String, Path, description = "The endpoint's id"), Page),
    responses(
        (status = 200, description = "Deliveries, newest first, with every attempt", body = DeliveryPage),
        (status = 404, description = "No such endpoint", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn deliveries(
    State(w): State<Webhooks>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    page: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<DeliveryPage>, Problem> {
    let Query(page) = page.map_err(|e| Problem::invalid(e.body_text()))?;
    if w.endpoint(&who.tenant, &id).await?.is_none() {
        return Err(missing(&id));
    }
    let limit = page.limit.unwrap_or(50).clamp(1, 200);
    let (items, next) = w.deliveries(&who.tenant, &id, limit, page.cursor).await?;
    Ok(Json(DeliveryPage { items, next }))
}
