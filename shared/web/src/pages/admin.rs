//! Admin: API keys (create, revoke), what each role may do, the audit log, and the caller's
//! rate-limit budget as the gateway reports it.

use super::{Call, act, items, s, seg, when};
use crate::Web;
use crate::layout::{self, Flash, Page, csrf_input};
use crate::session::{Fields, ROLES, Session, field};
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{Method, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use maud::html;
use plasma_gateway::{Permission, Role};
use serde_json::json;

pub(crate) fn routes() -> Router<Web> {
    Router::new()
        .route("/app/admin", get(page).post(create_key))
        .route("/app/admin/keys/{id}/revoke", post(revoke))
}

pub(crate) async fn page(
    State(web): State<Web>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Html<String> {
    render(&web, &session, &flash, None).await
}

/// The page; `created` is a new key's secret, shown in the answer to the form that made it.
async fn render(
    web: &Web,
    session: &Session,
    flash: &Flash,
    created: Option<&str>,
) -> Html<String> {
    let keys = web.get("/admin/api-keys", &session.token).await;
    let audit = web.get("/admin/audit?limit=50", &session.token).await;
    let rate = audit.rate_limit();
    let body = html! {
        (flash.render())
        @if let Some(secret) = created {
            section.card.notice role="status" {
                p { "Created. Copy the key now, it is shown once:" }
                p { code #new-key { (secret) } }
            }
        }
        @if !keys.ok() { p.error role="alert" { (keys.problem()) } }
        section.card {
            h2 { "Rate limit" }
            @if let Some((remaining, limit)) = &rate { p #rate-limit { (remaining) " of " (limit) " requests left this minute for you." } }
            @else { p.muted { "No limit applies." } }
        }
        section.card {
            h2 { "API keys" }
            div.scroll { table {
                thead { tr { th { "Name" } th { "Role" } th { "Created" } th { "" } } }
                tbody { @for k in items(&keys.body) {
                    tr {
                        td { (s(&k["name"])) } td { (s(&k["role"])) } td { (when(&k["created_at"])) }
                        td { @if k["revoked_at"].is_null() {
                            form.inline method="post" action={ "/app/admin/keys/" (seg(s(&k["id"]))) "/revoke" } { (csrf_input(session)) button.danger type="submit" { "Revoke" } }
                        } @else { "revoked" } }
                    }
                } }
            } }
            form method="post" action="/app/admin" {
                (csrf_input(session))
                label for="kname" { "Name" }
                input #kname name="name" required maxlength="100";
                label for="krole" { "Role" }
                select #krole name="role" { @for r in ROLES { option value=(r) selected[r == "service"] { (r) } } }
                button type="submit" { "Create key" }
            }
        }
        section.card {
            h2 { "Members and roles" }
            p.hint { "People sign in through the identity provider; their roles come from its token. Each role may:" }
            div.scroll { table {
                thead { tr { th { "Permission" } @for r in Role::ALL { th { (r.as_str()) } } } }
                tbody { @for p in Permission::ALL {
                    tr { td { (p.as_str()) } @for r in Role::ALL { td { @if r.grants(p) { "✓" } } } }
                } }
            } }
        }
        section.card {
            h2 { "Audit log" }
            div.scroll { table {
                thead { tr { th { "When" } th { "Who" } th { "Did" } th { "Outcome" } } }
                tbody { @for a in items(&audit.body) {
                    tr { td { (when(&a["at"])) } td { (s(&a["actor"])) } td { (s(&a["action"])) " " (s(&a["resource"])) } td { (s(&a["outcome"])) } }
                } }
            } }
        }
    };
    layout::page(session, Page::in_section("admin", "Admin"), body)
}

pub(crate) async fn create_key(
    State(web): State<Web>,
    session: Session,
    Form(fields): Form<Fields>,
) -> Response {
    if let Err(refused) = session.check(&fields) {
        return refused.into_response();
    }
    let body = json!({"name": field(&fields, "name"), "role": field(&fields, "role")});
    let reply = web
        .call(Method::POST, "/admin/api-keys", &session.token, Some(body))
        .await;
    if reply.ok() {
        // In this answer only: a redirect would carry the secret in a URL, into the browser's
        // history, logs and Referer headers. Nothing may keep the page either.
        let secret = s(&reply.body["secret"]);
        let page = render(&web, &session, &Flash::default(), Some(secret)).await;
        ([(header::CACHE_CONTROL, "no-store")], page).into_response()
    } else {
        layout::failed("/app/admin", &reply.problem())
    }
}

pub(crate) async fn revoke(
    State(web): State<Web>,
    session: Session,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let call = Call {
        method: Method::DELETE,
        path: format!("/admin/api-keys/{}", seg(&id)),
        body: None,
    };
    act(&web, &session, &fields, call, "/app/admin", "Revoked.").await
}
