//! The research service: the ports it runs on, the models it uses, and its settings.

use crate::chunks::Chunks;
use crate::documents::Documents;
use crate::graph_store::GraphStore;
use plasma_core::{
    BlobStore, Clock, Embedder, EmbeddingModel, EventBus, Fusion, IdGen, ItemStore, Llm,
    PortResult, Queue, SearchIndex,
};
use plasma_documents::ChunkOptions;
use plasma_graph::Extractor;
use std::sync::Arc;
use tokio::sync::OnceCell;

#[derive(Debug, Clone)]
pub struct ResearchSettings {
    /// Largest body `POST /research/documents` takes; larger files go through a presigned
    /// upload. Lambda's synchronous payload limit is 6 MB, so the default stays under it.
    pub max_direct_bytes: usize,
    /// Largest document ingested from any path.
    pub max_document_bytes: u64,
    pub chunking: ChunkOptions,
    pub fusion: Fusion,
    /// Chunks an answer is composed from.
    pub answer_chunks: usize,
    /// Most sub-questions a research job fans out to.
    pub max_subquestions: usize,
}

impl Default for ResearchSettings {
    fn default() -> Self {
        Self {
            max_direct_bytes: 4 * 1024 * 1024,
            max_document_bytes: 100 * 1024 * 1024,
            chunking: ChunkOptions::default(),
            fusion: Fusion::default(),
            answer_chunks: 8,
            max_subquestions: 6,
        }
    }
}

/// The models research uses. `llm` is `None` on the built-in defaults: answers are then
/// composed extractively and sub-questions planned by heuristics.
#[derive(Clone)]
pub struct Models {
    pub embedder: Arc<dyn Embedder>,
    pub llm: Option<Arc<dyn Llm>>,
    /// Names the LLM's provider in responses (`bedrock`, `openai`).
    pub llm_provider: String,
    pub extractor: Arc<dyn Extractor>,
}

#[derive(Clone)]
pub struct Research {
    pub items: Arc<dyn ItemStore>,
    pub blobs: Arc<dyn BlobStore>,
    pub queue: Arc<dyn Queue>,
    pub bus: Arc<dyn EventBus>,
    pub index: Arc<dyn SearchIndex>,
    pub models: Models,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// Where ingest jobs go (the ingest function's queue, which also receives S3 events).
    pub ingest_queue: String,
    /// Where research-job steps go (the worker's queue).
    pub jobs_queue: String,
    pub settings: Arc<ResearchSettings>,
    pub documents: Documents,
    pub chunks: Chunks,
    pub graphs: GraphStore,
    model_checked: Arc<OnceCell<()>>,
}

/// What [`Research`] is built from.
pub struct ResearchDeps {
    pub items: Arc<dyn ItemStore>,
    pub blobs: Arc<dyn BlobStore>,
    pub queue: Arc<dyn Queue>,
    pub bus: Arc<dyn EventBus>,
    pub index: Arc<dyn SearchIndex>,
    pub models: Models,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// Where ingest jobs go (the ingest function's queue, which also receives S3 events).
    pub ingest_queue: String,
    /// Where research-job steps go (the worker's queue).
    pub jobs_queue: String,
    pub settings: ResearchSettings,
}

impl Research {
    pub fn new(deps: ResearchDeps) -> Self {
        tracing::debug!(target: plasma_core::BUILT, capability = "research");
        let ResearchDeps {
            items,
            blobs,
            queue,
            bus,
            index,
            models,
            clock,
            ids,
            ingest_queue,
            jobs_queue,
            settings,
        } = deps;
        Self {
            documents: Documents::new(items.clone()),
            chunks: Chunks::new(items.clone()),
            graphs: GraphStore::new(items.clone(), blobs.clone()),
            items,
            blobs,
            queue,
            bus,
            index,
            models,
            clock,
            ids,
            ingest_queue,
            jobs_queue,
            settings: Arc::new(settings),
            model_checked: Arc::default(),
        }
    }

    /// The LLM's provider and model, or the built-in composer's name.
    pub fn provider(&self) -> String {
        match &self.models.llm {
            Some(llm) => format!("{}:{}", self.models.llm_provider, llm.model()),
            None => crate::ask::BUILTIN_PROVIDER.to_string(),
        }
    }

    /// Makes sure the index's vectors come from the configured embedder: the first use
    /// records it, and a different model later is refused instead of mixing vector spaces.
    pub async fn check_model(&self) -> PortResult<EmbeddingModel> {
        let model = self.models.embedder.model();
        self.model_checked
            .get_or_try_init(|| async { self.index.ensure_model(&model).await })
            .await?;
        Ok(model)
    }
}
