//! Adapters for the configured backend, behind the ports every capability depends on.

use crate::content::{ResearchGrounding, UnconfiguredCipher};
use crate::research::{ResearchModels, UnconfiguredIndex};
use crate::settings::{BEDROCK_MODEL_ID_VAR, Settings};
use crate::topology;
use anyhow::Context;
use plasma_aws::{BedrockLlm, OpenSearchConfig, OpenSearchIndex};
use plasma_brand::scan::Brand;
use plasma_content::{Content, ContentSettings};
use plasma_core::{
    AwsConfig, Backend, BlobStore, Cipher, Clock, Config, EventBus, IdGen, ItemStore, Queue,
    Scheduler, SearchIndex, SystemClock, UuidV7Ids,
};
use plasma_embedded::Embedded;
use plasma_gateway::api_keys::ApiKeys;
use plasma_gateway::audit::AuditLog;
use plasma_gateway::rate_limit::{RateLimiter, RateLimits};
use plasma_gateway::webhooks::Webhooks;
use plasma_gateway::{Authenticator, ClaimMapping, DevKey, Gateway, JwtVerifier};
use plasma_http::Cors;
use plasma_http::outbound::Egress;
use plasma_publishing::{ConnectorSettings, Connectors};
use plasma_research::{Research, ResearchSettings};
use plasma_search::EmbeddedIndex;
use std::path::Path;
use std::sync::Arc;

/// The OpenSearch index holding every tenant's chunks.
pub const SEARCH_INDEX: &str = "plasma-chunks";

#[derive(Clone)]
pub struct Platform {
    pub backend: &'static str,
    pub items: Arc<dyn ItemStore>,
    pub blobs: Arc<dyn BlobStore>,
    pub queue: Arc<dyn Queue>,
    pub bus: Arc<dyn EventBus>,
    pub scheduler: Arc<dyn Scheduler>,
    /// Seals secrets (publishing credentials): KMS deployed, a key file locally.
    pub cipher: Arc<dyn Cipher>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// Set on the embedded runtime only: the runner drives its scheduler and upload route.
    pub embedded: Option<Arc<Embedded>>,
    /// Set on the embedded runtime only: verifies local development tokens.
    pub dev_key: Option<DevKey>,
    /// Set on the AWS runtime only: builds clients for services that settings switch on
    /// (Bedrock).
    pub aws_sdk: Option<aws_config::SdkConfig>,
    /// The identity providers trusted for bearer tokens; shared so its key cache is too.
    pub jwt: JwtVerifier,
    /// Which claims carry tenant, roles and scopes.
    pub claims: ClaimMapping,
    /// Requests per minute per tenant and principal, by plan.
    pub rate_limits: RateLimits,
    /// Origins browsers may call the API from.
    pub cors: Cors,
    /// Signed outbound webhooks (endpoints, deliveries, retries).
    pub webhooks: Webhooks,
    /// Brand monitors, scans and mentions.
    pub brand: Brand,
    /// Documents, search, the knowledge graph, answers and research jobs.
    pub research: Research,
    /// Voice profiles, drafts, approvals, schedules, publishing and post metrics.
    pub content: Content,
    pub agent: plasma_agent::Agent,
}

impl Platform {
    /// What a Lambda function's `main` calls.
    pub async fn from_env() -> anyhow::Result<Self> {
        let config = Config::from_env(&topology::QUEUE_NAMES)?;
        let settings = Settings::from_env()?;
        Self::from_config(&config, "http://127.0.0.1:3000")
            .await?
            .with_settings(settings)
    }

    /// Adapters for `config`'s backend, with default settings.
    pub async fn from_config(config: &Config, public_url: &str) -> anyhow::Result<Self> {
        match &config.backend {
            Backend::Embedded { data_dir } => Self::embedded(
                data_dir,
                public_url,
                Arc::new(SystemClock),
                Arc::new(UuidV7Ids),
            ),
            Backend::Aws(aws) => Ok(Self::aws(&plasma_aws::sdk_config().await, aws)),
        }
    }

    /// The AWS adapters for `aws`'s resources through an SDK configuration (credentials,
    /// region, endpoint), with default settings.
    pub fn aws(sdk: &aws_config::SdkConfig, aws: &AwsConfig) -> Self {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let a = plasma_aws::AwsAdapters::new(sdk, aws, clock.clone());
        let index: Arc<dyn SearchIndex> = match &aws.search_endpoint {
            Some(endpoint) => {
                let config = if endpoint.contains(".aoss.") {
                    OpenSearchConfig::serverless(endpoint.clone(), SEARCH_INDEX)
                } else {
                    OpenSearchConfig::domain(endpoint.clone(), SEARCH_INDEX)
                };
                match OpenSearchIndex::new(sdk, config) {
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
        let platform = Self::assemble(
            "aws",
            a.items,
            a.blobs,
            a.queue,
            a.bus,
            a.scheduler,
            cipher,
            index,
            clock,
            Arc::new(UuidV7Ids),
            None,
            None,
        );
        Self {
            aws_sdk: Some(sdk.clone()),
            ..platform
        }
    }

    /// SQLite and files under `data_dir`, with default settings. `public_url` is where
    /// presigned uploads are sent.
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
        let index = EmbeddedIndex::open(&data_dir.join("search"))
            .with_context(|| format!("opening the search index under {}", data_dir.display()))?;
        Ok(Self::assemble(
            "embedded",
            embedded.items.clone(),
            embedded.blobs.clone(),
            embedded.queue.clone(),
            embedded.bus.clone(),
            embedded.scheduler.clone(),
            embedded.cipher.clone(),
            Arc::new(index),
            clock,
            ids,
            Some(embedded),
            Some(dev_key),
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        backend: &'static str,
        items: Arc<dyn ItemStore>,
        blobs: Arc<dyn BlobStore>,
        queue: Arc<dyn Queue>,
        bus: Arc<dyn EventBus>,
        scheduler: Arc<dyn Scheduler>,
        cipher: Arc<dyn Cipher>,
        index: Arc<dyn SearchIndex>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGen>,
        embedded: Option<Arc<Embedded>>,
        dev_key: Option<DevKey>,
    ) -> Self {
        let settings = Settings::default();
        let egress = Egress {
            allow_private: embedded.is_some(),
        };
        let webhooks = Webhooks::new(
            items.clone(),
            cipher.clone(),
            queue.clone(),
            scheduler.clone(),
            clock.clone(),
            ids.clone(),
            topology::JOBS,
            settings.webhooks.clone(),
        );
        let brand = Brand::new(
            items.clone(),
            blobs.clone(),
            queue.clone(),
            webhooks.clone(),
            clock.clone(),
            ids.clone(),
            topology::JOBS,
            egress,
            settings.brand,
        );
        let research = Research::new(
            items.clone(),
            blobs.clone(),
            queue.clone(),
            bus.clone(),
            index,
            ResearchModels::default()
                .build(None)
                .expect("the built-in models need no configuration"),
            clock.clone(),
            ids.clone(),
            topology::INGEST,
            topology::JOBS,
            ResearchSettings::default(),
        );
        let content = Content {
            items: items.clone(),
            queue: queue.clone(),
            scheduler: scheduler.clone(),
            bus: bus.clone(),
            cipher: cipher.clone(),
            clock: clock.clone(),
            ids: ids.clone(),
            llm: None,
            grounding: Some(Arc::new(ResearchGrounding(research.clone()))),
            connectors: Arc::new(Connectors::new(ConnectorSettings {
                egress,
                ..ConnectorSettings::default()
            })),
            publish_queue: topology::PUBLISH.into(),
            settings: Arc::new(ContentSettings::default()),
        };
        let agent = plasma_agent::Agent::new(
            items.clone(),
            bus.clone(),
            None,
            clock.clone(),
            ids.clone(),
            plasma_agent::ToolBox::new(),
            plasma_agent::AgentSettings::default(),
        );
        let platform = Self {
            agent,
            backend,
            brand,
            research,
            content,
            cipher,
            jwt: JwtVerifier::new(Vec::new(), egress, clock.clone()),
            claims: settings.gateway.claims,
            rate_limits: settings.rate_limits,
            cors: settings.cors,
            webhooks,
            items,
            blobs,
            queue,
            bus,
            scheduler,
            clock,
            ids,
            embedded,
            dev_key,
            aws_sdk: None,
        };
        let agent = crate::agent::agent(
            &platform,
            plasma_agent::AgentSettings::default(),
            &plasma_tools::ToolSettings {
                http: plasma_tools::HttpPolicy {
                    egress,
                    ..plasma_tools::HttpPolicy::default()
                },
                ..plasma_tools::ToolSettings::default()
            },
        );
        Self { agent, ..platform }
    }

    /// Apply a deployment's settings: trusted identity providers and claim names, rate
    /// limits, CORS, outbound-network policy, webhook retries and brand connectors.
    pub fn with_settings(mut self, settings: Settings) -> anyhow::Result<Self> {
        // Local services (a mock identity provider, a webhook receiver) are normal in
        // development; deployed, outbound calls reach public addresses only unless told.
        let egress = Egress {
            allow_private: settings
                .allow_private_egress
                .unwrap_or(self.embedded.is_some()),
        };
        self.jwt = JwtVerifier::new(settings.gateway.issuers, egress, self.clock.clone());
        self.claims = settings.gateway.claims;
        self.rate_limits = settings.rate_limits;
        self.cors = settings.cors;
        let policy = plasma_gateway::webhooks::Policy {
            egress,
            ..settings.webhooks
        };
        self.webhooks = Webhooks::new(
            self.items.clone(),
            self.cipher.clone(),
            self.queue.clone(),
            self.scheduler.clone(),
            self.clock.clone(),
            self.ids.clone(),
            topology::JOBS,
            policy,
        );
        let mut brand_settings = settings.brand;
        if let Some(model_id) = settings.bedrock_model_id {
            match &self.aws_sdk {
                Some(sdk) => {
                    brand_settings.llm = Some(Arc::new(BedrockLlm::from_sdk(sdk, model_id)));
                }
                None => tracing::warn!(
                    "{BEDROCK_MODEL_ID_VAR} is set but Bedrock needs the AWS backend; ignored"
                ),
            }
        }
        self.brand = Brand::new(
            self.items.clone(),
            self.blobs.clone(),
            self.queue.clone(),
            self.webhooks.clone(),
            self.clock.clone(),
            self.ids.clone(),
            topology::JOBS,
            egress,
            brand_settings,
        );
        let models = settings
            .research
            .build(self.aws_sdk.as_ref())
            .context("configuring the research models")?;
        self.research = self.research_with(self.research.index.clone(), models);
        let connectors = ConnectorSettings {
            egress,
            ..settings.publishing
        };
        self.content = self.content_with(connectors, settings.content);
        // Workflow tools reach private addresses exactly when the rest of the platform may
        // (a laptop's own services), unless PLASMA_AGENT_ALLOW_PRIVATE already allowed it.
        let mut tools = settings.tools;
        if egress.allow_private {
            tools.http.egress = egress;
            tools.notify.egress = egress;
            tools.browser.egress = egress;
            for server in tools.mcp_servers.values_mut() {
                server.egress = egress;
            }
        }
        self.agent = crate::agent::agent(&self, settings.agent, &tools);
        match (&self.aws_sdk, settings.states_role_arn) {
            (Some(sdk), Some(role)) => {
                let machines = plasma_aws::StepFunctions::from_sdk(sdk, role);
                self.agent = self.agent.clone().on_state_machines(Arc::new(machines));
            }
            (None, Some(_)) => tracing::warn!(
                "{} is set but Step Functions needs the AWS backend; workflows run embedded",
                crate::settings::STATES_ROLE_VAR
            ),
            _ => {}
        }
        Ok(self)
    }

    /// Content on this platform's research (for grounding and the LLM) and outbound policy.
    fn content_with(&self, connectors: ConnectorSettings, settings: ContentSettings) -> Content {
        let models = &self.research.models;
        Content {
            llm: models
                .llm
                .clone()
                .map(|llm| (models.llm_provider.clone(), llm)),
            grounding: Some(Arc::new(ResearchGrounding(self.research.clone()))),
            connectors: Arc::new(Connectors::new(connectors)),
            settings: Arc::new(settings),
            ..self.content.clone()
        }
    }

    /// Research over another search index (tests on the AWS backend, where OpenSearch has
    /// no emulator, swap in the embedded one).
    pub fn with_search_index(mut self, index: Arc<dyn SearchIndex>) -> Self {
        self.research = self.research_with(index, self.research.models.clone());
        self.content.grounding = Some(Arc::new(ResearchGrounding(self.research.clone())));
        self
    }

    fn research_with(
        &self,
        index: Arc<dyn SearchIndex>,
        models: plasma_research::Models,
    ) -> Research {
        Research::new(
            self.items.clone(),
            self.blobs.clone(),
            self.queue.clone(),
            self.bus.clone(),
            index,
            models,
            self.clock.clone(),
            self.ids.clone(),
            topology::INGEST,
            topology::JOBS,
            ResearchSettings::default(),
        )
    }

    pub fn gateway(&self) -> Gateway {
        let keys = ApiKeys::new(self.items.clone(), self.clock.clone(), self.ids.clone());
        Gateway {
            auth: Authenticator::new(
                self.dev_key.clone(),
                self.jwt.clone(),
                self.claims.clone(),
                keys.clone(),
            ),
            keys,
            audit_log: AuditLog::new(self.items.clone()),
            bus: self.bus.clone(),
            clock: self.clock.clone(),
            rate_limiter: RateLimiter::new(
                self.items.clone(),
                self.clock.clone(),
                self.rate_limits.clone(),
            ),
        }
    }
}
