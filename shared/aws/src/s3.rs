//! [`BlobStore`] on one S3 bucket.

use crate::errors::sdk_error;
use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::{ByteStream, DateTime as SmithyDateTime};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use plasma_core::blob::{MAX_LIST, validate_key, validate_metadata, validate_presign_lifetime};
use plasma_core::{
    Blob, BlobMeta, BlobPage, BlobStore, PortError, PortResult, PresignedRequest, PutOptions,
};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

pub struct S3BlobStore {
    client: Client,
    bucket: String,
}

impl S3BlobStore {
    pub fn new(client: Client, bucket: String) -> Self {
        Self { client, bucket }
    }
}

/// S3 quotes ETags (`"abc…"`); the port promises the bare hex digest.
fn etag(raw: Option<&str>) -> String {
    raw.unwrap_or_default().trim_matches('"').to_string()
}

fn timestamp(t: Option<&SmithyDateTime>) -> PortResult<DateTime<Utc>> {
    let t = t.ok_or_else(|| PortError::Backend("s3 response lacks Last-Modified".into()))?;
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
        .ok_or_else(|| PortError::Backend(format!("s3 Last-Modified {t} is out of range")))
}

fn size(length: Option<i64>) -> u64 {
    length
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or_default()
}

fn metadata(map: Option<HashMap<String, String>>) -> BTreeMap<String, String> {
    map.unwrap_or_default().into_iter().collect()
}

#[async_trait]
impl BlobStore for S3BlobStore {
    async fn put(&self, key: &str, body: Bytes, options: PutOptions) -> PortResult<BlobMeta> {
        validate_key(key)?;
        validate_metadata(&options.metadata)?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(ByteStream::from(body))
            .set_content_type(options.content_type)
            .set_metadata(Some(options.metadata.into_iter().collect()))
            .send()
            .await
            .map_err(|err| sdk_error("s3 PutObject", err))?;
        // PutObject returns no Last-Modified or stored content type; report what S3 now
        // holds, exactly as `head` will.
        self.head(key).await?.ok_or_else(|| {
            PortError::Backend(format!("s3 object {key:?} vanished right after PutObject"))
        })
    }

    async fn get(&self, key: &str) -> PortResult<Option<Blob>> {
        validate_key(key)?;
        let out = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(out) => out,
            Err(err) if err.as_service_error().is_some_and(|e| e.is_no_such_key()) => {
                return Ok(None);
            }
            Err(err) => return Err(sdk_error("s3 GetObject", err)),
        };
        let meta = BlobMeta {
            key: key.to_string(),
            size: size(out.content_length),
            content_type: out.content_type,
            metadata: metadata(out.metadata),
            etag: etag(out.e_tag.as_deref()),
            last_modified: timestamp(out.last_modified.as_ref())?,
        };
        let body = out
            .body
            .collect()
            .await
            .map_err(|err| {
                PortError::Backend(format!("s3 GetObject {key:?}: reading the body: {err}"))
            })?
            .into_bytes();
        Ok(Some(Blob { meta, body }))
    }

    async fn head(&self, key: &str) -> PortResult<Option<BlobMeta>> {
        validate_key(key)?;
        let out = match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(out) => out,
            Err(err) if err.as_service_error().is_some_and(|e| e.is_not_found()) => {
                return Ok(None);
            }
            Err(err) => return Err(sdk_error("s3 HeadObject", err)),
        };
        Ok(Some(BlobMeta {
            key: key.to_string(),
            size: size(out.content_length),
            content_type: out.content_type,
            metadata: metadata(out.metadata),
            etag: etag(out.e_tag.as_deref()),
            last_modified: timestamp(out.last_modified.as_ref())?,
        }))
    }

    async fn delete(&self, key: &str) -> PortResult<()> {
        validate_key(key)?;
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|err| sdk_error("s3 DeleteObject", err))?;
        Ok(())
    }

    async fn list(&self, prefix: &str, cursor: Option<String>, limit: u32) -> PortResult<BlobPage> {
        if limit == 0 {
            return Err(PortError::Invalid("list limit must be at least 1".into()));
        }
        let out = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .set_prefix((!prefix.is_empty()).then(|| prefix.to_string()))
            .max_keys(limit.min(MAX_LIST) as i32)
            .set_continuation_token(cursor)
            .send()
            .await
            .map_err(|err| sdk_error("s3 ListObjectsV2", err))?;
        let items = out
            .contents
            .unwrap_or_default()
            .into_iter()
            .map(|object| {
                Ok(BlobMeta {
                    key: object.key.unwrap_or_default(),
                    size: size(object.size),
                    content_type: None,
                    metadata: BTreeMap::new(),
                    etag: etag(object.e_tag.as_deref()),
                    last_modified: timestamp(object.last_modified.as_ref())?,
                })
            })
            .collect::<PortResult<_>>()?;
        let next = if out.is_truncated.unwrap_or(false) {
            out.next_continuation_token
        } else {
            None
        };
        Ok(BlobPage { items, next })
    }

    async fn presign_put(
        &self,
        key: &str,
        content_type: Option<&str>,
        expires_in: Duration,
    ) -> PortResult<PresignedRequest> {
        validate_key(key)?;
        // SigV4 counts the lifetime in whole seconds, 1 to 7 days' worth.
        let lifetime = Duration::from_secs(expires_in.as_secs());
        validate_presign_lifetime(lifetime)?;
        let config = PresigningConfig::expires_in(lifetime).map_err(|err| {
            PortError::Invalid(format!("presigned URL lifetime {expires_in:?}: {err}"))
        })?;
        let expires_at = Utc::now() + chrono::Duration::seconds(lifetime.as_secs() as i64);
        // A content type given here is signed, so the client must send exactly it.
        let presigned = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .set_content_type(content_type.map(String::from))
            .presigned(config)
            .await
            .map_err(|err| sdk_error("s3 PutObject (presign)", err))?;
        Ok(PresignedRequest {
            method: presigned.method().to_string(),
            url: presigned.uri().to_string(),
            headers: presigned
                .headers()
                .map(|(name, value)| (name.to_ascii_lowercase(), value.to_string()))
                .collect(),
            expires_at,
        })
    }

    async fn health(&self) -> PortResult<String> {
        match self.client.head_bucket().bucket(&self.bucket).send().await {
            Ok(_) => Ok(format!("s3 bucket {}", self.bucket)),
            // A HEAD response has no body, so a missing bucket arrives as a bare NotFound.
            Err(err) if err.as_service_error().is_some_and(|e| e.is_not_found()) => Err(
                PortError::NotConfigured(format!("s3 bucket {} does not exist", self.bucket)),
            ),
            Err(err) => Err(sdk_error("s3 HeadBucket", err)),
        }
    }
}
