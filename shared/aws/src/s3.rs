//! [`BlobStore`] on one S3 bucket.

mod post_policy;

use crate::errors::sdk_error;
use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::{ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_s3::primitives::{ByteStream, DateTime as SmithyDateTime};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use plasma_core::blob::{
    MAX_LIST, validate_key, validate_metadata, validate_presign_lifetime, validate_upload_size,
};
use plasma_core::{
    Blob, BlobMeta, BlobPage, BlobStore, PortError, PortResult, PresignedUpload, PutOptions,
};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

pub struct S3BlobStore {
    client: Client,
    bucket: String,
    /// Where browser-style POST uploads go: the bucket's own endpoint.
    post_url: String,
    /// What POST policies are signed with and for (the client keeps its own to itself).
    credentials: Option<SharedCredentialsProvider>,
    region: Option<String>,
}

impl S3BlobStore {
    /// `sdk` gives the credentials and region POST policies are signed with, and any
    /// endpoint override (moto, LocalStack), where buckets are addressed by path.
    pub fn new(client: Client, bucket: String, sdk: &SdkConfig) -> Self {
        let region = sdk.region().map(|r| r.as_ref().to_owned());
        let post_url = match sdk.endpoint_url() {
            Some(endpoint) => format!("{}/{bucket}", endpoint.trim_end_matches('/')),
            None => format!(
                "https://{bucket}.s3.{}.amazonaws.com",
                region.as_deref().unwrap_or("us-east-1")
            ),
        };
        Self {
            client,
            bucket,
            post_url,
            credentials: sdk.credentials_provider(),
            region,
        }
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

    async fn get_bounded(&self, key: &str, max_bytes: u64) -> PortResult<Option<Blob>> {
        validate_key(key)?;
        let empty = |meta| Blob {
            meta,
            body: Bytes::new(),
        };
        if max_bytes == 0 {
            return Ok(self.head(key).await?.map(empty));
        }
        let out = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .range(format!("bytes=0-{}", max_bytes - 1))
            .send()
            .await
        {
            Ok(out) => out,
            Err(err) if err.as_service_error().is_some_and(|e| e.is_no_such_key()) => {
                return Ok(None);
            }
            // An empty object has no first byte for a range to start at.
            Err(err)
                if err
                    .raw_response()
                    .is_some_and(|r| r.status().as_u16() == 416) =>
            {
                return Ok(self.head(key).await?.map(empty));
            }
            Err(err) => return Err(sdk_error("s3 GetObject (range)", err)),
        };
        // `Content-Range: bytes 0-99/12345` carries the whole object's size.
        let total = out
            .content_range
            .as_deref()
            .and_then(|range| range.rsplit_once('/'))
            .and_then(|(_, total)| total.parse().ok())
            .unwrap_or_else(|| size(out.content_length));
        let meta = BlobMeta {
            key: key.to_string(),
            size: total,
            content_type: out.content_type,
            metadata: metadata(out.metadata),
            etag: etag(out.e_tag.as_deref()),
            last_modified: timestamp(out.last_modified.as_ref())?,
        };
        // Read chunk by chunk and stop at the bound, whatever the server sent.
        let mut body = Vec::with_capacity(total.min(max_bytes) as usize);
        let mut stream = out.body;
        while (body.len() as u64) < max_bytes {
            let Some(chunk) = stream.try_next().await.map_err(|err| {
                PortError::Backend(format!("s3 GetObject {key:?}: reading the body: {err}"))
            })?
            else {
                break;
            };
            let room = (max_bytes - body.len() as u64).min(chunk.len() as u64) as usize;
            body.extend_from_slice(&chunk[..room]);
        }
        Ok(Some(Blob {
            meta,
            body: Bytes::from(body),
        }))
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

    async fn presign_upload(
        &self,
        key: &str,
        content_type: Option<&str>,
        max_bytes: u64,
        expires_in: Duration,
    ) -> PortResult<PresignedUpload> {
        validate_key(key)?;
        validate_upload_size(max_bytes)?;
        // SigV4 counts the lifetime in whole seconds, 1 to 7 days' worth.
        let lifetime = Duration::from_secs(expires_in.as_secs());
        validate_presign_lifetime(lifetime)?;
        let credentials = self
            .credentials
            .as_ref()
            .ok_or_else(|| PortError::NotConfigured("no AWS credentials to sign with".into()))?
            .provide_credentials()
            .await
            .map_err(|err| PortError::Backend(format!("AWS credentials: {err}")))?;
        let region = self
            .region
            .as_deref()
            .ok_or_else(|| PortError::NotConfigured("no AWS region to sign for".into()))?;
        let now = Utc::now();
        let expires_at = now + chrono::Duration::seconds(lifetime.as_secs() as i64);
        let fields = post_policy::form_fields(
            &post_policy::Upload {
                bucket: &self.bucket,
                key,
                content_type,
                max_bytes,
                expires_at,
            },
            &post_policy::Signer {
                access_key_id: credentials.access_key_id(),
                secret_access_key: credentials.secret_access_key(),
                session_token: credentials.session_token(),
                region,
                now,
            },
        );
        Ok(PresignedUpload {
            url: self.post_url.clone(),
            fields,
            max_bytes,
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
