//! The brand capability's HTTP routes: sentiment scoring, monitors and their scans, the
//! triage inbox, analytics, alerts and reports.

mod alerts;
mod analytics;
mod inbound;
mod mentions;
mod monitors;
mod reports;
mod settings;
mod views;

use crate::scan::Brand;
use axum::extract::State;
use axum::http::Method;
use axum::{Extension, Json};
use plasma_gateway::{Api, Permission, Principal};
use plasma_http::{ApiJson, Problem};
use plasma_sentiment::Label;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

pub const SENTIMENT: &str = "/brand/sentiment";
/// Most texts one sentiment request scores.
pub const MAX_TEXTS: usize = 1000;
/// Longest text scored, in characters; longer ones are refused rather than truncated.
pub const MAX_TEXT_CHARS: usize = 20_000;

pub use alerts::{ACK, ALERTS, AlertList, AlertView, RULE, RULES, RuleList, RuleView};
pub use analytics::{ANALYTICS, AnalyticsResponse};
pub use inbound::{INBOUND, InboundReceived};
pub use mentions::{
    DEFAULT_PAGE, IRRELEVANT, IrrelevantChange, MENTIONS, MentionPage, MentionsRequest, REVIEW,
    ReviewChange, SUGGESTIONS, SuggestionList, TAGS, TagChange,
};
pub use monitors::{
    MONITOR, MONITORS, MonitorList, SCAN, SCANS, ScanRequest, ScanRunList, ScanStarted,
};
pub use reports::{
    REPORT, REPORT_HTML, REPORT_MARKDOWN, REPORTS, ReportList, ReportPeriod, ReportView,
};
pub use settings::SETTINGS;
pub use views::MentionView;

pub fn routes(api: Api, brand: Brand) -> Api {
    use Permission::{BrandRead, BrandWrite};
    let b = brand;
    api.route(Method::POST, SENTIMENT, BrandRead, sentiment, b.clone())
        .route(Method::GET, SETTINGS, BrandRead, settings::get, b.clone())
        .route(Method::PUT, SETTINGS, BrandWrite, settings::put, b.clone())
        .route(
            Method::POST,
            MONITORS,
            BrandWrite,
            monitors::create,
            b.clone(),
        )
        .route(Method::GET, MONITORS, BrandRead, monitors::list, b.clone())
        .route(Method::GET, MONITOR, BrandRead, monitors::get, b.clone())
        .route(
            Method::DELETE,
            MONITOR,
            BrandWrite,
            monitors::delete,
            b.clone(),
        )
        .route(Method::POST, SCAN, BrandWrite, monitors::scan, b.clone())
        .route(Method::GET, SCANS, BrandRead, monitors::scans, b.clone())
        .route(
            Method::POST,
            INBOUND,
            BrandWrite,
            inbound::receive,
            b.clone(),
        )
        .route(Method::GET, MENTIONS, BrandRead, mentions::inbox, b.clone())
        .route(Method::POST, TAGS, BrandWrite, mentions::tag, b.clone())
        .route(
            Method::POST,
            REVIEW,
            BrandWrite,
            mentions::review,
            b.clone(),
        )
        .route(
            Method::POST,
            IRRELEVANT,
            BrandWrite,
            mentions::irrelevant,
            b.clone(),
        )
        .route(
            Method::GET,
            SUGGESTIONS,
            BrandRead,
            mentions::suggestions,
            b.clone(),
        )
        .route(
            Method::GET,
            ANALYTICS,
            BrandRead,
            analytics::analytics,
            b.clone(),
        )
        .route(Method::POST, RULES, BrandWrite, alerts::create, b.clone())
        .route(Method::GET, RULES, BrandRead, alerts::list, b.clone())
        .route(Method::DELETE, RULE, BrandWrite, alerts::delete, b.clone())
        .route(Method::GET, ALERTS, BrandRead, alerts::history, b.clone())
        .route(
            Method::POST,
            ACK,
            BrandWrite,
            alerts::acknowledge,
            b.clone(),
        )
        .route(
            Method::POST,
            REPORTS,
            BrandWrite,
            reports::create,
            b.clone(),
        )
        .route(Method::GET, REPORTS, BrandRead, reports::list, b.clone())
        .route(Method::GET, REPORT, BrandRead, reports::get, b.clone())
        .route(
            Method::GET,
            REPORT_HTML,
            BrandRead,
            reports::html,
            b.clone(),
        )
        .route(
            Method::GET,
            REPORT_MARKDOWN,
            BrandRead,
            reports::markdown,
            b,
        )
}

/// This module's part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        sentiment,
        settings::get,
        settings::put,
        monitors::create,
        monitors::list,
        monitors::get,
        monitors::delete,
        monitors::scan,
        monitors::scans,
        inbound::receive,
        mentions::inbox,
        mentions::tag,
        mentions::review,
        mentions::irrelevant,
        mentions::suggestions,
        analytics::analytics,
        alerts::create,
        alerts::list,
        alerts::delete,
        alerts::history,
        alerts::acknowledge,
        reports::create,
        reports::list,
        reports::get,
        reports::html,
        reports::markdown,
    ),
    tags((name = "brand", description = "Brand intelligence"))
)]
pub struct BrandDoc;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SentimentRequest {
    /// 1 to 1000 texts, each at most 20,000 characters.
    pub texts: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SentimentResult {
    /// -1 (most negative) to 1 (most positive).
    pub compound: f64,
    /// `positive` (compound ≥ 0.05), `negative` (≤ −0.05) or `neutral`.
    #[schema(value_type = String)]
    pub label: plasma_sentiment::Label,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SentimentResponse {
    /// One result per text, in the order given.
    pub results: Vec<SentimentResult>,
}

/// With the built-in analyser scoring is CPU-bound but fast (hundreds of thousands of short
/// texts a second), so a full request of 1000 texts stays within a millisecond or two on the
/// request thread. With Bedrock it is 20 model calls of 50 texts, four at a time.
#[utoipa::path(
    post,
    path = SENTIMENT,
    tag = "brand",
    operation_id = "scoreSentiment",
    description = "Scores with the built-in analyser unless the tenant chose Bedrock in `/brand/settings`.",
    request_body = SentimentRequest,
    responses(
        (status = 200, description = "A score per text, in order", body = SentimentResponse),
        (status = 400, description = "No texts, too many, or one too long", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn sentiment(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    ApiJson(request): ApiJson<SentimentRequest>,
) -> Result<Json<SentimentResponse>, Problem> {
    let invalid = |detail: String, field: String| Problem::invalid(detail).with("field", field);
    if request.texts.is_empty() || request.texts.len() > MAX_TEXTS {
        return Err(invalid(
            format!("send 1 to {MAX_TEXTS} texts, got {}", request.texts.len()),
            "texts".into(),
        ));
    }
    if let Some(i) = request
        .texts
        .iter()
        .position(|t| t.chars().count() > MAX_TEXT_CHARS)
    {
        return Err(invalid(
            format!("a text may hold at most {MAX_TEXT_CHARS} characters"),
            format!("texts[{i}]"),
        ));
    }
    let provider = brand.sentiment(&who.tenant).await?;
    let results = provider
        .compounds(&request.texts)
        .await
        .into_iter()
        .map(|compound| SentimentResult {
            compound,
            label: Label::of(compound),
        })
        .collect();
    Ok(Json(SentimentResponse { results }))
}
