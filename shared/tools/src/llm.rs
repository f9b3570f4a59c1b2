//! `llm.complete`: one completion from the platform's model.

use crate::{Tool, ToolCall, ToolFailure, errors, input};
use async_trait::async_trait;
use plasma_core::{Completion, Llm, Message, PortError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

const DEFAULT_MAX_TOKENS: u32 = 1024;
const MAX_TOKENS_CEILING: u32 = 32_768;
const DEFAULT_TEMPERATURE: f32 = 0.7;

/// `llm.complete`.
///
/// Input: `{ "prompt": "...", "system": "...", "max_tokens": 1024, "temperature": 0.7 }`
/// (`system`, `max_tokens` (1..=32768, default 1024) and `temperature` (0..=2, default 0.7; models that take less refuse with `Llm.InvalidRequest`)
/// optional).
/// Output: `{ "text", "model", "input_tokens", "output_tokens", "stop_reason" }`.
///
/// Errors: `Tool.InvalidInput`; `Llm.InvalidRequest` (the model refused the request as
/// given); `Llm.NotConfigured`; `Llm.Failed` (the backend failed, retrying may help).
pub struct LlmComplete {
    llm: Arc<dyn Llm>,
}

impl LlmComplete {
    pub const NAME: &'static str = "llm.complete";

    pub fn new(llm: Arc<dyn Llm>) -> Self {
        Self { llm }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    prompt: String,
    system: Option<String>,
    max_tokens: Option<u32>,
    temperature: Option<f32>,
}

#[async_trait]
impl Tool for LlmComplete {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure> {
        let input: Input = input(Self::NAME, call.input)?;
        if input.prompt.trim().is_empty() {
            return Err(ToolFailure::invalid("prompt must not be empty"));
        }
        let max_tokens = input.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS);
        if !(1..=MAX_TOKENS_CEILING).contains(&max_tokens) {
            return Err(ToolFailure::invalid(format!(
                "max_tokens must be between 1 and {MAX_TOKENS_CEILING}"
            )));
        }
        let temperature = input.temperature.unwrap_or(DEFAULT_TEMPERATURE);
        if !(0.0..=2.0).contains(&temperature) {
            return Err(ToolFailure::invalid("temperature must be between 0 and 2"));
        }
        let request = Completion {
            system: input.system.filter(|s| !s.trim().is_empty()),
            messages: vec![Message::user(input.prompt)],
            max_tokens,
            temperature,
        };
        let output = self.llm.complete(request).await.map_err(llm_failure)?;
        Ok(json!({
            "text": output.text,
            "model": self.llm.model(),
            "input_tokens": output.input_tokens,
            "output_tokens": output.output_tokens,
            "stop_reason": output.stop_reason,
        }))
    }
}

fn llm_failure(error: PortError) -> ToolFailure {
    let name = match &error {
        PortError::Invalid(_) => errors::LLM_INVALID_REQUEST,
        PortError::NotConfigured(_) => errors::LLM_NOT_CONFIGURED,
        _ => errors::LLM_FAILED,
    };
    ToolFailure::new(name, error.to_string())
}
