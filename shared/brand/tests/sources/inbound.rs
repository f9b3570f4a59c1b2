//! The inbound webhook document format.

use plasma_brand::sources::{MAX_INBOUND_ITEMS, parse_inbound, url_id};
use serde_json::{Value, json};

fn item() -> Value {
    json!({"url": "https://forum.example/t/1?utm_source=hook#post-3", "author": "kim",
           "published_at": "2025-06-10T10:00:00+02:00", "text": "<p>Acme &amp; support</p>",
           "language": "pt-BR", "reach": 900, "engagement": 12})
}

#[test]
fn a_good_document_becomes_webhook_mentions() {
    let minimal = json!({"url": "https://b.example/x", "author": null,
                         "published_at": "2025-06-10T08:00:00Z", "text": "plain"});
    let body = json!({"items": [item(), minimal]}).to_string();
    let mentions = parse_inbound(body.as_bytes()).unwrap();
    assert_eq!(mentions.len(), 2);
    let m = &mentions[0];
    assert_eq!(m.url, "https://forum.example/t/1");
    assert_eq!(m.id, url_id("https://forum.example/t/1"));
    assert_eq!(m.source, "webhook");
    assert_eq!(m.author.as_deref(), Some("kim"));
    assert_eq!(m.published_at.to_rfc3339(), "2025-06-10T08:00:00+00:00");
    assert_eq!(m.text, "Acme & support");
    assert_eq!(m.language.as_deref(), Some("pt-BR"));
    assert_eq!((m.reach, m.engagement), (Some(900), Some(12)));
    let bare = &mentions[1];
    assert_eq!((bare.author.as_ref(), bare.language.as_ref()), (None, None));
    assert_eq!((bare.reach, bare.engagement), (None, None));
    assert!(parse_inbound(br#"{"items": []}"#).unwrap().is_empty());
}

#[test]
fn a_bad_document_is_refused_naming_the_field() {
    let with = |field: &str, value: Value| {
        let mut bad = item();
        bad[field] = value;
        json!({"items": [item(), bad]}).to_string()
    };
    let without = |field: &str| {
        let mut bad = item();
        bad.as_object_mut().unwrap().remove(field);
        json!({"items": [bad]}).to_string()
    };
    let too_many = json!({"items": vec![item(); MAX_INBOUND_ITEMS + 1]}).to_string();
    let cases = [
        ("not json".to_string(), "$"),
        ("[]".to_string(), "$"),
        ("{}".to_string(), "items"),
        (json!({"items": {}}).to_string(), "items"),
        (too_many, "items"),
        (json!({"items": [3]}).to_string(), "items[0]"),
        (without("url"), "items[0].url"),
        (with("url", json!("javascript:alert(1)")), "items[1].url"),
        (with("url", json!(7)), "items[1].url"),
        (without("author"), "items[0].author"),
        (with("author", json!(["a"])), "items[1].author"),
        (without("published_at"), "items[0].published_at"),
        (
            with("published_at", json!("yesterday")),
            "items[1].published_at",
        ),
        (without("text"), "items[0].text"),
        (with("text", json!("<p> </p>")), "items[1].text"),
        (with("text", json!("x".repeat(70_000))), "items[1].text"),
        (
            with("language", json!("english please")),
            "items[1].language",
        ),
        (with("reach", json!(-1)), "items[1].reach"),
        (with("engagement", json!("12")), "items[1].engagement"),
    ];
    for (body, field) in cases {
        let err = parse_inbound(body.as_bytes()).unwrap_err();
        assert_eq!(err.field, field, "{err}");
        assert!(err.to_string().starts_with(field), "{err}");
    }
}
