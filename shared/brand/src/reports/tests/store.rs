use super::support::{fixture, seed_all, weekly_report};
use crate::reports::{render_html, render_markdown};
use chrono::Duration;
use plasma_core::{BlobStore, PortError};

#[tokio::test]
async fn store_list_and_get_round_trip() {
    let f = fixture();
    seed_all(&f, "t1").await;
    let first = weekly_report(&f, "t1").await;
    let stored = f.reports.store(&first).await.expect("store");
    assert_eq!(
        stored.markdown_key,
        format!("tenants/t1/reports/acme/{}.md", first.id)
    );
    assert_eq!(
        stored.html_key,
        format!("tenants/t1/reports/acme/{}.html", first.id)
    );
    assert_eq!(stored.headline, first.headline);
    for (key, body, content_type) in [
        (
            &stored.markdown_key,
            render_markdown(&first),
            "text/markdown; charset=utf-8",
        ),
        (
            &stored.html_key,
            render_html(&first),
            "text/html; charset=utf-8",
        ),
    ] {
        let blob = f.blobs.get(key).await.expect("get").expect("blob exists");
        assert_eq!(blob.meta.content_type.as_deref(), Some(content_type));
        assert_eq!(blob.body, body.as_bytes());
    }
    f.clock.advance(Duration::days(7));
    let second = weekly_report(&f, "t1").await;
    f.reports.store(&second).await.expect("store second");

    let listed = f.reports.list("t1", "acme").await.expect("list");
    let ids: Vec<&str> = listed.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, [second.id.as_str(), first.id.as_str()], "newest first");
    assert_eq!(
        f.reports.get("t1", "acme", &first.id).await.expect("get"),
        Some(stored)
    );
    assert_eq!(
        f.reports.get("t1", "acme", "nope").await.expect("get"),
        None
    );
    // Storing the same report again would silently replace the archived one.
    assert!(matches!(
        f.reports.store(&first).await,
        Err(PortError::Conflict(_) | PortError::TransactionCanceled { .. })
    ));
}

#[tokio::test]
async fn tenants_are_isolated() {
    let f = fixture();
    seed_all(&f, "t1").await;
    let theirs = weekly_report(&f, "t1").await;
    f.reports.store(&theirs).await.expect("store");
    let ours = weekly_report(&f, "t2").await;
    assert_eq!(ours.headline.current.mentions, 0);
    assert!(ours.top_mentions.is_empty());
    assert!(f.reports.list("t2", "acme").await.expect("list").is_empty());
    assert_eq!(
        f.reports.get("t2", "acme", &theirs.id).await.expect("get"),
        None
    );
    for (tenant, monitor, id) in [
        ("t#1", "acme", "x"),
        ("t1", "a/b", "x"),
        ("t1", "acme", "../x"),
    ] {
        assert!(matches!(
            f.reports.get(tenant, monitor, id).await,
            Err(PortError::Invalid(_))
        ));
    }
}
