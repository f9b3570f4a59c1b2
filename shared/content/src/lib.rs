//! Content orchestration: versioned brand-voice [`profiles`], drafts from a brief
//! ([`drafts`], written by the LLM port or the built-in composer and optionally grounded in
//! the research knowledge base), compliance checks ([`check`]), campaigns and the calendar
//! ([`campaigns`]), the approval workflow with version history ([`items`], [`workflow`]),
//! scheduled, idempotent publishing ([`publish`]) with per-tenant encrypted channel
//! [`credentials`], post [`metrics`], and the HTTP [`routes`].

pub mod campaigns;
pub mod check;
pub mod credentials;
pub mod diff;
pub mod drafts;
pub mod items;
pub mod metrics;
pub mod profiles;
pub mod publish;
pub mod review;
pub mod routes;
mod service;
pub mod transitions;
pub mod workflow;

pub use service::{Content, ContentDeps, ContentSettings, Grounding};

/// The event source of content lifecycle events.
pub const SOURCE: &str = "plasma.content";
