//! Tests against the embedded adapters (SQLite items, file blobs), as the services run
//! locally.

mod generate;
mod render;
mod store;
mod support;
