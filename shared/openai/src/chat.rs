//! [`Llm`] on an OpenAI-compatible `/v1/chat/completions` endpoint.

use crate::api::Api;
use async_trait::async_trait;
use plasma_core::{Completion, CompletionOutput, Llm, PortError, PortResult, Role};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

/// Long answers from a large self-hosted model can take minutes to generate.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(180);

pub struct OpenAiChat {
    api: Api,
    model: String,
}

impl OpenAiChat {
    /// `base_url` is the server root (`https://api.openai.com`, `http://localhost:8000`).
    pub fn new(
        base_url: impl Into<String>,
        model: impl Into<String>,
        api_key: Option<String>,
    ) -> PortResult<Self> {
        Ok(Self {
            api: Api::new(&base_url.into(), api_key, DEFAULT_TIMEOUT)?,
            model: model.into(),
        })
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.api = self.api.with_timeout(timeout);
        self
    }
}

#[derive(Deserialize)]
struct ChatReply {
    choices: Vec<Choice>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChoiceMessage,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    /// Null when the model answered with tool calls or a refusal only.
    content: Option<String>,
}

#[derive(Deserialize)]
struct Usage {
    prompt_tokens: u32,
    completion_tokens: u32,
}

#[async_trait]
impl Llm for OpenAiChat {
    async fn complete(&self, request: Completion) -> PortResult<CompletionOutput> {
        let mut messages: Vec<Value> = Vec::with_capacity(request.messages.len() + 1);
        if let Some(system) = request.system {
            messages.push(json!({"role": "system", "content": system}));
        }
        for message in request.messages {
            let role = match message.role {
                Role::User => "user",
                Role::Assistant => "assistant",
            };
            messages.push(json!({"role": role, "content": message.text}));
        }
        let body = json!({
            "model": self.model,
            "messages": messages,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
        });
        let reply: ChatReply = self.api.post("chat/completions", &body).await?;
        let choice = reply.choices.into_iter().next().ok_or_else(|| {
            PortError::Backend(format!("{}: the reply has no choices", self.model))
        })?;
        let (input_tokens, output_tokens) = reply
            .usage
            .map(|u| (u.prompt_tokens, u.completion_tokens))
            .unwrap_or_default();
        Ok(CompletionOutput {
            text: choice.message.content.unwrap_or_default(),
            input_tokens,
            output_tokens,
            stop_reason: choice.finish_reason.unwrap_or_default(),
        })
    }

    fn model(&self) -> &str {
        &self.model
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Reply, stand_in};
    use plasma_core::Message;

    fn request() -> Completion {
        Completion {
            system: Some("Answer tersely.".into()),
            messages: vec![
                Message::user("Hi"),
                Message {
                    role: Role::Assistant,
                    text: "Hello.".into(),
                },
                Message::user("Summarise this."),
            ],
            max_tokens: 200,
            temperature: 0.25,
        }
    }

    #[tokio::test]
    async fn sends_the_conversation_and_maps_the_first_choice() {
        let (url, seen) = stand_in(|_, _| {
            Reply::ok(json!({
                "id": "chatcmpl-1", "object": "chat.completion", "created": 1764050000,
                "model": "llama3.1:8b",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "A summary."},
                             "finish_reason": "length"}],
                "usage": {"prompt_tokens": 31, "completion_tokens": 9, "total_tokens": 40}
            }))
        })
        .await;
        let chat = OpenAiChat::new(&url, "llama3.1:8b", Some("sk-local".into())).unwrap();
        assert_eq!(chat.model(), "llama3.1:8b");
        let output = chat.complete(request()).await.unwrap();
        assert_eq!(
            output,
            CompletionOutput {
                text: "A summary.".into(),
                input_tokens: 31,
                output_tokens: 9,
                stop_reason: "length".into(),
            }
        );

        let seen = seen.lock().unwrap();
        assert_eq!(seen[0].path, "/v1/chat/completions");
        assert_eq!(seen[0].headers["authorization"], "Bearer sk-local");
        assert_eq!(
            seen[0].body,
            json!({
                "model": "llama3.1:8b",
                "messages": [
                    {"role": "system", "content": "Answer tersely."},
                    {"role": "user", "content": "Hi"},
                    {"role": "assistant", "content": "Hello."},
                    {"role": "user", "content": "Summarise this."}
                ],
                "max_tokens": 200,
                "temperature": 0.25
            })
        );
    }

    #[tokio::test]
    async fn a_null_content_and_missing_usage_are_empty_not_errors() {
        let (url, _) = stand_in(|_, _| {
            Reply::ok(json!({"choices": [{"index": 0,
                "message": {"role": "assistant", "content": null}, "finish_reason": "content_filter"}]}))
        })
        .await;
        let output = OpenAiChat::new(url, "gpt-4o-mini", None)
            .unwrap()
            .complete(request())
            .await
            .unwrap();
        assert_eq!(output.text, "");
        assert_eq!((output.input_tokens, output.output_tokens), (0, 0));
        assert_eq!(output.stop_reason, "content_filter");
    }

    #[tokio::test]
    async fn an_unknown_model_is_a_backend_error_with_the_providers_message() {
        let (url, seen) = stand_in(|_, _| {
            Reply::status(
                404,
                json!({"error": {"message": "The model `gpt-9` does not exist", "type": "invalid_request_error"}}),
            )
        })
        .await;
        let chat = OpenAiChat::new(url, "gpt-9", None).unwrap();
        match chat.complete(request()).await {
            Err(PortError::Backend(message)) => {
                assert!(
                    message.contains("404") && message.contains("`gpt-9` does not exist"),
                    "{message}"
                )
            }
            other => panic!("expected Backend, got {other:?}"),
        }
        assert_eq!(seen.lock().unwrap().len(), 1, "4xx is not retried");
    }

    #[test]
    fn a_malformed_base_url_is_not_configured() {
        assert!(matches!(
            OpenAiChat::new("localhost:8000", "m", None),
            Err(PortError::NotConfigured(_))
        ));
    }
}
