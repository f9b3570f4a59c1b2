//! BlobStore: S3 semantics (put/get/head/delete, list by prefix with pagination, content type
//! and user metadata, bounded reads, size-bounded presigned uploads).

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

/// What a client needs to upload straight to the store, bypassing the API: an HTML-form
/// style `POST` (S3's browser-based upload) of `multipart/form-data` to `url`, carrying
/// `fields` as they are and then the file in a last field named `file`. The store refuses a
/// file larger than the size it was signed for.
#[derive(Debug, Clone, PartialEq)]
pub struct PresignedUpload {
    pub url: String,
    /// Form fields to send before the file, exactly as given (key, policy, signature, ...).
    pub fields: BTreeMap<String, String>,
    /// Largest file the store accepts for this upload.
    pub max_bytes: u64,
    pub expires_at: DateTime<Utc>,
}

#[async_trait]
pub trait BlobStore: Send + Sync {
    async fn put(&self, key: &str, body: Bytes, options: PutOptions) -> PortResult<BlobMeta>;
    async fn get(&self, key: &str) -> PortResult<Option<Blob>>;
    /// At most the first `max_bytes` bytes of the object, never transferring more (an S3
    /// ranged GET); `meta.size` is still the whole object's size, so `meta.size > max_bytes`
    /// tells the caller the body was cut.
    async fn get_bounded(&self, key: &str, max_bytes: u64) -> PortResult<Option<Blob>>;
    async fn head(&self, key: &str) -> PortResult<Option<BlobMeta>>;
    /// Idempotent: deleting an absent key succeeds.
    async fn delete(&self, key: &str) -> PortResult<()>;
    async fn list(&self, prefix: &str, cursor: Option<String>, limit: u32) -> PortResult<BlobPage>;
    /// A form upload to `key` of at most `max_bytes` (at least 1), with this content type if
    /// given, valid for `expires_in`.
    async fn presign_upload(
        &self,
        key: &str,
        content_type: Option<&str>,
        max_bytes: u64,
        expires_in: Duration,
    ) -> PortResult<PresignedUpload>;
    async fn health(&self) -> PortResult<String>;
}

/// Most keys one `list` page returns (S3's ListObjectsV2 maximum).
pub const MAX_LIST: u32 = 1000;
/// Longest presigned-URL lifetime (SigV4's 7 days).
pub const MAX_PRESIGN: Duration = Duration::from_secs(7 * 24 * 60 * 60);
/// User metadata, names and values together (S3 allows 2 KB).
pub const MAX_METADATA_BYTES: usize = 2048;

/// Metadata that survives the round trip through S3's `x-amz-meta-*` headers.
pub fn validate_metadata(metadata: &BTreeMap<String, String>) -> PortResult<()> {
    let size: usize = metadata.iter().map(|(k, v)| k.len() + v.len()).sum();
    let bad_name = |k: &String| {
        k.is_empty()
            || !k
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_".contains(&b))
    };
    let bad_value = |v: &String| !v.bytes().all(|b| (b' '..=b'~').contains(&b));
    if size > MAX_METADATA_BYTES
        || metadata.keys().any(bad_name)
        || metadata.values().any(bad_value)
    {
        return Err(crate::PortError::Invalid(format!(
            "blob metadata needs names of [a-z0-9-_], printable ASCII values, {MAX_METADATA_BYTES} bytes in all"
        )));
    }
    Ok(())
}

pub fn validate_presign_lifetime(expires_in: Duration) -> PortResult<()> {
    if expires_in < Duration::from_secs(1) || expires_in > MAX_PRESIGN {
        return Err(crate::PortError::Invalid(format!(
            "presigned URLs last 1 second to {MAX_PRESIGN:?}, not {expires_in:?}"
        )));
    }
    Ok(())
}

/// Largest single upload S3 takes (a POST upload is one PUT-sized object).
pub const MAX_UPLOAD_BYTES: u64 = 5 * 1024 * 1024 * 1024;

pub fn validate_upload_size(max_bytes: u64) -> PortResult<()> {
    if !(1..=MAX_UPLOAD_BYTES).contains(&max_bytes) {
        return Err(crate::PortError::Invalid(format!(
            "a presigned upload takes 1 to {MAX_UPLOAD_BYTES} bytes, not {max_bytes}"
        )));
    }
    Ok(())
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
