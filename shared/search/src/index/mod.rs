//! [`EmbeddedIndex`]: the search index port on tantivy plus the in-memory HNSW graph.

use crate::analysis::{self, ENGLISH};
use crate::filter::{self, ChunkMeta};
use crate::model::{self, ModelFile};
use crate::schema::{Fields, VECTOR, vector_from_bytes};
use crate::vectors::VectorIndex;
use async_trait::async_trait;
use plasma_core::{
    EmbeddingModel, IndexedChunk, PortError, PortResult, SearchHit, SearchIndex, SearchRequest,
};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Opstamp, ReloadPolicy, TantivyDocument, Term,
};

/// One writer thread: the machines this runs on are small, and writes come in modest batches.
const WRITER_MEMORY: usize = 50_000_000;

/// The embedded search index, persisted under one directory. Cheap to clone; clones share
/// the index. Writes are serialised through a single tantivy writer and each `upsert` or
/// `delete_document` commits before it returns. Upserts need the model recorded first
/// (`ensure_model`), since that is what vector lengths are checked against.
///
/// The writer is taken on the first write, not at open: several runners may share a data
/// directory (they share the item store and queue), and tantivy allows one writer per
/// directory across processes. The first one to write keeps it; another process's writes
/// fail as a backend error (the ingest queue retries them) until it stops. Its in-memory
/// vector graph is built at open, so it does not see what another process indexes later.
#[derive(Clone)]
pub struct EmbeddedIndex {
    inner: Arc<Inner>,
}

struct Inner {
    fields: Fields,
    /// The BM25 fields' analyzer, applied to query text too.
    analyzer: TextAnalyzer,
    index: Index,
    reader: IndexReader,
    /// Adds and deletes share it; a commit takes it alone.
    writer: RwLock<Option<IndexWriter>>,
    /// Serialises batches' edits with their vector updates.
    order: Mutex<()>,
    vectors: RwLock<VectorIndex>,
    model_file: ModelFile,
    /// Serialises `ensure_model` so two first uses cannot record different models.
    model: Mutex<Option<EmbeddingModel>>,
}

impl EmbeddedIndex {
    /// Opens the index under `dir`, creating it if needed, and rebuilds the vector graph from
    /// the vectors stored in it. Share one open index in a process by cloning it.
    pub fn open(dir: &Path) -> PortResult<Self> {
        let tantivy_dir = dir.join("tantivy");
        std::fs::create_dir_all(&tantivy_dir).map_err(PortError::backend)?;
        let (schema, fields) = Fields::schema();
        let index = Index::open_or_create(
            MmapDirectory::open(&tantivy_dir).map_err(PortError::backend)?,
            schema,
        )
        .map_err(PortError::backend)?;
        let analyzer = analysis::english();
        index.tokenizers().register(ENGLISH, analyzer.clone());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(PortError::backend)?;
        let model_file = ModelFile::new(dir);
        let model = model_file.read()?;
        let vectors = load_vectors(&reader, &fields)?;
        Ok(EmbeddedIndex {
            inner: Arc::new(Inner {
                fields,
                analyzer,
                index,
                reader,
                writer: RwLock::new(None),
                order: Mutex::new(()),
                vectors: RwLock::new(vectors),
                model_file,
                model: Mutex::new(model),
            }),
        })
    }

    fn recorded_model(&self) -> Option<EmbeddingModel> {
        lock(&self.inner.model).clone()
    }

    /// Runs blocking index work off the async workers.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> PortResult<T> + Send + 'static,
    ) -> PortResult<T> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .map_err(PortError::backend)?
    }
}

fn load_vectors(reader: &IndexReader, fields: &Fields) -> PortResult<VectorIndex> {
    let searcher = reader.searcher();
    let mut vectors = VectorIndex::new(searcher.num_docs() as usize);
    let mut bytes = Vec::new();
    let mut stored = Vec::new();
    for (segment, segment_reader) in searcher.segment_readers().iter().enumerate() {
        let column = segment_reader
            .fast_fields()
            .bytes(VECTOR)
            .map_err(PortError::backend)?;
        for doc_id in segment_reader.doc_ids_alive() {
            let address = DocAddress::new(segment as u32, doc_id);
            let doc: TantivyDocument = searcher.doc(address).map_err(PortError::backend)?;
            bytes.clear();
            if let Some(column) = &column
                && let Some(ord) = column.term_ords(doc_id).next()
            {
                column
                    .ord_to_bytes(ord, &mut bytes)
                    .map_err(PortError::backend)?;
            }
            stored.push((fields.meta(&doc), vector_from_bytes(&bytes)));
        }
    }
    vectors.upsert_many(stored);
    Ok(vectors)
}

fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic mid-write leaves tantivy's uncommitted batch behind, which the next commit or
    // a reopen resolves; the guarded value itself stays consistent, so carry on.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn check_vector(vector: &[f32], model: &Option<EmbeddingModel>) -> PortResult<()> {
    let Some(model) = model else {
        return Err(PortError::Invalid(
            "no embedding model recorded for this index; call ensure_model first".into(),
        ));
    };
    if vector.len() != model.dimension {
        return Err(PortError::Invalid(format!(
            "vector has {} dimensions; {} has {}",
            vector.len(),
            model.model,
            model.dimension
        )));
    }
    if !vector.iter().all(|x| x.is_finite()) {
        return Err(PortError::Invalid("vector has a non-finite value".into()));
    }
    Ok(())
}

impl Inner {
    /// Runs `edit` on the writer (taken now if this process has none yet) and `after` on the
    /// vector graph, one batch at a time so both indexes see the same order of changes, then
    /// commits. Commits are grouped: a batch whose changes another batch's commit already
    /// took in returns without a commit of its own, so concurrent ingests share the fsync.
    fn write<T>(
        &self,
        batch: T,
        edit: impl FnOnce(&IndexWriter, &T) -> PortResult<Opstamp>,
        after: impl FnOnce(&Self, T),
    ) -> PortResult<()> {
        if read(&self.writer).is_none() {
            let mut slot = write(&self.writer);
            if slot.is_none() {
                *slot = Some(
                    self.index
                        .writer_with_num_threads(1, WRITER_MEMORY)
                        .map_err(PortError::backend)?,
                );
            }
        }
        let opstamp = {
            let _order = lock(&self.order);
            let slot = read(&self.writer);
            let writer = slot.as_ref().expect("the writer was taken above");
            let opstamp = edit(writer, &batch)?;
            after(self, batch);
            opstamp
        };
        let mut slot = write(&self.writer);
        let writer = slot.as_mut().expect("the writer was taken above");
        if writer.commit_opstamp() < opstamp {
            writer.commit().map_err(PortError::backend)?;
            self.reader.reload().map_err(PortError::backend)?;
        }
        Ok(())
    }

    /// The stored chunks named by `chunk_ids` within `tenant`, as hits keyed by chunk id.
    fn fetch(&self, tenant: &str, chunk_ids: &[&str]) -> PortResult<HashMap<String, SearchHit>> {
        if chunk_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let keys: Vec<(Occur, Box<dyn Query>)> = chunk_ids
            .iter()
            .map(|id| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    self.fields.key_term(tenant, id),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        let searcher = self.reader.searcher();
        let found = searcher
            .search(&BooleanQuery::new(keys), &DocSetCollector)
            .map_err(PortError::backend)?;
        found
            .into_iter()
            .map(|address| {
                let doc: TantivyDocument = searcher.doc(address).map_err(PortError::backend)?;
                let hit = self.fields.hit(&doc, 0.0);
                Ok((hit.chunk_id.clone(), hit))
            })
            .collect()
    }
}

#[async_trait]
impl SearchIndex for EmbeddedIndex {
    async fn ensure_model(&self, wanted: &EmbeddingModel) -> PortResult<()> {
        let wanted = wanted.clone();
        self.blocking(move |inner| {
            let mut recorded = lock(&inner.model);
            match &*recorded {
                Some(model) => model::check(model, &wanted),
                None => {
                    inner.model_file.write(&wanted)?;
                    *recorded = Some(wanted);
                    Ok(())
                }
            }
        })
        .await
    }

    async fn model(&self) -> PortResult<Option<EmbeddingModel>> {
        Ok(self.recorded_model())
    }

    async fn upsert(&self, chunks: Vec<IndexedChunk>) -> PortResult<()> {
        if chunks.is_empty() {
            return Ok(());
        }
        let model = self.recorded_model();
        for chunk in &chunks {
            if chunk.tenant.is_empty() || chunk.chunk_id.is_empty() {
                return Err(PortError::Invalid(
                    "a chunk needs a tenant and a chunk id".into(),
                ));
            }
            check_vector(&chunk.vector, &model)?;
        }
        self.blocking(move |inner| {
            let fields = &inner.fields;
            inner.write(
                chunks,
                |writer, chunks| {
                    let mut opstamp = 0;
                    for chunk in chunks {
                        // A delete applies to documents added before it, so a chunk id
                        // repeated within the batch leaves its last version.
                        writer.delete_term(fields.key_term(&chunk.tenant, &chunk.chunk_id));
                        opstamp = writer
                            .add_document(fields.document(chunk))
                            .map_err(PortError::backend)?;
                    }
                    Ok(opstamp)
                },
                |inner, chunks| {
                    write(&inner.vectors).upsert_many(
                        chunks
                            .into_iter()
                            .map(|c| (ChunkMeta::of(&c), c.vector))
                            .collect(),
                    );
                },
            )
        })
        .await
    }

    async fn delete_document(&self, tenant: &str, document_id: &str) -> PortResult<()> {
        let (tenant, document_id) = (tenant.to_owned(), document_id.to_owned());
        self.blocking(move |inner| {
            let fields = &inner.fields;
            let query = BooleanQuery::intersection(vec![
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.tenant, &tenant),
                    IndexRecordOption::Basic,
                )),
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.document_id, &document_id),
                    IndexRecordOption::Basic,
                )),
            ]);
            inner.write(
                query,
                |writer, query| {
                    writer
                        .delete_query(Box::new(query.clone()))
                        .map_err(PortError::backend)
                },
                |inner, _| {
                    inner
                        .vectors
                        .write()
                        .unwrap_or_else(|p| p.into_inner())
                        .remove_document(&tenant, &document_id);
                },
            )
        })
        .await
    }

    async fn keyword(&self, request: &SearchRequest) -> PortResult<Vec<SearchHit>> {
        let depth = request.depth();
        let request = request.clone();
        self.blocking(move |inner| {
            let fields = &inner.fields;
            let terms = analysis::terms(&mut inner.analyzer.clone(), &request.text);
            if terms.is_empty() || depth == 0 {
                return Ok(Vec::new());
            }
            let words: Vec<(Occur, Box<dyn Query>)> = terms
                .iter()
                .flat_map(|t| [fields.title, fields.text].map(|f| (f, t)))
                .map(|(field, t)| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(field, t),
                        IndexRecordOption::WithFreqs,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            let mut clauses = filter::clauses(fields, &request.tenant, &request.filters);
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(words))));
            let searcher = inner.reader.searcher();
            let top = searcher
                .search(
                    &BooleanQuery::new(clauses),
                    &TopDocs::with_limit(depth).order_by_score(),
                )
                .map_err(PortError::backend)?;
            top.into_iter()
                .map(|(score, address)| {
                    let doc: TantivyDocument = searcher.doc(address).map_err(PortError::backend)?;
                    Ok(fields.hit(&doc, score))
                })
                .collect()
        })
        .await
    }

    async fn nearest(&self, request: &SearchRequest) -> PortResult<Vec<SearchHit>> {
        let Some(query) = &request.vector else {
            return Err(PortError::Invalid(
                "vector search needs the query's vector".into(),
            ));
        };
        let model = self.recorded_model();
        if model.is_none() {
            // Nothing was ever written with a vector, so nothing can be near.
            return Ok(Vec::new());
        }
        check_vector(query, &model)?;
        let depth = request.depth();
        let request = request.clone();
        self.blocking(move |inner| {
            let query = request.vector.as_deref().unwrap_or_default();
            let nearest = inner
                .vectors
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .nearest(&request.tenant, &request.filters, query, depth);
            let ids: Vec<&str> = nearest.iter().map(|n| n.chunk_id.as_str()).collect();
            let mut stored = inner.fetch(&request.tenant, &ids)?;
            // A chunk deleted between the two lookups is simply left out.
            Ok(nearest
                .iter()
                .filter_map(|n| {
                    let mut hit = stored.remove(&n.chunk_id)?;
                    hit.score = n.similarity;
                    Some(hit)
                })
                .collect())
        })
        .await
    }
}

#[cfg(test)]
mod tests;
