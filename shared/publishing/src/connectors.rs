//! One connector per channel, built from deployment settings.

use crate::http::Http;
use crate::linkedin::LinkedIn;
use crate::mastodon::Mastodon;
use crate::medium::Medium;
use crate::publisher::Publisher;
use crate::webhook::Webhook;
use crate::wordpress::WordPress;
use crate::x::X;
use plasma_http::outbound::Egress;
use std::sync::Arc;
use std::time::Duration;

/// How connectors reach the platforms. The API hosts are settings so tests (and sandboxes)
/// can point them elsewhere; sites, instances and webhook URLs come with each account's
/// credentials.
#[derive(Debug, Clone)]
pub struct ConnectorSettings {
    /// Per request, connecting and reading the answer included. A create that runs past it
    /// is `Ambiguous`.
    pub timeout: Duration,
    pub egress: Egress,
    pub linkedin_api: String,
    /// The `LinkedIn-Version` header (YYYYMM); LinkedIn retires versions after about a year.
    pub linkedin_version: String,
    pub x_api: String,
    pub medium_api: String,
}

impl Default for ConnectorSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            egress: Egress::default(),
            linkedin_api: "https://api.linkedin.com".into(),
            linkedin_version: "202501".into(),
            x_api: "https://api.x.com".into(),
            medium_api: "https://api.medium.com".into(),
        }
    }
}

#[derive(Clone)]
pub struct Connectors {
    all: Vec<Arc<dyn Publisher>>,
}

impl Connectors {
    pub const CHANNELS: [&str; 6] = [
        "webhook",
        "wordpress",
        "linkedin",
        "x",
        "mastodon",
        "medium",
    ];

    pub fn new(settings: ConnectorSettings) -> Self {
        let http = Http::new(settings.egress, settings.timeout);
        Self {
            all: vec![
                Arc::new(Webhook::new(http.clone())),
                Arc::new(WordPress::new(http.clone())),
                Arc::new(LinkedIn::new(
                    http.clone(),
                    settings.linkedin_api,
                    settings.linkedin_version,
                )),
                Arc::new(X::new(http.clone(), settings.x_api)),
                Arc::new(Mastodon::new(http.clone())),
                Arc::new(Medium::new(http, settings.medium_api)),
            ],
        }
    }

    /// The connector for a channel name from [`Self::CHANNELS`].
    pub fn get(&self, channel: &str) -> Option<Arc<dyn Publisher>> {
        self.all.iter().find(|c| c.channel() == channel).cloned()
    }
}
