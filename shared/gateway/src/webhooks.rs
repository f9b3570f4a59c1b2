//! Signed outbound webhooks (Standard Webhooks): tenants register endpoints; capabilities
//! `emit` events; each delivery is a job on the queue whose attempt is signed with the
//! endpoint's secret (`webhook-id`, `webhook-timestamp`, `webhook-signature` = HMAC-SHA256 over
//! `id.timestamp.body`). Failed attempts are retried with exponential backoff — as a delayed
//! queue message while the delay fits SQS's 15-minute limit, as a one-time schedule beyond —
//! and after the last attempt the delivery stays as a `failed` record: the dead letter that
//! the deliveries endpoint shows. Signing secrets are stored sealed by the cipher port, bound
//! to the tenant and endpoint, like publishing credentials: a copy of the table does not let
//! anyone sign as the platform.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::{GATEWAY, WEBHOOK_DELIVERIES, WEBHOOK_DELIVERY, WEBHOOK_ENDPOINT};
use plasma_core::{
    Cipher, Clock, Condition, Event, EventEnvelope, IdGen, Item, ItemStore, Key, OneTimeSchedule,
    OutMessage, PortError, PortResult, Query, Queue, Scheduler,
};
use plasma_http::outbound::{self, Egress};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use utoipa::ToSchema;

pub const SOURCE: &str = "plasma.webhooks";
pub const DELIVERY: &str = "webhook.delivery";
/// The longest delay an SQS message can carry.
const MAX_QUEUE_DELAY: Duration = Duration::minutes(15);

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Wait before attempt n+1 is `backoff[n-1]` (the last entry repeats).
    pub backoff: Vec<Duration>,
    pub timeout: std::time::Duration,
    pub egress: Egress,
}

impl Default for Policy {
    /// Close to the Standard Webhooks suggestion: about a day of retries.
    fn default() -> Self {
        Self {
            max_attempts: 8,
            backoff: [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000]
                .map(Duration::seconds)
                .to_vec(),
            timeout: std::time::Duration::from_secs(15),
            egress: Egress::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Endpoint {
    pub id: String,
    pub url: String,
    #[serde(default)]
    pub description: String,
    /// Event types delivered; empty means all.
    #[serde(default)]
    pub events: Vec<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEndpoint {
    pub url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub events: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
// Named apart from the other `Status`s: the OpenAPI document keys schemas by name.
#[schema(as = WebhookDeliveryStatus)]
pub enum Status {
    Pending,
    Delivered,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    /// The receiver's HTTP status, when it answered.
    pub status: Option<u16>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Delivery {
    /// Also the `webhook-id` header: stable across retries, so receivers can deduplicate.
    pub id: String,
    pub endpoint_id: String,
    pub event_type: String,
    #[schema(value_type = Object)]
    pub payload: Value,
    pub status: Status,
    pub attempts: Vec<Attempt>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency counter for the worker's updates.
    #[serde(default)]
    #[schema(ignore)]
    pub version: u64,
}

/// What a delivery job on the queue carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub tenant: String,
    pub endpoint_id: String,
    pub delivery_id: String,
    /// Which attempt this job makes (1-based); a redelivered job finds it already made.
    pub attempt: u32,
}

#[derive(Clone)]
pub struct Webhooks {
    items: Arc<dyn ItemStore>,
    cipher: Arc<dyn Cipher>,
    queue: Arc<dyn Queue>,
    scheduler: Arc<dyn Scheduler>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGen>,
    /// Logical queue the worker consumes.
    jobs_queue: String,
    policy: Policy,
    http: reqwest::Client,
}

fn endpoint_key(tenant: &str, id: &str) -> PortResult<Key> {
    Ok(Key::new(
        GATEWAY.key([tenant])?,
        WEBHOOK_ENDPOINT.key([id])?,
    ))
}

/// The encryption context of an endpoint's signing secret: a sealed secret copied to another
/// endpoint or tenant does not open.
fn secret_context(tenant: &str, endpoint_id: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("tenant".to_string(), tenant.to_string()),
        ("purpose".to_string(), "webhook".to_string()),
        ("endpoint".to_string(), endpoint_id.to_string()),
    ])
}

fn delivery_key(tenant: &str, endpoint_id: &str, id: &str) -> PortResult<Key> {
    Ok(Key::new(
        WEBHOOK_DELIVERIES.key([tenant, endpoint_id])?,
        WEBHOOK_DELIVERY.key([id])?,
    ))
}

/// What [`Webhooks`] is built from.
pub struct WebhooksDeps {
    pub items: Arc<dyn ItemStore>,
    /// Seals endpoints' signing secrets.
    pub cipher: Arc<dyn Cipher>,
    pub queue: Arc<dyn Queue>,
    /// Delayed retries.
    pub scheduler: Arc<dyn Scheduler>,
    pub clock: Arc<dyn Clock>,
    pub ids: Arc<dyn IdGen>,
    /// Logical queue the worker consumes.
    pub jobs_queue: String,
    pub policy: Policy,
}

impl Webhooks {
    pub fn new(deps: WebhooksDeps) -> Self {
        tracing::debug!(target: plasma_core::BUILT, capability = "webhooks");
        let WebhooksDeps {
            items,
            cipher,
            queue,
            scheduler,
            clock,
            ids,
            jobs_queue,
            policy,
        } = deps;
        let http = outbound::client(policy.egress, policy.timeout);
        Self {
            items,
            cipher,
            queue,
            scheduler,
            clock,
            ids,
            jobs_queue,
            policy,
            http,
        }
    }

    /// Register an endpoint; the signing secret is returned once and kept only sealed.
    pub async fn create_endpoint(
        &self,
        tenant: &str,
        new: NewEndpoint,
    ) -> PortResult<(Endpoint, String)> {
        outbound::check_url(self.policy.egress, &new.url)
            .map_err(|e| PortError::Invalid(e.to_string()))?;
        let mut raw = [0u8; 24];
        rand::rng().fill_bytes(&mut raw);
        let secret = format!("whsec_{}", STANDARD.encode(raw));
        let endpoint = Endpoint {
            id: self.ids.new_id(),
            url: new.url,
            description: new.description,
            events: new.events,
            created_at: self.clock.now(),
        };
        let sealed = self
            .cipher
            .encrypt(secret.as_bytes(), &secret_context(tenant, &endpoint.id))
            .await?;
        let mut attrs = attrs_of(&endpoint)?;
        attrs.insert("sealed_secret".into(), STANDARD.encode(sealed).into());
        self.items
            .put(
                Item::new(endpoint_key(tenant, &endpoint.id)?, attrs),
                Condition::NotExists,
            )
            .await?;
        Ok((endpoint, secret))
    }

    pub async fn endpoints(&self, tenant: &str) -> PortResult<Vec<Endpoint>> {
        let query = Query::partition(GATEWAY.key([tenant])?).prefix(WEBHOOK_ENDPOINT.prefix([])?);
        query_all(self.items.as_ref(), query)
            .await?
            .iter()
            .map(Item::parse)
            .collect()
    }

    pub async fn endpoint(&self, tenant: &str, id: &str) -> PortResult<Option<Endpoint>> {
        // An id that cannot be a key segment names no endpoint.
        let Ok(key) = endpoint_key(tenant, id) else {
            return Ok(None);
        };
        self.items.get(&key).await?.map(|i| i.parse()).transpose()
    }

    /// `Ok(false)` when the tenant has no such endpoint. Pending deliveries then fail.
    pub async fn delete_endpoint(&self, tenant: &str, id: &str) -> PortResult<bool> {
        let Ok(key) = endpoint_key(tenant, id) else {
            return Ok(false);
        };
        match self.items.delete(&key, Condition::Exists).await {
            Ok(()) => Ok(true),
            Err(PortError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Queue `event_type` for every endpoint of the tenant that subscribes to it.
    pub async fn emit(
        &self,
        tenant: &str,
        event_type: &str,
        payload: Value,
    ) -> PortResult<Vec<String>> {
        let mut ids = Vec::new();
        for endpoint in self.endpoints(tenant).await? {
            if endpoint.events.is_empty() || endpoint.events.iter().any(|e| e == event_type) {
                ids.push(
                    self.emit_to(tenant, &endpoint.id, event_type, payload.clone())
                        .await?,
                );
            }
        }
        Ok(ids)
    }

    /// Queue one delivery to one endpoint (also what "send a test event" uses).
    pub async fn emit_to(
        &self,
        tenant: &str,
        endpoint_id: &str,
        event_type: &str,
        payload: Value,
    ) -> PortResult<String> {
        let delivery = Delivery {
            id: format!("msg_{}", self.ids.new_id()),
            endpoint_id: endpoint_id.into(),
            event_type: event_type.into(),
            payload,
            status: Status::Pending,
            attempts: Vec::new(),
            created_at: self.clock.now(),
            next_attempt_at: Some(self.clock.now()),
            version: 0,
        };
        let key = delivery_key(tenant, endpoint_id, &delivery.id)?;
        self.items
            .put(Item::new(key, attrs_of(&delivery)?), Condition::NotExists)
            .await?;
        let job = Job {
            tenant: tenant.into(),
            endpoint_id: endpoint_id.into(),
            delivery_id: delivery.id.clone(),
            attempt: 1,
        };
        self.queue
            .send(&self.jobs_queue, OutMessage::new(self.job_body(&job)?))
            .await?;
        Ok(delivery.id)
    }

    /// Deliveries to one endpoint, newest first.
    pub async fn deliveries(
        &self,
        tenant: &str,
        endpoint_id: &str,
        limit: u32,
        cursor: Option<String>,
    ) -> PortResult<(Vec<Delivery>, Option<String>)> {
        let Ok(pk) = WEBHOOK_DELIVERIES.key([tenant, endpoint_id]) else {
            return Ok((Vec::new(), None));
        };
        let page = self
            .items
            .query(
                Query::partition(pk)
                    .prefix(WEBHOOK_DELIVERY.prefix([])?)
                    .limit(limit)
                    .after(cursor)
                    .descending(),
            )
            .await?;
        let deliveries = page
            .items
            .iter()
            .map(Item::parse)
            .collect::<PortResult<Vec<Delivery>>>()?;
        Ok((deliveries, page.next))
    }

    fn job_body(&self, job: &Job) -> PortResult<String> {
        let detail = serde_json::to_value(job).map_err(PortError::backend)?;
        let envelope = EventEnvelope::local(
            format!("{}-{}", job.delivery_id, job.attempt),
            self.clock.now(),
            &Event::new(SOURCE, DELIVERY, detail),
        );
        serde_json::to_string(&envelope).map_err(PortError::backend)
    }

    /// Make the attempt a job asks for. Errors mean "retry the job"; the outcome of the HTTP
    /// call itself is recorded, never returned as an error.
    pub async fn attempt(&self, job: &Job) -> PortResult<()> {
        let key = delivery_key(&job.tenant, &job.endpoint_id, &job.delivery_id)?;
        let Some(item) = self.items.get(&key).await? else {
            return Ok(()); // the endpoint and its history were removed
        };
        let mut delivery: Delivery = item.parse()?;
        if delivery.status != Status::Pending || delivery.attempts.len() as u32 >= job.attempt {
            return Ok(()); // made already: this job was redelivered
        }
        let previous_version = delivery.version;
        let endpoint = self
            .items
            .get(&endpoint_key(&job.tenant, &job.endpoint_id)?)
            .await?;
        let outcome = match endpoint {
            None => Err("the endpoint was deleted".to_string()),
            Some(endpoint) => {
                let secret = self
                    .secret(&job.tenant, &job.endpoint_id, &endpoint)
                    .await?;
                self.send(&endpoint, &secret, &delivery).await
            }
        };
        let now = self.clock.now();
        let (status, error) = match outcome {
            Ok(code) if (200..300).contains(&code) => (Some(code), None),
            Ok(code) => (Some(code), Some(format!("the receiver answered {code}"))),
            Err(e) => (None, Some(e)),
        };
        let succeeded = error.is_none();
        delivery.attempts.push(Attempt {
            at: now,
            status,
            error,
        });
        let attempts = delivery.attempts.len() as u32;
        let mut retry = None;
        if succeeded {
            delivery.status = Status::Delivered;
            delivery.next_attempt_at = None;
        } else if attempts >= self.policy.max_attempts {
            delivery.status = Status::Failed;
            delivery.next_attempt_at = None;
            tracing::warn!(delivery = %delivery.id, attempts, "webhook delivery failed for good");
        } else {
            let wait = self.backoff(attempts);
            delivery.next_attempt_at = Some(now + wait);
            retry = Some((
                wait,
                Job {
                    attempt: attempts + 1,
                    ..job.clone()
                },
            ));
        }
        delivery.version += 1;
        let condition = Condition::Equals("version".into(), previous_version.into());
        match self
            .items
            .put(Item::new(key, attrs_of(&delivery)?), condition)
            .await
        {
            Ok(()) => {}
            Err(PortError::Conflict(_)) => return Ok(()), // a concurrent run of this job recorded it
            Err(e) => return Err(e),
        }
        if let Some((wait, next)) = retry {
            self.schedule_retry(&next, wait, now).await?;
        }
        Ok(())
    }

    fn backoff(&self, attempts_made: u32) -> Duration {
        let i = (attempts_made as usize).saturating_sub(1);
        self.policy
            .backoff
            .get(i)
            .or(self.policy.backoff.last())
            .copied()
            .unwrap_or(Duration::seconds(5))
    }

    async fn schedule_retry(
        &self,
        job: &Job,
        wait: Duration,
        now: DateTime<Utc>,
    ) -> PortResult<()> {
        let body = self.job_body(job)?;
        if wait <= MAX_QUEUE_DELAY {
            let delay = wait.to_std().unwrap_or_default();
            self.queue
                .send(&self.jobs_queue, OutMessage::new(body).delayed(delay))
                .await
                .map(drop)
        } else {
            let name = format!(
                "webhook-{}-{}",
                job.delivery_id.trim_start_matches("msg_"),
                job.attempt
            );
            let schedule = OneTimeSchedule {
                name: name.chars().take(64).collect(),
                at: now + wait,
                queue: self.jobs_queue.clone(),
                body,
            };
            self.scheduler.schedule_once(schedule).await
        }
    }

    /// The endpoint's signing secret, unsealed. An error (the cipher unreachable) retries the
    /// job like any backend error; a record that cannot hold a secret is a backend error too.
    async fn secret(&self, tenant: &str, endpoint_id: &str, endpoint: &Item) -> PortResult<String> {
        // Endpoints registered before secrets were sealed keep working until re-registered.
        if let Some(legacy) = endpoint.get("secret").and_then(Value::as_str) {
            return Ok(legacy.to_string());
        }
        let sealed = endpoint
            .get("sealed_secret")
            .and_then(Value::as_str)
            .and_then(|s| STANDARD.decode(s).ok())
            .ok_or_else(|| PortError::Backend("the endpoint's secret is malformed".into()))?;
        let plain = self
            .cipher
            .decrypt(&sealed, &secret_context(tenant, endpoint_id))
            .await?;
        String::from_utf8(plain)
            .map_err(|_| PortError::Backend("the endpoint's secret is not text".into()))
    }

    /// POST the signed event; `Ok(status)` when the receiver answered at all.
    async fn send(
        &self,
        endpoint: &Item,
        secret: &str,
        delivery: &Delivery,
    ) -> Result<u16, String> {
        let url = endpoint
            .get("url")
            .and_then(Value::as_str)
            .ok_or("the endpoint has no URL")?;
        let url = outbound::check_url(self.policy.egress, url).map_err(|e| e.to_string())?;
        let body = json!({
            "type": delivery.event_type,
            "timestamp": delivery.created_at,
            "data": delivery.payload,
        })
        .to_string();
        let now = self.clock.now();
        let signer =
            standardwebhooks::Webhook::new(secret).map_err(|e| format!("bad secret: {e}"))?;
        let signature = signer
            .sign(&delivery.id, now.timestamp(), body.as_bytes())
            .map_err(|e| format!("signing failed: {e}"))?;
        let response = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.id)
            .header("webhook-timestamp", now.timestamp().to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(|e| {
                format!(
                    "{e}: {}",
                    std::error::Error::source(&e)
                        .map(|s| s.to_string())
                        .unwrap_or_default()
                )
            })?;
        Ok(response.status().as_u16())
    }
}
