//! Monitor analytics over a time range in the viewer's time zone, and share of voice.
//!
//! Only mentions that matched the monitor's query and are not marked irrelevant count: they
//! are what the monitor is about. Each figure comes from one pass over the mentions in range,
//! read newest first and capped at [`MAX_ANALYSED`] (`truncated` says when the cap cut the
//! range short, in which case the oldest part of the range is missing).

use super::SentimentLabel;
use super::store::{MentionStore, StoredMention};
use super::terms::tokens;
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use plasma_core::keys::check_segment;
use plasma_core::{PortError, PortResult};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Most mentions one analytics or share-of-voice computation reads per monitor.
pub const MAX_ANALYSED: usize = 50_000;
/// Most buckets a series may have (about 13 months of hours).
pub const MAX_BUCKETS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Hour,
    Day,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyticsRequest {
    pub monitor_id: String,
    /// Inclusive.
    pub from: DateTime<Utc>,
    /// Exclusive.
    pub to: DateTime<Utc>,
    /// IANA name, e.g. `Europe/Berlin`.
    pub time_zone: String,
    pub bucket: Bucket,
    /// Length of the top sources, authors and terms lists.
    pub top: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentimentCounts {
    pub positive: u64,
    pub neutral: u64,
    pub negative: u64,
}

impl SentimentCounts {
    fn count(&mut self, label: SentimentLabel) {
        match label {
            SentimentLabel::Positive => self.positive += 1,
            SentimentLabel::Neutral => self.neutral += 1,
            SentimentLabel::Negative => self.negative += 1,
        }
    }
}

/// One bucket of the volume and sentiment series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketStats {
    /// Local start of the bucket, with the offset in force then.
    pub start: DateTime<FixedOffset>,
    pub count: u64,
    pub sentiment: SentimentCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analytics {
    pub total: u64,
    /// Every bucket of the range in order, empty ones included, so charts need no gap filling.
    pub series: Vec<BucketStats>,
    pub sentiment: SentimentCounts,
    /// positive / (positive + negative); `None` when there are neither.
    pub brand_health_index: Option<f64>,
    pub top_sources: Vec<Ranked>,
    pub top_authors: Vec<Ranked>,
    /// By the number of mentions containing the term, stop words removed.
    pub top_terms: Vec<Ranked>,
    pub reach: u64,
    pub engagement: u64,
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceShare {
    pub monitor_id: String,
    pub count: u64,
    /// Of all the listed monitors' mentions; 0 when there are none at all.
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareOfVoice {
    pub total: u64,
    /// In the order the monitors were given.
    pub shares: Vec<VoiceShare>,
    pub truncated: bool,
}

fn counts(m: &StoredMention) -> bool {
    m.matched && !m.irrelevant
}

fn parse_zone(name: &str) -> PortResult<Tz> {
    name.parse()
        .map_err(|_| PortError::Invalid(format!("unknown time zone {name:?}")))
}

/// First instant of the local day `date`. Where midnight itself falls in a DST gap (some
/// zones switch at 00:00), the day starts at the first local time that exists.
fn start_of_day(tz: Tz, date: NaiveDate) -> DateTime<Tz> {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    (0..=24)
        .find_map(|quarter| {
            tz.from_local_datetime(&(midnight + Duration::minutes(15 * quarter)))
                .earliest()
        })
        // No zone skips six hours; the fallback only satisfies the type.
        .unwrap_or_else(|| tz.from_utc_datetime(&midnight))
}

/// Start of the bucket holding `at`.
fn bucket_start(tz: Tz, bucket: Bucket, at: DateTime<Utc>) -> DateTime<Tz> {
    let local = at.with_timezone(&tz);
    match bucket {
        // Subtracting from the instant (not rebuilding a local time) keeps the two repeated
        // hours of an autumn transition apart.
        Bucket::Hour => {
            local
                - Duration::seconds(i64::from(local.minute() * 60 + local.second()))
                - Duration::nanoseconds(i64::from(local.nanosecond()))
        }
        Bucket::Day => start_of_day(tz, local.date_naive()),
    }
}

/// Bucket starts covering `[from, to)`: local hours, or local calendar days (23 or 25 hours
/// long across DST changes).
fn bucket_starts(
    tz: Tz,
    bucket: Bucket,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> PortResult<Vec<DateTime<Tz>>> {
    let mut starts = Vec::new();
    let mut start = bucket_start(tz, bucket, from);
    while start.with_timezone(&Utc) < to {
        if starts.len() == MAX_BUCKETS {
            return Err(PortError::Invalid(format!(
                "the range has more than {MAX_BUCKETS} buckets; use day buckets or a shorter range"
            )));
        }
        let next = match bucket {
            Bucket::Hour => {
                bucket_start(tz, bucket, (start + Duration::hours(1)).with_timezone(&Utc))
            }
            Bucket::Day => match start.date_naive().succ_opt() {
                Some(day) => start_of_day(tz, day),
                None => break,
            },
        };
        starts.push(start);
        start = next;
    }
    Ok(starts)
}

/// The `top` most frequent names, ties broken alphabetically so results are stable.
fn top_of(counts: HashMap<String, u64>, top: usize) -> Vec<Ranked> {
    let mut ranked: Vec<Ranked> = counts
        .into_iter()
        .map(|(name, count)| Ranked { name, count })
        .collect();
    ranked.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    ranked.truncate(top);
    ranked
}

/// Everything [`Analytics`] holds, from one pass over `mentions` (all published within the
/// buckets' range).
fn summarise(mentions: &[StoredMention], starts: &[DateTime<Tz>], top: usize) -> Analytics {
    let mut series: Vec<BucketStats> = starts
        .iter()
        .map(|s| BucketStats {
            start: s.fixed_offset(),
            count: 0,
            sentiment: SentimentCounts::default(),
        })
        .collect();
    let mut sentiment = SentimentCounts::default();
    let (mut sources, mut authors, mut terms) = (HashMap::new(), HashMap::new(), HashMap::new());
    let (mut total, mut reach, mut engagement) = (0u64, 0u64, 0u64);
    for m in mentions.iter().filter(|m| counts(m)) {
        let at = m.mention.published_at;
        total += 1;
        sentiment.count(m.sentiment.label);
        // The bucket is the last one starting at or before `at`.
        let index = starts.partition_point(|s| s.with_timezone(&Utc) <= at);
        if let Some(b) = index.checked_sub(1).and_then(|i| series.get_mut(i)) {
            b.count += 1;
            b.sentiment.count(m.sentiment.label);
        }
        *sources.entry(m.mention.source.clone()).or_insert(0) += 1;
        if let Some(author) = m.mention.author.as_ref().filter(|a| !a.is_empty()) {
            *authors.entry(author.clone()).or_insert(0) += 1;
        }
        for term in tokens(&m.mention.text).collect::<HashSet<_>>() {
            *terms.entry(term).or_insert(0) += 1;
        }
        // Saturating: a bogus follower count from one source must not wrap the total.
        reach = reach.saturating_add(m.mention.reach.unwrap_or(0));
        engagement = engagement.saturating_add(m.mention.engagement.unwrap_or(0));
    }
    let polar = sentiment.positive + sentiment.negative;
    Analytics {
        total,
        series,
        sentiment,
        brand_health_index: (polar > 0).then(|| sentiment.positive as f64 / polar as f64),
        top_sources: top_of(sources, top),
        top_authors: top_of(authors, top),
        top_terms: top_of(terms, top),
        reach,
        engagement,
        truncated: false,
    }
}

/// Years 1 to 9999 keep every bucket computation clear of chrono's limits (where date
/// arithmetic would overflow) and match the four-digit years of the sort keys.
fn check_range(from: DateTime<Utc>, to: DateTime<Utc>) -> PortResult<()> {
    let sane = |t: DateTime<Utc>| (1..=9999).contains(&t.year());
    if !(sane(from) && sane(to)) {
        return Err(PortError::Invalid(
            "the range must lie within the years 1 to 9999".into(),
        ));
    }
    if from >= to {
        return Err(PortError::Invalid(
            "the range must end after it starts".into(),
        ));
    }
    Ok(())
}

impl MentionStore {
    pub async fn analytics(
        &self,
        tenant: &str,
        request: &AnalyticsRequest,
    ) -> PortResult<Analytics> {
        let tz = parse_zone(&request.time_zone)?;
        check_range(request.from, request.to)?;
        // Built before reading, so an oversized series is refused without touching the store.
        let starts = bucket_starts(tz, request.bucket, request.from, request.to)?;
        let (mentions, truncated) = self
            .read_range(
                tenant,
                &request.monitor_id,
                Some(request.from),
                Some(request.to),
                MAX_ANALYSED,
            )
            .await?;
        let mut analytics = summarise(&mentions, &starts, request.top);
        analytics.truncated = truncated;
        Ok(analytics)
    }

    /// Mentions per monitor over `[from, to)` — pass the brand's monitor and its
    /// competitors' — with each one's percentage of the total.
    pub async fn share_of_voice(
        &self,
        tenant: &str,
        monitor_ids: &[String],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> PortResult<ShareOfVoice> {
        check_range(from, to)?;
        let mut seen = HashSet::new();
        let mut shares = Vec::new();
        let mut truncated = false;
        for monitor_id in monitor_ids {
            check_segment("monitor", monitor_id)?;
            // A monitor listed twice would be counted twice and skew every percentage.
            if !seen.insert(monitor_id) {
                return Err(PortError::Invalid(format!(
                    "monitor {monitor_id:?} is listed twice"
                )));
            }
            let (mentions, cut) = self
                .read_range(tenant, monitor_id, Some(from), Some(to), MAX_ANALYSED)
                .await?;
            truncated |= cut;
            shares.push(VoiceShare {
                monitor_id: monitor_id.clone(),
                count: mentions.iter().filter(|m| counts(m)).count() as u64,
                percent: 0.0,
            });
        }
        let total: u64 = shares.iter().map(|s| s.count).sum();
        if total > 0 {
            for share in &mut shares {
                share.percent = share.count as f64 * 100.0 / total as f64;
            }
        }
        Ok(ShareOfVoice {
            total,
            shares,
            truncated,
        })
    }
}
