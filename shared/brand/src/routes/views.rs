//! Response shapes shared by the brand routes.

use crate::mentions::StoredMention;
use chrono::{DateTime, SecondsFormat};
use plasma_core::keys::MENTION;
use serde::Serialize;
use utoipa::ToSchema;

/// A stored mention with its URL-safe id.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentionView {
    /// `{published, Unix ms}-{digest}`: addresses the mention in the triage routes.
    pub id: String,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub stored: StoredMention,
}

impl From<StoredMention> for MentionView {
    fn from(stored: StoredMention) -> Self {
        Self {
            id: mention_id(&stored.key),
            stored,
        }
    }
}

/// The store's sort key `{RFC 3339 ms}#{digest}` holds `#` and `:`; the id keeps the same
/// information as `{Unix ms}-{digest}` (the digest is hex, so the last `-` separates).
fn mention_id(key: &str) -> String {
    match MENTION
        .parse(key)
        .and_then(|[stamp, digest]| Some((DateTime::parse_from_rfc3339(stamp).ok()?, digest)))
    {
        Some((at, digest)) => format!("{}-{digest}", at.timestamp_millis()),
        None => key.to_string(),
    }
}

/// The sort key an id names, or `None` if it cannot name one.
pub(super) fn mention_key(id: &str) -> Option<String> {
    let (ms, digest) = id.rsplit_once('-')?;
    if digest.is_empty() || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let at = DateTime::from_timestamp_millis(ms.parse().ok()?)?;
    MENTION
        .key([&at.to_rfc3339_opts(SecondsFormat::Millis, true), digest])
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_to_keys() {
        let key = "2026-03-01T10:20:30.456Z#0af3";
        let id = mention_id(key);
        assert_eq!(id, "1772360430456-0af3");
        assert_eq!(mention_key(&id).as_deref(), Some(key));
        assert_eq!(mention_key("x-zz"), None);
        assert_eq!(mention_key("nodash"), None);
    }
}
