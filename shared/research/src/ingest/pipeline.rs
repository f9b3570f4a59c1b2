//! The ingestion pipeline over a batch of documents: extract, chunk, extract the graph,
//! embed, then one index write for the whole batch (an index commit per document would
//! dominate ingest time), then chunk records, graph contributions and statuses.

use super::SubmitError;
use super::{DOCUMENT_FAILED, DOCUMENT_INDEXED};
use crate::Research;
use crate::chunks::StoredChunk;
use crate::documents::{Document, Status};
use anyhow::Context;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use plasma_core::{EmbedKind, Event, IndexedChunk, PortResult};
use plasma_documents::Chunk;
use plasma_graph::{ChunkText, Contribution, Extraction};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Embedding requests carry at most this many texts.
const EMBED_BATCH: usize = 64;
/// Graph extraction calls in flight per document (they are model calls when an LLM
/// extracts).
const EXTRACT_CONCURRENCY: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestJob {
    pub tenant: String,
    pub document_id: String,
    pub version: u32,
}

struct Prepared {
    job: IngestJob,
    doc: Document,
    chunks: Vec<Chunk>,
    vectors: Vec<Vec<f32>>,
    contribution: Contribution,
}

enum Outcome {
    Ready(Box<Prepared>),
    /// Deleted, replaced meanwhile, or failed for good (recorded on the document).
    Done,
}

/// Ingests a batch; one result per job, in order. An `Err` means "retry this job".
pub async fn ingest_batch(research: &Research, jobs: &[IngestJob]) -> Vec<anyhow::Result<()>> {
    if let Err(e) = research.check_model().await {
        let message = format!("the search index refuses the embedder: {e}");
        return jobs
            .iter()
            .map(|_| Err(anyhow::anyhow!(message.clone())))
            .collect();
    }
    let outcomes = futures::future::join_all(jobs.iter().map(|job| prepare(research, job))).await;
    let mut results: Vec<Option<anyhow::Result<()>>> = Vec::with_capacity(jobs.len());
    let mut ready = Vec::new();
    for (i, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Ok(Outcome::Ready(p)) => {
                results.push(None);
                ready.push((i, p));
            }
            Ok(Outcome::Done) => results.push(Some(Ok(()))),
            Err(e) => results.push(Some(Err(e))),
        }
    }
    if let Err(e) = write_index(research, &ready).await {
        let message = format!("{e:#}");
        for (i, _) in &ready {
            results[*i] = Some(Err(anyhow::anyhow!("indexing failed: {message}")));
        }
        return results
            .into_iter()
            .map(|r| r.expect("every job has a result"))
            .collect();
    }
    let finished = futures::future::join_all(
        ready
            .into_iter()
            .map(|(i, p)| async move { (i, finish(research, *p).await) }),
    )
    .await;
    for (i, result) in finished {
        results[i] = Some(result);
    }
    results
        .into_iter()
        .map(|r| r.expect("every job has a result"))
        .collect()
}

async fn prepare(research: &Research, job: &IngestJob) -> anyhow::Result<Outcome> {
    let Some(mut doc) = research
        .documents
        .get(&job.tenant, &job.document_id)
        .await?
    else {
        return Ok(Outcome::Done);
    };
    if doc.version != job.version || doc.status == Status::Indexed {
        return Ok(Outcome::Done);
    }
    doc.status = Status::Processing;
    doc.updated_at = research.clock.now();
    if !research
        .documents
        .put_if_version(&job.tenant, &doc, job.version)
        .await?
    {
        return Ok(Outcome::Done);
    }
    // Never more than the limit in memory: the file may have grown since it was submitted.
    let limit = research.settings.max_document_bytes;
    let Some(original) =
        crate::originals::load(research, &job.tenant, &doc.blob_key, limit).await?
    else {
        fail(research, job, doc, "the uploaded file is gone".into()).await?;
        return Ok(Outcome::Done);
    };
    if original.size > limit {
        let reason = SubmitError::TooLarge {
            size: original.size,
            limit,
        };
        fail(research, job, doc, reason.to_string()).await?;
        return Ok(Outcome::Done);
    }
    let bytes = original.bytes;
    let format = match doc.format.parse::<plasma_documents::Format>() {
        Ok(f) => f,
        Err(e) => {
            fail(research, job, doc, e.to_string()).await?;
            return Ok(Outcome::Done);
        }
    };
    let options = research.settings.chunking.clone();
    let id = doc.id.clone();
    let extracted = tokio::task::spawn_blocking(move || {
        plasma_documents::extract(format, &bytes).map(|e| {
            let chunks = plasma_documents::chunk(&id, &e, &options);
            (e.title, chunks)
        })
    })
    .await
    .context("extraction panicked")?;
    let (title, chunks) = match extracted {
        Ok((_, chunks)) if chunks.is_empty() => {
            fail(research, job, doc, "the document has no text".into()).await?;
            return Ok(Outcome::Done);
        }
        Ok(found) => found,
        Err(e) => {
            fail(research, job, doc, e.to_string()).await?;
            return Ok(Outcome::Done);
        }
    };
    if doc.title.is_empty() {
        doc.title = title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| first_words(&chunks[0].text, 12));
    }
    let contribution = extract_graph(research, &doc, &chunks).await;
    let texts: Vec<String> = chunks
        .iter()
        .map(|c| format!("{}\n{}", doc.title, c.text))
        .collect();
    let mut vectors = Vec::with_capacity(texts.len());
    for batch in texts.chunks(EMBED_BATCH) {
        vectors.extend(
            research
                .models
                .embedder
                .embed(batch, EmbedKind::Document)
                .await
                .context("embedding failed")?,
        );
    }
    Ok(Outcome::Ready(Box::new(Prepared {
        job: job.clone(),
        doc,
        chunks,
        vectors,
        contribution,
    })))
}

async fn extract_graph(research: &Research, doc: &Document, chunks: &[Chunk]) -> Contribution {
    // Owned futures: a stream of futures borrowing from a closure would keep the batch's
    // future from being `Send` for every lifetime, which a spawned worker needs.
    let calls: Vec<BoxFuture<'static, Option<(String, Extraction)>>> = chunks
        .iter()
        .map(|c| {
            let extractor = research.models.extractor.clone();
            let input = ChunkText {
                chunk_id: c.id.clone(),
                text: c.text.clone(),
            };
            async move {
                match extractor.extract(&input).await {
                    Ok(extraction) => Some((input.chunk_id, extraction)),
                    Err(e) => {
                        // One chunk's graph is not worth failing the document: its text is
                        // still searchable and citable.
                        tracing::warn!(chunk = %input.chunk_id, extractor = extractor.name(), error = %e, "graph extraction failed for a chunk");
                        None
                    }
                }
            }
            .boxed()
        })
        .collect();
    let extractions: Vec<_> = futures::stream::iter(calls)
        .buffered(EXTRACT_CONCURRENCY)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .flatten()
        .collect();
    Contribution::from_extractions(&doc.id, &doc.title, &extractions)
}

async fn write_index(research: &Research, ready: &[(usize, Box<Prepared>)]) -> PortResult<()> {
    if ready.is_empty() {
        return Ok(());
    }
    for (_, p) in ready {
        // A replacement may have fewer chunks than before; clear the old ones first.
        if p.doc.version > 1 {
            research
                .index
                .delete_document(&p.job.tenant, &p.doc.id)
                .await?;
        }
    }
    let mut indexed = Vec::new();
    for (_, p) in ready {
        for (chunk, vector) in p.chunks.iter().zip(&p.vectors) {
            indexed.push(IndexedChunk {
                tenant: p.job.tenant.clone(),
                document_id: p.doc.id.clone(),
                chunk_id: chunk.id.clone(),
                title: p.doc.title.clone(),
                text: chunk.text.clone(),
                heading: chunk.heading.clone(),
                page: chunk.page,
                tags: p.doc.tags.clone(),
                date: p.doc.date,
                vector: vector.clone(),
            });
        }
    }
    research.index.upsert(indexed).await
}

async fn finish(research: &Research, p: Prepared) -> anyhow::Result<()> {
    let Prepared {
        job,
        mut doc,
        chunks,
        contribution,
        ..
    } = p;
    let stored: Vec<StoredChunk> = chunks
        .iter()
        .map(|c| StoredChunk {
            id: c.id.clone(),
            document_id: doc.id.clone(),
            ordinal: c.ordinal,
            text: c.text.clone(),
            heading: c.heading.clone(),
            page: c.page,
        })
        .collect();
    research.chunks.put_all(&job.tenant, &stored).await?;
    if doc.version > 1 {
        // A replacement may have fewer chunks than the version before; a first version has
        // nothing to clear.
        research
            .chunks
            .delete_from(&job.tenant, &doc.id, chunks.len() as u32)
            .await?;
    }
    doc.entities = contribution.entities.len() as u32;
    research.graphs.put(&job.tenant, &contribution).await?;
    let now = research.clock.now();
    doc.status = Status::Indexed;
    doc.chunks = chunks.len() as u32;
    doc.indexed_at = Some(now);
    doc.updated_at = now;
    if research
        .documents
        .put_if_version(&job.tenant, &doc, job.version)
        .await?
    {
        publish(research, &job, DOCUMENT_INDEXED, None).await;
    }
    Ok(())
}

async fn fail(
    research: &Research,
    job: &IngestJob,
    mut doc: Document,
    reason: String,
) -> PortResult<()> {
    tracing::info!(document = %doc.id, %reason, "document failed ingestion");
    doc.status = Status::Failed;
    doc.reason = Some(reason.clone());
    doc.updated_at = research.clock.now();
    if research
        .documents
        .put_if_version(&job.tenant, &doc, job.version)
        .await?
    {
        publish(research, job, DOCUMENT_FAILED, Some(reason)).await;
    }
    Ok(())
}

/// Records a job that ran out of retries, so the document says why instead of staying
/// `queued` or `processing`. A document already indexed or failed keeps its state.
pub async fn give_up(research: &Research, job: &IngestJob, error: &str) -> PortResult<()> {
    if let Some(doc) = research
        .documents
        .get(&job.tenant, &job.document_id)
        .await?
        && doc.version == job.version
        && matches!(doc.status, Status::Queued | Status::Processing)
    {
        fail(
            research,
            job,
            doc,
            format!("ingestion kept failing: {error}"),
        )
        .await?;
    }
    Ok(())
}

pub(super) async fn publish(
    research: &Research,
    job: &IngestJob,
    detail_type: &str,
    reason: Option<String>,
) {
    let event = Event::new(
        crate::SOURCE,
        detail_type,
        json!({ "tenant": job.tenant, "document_id": job.document_id, "version": job.version, "reason": reason }),
    );
    // The document's status is the record; the event is a notification, so a bus outage
    // must not fail (and re-run) the ingest.
    if let Err(e) = research.bus.publish(vec![event]).await {
        tracing::warn!(error = %e, "could not publish a document event");
    }
}

fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}
