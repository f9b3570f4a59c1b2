//! Item keys of mentions and dedup markers (the layout is documented in the module doc).

use chrono::{DateTime, Datelike, SecondsFormat, Utc};
use plasma_core::keys::{MENTION, MENTION_DEDUP, MENTIONS, TENANT_MENTION, TENANT_MENTIONS};
use plasma_core::{Key, PortResult};

/// Sorts after `#` and every character of an id or digest, so `"{t}~"` as an inclusive upper
/// bound takes in every sort key that starts with `{t}`.
const HIGH: char = '~';

pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn monitor_partition(tenant: &str, monitor: &str) -> PortResult<String> {
    MENTIONS.key([tenant, monitor])
}

pub(crate) fn tenant_partition(tenant: &str) -> PortResult<String> {
    TENANT_MENTIONS.key([tenant])
}

pub(crate) fn mention_sk(published_at: DateTime<Utc>, digest: &str) -> PortResult<String> {
    MENTION.key([&stamp(published_at), digest])
}

pub(crate) fn mention_key(tenant: &str, monitor: &str, sk: &str) -> PortResult<Key> {
    Ok(Key::new(monitor_partition(tenant, monitor)?, sk))
}

pub(crate) fn gsi1_sk(
    monitor: &str,
    published_at: DateTime<Utc>,
    digest: &str,
) -> PortResult<String> {
    TENANT_MENTION.key([&stamp(published_at), monitor, digest])
}

pub(crate) fn mention_gsi1(
    tenant: &str,
    monitor: &str,
    published_at: DateTime<Utc>,
    digest: &str,
) -> PortResult<Key> {
    Ok(Key::new(
        tenant_partition(tenant)?,
        gsi1_sk(monitor, published_at, digest)?,
    ))
}

pub(crate) fn dedup_key(tenant: &str, monitor: &str, digest: &str) -> PortResult<Key> {
    Ok(Key::new(MENTION_DEDUP.key([tenant, monitor])?, digest))
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
