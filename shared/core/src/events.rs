//! EventBus: EventBridge PutEvents semantics. Events carry a source, a detail-type and a JSON
//! detail; rules match on source and detail-type and deliver the event envelope to a queue.
//! On AWS the rules live in template.yaml (EventBridge rule → SQS target); the embedded bus
//! evaluates the same [`Rule`] list in process and sends the same envelope through the
//! durable queue, so the consumer cannot tell the runtimes apart.

use crate::error::PortResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Most entries one PutEvents call takes; adapters chunk larger publishes.
pub const MAX_PUT_EVENTS: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub source: String,
    pub detail_type: String,
    pub detail: Value,
}

impl Event {
    pub fn new(source: impl Into<String>, detail_type: impl Into<String>, detail: Value) -> Self {
        Self {
            source: source.into(),
            detail_type: detail_type.into(),
            detail,
        }
    }
}

/// The JSON an EventBridge rule delivers to an SQS target (and the embedded bus enqueues).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventEnvelope {
    pub version: String,
    pub id: String,
    #[serde(rename = "detail-type")]
    pub detail_type: String,
    pub source: String,
    /// Emulators (moto) leave these out; nothing routes on them.
    #[serde(default)]
    pub account: String,
    pub time: DateTime<Utc>,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub resources: Vec<String>,
    pub detail: Value,
}

impl EventEnvelope {
    /// The envelope EventBridge would build for `event`; the embedded bus uses account
    /// `000000000000` and region `local`.
    pub fn local(id: String, time: DateTime<Utc>, event: &Event) -> Self {
        Self {
            version: "0".into(),
            id,
            detail_type: event.detail_type.clone(),
            source: event.source.clone(),
            account: "000000000000".into(),
            time,
            region: "local".into(),
            resources: Vec::new(),
            detail: event.detail.clone(),
        }
    }
}

/// Routes events to a queue. Empty `detail_types` matches every detail-type of the sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub sources: Vec<String>,
    pub detail_types: Vec<String>,
    pub target_queue: String,
}

impl Rule {
    pub fn matches(&self, event: &Event) -> bool {
        self.sources.iter().any(|s| s == &event.source)
            && (self.detail_types.is_empty()
                || self.detail_types.iter().any(|d| d == &event.detail_type))
    }

    /// The EventBridge event pattern equivalent to this rule (what template.yaml declares).
    pub fn event_pattern(&self) -> Value {
        let mut pattern = serde_json::json!({ "source": self.sources });
        if !self.detail_types.is_empty() {
            pattern["detail-type"] = serde_json::json!(self.detail_types);
        }
        pattern
    }
}

#[async_trait]
pub trait EventBus: Send + Sync {
    /// Publish events; returns their ids in order. Either every event is accepted or an error
    /// is returned (adapters retry entries EventBridge reports as failed).
    async fn publish(&self, events: Vec<Event>) -> PortResult<Vec<String>>;
    async fn health(&self) -> PortResult<String>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules_match_source_and_detail_type() {
        let rule = Rule {
            name: "audit".into(),
            sources: vec!["plasma.gateway".into()],
            detail_types: vec!["audit.recorded".into()],
            target_queue: "jobs".into(),
        };
        assert!(rule.matches(&Event::new("plasma.gateway", "audit.recorded", json!({}))));
        assert!(!rule.matches(&Event::new("plasma.gateway", "other", json!({}))));
        assert!(!rule.matches(&Event::new("plasma.brand", "audit.recorded", json!({}))));
        assert_eq!(
            rule.event_pattern(),
            json!({"source": ["plasma.gateway"], "detail-type": ["audit.recorded"]})
        );
    }

    #[test]
    fn envelope_uses_eventbridge_field_names() {
        let time = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let env = EventEnvelope::local("e1".into(), time, &Event::new("s", "d", json!({"a": 1})));
        let v = serde_json::to_value(&env).unwrap();
        assert_eq!(v["detail-type"], "d");
        assert_eq!(v["detail"]["a"], 1);
        assert_eq!(v["time"], "2023-11-14T22:13:20Z");
    }
}
