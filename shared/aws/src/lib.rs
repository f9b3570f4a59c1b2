//! AWS adapters for the Plasma Engine ports, on aws-sdk-rust: DynamoDB ([`ItemStore`]),
//! S3 ([`BlobStore`]), SQS ([`Queue`]), EventBridge ([`EventBus`]), EventBridge Scheduler
//! ([`Scheduler`]), Bedrock ([`Llm`], and Titan embeddings as [`Embedder`]), OpenSearch
//! ([`SearchIndex`]), KMS ([`Cipher`]) and Step Functions ([`StateMachines`]). Semantics match the embedded adapters; the
//! conformance suite runs the same cases against both (Bedrock has no embedded counterpart).
//!
//! [`ItemStore`]: plasma_core::ItemStore
//! [`BlobStore`]: plasma_core::BlobStore
//! [`Queue`]: plasma_core::Queue
//! [`EventBus`]: plasma_core::EventBus
//! [`Scheduler`]: plasma_core::Scheduler
//! [`Llm`]: plasma_core::Llm
//! [`Embedder`]: plasma_core::Embedder
//! [`SearchIndex`]: plasma_core::SearchIndex
//! [`Cipher`]: plasma_core::Cipher
//! [`StateMachines`]: plasma_core::StateMachines

mod bedrock;
mod dynamo;
mod errors;
mod eventbridge;
mod kms;
mod opensearch;
mod retry;
mod s3;
mod scheduler;
mod sfn;
mod sqs;
mod titan;

pub use bedrock::BedrockLlm;
pub use dynamo::DynamoItemStore;
pub use eventbridge::EventBridgeBus;
pub use kms::KmsCipher;
pub use opensearch::{OpenSearchConfig, OpenSearchIndex, OpenSearchService};
pub use s3::S3BlobStore;
pub use scheduler::EventBridgeScheduler;
pub use sfn::StepFunctions;
pub use sqs::SqsQueue;
pub use titan::{TITAN_TEXT_EMBEDDINGS_V2, TitanEmbedder};

use aws_config::{BehaviorVersion, SdkConfig};
use plasma_core::{AwsConfig, Clock};
use std::sync::Arc;

/// The SDK configuration from the standard sources (environment, profile, instance role),
/// honouring `AWS_REGION` and `AWS_ENDPOINT_URL` (which points every client at moto in tests).
pub async fn sdk_config() -> SdkConfig {
    aws_config::load_defaults(BehaviorVersion::latest()).await
}

/// Every AWS adapter, built from one SDK configuration and the deployment's resource names.
pub struct AwsAdapters {
    pub items: Arc<DynamoItemStore>,
    pub blobs: Arc<S3BlobStore>,
    pub queue: Arc<SqsQueue>,
    pub bus: Arc<EventBridgeBus>,
    pub scheduler: Arc<EventBridgeScheduler>,
    /// `None` when the deployment names no KMS key (`PLASMA_KMS_KEY_ID`).
    pub cipher: Option<Arc<KmsCipher>>,
}

impl AwsAdapters {
    pub fn new(sdk: &SdkConfig, config: &AwsConfig, clock: Arc<dyn Clock>) -> Self {
        // Virtual-hosted addressing puts the bucket in the host name, which an endpoint
        // override (moto, LocalStack) cannot resolve.
        let s3 = aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(sdk.endpoint_url().is_some())
            .build();
        let sqs = aws_sdk_sqs::Client::new(sdk);
        Self {
            items: Arc::new(DynamoItemStore::new(
                aws_sdk_dynamodb::Client::new(sdk),
                config.table.clone(),
                clock,
            )),
            blobs: Arc::new(S3BlobStore::new(
                aws_sdk_s3::Client::from_conf(s3),
                config.bucket.clone(),
                sdk,
            )),
            queue: Arc::new(SqsQueue::new(sqs.clone(), config.queue_urls.clone())),
            bus: Arc::new(EventBridgeBus::new(
                aws_sdk_eventbridge::Client::new(sdk),
                config.event_bus.clone(),
            )),
            scheduler: Arc::new(EventBridgeScheduler::new(
                aws_sdk_scheduler::Client::new(sdk),
                sqs,
                config.scheduler_group.clone(),
                config.scheduler_role_arn.clone(),
                config.queue_urls.clone(),
            )),
            cipher: config
                .kms_key_id
                .clone()
                .map(|key_id| Arc::new(KmsCipher::new(aws_sdk_kms::Client::new(sdk), key_id))),
        }
    }
}
