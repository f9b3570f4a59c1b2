//! `POST /content/check`: the compliance check of a text for a channel, against a profile.

use super::invalid;
use crate::Content;
use crate::check::CheckError;
use axum::extract::State;
use axum::{Extension, Json};
use plasma_compliance::{Channel, Report};
use plasma_gateway::Principal;
use plasma_http::{ApiJson, Problem};
use serde::Deserialize;
use utoipa::ToSchema;

pub const CHECK: &str = "/content/check";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    pub text: String,
    /// `x` applies the weighted 280-character limit; `linkedin` 3,000 characters; ...
    pub channel: Channel,
    /// Check against this voice profile's rules (its latest version).
    #[serde(default)]
    pub profile_id: Option<String>,
    /// How many sources the text cites (claims without citations are flagged).
    #[serde(default)]
    pub citations: usize,
}

#[utoipa::path(
    post,
    path = CHECK,
    tag = "content",
    operation_id = "checkContent",
    request_body = CheckRequest,
    responses(
        (status = 200, description = "A 0-100 score, itemised findings with spans and suggested fixes, and text statistics", body = Report),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such profile", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn check(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    ApiJson(request): ApiJson<CheckRequest>,
) -> Result<Json<Report>, Problem> {
    content
        .check_text(
            &who.tenant,
            &request.text,
            request.channel,
            request.profile_id.as_deref(),
            request.citations,
        )
        .await
        .map(Json)
        .map_err(|e| match e {
            CheckError::InvalidText(why) => invalid("text", why),
            CheckError::NoSuchProfile => Problem::not_found("the profile"),
            CheckError::Port(e) => e.into(),
        })
}
