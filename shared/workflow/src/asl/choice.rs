//! Conditions as Choice rules.

use super::data::Scope;
use crate::definition::Condition;
use serde_json::{Value, json};

/// The Choice rule for a condition, without `Next`.
pub(super) fn rule(condition: &Condition, scope: &Scope) -> Value {
    let compare = |path: &str, operator: &str, operand: &Value| json!({"Variable": scope.path(path), operator: operand});
    match condition {
        Condition::Equals { path, equals } => equal(path, equals, scope),
        Condition::NotEquals { path, not_equals } => json!({"Not": equal(path, not_equals, scope)}),
        Condition::GreaterThan { path, greater_than } => {
            let operator = match greater_than {
                Value::String(_) => "StringGreaterThan",
                _ => "NumericGreaterThan",
            };
            compare(path, operator, greater_than)
        }
        Condition::LessThan { path, less_than } => {
            let operator = match less_than {
                Value::String(_) => "StringLessThan",
                _ => "NumericLessThan",
            };
            compare(path, operator, less_than)
        }
        Condition::Exists { path, exists } => compare(path, "IsPresent", &(*exists).into()),
        Condition::IsTrue { path, is_true } => compare(path, "BooleanEquals", &(*is_true).into()),
        Condition::And { and } => {
            json!({"And": and.iter().map(|c| rule(c, scope)).collect::<Vec<_>>()})
        }
        Condition::Or { or } => {
            json!({"Or": or.iter().map(|c| rule(c, scope)).collect::<Vec<_>>()})
        }
        Condition::Not { not } => json!({"Not": rule(not, scope)}),
    }
}

/// Equality picks the comparison by the operand's type, as [`evaluate`](crate::evaluate) does.
fn equal(path: &str, operand: &Value, scope: &Scope) -> Value {
    let variable = scope.path(path);
    match operand {
        Value::String(_) => json!({"Variable": variable, "StringEquals": operand}),
        Value::Bool(_) => json!({"Variable": variable, "BooleanEquals": operand}),
        Value::Null => json!({"Variable": variable, "IsNull": true}),
        _ => json!({"Variable": variable, "NumericEquals": operand}),
    }
}
