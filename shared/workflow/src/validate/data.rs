//! Paths, input templates and conditions: their syntax, and what each path may refer to.

use super::Check;
use crate::definition::{Condition, Step};
use crate::paths::{Path, Segment, Text, classify, holds_path};
use serde_json::Value;

/// The steps a path can refer to from where it is written: the steps of its own list and of
/// every list around it, except the parallel or map steps it is inside (their output exists
/// only once they finish). Steps inside another branch or map are reached through that
/// parallel or map step's output.
pub(super) struct Scope<'a> {
    steps: &'a [Step],
    outer: Option<&'a Scope<'a>>,
    /// The parallel or map step this list belongs to.
    container: Option<&'a str>,
    in_map: bool,
}

enum Sight {
    Visible,
    Encloses,
    Hidden,
}

impl<'a> Scope<'a> {
    pub(super) fn top(steps: &'a [Step]) -> Self {
        Self {
            steps,
            outer: None,
            container: None,
            in_map: false,
        }
    }

    pub(super) fn inner(&'a self, steps: &'a [Step], container: &'a str, map: bool) -> Self {
        Self {
            steps,
            outer: Some(self),
            container: Some(container),
            in_map: self.in_map || map,
        }
    }

    fn sees(&self, id: &str) -> Sight {
        if self.steps.iter().any(|s| s.id == id) {
            Sight::Visible
        } else if self.container == Some(id) {
            Sight::Encloses
        } else {
            self.outer.map_or(Sight::Hidden, |outer| outer.sees(id))
        }
    }
}

impl Check<'_> {
    pub(super) fn path(&mut self, id: &str, field: &str, text: &str, scope: &Scope) {
        let path = match Path::parse(text) {
            Ok(path) => path,
            Err(e) => return self.error(Some(id), field, e.to_string()),
        };
        let problem = match path.segments() {
            [Segment::Name(root), ..] if root == "input" => None,
            [Segment::Name(root), ..] if root == "item" => (!scope.in_map)
                .then(|| format!("`{text}`: `$.item` exists only in the steps of a map")),
            [Segment::Name(root), Segment::Name(step), ..] if root == "steps" => {
                match scope.sees(step) {
                    Sight::Visible => None,
                    Sight::Encloses => Some(format!(
                        "`{text}`: this step runs inside `{step}`, whose output exists only once it has finished"
                    )),
                    Sight::Hidden if self.ids.contains(step.as_str()) => Some(format!(
                        "`{text}`: `{step}` runs inside another branch or map; use the output of the parallel or map step around it"
                    )),
                    Sight::Hidden => Some(format!("`{text}`: there is no step `{step}`")),
                }
            }
            _ => Some(format!(
                "`{text}`: paths start with `$.input`, `$.item` or `$.steps.<id>`"
            )),
        };
        if let Some(problem) = problem {
            self.error(Some(id), field, problem);
        }
    }

    /// An input template: any JSON, where strings starting with `$.` are paths.
    pub(super) fn template(&mut self, id: &str, field: &str, value: &Value, scope: &Scope) {
        match value {
            Value::String(text) => {
                if let Text::Path(path) = classify(text) {
                    self.path(id, field, path, scope);
                }
            }
            Value::Object(fields) => {
                for (key, value) in fields {
                    let field = format!("{field}.{key}");
                    if key.ends_with(".$") {
                        self.error(
                            Some(id),
                            &field,
                            "keys ending in `.$` are reserved by Step Functions",
                        );
                    }
                    self.template(id, &field, value, scope);
                }
            }
            Value::Array(items) => {
                // Step Functions evaluates no paths inside arrays; the compiler builds such an
                // array with `States.Array`, which takes paths and plain values only.
                let holds_path = items.iter().any(holds_path);
                for (i, item) in items.iter().enumerate() {
                    let field = format!("{field}[{i}]");
                    let argument = match item {
                        Value::Array(_) | Value::Object(_) => false,
                        Value::Number(n) => n.is_i64() || n.is_u64(),
                        Value::String(_) | Value::Bool(_) | Value::Null => true,
                    };
                    if holds_path && !argument {
                        self.error(
                            Some(id),
                            &field,
                            "an array holding a path may hold only paths, strings, whole numbers, booleans and null",
                        );
                    } else {
                        self.template(id, &field, item, scope);
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    pub(super) fn condition(
        &mut self,
        id: &str,
        field: &str,
        condition: &Condition,
        scope: &Scope,
    ) {
        let (path, operand, numbers_or_strings) = match condition {
            Condition::Equals { path, equals } => (path, Some(("equals", equals)), false),
            Condition::NotEquals { path, not_equals } => {
                (path, Some(("not_equals", not_equals)), false)
            }
            Condition::GreaterThan { path, greater_than } => {
                (path, Some(("greater_than", greater_than)), true)
            }
            Condition::LessThan { path, less_than } => (path, Some(("less_than", less_than)), true),
            Condition::Exists { path, .. } | Condition::IsTrue { path, .. } => (path, None, false),
            Condition::And { and: all } | Condition::Or { or: all } => {
                let op = if matches!(condition, Condition::And { .. }) {
                    "and"
                } else {
                    "or"
                };
                if all.is_empty() {
                    self.error(
                        Some(id),
                        format!("{field}.{op}"),
                        "needs at least one condition",
                    );
                }
                for (i, inner) in all.iter().enumerate() {
                    self.condition(id, &format!("{field}.{op}[{i}]"), inner, scope);
                }
                return;
            }
            Condition::Not { not } => {
                return self.condition(id, &format!("{field}.not"), not, scope);
            }
        };
        self.path(id, &format!("{field}.path"), path, scope);
        let Some((op, operand)) = operand else { return };
        let fits = match operand {
            Value::Number(_) | Value::String(_) => true,
            Value::Bool(_) | Value::Null => !numbers_or_strings,
            Value::Array(_) | Value::Object(_) => false,
        };
        if !fits {
            let allowed = if numbers_or_strings {
                "a number or a string"
            } else {
                "a string, number, boolean or null"
            };
            self.error(
                Some(id),
                format!("{field}.{op}"),
                format!("compares with {allowed}"),
            );
        }
    }
}
