//! Research: upload documents (with progress), the document list with statuses, questions
//! answered with clickable citations, and an entity's neighbourhood in the knowledge graph.

use super::{Call, act, badge, items, refusal, s, seg, short, when};
use crate::layout::{self, Flash, Page};
use crate::session::Session;
use crate::{Web, csrf};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use serde_json::{Value, json};
use std::f64::consts::PI;

pub(crate) fn routes() -> Router<Web> {
    Router::new()
        .route("/app/research", get(page))
        .route("/app/research/upload", post(upload))
        .route("/app/research/documents/{id}", get(document))
        .route("/app/research/documents/{id}/delete", post(delete))
        .route("/app/research/graph", get(graph))
}

#[derive(Deserialize)]
pub(crate) struct AskQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    #[serde(flatten)]
    flash: Flash,
}

const MODES: [(&str, &str); 3] = [
    ("naive", "Naive: the closest passages"),
    ("local", "Local: entities and their relations (GraphRAG)"),
    ("global", "Global: themes across the collection"),
];

pub(crate) async fn page(
    State(web): State<Web>,
    session: Session,
    Query(q): Query<AskQuery>,
) -> Html<String> {
    let docs = web
        .get("/research/documents?limit=100", &session.token)
        .await;
    let mode = q.mode.clone().unwrap_or_else(|| "naive".into());
    let question = q.q.clone().unwrap_or_default();
    let answer = if question.trim().is_empty() {
        None
    } else {
        let body = json!({"question": question, "mode": mode});
        Some(
            web.call(Method::POST, "/research/ask", &session.token, Some(body))
                .await,
        )
    };
    let body = html! {
        (q.flash.render())
        section.card {
            h2 { "Ask" }
            form method="get" action="/app/research" {
                label for="q" { "Question" }
                input #q name="q" value=(question) required maxlength="2000";
                label for="mode" { "Mode" }
                select #mode name="mode" {
                    @for (value, label) in MODES { option value=(value) selected[value == mode] { (label) } }
                }
                button type="submit" { "Ask" }
            }
            @if let Some(answer) = &answer {
                @if answer.ok() { (render_answer(&answer.body)) }
                @else { p.error role="alert" { (answer.problem()) } }
            }
        }
        @if session.may("research:write") {
            section.card {
                h2 { "Upload a document" }
                form #upload method="post" enctype="multipart/form-data" data-progress="upload-progress"
                    action={ "/app/research/upload?" (csrf::FIELD) "=" (session.csrf) } {
                    label for="file" { "File (text, Markdown, HTML, PDF, DOCX or JSON, up to 4 MB)" }
                    input #file type="file" name="file" required;
                    label for="tags" { "Tags (comma-separated, optional)" }
                    input #tags name="tags";
                    progress #upload-progress hidden value="0" max="1" aria-label="Upload progress" {}
                    button type="submit" { "Upload" }
                }
            }
        }
        section.card {
            h2 { "Documents" }
            @if !docs.ok() { p.error { (docs.problem()) } }
            @else if items(&docs.body).is_empty() { p.muted { "No documents yet." } }
            @else {
                div.scroll { table {
                    thead { tr { th { "Title" } th { "Status" } th { "Format" } th { "Added" } } }
                    tbody {
                        @for doc in items(&docs.body) {
                            tr {
                                td { a href={ "/app/research/documents/" (seg(s(&doc["id"]))) } { (s(&doc["title"])) } }
                                td { (badge(s(&doc["status"]))) @if let Some(reason) = doc["reason"].as_str() { " " span.muted { (reason) } } }
                                td { (s(&doc["format"])) }
                                td { (when(&doc["created_at"])) }
                            }
                        }
                    }
                } }
            }
            p { a href="/app/research/graph" { "Explore the knowledge graph" } }
        }
    };
    layout::page(&session, Page::in_section("research", "Research"), body)
}

/// The answer with each `[n]` linked to its citation, and the citations linked to their
/// documents.
fn render_answer(answer: &Value) -> Markup {
    let text = s(&answer["answer"]);
    let citations = answer["citations"].as_array().cloned().unwrap_or_default();
    html! {
        div.answer #answer { (linked(text, citations.len())) }
        p.hint { "Written by " (s(&answer["provider"])) " · mode " (s(&answer["mode"])) }
        @if !citations.is_empty() {
            h3 { "Sources" }
            ol.citations {
                @for c in &citations {
                    li #{ "cite-" (c["n"]) } {
                        a href={ "/app/research/documents/" (seg(s(&c["document_id"]))) } { (s(&c["title"])) }
                        @if let Some(page) = c["page"].as_u64() { " (page " (page) ")" }
                        br;
                        span.muted { (short(s(&c["text"]), 280)) }
                    }
                }
            }
        }
    }
}

/// HTML-escaped text with `[n]` markers turned into links to `#cite-n`.
fn linked(text: &str, count: usize) -> Markup {
    let escaped = maud::html! { (text) }.into_string();
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped.as_str();
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']').map(|close| (&after[..close], close)) {
            Some((n, close)) if n.parse::<usize>().is_ok_and(|n| (1..=count).contains(&n)) => {
                out.push_str(&format!("<a href=\"#cite-{n}\">[{n}]</a>"));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    PreEscaped(out)
}

pub(crate) async fn upload(
    State(web): State<Web>,
    session: Session,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(refused) = session.check(&query) {
        return refused.into_response();
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if !content_type.starts_with("multipart/form-data") {
        return layout::failed("/app/research", "choose a file to upload");
    }
    let reply = web
        .forward("/research/documents", &session.token, &content_type, body)
        .await;
    if reply.ok() {
        let title = s(&reply.body["title"]).to_owned();
        layout::done(
            "/app/research",
            &format!("Uploaded {title}; it is being indexed."),
        )
    } else {
        layout::failed("/app/research", &reply.problem())
    }
}

pub(crate) async fn document(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> Response {
    let reply = web
        .get(&format!("/research/documents/{}", seg(&id)), &session.token)
        .await;
    if !reply.ok() {
        return refusal(&session, "research", "Document", &reply);
    }
    let doc = &reply.body;
    let body = html! {
        (flash.render())
        section.card {
            dl.kv {
                dt { "Status" } dd { (badge(s(&doc["status"]))) }
                dt { "Format" } dd { (s(&doc["format"])) }
                dt { "Size" } dd { (doc["size"]) " bytes" }
                dt { "Added" } dd { (when(&doc["created_at"])) }
                @if let Some(tags) = doc["tags"].as_array() { dt { "Tags" } dd { @for t in tags { span.badge { (s(t)) } " " } } }
                @if let Some(reason) = doc["reason"].as_str() { dt { "Why it failed" } dd { (reason) } }
            }
            @if session.may("research:write") {
                form method="post" action={ "/app/research/documents/" (seg(&id)) "/delete" } {
                    (layout::csrf_input(&session))
                    button.danger type="submit" { "Delete this document" }
                }
            }
            p { a href="/app/research" { "Back to research" } }
        }
    };
    layout::page(
        &session,
        Page::in_section("research", s(&doc["title"])),
        body,
    )
    .into_response()
}

pub(crate) async fn delete(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    axum::Form(fields): axum::Form<crate::session::Fields>,
) -> Response {
    let call = Call {
        method: Method::DELETE,
        path: format!("/research/documents/{}", seg(&id)),
        body: None,
    };
    act(
        &web,
        &session,
        &fields,
        call,
        "/app/research",
        "The document was deleted.",
    )
    .await
}

#[derive(Deserialize)]
pub(crate) struct GraphQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    id: Option<String>,
}

pub(crate) async fn graph(
    State(web): State<Web>,
    session: Session,
    Query(q): Query<GraphQuery>,
) -> Html<String> {
    let term = q.q.clone().unwrap_or_default();
    let found = if term.trim().is_empty() {
        None
    } else {
        let path = format!("/research/graph/entities?q={}", seg(&term));
        Some(web.get(&path, &session.token).await)
    };
    let around = match &q.id {
        Some(id) => {
            let path = format!("/research/graph/entities/{}/neighbourhood?depth=1", seg(id));
            Some(web.get(&path, &session.token).await)
        }
        None => None,
    };
    let body = html! {
        section.card {
            form method="get" action="/app/research/graph" {
                label for="q" { "Find an entity" }
                input #q name="q" value=(term) required;
                button type="submit" { "Find" }
            }
            @if let Some(found) = &found {
                @if !found.ok() { p.error { (found.problem()) } }
                @else if items(&found.body).is_empty() { p.muted { "No entity by that name." } }
                @else {
                    ul { @for e in items(&found.body) {
                        li { a href={ "/app/research/graph?id=" (seg(s(&e["id"]))) } { (s(&e["name"])) } " " span.muted { (s(&e["kind"])) } }
                    } }
                }
            }
        }
        @if let Some(around) = &around {
            section.card {
                @if !around.ok() { p.error role="alert" { (around.problem()) } }
                @else { (neighbourhood(q.id.as_deref().unwrap_or_default(), &around.body)) }
            }
        }
    };
    layout::page(
        &session,
        Page::in_section("research", "Knowledge graph"),
        body,
    )
}

fn neighbourhood(center: &str, graph: &Value) -> Markup {
    let nodes = graph["nodes"].as_array().cloned().unwrap_or_default();
    let edges = graph["edges"].as_array().cloned().unwrap_or_default();
    let name = |id: &str| {
        nodes
            .iter()
            .find(|n| s(&n["id"]) == id)
            .map_or(id.to_owned(), |n| s(&n["name"]).to_owned())
    };
    let center_name = name(center);
    let others: Vec<&Value> = nodes.iter().filter(|n| s(&n["id"]) != center).collect();
    // A radial diagram: the entity in the middle, its neighbours around it.
    let (w, h, r) = (480.0, 360.0, 130.0);
    let (cx, cy) = (w / 2.0, h / 2.0);
    let position = |i: usize| {
        let angle = 2.0 * PI * i as f64 / others.len().max(1) as f64 - PI / 2.0;
        (cx + r * angle.cos(), cy + r * angle.sin())
    };
    let svg = html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (w) " " (h) } role="img" aria-labelledby="graph-title" {
            title #graph-title { "Entities related to " (center_name) }
            @for (i, _) in others.iter().enumerate() {
                @let (x, y) = position(i);
                line x1=(cx) y1=(cy) x2=(x) y2=(y) stroke="#9aa7b5" {}
            }
            @for (i, n) in others.iter().enumerate() {
                @let (x, y) = position(i);
                a href={ "/app/research/graph?id=" (seg(s(&n["id"]))) } {
                    circle cx=(x) cy=(y) r="6" fill="#2457c5" {}
                    text x=(x) y=(y - 10.0) text-anchor="middle" font-size="12" { (s(&n["name"])) }
                }
            }
            circle cx=(cx) cy=(cy) r="10" fill="#b3261e" {}
            text x=(cx) y=(cy + 26.0) text-anchor="middle" font-size="14" font-weight="700" { (center_name) }
        }
    };
    html! {
        h2 { (center_name) }
        figure { (svg) }
        div.scroll { table {
            thead { tr { th { "From" } th { "To" } th { "How" } } }
            tbody { @for e in &edges {
                tr {
                    td { (name(s(&e["source"]))) }
                    td { (name(s(&e["target"]))) }
                    td { @if let Some(d) = e["descriptions"].as_array().and_then(|d| d.first()) { (s(d)) } }
                }
            } }
        } }
    }
}
