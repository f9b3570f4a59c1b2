//! The knowledge graph behind GraphRAG answers. Each document yields one [`Contribution`]
//! (its entities and relations, extracted per chunk by the [`BuiltinExtractor`] or an
//! [`LlmExtractor`]); a [`Graph`] is built from the contributions of the documents in scope,
//! so removing a document is dropping its contribution. Entities are resolved across
//! documents by a normalised key, aliases and acronyms; the graph answers entity look-ups,
//! neighbourhoods and paths, exports JSON and GraphML, and clusters itself into
//! [`Community`]s (Louvain) for global questions.

mod community;
mod contribution;
mod error;
mod export;
mod extract;
mod graph;
mod louvain;
mod query;
mod resolve;

pub use community::{Community, summarize_community};
pub use contribution::{Contribution, EntityMention, RelationMention};
pub use error::GraphError;
pub use extract::{
    BuiltinExtractor, ChunkText, EntityKind, ExtractedEntity, ExtractedRelation, Extraction,
    Extractor, LlmExtractor,
};
pub use graph::{Entity, EntityId, Graph, Relation};
pub use query::{Path, Subgraph};
pub use resolve::entity_key;
