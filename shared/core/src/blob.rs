//! BlobStore: S3 semantics (put/get/head/delete, list by prefix with pagination, content type
//! and user metadata, presigned upload URLs).

use crate::error::PortResult;
use async_trait::async_trait;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PutOptions {
    pub content_type: Option<String>,
    /// User metadata (S3 `x-amz-meta-*`); keys are lower-case ASCII.
    pub metadata: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BlobMeta {
    pub key: String,
    pub size: u64,
    pub content_type: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// Hex MD5 of the content for single-part uploads, as S3 reports it, without quotes.
    pub etag: String,
    pub last_modified: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Blob {
    pub meta: BlobMeta,
    pub body: Bytes,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BlobPage {
    /// Keys in ascending byte order. `list` fills only `key`, `size`, `etag` and
    /// `last_modified` reliably (S3 ListObjectsV2 returns no content type or metadata).
    pub items: Vec<BlobMeta>,
    pub next: Option<String>,
}

/// What a client needs to upload straight to the store, bypassing the API.
#[derive(Debug, Clone, PartialEq)]
pub struct PresignedRequest {
    pub method: String,
    pub url: String,
    /// Headers the client must send as signed (e.g. `content-type`).
    pub headers: BTreeMap<String, String>,
    pub expires_at: DateTime<Utc>,
}

#[async_trait]
pub trait BlobStore: Send + Sync {
    async fn put(&self, key: &str, body: Bytes, options: PutOptions) -> PortResult<BlobMeta>;
    async fn get(&self, key: &str) -> PortResult<Option<Blob>>;
    async fn head(&self, key: &str) -> PortResult<Option<BlobMeta>>;
    /// Idempotent: deleting an absent key succeeds.
    async fn delete(&self, key: &str) -> PortResult<()>;
    async fn list(&self, prefix: &str, cursor: Option<String>, limit: u32) -> PortResult<BlobPage>;
    async fn presign_put(
        &self,
        key: &str,
        content_type: Option<&str>,
        expires_in: Duration,
    ) -> PortResult<PresignedRequest>;
    async fn health(&self) -> PortResult<String>;
}

/// Keys are relative paths of non-empty segments: no leading `/`, no `.` or `..` segments, no
/// backslashes or control characters. Both adapters enforce it so that a key valid locally is
/// valid on S3 and can never escape the embedded data directory.
pub fn validate_key(key: &str) -> PortResult<()> {
    let bad = key.is_empty()
        || key.len() > 1024
        || key.starts_with('/')
        || key.contains('\\')
        || key.chars().any(char::is_control)
        || key
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..");
    if bad {
        return Err(crate::PortError::Invalid(format!(
            "invalid blob key {key:?}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::validate_key;

    #[test]
    fn keys_cannot_escape() {
        for bad in [
            "", "/abs", "a/../b", "a//b", "..", "a/./b", "a\\b", "a\nb", "a/",
        ] {
            assert!(validate_key(bad).is_err(), "{bad:?} accepted");
        }
        for good in ["a", "tenants/acme/docs/x.pdf", "a b/ü.txt"] {
            assert!(validate_key(good).is_ok(), "{good:?} refused");
        }
    }
}
