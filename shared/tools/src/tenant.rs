//! Each tenant's own settings for the tools that carry secrets: where `notify` posts (a Slack
//! incoming webhook, a signed webhook and its signing secret) and the MCP servers `mcp.call`
//! may use. Secrets (the Slack URL, the signing secret, bearer tokens) are sealed through the
//! cipher port with the tenant in the encryption context, like publishing credentials, so a
//! sealed value copied to another tenant's record does not open. Only the tools read them in
//! the clear; the API shows which are set.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::{TOOLS, TOOLS_MCP_SERVER, TOOLS_NOTIFY};
use plasma_core::{Cipher, Clock, Condition, Item, ItemStore, Key, PortError, PortResult, Query};
use plasma_http::outbound::Egress;
use plasma_mcp::RemoteServer;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// A tenant's `notify` targets with their secrets in the clear: for the tool only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyTargets {
    pub slack_webhook_url: Option<String>,
    pub webhook_url: Option<String>,
    /// `whsec_<base64>`.
    pub webhook_secret: Option<String>,
}

/// What may be shown of a tenant's `notify` settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotifyRecord {
    /// A Slack webhook URL is set (the URL itself is a secret).
    pub slack: bool,
    pub webhook_url: Option<String>,
    /// A signing secret is set.
    pub webhook_secret: bool,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// What may be shown of one of a tenant's MCP servers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct McpServerRecord {
    pub name: String,
    pub url: String,
    /// A bearer token is set.
    pub bearer: bool,
    pub timeout_seconds: f64,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// Where the tenants' tool settings live.
#[derive(Clone)]
pub struct TenantTools {
    items: Arc<dyn ItemStore>,
    cipher: Arc<dyn Cipher>,
    clock: Arc<dyn Clock>,
}

const NOTIFY: &str = TOOLS_NOTIFY.literal();
const SEALED: &str = "sealed";

fn partition(tenant: &str) -> PortResult<String> {
    TOOLS.key([tenant])
}

/// A server's sort key, which is also its secret's encryption context.
fn mcp_setting(name: &str) -> PortResult<String> {
    TOOLS_MCP_SERVER.key([name])
}

fn context(tenant: &str, setting: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("tenant".to_owned(), tenant.to_owned()),
        ("purpose".to_owned(), "agent-tools".to_owned()),
        ("setting".to_owned(), setting.to_owned()),
    ])
}

/// A fresh Standard Webhooks signing secret.
pub fn new_signing_secret() -> String {
    let mut raw = [0u8; 24];
    rand::rng().fill_bytes(&mut raw);
    format!("whsec_{}", STANDARD.encode(raw))
}

impl TenantTools {
    pub fn new(items: Arc<dyn ItemStore>, cipher: Arc<dyn Cipher>, clock: Arc<dyn Clock>) -> Self {
        Self {
            items,
            cipher,
            clock,
        }
    }

    async fn seal(&self, tenant: &str, setting: &str, plain: &[u8]) -> PortResult<Value> {
        let sealed = self
            .cipher
            .encrypt(plain, &context(tenant, setting))
            .await?;
        Ok(Value::from(STANDARD.encode(sealed)))
    }

    async fn open(&self, tenant: &str, setting: &str, item: &Item) -> PortResult<Vec<u8>> {
        let sealed = item
            .get(SEALED)
            .and_then(Value::as_str)
            .and_then(|s| STANDARD.decode(s).ok())
            .ok_or_else(|| {
                PortError::Backend(format!("stored {setting} settings are malformed"))
            })?;
        self.cipher
            .decrypt(&sealed, &context(tenant, setting))
            .await
    }

    async fn put(
        &self,
        tenant: &str,
        sk: &str,
        attrs: serde_json::Map<String, Value>,
    ) -> PortResult<()> {
        self.items
            .put(
                Item::new(Key::new(partition(tenant)?, sk), attrs),
                Condition::None,
            )
            .await
    }

    /// Returns false when nothing was stored.
    async fn remove(&self, tenant: &str, sk: &str) -> PortResult<bool> {
        match self
            .items
            .delete(&Key::new(partition(tenant)?, sk), Condition::Exists)
            .await
        {
            Ok(()) => Ok(true),
            Err(PortError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    pub async fn set_notify(
        &self,
        tenant: &str,
        author: &str,
        targets: &NotifyTargets,
    ) -> PortResult<NotifyRecord> {
        let record = NotifyRecord {
            slack: targets.slack_webhook_url.is_some(),
            webhook_url: targets.webhook_url.clone(),
            webhook_secret: targets.webhook_secret.is_some(),
            updated_at: self.clock.now(),
            updated_by: author.to_owned(),
        };
        let mut attrs = attrs_of(&record)?;
        let plain = serde_json::to_vec(targets).map_err(PortError::backend)?;
        attrs.insert(SEALED.into(), self.seal(tenant, NOTIFY, &plain).await?);
        self.put(tenant, NOTIFY, attrs).await?;
        Ok(record)
    }

    pub async fn notify_record(&self, tenant: &str) -> PortResult<Option<NotifyRecord>> {
        let item = self
            .items
            .get(&Key::new(partition(tenant)?, NOTIFY))
            .await?;
        item.map(|i| i.parse()).transpose()
    }

    /// The tenant's `notify` targets, decrypted; `None` when it has set none.
    pub async fn notify(&self, tenant: &str) -> PortResult<Option<NotifyTargets>> {
        let Some(item) = self
            .items
            .get(&Key::new(partition(tenant)?, NOTIFY))
            .await?
        else {
            return Ok(None);
        };
        let plain = self.open(tenant, NOTIFY, &item).await?;
        serde_json::from_slice(&plain)
            .map(Some)
            .map_err(|e| PortError::Backend(format!("stored notify settings: {e}")))
    }

    pub async fn remove_notify(&self, tenant: &str) -> PortResult<bool> {
        self.remove(tenant, NOTIFY).await
    }

    pub async fn set_mcp_server(
        &self,
        tenant: &str,
        author: &str,
        name: &str,
        url: &str,
        bearer: Option<&str>,
        timeout: Duration,
    ) -> PortResult<McpServerRecord> {
        let record = McpServerRecord {
            name: name.to_owned(),
            url: url.to_owned(),
            bearer: bearer.is_some(),
            timeout_seconds: timeout.as_secs_f64(),
            updated_at: self.clock.now(),
            updated_by: author.to_owned(),
        };
        let setting = mcp_setting(name)?;
        let mut attrs = attrs_of(&record)?;
        if let Some(bearer) = bearer {
            attrs.insert(
                SEALED.into(),
                self.seal(tenant, &setting, bearer.as_bytes()).await?,
            );
        }
        self.put(tenant, &setting, attrs).await?;
        Ok(record)
    }

    pub async fn mcp_records(&self, tenant: &str) -> PortResult<Vec<McpServerRecord>> {
        query_all(
            self.items.as_ref(),
            Query::partition(partition(tenant)?).prefix(TOOLS_MCP_SERVER.prefix([])?),
        )
        .await?
        .iter()
        .map(Item::parse)
        .collect()
    }

    /// The tenant's MCP servers with their bearer tokens, reached under `egress`.
    pub async fn mcp_servers(
        &self,
        tenant: &str,
        egress: Egress,
    ) -> PortResult<BTreeMap<String, RemoteServer>> {
        let items = query_all(
            self.items.as_ref(),
            Query::partition(partition(tenant)?).prefix(TOOLS_MCP_SERVER.prefix([])?),
        )
        .await?;
        let mut servers = BTreeMap::new();
        for item in items {
            let record: McpServerRecord = item.parse()?;
            let setting = mcp_setting(&record.name)?;
            let bearer = match record.bearer {
                true => {
                    let plain = self.open(tenant, &setting, &item).await?;
                    Some(String::from_utf8(plain).map_err(PortError::backend)?)
                }
                false => None,
            };
            servers.insert(
                record.name,
                RemoteServer {
                    url: record.url,
                    bearer,
                    timeout: Duration::from_secs_f64(record.timeout_seconds),
                    egress,
                },
            );
        }
        Ok(servers)
    }

    pub async fn remove_mcp_server(&self, tenant: &str, name: &str) -> PortResult<bool> {
        // A name that cannot be a key was never stored.
        let Ok(setting) = mcp_setting(name) else {
            return Ok(false);
        };
        self.remove(tenant, &setting).await
    }
}
