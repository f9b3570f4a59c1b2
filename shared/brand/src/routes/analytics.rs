//! Monitor analytics with share of voice against competitor monitors.

use super::monitors::monitor;
use crate::mentions::{Analytics, AnalyticsRequest, Bucket, ShareOfVoice};
use crate::scan::Brand;
use axum::extract::{Path, RawQuery, State};
use axum::{Extension, Json};
use chrono::Duration;
use chrono_tz::Tz;
use plasma_gateway::Principal;
use plasma_http::Problem;
use plasma_http::params::{Params, invalid};
use serde::Serialize;
use utoipa::ToSchema;

pub const ANALYTICS: &str = "/brand/monitors/{id}/analytics";

/// Length of the top sources, authors and terms lists.
const TOP: usize = 10;
/// Range when `from` is not given.
const DEFAULT_DAYS: i64 = 7;

#[derive(Debug, Serialize, ToSchema)]
pub struct AnalyticsResponse {
    /// Volume and sentiment series, totals, brand health index, top sources, authors and
    /// terms, reach and engagement.
    #[schema(value_type = Object)]
    pub analytics: Analytics,
    /// This monitor first, then the competitors.
    #[schema(value_type = Object)]
    pub share_of_voice: ShareOfVoice,
}

#[utoipa::path(
    get,
    path = ANALYTICS,
    tag = "brand",
    operation_id = "monitorAnalytics",
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("from" = Option<String>, Query, description = "Inclusive start (RFC 3339); default 7 days before `to`"),
        ("to" = Option<String>, Query, description = "Exclusive end (RFC 3339); default now"),
        ("tz" = Option<String>, Query, description = "IANA time zone for buckets; default UTC"),
        ("bucket" = Option<String>, Query, description = "hour or day (default)"),
        ("competitors" = Option<String>, Query, description = "Comma-separated monitor ids; default the monitor's competitors"),
    ),
    responses(
        (status = 200, description = "Analytics over the range", body = AnalyticsResponse),
        (status = 400, description = "A bad parameter (`field` names it)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn analytics(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<AnalyticsResponse>, Problem> {
    let monitor = monitor(&brand, &who.tenant, &id).await?;
    let p = Params::parse(raw, &["from", "to", "tz", "bucket", "competitors"])?;
    let to = p.time("to")?.unwrap_or_else(|| brand.clock.now());
    let from = p.time("from")?.unwrap_or(to - Duration::days(DEFAULT_DAYS));
    if from >= to {
        return Err(invalid("to", "the range must end after it starts"));
    }
    let time_zone = p
        .get("tz", "an IANA time zone", |v| v.parse::<Tz>().ok())?
        .map_or_else(|| "UTC".to_string(), |tz| tz.name().to_string());
    let bucket = p
        .get("bucket", "hour or day", |v| match v {
            "hour" => Some(Bucket::Hour),
            "day" => Some(Bucket::Day),
            _ => None,
        })?
        .unwrap_or(Bucket::Day);
    let competitors = match p.text("competitors") {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        None => monitor.competitors.clone(),
    };
    let mut voices = vec![monitor.id.clone()];
    for c in competitors {
        if brand.monitors().get(&who.tenant, &c).await?.is_none() {
            return Err(invalid("competitors", format!("no monitor {c}")));
        }
        if voices.contains(&c) {
            return Err(invalid("competitors", format!("{c} is listed twice")));
        }
        voices.push(c);
    }
    let store = brand.mentions();
    let request = AnalyticsRequest {
        monitor_id: monitor.id,
        from,
        to,
        time_zone,
        bucket,
        top: TOP,
    };
    let analytics = store.analytics(&who.tenant, &request).await?;
    let share_of_voice = store.share_of_voice(&who.tenant, &voices, from, to).await?;
    Ok(Json(AnalyticsResponse {
        analytics,
        share_of_voice,
    }))
}
