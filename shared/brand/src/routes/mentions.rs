//! The triage inbox of one monitor, tagging and review, and exclusion suggestions.

use super::monitors::monitor;
use super::views::{MentionView, mention_key};
use crate::mentions::{
    InboxFilter, InboxPage, MAX_PAGE, SentimentLabel, StoredMention, TermSuggestion,
};
use crate::scan::Brand;
use axum::extract::{Path, RawQuery, State};
use axum::{Extension, Json};
use plasma_gateway::use_case::{UseCase, parse};
use plasma_gateway::{Permission, Principal};
use plasma_http::params::{Params, invalid};
use plasma_http::{ApiJson, Problem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const MENTIONS: &str = "/brand/monitors/{id}/mentions";
pub const TAGS: &str = "/brand/monitors/{id}/mentions/{mention}/tags";
pub const REVIEW: &str = "/brand/monitors/{id}/mentions/{mention}/review";
pub const IRRELEVANT: &str = "/brand/monitors/{id}/mentions/{mention}/irrelevant";
pub const SUGGESTIONS: &str = "/brand/monitors/{id}/exclusion-suggestions";

/// Suggestions returned.
const TOP_SUGGESTIONS: usize = 20;
/// A page's size when the caller doesn't say.
pub const DEFAULT_PAGE: u32 = 50;

/// A page of a monitor's mentions, newest first (`GET /brand/monitors/{id}/mentions` on
/// REST, which also takes filters and a cursor).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MentionsRequest {
    /// The monitor's id.
    pub monitor_id: String,
    #[schema(schema_with = page_limit)]
    pub limit: Option<u32>,
}

/// The page size: 1 to [`MAX_PAGE`], [`DEFAULT_PAGE`] when not given.
fn page_limit() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .minimum(Some(1))
        .maximum(Some(MAX_PAGE))
        .default(Some(DEFAULT_PAGE.into()))
        .description(Some(format!(
            "How many mentions: 1 to {MAX_PAGE}, default {DEFAULT_PAGE}."
        )))
        .build()
}

impl UseCase for MentionsRequest {
    const NAME: &'static str = "brand.mentions";
    const TITLE: &'static str = "Recent brand mentions";
    const DESCRIPTION: &'static str = "The newest mentions of a monitor, with sentiment.";
    const PERMISSION: Permission = Permission::BrandRead;
    const ERRORS: &'static [&'static str] = &["invalid_request", "invalid_field", "not_found"];
}

impl MentionsRequest {
    /// The page of the monitor's mentions that match `filter` (its monitor is this one).
    pub async fn run(
        self,
        brand: &Brand,
        tenant: &str,
        filter: InboxFilter,
        cursor: Option<String>,
    ) -> Result<InboxPage, Problem> {
        let monitor = monitor(brand, tenant, &self.monitor_id).await?;
        let filter = InboxFilter {
            monitor_id: Some(monitor.id),
            ..filter
        };
        let limit = self.limit.unwrap_or(DEFAULT_PAGE);
        Ok(brand
            .mentions()
            .inbox(tenant, &filter, limit, cursor)
            .await?)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MentionPage {
    pub items: Vec<MentionView>,
    /// Pass as `cursor` for the next page; absent at the end.
    pub next: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionList {
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<TermSuggestion>,
}

/// Every field is optional so a body-less probe still reaches the 404 checks; `version`
/// (optimistic concurrency) defaults to the mention's current one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagChange {
    /// The tag to add (or remove).
    pub tag: Option<String>,
    #[serde(default)]
    pub remove: bool,
    pub version: Option<u64>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewChange {
    /// Default true.
    pub reviewed: Option<bool>,
    pub version: Option<u64>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IrrelevantChange {
    /// Default true.
    pub irrelevant: Option<bool>,
    pub version: Option<u64>,
}

const FILTERS: [&str; 9] = [
    "sentiment",
    "source",
    "from",
    "to",
    "tag",
    "reviewed",
    "irrelevant",
    "limit",
    "cursor",
];

#[utoipa::path(
    get,
    path = MENTIONS,
    tag = "brand",
    operation_id = "listMentions",
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("sentiment" = Option<String>, Query, description = "positive, neutral or negative"),
        ("source" = Option<String>, Query, description = "Connector kind, e.g. rss"),
        ("from" = Option<String>, Query, description = "Published at or after (RFC 3339)"),
        ("to" = Option<String>, Query, description = "Published before (RFC 3339)"),
        ("tag" = Option<String>, Query, description = "Has this tag"),
        ("reviewed" = Option<bool>, Query, description = "Reviewed or not"),
        ("irrelevant" = Option<bool>, Query, description = "Marked irrelevant or not"),
        ("limit" = Option<u32>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next` of the previous page"),
    ),
    responses(
        (status = 200, description = "Mentions, newest first", body = MentionPage),
        (status = 400, description = "A bad filter (`field` names it)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn inbox(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<MentionPage>, Problem> {
    let p = Params::parse(raw, &FILTERS)?;
    let filter = InboxFilter {
        monitor_id: None,
        label: p.get("sentiment", "positive, neutral or negative", |v| {
            serde_json::from_value::<SentimentLabel>(v.into()).ok()
        })?,
        source: p.text("source"),
        from: p.time("from")?,
        to: p.time("to")?,
        tag: p.text("tag"),
        reviewed: p.flag("reviewed")?,
        irrelevant: p.flag("irrelevant")?,
    };
    if let Some(tag) = &filter.tag
        && tag.trim().is_empty()
    {
        return Err(invalid("tag", "a tag is not empty"));
    }
    let limit = p.get("limit", "an integer", |v| v.parse::<i64>().ok())?;
    let request: MentionsRequest = parse(serde_json::json!({ "monitor_id": id, "limit": limit }))?;
    let page = request
        .run(&brand, &who.tenant, filter, p.text("cursor"))
        .await?;
    Ok(Json(MentionPage {
        items: page.mentions.into_iter().map(MentionView::from).collect(),
        next: page.next,
    }))
}

/// The mention `mention_id` of the tenant's monitor `id`, or 404.
async fn mention(
    brand: &Brand,
    tenant: &str,
    id: &str,
    mention_id: &str,
) -> Result<StoredMention, Problem> {
    let monitor = monitor(brand, tenant, id).await?;
    let missing = || Problem::not_found(&format!("mention {mention_id}"));
    let key = mention_key(mention_id).ok_or_else(missing)?;
    brand
        .mentions()
        .get(tenant, &monitor.id, &key)
        .await?
        .ok_or_else(missing)
}

#[utoipa::path(
    post,
    path = TAGS,
    tag = "brand",
    operation_id = "tagMention",
    request_body = TagChange,
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("mention" = String, Path, description = "The mention's id"),
    ),
    responses(
        (status = 200, description = "The mention as changed", body = MentionView),
        (status = 400, description = "No tag, or an invalid one", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such monitor or mention", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The mention changed since `version`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn tag(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path((id, mention_id)): Path<(String, String)>,
    ApiJson(change): ApiJson<TagChange>,
) -> Result<Json<MentionView>, Problem> {
    let m = mention(&brand, &who.tenant, &id, &mention_id).await?;
    let tag = change
        .tag
        .ok_or_else(|| invalid("tag", "name the tag to add or remove"))?;
    let version = change.version.unwrap_or(m.version);
    let store = brand.mentions();
    let changed = if change.remove {
        store
            .untag(&who.tenant, &m.monitor_id, &m.key, version, &tag)
            .await
    } else {
        store
            .tag(&who.tenant, &m.monitor_id, &m.key, version, &tag)
            .await
    }
    .map_err(|e| Problem::from(e).with("field", "tag"))?;
    Ok(Json(changed.into()))
}

#[utoipa::path(
    post,
    path = REVIEW,
    tag = "brand",
    operation_id = "reviewMention",
    request_body = ReviewChange,
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("mention" = String, Path, description = "The mention's id"),
    ),
    responses(
        (status = 200, description = "The mention as changed", body = MentionView),
        (status = 404, description = "No such monitor or mention", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The mention changed since `version`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn review(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path((id, mention_id)): Path<(String, String)>,
    ApiJson(change): ApiJson<ReviewChange>,
) -> Result<Json<MentionView>, Problem> {
    let m = mention(&brand, &who.tenant, &id, &mention_id).await?;
    let changed = brand
        .mentions()
        .mark_reviewed(
            &who.tenant,
            &m.monitor_id,
            &m.key,
            change.version.unwrap_or(m.version),
            change.reviewed.unwrap_or(true),
        )
        .await?;
    Ok(Json(changed.into()))
}

#[utoipa::path(
    post,
    path = IRRELEVANT,
    tag = "brand",
    operation_id = "markMentionIrrelevant",
    request_body = IrrelevantChange,
    params(
        ("id" = String, Path, description = "The monitor's id"),
        ("mention" = String, Path, description = "The mention's id"),
    ),
    responses(
        (status = 200, description = "The mention as changed", body = MentionView),
        (status = 404, description = "No such monitor or mention", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The mention changed since `version`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn irrelevant(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path((id, mention_id)): Path<(String, String)>,
    ApiJson(change): ApiJson<IrrelevantChange>,
) -> Result<Json<MentionView>, Problem> {
    let m = mention(&brand, &who.tenant, &id, &mention_id).await?;
    let changed = brand
        .mentions()
        .mark_irrelevant(
            &who.tenant,
            &m.monitor_id,
            &m.key,
            change.version.unwrap_or(m.version),
            change.irrelevant.unwrap_or(true),
        )
        .await?;
    Ok(Json(changed.into()))
}

#[utoipa::path(
    get,
    path = SUGGESTIONS,
    tag = "brand",
    operation_id = "suggestExclusions",
    params(("id" = String, Path, description = "The monitor's id")),
    responses(
        (status = 200, description = "Terms typical of mentions marked irrelevant, best first", body = SuggestionList),
        (status = 404, description = "No such monitor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn suggestions(
    State(brand): State<Brand>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<SuggestionList>, Problem> {
    let monitor = monitor(&brand, &who.tenant, &id).await?;
    let items = brand
        .mentions()
        .suggest_exclusions(&who.tenant, &monitor.id, TOP_SUGGESTIONS)
        .await?;
    Ok(Json(SuggestionList { items }))
}
