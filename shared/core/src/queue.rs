//! Queue: SQS semantics (standard queues: at-least-once, visibility timeout, redelivery,
//! dead-letter after N receives, per-message delay).

use crate::error::PortResult;
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::time::Duration;

/// Static description of a queue, shared by the embedded adapter (which enforces it) and
/// template.yaml (which declares the same values for SQS).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueSpec {
    /// Logical name used by code ("jobs"); adapters map it to a table row or a queue URL.
    pub name: String,
    pub visibility_timeout: Duration,
    /// After this many receives without a delete, the message moves to `dead_letter`.
    pub max_receives: u32,
    /// Logical name of the dead-letter queue, `None` for a queue that is itself a DLQ.
    pub dead_letter: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutMessage {
    pub body: String,
    pub delay: Option<Duration>,
    pub attributes: BTreeMap<String, String>,
}

impl OutMessage {
    pub fn new(body: impl Into<String>) -> Self {
        Self {
            body: body.into(),
            ..Self::default()
        }
    }
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.insert(name.into(), value.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub message_id: String,
    /// Handle for `delete`/`change_visibility`; valid for this receive only.
    pub receipt: String,
    pub body: String,
    /// How many times this message has been received, this time included.
    pub receive_count: u32,
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueDepth {
    pub visible: u64,
    pub in_flight: u64,
    pub delayed: u64,
}

/// Most messages one `receive` returns and one SQS batch send holds.
pub const MAX_BATCH: usize = 10;
/// SQS's limits, enforced by both adapters so a message valid locally is valid deployed.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
pub const MAX_ATTRIBUTES: usize = 10;
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
pub const MAX_VISIBILITY: Duration = Duration::from_secs(12 * 60 * 60);
pub const MAX_WAIT: Duration = Duration::from_secs(20);

pub fn validate_message(message: &OutMessage) -> crate::PortResult<()> {
    let invalid = |why: String| Err(crate::PortError::Invalid(why));
    if message.body.is_empty() || message.body.len() > MAX_BODY_BYTES {
        return invalid(format!(
            "message body must be 1 to {MAX_BODY_BYTES} bytes, got {}",
            message.body.len()
        ));
    }
    if message.attributes.len() > MAX_ATTRIBUTES {
        return invalid(format!(
            "a message holds at most {MAX_ATTRIBUTES} attributes"
        ));
    }
    match message.delay {
        Some(delay) if delay > MAX_DELAY => {
            invalid(format!("delay {delay:?} exceeds {MAX_DELAY:?}"))
        }
        _ => Ok(()),
    }
}

pub fn validate_receive(max: u32, visibility: Duration, wait: Duration) -> crate::PortResult<()> {
    if max == 0 || max as usize > MAX_BATCH {
        return Err(crate::PortError::Invalid(format!(
            "receive takes 1 to {MAX_BATCH} messages, got {max}"
        )));
    }
    validate_visibility(visibility)?;
    if wait > MAX_WAIT {
        return Err(crate::PortError::Invalid(format!(
            "wait {wait:?} exceeds {MAX_WAIT:?}"
        )));
    }
    Ok(())
}

pub fn validate_visibility(visibility: Duration) -> crate::PortResult<()> {
    if visibility > MAX_VISIBILITY {
        return Err(crate::PortError::Invalid(format!(
            "visibility {visibility:?} exceeds {MAX_VISIBILITY:?}"
        )));
    }
    Ok(())
}

#[async_trait]
pub trait Queue: Send + Sync {
    async fn send(&self, queue: &str, message: OutMessage) -> PortResult<String>;
    /// Any number of messages (adapters split them into batches of [`MAX_BATCH`]); returns
    /// the message ids in order.
    async fn send_batch(&self, queue: &str, messages: Vec<OutMessage>) -> PortResult<Vec<String>>;
    /// Up to `max` (1..=10) visible messages, hidden from other receivers for `visibility`.
    /// Waits up to `wait` for one to arrive (long polling). A message received more than the
    /// queue's `max_receives` times goes to its dead-letter queue instead of being returned.
    async fn receive(
        &self,
        queue: &str,
        max: u32,
        visibility: Duration,
        wait: Duration,
    ) -> PortResult<Vec<Received>>;
    async fn delete(&self, queue: &str, receipt: &str) -> PortResult<()>;
    /// Extend or shorten the invisibility of a received message (0 releases it at once).
    async fn change_visibility(
        &self,
        queue: &str,
        receipt: &str,
        visibility: Duration,
    ) -> PortResult<()>;
    /// Approximate counts, as SQS reports them.
    async fn depth(&self, queue: &str) -> PortResult<QueueDepth>;
    async fn health(&self) -> PortResult<String>;
}
