//! The in-memory vector index: every live chunk's vector and filterable fields, plus an HNSW
//! graph over all vectors ever inserted since the index was opened. Replaced and deleted
//! chunks stay in the graph as tombstones (their slot is emptied) and are filtered out of
//! results; the graph is rebuilt without them on the next open.

use crate::filter::ChunkMeta;
use crate::schema::chunk_key;
use hnsw_rs::prelude::{Distance, Hnsw};
use plasma_core::SearchFilters;
use std::collections::{BTreeSet, HashMap};

/// Up to this many chunks matching the tenant and filters, an exact scan is both cheaper
/// than the graph and always right.
const EXACT_LIMIT: usize = 4096;
/// The graph is asked for this many times the wanted hits, since tombstones and other
/// tenants' chunks are dropped from its answer.
const OVERSAMPLE: usize = 4;

const MAX_CONNECTIONS: usize = 16;
const MAX_LAYERS: usize = 16;
const EF_CONSTRUCTION: usize = 100;
const MIN_EF_SEARCH: usize = 64;

/// Cosine distance for unit vectors; clamped because rounding can make `1 - dot` slightly
/// negative, which the graph's invariants reject.
#[derive(Default, Clone, Copy)]
struct UnitCosine;

impl Distance<f32> for UnitCosine {
    fn eval(&self, a: &[f32], b: &[f32]) -> f32 {
        (1.0 - dot(a, b)).max(0.0)
    }
}

/// Eight independent sums let the compiler vectorise the loop, which a single running sum
/// (strict float order) forbids.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a8.zip(b8) {
        for i in 0..8 {
            lanes[i] += x[i] * y[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

struct Slot {
    meta: ChunkMeta,
    vector: Vec<f32>,
}

pub(crate) struct VectorIndex {
    /// Indexed by the graph's data id; `None` once replaced or deleted.
    slots: Vec<Option<Slot>>,
    by_key: HashMap<String, usize>,
    by_tenant: HashMap<String, BTreeSet<usize>>,
    graph: Hnsw<'static, f32, UnitCosine>,
    exact_limit: usize,
}

/// A nearest chunk: its tenant-scoped id and cosine similarity.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Neighbour {
    pub chunk_id: String,
    pub similarity: f32,
}

impl VectorIndex {
    pub(crate) fn new(expected: usize) -> Self {
        VectorIndex {
            slots: Vec::new(),
            by_key: HashMap::new(),
            by_tenant: HashMap::new(),
            graph: Hnsw::new(
                MAX_CONNECTIONS,
                expected.max(1024),
                MAX_LAYERS,
                EF_CONSTRUCTION,
                UnitCosine,
            ),
            exact_limit: EXACT_LIMIT,
        }
    }

    #[cfg(test)]
    pub(crate) fn upsert(&mut self, meta: ChunkMeta, vector: Vec<f32>) {
        self.upsert_many(vec![(meta, vector)]);
    }

    /// Adds a batch: the graph takes it in parallel (its insert locks per node), which is
    /// most of what indexing a batch costs.
    pub(crate) fn upsert_many(&mut self, batch: Vec<(ChunkMeta, Vec<f32>)>) {
        let first = self.slots.len();
        for (meta, vector) in batch {
            self.remove(&meta.tenant, &meta.chunk_id);
            let id = self.slots.len();
            self.by_key
                .insert(chunk_key(&meta.tenant, &meta.chunk_id), id);
            self.by_tenant
                .entry(meta.tenant.clone())
                .or_default()
                .insert(id);
            self.slots.push(Some(Slot { meta, vector }));
        }
        let added: Vec<(&Vec<f32>, usize)> = self.slots[first..]
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((&s.as_ref()?.vector, first + i)))
            .collect();
        self.graph.parallel_insert(&added);
    }

    pub(crate) fn remove(&mut self, tenant: &str, chunk_id: &str) {
        if let Some(id) = self.by_key.remove(&chunk_key(tenant, chunk_id)) {
            self.slots[id] = None;
            if let Some(ids) = self.by_tenant.get_mut(tenant) {
                ids.remove(&id);
            }
        }
    }

    pub(crate) fn remove_document(&mut self, tenant: &str, document_id: &str) {
        let chunks: Vec<String> = self
            .tenant_slots(tenant)
            .filter(|(_, s)| s.meta.document_id == document_id)
            .map(|(_, s)| s.meta.chunk_id.clone())
            .collect();
        for chunk_id in chunks {
            self.remove(tenant, &chunk_id);
        }
    }

    /// The `k` chunks of `tenant` passing `filters` nearest to `query`, best first.
    pub(crate) fn nearest(
        &self,
        tenant: &str,
        filters: &SearchFilters,
        query: &[f32],
        k: usize,
    ) -> Vec<Neighbour> {
        if k == 0 {
            return Vec::new();
        }
        let matching = self
            .tenant_slots(tenant)
            .filter(|(_, s)| s.meta.passes(filters))
            .take(self.exact_limit + 1)
            .count();
        if matching > self.exact_limit {
            let found = self.approximate(tenant, filters, query, k);
            if found.len() == k {
                return found;
            }
        }
        self.exact(tenant, filters, query, k)
    }

    /// The graph's answer with the tombstones, other tenants and filtered-out chunks dropped;
    /// fewer than `k` when the filters are too selective for the oversampling.
    fn approximate(
        &self,
        tenant: &str,
        filters: &SearchFilters,
        query: &[f32],
        k: usize,
    ) -> Vec<Neighbour> {
        let wanted = k * OVERSAMPLE;
        self.graph
            .search(query, wanted, wanted.max(MIN_EF_SEARCH))
            .into_iter()
            .filter_map(|n| {
                let slot = self.slots.get(n.d_id)?.as_ref()?;
                (slot.meta.tenant == tenant && slot.meta.passes(filters)).then(|| Neighbour {
                    chunk_id: slot.meta.chunk_id.clone(),
                    similarity: 1.0 - n.distance,
                })
            })
            .take(k)
            .collect()
    }

    fn exact(
        &self,
        tenant: &str,
        filters: &SearchFilters,
        query: &[f32],
        k: usize,
    ) -> Vec<Neighbour> {
        let mut scored: Vec<(f32, &Slot)> = self
            .tenant_slots(tenant)
            .filter(|(_, s)| s.meta.passes(filters))
            .map(|(_, s)| (dot(query, &s.vector), s))
            .collect();
        if scored.len() > k {
            scored.select_nth_unstable_by(k - 1, |a, b| b.0.total_cmp(&a.0));
            scored.truncate(k);
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored
            .into_iter()
            .map(|(similarity, s)| Neighbour {
                chunk_id: s.meta.chunk_id.clone(),
                similarity,
            })
            .collect()
    }

    fn tenant_slots<'a>(&'a self, tenant: &str) -> impl Iterator<Item = (usize, &'a Slot)> + 'a {
        self.by_tenant
            .get(tenant)
            .into_iter()
            .flatten()
            .filter_map(|&id| Some((id, self.slots[id].as_ref()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reproducible spread of unit vectors (xorshift), no rand dependency needed.
    fn vectors(n: usize, dim: usize) -> Vec<Vec<f32>> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        (0..n)
            .map(|_| {
                let mut v: Vec<f32> = (0..dim)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
                    })
                    .collect();
                plasma_core::embed::normalize(&mut v);
                v
            })
            .collect()
    }

    fn meta(tenant: &str, i: usize) -> ChunkMeta {
        ChunkMeta {
            tenant: tenant.into(),
            document_id: format!("d{}", i / 3),
            chunk_id: format!("c{i}"),
            tags: vec![],
            date_micros: 0,
        }
    }

    #[test]
    fn graph_agrees_with_the_exact_scan() {
        let data = vectors(600, 32);
        let mut index = VectorIndex::new(600);
        for (i, v) in data.iter().enumerate() {
            index.upsert(meta("t", i), v.clone());
        }
        let none = SearchFilters::default();
        let mut recalled = 0;
        let queries = &data[..40];
        for q in queries {
            let exact = index.exact("t", &none, q, 10);
            let approx = index.approximate("t", &none, q, 10);
            assert_eq!(approx.len(), 10);
            recalled += approx
                .iter()
                .filter(|a| exact.iter().any(|e| e.chunk_id == a.chunk_id))
                .count();
        }
        let recall = recalled as f64 / (queries.len() * 10) as f64;
        assert!(recall >= 0.9, "recall@10 {recall}");
    }

    #[test]
    fn tombstones_and_other_tenants_never_surface() {
        let data = vectors(200, 16);
        let mut index = VectorIndex::new(200);
        for (i, v) in data.iter().enumerate() {
            index.upsert(meta(if i % 2 == 0 { "a" } else { "b" }, i), v.clone());
        }
        index.remove_document("a", "d0");
        let none = SearchFilters::default();
        let found = index.approximate("a", &none, &data[0], 10);
        assert!(
            found
                .iter()
                .all(|n| n.chunk_id != "c0" && n.chunk_id != "c2")
        );
        assert!(
            found
                .iter()
                .all(|n| n.chunk_id[1..].parse::<usize>().unwrap() % 2 == 0)
        );
        let exact = index.nearest("a", &none, &data[0], 200);
        assert_eq!(exact.len(), 98);
    }

    #[test]
    fn the_graph_path_honours_filters_and_depth() {
        let data = vectors(400, 16);
        let mut index = VectorIndex::new(400);
        index.exact_limit = 20;
        for (i, v) in data.iter().enumerate() {
            let mut m = meta("t", i);
            m.tags = vec![if i % 10 == 0 { "rare" } else { "common" }.into()];
            index.upsert(m, v.clone());
        }
        let rare = |n: &Neighbour| n.chunk_id[1..].parse::<usize>().unwrap() % 10 == 0;
        let common = SearchFilters {
            tags: vec!["common".into()],
            ..Default::default()
        };
        let found = index.nearest("t", &common, &data[5], 10);
        assert_eq!(found.len(), 10);
        assert_eq!(found[0].chunk_id, "c5");
        assert!(!found.iter().any(rare));
        // 40 rare chunks, over the limit: the graph's oversampled answer holds only a few of
        // them, so the exact scan supplies all 30 asked for.
        let filters = SearchFilters {
            tags: vec!["rare".into()],
            ..Default::default()
        };
        assert!(index.approximate("t", &filters, &data[0], 30).len() < 30);
        let found = index.nearest("t", &filters, &data[0], 30);
        assert_eq!(found.len(), 30);
        assert!(found.iter().all(rare));
        assert_eq!(found, index.exact("t", &filters, &data[0], 30));
    }
}
