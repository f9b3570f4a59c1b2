//! Publishing credentials per tenant and destination, encrypted through the cipher port (KMS
//! deployed, a local key file embedded) with the tenant and destination as the encryption
//! context, so a ciphertext copied to another tenant's record does not decrypt. The API
//! never returns them: reads say which fields are set.

use crate::Content;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use plasma_core::item::query_all;
use plasma_core::keys::CREDENTIALS;
use plasma_core::{Condition, Item, Key, PortError, PortResult, Query};
use plasma_publishing::Credentials;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// What the API shows of a destination's credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DestinationInfo {
    pub destination: String,
    /// The credential fields that are set (`token`, `username`, ...), never their values.
    pub fields: Vec<String>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

fn key(tenant: &str, destination: &str) -> PortResult<Key> {
    Ok(Key::new(CREDENTIALS.key([tenant])?, destination))
}

fn context(tenant: &str, destination: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("tenant".to_string(), tenant.to_string()),
        ("purpose".to_string(), "publishing".to_string()),
        ("destination".to_string(), destination.to_string()),
    ])
}

fn fields_of(c: &Credentials) -> Vec<String> {
    [
        ("token", c.token.is_some()),
        ("username", c.username.is_some()),
        ("password", c.password.is_some()),
        ("account", c.account.is_some()),
        ("secret", c.secret.is_some()),
        ("base_url", c.base_url.is_some()),
    ]
    .into_iter()
    .filter(|(_, set)| *set)
    .map(|(name, _)| name.to_string())
    .collect()
}

impl Content {
    pub async fn set_credentials(
        &self,
        tenant: &str,
        author: &str,
        destination: &str,
        credentials: &Credentials,
    ) -> PortResult<DestinationInfo> {
        let plain = serde_json::to_vec(credentials).map_err(PortError::backend)?;
        let sealed = self
            .cipher
            .encrypt(&plain, &context(tenant, destination))
            .await?;
        let info = DestinationInfo {
            destination: destination.to_string(),
            fields: fields_of(credentials),
            updated_at: self.clock.now(),
            updated_by: author.to_string(),
        };
        let mut attrs = match serde_json::to_value(&info).map_err(PortError::backend)? {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        attrs.insert("sealed".into(), Value::from(STANDARD.encode(sealed)));
        self.items
            .put(Item::new(key(tenant, destination)?, attrs), Condition::None)
            .await?;
        Ok(info)
    }

    /// The decrypted credentials, for the publisher only.
    pub async fn credentials(
        &self,
        tenant: &str,
        destination: &str,
    ) -> PortResult<Option<Credentials>> {
        let Some(item) = self.items.get(&key(tenant, destination)?).await? else {
            return Ok(None);
        };
        let sealed = item
            .get("sealed")
            .and_then(Value::as_str)
            .and_then(|s| STANDARD.decode(s).ok())
            .ok_or_else(|| PortError::Backend("stored credentials are malformed".into()))?;
        let plain = self
            .cipher
            .decrypt(&sealed, &context(tenant, destination))
            .await?;
        serde_json::from_slice(&plain)
            .map(Some)
            .map_err(|e| PortError::Backend(format!("stored credentials: {e}")))
    }

    pub async fn destinations(&self, tenant: &str) -> PortResult<Vec<DestinationInfo>> {
        query_all(
            self.items.as_ref(),
            Query::partition(CREDENTIALS.key([tenant])?),
        )
        .await?
        .iter()
        .map(Item::parse)
        .collect()
    }

    /// Returns false when nothing was stored.
    pub async fn remove_credentials(&self, tenant: &str, destination: &str) -> PortResult<bool> {
        match self
            .items
            .delete(&key(tenant, destination)?, Condition::Exists)
            .await
        {
            Ok(()) => Ok(true),
            Err(PortError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
