//! Port conformance suites, written once against the `plasma-core` traits and run against
//! every adapter (see `tests/conformance.rs`). Each case is a `pub async fn` that takes the
//! port under test, starts from empty resources, and panics with a message naming the
//! broken rule of the contract.

pub mod blobs;
pub mod cipher;
pub mod events;
pub mod items;
pub mod queue;
pub mod scheduler;
