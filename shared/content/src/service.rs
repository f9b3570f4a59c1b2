//! The content service: the ports it runs on, the models and connectors it uses.

use async_trait::async_trait;
use plasma_composer::Fact;
use plasma_core::{Cipher, Clock, EventBus, IdGen, ItemStore, Llm, PortResult, Queue, Scheduler};
use plasma_publishing::Connectors;
use std::sync::Arc;
use std::time::Duration;

/// Facts from the research knowledge base for a draft; the platform implements it over the
/// research service so this crate does not depend on it.
#[async_trait]
pub trait Grounding: Send + Sync {
    async fn facts(&self, tenant: &str, query: &str, limit: usize) -> PortResult<Vec<Fact>>;
}

#[derive(Debug, Clone)]
pub struct ContentSettings {
    /// Publish attempts (the first included) before an item is marked `failed`.
    pub max_publish_attempts: u32,
    /// First retry delay after a retryable failure; doubled per attempt.
    pub retry_base: Duration,
    /// How long a publish attempt holds the item before another delivery may take over.
    pub publish_lease: Duration,
    /// Published posts whose metrics the scheduled job still refreshes.
    pub metrics_window_days: i64,
}

impl Default for ContentSettings {
    fn default() -> Self {
        Self {
            max_publish_attempts: 5,
            retry_base: Duration::from_secs(30),
            publish_lease: Duration::from_secs(300),
            metrics_window_days: 30,
        }
    }
}

#[derive(Clone)]
pub struct Content {
    pub items: Arc<dyn ItemStore>,
    pub queue: Arc<dyn Queue>,
    pub scheduler: Arc<dyn Scheduler>,
    pub bus: Arc<dyn EventBus>,
    pub cipher: Arc<dyn Cipher>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// Writes drafts when set (`<provider>:<model>` in provenance); else the built-in composer.
    pub llm: Option<(String, Arc<dyn Llm>)>,
    pub grounding: Option<Arc<dyn Grounding>>,
    pub connectors: Arc<Connectors>,
    /// Where fired publish schedules and publish retries go (the content-publish function).
    pub publish_queue: String,
    pub settings: Arc<ContentSettings>,
}
