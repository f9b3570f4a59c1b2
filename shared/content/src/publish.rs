//! Scheduling and publishing. A schedule is a one-time schedule (EventBridge Scheduler
//! deployed, the runner's scheduler locally) that drops a [`PublishJob`] on the publish
//! queue when due; a late firing (the runner was down) still publishes, once.
//!
//! Never twice: every attempt sends the same idempotency key for the item and destination;
//! an attempt whose outcome is unknown (a timeout after the request left) marks the item
//! `ambiguous`, and the next attempt first looks on the platform for the post. Never a false
//! success: an item is `published` only with the id the platform returned.

use crate::Content;
use crate::items::{ContentItem, Saved};
use crate::workflow::Status;
use chrono::{DateTime, Utc};
use plasma_compliance::Channel;
use plasma_core::{Event, EventEnvelope, OneTimeSchedule, OutMessage, PortError, PortResult};
use plasma_publishing::{ContentFormat, Post, PublishError, Published};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::time::Duration;

pub const PUBLISH_DUE: &str = "ContentPublishDue";
pub const PUBLISHED: &str = "ContentPublished";
pub const PUBLISH_FAILED: &str = "ContentPublishFailed";
/// The longest delay SQS gives one message; longer waits are split into several.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(900);

/// What a fired schedule (or a retry) delivers to the publish function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishJob {
    pub tenant: String,
    pub item_id: String,
    /// The item's `schedule_seq` when scheduled: a cancelled or replaced schedule is stale.
    pub seq: u32,
}

/// The connector that posts an item when the request names none.
pub fn default_destination(channel: Channel) -> &'static str {
    match channel {
        Channel::X => "x",
        Channel::Linkedin => "linkedin",
        Channel::Mastodon => "mastodon",
        Channel::Medium => "medium",
        Channel::Blog | Channel::Wordpress => "wordpress",
        Channel::Newsletter | Channel::PressRelease | Channel::Webhook => "webhook",
    }
}

/// A one-time schedule's name: stable per item, so rescheduling replaces it.
pub fn schedule_name(tenant: &str, item_id: &str) -> String {
    let digest = Sha256::digest(format!("{tenant}/{item_id}").as_bytes());
    format!("content-{}", &hex::encode(digest)[..40])
}

#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("the item is {0:?}; it can be scheduled when approved (or failed)")]
    NotSchedulable(Status),
    #[error("the item is being published right now")]
    Publishing,
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("the item was changed meanwhile; read it again and retry")]
    Stale,
    #[error(transparent)]
    Port(#[from] PortError),
}

impl Content {
    /// Schedules (or reschedules) an approved item for `at` on `destination`.
    pub async fn schedule(
        &self,
        tenant: &str,
        author: &str,
        mut item: ContentItem,
        at: DateTime<Utc>,
        timezone: Option<String>,
        destination: Option<String>,
    ) -> Result<ContentItem, ScheduleError> {
        if !matches!(
            item.status,
            Status::Approved | Status::Failed | Status::Scheduled
        ) {
            return Err(ScheduleError::NotSchedulable(item.status));
        }
        if self.leased(&item) {
            return Err(ScheduleError::Publishing);
        }
        let now = self.clock.now();
        if at < now - chrono::Duration::minutes(1) {
            return Err(ScheduleError::Invalid {
                field: "at",
                message: "must not be in the past".into(),
            });
        }
        let destination = match destination {
            Some(d) if self.connectors.get(&d).is_some() => d,
            Some(d) => {
                return Err(ScheduleError::Invalid {
                    field: "destination",
                    message: format!(
                        "unknown destination {d:?}; one of {}",
                        plasma_publishing::Connectors::CHANNELS.join(", ")
                    ),
                });
            }
            None => item
                .destination
                .clone()
                .unwrap_or_else(|| default_destination(item.channel).to_string()),
        };
        let from = item.status;
        item.schedule_seq += 1;
        let job = PublishJob {
            tenant: tenant.to_string(),
            item_id: item.id.clone(),
            seq: item.schedule_seq,
        };
        // The schedule first: if the item write then loses a race, the schedule carries a
        // sequence number the item never gets, and firing does nothing.
        self.scheduler
            .schedule_once(OneTimeSchedule {
                name: schedule_name(tenant, &item.id),
                at: at.max(now),
                queue: self.publish_queue.clone(),
                body: self.job_body(&job)?,
            })
            .await?;
        if item.destination.as_deref() != Some(destination.as_str()) {
            // A new destination is a new post: its own key and no earlier result.
            item.publish = Default::default();
        }
        if item.publish.key.is_empty() {
            item.publish.key = format!("{}-{destination}", item.id);
        }
        item.destination = Some(destination);
        item.status = Status::Scheduled;
        item.scheduled_at = Some(at);
        item.timezone = timezone.or(item.timezone);
        item.reason = None;
        let activity = self.new_activity(
            author,
            Some((from, Status::Scheduled)),
            Some(format!("scheduled for {}", at.to_rfc3339())),
        );
        match self.save_item(tenant, item, None, Some(activity)).await? {
            Saved::Done(item) => Ok(*item),
            Saved::Stale => Err(ScheduleError::Stale),
        }
    }

    /// Cancels a schedule; the item is `approved` again.
    pub async fn unschedule(
        &self,
        tenant: &str,
        author: &str,
        mut item: ContentItem,
    ) -> Result<ContentItem, ScheduleError> {
        if item.status != Status::Scheduled {
            return Err(ScheduleError::NotSchedulable(item.status));
        }
        if self.leased(&item) {
            return Err(ScheduleError::Publishing);
        }
        self.scheduler
            .cancel(&schedule_name(tenant, &item.id))
            .await?;
        item.schedule_seq += 1;
        item.status = Status::Approved;
        item.scheduled_at = None;
        let activity = self.new_activity(
            author,
            Some((Status::Scheduled, Status::Approved)),
            Some("schedule cancelled".into()),
        );
        match self.save_item(tenant, item, None, Some(activity)).await? {
            Saved::Done(item) => Ok(*item),
            Saved::Stale => Err(ScheduleError::Stale),
        }
    }

    fn leased(&self, item: &ContentItem) -> bool {
        item.publish
            .lease_until
            .is_some_and(|until| until > self.clock.now())
    }

    fn job_body(&self, job: &PublishJob) -> PortResult<String> {
        let event = Event::new(
            crate::SOURCE,
            PUBLISH_DUE,
            serde_json::to_value(job).map_err(PortError::backend)?,
        );
        serde_json::to_string(&EventEnvelope::local(
            self.ids.new_id(),
            self.clock.now(),
            &event,
        ))
        .map_err(PortError::backend)
    }

    /// Handles one publish job. `Err` means "deliver the message again later" (the store
    /// failed, or another attempt holds the item); every outcome of the platform call is
    /// recorded on the item and answered `Ok`.
    pub async fn run_publish(&self, job: &PublishJob) -> PortResult<()> {
        let Some(item) = self.item(&job.tenant, &job.item_id).await? else {
            return Ok(());
        };
        if item.status != Status::Scheduled || item.schedule_seq != job.seq {
            // Cancelled, rescheduled, or already published by an earlier delivery.
            return Ok(());
        }
        if self.leased(&item) {
            return Err(PortError::Conflict(
                "another publish attempt holds this item".into(),
            ));
        }
        let mut claimed = item;
        claimed.publish.attempts += 1;
        claimed.publish.lease_until = Some(
            self.clock.now()
                + chrono::Duration::from_std(self.settings.publish_lease)
                    .unwrap_or_else(|_| chrono::Duration::minutes(5)),
        );
        let item = match self.save_item(&job.tenant, claimed, None, None).await? {
            Saved::Done(item) => *item,
            Saved::Stale => {
                return Err(PortError::Conflict(
                    "the item changed while claiming it".into(),
                ));
            }
        };
        let outcome = self.attempt(&job.tenant, &item).await;
        self.record(job, outcome).await
    }

    async fn attempt(&self, tenant: &str, item: &ContentItem) -> Result<Published, PublishError> {
        let destination = item
            .destination
            .clone()
            .unwrap_or_else(|| default_destination(item.channel).to_string());
        let publisher =
            self.connectors
                .get(&destination)
                .ok_or_else(|| PublishError::Permanent {
                    code: "not_configured".into(),
                    reason: format!("no connector for {destination}"),
                })?;
        let creds = match self.credentials(tenant, &destination).await {
            Ok(Some(c)) => c,
            Ok(None) => {
                return Err(PublishError::Permanent {
                    code: "not_configured".into(),
                    reason: format!(
                        "no credentials for {destination}; add them with PUT /content/destinations/{destination}"
                    ),
                });
            }
            Err(e) => {
                return Err(PublishError::Retryable {
                    reason: format!("reading the credentials: {e}"),
                    retry_after: None,
                });
            }
        };
        let post = post_of(item);
        if item.publish.ambiguous
            && let Some(found) = publisher
                .find_existing(&post, &creds, &item.publish.key)
                .await?
        {
            return Ok(found);
        }
        publisher.publish(&post, &creds, &item.publish.key).await
    }

    /// Records an attempt's outcome, re-reading the item if anything else wrote meanwhile:
    /// a post that went out must never be forgotten.
    async fn record(
        &self,
        job: &PublishJob,
        outcome: Result<Published, PublishError>,
    ) -> PortResult<()> {
        for _ in 0..5 {
            let Some(mut item) = self.item(&job.tenant, &job.item_id).await? else {
                return Ok(());
            };
            item.publish.lease_until = None;
            let mut retry = None;
            let mut change = None;
            match &outcome {
                Ok(published) => {
                    item.publish.result = Some(published.clone());
                    item.publish.ambiguous = false;
                    item.publish.last_error = None;
                    item.published_at = Some(published.at);
                    change = Some((item.status, Status::Published));
                    item.status = Status::Published;
                }
                Err(PublishError::Permanent { code, reason }) => {
                    item.publish.last_error = Some(format!("{code}: {reason}"));
                    item.reason = Some(failure_reason(code, reason));
                    change = Some((item.status, Status::Failed));
                    item.status = Status::Failed;
                }
                Err(e @ (PublishError::Retryable { .. } | PublishError::Ambiguous { .. })) => {
                    if matches!(e, PublishError::Ambiguous { .. }) {
                        item.publish.ambiguous = true;
                    }
                    item.publish.last_error = Some(e.to_string());
                    if item.publish.attempts >= self.settings.max_publish_attempts {
                        item.reason = Some(format!(
                            "gave up after {} attempts: {e}",
                            item.publish.attempts
                        ));
                        change = Some((item.status, Status::Failed));
                        item.status = Status::Failed;
                    } else {
                        retry = Some(self.retry_delay(item.publish.attempts, e));
                    }
                }
            }
            let note = match &outcome {
                Ok(p) => Some(format!(
                    "published as {}{}",
                    p.id,
                    p.url
                        .as_ref()
                        .map(|u| format!(" ({u})"))
                        .unwrap_or_default()
                )),
                Err(e) => Some(e.to_string()),
            };
            let activity = self.new_activity("publisher", change, note);
            let status = item.status;
            let detail = json!({
                "tenant": job.tenant,
                "item_id": item.id,
                "destination": item.destination,
                "status": status,
                "post": item.publish.result,
                "reason": item.reason,
            });
            match self
                .save_item(&job.tenant, item, None, Some(activity))
                .await?
            {
                Saved::Stale => continue,
                Saved::Done(_) => {}
            }
            if let Some(delay) = retry {
                let body = self.job_body(job)?;
                self.queue
                    .send(&self.publish_queue, OutMessage::new(body).delayed(delay))
                    .await?;
            }
            let detail_type = match status {
                Status::Published => Some(PUBLISHED),
                Status::Failed => Some(PUBLISH_FAILED),
                _ => None,
            };
            if let Some(detail_type) = detail_type
                && let Err(e) = self
                    .bus
                    .publish(vec![Event::new(crate::SOURCE, detail_type, detail)])
                    .await
            {
                tracing::warn!(error = %e, "could not announce a publish outcome");
            }
            return Ok(());
        }
        Err(PortError::Conflict(
            "the item kept changing while recording a publish outcome".into(),
        ))
    }

    fn retry_delay(&self, attempts: u32, error: &PublishError) -> Duration {
        let backoff = self
            .settings
            .retry_base
            .saturating_mul(2u32.saturating_pow(attempts.saturating_sub(1)));
        let asked = match error {
            PublishError::Retryable {
                retry_after: Some(d),
                ..
            } => *d,
            _ => Duration::ZERO,
        };
        backoff.max(asked).min(MAX_RETRY_DELAY)
    }
}

fn failure_reason(code: &str, reason: &str) -> String {
    match code {
        "auth_expired" => {
            format!("the access token has expired; reconnect the account and reschedule ({reason})")
        }
        "auth_invalid" => format!("the platform refused the credentials ({reason})"),
        "unverifiable" => format!(
            "the outcome of an earlier attempt is unknown and the platform cannot be asked; check it before rescheduling ({reason})"
        ),
        _ => format!("{code}: {reason}"),
    }
}

fn post_of(item: &ContentItem) -> Post {
    Post {
        title: Some(item.title.clone()),
        text: item.body.clone(),
        thread: item.thread.clone(),
        link: None,
        tags: Vec::new(),
        content_format: match item.channel {
            Channel::Blog | Channel::Medium | Channel::Wordpress | Channel::Newsletter => {
                ContentFormat::Markdown
            }
            _ => ContentFormat::Plain,
        },
    }
}
