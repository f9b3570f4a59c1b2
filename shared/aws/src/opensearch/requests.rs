//! The JSON the adapter sends to OpenSearch and reads back: the index mapping, bulk lines,
//! the keyword and k-NN query bodies, and the hits and bulk results they return.

use chrono::{DateTime, SecondsFormat, Utc};
use plasma_core::{EmbeddingModel, IndexedChunk, PortError, PortResult, SearchHit, SearchRequest};
use serde::Deserialize;
use serde_json::{Value, json};

/// The index settings and mapping, with the embedding model recorded in `_meta`.
///
/// Vectors use Faiss HNSW with `innerproduct`: the embedders return unit vectors, for which the
/// inner product is the cosine similarity, and Faiss supports `innerproduct` (and filtered k-NN
/// inside the graph search) on every OpenSearch version Serverless and domains run, whereas
/// Faiss only gained `cosinesimil` in 2.19.
pub(super) fn index_body(model: &EmbeddingModel) -> Value {
    json!({
        "settings": {"index": {"knn": true}},
        "mappings": {
            "_meta": {"model": model.model, "dimension": model.dimension},
            "properties": {
                "tenant": {"type": "keyword"},
                "document_id": {"type": "keyword"},
                "chunk_id": {"type": "keyword"},
                "title": {"type": "text", "analyzer": "english"},
                "text": {"type": "text", "analyzer": "english"},
                "heading": {"type": "text"},
                "page": {"type": "integer"},
                "tags": {"type": "keyword"},
                "date": {"type": "date"},
                "vector": {
                    "type": "knn_vector",
                    "dimension": model.dimension,
                    "method": {"name": "hnsw", "engine": "faiss", "space_type": "innerproduct"}
                }
            }
        }
    })
}

/// The model recorded in a `GET /<index>/_mapping` response, which is keyed by the concrete
/// index name (the configured name may be an alias).
pub(super) fn recorded_model(mapping: &Value) -> Option<EmbeddingModel> {
    let meta = mapping
        .as_object()?
        .values()
        .next()?
        .pointer("/mappings/_meta")?;
    Some(EmbeddingModel {
        model: meta.get("model")?.as_str()?.to_string(),
        dimension: usize::try_from(meta.get("dimension")?.as_u64()?).ok()?,
    })
}

/// A chunk's document id: chunk ids are unique per tenant only.
pub(super) fn doc_id(tenant: &str, chunk_id: &str) -> String {
    format!("{tenant}:{chunk_id}")
}

/// `_bulk` NDJSON indexing `chunks`: an action line and a source line each, every line
/// newline-terminated (the API requires the final newline).
pub(super) fn bulk_index(chunks: &[IndexedChunk]) -> String {
    let mut body = String::new();
    for chunk in chunks {
        let action = json!({"index": {"_id": doc_id(&chunk.tenant, &chunk.chunk_id)}});
        let source = json!({
            "tenant": chunk.tenant,
            "document_id": chunk.document_id,
            "chunk_id": chunk.chunk_id,
            "title": chunk.title,
            "text": chunk.text,
            "heading": chunk.heading,
            "page": chunk.page,
            "tags": chunk.tags,
            "date": timestamp(chunk.date),
            "vector": wire(&chunk.vector),
        });
        for line in [action, source] {
            body.push_str(&line.to_string());
            body.push('\n');
        }
    }
    body
}

/// `_bulk` NDJSON deleting the given document ids.
pub(super) fn bulk_delete(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("{}\n", json!({"delete": {"_id": id}})))
        .collect()
}

/// The tenant and the request's filters as `bool` filter clauses.
fn filters(tenant: &str, request: &SearchRequest) -> Vec<Value> {
    let f = &request.filters;
    let mut clauses = vec![json!({"term": {"tenant": tenant}})];
    if !f.document_ids.is_empty() {
        clauses.push(json!({"terms": {"document_id": f.document_ids}}));
    }
    if !f.tags.is_empty() {
        clauses.push(json!({"terms": {"tags": f.tags}}));
    }
    if f.from.is_some() || f.to.is_some() {
        let mut range = serde_json::Map::new();
        if let Some(from) = f.from {
            range.insert("gte".into(), timestamp(from).into());
        }
        if let Some(to) = f.to {
            range.insert("lt".into(), timestamp(to).into());
        }
        clauses.push(json!({"range": {"date": range}}));
    }
    clauses
}

/// Stored fields come back without the vector, which is large and never shown.
fn source_filter() -> Value {
    json!({"excludes": ["vector"]})
}

/// BM25 over title (boosted) and text, filtered to the tenant and the request's filters.
pub(super) fn keyword_query(request: &SearchRequest) -> Value {
    json!({
        "size": request.depth(),
        "_source": source_filter(),
        "query": {"bool": {
            "must": [{"multi_match": {"query": request.text, "fields": ["title^2", "text"]}}],
            "filter": filters(&request.tenant, request),
        }}
    })
}

/// k-NN with the filters inside the `knn` clause, so the engine filters while it searches
/// (efficient filtering) instead of trimming `k` results afterwards.
pub(super) fn knn_query(request: &SearchRequest, vector: &[f32]) -> Value {
    let depth = request.depth();
    json!({
        "size": depth,
        "_source": source_filter(),
        "query": {"knn": {"vector": {
            "vector": wire(vector),
            "k": depth,
            "filter": {"bool": {"filter": filters(&request.tenant, request)}},
        }}}
    })
}

/// Every chunk of one document, a page at a time in `_id` order, for deleting where
/// `_delete_by_query` is not available.
pub(super) fn document_ids_page(tenant: &str, document_id: &str, after: Option<&str>) -> Value {
    let mut body = json!({
        "size": ID_PAGE,
        "_source": false,
        "query": {"bool": {"filter": document_filter(tenant, document_id)}},
        "sort": [{"chunk_id": "asc"}],
    });
    if let Some(after) = after {
        body["search_after"] = json!([after]);
    }
    body
}

pub(super) const ID_PAGE: usize = 1000;

pub(super) fn delete_by_query(tenant: &str, document_id: &str) -> Value {
    json!({"query": {"bool": {"filter": document_filter(tenant, document_id)}}})
}

fn document_filter(tenant: &str, document_id: &str) -> Value {
    json!([{"term": {"tenant": tenant}}, {"term": {"document_id": document_id}}])
}

/// A vector as JSON numbers. `serde_json::Value` holds f64, and an f32 widened to f64 prints
/// as e.g. `0.6000000238418579`; going through the f32's shortest decimal form prints `0.6`,
/// which parses back to the same f32 and halves the size of every vector on the wire.
fn wire(vector: &[f32]) -> Vec<f64> {
    vector
        .iter()
        .map(|x| x.to_string().parse().unwrap_or(f64::from(*x)))
        .collect()
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[derive(Deserialize)]
pub(super) struct SearchResponse {
    pub hits: Hits,
}

#[derive(Deserialize)]
pub(super) struct Hits {
    pub hits: Vec<Hit>,
}

#[derive(Deserialize)]
pub(super) struct Hit {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "_score")]
    pub score: Option<f32>,
    #[serde(rename = "_source")]
    pub source: Option<Source>,
    #[serde(default)]
    pub sort: Vec<Value>,
}

#[derive(Deserialize)]
pub(super) struct Source {
    document_id: String,
    chunk_id: String,
    title: String,
    text: String,
    heading: Option<String>,
    page: Option<u32>,
}

/// Maps hits to search hits, converting each score with `score`.
pub(super) fn hits(response: SearchResponse, score: fn(f32) -> f32) -> PortResult<Vec<SearchHit>> {
    response
        .hits
        .hits
        .into_iter()
        .map(|hit| {
            let source = hit.source.ok_or_else(|| {
                PortError::Backend(format!("opensearch: hit {} came without _source", hit.id))
            })?;
            Ok(SearchHit {
                document_id: source.document_id,
                chunk_id: source.chunk_id,
                title: source.title,
                text: source.text,
                heading: source.heading,
                page: source.page,
                score: score(hit.score.unwrap_or_default()),
            })
        })
        .collect()
}

/// The cosine similarity back from OpenSearch's `innerproduct` score, which maps the inner
/// product `p` to `1 + p` when positive and `1 / (1 - p)` otherwise, so scores stay positive.
pub(super) fn cosine_from_score(score: f32) -> f32 {
    if score >= 1.0 {
        score - 1.0
    } else if score > 0.0 {
        1.0 - 1.0 / score
    } else {
        -1.0
    }
}

/// The failed items of a `_bulk` response, as `PortError` (`Invalid` when every failure is the
/// request's fault, e.g. a vector of the wrong dimension; `Backend` when any may pass on retry).
pub(super) fn bulk_failures(response: &Value) -> Option<PortError> {
    if !response["errors"].as_bool().unwrap_or(false) {
        return None;
    }
    let failed: Vec<&Value> = response["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item.as_object()?.values().next())
        .filter(|result| result.get("error").is_some())
        .collect();
    let retriable = failed.iter().any(|r| {
        let status = r["status"].as_u64().unwrap_or(500);
        status == 429 || status >= 500
    });
    let reasons: Vec<String> = failed
        .iter()
        .take(3)
        .map(|r| {
            format!(
                "{} ({}): {}",
                r["_id"].as_str().unwrap_or("?"),
                r["error"]["type"].as_str().unwrap_or("error"),
                r["error"]["reason"].as_str().unwrap_or("no reason given"),
            )
        })
        .collect();
    let message = format!(
        "opensearch _bulk: {} item(s) failed: {}",
        failed.len(),
        reasons.join("; ")
    );
    Some(if retriable || failed.is_empty() {
        PortError::Backend(message)
    } else {
        PortError::Invalid(message)
    })
}
