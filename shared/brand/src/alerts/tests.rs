//! Alert tests against the embedded SQLite adapter, a manual clock, real signed webhooks and
//! a local Slack receiver.

mod api;
mod instant;
mod spikes;
mod support;
