//! Content items (one post on one channel), their version history with diffs, comments and
//! the trail of status changes. Every write is conditional on the item's revision, so two
//! people (or a person and the publisher) never overwrite each other's change.

use crate::Content;
use crate::workflow::Status;
use chrono::{DateTime, Utc};
use plasma_compliance::{Channel, Report};
use plasma_composer::Fact;
use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::{
    CONTENT_ITEMS, ITEM_ACTIVITY, ITEM_ACTIVITY_ENTRY, ITEM_VERSIONS, PUBLISHED, PUBLISHED_POST,
};
use plasma_core::{Condition, Item, Key, PortError, PortResult, Query, TxOp};
use plasma_publishing::{Metrics, Published};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Who wrote a draft and from what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Provenance {
    /// `builtin-composer` or `<provider>:<model>`.
    pub provider: String,
    pub prompt_version: String,
    /// The research facts the draft cites, by citation number.
    pub sources: Vec<Fact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_version: Option<u32>,
}

/// The last compliance check, and which version of the text it was run on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ComplianceSummary {
    pub score: u8,
    pub passed: bool,
    pub version: u32,
    pub errors: usize,
    pub warnings: usize,
}

impl ComplianceSummary {
    pub fn of(report: &Report, version: u32) -> Self {
        use plasma_compliance::Severity;
        let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
        Self {
            score: report.score,
            passed: report.passed,
            version,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
        }
    }
}

/// Publishing state: the idempotency key, attempts, and what the platform returned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PublishState {
    /// Sent with every attempt for this item and channel, so a retry is recognised.
    pub key: String,
    pub attempts: u32,
    /// An attempt in flight holds the item until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_until: Option<DateTime<Utc>>,
    /// The last attempt's outcome was unknown (a timeout after sending): look before posting.
    #[serde(default)]
    pub ambiguous: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Published>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContentItem {
    pub id: String,
    pub title: String,
    pub channel: Channel,
    pub body: String,
    /// X thread parts, when the post is a thread.
    #[serde(default)]
    pub thread: Vec<String>,
    pub status: Status,
    /// Bumped by every change of the text.
    pub version: u32,
    /// Bumped by every write; writes are conditional on it.
    pub rev: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    /// Items drafted from one brief share it (channel variants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brief_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_id: Option<String>,
    /// A planned date on the calendar, before anything is scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<DateTime<Utc>>,
    /// The publishing connector (`x`, `linkedin`, `wordpress`, ...), chosen when scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// Bumped by every (re)schedule; a fired schedule for an older one does nothing.
    #[serde(default)]
    pub schedule_seq: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance: Option<ComplianceSummary>,
    /// Who submitted the current version for review (they may not approve it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_by: Option<String>,
    #[serde(default)]
    pub publish: PublishState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    /// Why publishing failed (`failed` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Metrics>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One version of an item's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Version {
    pub version: u32,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub thread: Vec<String>,
    pub author: String,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A comment, or a status change with the comment that came with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Activity {
    pub id: String,
    pub at: DateTime<Utc>,
    pub author: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl ContentItem {
    /// A new draft: version 1, nothing planned, scheduled or published yet.
    pub fn draft(
        id: String,
        title: String,
        channel: Channel,
        author: &str,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            title,
            channel,
            body: String::new(),
            thread: Vec::new(),
            status: Status::Draft,
            version: 1,
            rev: 0,
            owner: Some(author.to_string()),
            campaign_id: None,
            brief_id: None,
            profile_id: None,
            planned_at: None,
            timezone: None,
            scheduled_at: None,
            destination: None,
            schedule_seq: 0,
            provenance: None,
            compliance: None,
            submitted_by: None,
            publish: PublishState::default(),
            published_at: None,
            reason: None,
            metrics: None,
            metrics_at: None,
            created_by: author.to_string(),
            created_at: now,
            updated_at: now,
        }
    }
}

fn item_key(tenant: &str, id: &str) -> PortResult<Key> {
    Ok(Key::new(CONTENT_ITEMS.key([tenant])?, id))
}

fn version_key(tenant: &str, id: &str, version: u32) -> PortResult<Key> {
    Ok(Key::new(
        ITEM_VERSIONS.key([tenant, id])?,
        format!("{version:06}"),
    ))
}

/// Published posts by day across tenants, for the metrics job: one GSI1 partition a day.
pub fn published_partition(day: chrono::NaiveDate) -> PortResult<String> {
    PUBLISHED.key([&day.to_string()])
}

fn published_key(tenant: &str, id: &str, at: DateTime<Utc>) -> PortResult<Key> {
    Ok(Key::new(
        published_partition(at.date_naive())?,
        PUBLISHED_POST.key([&at.to_rfc3339(), tenant, id])?,
    ))
}

fn activity_partition(tenant: &str, id: &str) -> PortResult<String> {
    ITEM_ACTIVITY.key([tenant, id])
}

/// The outcome of a conditional write.
pub enum Saved {
    Done(Box<ContentItem>),
    /// Someone changed the item meanwhile.
    Stale,
}

impl Content {
    pub async fn item(&self, tenant: &str, id: &str) -> PortResult<Option<ContentItem>> {
        self.items
            .get(&item_key(tenant, id)?)
            .await?
            .map(|i| i.parse())
            .transpose()
    }

    pub async fn all_items(&self, tenant: &str) -> PortResult<Vec<ContentItem>> {
        query_all(
            self.items.as_ref(),
            Query::partition(CONTENT_ITEMS.key([tenant])?),
        )
        .await?
        .iter()
        .map(Item::parse)
        .collect()
    }

    /// Stores a new item with its first version (and an activity entry).
    pub async fn insert_item(&self, tenant: &str, item: &ContentItem) -> PortResult<()> {
        let version = Version {
            version: item.version,
            title: item.title.clone(),
            body: item.body.clone(),
            thread: item.thread.clone(),
            author: item.created_by.clone(),
            at: item.created_at,
            note: Some("created".into()),
        };
        self.items
            .transact_write(vec![
                TxOp::Put(
                    Item::new(item_key(tenant, &item.id)?, attrs_of(item)?),
                    Condition::NotExists,
                ),
                TxOp::Put(
                    Item::new(
                        version_key(tenant, &item.id, item.version)?,
                        attrs_of(&version)?,
                    ),
                    Condition::NotExists,
                ),
            ])
            .await
    }

    /// Writes `item` (with `rev` bumped) if the stored revision is still `item.rev`; a new
    /// text version and an activity entry are written in the same transaction.
    pub async fn save_item(
        &self,
        tenant: &str,
        mut item: ContentItem,
        version: Option<Version>,
        activity: Option<Activity>,
    ) -> PortResult<Saved> {
        let expected = item.rev;
        item.rev += 1;
        item.updated_at = self.clock.now();
        let mut stored = Item::new(item_key(tenant, &item.id)?, attrs_of(&item)?);
        if let Some(at) = item.published_at {
            stored = stored.with_gsi1(published_key(tenant, &item.id, at)?);
        }
        let mut ops = vec![TxOp::Put(
            stored,
            Condition::Equals("rev".into(), expected.into()),
        )];
        if let Some(v) = &version {
            ops.push(TxOp::Put(
                Item::new(version_key(tenant, &item.id, v.version)?, attrs_of(v)?),
                Condition::NotExists,
            ));
        }
        if let Some(a) = &activity {
            ops.push(TxOp::Put(
                Item::new(
                    Key::new(
                        activity_partition(tenant, &item.id)?,
                        ITEM_ACTIVITY_ENTRY
                            .key([&a.at.format("%Y%m%dT%H%M%S%.6fZ").to_string(), &a.id])?,
                    ),
                    attrs_of(a)?,
                ),
                Condition::None,
            ));
        }
        match self.items.transact_write(ops).await {
            Ok(()) => Ok(Saved::Done(Box::new(item))),
            Err(PortError::TransactionCanceled { .. }) => Ok(Saved::Stale),
            Err(e) => Err(e),
        }
    }

    pub async fn versions(&self, tenant: &str, id: &str) -> PortResult<Vec<Version>> {
        let Ok(partition) = ITEM_VERSIONS.key([tenant, id]) else {
            return Ok(Vec::new());
        };
        query_all(self.items.as_ref(), Query::partition(partition))
            .await?
            .iter()
            .map(Item::parse)
            .collect()
    }

    pub async fn version(&self, tenant: &str, id: &str, n: u32) -> PortResult<Option<Version>> {
        // An id that cannot be a key segment names no item.
        let Ok(key) = version_key(tenant, id, n) else {
            return Ok(None);
        };
        self.items.get(&key).await?.map(|i| i.parse()).transpose()
    }

    pub async fn activity(&self, tenant: &str, id: &str) -> PortResult<Vec<Activity>> {
        let Ok(partition) = activity_partition(tenant, id) else {
            return Ok(Vec::new());
        };
        query_all(self.items.as_ref(), Query::partition(partition))
            .await?
            .iter()
            .map(Item::parse)
            .collect()
    }

    pub fn new_activity(
        &self,
        author: &str,
        change: Option<(Status, Status)>,
        comment: Option<String>,
    ) -> Activity {
        Activity {
            id: self.ids.new_id(),
            at: self.clock.now(),
            author: author.to_string(),
            from: change.map(|c| c.0),
            to: change.map(|c| c.1),
            comment,
        }
    }
}
