//! `POST /content/check`: the compliance check of a text for a channel, against a profile.

use super::invalid;
use crate::Content;
use crate::check::{CheckError, MAX_CHECK_TEXT_BYTES};
use axum::extract::State;
use axum::{Extension, Json};
use plasma_compliance::{Channel, Report};
use plasma_gateway::use_case::{UseCase, Validated};
use plasma_gateway::{Permission, Principal};
use plasma_http::Problem;
use serde::Deserialize;
use utoipa::ToSchema;

pub const CHECK: &str = "/content/check";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    #[schema(schema_with = text)]
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

/// Not blank; the byte limit is the capability's (JSON Schema counts characters, so it is
/// stated in words).
fn text() -> utoipa::openapi::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .min_length(Some(1))
        .description(Some(format!(
            "Not blank; at most {MAX_CHECK_TEXT_BYTES} bytes of UTF-8."
        )))
        .build()
}

impl UseCase for CheckRequest {
    const NAME: &'static str = "content.check";
    const TITLE: &'static str = "Check content for compliance";
    const DESCRIPTION: &'static str =
        "Scores a text for a channel (0-100) against the brand voice, with itemised findings.";
    const PERMISSION: Permission = Permission::ContentRead;
    const ERRORS: &'static [&'static str] = &["invalid_request", "invalid_field", "not_found"];
}

impl CheckRequest {
    pub async fn run(self, content: &Content, tenant: &str) -> Result<Report, Problem> {
        content
            .check_text(
                tenant,
                &self.text,
                self.channel,
                self.profile_id.as_deref(),
                self.citations,
            )
            .await
            .map_err(|e| match e {
                CheckError::InvalidText(why) => invalid("text", why),
                CheckError::NoSuchProfile => Problem::not_found("the profile"),
                CheckError::Port(e) => e.into(),
            })
    }
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
    Validated(request): Validated<CheckRequest>,
) -> Result<Json<Report>, Problem> {
    request.run(&content, &who.tenant).await.map(Json)
}
