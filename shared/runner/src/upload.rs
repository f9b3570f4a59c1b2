//! The local stand-in for S3 presigned uploads: `PUT /_blobs/{key}` with the signature the
//! embedded blob store issued. Mounted outside the API's layers because uploads are larger
//! than any JSON body and are authorized by the signature, not a token.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use bytes::Bytes;
use plasma_core::{BlobMeta, BlobStore, OutMessage, PutOptions, Queue};
use plasma_embedded::Embedded;
use plasma_http::Problem;
use plasma_platform::topology;
use plasma_research::ingest::INCOMING_PREFIX;
use serde::Deserialize;
use std::sync::Arc;

/// Largest direct upload the local runner accepts.
pub const MAX_UPLOAD: usize = 512 * 1024 * 1024;

#[derive(Deserialize)]
struct Signed {
    expires: i64,
    signature: String,
}

pub fn routes(embedded: Arc<Embedded>) -> Router {
    Router::new()
        .route("/_blobs/{*key}", put(upload))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD))
        .with_state(embedded)
}

async fn upload(
    State(embedded): State<Arc<Embedded>>,
    Path(key): Path<String>,
    query: Result<Query<Signed>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let Ok(Query(signed)) = query else {
        return Problem::unauthorized("a presigned upload needs expires and signature")
            .into_response();
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if let Err(e) =
        embedded
            .blobs
            .verify_upload(&key, signed.expires, &signed.signature, content_type)
    {
        return Problem::new(
            StatusCode::FORBIDDEN,
            "invalid_signature",
            "Invalid signature",
        )
        .detail(e.to_string())
        .into_response();
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return plasma_http::json::too_large().into_response();
        }
        Err(rejection) => return Problem::invalid(rejection.body_text()).into_response(),
    };
    let options = PutOptions {
        content_type: content_type.map(str::to_owned),
        ..PutOptions::default()
    };
    let meta = match embedded.blobs.put(&key, body, options).await {
        Ok(meta) => meta,
        Err(e) => return Problem::from(e).into_response(),
    };
    if let Some(queue) = notified_queue(&key)
        && let Err(e) = notify(&embedded, queue, &meta).await
    {
        // S3 would have stored the object too; the notification is what failed.
        tracing::error!(%key, error = %e, "could not notify the ingest queue of an upload");
        return Problem::from(e).into_response();
    }
    (
        StatusCode::OK,
        [(header::ETAG, format!("\"{}\"", meta.etag))],
    )
        .into_response()
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
            "eventName": "ObjectCreated:Put",
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
