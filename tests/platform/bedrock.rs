//! The Bedrock adapter against a local stand-in for the Bedrock runtime endpoint, which checks
//! the Converse request the SDK sends (the shape in the Bedrock API reference) and answers a
//! documented Converse response.

use aws_sdk_bedrockruntime::config::{BehaviorVersion, Credentials, Region};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use plasma_aws::BedrockLlm;
use plasma_core::{Completion, Llm, Message, PortError, Role};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

const MODEL: &str = "anthropic.claude-3-haiku-20240307-v1:0";

/// What the stand-in saw: the model id from the path, the headers and the JSON body.
type Seen = Arc<Mutex<Vec<(String, HeaderMap, Value)>>>;

/// A Bedrock runtime stand-in answering `reply`; returns its URL and what it saw.
async fn bedrock(reply: fn() -> (StatusCode, HeaderMap, Value)) -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route(
            "/model/{model}/converse",
            post(
                move |State(seen): State<Seen>,
                      Path(model): Path<String>,
                      headers: HeaderMap,
                      Json(body): Json<Value>| async move {
                    seen.lock().unwrap().push((model, headers, body));
                    let (status, headers, body) = reply();
                    (status, headers, Json(body)).into_response()
                },
            ),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn llm(url: &str) -> BedrockLlm {
    let config = aws_sdk_bedrockruntime::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(url)
        .build();
    BedrockLlm::new(
        aws_sdk_bedrockruntime::Client::from_conf(config),
        MODEL.into(),
    )
}

fn request() -> Completion {
    Completion {
        system: Some("Answer tersely.".into()),
        messages: vec![
            Message::user("Hi"),
            Message {
                role: Role::Assistant,
                text: "Hello.".into(),
            },
            Message::user("Score this."),
        ],
        max_tokens: 200,
        temperature: 0.25,
    }
}

#[tokio::test]
async fn converse_sends_the_documented_request_and_maps_the_response() {
    let (url, seen) = bedrock(|| {
        let body = json!({
            "output": {"message": {"role": "assistant", "content": [{"text": "[{\"compound\": "}, {"text": "0.5}]"}]}},
            "stopReason": "end_turn",
            "usage": {"inputTokens": 31, "outputTokens": 9, "totalTokens": 40},
            "metrics": {"latencyMs": 120}
        });
        (StatusCode::OK, HeaderMap::new(), body)
    })
    .await;
    let llm = llm(&url);
    assert_eq!(llm.model(), MODEL);
    let output = llm.complete(request()).await.expect("converse succeeds");
    assert_eq!(output.text, "[{\"compound\": 0.5}]");
    assert_eq!((output.input_tokens, output.output_tokens), (31, 9));
    assert_eq!(output.stop_reason, "end_turn");

    let seen = seen.lock().unwrap();
    let (model, headers, body) = &seen[0];
    assert_eq!(model, MODEL);
    let authorization = headers["authorization"].to_str().unwrap();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
            && authorization.contains("/us-east-1/bedrock/aws4_request"),
        "{authorization}"
    );
    assert_eq!(body["system"], json!([{"text": "Answer tersely."}]));
    assert_eq!(
        body["messages"],
        json!([
            {"role": "user", "content": [{"text": "Hi"}]},
            {"role": "assistant", "content": [{"text": "Hello."}]},
            {"role": "user", "content": [{"text": "Score this."}]},
        ])
    );
    assert_eq!(body["inferenceConfig"]["maxTokens"], 200);
    assert_eq!(body["inferenceConfig"]["temperature"], 0.25);
}

#[tokio::test]
async fn a_validation_error_is_an_invalid_request() {
    let (url, _) = bedrock(|| {
        let mut headers = HeaderMap::new();
        headers.insert("x-amzn-errortype", "ValidationException".parse().unwrap());
        let body = json!({"message": "The model returned the following errors: bad input"});
        (StatusCode::BAD_REQUEST, headers, body)
    })
    .await;
    match llm(&url).complete(request()).await {
        Err(PortError::Invalid(message)) => assert!(message.contains("bad input"), "{message}"),
        other => panic!("expected Invalid, got {other:?}"),
    }
}
