//! `Scheduler` on SQLite: one-time schedules wait in a table until [`EmbeddedScheduler::fire_due`]
//! (called by the runner's tick) sends their body to the queue. The table also keeps when each
//! recurring schedule last fired, so the runner neither skips nor repeats ticks across restarts.
//!
//! Firing is at least once, like EventBridge Scheduler: a schedule is claimed, sent, then
//! removed. A crash between send and removal fires it again once the claim lapses; two runners
//! sharing the file never fire the same schedule at the same time.

use crate::random::token;
use crate::sqlite::{Db, SqlResult, count_at};
use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use plasma_core::schedule::validate_schedule_name;
use plasma_core::{Clock, OneTimeSchedule, OutMessage, PortError, PortResult, Queue, Scheduler};
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};
use std::path::Path;
use std::sync::Arc;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS schedules (
    name TEXT PRIMARY KEY,
    at INTEGER NOT NULL,
    queue TEXT NOT NULL,
    body TEXT NOT NULL,
    revision TEXT NOT NULL,
    claimed_until INTEGER
);
CREATE INDEX IF NOT EXISTS schedules_due ON schedules (at);
CREATE TABLE IF NOT EXISTS recurring (
    name TEXT PRIMARY KEY,
    last_fired TEXT NOT NULL
);
";

/// How long a claimed schedule is left to its claimant before another firing may take it.
const CLAIM_SECONDS: i64 = 60;

pub struct EmbeddedScheduler {
    db: Db,
    queue: Arc<dyn Queue>,
    clock: Arc<dyn Clock>,
}

/// A due schedule as claimed for firing; `revision` tells it apart from a replacement made
/// under the same name while it was being sent.
struct Claimed {
    name: String,
    revision: String,
    queue: String,
    body: String,
}

impl EmbeddedScheduler {
    pub fn open(path: &Path, queue: Arc<dyn Queue>, clock: Arc<dyn Clock>) -> PortResult<Self> {
        Ok(Self {
            db: Db::open(path, SCHEMA)?,
            queue,
            clock,
        })
    }

    /// Send every schedule due at the clock's now (however late) to its queue, then remove it.
    /// Returns how many fired. A schedule whose send fails stays pending for the next call.
    pub async fn fire_due(&self) -> PortResult<usize> {
        let now = self.clock.now().timestamp();
        let claimed = self
            .db
            .call(move |conn| {
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .db()?;
                let due = tx
                    .prepare(
                        "UPDATE schedules SET claimed_until = ?1
                         WHERE at <= ?2 AND (claimed_until IS NULL OR claimed_until <= ?2)
                         RETURNING name, revision, queue, body",
                    )
                    .db()?
                    .query_map(params![now + CLAIM_SECONDS, now], |r| {
                        Ok(Claimed {
                            name: r.get(0)?,
                            revision: r.get(1)?,
                            queue: r.get(2)?,
                            body: r.get(3)?,
                        })
                    })
                    .db()?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .db()?;
                tx.commit().db()?;
                Ok(due)
            })
            .await?;
        let mut fired = 0;
        for schedule in claimed {
            let sent = self
                .queue
                .send(&schedule.queue, OutMessage::new(schedule.body))
                .await;
            let (name, revision) = (schedule.name, schedule.revision);
            let finish = match &sent {
                Ok(_) => "DELETE FROM schedules WHERE name = ?1 AND revision = ?2",
                Err(_) => {
                    "UPDATE schedules SET claimed_until = NULL WHERE name = ?1 AND revision = ?2"
                }
            };
            if let Err(e) = &sent {
                tracing::warn!(schedule = %name, error = %e, "one-time schedule could not fire; will retry");
            } else {
                fired += 1;
            }
            self.db
                .call(move |conn| conn.execute(finish, params![name, revision]).db())
                .await?;
        }
        Ok(fired)
    }

    /// When the recurring schedule `name` last fired, as recorded by [`Self::set_last_fired`].
    pub async fn last_fired(&self, name: &str) -> PortResult<Option<DateTime<Utc>>> {
        let name = name.to_owned();
        let text: Option<String> = self
            .db
            .call(move |conn| {
                conn.query_row(
                    "SELECT last_fired FROM recurring WHERE name = ?",
                    [&name],
                    |r| r.get(0),
                )
                .optional()
                .db()
            })
            .await?;
        text.map(|t| {
            DateTime::parse_from_rfc3339(&t)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| PortError::Backend(format!("stored last-fired time {t:?}: {e}")))
        })
        .transpose()
    }

    pub async fn set_last_fired(&self, name: &str, at: DateTime<Utc>) -> PortResult<()> {
        let name = name.to_owned();
        let at = at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        self.db
            .call(move |conn| {
                conn.execute(
                    "INSERT INTO recurring (name, last_fired) VALUES (?1, ?2)
                     ON CONFLICT (name) DO UPDATE SET last_fired = excluded.last_fired",
                    params![name, at],
                )
                .db()
            })
            .await
            .map(drop)
    }
}

fn schedule_row(r: &Row<'_>) -> rusqlite::Result<(String, i64, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn into_schedule(
    (name, at, queue, body): (String, i64, String, String),
) -> PortResult<OneTimeSchedule> {
    let at = DateTime::from_timestamp(at, 0).ok_or_else(|| {
        PortError::Backend(format!("schedule {name} has an impossible time {at}"))
    })?;
    Ok(OneTimeSchedule {
        name,
        at,
        queue,
        body,
    })
}

#[async_trait]
impl Scheduler for EmbeddedScheduler {
    async fn schedule_once(&self, schedule: OneTimeSchedule) -> PortResult<()> {
        validate_schedule_name(&schedule.name)?;
        // Fail now rather than at firing time when the target queue does not exist.
        self.queue.depth(&schedule.queue).await?;
        let revision = token()?;
        self.db
            .call(move |conn| {
                conn.execute(
                    "INSERT OR REPLACE INTO schedules (name, at, queue, body, revision) VALUES (?, ?, ?, ?, ?)",
                    params![schedule.name, schedule.at.timestamp(), schedule.queue, schedule.body, revision],
                )
                .db()
            })
            .await
            .map(drop)
    }

    async fn cancel(&self, name: &str) -> PortResult<bool> {
        let name = name.to_owned();
        let n = self
            .db
            .call(move |conn| {
                conn.execute("DELETE FROM schedules WHERE name = ?", [name])
                    .db()
            })
            .await?;
        Ok(n > 0)
    }

    async fn get(&self, name: &str) -> PortResult<Option<OneTimeSchedule>> {
        let name = name.to_owned();
        let row = self
            .db
            .call(move |conn| {
                conn.query_row(
                    "SELECT name, at, queue, body FROM schedules WHERE name = ?",
                    [name],
                    schedule_row,
                )
                .optional()
                .db()
            })
            .await?;
        row.map(into_schedule).transpose()
    }

    async fn list(&self, prefix: &str) -> PortResult<Vec<OneTimeSchedule>> {
        let prefix = prefix.to_owned();
        let rows = self
            .db
            .call(move |conn| {
                conn.prepare(
                    "SELECT name, at, queue, body FROM schedules
                     WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name",
                )
                .db()?
                .query_map([prefix], schedule_row)
                .db()?
                .collect::<rusqlite::Result<Vec<_>>>()
                .db()
            })
            .await?;
        rows.into_iter().map(into_schedule).collect()
    }

    async fn health(&self) -> PortResult<String> {
        let pending: u64 = self
            .db
            .call(|conn| {
                conn.query_row("SELECT COUNT(*) FROM schedules", [], |r| count_at(r, 0))
                    .db()
            })
            .await?;
        Ok(format!(
            "sqlite {} ({pending} pending schedules)",
            self.db.name
        ))
    }
}

#[cfg(test)]
mod tests;
