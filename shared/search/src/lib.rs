//! The embedded search index and the built-in embedder.
//!
//! [`EmbeddedIndex`] keeps everything under one directory: a tantivy index (BM25 over title
//! and text with English analysis; each chunk's vector persisted beside it in a columnar
//! field) and `model.json`, the embedding model the vectors came from. The HNSW graph for
//! vector search lives in memory only: it is rebuilt from the persisted vectors when the
//! index is opened and kept current on every write; replaced and deleted chunks linger in it
//! as tombstones until the next open. [`BuiltinEmbedder`] embeds text with no model download. [`eval`] scores any ranking
//! on the Cranfield collection.

mod analysis;
mod embedder;
pub mod eval;
mod filter;
mod index;
mod model;
mod schema;
mod vectors;

pub use embedder::{BUILTIN_DIMENSION, BUILTIN_MODEL, BuiltinEmbedder};
pub use index::EmbeddedIndex;
