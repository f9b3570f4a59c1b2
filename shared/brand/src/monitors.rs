//! Monitors: what a tenant watches (brand terms, a boolean query, exclusions) and where
//! (source configurations).
//!
//! # Key design (single table)
//!
//! | item | PK | SK | GSI1PK | GSI1SK |
//! |------|----|----|--------|--------|
//! | monitor | `T#{tenant}#MONITOR` | `{id}` | `MONITORS` | `{tenant}#{id}` |
//!
//! GSI1 `MONITORS` is the tenant-independent index the scheduler walks to scan every monitor
//! without scanning the table. Monitors are immutable once created (delete and create again),
//! so a scan job's `source_index` and a saved cursor always refer to the same source.

mod model;
mod store;
mod validate;

pub use model::{Monitor, NewMonitor, SourceConfig, SourceKind};
pub use store::{MonitorStore, ScheduledMonitor};
pub use validate::validate;
