//! JSON request bodies whose errors say exactly what is wrong: malformed JSON gives the line
//! and column, a wrong or missing field gives its path (`field`), an oversized body is 413.

use crate::problem::Problem;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use bytes::Bytes;
use serde::de::DeserializeOwned;

/// Largest JSON body any route accepts unless it sets its own limit.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json")
            });
        if !is_json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Unsupported media type",
            )
            .detail("send the body as application/json"));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                Problem::invalid(rejection.body_text())
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

pub fn too_large() -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "Payload too large",
    )
    .detail("the request body is larger than this route accepts")
}

/// Deserialize a JSON body, mapping failures to problems.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        if e.inner().is_syntax() || e.inner().is_eof() {
            let inner = e.into_inner();
            Problem::new(StatusCode::BAD_REQUEST, "malformed_json", "Malformed JSON")
                .detail(format!("the body is not valid JSON: {inner}"))
                .with("line", inner.line())
                .with("column", inner.column())
        } else {
            invalid_field(e)
        }
    })
}

/// Deserialize JSON already parsed (a surface that builds its input rather than reading a
/// body), with the same `invalid_field` problems as [`parse`].
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Problem> {
    serde_path_to_error::deserialize(value).map_err(invalid_field)
}

fn invalid_field(e: serde_path_to_error::Error<serde_json::Error>) -> Problem {
    let path = e.path().to_string();
    // serde reports a missing field at its parent; name the field itself.
    let message = e.into_inner().to_string();
    let field = missing_field(&message)
        .map(|f| {
            if path == "." {
                f.to_string()
            } else {
                format!("{path}.{f}")
            }
        })
        .unwrap_or(path);
    Problem::new(StatusCode::BAD_REQUEST, "invalid_field", "Invalid field")
        .detail(format!("{field}: {}", strip_position(&message)))
        .with("field", field)
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        limits: Limits,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Limits {
        per_minute: u32,
    }

    #[test]
    fn names_the_field_at_fault() {
        let p = parse::<Body>(br#"{"name":"a","limits":{"per_minute":"x"}}"#).unwrap_err();
        assert_eq!(p.code, "invalid_field");
        assert_eq!(p.extra["field"], "limits.per_minute");
        let p = parse::<Body>(br#"{"limits":{"per_minute":1}}"#).unwrap_err();
        assert_eq!(p.extra["field"], "name");
        let p = parse::<Body>(br#"{"name":"a","limits":{}}"#).unwrap_err();
        assert_eq!(p.extra["field"], "limits.per_minute");
    }

    #[test]
    fn built_values_name_the_field_as_bodies_do() {
        let p = from_value::<Body>(serde_json::json!({"name": "a", "limits": {}})).unwrap_err();
        assert_eq!(
            (p.code, &p.extra["field"]),
            ("invalid_field", &"limits.per_minute".into())
        );
    }

    #[test]
    fn syntax_errors_give_the_position() {
        let p = parse::<Body>(b"{\"name\": ").unwrap_err();
        assert_eq!(p.code, "malformed_json");
        assert_eq!(p.extra["line"], 1);
    }
}
