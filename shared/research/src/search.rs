//! Search as the API offers it: the query embedded when the mode needs it, the tenant's
//! index searched, and each hit joined with its document's own metadata and highlights.

use crate::Research;
use crate::highlight::{Highlight, highlights};
use plasma_core::{
    EmbedKind, Fusion, PortError, PortResult, SearchFilters, SearchHit, SearchMode, SearchRequest,
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResult {
    pub document_id: String,
    pub chunk_id: String,
    pub title: String,
    pub score: f32,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The document's own metadata, as uploaded.
    #[schema(value_type = Object)]
    pub metadata: Map<String, Value>,
    pub highlights: Vec<Highlight>,
}

/// Ranked chunks for `text` in the tenant's index.
pub async fn retrieve(
    research: &Research,
    tenant: &str,
    text: &str,
    mode: SearchMode,
    top_k: usize,
    filters: SearchFilters,
    fusion: Option<Fusion>,
) -> PortResult<Vec<SearchHit>> {
    let vector = if mode == SearchMode::Bm25 {
        None
    } else {
        let model = research.check_model().await?;
        let mut vectors = research
            .models
            .embedder
            .embed(&[text.to_string()], EmbedKind::Query)
            .await?;
        let vector = vectors
            .pop()
            .ok_or_else(|| PortError::Backend("the embedder returned no vector".into()))?;
        if vector.len() != model.dimension {
            return Err(PortError::Backend(format!(
                "the embedder returned {} dimensions, not {}",
                vector.len(),
                model.dimension
            )));
        }
        Some(vector)
    };
    let hits = research
        .index
        .search(&SearchRequest {
            tenant: tenant.to_string(),
            text: text.to_string(),
            vector,
            mode,
            top_k,
            filters,
            fusion: fusion.unwrap_or(research.settings.fusion),
        })
        .await?;
    // A document deleted while its ingest was still running may have left index entries
    // behind; its record is gone, so its chunks are not results.
    let mut ids: Vec<String> = hits.iter().map(|h| h.document_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let live: std::collections::HashSet<String> = research
        .documents
        .get_many(tenant, &ids)
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    Ok(hits
        .into_iter()
        .filter(|h| live.contains(&h.document_id))
        .collect())
}

pub async fn search(
    research: &Research,
    tenant: &str,
    query: &str,
    mode: SearchMode,
    top_k: usize,
    filters: SearchFilters,
    fusion: Option<Fusion>,
) -> PortResult<Vec<SearchResult>> {
    let hits = retrieve(research, tenant, query, mode, top_k, filters, fusion).await?;
    let mut ids: Vec<String> = hits.iter().map(|h| h.document_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let metadata: HashMap<String, Map<String, Value>> = research
        .documents
        .get_many(tenant, &ids)
        .await?
        .into_iter()
        .map(|d| (d.id, d.metadata))
        .collect();
    Ok(hits
        .into_iter()
        // A hit whose document is gone (deleted between index and record) is not returned.
        .filter_map(|h| {
            let metadata = metadata.get(&h.document_id)?.clone();
            Some(SearchResult {
                highlights: highlights(query, &h.text),
                document_id: h.document_id,
                chunk_id: h.chunk_id,
                title: h.title,
                score: h.score,
                text: h.text,
                heading: h.heading,
                page: h.page,
                metadata,
            })
        })
        .collect())
}
