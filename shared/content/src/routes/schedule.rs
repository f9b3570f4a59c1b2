//! `POST /content/items/{id}/schedule` (schedule or reschedule) and `DELETE` (cancel).

use super::invalid;
use super::items::find;
use crate::Content;
use crate::items::ContentItem;
use crate::publish::ScheduleError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use plasma_gateway::use_case::{UseCase, parse, with_path_id};
use plasma_gateway::{Permission, Principal};
use plasma_http::{ApiJson, Problem};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

pub const SCHEDULE: &str = "/content/items/{id}/schedule";

/// Schedule an approved item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRequest {
    /// The content item's id: on REST the path's `{id}`, which a body need not repeat (one
    /// that does must give the same).
    pub item_id: String,
    /// An RFC 3339 time (`2026-03-03T09:00:00+01:00`), or a local time
    /// (`2026-03-03T09:00:00`) read in `timezone`.
    pub at: String,
    /// IANA time zone, e.g. `Europe/Oslo`; required for a local `at`.
    #[serde(default)]
    pub timezone: Option<String>,
    /// The connector that publishes it: `x`, `linkedin`, `mastodon`, `medium`, `wordpress`
    /// or `webhook`; by default the one for the item's channel.
    #[serde(default)]
    pub destination: Option<String>,
}

impl UseCase for ScheduleRequest {
    const NAME: &'static str = "content.schedule";
    const TITLE: &'static str = "Schedule an approved content item";
    const DESCRIPTION: &'static str = "Schedules an approved item for publishing at a time, on its channel's destination or another.";
    const PERMISSION: Permission = Permission::ContentPublish;
    /// `illegal_transition`: the item is not approved; `conflict`: it is being published or
    /// changed meanwhile.
    const ERRORS: &'static [&'static str] = &[
        "invalid_request",
        "invalid_field",
        "not_found",
        "illegal_transition",
        "conflict",
    ];
}

impl ScheduleRequest {
    /// The item, scheduled by `subject`.
    pub async fn run(
        self,
        content: &Content,
        tenant: &str,
        subject: &str,
    ) -> Result<ContentItem, Problem> {
        let at = instant(&self.at, self.timezone.as_deref())?;
        let item = find(content, tenant, &self.item_id).await?;
        content
            .schedule(tenant, subject, item, at, self.timezone, self.destination)
            .await
            .map_err(problem)
    }
}

pub(super) fn problem(e: ScheduleError) -> Problem {
    match e {
        ScheduleError::NotSchedulable(status) => Problem::new(
            StatusCode::CONFLICT,
            "illegal_transition",
            "Illegal transition",
        )
        .detail(format!(
            "an item that is {} cannot be scheduled; approve it first",
            status.as_str()
        ))
        .with("from", status.as_str())
        .with(
            "allowed",
            crate::workflow::allowed(status)
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
        ),
        ScheduleError::Publishing => {
            Problem::conflict("the item is being published right now; try again shortly")
        }
        ScheduleError::Invalid { field, message } => invalid(field, message),
        ScheduleError::Stale => {
            Problem::conflict("the item was changed meanwhile; read it again and retry")
        }
        ScheduleError::Port(e) => e.into(),
    }
}

/// `at` as an instant: an RFC 3339 time as given, a local time in `timezone` (a time that
/// does not exist there, in a DST gap, is refused; an ambiguous one takes the earlier).
pub(super) fn instant(at: &str, timezone: Option<&str>) -> Result<DateTime<Utc>, Problem> {
    let tz = timezone
        .map(|name| {
            name.parse::<Tz>()
                .map_err(|_| invalid("timezone", format!("unknown time zone {name:?}")))
        })
        .transpose()?;
    if let Ok(t) = DateTime::parse_from_rfc3339(at) {
        return Ok(t.with_timezone(&Utc));
    }
    let local = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M"))
        .map_err(|_| {
            invalid(
                "at",
                "expected an RFC 3339 time or a local yyyy-mm-ddThh:mm[:ss]",
            )
        })?;
    let tz = tz.ok_or_else(|| invalid("timezone", "a local time needs a time zone"))?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            invalid(
                "at",
                format!("{at} does not exist in {tz} (a daylight-saving gap)"),
            )
        })
}

#[utoipa::path(
    post,
    path = SCHEDULE,
    tag = "content",
    operation_id = "scheduleItem",
    params(("id" = String, Path)),
    request_body = ScheduleRequest,
    responses(
        (status = 200, description = "The item, scheduled; a new time replaces an earlier schedule", body = ContentItem),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not approved (`illegal_transition`), or being published now", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn schedule(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<ContentItem>, Problem> {
    let request: ScheduleRequest = parse(with_path_id(body, "item_id", id)?)?;
    request
        .run(&content, &who.tenant, &who.subject)
        .await
        .map(Json)
}

#[utoipa::path(
    delete,
    path = SCHEDULE,
    tag = "content",
    operation_id = "unscheduleItem",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The item, approved again", body = ContentItem),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not scheduled, or being published now", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn cancel(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<ContentItem>, Problem> {
    let item = find(&content, &who.tenant, &id).await?;
    content
        .unschedule(&who.tenant, &who.subject, item)
        .await
        .map(Json)
        .map_err(problem)
}
