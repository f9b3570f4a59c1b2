//! The local runner: every function of the platform in one process on embedded adapters.
//! `main.rs` is only the command line; tests start [`serve::Server`] in-process.

pub mod hosts;
pub mod serve;
pub mod token;
mod upload;
mod workers;
