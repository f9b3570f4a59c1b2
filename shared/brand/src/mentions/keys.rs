//! Item keys of mentions and dedup markers (the layout is documented in the module doc).

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use plasma_core::{Key, PortError, PortResult};

/// Sorts after `#` and every character of an id or digest, so `"{t}~"` as an inclusive upper
/// bound takes in every sort key that starts with `{t}`.
const HIGH: char = '~';

/// Tenant and monitor ids become key segments; `#` would let one id reach into another's
/// partition, so it is refused (as are empty ids, which would address a parent partition).
pub(crate) fn check_id(what: &str, id: &str) -> PortResult<()> {
    if id.is_empty() || id.contains('#') {
        return Err(PortError::Invalid(format!(
            "{what} id must be non-empty and free of '#': {id:?}"
        )));
    }
    Ok(())
}

pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn monitor_partition(tenant: &str, monitor: &str) -> String {
    format!("T#{tenant}#MON#{monitor}#MENTION")
}

pub(crate) fn tenant_partition(tenant: &str) -> String {
    format!("T#{tenant}#MENTION")
}

pub(crate) fn mention_sk(published_at: DateTime<Utc>, digest: &str) -> String {
    format!("{}#{digest}", stamp(published_at))
}

pub(crate) fn mention_key(tenant: &str, monitor: &str, sk: &str) -> Key {
    Key::new(monitor_partition(tenant, monitor), sk)
}

pub(crate) fn gsi1_sk(monitor: &str, published_at: DateTime<Utc>, digest: &str) -> String {
    format!("{}#{monitor}#{digest}", stamp(published_at))
}

pub(crate) fn mention_gsi1(
    tenant: &str,
    monitor: &str,
    published_at: DateTime<Utc>,
    digest: &str,
) -> Key {
    Key::new(
        tenant_partition(tenant),
        gsi1_sk(monitor, published_at, digest),
    )
}

pub(crate) fn dedup_key(tenant: &str, monitor: &str, digest: &str) -> Key {
    Key::new(format!("T#{tenant}#MON#{monitor}#DEDUP"), digest)
}

/// Inclusive sort-key bounds for `[from, to)`: millisecond stamps cannot express "before
/// `to`" exactly, so callers also compare `published_at` itself.
pub(crate) fn range_bounds(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> (String, String) {
    let lo = from.map(stamp).unwrap_or_default();
    // Past year 9999 the stamp gains a `+` and would sort below every real stamp; the
    // callers' exact comparison still applies the bound.
    let hi = match to.filter(|t| t.year() <= 9999) {
        Some(to) => format!("{}{HIGH}", stamp(to)),
        None => HIGH.to_string(),
    };
    (lo, hi)
}
