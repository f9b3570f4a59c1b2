//! What a research request may ask for, the same on every surface: REST, GraphQL, the MCP
//! tools and the workflow tools all check their input here, so no surface is a cheaper or
//! looser way to reach the same work.

use plasma_http::Problem;
use plasma_http::params::invalid;
use std::ops::RangeInclusive;

/// The longest question `ask` and research jobs take.
pub const MAX_QUESTION_CHARS: usize = 2000;
/// The longest search query.
pub const MAX_QUERY_CHARS: usize = 2000;
/// How many results a search may return.
pub const TOP_K: RangeInclusive<usize> = 1..=100;
/// How many results a search returns when the caller doesn't say.
pub const DEFAULT_TOP_K: usize = 10;

/// A question: not blank, at most [`MAX_QUESTION_CHARS`]. `field` is the caller's name for it.
pub fn question(field: &str, text: &str) -> Result<(), Problem> {
    text_within(field, text, MAX_QUESTION_CHARS)
}

/// A search query: not blank, at most [`MAX_QUERY_CHARS`].
pub fn query(field: &str, text: &str) -> Result<(), Problem> {
    text_within(field, text, MAX_QUERY_CHARS)
}

/// The number of results to return: [`DEFAULT_TOP_K`] when not given, within [`TOP_K`].
pub fn top_k(field: &str, given: Option<usize>) -> Result<usize, Problem> {
    let top_k = given.unwrap_or(DEFAULT_TOP_K);
    if TOP_K.contains(&top_k) {
        Ok(top_k)
    } else {
        Err(invalid(
            field,
            format!("from {} to {}", TOP_K.start(), TOP_K.end()),
        ))
    }
}

fn text_within(field: &str, text: &str, max: usize) -> Result<(), Problem> {
    if text.trim().is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    if text.chars().count() > max {
        return Err(invalid(field, format!("at most {max} characters")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_name_the_field() {
        assert!(question("question", &"q".repeat(MAX_QUESTION_CHARS)).is_ok());
        let long = question("question", &"q".repeat(MAX_QUESTION_CHARS + 1)).unwrap_err();
        assert_eq!(
            (long.status, long.extra["field"].as_str()),
            (400, Some("question"))
        );
        assert!(query("q", " \n").is_err());
        assert_eq!(top_k("top_k", None).unwrap(), DEFAULT_TOP_K);
        assert_eq!(top_k("top_k", Some(100)).unwrap(), 100);
        assert_eq!(top_k("topK", Some(0)).unwrap_err().extra["field"], "topK");
    }
}
