//! `POST /brand/sentiment` over HTTP: the built-in analyser, scores in order, the permission,
//! and the request limits.

use crate::common::{TestApp, json};
use serde_json::json;

#[tokio::test]
async fn sentiment_scores_each_text_in_order() {
    let app = TestApp::spawn().await;
    let viewer = app.token("acme", &["viewer"]);
    let texts = [
        "I love this phone, it is amazing!",
        "Worst support ever. Never again.",
        "The store opens at 9.",
    ];
    let r = app
        .post("/brand/sentiment")
        .bearer_auth(&viewer)
        .json(&json!({ "texts": texts }));
    let (status, body) = json(r.send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["label"], "positive");
    assert!(results[0]["compound"].as_f64().unwrap() > 0.5, "{body}");
    assert_eq!(results[1]["label"], "negative");
    assert!(results[1]["compound"].as_f64().unwrap() < -0.3, "{body}");
    assert_eq!(results[2]["label"], "neutral");
    for r in results {
        let c = r["compound"].as_f64().unwrap();
        assert!((-1.0..=1.0).contains(&c));
    }
    app.stop().await;
}

#[tokio::test]
async fn sentiment_requests_are_limited_and_need_brand_read() {
    let app = TestApp::spawn().await;
    let viewer = app.token("acme", &["viewer"]);
    let too_many = vec!["ok"; 1001];
    for (body, field) in [
        (json!({"texts": too_many}), "texts"),
        (json!({"texts": []}), "texts"),
        (json!({"texts": ["x".repeat(20_001)]}), "texts[0]"),
    ] {
        let (status, problem) = json(
            app.post("/brand/sentiment")
                .bearer_auth(&viewer)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 400, "{problem}");
        assert_eq!(problem["field"], field);
    }
    let (status, problem) = json(
        app.post("/brand/sentiment")
            .bearer_auth(&viewer)
            .json(&json!({"text": ["a"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400, "unknown fields are refused: {problem}");
    let full = vec!["good"; 1000];
    let (status, body) = json(
        app.post("/brand/sentiment")
            .bearer_auth(&viewer)
            .json(&json!({"texts": full}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["results"].as_array().unwrap().len(), 1000);
    let r = app
        .post("/brand/sentiment")
        .json(&json!({"texts": ["a"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    app.stop().await;
}
