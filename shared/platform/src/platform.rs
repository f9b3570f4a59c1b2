//! The composition: settings first, then the ports for an explicit runtime, then every
//! capability exactly once, in dependency order (webhooks, brand, research, content, the
//! agent with its tools, the gateway).

use crate::content::ResearchGrounding;
use crate::mcp::Tools;
use crate::ports::{AwsRuntime, EmbeddedRuntime, Ports, Runtime};
use crate::settings::{BEDROCK_MODEL_ID_VAR, STATES_ROLE_VAR, Settings};
use crate::topology;
use anyhow::Context;
use plasma_aws::BedrockLlm;
use plasma_brand::scan::{Brand, BrandDeps};
use plasma_content::{Content, ContentDeps};
use plasma_core::{Backend, Config, StateMachines, SystemClock, UuidV7Ids};
use plasma_gateway::api_keys::ApiKeys;
use plasma_gateway::audit::AuditLog;
use plasma_gateway::rate_limit::RateLimiter;
use plasma_gateway::webhooks::{Webhooks, WebhooksDeps};
use plasma_gateway::{Authenticator, Gateway, JwtVerifier};
use plasma_http::Cors;
use plasma_http::outbound::Egress;
use plasma_publishing::ConnectorSettings;
use plasma_research::{Research, ResearchDeps, ResearchSettings};
use std::sync::Arc;

/// The platform: its ports and each capability, built once. Cheap to clone (everything
/// inside is shared).
#[derive(Clone)]
pub struct Platform {
    pub ports: Ports,
    /// Authentication, API keys, rate limits and the audit log.
    pub gateway: Arc<Gateway>,
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
    /// Workflows and executions, with every tool wired.
    pub agent: plasma_agent::Agent,
}

impl Platform {
    /// What a Lambda function's `main` calls.
    pub async fn from_env() -> anyhow::Result<Self> {
        let settings = Settings::from_env()?;
        let config = Config::from_env(&topology::QUEUE_NAMES)?;
        let runtime = match config.backend {
            Backend::Embedded { data_dir } => Runtime::Embedded(EmbeddedRuntime {
                data_dir,
                public_url: "http://127.0.0.1:3000".into(),
                clock: Arc::new(SystemClock),
                ids: Arc::new(UuidV7Ids),
            }),
            Backend::Aws(resources) => Runtime::Aws(Box::new(AwsRuntime {
                sdk: plasma_aws::sdk_config().await,
                resources,
            })),
        };
        Self::compose(Ports::open(runtime)?, settings)
    }

    /// The embedded runtime (the runner, tests): ports under `runtime.data_dir`, then
    /// [`Platform::compose`].
    pub fn embedded(runtime: EmbeddedRuntime, settings: Settings) -> anyhow::Result<Self> {
        Self::compose(Ports::open(Runtime::Embedded(runtime))?, settings)
    }

    /// Every capability over `ports`, configured by `settings`.
    pub fn compose(ports: Ports, settings: Settings) -> anyhow::Result<Self> {
        // Local services (a mock identity provider, a webhook receiver) are normal in
        // development; deployed, outbound calls reach public addresses only unless told.
        let egress = Egress {
            allow_private: settings
                .allow_private_egress
                .unwrap_or(ports.embedded.is_some()),
        };
        let webhooks = Webhooks::new(WebhooksDeps {
            items: ports.items.clone(),
            cipher: ports.cipher.clone(),
            queue: ports.queue.clone(),
            scheduler: ports.scheduler.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            jobs_queue: topology::JOBS.into(),
            policy: plasma_gateway::webhooks::Policy {
                egress,
                ..settings.webhooks
            },
        });
        let mut brand_settings = settings.brand;
        if let Some(model_id) = settings.bedrock_model_id {
            match &ports.aws_sdk {
                Some(sdk) => {
                    brand_settings.llm = Some(Arc::new(BedrockLlm::from_sdk(sdk, model_id)));
                }
                None => tracing::warn!(
                    "{BEDROCK_MODEL_ID_VAR} is set but Bedrock needs the AWS backend; ignored"
                ),
            }
        }
        let brand = Brand::new(BrandDeps {
            items: ports.items.clone(),
            blobs: ports.blobs.clone(),
            queue: ports.queue.clone(),
            webhooks: webhooks.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            jobs_queue: topology::JOBS.into(),
            egress,
            settings: brand_settings,
        });
        let models = settings
            .research
            .build(ports.aws_sdk.as_ref())
            .context("configuring the research models")?;
        let research = Research::new(ResearchDeps {
            items: ports.items.clone(),
            blobs: ports.blobs.clone(),
            queue: ports.queue.clone(),
            bus: ports.bus.clone(),
            index: ports.index.clone(),
            models,
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            ingest_queue: topology::INGEST.into(),
            jobs_queue: topology::JOBS.into(),
            settings: ResearchSettings::default(),
        });
        let content = Content::new(ContentDeps {
            items: ports.items.clone(),
            queue: ports.queue.clone(),
            scheduler: ports.scheduler.clone(),
            bus: ports.bus.clone(),
            cipher: ports.cipher.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            llm: research
                .models
                .llm
                .clone()
                .map(|llm| (research.models.llm_provider.clone(), llm)),
            grounding: Some(Arc::new(ResearchGrounding(research.clone()))),
            connectors: ConnectorSettings {
                egress,
                ..settings.publishing
            },
            publish_queue: topology::PUBLISH.into(),
            settings: settings.content,
        });
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
        let machines: Option<Arc<dyn StateMachines>> = match (
            &ports.aws_sdk,
            settings.states_role_arn,
        ) {
            (Some(sdk), Some(role)) => {
                Some(Arc::new(plasma_aws::StepFunctions::from_sdk(sdk, role)))
            }
            (None, Some(_)) => {
                tracing::warn!(
                    "{STATES_ROLE_VAR} is set but Step Functions needs the AWS backend; workflows run embedded"
                );
                None
            }
            (_, None) => None,
        };
        let agent = crate::agent::agent(crate::agent::AgentParts {
            ports: &ports,
            webhooks: &webhooks,
            host: Tools {
                brand: brand.clone(),
                research: research.clone(),
                content: content.clone(),
                agent: None,
            },
            settings: settings.agent,
            tools: &tools,
            machines,
        });
        let keys = ApiKeys::new(ports.items.clone(), ports.clock.clone(), ports.ids.clone());
        let gateway = Gateway {
            auth: Authenticator::new(
                ports.dev_key.clone(),
                JwtVerifier::new(settings.gateway.issuers, egress, ports.clock.clone()),
                settings.gateway.claims,
                keys.clone(),
            ),
            keys,
            audit_log: AuditLog::new(ports.items.clone()),
            bus: ports.bus.clone(),
            clock: ports.clock.clone(),
            rate_limiter: RateLimiter::new(
                ports.items.clone(),
                ports.clock.clone(),
                settings.rate_limits,
            ),
        };
        Ok(Self {
            ports,
            gateway: Arc::new(gateway),
            cors: settings.cors,
            webhooks,
            brand,
            research,
            content,
            agent,
        })
    }
}
