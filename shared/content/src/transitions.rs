//! Moving an item through the workflow, and editing its text. Submission runs the
//! compliance check and refuses a text with errors; approvers cannot approve their own
//! submission; scheduling goes through [`crate::publish`].

use crate::Content;
use crate::items::{ComplianceSummary, ContentItem, Saved, Version};
use crate::publish::ScheduleError;
use crate::workflow::{Status, allowed, rule};
use chrono::{DateTime, Utc};
use plasma_compliance::Report;
use plasma_core::PortError;
use plasma_gateway::{Permission, Principal};

#[derive(Debug, thiserror::Error)]
pub enum TransitionError {
    #[error("an item cannot go from {from:?} to {to:?}")]
    Illegal {
        from: Status,
        to: Status,
        allowed: Vec<Status>,
    },
    #[error("this needs the {0:?} permission")]
    Forbidden(Permission),
    #[error("approvers cannot approve their own submission")]
    OwnSubmission,
    #[error("the compliance check found errors")]
    NotCompliant(Box<Report>),
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("the item was changed meanwhile; read it again and retry")]
    Stale,
    #[error(transparent)]
    Schedule(ScheduleError),
    #[error(transparent)]
    Port(#[from] PortError),
}

impl From<ScheduleError> for TransitionError {
    fn from(e: ScheduleError) -> Self {
        match e {
            ScheduleError::Port(p) => TransitionError::Port(p),
            ScheduleError::Stale => TransitionError::Stale,
            other => TransitionError::Schedule(other),
        }
    }
}

/// What a person asks for.
pub struct Move {
    pub to: Status,
    pub comment: Option<String>,
    /// For `scheduled`: when.
    pub at: Option<DateTime<Utc>>,
    pub timezone: Option<String>,
    pub destination: Option<String>,
}

/// An edit of the text; unset fields stay.
pub struct Edit {
    pub title: Option<String>,
    pub body: Option<String>,
    pub thread: Option<Vec<String>>,
    pub note: Option<String>,
    /// The revision the editor read; a newer one means someone else edited meanwhile.
    pub rev: Option<u64>,
}

impl Content {
    pub async fn transition(
        &self,
        tenant: &str,
        who: &Principal,
        mut item: ContentItem,
        request: Move,
    ) -> Result<ContentItem, TransitionError> {
        let from = item.status;
        let to = request.to;
        let Some(permission) = rule(from, to) else {
            return Err(TransitionError::Illegal {
                from,
                to,
                allowed: allowed(from),
            });
        };
        if !who.allows(permission) {
            return Err(TransitionError::Forbidden(permission));
        }
        match (from, to) {
            (Status::Approved | Status::Failed, Status::Scheduled) => {
                let at = request.at.ok_or(TransitionError::Invalid {
                    field: "at",
                    message: "scheduling needs a time".into(),
                })?;
                return Ok(self
                    .schedule(
                        tenant,
                        &who.subject,
                        item,
                        at,
                        request.timezone,
                        request.destination,
                    )
                    .await?);
            }
            (Status::Scheduled, Status::Approved) => {
                return Ok(self.unschedule(tenant, &who.subject, item).await?);
            }
            (Status::Draft, Status::InReview) => {
                if item.body.trim().is_empty() && item.thread.is_empty() {
                    return Err(TransitionError::Invalid {
                        field: "body",
                        message: "an empty item cannot be submitted".into(),
                    });
                }
                let report = self.check_item(tenant, &item).await?;
                item.compliance = Some(ComplianceSummary::of(&report, item.version));
                if !report.passed {
                    return Err(TransitionError::NotCompliant(Box::new(report)));
                }
                item.submitted_by = Some(who.subject.clone());
            }
            (Status::InReview, Status::Approved)
                if item.submitted_by.as_deref() == Some(who.subject.as_str()) =>
            {
                return Err(TransitionError::OwnSubmission);
            }
            (Status::InReview, Status::Draft)
                if request
                    .comment
                    .as_deref()
                    .is_none_or(|c| c.trim().is_empty()) =>
            {
                return Err(TransitionError::Invalid {
                    field: "comment",
                    message: "say what should change when requesting changes".into(),
                });
            }
            _ => {}
        }
        item.status = to;
        let activity = self.new_activity(&who.subject, Some((from, to)), request.comment);
        match self.save_item(tenant, item, None, Some(activity)).await? {
            Saved::Done(item) => Ok(*item),
            Saved::Stale => Err(TransitionError::Stale),
        }
    }

    /// A new version of the text. An item in review or approved goes back to draft: what
    /// was reviewed is no longer what would be published.
    pub async fn edit(
        &self,
        tenant: &str,
        who: &Principal,
        mut item: ContentItem,
        edit: Edit,
    ) -> Result<ContentItem, TransitionError> {
        if !item.status.editable() {
            return Err(TransitionError::Illegal {
                from: item.status,
                to: Status::Draft,
                allowed: allowed(item.status),
            });
        }
        if edit.rev.is_some_and(|rev| rev != item.rev) {
            return Err(TransitionError::Stale);
        }
        if let Some(title) = edit.title {
            item.title = title;
        }
        if let Some(body) = edit.body {
            item.body = body;
        }
        if let Some(thread) = edit.thread {
            item.thread = thread;
        }
        item.version += 1;
        item.compliance = None;
        let from = item.status;
        if from != Status::Draft {
            item.status = Status::Draft;
        }
        let version = Version {
            version: item.version,
            title: item.title.clone(),
            body: item.body.clone(),
            thread: item.thread.clone(),
            author: who.subject.clone(),
            at: self.clock.now(),
            note: edit.note.clone(),
        };
        let change = (from != Status::Draft).then_some((from, Status::Draft));
        let activity = self.new_activity(
            &who.subject,
            change,
            Some(
                edit.note
                    .unwrap_or_else(|| format!("edited (version {})", item.version)),
            ),
        );
        match self
            .save_item(tenant, item, Some(version), Some(activity))
            .await?
        {
            Saved::Done(item) => Ok(*item),
            Saved::Stale => Err(TransitionError::Stale),
        }
    }
}
