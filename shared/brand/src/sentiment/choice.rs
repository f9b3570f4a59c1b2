//! Each tenant's brand settings, one item per tenant (`T#{tenant}#BRAND` / `SETTINGS`). A
//! tenant that never saved any has the defaults.

use plasma_core::item::attrs_of;
use plasma_core::keys::{BRAND_SETTINGS, BRAND_SETTINGS_SORT};
use plasma_core::{Condition, Item, ItemStore, Key, PortResult};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SentimentChoice {
    /// plasma-sentiment's lexicon analyser: fast, free, deterministic.
    #[default]
    Builtin,
    /// The platform's Bedrock model; only offered when one is configured.
    Bedrock,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantSettings {
    /// Which analyser scores `POST /brand/sentiment` and scanned mentions.
    pub sentiment: SentimentChoice,
}

fn key(tenant: &str) -> PortResult<Key> {
    Ok(Key::new(
        BRAND_SETTINGS.key([tenant])?,
        BRAND_SETTINGS_SORT.literal(),
    ))
}

#[derive(Clone)]
pub struct TenantSettingsStore {
    items: Arc<dyn ItemStore>,
}

impl TenantSettingsStore {
    pub fn new(items: Arc<dyn ItemStore>) -> Self {
        Self { items }
    }

    pub async fn get(&self, tenant: &str) -> PortResult<TenantSettings> {
        match self.items.get(&key(tenant)?).await? {
            Some(item) => item.parse(),
            None => Ok(TenantSettings::default()),
        }
    }

    pub async fn put(&self, tenant: &str, settings: &TenantSettings) -> PortResult<()> {
        let item = Item::new(key(tenant)?, attrs_of(settings)?);
        self.items.put(item, Condition::None).await
    }
}
