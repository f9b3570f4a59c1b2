//! The search index port: chunks with their vectors in, ranked chunks out. Keyword (BM25)
//! and vector (k-NN) retrieval are two lists that [`fuse`] combines, so hybrid ranking is the
//! same on every adapter: tantivy plus an HNSW graph embedded, OpenSearch on AWS.

use crate::{EmbeddingModel, PortResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One chunk as the index stores it. `chunk_id` is unique within a tenant; writing a chunk
/// id again replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedChunk {
    pub tenant: String,
    pub document_id: String,
    pub chunk_id: String,
    pub title: String,
    pub text: String,
    pub heading: Option<String>,
    pub page: Option<u32>,
    pub tags: Vec<String>,
    /// The document's date, for date filters.
    pub date: DateTime<Utc>,
    pub vector: Vec<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SearchMode {
    Bm25,
    Vector,
    #[default]
    Hybrid,
}

/// Narrows a search; the tenant is not here because it is never optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchFilters {
    /// Only these documents.
    #[serde(default)]
    pub document_ids: Vec<String>,
    /// Only chunks whose document carries at least one of these tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Document date at or after.
    #[serde(default)]
    pub from: Option<DateTime<Utc>>,
    /// Document date before.
    #[serde(default)]
    pub to: Option<DateTime<Utc>>,
}

/// How the two ranked lists combine.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Fusion {
    /// Reciprocal-rank fusion: each list adds `weight / (k + rank)`.
    Rrf {
        k: f32,
        bm25_weight: f32,
        vector_weight: f32,
    },
    /// Scores min-max normalised per list, then a weighted sum.
    Linear {
        bm25_weight: f32,
        vector_weight: f32,
    },
}

impl Default for Fusion {
    fn default() -> Self {
        Fusion::Rrf {
            k: 60.0,
            bm25_weight: 1.0,
            vector_weight: 1.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub tenant: String,
    pub text: String,
    /// The query's embedding; required for vector and hybrid modes.
    pub vector: Option<Vec<f32>>,
    pub mode: SearchMode,
    pub top_k: usize,
    pub filters: SearchFilters,
    pub fusion: Fusion,
}

impl SearchRequest {
    /// How deep each list is read before fusion: fusion needs more than `top_k` from each
    /// side to find chunks ranked well by both.
    pub fn depth(&self) -> usize {
        match self.mode {
            SearchMode::Hybrid => (self.top_k * 3).clamp(50, 1000),
            _ => self.top_k,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub document_id: String,
    pub chunk_id: String,
    pub title: String,
    pub text: String,
    pub heading: Option<String>,
    pub page: Option<u32>,
    /// BM25 score, cosine similarity, or fused score, by mode.
    pub score: f32,
}

#[async_trait]
pub trait SearchIndex: Send + Sync {
    /// Records the embedding model on first use; afterwards refuses (`Conflict`) any other
    /// model or dimension, since vectors from two models cannot be compared.
    async fn ensure_model(&self, model: &EmbeddingModel) -> PortResult<()>;
    /// The model recorded, if any.
    async fn model(&self) -> PortResult<Option<EmbeddingModel>>;
    /// Adds or replaces chunks; durable (searchable) when it returns.
    async fn upsert(&self, chunks: Vec<IndexedChunk>) -> PortResult<()>;
    /// Removes every chunk of a document.
    async fn delete_document(&self, tenant: &str, document_id: &str) -> PortResult<()>;
    /// BM25 over title and text, best first, at most `request.depth()` hits.
    async fn keyword(&self, request: &SearchRequest) -> PortResult<Vec<SearchHit>>;
    /// Nearest chunks to `request.vector` by cosine similarity, best first, at most
    /// `request.depth()` hits.
    async fn nearest(&self, request: &SearchRequest) -> PortResult<Vec<SearchHit>>;

    /// The mode's ranking: one list, or both fused.
    async fn search(&self, request: &SearchRequest) -> PortResult<Vec<SearchHit>> {
        let mut hits = match request.mode {
            SearchMode::Bm25 => self.keyword(request).await?,
            SearchMode::Vector => self.nearest(request).await?,
            SearchMode::Hybrid => {
                let (keyword, nearest) =
                    futures_join(self.keyword(request), self.nearest(request)).await;
                fuse(keyword?, nearest?, request.fusion)
            }
        };
        hits.truncate(request.top_k);
        Ok(hits)
    }
}

async fn futures_join<A, B>(
    a: impl std::future::Future<Output = A>,
    b: impl std::future::Future<Output = B>,
) -> (A, B) {
    // Both lists come from the same backend; running them one after the other keeps core
    // free of an executor dependency and costs little next to the round trips themselves.
    (a.await, b.await)
}

/// Combines a keyword and a vector ranking into one, best first. A chunk in both lists
/// collects from both; ties keep the keyword list's order.
pub fn fuse(keyword: Vec<SearchHit>, nearest: Vec<SearchHit>, fusion: Fusion) -> Vec<SearchHit> {
    let mut order: Vec<String> = Vec::new();
    let mut scored: HashMap<String, (SearchHit, f32)> = HashMap::new();
    let mut add = |hits: Vec<SearchHit>, contribution: &dyn Fn(usize, f32) -> f32| {
        for (rank, hit) in hits.into_iter().enumerate() {
            let c = contribution(rank, hit.score);
            match scored.get_mut(&hit.chunk_id) {
                Some((_, s)) => *s += c,
                None => {
                    order.push(hit.chunk_id.clone());
                    scored.insert(hit.chunk_id.clone(), (hit, c));
                }
            }
        }
    };
    match fusion {
        Fusion::Rrf {
            k,
            bm25_weight,
            vector_weight,
        } => {
            add(keyword, &|rank, _| bm25_weight / (k + rank as f32 + 1.0));
            add(nearest, &|rank, _| vector_weight / (k + rank as f32 + 1.0));
        }
        Fusion::Linear {
            bm25_weight,
            vector_weight,
        } => {
            let (klo, khi) = bounds(&keyword);
            let (vlo, vhi) = bounds(&nearest);
            add(keyword, &|_, s| bm25_weight * unit(s, klo, khi));
            add(nearest, &|_, s| vector_weight * unit(s, vlo, vhi));
        }
    }
    let mut fused: Vec<(usize, SearchHit)> = order
        .into_iter()
        .enumerate()
        .map(|(i, id)| {
            let (mut hit, score) = scored.remove(&id).expect("scored chunk");
            hit.score = score;
            (i, hit)
        })
        .collect();
    fused.sort_by(|(ia, a), (ib, b)| b.score.total_cmp(&a.score).then(ia.cmp(ib)));
    fused.into_iter().map(|(_, hit)| hit).collect()
}

fn bounds(hits: &[SearchHit]) -> (f32, f32) {
    hits.iter().fold((f32::MAX, f32::MIN), |(lo, hi), h| {
        (lo.min(h.score), hi.max(h.score))
    })
}

fn unit(score: f32, lo: f32, hi: f32) -> f32 {
    if hi > lo {
        (score - lo) / (hi - lo)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str, score: f32) -> SearchHit {
        SearchHit {
            document_id: "d".into(),
            chunk_id: id.into(),
            title: String::new(),
            text: String::new(),
            heading: None,
            page: None,
            score,
        }
    }

    fn ids(hits: &[SearchHit]) -> Vec<&str> {
        hits.iter().map(|h| h.chunk_id.as_str()).collect()
    }

    #[test]
    fn rrf_rewards_chunks_both_lists_rank() {
        let keyword = vec![hit("a", 9.0), hit("b", 8.0), hit("c", 7.0)];
        let nearest = vec![hit("c", 0.9), hit("d", 0.8), hit("b", 0.7)];
        let fused = fuse(keyword, nearest, Fusion::default());
        assert_eq!(ids(&fused), ["c", "b", "a", "d"]);
        let c = 1.0 / 63.0 + 1.0 / 61.0;
        assert!((fused[0].score - c).abs() < 1e-6);
    }

    #[test]
    fn weights_tilt_the_fusion() {
        let keyword = vec![hit("a", 9.0), hit("b", 1.0)];
        let nearest = vec![hit("b", 0.9), hit("a", 0.1)];
        let vector_heavy = Fusion::Rrf {
            k: 60.0,
            bm25_weight: 0.2,
            vector_weight: 1.0,
        };
        assert_eq!(
            ids(&fuse(keyword.clone(), nearest.clone(), vector_heavy)),
            ["b", "a"]
        );
        let linear = Fusion::Linear {
            bm25_weight: 1.0,
            vector_weight: 0.5,
        };
        let fused = fuse(keyword, nearest, linear);
        assert_eq!(ids(&fused), ["a", "b"]);
        assert!((fused[0].score - 1.0).abs() < 1e-6);
    }

    #[test]
    fn hybrid_depth_reads_past_top_k() {
        let mut r = SearchRequest {
            tenant: "t".into(),
            text: "q".into(),
            vector: None,
            mode: SearchMode::Hybrid,
            top_k: 10,
            filters: SearchFilters::default(),
            fusion: Fusion::default(),
        };
        assert_eq!(r.depth(), 50);
        r.mode = SearchMode::Bm25;
        assert_eq!(r.depth(), 10);
    }
}
