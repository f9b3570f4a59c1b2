//! `POST /research/search`: BM25, vector or hybrid search over the tenant's chunks.

use crate::search::SearchResult;
use crate::{Research, limits};
use axum::extract::State;
use axum::{Extension, Json};
use plasma_core::{Fusion, SearchFilters, SearchMode};
use plasma_gateway::use_case::{UseCase, Validated};
use plasma_gateway::{Permission, Principal};
use plasma_http::Problem;
use plasma_http::params::invalid;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const SEARCH: &str = "/research/search";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchBody {
    #[schema(schema_with = limits::query)]
    pub query: String,
    #[serde(default)]
    #[schema(schema_with = mode)]
    pub mode: SearchMode,
    #[schema(schema_with = limits::top_k)]
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

/// The modes, as [`SearchMode`] reads them (plasma-core's type carries no schema).
const MODES: [&str; 3] = ["bm25", "vector", "hybrid"];

fn mode() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(MODES))
        .default(serde_json::to_value(SearchMode::default()).ok())
        .description(Some("`bm25`, `vector` or `hybrid` (default)."))
        .build()
}

impl UseCase for SearchBody {
    const NAME: &'static str = "research.search";
    const TITLE: &'static str = "Search the knowledge base";
    const DESCRIPTION: &'static str = "Hybrid (BM25 + vector) search over the tenant's documents; returns chunks with titles and scores.";
    const PERMISSION: Permission = Permission::ResearchRead;
    /// `conflict`: the index was built with another embedding model.
    const ERRORS: &'static [&'static str] = &["invalid_request", "invalid_field", "conflict"];

    fn check(&self) -> Result<(), Problem> {
        if let (Some(from), Some(to)) = (self.filters.from, self.filters.to)
            && from >= to
        {
            return Err(invalid("filters.to", "must be after filters.from"));
        }
        if let Some(Fusion::Rrf { k, .. }) = self.fusion
            && k <= 0.0
        {
            return Err(invalid("fusion.k", "must be positive"));
        }
        Ok(())
    }
}

impl SearchBody {
    /// The results, once [`UseCase::check`]ed (by `plasma_gateway::use_case::parse`).
    pub async fn run(
        self,
        research: &Research,
        tenant: &str,
    ) -> Result<Vec<SearchResult>, Problem> {
        let top_k = self.top_k.unwrap_or(limits::DEFAULT_TOP_K);
        Ok(crate::search::search(
            research,
            tenant,
            &self.query,
            self.mode,
            top_k,
            self.filters,
            self.fusion,
        )
        .await?)
    }
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
    Validated(body): Validated<SearchBody>,
) -> Result<Json<SearchResponse>, Problem> {
    let results = body.run(&research, &who.tenant).await?;
    Ok(Json(SearchResponse { results }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listed_modes_are_the_modes() {
        for mode in MODES {
            let parsed: SearchMode = serde_json::from_value(mode.into()).unwrap();
            assert_eq!(serde_json::to_value(parsed).unwrap(), mode);
        }
        let schema = plasma_gateway::use_case::input_schema::<SearchBody>();
        assert_eq!(schema["properties"]["mode"]["default"], "hybrid");
    }
}
