//! The knowledge graph as a materialised view: each document stores its own contribution
//! (the entities and relations extracted from its chunks) and the tenant's graph is merged
//! from all of them, with entity resolution across documents. Deleting or replacing a
//! document is then exact — its contribution goes — and concurrent ingests never race on
//! shared counters. The merged graph is cached per tenant and rebuilt when the tenant's
//! graph generation moves.

use bytes::Bytes;
use plasma_core::item::query_all;
use plasma_core::keys::{GRAPH, RESEARCH_META, RESEARCH_META_GRAPH};
use plasma_core::{
    BlobStore, Condition, Item, ItemStore, Key, PortError, PortResult, PutOptions, Query, Update,
};
use plasma_graph::{Contribution, Graph};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Contributions larger than this go to the blob store; DynamoDB items stop at 400 KB.
const INLINE_LIMIT: usize = 300 * 1024;

/// Each tenant's merged graph with the generation it was merged at.
type Cache = HashMap<String, (i64, Arc<Graph>)>;

#[derive(Clone)]
pub struct GraphStore {
    items: Arc<dyn ItemStore>,
    blobs: Arc<dyn BlobStore>,
    cache: Arc<Mutex<Cache>>,
}

fn partition(tenant: &str) -> PortResult<String> {
    GRAPH.key([tenant])
}

fn generation_key(tenant: &str) -> PortResult<Key> {
    Ok(Key::new(
        RESEARCH_META.key([tenant])?,
        RESEARCH_META_GRAPH.literal(),
    ))
}

fn blob_key(tenant: &str, document_id: &str) -> String {
    format!("research/{tenant}/graph/{document_id}.json")
}

impl GraphStore {
    pub fn new(items: Arc<dyn ItemStore>, blobs: Arc<dyn BlobStore>) -> Self {
        Self {
            items,
            blobs,
            cache: Arc::default(),
        }
    }

    pub async fn put(&self, tenant: &str, contribution: &Contribution) -> PortResult<()> {
        let json = serde_json::to_string(contribution)
            .map_err(|e| PortError::Invalid(format!("graph contribution: {e}")))?;
        let mut attrs = Map::new();
        if json.len() > INLINE_LIMIT {
            let key = blob_key(tenant, &contribution.document_id);
            self.blobs
                .put(&key, Bytes::from(json), PutOptions::default())
                .await?;
            attrs.insert("blob".into(), Value::from(key));
        } else {
            attrs.insert("contribution".into(), Value::from(json));
        }
        let item = Item::new(
            Key::new(partition(tenant)?, &contribution.document_id),
            attrs,
        );
        self.items.put(item, Condition::None).await?;
        self.bump(tenant).await
    }

    pub async fn remove(&self, tenant: &str, document_id: &str) -> PortResult<()> {
        self.items
            .delete(&Key::new(partition(tenant)?, document_id), Condition::None)
            .await?;
        self.blobs.delete(&blob_key(tenant, document_id)).await?;
        self.bump(tenant).await
    }

    async fn bump(&self, tenant: &str) -> PortResult<()> {
        self.items
            .update(
                &generation_key(tenant)?,
                Update::default().add("generation", 1),
                Condition::None,
            )
            .await?;
        Ok(())
    }

    async fn generation(&self, tenant: &str) -> PortResult<i64> {
        Ok(self
            .items
            .get(&generation_key(tenant)?)
            .await?
            .and_then(|i| i.get("generation").and_then(Value::as_i64))
            .unwrap_or(0))
    }

    /// The tenant's merged graph, rebuilt only when a contribution changed since the last
    /// build this process made.
    pub async fn graph(&self, tenant: &str) -> PortResult<Arc<Graph>> {
        let generation = self.generation(tenant).await?;
        if let Some((seen, graph)) = self.cache.lock().expect("graph cache").get(tenant)
            && *seen == generation
        {
            return Ok(graph.clone());
        }
        let mut contributions = Vec::new();
        for item in query_all(self.items.as_ref(), Query::partition(partition(tenant)?)).await? {
            let json = match (item.get("contribution"), item.get("blob")) {
                (Some(Value::String(json)), _) => json.clone(),
                (_, Some(Value::String(key))) => match self.blobs.get(key).await? {
                    Some(blob) => String::from_utf8_lossy(&blob.body).into_owned(),
                    None => continue,
                },
                _ => continue,
            };
            match serde_json::from_str::<Contribution>(&json) {
                Ok(c) => contributions.push(c),
                Err(e) => {
                    tracing::error!(key = ?item.key, error = %e, "skipping an unreadable graph contribution")
                }
            }
        }
        let graph = Arc::new(
            tokio::task::spawn_blocking(move || Graph::build(&contributions))
                .await
                .map_err(PortError::backend)?,
        );
        self.cache
            .lock()
            .expect("graph cache")
            .insert(tenant.to_string(), (generation, graph.clone()));
        Ok(graph)
    }
}
