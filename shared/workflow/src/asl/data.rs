//! Paths and templates in ASL form, and the state data a branch or iteration starts with.

use crate::definition::Step;
use crate::paths::{Path, Segment, Text, classify, holds_path, is_identifier};
use serde_json::{Map as JsonMap, Value, json};

/// Where states are being compiled: the workflow's own list, or a branch or map body.
pub(super) struct Scope<'a> {
    /// The steps whose outputs are in this list's `$.steps`; others are in `$.outer`.
    local: &'a [Step],
    /// In a branch or map body, which has `$.outer`.
    nested: bool,
    /// In a map body (at any depth), which has `$.item`.
    in_map: bool,
}

impl<'a> Scope<'a> {
    pub(super) fn top(steps: &'a [Step]) -> Self {
        Self {
            local: steps,
            nested: false,
            in_map: false,
        }
    }

    pub(super) fn inner(&self, steps: &'a [Step], map: bool) -> Self {
        Self {
            local: steps,
            nested: true,
            in_map: self.in_map || map,
        }
    }

    pub(super) fn nested(&self) -> bool {
        self.nested
    }

    /// A definition path as an ASL reference path on this scope's state data.
    pub(super) fn path(&self, text: &str) -> String {
        let Ok(path) = Path::parse(text) else {
            // Only a definition that failed validation gets here; pass it on for Step
            // Functions to reject.
            return text.to_owned();
        };
        let mut asl = String::from("$");
        for (i, segment) in path.segments().iter().enumerate() {
            match segment {
                Segment::Name(name)
                    if i == 0 && name == "steps" && self.is_outer(path.segments()) =>
                {
                    asl.push_str(".outer");
                }
                Segment::Name(name) if is_identifier(name) => {
                    asl.push('.');
                    asl.push_str(name);
                }
                // Validation keeps quotes out of names, so none needs escaping here.
                Segment::Name(name) => asl.push_str(&format!("['{name}']")),
                Segment::Index(index) => asl.push_str(&format!("[{index}]")),
            }
        }
        asl
    }

    fn is_outer(&self, segments: &[Segment]) -> bool {
        match segments.get(1) {
            Some(Segment::Name(id)) => !self.local.iter().any(|s| &s.id == id),
            _ => false,
        }
    }

    /// The state data a branch or map iteration of a step in this scope starts with; `item`
    /// is where a map finds the iteration's element.
    pub(super) fn inner_context(&self, item: Option<&str>) -> Value {
        let outer = if self.nested {
            "States.JsonMerge($.outer, $.steps, false)"
        } else {
            "$.steps"
        };
        let mut context = json!({"input.$": "$.input", "steps": {}, "outer.$": outer});
        let item = item.or(self.in_map.then_some("$.item"));
        if let Some(item) = item {
            context["item.$"] = item.into();
        }
        context
    }

    /// The payload template entry for a template under `key`: `"key.$": path` for a path,
    /// `"key": ...` for anything else.
    pub(super) fn entry(&self, key: &str, template: &Value) -> (String, Value) {
        match template {
            Value::String(text) => match classify(text) {
                Text::Path(path) => (format!("{key}.$"), self.path(path).into()),
                Text::Literal(literal) => (key.to_owned(), literal.into()),
            },
            Value::Object(fields) => {
                let fields: JsonMap<String, Value> =
                    fields.iter().map(|(k, v)| self.entry(k, v)).collect();
                (key.to_owned(), Value::Object(fields))
            }
            // Step Functions evaluates no paths inside arrays, so an array holding one is
            // built by an intrinsic.
            Value::Array(items) if items.iter().any(holds_path) => {
                let arguments: Vec<String> = items.iter().map(|i| self.argument(i)).collect();
                (
                    format!("{key}.$"),
                    format!("States.Array({})", arguments.join(", ")).into(),
                )
            }
            other => (key.to_owned(), literal(other)),
        }
    }

    fn argument(&self, item: &Value) -> String {
        match item {
            Value::String(text) => match classify(text) {
                Text::Path(path) => self.path(path),
                Text::Literal(literal) => quote(literal),
            },
            // Validation allows only paths and scalars here; anything else goes as its
            // JSON text.
            Value::Array(_) | Value::Object(_) => quote(&item.to_string()),
            scalar => scalar.to_string(),
        }
    }
}

/// A template part holding no path, with `$$` escapes undone.
fn literal(value: &Value) -> Value {
    match value {
        Value::String(text) => match classify(text) {
            Text::Literal(text) | Text::Path(text) => text.into(),
        },
        Value::Array(items) => items.iter().map(literal).collect(),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), literal(v)))
                .collect(),
        ),
        scalar => scalar.clone(),
    }
}

/// A string literal argument of an intrinsic function, with its special characters escaped.
fn quote(text: &str) -> String {
    let mut quoted = String::from("'");
    for c in text.chars() {
        if matches!(c, '\'' | '{' | '}' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('\'');
    quoted
}
