//! JSON ↔ DynamoDB `AttributeValue`, and `Item` ↔ the stored attribute map.
//!
//! Items are stored flat: the reserved key attributes (`PK`, `SK`, `GSI1PK`, `GSI1SK`, `ttl`)
//! sit next to the user attributes, which `validate_item` keeps from colliding with them.

use aws_sdk_dynamodb::types::AttributeValue;
use plasma_core::{Item, Key, PortError, PortResult};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

pub(crate) const PK: &str = "PK";
pub(crate) const SK: &str = "SK";
pub(crate) const GSI1PK: &str = "GSI1PK";
pub(crate) const GSI1SK: &str = "GSI1SK";
pub(crate) const TTL: &str = "ttl";

pub(crate) type Attrs = HashMap<String, AttributeValue>;

pub(crate) fn to_attr(value: &Value) -> AttributeValue {
    match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Array(items) => AttributeValue::L(items.iter().map(to_attr).collect()),
        Value::Object(map) => {
            AttributeValue::M(map.iter().map(|(k, v)| (k.clone(), to_attr(v))).collect())
        }
    }
}

pub(crate) fn from_attr(attr: &AttributeValue) -> PortResult<Value> {
    Ok(match attr {
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::N(n) => Value::Number(parse_number(n)?),
        AttributeValue::S(s) => Value::String(s.clone()),
        AttributeValue::L(items) => {
            Value::Array(items.iter().map(from_attr).collect::<PortResult<_>>()?)
        }
        AttributeValue::M(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), from_attr(v)?)))
                .collect::<PortResult<_>>()?,
        ),
        // Binary and set types are never written by this adapter; an item holding one was
        // written by something else and has no JSON meaning we could promise to keep.
        other => {
            return Err(PortError::Backend(format!(
                "unsupported DynamoDB attribute type {other:?}"
            )));
        }
    })
}

/// DynamoDB normalises numbers (`1.50` comes back as `1.5`), so integers are tried first to
/// keep `1` an integer in JSON.
fn parse_number(n: &str) -> PortResult<Number> {
    if let Ok(i) = n.parse::<i64>() {
        return Ok(i.into());
    }
    if let Ok(u) = n.parse::<u64>() {
        return Ok(u.into());
    }
    n.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .ok_or_else(|| {
            PortError::Backend(format!("DynamoDB number {n:?} does not fit a JSON number"))
        })
}

pub(crate) fn key_attrs(key: &Key) -> Attrs {
    HashMap::from([
        (PK.to_string(), AttributeValue::S(key.pk.clone())),
        (SK.to_string(), AttributeValue::S(key.sk.clone())),
    ])
}

pub(crate) fn item_to_attrs(item: &Item) -> Attrs {
    let mut attrs = key_attrs(&item.key);
    if let Some(gsi1) = &item.gsi1 {
        attrs.insert(GSI1PK.into(), AttributeValue::S(gsi1.pk.clone()));
        attrs.insert(GSI1SK.into(), AttributeValue::S(gsi1.sk.clone()));
    }
    if let Some(ttl) = item.expires_at {
        attrs.insert(TTL.into(), AttributeValue::N(ttl.to_string()));
    }
    attrs.extend(item.attrs.iter().map(|(k, v)| (k.clone(), to_attr(v))));
    attrs
}

pub(crate) fn attrs_to_item(mut attrs: Attrs) -> PortResult<Item> {
    let mut take_string = |name: &str| match attrs.remove(name) {
        None => Ok(None),
        Some(AttributeValue::S(s)) => Ok(Some(s)),
        Some(other) => Err(PortError::Backend(format!(
            "stored {name} is not a string: {other:?}"
        ))),
    };
    let pk = take_string(PK)?;
    let sk = take_string(SK)?;
    let gsi1pk = take_string(GSI1PK)?;
    let gsi1sk = take_string(GSI1SK)?;
    let (Some(pk), Some(sk)) = (pk, sk) else {
        return Err(PortError::Backend("stored item lacks PK or SK".into()));
    };
    let expires_at = match attrs.remove(TTL) {
        None => None,
        Some(AttributeValue::N(n)) => Some(parse_ttl(&n)?),
        Some(other) => {
            return Err(PortError::Backend(format!(
                "stored ttl is not a number: {other:?}"
            )));
        }
    };
    let gsi1 = match (gsi1pk, gsi1sk) {
        (Some(pk), Some(sk)) => Some(Key { pk, sk }),
        _ => None,
    };
    let attrs = attrs
        .iter()
        .map(|(k, v)| Ok((k.clone(), from_attr(v)?)))
        .collect::<PortResult<Map<String, Value>>>()?;
    Ok(Item {
        key: Key { pk, sk },
        gsi1,
        expires_at,
        attrs,
    })
}

/// TTL is epoch seconds; a fractional value (written by something else) is truncated the way
/// DynamoDB's own TTL sweeper reads it.
fn parse_ttl(n: &str) -> PortResult<i64> {
    n.parse::<i64>()
        .ok()
        .or_else(|| {
            n.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(|f| f as i64)
        })
        .ok_or_else(|| PortError::Backend(format!("stored ttl {n:?} is not epoch seconds")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_round_trips() {
        let value = json!({"s": "x", "i": -3, "big": u64::MAX, "f": 1.5, "b": true, "n": null,
            "l": [1, "two", {"three": [false]}], "m": {"nested": {"deep": ""}}});
        assert_eq!(from_attr(&to_attr(&value)).unwrap(), value);
    }

    #[test]
    fn items_round_trip_with_reserved_attributes() {
        let Value::Object(attrs) = json!({"name": "a", "n": 2}) else {
            unreachable!()
        };
        let item = Item::new(Key::new("p", "s"), attrs)
            .with_gsi1(Key::new("gp", "gs"))
            .with_expiry(1_700_000_000);
        let stored = item_to_attrs(&item);
        assert_eq!(stored[TTL], AttributeValue::N("1700000000".into()));
        assert_eq!(stored[GSI1PK], AttributeValue::S("gp".into()));
        assert_eq!(attrs_to_item(stored).unwrap(), item);
    }

    #[test]
    fn foreign_types_are_errors_not_panics() {
        assert!(from_attr(&AttributeValue::Ss(vec!["a".into()])).is_err());
        assert!(from_attr(&AttributeValue::N("not-a-number".into())).is_err());
        assert!(
            attrs_to_item(HashMap::from([(PK.into(), AttributeValue::S("p".into()))])).is_err()
        );
    }
}
