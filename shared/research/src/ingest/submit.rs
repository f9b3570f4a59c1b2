//! Turning uploaded bytes into a queued document, idempotently.

use crate::Research;
use crate::documents::{Claim, Document, Status};
use crate::originals;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use plasma_core::{PortError, PortResult};
use plasma_documents::{ExtractError, Format};
use serde_json::{Map, Value};

/// What an upload carries, whichever path it came by.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub title: Option<String>,
    pub bytes: Bytes,
    pub content_type: Option<String>,
    pub filename: Option<String>,
    pub metadata: Map<String, Value>,
    pub tags: Vec<String>,
    /// Identifies the file across uploads; an upload from the same source replaces it.
    pub source: Option<String>,
    /// Where the bytes already are (bucket drops); API uploads are stored by `submit`.
    pub stored_at: Option<String>,
}

#[derive(Debug)]
pub enum Submitted {
    /// A new document, queued for ingestion.
    Created(Document),
    /// The source's document, with new content queued for ingestion.
    Replaced(Document),
    /// These bytes are already a document; nothing to do.
    Duplicate(Document),
}

impl Submitted {
    pub fn document(&self) -> &Document {
        match self {
            Submitted::Created(d) | Submitted::Replaced(d) | Submitted::Duplicate(d) => d,
        }
    }
    pub fn needs_ingest(&self) -> bool {
        !matches!(self, Submitted::Duplicate(_))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("the document is {size} bytes; the limit is {limit}")]
    TooLarge { size: u64, limit: u64 },
    #[error(transparent)]
    Unsupported(ExtractError),
    #[error(transparent)]
    Port(#[from] PortError),
}

pub async fn submit(
    research: &Research,
    tenant: &str,
    upload: Upload,
) -> Result<Submitted, SubmitError> {
    let size = upload.bytes.len() as u64;
    let limit = research.settings.max_document_bytes;
    if size > limit {
        return Err(SubmitError::TooLarge { size, limit });
    }
    let format = Format::detect(
        upload.content_type.as_deref(),
        upload.filename.as_deref(),
        &upload.bytes,
    )
    .map_err(SubmitError::Unsupported)?;
    let hash = plasma_documents::content_hash(&upload.bytes);
    let docs = &research.documents;

    if let Some(source) = &upload.source
        && let Some(existing) = source_holder(research, tenant, source).await?
    {
        if existing.content_hash == hash {
            return Ok(Submitted::Duplicate(existing));
        }
        return Ok(Submitted::Replaced(
            replace(research, tenant, existing, upload, format, hash).await?,
        ));
    }

    let id = research.ids.new_id();
    match docs.claim_hash(tenant, &hash, &id).await? {
        Claim::Won => {}
        Claim::Held(holder) => match docs.get(tenant, &holder).await? {
            Some(existing) => return Ok(Submitted::Duplicate(existing)),
            // A claim whose document is gone (a delete interrupted half-way): take it over.
            None => {
                docs.release_hash(tenant, &hash, &holder).await?;
                if let Claim::Held(_) = docs.claim_hash(tenant, &hash, &id).await? {
                    return Err(PortError::Conflict(
                        "the same bytes are being uploaded concurrently".into(),
                    )
                    .into());
                }
            }
        },
    }
    let now = research.clock.now();
    let blob_key = store_bytes(research, tenant, &id, &upload, format).await?;
    let doc = Document {
        id: id.clone(),
        title: title_of(&upload),
        status: Status::Queued,
        reason: None,
        format: format.as_str().to_string(),
        content_type: format.content_type().to_string(),
        size,
        content_hash: hash,
        source: upload.source.clone(),
        date: date_of(&upload.metadata).unwrap_or(now),
        metadata: upload.metadata,
        tags: upload.tags,
        created_at: now,
        updated_at: now,
        indexed_at: None,
        chunks: 0,
        entities: 0,
        version: 1,
        blob_key,
    };
    docs.put(tenant, &doc).await?;
    if let Some(source) = &doc.source {
        docs.claim_source(tenant, source, &id).await?;
    }
    Ok(Submitted::Created(doc))
}

/// A file that will not be ingested: too large, not a document, or never readable.
#[derive(Debug, Clone)]
pub struct Refused {
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size: u64,
    /// The source it came from (`s3:<key>`).
    pub source: String,
    /// Where its bytes are, so deleting the document deletes them too.
    pub stored_at: String,
}

/// Records a refused file as a `failed` document saying why, so that whoever uploaded it
/// sees what became of it. Its bytes were never read, so it claims no content hash; it
/// claims its source, so a later upload from there replaces it, and recording the same
/// refusal again changes nothing.
pub async fn refuse(
    research: &Research,
    tenant: &str,
    refused: Refused,
    reason: String,
) -> PortResult<Document> {
    let docs = &research.documents;
    let now = research.clock.now();
    if let Some(mut doc) = source_holder(research, tenant, &refused.source).await? {
        if doc.status == Status::Failed && doc.reason.as_deref() == Some(&*reason) {
            return Ok(doc);
        }
        // A newer file at the same source: the version moves on, so ingest jobs for the
        // old one stop.
        doc.status = Status::Failed;
        doc.reason = Some(reason);
        doc.size = refused.size;
        doc.version += 1;
        doc.updated_at = now;
        docs.put(tenant, &doc).await?;
        announce(research, tenant, &doc).await;
        return Ok(doc);
    }
    let upload = Upload {
        filename: refused.filename,
        ..Upload::default()
    };
    let format = Format::detect(
        refused.content_type.as_deref(),
        upload.filename.as_deref(),
        b"",
    )
    .ok();
    let id = research.ids.new_id();
    let doc = Document {
        id: id.clone(),
        title: title_of(&upload),
        status: Status::Failed,
        reason: Some(reason),
        format: format.map_or("unknown", |f| f.as_str()).to_string(),
        content_type: refused
            .content_type
            .unwrap_or_else(|| "application/octet-stream".into()),
        size: refused.size,
        content_hash: String::new(),
        source: Some(refused.source.clone()),
        metadata: Map::new(),
        tags: Vec::new(),
        date: now,
        created_at: now,
        updated_at: now,
        indexed_at: None,
        chunks: 0,
        entities: 0,
        version: 1,
        blob_key: refused.stored_at,
    };
    if let Claim::Held(holder) = docs.claim_source(tenant, &refused.source, &id).await? {
        // Refused concurrently (the same notification twice at once): one record is enough.
        return match docs.get(tenant, &holder).await? {
            Some(doc) => Ok(doc),
            None => Err(PortError::Conflict(
                "the source's document is being replaced concurrently".into(),
            )),
        };
    }
    docs.put(tenant, &doc).await?;
    announce(research, tenant, &doc).await;
    Ok(doc)
}

async fn announce(research: &Research, tenant: &str, doc: &Document) {
    let job = super::IngestJob {
        tenant: tenant.to_string(),
        document_id: doc.id.clone(),
        version: doc.version,
    };
    super::pipeline::publish(research, &job, super::DOCUMENT_FAILED, doc.reason.clone()).await;
}

/// The document a source's uploads go to, if there is one.
pub(super) async fn source_holder(
    research: &Research,
    tenant: &str,
    source: &str,
) -> PortResult<Option<Document>> {
    let probe = research.ids.new_id();
    match research
        .documents
        .claim_source(tenant, source, &probe)
        .await?
    {
        Claim::Held(holder) => research.documents.get(tenant, &holder).await,
        Claim::Won => {
            // Nobody held it; release the probe so `submit` claims it with the real id.
            research
                .documents
                .release_source(tenant, source, &probe)
                .await?;
            Ok(None)
        }
    }
}

async fn replace(
    research: &Research,
    tenant: &str,
    mut doc: Document,
    upload: Upload,
    format: Format,
    hash: String,
) -> PortResult<Document> {
    let docs = &research.documents;
    docs.release_hash(tenant, &doc.content_hash, &doc.id)
        .await?;
    // If another document already has these bytes the claim stays theirs; this one is
    // still replaced, because its source changed.
    docs.claim_hash(tenant, &hash, &doc.id).await?;
    let previous = std::mem::take(&mut doc.blob_key);
    doc.blob_key = store_bytes(research, tenant, &doc.id, &upload, format).await?;
    if previous != doc.blob_key && !previous.starts_with(crate::ingest::INCOMING_PREFIX) {
        // The old bytes moved (grew past the inline limit, or shrank under it).
        originals::remove(research, tenant, &previous).await?;
    }
    let now = research.clock.now();
    if let Some(title) = upload.title.clone() {
        doc.title = title;
    }
    doc.status = Status::Queued;
    doc.reason = None;
    doc.format = format.as_str().to_string();
    doc.content_type = format.content_type().to_string();
    doc.size = upload.bytes.len() as u64;
    doc.content_hash = hash;
    if !upload.metadata.is_empty() {
        doc.date = date_of(&upload.metadata).unwrap_or(doc.date);
        doc.metadata = upload.metadata;
    }
    if !upload.tags.is_empty() {
        doc.tags = upload.tags;
    }
    doc.updated_at = now;
    doc.version += 1;
    docs.put(tenant, &doc).await?;
    Ok(doc)
}

async fn store_bytes(
    research: &Research,
    tenant: &str,
    id: &str,
    upload: &Upload,
    format: Format,
) -> PortResult<String> {
    if let Some(key) = &upload.stored_at {
        return Ok(key.clone());
    }
    originals::store(research, tenant, id, &upload.bytes, format.content_type()).await
}

/// The caller's title, else the file name without its extension; empty means "take the
/// title the document itself gives" at ingestion.
fn title_of(upload: &Upload) -> String {
    if let Some(title) = upload
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        return title.to_string();
    }
    upload
        .filename
        .as_deref()
        .map(|f| f.rsplit('/').next().unwrap_or(f))
        .map(|f| f.rsplit_once('.').map_or(f, |(stem, _)| stem).to_string())
        .unwrap_or_default()
}

fn date_of(metadata: &Map<String, Value>) -> Option<DateTime<Utc>> {
    let raw = metadata.get("date")?.as_str()?;
    DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}
