//! Query-string filters that name the bad parameter in their 400s (axum's `Query` rejection
//! only says the string failed to deserialize).

use crate::Problem;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

pub struct Params(HashMap<String, String>);

pub fn invalid(field: &str, detail: impl Into<String>) -> Problem {
    Problem::invalid(detail).with("field", field)
}

impl Params {
    /// Unknown and repeated parameters are refused: a typo must not silently widen a filter.
    pub fn parse(raw: Option<String>, allowed: &[&str]) -> Result<Self, Problem> {
        let mut map = HashMap::new();
        let raw = raw.unwrap_or_default();
        for (name, value) in url::form_urlencoded::parse(raw.as_bytes()) {
            if !allowed.contains(&name.as_ref()) {
                return Err(invalid(
                    &name,
                    format!("unknown parameter; expected one of {}", allowed.join(", ")),
                ));
            }
            if map.insert(name.to_string(), value.to_string()).is_some() {
                return Err(invalid(&name, "given more than once"));
            }
        }
        Ok(Self(map))
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }

    /// The parameter through `parse`, or a 400 saying what was `expected`.
    pub fn get<T>(
        &self,
        name: &str,
        expected: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, Problem> {
        self.0
            .get(name)
            .map(|v| parse(v).ok_or_else(|| invalid(name, format!("expected {expected}"))))
            .transpose()
    }

    pub fn time(&self, name: &str) -> Result<Option<DateTime<Utc>>, Problem> {
        self.get(name, "an RFC 3339 time", |v| {
            DateTime::parse_from_rfc3339(v)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
    }

    pub fn flag(&self, name: &str) -> Result<Option<bool>, Problem> {
        self.get(name, "true or false", |v| v.parse().ok())
    }
}
