//! Shared test helpers: a moto server per test process, AWS resources created on it the way
//! template.yaml declares them, and both backends' ports behind trait objects.

pub mod aws;
pub mod mcp_client;
pub mod moto;
pub mod playwright;
pub mod ports;
pub mod venv;

/// Test processes build plain reqwest clients too; they need the TLS provider installed.
pub use plasma_http::outbound::install_crypto_provider;
