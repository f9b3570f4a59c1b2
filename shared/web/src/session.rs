//! Sessions: the cookie that holds the bearer token, the signed-in person as the API sees
//! them (`GET /me`), CSRF checks on every form, and the development sign-in.

use crate::layout::{self, Page};
use crate::{Web, csrf};
use axum::Form;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

pub(crate) const COOKIE: &str = "plasma_session";
const CSRF_COOKIE: &str = "plasma_csrf";
/// How long a development sign-in lasts.
const DEV_SESSION_HOURS: i64 = 8;
pub(crate) const ROLES: [&str; 5] = ["admin", "editor", "analyst", "viewer", "service"];

/// Form fields in order, repeated names kept (bulk actions send one per checked row).
pub(crate) type Fields = Vec<(String, String)>;

pub(crate) fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

pub(crate) fn all<'a>(fields: &'a Fields, name: &str) -> Vec<&'a str> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Me {
    pub tenant: String,
    pub subject: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub permissions: Vec<String>,
}

/// A signed-in request.
pub(crate) struct Session {
    pub token: String,
    pub me: Me,
    pub csrf: String,
}

impl Session {
    pub fn may(&self, permission: &str) -> bool {
        self.me.permissions.iter().any(|p| p == permission)
    }

    /// The form's CSRF token must be this session's.
    pub fn check(&self, fields: &Fields) -> Result<(), Refused> {
        if csrf::matches(&self.csrf, field(fields, csrf::FIELD)) {
            Ok(())
        } else {
            Err(Refused)
        }
    }
}

/// A form without this session's CSRF token.
pub(crate) struct Refused;

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        forbidden_form()
    }
}

fn forbidden_form() -> Response {
    (
        StatusCode::FORBIDDEN,
        "This form expired or did not come from this site. Go back, reload the page and try again.",
    )
        .into_response()
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value: never readable by scripts, sent on same-site requests and top-level
/// navigations only, and over HTTPS only when the dashboard is served so.
pub(crate) fn cookie_header(
    web: &Web,
    name: &str,
    value: &str,
    path: &str,
    max_age: i64,
) -> HeaderValue {
    let secure = if web.0.secure_cookies { "; Secure" } else { "" };
    let text =
        format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&text).expect("cookie values are ASCII without separators")
}

fn set_cookie(web: &Web, name: &str, value: &str, max_age: i64) -> HeaderValue {
    cookie_header(web, name, value, "/", max_age)
}

/// Signed in as `token`: the cookie, then `next`.
pub(crate) fn start(web: &Web, token: &str, max_age: i64, next: &str) -> Response {
    let mut response = Redirect::to(safe_next(next)).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(web, COOKIE, token, max_age));
    response
}

/// Only paths of this dashboard: never an open redirect to another site.
pub(crate) fn safe_next(next: &str) -> &str {
    if next.starts_with("/app") && !next.starts_with("//") && !next.contains("://") {
        next
    } else {
        crate::BASE
    }
}

impl FromRequestParts<Web> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, web: &Web) -> Result<Self, Response> {
        let here = parts
            .uri
            .path_and_query()
            .map_or(crate::BASE.to_owned(), |p| p.as_str().to_owned());
        let to_signin = || {
            let next = url::form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>();
            Redirect::to(&format!("/app/signin?next={next}")).into_response()
        };
        let Some(token) = cookie(&parts.headers, COOKIE).filter(|t| !t.is_empty()) else {
            return Err(to_signin());
        };
        let reply = web.call(Method::GET, "/me", &token, None).await;
        if reply.status == StatusCode::UNAUTHORIZED {
            let mut response = to_signin();
            response
                .headers_mut()
                .append(header::SET_COOKIE, set_cookie(web, COOKIE, "", 0));
            return Err(response);
        }
        let me: Me = serde_json::from_value(reply.body.clone()).map_err(|_| {
            (
                StatusCode::BAD_GATEWAY,
                format!("who are you? {}", reply.problem()),
            )
                .into_response()
        })?;
        Ok(Session {
            csrf: csrf::token_for(&token),
            token,
            me,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct Next {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

pub(crate) async fn signin_page(State(web): State<Web>, Query(q): Query<Next>) -> Response {
    let pre = csrf::random();
    let next = q.next.unwrap_or_else(|| crate::BASE.into());
    let body = html! {
        section.card.narrow {
            h1 { "Sign in to Plasma Engine" }
            @if let Some(error) = &q.error { p.error role="alert" { (error) } }
            @if let Some(oidc) = &web.0.oidc {
                p { a.button href={ "/app/auth/login?next=" (url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()) } { "Sign in with " (oidc.name()) } }
            }
            @if web.0.dev_key.is_some() {
                form method="post" action="/app/signin" {
                    input type="hidden" name=(csrf::FIELD) value=(pre);
                    input type="hidden" name="next" value=(next);
                    p.hint { "Development sign-in: a token for any tenant and role, signed with this runner's development key." }
                    label for="tenant" { "Tenant" }
                    input #tenant name="tenant" required pattern="[a-z0-9][a-z0-9_\\-]{0,62}" value="demo" autocomplete="organization";
                    label for="subject" { "Your name" }
                    input #subject name="subject" required maxlength="80" value="dev-user" autocomplete="username";
                    label for="role" { "Role" }
                    select #role name="role" {
                        @for role in ROLES { option value=(role) selected[role == "admin"] { (role) } }
                    }
                    button type="submit" { "Sign in" }
                }
            }
            @if web.0.oidc.is_none() && web.0.dev_key.is_none() {
                p.error { "No sign-in is configured: set PLASMA_WEB_OIDC_ISSUER and PLASMA_WEB_OIDC_CLIENT_ID." }
            }
        }
    };
    let mut response = layout::bare(Page::titled("Sign in"), body).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&web, CSRF_COOKIE, &pre, 3600),
    );
    response
}

pub(crate) async fn dev_signin(
    State(web): State<Web>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let expected = cookie(&headers, CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !csrf::matches(&expected, field(&fields, csrf::FIELD)) {
        return forbidden_form();
    }
    let Some(key) = &web.0.dev_key else {
        return (StatusCode::NOT_FOUND, "development sign-in is off here").into_response();
    };
    let tenant = field(&fields, "tenant").trim();
    let subject = field(&fields, "subject").trim();
    let role = field(&fields, "role");
    let valid_tenant = !tenant.is_empty()
        && tenant.len() <= 63
        && tenant
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid_tenant || subject.is_empty() || subject.len() > 80 || !ROLES.contains(&role) {
        let error = "Use a tenant of lower-case letters, digits, - and _, a name, and a role.";
        let next = url::form_urlencoded::byte_serialize(error.as_bytes()).collect::<String>();
        return Redirect::to(&format!("/app/signin?error={next}")).into_response();
    }
    let token = key.issue(
        tenant,
        subject,
        &[role],
        chrono::Duration::hours(DEV_SESSION_HOURS),
        chrono::Utc::now(),
    );
    start(
        &web,
        &token,
        DEV_SESSION_HOURS * 3600,
        field(&fields, "next"),
    )
}

pub(crate) async fn signout(
    State(web): State<Web>,
    session: Session,
    Form(fields): Form<Fields>,
) -> Response {
    if let Err(refused) = session.check(&fields) {
        return refused.into_response();
    }
    let mut response = Redirect::to("/app/signin").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(&web, COOKIE, "", 0));
    response
}
