//! Research fields: the same answers and search results as `POST /research/ask` and
//! `POST /research/search`, behind the same permission.

use super::request;
use crate::Platform;
use async_graphql::{Context, Enum, Json, Object};
use axum::http::Method;
use plasma_core::SearchMode;
use plasma_gateway::graphql::{authorize, error};
use plasma_gateway::use_case::UseCase;
use plasma_research::ask::{Answer, AskMode};
use plasma_research::limits;
use plasma_research::routes::{ASK, AskRequest, SEARCH, SearchBody};
use plasma_research::search::SearchResult;
use serde_json::json;

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ResearchAskMode {
    Naive,
    Local,
    Global,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ResearchSearchMode {
    #[graphql(name = "BM25")]
    Bm25,
    Vector,
    Hybrid,
}

#[derive(Default)]
pub struct ResearchQuery;

#[Object]
impl ResearchQuery {
    /// An answer with numbered citations, as `POST /research/ask` gives it (`answer`,
    /// `citations`, `provider`, `mode`). Needs `research:read`.
    #[graphql(complexity = "super::EXPENSIVE_FIELD")]
    async fn research_ask(
        &self,
        ctx: &Context<'_>,
        question: String,
        #[graphql(default_with = "ResearchAskMode::Naive")] mode: ResearchAskMode,
    ) -> async_graphql::Result<Json<Answer>> {
        let caller = authorize(ctx, AskRequest::PERMISSION, Method::POST, ASK, ASK).await?;
        let mode = match mode {
            ResearchAskMode::Naive => AskMode::Naive,
            ResearchAskMode::Local => AskMode::Local,
            ResearchAskMode::Global => AskMode::Global,
        };
        let ask: AskRequest = request(json!({ "question": question, "mode": mode }))?;
        let platform = ctx.data::<Platform>()?;
        ask.run(&platform.research, &caller.principal.tenant)
            .await
            .map(Json)
            .map_err(error)
    }

    /// Chunks for a query, as `POST /research/search` returns them. Needs `research:read`.
    #[graphql(complexity = "super::EXPENSIVE_FIELD")]
    async fn research_search(
        &self,
        ctx: &Context<'_>,
        query: String,
        #[graphql(default_with = "ResearchSearchMode::Hybrid")] mode: ResearchSearchMode,
        // Signed, so that a negative count is refused by the declaration, as on REST.
        #[graphql(default_with = "limits::DEFAULT_TOP_K as i64")] top_k: i64,
    ) -> async_graphql::Result<Json<Vec<SearchResult>>> {
        let caller = authorize(ctx, SearchBody::PERMISSION, Method::POST, SEARCH, SEARCH).await?;
        let mode = match mode {
            ResearchSearchMode::Bm25 => SearchMode::Bm25,
            ResearchSearchMode::Vector => SearchMode::Vector,
            ResearchSearchMode::Hybrid => SearchMode::Hybrid,
        };
        let search: SearchBody = request(json!({ "query": query, "mode": mode, "top_k": top_k }))?;
        let platform = ctx.data::<Platform>()?;
        search
            .run(&platform.research, &caller.principal.tenant)
            .await
            .map(Json)
            .map_err(error)
    }
}
