//! Alert history: the alert record, listing newest first, and acknowledgement.

use super::Alerts;
use super::keys::{alert_key, history_partition, monitor_history_partition};
use super::stats::SpikeDetails;
use chrono::{DateTime, Utc};
use plasma_core::keys::check_segment;
use plasma_core::{Condition, Item, PortError, PortResult, Query, Update};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Largest history page.
pub const MAX_HISTORY_PAGE: u32 = 100;
/// Optimistic writes retried this often before the conflict is reported.
const ACK_ATTEMPTS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    VolumeSpike,
    NegativeSpike,
    Keyword,
    HighReach,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Slack,
    Webhooks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not attempted yet; an alert left like this was raised by a process that stopped
    /// before delivering, which is visible here rather than lost.
    Pending,
    Delivered,
    /// Handed to the signed-webhook queue, which retries on its own.
    Queued,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelDelivery {
    pub channel: Channel,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub error: Option<String>,
    /// Signed-webhook delivery ids, one per subscribed endpoint (see the webhook deliveries).
    #[serde(default)]
    pub webhook_deliveries: Vec<String>,
}

impl ChannelDelivery {
    pub(super) fn pending(channel: Channel) -> Self {
        Self {
            channel,
            status: DeliveryStatus::Pending,
            attempts: 0,
            error: None,
            webhook_deliveries: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: String,
    pub rule_id: String,
    pub rule_name: String,
    pub kind: AlertKind,
    pub monitor_id: String,
    pub raised_at: DateTime<Utc>,
    pub summary: String,
    /// Spike rules only.
    pub details: Option<SpikeDetails>,
    /// Stored keys of the mentions that triggered a keyword or high-reach rule.
    pub mention_ids: Vec<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<String>,
    pub deliveries: Vec<ChannelDelivery>,
    /// Bumped by acknowledgement (delivery results are written without it: they touch only
    /// `deliveries`, so they cannot undo an acknowledgement).
    pub version: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertPage {
    pub alerts: Vec<Alert>,
    pub next: Option<String>,
}

impl Alerts {
    /// Alerts newest first, of one monitor or (`monitor_id` `None`) the whole tenant.
    pub async fn history(
        &self,
        tenant: &str,
        monitor_id: Option<&str>,
        limit: u32,
        cursor: Option<String>,
    ) -> PortResult<AlertPage> {
        let query = match monitor_id {
            Some(monitor) => Query::gsi1(monitor_history_partition(tenant, monitor)?),
            None => Query::partition(history_partition(tenant)?),
        };
        let page = self
            .items
            .query(
                query
                    .limit(limit.clamp(1, MAX_HISTORY_PAGE))
                    .after(cursor)
                    .descending(),
            )
            .await?;
        Ok(AlertPage {
            alerts: page
                .items
                .iter()
                .map(Item::parse)
                .collect::<PortResult<_>>()?,
            next: page.next,
        })
    }

    pub async fn alert(&self, tenant: &str, alert_id: &str) -> PortResult<Option<Alert>> {
        // Alert ids are issued as key segments; no other id can name an alert.
        check_segment("alert", alert_id)?;
        self.items
            .get(&alert_key(tenant, alert_id)?)
            .await?
            .map(|i| i.parse())
            .transpose()
    }

    /// Mark the alert acknowledged by `by`. Idempotent: acknowledging an acknowledged alert
    /// returns it unchanged (the first acknowledgement is the one kept). `Ok(None)` when the
    /// tenant has no such alert.
    pub async fn acknowledge(
        &self,
        tenant: &str,
        alert_id: &str,
        by: &str,
    ) -> PortResult<Option<Alert>> {
        if by.trim().is_empty() {
            return Err(PortError::Invalid(
                "acknowledged_by must not be empty".into(),
            ));
        }
        for _ in 0..ACK_ATTEMPTS {
            let Some(alert) = self.alert(tenant, alert_id).await? else {
                return Ok(None);
            };
            if alert.acknowledged_at.is_some() {
                return Ok(Some(alert));
            }
            let update = Update::default()
                .set("acknowledged_at", json!(self.clock.now()))
                .set("acknowledged_by", by.trim())
                .add("version", 1);
            let condition = Condition::Equals("version".into(), json!(alert.version));
            match self
                .items
                .update(&alert_key(tenant, alert_id)?, update, condition)
                .await
            {
                Ok(item) => return item.parse().map(Some),
                // Someone else wrote first: re-read; if it was an acknowledgement, it wins.
                Err(PortError::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(PortError::Conflict(format!(
            "alert {alert_id} kept changing while being acknowledged"
        )))
    }
}
