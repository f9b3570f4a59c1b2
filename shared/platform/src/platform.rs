//! Adapters for the configured backend, behind the ports every capability depends on.

use crate::topology;
use anyhow::Context;
use plasma_core::{
    Backend, BlobStore, Clock, Config, EventBus, IdGen, ItemStore, Queue, Scheduler, SystemClock,
    UuidV7Ids,
};
use plasma_embedded::Embedded;
use plasma_gateway::api_keys::ApiKeys;
use plasma_gateway::audit::AuditLog;
use plasma_gateway::{Authenticator, ClaimMapping, DevKey, Gateway};
use std::path::Path;
use std::sync::Arc;

#[derive(Clone)]
pub struct Platform {
    pub backend: &'static str,
    pub items: Arc<dyn ItemStore>,
    pub blobs: Arc<dyn BlobStore>,
    pub queue: Arc<dyn Queue>,
    pub bus: Arc<dyn EventBus>,
    pub scheduler: Arc<dyn Scheduler>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// Set on the embedded runtime only: the runner drives its scheduler and upload route.
    pub embedded: Option<Arc<Embedded>>,
    /// Set on the embedded runtime only: verifies local development tokens.
    pub dev_key: Option<DevKey>,
}

impl Platform {
    /// What a Lambda function's `main` calls.
    pub async fn from_env() -> anyhow::Result<Self> {
        let config = Config::from_env(&topology::QUEUE_NAMES)?;
        Self::from_config(&config, "http://127.0.0.1:3000").await
    }

    pub async fn from_config(config: &Config, public_url: &str) -> anyhow::Result<Self> {
        match &config.backend {
            Backend::Embedded { data_dir } => Self::embedded(
                data_dir,
                public_url,
                Arc::new(SystemClock),
                Arc::new(UuidV7Ids),
            ),
            Backend::Aws(aws) => {
                let clock: Arc<dyn Clock> = Arc::new(SystemClock);
                let sdk = plasma_aws::sdk_config().await;
                let a = plasma_aws::AwsAdapters::new(&sdk, aws, clock.clone());
                Ok(Self {
                    backend: "aws",
                    items: a.items,
                    blobs: a.blobs,
                    queue: a.queue,
                    bus: a.bus,
                    scheduler: a.scheduler,
                    clock,
                    ids: Arc::new(UuidV7Ids),
                    embedded: None,
                    dev_key: None,
                })
            }
        }
    }

    /// SQLite and files under `data_dir`. `public_url` is where presigned uploads are sent.
    pub fn embedded(
        data_dir: &Path,
        public_url: &str,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGen>,
    ) -> anyhow::Result<Self> {
        let embedded = Embedded::open(
            data_dir,
            topology::queues(),
            topology::rules(),
            public_url.to_string(),
            clock.clone(),
            ids.clone(),
        )
        .with_context(|| format!("opening the data directory {}", data_dir.display()))?;
        let dev_key =
            DevKey::load_or_create(data_dir).context("loading the development signing key")?;
        let embedded = Arc::new(embedded);
        Ok(Self {
            backend: "embedded",
            items: embedded.items.clone(),
            blobs: embedded.blobs.clone(),
            queue: embedded.queue.clone(),
            bus: embedded.bus.clone(),
            scheduler: embedded.scheduler.clone(),
            clock,
            ids,
            embedded: Some(embedded),
            dev_key: Some(dev_key),
        })
    }

    pub fn gateway(&self) -> Gateway {
        let keys = ApiKeys::new(self.items.clone(), self.clock.clone(), self.ids.clone());
        Gateway {
            auth: Authenticator::new(self.dev_key.clone(), ClaimMapping::default(), keys.clone()),
            keys,
            audit_log: AuditLog::new(self.items.clone()),
            bus: self.bus.clone(),
            clock: self.clock.clone(),
        }
    }
}
