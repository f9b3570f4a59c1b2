//! Report routes: generate and archive a monitor's reputation report, list and read the
//! archive, and download either rendering.

use super::monitors::monitor;
use crate::reports::{HTML_CSP, HTML_TYPE, MARKDOWN_TYPE, StoredReport, weekly};
use crate::scan::Brand;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use plasma_gateway::Principal;
use plasma_http::params::invalid;
use plasma_http::{Problem, json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const REPORTS: &str = "/brand/monitors/{id}/reports";
pub const REPORT: &str = "/brand/monitors/{id}/reports/{report}";
pub const REPORT_HTML: &str = "/brand/monitors/{id}/reports/{report}/report.html";
pub const REPORT_MARKDOWN: &str = "/brand/monitors/{id}/reports/{report}/report.md";

/// Every field is optional: an empty body reports on the last full week in UTC.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportPeriod {
    /// Inclusive, RFC 3339; give `from` and `to` together.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive, RFC 3339.
    pub to: Option<DateTime<Utc>>,
    /// IANA name (default UTC); the charts' days and the default week are local to it.
    pub time_zone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub report: StoredReport,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportList {
    /// Newest first.
    pub items: Vec<ReportView>,
}

fn period(body: &[u8], now: DateTime<Utc>) -> Result<(DateTime<Utc>, DateTime<Utc>, Tz), Problem> {
    let period: ReportPeriod = if body.is_empty() {
        ReportPeriod::default()
    } else {
        json::parse(body)?
    };
    let tz = match &period.time_zone {
        Some(name) => name
            .parse::<Tz>()
            .map_err(|_| invalid("time_zone", "expected an IANA time zone name"))?,
        None => Tz::UTC,
    };
    let (from, to) = match (period.from, period.to) {
        (Some(from), Some(to)) => (from, to),
        (None, None) => weekly::last_week(tz, now),
        (Some(_), None) => return Err(invalid("to", "give from and to together")),
        (None, Some(_)) => return Err(invalid("from", "give from and to together")),
    };
    if from >= to {
        return Err(invalid("to", "to must be after from"));
    }
    Ok((from, to, tz))
}

#[utoipa::path(
    post,
    path = REPORTS,
    tag = "brand",
    operation_id = "createReport",
    params(("id" = String, Path, description = "The monitor's id")),
    request_body(content = ReportPeriod, description = "Optional; default the last full week (Monday to Monday) in UTC"),
    responses(
        (status = 201, description = "The archived report", body = ReportView),
        (status = 400, description = "An invalid field (`field` names it) or too long a period", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<ReportView>), Problem> {
    // The monitor is checked before the body is read, so another tenant learns nothing
    // from validation errors.
    let monitor = monitor(&brand, &who.tenant, &id).await?;
    let (from, to, tz) = period(&body, brand.clock.now())?;
    let request = weekly::request(&brand, &who.tenant, &monitor, (from, to), tz).await?;
    let report = brand.reports.generate(&who.tenant, &request).await?;
    let report = brand.reports.store(&report).await?;
    Ok((StatusCode::CREATED, Json(ReportView { report })))
}

#[utoipa::path(
    get,
    path = REPORTS,
    tag = "brand",
    operation_id = "listReports",
    params(("id" = String, Path, description = "The monitor's id")),
    responses(
        (status = 200, description = "The monitor's reports, newest first", body = ReportList),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<ReportList>, Problem> {
    let monitor = monitor(&brand, &who.tenant, &id).await?;
    let reports = brand.reports.list(&who.tenant, &monitor.id).await?;
    Ok(Json(ReportList {
        items: reports
            .into_iter()
            .map(|report| ReportView { report })
            .collect(),
    }))
}

/// The monitor's stored report, or 404.
async fn stored(
    brand: &Brand,
    tenant: &str,
    id: &str,
    report_id: &str,
) -> Result<StoredReport, Problem> {
    let monitor = monitor(brand, tenant, id).await?;
    brand
        .reports
        .get(tenant, &monitor.id, report_id)
        .await?
        .ok_or_else(|| Problem::not_found(&format!("report {report_id}")))
}

#[utoipa::path(
    get,
    path = REPORT,
    tag = "brand",
    operation_id = "getReport",
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("report" = String, Path, description = "The report's id"),
    ),
    responses(
        (status = 200, description = "The report's period, headline figures and file keys", body = ReportView),
        (status = 404, description = "No such monitor or report", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn get(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path((id, report_id)): Path<(String, String)>,
) -> Result<Json<ReportView>, Problem> {
    let report = stored(&brand, &who.tenant, &id, &report_id).await?;
    Ok(Json(ReportView { report }))
}

/// A rendering's bytes as archived, under the type it was archived with (`store` writes
/// each rendering with exactly that type).
async fn download(
    brand: &Brand,
    key: &str,
    report_id: &str,
    content_type: &'static str,
) -> Result<Response, Problem> {
    let blob = brand
        .reports
        .blob(key)
        .await?
        .ok_or_else(|| Problem::not_found(&format!("report {report_id}")))?;
    Ok(([(header::CONTENT_TYPE, content_type)], blob).into_response())
}

#[utoipa::path(
    get,
    path = REPORT_HTML,
    tag = "brand",
    operation_id = "downloadReportHtml",
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("report" = String, Path, description = "The report's id"),
    ),
    responses(
        (status = 200, description = "The self-contained HTML page, with its Content-Security-Policy", body = String, content_type = "text/html"),
        (status = 404, description = "No such monitor or report", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn html(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path((id, report_id)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let report = stored(&brand, &who.tenant, &id, &report_id).await?;
    let mut response = download(&brand, &report.html_key, &report_id, HTML_TYPE).await?;
    // The page's own policy as a header too: a `<meta>` policy only applies once the parser
    // reaches it, and the shared middleware sets none.
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(HTML_CSP),
    );
    Ok(response)
}

#[utoipa::path(
    get,
    path = REPORT_MARKDOWN,
    tag = "brand",
    operation_id = "downloadReportMarkdown",
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("report" = String, Path, description = "The report's id"),
    ),
    responses(
        (status = 200, description = "The Markdown rendering", body = String, content_type = "text/markdown"),
        (status = 404, description = "No such monitor or report", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn markdown(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path((id, report_id)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let report = stored(&brand, &who.tenant, &id, &report_id).await?;
    download(&brand, &report.markdown_key, &report_id, MARKDOWN_TYPE).await
}
