//! Alert rules: what they watch, how they are checked on creation, and their storage.

use super::Alerts;
use super::history::AlertKind;
use super::keys::{monitor_rules_prefix, rule_key, rules_partition, seen_partition};
use super::keywords::phrase_words;
use chrono::{DateTime, Utc};
use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::check_segment;
use plasma_core::{Condition, Item, PortError, PortResult, Query};
use plasma_http::outbound;
use serde::{Deserialize, Serialize};

/// Rules one monitor may hold; each is evaluated on every scan.
pub const MAX_RULES_PER_MONITOR: usize = 25;
const MAX_NAME_CHARS: usize = 100;
const MAX_TERMS: usize = 50;
const MAX_TERM_CHARS: usize = 100;
/// A week: longer silences are better expressed by deleting the rule.
const MAX_COOLDOWN_MINUTES: u32 = 7 * 24 * 60;
const MIN_WINDOW_MINUTES: u32 = 5;
/// The baseline compares the same window on previous days, so a window fits in a day.
const MAX_WINDOW_MINUTES: u32 = 24 * 60;

fn default_window() -> u32 {
    60
}

fn default_cooldown() -> u32 {
    60
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpikeThresholds {
    /// The current window, ending now; the baseline is the same window on each of the seven
    /// previous days, so daily rhythm (quiet nights, busy mornings) is not mistaken for a spike.
    #[serde(default = "default_window")]
    pub window_minutes: u32,
    /// Fewest mentions in the window (negative ones for a negative spike) that may alert, so
    /// going from 1 to 3 mentions pages nobody.
    pub min_count: u32,
    /// Alert when the window is this many standard deviations above the baseline mean.
    #[serde(default)]
    pub z_score: Option<f64>,
    /// Or when it is this many percent above the baseline mean.
    #[serde(default)]
    pub growth_pct: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NegativeMeasure {
    /// Negative-labelled mentions in the window.
    #[default]
    Count,
    /// Their share of all mentions in the window.
    Share,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum RuleKind {
    VolumeSpike {
        spike: SpikeThresholds,
    },
    NegativeSpike {
        spike: SpikeThresholds,
        #[serde(default)]
        measure: NegativeMeasure,
    },
    /// A new mention containing any of the terms (words or phrases, case-insensitive,
    /// matched on whole words).
    Keyword {
        terms: Vec<String>,
    },
    /// A new mention whose source-reported reach is at least `min_reach`.
    HighReach {
        min_reach: u64,
    },
}

impl RuleKind {
    pub fn alert_kind(&self) -> AlertKind {
        match self {
            RuleKind::VolumeSpike { .. } => AlertKind::VolumeSpike,
            RuleKind::NegativeSpike { .. } => AlertKind::NegativeSpike,
            RuleKind::Keyword { .. } => AlertKind::Keyword,
            RuleKind::HighReach { .. } => AlertKind::HighReach,
        }
    }

    pub(super) fn spike(&self) -> Option<&SpikeThresholds> {
        match self {
            RuleKind::VolumeSpike { spike } | RuleKind::NegativeSpike { spike, .. } => Some(spike),
            RuleKind::Keyword { .. } | RuleKind::HighReach { .. } => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channels {
    /// A Slack incoming-webhook URL.
    #[serde(default)]
    pub slack_webhook_url: Option<String>,
    /// Emit `brand.alert` to the tenant's signed webhook endpoints.
    #[serde(default)]
    pub signed_webhooks: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    pub name: String,
    pub kind: RuleKind,
    /// No second alert of this rule within this many minutes of the last one.
    #[serde(default = "default_cooldown")]
    pub cooldown_minutes: u32,
    #[serde(default)]
    pub channels: Channels,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub monitor_id: String,
    pub name: String,
    pub kind: RuleKind,
    pub cooldown_minutes: u32,
    pub channels: Channels,
    pub created_at: DateTime<Utc>,
    pub last_fired_at: Option<DateTime<Utc>>,
    /// Bumped by every write; firing is conditional on it (the cooldown's atomicity).
    pub version: u64,
}

impl Rule {
    pub(super) fn cooling_down(&self, now: DateTime<Utc>) -> bool {
        self.last_fired_at
            .is_some_and(|t| now < t + chrono::Duration::minutes(i64::from(self.cooldown_minutes)))
    }
}

fn invalid(msg: impl Into<String>) -> PortError {
    PortError::Invalid(msg.into())
}

/// Why a new rule was refused, with the JSON path of the field at fault so an HTTP route
/// can name it.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidRule {
    pub field: &'static str,
    pub detail: String,
}

fn refuse(field: &'static str, detail: impl Into<String>) -> Result<(), InvalidRule> {
    Err(InvalidRule {
        field,
        detail: detail.into(),
    })
}

fn check_spike(spike: &SpikeThresholds) -> Result<(), InvalidRule> {
    if !(MIN_WINDOW_MINUTES..=MAX_WINDOW_MINUTES).contains(&spike.window_minutes) {
        return refuse(
            "kind.spike.window_minutes",
            format!("window_minutes must be {MIN_WINDOW_MINUTES} to {MAX_WINDOW_MINUTES}"),
        );
    }
    if spike.min_count == 0 {
        return refuse("kind.spike.min_count", "min_count must be at least 1");
    }
    if spike.z_score.is_none() && spike.growth_pct.is_none() {
        return refuse(
            "kind.spike",
            "a spike rule needs z_score, growth_pct or both",
        );
    }
    let positive = |v: Option<f64>| v.is_none_or(|v| v.is_finite() && v > 0.0);
    if !positive(spike.z_score) {
        return refuse("kind.spike.z_score", "z_score must be a positive number");
    }
    if !positive(spike.growth_pct) {
        return refuse(
            "kind.spike.growth_pct",
            "growth_pct must be a positive number",
        );
    }
    Ok(())
}

impl Alerts {
    /// What `create_rule` checks before writing, without the per-monitor limit.
    pub fn check_rule(&self, new: &NewRule) -> Result<(), InvalidRule> {
        let name_chars = new.name.trim().chars().count();
        if name_chars == 0 || name_chars > MAX_NAME_CHARS {
            return refuse(
                "name",
                format!("a rule name has 1 to {MAX_NAME_CHARS} characters"),
            );
        }
        if !(1..=MAX_COOLDOWN_MINUTES).contains(&new.cooldown_minutes) {
            return refuse(
                "cooldown_minutes",
                format!("cooldown_minutes must be 1 to {MAX_COOLDOWN_MINUTES}"),
            );
        }
        match &new.kind {
            RuleKind::VolumeSpike { spike } | RuleKind::NegativeSpike { spike, .. } => {
                check_spike(spike)?
            }
            RuleKind::Keyword { terms } => {
                if terms.is_empty() || terms.len() > MAX_TERMS {
                    return refuse(
                        "kind.terms",
                        format!("a keyword rule has 1 to {MAX_TERMS} terms"),
                    );
                }
                if terms
                    .iter()
                    .any(|t| t.chars().count() > MAX_TERM_CHARS || phrase_words(t).is_empty())
                {
                    return refuse(
                        "kind.terms",
                        format!("each term has a word and at most {MAX_TERM_CHARS} characters"),
                    );
                }
            }
            RuleKind::HighReach { min_reach } => {
                if *min_reach == 0 {
                    return refuse("kind.min_reach", "min_reach must be at least 1");
                }
            }
        }
        if let Some(url) = &new.channels.slack_webhook_url
            && let Err(e) = outbound::check_url(self.config.egress, url)
        {
            return refuse(
                "channels.slack_webhook_url",
                format!("slack_webhook_url: {e}"),
            );
        }
        Ok(())
    }

    pub async fn create_rule(
        &self,
        tenant: &str,
        monitor_id: &str,
        new: NewRule,
    ) -> PortResult<Rule> {
        // Checked before the rule is, as the ids are what the caller got wrong first.
        check_segment("tenant", tenant)?;
        check_segment("monitor", monitor_id)?;
        self.check_rule(&new).map_err(|e| invalid(e.detail))?;
        // Checked before the write, so two concurrent creations may pass the limit by one;
        // the limit bounds evaluation cost, which one extra rule does not threaten.
        if self.rules(tenant, monitor_id).await?.len() >= MAX_RULES_PER_MONITOR {
            return Err(invalid(format!(
                "a monitor holds at most {MAX_RULES_PER_MONITOR} alert rules"
            )));
        }
        let rule = Rule {
            id: self.ids.new_id(),
            monitor_id: monitor_id.to_string(),
            name: new.name.trim().to_string(),
            kind: new.kind,
            cooldown_minutes: new.cooldown_minutes,
            channels: new.channels,
            created_at: self.clock.now(),
            last_fired_at: None,
            version: 1,
        };
        let key = rule_key(tenant, monitor_id, &rule.id)?;
        self.items
            .put(Item::new(key, attrs_of(&rule)?), Condition::NotExists)
            .await?;
        Ok(rule)
    }

    /// The monitor's rules, oldest first.
    pub async fn rules(&self, tenant: &str, monitor_id: &str) -> PortResult<Vec<Rule>> {
        let query =
            Query::partition(rules_partition(tenant)?).prefix(monitor_rules_prefix(monitor_id)?);
        query_all(self.items.as_ref(), query)
            .await?
            .iter()
            .map(Item::parse)
            .collect()
    }

    pub async fn rule(
        &self,
        tenant: &str,
        monitor_id: &str,
        rule_id: &str,
    ) -> PortResult<Option<Rule>> {
        self.items
            .get(&rule_key(tenant, monitor_id, rule_id)?)
            .await?
            .map(|i| i.parse())
            .transpose()
    }

    /// `Ok(false)` when the monitor has no such rule. Its seen markers go too; its alerts stay
    /// in the history.
    pub async fn delete_rule(
        &self,
        tenant: &str,
        monitor_id: &str,
        rule_id: &str,
    ) -> PortResult<bool> {
        match self
            .items
            .delete(&rule_key(tenant, monitor_id, rule_id)?, Condition::Exists)
            .await
        {
            Ok(()) => {}
            Err(PortError::Conflict(_)) => return Ok(false),
            Err(e) => return Err(e),
        }
        let seen = query_all(
            self.items.as_ref(),
            Query::partition(seen_partition(tenant, rule_id)?),
        )
        .await?;
        let keys = seen.into_iter().map(|i| i.key).collect();
        self.items.batch_write(Vec::new(), keys).await?;
        Ok(true)
    }
}
