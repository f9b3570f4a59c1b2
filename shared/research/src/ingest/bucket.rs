//! The ingest queue's messages: ingest jobs the API queues, and S3 `ObjectCreated`
//! notifications for files dropped under `incoming/<tenant>/` (straight into the bucket, or
//! through a presigned upload). Both end in one [`ingest_batch`] call per SQS batch.

use super::pipeline::{IngestJob, give_up, ingest_batch};
use super::submit::{Refused, SubmitError, Upload, refuse, source_holder, submit};
use super::{INGEST_REQUESTED, Submitted};
use crate::Research;
use crate::documents::Status;
use anyhow::Context;
use plasma_core::{Event, EventEnvelope, OutMessage, PortError, PortResult};
use serde::Deserialize;

/// Where files are dropped for ingestion; S3 notifies the ingest queue for this prefix only.
pub const INCOMING_PREFIX: &str = "incoming/";

/// The key a tenant's presigned upload is written to.
pub fn incoming_key(tenant: &str, upload_id: &str, filename: &str) -> String {
    format!("{INCOMING_PREFIX}{tenant}/{upload_id}/{filename}")
}

/// Queues ingestion of a document the API accepted.
pub async fn enqueue(research: &Research, job: &IngestJob) -> PortResult<()> {
    let detail = serde_json::to_value(job).map_err(PortError::backend)?;
    let event = Event::new(crate::SOURCE, INGEST_REQUESTED, detail);
    let envelope = EventEnvelope::local(research.ids.new_id(), research.clock.now(), &event);
    let body = serde_json::to_string(&envelope).map_err(PortError::backend)?;
    research
        .queue
        .send(&research.ingest_queue, OutMessage::new(body))
        .await?;
    Ok(())
}

/// One queue message: its body and how many times it has been received.
pub struct Delivery<'a> {
    pub body: &'a str,
    pub receive_count: u32,
}

/// Handles an SQS batch of the ingest queue; one result per message, in order, so one bad
/// file fails only its own message. On the last allowed receive a failing document is marked
/// `failed` instead of being retried again.
pub async fn handle_batch(
    research: &Research,
    deliveries: &[Delivery<'_>],
    max_receives: u32,
) -> Vec<anyhow::Result<()>> {
    let mut results: Vec<anyhow::Result<()>> = Vec::with_capacity(deliveries.len());
    // Which jobs each message wants ingested (an S3 event may carry several records).
    let mut wanted: Vec<Vec<usize>> = Vec::with_capacity(deliveries.len());
    let mut jobs: Vec<IngestJob> = Vec::new();
    for d in deliveries {
        match jobs_of(research, d.body).await {
            Ok(found) => {
                wanted.push((jobs.len()..jobs.len() + found.len()).collect());
                jobs.extend(found);
                results.push(Ok(()));
            }
            Err(e) if d.receive_count >= max_receives => {
                wanted.push(Vec::new());
                // Only a message nobody can read stays failed, for the dead-letter queue.
                results.push(abandon(research, d.body, &format!("{e:#}")).await);
            }
            Err(e) => {
                wanted.push(Vec::new());
                results.push(Err(e));
            }
        }
    }
    let outcomes = ingest_batch(research, &jobs).await;
    for (m, indexes) in wanted.iter().enumerate() {
        for &j in indexes {
            if let Err(e) = &outcomes[j] {
                if deliveries[m].receive_count >= max_receives {
                    if let Err(g) = give_up(research, &jobs[j], &format!("{e:#}")).await {
                        tracing::error!(error = %g, "could not record a failed document");
                    }
                } else if results[m].is_ok() {
                    results[m] = Err(anyhow::anyhow!("{e:#}"));
                }
            }
        }
    }
    results
}

/// What an ingest queue message is.
enum Message {
    S3(S3Notification),
    Job(IngestJob),
    /// S3's test event, sent once when the notification is configured.
    Test,
}

fn parse(body: &str) -> anyhow::Result<Message> {
    let value: serde_json::Value = serde_json::from_str(body).context("message is not JSON")?;
    if value.get("Records").is_some() {
        let event = serde_json::from_value(value).context("malformed S3 event")?;
        return Ok(Message::S3(event));
    }
    if value.get("Event").and_then(|e| e.as_str()) == Some("s3:TestEvent") {
        return Ok(Message::Test);
    }
    let envelope: EventEnvelope =
        serde_json::from_value(value).context("message is neither an S3 event nor a job")?;
    anyhow::ensure!(
        envelope.source == crate::SOURCE && envelope.detail_type == INGEST_REQUESTED,
        "no ingest handler for {} / {}",
        envelope.source,
        envelope.detail_type
    );
    Ok(Message::Job(
        serde_json::from_value(envelope.detail).context("malformed ingest job")?,
    ))
}

/// The ingest jobs a message asks for.
async fn jobs_of(research: &Research, body: &str) -> anyhow::Result<Vec<IngestJob>> {
    match parse(body)? {
        Message::S3(event) => handle_s3_event(research, &event).await,
        Message::Job(job) => Ok(vec![job]),
        Message::Test => Ok(Vec::new()),
    }
}

/// Gives up on a message whose work will never be done (its receives ran out, or it sits in
/// the dead-letter queue): every document it was about ends `failed` with `reason` instead
/// of staying `queued` or `processing`, and a file that never became a document becomes a
/// failed one. Repeating it changes nothing.
pub async fn abandon(research: &Research, body: &str, reason: &str) -> anyhow::Result<()> {
    match parse(body)? {
        Message::Job(job) => give_up(research, &job, reason).await?,
        Message::S3(event) => {
            for record in &event.records {
                if !record.event_name.starts_with("ObjectCreated") {
                    continue;
                }
                let key = decode_key(&record.s3.object.key);
                let Some(tenant) = tenant_of(&key) else {
                    continue;
                };
                let source = format!("s3:{key}");
                match source_holder(research, tenant, &source).await? {
                    Some(doc) if matches!(doc.status, Status::Queued | Status::Processing) => {
                        let job = IngestJob {
                            tenant: tenant.to_string(),
                            document_id: doc.id,
                            version: doc.version,
                        };
                        give_up(research, &job, reason).await?;
                    }
                    Some(_) => {}
                    None => {
                        let refused = Refused {
                            filename: filename_of(&key),
                            content_type: None,
                            size: record.s3.object.size,
                            source,
                            stored_at: key.clone(),
                        };
                        let reason = format!("ingestion kept failing: {reason}");
                        refuse(research, tenant, refused, reason).await?;
                    }
                }
            }
        }
        Message::Test => {}
    }
    Ok(())
}

/// The part of an S3 event notification ingestion reads. Not `aws_lambda_events`' `S3Event`:
/// that one requires members (`userIdentity`, `requestParameters`) that S3-compatible stores
/// and emulators leave out, and the key is all that matters here.
#[derive(Debug, Deserialize)]
pub struct S3Notification {
    #[serde(rename = "Records")]
    records: Vec<S3Record>,
}

#[derive(Debug, Deserialize)]
struct S3Record {
    #[serde(rename = "eventName", default)]
    event_name: String,
    s3: S3Entity,
}

#[derive(Debug, Deserialize)]
struct S3Entity {
    object: S3Object,
}

#[derive(Debug, Deserialize)]
struct S3Object {
    key: String,
    /// Absent from some emulators' events; the object's size is checked before reading.
    #[serde(default)]
    size: u64,
}

/// Turns `ObjectCreated` records into documents; the jobs to run for those that are new or
/// changed. A second delivery of the same event finds the same bytes and asks for nothing.
pub async fn handle_s3_event(
    research: &Research,
    event: &S3Notification,
) -> anyhow::Result<Vec<IngestJob>> {
    let mut jobs = Vec::new();
    for record in &event.records {
        if !record.event_name.starts_with("ObjectCreated") {
            continue;
        }
        let key = decode_key(&record.s3.object.key);
        let Some(tenant) = tenant_of(&key) else {
            tracing::warn!(%key, "ignoring an object outside incoming/<tenant>/");
            continue;
        };
        // The size first: an oversized file is refused without reading a byte of it.
        let Some(head) = research.blobs.head(&key).await? else {
            // Deleted since the event was sent; nothing left to ingest.
            continue;
        };
        let filename = filename_of(&key);
        let limit = research.settings.max_document_bytes;
        let refused = |size| Refused {
            filename: filename.clone(),
            content_type: head.content_type.clone(),
            size,
            source: format!("s3:{key}"),
            stored_at: key.clone(),
        };
        if head.size > limit {
            let reason = SubmitError::TooLarge {
                size: head.size,
                limit,
            };
            refuse(research, tenant, refused(head.size), reason.to_string()).await?;
            continue;
        }
        // Never more than the limit, even if the object was replaced since `head`.
        let Some(blob) = research.blobs.get_bounded(&key, limit).await? else {
            continue;
        };
        if blob.meta.size > limit {
            let reason = SubmitError::TooLarge {
                size: blob.meta.size,
                limit,
            };
            refuse(
                research,
                tenant,
                refused(blob.meta.size),
                reason.to_string(),
            )
            .await?;
            continue;
        }
        let size = blob.meta.size;
        let upload = Upload {
            bytes: blob.body,
            content_type: blob.meta.content_type.clone(),
            filename: filename.clone(),
            source: Some(format!("s3:{key}")),
            stored_at: Some(key.clone()),
            ..Upload::default()
        };
        match submit(research, tenant, upload).await {
            Ok(submitted) => {
                if let Some(job) = job_for(tenant, &submitted) {
                    jobs.push(job);
                }
            }
            Err(SubmitError::Port(e)) => return Err(e.into()),
            Err(refusal) => {
                // Too large or not a document: nothing a retry would change.
                tracing::warn!(%key, reason = %refusal, "refusing a dropped file");
                refuse(research, tenant, refused(size), refusal.to_string()).await?;
            }
        }
    }
    Ok(jobs)
}

fn filename_of(key: &str) -> Option<String> {
    key.rsplit('/').next().map(str::to_owned)
}

pub fn job_for(tenant: &str, submitted: &Submitted) -> Option<IngestJob> {
    submitted.needs_ingest().then(|| IngestJob {
        tenant: tenant.to_string(),
        document_id: submitted.document().id.clone(),
        version: submitted.document().version,
    })
}

fn tenant_of(key: &str) -> Option<&str> {
    let rest = key.strip_prefix(INCOMING_PREFIX)?;
    let (tenant, path) = rest.split_once('/')?;
    (!tenant.is_empty() && !path.is_empty()).then_some(tenant)
}

/// S3 notifications URL-encode keys, with `+` for spaces.
fn decode_key(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_their_tenant() {
        assert_eq!(tenant_of("incoming/acme/u1/report.pdf"), Some("acme"));
        assert_eq!(tenant_of("incoming/acme/"), None);
        assert_eq!(tenant_of("research/acme/x"), None);
        assert_eq!(
            decode_key("incoming/acme/My+Report%282%29.pdf"),
            "incoming/acme/My Report(2).pdf"
        );
    }
}
