//! The analyser through its public API: one binary for the rule, targeted-sentiment and
//! quality-floor tests.

#[path = "sentiment/quality.rs"]
mod quality;
#[path = "sentiment/rules.rs"]
mod rules;
#[path = "sentiment/targeted.rs"]
mod targeted;
