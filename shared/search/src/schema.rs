//! The tantivy schema and the conversions between chunks and tantivy documents.

use crate::analysis::ENGLISH;
use crate::filter::ChunkMeta;
use chrono::{DateTime, Utc};
use plasma_core::{IndexedChunk, SearchHit};
use tantivy::schema::{
    BytesOptions, DateOptions, DateTimePrecision, Field, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::{TantivyDocument, Term};

pub(crate) const VECTOR: &str = "vector";

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    /// `tenant` and `chunk_id` joined: the identity an upsert replaces and a delete removes.
    pub key: Field,
    pub tenant: Field,
    pub document_id: Field,
    pub chunk_id: Field,
    pub title: Field,
    pub text: Field,
    pub heading: Field,
    pub page: Field,
    pub tags: Field,
    pub date: Field,
    /// The embedding as little-endian f32s: the vectors persist here and the HNSW graph is
    /// rebuilt from them when the index is opened. A fast (columnar) field rather than a
    /// stored one, so that loading a hit's text does not decompress vectors too.
    pub vector: Field,
}

impl Fields {
    pub(crate) fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        // BM25 needs term frequencies, not positions: there are no phrase queries.
        let english = TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ENGLISH)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let date = DateOptions::default()
            .set_fast()
            .set_stored()
            .set_precision(DateTimePrecision::Microseconds);
        let fields = Fields {
            key: b.add_text_field("key", STRING),
            tenant: b.add_text_field("tenant", STRING | STORED),
            document_id: b.add_text_field("document_id", STRING | STORED),
            chunk_id: b.add_text_field("chunk_id", STRING | STORED),
            title: b.add_text_field("title", english.clone()),
            text: b.add_text_field("text", english),
            heading: b.add_text_field("heading", STORED),
            page: b.add_u64_field("page", STORED),
            tags: b.add_text_field("tags", STRING | STORED),
            date: b.add_date_field("date", date),
            vector: b.add_bytes_field(VECTOR, BytesOptions::default().set_fast()),
        };
        (b.build(), fields)
    }

    pub(crate) fn key_term(&self, tenant: &str, chunk_id: &str) -> Term {
        Term::from_field_text(self.key, &chunk_key(tenant, chunk_id))
    }

    pub(crate) fn document(&self, chunk: &IndexedChunk) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_text(self.key, chunk_key(&chunk.tenant, &chunk.chunk_id));
        doc.add_text(self.tenant, &chunk.tenant);
        doc.add_text(self.document_id, &chunk.document_id);
        doc.add_text(self.chunk_id, &chunk.chunk_id);
        doc.add_text(self.title, &chunk.title);
        doc.add_text(self.text, &chunk.text);
        if let Some(heading) = &chunk.heading {
            doc.add_text(self.heading, heading);
        }
        if let Some(page) = chunk.page {
            doc.add_u64(self.page, page.into());
        }
        for tag in &chunk.tags {
            doc.add_text(self.tags, tag);
        }
        doc.add_date(self.date, to_tantivy_date(chunk.date));
        doc.add_bytes(self.vector, &vector_to_bytes(&chunk.vector));
        doc
    }

    pub(crate) fn hit(&self, doc: &TantivyDocument, score: f32) -> SearchHit {
        SearchHit {
            document_id: self.str(doc, self.document_id),
            chunk_id: self.str(doc, self.chunk_id),
            title: self.str(doc, self.title),
            text: self.str(doc, self.text),
            heading: doc
                .get_first(self.heading)
                .and_then(|v| v.as_str().map(str::to_owned)),
            page: doc
                .get_first(self.page)
                .and_then(|v| v.as_u64())
                .and_then(|p| u32::try_from(p).ok()),
            score,
        }
    }

    /// A stored document's filterable fields.
    pub(crate) fn meta(&self, doc: &TantivyDocument) -> ChunkMeta {
        let date = doc
            .get_first(self.date)
            .and_then(|v| v.as_datetime())
            .map_or(0, |d| d.into_timestamp_micros());
        ChunkMeta {
            tenant: self.str(doc, self.tenant),
            document_id: self.str(doc, self.document_id),
            chunk_id: self.str(doc, self.chunk_id),
            tags: doc
                .get_all(self.tags)
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            date_micros: date,
        }
    }

    fn str(&self, doc: &TantivyDocument, field: Field) -> String {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    }
}

/// The unit separator cannot appear in a sane tenant id, so two pairs never share a key.
pub(crate) fn chunk_key(tenant: &str, chunk_id: &str) -> String {
    format!("{tenant}\u{1f}{chunk_id}")
}

pub(crate) fn to_tantivy_date(date: DateTime<Utc>) -> tantivy::DateTime {
    tantivy::DateTime::from_timestamp_micros(date.timestamp_micros())
}

fn vector_to_bytes(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

pub(crate) fn vector_from_bytes(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}
