//! Item keys of rules, seen markers and alerts (the layout is documented in the module doc).

use plasma_core::{Key, PortError, PortResult};

/// Ids become key segments; `#` would let one id reach into another's partition, and an empty
/// id would address a parent prefix.
pub(super) fn check_id(what: &str, id: &str) -> PortResult<()> {
    if id.is_empty() || id.contains('#') {
        return Err(PortError::Invalid(format!(
            "{what} id must be non-empty and free of '#': {id:?}"
        )));
    }
    Ok(())
}

pub(super) fn rules_partition(tenant: &str) -> String {
    format!("T#{tenant}#ALERTRULE")
}

pub(super) fn monitor_rules_prefix(monitor: &str) -> String {
    format!("MON#{monitor}#RULE#")
}

pub(super) fn rule_key(tenant: &str, monitor: &str, rule: &str) -> Key {
    Key::new(
        rules_partition(tenant),
        format!("{}{rule}", monitor_rules_prefix(monitor)),
    )
}

pub(super) fn seen_partition(tenant: &str, rule: &str) -> String {
    format!("T#{tenant}#ALERTRULE#{rule}#SEEN")
}

pub(super) fn seen_key(tenant: &str, rule: &str, digest: &str) -> Key {
    Key::new(seen_partition(tenant, rule), digest)
}

pub(super) fn history_partition(tenant: &str) -> String {
    format!("T#{tenant}#ALERT")
}

pub(super) fn monitor_history_partition(tenant: &str, monitor: &str) -> String {
    format!("T#{tenant}#MON#{monitor}#ALERT")
}

pub(super) fn alert_key(tenant: &str, alert: &str) -> Key {
    Key::new(history_partition(tenant), alert)
}

pub(super) fn alert_gsi1(tenant: &str, monitor: &str, alert: &str) -> Key {
    Key::new(monitor_history_partition(tenant, monitor), alert)
}
