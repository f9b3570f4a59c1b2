//! The audit log. Requests publish an `audit.recorded` event; the worker appends it to the
//! tenant's log. Going through the event bus keeps the request path fast and lets other
//! consumers (SIEM export, alerts) subscribe to the same events. Entries are never updated.

use async_graphql::SimpleObject;
use chrono::{DateTime, Duration, Utc};
use plasma_core::item::attrs_of;
use plasma_core::keys::{AUDIT, AUDIT_BY_ACTOR, AUDIT_ENTRY, AUDIT_UNAUTHENTICATED};
use plasma_core::{
    Condition, Event, EventBus, Item, ItemStore, Key, PortError, PortResult, Query, Rule, Update,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

pub const SOURCE: &str = "plasma.gateway";
pub const DETAIL_TYPE: &str = "audit.recorded";
/// Where security events that belong to no verified tenant (failed authentication) are kept.
/// Real tenant ids cannot start with `_` (see `principal::is_valid_tenant`).
pub const PLATFORM_TENANT: &str = "_platform";
/// How long entries are kept before the store's TTL removes them.
pub const RETENTION: Duration = Duration::days(400);
/// Unauthenticated requests written to the platform's log each minute; the rest are only
/// counted. Anyone can send them, so one entry each would let anyone fill the log and the
/// bus at the cost of a request.
pub const UNAUTHENTICATED_SAMPLE: u64 = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, SimpleObject)]
pub struct AuditEvent {
    pub tenant: String,
    pub actor: String,
    pub action: String,
    pub resource: String,
    pub outcome: String,
    pub request_id: String,
    pub at: DateTime<Utc>,
}

/// Routes audit events to the worker's queue (template.yaml declares the same rule).
pub fn rule(queue: &str) -> Rule {
    Rule {
        name: "audit".into(),
        sources: vec![SOURCE.into()],
        detail_types: vec![DETAIL_TYPE.into()],
        target_queue: queue.into(),
    }
}

pub async fn publish(bus: &dyn EventBus, event: &AuditEvent) -> PortResult<()> {
    let detail = serde_json::to_value(event).map_err(PortError::backend)?;
    bus.publish(vec![Event::new(SOURCE, DETAIL_TYPE, detail)])
        .await
        .map(drop)
}

#[derive(Clone)]
pub struct AuditLog {
    items: Arc<dyn ItemStore>,
}

impl AuditLog {
    pub fn new(items: Arc<dyn ItemStore>) -> Self {
        Self { items }
    }

    /// Counts one unauthenticated request in its minute (one counter per minute under
    /// [`PLATFORM_TENANT`], kept as long as the entries) and says whether it belongs to the
    /// minute's sample of [`UNAUTHENTICATED_SAMPLE`] that are written in full.
    pub async fn count_unauthenticated(&self, at: DateTime<Utc>) -> PortResult<bool> {
        let minute = at.format("%Y-%m-%dT%H:%MZ").to_string();
        let key = Key::new(AUDIT_UNAUTHENTICATED.key([PLATFORM_TENANT])?, minute);
        let update = Update {
            expires_at: Some(Some((at + RETENTION).timestamp())),
            ..Update::default()
        }
        .add("count", 1);
        let counted = self.items.update(&key, update, Condition::None).await?;
        let count = counted.get("count").and_then(|c| c.as_u64()).unwrap_or(0);
        Ok(count <= UNAUTHENTICATED_SAMPLE)
    }

    /// Append one entry. `event_id` is the bus event's id, so a redelivered event overwrites
    /// its own entry instead of adding a second one.
    pub async fn append(&self, event_id: &str, event: &AuditEvent) -> PortResult<()> {
        let at = event
            .at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let mut attrs = attrs_of(event)?;
        attrs.insert("id".into(), event_id.into());
        let sk = AUDIT_ENTRY.key([&at, event_id])?;
        let item = Item::new(Key::new(AUDIT.key([&event.tenant])?, &sk), attrs)
            .with_gsi1(Key::new(
                AUDIT_BY_ACTOR.key([&event.tenant, &event.actor])?,
                sk,
            ))
            .with_expiry((event.at + RETENTION).timestamp());
        self.items.put(item, Condition::None).await
    }

    /// Entries between `from` and `to` (inclusive), newest first, optionally for one actor.
    pub async fn query(
        &self,
        tenant: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        actor: Option<&str>,
        limit: u32,
        cursor: Option<String>,
    ) -> PortResult<(Vec<AuditEvent>, Option<String>)> {
        let query = match actor {
            Some(actor) => match AUDIT_BY_ACTOR.key([tenant, actor]) {
                Ok(pk) => Query::gsi1(pk),
                // No entry was written for an actor that cannot be a key.
                Err(_) => return Ok((Vec::new(), None)),
            },
            None => Query::partition(AUDIT.key([tenant])?),
        };
        let lo = from.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        // '~' sorts after '#' and every id character, so `to` itself is included.
        let hi = format!(
            "{}~",
            to.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        );
        let page = self
            .items
            .query(
                query
                    .between(lo, hi)
                    .limit(limit)
                    .after(cursor)
                    .descending(),
            )
            .await?;
        let events = page
            .items
            .iter()
            .map(Item::parse)
            .collect::<PortResult<Vec<AuditEvent>>>()?;
        Ok((events, page.next))
    }
}
