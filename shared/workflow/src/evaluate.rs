//! Evaluates choice conditions against a run's context, with Step Functions' Choice rules'
//! semantics so a local run routes the way the compiled state machine does.

use crate::definition::Condition;
use crate::paths::{Path, PathError};
use serde_json::Value;
use std::cmp::Ordering;

/// Whether `condition` holds for `context` (laid out as for [`resolve`](crate::resolve)).
///
/// Like a Choice rule: a comparison with a value of another type is false, not an error
/// (`equals: 1` against `"1"`); numbers compare by value (`1` equals `1.0`); strings
/// compare in byte order; a missing `path` is an error except for `exists`; `and` and `or`
/// stop at the first condition that decides them, so `{and: [{path, exists: true}, {path,
/// equals: x}]}` is safe when the path may be missing.
pub fn evaluate(condition: &Condition, context: &Value) -> Result<bool, PathError> {
    let at = |path: &str| -> Result<&Value, PathError> { Path::parse(path)?.select(context) };
    Ok(match condition {
        Condition::Equals { path, equals } => same(at(path)?, equals),
        Condition::NotEquals { path, not_equals } => !same(at(path)?, not_equals),
        Condition::GreaterThan { path, greater_than } => {
            order(at(path)?, greater_than) == Some(Ordering::Greater)
        }
        Condition::LessThan { path, less_than } => {
            order(at(path)?, less_than) == Some(Ordering::Less)
        }
        Condition::Exists { path, exists } => match Path::parse(path)?.select(context) {
            Ok(_) => *exists,
            Err(PathError::Missing { .. }) => !*exists,
            Err(malformed) => return Err(malformed),
        },
        Condition::IsTrue { path, is_true } => at(path)?.as_bool() == Some(*is_true),
        Condition::And { and } => {
            for condition in and {
                if !evaluate(condition, context)? {
                    return Ok(false);
                }
            }
            true
        }
        Condition::Or { or } => {
            for condition in or {
                if evaluate(condition, context)? {
                    return Ok(true);
                }
            }
            false
        }
        Condition::Not { not } => !evaluate(not, context)?,
    })
}

/// Equality as `StringEquals`, `NumericEquals`, `BooleanEquals` and `IsNull` see it.
fn same(value: &Value, operand: &Value) -> bool {
    match (value, operand) {
        (Value::Number(_), Value::Number(_)) => order(value, operand) == Some(Ordering::Equal),
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Null, Value::Null) => true,
        _ => false,
    }
}

/// Order as the `Numeric…` and `String…` comparisons see it; `None` across types.
fn order(value: &Value, operand: &Value) -> Option<Ordering> {
    match (value, operand) {
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    }
}
