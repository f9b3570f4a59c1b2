//! The report: one model both renderings draw from, so the Markdown and the HTML can never
//! disagree about a number.

use super::format::iso_day;
use crate::mentions::{Ranked, SentimentCounts, SentimentLabel};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What to report on. Serde-ready so an HTTP route can take it as its body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRequest {
    pub monitor_id: String,
    /// Display name of the monitored brand.
    pub monitor_name: String,
    /// Competitor monitors for share of voice, in the order they should be listed.
    #[serde(default)]
    pub competitors: Vec<Competitor>,
    /// Inclusive.
    pub from: DateTime<Utc>,
    /// Exclusive.
    pub to: DateTime<Utc>,
    /// IANA name; days in the charts are calendar days there.
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Competitor {
    pub monitor_id: String,
    pub name: String,
}

/// Figures for one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub mentions: u64,
    /// positive / (positive + negative), 0 to 1; `None` without polar mentions.
    pub brand_health_index: Option<f64>,
    pub sentiment: SentimentCounts,
    pub reach: u64,
    pub engagement: u64,
}

/// The report's period against the one of the same length just before it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    pub current: Figures,
    pub previous: Figures,
    /// Percent change of mentions; `None` when the previous period had none.
    pub mentions_change: Option<f64>,
    /// Change of the index as a fraction (0.1 is 10 points); `None` unless both periods
    /// have an index.
    pub brand_health_change: Option<f64>,
}

impl Headline {
    pub fn new(current: Figures, previous: Figures) -> Self {
        let mentions_change = (previous.mentions > 0).then(|| {
            (current.mentions as f64 - previous.mentions as f64) * 100.0 / previous.mentions as f64
        });
        let brand_health_change = current
            .brand_health_index
            .zip(previous.brand_health_index)
            .map(|(now, before)| now - before);
        Self {
            current,
            previous,
            mentions_change,
            brand_health_change,
        }
    }

    /// Percentage of this period's mentions with `label`; 0 when there are none.
    pub fn sentiment_percent(&self, label: SentimentLabel) -> f64 {
        let s = self.current.sentiment;
        let n = match label {
            SentimentLabel::Positive => s.positive,
            SentimentLabel::Neutral => s.neutral,
            SentimentLabel::Negative => s.negative,
        };
        let total = s.positive + s.neutral + s.negative;
        if total == 0 {
            0.0
        } else {
            n as f64 * 100.0 / total as f64
        }
    }
}

/// One local calendar day of the period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Day {
    pub date: NaiveDate,
    pub mentions: u64,
    pub sentiment: SentimentCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Voice {
    pub monitor_id: String,
    pub name: String,
    pub mentions: u64,
    /// Of all the listed monitors' mentions; 0 when there are none.
    pub percent: f64,
}

/// A mention worth reading, as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopMention {
    /// As the source gave it; renderings link it only when it is http(s).
    pub url: String,
    pub source: String,
    pub author: Option<String>,
    /// In the report's time zone.
    pub published_at: DateTime<FixedOffset>,
    /// Whitespace collapsed and cut to [`super::EXCERPT_CHARS`].
    pub excerpt: String,
    pub sentiment: SentimentLabel,
    pub reach: Option<u64>,
    pub engagement: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Starts with the creation time, so ids sort oldest to newest.
    pub id: String,
    pub tenant: String,
    pub monitor_id: String,
    pub monitor_name: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
    pub headline: Headline,
    /// Every day of the period in order, empty ones included.
    pub days: Vec<Day>,
    /// The monitor first, then the competitors in the order requested.
    pub share_of_voice: Vec<Voice>,
    /// By reach, then engagement, then newest first.
    pub top_mentions: Vec<TopMention>,
    pub top_sources: Vec<Ranked>,
    pub top_authors: Vec<Ranked>,
    pub top_terms: Vec<Ranked>,
    /// Some figure was computed from a capped read of a very busy period and is a lower
    /// bound; the renderings say so.
    pub truncated: bool,
}

impl Report {
    /// The local days covered, e.g. `2026-03-16 to 2026-03-22`.
    pub fn period(&self) -> String {
        match (self.days.first(), self.days.last()) {
            (Some(first), Some(last)) if first.date == last.date => iso_day(first.date),
            (Some(first), Some(last)) => {
                format!("{} to {}", iso_day(first.date), iso_day(last.date))
            }
            _ => format!("{} to {}", self.from.to_rfc3339(), self.to.to_rfc3339()),
        }
    }
}
