//! Logs: JSON lines in Lambda (CloudWatch Logs Insights parses them), human-readable locally.

use tracing_subscriber::EnvFilter;

pub fn init_json() {
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_current_span(true)
        .without_time() // CloudWatch stamps every line already.
        .try_init();
}

/// Logs go to stderr so that stdout carries only what the command prints for people.
pub fn init_pretty() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .try_init();
}
