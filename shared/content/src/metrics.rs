//! Post metrics: a scheduled job pulls them for recent posts from each platform, and the
//! analytics summarise them per item, destination and campaign, with the best hours and
//! destinations by engagement.

use crate::Content;
use crate::items::{ContentItem, Saved, published_partition};
use crate::workflow::Status;
use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Tz;
use plasma_core::keys::CONTENT_ITEMS;
use plasma_core::{Key, PortResult, Query};
use plasma_publishing::Metrics;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// What one run of the metrics job did.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct MetricsRun {
    pub refreshed: usize,
    pub failed: usize,
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Totals {
    pub posts: usize,
    pub impressions: u64,
    pub reactions: u64,
    pub comments: u64,
    pub shares: u64,
    pub clicks: u64,
    /// Reactions, comments, shares and clicks.
    pub engagements: u64,
    /// Engagements per impression, where impressions are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engagement_rate: Option<f64>,
}

impl Totals {
    fn add(&mut self, m: &Metrics) {
        self.posts += 1;
        self.impressions += m.impressions.unwrap_or(0);
        self.reactions += m.reactions.unwrap_or(0);
        self.comments += m.comments.unwrap_or(0);
        self.shares += m.shares.unwrap_or(0);
        self.clicks += m.clicks.unwrap_or(0);
        self.engagements = self.reactions + self.comments + self.shares + self.clicks;
        self.engagement_rate =
            (self.impressions > 0).then(|| self.engagements as f64 / self.impressions as f64);
    }

    /// Engagements per post: how hours and destinations are ranked.
    fn per_post(&self) -> f64 {
        if self.posts == 0 {
            0.0
        } else {
            self.engagements as f64 / self.posts as f64
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ItemSummary {
    pub id: String,
    pub title: String,
    pub destination: Option<String>,
    pub campaign_id: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub metrics: Metrics,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Ranked {
    pub key: String,
    pub posts: usize,
    pub engagements_per_post: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Analytics {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub timezone: String,
    pub totals: Totals,
    pub by_destination: BTreeMap<String, Totals>,
    pub by_campaign: BTreeMap<String, Totals>,
    pub items: Vec<ItemSummary>,
    /// Local hours of publication, best first.
    pub best_hours: Vec<Ranked>,
    /// Destinations, best first.
    pub best_destinations: Vec<Ranked>,
}

impl Content {
    /// Pulls metrics for every post published in the last `metrics_window_days`, across
    /// tenants (the scheduled job).
    pub async fn refresh_metrics(&self) -> PortResult<MetricsRun> {
        let now = self.clock.now();
        let mut run = MetricsRun::default();
        for days_ago in 0..=self.settings.metrics_window_days {
            let day = (now - Duration::days(days_ago)).date_naive();
            let mut cursor = None;
            loop {
                let page = self
                    .items
                    .query(
                        Query::gsi1(published_partition(day)?)
                            .limit(100)
                            .after(cursor),
                    )
                    .await?;
                for found in &page.items {
                    let Some(tenant) = tenant_of(&found.key) else {
                        continue;
                    };
                    let item: ContentItem = found.parse()?;
                    match self.refresh_item(&tenant, item).await {
                        Ok(true) => run.refreshed += 1,
                        Ok(false) => {}
                        Err(e) => {
                            run.failed += 1;
                            tracing::warn!(error = %e, "could not refresh a post's metrics");
                        }
                    }
                }
                cursor = page.next;
                if cursor.is_none() {
                    break;
                }
            }
        }
        Ok(run)
    }

    /// Refreshes one post's metrics; false when it has nothing to refresh.
    async fn refresh_item(&self, tenant: &str, mut item: ContentItem) -> anyhow::Result<bool> {
        let (Some(destination), Some(published)) =
            (item.destination.clone(), item.publish.result.clone())
        else {
            return Ok(false);
        };
        if item.status != Status::Published {
            return Ok(false);
        }
        let Some(publisher) = self.connectors.get(&destination) else {
            return Ok(false);
        };
        let Some(creds) = self.credentials(tenant, &destination).await? else {
            return Ok(false);
        };
        let metrics = publisher
            .metrics(&published, &creds)
            .await
            .map_err(|e| anyhow::anyhow!("{destination}: {e}"))?;
        item.metrics = Some(metrics);
        item.metrics_at = Some(self.clock.now());
        // A concurrent write (another refresh) is as good as this one.
        Ok(matches!(
            self.save_item(tenant, item, None, None).await?,
            Saved::Done(_)
        ))
    }

    /// Summaries over posts published in `[from, to)`, hours in `tz`.
    pub async fn analytics(
        &self,
        tenant: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        tz: Tz,
        campaign: Option<&str>,
    ) -> PortResult<Analytics> {
        let mut totals = Totals::default();
        let mut by_destination: BTreeMap<String, Totals> = BTreeMap::new();
        let mut by_campaign: BTreeMap<String, Totals> = BTreeMap::new();
        let mut by_hour: BTreeMap<u32, Totals> = BTreeMap::new();
        let mut items = Vec::new();
        for item in self.all_items(tenant).await? {
            let Some(at) = item.published_at else {
                continue;
            };
            if at < from || at >= to || item.status != Status::Published {
                continue;
            }
            if campaign.is_some() && item.campaign_id.as_deref() != campaign {
                continue;
            }
            let metrics = item.metrics.unwrap_or_default();
            totals.add(&metrics);
            let destination = item.destination.clone().unwrap_or_default();
            by_destination
                .entry(destination.clone())
                .or_default()
                .add(&metrics);
            if let Some(c) = &item.campaign_id {
                by_campaign.entry(c.clone()).or_default().add(&metrics);
            }
            by_hour
                .entry(at.with_timezone(&tz).hour())
                .or_default()
                .add(&metrics);
            items.push(ItemSummary {
                id: item.id,
                title: item.title,
                destination: item.destination,
                campaign_id: item.campaign_id,
                published_at: item.published_at,
                url: item.publish.result.and_then(|p| p.url),
                metrics,
            });
        }
        items.sort_by_key(|i| std::cmp::Reverse(i.published_at));
        let best_hours = ranked(by_hour.iter().map(|(h, t)| (format!("{h:02}:00"), t)));
        let best_destinations = ranked(by_destination.iter().map(|(d, t)| (d.clone(), t)));
        Ok(Analytics {
            from,
            to,
            timezone: tz.name().to_string(),
            totals,
            by_destination,
            by_campaign,
            items,
            best_hours,
            best_destinations,
        })
    }
}

fn ranked<'a>(groups: impl Iterator<Item = (String, &'a Totals)>) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = groups
        .map(|(key, t)| Ranked {
            key,
            posts: t.posts,
            engagements_per_post: t.per_post(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.engagements_per_post
            .total_cmp(&a.engagements_per_post)
            .then(b.posts.cmp(&a.posts))
            .then(a.key.cmp(&b.key))
    });
    out
}

/// The tenant an item key belongs to (`CNT#{tenant}#ITEM`).
fn tenant_of(key: &Key) -> Option<String> {
    CONTENT_ITEMS
        .parse(&key.pk)
        .map(|[tenant]| tenant.to_owned())
}
