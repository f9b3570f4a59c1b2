//! API keys for machines: shown once at creation, stored only as a SHA-256 hash, looked up
//! through GSI1 by that hash, scoped and expiring, revocable.

use crate::principal::Principal;
use crate::rbac::{Permission, Role};
use async_graphql::{InputObject, SimpleObject};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use plasma_core::item::{attrs_of, query_all};
use plasma_core::keys::{API_KEY, API_KEY_BY_HASH, API_KEY_BY_HASH_SORT, GATEWAY};
use plasma_core::{
    Clock, Condition, IdGen, Item, ItemStore, Key, PortError, PortResult, Query, Update,
};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use utoipa::ToSchema;

pub const PREFIX: &str = "pk_";
/// Recording every use would make each request a write; a minute's precision is enough.
const LAST_USED_PRECISION: Duration = Duration::minutes(1);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, SimpleObject)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub scopes: Vec<Permission>,
    /// First characters of the secret, so people can tell keys apart.
    pub hint: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema, InputObject)]
#[graphql(name = "NewKeyInput")]
pub struct NewKey {
    pub name: String,
    /// Any role but admin; `service` when absent.
    #[serde(default = "default_role")]
    #[schema(default = "service")]
    #[graphql(default_with = "default_role()")]
    pub role: Role,
    /// When non-empty, the key may use only these permissions.
    #[serde(default)]
    #[graphql(default)]
    pub scopes: Vec<Permission>,
    pub expires_at: Option<DateTime<Utc>>,
}

fn default_role() -> Role {
    Role::Service
}

#[derive(Clone)]
pub struct ApiKeys {
    items: Arc<dyn ItemStore>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGen>,
}

fn key_of(tenant: &str, id: &str) -> PortResult<Key> {
    Ok(Key::new(GATEWAY.key([tenant])?, API_KEY.key([id])?))
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

impl ApiKeys {
    pub fn new(items: Arc<dyn ItemStore>, clock: Arc<dyn Clock>, ids: Arc<dyn IdGen>) -> Self {
        Self { items, clock, ids }
    }

    /// Returns the stored key and the secret, which is never retrievable again.
    pub async fn create(
        &self,
        tenant: &str,
        created_by: &str,
        new: NewKey,
    ) -> PortResult<(ApiKey, String)> {
        let now = self.clock.now();
        if new.name.trim().is_empty() || new.name.len() > 100 {
            return Err(PortError::Invalid(
                "name must be 1 to 100 characters".into(),
            ));
        }
        if new.expires_at.is_some_and(|t| t <= now) {
            return Err(PortError::Invalid(
                "expires_at must be in the future".into(),
            ));
        }
        if new.role == Role::Admin {
            return Err(PortError::Invalid(
                "API keys cannot carry the admin role".into(),
            ));
        }
        let mut raw = [0u8; 32];
        rand::rng().fill_bytes(&mut raw);
        let secret = format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
        );
        let key = ApiKey {
            id: self.ids.new_id(),
            name: new.name.trim().to_string(),
            role: new.role,
            scopes: new.scopes,
            hint: secret[..PREFIX.len() + 6].to_string(),
            created_by: created_by.to_string(),
            created_at: now,
            expires_at: new.expires_at,
            last_used_at: None,
            revoked_at: None,
        };
        let mut attrs = attrs_of(&key)?;
        attrs.insert("tenant".into(), tenant.into());
        let item = Item::new(key_of(tenant, &key.id)?, attrs).with_gsi1(Key::new(
            API_KEY_BY_HASH.key([&hash(&secret)])?,
            API_KEY_BY_HASH_SORT.literal(),
        ));
        self.items.put(item, Condition::NotExists).await?;
        Ok((key, secret))
    }

    pub async fn list(&self, tenant: &str) -> PortResult<Vec<ApiKey>> {
        let query = Query::partition(GATEWAY.key([tenant])?).prefix(API_KEY.prefix([])?);
        query_all(self.items.as_ref(), query)
            .await?
            .iter()
            .map(Item::parse)
            .collect()
    }

    /// Revoke; `Ok(false)` when the tenant has no such key.
    pub async fn revoke(&self, tenant: &str, id: &str) -> PortResult<bool> {
        let update = Update::default().set("revoked_at", self.clock.now().to_rfc3339());
        // An id that cannot be a key segment names no key.
        let Ok(item_key) = key_of(tenant, id) else {
            return Ok(false);
        };
        match self
            .items
            .update(&item_key, update, Condition::Exists)
            .await
        {
            Ok(_) => Ok(true),
            Err(PortError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The principal a presented secret stands for, if it is a live key.
    pub async fn authenticate(&self, secret: &str) -> PortResult<Option<Principal>> {
        if !secret.starts_with(PREFIX) {
            return Ok(None);
        }
        let page = self
            .items
            .query(Query::gsi1(API_KEY_BY_HASH.key([&hash(secret)])?).limit(1))
            .await?;
        let Some(item) = page.items.into_iter().next() else {
            return Ok(None);
        };
        let key: ApiKey = item.parse()?;
        let now = self.clock.now();
        if key.revoked_at.is_some() || key.expires_at.is_some_and(|t| t <= now) {
            return Ok(None);
        }
        let Some(tenant) = item.get("tenant").and_then(|v| v.as_str()) else {
            return Err(PortError::Backend(format!(
                "API key {} has no tenant",
                key.id
            )));
        };
        if key
            .last_used_at
            .is_none_or(|t| now - t >= LAST_USED_PRECISION)
        {
            let update = Update::default().set("last_used_at", now.to_rfc3339());
            // Losing this race to a concurrent request or a revoke is harmless.
            if let Err(e) = self
                .items
                .update(&item.key, update, Condition::Exists)
                .await
            {
                tracing::warn!(error = %e, key = %key.id, "could not record API key use");
            }
        }
        Ok(Some(Principal {
            tenant: tenant.to_string(),
            subject: format!("apikey:{}", key.id),
            roles: vec![key.role],
            scopes: key.scopes,
        }))
    }
}
