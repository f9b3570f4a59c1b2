//! Content: voice profiles, a brief that becomes drafts, each draft with its compliance
//! findings highlighted in the text, the approval actions, scheduling and publish status,
//! and the calendar by week or month.

use super::{Call, act, badge, items, list, refusal, s, seg, when};
use crate::Web;
use crate::layout::{self, Flash, Page, csrf_input};
use crate::session::{Fields, Session, all, field};
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Value, json};

const CHANNELS: [&str; 5] = ["blog", "linkedin", "x", "newsletter", "press_release"];

pub(crate) fn routes() -> Router<Web> {
    Router::new()
        .route("/app/content", get(page))
        .route("/app/content/profiles", post(create_profile))
        .route("/app/content/drafts", post(draft))
        .route("/app/content/items/{id}", get(item).post(edit))
        .route("/app/content/items/{id}/transition", post(transition))
        .route("/app/content/items/{id}/schedule", post(schedule))
        .route("/app/content/calendar", get(calendar))
}

pub(crate) async fn page(
    State(web): State<Web>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Html<String> {
    let profiles = web.get("/content/profiles", &session.token).await;
    let list = web.get("/content/items", &session.token).await;
    let write = session.may("content:write");
    let body = html! {
        (flash.render())
        p { a href="/app/content/calendar" { "Calendar" } }
        @if write {
            section.card {
                h2 { "New drafts from a brief" }
                form method="post" action="/app/content/drafts" {
                    (csrf_input(&session))
                    label for="topic" { "Topic" }
                    input #topic name="topic" required maxlength="500";
                    fieldset {
                        legend { "Channels" }
                        @for c in CHANNELS {
                            label { input type="checkbox" name="channels" value=(c) checked[c == "linkedin"]; " " (c.replace('_', " ")) }
                        }
                    }
                    label for="audience" { "Audience (optional)" }
                    input #audience name="audience";
                    label for="goal" { "Goal (optional)" }
                    input #goal name="goal";
                    label for="profile" { "Voice profile" }
                    select #profile name="profile_id" {
                        option value="" { "None" }
                        @for p in items(&profiles.body) { option value=(s(&p["id"])) { (s(&p["name"])) } }
                    }
                    label { input type="checkbox" name="ground" value="true"; " Ground in research (cite the knowledge base)" }
                    button type="submit" { "Draft" }
                }
            }
        }
        section.card {
            h2 { "Items" }
            @if !list.ok() { p.error { (list.problem()) } }
            @else if items(&list.body).is_empty() { p.muted { "Nothing drafted yet." } }
            @else {
                div.scroll { table {
                    thead { tr { th { "Title" } th { "Channel" } th { "Status" } th { "Scheduled" } } }
                    tbody { @for i in items(&list.body) {
                        tr {
                            td { a href={ "/app/content/items/" (seg(s(&i["id"]))) } { (s(&i["title"])) } }
                            td { (s(&i["channel"])) }
                            td { (badge(s(&i["status"]))) }
                            td { (when(&i["scheduled_at"])) }
                        }
                    } }
                } }
            }
        }
        section.card {
            h2 { "Voice profiles" }
            ul { @for p in items(&profiles.body) { li { (s(&p["name"])) " " span.muted { "v" (p["version"]) } } } }
            @if write {
                form method="post" action="/app/content/profiles" {
                    (csrf_input(&session))
                    label for="pname" { "Name" }
                    input #pname name="name" required;
                    label for="tone" { "Tone (comma-separated)" }
                    input #tone name="tone";
                    label for="banned" { "Banned terms (comma-separated)" }
                    input #banned name="banned_terms";
                    label for="required" { "Required terms (comma-separated)" }
                    input #required name="required_terms";
                    button.secondary type="submit" { "Add profile" }
                }
            }
        }
    };
    layout::page(&session, Page::in_section("content", "Content"), body)
}

pub(crate) async fn create_profile(
    State(web): State<Web>,
    session: Session,
    Form(fields): Form<Fields>,
) -> Response {
    let profile = json!({
        "name": field(&fields, "name"),
        "tone": list(field(&fields, "tone")),
        "banned_terms": list(field(&fields, "banned_terms")),
        "required_terms": list(field(&fields, "required_terms")),
    });
    let call = Call::post("/content/profiles".into(), Some(profile));
    act(
        &web,
        &session,
        &fields,
        call,
        "/app/content",
        "Profile added.",
    )
    .await
}

pub(crate) async fn draft(
    State(web): State<Web>,
    session: Session,
    Form(fields): Form<Fields>,
) -> Response {
    if let Err(refused) = session.check(&fields) {
        return refused.into_response();
    }
    let optional = |name: &str| {
        let v = field(&fields, name).trim();
        (!v.is_empty()).then(|| v.to_owned())
    };
    let body = json!({
        "topic": field(&fields, "topic"),
        "channels": all(&fields, "channels"),
        "audience": optional("audience"),
        "goal": optional("goal"),
        "profile_id": optional("profile_id"),
        "ground": field(&fields, "ground") == "true",
    });
    let reply = web
        .call(Method::POST, "/content/drafts", &session.token, Some(body))
        .await;
    if !reply.ok() {
        return layout::failed("/app/content", &reply.problem());
    }
    match items(&reply.body).first() {
        Some(first) => layout::done(
            &format!("/app/content/items/{}", seg(s(&first["id"]))),
            "Drafted. Review the findings, then submit it.",
        ),
        None => layout::done("/app/content", "Drafted."),
    }
}

/// The body with each finding's span marked and numbered.
fn highlighted(text: &str, findings: &[Value]) -> Markup {
    let mut spans: Vec<(usize, usize, usize)> = findings
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let start = f["span"]["start"].as_u64()? as usize;
            let end = f["span"]["end"].as_u64()? as usize;
            let fits = start < end
                && end <= text.len()
                && text.is_char_boundary(start)
                && text.is_char_boundary(end);
            fits.then_some((start, end, i + 1))
        })
        .collect();
    spans.sort();
    // Plain text, then a marked span, in order; overlapping findings keep the first.
    let mut parts: Vec<(&str, Option<(&str, usize)>)> = Vec::new();
    let mut at = 0;
    for (start, end, n) in spans {
        if start >= at {
            parts.push((&text[at..start], Some((&text[start..end], n))));
            at = end;
        }
    }
    parts.push((&text[at..], None));
    html! {
        div.answer #draft-text {
            @for (plain, marked) in parts {
                (plain)
                @if let Some((marked, n)) = marked {
                    mark.finding title={ "Finding " (n) } { (marked) sup { (n) } }
                }
            }
        }
    }
}

pub(crate) async fn item(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> Response {
    let reply = web
        .get(&format!("/content/items/{}", seg(&id)), &session.token)
        .await;
    if !reply.ok() {
        return refusal(&session, "content", "Item", &reply);
    }
    let item = reply.body;
    let mut check = json!({"text": item["body"], "channel": item["channel"]});
    if let Some(profile) = item["profile_id"].as_str() {
        check["profile_id"] = profile.into();
    }
    let report = web
        .call(Method::POST, "/content/check", &session.token, Some(check))
        .await;
    let findings = report.body["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let status = s(&item["status"]).to_owned();
    let here = format!("/app/content/items/{}", seg(&id));
    let action = |to: &str, label: &str, class: &str| {
        html! {
            form.inline method="post" action={ (here) "/transition" } {
                (csrf_input(&session))
                input type="hidden" name="to" value=(to);
                button class=(class) type="submit" { (label) }
            }
        }
    };
    let body = html! {
        (flash.render())
        section.card {
            p { (badge(&status)) " · " (s(&item["channel"])) " · version " (item["version"])
                @if let Some(score) = report.body["score"].as_u64() { " · compliance " strong #score { (score) } "/100" } }
            (highlighted(s(&item["body"]), &findings))
            @if !findings.is_empty() {
                h2 { "Findings" }
                ol #findings { @for f in &findings {
                    li { (badge(s(&f["severity"]))) " " (s(&f["message"])) @if let Some(sug) = f["suggestion"].as_str() { " " span.muted { "Try: " (sug) } } }
                } }
            }
        }
        section.card {
            h2 { "Actions" }
            @if status == "draft" && session.may("content:write") { (action("in_review", "Submit for review", "")) }
            @if status == "in_review" && session.may("content:approve") {
                // Four eyes: whoever submitted a version may not approve it.
                @if s(&item["submitted_by"]) == session.me.subject {
                    p.muted { "Waiting for someone else to approve it." }
                } @else {
                    (action("approved", "Approve", "")) (action("draft", "Request changes", "secondary"))
                }
            }
            @if status == "scheduled" && session.may("content:publish") { (action("approved", "Cancel the schedule", "secondary")) }
            @if matches!(status.as_str(), "approved" | "failed" | "scheduled") && session.may("content:publish") {
                form method="post" action={ (here) "/schedule" } {
                    (csrf_input(&session))
                    label for="at" { "Publish at (local time)" }
                    input #at type="datetime-local" name="at" required;
                    label for="tz" { "Time zone" }
                    input #tz name="timezone" value="UTC" required;
                    button type="submit" { "Schedule" }
                }
            }
            @if status == "draft" && session.may("content:write") {
                form method="post" action=(here) {
                    (csrf_input(&session))
                    label for="body" { "Edit the text" }
                    textarea #body name="body" { (s(&item["body"])) }
                    button.secondary type="submit" { "Save a new version" }
                }
            }
        }
        section.card {
            h2 { "Publishing" }
            dl.kv {
                dt { "Status" } dd #publish-status { (badge(&status)) }
                dt { "Scheduled for" } dd { (when(&item["scheduled_at"])) " " (s(&item["timezone"])) }
                dt { "Destination" } dd { (s(&item["destination"])) }
                @if let Some(url) = item["publish"]["result"]["url"].as_str() { dt { "Published at" } dd { a href=(url) rel="noopener noreferrer" { (url) } } }
                @if let Some(reason) = item["reason"].as_str() { dt { "Why it failed" } dd { (reason) } }
                dt { "Attempts" } dd { (item["publish"]["attempts"]) }
            }
        }
    };
    layout::page(
        &session,
        Page::in_section("content", s(&item["title"])),
        body,
    )
    .into_response()
}

pub(crate) async fn edit(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let call = Call {
        method: Method::PATCH,
        path: format!("/content/items/{}", seg(&id)),
        body: Some(json!({"body": field(&fields, "body")})),
    };
    let here = format!("/app/content/items/{}", seg(&id));
    act(&web, &session, &fields, call, &here, "Saved.").await
}

pub(crate) async fn transition(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let path = format!("/content/items/{}/transitions", seg(&id));
    let call = Call::post(path, Some(json!({"to": field(&fields, "to")})));
    let here = format!("/app/content/items/{}", seg(&id));
    act(&web, &session, &fields, call, &here, "Done.").await
}

pub(crate) async fn schedule(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    // `datetime-local` sends minutes; the API reads seconds too.
    let mut at = field(&fields, "at").to_owned();
    if at.len() == 16 {
        at.push_str(":00");
    }
    let body = json!({"at": at, "timezone": field(&fields, "timezone")});
    let call = Call::post(format!("/content/items/{}/schedule", seg(&id)), Some(body));
    let here = format!("/app/content/items/{}", seg(&id));
    act(&web, &session, &fields, call, &here, "Scheduled.").await
}

#[derive(Deserialize)]
pub(crate) struct CalendarQuery {
    #[serde(default)]
    view: Option<String>,
    #[serde(default)]
    date: Option<NaiveDate>,
}

pub(crate) async fn calendar(
    State(web): State<Web>,
    session: Session,
    Query(q): Query<CalendarQuery>,
) -> Html<String> {
    let month = q.view.as_deref() == Some("month");
    let day = q.date.unwrap_or_else(|| Utc::now().date_naive());
    let (start, days) = if month {
        let first = day.with_day(1).unwrap_or(day);
        let start = first - Duration::days(first.weekday().num_days_from_monday() as i64);
        (start, 42)
    } else {
        (
            day - Duration::days(day.weekday().num_days_from_monday() as i64),
            7,
        )
    };
    let end = start + Duration::days(days);
    let path = format!(
        "/content/calendar?from={}&to={}",
        seg(&format!("{start}T00:00:00Z")),
        seg(&format!("{end}T00:00:00Z"))
    );
    let reply = web.get(&path, &session.token).await;
    let entries = items(&reply.body).to_vec();
    let step = if month {
        Duration::days(31)
    } else {
        Duration::days(7)
    };
    let view = if month { "month" } else { "week" };
    let body = html! {
        p {
            a href={ "/app/content/calendar?view=" (view) "&date=" (day - step) } { "← Earlier" } " · "
            a href={ "/app/content/calendar?view=" (view) "&date=" (day + step) } { "Later →" } " · "
            @if month { a href={ "/app/content/calendar?view=week&date=" (day) } { "Week view" } }
            @else { a href={ "/app/content/calendar?view=month&date=" (day) } { "Month view" } }
        }
        @if !reply.ok() { p.error { (reply.problem()) } }
        div.calendar role="grid" aria-label={ "Content calendar from " (start) } {
            @for name in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] { div.head role="columnheader" { (name) } }
            @for offset in 0..days {
                @let date = start + Duration::days(offset);
                div.day role="gridcell" {
                    strong { (date.format("%d %b")) }
                    @for e in entries.iter().filter(|e| s(&e["at"]).starts_with(&date.to_string())) {
                        br;
                        a href={ "/app/content/items/" (seg(s(&e["id"]))) } { (s(&e["title"])) }
                        " " (badge(s(&e["status"])))
                    }
                }
            }
        }
    };
    layout::page(&session, Page::in_section("content", "Calendar"), body)
}
