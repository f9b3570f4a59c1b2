//! `/app`: where to go next, by what the caller may do.

use crate::layout::{self, Page};
use crate::session::Session;
use axum::response::Html;
use maud::html;

pub(crate) async fn page(session: Session) -> Html<String> {
    let sections = [
        (
            "research",
            "Research",
            "research:read",
            "Upload documents, ask questions with citations, explore the knowledge graph.",
        ),
        (
            "brand",
            "Brand",
            "brand:read",
            "Monitors, the mention inbox, analytics, alerts and reports.",
        ),
        (
            "content",
            "Content",
            "content:read",
            "Voice profiles, drafts from a brief, compliance, approvals and the calendar.",
        ),
        (
            "agents",
            "Agents",
            "agent:run",
            "Workflows, executions step by step, approvals and replays.",
        ),
        (
            "admin",
            "Admin",
            "admin:*",
            "API keys, roles, the audit log and rate limits.",
        ),
    ];
    let body = html! {
        div.grid {
            @for (id, name, permission, what) in sections {
                @if session.may(permission) {
                    section.card { h2 { a href={ "/app/" (id) } { (name) } } p { (what) } }
                }
            }
        }
    };
    layout::page(&session, Page::titled("Dashboard"), body)
}
