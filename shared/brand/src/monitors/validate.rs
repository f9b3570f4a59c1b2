//! Turning a client's [`NewMonitor`] into a [`Monitor`], or a 400 naming the field.

use super::{Monitor, NewMonitor, SourceKind};
use crate::query::{Query, QueryPart};
use crate::scan::BrandSettings;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use plasma_http::Problem;
use plasma_http::outbound::{Egress, check_url};

const MAX_NAME_CHARS: usize = 200;
/// Per list (names, aliases, handles, hashtags, competitors, languages, exclusions, sources):
/// a monitor is a focused watch, and every source costs a job per scan.
const MAX_LIST: usize = 50;
const MAX_QUERY_CHARS: usize = 4_000;

/// Every refusal here names the field at fault, as a body that fails to deserialize does.
fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, "invalid_field", "Invalid field")
        .detail(detail)
        .with("field", field.into())
}

/// Check and normalise `new`. Competitor ids are checked against the store by the caller.
/// Source URLs are held to `egress`, and those of kinds that carry an operator credential to
/// the hosts `settings` allow for it.
pub fn validate(
    new: NewMonitor,
    egress: Egress,
    settings: &BrandSettings,
    id: String,
    now: DateTime<Utc>,
) -> Result<Monitor, Problem> {
    let name = new.name.trim().to_string();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(
            "name",
            format!("a name has 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    let names = terms("names", new.names, "")?;
    let aliases = terms("aliases", new.aliases, "")?;
    let handles = terms("handles", new.handles, "@")?;
    let hashtags = terms("hashtags", new.hashtags, "#")?;
    let competitors = terms("competitors", new.competitors, "")?;
    let languages = terms("languages", new.languages, "")?;
    limit("exclusions", new.exclusions.len())?;
    limit("sources", new.sources.len())?;
    let query = match new.query.map(|q| q.trim().to_string()) {
        Some(q) if !q.is_empty() => q,
        _ => default_query(&names, &aliases, &handles, &hashtags).ok_or_else(|| {
            invalid(
                "query",
                "give a query, or names, aliases, handles or hashtags to build one from",
            )
        })?,
    };
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(invalid(
            "query",
            format!("a query has at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    if let Err(e) = Query::parse_with_exclusions(&query, &new.exclusions) {
        let field = match e.part {
            QueryPart::Include => "query".to_string(),
            QueryPart::Exclusion(i) => format!("exclusions[{i}]"),
        };
        return Err(
            Problem::new(StatusCode::BAD_REQUEST, "invalid_query", "Invalid query")
                .detail(format!("{field}: {}", e.error))
                .with("field", field)
                .with("position", e.error.position),
        );
    }
    for (i, source) in new.sources.iter().enumerate() {
        match (&source.url, source.kind) {
            (None, SourceKind::Rss) => {
                return Err(invalid(
                    format!("sources[{i}].url"),
                    "an rss source needs the feed URL",
                ));
            }
            (Some(url), kind) => {
                let field = || format!("sources[{i}].url");
                check_url(egress, url).map_err(|e| invalid(field(), e.to_string()))?;
                settings
                    .check_source_url(kind, url)
                    .map_err(|reason| invalid(field(), reason))?;
            }
            (None, _) => {}
        }
    }
    Ok(Monitor {
        id,
        name,
        names,
        aliases,
        handles,
        hashtags,
        competitors,
        languages,
        query,
        exclusions: new.exclusions,
        sources: new.sources,
        created_at: now,
        version: 1,
    })
}

fn limit(field: &str, len: usize) -> Result<(), Problem> {
    if len > MAX_LIST {
        return Err(invalid(field, format!("at most {MAX_LIST} entries")));
    }
    Ok(())
}

/// Trimmed, `prefix` stripped, non-empty and free of quotes (they would break the built
/// query), duplicates dropped.
fn terms(field: &str, given: Vec<String>, prefix: &str) -> Result<Vec<String>, Problem> {
    limit(field, given.len())?;
    let mut out: Vec<String> = Vec::new();
    for (i, term) in given.into_iter().enumerate() {
        let term = term.trim();
        let term = term.strip_prefix(prefix).unwrap_or(term).trim().to_string();
        if term.is_empty() || term.contains('"') || term.chars().count() > MAX_NAME_CHARS {
            return Err(invalid(
                format!("{field}[{i}]"),
                format!("1 to {MAX_NAME_CHARS} characters, without '\"'"),
            ));
        }
        if !out.contains(&term) {
            out.push(term);
        }
    }
    Ok(out)
}

/// `"acme corp" OR acme OR @acmehq OR #acme`: any brand term, phrases quoted.
fn default_query(
    names: &[String],
    aliases: &[String],
    handles: &[String],
    hashtags: &[String],
) -> Option<String> {
    let mut parts: Vec<String> = names
        .iter()
        .chain(aliases)
        .map(|n| format!("\"{n}\""))
        .collect();
    parts.extend(handles.iter().map(|h| format!("@{h}")));
    parts.extend(hashtags.iter().map(|h| format!("#{h}")));
    (!parts.is_empty()).then(|| parts.join(" OR "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(query: Option<&str>, exclusions: &[&str]) -> NewMonitor {
        serde_json::from_value(serde_json::json!({
            "name": "Acme",
            "names": ["Acme Corp"],
            "handles": ["@acmehq"],
            "hashtags": ["#acme"],
            "query": query,
            "exclusions": exclusions,
        }))
        .unwrap()
    }

    #[test]
    fn builds_a_query_from_the_brand_terms() {
        let m = validate(
            new(None, &[]),
            Egress::default(),
            &BrandSettings::default(),
            "m".into(),
            Utc::now(),
        )
        .unwrap();
        assert_eq!(m.query, "\"Acme Corp\" OR @acmehq OR #acme");
        assert!(Query::parse(&m.query).unwrap().matches("I like Acme Corp"));
    }

    #[test]
    fn syntax_errors_name_the_field_and_position() {
        let e = validate(
            new(Some("acme"), &["ok", "(broken"]),
            Egress::default(),
            &BrandSettings::default(),
            "m".into(),
            Utc::now(),
        )
        .unwrap_err();
        let body = serde_json::to_value(&e).unwrap();
        assert_eq!(body["code"], "invalid_query");
        assert_eq!(body["field"], "exclusions[1]");
        assert!(body["position"].is_u64(), "{body}");
    }
}
