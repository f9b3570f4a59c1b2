//! Evaluating a write condition against an item's current (unexpired) state.

use plasma_core::{Condition, Item};
use serde_json::Value;

/// True when `condition` holds for `current` (`None` when the item is absent or expired).
pub(crate) fn holds(condition: &Condition, current: Option<&Item>) -> bool {
    match condition {
        Condition::None => true,
        Condition::NotExists => current.is_none(),
        Condition::Exists => current.is_some(),
        Condition::Equals(attr, expected) => current
            .and_then(|item| item.get(attr))
            .is_some_and(|actual| same_value(actual, expected)),
    }
}

/// JSON equality, except that numbers compare by value as DynamoDB's do: a version stored
/// as `2.0` equals an expected `2`.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            x.as_f64() == y.as_f64()
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plasma_core::Key;
    use serde_json::{Map, json};

    #[test]
    fn equals_needs_the_item_and_the_value() {
        let mut attrs = Map::new();
        attrs.insert("v".into(), json!(2.0));
        let item = Item::new(Key::new("p", "s"), attrs);
        assert!(holds(&Condition::Equals("v".into(), json!(2)), Some(&item)));
        assert!(!holds(
            &Condition::Equals("v".into(), json!(3)),
            Some(&item)
        ));
        assert!(!holds(
            &Condition::Equals("w".into(), json!(2)),
            Some(&item)
        ));
        assert!(!holds(&Condition::Equals("v".into(), json!(2)), None));
        assert!(holds(&Condition::NotExists, None));
        assert!(!holds(&Condition::Exists, None));
    }
}
