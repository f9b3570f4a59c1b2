//! Query cursors: the last returned item's keys, as base64 of JSON, so the next page resumes
//! strictly after it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use plasma_core::{Index, Item, Key, PortError, PortResult, Query};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Cursor {
    pub(crate) key: Key,
    /// Present for GSI1 queries, whose order is (gsi1 sort key, primary key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1: Option<Key>,
}

impl Cursor {
    pub(crate) fn after(item: &Item, index: Index) -> Self {
        Self {
            key: item.key.clone(),
            gsi1: match index {
                Index::Primary => None,
                Index::Gsi1 => item.gsi1.clone(),
            },
        }
    }

    pub(crate) fn encode(&self) -> PortResult<String> {
        let json = serde_json::to_vec(self).map_err(PortError::backend)?;
        Ok(URL_SAFE_NO_PAD.encode(json))
    }

    /// Decode a cursor and check it belongs to `query`'s partition and index.
    pub(crate) fn decode(text: &str, query: &Query) -> PortResult<Self> {
        let invalid = || PortError::Invalid("malformed query cursor".into());
        let json = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        let cursor: Self = serde_json::from_slice(&json).map_err(|_| invalid())?;
        let partition = match query.index {
            Index::Primary => Some(&cursor.key.pk),
            Index::Gsi1 => cursor.gsi1.as_ref().map(|k| &k.pk),
        };
        if partition != Some(&query.pk) {
            return Err(PortError::Invalid(
                "query cursor belongs to another query".into(),
            ));
        }
        Ok(cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    #[test]
    fn round_trips_and_rejects_foreign_cursors() {
        let item = Item::new(Key::new("p", "s"), Map::new()).with_gsi1(Key::new("g", "t"));
        let text = Cursor::after(&item, Index::Gsi1).encode().unwrap();
        let back = Cursor::decode(&text, &Query::gsi1("g")).unwrap();
        assert_eq!(back, Cursor::after(&item, Index::Gsi1));
        assert!(Cursor::decode(&text, &Query::gsi1("other")).is_err());
        assert!(Cursor::decode(&text, &Query::partition("g")).is_err());
        assert!(Cursor::decode("not base64!", &Query::partition("p")).is_err());
    }
}
