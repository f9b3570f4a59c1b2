//! Cases that need AWS (moto): the presigned form is served by S3 itself, whereas the embedded
//! upload endpoint exists only while the local runner's HTTP server runs.

use plasma_conformance::{events, queue};

#[tokio::test]
async fn presigned_upload_uploads() {
    let p = plasma_tests::ports::aws(queue::specs(), events::rules()).await;
    plasma_conformance::blobs::presigned_upload_uploads(&*p.blobs).await;
}

/// The harness itself: two stacks never share a resource, so parallel tests cannot collide.
#[tokio::test]
async fn moto_stacks_are_isolated() {
    let sdk = plasma_tests::moto::sdk_config().await;
    let a = plasma_tests::aws::stack(&sdk, &queue::specs(), &events::rules()).await;
    let b = plasma_tests::aws::stack(&sdk, &queue::specs(), &events::rules()).await;
    assert_ne!(a.table, b.table);
    assert_ne!(a.bucket, b.bucket);
    assert_ne!(a.event_bus, b.event_bus);
    assert_ne!(a.scheduler_group, b.scheduler_group);
    assert_ne!(a.queue_urls[queue::JOBS], b.queue_urls[queue::JOBS]);
    assert_ne!(a.queue_urls[queue::JOBS], a.queue_urls[queue::JOBS_DLQ]);
}
