//! `ItemStore` on SQLite: one table keyed like the DynamoDB single table, with GSI1 as an
//! index. Every conditional write runs in an IMMEDIATE transaction, so its condition check and
//! write are atomic against other tasks and against other processes sharing the file.

mod condition;
mod cursor;
mod sql;
mod update;

use crate::sqlite::{Db, SqlResult};
use async_trait::async_trait;
use plasma_core::item::{validate_item, validate_transaction};
use plasma_core::{
    Clock, Condition, Item, ItemStore, Key, Page, PortError, PortResult, Query, TxOp, Update,
};
use rusqlite::{Connection, TransactionBehavior};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

pub struct SqliteItemStore {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl SqliteItemStore {
    pub fn open(path: &Path, clock: Arc<dyn Clock>) -> PortResult<Self> {
        let db = Db::open(path, sql::SCHEMA)?;
        let now = clock.now().timestamp();
        db.run_now(|conn| sql::purge_expired(conn, now))?;
        Ok(Self { db, clock })
    }

    fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    /// Run `work` in a write transaction that commits only when it returns `Ok`.
    async fn write<T, F>(&self, work: F) -> PortResult<T>
    where
        F: FnOnce(&Connection, i64) -> PortResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let now = self.now();
        self.db
            .call(move |conn| {
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .db()?;
                let out = work(&tx, now)?;
                tx.commit().db()?;
                Ok(out)
            })
            .await
    }
}

/// What one operation will write once every condition of its batch has held.
enum Write {
    Put(Item),
    Delete(Key),
    Nothing,
}

fn apply(conn: &Connection, write: &Write) -> PortResult<()> {
    match write {
        Write::Put(item) => sql::store(conn, item),
        Write::Delete(key) => sql::remove(conn, key),
        Write::Nothing => Ok(()),
    }
}

/// Check `op`'s condition against the stored item and work out its write; `Ok(None)` when the
/// condition does not hold.
fn plan(conn: &Connection, op: TxOp, now: i64) -> PortResult<Option<Write>> {
    let current = sql::load(conn, op.key(), now)?;
    let (condition, write) = match op {
        TxOp::Put(item, condition) => (condition, Write::Put(item)),
        TxOp::Delete(key, condition) => (condition, Write::Delete(key)),
        TxOp::Check(_, condition) => (condition, Write::Nothing),
        TxOp::Update(key, changes, condition) => {
            if !condition::holds(&condition, current.as_ref()) {
                return Ok(None);
            }
            return update::apply(&key, changes, current).map(|item| Some(Write::Put(item)));
        }
    };
    Ok(condition::holds(&condition, current.as_ref()).then_some(write))
}

/// A single conditional write: `Conflict` when the condition does not hold.
fn write_one(conn: &Connection, op: TxOp, now: i64) -> PortResult<Write> {
    let key = op.key().clone();
    let write = plan(conn, op, now)?
        .ok_or_else(|| PortError::Conflict(format!("condition failed for {key:?}")))?;
    apply(conn, &write)?;
    Ok(write)
}

#[async_trait]
impl ItemStore for SqliteItemStore {
    async fn get(&self, key: &Key) -> PortResult<Option<Item>> {
        let (key, now) = (key.clone(), self.now());
        self.db.call(move |conn| sql::load(conn, &key, now)).await
    }

    async fn put(&self, item: Item, condition: Condition) -> PortResult<()> {
        validate_item(&item)?;
        self.write(move |conn, now| write_one(conn, TxOp::Put(item, condition), now).map(drop))
            .await
    }

    async fn update(&self, key: &Key, update: Update, condition: Condition) -> PortResult<Item> {
        let op = TxOp::Update(key.clone(), update, condition);
        self.write(move |conn, now| match write_one(conn, op, now)? {
            Write::Put(item) => Ok(item),
            Write::Delete(_) | Write::Nothing => {
                Err(PortError::Backend("update wrote no item".into()))
            }
        })
        .await
    }

    async fn delete(&self, key: &Key, condition: Condition) -> PortResult<()> {
        let op = TxOp::Delete(key.clone(), condition);
        self.write(move |conn, now| write_one(conn, op, now).map(drop))
            .await
    }

    async fn query(&self, query: Query) -> PortResult<Page> {
        let now = self.now();
        self.db
            .call(move |conn| sql::query(conn, &query, now))
            .await
    }

    async fn batch_get(&self, keys: &[Key]) -> PortResult<Vec<Item>> {
        // Duplicate keys would return the same item twice; DynamoDB refuses them outright.
        let keys: BTreeSet<Key> = keys.iter().cloned().collect();
        let now = self.now();
        self.db
            .call(move |conn| {
                let mut found = Vec::with_capacity(keys.len());
                for key in &keys {
                    found.extend(sql::load(conn, key, now)?);
                }
                Ok(found)
            })
            .await
    }

    async fn batch_write(&self, puts: Vec<Item>, deletes: Vec<Key>) -> PortResult<()> {
        puts.iter().try_for_each(validate_item)?;
        self.write(move |conn, _| {
            puts.iter().try_for_each(|item| sql::store(conn, item))?;
            deletes.iter().try_for_each(|key| sql::remove(conn, key))
        })
        .await
    }

    async fn transact_write(&self, ops: Vec<TxOp>) -> PortResult<()> {
        validate_transaction(&ops)?;
        self.write(move |conn, now| {
            // Every condition is judged against the state before the transaction, as in
            // DynamoDB; keys are distinct, so no operation can see another's write.
            let mut writes = Vec::with_capacity(ops.len());
            let mut failed = Vec::new();
            for (index, op) in ops.into_iter().enumerate() {
                match plan(conn, op, now)? {
                    Some(write) => writes.push(write),
                    None => failed.push(index),
                }
            }
            if !failed.is_empty() {
                return Err(PortError::TransactionCanceled { failed });
            }
            writes.iter().try_for_each(|write| apply(conn, write))
        })
        .await
    }

    async fn health(&self) -> PortResult<String> {
        let now = self.now();
        let count = self
            .db
            .call(move |conn| sql::count_visible(conn, now))
            .await?;
        Ok(format!("sqlite {} ({count} items)", self.db.name))
    }
}

#[cfg(test)]
mod tests;
