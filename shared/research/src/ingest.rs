//! Ingestion: an upload (API body, presigned upload, or a file dropped into the bucket)
//! becomes a document record, then the pipeline extracts its text, chunks it, embeds the
//! chunks, indexes them, and extracts its graph contribution.
//!
//! Idempotency: the content hash is claimed once per tenant, so the same bytes (or the same
//! S3 event delivered twice) yield one document; a source (an S3 key, or a name the caller
//! gives) is claimed once too, so a changed file replaces its document.

mod bucket;
mod delete;
mod pipeline;
mod submit;

pub use bucket::{
    Delivery, INCOMING_PREFIX, abandon, enqueue, handle_batch, handle_s3_event, incoming_key,
    job_for,
};
pub use delete::delete;
pub use pipeline::{IngestJob, give_up, ingest_batch};
pub use submit::{Refused, SubmitError, Submitted, Upload, refuse, submit};

pub const INGEST_REQUESTED: &str = "DocumentIngestRequested";
pub const DOCUMENT_INDEXED: &str = "DocumentIndexed";
pub const DOCUMENT_FAILED: &str = "DocumentFailed";
