//! Each tenant's tool settings: secrets are sealed to their tenant, and a sealed record
//! copied into another tenant's settings does not open there.

use plasma_core::{Condition, Item, ItemStore, Key, SystemClock, UuidV7Ids};
use plasma_embedded::Embedded;
use plasma_http::outbound::Egress;
use plasma_tools::TenantTools;
use plasma_tools::tenant::{NotifyTargets, new_signing_secret};
use std::sync::Arc;
use std::time::Duration;

fn store(dir: &std::path::Path) -> (Arc<Embedded>, TenantTools) {
    let embedded = Arc::new(
        Embedded::open(
            dir,
            Vec::new(),
            Vec::new(),
            "http://127.0.0.1".into(),
            Arc::new(SystemClock),
            Arc::new(UuidV7Ids),
        )
        .unwrap(),
    );
    let tenants = TenantTools::new(
        embedded.items.clone(),
        embedded.cipher.clone(),
        Arc::new(SystemClock),
    );
    (embedded, tenants)
}

#[tokio::test]
async fn secrets_are_sealed_to_their_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let (embedded, tenants) = store(dir.path());
    let secret = new_signing_secret();
    assert!(secret.starts_with("whsec_"));
    let targets = NotifyTargets {
        slack_webhook_url: Some("https://hooks.slack.example/T/B/a-slack".into()),
        webhook_url: Some("https://receiver.example/hook".into()),
        webhook_secret: Some(secret.clone()),
    };
    let record = tenants.set_notify("acme", "ada", &targets).await.unwrap();
    assert!(record.slack && record.webhook_secret);
    assert_eq!(tenants.notify("acme").await.unwrap(), Some(targets));
    assert_eq!(tenants.notify("other").await.unwrap(), None);

    // What is stored holds neither secret in the clear.
    let key = Key::new("AGT#acme#TOOLS", "notify");
    let item = embedded.items.get(&key).await.unwrap().unwrap();
    let stored = serde_json::to_string(&item.attrs).unwrap();
    assert!(
        !stored.contains(&secret[6..]) && !stored.contains("a-slack"),
        "{stored}"
    );

    // Copied into another tenant's settings, the sealed value does not open.
    let copy = Item::new(Key::new("AGT#mallory#TOOLS", "notify"), item.attrs.clone());
    embedded.items.put(copy, Condition::None).await.unwrap();
    assert!(tenants.notify("mallory").await.is_err());

    tenants
        .set_mcp_server(
            "acme",
            "ada",
            "docs",
            "https://docs.example/mcp",
            Some("t0k3n"),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    let servers = tenants
        .mcp_servers("acme", Egress::default())
        .await
        .unwrap();
    assert_eq!(servers["docs"].bearer.as_deref(), Some("t0k3n"));
    assert_eq!(servers["docs"].timeout, Duration::from_secs(5));
    assert!(
        tenants
            .mcp_servers("other", Egress::default())
            .await
            .unwrap()
            .is_empty()
    );
    let listed = tenants.mcp_records("acme").await.unwrap();
    assert_eq!((listed.len(), listed[0].bearer), (1, true));
    assert!(tenants.remove_mcp_server("acme", "docs").await.unwrap());
    assert!(!tenants.remove_mcp_server("acme", "docs").await.unwrap());
    assert!(tenants.remove_notify("acme").await.unwrap());
    assert_eq!(tenants.notify("acme").await.unwrap(), None);
}
