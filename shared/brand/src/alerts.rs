//! Brand alerts: rules attached to a monitor, evaluated after every scan, that raise an alert
//! on a volume or negative-sentiment spike, on a keyword, or on a high-reach mention, and
//! deliver it to Slack and to the tenant's signed webhooks.
//!
//! # Key design (single table)
//!
//! | item | PK | SK | GSI1PK | GSI1SK |
//! |------|----|----|--------|--------|
//! | rule | `T#{tenant}#ALERTRULE` | `MON#{monitor}#RULE#{rule}` | – | – |
//! | seen marker | `T#{tenant}#ALERTRULE#{rule}#SEEN` | `{mention digest}` | – | – |
//! | alert | `T#{tenant}#ALERT` | `{alert}` | `T#{tenant}#MON#{monitor}#ALERT` | `{alert}` |
//!
//! - Alert ids come from a time-ordered id source (UUIDv7 in production), so the history
//!   partition read descending is newest first, tenant-wide or (GSI1) per monitor.
//! - Cooldown is a conditional write: firing bumps the rule's `version` and sets
//!   `last_fired_at` on the condition that `version` is what the evaluation read, in one
//!   transaction with the alert itself. Of concurrent evaluations exactly one commits; the
//!   others re-read the rule, find it cooling down, and raise nothing.
//! - Keyword and high-reach rules also put one seen marker per mention (by dedup digest, so
//!   every sighting of an item counts as one) in that transaction, with `NotExists`, so a
//!   mention never triggers the same rule twice.
//!
//! Every key starts with `T#{tenant}#` and is built by `plasma_core::keys`, whose ids may
//! not contain `#`, so no request reaches another tenant's rules or alerts.

mod deliver;
mod evaluate;
mod history;
mod keys;
mod keywords;
mod rules;
mod stats;

pub use deliver::{EVENT_TYPE, slack_payload};
pub use history::{
    Alert, AlertKind, AlertPage, Channel, ChannelDelivery, DeliveryStatus, MAX_HISTORY_PAGE,
};
pub use rules::{
    Channels, InvalidRule, MAX_RULES_PER_MONITOR, NegativeMeasure, NewRule, Rule, RuleKind,
    SpikeThresholds,
};
pub use stats::SpikeDetails;

use crate::mentions::MentionStore;
use plasma_core::{Clock, IdGen, ItemStore};
use plasma_gateway::webhooks::Webhooks;
use plasma_http::outbound::{self, Egress};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct AlertsConfig {
    /// Guards Slack URLs, at rule creation and again at every send.
    pub egress: Egress,
    pub slack_timeout: Duration,
    /// Attempts per Slack delivery, the first included.
    pub slack_attempts: u32,
    /// Wait before the second attempt; doubled for each further one.
    pub slack_backoff: Duration,
}

impl Default for AlertsConfig {
    /// Slack retries are few and short because they run inline in the scan that raised the
    /// alert; a delivery that still fails is recorded on the alert for the user to see.
    fn default() -> Self {
        Self {
            egress: Egress::default(),
            slack_timeout: Duration::from_secs(10),
            slack_attempts: 3,
            slack_backoff: Duration::from_millis(500),
        }
    }
}

#[derive(Clone)]
pub struct Alerts {
    items: Arc<dyn ItemStore>,
    mentions: MentionStore,
    webhooks: Webhooks,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGen>,
    http: reqwest::Client,
    config: AlertsConfig,
}

impl Alerts {
    /// `ids` must be time-ordered (the history's sort order relies on it).
    pub fn new(
        mentions: MentionStore,
        webhooks: Webhooks,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGen>,
        config: AlertsConfig,
    ) -> Self {
        let http = outbound::client(config.egress, config.slack_timeout);
        Self {
            items: Arc::clone(&mentions.items),
            mentions,
            webhooks,
            clock,
            ids,
            http,
            config,
        }
    }
}

#[cfg(test)]
mod tests;
