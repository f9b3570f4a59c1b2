//! Errors as RFC 9457 problem details. `code` is the stable, machine-readable part clients
//! branch on; `title` and `detail` are for people and may change.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use plasma_core::PortError;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

pub const CONTENT_TYPE: &str = "application/problem+json";

/// Codes and titles are fixed strings: they are part of the API, never built from input.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub status: u16,
    pub code: &'static str,
    pub title: &'static str,
    pub detail: Option<String>,
    /// Extension members (e.g. `field`, `permission`).
    pub extra: Map<String, Value>,
    headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut doc = Map::new();
        doc.insert(
            "type".into(),
            format!("https://plasma.dev/problems/{}", self.code).into(),
        );
        doc.insert("title".into(), self.title.into());
        doc.insert("status".into(), self.status.into());
        doc.insert("code".into(), self.code.into());
        if let Some(detail) = &self.detail {
            doc.insert("detail".into(), detail.as_str().into());
        }
        for (k, v) in &self.extra {
            doc.entry(k.clone()).or_insert_with(|| v.clone());
        }
        doc.serialize(serializer)
    }
}

/// The document's shape for the OpenAPI document, written by hand because serialization is.
impl utoipa::PartialSchema for Problem {
    fn schema() -> RefOr<Schema> {
        let text = |description: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(description))
        };
        ObjectBuilder::new()
            .description(Some(
                "RFC 9457 problem details. `code` is stable; extension members such as \
                 `field` or `permission` are added where they help.",
            ))
            .property("type", text("A URI naming the problem"))
            .property("title", text("A short summary for people"))
            .property(
                "status",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .description(Some("The HTTP status")),
            )
            .property("code", text("The stable, machine-readable code"))
            .property("detail", text("What went wrong in this case"))
            .required("type")
            .required("title")
            .required("status")
            .required("code")
            .into()
    }
}

impl utoipa::ToSchema for Problem {}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, title: &'static str) -> Self {
        Self {
            status: status.as_u16(),
            code,
            title,
            detail: None,
            extra: Map::new(),
            headers: Vec::new(),
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    pub fn header(mut self, name: header::HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Not found")
            .detail(format!("{what} was not found"))
    }

    pub fn invalid(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Invalid request",
        )
        .detail(detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
        )
        .detail(detail)
        .header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
    }

    pub fn forbidden(permission: &str) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Permission denied")
            .detail(format!("this action needs the {permission} permission"))
            .with("permission", permission)
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict").detail(detail)
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
        )
        .detail("the request failed on our side; it has been logged")
    }

    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
        )
        .detail(detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        for (name, value) in self.headers {
            headers.insert(name, value);
        }
        response
    }
}

/// Port failures reach clients as problems; backend details stay in the logs.
impl From<PortError> for Problem {
    fn from(e: PortError) -> Self {
        match e {
            PortError::Conflict(d) => Problem::conflict(d),
            PortError::TransactionCanceled { .. } => {
                Problem::conflict("the resource changed concurrently; retry")
            }
            PortError::Invalid(d) => Problem::invalid(d),
            PortError::NotConfigured(d) | PortError::Backend(d) => {
                tracing::error!(error = %d, "port failure");
                Problem::unavailable("a backing service failed; retry later")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_rfc9457_members_and_extensions() {
        let p = Problem::invalid("bad").with("field", "name");
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["status"], 400);
        assert_eq!(v["code"], "invalid_request");
        assert_eq!(v["type"], "https://plasma.dev/problems/invalid_request");
        assert_eq!(v["field"], "name");
        let r = p.into_response();
        assert_eq!(r.headers()[header::CONTENT_TYPE], CONTENT_TYPE);
    }
}
