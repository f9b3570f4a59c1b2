//! `POST /research/ask`: an answer with numbered citations.

use crate::ask::{Answer, AskMode};
use crate::{Research, limits};
use axum::extract::State;
use axum::{Extension, Json};
use plasma_gateway::use_case::{UseCase, Validated};
use plasma_gateway::{Permission, Principal};
use plasma_http::Problem;
use serde::Deserialize;
use utoipa::ToSchema;

pub const ASK: &str = "/research/ask";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskRequest {
    #[schema(schema_with = limits::question)]
    pub question: String,
    /// `naive` (hybrid retrieval, default), `local` (GraphRAG over the question's entities) or
    /// `global` (graph communities, map-reduce).
    #[serde(default)]
    #[schema(default = "naive")]
    pub mode: AskMode,
    /// Return the context the answer was written from.
    #[serde(default)]
    pub include_context: bool,
}

impl UseCase for AskRequest {
    const NAME: &'static str = "research.ask";
    const TITLE: &'static str = "Ask the knowledge base";
    const DESCRIPTION: &'static str = "An answer with numbered citations to the tenant's documents; mode naive, local (GraphRAG) or global.";
    const PERMISSION: Permission = Permission::ResearchRead;
    const ERRORS: &'static [&'static str] = &["invalid_request", "invalid_field"];
}

impl AskRequest {
    pub async fn run(self, research: &Research, tenant: &str) -> Result<Answer, Problem> {
        Ok(crate::ask::ask(
            research,
            tenant,
            &self.question,
            self.mode,
            self.include_context,
        )
        .await?)
    }
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
    Validated(request): Validated<AskRequest>,
) -> Result<Json<Answer>, Problem> {
    Ok(Json(request.run(&research, &who.tenant).await?))
}
