//! ItemStore: DynamoDB semantics over a single-table design.
//!
//! Every item has a partition key (`pk`) and a sort key (`sk`), an optional secondary key
//! (`gsi1`, queried through [`Index::Gsi1`]), an optional expiry (`expires_at`, epoch seconds:
//! the DynamoDB TTL attribute) and a JSON object of attributes. Expired items are invisible to
//! every read and count as absent for conditions, on both adapters, whether or not the backend
//! has physically removed them yet.

use crate::error::PortResult;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Attribute names the adapters reserve for keys and expiry; user attributes may not use them.
pub const RESERVED_ATTRIBUTES: [&str; 5] = ["PK", "SK", "GSI1PK", "GSI1SK", "ttl"];

/// Most operations one transaction may hold (the DynamoDB limit).
pub const MAX_TRANSACTION_ITEMS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Self {
            pk: pk.into(),
            sk: sk.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub key: Key,
    /// Secondary key, indexed by GSI1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1: Option<Key>,
    /// Epoch seconds after which the item no longer exists for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    pub attrs: Map<String, Value>,
}

impl Item {
    pub fn new(key: Key, attrs: Map<String, Value>) -> Self {
        Self {
            key,
            gsi1: None,
            expires_at: None,
            attrs,
        }
    }

    pub fn with_gsi1(mut self, key: Key) -> Self {
        self.gsi1 = Some(key);
        self
    }

    pub fn with_expiry(mut self, epoch_seconds: i64) -> Self {
        self.expires_at = Some(epoch_seconds);
        self
    }

    pub fn get(&self, attr: &str) -> Option<&Value> {
        self.attrs.get(attr)
    }

    /// Deserialize the attributes into a domain type.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> PortResult<T> {
        serde_json::from_value(Value::Object(self.attrs.clone())).map_err(|e| {
            crate::PortError::Backend(format!("stored item {:?} is malformed: {e}", self.key))
        })
    }

    /// True when the item has expired at `now` (epoch seconds).
    pub fn is_expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }
}

/// Condition on the current state of one item, checked atomically with a write.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Condition {
    #[default]
    None,
    /// The item must not exist (or must have expired).
    NotExists,
    /// The item must exist.
    Exists,
    /// The item must exist and attribute `.0` must equal `.1` (optimistic concurrency on a
    /// version attribute).
    Equals(String, Value),
}

/// A partial update: set attributes, remove attributes, add to numeric attributes (a missing
/// attribute counts as 0). Like DynamoDB UpdateItem, an update of a missing item creates it
/// unless the condition forbids it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Update {
    pub set: Map<String, Value>,
    pub remove: Vec<String>,
    pub add: Vec<(String, i64)>,
    /// Replace the expiry (`Some(None)` removes it).
    pub expires_at: Option<Option<i64>>,
}

impl Update {
    pub fn set(mut self, attr: impl Into<String>, value: impl Into<Value>) -> Self {
        self.set.insert(attr.into(), value.into());
        self
    }
    pub fn remove(mut self, attr: impl Into<String>) -> Self {
        self.remove.push(attr.into());
        self
    }
    pub fn add(mut self, attr: impl Into<String>, by: i64) -> Self {
        self.add.push((attr.into(), by));
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Index {
    #[default]
    Primary,
    Gsi1,
}

/// Sort-key selection within one partition. Bounds are inclusive, compared as strings.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SortKey {
    #[default]
    All,
    Prefix(String),
    Between(String, String),
    From(String),
    To(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    pub index: Index,
    pub pk: String,
    pub sk: SortKey,
    /// Most items to examine for this page (like DynamoDB `Limit`); a page may hold fewer
    /// items than this and still have a `next` cursor.
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next`.
    pub cursor: Option<String>,
    pub descending: bool,
}

impl Query {
    pub fn partition(pk: impl Into<String>) -> Self {
        Self {
            pk: pk.into(),
            ..Self::default()
        }
    }
    pub fn gsi1(pk: impl Into<String>) -> Self {
        Self {
            index: Index::Gsi1,
            pk: pk.into(),
            ..Self::default()
        }
    }
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.sk = SortKey::Prefix(prefix.into());
        self
    }
    pub fn between(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.sk = SortKey::Between(from.into(), to.into());
        self
    }
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
    pub fn after(mut self, cursor: Option<String>) -> Self {
        self.cursor = cursor;
        self
    }
    pub fn descending(mut self) -> Self {
        self.descending = true;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub items: Vec<Item>,
    /// Opaque cursor for the next page; `None` when the query is exhausted.
    pub next: Option<String>,
}

/// One operation of an all-or-nothing transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum TxOp {
    Put(Item, Condition),
    Update(Key, Update, Condition),
    Delete(Key, Condition),
    Check(Key, Condition),
}

impl TxOp {
    pub fn key(&self) -> &Key {
        match self {
            TxOp::Put(item, _) => &item.key,
            TxOp::Update(key, _, _) | TxOp::Delete(key, _) | TxOp::Check(key, _) => key,
        }
    }
}

#[async_trait]
pub trait ItemStore: Send + Sync {
    async fn get(&self, key: &Key) -> PortResult<Option<Item>>;
    /// Write the whole item. Fails with `PortError::Conflict` when the condition does not hold.
    async fn put(&self, item: Item, condition: Condition) -> PortResult<()>;
    /// Apply a partial update and return the item as it is afterwards.
    async fn update(&self, key: &Key, update: Update, condition: Condition) -> PortResult<Item>;
    /// Delete the item (absent items are fine unless the condition says otherwise).
    async fn delete(&self, key: &Key, condition: Condition) -> PortResult<()>;
    async fn query(&self, query: Query) -> PortResult<Page>;
    /// Fetch many items; absent and expired ones are left out. Order is not guaranteed.
    async fn batch_get(&self, keys: &[Key]) -> PortResult<Vec<Item>>;
    /// Unconditional puts and deletes, any number (adapters chunk them).
    async fn batch_write(&self, puts: Vec<Item>, deletes: Vec<Key>) -> PortResult<()>;
    /// All or nothing, at most [`MAX_TRANSACTION_ITEMS`] operations on distinct keys.
    /// A failing condition cancels everything with `PortError::TransactionCanceled`.
    async fn transact_write(&self, ops: Vec<TxOp>) -> PortResult<()>;
    /// A short description of the adapter's state for `/health`.
    async fn health(&self) -> PortResult<String>;
}

/// Every item `query` matches, following the cursors to the end. For partitions known to be
/// small (a tenant's API keys or webhook endpoints); large ones are paged by the caller.
pub async fn query_all(store: &dyn ItemStore, mut query: Query) -> PortResult<Vec<Item>> {
    let mut items = Vec::new();
    loop {
        let page = store.query(query.clone()).await?;
        items.extend(page.items);
        match page.next {
            Some(next) => query.cursor = Some(next),
            None => return Ok(items),
        }
    }
}

/// A record's attributes: its serde form, which must be a JSON object.
pub fn attrs_of<T: Serialize>(record: &T) -> PortResult<Map<String, Value>> {
    match serde_json::to_value(record) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(crate::PortError::Invalid(
            "a stored record must be a JSON object".into(),
        )),
        Err(e) => Err(crate::PortError::Invalid(format!(
            "record does not serialize: {e}"
        ))),
    }
}

/// Checks shared by both adapters before a write reaches the backend.
pub fn validate_item(item: &Item) -> PortResult<()> {
    if item.key.pk.is_empty() || item.key.sk.is_empty() {
        return Err(crate::PortError::Invalid(
            "pk and sk must not be empty".into(),
        ));
    }
    if let Some(reserved) = item
        .attrs
        .keys()
        .find(|k| RESERVED_ATTRIBUTES.contains(&k.as_str()))
    {
        return Err(crate::PortError::Invalid(format!(
            "attribute name {reserved} is reserved"
        )));
    }
    Ok(())
}

/// Checks shared by both adapters before a transaction reaches the backend.
pub fn validate_transaction(ops: &[TxOp]) -> PortResult<()> {
    if ops.is_empty() || ops.len() > MAX_TRANSACTION_ITEMS {
        return Err(crate::PortError::Invalid(format!(
            "a transaction holds 1 to {MAX_TRANSACTION_ITEMS} operations, got {}",
            ops.len()
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for op in ops {
        if !seen.insert(op.key()) {
            return Err(crate::PortError::Invalid(format!(
                "a transaction may touch each item once; {:?} appears twice",
                op.key()
            )));
        }
        if let TxOp::Put(item, _) = op {
            validate_item(item)?;
        }
    }
    Ok(())
}
