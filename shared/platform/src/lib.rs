//! The composition root shared by the Lambda functions and the local runner: it builds the
//! adapters for the configured backend and assembles the capabilities on top of them.

pub mod api;
pub mod health;
pub mod housekeeping;
pub mod logging;
pub mod platform;
pub mod topology;
pub mod worker;

pub use plasma_gateway;
pub use platform::Platform;
