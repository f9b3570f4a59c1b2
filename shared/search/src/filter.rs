//! Tenant and filters, applied twice with the same meaning: as tantivy queries for BM25, and
//! on the vector index's in-memory copy of each chunk's filterable fields.

use crate::schema::{Fields, to_tantivy_date};
use plasma_core::{IndexedChunk, SearchFilters};
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

/// A chunk's filterable fields.
#[derive(Debug, Clone)]
pub(crate) struct ChunkMeta {
    pub tenant: String,
    pub document_id: String,
    pub chunk_id: String,
    pub tags: Vec<String>,
    pub date_micros: i64,
}

impl ChunkMeta {
    pub(crate) fn of(chunk: &IndexedChunk) -> Self {
        ChunkMeta {
            tenant: chunk.tenant.clone(),
            document_id: chunk.document_id.clone(),
            chunk_id: chunk.chunk_id.clone(),
            tags: chunk.tags.clone(),
            date_micros: chunk.date.timestamp_micros(),
        }
    }

    /// Whether the chunk passes `filters` (the tenant is checked by the caller's index).
    pub(crate) fn passes(&self, filters: &SearchFilters) -> bool {
        (filters.document_ids.is_empty() || filters.document_ids.contains(&self.document_id))
            && (filters.tags.is_empty() || self.tags.iter().any(|t| filters.tags.contains(t)))
            && filters
                .from
                .is_none_or(|from| self.date_micros >= from.timestamp_micros())
            && filters
                .to
                .is_none_or(|to| self.date_micros < to.timestamp_micros())
    }
}

/// Clauses that restrict a query to the tenant and the filters without adding to its score.
pub(crate) fn clauses(
    fields: &Fields,
    tenant: &str,
    filters: &SearchFilters,
) -> Vec<(Occur, Box<dyn Query>)> {
    let mut restrictions: Vec<Box<dyn Query>> =
        vec![term(Term::from_field_text(fields.tenant, tenant))];
    if !filters.document_ids.is_empty() {
        restrictions.push(any_of(fields.document_id, &filters.document_ids));
    }
    if !filters.tags.is_empty() {
        restrictions.push(any_of(fields.tags, &filters.tags));
    }
    if filters.from.is_some() || filters.to.is_some() {
        let bound = |d: Option<_>, inclusive: bool| match d {
            None => Bound::Unbounded,
            Some(d) => {
                let t = Term::from_field_date(fields.date, to_tantivy_date(d));
                if inclusive {
                    Bound::Included(t)
                } else {
                    Bound::Excluded(t)
                }
            }
        };
        restrictions.push(Box::new(RangeQuery::new(
            bound(filters.from, true),
            bound(filters.to, false),
        )));
    }
    restrictions
        .into_iter()
        .map(|q| {
            let q: Box<dyn Query> = Box::new(ConstScoreQuery::new(q, 0.0));
            (Occur::Must, q)
        })
        .collect()
}

fn term(t: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(t, IndexRecordOption::Basic))
}

fn any_of(field: tantivy::schema::Field, values: &[String]) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        values
            .iter()
            .map(|v| (Occur::Should, term(Term::from_field_text(field, v))))
            .collect(),
    ))
}
