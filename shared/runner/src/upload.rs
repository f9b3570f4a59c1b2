//! The local stand-in for S3 presigned POST uploads: `POST /_blobs` with the form fields the
//! embedded blob store signed, then the file. Mounted outside the API's layers because
//! uploads are larger than any JSON body and are authorized by the signature, not a token.
//!
//! Like S3 with a POST policy's `content-length-range`, it refuses a file larger than the
//! upload was signed for, and it never holds more than that in memory: a declared
//! `Content-Length` above the limit is refused before the body is read, and the file is read
//! chunk by chunk and dropped the moment it passes the signed size.

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use plasma_core::{BlobMeta, BlobStore, OutMessage, PutOptions, Queue};
use plasma_embedded::Embedded;
use plasma_http::Problem;
use plasma_platform::topology;
use plasma_research::ingest::INCOMING_PREFIX;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Room for the form's other fields and the multipart framing around the file.
const FORM_OVERHEAD: u64 = 64 * 1024;
/// Largest value of a form field other than the file (a key, a signature).
const MAX_FIELD: u64 = 8 * 1024;
/// Most fields a form may carry before its file.
const MAX_FIELDS: usize = 16;

#[derive(Clone)]
struct Uploads {
    embedded: Arc<Embedded>,
    /// The largest file any upload is signed for: research's document size limit.
    max_file: u64,
}

/// The upload route; `max_file` is the largest file any presigned upload allows.
pub fn routes(embedded: Arc<Embedded>, max_file: u64) -> Router {
    Router::new()
        .route("/_blobs", post(upload))
        .with_state(Uploads { embedded, max_file })
}

async fn upload(State(uploads): State<Uploads>, headers: HeaderMap, body: Body) -> Response {
    match receive(&uploads, &headers, body).await {
        Ok(meta) => (
            StatusCode::NO_CONTENT,
            [(header::ETAG, format!("\"{}\"", meta.etag))],
        )
            .into_response(),
        Err(problem) => problem.into_response(),
    }
}

async fn receive(uploads: &Uploads, headers: &HeaderMap, body: Body) -> Result<BlobMeta, Problem> {
    let ceiling = uploads.max_file + FORM_OVERHEAD;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > ceiling) {
        return Err(too_large(uploads.max_file));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).map_err(|_| {
        Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Unsupported media type",
        )
        .detail("a presigned upload is a multipart/form-data POST")
    })?;
    // Whatever the header said (or if it said nothing: chunked), the stream stops here.
    let limits = multer::SizeLimit::new()
        .whole_stream(ceiling)
        .per_field(MAX_FIELD)
        .for_field("file", ceiling);
    let mut form = multer::Multipart::with_constraints(
        body.into_data_stream(),
        boundary,
        multer::Constraints::new().size_limit(limits),
    );
    let mut fields = BTreeMap::new();
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| form_error(uploads, e))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name != "file" {
            if fields.len() == MAX_FIELDS {
                return Err(Problem::invalid("the upload form has too many fields"));
            }
            let value = field.text().await.map_err(|e| form_error(uploads, e))?;
            fields.insert(name, value);
            continue;
        }
        // As on S3, fields after the file are ignored: the file ends the form.
        let grant = uploads.embedded.blobs.verify_upload(&fields).map_err(|e| {
            Problem::new(
                StatusCode::FORBIDDEN,
                "invalid_signature",
                "Invalid signature",
            )
            .detail(e.to_string())
        })?;
        let limit = grant.max_bytes.min(uploads.max_file);
        let mut file = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| form_error(uploads, e))? {
            if (file.len() + chunk.len()) as u64 > limit {
                return Err(too_large(limit));
            }
            file.extend_from_slice(&chunk);
        }
        if file.is_empty() {
            return Err(Problem::invalid("the file is empty"));
        }
        let options = PutOptions {
            content_type: grant.content_type,
            ..PutOptions::default()
        };
        let meta = uploads
            .embedded
            .blobs
            .put(&grant.key, file.into(), options)
            .await?;
        if let Some(queue) = notified_queue(&meta.key)
            && let Err(e) = notify(&uploads.embedded, queue, &meta).await
        {
            // S3 would have stored the object too; the notification is what failed.
            tracing::error!(key = %meta.key, error = %e, "could not notify the ingest queue of an upload");
            return Err(e.into());
        }
        return Ok(meta);
    }
    Err(Problem::invalid("the upload form has no file field"))
}

fn too_large(limit: u64) -> Problem {
    plasma_http::json::too_large()
        .detail(format!("a presigned upload takes at most {limit} bytes"))
        .with("max_bytes", limit)
}

fn form_error(uploads: &Uploads, e: multer::Error) -> Problem {
    match e {
        multer::Error::StreamSizeExceeded { .. } => too_large(uploads.max_file),
        multer::Error::FieldSizeExceeded { field_name, .. }
            if field_name.as_deref() == Some("file") =>
        {
            too_large(uploads.max_file)
        }
        other => Problem::invalid(format!("malformed upload form: {other}")),
    }
}

/// The bucket notification template.yaml configures: `s3:ObjectCreated:*` under `incoming/`
/// to the ingest queue.
fn notified_queue(key: &str) -> Option<&'static str> {
    key.starts_with(INCOMING_PREFIX).then_some(topology::INGEST)
}

/// Sends the S3 event notification S3 itself would send, in its documented shape.
async fn notify(embedded: &Embedded, queue: &str, meta: &BlobMeta) -> plasma_core::PortResult<()> {
    let key: String = url::form_urlencoded::byte_serialize(meta.key.as_bytes()).collect();
    let event = serde_json::json!({
        "Records": [{
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "awsRegion": "local",
            "eventTime": meta.last_modified.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "eventName": "ObjectCreated:Post",
            "userIdentity": { "principalId": "plasma-local" },
            "requestParameters": { "sourceIPAddress": "127.0.0.1" },
            "responseElements": {},
            "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": "plasma-ingest",
                "bucket": { "name": LOCAL_BUCKET, "arn": format!("arn:aws:s3:::{LOCAL_BUCKET}") },
                "object": { "key": key.replace("%2F", "/"), "size": meta.size, "eTag": meta.etag }
            }
        }]
    });
    embedded
        .queue
        .send(queue, OutMessage::new(event.to_string()))
        .await
        .map(|_| ())
}

/// The name local notifications give the embedded blob store.
const LOCAL_BUCKET: &str = "plasma-local";
