//! Item-store keys in one place: every key layout the capabilities use is declared once in
//! [`REGISTRY`] (name, owning capability, what it holds), and keys are only ever built from
//! those declarations, which check each id before it becomes part of a key.
//!
//! A layout is a template of `#`-separated parts, each a literal or a placeholder:
//! `T#{tenant}#MON#{monitor}#MENTION`. A placeholder takes one id (see [`check_segment`]);
//! a placeholder written `{name*}` ends the template and takes free text (see [`check_tail`]),
//! for values the platform does not issue, such as a token's subject. Because ids carry no
//! `#`, a key names exactly one layout and one set of ids, so no id can reach into another
//! tenant's or another record's keys; the registry's test proves no two layouts overlap.
//! The strings are exactly the ones stored before the registry existed: changing a
//! template makes stored items unreadable.

use crate::error::{PortError, PortResult};

/// Separates the parts of a key.
pub const SEPARATOR: char = '#';

/// Longest id a key holds. Three ids and their literals stay inside DynamoDB's 1024-byte
/// sort-key limit; the ids the platform issues (UUIDs) and accepts (tenants, at most 64
/// bytes) are far shorter.
pub const MAX_SEGMENT_BYTES: usize = 256;

/// Longest free-text tail; with a short literal head it stays inside the sort-key limit.
pub const MAX_TAIL_BYTES: usize = 1000;

/// The key an entry's template fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    /// A partition key of the table.
    Table,
    /// A partition key of the GSI1 index.
    Index,
    /// A sort key inside the partitions of the named entry.
    SortIn(&'static str),
}

/// One registry entry, whatever its number of placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub name: &'static str,
    /// The capability that reads and writes these keys.
    pub owner: &'static str,
    pub space: Space,
    pub template: &'static str,
    /// What the keys hold.
    pub holds: &'static str,
}

/// A key layout taking `N` values, in template order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout<const N: usize>(Entry);

impl<const N: usize> Layout<N> {
    /// Refuses, at compile time, a template whose placeholders are not `N`.
    pub const fn new(
        name: &'static str,
        owner: &'static str,
        space: Space,
        template: &'static str,
        holds: &'static str,
    ) -> Self {
        let bytes = template.as_bytes();
        let (mut i, mut placeholders) = (0, 0);
        while i < bytes.len() {
            if bytes[i] == b'{' {
                placeholders += 1;
            }
            i += 1;
        }
        assert!(
            placeholders == N,
            "a layout's arity must match its template"
        );
        Self(Entry {
            name,
            owner,
            space,
            template,
            holds,
        })
    }

    pub const fn entry(&self) -> Entry {
        self.0
    }

    /// The key for `values`; `PortError::Invalid` names the first value that cannot be part
    /// of a key.
    pub fn key(&self, values: [&str; N]) -> PortResult<String> {
        fill(self.0.template, &values)
    }

    /// The `begins_with` prefix selecting every key of this layout that starts with `values`
    /// (all but the last placeholder): the template up to its last placeholder, so it ends
    /// with the separator and never selects a longer id or another layout's keys.
    pub fn prefix<const M: usize>(&self, values: [&str; M]) -> PortResult<String> {
        const { assert!(M + 1 == N, "a prefix takes all values but the last") };
        let template = self.0.template;
        let last = template.rfind('{').unwrap_or(template.len());
        fill(&template[..last], &values)
    }

    /// The values a key of this layout holds, in template order; `None` for a key this layout
    /// did not build.
    pub fn parse<'k>(&self, key: &'k str) -> Option<[&'k str; N]> {
        let mut values = [""; N];
        let mut filled = 0;
        let mut rest = key;
        let mut parts = self.0.template.split(SEPARATOR).peekable();
        while let Some(part) = parts.next() {
            let last = parts.peek().is_none();
            let (value, after) = match (last, rest.split_once(SEPARATOR)) {
                (false, Some((value, after))) => (value, after),
                (false, None) => return None,
                (true, _) => (rest, ""),
            };
            match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) => {
                    let valid = match name.strip_suffix('*') {
                        Some(what) => check_tail(what, value).is_ok(),
                        None => check_segment(name, value).is_ok(),
                    };
                    if !valid {
                        return None;
                    }
                    values[filled] = value;
                    filled += 1;
                }
                None if part == value => {}
                None => return None,
            }
            rest = after;
        }
        Some(values)
    }
}

impl Layout<0> {
    /// The key of a layout without placeholders.
    pub const fn literal(&self) -> &'static str {
        self.0.template
    }
}

/// Checks one id for use as a key part: non-empty, at most [`MAX_SEGMENT_BYTES`], and free of
/// `#` (it would reach into another key) and `/` (ids also name blob folders).
pub fn check_segment(what: &str, value: &str) -> PortResult<()> {
    if value.is_empty() || value.len() > MAX_SEGMENT_BYTES || value.contains([SEPARATOR, '/']) {
        return Err(PortError::Invalid(format!(
            "{what} id must be non-empty, at most {MAX_SEGMENT_BYTES} bytes and free of '#' and '/': {value:?}"
        )));
    }
    Ok(())
}

/// Checks the free text that ends a key: non-empty and at most [`MAX_TAIL_BYTES`]. It may hold
/// `#`, since nothing follows it and no other layout starts with its head.
pub fn check_tail(what: &str, value: &str) -> PortResult<()> {
    if value.is_empty() || value.len() > MAX_TAIL_BYTES {
        return Err(PortError::Invalid(format!(
            "{what} must be non-empty and at most {MAX_TAIL_BYTES} bytes: {value:?}"
        )));
    }
    Ok(())
}

fn fill(template: &str, values: &[&str]) -> PortResult<String> {
    let mut key =
        String::with_capacity(template.len() + values.iter().map(|v| v.len()).sum::<usize>());
    let mut values = values.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        key.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').unwrap_or(rest.len() - open);
        let name = &rest[open + 1..close];
        let value = values.next().copied().unwrap_or_default();
        match name.strip_suffix('*') {
            Some(what) => check_tail(what, value)?,
            None => check_segment(name, value)?,
        }
        key.push_str(value);
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    key.push_str(rest);
    Ok(key)
}

macro_rules! registry {
    ($($(#[$doc:meta])* $name:ident: $n:literal = $space:expr, $owner:literal, $template:literal, $holds:literal;)*) => {
        $(
            $(#[$doc])*
            pub const $name: Layout<$n> =
                Layout::new(stringify!($name), $owner, $space, $template, $holds);
        )*
        /// Every layout, so a test can prove they never overlap.
        pub const REGISTRY: &[Entry] = &[$($name.entry()),*];
    };
}

use Space::{Index, SortIn, Table};

registry! {
    // The gateway: a tenant's own partition, audit log and rate buckets.
    GATEWAY: 1 = Table, "gateway", "T#{tenant}", "a tenant's API keys and webhook endpoints";
    API_KEY: 1 = SortIn("GATEWAY"), "gateway", "APIKEY#{key}", "an API key's record";
    API_KEY_BY_HASH: 1 = Index, "gateway", "APIKEY#{hash}", "an API key, found by its secret's hash";
    API_KEY_BY_HASH_SORT: 0 = SortIn("API_KEY_BY_HASH"), "gateway", "APIKEY", "the one entry of a secret's hash";
    WEBHOOK_ENDPOINT: 1 = SortIn("GATEWAY"), "gateway", "WEBHOOK#{endpoint}", "a webhook endpoint";
    WEBHOOK_DELIVERIES: 2 = Table, "gateway", "T#{tenant}#WEBHOOK#{endpoint}", "an endpoint's deliveries";
    WEBHOOK_DELIVERY: 1 = SortIn("WEBHOOK_DELIVERIES"), "gateway", "DELIVERY#{delivery}", "one delivery";
    AUDIT: 1 = Table, "gateway", "T#{tenant}#AUDIT", "a tenant's audit log";
    AUDIT_BY_ACTOR: 2 = Index, "gateway", "T#{tenant}#AUDIT#ACTOR#{actor*}", "a tenant's audit log by actor";
    AUDIT_ENTRY: 2 = SortIn("AUDIT"), "gateway", "{at}#{event}", "an audit entry, by time (also in AUDIT_BY_ACTOR)";
    AUDIT_UNAUTHENTICATED: 1 = Table, "gateway", "T#{tenant}#AUDIT#UNAUTHENTICATED", "unauthenticated requests counted by minute (platform tenant only)";
    RATE: 1 = Table, "gateway", "T#{tenant}#RATE", "a tenant's rate-limit buckets";
    RATE_TENANT: 0 = SortIn("RATE"), "gateway", "TENANT", "the tenant-wide bucket";
    RATE_PRINCIPAL: 1 = SortIn("RATE"), "gateway", "P#{subject*}", "one principal's bucket";

    // Brand intelligence.
    MONITORS: 1 = Table, "brand", "T#{tenant}#MONITOR", "a tenant's monitors";
    MONITOR_INDEX: 0 = Index, "brand", "MONITORS", "every tenant's monitors, for the scheduler";
    MONITOR_INDEX_SORT: 2 = SortIn("MONITOR_INDEX"), "brand", "{tenant}#{monitor}", "one monitor in the scheduler's index";
    MENTIONS: 2 = Table, "brand", "T#{tenant}#MON#{monitor}#MENTION", "a monitor's mentions";
    MENTION: 2 = SortIn("MENTIONS"), "brand", "{published}#{digest}", "a mention, by publication time";
    TENANT_MENTIONS: 1 = Index, "brand", "T#{tenant}#MENTION", "a tenant's mentions across monitors";
    TENANT_MENTION: 3 = SortIn("TENANT_MENTIONS"), "brand", "{published}#{monitor}#{digest}", "a mention in the tenant's inbox";
    MENTION_DEDUP: 2 = Table, "brand", "T#{tenant}#MON#{monitor}#DEDUP", "a monitor's dedup markers, by digest";
    SOURCE_CURSORS: 2 = Table, "brand", "T#{tenant}#MON#{monitor}#CURSOR", "a monitor's per-source cursors";
    SCANS: 2 = Table, "brand", "T#{tenant}#MON#{monitor}#SCAN", "a monitor's scan runs and their per-source outcomes";
    SCAN_OUTCOME: 2 = SortIn("SCANS"), "brand", "{scan}#{source}", "one source's outcome in a scan run";
    REPORTS: 2 = Table, "brand", "T#{tenant}#MON#{monitor}#REPORT", "a monitor's archived reports";
    BRAND_SETTINGS: 1 = Table, "brand", "T#{tenant}#BRAND", "a tenant's brand settings";
    BRAND_SETTINGS_SORT: 0 = SortIn("BRAND_SETTINGS"), "brand", "SETTINGS", "the settings record";
    ALERT_RULES: 1 = Table, "brand", "T#{tenant}#ALERTRULE", "a tenant's alert rules";
    ALERT_RULE: 2 = SortIn("ALERT_RULES"), "brand", "MON#{monitor}#RULE#{rule}", "an alert rule, under its monitor";
    ALERT_SEEN: 2 = Table, "brand", "T#{tenant}#ALERTRULE#{rule}#SEEN", "mentions a rule has already alerted on";
    ALERTS: 1 = Table, "brand", "T#{tenant}#ALERT", "a tenant's alert history";
    MONITOR_ALERTS: 2 = Index, "brand", "T#{tenant}#MON#{monitor}#ALERT", "a monitor's alert history";

    // Content.
    CAMPAIGNS: 1 = Table, "content", "CNT#{tenant}#CAMPAIGN", "a tenant's campaigns";
    PROFILES: 1 = Table, "content", "CNT#{tenant}#PROFILE", "a tenant's brand profiles (latest version)";
    PROFILE_VERSIONS: 2 = Table, "content", "CNT#{tenant}#PROFILE#{profile}", "a profile's versions";
    CREDENTIALS: 1 = Table, "content", "CNT#{tenant}#CRED", "a tenant's sealed publishing credentials";
    CONTENT_ITEMS: 1 = Table, "content", "CNT#{tenant}#ITEM", "a tenant's content items";
    ITEM_VERSIONS: 2 = Table, "content", "CNT#{tenant}#ITEM#{item}#V", "an item's versions";
    ITEM_ACTIVITY: 2 = Table, "content", "CNT#{tenant}#ITEM#{item}#A", "an item's activity";
    ITEM_ACTIVITY_ENTRY: 2 = SortIn("ITEM_ACTIVITY"), "content", "{at}#{activity}", "one activity entry, by time";
    PUBLISHED: 1 = Index, "content", "CNT#PUBLISHED#{day}", "posts published on a day, across tenants";
    PUBLISHED_POST: 3 = SortIn("PUBLISHED"), "content", "{at}#{tenant}#{item}", "one published post";

    // Research.
    DOCUMENTS: 1 = Table, "research", "RES#{tenant}#DOC", "a tenant's documents";
    DOCUMENT_HASHES: 1 = Table, "research", "RES#{tenant}#HASH", "documents by content hash";
    DOCUMENT_SOURCES: 1 = Table, "research", "RES#{tenant}#SRC", "documents by source";
    ORIGINALS: 1 = Table, "research", "RES#{tenant}#ORIGINAL", "uploaded originals";
    CHUNKS: 2 = Table, "research", "RES#{tenant}#CHUNK#{document}", "a document's chunks";
    JOBS: 1 = Table, "research", "RES#{tenant}#JOB", "a tenant's research jobs";
    JOB_ANSWERS: 2 = Table, "research", "RES#{tenant}#JOB#{job}", "a job's answers";
    GRAPH: 1 = Table, "research", "RES#{tenant}#GRAPH", "graph contributions, by document";
    RESEARCH_META: 1 = Table, "research", "RES#{tenant}#META", "a tenant's research metadata";
    RESEARCH_META_GRAPH: 0 = SortIn("RESEARCH_META"), "research", "graph", "the graph's summary";

    // Agent workflows and their tools.
    WORKFLOWS: 1 = Table, "agent", "AGT#{tenant}#WFS", "a tenant's workflows (latest version)";
    WORKFLOW_VERSIONS: 2 = Table, "agent", "AGT#{tenant}#WF#{workflow}", "a workflow's versions";
    WORKFLOW_VERSION: 1 = SortIn("WORKFLOW_VERSIONS"), "agent", "V#{version}", "one version";
    WORKFLOW_NAMES: 1 = Table, "agent", "AGT#{tenant}#WFNAME", "workflow ids by name";
    EXECUTIONS: 1 = Table, "agent", "AGT#{tenant}#EX", "a tenant's executions";
    CHECKPOINTS: 2 = Table, "agent", "AGT#{tenant}#CP#{execution}", "an execution's step checkpoints";
    IDEMPOTENCY: 2 = Table, "agent", "AGT#{tenant}#IDEM#{workflow}", "a workflow's idempotency keys";
    ACTIVE: 0 = Table, "agent", "AGT#ACTIVE", "executions the executor drives, across tenants";
    ACTIVE_EXECUTION: 2 = SortIn("ACTIVE"), "agent", "{tenant}#{execution}", "one active execution";
    EXECUTION_LOCATIONS: 0 = Table, "agent", "AGT#EXECUTIONS", "execution id to tenant";
    TOOLS: 1 = Table, "tools", "AGT#{tenant}#TOOLS", "a tenant's tool settings";
    TOOLS_NOTIFY: 0 = SortIn("TOOLS"), "tools", "notify", "the notification settings";
    TOOLS_MCP_SERVER: 1 = SortIn("TOOLS"), "tools", "mcp#{server*}", "one MCP server";

    // The platform's own records.
    SYSTEM: 0 = Table, "platform", "SYSTEM", "platform-wide records";
    HOUSEKEEPING: 0 = SortIn("SYSTEM"), "platform", "HOUSEKEEPING", "the housekeeping run's state";
}

#[cfg(test)]
#[path = "keys/tests.rs"]
mod tests;
