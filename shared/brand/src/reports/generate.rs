//! Gathering a report from the mention analytics.

use super::format::excerpt;
use super::model::{Day, Figures, Headline, Report, ReportRequest, TopMention, Voice};
use super::{EXCERPT_CHARS, MAX_REPORT_DAYS, Reports, TOP};
use crate::mentions::{Analytics, AnalyticsRequest, Bucket, MAX_ANALYSED, StoredMention};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use plasma_core::{PortError, PortResult};
use std::cmp::Reverse;

fn figures(a: &Analytics) -> Figures {
    Figures {
        mentions: a.total,
        brand_health_index: a.brand_health_index,
        sentiment: a.sentiment,
        reach: a.reach,
        engagement: a.engagement,
    }
}

/// The mentions a report talks about, by the same rule as the analytics: matched by the
/// monitor's query and not dismissed as irrelevant.
fn relevant(m: &StoredMention) -> bool {
    m.matched && !m.irrelevant
}

/// The `TOP` most visible mentions: by reach (audience), then engagement, then newest, then
/// key, so ties come out the same on every run.
fn top_mentions(mut mentions: Vec<StoredMention>, tz: Tz) -> Vec<TopMention> {
    mentions.retain(relevant);
    mentions.sort_by_key(|m| {
        (
            Reverse(m.mention.reach.unwrap_or(0)),
            Reverse(m.mention.engagement.unwrap_or(0)),
            Reverse(m.mention.published_at),
            m.key.clone(),
        )
    });
    mentions
        .into_iter()
        .take(TOP)
        .map(|m| TopMention {
            url: m.mention.url,
            source: m.mention.source,
            author: m.mention.author.filter(|a| !a.trim().is_empty()),
            published_at: m.mention.published_at.with_timezone(&tz).fixed_offset(),
            excerpt: excerpt(&m.mention.text, EXCERPT_CHARS),
            sentiment: m.sentiment.label,
            reach: m.mention.reach,
            engagement: m.mention.engagement,
        })
        .collect()
}

/// Time-ordered and safe as a key segment and a file name.
fn report_id(created_at: DateTime<Utc>, suffix: &str) -> String {
    let suffix: String = suffix
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    format!("{}-{suffix}", created_at.format("%Y%m%dT%H%M%S%.3fZ"))
}

impl Reports {
    /// Build the report for `request` from the stored mentions of `tenant`. Nothing is
    /// written; [`Reports::store`] archives it.
    pub async fn generate(&self, tenant: &str, request: &ReportRequest) -> PortResult<Report> {
        let (from, to) = (request.from, request.to);
        let length = to - from;
        if length > chrono::Duration::days(MAX_REPORT_DAYS) {
            return Err(PortError::Invalid(format!(
                "a report covers at most {MAX_REPORT_DAYS} days"
            )));
        }
        let analytics = |from, to, top| AnalyticsRequest {
            monitor_id: request.monitor_id.clone(),
            from,
            to,
            time_zone: request.time_zone.clone(),
            bucket: Bucket::Day,
            top,
        };
        // The analytics check the range, zone and ids before reading anything.
        let current = self
            .mentions
            .analytics(tenant, &analytics(from, to, TOP))
            .await?;
        let previous = self
            .mentions
            .analytics(tenant, &analytics(from - length, from, 0))
            .await?;
        let mut monitor_ids = vec![request.monitor_id.clone()];
        monitor_ids.extend(request.competitors.iter().map(|c| c.monitor_id.clone()));
        let voice = self
            .mentions
            .share_of_voice(tenant, &monitor_ids, from, to)
            .await?;
        let (mentions, cut) = self
            .mentions
            .read_range(
                tenant,
                &request.monitor_id,
                Some(from),
                Some(to),
                MAX_ANALYSED,
            )
            .await?;
        let names = std::iter::once(&request.monitor_name)
            .chain(request.competitors.iter().map(|c| &c.name));
        let share_of_voice = voice
            .shares
            .into_iter()
            .zip(names)
            .map(|(share, name)| Voice {
                monitor_id: share.monitor_id,
                name: name.clone(),
                mentions: share.count,
                percent: share.percent,
            })
            .collect();
        // The analytics accepted the zone name, so this parse succeeds.
        let tz: Tz = request.time_zone.parse().unwrap_or(Tz::UTC);
        let created_at = self.clock.now();
        Ok(Report {
            id: report_id(created_at, &self.ids.new_id()),
            tenant: tenant.to_string(),
            monitor_id: request.monitor_id.clone(),
            monitor_name: request.monitor_name.clone(),
            from,
            to,
            time_zone: request.time_zone.clone(),
            created_at,
            headline: Headline::new(figures(&current), figures(&previous)),
            days: current
                .series
                .iter()
                .map(|b| Day {
                    date: b.start.date_naive(),
                    mentions: b.count,
                    sentiment: b.sentiment,
                })
                .collect(),
            share_of_voice,
            top_mentions: top_mentions(mentions, tz),
            top_sources: current.top_sources,
            top_authors: current.top_authors,
            top_terms: current.top_terms,
            truncated: current.truncated || previous.truncated || voice.truncated || cut,
        })
    }
}
