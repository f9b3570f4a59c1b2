//! Research fields: the same answers and search results as `POST /research/ask` and
//! `POST /research/search`, behind the same permission.

use crate::Platform;
use async_graphql::{Context, Enum, Json, Object};
use axum::http::Method;
use plasma_gateway::Permission;
use plasma_gateway::graphql::{authorize, error};
use plasma_research::ask::{Answer, AskMode};
use plasma_research::limits;
use plasma_research::routes::{ASK, SEARCH};
use plasma_research::search::SearchResult;

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
        let caller = authorize(ctx, Permission::ResearchRead, Method::POST, ASK, ASK).await?;
        limits::question("question", &question).map_err(error)?;
        let platform = ctx.data::<Platform>()?;
        let mode = match mode {
            ResearchAskMode::Naive => AskMode::Naive,
            ResearchAskMode::Local => AskMode::Local,
            ResearchAskMode::Global => AskMode::Global,
        };
        plasma_research::ask::ask(
            &platform.research,
            &caller.principal.tenant,
            &question,
            mode,
            false,
        )
        .await
        .map(Json)
        .map_err(|e| error(e.into()))
    }

    /// Chunks for a query, as `POST /research/search` returns them. Needs `research:read`.
    #[graphql(complexity = "super::EXPENSIVE_FIELD")]
    async fn research_search(
        &self,
        ctx: &Context<'_>,
        query: String,
        #[graphql(default_with = "ResearchSearchMode::Hybrid")] mode: ResearchSearchMode,
        #[graphql(default_with = "limits::DEFAULT_TOP_K")] top_k: usize,
    ) -> async_graphql::Result<Json<Vec<SearchResult>>> {
        let caller = authorize(ctx, Permission::ResearchRead, Method::POST, SEARCH, SEARCH).await?;
        limits::query("query", &query).map_err(error)?;
        let top_k = limits::top_k("topK", Some(top_k)).map_err(error)?;
        let platform = ctx.data::<Platform>()?;
        let mode = match mode {
            ResearchSearchMode::Bm25 => plasma_core::SearchMode::Bm25,
            ResearchSearchMode::Vector => plasma_core::SearchMode::Vector,
            ResearchSearchMode::Hybrid => plasma_core::SearchMode::Hybrid,
        };
        plasma_research::search::search(
            &platform.research,
            &caller.principal.tenant,
            &query,
            mode,
            top_k,
            Default::default(),
            None,
        )
        .await
        .map(Json)
        .map_err(|e| error(e.into()))
    }
}
