//! Ingest work that reached the dead-letter queue ends visibly: the documents its messages
//! were about end `failed` with a reason instead of staying `queued` or `processing`. The
//! ingest handler already gives up on a message's last receive; this sweep catches what the
//! handler never got to record, because the invocation crashed, ran out of memory or timed
//! out on every receive. Housekeeping runs it on both runtimes.
//!
//! The messages stay in the dead-letter queue, where health reports count them and an
//! operator can redrive them; each is hidden for the longest visibility SQS allows, so the
//! hourly sweep reads it about twice a day, and marking again changes nothing.

use crate::{Platform, topology};
use plasma_core::PortResult;
use plasma_core::queue::{MAX_BATCH, MAX_VISIBILITY};
use std::time::Duration;

/// Receives per sweep: bounds one housekeeping run; the rest waits for the next.
const SWEEP_BATCHES: usize = 100;
/// A short long-poll, so SQS's sampling does not report an empty queue too early.
const WAIT: Duration = Duration::from_secs(1);

/// Marks the documents of every dead-lettered ingest message failed; how many messages it
/// settled.
pub async fn settle_ingest(platform: &Platform) -> PortResult<u64> {
    let reason = format!(
        "the ingest queue gave up after {} attempts: every one failed, crashed or timed out",
        topology::MAX_RECEIVES
    );
    let mut settled = 0;
    for _ in 0..SWEEP_BATCHES {
        let batch = platform
            .ports
            .queue
            .receive(topology::INGEST_DLQ, MAX_BATCH as u32, MAX_VISIBILITY, WAIT)
            .await?;
        if batch.is_empty() {
            break;
        }
        for message in batch {
            match plasma_research::ingest::abandon(&platform.research, &message.body, &reason).await
            {
                Ok(()) => settled += 1,
                Err(e) => tracing::warn!(
                    message_id = %message.message_id,
                    error = format!("{e:#}"),
                    "could not mark the documents of a dead-lettered ingest message failed"
                ),
            }
        }
    }
    Ok(settled)
}
