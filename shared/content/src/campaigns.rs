//! Campaigns and the content calendar: a campaign groups items toward goals over a period;
//! the planner turns its goals and cadence into dated draft items across channels; the
//! calendar lists planned, scheduled and published items and exports them as ICS.

use crate::Content;
use crate::items::ContentItem;
use crate::workflow::Status;
use chrono::{DateTime, NaiveDate, Utc};
use plasma_compliance::Channel;
use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::CAMPAIGNS;
use plasma_core::{Condition, Item, Key, PortResult, Query};
use plasma_planner::{CalendarEntry, PlanRequest, PlannedSlot};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    pub name: String,
    #[serde(default)]
    pub goals: Vec<String>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// IANA time zone the campaign is planned in.
    pub timezone: String,
    #[serde(default)]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Campaign {
    pub id: String,
    #[serde(flatten)]
    pub input: CampaignInput,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// One entry of the calendar: an item with the time it stands at.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CalendarItem {
    pub id: String,
    pub title: String,
    pub channel: Channel,
    pub status: Status,
    pub at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

fn campaign_key(tenant: &str, id: &str) -> PortResult<Key> {
    Ok(Key::new(CAMPAIGNS.key([tenant])?, id))
}

impl Content {
    pub async fn create_campaign(
        &self,
        tenant: &str,
        author: &str,
        input: CampaignInput,
    ) -> PortResult<Campaign> {
        let campaign = Campaign {
            id: self.ids.new_id(),
            input,
            created_at: self.clock.now(),
            created_by: author.to_string(),
        };
        self.items
            .put(
                Item::new(campaign_key(tenant, &campaign.id)?, attrs_of(&campaign)?),
                Condition::NotExists,
            )
            .await?;
        Ok(campaign)
    }

    pub async fn campaign(&self, tenant: &str, id: &str) -> PortResult<Option<Campaign>> {
        self.items
            .get(&campaign_key(tenant, id)?)
            .await?
            .map(|i| i.parse())
            .transpose()
    }

    pub async fn campaigns(&self, tenant: &str) -> PortResult<Vec<Campaign>> {
        query_all(
            self.items.as_ref(),
            Query::partition(CAMPAIGNS.key([tenant])?),
        )
        .await?
        .iter()
        .map(Item::parse)
        .collect()
    }

    /// Adds the planned slots to the calendar as draft items of the campaign.
    pub async fn add_plan(
        &self,
        tenant: &str,
        author: &str,
        campaign: &Campaign,
        slots: &[PlannedSlot],
    ) -> PortResult<Vec<ContentItem>> {
        let now = self.clock.now();
        let mut items = Vec::with_capacity(slots.len());
        for slot in slots {
            let channel = slot.channel.parse::<Channel>().unwrap_or(Channel::Webhook);
            let item = ContentItem {
                owner: slot.owner.clone().or_else(|| campaign.input.owner.clone()),
                campaign_id: Some(campaign.id.clone()),
                planned_at: Some(slot.at),
                timezone: Some(slot.timezone.clone()),
                ..ContentItem::draft(self.ids.new_id(), slot.title.clone(), channel, author, now)
            };
            self.insert_item(tenant, &item).await?;
            items.push(item);
        }
        Ok(items)
    }

    /// Items that stand on the calendar in `[from, to)`: published when published, else
    /// scheduled, else planned.
    pub async fn calendar(
        &self,
        tenant: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        campaign: Option<&str>,
    ) -> PortResult<Vec<CalendarItem>> {
        let mut out: Vec<CalendarItem> = self
            .all_items(tenant)
            .await?
            .into_iter()
            .filter(|i| campaign.is_none() || i.campaign_id.as_deref() == campaign)
            .filter_map(|i| {
                let at = i.published_at.or(i.scheduled_at).or(i.planned_at)?;
                (from <= at && at < to).then(|| CalendarItem {
                    id: i.id,
                    title: i.title,
                    channel: i.channel,
                    status: i.status,
                    at,
                    timezone: i.timezone,
                    owner: i.owner,
                    campaign_id: i.campaign_id,
                    url: i.publish.result.and_then(|p| p.url),
                })
            })
            .collect();
        out.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
        Ok(out)
    }
}

/// The calendar as an iCalendar document.
pub fn ics(name: &str, entries: &[CalendarItem], now: DateTime<Utc>) -> String {
    let entries: Vec<CalendarEntry> = entries
        .iter()
        .map(|e| CalendarEntry {
            uid: e.id.clone(),
            title: e.title.clone(),
            description: None,
            channel: e.channel.as_str().to_string(),
            status: e.status.as_str().to_string(),
            owner: e.owner.clone(),
            start: e.at,
            duration_minutes: 30,
            url: e.url.clone(),
            updated: now,
            timezone: e.timezone.clone(),
        })
        .collect();
    plasma_planner::to_ics(name, &entries, now)
}

/// The planner's request for a campaign: its period, zone and goals, with the caller's
/// cadence and topics.
pub fn plan_request(
    campaign: &Campaign,
    cadence: Vec<plasma_planner::Cadence>,
    topics: Vec<String>,
    owners: Vec<String>,
    blackout_dates: Vec<NaiveDate>,
) -> PlanRequest {
    PlanRequest {
        start: campaign.input.start,
        end: campaign.input.end,
        timezone: campaign.input.timezone.clone(),
        goals: campaign.input.goals.clone(),
        topics,
        cadence,
        owners,
        blackout_dates,
    }
}
