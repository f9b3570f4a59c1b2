use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ComposeError {
    /// The brief is not usable; `field` names the part at fault (`topic`, `channels[2]`, ...).
    #[error("invalid {field}: {message}")]
    Invalid { field: String, message: String },
    /// The model failed: its call errored, or its answer stayed malformed after one repair.
    #[error("model failed: {0}")]
    Model(String),
}
