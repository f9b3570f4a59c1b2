//! The large-language-model port: one completion request in, text and token usage out.
//! Capabilities (brand sentiment, and later research and content generation) depend on this
//! trait; `plasma-aws` implements it on Amazon Bedrock's Converse API.

use crate::PortResult;
use async_trait::async_trait;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub role: Role,
    pub text: String,
}

impl Message {
    pub fn user(text: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            text: text.into(),
        }
    }
}

/// One request: an optional system prompt and the conversation so far, ending with the
/// user's turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub system: Option<String>,
    pub messages: Vec<Message>,
    pub max_tokens: u32,
    pub temperature: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompletionOutput {
    pub text: String,
    pub input_tokens: u32,
    pub output_tokens: u32,
    /// Why generation stopped, as the model reports it (`end_turn`, `max_tokens`, ...).
    pub stop_reason: String,
}

#[async_trait]
pub trait Llm: Send + Sync {
    async fn complete(&self, request: Completion) -> PortResult<CompletionOutput>;
    /// The model requests go to, for logs and usage records.
    fn model(&self) -> &str;
}
