//! The content capability's HTTP routes: checks, voice profiles, drafts, items and their
//! workflow, schedules, campaigns and the calendar, publishing destinations, analytics.

mod analytics;
mod campaigns;
mod check;
mod destinations;
mod drafts;
mod items;
mod profiles;
mod schedule;

use crate::Content;
use axum::http::Method;
use plasma_gateway::{Api, Permission};
use plasma_http::Problem;
use utoipa::OpenApi;

pub use analytics::ANALYTICS;
pub use campaigns::{CALENDAR, CALENDAR_ICS, CAMPAIGN, CAMPAIGNS, PLAN};
pub use check::{CHECK, CheckRequest};
pub use destinations::{DESTINATION, DESTINATIONS};
pub use drafts::{DRAFTS, DraftBody};
pub use items::{ACTIVITY, COMMENTS, DIFF, ITEM, ITEMS, TRANSITIONS, VERSIONS};
pub use profiles::{PROFILE, PROFILE_VERSIONS, PROFILES};
pub use schedule::{SCHEDULE, ScheduleRequest};

pub fn routes(api: Api, content: Content) -> Api {
    use Permission::{ContentPublish, ContentRead, ContentWrite};
    let c = content;
    api.route(Method::POST, CHECK, ContentRead, check::check, c.clone())
        .route(
            Method::POST,
            PROFILES,
            ContentWrite,
            profiles::create,
            c.clone(),
        )
        .route(
            Method::GET,
            PROFILES,
            ContentRead,
            profiles::list,
            c.clone(),
        )
        .route(Method::GET, PROFILE, ContentRead, profiles::get, c.clone())
        .route(
            Method::PUT,
            PROFILE,
            ContentWrite,
            profiles::revise,
            c.clone(),
        )
        .route(
            Method::GET,
            PROFILE_VERSIONS,
            ContentRead,
            profiles::versions,
            c.clone(),
        )
        .route(
            Method::POST,
            DRAFTS,
            ContentWrite,
            drafts::create,
            c.clone(),
        )
        .route(Method::GET, ITEMS, ContentRead, items::list, c.clone())
        .route(Method::GET, ITEM, ContentRead, items::get, c.clone())
        .route(Method::PATCH, ITEM, ContentWrite, items::edit, c.clone())
        // Each transition checks its own permission (submit, approve, schedule).
        .route(
            Method::POST,
            TRANSITIONS,
            ContentRead,
            items::transition,
            c.clone(),
        )
        .route(
            Method::GET,
            VERSIONS,
            ContentRead,
            items::versions,
            c.clone(),
        )
        .route(
            Method::GET,
            DIFF,
            ContentRead,
            items::diff_versions,
            c.clone(),
        )
        .route(
            Method::POST,
            COMMENTS,
            ContentWrite,
            items::comment,
            c.clone(),
        )
        .route(
            Method::GET,
            ACTIVITY,
            ContentRead,
            items::activity,
            c.clone(),
        )
        .route(
            Method::POST,
            SCHEDULE,
            ContentPublish,
            schedule::schedule,
            c.clone(),
        )
        .route(
            Method::DELETE,
            SCHEDULE,
            ContentPublish,
            schedule::cancel,
            c.clone(),
        )
        .route(
            Method::POST,
            CAMPAIGNS,
            ContentWrite,
            campaigns::create,
            c.clone(),
        )
        .route(
            Method::GET,
            CAMPAIGNS,
            ContentRead,
            campaigns::list,
            c.clone(),
        )
        .route(
            Method::GET,
            CAMPAIGN,
            ContentRead,
            campaigns::get,
            c.clone(),
        )
        .route(Method::POST, PLAN, ContentWrite, campaigns::plan, c.clone())
        .route(
            Method::GET,
            CALENDAR,
            ContentRead,
            campaigns::calendar,
            c.clone(),
        )
        .route(
            Method::GET,
            CALENDAR_ICS,
            ContentRead,
            campaigns::calendar_ics,
            c.clone(),
        )
        .route(
            Method::GET,
            DESTINATIONS,
            ContentRead,
            destinations::list,
            c.clone(),
        )
        .route(
            Method::PUT,
            DESTINATION,
            ContentPublish,
            destinations::put,
            c.clone(),
        )
        .route(
            Method::DELETE,
            DESTINATION,
            ContentPublish,
            destinations::delete,
            c.clone(),
        )
        .route(Method::GET, ANALYTICS, ContentRead, analytics::get, c)
}

/// A 400 naming the bad field.
fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Problem {
    Problem::invalid(detail).with("field", field.into())
}

#[derive(OpenApi)]
#[openapi(
    paths(
        check::check,
        profiles::create,
        profiles::list,
        profiles::get,
        profiles::revise,
        profiles::versions,
        drafts::create,
        items::list,
        items::get,
        items::edit,
        items::transition,
        items::versions,
        items::diff_versions,
        items::comment,
        items::activity,
        schedule::schedule,
        schedule::cancel,
        campaigns::create,
        campaigns::list,
        campaigns::get,
        campaigns::plan,
        campaigns::calendar,
        campaigns::calendar_ics,
        destinations::list,
        destinations::put,
        destinations::delete,
        analytics::get,
    ),
    tags((name = "content", description = "Brand voice, drafts, compliance, approvals, scheduling and publishing"))
)]
pub struct ContentDoc;
