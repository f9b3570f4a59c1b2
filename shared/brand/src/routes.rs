//! The brand capability's HTTP routes.

use axum::Json;
use axum::http::Method;
use plasma_gateway::{Api, Permission};
use plasma_http::{ApiJson, Problem};
use plasma_sentiment::Analyzer;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

pub const SENTIMENT: &str = "/brand/sentiment";
/// Most texts one sentiment request scores.
pub const MAX_TEXTS: usize = 1000;
/// Longest text scored, in characters; longer ones are refused rather than truncated.
pub const MAX_TEXT_CHARS: usize = 20_000;

pub fn routes(api: Api) -> Api {
    api.route(
        Method::POST,
        SENTIMENT,
        Permission::BrandRead,
        sentiment,
        (),
    )
}

/// This module's part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(sentiment),
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

/// Scoring is CPU-bound but fast (hundreds of thousands of short texts a second), so a full
/// request of 1000 texts stays within a millisecond or two on the request thread.
#[utoipa::path(
    post,
    path = SENTIMENT,
    tag = "brand",
    operation_id = "scoreSentiment",
    request_body = SentimentRequest,
    responses(
        (status = 200, description = "A score per text, in order", body = SentimentResponse),
        (status = 400, description = "No texts, too many, or one too long", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn sentiment(
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
    let mut analyzer = Analyzer::new();
    let results = request
        .texts
        .iter()
        .map(|text| {
            let score = analyzer.analyse(text);
            SentimentResult {
                compound: score.compound,
                label: score.label(),
            }
        })
        .collect();
    Ok(Json(SentimentResponse { results }))
}
