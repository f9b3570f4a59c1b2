//! Which models research runs on, chosen by settings: the embedder (built-in, Bedrock
//! Titan, or an OpenAI-compatible endpoint), the LLM that writes answers and plans research
//! jobs (none — the built-in extractive composer —, Bedrock Converse, or OpenAI-compatible
//! chat), and whether graph extraction uses that LLM.

use anyhow::{Context, bail};
use plasma_aws::{BedrockLlm, TitanEmbedder};
use plasma_core::{Embedder, Llm, PortError, PortResult, SearchIndex};
use plasma_graph::{BuiltinExtractor, Extractor, LlmExtractor};
use plasma_openai::{OpenAiChat, OpenAiEmbedder};
use plasma_research::Models;
use plasma_search::BuiltinEmbedder;
use std::sync::Arc;

pub const EMBEDDER_VAR: &str = "PLASMA_EMBEDDER";
pub const EMBEDDING_MODEL_VAR: &str = "PLASMA_EMBEDDING_MODEL";
pub const EMBEDDING_DIMENSIONS_VAR: &str = "PLASMA_EMBEDDING_DIMENSIONS";
pub const LLM_VAR: &str = "PLASMA_LLM";
pub const LLM_MODEL_VAR: &str = "PLASMA_LLM_MODEL";
pub const OPENAI_BASE_URL_VAR: &str = "PLASMA_OPENAI_BASE_URL";
pub const OPENAI_API_KEY_VAR: &str = "PLASMA_OPENAI_API_KEY";
pub const GRAPH_EXTRACTOR_VAR: &str = "PLASMA_GRAPH_EXTRACTOR";

/// Titan Text Embeddings v2 at its default dimension.
const TITAN_MODEL: &str = "amazon.titan-embed-text-v2:0";
const TITAN_DIMENSION: usize = 1024;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum EmbedderChoice {
    #[default]
    Builtin,
    Bedrock {
        model_id: String,
        dimension: usize,
    },
    OpenAi {
        base_url: String,
        model: String,
        api_key: Option<String>,
        dimension: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum LlmChoice {
    /// No model: extractive answers, heuristic plans.
    #[default]
    Builtin,
    Bedrock {
        model_id: String,
    },
    OpenAi {
        base_url: String,
        model: String,
        api_key: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResearchModels {
    pub embedder: EmbedderChoice,
    pub llm: LlmChoice,
    /// Extract the knowledge graph with the LLM (when one is chosen) instead of the built-in
    /// extractor.
    pub llm_graph_extraction: bool,
}

impl ResearchModels {
    pub fn from_env(bedrock_model_id: Option<&str>) -> anyhow::Result<Self> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let openai_base = || {
            var(OPENAI_BASE_URL_VAR).with_context(|| {
                format!("{OPENAI_BASE_URL_VAR} is required for the openai provider")
            })
        };
        let embedder = match var(EMBEDDER_VAR).as_deref() {
            None | Some("builtin") => EmbedderChoice::Builtin,
            Some("bedrock") => EmbedderChoice::Bedrock {
                model_id: var(EMBEDDING_MODEL_VAR).unwrap_or_else(|| TITAN_MODEL.into()),
                dimension: dimensions(var(EMBEDDING_DIMENSIONS_VAR))?.unwrap_or(TITAN_DIMENSION),
            },
            Some("openai") => EmbedderChoice::OpenAi {
                base_url: openai_base()?,
                model: var(EMBEDDING_MODEL_VAR).with_context(|| {
                    format!("{EMBEDDING_MODEL_VAR} is required for the openai embedder")
                })?,
                api_key: var(OPENAI_API_KEY_VAR),
                // The index is created for a dimension before the first embedding comes back.
                dimension: dimensions(var(EMBEDDING_DIMENSIONS_VAR))?.with_context(|| {
                    format!("{EMBEDDING_DIMENSIONS_VAR} is required for the openai embedder")
                })?,
            },
            Some(other) => bail!(
                "environment variable {EMBEDDER_VAR} is malformed: expected builtin, bedrock or openai, got {other:?}"
            ),
        };
        let llm = match var(LLM_VAR).as_deref() {
            None | Some("builtin") => LlmChoice::Builtin,
            Some("bedrock") => LlmChoice::Bedrock {
                model_id: var(LLM_MODEL_VAR)
                    .or(bedrock_model_id.map(str::to_owned))
                    .with_context(|| format!("{LLM_MODEL_VAR} (or PLASMA_BEDROCK_MODEL_ID) is required for the bedrock LLM"))?,
            },
            Some("openai") => LlmChoice::OpenAi {
                base_url: openai_base()?,
                model: var(LLM_MODEL_VAR).with_context(|| format!("{LLM_MODEL_VAR} is required for the openai LLM"))?,
                api_key: var(OPENAI_API_KEY_VAR),
            },
            Some(other) => bail!("environment variable {LLM_VAR} is malformed: expected builtin, bedrock or openai, got {other:?}"),
        };
        let llm_graph_extraction = match var(GRAPH_EXTRACTOR_VAR).as_deref() {
            None | Some("builtin") => false,
            Some("llm") => true,
            Some(other) => bail!(
                "environment variable {GRAPH_EXTRACTOR_VAR} is malformed: expected builtin or llm, got {other:?}"
            ),
        };
        Ok(Self {
            embedder,
            llm,
            llm_graph_extraction,
        })
    }

    /// The models, with Bedrock clients from `sdk` (the AWS backend's; `None` locally,
    /// where choosing Bedrock is an error rather than a silent fallback).
    pub fn build(&self, sdk: Option<&aws_config::SdkConfig>) -> anyhow::Result<Models> {
        let bedrock = || sdk.context("Bedrock models need the AWS backend (PLASMA_BACKEND=aws)");
        let embedder: Arc<dyn Embedder> = match &self.embedder {
            EmbedderChoice::Builtin => Arc::new(BuiltinEmbedder::new()),
            EmbedderChoice::Bedrock {
                model_id,
                dimension,
            } => Arc::new(TitanEmbedder::from_sdk(
                bedrock()?,
                model_id.clone(),
                *dimension,
            )?),
            EmbedderChoice::OpenAi {
                base_url,
                model,
                api_key,
                dimension,
            } => Arc::new(OpenAiEmbedder::new(
                base_url,
                model,
                api_key.clone(),
                Some(*dimension),
            )?),
        };
        let (llm, provider): (Option<Arc<dyn Llm>>, &str) = match &self.llm {
            LlmChoice::Builtin => (None, ""),
            LlmChoice::Bedrock { model_id } => (
                Some(Arc::new(BedrockLlm::from_sdk(bedrock()?, model_id.clone()))),
                "bedrock",
            ),
            LlmChoice::OpenAi {
                base_url,
                model,
                api_key,
            } => (
                Some(Arc::new(OpenAiChat::new(base_url, model, api_key.clone())?)),
                "openai",
            ),
        };
        let extractor: Arc<dyn Extractor> = match (&llm, self.llm_graph_extraction) {
            (Some(llm), true) => Arc::new(LlmExtractor::new(llm.clone())),
            _ => Arc::new(BuiltinExtractor::new()),
        };
        Ok(Models {
            embedder,
            llm,
            llm_provider: provider.to_string(),
            extractor,
        })
    }
}

fn dimensions(raw: Option<String>) -> anyhow::Result<Option<usize>> {
    raw.map(|v| {
        v.parse::<usize>()
            .ok()
            .filter(|d| (1..=8192).contains(d))
            .with_context(|| format!("environment variable {EMBEDDING_DIMENSIONS_VAR} is malformed: expected a dimension from 1 to 8192, got {v:?}"))
    })
    .transpose()
}

/// The research index on an AWS deployment without `PLASMA_SEARCH_ENDPOINT`: every call
/// says what is missing instead of pretending an empty index.
pub struct UnconfiguredIndex;

fn missing<T>() -> PortResult<T> {
    Err(PortError::NotConfigured(format!(
        "research search needs an OpenSearch endpoint ({})",
        plasma_core::config::SEARCH_ENDPOINT_VAR
    )))
}

#[async_trait::async_trait]
impl SearchIndex for UnconfiguredIndex {
    async fn ensure_model(&self, _: &plasma_core::EmbeddingModel) -> PortResult<()> {
        missing()
    }
    async fn model(&self) -> PortResult<Option<plasma_core::EmbeddingModel>> {
        missing()
    }
    async fn upsert(&self, _: Vec<plasma_core::IndexedChunk>) -> PortResult<()> {
        missing()
    }
    async fn delete_document(&self, _: &str, _: &str) -> PortResult<()> {
        missing()
    }
    async fn keyword(
        &self,
        _: &plasma_core::SearchRequest,
    ) -> PortResult<Vec<plasma_core::SearchHit>> {
        missing()
    }
    async fn nearest(
        &self,
        _: &plasma_core::SearchRequest,
    ) -> PortResult<Vec<plasma_core::SearchHit>> {
        missing()
    }
}
