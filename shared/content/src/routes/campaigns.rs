//! Campaigns, the planner, and the calendar (JSON and ICS).

use super::invalid;
use crate::Content;
use crate::campaigns::{CalendarItem, Campaign, CampaignInput, ics, plan_request};
use crate::items::ContentItem;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use plasma_gateway::Principal;
use plasma_http::params::Params;
use plasma_http::{ApiJson, Problem};
use plasma_planner::Cadence;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const CAMPAIGNS: &str = "/content/campaigns";
pub const CAMPAIGN: &str = "/content/campaigns/{id}";
pub const PLAN: &str = "/content/campaigns/{id}/plan";
pub const CALENDAR: &str = "/content/calendar";
pub const CALENDAR_ICS: &str = "/content/calendar.ics";

#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignList {
    pub items: Vec<Campaign>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    /// Posts per week per channel, on which days and at which local times.
    pub cadence: Vec<Cadence>,
    /// Rotated across the planned posts; by default the campaign's goals.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Assigned round-robin.
    #[serde(default)]
    pub owners: Vec<String>,
    #[serde(default)]
    pub blackout_dates: Vec<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanResult {
    /// One draft item per planned post, on the calendar at its planned time.
    pub items: Vec<ContentItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Calendar {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub items: Vec<CalendarItem>,
}

fn validate(input: &CampaignInput) -> Result<(), Problem> {
    if input.name.trim().is_empty() || input.name.len() > 200 {
        return Err(invalid("name", "must be 1 to 200 characters"));
    }
    if input.timezone.parse::<Tz>().is_err() {
        return Err(invalid(
            "timezone",
            format!("unknown time zone {:?}", input.timezone),
        ));
    }
    if input.end < input.start {
        return Err(invalid("end", "must not be before start"));
    }
    if input.end - input.start > Duration::days(366) {
        return Err(invalid("end", "a campaign spans at most 366 days"));
    }
    if input.goals.len() > 20 || input.goals.iter().any(|g| g.trim().is_empty()) {
        return Err(invalid("goals", "at most 20 non-empty goals"));
    }
    Ok(())
}

#[utoipa::path(
    post,
    path = CAMPAIGNS,
    tag = "content",
    operation_id = "createCampaign",
    request_body = CampaignInput,
    responses(
        (status = 201, description = "The campaign", body = Campaign),
        (status = 400, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    ApiJson(input): ApiJson<CampaignInput>,
) -> Result<(StatusCode, Json<Campaign>), Problem> {
    validate(&input)?;
    let campaign = content
        .create_campaign(&who.tenant, &who.subject, input)
        .await?;
    Ok((StatusCode::CREATED, Json(campaign)))
}

#[utoipa::path(
    get,
    path = CAMPAIGNS,
    tag = "content",
    operation_id = "listCampaigns",
    responses((status = 200, description = "The tenant's campaigns", body = CampaignList))
)]
pub(super) async fn list(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
) -> Result<Json<CampaignList>, Problem> {
    Ok(Json(CampaignList {
        items: content.campaigns(&who.tenant).await?,
    }))
}

async fn find(content: &Content, tenant: &str, id: &str) -> Result<Campaign, Problem> {
    content
        .campaign(tenant, id)
        .await?
        .ok_or_else(|| Problem::not_found("the campaign"))
}

#[utoipa::path(
    get,
    path = CAMPAIGN,
    tag = "content",
    operation_id = "getCampaign",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The campaign", body = Campaign),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn get(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<Campaign>, Problem> {
    Ok(Json(find(&content, &who.tenant, &id).await?))
}

#[utoipa::path(
    post,
    path = PLAN,
    tag = "content",
    operation_id = "planCampaign",
    params(("id" = String, Path)),
    request_body = PlanBody,
    responses(
        (status = 201, description = "The planned posts, added to the calendar as drafts", body = PlanResult),
        (status = 400, description = "An invalid field (named, e.g. `cadence[1].per_week`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such campaign", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn plan(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PlanBody>,
) -> Result<(StatusCode, Json<PlanResult>), Problem> {
    let campaign = find(&content, &who.tenant, &id).await?;
    let request = plan_request(
        &campaign,
        body.cadence,
        body.topics,
        body.owners,
        body.blackout_dates,
    );
    let slots = plasma_planner::plan(&request).map_err(|e| invalid(e.field(), e.to_string()))?;
    let items = content
        .add_plan(&who.tenant, &who.subject, &campaign, &slots)
        .await?;
    Ok((StatusCode::CREATED, Json(PlanResult { items })))
}

/// The calendar's window: `from` and `to`, by default this week and the next three.
fn window(params: &Params, now: DateTime<Utc>) -> Result<(DateTime<Utc>, DateTime<Utc>), Problem> {
    let from = params.time("from")?.unwrap_or(now - Duration::days(7));
    let to = params.time("to")?.unwrap_or(from + Duration::days(35));
    if to <= from {
        return Err(invalid("to", "must be after from"));
    }
    if to - from > Duration::days(400) {
        return Err(invalid("to", "the window spans at most 400 days"));
    }
    Ok((from, to))
}

#[utoipa::path(
    get,
    path = CALENDAR,
    tag = "content",
    operation_id = "getCalendar",
    params(
        ("from" = Option<String>, Query, description = "RFC 3339; default a week ago"),
        ("to" = Option<String>, Query, description = "RFC 3339; default five weeks after from"),
        ("campaign_id" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "Planned, scheduled and published items in the window, by time", body = Calendar),
        (status = 400, description = "An invalid parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn calendar(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Calendar>, Problem> {
    let params = Params::parse(raw, &["from", "to", "campaign_id"])?;
    let (from, to) = window(&params, content.clock.now())?;
    let campaign = params.text("campaign_id");
    let items = content
        .calendar(&who.tenant, from, to, campaign.as_deref())
        .await?;
    Ok(Json(Calendar { from, to, items }))
}

#[utoipa::path(
    get,
    path = CALENDAR_ICS,
    tag = "content",
    operation_id = "getCalendarIcs",
    params(
        ("from" = Option<String>, Query),
        ("to" = Option<String>, Query),
        ("campaign_id" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "The calendar as iCalendar (RFC 5545)", content_type = "text/calendar"),
        (status = 400, description = "An invalid parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn calendar_ics(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let params = Params::parse(raw, &["from", "to", "campaign_id"])?;
    let now = content.clock.now();
    let (from, to) = window(&params, now)?;
    let campaign = params.text("campaign_id");
    let items = content
        .calendar(&who.tenant, from, to, campaign.as_deref())
        .await?;
    let body = ics(&format!("Plasma content: {}", who.tenant), &items, now);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"content-calendar.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}
