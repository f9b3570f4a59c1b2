//! Applying a partial update to an item, as DynamoDB UpdateItem does.

use plasma_core::item::{RESERVED_ATTRIBUTES, validate_item};
use plasma_core::{Item, Key, PortError, PortResult, Update};
use serde_json::{Map, Number, Value};
use std::collections::HashSet;

/// The item after `update`; `current` is `None` when the item is absent (or expired), in which
/// case the update creates it.
pub(crate) fn apply(key: &Key, update: Update, current: Option<Item>) -> PortResult<Item> {
    check_paths(&update)?;
    let mut item = current.unwrap_or_else(|| Item::new(key.clone(), Map::new()));
    item.attrs.extend(update.set);
    for attr in &update.remove {
        item.attrs.remove(attr);
    }
    for (attr, by) in update.add {
        let sum = add(item.attrs.get(&attr), by)
            .ok_or_else(|| PortError::Invalid(format!("cannot add {by} to attribute {attr}")))?;
        item.attrs.insert(attr, sum);
    }
    if let Some(expires_at) = update.expires_at {
        item.expires_at = expires_at;
    }
    validate_item(&item)?;
    Ok(item)
}

/// DynamoDB refuses an update that touches one attribute twice or a reserved attribute;
/// refusing it here too keeps both adapters alike.
fn check_paths(update: &Update) -> PortResult<()> {
    let names = update
        .set
        .keys()
        .chain(&update.remove)
        .chain(update.add.iter().map(|(attr, _)| attr));
    let mut seen = HashSet::new();
    for name in names {
        if RESERVED_ATTRIBUTES.contains(&name.as_str()) {
            return Err(PortError::Invalid(format!(
                "attribute name {name} is reserved"
            )));
        }
        if !seen.insert(name) {
            return Err(PortError::Invalid(format!(
                "update touches attribute {name} twice"
            )));
        }
    }
    Ok(())
}

/// `current + by`, a missing attribute counting as 0; `None` when `current` is not a number
/// or the sum does not fit.
fn add(current: Option<&Value>, by: i64) -> Option<Value> {
    let Some(current) = current else {
        return Some(Value::from(by));
    };
    let n = current.as_number()?;
    if let Some(whole) = n
        .as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
    {
        let sum = whole + i128::from(by);
        return i64::try_from(sum)
            .map(Value::from)
            .ok()
            .or_else(|| u64::try_from(sum).ok().map(Value::from));
    }
    Number::from_f64(n.as_f64()? + by as f64).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key() -> Key {
        Key::new("p", "s")
    }

    #[test]
    fn creates_missing_items_and_adds_from_zero() {
        let item = apply(&key(), Update::default().set("a", "x").add("n", 3), None).unwrap();
        assert_eq!(item.get("a"), Some(&json!("x")));
        assert_eq!(item.get("n"), Some(&json!(3)));
    }

    #[test]
    fn refuses_bad_updates() {
        let mut attrs = Map::new();
        attrs.insert("s".into(), json!("text"));
        let current = Item::new(key(), attrs);
        assert!(apply(&key(), Update::default().add("s", 1), Some(current)).is_err());
        assert!(apply(&key(), Update::default().set("a", 1).remove("a"), None).is_err());
        assert!(apply(&key(), Update::default().set("ttl", 1), None).is_err());
        let mut max = Map::new();
        max.insert("n".into(), json!(u64::MAX));
        assert!(
            apply(
                &key(),
                Update::default().add("n", 1),
                Some(Item::new(key(), max))
            )
            .is_err()
        );
    }

    #[test]
    fn adds_to_floats_and_removes() {
        let mut attrs = Map::new();
        attrs.insert("f".into(), json!(1.5));
        attrs.insert("gone".into(), json!(true));
        let current = Item::new(key(), attrs).with_expiry(10);
        let update = Update {
            expires_at: Some(None),
            ..Update::default().add("f", 2).remove("gone")
        };
        let item = apply(&key(), update, Some(current)).unwrap();
        assert_eq!(item.get("f"), Some(&json!(3.5)));
        assert_eq!(item.get("gone"), None);
        assert_eq!(item.expires_at, None);
    }
}
