//! The adapters behind every port, for one explicitly chosen runtime.

use crate::content::UnconfiguredCipher;
use crate::research::UnconfiguredIndex;
use crate::topology;
use anyhow::Context;
use plasma_aws::{OpenSearchConfig, OpenSearchIndex};
use plasma_core::{
    AwsConfig, BlobStore, Cipher, Clock, EventBus, IdGen, ItemStore, Queue, Scheduler, SearchIndex,
    SystemClock, UuidV7Ids,
};
use plasma_embedded::Embedded;
use plasma_gateway::DevKey;
use plasma_search::EmbeddedIndex;
use std::path::PathBuf;
use std::sync::Arc;

/// The OpenSearch index holding every tenant's chunks.
pub const SEARCH_INDEX: &str = "plasma-chunks";

/// Which adapters back the ports.
pub enum Runtime {
    /// SQLite and files under a data directory: `plasma serve` and tests.
    Embedded(EmbeddedRuntime),
    /// The deployment's AWS resources: the Lambda functions. (Boxed: an SDK configuration
    /// is large.)
    Aws(Box<AwsRuntime>),
}

pub struct EmbeddedRuntime {
    pub data_dir: PathBuf,
    /// Where presigned uploads are sent (the runner's own address).
    pub public_url: String,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
}

pub struct AwsRuntime {
    /// Credentials, region and endpoint.
    pub sdk: aws_config::SdkConfig,
    /// The deployment's table, bucket, queues, bus, scheduler group, key and search domain.
    pub resources: AwsConfig,
}

/// One adapter per port. Capabilities take the ones they need from here.
#[derive(Clone)]
pub struct Ports {
    /// `embedded` or `aws`, for health reports.
    pub backend: &'static str,
    pub items: Arc<dyn ItemStore>,
    pub blobs: Arc<dyn BlobStore>,
    pub queue: Arc<dyn Queue>,
    pub bus: Arc<dyn EventBus>,
    pub scheduler: Arc<dyn Scheduler>,
    /// Seals secrets (publishing credentials, webhook secrets): KMS deployed, a key file
    /// locally.
    pub cipher: Arc<dyn Cipher>,
    /// Research's chunks: OpenSearch deployed, a local index on the embedded runtime.
    pub index: Arc<dyn SearchIndex>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// The embedded runtime only: the runner drives its scheduler and upload route.
    pub embedded: Option<Arc<Embedded>>,
    /// The embedded runtime only: verifies local development tokens.
    pub dev_key: Option<DevKey>,
    /// The AWS runtime only: clients for services that settings switch on (Bedrock, Step
    /// Functions) are built from it when first used.
    pub aws_sdk: Option<aws_config::SdkConfig>,
}

impl Ports {
    pub fn open(runtime: Runtime) -> anyhow::Result<Self> {
        match runtime {
            Runtime::Embedded(embedded) => Self::embedded(embedded),
            Runtime::Aws(aws) => Ok(Self::aws(*aws)),
        }
    }

    fn embedded(runtime: EmbeddedRuntime) -> anyhow::Result<Self> {
        let EmbeddedRuntime {
            data_dir,
            public_url,
            clock,
            ids,
        } = runtime;
        let embedded = Embedded::open(
            &data_dir,
            topology::queues(),
            topology::rules(),
            public_url,
            clock.clone(),
            ids.clone(),
        )
        .with_context(|| format!("opening the data directory {}", data_dir.display()))?;
        let dev_key =
            DevKey::load_or_create(&data_dir).context("loading the development signing key")?;
        let index = EmbeddedIndex::open(&data_dir.join("search"))
            .with_context(|| format!("opening the search index under {}", data_dir.display()))?;
        Ok(Self {
            backend: "embedded",
            items: embedded.items.clone(),
            blobs: embedded.blobs.clone(),
            queue: embedded.queue.clone(),
            bus: embedded.bus.clone(),
            scheduler: embedded.scheduler.clone(),
            cipher: embedded.cipher.clone(),
            index: Arc::new(index),
            clock,
            ids,
            embedded: Some(Arc::new(embedded)),
            dev_key: Some(dev_key),
            aws_sdk: None,
        })
    }

    fn aws(runtime: AwsRuntime) -> Self {
        let AwsRuntime { sdk, resources } = runtime;
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let a = plasma_aws::AwsAdapters::new(&sdk, &resources, clock.clone());
        let index: Arc<dyn SearchIndex> = match &resources.search_endpoint {
            Some(endpoint) => {
                let config = if endpoint.contains(".aoss.") {
                    OpenSearchConfig::serverless(endpoint.clone(), SEARCH_INDEX)
                } else {
                    OpenSearchConfig::domain(endpoint.clone(), SEARCH_INDEX)
                };
                match OpenSearchIndex::new(&sdk, config) {
                    Ok(index) => Arc::new(index),
                    Err(e) => {
                        tracing::error!(error = %e, "the research index is unusable");
                        Arc::new(UnconfiguredIndex)
                    }
                }
            }
            None => Arc::new(UnconfiguredIndex),
        };
        let cipher: Arc<dyn Cipher> = match a.cipher {
            Some(kms) => kms,
            None => Arc::new(UnconfiguredCipher),
        };
        Self {
            backend: "aws",
            items: a.items,
            blobs: a.blobs,
            queue: a.queue,
            bus: a.bus,
            scheduler: a.scheduler,
            cipher,
            index,
            clock,
            ids: Arc::new(UuidV7Ids),
            embedded: None,
            dev_key: None,
            aws_sdk: Some(sdk),
        }
    }
}
