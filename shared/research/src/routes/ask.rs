//! `POST /research/ask`: an answer with numbered citations.

use crate::ask::{Answer, AskMode};
use crate::{Research, limits};
use axum::extract::State;
use axum::{Extension, Json};
use plasma_gateway::Principal;
use plasma_http::{ApiJson, Problem};
use serde::Deserialize;
use utoipa::ToSchema;

pub const ASK: &str = "/research/ask";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskRequest {
    pub question: String,
    /// `naive` (hybrid retrieval, default), `local` (GraphRAG over the question's entities) or
    /// `global` (graph communities, map-reduce).
    #[serde(default)]
    pub mode: AskMode,
    /// Return the context the answer was written from.
    #[serde(default)]
    pub include_context: bool,
}

#[utoipa::path(
    post,
    path = ASK,
    tag = "research",
    operation_id = "ask",
    request_body = AskRequest,
    responses(
        (status = 200, description = "The answer, its citations (chunk ids and document titles) and the provider that wrote it", body = Answer),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn ask(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    ApiJson(request): ApiJson<AskRequest>,
) -> Result<Json<Answer>, Problem> {
    limits::question("question", &request.question)?;
    Ok(Json(
        crate::ask::ask(
            &research,
            &who.tenant,
            &request.question,
            request.mode,
            request.include_context,
        )
        .await?,
    ))
}
