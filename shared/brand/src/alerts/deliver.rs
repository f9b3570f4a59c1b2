//! Delivery of a raised alert to its rule's channels, with the outcome recorded on the alert.

use super::Alerts;
use super::history::{Alert, AlertKind, Channel, ChannelDelivery, DeliveryStatus};
use super::keys::alert_key;
use super::rules::Rule;
use plasma_core::{Condition, Update};
use plasma_http::outbound;
use serde_json::{Value, json};

/// The event type of alerts on the tenant's signed webhooks.
pub const EVENT_TYPE: &str = "brand.alert";

/// The Slack incoming-webhook body: Slack documents a JSON object whose `text` is the message
/// (mrkdwn), which every incoming webhook accepts whatever app it belongs to.
pub fn slack_payload(alert: &Alert) -> Value {
    let mut text = format!("*Brand alert* ({}) {}", kind_label(alert), alert.summary);
    if let Some(d) = &alert.details {
        text.push_str(&format!(
            "\ncurrent {} · baseline mean {:.2} · stddev {:.2} · z {:.2}",
            d.current, d.baseline_mean, d.stddev, d.z
        ));
    }
    json!({ "text": text })
}

fn kind_label(alert: &Alert) -> &'static str {
    match alert.kind {
        AlertKind::VolumeSpike => "volume spike",
        AlertKind::NegativeSpike => "negative spike",
        AlertKind::Keyword => "keyword",
        AlertKind::HighReach => "high reach",
    }
}

/// What the signed webhooks carry: the alert without its delivery bookkeeping.
fn webhook_payload(alert: &Alert) -> Value {
    json!({
        "id": alert.id,
        "rule_id": alert.rule_id,
        "rule_name": alert.rule_name,
        "kind": alert.kind,
        "monitor_id": alert.monitor_id,
        "raised_at": alert.raised_at,
        "summary": alert.summary,
        "details": alert.details,
        "mention_ids": alert.mention_ids,
    })
}

impl Alerts {
    /// Deliver to every channel and record the outcomes on the stored alert. Never fails:
    /// the alert is already recorded, and a delivery problem is part of what it records.
    pub(super) async fn deliver(&self, tenant: &str, rule: &Rule, mut alert: Alert) -> Alert {
        let mut outcomes = Vec::with_capacity(alert.deliveries.len());
        for pending in &alert.deliveries {
            let outcome = match (pending.channel, &rule.channels.slack_webhook_url) {
                (Channel::Slack, Some(url)) => self.to_slack(url, &slack_payload(&alert)).await,
                (Channel::Slack, None) => failed(Channel::Slack, 0, "the rule has no Slack URL"),
                (Channel::Webhooks, _) => self.to_webhooks(tenant, &alert).await,
            };
            outcomes.push(outcome);
        }
        alert.deliveries = outcomes;
        let record = Update::default().set("deliveries", json!(alert.deliveries));
        let recorded = match alert_key(tenant, &alert.id) {
            Ok(key) => self.items.update(&key, record, Condition::Exists).await,
            Err(e) => Err(e),
        };
        if let Err(e) = recorded {
            // The alert stays with its deliveries pending, which says as much to the user.
            tracing::warn!(alert = %alert.id, error = %e, "recording alert deliveries failed");
        }
        alert
    }

    async fn to_slack(&self, url: &str, payload: &Value) -> ChannelDelivery {
        // Checked again at send time: the egress policy may be stricter than when the rule
        // was created. The client's resolver also refuses private addresses.
        if let Err(e) = outbound::check_url(self.config.egress, url) {
            return failed(Channel::Slack, 0, &e.to_string());
        }
        let attempts = self.config.slack_attempts.max(1);
        let mut backoff = self.config.slack_backoff;
        let mut error = String::new();
        for attempt in 1..=attempts {
            match self.http.post(url).json(payload).send().await {
                Ok(r) if r.status().is_success() => {
                    return ChannelDelivery {
                        channel: Channel::Slack,
                        status: DeliveryStatus::Delivered,
                        attempts: attempt,
                        error: None,
                        webhook_deliveries: Vec::new(),
                    };
                }
                Ok(r) => {
                    error = format!("Slack answered {}", r.status());
                    // Other client errors (a revoked hook, a rejected payload) will not
                    // change on retry.
                    let status = r.status();
                    if status.is_client_error() && status.as_u16() != 429 {
                        return failed(Channel::Slack, attempt, &error);
                    }
                }
                Err(e) => error = format!("sending to Slack failed: {e}"),
            }
            if attempt < attempts {
                tokio::time::sleep(backoff).await;
                backoff *= 2;
            }
        }
        failed(Channel::Slack, attempts, &error)
    }

    async fn to_webhooks(&self, tenant: &str, alert: &Alert) -> ChannelDelivery {
        match self
            .webhooks
            .emit(tenant, EVENT_TYPE, webhook_payload(alert))
            .await
        {
            Ok(ids) if ids.is_empty() => failed(
                Channel::Webhooks,
                1,
                "no webhook endpoint of the tenant subscribes to brand.alert",
            ),
            Ok(ids) => ChannelDelivery {
                channel: Channel::Webhooks,
                status: DeliveryStatus::Queued,
                attempts: 1,
                error: None,
                webhook_deliveries: ids,
            },
            Err(e) => failed(Channel::Webhooks, 1, &format!("queueing failed: {e}")),
        }
    }
}

fn failed(channel: Channel, attempts: u32, error: &str) -> ChannelDelivery {
    ChannelDelivery {
        channel,
        status: DeliveryStatus::Failed,
        attempts,
        error: Some(error.to_string()),
        webhook_deliveries: Vec::new(),
    }
}
