//! The composition root shared by the Lambda functions and the local runner: it builds the
//! adapters for the configured backend and assembles the capabilities on top of them.

pub mod agent;
pub mod api;
pub mod batch;
pub mod content;
pub mod dead_letters;
pub mod graphql;
pub mod health;
pub mod housekeeping;
pub mod ingest;
pub mod logging;
pub mod mcp;
pub mod me;
pub mod openapi;
pub mod pages;
pub mod platform;
pub mod ports;
pub mod publish;
pub mod research;
pub mod schedules;
pub mod settings;
pub mod topology;
pub mod worker;

pub use plasma_gateway;
pub use platform::Platform;
pub use ports::{AwsRuntime, EmbeddedRuntime, Ports, Runtime};
pub use settings::Settings;
