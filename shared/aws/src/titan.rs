//! [`Embedder`] on Amazon Titan Text Embeddings v2 through Bedrock's `InvokeModel`. The model
//! embeds one text per call, so a batch is sent as concurrent calls, a bounded number at a
//! time, and reassembled in order.

use crate::errors::sdk_error;
use async_trait::async_trait;
use aws_sdk_bedrockruntime::Client;
use aws_sdk_bedrockruntime::primitives::Blob;
use futures::{StreamExt, TryStreamExt};
use plasma_core::embed::normalize;
use plasma_core::{EmbedKind, Embedder, EmbeddingModel, PortError, PortResult};
use serde::Deserialize;
use serde_json::json;

pub const TITAN_TEXT_EMBEDDINGS_V2: &str = "amazon.titan-embed-text-v2:0";

/// The output sizes Titan Text Embeddings v2 offers.
const DIMENSIONS: [usize; 3] = [256, 512, 1024];

/// Calls in flight per batch: enough to hide the per-call latency, few enough to stay clear of
/// the account's requests-per-minute quota on a large ingest.
const CONCURRENCY: usize = 8;

pub struct TitanEmbedder {
    client: Client,
    model: EmbeddingModel,
}

impl TitanEmbedder {
    /// `dimension` must be one the model offers (256, 512 or 1024).
    pub fn new(client: Client, model_id: String, dimension: usize) -> PortResult<Self> {
        if !DIMENSIONS.contains(&dimension) {
            return Err(PortError::NotConfigured(format!(
                "Titan embeddings come in {DIMENSIONS:?} dimensions, not {dimension}"
            )));
        }
        Ok(Self {
            client,
            model: EmbeddingModel {
                model: model_id,
                dimension,
            },
        })
    }

    /// A client from the platform's SDK configuration (credentials, region, endpoint).
    pub fn from_sdk(
        sdk: &aws_config::SdkConfig,
        model_id: String,
        dimension: usize,
    ) -> PortResult<Self> {
        Self::new(Client::new(sdk), model_id, dimension)
    }

    async fn embed_one(&self, text: &str) -> PortResult<Vec<f32>> {
        const OP: &str = "bedrock InvokeModel";
        // The model refuses empty input; a text with nothing in it has no direction.
        if text.trim().is_empty() {
            return Ok(vec![0.0; self.model.dimension]);
        }
        let body = json!({
            "inputText": text,
            "dimensions": self.model.dimension,
            "normalize": true,
        });
        let response = self
            .client
            .invoke_model()
            .model_id(&self.model.model)
            .content_type("application/json")
            .accept("application/json")
            .body(Blob::new(body.to_string()))
            .send()
            .await
            .map_err(|e| sdk_error(OP, e))?;
        let reply: TitanReply = serde_json::from_slice(response.body().as_ref())
            .map_err(|e| PortError::Backend(format!("{OP}: unexpected reply: {e}")))?;
        let mut vector = reply.embedding;
        if vector.len() != self.model.dimension {
            return Err(PortError::Backend(format!(
                "{OP}: {} returned {} dimensions, not {}",
                self.model.model,
                vector.len(),
                self.model.dimension
            )));
        }
        // Already unit length when `normalize` is honoured; this makes it exact in f32.
        normalize(&mut vector);
        Ok(vector)
    }
}

#[derive(Deserialize)]
struct TitanReply {
    embedding: Vec<f32>,
}

#[async_trait]
impl Embedder for TitanEmbedder {
    fn model(&self) -> EmbeddingModel {
        self.model.clone()
    }

    /// Titan v2 embeds queries and passages alike, so `kind` does not change the request.
    async fn embed(&self, texts: &[String], _kind: EmbedKind) -> PortResult<Vec<Vec<f32>>> {
        // Collected first: a stream mapping borrowed texts to futures trips the compiler's
        // higher-ranked lifetime check inside async-trait. The calls start only when polled.
        let calls: Vec<_> = texts.iter().map(|text| self.embed_one(text)).collect();
        futures::stream::iter(calls)
            .buffered(CONCURRENCY)
            .try_collect()
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_bedrockruntime::config::{BehaviorVersion, Credentials, Region};
    use axum::Router;
    use axum::extract::{Path, State};
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::IntoResponse;
    use axum::routing::post;
    use serde_json::Value;
    use std::sync::{Arc, Mutex};

    /// What the stand-in saw: the model id from the path, the headers and the JSON body.
    type Seen = Arc<Mutex<Vec<(String, HeaderMap, Value)>>>;

    /// A Bedrock runtime stand-in that embeds a text as `[len, 1, 0, ...]` scaled to unit
    /// length (so replies can be told apart), after a delay that shrinks with the text's
    /// length, so that concurrent calls finish out of order.
    async fn bedrock() -> (String, Seen) {
        let seen = Seen::default();
        let app = Router::new()
            .route(
                "/model/{model}/invoke",
                post(
                    |State(seen): State<Seen>,
                     Path(model): Path<String>,
                     headers: HeaderMap,
                     body: String| async move {
                        let body: Value = serde_json::from_str(&body).unwrap();
                        seen.lock().unwrap().push((model, headers, body.clone()));
                        let text = body["inputText"].as_str().unwrap();
                        if text == "too long" {
                            let error = serde_json::json!({"message": "Input is too long"});
                            let mut headers = HeaderMap::new();
                            headers
                                .insert("x-amzn-errortype", "ValidationException".parse().unwrap());
                            return (StatusCode::BAD_REQUEST, headers, error.to_string())
                                .into_response();
                        }
                        let dimension = body["dimensions"].as_u64().unwrap() as usize;
                        tokio::time::sleep(std::time::Duration::from_millis(
                            50 - 5 * text.len().min(10) as u64,
                        ))
                        .await;
                        let mut embedding = vec![0.0f32; dimension];
                        embedding[0] = text.len() as f32;
                        embedding[1] = 1.0;
                        normalize(&mut embedding);
                        let reply = serde_json::json!({
                            "embedding": embedding,
                            "inputTextTokenCount": 3
                        });
                        (StatusCode::OK, reply.to_string()).into_response()
                    },
                ),
            )
            .with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (url, seen)
    }

    fn embedder(url: &str, dimension: usize) -> PortResult<TitanEmbedder> {
        let config = aws_sdk_bedrockruntime::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
            .endpoint_url(url)
            .build();
        TitanEmbedder::new(
            Client::from_conf(config),
            TITAN_TEXT_EMBEDDINGS_V2.into(),
            dimension,
        )
    }

    #[tokio::test]
    async fn embeds_each_text_with_the_documented_request_in_order() {
        let (url, seen) = bedrock().await;
        let titan = embedder(&url, 256).unwrap();
        assert_eq!(
            titan.model(),
            EmbeddingModel {
                model: TITAN_TEXT_EMBEDDINGS_V2.into(),
                dimension: 256
            }
        );
        let texts: Vec<String> = (1..=10)
            .map(|n| "x".repeat(n))
            .chain([" ".into()])
            .collect();
        let vectors = titan.embed(&texts, EmbedKind::Document).await.unwrap();
        assert_eq!(vectors.len(), 11);
        for (n, vector) in vectors[..10].iter().enumerate() {
            assert_eq!(vector.len(), 256);
            let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5);
            // Each reply landed in its text's slot despite finishing out of order.
            assert!((vector[0] / vector[1] - (n + 1) as f32).abs() < 1e-4);
        }
        assert!(vectors[10].iter().all(|&x| x == 0.0), "blank text: no call");

        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 10);
        let (model, headers, body) = &seen[0];
        assert_eq!(model, TITAN_TEXT_EMBEDDINGS_V2);
        assert_eq!(headers["content-type"], "application/json");
        let authorization = headers["authorization"].to_str().unwrap();
        assert!(
            authorization.contains("/us-east-1/bedrock/aws4_request"),
            "{authorization}"
        );
        assert_eq!(
            *body,
            serde_json::json!({"inputText": "x", "dimensions": 256, "normalize": true})
        );
    }

    #[tokio::test]
    async fn a_refused_text_fails_the_batch_as_invalid() {
        let (url, _) = bedrock().await;
        let titan = embedder(&url, 512).unwrap();
        let texts = vec!["fine".to_string(), "too long".to_string()];
        match titan.embed(&texts, EmbedKind::Query).await {
            Err(PortError::Invalid(message)) => assert!(message.contains("too long"), "{message}"),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn only_the_offered_dimensions_are_accepted() {
        assert!(matches!(
            embedder("http://127.0.0.1:9", 300),
            Err(PortError::NotConfigured(_))
        ));
    }
}
