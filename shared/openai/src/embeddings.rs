//! [`Embedder`] on an OpenAI-compatible `/v1/embeddings` endpoint: OpenAI itself, or a
//! self-hosted server (vLLM, Ollama, llama.cpp, text-embeddings-inference, LiteLLM).

use crate::api::Api;
use async_trait::async_trait;
use plasma_core::embed::normalize;
use plasma_core::{EmbedKind, Embedder, EmbeddingModel, PortError, PortResult};
use serde::Deserialize;
use serde_json::json;
use std::sync::OnceLock;
use std::time::Duration;

/// Inputs per request: under the per-request limits of the common servers, and enough that a
/// document's chunks take few round trips.
const BATCH: usize = 64;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

pub struct OpenAiEmbedder {
    api: Api,
    model: String,
    /// Configured, or learned from the first reply.
    dimension: OnceLock<usize>,
    query_prefix: String,
    document_prefix: String,
}

impl OpenAiEmbedder {
    /// `base_url` is the server root (`https://api.openai.com`, `http://localhost:8000`);
    /// without `dimension`, it is learned from the first reply (see [`Self::dimension`]).
    pub fn new(
        base_url: impl Into<String>,
        model: impl Into<String>,
        api_key: Option<String>,
        dimension: Option<usize>,
    ) -> PortResult<Self> {
        let known = OnceLock::new();
        if let Some(dimension) = dimension {
            known.get_or_init(|| dimension);
        }
        Ok(Self {
            api: Api::new(&base_url.into(), api_key, DEFAULT_TIMEOUT)?,
            model: model.into(),
            dimension: known,
            query_prefix: String::new(),
            document_prefix: String::new(),
        })
    }

    /// Instruction prefixes for models trained with them (E5's `query: ` / `passage: `,
    /// Nomic's `search_query: ` / `search_document: `).
    pub fn with_prefixes(mut self, query: impl Into<String>, document: impl Into<String>) -> Self {
        self.query_prefix = query.into();
        self.document_prefix = document.into();
        self
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.api = self.api.with_timeout(timeout);
        self
    }

    /// The vector dimension, asking the server (one short embedding) if neither configured
    /// nor seen yet. [`Embedder::model`] reports 0 until then, so callers that record the
    /// model before embedding anything call this first.
    pub async fn dimension(&self) -> PortResult<usize> {
        if let Some(dimension) = self.dimension.get() {
            return Ok(*dimension);
        }
        let probe = self.request(&["dimension probe".to_string()]).await?;
        self.learn(&probe)
    }

    /// One request's vectors, in input order.
    async fn request(&self, inputs: &[String]) -> PortResult<Vec<Vec<f32>>> {
        let body = json!({"model": self.model, "input": inputs});
        let reply: EmbeddingsReply = self.api.post("embeddings", &body).await?;
        let mut data = reply.data;
        data.sort_by_key(|d| d.index);
        let in_order = data.iter().enumerate().all(|(i, d)| d.index == i);
        if data.len() != inputs.len() || !in_order {
            return Err(PortError::Backend(format!(
                "{}: {} inputs got {} embeddings back",
                self.model,
                inputs.len(),
                data.len()
            )));
        }
        Ok(data.into_iter().map(|d| d.embedding).collect())
    }

    /// Records the dimension of the first vector, or checks vectors against it.
    fn learn(&self, vectors: &[Vec<f32>]) -> PortResult<usize> {
        let Some(first) = vectors.first() else {
            return self.dimension.get().copied().ok_or_else(|| {
                PortError::Backend(format!(
                    "{}: no embedding to learn its size from",
                    self.model
                ))
            });
        };
        let dimension = *self.dimension.get_or_init(|| first.len());
        match vectors.iter().find(|v| v.len() != dimension) {
            Some(v) => Err(PortError::Backend(format!(
                "{} returned {} dimensions, not {dimension}",
                self.model,
                v.len()
            ))),
            None => Ok(dimension),
        }
    }
}

#[derive(Deserialize)]
struct EmbeddingsReply {
    data: Vec<EmbeddingData>,
}

#[derive(Deserialize)]
struct EmbeddingData {
    index: usize,
    embedding: Vec<f32>,
}

#[async_trait]
impl Embedder for OpenAiEmbedder {
    fn model(&self) -> EmbeddingModel {
        EmbeddingModel {
            model: self.model.clone(),
            dimension: self.dimension.get().copied().unwrap_or(0),
        }
    }

    async fn embed(&self, texts: &[String], kind: EmbedKind) -> PortResult<Vec<Vec<f32>>> {
        let prefix = match kind {
            EmbedKind::Query => &self.query_prefix,
            EmbedKind::Document => &self.document_prefix,
        };
        // Servers refuse empty inputs; a blank text has no direction and gets a zero vector.
        let sent: Vec<(usize, String)> = texts
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(i, t)| (i, format!("{prefix}{t}")))
            .collect();
        let mut vectors = vec![Vec::new(); texts.len()];
        for batch in sent.chunks(BATCH) {
            let inputs: Vec<String> = batch.iter().map(|(_, t)| t.clone()).collect();
            let embedded = self.request(&inputs).await?;
            self.learn(&embedded)?;
            for ((slot, _), mut vector) in batch.iter().zip(embedded) {
                normalize(&mut vector);
                vectors[*slot] = vector;
            }
        }
        if sent.len() < texts.len() {
            let dimension = self.dimension().await?;
            for vector in vectors.iter_mut().filter(|v| v.is_empty()) {
                *vector = vec![0.0; dimension];
            }
        }
        Ok(vectors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Reply, stand_in};
    use serde_json::{Value, json};

    /// Embeds each input as `[len, 1, 0]` (so vectors can be told apart) and lists them in
    /// reverse, as a server is free to.
    fn embed_reply(body: &Value) -> Reply {
        let inputs = body["input"].as_array().unwrap();
        let data: Vec<Value> = inputs
            .iter()
            .enumerate()
            .rev()
            .map(|(i, t)| {
                let len = t.as_str().unwrap().len();
                json!({"object": "embedding", "index": i, "embedding": [len as f32, 1.0, 0.0]})
            })
            .collect();
        Reply::ok(json!({
            "object": "list", "data": data, "model": "nomic-embed-text",
            "usage": {"prompt_tokens": 4, "total_tokens": 4}
        }))
    }

    #[tokio::test]
    async fn batches_of_64_with_bearer_key_come_back_in_input_order_unit_length() {
        let (url, seen) = stand_in(|_, body| embed_reply(body)).await;
        let embedder = OpenAiEmbedder::new(
            format!("{url}/"),
            "nomic-embed-text",
            Some("sk-test".into()),
            None,
        )
        .unwrap();
        assert_eq!(embedder.model().dimension, 0, "unknown before a reply");
        let texts: Vec<String> = (1..=130).map(|n| "x".repeat(n)).collect();
        let vectors = embedder.embed(&texts, EmbedKind::Document).await.unwrap();
        assert_eq!(vectors.len(), 130);
        for (n, v) in vectors.iter().enumerate() {
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5);
            assert!((v[0] / v[1] - (n + 1) as f32).abs() < 1e-3, "slot {n}");
        }
        assert_eq!(
            embedder.model(),
            EmbeddingModel {
                model: "nomic-embed-text".into(),
                dimension: 3
            }
        );

        let seen = seen.lock().unwrap();
        let sizes: Vec<usize> = seen
            .iter()
            .map(|r| r.body["input"].as_array().unwrap().len())
            .collect();
        assert_eq!(sizes, [64, 64, 2]);
        for request in seen.iter() {
            assert_eq!(request.path, "/v1/embeddings");
            assert_eq!(request.headers["authorization"], "Bearer sk-test");
            assert_eq!(request.headers["content-type"], "application/json");
            assert_eq!(request.body["model"], "nomic-embed-text");
        }
        assert_eq!(seen[0].body["input"][0], "x");
    }

    #[tokio::test]
    async fn prefixes_blanks_and_no_key() {
        let (url, seen) = stand_in(|_, body| embed_reply(body)).await;
        let embedder = OpenAiEmbedder::new(format!("{url}/v1"), "e5", None, Some(3))
            .unwrap()
            .with_prefixes("query: ", "passage: ");
        assert_eq!(embedder.model().dimension, 3);
        let texts = vec!["rust".to_string(), "  ".to_string()];
        let vectors = embedder.embed(&texts, EmbedKind::Query).await.unwrap();
        assert_eq!(vectors[1], vec![0.0; 3]);
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].path, "/v1/embeddings");
        assert!(seen[0].headers.get("authorization").is_none());
        assert_eq!(seen[0].body["input"], json!(["query: rust"]));
    }

    #[tokio::test]
    async fn a_configured_dimension_is_checked() {
        let (url, _) = stand_in(|_, body| embed_reply(body)).await;
        let embedder = OpenAiEmbedder::new(url, "e5", None, Some(768)).unwrap();
        match embedder.embed(&["a".into()], EmbedKind::Document).await {
            Err(PortError::Backend(message)) => assert!(message.contains("768"), "{message}"),
            other => panic!("expected Backend, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn the_dimension_can_be_asked_up_front() {
        let (url, seen) = stand_in(|_, body| embed_reply(body)).await;
        let embedder = OpenAiEmbedder::new(url, "e5", None, None).unwrap();
        assert_eq!(embedder.dimension().await.unwrap(), 3);
        assert_eq!(embedder.dimension().await.unwrap(), 3);
        assert_eq!(embedder.model().dimension, 3);
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_client_error_is_not_retried_and_carries_the_providers_message() {
        let (url, seen) = stand_in(|_, _| {
            Reply::status(
                400,
                json!({"error": {"message": "'$.input' is invalid.", "type": "invalid_request_error", "code": null}}),
            )
        })
        .await;
        let embedder = OpenAiEmbedder::new(url, "text-embedding-3-small", None, None).unwrap();
        match embedder.embed(&["a".into()], EmbedKind::Document).await {
            Err(PortError::Invalid(message)) => {
                assert!(
                    message.contains("400") && message.contains("'$.input' is invalid."),
                    "{message}"
                )
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn rate_limits_are_retried_after_the_servers_pause() {
        let (url, seen) = stand_in(|n, body| {
            if n == 0 {
                Reply::status(429, json!({"error": {"message": "Rate limit reached"}}))
                    .retry_after("0")
            } else {
                embed_reply(body)
            }
        })
        .await;
        let embedder = OpenAiEmbedder::new(url, "e5", None, None).unwrap();
        let vectors = embedder
            .embed(&["a".into()], EmbedKind::Document)
            .await
            .unwrap();
        assert_eq!(vectors.len(), 1);
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn server_errors_give_up_after_three_attempts() {
        let (url, seen) =
            stand_in(|_, _| Reply::status(503, json!({"error": "model is loading"}))).await;
        let embedder = OpenAiEmbedder::new(url, "e5", None, None).unwrap();
        match embedder.embed(&["a".into()], EmbedKind::Document).await {
            Err(PortError::Backend(message)) => {
                assert!(
                    message.contains("503") && message.contains("model is loading"),
                    "{message}"
                )
            }
            other => panic!("expected Backend, got {other:?}"),
        }
        assert_eq!(seen.lock().unwrap().len(), 3);
    }
}
