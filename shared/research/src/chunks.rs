//! Chunk records: the text every citation points at. The search index holds the same text
//! for ranking; these items are what graph evidence and citations are resolved against.

use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::CHUNKS;
use plasma_core::{Item, ItemStore, Key, PortResult, Query};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredChunk {
    pub id: String,
    pub document_id: String,
    pub ordinal: u32,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

#[derive(Clone)]
pub struct Chunks {
    items: Arc<dyn ItemStore>,
}

fn partition(tenant: &str, document_id: &str) -> PortResult<String> {
    CHUNKS.key([tenant, document_id])
}

fn key(tenant: &str, document_id: &str, ordinal: u32) -> PortResult<Key> {
    Ok(Key::new(
        partition(tenant, document_id)?,
        format!("{ordinal:06}"),
    ))
}

/// The document and position a chunk id names (`<document id>-<ordinal>`).
pub fn parse_chunk_id(chunk_id: &str) -> Option<(&str, u32)> {
    let (doc, ordinal) = chunk_id.rsplit_once('-')?;
    Some((doc, ordinal.parse().ok()?))
}

impl Chunks {
    pub fn new(items: Arc<dyn ItemStore>) -> Self {
        Self { items }
    }

    pub async fn put_all(&self, tenant: &str, chunks: &[StoredChunk]) -> PortResult<()> {
        let mut puts = Vec::with_capacity(chunks.len());
        for c in chunks {
            puts.push(Item::new(
                key(tenant, &c.document_id, c.ordinal)?,
                attrs_of(c)?,
            ));
        }
        for batch in puts.chunks(25) {
            self.items.batch_write(batch.to_vec(), Vec::new()).await?;
        }
        Ok(())
    }

    pub async fn of_document(
        &self,
        tenant: &str,
        document_id: &str,
    ) -> PortResult<Vec<StoredChunk>> {
        // An id that cannot be a key segment names no document.
        let Ok(partition) = partition(tenant, document_id) else {
            return Ok(Vec::new());
        };
        query_all(self.items.as_ref(), Query::partition(partition))
            .await?
            .iter()
            .map(Item::parse)
            .collect()
    }

    /// The chunks still stored among `ids`, keyed by id; ids of deleted documents are absent.
    pub async fn get_many(
        &self,
        tenant: &str,
        ids: &[String],
    ) -> PortResult<HashMap<String, StoredChunk>> {
        let keys: Vec<Key> = ids
            .iter()
            .filter_map(|id| parse_chunk_id(id).and_then(|(doc, n)| key(tenant, doc, n).ok()))
            .collect();
        let mut found = HashMap::new();
        for batch in keys.chunks(100) {
            for item in self.items.batch_get(batch).await? {
                let chunk: StoredChunk = item.parse()?;
                found.insert(chunk.id.clone(), chunk);
            }
        }
        Ok(found)
    }

    /// Removes a document's chunks from `from_ordinal` on (all of them with 0).
    pub async fn delete_from(
        &self,
        tenant: &str,
        document_id: &str,
        from_ordinal: u32,
    ) -> PortResult<()> {
        let stale: Vec<Key> = self
            .of_document(tenant, document_id)
            .await?
            .into_iter()
            .filter(|c| c.ordinal >= from_ordinal)
            .map(|c| key(tenant, document_id, c.ordinal))
            .collect::<PortResult<_>>()?;
        for batch in stale.chunks(25) {
            self.items.batch_write(Vec::new(), batch.to_vec()).await?;
        }
        Ok(())
    }
}
