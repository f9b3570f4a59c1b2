//! Deleting a document takes everything it contributed: index entries (so search and
//! answers stop finding it), its graph contribution, chunk records, stored bytes and its
//! hash and source claims, then the record itself — last, so a failure part-way leaves a
//! record the caller can delete again.

use crate::Research;
use crate::documents::Document;
use plasma_core::PortResult;

pub async fn delete(research: &Research, tenant: &str, doc: &Document) -> PortResult<()> {
    research.index.delete_document(tenant, &doc.id).await?;
    research.graphs.remove(tenant, &doc.id).await?;
    research.chunks.delete_from(tenant, &doc.id, 0).await?;
    crate::originals::remove(research, tenant, &doc.blob_key).await?;
    research
        .documents
        .release_hash(tenant, &doc.content_hash, &doc.id)
        .await?;
    if let Some(source) = &doc.source {
        research
            .documents
            .release_source(tenant, source, &doc.id)
            .await?;
    }
    research.documents.delete(tenant, &doc.id).await
}
