//! Expression building: every attribute name goes through a `#n` placeholder (user attribute
//! names may collide with DynamoDB's reserved words) and every value through a `:v` one.
//! Only placeholders actually used end up in the request, since DynamoDB rejects unused ones.

use super::attrs::{Attrs, PK, TTL, to_attr};
use aws_sdk_dynamodb::types::AttributeValue;
use plasma_core::{Condition, Update};
use std::collections::HashMap;

/// Placeholder → attribute name.
pub(crate) type Names = HashMap<String, String>;

#[derive(Debug, Default)]
pub(crate) struct Expr {
    names: Names,
    values: Attrs,
}

impl Expr {
    pub(crate) fn name(&mut self, attr: &str) -> String {
        if let Some((placeholder, _)) = self.names.iter().find(|(_, a)| a.as_str() == attr) {
            return placeholder.clone();
        }
        let placeholder = format!("#n{}", self.names.len());
        self.names.insert(placeholder.clone(), attr.to_string());
        placeholder
    }

    pub(crate) fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    /// The names and values maps, `None` when empty (DynamoDB rejects empty maps).
    pub(crate) fn into_parts(self) -> (Option<Names>, Option<Attrs>) {
        let names = (!self.names.is_empty()).then_some(self.names);
        let values = (!self.values.is_empty()).then_some(self.values);
        (names, values)
    }

    /// `#ttl > :now` or absent: the item is not expired. Used on reads and to keep
    /// read-modify-write operations from resurrecting an expired item's attributes.
    pub(crate) fn live(&mut self, now: i64) -> String {
        let ttl = self.name(TTL);
        let now = self.value(number(now));
        format!("(attribute_not_exists({ttl}) OR {ttl} > {now})")
    }

    /// The item is absent or live (not expired-but-not-yet-swept).
    pub(crate) fn absent_or_live(&mut self, now: i64) -> String {
        let pk = self.name(PK);
        let live = self.live(now);
        format!("(attribute_not_exists({pk}) OR {live})")
    }

    /// The item is present but expired: what may be swept away.
    pub(crate) fn expired(&mut self, now: i64) -> String {
        let ttl = self.name(TTL);
        let now = self.value(number(now));
        format!("({ttl} <= {now})")
    }

    /// The condition expression for `condition` at `now`, `None` for `Condition::None`.
    /// Expired items count as absent, as the ItemStore contract says.
    pub(crate) fn condition(&mut self, condition: &Condition, now: i64) -> Option<String> {
        match condition {
            Condition::None => None,
            Condition::NotExists => {
                let pk = self.name(PK);
                let expired = self.expired(now);
                Some(format!("(attribute_not_exists({pk}) OR {expired})"))
            }
            Condition::Exists => Some(self.exists(now)),
            Condition::Equals(attr, value) => {
                let exists = self.exists(now);
                let attr = self.name(attr);
                let value = self.value(to_attr(value));
                Some(format!("({exists} AND {attr} = {value})"))
            }
        }
    }

    fn exists(&mut self, now: i64) -> String {
        let pk = self.name(PK);
        let live = self.live(now);
        format!("(attribute_exists({pk}) AND {live})")
    }

    /// The UpdateExpression for `update`, `None` when it changes nothing.
    pub(crate) fn update(&mut self, update: &Update) -> Option<String> {
        let mut set = Vec::new();
        let mut remove = Vec::new();
        for (attr, value) in &update.set {
            set.push(format!(
                "{} = {}",
                self.name(attr),
                self.value(to_attr(value))
            ));
        }
        for attr in &update.remove {
            remove.push(self.name(attr));
        }
        match update.expires_at {
            Some(Some(at)) => set.push(format!("{} = {}", self.name(TTL), self.value(number(at)))),
            Some(None) => remove.push(self.name(TTL)),
            None => {}
        }
        let add: Vec<String> = update
            .add
            .iter()
            .map(|(attr, by)| format!("{} {}", self.name(attr), self.value(number(*by))))
            .collect();
        let clauses: Vec<String> = [("SET", set), ("REMOVE", remove), ("ADD", add)]
            .into_iter()
            .filter(|(_, parts)| !parts.is_empty())
            .map(|(verb, parts)| format!("{verb} {}", parts.join(", ")))
            .collect();
        (!clauses.is_empty()).then(|| clauses.join(" "))
    }
}

pub(crate) fn number(n: i64) -> AttributeValue {
    AttributeValue::N(n.to_string())
}

/// `a AND b` over the parts present.
pub(crate) fn all(parts: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_shared_and_only_used_ones_are_sent() {
        let mut e = Expr::default();
        let cond = e
            .condition(&Condition::Equals("version".into(), json!(3)), 100)
            .unwrap();
        assert_eq!(
            cond,
            "((attribute_exists(#n0) AND (attribute_not_exists(#n1) OR #n1 > :v0)) AND #n2 = :v1)"
        );
        let (names, values) = e.into_parts();
        assert_eq!(names.unwrap().len(), 3);
        assert_eq!(values.unwrap()[":v1"], AttributeValue::N("3".into()));
        assert_eq!(Expr::default().into_parts(), (None, None));
    }

    #[test]
    fn update_expression_has_one_clause_per_verb() {
        let mut e = Expr::default();
        let mut update = Update::default().set("a", 1).remove("b").add("c", 2);
        update.expires_at = Some(None);
        assert_eq!(
            e.update(&update).unwrap(),
            "SET #n0 = :v0 REMOVE #n1, #n2 ADD #n3 :v1"
        );
        assert_eq!(Expr::default().update(&Update::default()), None);
    }
}
