//! `notify`: a message to Slack or a signed webhook, with the tenant's own targets and
//! signing secret.

use crate::allow::HostAllowlist;
use crate::net::{send_failure, status_failure, url_failure};
use crate::tenant::{NotifyTargets, TenantTools};
use crate::{Tool, ToolCall, ToolFailure, errors, input};
use async_trait::async_trait;
use plasma_http::outbound::{self, Egress};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// The operator's targets (`PLASMA_SLACK_WEBHOOK_URL`, ...) and the client's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifySettings {
    /// A Slack incoming-webhook URL (`https://hooks.slack.com/services/...`).
    pub slack_webhook_url: Option<String>,
    /// Where `webhook` notifications go when the input names no `url`.
    pub webhook_url: Option<String>,
    /// The Standard Webhooks signing secret, `whsec_<base64>`; every webhook is signed.
    pub webhook_secret: Option<String>,
    pub egress: Egress,
    pub timeout: Duration,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            slack_webhook_url: None,
            webhook_url: None,
            webhook_secret: None,
            egress: Egress::default(),
            timeout: Duration::from_secs(10),
        }
    }
}

/// `notify`.
///
/// Targets and the signing secret are the tenant's own (`PUT /agent/settings/notify`); the
/// operator's settings serve a tenant without its own only when the operator opted in
/// ([`Notify::per_tenant`]). Otherwise the operator's signing secret would sign whatever any
/// tenant's workflow asks it to.
///
/// Input, one of:
/// - `{ "channel": "slack", "text": "...", "blocks": [...] }` (`blocks` optional, Block Kit):
///   POSTs `{"text", "blocks"}` to the configured Slack incoming webhook.
/// - `{ "channel": "webhook", "url": "https://...", "event": "order.shipped", "payload": {...} }`
///   (`url` and `event` optional): POSTs `{"type": event, "timestamp": RFC 3339, "data": payload}`
///   signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
///   with the configured secret, to `url` if given (its host must be on the HTTP allowlist)
///   or else the configured webhook URL. `event` defaults to `workflow.notification`. The
///   `webhook-id` is derived from the tenant, execution and step, so every retry of a step
///   carries the same id and receivers can drop duplicates.
///
/// Output: `{ "channel", "status" }`, plus `"id"` (the `webhook-id`) for webhooks.
///
/// Errors: `Tool.InvalidInput`; `Notify.NotConfigured` (no settings for the tenant, or no
/// Slack URL, no webhook URL, or no secret); `Http.Forbidden`; `Http.Status.<code>`;
/// `States.Timeout`; `Http.Network`; `Tool.Failed` (the settings could not be read).
pub struct Notify {
    settings: NotifySettings,
    allow: HostAllowlist,
    client: reqwest::Client,
    tenants: Option<TenantTools>,
    operator_defaults: bool,
}

impl Notify {
    pub const NAME: &'static str = "notify";
    const DEFAULT_EVENT: &'static str = "workflow.notification";

    /// With the operator's targets for every call. `allow` limits the `url` a webhook input
    /// may name; the configured URLs are trusted (the egress guard still applies).
    pub fn new(settings: NotifySettings, allow: HostAllowlist) -> Self {
        Self {
            client: outbound::client(settings.egress, settings.timeout),
            settings,
            allow,
            tenants: None,
            operator_defaults: true,
        }
    }

    /// Each tenant's own targets; the operator's only for a tenant without settings, and
    /// only when `operator_defaults` (`PLASMA_TOOLS_OPERATOR_DEFAULTS`).
    pub fn per_tenant(mut self, tenants: TenantTools, operator_defaults: bool) -> Self {
        self.tenants = Some(tenants);
        self.operator_defaults = operator_defaults;
        self
    }

    async fn targets(&self, tenant: &str) -> Result<NotifyTargets, ToolFailure> {
        let own = match &self.tenants {
            Some(tenants) => tenants
                .notify(tenant)
                .await
                .map_err(|e| ToolFailure::new(errors::TOOL_FAILED, e.to_string()))?,
            None => None,
        };
        match own {
            Some(targets) => Ok(targets),
            None if self.operator_defaults => Ok(NotifyTargets {
                slack_webhook_url: self.settings.slack_webhook_url.clone(),
                webhook_url: self.settings.webhook_url.clone(),
                webhook_secret: self.settings.webhook_secret.clone(),
            }),
            None => Err(ToolFailure::new(
                errors::NOTIFY_NOT_CONFIGURED,
                format!(
                    "the tenant {tenant} has no notify settings: an admin sets them with PUT /agent/settings/notify"
                ),
            )),
        }
    }

    async fn slack(&self, input: SlackInput, targets: NotifyTargets) -> Result<Value, ToolFailure> {
        let url = targets.slack_webhook_url.as_deref().ok_or_else(|| {
            ToolFailure::new(
                errors::NOTIFY_NOT_CONFIGURED,
                "no Slack webhook is configured (slack_webhook_url in PUT /agent/settings/notify; PLASMA_SLACK_WEBHOOK_URL for operator defaults)",
            )
        })?;
        if input.text.trim().is_empty() {
            return Err(ToolFailure::invalid("text must not be empty"));
        }
        let url = outbound::check_url(self.settings.egress, url).map_err(url_failure)?;
        let mut message = json!({ "text": input.text });
        if let Some(blocks) = input.blocks {
            if !blocks.is_array() {
                return Err(ToolFailure::invalid("blocks must be an array"));
            }
            message["blocks"] = blocks;
        }
        let response = self
            .client
            .post(url)
            .json(&message)
            .send()
            .await
            .map_err(send_failure)?;
        if !response.status().is_success() {
            return Err(status_failure(response, "Slack").await);
        }
        Ok(json!({ "channel": "slack", "status": response.status().as_u16() }))
    }

    async fn webhook(
        &self,
        input: WebhookInput,
        call: &ToolCall,
        targets: NotifyTargets,
    ) -> Result<Value, ToolFailure> {
        let not_configured = |what: &str| ToolFailure::new(errors::NOTIFY_NOT_CONFIGURED, what);
        let secret = targets.webhook_secret.as_deref().ok_or_else(|| {
            not_configured(
                "no webhook signing secret is configured (PUT /agent/settings/notify; PLASMA_NOTIFY_WEBHOOK_SECRET for operator defaults)",
            )
        })?;
        let url = match &input.url {
            Some(given) => {
                let url = outbound::check_url(self.settings.egress, given).map_err(url_failure)?;
                self.allow
                    .check(&url)
                    .map_err(|cause| ToolFailure::new(errors::HTTP_FORBIDDEN, cause))?;
                url
            }
            None => {
                let configured = targets.webhook_url.as_deref().ok_or_else(|| {
                    not_configured(
                        "no webhook URL is configured (PUT /agent/settings/notify; PLASMA_NOTIFY_WEBHOOK_URL for operator defaults) and the input names no url",
                    )
                })?;
                outbound::check_url(self.settings.egress, configured).map_err(url_failure)?
            }
        };
        let signer = standardwebhooks::Webhook::new(secret).map_err(|e| {
            not_configured(&format!(
                "the webhook signing secret is not a whsec_ secret: {e}"
            ))
        })?;
        let now = chrono::Utc::now();
        // The tenant is named in what is signed, so a receiver serving several tenants (or
        // trusting an operator-wide secret) can tell whose workflow sent it.
        let body = json!({
            "type": input.event.as_deref().unwrap_or(Self::DEFAULT_EVENT),
            "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "tenant": call.tenant,
            "data": input.payload,
        })
        .to_string();
        let id = message_id(call);
        let signature = signer
            .sign(&id, now.timestamp(), body.as_bytes())
            .map_err(|e| {
                ToolFailure::new(
                    errors::NOTIFY_NOT_CONFIGURED,
                    format!("signing failed: {e}"),
                )
            })?;
        let response = self
            .client
            .post(url.clone())
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", now.timestamp().to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(send_failure)?;
        if !response.status().is_success() {
            return Err(status_failure(response, url.host_str().unwrap_or("the webhook")).await);
        }
        Ok(json!({ "channel": "webhook", "status": response.status().as_u16(), "id": id }))
    }
}

/// Stable across retries of one step; the tenant is mixed in so two tenants' executions
/// never share an id at a receiver that serves both.
fn message_id(call: &ToolCall) -> String {
    let digest = Sha256::new()
        .chain_update(call.tenant.as_bytes())
        .chain_update([0])
        .chain_update(call.idempotency_key().as_bytes())
        .finalize();
    format!("msg_{}", hex::encode(&digest[..16]))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SlackInput {
    text: String,
    blocks: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookInput {
    url: Option<String>,
    event: Option<String>,
    #[serde(default)]
    payload: Value,
}

#[async_trait]
impl Tool for Notify {
    async fn call(&self, call: ToolCall) -> Result<Value, ToolFailure> {
        let mut fields = match &call.input {
            Value::Object(map) => map.clone(),
            _ => return Err(ToolFailure::invalid("notify: input must be an object")),
        };
        let channel = fields.remove("channel");
        match channel.as_ref().and_then(Value::as_str) {
            Some("slack") => {
                let slack = input(Self::NAME, Value::Object(fields))?;
                let targets = self.targets(&call.tenant).await?;
                self.slack(slack, targets).await
            }
            Some("webhook") => {
                let webhook = input(Self::NAME, Value::Object(fields))?;
                let targets = self.targets(&call.tenant).await?;
                self.webhook(webhook, &call, targets).await
            }
            _ => Err(ToolFailure::invalid(
                "notify: channel must be \"slack\" or \"webhook\"",
            )),
        }
    }
}
