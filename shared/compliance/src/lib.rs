//! Content compliance checks: a draft against a brand-voice profile and a channel's
//! limits, scored 0–100 with itemised findings and suggested fixes. Deterministic: the
//! same text, channel and rules always give the same report.
//!
//! Rules: banned and missing required terms, Flesch–Kincaid grade against the target,
//! tone and sentiment against the profile, sentence length, passive voice, claims without
//! citations, and channel limits (X weighted length with threads, LinkedIn and Mastodon
//! lengths, hashtag counts, preferred length).

mod channels;
mod check;
mod claims;
pub mod codes;
mod hashtags;
mod limits;
mod passive;
mod readability;
mod report;
mod rules;
mod score;
mod sentences;
mod syllables;
mod terms;
mod text;
mod thread;
mod tone;
mod urls;
mod weight;

pub use channels::{Channel, ChannelLimit, Measure, UnknownChannel};
pub use check::{CheckInput, Checker, THREAD_SEPARATOR, check};
pub use report::{Finding, Report, Severity, Span, Stats};
pub use rules::{LengthRange, VoiceRules};
pub use score::score;
pub use thread::split_thread;
pub use weight::x_weighted_length;

#[cfg(test)]
mod tests;
