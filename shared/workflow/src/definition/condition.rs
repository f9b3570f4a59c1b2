//! Choice conditions, written flat: `{path: "$.steps.review.output.decision", equals: approved}`,
//! `{and: [...]}`, `{not: {...}}`.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A test on the context. Comparisons take the value at `path`; a value of another type than
/// the operand never matches, and a missing `path` is an error (use `exists` first). See
/// [`evaluate`](crate::evaluate).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Condition {
    /// Equal to a string, number, boolean or null.
    Equals {
        path: String,
        equals: Value,
    },
    NotEquals {
        path: String,
        not_equals: Value,
    },
    /// Greater than a number, or after a string in byte order.
    GreaterThan {
        path: String,
        greater_than: Value,
    },
    LessThan {
        path: String,
        less_than: Value,
    },
    /// `exists: true` holds when something is at `path`; `exists: false` when nothing is.
    Exists {
        path: String,
        exists: bool,
    },
    /// Holds when the value at `path` is the boolean `is_true` (`true` or `false`).
    IsTrue {
        path: String,
        is_true: bool,
    },
    And {
        #[schema(no_recursion)]
        and: Vec<Condition>,
    },
    Or {
        #[schema(no_recursion)]
        or: Vec<Condition>,
    },
    Not {
        #[schema(no_recursion)]
        not: Box<Condition>,
    },
}

/// Every key a condition may have, so one struct can say which operator was meant and
/// report a precise error rather than serde's "did not match any variant".
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    path: Option<String>,
    #[serde(default, deserialize_with = "present")]
    equals: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    not_equals: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    greater_than: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    less_than: Option<Value>,
    exists: Option<bool>,
    is_true: Option<bool>,
    and: Option<Vec<Condition>>,
    or: Option<Vec<Condition>>,
    not: Option<Box<Condition>>,
}

/// Keeps `equals: null` apart from a missing `equals`.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

const OPERATORS: &str =
    "equals, not_equals, greater_than, less_than, exists, is_true, and, or, not";

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let w = Written::deserialize(deserializer)?;
        let mut found = Vec::new();
        let path = w.path;
        let needs_path = |path: &Option<String>, op: &str| {
            path.clone().ok_or_else(|| {
                de::Error::custom(format!("`{op}` needs a `path` to the value it tests"))
            })
        };
        if let Some(equals) = w.equals {
            found.push(Condition::Equals {
                path: needs_path(&path, "equals")?,
                equals,
            });
        }
        if let Some(not_equals) = w.not_equals {
            found.push(Condition::NotEquals {
                path: needs_path(&path, "not_equals")?,
                not_equals,
            });
        }
        if let Some(greater_than) = w.greater_than {
            found.push(Condition::GreaterThan {
                path: needs_path(&path, "greater_than")?,
                greater_than,
            });
        }
        if let Some(less_than) = w.less_than {
            found.push(Condition::LessThan {
                path: needs_path(&path, "less_than")?,
                less_than,
            });
        }
        if let Some(exists) = w.exists {
            found.push(Condition::Exists {
                path: needs_path(&path, "exists")?,
                exists,
            });
        }
        if let Some(is_true) = w.is_true {
            found.push(Condition::IsTrue {
                path: needs_path(&path, "is_true")?,
                is_true,
            });
        }
        let combinators = [
            w.and.map(|and| Condition::And { and }),
            w.or.map(|or| Condition::Or { or }),
            w.not.map(|not| Condition::Not { not }),
        ];
        for combined in combinators.into_iter().flatten() {
            if path.is_some() {
                return Err(de::Error::custom(
                    "`and`, `or` and `not` take conditions, not a `path`",
                ));
            }
            found.push(combined);
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(de::Error::custom(format!(
                "a condition needs one of {OPERATORS}"
            ))),
            _ => Err(de::Error::custom(format!(
                "a condition has exactly one of {OPERATORS}; combine several with `and`"
            ))),
        }
    }
}
