//! Context for `naive` and `local` answers.
//!
//! Local mode is GraphRAG over the tenant's graph: the entities the question names are the
//! seeds; their neighbourhood (two hops) brings in related entities, and the chunks that are
//! evidence for those relations and mentions become candidates next to the hybrid retrieval
//! hits. Both lists are fused by reciprocal rank, so a chunk only the graph connects (the
//! second half of a two-document answer) can enter the context.

use crate::Research;
use crate::search::retrieve;
use plasma_core::{Fusion, PortResult, SearchFilters, SearchHit, SearchMode, fuse};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

use super::AskMode;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ContextChunk {
    /// Its number in the context, as the answer's `[n]` before renumbering.
    pub n: usize,
    pub chunk_id: String,
    pub document_id: String,
    pub title: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub score: f32,
    /// How it was found: `retrieval`, `graph`, or both (`retrieval+graph`), or `community`.
    pub via: String,
}

pub struct Gathered {
    pub chunks: Vec<ContextChunk>,
    /// Entity names the answer should favour (the seeds and their neighbours).
    pub focus: Vec<String>,
}

/// Graph hops explored from the question's entities.
const DEPTH: usize = 2;
const NEIGHBOURS: usize = 40;

pub async fn gather(
    research: &Research,
    tenant: &str,
    question: &str,
    mode: AskMode,
) -> PortResult<Gathered> {
    let k = research.settings.answer_chunks;
    let hits = retrieve(
        research,
        tenant,
        question,
        SearchMode::Hybrid,
        k,
        SearchFilters::default(),
        None,
    )
    .await?;
    if mode != AskMode::Local {
        return Ok(Gathered {
            chunks: number(
                hits.into_iter()
                    .map(|h| (h, "retrieval".to_string()))
                    .collect(),
            ),
            focus: Vec::new(),
        });
    }
    let graph = research.graphs.graph(tenant).await?;
    let seeds = graph.entities_in(question);
    let mut focus: Vec<String> = Vec::new();
    // Evidence chunks, strongest first: relations touching a seed, then mentions.
    let mut evidence: Vec<(String, f32)> = Vec::new();
    for seed in &seeds {
        let Some(around) = graph.neighbourhood(seed, DEPTH, NEIGHBOURS) else {
            continue;
        };
        for entity in &around.entities {
            if !focus.contains(&entity.name) {
                focus.push(entity.name.clone());
            }
        }
        for relation in &around.relations {
            let touches_seed = relation.source == *seed || relation.target == *seed;
            let weight = relation.weight as f32 * if touches_seed { 2.0 } else { 1.0 };
            for chunk in &relation.chunk_ids {
                evidence.push((chunk.clone(), weight));
            }
        }
        for entity in &around.entities {
            let weight = if entity.id == *seed { 1.5 } else { 0.5 };
            for chunk in entity.chunk_ids.iter().take(5) {
                evidence.push((chunk.clone(), weight));
            }
        }
    }
    let mut best: HashMap<String, f32> = HashMap::new();
    for (chunk, weight) in evidence {
        *best.entry(chunk).or_default() += weight;
    }
    let mut ranked: Vec<(String, f32)> = best.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(k * 2);
    let ids: Vec<String> = ranked.iter().map(|(id, _)| id.clone()).collect();
    let stored = research.chunks.get_many(tenant, &ids).await?;
    let mut doc_ids: Vec<String> = stored.values().map(|c| c.document_id.clone()).collect();
    doc_ids.sort();
    doc_ids.dedup();
    let titles: HashMap<String, String> = research
        .documents
        .get_many(tenant, &doc_ids)
        .await?
        .into_iter()
        .map(|d| (d.id, d.title))
        .collect();
    let graph_hits: Vec<SearchHit> = ranked
        .iter()
        .filter_map(|(id, score)| {
            let c = stored.get(id)?;
            Some(SearchHit {
                document_id: c.document_id.clone(),
                chunk_id: c.id.clone(),
                title: titles.get(&c.document_id)?.clone(),
                text: c.text.clone(),
                heading: c.heading.clone(),
                page: c.page,
                score: *score,
            })
        })
        .collect();
    let from_retrieval: HashSet<String> = hits.iter().map(|h| h.chunk_id.clone()).collect();
    let from_graph: HashSet<String> = graph_hits.iter().map(|h| h.chunk_id.clone()).collect();
    let mut fused = fuse(hits, graph_hits, Fusion::default());
    fused.truncate(k);
    let chunks = fused
        .into_iter()
        .map(|h| {
            let via = match (
                from_retrieval.contains(&h.chunk_id),
                from_graph.contains(&h.chunk_id),
            ) {
                (true, true) => "retrieval+graph",
                (false, true) => "graph",
                _ => "retrieval",
            };
            (h, via.to_string())
        })
        .collect();
    Ok(Gathered {
        chunks: number(chunks),
        focus,
    })
}

pub(crate) fn number(hits: Vec<(SearchHit, String)>) -> Vec<ContextChunk> {
    hits.into_iter()
        .enumerate()
        .map(|(i, (h, via))| ContextChunk {
            n: i + 1,
            chunk_id: h.chunk_id,
            document_id: h.document_id,
            title: h.title,
            text: h.text,
            heading: h.heading,
            page: h.page,
            score: h.score,
            via,
        })
        .collect()
}
