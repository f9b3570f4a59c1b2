//! Shared test helpers: a moto server per test process, AWS resources created on it the way
//! template.yaml declares them, and both backends' ports behind trait objects.

pub mod aws;
pub mod moto;
pub mod ports;
