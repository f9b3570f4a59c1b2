//! Item keys of rules, seen markers and alerts (the layout is documented in the module doc).

use plasma_core::keys::{ALERT_RULE, ALERT_RULES, ALERT_SEEN, ALERTS, MONITOR_ALERTS};
use plasma_core::{Key, PortResult};

pub(super) fn rules_partition(tenant: &str) -> PortResult<String> {
    ALERT_RULES.key([tenant])
}

pub(super) fn monitor_rules_prefix(monitor: &str) -> PortResult<String> {
    ALERT_RULE.prefix([monitor])
}

pub(super) fn rule_key(tenant: &str, monitor: &str, rule: &str) -> PortResult<Key> {
    Ok(Key::new(
        rules_partition(tenant)?,
        ALERT_RULE.key([monitor, rule])?,
    ))
}

pub(super) fn seen_partition(tenant: &str, rule: &str) -> PortResult<String> {
    ALERT_SEEN.key([tenant, rule])
}

pub(super) fn seen_key(tenant: &str, rule: &str, digest: &str) -> PortResult<Key> {
    Ok(Key::new(seen_partition(tenant, rule)?, digest))
}

pub(super) fn history_partition(tenant: &str) -> PortResult<String> {
    ALERTS.key([tenant])
}

pub(super) fn monitor_history_partition(tenant: &str, monitor: &str) -> PortResult<String> {
    MONITOR_ALERTS.key([tenant, monitor])
}

pub(super) fn alert_key(tenant: &str, alert: &str) -> PortResult<Key> {
    Ok(Key::new(history_partition(tenant)?, alert))
}

pub(super) fn alert_gsi1(tenant: &str, monitor: &str, alert: &str) -> PortResult<Key> {
    Ok(Key::new(monitor_history_partition(tenant, monitor)?, alert))
}
