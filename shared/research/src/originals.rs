//! Where a document's original bytes are kept: small ones (notes, pages, abstracts: most
//! documents) in the item store beside the record, larger ones in the blob store. One item
//! write instead of a blob put saves an S3 PUT per document deployed, and locally two
//! fsync'd files and a directory sync, which dominated bulk ingestion.

use crate::Research;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use plasma_core::keys::ORIGINALS;
use plasma_core::{Condition, Item, Key, PortError, PortResult, PutOptions};
use serde_json::{Map, Value};

/// Largest original kept in the item store; base64 makes it about 87 KB, well inside
/// DynamoDB's 400 KB item limit.
pub const INLINE_LIMIT: usize = 64 * 1024;
/// Locations of originals in the item store start with this; anything else is a blob key.
const INLINE: &str = "item:";

fn item_key(tenant: &str, id: &str) -> PortResult<Key> {
    Ok(Key::new(ORIGINALS.key([tenant])?, id))
}

/// Stores `bytes` for document `id`; returns the location to record on the document.
pub async fn store(
    research: &Research,
    tenant: &str,
    id: &str,
    bytes: &Bytes,
    content_type: &str,
) -> PortResult<String> {
    if bytes.len() <= INLINE_LIMIT {
        let mut attrs = Map::new();
        attrs.insert("body".into(), Value::from(STANDARD.encode(bytes)));
        research
            .items
            .put(Item::new(item_key(tenant, id)?, attrs), Condition::None)
            .await?;
        return Ok(format!("{INLINE}{id}"));
    }
    let key = crate::documents::blob_key(tenant, id);
    let options = PutOptions {
        content_type: Some(content_type.to_string()),
        ..PutOptions::default()
    };
    research.blobs.put(&key, bytes.clone(), options).await?;
    Ok(key)
}

/// An original as loaded: at most the bytes asked for, and the size of the whole.
pub struct Original {
    pub bytes: Bytes,
    /// Larger than `bytes` when the original is over the bound it was loaded with.
    pub size: u64,
}

/// The bytes at `location`, never more than `max_bytes` of them; `None` when they are gone.
pub async fn load(
    research: &Research,
    tenant: &str,
    location: &str,
    max_bytes: u64,
) -> PortResult<Option<Original>> {
    match location.strip_prefix(INLINE) {
        // Inline originals are at most INLINE_LIMIT bytes, whatever the bound.
        Some(id) => match research.items.get(&item_key(tenant, id)?).await? {
            Some(item) => item
                .get("body")
                .and_then(Value::as_str)
                .and_then(|b| STANDARD.decode(b).ok())
                .map(|b| {
                    Some(Original {
                        size: b.len() as u64,
                        bytes: Bytes::from(b),
                    })
                })
                .ok_or_else(|| PortError::Backend(format!("the original of {id} is malformed"))),
            None => Ok(None),
        },
        None => Ok(research
            .blobs
            .get_bounded(location, max_bytes)
            .await?
            .map(|b| Original {
                size: b.meta.size,
                bytes: b.body,
            })),
    }
}

pub async fn remove(research: &Research, tenant: &str, location: &str) -> PortResult<()> {
    match location.strip_prefix(INLINE) {
        Some(id) => {
            research
                .items
                .delete(&item_key(tenant, id)?, Condition::None)
                .await
        }
        None => research.blobs.delete(location).await,
    }
}
