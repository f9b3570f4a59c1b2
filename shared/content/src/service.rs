//! The content service: the ports it runs on, the models and connectors it uses.

use async_trait::async_trait;
use plasma_composer::Fact;
use plasma_core::{Cipher, Clock, EventBus, IdGen, ItemStore, Llm, PortResult, Queue, Scheduler};
use plasma_publishing::{ConnectorSettings, Connectors};
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

/// What [`Content`] is built from.
pub struct ContentDeps {
    pub items: Arc<dyn ItemStore>,
    pub queue: Arc<dyn Queue>,
    /// Publish schedules.
    pub scheduler: Arc<dyn Scheduler>,
    pub bus: Arc<dyn EventBus>,
    /// Seals publishing credentials.
    pub cipher: Arc<dyn Cipher>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// `(provider, model)`: writes drafts when set; else the built-in composer.
    pub llm: Option<(String, Arc<dyn Llm>)>,
    pub grounding: Option<Arc<dyn Grounding>>,
    /// Publishing connectors' timeout, API hosts and outbound policy.
    pub connectors: ConnectorSettings,
    /// Where fired publish schedules and publish retries go (the content-publish function).
    pub publish_queue: String,
    pub settings: ContentSettings,
}

impl Content {
    pub fn new(deps: ContentDeps) -> Self {
        tracing::debug!(target: plasma_core::BUILT, capability = "content");
        Self {
            items: deps.items,
            queue: deps.queue,
            scheduler: deps.scheduler,
            bus: deps.bus,
            cipher: deps.cipher,
            clock: deps.clock,
            ids: deps.ids,
            llm: deps.llm,
            grounding: deps.grounding,
            connectors: Arc::new(Connectors::new(deps.connectors)),
            publish_queue: deps.publish_queue,
            settings: Arc::new(deps.settings),
        }
    }
}
