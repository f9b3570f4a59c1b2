//! The embedder port: texts in, unit-length vectors out. Adapters: the built-in hashed
//! embedder (no download, the default), Amazon Bedrock Titan Text Embeddings v2, and any
//! OpenAI-compatible `/v1/embeddings` endpoint. The search index records which model and
//! dimension its vectors came from and refuses to mix them.

use crate::PortResult;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Some models embed queries and passages differently (instruction prefixes, asymmetric
/// weighting); callers say which one they are embedding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedKind {
    Document,
    Query,
}

/// Which model produced a vector space: two spaces are comparable only when both match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddingModel {
    pub model: String,
    pub dimension: usize,
}

#[async_trait]
pub trait Embedder: Send + Sync {
    fn model(&self) -> EmbeddingModel;
    /// One vector per text, in order, each of length `model().dimension` and unit length.
    async fn embed(&self, texts: &[String], kind: EmbedKind) -> PortResult<Vec<Vec<f32>>>;
}

/// Scales `v` to unit length in place (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}
