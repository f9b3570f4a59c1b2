//! What a research request may ask for, the same on every surface. The numbers are here; the
//! request types (`SearchBody`, `AskRequest`, `NewJob`) carry them into their JSON schemas
//! through the functions below, and `plasma_gateway::use_case::parse` enforces those schemas
//! on REST, GraphQL, the MCP tools and the workflow tools alike.

use std::ops::RangeInclusive;
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};

/// The longest question `ask` and research jobs take.
pub const MAX_QUESTION_CHARS: usize = 2000;
/// The longest search query.
pub const MAX_QUERY_CHARS: usize = 2000;
/// How many results a search may return.
pub const TOP_K: RangeInclusive<usize> = 1..=100;
/// How many results a search returns when the caller doesn't say.
pub const DEFAULT_TOP_K: usize = 10;

/// A question: not blank, at most [`MAX_QUESTION_CHARS`].
pub fn question() -> Object {
    text(MAX_QUESTION_CHARS)
}

/// A search query: not blank, at most [`MAX_QUERY_CHARS`].
pub fn query() -> Object {
    text(MAX_QUERY_CHARS)
}

/// The number of results: within [`TOP_K`], [`DEFAULT_TOP_K`] when not given.
pub fn top_k() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .minimum(Some(*TOP_K.start()))
        .maximum(Some(*TOP_K.end()))
        .default(Some(DEFAULT_TOP_K.into()))
        .description(Some(format!(
            "How many results: {} to {}, default {DEFAULT_TOP_K}.",
            TOP_K.start(),
            TOP_K.end()
        )))
        .build()
}

fn text(max_chars: usize) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(max_chars))
        .description(Some(format!("Not blank; at most {max_chars} characters.")))
        .build()
}
