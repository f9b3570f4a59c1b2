//! `POST /research/search`: BM25, vector or hybrid search over the tenant's chunks.

use crate::search::SearchResult;
use crate::{Research, limits};
use axum::extract::State;
use axum::{Extension, Json};
use plasma_core::{Fusion, SearchFilters, SearchMode};
use plasma_gateway::Principal;
use plasma_http::params::invalid;
use plasma_http::{ApiJson, Problem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const SEARCH: &str = "/research/search";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchBody {
    pub query: String,
    /// `bm25`, `vector` or `hybrid` (default).
    #[serde(default)]
    #[schema(value_type = String)]
    pub mode: SearchMode,
    /// 1–100, default 10.
    pub top_k: Option<usize>,
    /// `document_ids`, `tags` (any of), `from` and `to` (document date, RFC 3339).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub filters: SearchFilters,
    /// Hybrid ranking: `{"method": "rrf", "k": 60, "bm25_weight": 1, "vector_weight": 1}`
    /// (default) or `{"method": "linear", "bm25_weight": .., "vector_weight": ..}`.
    #[schema(value_type = Option<Object>)]
    pub fusion: Option<Fusion>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    pub results: Vec<SearchResult>,
}

#[utoipa::path(
    post,
    path = SEARCH,
    tag = "research",
    operation_id = "search",
    request_body = SearchBody,
    responses(
        (status = 200, description = "Chunks, best first, with their document's metadata and highlights (character ranges of the text)", body = SearchResponse),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The index was built with another embedding model (`conflict`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn search(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    ApiJson(body): ApiJson<SearchBody>,
) -> Result<Json<SearchResponse>, Problem> {
    limits::query("query", &body.query)?;
    let top_k = limits::top_k("top_k", body.top_k)?;
    if let (Some(from), Some(to)) = (body.filters.from, body.filters.to)
        && from >= to
    {
        return Err(invalid("filters.to", "must be after filters.from"));
    }
    if let Some(Fusion::Rrf { k, .. }) = body.fusion
        && k <= 0.0
    {
        return Err(invalid("fusion.k", "must be positive"));
    }
    let results = crate::search::search(
        &research,
        &who.tenant,
        &body.query,
        body.mode,
        top_k,
        body.filters,
        body.fusion,
    )
    .await?;
    Ok(Json(SearchResponse { results }))
}
