//! Research automation: documents and their ingestion ([`ingest`]), chunk records
//! ([`chunks`]), the knowledge graph as merged per-document contributions ([`graph_store`]),
//! hybrid search ([`search`]), answers with citations in three modes ([`ask`]), multi-step
//! research jobs ([`jobs`]), the input limits every surface shares ([`limits`]) and the
//! HTTP routes ([`routes`]).

pub mod ask;
pub mod chunks;
pub mod documents;
pub mod graph_store;
pub mod highlight;
pub mod ingest;
pub mod jobs;
pub mod limits;
mod originals;
pub mod routes;
pub mod search;
mod service;

pub use service::{Models, Research, ResearchDeps, ResearchSettings};

/// The event source of everything research publishes and queues.
pub const SOURCE: &str = "plasma.research";
