//! Brand: monitors, the mention inbox with filters and bulk triage, analytics charts
//! (volume, sentiment, share of voice; the same SVG the reports use), alerts with
//! acknowledgement, and reports.

use super::{Call, act, badge, items, list, refusal, s, seg, short, when};
use crate::Web;
use crate::layout::{self, Flash, Page, csrf_input};
use crate::session::{Fields, Session, all, field};
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, PreEscaped, html};
use plasma_brand::reports::{Day, Voice, sentiment_chart, share_of_voice_chart, volume_chart};
use serde::Deserialize;
use serde_json::{Value, json};

pub(crate) fn routes() -> Router<Web> {
    Router::new()
        .route("/app/brand", get(page).post(create_monitor))
        .route("/app/brand/monitors/{id}", get(monitor))
        .route("/app/brand/monitors/{id}/scan", post(scan))
        .route("/app/brand/monitors/{id}/triage", post(triage))
        .route("/app/brand/monitors/{id}/alerts/{alert}/ack", post(ack))
        .route("/app/brand/monitors/{id}/reports", post(report))
        .route(
            "/app/brand/monitors/{id}/reports/{report}",
            get(view_report),
        )
}

/// A report's HTML through the API, under the report's own content policy.
pub(crate) async fn view_report(
    State(web): State<Web>,
    session: Session,
    Path((id, report)): Path<(String, String)>,
) -> Response {
    let path = format!(
        "/brand/monitors/{}/reports/{}/report.html",
        seg(&id),
        seg(&report)
    );
    let reply = web.get(&path, &session.token).await;
    match (&reply.body, reply.ok()) {
        (Value::String(html), true) => (
            [(
                axum::http::header::CONTENT_SECURITY_POLICY,
                plasma_brand::reports::HTML_CSP,
            )],
            Html(html.clone()),
        )
            .into_response(),
        _ => layout::failed(
            &format!("/app/brand/monitors/{}", seg(&id)),
            &reply.problem(),
        ),
    }
}

pub(crate) async fn page(
    State(web): State<Web>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Html<String> {
    let monitors = web.get("/brand/monitors", &session.token).await;
    let body = html! {
        (flash.render())
        section.card {
            h2 { "Monitors" }
            @if !monitors.ok() { p.error { (monitors.problem()) } }
            @else if items(&monitors.body).is_empty() { p.muted { "No monitors yet." } }
            @else {
                div.scroll { table {
                    thead { tr { th { "Monitor" } th { "Tracks" } th { "Sources" } } }
                    tbody { @for m in items(&monitors.body) {
                        tr {
                            td { a href={ "/app/brand/monitors/" (seg(s(&m["id"]))) } { (s(&m["name"])) } }
                            td { (s(&m["query"])) }
                            td { (m["sources"].as_array().map_or(0, Vec::len)) }
                        }
                    } }
                } }
            }
        }
        @if session.may("brand:write") {
            section.card {
                h2 { "New monitor" }
                form method="post" action="/app/brand" {
                    (csrf_input(&session))
                    label for="name" { "Name" }
                    input #name name="name" required maxlength="200";
                    label for="names" { "Brand names (comma-separated)" }
                    input #names name="names" required;
                    label for="competitors" { "Competitor monitor ids (comma-separated, optional)" }
                    input #competitors name="competitors";
                    label for="feed" { "An RSS or Atom feed to scan (optional)" }
                    input #feed name="feed" type="url";
                    button type="submit" { "Create monitor" }
                }
            }
        }
    };
    layout::page(&session, Page::in_section("brand", "Brand"), body)
}

pub(crate) async fn create_monitor(
    State(web): State<Web>,
    session: Session,
    Form(fields): Form<Fields>,
) -> Response {
    if let Err(refused) = session.check(&fields) {
        return refused.into_response();
    }
    let mut body = json!({
        "name": field(&fields, "name"),
        "names": list(field(&fields, "names")),
        "competitors": list(field(&fields, "competitors")),
    });
    let feed = field(&fields, "feed").trim();
    if !feed.is_empty() {
        body["sources"] = json!([{"kind": "rss", "url": feed}]);
    }
    let reply = web
        .call(Method::POST, "/brand/monitors", &session.token, Some(body))
        .await;
    if reply.ok() {
        let id = s(&reply.body["id"]).to_owned();
        layout::done(
            &format!("/app/brand/monitors/{}", seg(&id)),
            "The monitor was created.",
        )
    } else {
        layout::failed("/app/brand", &reply.problem())
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct InboxQuery {
    #[serde(default)]
    sentiment: Option<String>,
    #[serde(default)]
    reviewed: Option<String>,
    #[serde(default)]
    irrelevant: Option<String>,
    #[serde(flatten)]
    flash: Flash,
}

pub(crate) async fn monitor(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<InboxQuery>,
) -> Response {
    let base = format!("/brand/monitors/{}", seg(&id));
    let found = web.get(&base, &session.token).await;
    if !found.ok() {
        return refusal(&session, "brand", "Monitor", &found);
    }
    let monitor = found.body;
    let mut filter = vec!["limit=50".to_owned()];
    for (name, value) in [
        ("sentiment", &q.sentiment),
        ("reviewed", &q.reviewed),
        ("irrelevant", &q.irrelevant),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            filter.push(format!("{name}={}", seg(v)));
        }
    }
    let mentions = web
        .get(
            &format!("{base}/mentions?{}", filter.join("&")),
            &session.token,
        )
        .await;
    let to = chrono::Utc::now();
    let from = to - chrono::Duration::days(14);
    let competitors: Vec<&str> = monitor["competitors"]
        .as_array()
        .map(|c| c.iter().map(s).collect())
        .unwrap_or_default();
    let mut analytics_path = format!(
        "{base}/analytics?from={}&to={}&bucket=day",
        seg(&from.to_rfc3339()),
        seg(&to.to_rfc3339())
    );
    if !competitors.is_empty() {
        analytics_path.push_str(&format!("&competitors={}", seg(&competitors.join(","))));
    }
    let analytics = web.get(&analytics_path, &session.token).await;
    let alerts = web.get(&format!("{base}/alerts"), &session.token).await;
    let reports = web.get(&format!("{base}/reports"), &session.token).await;
    let write = session.may("brand:write");
    let here = format!("/app/brand/monitors/{}", seg(&id));
    let body = html! {
        (q.flash.render())
        section.card {
            p { "Tracks " code { (s(&monitor["query"])) } }
            @if write {
                form.inline method="post" action={ (here) "/scan" } {
                    (csrf_input(&session))
                    button type="submit" { "Scan now" }
                }
            }
        }
        section.card {
            h2 { "Analytics, last 14 days" }
            @if analytics.ok() { (charts(&analytics.body, &monitor)) }
            @else { p.error { (analytics.problem()) } }
        }
        section.card {
            h2 { "Mentions" }
            form method="get" action=(here) {
                label for="sentiment" { "Sentiment" }
                select #sentiment name="sentiment" {
                    option value="" { "Any" }
                    @for v in ["positive", "neutral", "negative"] { option value=(v) selected[q.sentiment.as_deref() == Some(v)] { (v) } }
                }
                label for="reviewed" { "Reviewed" }
                select #reviewed name="reviewed" {
                    option value="" { "Any" }
                    option value="false" selected[q.reviewed.as_deref() == Some("false")] { "Not yet" }
                    option value="true" selected[q.reviewed.as_deref() == Some("true")] { "Reviewed" }
                }
                button.secondary type="submit" { "Filter" }
            }
            @if !mentions.ok() { p.error { (mentions.problem()) } }
            @else if items(&mentions.body).is_empty() { p.muted { "No mentions match." } }
            @else {
                form method="post" action={ (here) "/triage" } {
                    (csrf_input(&session))
                    div.scroll { table {
                        thead { tr {
                            @if write { th { input type="checkbox" aria-label="Select all" data-select-all="mention"; } }
                            th { "Mention" } th { "Sentiment" } th { "Source" } th { "Published" }
                        } }
                        tbody { @for m in items(&mentions.body) {
                            tr {
                                @if write { td { input type="checkbox" name="mention" value=(s(&m["id"])) aria-label="Select this mention"; } }
                                td {
                                    a href=(s(&m["mention"]["url"])) rel="noopener noreferrer" { (short(s(&m["mention"]["text"]), 160)) }
                                    @if m["reviewed"] == true { " " (badge("reviewed")) }
                                    @if m["irrelevant"] == true { " " (badge("irrelevant")) }
                                }
                                td { (badge(s(&m["sentiment"]["label"]))) }
                                td { (s(&m["mention"]["source"])) @if let Some(a) = m["mention"]["author"].as_str() { br; span.muted { (a) } } }
                                td { (when(&m["mention"]["published_at"])) }
                            }
                        } }
                    } }
                    @if write {
                        label for="action" { "With the selected mentions" }
                        select #action name="action" {
                            option value="review" { "Mark reviewed" }
                            option value="irrelevant" { "Mark irrelevant" }
                        }
                        button type="submit" { "Apply" }
                    }
                }
            }
        }
        section.card {
            h2 { "Alerts" }
            @if !alerts.ok() { p.error { (alerts.problem()) } }
            @else if items(&alerts.body).is_empty() { p.muted { "No alerts raised." } }
            @else {
                ul { @for a in items(&alerts.body) {
                    li {
                        strong { (s(&a["rule_name"])) } ": " (s(&a["summary"])) " " span.muted { (when(&a["raised_at"])) }
                        @if a["acknowledged_at"].is_null() {
                            @if write {
                                form.inline method="post" action={ (here) "/alerts/" (seg(s(&a["id"]))) "/ack" } {
                                    (csrf_input(&session))
                                    " " button.secondary type="submit" { "Acknowledge" }
                                }
                            }
                        } @else { " " (badge("acknowledged")) }
                    }
                } }
            }
        }
        section.card {
            h2 { "Reports" }
            @if reports.ok() {
                ul { @for r in items(&reports.body) {
                    li {
                        a href={ (here) "/reports/" (seg(s(&r["id"]))) } { (when(&r["from"])) " – " (when(&r["to"])) }
                    }
                } }
            }
            @if write {
                form method="post" action={ (here) "/reports" } {
                    (csrf_input(&session))
                    button.secondary type="submit" { "Make a report of the last 7 days" }
                }
            }
        }
    };
    layout::page(
        &session,
        Page::in_section("brand", s(&monitor["name"])),
        body,
    )
    .into_response()
}

/// Volume, sentiment and share of voice as the reports draw them.
fn charts(body: &Value, monitor: &Value) -> Markup {
    let analytics = &body["analytics"];
    let days: Vec<Day> = analytics["series"]
        .as_array()
        .map(|series| {
            series
                .iter()
                .filter_map(|b| {
                    let date = s(&b["start"]).get(..10)?.to_owned();
                    serde_json::from_value(
                        json!({"date": date, "mentions": b["count"], "sentiment": b["sentiment"]}),
                    )
                    .ok()
                })
                .collect()
        })
        .unwrap_or_default();
    let voices: Vec<Voice> = body["share_of_voice"]["shares"]
        .as_array()
        .map(|shares| {
            shares
                .iter()
                .map(|v| Voice {
                    monitor_id: s(&v["monitor_id"]).to_owned(),
                    name: if s(&v["monitor_id"]) == s(&monitor["id"]) {
                        s(&monitor["name"]).to_owned()
                    } else {
                        s(&v["monitor_id"]).to_owned()
                    },
                    mentions: v["count"].as_u64().unwrap_or_default(),
                    percent: v["percent"].as_f64().unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let period = "the last 14 days";
    html! {
        p { (analytics["total"]) " mentions"
            @if let Some(bhi) = analytics["brand_health_index"].as_f64() { " · Brand Health Index " (format!("{:.0}", bhi * 100.0)) } }
        div.grid {
            figure { (PreEscaped(volume_chart(&days, period))) }
            figure { (PreEscaped(sentiment_chart(&days, period))) }
        }
        @if voices.len() > 1 { figure { (PreEscaped(share_of_voice_chart(&voices))) } }
    }
}

pub(crate) async fn scan(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let call = Call::post(format!("/brand/monitors/{}/scan", seg(&id)), None);
    let here = format!("/app/brand/monitors/{}", seg(&id));
    act(
        &web,
        &session,
        &fields,
        call,
        &here,
        "A scan was queued; mentions appear as it runs.",
    )
    .await
}

pub(crate) async fn triage(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    if let Err(refused) = session.check(&fields) {
        return refused.into_response();
    }
    let here = format!("/app/brand/monitors/{}", seg(&id));
    let action = match field(&fields, "action") {
        "irrelevant" => "irrelevant",
        _ => "review",
    };
    let chosen = all(&fields, "mention");
    if chosen.is_empty() {
        return layout::failed(&here, "Select at least one mention.");
    }
    for mention in &chosen {
        let path = format!(
            "/brand/monitors/{}/mentions/{}/{action}",
            seg(&id),
            seg(mention)
        );
        let reply = web
            .call(Method::POST, &path, &session.token, Some(json!({})))
            .await;
        if !reply.ok() {
            return layout::failed(&here, &reply.problem());
        }
    }
    layout::done(&here, &format!("{} mentions updated.", chosen.len()))
}

pub(crate) async fn ack(
    State(web): State<Web>,
    session: Session,
    Path((id, alert)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> Response {
    let path = format!("/brand/monitors/{}/alerts/{}/ack", seg(&id), seg(&alert));
    let here = format!("/app/brand/monitors/{}", seg(&id));
    act(
        &web,
        &session,
        &fields,
        Call::post(path, Some(json!({}))),
        &here,
        "Alert acknowledged.",
    )
    .await
}

pub(crate) async fn report(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let to = chrono::Utc::now();
    let week =
        json!({"from": (to - chrono::Duration::days(7)).to_rfc3339(), "to": to.to_rfc3339()});
    let call = Call::post(format!("/brand/monitors/{}/reports", seg(&id)), Some(week));
    let here = format!("/app/brand/monitors/{}", seg(&id));
    act(&web, &session, &fields, call, &here, "The report is ready.").await
}
