//! The shared HTTP behaviour every connector gets: retries, `429`/`Retry-After`, timeouts,
//! permanent errors, the SSRF guard and per-host politeness.

use crate::fixture::{http, query, serve, settings};
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use plasma_brand::sources::{
    FeedSource, HttpSettings, NewsApiSource, Source, SourceError, SourceHttp,
};
use plasma_http::outbound::Egress;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const FEED: &str = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "t",
  "items": [{"id": "1", "url": "https://a.example/1", "content_text": "Acme",
             "date_published": "2025-06-01T00:00:00Z"}]}"#;

/// A feed that answers `failure` for the first `failures` requests, then the feed.
fn flaky(failures: usize, failure: fn() -> axum::response::Response) -> Router {
    let calls = Arc::new(AtomicUsize::new(0));
    Router::new().route(
        "/feed",
        get(move || {
            let calls = Arc::clone(&calls);
            async move {
                if calls.fetch_add(1, Ordering::SeqCst) < failures {
                    failure()
                } else {
                    FEED.into_response()
                }
            }
        }),
    )
}

fn feed(http: SourceHttp, base: &str) -> FeedSource {
    FeedSource::new(http, format!("{base}/feed"))
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_then_retried() {
    let server = serve(flaky(1, || {
        (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")]).into_response()
    }))
    .await;
    let started = tokio::time::Instant::now();
    let fetched = feed(http(), &server.base)
        .fetch(&query("acme"), None)
        .await
        .unwrap();
    assert_eq!(fetched.mentions.len(), 1);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].at - seen[0].at >= Duration::from_millis(900));
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_returned_not_slept() {
    let server = serve(flaky(usize::MAX, || {
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "120")],
        )
            .into_response()
    }))
    .await;
    let err = feed(http(), &server.base)
        .fetch(&query("acme"), None)
        .await
        .unwrap_err();
    match &err {
        SourceError::RateLimited { retry_after, .. } => {
            assert_eq!(*retry_after, Duration::from_secs(120))
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_5xx_is_retried_with_backoff_until_success() {
    let server = serve(flaky(2, || {
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    }))
    .await;
    let fetched = feed(http(), &server.base)
        .fetch(&query("acme"), None)
        .await
        .unwrap();
    assert_eq!(fetched.mentions.len(), 1);
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn retries_are_bounded() {
    let server = serve(flaky(usize::MAX, || {
        StatusCode::BAD_GATEWAY.into_response()
    }))
    .await;
    let err = feed(http(), &server.base)
        .fetch(&query("acme"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SourceError::Status { status: 502, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(server.seen().len(), settings().max_attempts as usize);
}

#[tokio::test]
async fn client_errors_are_permanent_and_not_retried() {
    let server = serve(flaky(usize::MAX, || StatusCode::NOT_FOUND.into_response())).await;
    let err = feed(http(), &server.base)
        .fetch(&query("acme"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SourceError::Status { status: 404, .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(server.seen().len(), 1);

    let server =
        serve(Router::new().route("/v2/everything", get(|| async { StatusCode::UNAUTHORIZED })))
            .await;
    let err = NewsApiSource::new(http(), &server.base, "wrong-key")
        .fetch(&query("acme"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SourceError::Unauthorized { status: 401, .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_slow_source_times_out() {
    let router = Router::new().route(
        "/feed",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(3)).await;
            FEED
        }),
    );
    let server = serve(router).await;
    let http = SourceHttp::new(HttpSettings {
        timeout: Duration::from_millis(200),
        max_attempts: 2,
        ..settings()
    });
    let started = tokio::time::Instant::now();
    let err = feed(http, &server.base)
        .fetch(&query("acme"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::Timeout { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(server.seen().len(), 2);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn private_destinations_are_refused_without_allow_private() {
    let server = serve(Router::new().route("/feed", get(|| async { FEED }))).await;
    let strict = SourceHttp::new(HttpSettings {
        egress: Egress::default(),
        ..settings()
    });
    let err = feed(strict.clone(), &server.base)
        .fetch(&query("acme"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::Forbidden(_)), "{err:?}");
    assert!(!err.is_retryable());

    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn requests_to_one_host_are_spaced_by_the_minimum_interval() {
    let server = serve(Router::new().route("/feed", get(|| async { FEED }))).await;
    let http = SourceHttp::new(HttpSettings {
        min_interval: Duration::from_millis(400),
        ..settings()
    });
    // Two connectors sharing one SourceHttp share the schedule, even fetching concurrently.
    let (a, b) = (feed(http.clone(), &server.base), feed(http, &server.base));
    let q = query("acme");
    let (ra, rb) = tokio::join!(a.fetch(&q, None), b.fetch(&q, None));
    ra.unwrap();
    rb.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    let gap = seen[1].at.duration_since(seen[0].at);
    assert!(gap >= Duration::from_millis(350), "{gap:?}");
}
