//! `BlobStore` on the file system. Each blob is a body file plus a JSON sidecar holding its
//! content type, metadata, etag and modification time; both are replaced atomically (temp file
//! in the same directory, fsync, rename). The sidecar is the blob's existence: a body without
//! one (left by a crash mid-put) is invisible.

mod layout;
mod presign;

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use md5::{Digest, Md5};
use plasma_core::blob::{
    MAX_LIST, validate_key, validate_metadata, validate_presign_lifetime, validate_upload_size,
};
use plasma_core::{
    Blob, BlobMeta, BlobPage, BlobStore, Clock, PortError, PortResult, PresignedUpload, PutOptions,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use layout::{keys_with_prefix, paths, stage, sync_dir};
pub use presign::VerifiedUpload;
use presign::{Signer, UploadGrant};

pub struct FileBlobStore {
    dir: PathBuf,
    objects: PathBuf,
    clock: Arc<dyn Clock>,
    upload_base_url: String,
    signer: Arc<Signer>,
    /// Held for writing around the pair of renames of a put or delete, and for reading around
    /// reading a pair, so this process never sees a new body with the old sidecar.
    pairs: Arc<RwLock<()>>,
}

#[derive(Serialize, Deserialize)]
struct Sidecar {
    size: u64,
    etag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
    last_modified: DateTime<Utc>,
}

impl Sidecar {
    fn into_meta(self, key: String) -> BlobMeta {
        BlobMeta {
            key,
            size: self.size,
            content_type: self.content_type,
            metadata: self.metadata,
            etag: self.etag,
            last_modified: self.last_modified,
        }
    }
}

fn io_err(what: &str, key: &str, e: io::Error) -> PortError {
    PortError::Backend(format!("{what} blob {key}: {e}"))
}

/// Read a sidecar; `None` when the blob does not exist.
fn read_sidecar(path: &Path, key: &str) -> PortResult<Option<Sidecar>> {
    match std::fs::read(path) {
        Ok(json) => serde_json::from_slice(&json)
            .map(Some)
            .map_err(|e| PortError::Backend(format!("metadata of blob {key} is malformed: {e}"))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err("reading", key, e)),
    }
}

impl FileBlobStore {
    pub fn open(dir: &Path, clock: Arc<dyn Clock>, upload_base_url: String) -> PortResult<Self> {
        let objects = dir.join("objects");
        std::fs::create_dir_all(&objects)
            .map_err(|e| PortError::Backend(format!("creating {}: {e}", objects.display())))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            signer: Arc::new(Signer::load_or_create(dir)?),
            objects,
            clock,
            upload_base_url: upload_base_url.trim_end_matches('/').to_owned(),
            pairs: Arc::new(RwLock::new(())),
        })
    }

    /// Check the form fields of an upload the runner received at `POST /_blobs` against what
    /// [`BlobStore::presign_upload`] signed; what the upload may then write.
    pub fn verify_upload(&self, fields: &BTreeMap<String, String>) -> PortResult<VerifiedUpload> {
        let upload = self.signer.verify(fields)?;
        validate_key(&upload.key)?;
        if self.clock.now().timestamp() > upload.expires {
            return Err(PortError::Invalid("upload URL has expired".into()));
        }
        Ok(upload)
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> PortResult<T> + Send + 'static,
    ) -> PortResult<T> {
        tokio::task::spawn_blocking(work)
            .await
            .map_err(PortError::backend)?
    }
}

#[async_trait]
impl BlobStore for FileBlobStore {
    async fn put(&self, key: &str, body: Bytes, options: PutOptions) -> PortResult<BlobMeta> {
        let at = paths(&self.objects, key)?;
        validate_metadata(&options.metadata)?;
        let sidecar = Sidecar {
            size: body.len() as u64,
            etag: hex::encode(Md5::digest(&body)),
            content_type: options.content_type,
            metadata: options.metadata,
            last_modified: self.clock.now(),
        };
        let json = serde_json::to_vec(&sidecar).map_err(PortError::backend)?;
        let (key, pairs) = (key.to_owned(), Arc::clone(&self.pairs));
        self.blocking(move || {
            let fail = |e| io_err("writing", &key, e);
            let staged_body = stage(&at.body, &body).map_err(fail)?;
            let staged_meta = stage(&at.meta, &json).map_err(fail)?;
            {
                let _pair = pairs
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                // Body first: until the sidecar lands, a new key stays invisible.
                staged_body.persist(&at.body).map_err(|e| fail(e.error))?;
                staged_meta.persist(&at.meta).map_err(|e| fail(e.error))?;
            }
            if let Some(dir) = at.body.parent() {
                sync_dir(dir);
            }
            Ok(sidecar.into_meta(key))
        })
        .await
    }

    async fn get(&self, key: &str) -> PortResult<Option<Blob>> {
        // The whole body: a bound no file reaches.
        self.get_bounded(key, u64::MAX).await
    }

    async fn get_bounded(&self, key: &str, max_bytes: u64) -> PortResult<Option<Blob>> {
        let at = paths(&self.objects, key)?;
        let (key, pairs) = (key.to_owned(), Arc::clone(&self.pairs));
        self.blocking(move || {
            let _pair = pairs
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let Some(sidecar) = read_sidecar(&at.meta, &key)? else {
                return Ok(None);
            };
            let file = match std::fs::File::open(&at.body) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(io_err("reading", &key, e)),
            };
            let mut body = Vec::with_capacity(sidecar.size.min(max_bytes) as usize);
            file.take(max_bytes)
                .read_to_end(&mut body)
                .map_err(|e| io_err("reading", &key, e))?;
            Ok(Some(Blob {
                meta: sidecar.into_meta(key),
                body: Bytes::from(body),
            }))
        })
        .await
    }

    async fn head(&self, key: &str) -> PortResult<Option<BlobMeta>> {
        let at = paths(&self.objects, key)?;
        let key = key.to_owned();
        self.blocking(move || Ok(read_sidecar(&at.meta, &key)?.map(|s| s.into_meta(key))))
            .await
    }

    async fn delete(&self, key: &str) -> PortResult<()> {
        let at = paths(&self.objects, key)?;
        let (key, pairs) = (key.to_owned(), Arc::clone(&self.pairs));
        self.blocking(move || {
            let _pair = pairs
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            // Sidecar first: the blob is gone the moment it is.
            for path in [&at.meta, &at.body] {
                match std::fs::remove_file(path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(io_err("deleting", &key, e)),
                }
            }
            Ok(())
        })
        .await
    }

    async fn list(&self, prefix: &str, cursor: Option<String>, limit: u32) -> PortResult<BlobPage> {
        if limit == 0 {
            return Err(PortError::Invalid("list limit must be at least 1".into()));
        }
        let limit = limit.min(MAX_LIST) as usize;
        let after = cursor
            .map(|c| {
                URL_SAFE_NO_PAD
                    .decode(c)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .ok_or_else(|| PortError::Invalid("malformed list cursor".into()))
            })
            .transpose()?;
        let (objects, prefix) = (self.objects.clone(), prefix.to_owned());
        self.blocking(move || {
            let mut keys =
                keys_with_prefix(&objects, &prefix).map_err(|e| io_err("listing", &prefix, e))?;
            keys.sort_unstable();
            let start = after.map_or(0, |after| keys.partition_point(|k| *k <= after));
            let mut page = BlobPage::default();
            for key in keys.iter().skip(start) {
                if page.items.len() == limit {
                    page.next = page.items.last().map(|m| URL_SAFE_NO_PAD.encode(&m.key));
                    break;
                }
                // A key deleted since the walk, or a body whose sidecar never landed, is skipped.
                if let Some(sidecar) = read_sidecar(&paths(&objects, key)?.meta, key)? {
                    page.items.push(sidecar.into_meta(key.clone()));
                }
            }
            Ok(page)
        })
        .await
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
        validate_presign_lifetime(Duration::from_secs(expires_in.as_secs()))?;
        let expires_at = self.clock.now() + chrono::Duration::seconds(expires_in.as_secs() as i64);
        let fields = self.signer.sign(&UploadGrant {
            key,
            expires: expires_at.timestamp(),
            max_bytes,
            content_type,
        })?;
        Ok(PresignedUpload {
            url: format!("{}/_blobs", self.upload_base_url),
            fields,
            max_bytes,
            expires_at,
        })
    }

    async fn health(&self) -> PortResult<String> {
        let (objects, dir) = (self.objects.clone(), self.dir.display().to_string());
        let count = self
            .blocking(move || keys_with_prefix(&objects, "").map_err(|e| io_err("listing", "", e)))
            .await?
            .len();
        Ok(format!("files {dir} ({count} blobs)"))
    }
}

#[cfg(test)]
mod tests;
