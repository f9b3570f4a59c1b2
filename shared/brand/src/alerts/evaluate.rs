//! Evaluation after a scan: check each rule of the monitor, claim its cooldown atomically,
//! record the alert, deliver it.

use super::Alerts;
use super::history::{Alert, Channel, ChannelDelivery};
use super::keys::{alert_gsi1, alert_key, rule_key, seen_key};
use super::keywords::first_match;
use super::rules::{NegativeMeasure, Rule, RuleKind};
use super::stats::{self, BASELINE_DAYS, SpikeDetails, Windows};
use crate::mentions::StoredMention;
use chrono::{DateTime, Duration, Utc};
use plasma_core::item::attrs_of;
use plasma_core::keys::check_segment;
use plasma_core::{Condition, Item, PortError, PortResult, TxOp, Update};
use serde_json::json;

/// Most mentions the spike statistics read (8 windows of up to a day each). Beyond it the
/// oldest baseline windows are left out rather than read without bound.
const MAX_STATS_READ: usize = 20_000;
/// Mentions one keyword or high-reach alert lists; the transaction also holds the rule and
/// the alert, within the store's 100-operation limit.
const MAX_ALERT_MENTIONS: usize = 50;
/// Conditional-write retries when a concurrent evaluation changed the rule or marked one of
/// the mentions first.
const FIRE_ATTEMPTS: usize = 3;
/// Standard-deviation floors: one mention, or five points of negative share.
const COUNT_FLOOR: f64 = 1.0;
const SHARE_FLOOR: f64 = 0.05;

/// What a rule found, before the cooldown is claimed.
struct Finding<'m> {
    /// Spike rules' summary; keyword and high-reach summaries name the first mention that
    /// has not alerted yet, known only when the alert is made.
    summary: String,
    details: Option<SpikeDetails>,
    /// Matching mentions, each with what made it match.
    mentions: Vec<(&'m StoredMention, String)>,
}

impl Alerts {
    /// Evaluate the monitor's rules after a scan that stored `new_mentions` (mentions of other
    /// tenants or monitors are ignored) and return the alerts raised, delivered. Store errors
    /// are returned; delivery failures are recorded on the alerts.
    pub async fn evaluate(
        &self,
        tenant: &str,
        monitor_id: &str,
        new_mentions: &[StoredMention],
    ) -> PortResult<Vec<Alert>> {
        // Checked before the mentions are filtered, which a bad id would silently empty.
        check_segment("tenant", tenant)?;
        check_segment("monitor", monitor_id)?;
        let rules = self.rules(tenant, monitor_id).await?;
        let now = self.clock.now();
        let fresh: Vec<&StoredMention> = new_mentions
            .iter()
            .filter(|m| m.tenant == tenant && m.monitor_id == monitor_id)
            .filter(|m| m.matched && !m.irrelevant)
            .collect();
        let longest_window = rules
            .iter()
            .filter_map(|r| r.kind.spike())
            .map(|s| s.window_minutes)
            .max();
        // One range read serves every spike rule: the longest window on each of the 8 days.
        let (recent, complete_since) = match longest_window {
            Some(minutes) => {
                let from = now - Duration::days(BASELINE_DAYS) - Duration::minutes(minutes.into());
                let (read, capped) = self
                    .mentions
                    .read_range(tenant, monitor_id, Some(from), Some(now), MAX_STATS_READ)
                    .await?;
                let complete_since = capped
                    .then(|| read.last().map(|m| m.mention.published_at))
                    .flatten();
                (read, complete_since)
            }
            None => (Vec::new(), None),
        };
        let mut raised = Vec::new();
        for rule in rules {
            let finding = match &rule.kind {
                RuleKind::VolumeSpike { spike } | RuleKind::NegativeSpike { spike, .. } => {
                    let window = Duration::minutes(spike.window_minutes.into());
                    let counted = stats::windows(&recent, now, window, complete_since);
                    spike_finding(&rule, &counted)
                }
                RuleKind::Keyword { terms } => {
                    let hits = fresh
                        .iter()
                        .filter_map(|m| {
                            let term = first_match(&m.mention.text, terms)?;
                            Some((*m, format!("matches \"{term}\"")))
                        })
                        .collect();
                    instant_finding(hits)
                }
                RuleKind::HighReach { min_reach } => {
                    let hits = fresh
                        .iter()
                        .filter_map(|m| {
                            let reach = m.mention.reach.filter(|r| r >= min_reach)?;
                            Some((*m, format!("reach {reach}")))
                        })
                        .collect();
                    instant_finding(hits)
                }
            };
            if let Some(finding) = finding
                && let Some(alert) = self.fire(tenant, rule.clone(), finding, now).await?
            {
                raised.push(self.deliver(tenant, &rule, alert).await);
            }
        }
        Ok(raised)
    }

    /// Claim the rule's cooldown and record the alert in one transaction. `Ok(None)` when the
    /// rule is cooling down, was deleted, or every mention already alerted.
    async fn fire(
        &self,
        tenant: &str,
        mut rule: Rule,
        finding: Finding<'_>,
        now: DateTime<Utc>,
    ) -> PortResult<Option<Alert>> {
        let instant = rule.kind.spike().is_none();
        for _ in 0..FIRE_ATTEMPTS {
            if rule.cooling_down(now) {
                return Ok(None);
            }
            let mentions = if instant {
                let unseen = self.unseen(tenant, &rule.id, &finding.mentions).await?;
                if unseen.is_empty() {
                    return Ok(None);
                }
                unseen
            } else {
                Vec::new()
            };
            let alert = self.new_alert(&rule, &finding, &mentions, now);
            let claim = Update::default()
                .set("last_fired_at", json!(now))
                .add("version", 1);
            let mut ops = vec![
                TxOp::Update(
                    rule_key(tenant, &rule.monitor_id, &rule.id)?,
                    claim,
                    Condition::Equals("version".into(), json!(rule.version)),
                ),
                TxOp::Put(
                    Item::new(alert_key(tenant, &alert.id)?, attrs_of(&alert)?)
                        .with_gsi1(alert_gsi1(tenant, &rule.monitor_id, &alert.id)?),
                    Condition::NotExists,
                ),
            ];
            for (m, _) in &mentions {
                let mut marker = serde_json::Map::new();
                marker.insert("alert".into(), alert.id.clone().into());
                ops.push(TxOp::Put(
                    Item::new(seen_key(tenant, &rule.id, &m.digest)?, marker),
                    Condition::NotExists,
                ));
            }
            match self.items.transact_write(ops).await {
                Ok(()) => return Ok(Some(alert)),
                // Another evaluation fired the rule or marked a mention first: look again.
                Err(PortError::TransactionCanceled { .. }) => {
                    match self.rule(tenant, &rule.monitor_id, &rule.id).await? {
                        Some(current) => rule = current,
                        None => return Ok(None),
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    /// The mentions (at most [`MAX_ALERT_MENTIONS`], one per digest) that have not yet
    /// triggered the rule.
    async fn unseen<'m>(
        &self,
        tenant: &str,
        rule_id: &str,
        mentions: &[(&'m StoredMention, String)],
    ) -> PortResult<Vec<(&'m StoredMention, String)>> {
        let mut candidates: Vec<(&StoredMention, String)> = Vec::new();
        for (m, why) in mentions {
            if !candidates.iter().any(|(c, _)| c.digest == m.digest) {
                candidates.push((m, why.clone()));
            }
        }
        let keys: Vec<_> = candidates
            .iter()
            .map(|(m, _)| seen_key(tenant, rule_id, &m.digest))
            .collect::<PortResult<_>>()?;
        let seen = self.items.batch_get(&keys).await?;
        Ok(candidates
            .into_iter()
            .filter(|(m, _)| !seen.iter().any(|s| s.key.sk == m.digest))
            .take(MAX_ALERT_MENTIONS)
            .collect())
    }

    fn new_alert(
        &self,
        rule: &Rule,
        finding: &Finding<'_>,
        mentions: &[(&StoredMention, String)],
        now: DateTime<Utc>,
    ) -> Alert {
        let mut deliveries = Vec::new();
        if rule.channels.slack_webhook_url.is_some() {
            deliveries.push(ChannelDelivery::pending(Channel::Slack));
        }
        if rule.channels.signed_webhooks {
            deliveries.push(ChannelDelivery::pending(Channel::Webhooks));
        }
        let summary = match mentions {
            [] => finding.summary.clone(),
            [(first, why), rest @ ..] => {
                let more = if rest.is_empty() {
                    String::new()
                } else {
                    format!(" (and {} more)", rest.len())
                };
                format!(
                    "{}: {why}: {} {}{more}",
                    rule.name, first.mention.source, first.mention.url
                )
            }
        };
        Alert {
            id: self.ids.new_id(),
            rule_id: rule.id.clone(),
            rule_name: rule.name.clone(),
            kind: rule.kind.alert_kind(),
            monitor_id: rule.monitor_id.clone(),
            raised_at: now,
            summary,
            details: finding.details.clone(),
            mention_ids: mentions.iter().map(|(m, _)| m.key.clone()).collect(),
            acknowledged_at: None,
            acknowledged_by: None,
            deliveries,
            version: 1,
        }
    }
}

/// A finding when the rule's spike thresholds are crossed.
fn spike_finding<'m>(rule: &Rule, counted: &Windows) -> Option<Finding<'m>> {
    let spike = rule.kind.spike()?;
    let share = |s: &stats::Slot| f64::from(s.negative) / f64::from(s.total.max(1));
    let (watched, details, what, is_share) = match &rule.kind {
        RuleKind::NegativeSpike {
            measure: NegativeMeasure::Share,
            ..
        } => {
            // Windows without mentions have no share; they are no evidence either way.
            let baseline: Vec<f64> = counted
                .baseline
                .iter()
                .filter(|s| s.total > 0)
                .map(share)
                .collect();
            let details = stats::spike(
                share(&counted.current),
                &baseline,
                SHARE_FLOOR,
                spike.window_minutes,
            );
            (counted.current.negative, details, "negative share", true)
        }
        RuleKind::NegativeSpike { .. } => {
            let baseline: Vec<f64> = counted
                .baseline
                .iter()
                .map(|s| f64::from(s.negative))
                .collect();
            let details = stats::spike(
                f64::from(counted.current.negative),
                &baseline,
                COUNT_FLOOR,
                spike.window_minutes,
            );
            (
                counted.current.negative,
                details,
                "negative mentions",
                false,
            )
        }
        _ => {
            let baseline: Vec<f64> = counted
                .baseline
                .iter()
                .map(|s| f64::from(s.total))
                .collect();
            let details = stats::spike(
                f64::from(counted.current.total),
                &baseline,
                COUNT_FLOOR,
                spike.window_minutes,
            );
            (counted.current.total, details, "mentions", false)
        }
    };
    if watched < spike.min_count || details.current <= details.baseline_mean {
        return None;
    }
    let by_z = spike.z_score.is_some_and(|t| details.z >= t);
    // A zero baseline has unbounded growth: any growth threshold is crossed.
    let by_growth = spike
        .growth_pct
        .is_some_and(|t| details.growth_pct.is_none_or(|g| g >= t));
    if !(by_z || by_growth) {
        return None;
    }
    let growth = details
        .growth_pct
        .map_or("new".to_string(), |g| format!("+{g:.0}%"));
    let (current, mean) = if is_share {
        (
            format!("{:.0}%", details.current * 100.0),
            format!("{:.0}%", details.baseline_mean * 100.0),
        )
    } else {
        (
            format!("{}", details.current),
            format!("{:.1}", details.baseline_mean),
        )
    };
    Some(Finding {
        summary: format!(
            "{}: {current} {what} in the last {} min vs {mean} usual (z {:.1}, {growth})",
            rule.name, spike.window_minutes, details.z
        ),
        details: Some(details),
        mentions: Vec::new(),
    })
}

/// A finding when anything matched.
fn instant_finding(hits: Vec<(&StoredMention, String)>) -> Option<Finding<'_>> {
    (!hits.is_empty()).then(|| Finding {
        summary: String::new(),
        details: None,
        mentions: hits,
    })
}
