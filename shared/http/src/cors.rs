//! CORS from `PLASMA_CORS_ORIGINS`: comma-separated origins (`https://app.example.com`) or
//! `*`. Unset or blank means no CORS headers at all; deployed, API Gateway answers CORS itself
//! and this stays unset.
//!
//! Preflight `OPTIONS` requests are answered by the layer before routing, so they need no
//! credentials on any route. Browsers may read the `RateLimit-*` headers, `Retry-After` and
//! the request id. Credentials (cookies) are never allowed: the API takes bearer tokens.

use crate::middleware::{RATELIMIT_LIMIT, RATELIMIT_REMAINING, RATELIMIT_RESET, REQUEST_ID_HEADER};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::response::Response;
use plasma_core::ConfigError;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub const CORS_ORIGINS_VAR: &str = "PLASMA_CORS_ORIGINS";

#[derive(Debug, Clone, Default, PartialEq)]
pub enum Cors {
    #[default]
    Disabled,
    AnyOrigin,
    Origins(Vec<HeaderValue>),
}

impl Cors {
    pub fn from_env() -> Result<Self, ConfigError> {
        match std::env::var(CORS_ORIGINS_VAR) {
            Ok(value) => Self::parse(&value),
            Err(std::env::VarError::NotPresent) => Ok(Self::Disabled),
            Err(std::env::VarError::NotUnicode(_)) => Err(malformed("not valid UTF-8".into())),
        }
    }

    pub fn parse(value: &str) -> Result<Self, ConfigError> {
        let entries: Vec<&str> = value
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        match entries.as_slice() {
            [] => Ok(Self::Disabled),
            ["*"] => Ok(Self::AnyOrigin),
            _ => entries
                .into_iter()
                .map(origin)
                .collect::<Result<_, _>>()
                .map(Self::Origins),
        }
    }

    /// `None` when disabled.
    pub(crate) fn layer(&self) -> Option<CorsLayer> {
        let allow_origin = match self {
            Cors::Disabled => return None,
            Cors::AnyOrigin => AllowOrigin::any(),
            Cors::Origins(list) => AllowOrigin::list(list.iter().cloned()),
        };
        Some(
            CorsLayer::new()
                .allow_origin(allow_origin)
                .allow_methods([
                    Method::GET,
                    Method::HEAD,
                    Method::POST,
                    Method::PUT,
                    Method::PATCH,
                    Method::DELETE,
                ])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    HeaderName::from_static("idempotency-key"),
                    HeaderName::from_static("x-api-key"),
                    HeaderName::from_static(REQUEST_ID_HEADER),
                ])
                .expose_headers([
                    HeaderName::from_static(RATELIMIT_LIMIT),
                    HeaderName::from_static(RATELIMIT_REMAINING),
                    HeaderName::from_static(RATELIMIT_RESET),
                    header::RETRY_AFTER,
                    HeaderName::from_static(REQUEST_ID_HEADER),
                ])
                .max_age(Duration::from_secs(600)),
        )
    }
}

/// tower-http answers every preflight with the allowed methods and headers, even for an
/// origin it refuses (it only leaves out `Access-Control-Allow-Origin`); tell a refused origin
/// nothing about the API.
pub(crate) async fn silence_refused_origins(mut response: Response) -> Response {
    let headers = response.headers_mut();
    if !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
        for name in [
            header::ACCESS_CONTROL_ALLOW_METHODS,
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            header::ACCESS_CONTROL_MAX_AGE,
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
        ] {
            headers.remove(name);
        }
    }
    response
}

/// Browsers send `scheme://host[:port]` in lower case with no path; anything else in the list
/// could never match, so it is refused rather than silently ignored.
fn origin(entry: &str) -> Result<HeaderValue, ConfigError> {
    let lower = entry.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| malformed(format!("{entry:?} is not an http(s) origin")))?;
    if host.is_empty() || host.contains(['/', '?', '#', '*', ' ']) {
        return Err(malformed(format!(
            "{entry:?} is not an origin (scheme://host[:port], no path; '*' only alone)"
        )));
    }
    HeaderValue::from_str(&lower).map_err(|e| malformed(format!("{entry:?}: {e}")))
}

fn malformed(why: String) -> ConfigError {
    ConfigError::Malformed {
        var: CORS_ORIGINS_VAR.into(),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_wildcard_and_blank() {
        assert_eq!(Cors::parse("").unwrap(), Cors::Disabled);
        assert_eq!(Cors::parse(" * ").unwrap(), Cors::AnyOrigin);
        assert_eq!(
            Cors::parse("https://App.example.com, http://localhost:5173,").unwrap(),
            Cors::Origins(vec![
                HeaderValue::from_static("https://app.example.com"),
                HeaderValue::from_static("http://localhost:5173"),
            ])
        );
    }

    #[test]
    fn errors_name_the_variable() {
        for bad in [
            "app.example.com",
            "https://app.example.com/",
            "*,https://a.example.com",
            "https://*.example.com",
            "https://",
        ] {
            let err = Cors::parse(bad).unwrap_err();
            assert!(err.to_string().contains(CORS_ORIGINS_VAR), "{bad}: {err}");
        }
    }
}
