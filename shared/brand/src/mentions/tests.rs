//! Tests against the embedded SQLite adapter, as the services run locally.

mod analytics;
mod dedup;
mod inbox;
mod support;
