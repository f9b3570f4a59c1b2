//! Publishing destinations: credentials per connector, stored encrypted, never returned.

use super::invalid;
use crate::Content;
use crate::credentials::DestinationInfo;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use plasma_gateway::Principal;
use plasma_http::{ApiJson, Problem};
use plasma_publishing::{Connectors, Credentials};
use serde::Serialize;
use utoipa::ToSchema;

pub const DESTINATIONS: &str = "/content/destinations";
pub const DESTINATION: &str = "/content/destinations/{destination}";

#[derive(Debug, Serialize, ToSchema)]
pub struct DestinationList {
    pub items: Vec<DestinationInfo>,
}

fn known(destination: &str) -> Result<(), Problem> {
    if Connectors::CHANNELS.contains(&destination) {
        Ok(())
    } else {
        Err(
            Problem::not_found(&format!("the destination {destination:?}"))
                .with("allowed", Connectors::CHANNELS.to_vec()),
        )
    }
}

#[utoipa::path(
    get,
    path = DESTINATIONS,
    tag = "content",
    operation_id = "listDestinations",
    responses((status = 200, description = "Configured destinations: which credential fields are set, never their values", body = DestinationList))
)]
pub(super) async fn list(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
) -> Result<Json<DestinationList>, Problem> {
    Ok(Json(DestinationList {
        items: content.destinations(&who.tenant).await?,
    }))
}

#[utoipa::path(
    put,
    path = DESTINATION,
    tag = "content",
    operation_id = "putDestination",
    params(("destination" = String, Path, description = "`webhook`, `wordpress`, `linkedin`, `x`, `mastodon` or `medium`")),
    request_body(content = Credentials, description = "Credentials: `token`, `username`, `password`, `account` (LinkedIn author URN, X user id, Medium user id), `secret` (webhook signing secret), `base_url` (WordPress site, Mastodon instance, webhook URL)"),
    responses(
        (status = 200, description = "Stored, encrypted; the response names the fields only", body = DestinationInfo),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such destination", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn put(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(destination): Path<String>,
    ApiJson(credentials): ApiJson<Credentials>,
) -> Result<Json<DestinationInfo>, Problem> {
    known(&destination)?;
    if let Some(url) = &credentials.base_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(invalid("base_url", "must be an http(s) URL"));
    }
    if serde_json::to_vec(&credentials).map_or(0, |v| v.len()) > plasma_core::MAX_SECRET_BYTES {
        return Err(invalid("credentials", "are too large"));
    }
    Ok(Json(
        content
            .set_credentials(&who.tenant, &who.subject, &destination, &credentials)
            .await?,
    ))
}

#[utoipa::path(
    delete,
    path = DESTINATION,
    tag = "content",
    operation_id = "deleteDestination",
    params(("destination" = String, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "Not configured", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn delete(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(destination): Path<String>,
) -> Result<StatusCode, Problem> {
    known(&destination)?;
    if content
        .remove_credentials(&who.tenant, &destination)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::not_found("the destination's credentials"))
    }
}
