//! The messages table. Times are epoch milliseconds from the injected clock. A message is
//! delayed while it was never received and `visible_at` is ahead, in flight while it was
//! received and `visible_at` is ahead, and visible otherwise. `receipt` is replaced on every
//! receive, which is what makes older receipts stale.

use crate::random::token;
use crate::sqlite::{SqlResult, count_at};
use plasma_core::{OutMessage, PortError, PortResult, QueueDepth, Received};
use rusqlite::{Connection, TransactionBehavior, params};
use std::collections::BTreeMap;

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    attributes TEXT NOT NULL,
    visible_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    receipt TEXT
);
CREATE INDEX IF NOT EXISTS messages_ready ON messages (queue, visible_at);
CREATE UNIQUE INDEX IF NOT EXISTS messages_receipt ON messages (receipt) WHERE receipt IS NOT NULL;
";

/// Insert messages (already given ids) in one transaction.
pub(crate) fn send(
    conn: &mut Connection,
    queue: &str,
    now: i64,
    messages: &[(String, OutMessage, i64)],
) -> PortResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO messages (queue, id, body, attributes, visible_at) VALUES (?, ?, ?, ?, ?)",
            )
            .db()?;
        for (id, message, delay_ms) in messages {
            let attributes =
                serde_json::to_string(&message.attributes).map_err(PortError::backend)?;
            insert
                .execute(params![
                    queue,
                    id,
                    message.body,
                    attributes,
                    now.saturating_add(*delay_ms)
                ])
                .db()?;
        }
    }
    tx.commit().db()
}

/// What one receive attempt did.
pub(crate) struct Receipts {
    pub(crate) received: Vec<Received>,
    /// Messages moved to the dead-letter queue instead of being returned.
    pub(crate) dead_lettered: usize,
}

/// How a queue redrives: after `max_receives` receives a message goes to `dead_letter`.
pub(crate) struct Redrive<'a> {
    pub(crate) dead_letter: &'a str,
    pub(crate) max_receives: u32,
}

/// Take up to `max` visible messages, oldest first, hiding them until `now + visibility_ms`.
pub(crate) fn receive(
    conn: &mut Connection,
    queue: &str,
    max: usize,
    visibility_ms: i64,
    now: i64,
    redrive: Option<Redrive<'_>>,
) -> PortResult<Receipts> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let mut out = Receipts {
        received: Vec::new(),
        dead_lettered: 0,
    };
    {
        let mut candidates = tx
            .prepare(
                "SELECT seq, id, body, attributes, receive_count FROM messages
                 WHERE queue = ? AND visible_at <= ? AND seq > ? ORDER BY seq LIMIT ?",
            )
            .db()?;
        let mut take = tx
            .prepare(
                "UPDATE messages SET receive_count = ?, visible_at = ?, receipt = ? WHERE seq = ?",
            )
            .db()?;
        let mut dead_letter = tx
            .prepare(
                "UPDATE messages SET queue = ?, receive_count = 0, visible_at = ?, receipt = NULL WHERE seq = ?",
            )
            .db()?;
        // Rounds resume after the last row read, so a row is never handed out twice (even
        // with a zero visibility timeout) and the loop ends with the visible messages.
        let mut after = 0i64;
        while out.received.len() < max {
            let want = (max - out.received.len()) as i64;
            let rows = candidates
                .query_map(params![queue, now, after, want], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .db()?
                .collect::<rusqlite::Result<Vec<(i64, String, String, String, u32)>>>()
                .db()?;
            if rows.is_empty() {
                break;
            }
            for (seq, message_id, body, attributes, receive_count) in rows {
                after = seq;
                if let Some(redrive) = redrive.as_ref().filter(|r| receive_count >= r.max_receives)
                {
                    dead_letter
                        .execute(params![redrive.dead_letter, now, seq])
                        .db()?;
                    out.dead_lettered += 1;
                    continue;
                }
                let receipt = token()?;
                let receive_count = receive_count.saturating_add(1);
                take.execute(params![
                    receive_count,
                    now.saturating_add(visibility_ms),
                    receipt,
                    seq
                ])
                .db()?;
                let attributes: BTreeMap<String, String> = serde_json::from_str(&attributes)
                    .map_err(|e| {
                        PortError::Backend(format!("stored message {message_id} is malformed: {e}"))
                    })?;
                out.received.push(Received {
                    message_id,
                    receipt,
                    body,
                    receive_count,
                    attributes,
                });
            }
        }
    }
    tx.commit().db()?;
    Ok(out)
}

/// Delete the message holding `receipt`; returns false when no message holds it (deleted
/// already, or received again since).
pub(crate) fn delete(conn: &Connection, queue: &str, receipt: &str) -> PortResult<bool> {
    let n = conn
        .execute(
            "DELETE FROM messages WHERE queue = ? AND receipt = ?",
            params![queue, receipt],
        )
        .db()?;
    Ok(n > 0)
}

/// Returns false when no message holds `receipt`.
pub(crate) fn change_visibility(
    conn: &Connection,
    queue: &str,
    receipt: &str,
    visible_at: i64,
) -> PortResult<bool> {
    let n = conn
        .execute(
            "UPDATE messages SET visible_at = ? WHERE queue = ? AND receipt = ?",
            params![visible_at, queue, receipt],
        )
        .db()?;
    Ok(n > 0)
}

pub(crate) fn depth(conn: &Connection, queue: &str, now: i64) -> PortResult<QueueDepth> {
    conn.query_row(
        "SELECT COUNT(*) FILTER (WHERE visible_at <= ?2),
                COUNT(*) FILTER (WHERE visible_at > ?2 AND receive_count > 0),
                COUNT(*) FILTER (WHERE visible_at > ?2 AND receive_count = 0)
         FROM messages WHERE queue = ?1",
        params![queue, now],
        |r| {
            Ok(QueueDepth {
                visible: count_at(r, 0)?,
                in_flight: count_at(r, 1)?,
                delayed: count_at(r, 2)?,
            })
        },
    )
    .db()
}

pub(crate) fn count(conn: &Connection) -> PortResult<u64> {
    conn.query_row("SELECT COUNT(*) FROM messages", [], |r| count_at(r, 0))
        .db()
}
