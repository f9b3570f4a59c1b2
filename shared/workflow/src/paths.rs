//! Data flow: JSONPath into the run's context, and input templates built from it.
//!
//! Paths are RFC 9535 JSONPath restricted to ones that select a single value: `$` followed by
//! `.name`, `['name']` and `[index]` segments. Step Functions only accepts such "reference
//! paths" in `ItemsPath`, a choice's `Variable` and a wait's `SecondsPath`/`TimestampPath`,
//! and wildcards, slices and filters behave differently between JSONPath dialects, so a
//! definition that uses only these paths means the same thing locally and on AWS.

use serde_json::{Map as JsonMap, Value};
use serde_json_path::JsonPath;

/// A path in a template or condition that can't be used or selects nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("`{path}` is not a usable JSONPath: {reason}")]
    Malformed { path: String, reason: String },
    #[error("nothing at `{path}`")]
    Missing { path: String },
}

/// A template string: a path (`$.` prefix), or a literal, `$$` standing for a leading `$`.
pub(crate) enum Text<'a> {
    Path(&'a str),
    Literal(&'a str),
}

pub(crate) fn classify(text: &str) -> Text<'_> {
    if text.starts_with("$$") {
        Text::Literal(&text[1..])
    } else if text.starts_with("$.") {
        Text::Path(text)
    } else {
        Text::Literal(text)
    }
}

/// Names that need no quoting after a `.`, in RFC 9535 and in ASL paths alike.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether a template value is, or holds, a path.
pub(crate) fn holds_path(value: &Value) -> bool {
    match value {
        Value::String(text) => matches!(classify(text), Text::Path(_)),
        Value::Array(items) => items.iter().any(holds_path),
        Value::Object(fields) => fields.values().any(holds_path),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Name(String),
    Index(usize),
}

/// A parsed single-value path.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    text: String,
    query: JsonPath,
    segments: Vec<Segment>,
}

impl Path {
    pub(crate) fn parse(text: &str) -> Result<Self, PathError> {
        let malformed = |reason: String| PathError::Malformed {
            path: text.to_owned(),
            reason,
        };
        // The restricted grammar is checked first, by a linear scan, so the JSONPath parser
        // only ever sees names, indices and dots. Found by fuzzing: nested filters took
        // serde_json_path 0.7 time exponential in their depth, and a truncated escape in a
        // quoted name (`$.a['\u`) reached an `unreachable!` in it.
        let segments = singular_segments(text).map_err(|r| malformed(r.to_owned()))?;
        let query = JsonPath::parse(text).map_err(|e| malformed(e.to_string()))?;
        Ok(Self {
            text: text.to_owned(),
            query,
            segments,
        })
    }

    pub(crate) fn segments(&self) -> &[Segment] {
        &self.segments
    }

    pub(crate) fn select<'v>(&self, value: &'v Value) -> Result<&'v Value, PathError> {
        // A singular query never yields more than one node, so `ok()` only drops the
        // impossible case.
        self.query
            .query(value)
            .at_most_one()
            .ok()
            .flatten()
            .ok_or_else(|| PathError::Missing {
                path: self.text.clone(),
            })
    }
}

const MANY: &str = "wildcards, slices, filters, lists and `..` select many values; use only \
                    `.name`, `['name']` and `[index]`";

/// Splits a path into its segments before the JSONPath parser sees it, refusing any segment
/// that could select more than one value.
fn singular_segments(text: &str) -> Result<Vec<Segment>, &'static str> {
    let mut rest = text.strip_prefix('$').ok_or("a path starts with `$`")?;
    let mut segments = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(segments);
        }
        if rest.starts_with("..") || rest.starts_with(".*") {
            return Err(MANY);
        }
        if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii()))
                .unwrap_or(after.len());
            segments.push(Segment::Name(after[..end].to_owned()));
            rest = &after[end..];
            continue;
        }
        let inner = rest.strip_prefix('[').ok_or(MANY)?.trim_start();
        let (segment, after) = match inner.chars().next() {
            Some(quote @ ('\'' | '"')) => {
                let body = &inner[1..];
                let close = body.find(quote).ok_or(MANY)?;
                let name = &body[..close];
                if name.contains('\\') || name.contains(['\'', '"']) {
                    return Err("names with escapes or quotes aren't supported");
                }
                (Segment::Name(name.to_owned()), &body[close + 1..])
            }
            Some('-') => return Err("negative indices aren't supported by Step Functions"),
            Some(c) if c.is_ascii_digit() => {
                let end = inner
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(inner.len());
                let index = inner[..end].parse().map_err(|_| "index too large")?;
                (Segment::Index(index), &inner[end..])
            }
            _ => return Err(MANY),
        };
        rest = after.trim_start().strip_prefix(']').ok_or(MANY)?;
        segments.push(segment);
    }
}

/// Builds a step's input from its template: every string starting with `$.` is replaced by
/// the value at that path in `context`, objects and arrays are built element by element,
/// `$$` at the start of a string stands for a literal `$`, and everything else is kept.
///
/// The context a run builds for a step is `{"input": <workflow input>, "steps": {<id>:
/// {"output": ...}}, "item": <current map element>}` (`item` only inside a map).
pub fn resolve(template: &Value, context: &Value) -> Result<Value, PathError> {
    Ok(match template {
        Value::String(text) => match classify(text) {
            Text::Path(path) => Path::parse(path)?.select(context)?.clone(),
            Text::Literal(literal) => Value::String(literal.to_owned()),
        },
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| resolve(item, context))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, value)| Ok((key.clone(), resolve(value, context)?)))
                .collect::<Result<JsonMap<_, _>, PathError>>()?,
        ),
        scalar => scalar.clone(),
    })
}
