//! Scores the embedded index on the Cranfield collection: BM25, vector and hybrid search.
//!
//! ```sh
//! cargo run --release -p plasma-search --bin search-eval -- /work/shared/data/cranfield
//! ```
//!
//! Each document is one chunk (title + text), indexed in a temporary directory with the
//! built-in embedder; results are deduplicated per document before scoring.

use chrono::Utc;
use plasma_core::{
    EmbedKind, Embedder, Fusion, IndexedChunk, SearchFilters, SearchIndex, SearchMode,
    SearchRequest,
};
use plasma_search::eval::{self, Collection};
use plasma_search::{BuiltinEmbedder, EmbeddedIndex};
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

const TENANT: &str = "cranfield";
/// Recall@100 needs a hundred documents; one chunk per document makes that a hundred hits.
const TOP_K: usize = 100;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: search-eval <cranfield directory>")?;
    let collection = Collection::load(&dir)?;
    let runtime = tokio::runtime::Runtime::new()?;
    let data = tempfile::tempdir()?;
    let index = EmbeddedIndex::open(data.path())?;
    let embedder = BuiltinEmbedder::new();

    let started = Instant::now();
    let texts: Vec<String> = collection
        .documents
        .iter()
        .map(|d| format!("{}\n{}", d.title, d.text))
        .collect();
    let vectors = runtime.block_on(embedder.embed(&texts, EmbedKind::Document))?;
    let embedded = started.elapsed();
    let date = Utc::now();
    let chunks = collection
        .documents
        .iter()
        .zip(vectors)
        .map(|(d, vector)| IndexedChunk {
            tenant: TENANT.into(),
            document_id: d.id.clone(),
            chunk_id: d.id.clone(),
            title: d.title.clone(),
            text: d.text.clone(),
            heading: None,
            page: None,
            tags: Vec::new(),
            date,
            vector,
        })
        .collect();
    runtime.block_on(async {
        index.ensure_model(&embedder.model()).await?;
        index.upsert(chunks).await
    })?;
    let ingest = started.elapsed();
    let docs_per_s = collection.documents.len() as f64 / ingest.as_secs_f64();
    println!(
        "{} documents, {} queries; ingest {:.2} s ({:.0} docs/s; embedding {:.0} ms)\n",
        collection.documents.len(),
        collection.queries.len(),
        ingest.as_secs_f64(),
        docs_per_s,
        embedded.as_secs_f64() * 1000.0,
    );

    println!(
        "| mode | nDCG@10 | MRR@10 | Recall@100 | ingest docs/s | p50 ms | p95 ms |\n|---|---|---|---|---|---|---|"
    );
    for (name, mode) in [
        ("bm25", SearchMode::Bm25),
        ("vector", SearchMode::Vector),
        ("hybrid", SearchMode::Hybrid),
    ] {
        let (metrics, latency) = eval::score_timed(&collection, |text| {
            runtime
                .block_on(search(&index, &embedder, text, mode))
                .expect("search")
        });
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.0} | {:.2} | {:.2} |",
            metrics.ndcg10,
            metrics.mrr10,
            metrics.recall100,
            docs_per_s,
            latency.p50.as_secs_f64() * 1000.0,
            latency.p95.as_secs_f64() * 1000.0,
        );
    }
    Ok(())
}

/// Document ids, best first, each at its best chunk's rank.
async fn search(
    index: &EmbeddedIndex,
    embedder: &BuiltinEmbedder,
    text: &str,
    mode: SearchMode,
) -> plasma_core::PortResult<Vec<String>> {
    let vector = match mode {
        SearchMode::Bm25 => None,
        _ => Some(embedder.embed_text(text)),
    };
    let request = SearchRequest {
        tenant: TENANT.into(),
        text: text.into(),
        vector,
        mode,
        top_k: TOP_K,
        filters: SearchFilters::default(),
        fusion: Fusion::default(),
    };
    let hits = index.search(&request).await?;
    let mut seen = HashSet::new();
    Ok(hits
        .into_iter()
        .filter(|h| seen.insert(h.document_id.clone()))
        .map(|h| h.document_id)
        .collect())
}
