//! Publishing connectors: a signed generic webhook, WordPress, LinkedIn, X, Mastodon and
//! Medium behind one [`Publisher`] trait.
//!
//! Idempotency contract, for the caller that schedules publishing:
//! - `publish` is `Ok` only with the id the platform returned for the created post.
//! - `Retryable`: nothing was (or, for a thread, nothing more was) created; publish again later.
//! - `Ambiguous`: the create may have happened. Call `find_existing` first: `Some` is the post,
//!   `Ok(None)` means publishing again is safe, `Err(unverifiable)` means it is not (fail the
//!   item and let a person check the platform).
//! - `Permanent`: do not retry; `code` says why (see [`codes`]).

mod connectors;
mod format;
mod http;
mod linkedin;
mod mastodon;
mod medium;
mod publisher;
mod webhook;
mod wordpress;
mod x;

pub use connectors::{ConnectorSettings, Connectors};
pub use plasma_http::outbound::Egress;
pub use publisher::{
    ContentFormat, Credentials, Metrics, Post, PublishError, Published, Publisher, codes,
};
