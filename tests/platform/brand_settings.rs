//! Per-tenant brand settings over HTTP: the sentiment analyser a tenant chooses, and
//! `POST /brand/sentiment` and scans honouring it.

use crate::brand_scan::fixtures;
use crate::common::{TestApp, eventually, json};
use async_trait::async_trait;
use plasma_brand::scan::BrandSettings;
use plasma_core::{Completion, CompletionOutput, Llm, PortResult};
use plasma_platform::Settings;
use serde_json::{Value, json};
use std::sync::Arc;

/// Scores every text -0.75, whatever it says.
struct Gloomy;

#[async_trait]
impl Llm for Gloomy {
    async fn complete(&self, request: Completion) -> PortResult<CompletionOutput> {
        let prompt = &request.messages[0].text;
        let texts: Vec<String> =
            serde_json::from_str(prompt.trim_start_matches("Texts: ")).expect("texts as JSON");
        Ok(CompletionOutput {
            text: json!(vec![json!({"compound": -0.75}); texts.len()]).to_string(),
            input_tokens: 10,
            output_tokens: 10,
            stop_reason: "end_turn".into(),
        })
    }

    fn model(&self) -> &str {
        "gloomy"
    }
}

async fn put(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    let url = format!("{}/brand/settings", app.url);
    json(
        app.http
            .put(url)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn get(app: &TestApp, token: &str) -> (u16, Value) {
    json(
        app.get("/brand/settings")
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn score(app: &TestApp, token: &str) -> Value {
    let body = json!({"texts": ["good", "great"]});
    let request = app.post("/brand/sentiment").bearer_auth(token).json(&body);
    let (status, body) = json(request.send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn builtin_by_default_and_bedrock_refused_without_a_model() {
    let app = TestApp::spawn().await;
    let viewer = app.token("acme", &["viewer"]);
    let editor = app.token("acme", &["editor"]);
    assert_eq!(
        get(&app, &viewer).await,
        (200, json!({"sentiment": "builtin"}))
    );

    let (status, _) = put(&app, &viewer, json!({"sentiment": "builtin"})).await;
    assert_eq!(status, 403, "changing settings needs brand:write");
    let (status, problem) = put(&app, &editor, json!({"sentiment": "bedrock"})).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["field"], "sentiment");
    let (status, _) = put(&app, &editor, json!({"sentiment": "gpt"})).await;
    assert_eq!(status, 400, "unknown analysers are refused");
    let saved = put(&app, &editor, json!({"sentiment": "builtin"})).await;
    assert_eq!(saved, (200, json!({"sentiment": "builtin"})));
    assert_eq!(
        score(&app, &viewer).await["results"][0]["label"],
        "positive"
    );
    app.stop().await;
}

/// A platform with the gloomy model, and no politeness delay or retries against fixtures.
async fn gloomy_app() -> TestApp {
    TestApp::spawn_with(Settings {
        brand: BrandSettings {
            llm: Some(Arc::new(Gloomy)),
            politeness: std::time::Duration::ZERO,
            max_attempts: 1,
            ..BrandSettings::default()
        },
        ..Settings::default()
    })
    .await
}

#[tokio::test]
async fn a_tenant_that_chose_bedrock_is_scored_by_the_model() {
    let app = gloomy_app().await;
    let acme = app.token("acme", &["editor"]);
    let other = app.token("other", &["editor"]);
    let saved = put(&app, &acme, json!({"sentiment": "bedrock"})).await;
    assert_eq!(saved, (200, json!({"sentiment": "bedrock"})));
    assert_eq!(get(&app, &acme).await.1["sentiment"], "bedrock");

    let results = score(&app, &acme).await["results"].clone();
    assert_eq!(
        results,
        json!([
            {"compound": -0.75, "label": "negative"},
            {"compound": -0.75, "label": "negative"},
        ])
    );
    // Another tenant keeps the built-in analyser.
    assert_eq!(get(&app, &other).await.1["sentiment"], "builtin");
    assert_eq!(score(&app, &other).await["results"][0]["label"], "positive");
    app.stop().await;
}

#[tokio::test]
async fn scans_score_mentions_with_the_tenants_choice() {
    let app = gloomy_app().await;
    let base = fixtures().await;
    let token = app.token("acme", &["analyst"]);
    let saved = put(&app, &token, json!({"sentiment": "bedrock"})).await;
    assert_eq!(saved.0, 200, "{}", saved.1);
    let monitor = json!({
        "name": "Acme",
        "names": ["Acme"],
        "sources": [{"kind": "rss", "url": format!("{base}/feed.xml")}],
    });
    let request = app
        .post("/brand/monitors")
        .bearer_auth(&token)
        .json(&monitor);
    let (status, monitor) = json(request.send().await.unwrap()).await;
    assert_eq!(status, 201, "{monitor}");
    let id = monitor["id"].as_str().unwrap();
    let scan = app.post(&format!("/brand/monitors/{id}/scan"));
    let (status, _) = json(scan.bearer_auth(&token).send().await.unwrap()).await;
    assert_eq!(status, 202);

    let mentions = format!("/brand/monitors/{id}/mentions");
    let items = eventually("the scanned mentions", || async {
        let (_, page) = json(app.get(&mentions).bearer_auth(&token).send().await.unwrap()).await;
        let items = page["items"].as_array()?.clone();
        (items.len() == 3).then_some(items)
    })
    .await;
    // Even "a wonderful phone" is gloomy: the model scored it, not the lexicon.
    for item in &items {
        assert_eq!(
            item["sentiment"],
            json!({"compound": -0.75, "label": "negative"}),
            "{item}"
        );
    }
    app.stop().await;
}
