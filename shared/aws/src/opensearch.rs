//! [`SearchIndex`] on Amazon OpenSearch: a Serverless vector search collection or a managed
//! domain, through the `opensearch` client with SigV4 request signing. One index holds every
//! tenant's chunks; each query filters on the tenant. Keyword and k-NN lists are fused on the
//! client with [`fuse`], exactly as the embedded index does, so rankings agree across runtimes.

mod requests;
#[cfg(test)]
mod tests;

use ::opensearch::OpenSearch;
use ::opensearch::auth::Credentials;
use ::opensearch::http::headers::{CONTENT_TYPE, HeaderMap, HeaderValue};
use ::opensearch::http::transport::{SingleNodeConnectionPool, TransportBuilder};
use ::opensearch::http::{Method, StatusCode, Url};
use async_trait::async_trait;
use aws_config::SdkConfig;
use plasma_core::{
    EmbeddingModel, IndexedChunk, PortError, PortResult, SearchHit, SearchIndex, SearchMode,
    SearchRequest, fuse,
};
use requests::SearchResponse;
use serde_json::Value;
use std::sync::Mutex;
use std::time::Duration;

/// Which flavour of OpenSearch the endpoint is; they sign under different service names and
/// differ in the APIs they offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenSearchService {
    /// An OpenSearch Serverless collection (`aoss`).
    Serverless,
    /// A managed OpenSearch Service domain (`es`).
    Domain,
}

impl OpenSearchService {
    fn signing_name(self) -> &'static str {
        match self {
            OpenSearchService::Serverless => "aoss",
            OpenSearchService::Domain => "es",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpenSearchConfig {
    /// The collection or domain endpoint, e.g. `https://abc123.us-east-1.aoss.amazonaws.com`.
    pub endpoint: String,
    /// The index holding every tenant's chunks; created by `ensure_model` when absent.
    pub index: String,
    pub service: OpenSearchService,
    /// Make writes searchable before they return (`refresh`). Serverless rejects the
    /// parameter and makes writes searchable on its own within seconds.
    pub refresh: bool,
    /// Per-request timeout, connecting included.
    pub timeout: Duration,
}

impl OpenSearchConfig {
    pub fn serverless(endpoint: impl Into<String>, index: impl Into<String>) -> Self {
        Self {
            endpoint: endpoint.into(),
            index: index.into(),
            service: OpenSearchService::Serverless,
            refresh: false,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    pub fn domain(endpoint: impl Into<String>, index: impl Into<String>) -> Self {
        Self {
            endpoint: endpoint.into(),
            index: index.into(),
            service: OpenSearchService::Domain,
            refresh: true,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Chunks per `_bulk` request: at 1024 dimensions a chunk is ~20 KB of JSON, so a request
/// stays a few megabytes, well under every service's payload limit.
const BULK_CHUNKS: usize = 100;

pub struct OpenSearchIndex {
    client: OpenSearch,
    config: OpenSearchConfig,
    /// The recorded model, once seen: it never changes while the index exists.
    model: Mutex<Option<EmbeddingModel>>,
}

impl OpenSearchIndex {
    /// A client signing with the SDK configuration's credentials and region.
    pub fn new(sdk: &SdkConfig, config: OpenSearchConfig) -> PortResult<Self> {
        plasma_http::outbound::install_crypto_provider();
        let url = Url::parse(&config.endpoint).map_err(|e| {
            PortError::NotConfigured(format!("opensearch endpoint {:?}: {e}", config.endpoint))
        })?;
        let credentials = sdk
            .credentials_provider()
            .ok_or_else(|| PortError::NotConfigured("opensearch: no AWS credentials".into()))?;
        let region = sdk
            .region()
            .cloned()
            .ok_or_else(|| PortError::NotConfigured("opensearch: no AWS region".into()))?;
        let mut transport = TransportBuilder::new(SingleNodeConnectionPool::new(url))
            .auth(Credentials::AwsSigV4(credentials, region))
            .service_name(config.service.signing_name())
            .timeout(config.timeout);
        if let Some(time) = sdk.time_source() {
            transport = transport.sigv4_time_source(time);
        }
        let transport = transport
            .build()
            .map_err(|e| PortError::NotConfigured(format!("opensearch client: {e}")))?;
        Ok(Self {
            client: OpenSearch::new(transport),
            config,
            model: Mutex::new(None),
        })
    }

    fn path(&self, endpoint: &str) -> String {
        format!("/{}/{endpoint}", self.config.index)
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Payload>,
    ) -> PortResult<Reply> {
        let mut headers = HeaderMap::new();
        let body = body.map(|payload| match payload {
            Payload::Json(value) => value.to_string(),
            Payload::NdJson(lines) => {
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-ndjson"),
                );
                lines
            }
        });
        let query = (!query.is_empty()).then_some(query);
        let response = self
            .client
            .send(method, path, headers, query, body, None)
            .await
            .map_err(|e| PortError::Backend(format!("opensearch {path}: {e}")))?;
        let status = response.status_code();
        let text = response
            .text()
            .await
            .map_err(|e| PortError::Backend(format!("opensearch {path}: {e}")))?;
        // Errors from the service front end (throttling, auth) are not always JSON.
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(Reply {
            path: path.to_string(),
            status,
            body,
        })
    }

    /// The model in the index mapping; `None` when the index does not exist yet or records
    /// no model.
    async fn fetch_model(&self) -> PortResult<Option<EmbeddingModel>> {
        let reply = self
            .send(Method::Get, &self.path("_mapping"), &[], None)
            .await?;
        if reply.is_missing_index() {
            return Ok(None);
        }
        Ok(requests::recorded_model(&reply.ok()?))
    }

    fn remember(&self, model: &EmbeddingModel) {
        *self.model.lock().expect("model lock") = Some(model.clone());
    }

    async fn search_hits(&self, body: Value, score: fn(f32) -> f32) -> PortResult<Vec<SearchHit>> {
        match self.search_body(body).await? {
            Some(response) => requests::hits(response, score),
            None => Ok(Vec::new()),
        }
    }

    /// A `_search` response; `None` when the index does not exist yet (nothing indexed).
    async fn search_body(&self, body: Value) -> PortResult<Option<SearchResponse>> {
        let reply = self
            .send(
                Method::Post,
                &self.path("_search"),
                &[],
                Some(Payload::Json(body)),
            )
            .await?;
        if reply.is_missing_index() {
            return Ok(None);
        }
        let path = reply.path.clone();
        serde_json::from_value(reply.ok()?)
            .map(Some)
            .map_err(|e| PortError::Backend(format!("opensearch {path}: unexpected reply: {e}")))
    }

    async fn bulk(&self, lines: String) -> PortResult<()> {
        let refresh: &[(&str, &str)] = if self.config.refresh {
            &[("refresh", "wait_for")]
        } else {
            &[]
        };
        let reply = self
            .send(
                Method::Post,
                &self.path("_bulk"),
                refresh,
                Some(Payload::NdJson(lines)),
            )
            .await?
            .ok()?;
        match requests::bulk_failures(&reply) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    async fn delete_by_query(&self, tenant: &str, document_id: &str) -> PortResult<()> {
        let mut query = vec![("conflicts", "proceed")];
        if self.config.refresh {
            query.push(("refresh", "true"));
        }
        let reply = self
            .send(
                Method::Post,
                &self.path("_delete_by_query"),
                &query,
                Some(Payload::Json(requests::delete_by_query(
                    tenant,
                    document_id,
                ))),
            )
            .await?;
        if reply.is_missing_index() {
            return Ok(());
        }
        let body = reply.ok()?;
        match body["failures"].as_array() {
            Some(failures) if !failures.is_empty() => Err(PortError::Backend(format!(
                "opensearch _delete_by_query: {} failure(s): {}",
                failures.len(),
                failures[0]
            ))),
            _ => Ok(()),
        }
    }

    /// Serverless has no `_delete_by_query`: list the document's chunk ids, then delete them
    /// in bulk.
    async fn delete_by_ids(&self, tenant: &str, document_id: &str) -> PortResult<()> {
        let mut ids = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let body = requests::document_ids_page(tenant, document_id, after.as_deref());
            let Some(page) = self.search_body(body).await? else {
                return Ok(());
            };
            let full = page.hits.hits.len() == requests::ID_PAGE;
            after = page
                .hits
                .hits
                .last()
                .and_then(|hit| hit.sort.first())
                .and_then(|key| key.as_str().map(str::to_string));
            ids.extend(page.hits.hits.into_iter().map(|hit| hit.id));
            if !full || after.is_none() {
                break;
            }
        }
        for batch in ids.chunks(requests::ID_PAGE) {
            self.bulk(requests::bulk_delete(batch)).await?;
        }
        Ok(())
    }
}

enum Payload {
    Json(Value),
    NdJson(String),
}

struct Reply {
    path: String,
    status: StatusCode,
    body: Value,
}

impl Reply {
    fn error_type(&self) -> &str {
        self.body
            .pointer("/error/type")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    fn is_missing_index(&self) -> bool {
        self.status == StatusCode::NOT_FOUND && self.error_type() == "index_not_found_exception"
    }

    /// The body of a successful reply; otherwise the error, mapped by status.
    fn ok(self) -> PortResult<Value> {
        if self.status.is_success() {
            return Ok(self.body);
        }
        let reason = match self.body.pointer("/error/reason").and_then(Value::as_str) {
            Some(reason) => format!("{}: {reason}", self.error_type()),
            None => self.body.to_string(),
        };
        let message = format!("opensearch {}: {} {reason}", self.path, self.status);
        Err(match self.status {
            StatusCode::BAD_REQUEST => PortError::Invalid(message),
            StatusCode::NOT_FOUND => PortError::NotConfigured(message),
            StatusCode::CONFLICT => PortError::Conflict(message),
            _ => PortError::Backend(message),
        })
    }
}

fn check_same(recorded: &EmbeddingModel, wanted: &EmbeddingModel) -> PortResult<()> {
    if recorded == wanted {
        Ok(())
    } else {
        Err(PortError::Conflict(format!(
            "the search index holds {} ({} dimensions) vectors, not {} ({} dimensions)",
            recorded.model, recorded.dimension, wanted.model, wanted.dimension
        )))
    }
}

#[async_trait]
impl SearchIndex for OpenSearchIndex {
    async fn ensure_model(&self, model: &EmbeddingModel) -> PortResult<()> {
        if let Some(recorded) = self.model().await? {
            return check_same(&recorded, model);
        }
        let reply = self
            .send(
                Method::Put,
                &format!("/{}", self.config.index),
                &[],
                Some(Payload::Json(requests::index_body(model))),
            )
            .await?;
        if reply.error_type() == "resource_already_exists_exception" {
            // Another writer created the index first: its model decides.
            return match self.fetch_model().await? {
                Some(recorded) => {
                    self.remember(&recorded);
                    check_same(&recorded, model)
                }
                None => Err(PortError::Conflict(format!(
                    "index {} exists but records no embedding model",
                    self.config.index
                ))),
            };
        }
        reply.ok()?;
        self.remember(model);
        Ok(())
    }

    async fn model(&self) -> PortResult<Option<EmbeddingModel>> {
        if let Some(model) = self.model.lock().expect("model lock").clone() {
            return Ok(Some(model));
        }
        let model = self.fetch_model().await?;
        if let Some(model) = &model {
            self.remember(model);
        }
        Ok(model)
    }

    async fn upsert(&self, chunks: Vec<IndexedChunk>) -> PortResult<()> {
        for batch in chunks.chunks(BULK_CHUNKS) {
            self.bulk(requests::bulk_index(batch)).await?;
        }
        Ok(())
    }

    async fn delete_document(&self, tenant: &str, document_id: &str) -> PortResult<()> {
        match self.config.service {
            OpenSearchService::Domain => self.delete_by_query(tenant, document_id).await,
            OpenSearchService::Serverless => self.delete_by_ids(tenant, document_id).await,
        }
    }

    async fn keyword(&self, request: &SearchRequest) -> PortResult<Vec<SearchHit>> {
        if request.depth() == 0 {
            return Ok(Vec::new());
        }
        self.search_hits(requests::keyword_query(request), |score| score)
            .await
    }

    async fn nearest(&self, request: &SearchRequest) -> PortResult<Vec<SearchHit>> {
        let vector = request.vector.as_deref().ok_or_else(|| {
            PortError::Invalid("a vector search needs the query's embedding".into())
        })?;
        if request.depth() == 0 {
            return Ok(Vec::new());
        }
        self.search_hits(
            requests::knn_query(request, vector),
            requests::cosine_from_score,
        )
        .await
    }

    /// As the provided method, but the two hybrid lists are fetched concurrently: each is a
    /// network round trip.
    async fn search(&self, request: &SearchRequest) -> PortResult<Vec<SearchHit>> {
        let mut hits = match request.mode {
            SearchMode::Bm25 => self.keyword(request).await?,
            SearchMode::Vector => self.nearest(request).await?,
            SearchMode::Hybrid => {
                let (keyword, nearest) =
                    futures::future::try_join(self.keyword(request), self.nearest(request)).await?;
                fuse(keyword, nearest, request.fusion)
            }
        };
        hits.truncate(request.top_k);
        Ok(hits)
    }
}
