//! `EventBus` in process: the same rules EventBridge evaluates on AWS, delivering the same
//! envelope through the durable queue, so an accepted event survives a crash of the runner.

use async_trait::async_trait;
use plasma_core::{
    Clock, Event, EventBus, EventEnvelope, IdGen, OutMessage, PortError, PortResult, Queue, Rule,
};
use std::collections::BTreeMap;
use std::sync::Arc;

pub struct EmbeddedEventBus {
    queue: Arc<dyn Queue>,
    rules: Vec<Rule>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGen>,
}

impl EmbeddedEventBus {
    pub fn new(
        queue: Arc<dyn Queue>,
        rules: Vec<Rule>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGen>,
    ) -> Self {
        Self {
            queue,
            rules,
            clock,
            ids,
        }
    }
}

/// EventBridge refuses entries without a source or detail-type, or whose detail is not a
/// JSON object.
fn check(event: &Event) -> PortResult<()> {
    if event.source.is_empty() || event.detail_type.is_empty() || !event.detail.is_object() {
        return Err(PortError::Invalid(format!(
            "event needs a source, a detail-type and an object detail: {event:?}"
        )));
    }
    Ok(())
}

#[async_trait]
impl EventBus for EmbeddedEventBus {
    async fn publish(&self, events: Vec<Event>) -> PortResult<Vec<String>> {
        events.iter().try_for_each(check)?;
        let now = self.clock.now();
        let mut ids = Vec::with_capacity(events.len());
        // One batch per target queue, in publish order: one SQLite transaction each.
        let mut deliveries: BTreeMap<&str, Vec<OutMessage>> = BTreeMap::new();
        for event in &events {
            let id = self.ids.new_id();
            let envelope = EventEnvelope::local(id.clone(), now, event);
            let body = serde_json::to_string(&envelope).map_err(PortError::backend)?;
            for rule in self.rules.iter().filter(|rule| rule.matches(event)) {
                deliveries
                    .entry(rule.target_queue.as_str())
                    .or_default()
                    .push(OutMessage::new(body.clone()));
            }
            ids.push(id);
        }
        for (queue, messages) in deliveries {
            self.queue.send_batch(queue, messages).await?;
        }
        Ok(ids)
    }

    async fn health(&self) -> PortResult<String> {
        Ok(format!("in-process bus ({} rules)", self.rules.len()))
    }
}

#[cfg(test)]
mod tests;
