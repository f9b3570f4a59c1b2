use crate::support::{assert_fails, call};
use async_trait::async_trait;
use plasma_core::{Completion, CompletionOutput, Llm, PortError, PortResult, Role};
use plasma_tools::{LlmComplete, Tool};
use serde_json::json;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct FakeLlm {
    seen: Mutex<Vec<Completion>>,
    fail: Option<PortError>,
}

#[async_trait]
impl Llm for FakeLlm {
    async fn complete(&self, request: Completion) -> PortResult<CompletionOutput> {
        let prompt = request.messages.last().unwrap().text.clone();
        self.seen.lock().unwrap().push(request);
        if let Some(error) = &self.fail {
            return Err(error.clone());
        }
        Ok(CompletionOutput {
            text: format!("answer to {prompt}"),
            input_tokens: 12,
            output_tokens: 34,
            stop_reason: "end_turn".into(),
        })
    }

    fn model(&self) -> &str {
        "fake-model-1"
    }
}

#[tokio::test]
async fn completes_with_the_given_settings() {
    let llm = Arc::new(FakeLlm::default());
    let tool = LlmComplete::new(llm.clone());
    let out = tool
        .call(call(json!({
            "prompt": "why?", "system": "be brief", "max_tokens": 200, "temperature": 0.1
        })))
        .await
        .unwrap();
    assert_eq!(
        out,
        json!({
            "text": "answer to why?", "model": "fake-model-1",
            "input_tokens": 12, "output_tokens": 34, "stop_reason": "end_turn"
        })
    );
    let seen = llm.seen.lock().unwrap();
    assert_eq!(seen[0].system.as_deref(), Some("be brief"));
    assert_eq!(seen[0].messages.len(), 1);
    assert_eq!(seen[0].messages[0].role, Role::User);
    assert_eq!(seen[0].max_tokens, 200);
    assert!((seen[0].temperature - 0.1).abs() < 1e-6);
}

#[tokio::test]
async fn defaults_apply_when_settings_are_left_out() {
    let llm = Arc::new(FakeLlm::default());
    LlmComplete::new(llm.clone())
        .call(call(json!({ "prompt": "hi" })))
        .await
        .unwrap();
    let seen = llm.seen.lock().unwrap();
    assert_eq!(seen[0].system, None);
    assert_eq!(seen[0].max_tokens, 1024);
    assert!((seen[0].temperature - 0.7).abs() < 1e-6);
}

#[tokio::test]
async fn port_errors_become_llm_failures() {
    for (error, name) in [
        (PortError::Backend("throttled".into()), "Llm.Failed"),
        (PortError::Invalid("too long".into()), "Llm.InvalidRequest"),
        (
            PortError::NotConfigured("no model".into()),
            "Llm.NotConfigured",
        ),
    ] {
        let llm = Arc::new(FakeLlm {
            fail: Some(error),
            ..FakeLlm::default()
        });
        let failure = assert_fails(
            LlmComplete::new(llm)
                .call(call(json!({ "prompt": "hi" })))
                .await,
            name,
        );
        assert!(!failure.cause.is_empty());
    }
}

#[tokio::test]
async fn bad_input_never_reaches_the_model() {
    let llm = Arc::new(FakeLlm::default());
    let tool = LlmComplete::new(llm.clone());
    for input in [
        json!({}),
        json!({ "prompt": "  " }),
        json!({ "prompt": "x", "max_tokens": 0 }),
        json!({ "prompt": "x", "temperature": 3.0 }),
        json!({ "prompt": "x", "model": "other" }),
    ] {
        assert_fails(tool.call(call(input)).await, "Tool.InvalidInput");
    }
    assert!(llm.seen.lock().unwrap().is_empty());
}
