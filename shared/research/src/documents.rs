//! Document records and the items that make uploads idempotent: one per content hash, and one
//! per source (an S3 key, or a caller-supplied source name) so a changed file replaces its
//! document instead of adding another.

use chrono::{DateTime, Utc};
use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::{DOCUMENT_HASHES, DOCUMENT_SOURCES, DOCUMENTS};
use plasma_core::{Condition, Item, ItemStore, Key, PortError, PortResult, Query};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Arc;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
// Named apart from the other `Status`s: the OpenAPI document keys schemas by name.
#[schema(as = DocumentStatus)]
pub enum Status {
    Queued,
    Processing,
    Indexed,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub status: Status,
    /// Why ingestion failed (`failed` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `text`, `markdown`, `html`, `pdf`, `docx` or `json`.
    pub format: String,
    pub content_type: String,
    pub size: u64,
    /// SHA-256 of the bytes, hex; empty for a file refused before it was read.
    pub content_hash: String,
    /// What identifies the file across uploads (`s3:<key>` for bucket drops); a new upload
    /// from the same source replaces this document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The caller's own metadata, returned with every search hit.
    #[schema(value_type = Object)]
    pub metadata: Map<String, Value>,
    pub tags: Vec<String>,
    /// The document's date for filters: `metadata.date` when given, else the upload time.
    pub date: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indexed_at: Option<DateTime<Utc>>,
    pub chunks: u32,
    pub entities: u32,
    /// Bumped by each replacement; an ingest job for an older version does nothing.
    pub version: u32,
    /// Where the bytes are; kept in the store (see [`item_of`]) but never shown to callers.
    #[serde(skip_serializing, default)]
    pub blob_key: String,
}

/// The stored form of a document: its public fields plus the blob key.
fn item_of(tenant: &str, doc: &Document) -> PortResult<Item> {
    let mut attrs = attrs_of(doc)?;
    attrs.insert("blob_key".into(), Value::from(doc.blob_key.as_str()));
    Ok(Item::new(doc_key(tenant, &doc.id)?, attrs))
}

/// Where a document's state lives in the item store.
#[derive(Clone)]
pub struct Documents {
    items: Arc<dyn ItemStore>,
}

fn doc_key(tenant: &str, id: &str) -> PortResult<Key> {
    Ok(Key::new(DOCUMENTS.key([tenant])?, id))
}
fn hash_key(tenant: &str, hash: &str) -> PortResult<Key> {
    Ok(Key::new(DOCUMENT_HASHES.key([tenant])?, hash))
}
fn source_key(tenant: &str, source: &str) -> PortResult<Key> {
    Ok(Key::new(DOCUMENT_SOURCES.key([tenant])?, source))
}

/// The blob holding an API upload's bytes.
pub fn blob_key(tenant: &str, id: &str) -> String {
    format!("research/{tenant}/documents/{id}")
}

/// Why a claim on a content hash or source did not go through.
pub enum Claim {
    Won,
    /// Another document already holds it.
    Held(String),
}

impl Documents {
    pub fn new(items: Arc<dyn ItemStore>) -> Self {
        Self { items }
    }

    pub async fn get(&self, tenant: &str, id: &str) -> PortResult<Option<Document>> {
        match self.items.get(&doc_key(tenant, id)?).await? {
            Some(item) => Ok(Some(item.parse()?)),
            None => Ok(None),
        }
    }

    pub async fn get_many(&self, tenant: &str, ids: &[String]) -> PortResult<Vec<Document>> {
        let keys: Vec<Key> = ids
            .iter()
            .map(|id| doc_key(tenant, id))
            .collect::<PortResult<_>>()?;
        let mut docs = Vec::new();
        for chunk in keys.chunks(100) {
            for item in self.items.batch_get(chunk).await? {
                docs.push(item.parse()?);
            }
        }
        Ok(docs)
    }

    /// Newest first, a page at a time.
    pub async fn list(
        &self,
        tenant: &str,
        limit: u32,
        cursor: Option<String>,
    ) -> PortResult<(Vec<Document>, Option<String>)> {
        let page = self
            .items
            .query(
                Query::partition(DOCUMENTS.key([tenant])?)
                    .descending()
                    .limit(limit)
                    .after(cursor),
            )
            .await?;
        let docs = page
            .items
            .iter()
            .map(Item::parse)
            .collect::<PortResult<_>>()?;
        Ok((docs, page.next))
    }

    pub async fn all(&self, tenant: &str) -> PortResult<Vec<Document>> {
        query_all(
            self.items.as_ref(),
            Query::partition(DOCUMENTS.key([tenant])?),
        )
        .await?
        .iter()
        .map(Item::parse)
        .collect()
    }

    pub async fn put(&self, tenant: &str, doc: &Document) -> PortResult<()> {
        self.items.put(item_of(tenant, doc)?, Condition::None).await
    }

    /// Writes `doc` only if the stored version is still `version`: a replacement that
    /// happened meanwhile wins over a stale pipeline.
    pub async fn put_if_version(
        &self,
        tenant: &str,
        doc: &Document,
        version: u32,
    ) -> PortResult<bool> {
        let item = item_of(tenant, doc)?;
        match self
            .items
            .put(
                item,
                Condition::Equals("version".into(), Value::from(version)),
            )
            .await
        {
            Ok(()) => Ok(true),
            Err(PortError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    pub async fn delete(&self, tenant: &str, id: &str) -> PortResult<()> {
        self.items
            .delete(&doc_key(tenant, id)?, Condition::None)
            .await
    }

    pub async fn claim_hash(&self, tenant: &str, hash: &str, id: &str) -> PortResult<Claim> {
        self.claim(hash_key(tenant, hash)?, id).await
    }

    pub async fn claim_source(&self, tenant: &str, source: &str, id: &str) -> PortResult<Claim> {
        self.claim(source_key(tenant, source)?, id).await
    }

    async fn claim(&self, key: Key, id: &str) -> PortResult<Claim> {
        let mut attrs = Map::new();
        attrs.insert("document_id".into(), Value::from(id));
        match self
            .items
            .put(Item::new(key.clone(), attrs), Condition::NotExists)
            .await
        {
            Ok(()) => Ok(Claim::Won),
            Err(PortError::Conflict(_)) => {
                let holder = self
                    .items
                    .get(&key)
                    .await?
                    .and_then(|i| {
                        i.get("document_id")
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                    })
                    .unwrap_or_default();
                Ok(Claim::Held(holder))
            }
            Err(e) => Err(e),
        }
    }

    /// Releases a claim, but only the holder's. A document whose bytes were never read (a
    /// refused upload) has an empty hash and holds no claim.
    pub async fn release_hash(&self, tenant: &str, hash: &str, id: &str) -> PortResult<()> {
        if hash.is_empty() {
            return Ok(());
        }
        self.release(hash_key(tenant, hash)?, id).await
    }

    pub async fn release_source(&self, tenant: &str, source: &str, id: &str) -> PortResult<()> {
        self.release(source_key(tenant, source)?, id).await
    }

    async fn release(&self, key: Key, id: &str) -> PortResult<()> {
        match self
            .items
            .delete(
                &key,
                Condition::Equals("document_id".into(), Value::from(id)),
            )
            .await
        {
            Ok(()) | Err(PortError::Conflict(_)) => Ok(()),
            Err(e) => Err(e),
        }
    }
}
