//! The error a query string can fail to parse with.

use serde::Serialize;
use thiserror::Error;

/// A syntax error, pointing at the offending token so an API can answer 400 with a location.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[error("{message} (at character {position})")]
pub struct ParseError {
    /// 0-based offset in characters (not bytes) from the start of the query string.
    pub position: usize,
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(position: usize, message: impl Into<String>) -> Self {
        Self {
            position,
            message: message.into(),
        }
    }
}
