//! The scan pipeline. A scan of a monitor is one job per (monitor, source) on the jobs queue
//! ([`jobs`]), so sources are fetched in parallel and a failing source fails (and is retried)
//! alone. The worker hands each job to [`collect`], which fetches through the source's
//! connector from the saved cursor, keeps what matches the monitor's query, scores sentiment,
//! stores mentions with deduplication (re-scans and redelivered jobs add nothing), saves
//! the cursor and evaluates the monitor's alert rules against the new mentions. Every job
//! records its outcome in the scan run ([`runs`]).

mod collect;
mod connectors;
mod credentials;
mod jobs;
mod runs;
mod settings;

pub use collect::{CollectError, Ingested, collect, ingest};
pub use credentials::{MirrorHost, check_api_base, parse_mirror_hosts};
pub use jobs::{SCAN_REQUESTED, SOURCE, ScanJob, ScheduledScans, enqueue, enqueue_all};
pub use runs::{MAX_RUNS, Outcome, ScanRun, ScanRuns, SourceOutcome};
pub use settings::BrandSettings;

use crate::alerts::{Alerts, AlertsConfig};
use crate::mentions::MentionStore;
use crate::monitors::MonitorStore;
use crate::reports::Reports;
use crate::sentiment::{SentimentChoice, SentimentProvider, TenantSettingsStore};
use crate::sources::SourceHttp;
use plasma_core::{BlobStore, Clock, IdGen, ItemStore, PortResult, Queue};
use plasma_gateway::webhooks::Webhooks;
use plasma_http::outbound::Egress;
use std::sync::Arc;

/// What the brand routes and the scan collector work with. Cheap to clone.
#[derive(Clone)]
pub struct Brand {
    pub items: Arc<dyn ItemStore>,
    pub queue: Arc<dyn Queue>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// Where scan jobs are sent (the worker's queue).
    pub jobs_queue: String,
    /// Which source URLs monitors may name (and connectors may reach).
    pub egress: Egress,
    pub settings: Arc<BrandSettings>,
    /// Shared by every connector, so politeness towards a host holds across jobs.
    pub http: SourceHttp,
    /// Alert rules, evaluated after every scan job, and the alert history.
    pub alerts: Alerts,
    /// Reputation reports, archived as blobs.
    pub reports: Reports,
}

/// What [`Brand`] is built from.
pub struct BrandDeps {
    pub items: Arc<dyn ItemStore>,
    /// Archived reports.
    pub blobs: Arc<dyn BlobStore>,
    pub queue: Arc<dyn Queue>,
    /// Alerts go out as signed webhooks.
    pub webhooks: Webhooks,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// Where scan jobs are sent (the worker's queue).
    pub jobs_queue: String,
    /// Which source URLs monitors may name (and connectors and Slack alerts may reach).
    pub egress: Egress,
    pub settings: BrandSettings,
}

impl Brand {
    pub fn new(deps: BrandDeps) -> Self {
        tracing::debug!(target: plasma_core::BUILT, capability = "brand");
        let BrandDeps {
            items,
            blobs,
            queue,
            webhooks,
            clock,
            ids,
            jobs_queue,
            egress,
            settings,
        } = deps;
        let mentions = MentionStore::new(items.clone(), clock.clone());
        // Slack URLs are held to the same outbound policy as source URLs.
        let config = AlertsConfig {
            egress,
            ..AlertsConfig::default()
        };
        let alerts = Alerts::new(
            mentions.clone(),
            webhooks,
            clock.clone(),
            ids.clone(),
            config,
        );
        let reports = Reports::new(mentions, items.clone(), blobs, clock.clone(), ids.clone());
        Self {
            alerts,
            reports,
            http: SourceHttp::new(settings.http(egress)),
            items,
            queue,
            clock,
            ids,
            jobs_queue,
            egress,
            settings: Arc::new(settings),
        }
    }

    pub fn monitors(&self) -> MonitorStore {
        MonitorStore::new(self.items.clone())
    }

    pub fn mentions(&self) -> MentionStore {
        MentionStore::new(self.items.clone(), self.clock.clone())
    }

    pub fn runs(&self) -> ScanRuns {
        ScanRuns::new(self.items.clone())
    }

    pub fn tenant_settings(&self) -> TenantSettingsStore {
        TenantSettingsStore::new(self.items.clone())
    }

    /// The analyser `tenant` chose. A tenant that chose Bedrock on a platform whose model has
    /// since been unconfigured gets the built-in one rather than failing every request.
    pub async fn sentiment(&self, tenant: &str) -> PortResult<SentimentProvider> {
        let choice = self.tenant_settings().get(tenant).await?.sentiment;
        Ok(match (choice, &self.settings.llm) {
            (SentimentChoice::Bedrock, Some(model)) => SentimentProvider::Llm(model.clone()),
            _ => SentimentProvider::BuiltIn,
        })
    }
}
