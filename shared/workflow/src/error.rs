//! The error reported for a definition that can't be read or doesn't hold together.

use serde::Serialize;
use std::fmt;
use utoipa::ToSchema;

/// One problem in a definition, naming where it is so an editor can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DefinitionError {
    /// The step's id; `None` for the definition's own fields and for text that isn't JSON
    /// or YAML at all.
    pub step: Option<String>,
    /// The field within the step (or definition), like `retry.attempts` or
    /// `choices[0].when.path`; empty when the text itself can't be read.
    pub field: String,
    pub message: String,
}

impl DefinitionError {
    pub(crate) fn new(
        step: Option<&str>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            step: step.map(str::to_owned),
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.step, self.field.is_empty()) {
            (Some(step), false) => write!(f, "step `{step}`, field `{}`: ", self.field)?,
            (Some(step), true) => write!(f, "step `{step}`: ")?,
            (None, false) => write!(f, "field `{}`: ", self.field)?,
            (None, true) => {}
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for DefinitionError {}
