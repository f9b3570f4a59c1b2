//! Every port of one backend behind trait objects, so a suite case runs unchanged on both.

use plasma_core::{
    BlobStore, Cipher, EventBus, ItemStore, Queue, QueueSpec, Rule, Scheduler, SystemClock,
    UuidV7Ids,
};
use std::sync::Arc;

pub struct Ports {
    pub items: Arc<dyn ItemStore>,
    pub blobs: Arc<dyn BlobStore>,
    pub queue: Arc<dyn Queue>,
    pub bus: Arc<dyn EventBus>,
    pub scheduler: Arc<dyn Scheduler>,
    pub cipher: Arc<dyn Cipher>,
    /// Keeps an embedded backend's data directory alive (and removes it) with the ports.
    _data_dir: Option<tempfile::TempDir>,
}

/// Embedded adapters over a fresh temporary data directory, on the system clock.
pub async fn embedded(specs: Vec<QueueSpec>, rules: Vec<Rule>) -> Ports {
    let dir = tempfile::tempdir().expect("temp data dir");
    // Nothing serves uploads in these tests; the URL only has to be well formed.
    let upload_base_url = "http://127.0.0.1:9/uploads".to_string();
    let e = plasma_embedded::Embedded::open(
        dir.path(),
        specs,
        rules,
        upload_base_url,
        Arc::new(SystemClock),
        Arc::new(UuidV7Ids),
    )
    .expect("open embedded adapters");
    Ports {
        items: e.items,
        blobs: e.blobs,
        queue: e.queue,
        bus: e.bus,
        scheduler: e.scheduler,
        cipher: e.cipher,
        _data_dir: Some(dir),
    }
}

/// AWS adapters over a fresh, uniquely named stack on this process's moto server.
pub async fn aws(specs: Vec<QueueSpec>, rules: Vec<Rule>) -> Ports {
    // Cases that talk HTTP themselves (presigned uploads) build reqwest clients.
    crate::install_crypto_provider();
    let sdk = crate::moto::sdk_config().await;
    let config = crate::aws::stack(&sdk, &specs, &rules).await;
    let a = plasma_aws::AwsAdapters::new(&sdk, &config, Arc::new(SystemClock));
    Ports {
        items: a.items,
        blobs: a.blobs,
        queue: a.queue,
        bus: a.bus,
        scheduler: a.scheduler,
        cipher: a.cipher.expect("stack() names a KMS key"),
        _data_dir: None,
    }
}
