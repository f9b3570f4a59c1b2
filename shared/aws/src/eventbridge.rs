//! [`EventBus`] on an EventBridge bus. Routing to queues is done by the bus's rules
//! (template.yaml), so publishing is all there is.

use crate::errors::sdk_error;
use crate::retry::Backoff;
use async_trait::async_trait;
use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use plasma_core::events::MAX_PUT_EVENTS;
use plasma_core::{Event, EventBus, PortError, PortResult};

/// PutEvents accepts a request and still fails some entries (throttling, internal errors);
/// those are resent this many times before publishing fails.
const FAILED_ENTRY_RETRIES: u32 = 3;

/// Entry error codes worth resending; any other (a malformed detail, say) is the caller's.
const RETRYABLE_ENTRY_ERRORS: [&str; 3] = ["InternalFailure", "ThrottlingException", "NoEventId"];

pub struct EventBridgeBus {
    client: Client,
    bus_name: String,
}

impl EventBridgeBus {
    pub fn new(client: Client, bus_name: String) -> Self {
        Self { client, bus_name }
    }

    fn entry(&self, event: &Event) -> PutEventsRequestEntry {
        PutEventsRequestEntry::builder()
            .event_bus_name(&self.bus_name)
            .source(&event.source)
            .detail_type(&event.detail_type)
            .detail(event.detail.to_string())
            .build()
    }

    /// Publish at most [`MAX_PUT_EVENTS`] events; their ids in order.
    async fn publish_chunk(&self, events: &[Event]) -> PortResult<Vec<String>> {
        let mut ids: Vec<Option<String>> = vec![None; events.len()];
        let mut pending: Vec<usize> = (0..events.len()).collect();
        let mut backoff = Backoff::new(FAILED_ENTRY_RETRIES);
        loop {
            let out = self
                .client
                .put_events()
                .set_entries(Some(
                    pending.iter().map(|&i| self.entry(&events[i])).collect(),
                ))
                .send()
                .await
                .map_err(|err| {
                    sdk_error(&format!("eventbridge PutEvents {}", self.bus_name), err)
                })?;
            let results = out.entries.unwrap_or_default();
            if results.len() != pending.len() {
                return Err(PortError::Backend(format!(
                    "eventbridge PutEvents {}: {} results for {} entries",
                    self.bus_name,
                    results.len(),
                    pending.len()
                )));
            }
            // Results come back in request order; keep the entries that failed.
            let mut failures = Vec::new();
            let mut still_pending = Vec::new();
            let mut retryable = true;
            for (&i, result) in pending.iter().zip(results) {
                match (result.event_id, result.error_code) {
                    (Some(id), None) => ids[i] = Some(id),
                    (_, code) => {
                        let code = code.unwrap_or_else(|| "NoEventId".into());
                        retryable &= RETRYABLE_ENTRY_ERRORS.contains(&code.as_str());
                        failures.push(format!(
                            "{code}: {}",
                            result.error_message.unwrap_or_default()
                        ));
                        still_pending.push(i);
                    }
                }
            }
            pending = still_pending;
            if pending.is_empty() {
                return Ok(ids.into_iter().flatten().collect());
            }
            let message = || {
                format!(
                    "eventbridge PutEvents {}: {} entries failed: {}",
                    self.bus_name,
                    pending.len(),
                    failures.join("; ")
                )
            };
            if !retryable {
                return Err(PortError::Invalid(message()));
            }
            if !backoff.retry().await {
                return Err(PortError::Backend(message()));
            }
        }
    }
}

#[async_trait]
impl EventBus for EventBridgeBus {
    async fn publish(&self, events: Vec<Event>) -> PortResult<Vec<String>> {
        // EventBridge fails such entries one by one after accepting the request; refusing
        // the whole publish up front keeps it all-or-nothing, as on the embedded bus.
        if let Some(bad) = events
            .iter()
            .find(|e| e.source.is_empty() || e.detail_type.is_empty() || !e.detail.is_object())
        {
            return Err(PortError::Invalid(format!(
                "event needs a source, a detail-type and an object detail: {bad:?}"
            )));
        }
        let mut ids = Vec::with_capacity(events.len());
        for chunk in events.chunks(MAX_PUT_EVENTS) {
            ids.extend(self.publish_chunk(chunk).await?);
        }
        Ok(ids)
    }

    async fn health(&self) -> PortResult<String> {
        self.client
            .describe_event_bus()
            .name(&self.bus_name)
            .send()
            .await
            .map_err(|err| sdk_error("eventbridge DescribeEventBus", err))?;
        Ok(format!("eventbridge bus {}", self.bus_name))
    }
}
