//! Document routes: upload (JSON or multipart, up to the direct limit), presigned uploads for
//! larger files, list, read, delete.

use crate::Research;
use crate::documents::{Document, Status};
use crate::ingest::{self, SubmitError, Submitted, Upload, job_for};
use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{StatusCode, header};
use axum::{Extension, Json};
use base64::Engine;
use bytes::Bytes;
use plasma_gateway::Principal;
use plasma_http::params::{Params, invalid};
use plasma_http::{Problem, json};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::time::Duration;
use utoipa::ToSchema;

pub const DOCUMENTS: &str = "/research/documents";
pub const DOCUMENT: &str = "/research/documents/{id}";
pub const UPLOADS: &str = "/research/uploads";
/// Largest file sent in the request itself; larger ones go through `POST /research/uploads`.
/// API Gateway and Lambda cap synchronous payloads near 6 MB.
pub const MAX_DIRECT_BYTES: usize = 4 * 1024 * 1024;
/// How long a presigned upload URL stays valid.
const UPLOAD_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// A document sent as JSON. Binary formats (PDF, DOCX) set `content_encoding: "base64"`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDocument {
    pub title: Option<String>,
    pub content: String,
    /// `text/plain`, `text/markdown`, `text/html`, `application/json`, `application/pdf`,
    /// or the DOCX type; detected from the content when absent.
    pub content_type: Option<String>,
    /// `base64` when `content` is base64-encoded bytes.
    pub content_encoding: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Map<String, Value>>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Identifies the file across uploads: a later upload with the same source replaces it.
    pub source: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentAccepted {
    pub id: String,
    pub status: Status,
    /// The same bytes were already a document; this is that document.
    pub duplicate: bool,
    /// An upload from the same source replaced this document's content.
    pub replaced: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentList {
    pub items: Vec<Document>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadRequest {
    pub filename: String,
    pub content_type: Option<String>,
}

/// A browser-style form upload (S3's POST policy): `POST` `multipart/form-data` to `url`
/// with every entry of `fields` as a form field, then the file in a last field named `file`.
/// A file larger than `max_bytes` is refused (413 locally, `EntityTooLarge` from S3).
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadTicket {
    pub url: String,
    /// Always `POST`.
    pub method: String,
    /// Form fields to send as they are, before the file.
    pub fields: BTreeMap<String, String>,
    /// Largest file this upload takes: the document size limit.
    pub max_bytes: u64,
    pub key: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

fn too_large(limit: usize) -> Problem {
    json::too_large().detail(format!(
        "documents sent in the request are limited to {limit} bytes; upload larger files with POST {UPLOADS}"
    ))
}

#[utoipa::path(
    post,
    path = DOCUMENTS,
    tag = "research",
    operation_id = "createDocument",
    request_body(
        description = "JSON, or a multipart form: `file` (the document), optional `title`, `metadata` (a JSON object), `tags` (comma-separated), `source`",
        content(
            (NewDocument = "application/json"),
            (Object = "multipart/form-data"),
        )
    ),
    responses(
        (status = 202, description = "Accepted: queued for ingestion, or the existing document for the same bytes", body = DocumentAccepted),
        (status = 413, description = "Larger than the direct-upload limit: use a presigned upload", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a supported document format (`unsupported_document`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    request: Request,
) -> Result<(StatusCode, Json<DocumentAccepted>), Problem> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let limit = MAX_DIRECT_BYTES;
    let body = axum::body::to_bytes(request.into_body(), limit + super::ENVELOPE)
        .await
        .map_err(|_| too_large(limit))?;
    let upload = if content_type.starts_with("multipart/form-data") {
        multipart(&content_type, body).await?
    } else if content_type.starts_with("application/json") {
        from_json(json::parse::<NewDocument>(&body)?)?
    } else {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Unsupported media type",
        )
        .detail("send application/json or multipart/form-data"));
    };
    if upload.bytes.len() > limit {
        return Err(too_large(limit));
    }
    let submitted = ingest::submit(&research, &who.tenant, upload)
        .await
        .map_err(submit_problem)?;
    if let Some(job) = job_for(&who.tenant, &submitted) {
        ingest::enqueue(&research, &job).await?;
    }
    let doc = submitted.document();
    Ok((
        StatusCode::ACCEPTED,
        Json(DocumentAccepted {
            id: doc.id.clone(),
            status: doc.status,
            duplicate: matches!(submitted, Submitted::Duplicate(_)),
            replaced: matches!(submitted, Submitted::Replaced(_)),
        }),
    ))
}

pub(crate) fn submit_problem(e: SubmitError) -> Problem {
    match e {
        SubmitError::TooLarge { .. } => json::too_large().detail(e.to_string()),
        SubmitError::Unsupported(reason) => Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_document",
            "Unsupported document",
        )
        .detail(reason.to_string()),
        SubmitError::Port(e) => e.into(),
    }
}

fn from_json(new: NewDocument) -> Result<Upload, Problem> {
    let bytes = match new.content_encoding.as_deref() {
        None => Bytes::from(new.content),
        Some("base64") => base64::engine::general_purpose::STANDARD
            .decode(new.content.trim())
            .map(Bytes::from)
            .map_err(|e| invalid("content", format!("not valid base64: {e}")))?,
        Some(other) => {
            return Err(invalid(
                "content_encoding",
                format!("unknown encoding {other:?}; use base64 or leave it out"),
            ));
        }
    };
    if bytes.is_empty() {
        return Err(invalid("content", "the document is empty"));
    }
    Ok(Upload {
        title: new.title,
        bytes,
        content_type: new.content_type,
        metadata: new.metadata.unwrap_or_default(),
        tags: clean_tags(new.tags)?,
        source: new.source,
        ..Upload::default()
    })
}

async fn multipart(content_type: &str, body: Bytes) -> Result<Upload, Problem> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| Problem::invalid(format!("malformed multipart content type: {e}")))?;
    let stream = futures::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut upload = Upload::default();
    let mut file = false;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| Problem::invalid(format!("malformed multipart body: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                upload.filename = field.file_name().map(str::to_owned);
                upload.content_type = field
                    .content_type()
                    .map(|m| m.essence_str().to_string())
                    .filter(|m| m != "application/octet-stream");
                upload.bytes = field
                    .bytes()
                    .await
                    .map_err(|e| invalid("file", e.to_string()))?;
                file = true;
            }
            "title" | "metadata" | "tags" | "source" => {
                let text = field
                    .text()
                    .await
                    .map_err(|e| invalid(&name, e.to_string()))?;
                match name.as_str() {
                    "title" => upload.title = Some(text),
                    "source" => upload.source = Some(text),
                    "tags" => {
                        upload.tags = clean_tags(
                            text.split(',')
                                .map(|t| t.trim().to_string())
                                .filter(|t| !t.is_empty())
                                .collect(),
                        )?
                    }
                    _ => {
                        upload.metadata = serde_json::from_str(&text).map_err(|e| {
                            invalid("metadata", format!("expected a JSON object: {e}"))
                        })?
                    }
                }
            }
            _ => {
                return Err(invalid(
                    &name,
                    "unknown field; expected file, title, metadata, tags or source",
                ));
            }
        }
    }
    if !file {
        return Err(invalid("file", "the form has no file field"));
    }
    if upload.bytes.is_empty() {
        return Err(invalid("file", "the file is empty"));
    }
    Ok(upload)
}

fn clean_tags(tags: Vec<String>) -> Result<Vec<String>, Problem> {
    if tags.len() > 50 {
        return Err(invalid("tags", "at most 50 tags"));
    }
    for (i, t) in tags.iter().enumerate() {
        if t.trim().is_empty() || t.len() > 100 {
            return Err(invalid(
                &format!("tags[{i}]"),
                "a tag is 1 to 100 characters",
            ));
        }
    }
    Ok(tags)
}

#[utoipa::path(
    post,
    path = UPLOADS,
    tag = "research",
    operation_id = "createUpload",
    request_body = UploadRequest,
    responses(
        (status = 201, description = "Where to POST the file as a form, and the fields to send with it; it is ingested once stored (S3 ObjectCreated → ingest)", body = UploadTicket),
    )
)]
pub(super) async fn upload(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    plasma_http::ApiJson(request): plasma_http::ApiJson<UploadRequest>,
) -> Result<(StatusCode, Json<UploadTicket>), Problem> {
    let filename = request.filename.trim();
    if filename.is_empty()
        || filename.len() > 200
        || filename.contains(['/', '\\'])
        || filename.starts_with('.')
        || filename.chars().any(char::is_control)
    {
        return Err(invalid(
            "filename",
            "a file name of 1 to 200 characters, without slashes",
        ));
    }
    if let Some(content_type) = &request.content_type
        && (content_type.is_empty()
            || content_type.len() > 200
            || !content_type.bytes().all(|b| (b' '..=b'~').contains(&b)))
    {
        return Err(invalid(
            "content_type",
            "a media type of 1 to 200 printable ASCII characters",
        ));
    }
    let key = ingest::incoming_key(&who.tenant, &research.ids.new_id(), filename);
    // The same limit ingestion applies, so nothing larger is ever stored to be refused.
    let presigned = research
        .blobs
        .presign_upload(
            &key,
            request.content_type.as_deref(),
            research.settings.max_document_bytes,
            UPLOAD_LIFETIME,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(UploadTicket {
            url: presigned.url,
            method: "POST".into(),
            fields: presigned.fields,
            max_bytes: presigned.max_bytes,
            key,
            expires_at: presigned.expires_at,
        }),
    ))
}

#[utoipa::path(
    get,
    path = DOCUMENTS,
    tag = "research",
    operation_id = "listDocuments",
    params(
        ("limit" = Option<u32>, Query, description = "1–100, default 50"),
        ("cursor" = Option<String>, Query, description = "`next` of the previous page"),
    ),
    responses((status = 200, description = "The tenant's documents, newest first", body = DocumentList))
)]
pub(super) async fn list(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Result<Json<DocumentList>, Problem> {
    let params = Params::parse(raw, &["limit", "cursor"])?;
    let limit = params
        .get("limit", "a number from 1 to 100", |v| {
            v.parse::<u32>().ok().filter(|n| (1..=100).contains(n))
        })?
        .unwrap_or(50);
    let (items, next) = research
        .documents
        .list(&who.tenant, limit, params.text("cursor"))
        .await?;
    Ok(Json(DocumentList { items, next }))
}

#[utoipa::path(
    get,
    path = DOCUMENT,
    tag = "research",
    operation_id = "getDocument",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The document: status (`queued`, `processing`, `indexed`, `failed` with `reason`) and metadata", body = Document),
        (status = 404, description = "No such document", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn get(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<Document>, Problem> {
    research
        .documents
        .get(&who.tenant, &id)
        .await?
        .map(Json)
        .ok_or_else(|| Problem::not_found(&format!("document {id}")))
}

#[utoipa::path(
    delete,
    path = DOCUMENT,
    tag = "research",
    operation_id = "deleteDocument",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted: its chunks, vectors and graph contributions are gone"),
        (status = 404, description = "No such document", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn delete(
    State(research): State<Research>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Body), Problem> {
    let Some(doc) = research.documents.get(&who.tenant, &id).await? else {
        return Err(Problem::not_found(&format!("document {id}")));
    };
    crate::ingest::delete(&research, &who.tenant, &doc).await?;
    Ok((StatusCode::NO_CONTENT, Body::empty()))
}
