//! `Queue` on SQLite with SQS semantics. A send commits before it returns, so messages survive
//! a crash of the process. Receivers long-poll: they are woken at once by sends from this
//! process and re-check the database every [`POLL_INTERVAL`] to see other processes' sends,
//! delays that ran out and visibility timeouts that expired.
//!
//! Receipts follow SQS receipt handles: each receive issues a new one and older ones go stale.
//! `delete` with a stale or unknown receipt succeeds without deleting anything (as SQS does),
//! while `change_visibility` with one fails with `PortError::Invalid`, so a slow consumer can
//! never hide or release a message another consumer now holds.

mod sql;

use crate::sqlite::{Db, millis};
use async_trait::async_trait;
use plasma_core::queue::{validate_message, validate_receive, validate_visibility};
use plasma_core::{
    Clock, IdGen, OutMessage, PortError, PortResult, Queue, QueueDepth, QueueSpec, Received,
};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How often a waiting receiver re-checks the database for messages it was not told about.
const POLL_INTERVAL: Duration = Duration::from_millis(200);

pub struct SqliteQueue {
    db: Db,
    specs: HashMap<String, QueueSpec>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGen>,
    /// Signalled whenever a message may have become receivable in this process.
    arrivals: Notify,
}

impl SqliteQueue {
    pub fn open(
        path: &Path,
        specs: Vec<QueueSpec>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGen>,
    ) -> PortResult<Self> {
        let specs: HashMap<String, QueueSpec> =
            specs.into_iter().map(|s| (s.name.clone(), s)).collect();
        for spec in specs.values() {
            if let Some(dlq) = &spec.dead_letter {
                if !specs.contains_key(dlq) {
                    return Err(PortError::NotConfigured(format!(
                        "dead-letter queue {dlq} of queue {}",
                        spec.name
                    )));
                }
                if spec.max_receives == 0 {
                    return Err(PortError::Invalid(format!(
                        "queue {} has a dead-letter queue, so max_receives must be at least 1",
                        spec.name
                    )));
                }
            }
        }
        Ok(Self {
            db: Db::open(path, sql::SCHEMA)?,
            specs,
            clock,
            ids,
            arrivals: Notify::new(),
        })
    }

    fn spec(&self, queue: &str) -> PortResult<&QueueSpec> {
        self.specs
            .get(queue)
            .ok_or_else(|| PortError::NotConfigured(format!("queue {queue}")))
    }

    fn now(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// One non-waiting receive attempt.
    async fn receive_now(
        &self,
        spec: &QueueSpec,
        max: usize,
        visibility_ms: i64,
    ) -> PortResult<Vec<Received>> {
        let queue = spec.name.clone();
        let redrive = spec.dead_letter.clone().map(|dlq| (dlq, spec.max_receives));
        let now = self.now();
        let out = self
            .db
            .call(move |conn| {
                let redrive = redrive
                    .as_ref()
                    .map(|(dead_letter, max_receives)| sql::Redrive {
                        dead_letter,
                        max_receives: *max_receives,
                    });
                sql::receive(conn, &queue, max, visibility_ms, now, redrive)
            })
            .await?;
        if out.dead_lettered > 0 {
            self.arrivals.notify_waiters();
        }
        Ok(out.received)
    }
}

/// The port's (SQS's) limits; returns the delay in milliseconds.
fn check_message(message: &OutMessage) -> PortResult<i64> {
    validate_message(message)?;
    Ok(millis(message.delay.unwrap_or_default()))
}

#[async_trait]
impl Queue for SqliteQueue {
    async fn send(&self, queue: &str, message: OutMessage) -> PortResult<String> {
        let mut ids = self.send_batch(queue, vec![message]).await?;
        ids.pop()
            .ok_or_else(|| PortError::Backend("send stored no message".into()))
    }

    async fn send_batch(&self, queue: &str, messages: Vec<OutMessage>) -> PortResult<Vec<String>> {
        let queue = self.spec(queue)?.name.clone();
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        let delays = messages
            .iter()
            .map(check_message)
            .collect::<PortResult<Vec<_>>>()?;
        let batch: Vec<(String, OutMessage, i64)> = messages
            .into_iter()
            .zip(delays)
            .map(|(message, delay)| (self.ids.new_id(), message, delay))
            .collect();
        let ids = batch.iter().map(|(id, _, _)| id.clone()).collect();
        let now = self.now();
        self.db
            .call(move |conn| sql::send(conn, &queue, now, &batch))
            .await?;
        self.arrivals.notify_waiters();
        Ok(ids)
    }

    async fn receive(
        &self,
        queue: &str,
        max: u32,
        visibility: Duration,
        wait: Duration,
    ) -> PortResult<Vec<Received>> {
        let spec = self.spec(queue)?;
        validate_receive(max, visibility, wait)?;
        // The wait is real time: a test's manual clock may stand still while we wait.
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            // Registered before looking, so a send landing between the look and the wait
            // still wakes us.
            let arrival = self.arrivals.notified();
            tokio::pin!(arrival);
            arrival.as_mut().enable();
            let received = self
                .receive_now(spec, max as usize, millis(visibility))
                .await?;
            let now = tokio::time::Instant::now();
            if !received.is_empty() || now >= deadline {
                return Ok(received);
            }
            let _woken = tokio::time::timeout(POLL_INTERVAL.min(deadline - now), arrival).await;
        }
    }

    async fn delete(&self, queue: &str, receipt: &str) -> PortResult<()> {
        let (queue, receipt) = (self.spec(queue)?.name.clone(), receipt.to_owned());
        self.db
            .call(move |conn| sql::delete(conn, &queue, &receipt))
            .await
            .map(drop)
    }

    async fn change_visibility(
        &self,
        queue: &str,
        receipt: &str,
        visibility: Duration,
    ) -> PortResult<()> {
        let (queue, receipt) = (self.spec(queue)?.name.clone(), receipt.to_owned());
        validate_visibility(visibility)?;
        let visible_at = self.now().saturating_add(millis(visibility));
        let changed = self
            .db
            .call(move |conn| sql::change_visibility(conn, &queue, &receipt, visible_at))
            .await?;
        if !changed {
            return Err(PortError::Invalid("receipt is stale or unknown".into()));
        }
        if visibility.is_zero() {
            self.arrivals.notify_waiters();
        }
        Ok(())
    }

    async fn depth(&self, queue: &str) -> PortResult<QueueDepth> {
        let queue = self.spec(queue)?.name.clone();
        let now = self.now();
        self.db
            .call(move |conn| sql::depth(conn, &queue, now))
            .await
    }

    async fn health(&self) -> PortResult<String> {
        let count = self.db.call(|conn| sql::count(conn)).await?;
        Ok(format!(
            "sqlite {} ({count} messages in {} queues)",
            self.db.name,
            self.specs.len()
        ))
    }
}

#[cfg(test)]
mod tests;
