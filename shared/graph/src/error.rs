use plasma_core::PortError;
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum GraphError {
    /// The language model could not be reached or failed.
    #[error("language model failed: {0}")]
    Llm(#[from] PortError),
    /// The model answered, but not with the JSON the prompt asked for.
    #[error("invalid model output: {0}")]
    InvalidOutput(String),
}
