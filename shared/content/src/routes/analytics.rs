//! `GET /content/analytics`: post metrics per item, destination and campaign, with the
//! best hours and destinations.

use super::invalid;
use crate::Content;
use crate::metrics::Analytics;
use axum::extract::{RawQuery, State};
use axum::{Extension, Json};
use chrono::Duration;
use chrono_tz::Tz;
use plasma_gateway::Principal;
use plasma_http::Problem;
use plasma_http::params::Params;

pub const ANALYTICS: &str = "/content/analytics";

#[utoipa::path(
    get,
    path = ANALYTICS,
    tag = "content",
    operation_id = "getContentAnalytics",
    params(
        ("from" = Option<String>, Query, description = "RFC 3339; default 30 days ago"),
        ("to" = Option<String>, Query, description = "RFC 3339; default now"),
        ("tz" = Option<String>, Query, description = "IANA zone for the best hours; default UTC"),
        ("campaign_id" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "Totals, per destination and campaign, per item, best hours and destinations", body = Analytics),
        (status = 400, description = "An invalid parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn get(
    State(content): State<Content>,
    Extension(who): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Analytics>, Problem> {
    let params = Params::parse(raw, &["from", "to", "tz", "campaign_id"])?;
    let now = content.clock.now();
    let to = params.time("to")?.unwrap_or(now + Duration::seconds(1));
    let from = params.time("from")?.unwrap_or(to - Duration::days(30));
    if to <= from {
        return Err(invalid("to", "must be after from"));
    }
    let tz = params
        .get("tz", "an IANA time zone", |v| v.parse::<Tz>().ok())?
        .unwrap_or(Tz::UTC);
    let campaign = params.text("campaign_id");
    Ok(Json(
        content
            .analytics(&who.tenant, from, to, tz, campaign.as_deref())
            .await?,
    ))
}
