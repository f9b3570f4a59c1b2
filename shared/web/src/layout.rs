//! The page shell: header with the tenant and the sign-out form, navigation to the sections
//! the caller may use, notices, and the stylesheet and script every page shares.

use crate::csrf;
use crate::session::Session;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;

pub(crate) struct Page {
    pub title: String,
    /// The navigation entry to mark current.
    pub section: &'static str,
}

impl Page {
    pub fn titled(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            section: "",
        }
    }

    pub fn in_section(section: &'static str, title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            section,
        }
    }
}

/// One-off messages after an action (post, redirect, get), from the query string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Flash {
    #[serde(default)]
    pub notice: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

impl Flash {
    pub fn render(&self) -> Markup {
        html! {
            @if let Some(notice) = &self.notice { p.notice role="status" { (notice) } }
            @if let Some(error) = &self.error { p.error role="alert" { (error) } }
        }
    }
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Back to `path` with a notice.
pub(crate) fn done(path: &str, notice: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}notice={}", encode(notice))).into_response()
}

/// Back to `path` with what went wrong.
pub(crate) fn failed(path: &str, error: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}error={}", encode(error))).into_response()
}

const SECTIONS: [(&str, &str, &str); 5] = [
    ("research", "Research", "research:read"),
    ("brand", "Brand", "brand:read"),
    ("content", "Content", "content:read"),
    ("agents", "Agents", "agent:run"),
    ("admin", "Admin", "admin:*"),
];

pub(crate) fn csrf_input(session: &Session) -> Markup {
    html! { input type="hidden" name=(csrf::FIELD) value=(session.csrf); }
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Plasma Engine" }
            link rel="stylesheet" href="/app/static/app.css";
            link rel="icon" href="data:,";
            script src="/app/static/app.js" defer {}
        }
    }
}

pub(crate) fn page(session: &Session, page: Page, body: Markup) -> Html<String> {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(&page.title))
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a.brand href="/app" { "Plasma Engine" }
                    nav aria-label="Sections" {
                        ul {
                            @for (id, name, permission) in SECTIONS {
                                @if session.may(permission) {
                                    li { a href={ "/app/" (id) } aria-current=[(page.section == id).then_some("page")] { (name) } }
                                }
                            }
                        }
                    }
                    div.who {
                        span { (session.me.subject) " · " strong { (session.me.tenant) } " · " (session.me.roles.join(", ")) }
                        form method="post" action="/app/signout" {
                            (csrf_input(session))
                            button.link type="submit" { "Sign out" }
                        }
                    }
                }
                main #main { h1 { (page.title) } (body) }
            }
        }
    };
    Html(markup.into_string())
}

/// A page without the signed-in shell (sign-in).
pub(crate) fn bare(page: Page, body: Markup) -> Html<String> {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(&page.title))
            body { main #main { (body) } }
        }
    };
    Html(markup.into_string())
}

pub(crate) async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        include_str!("../static/app.css"),
    )
}

pub(crate) async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        include_str!("../static/app.js"),
    )
}
