//! Entity and relation extraction from one chunk of text.

mod builtin;
mod kind;
pub(crate) mod lexicon;
mod llm;
mod sentences;
pub(crate) mod tokens;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::GraphError;

pub use builtin::BuiltinExtractor;
pub use kind::EntityKind;
pub use llm::LlmExtractor;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkText {
    pub chunk_id: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub entities: Vec<ExtractedEntity>,
    pub relations: Vec<ExtractedRelation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractedEntity {
    pub name: String,
    pub kind: EntityKind,
    /// Empty when the text says nothing about the entity beyond naming it.
    pub description: String,
    pub aliases: Vec<String>,
}

/// A relation between two entities of the same extraction, named as in `entities`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractedRelation {
    pub source: String,
    pub target: String,
    pub description: String,
    /// Strength of the relation in this chunk: co-occurrences for the built-in extractor,
    /// the model's 1–10 rating for the LLM extractor.
    pub weight: f64,
}

#[async_trait]
pub trait Extractor: Send + Sync {
    async fn extract(&self, chunk: &ChunkText) -> Result<Extraction, GraphError>;
    /// The provider ("builtin", "llm:<model>"), for logs and usage records.
    fn name(&self) -> &str;
}
