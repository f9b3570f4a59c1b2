//! Connector credentials, outbound behaviour and the sentiment model for scans, from the
//! deployment's settings.

use super::MirrorHost;
use crate::sources::{HttpSettings, NEWSAPI_BASE, REDDIT_USER_AGENT, X_BASE};
use plasma_core::Llm;
use plasma_http::outbound::Egress;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct BrandSettings {
    /// NewsAPI key (`PLASMA_NEWSAPI_KEY`); `newsapi` sources fail their jobs without it.
    pub newsapi_key: Option<String>,
    /// X API v2 bearer token (`PLASMA_X_BEARER_TOKEN`); `x` sources fail without it.
    pub x_bearer: Option<String>,
    /// Where NewsAPI's key goes (`PLASMA_NEWSAPI_BASE_URL`, default the public API).
    pub newsapi_base: String,
    /// Where X's bearer token goes (`PLASMA_X_API_BASE_URL`, default the public API).
    pub x_base: String,
    /// Further hosts a `newsapi` or `x` source's `url` may name, and so receive the
    /// credential: the operator's proxies or mirrors (`PLASMA_CONNECTOR_MIRROR_HOSTS`).
    pub mirror_hosts: Vec<MirrorHost>,
    /// Instance for `mastodon` sources that name none.
    pub mastodon_instance: String,
    /// Reddit asks for a descriptive user agent with a contact.
    pub reddit_user_agent: String,
    /// Most Reddit pages one scan walks back through.
    pub reddit_max_pages: u32,
    /// Minimum time between two requests to one host, across all jobs of a process.
    pub politeness: Duration,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// The platform's model (Bedrock, `PLASMA_BEDROCK_MODEL_ID`) that tenants may choose for
    /// sentiment; `None` offers the built-in analyser only.
    pub llm: Option<Arc<dyn Llm>>,
}

impl Default for BrandSettings {
    fn default() -> Self {
        let http = HttpSettings::default();
        Self {
            newsapi_key: None,
            x_bearer: None,
            newsapi_base: NEWSAPI_BASE.into(),
            x_base: X_BASE.into(),
            mirror_hosts: Vec::new(),
            mastodon_instance: "https://mastodon.social".into(),
            reddit_user_agent: REDDIT_USER_AGENT.into(),
            reddit_max_pages: 3,
            politeness: http.min_interval,
            timeout: http.timeout,
            max_attempts: http.max_attempts,
            llm: None,
        }
    }
}

impl BrandSettings {
    pub(crate) fn http(&self, egress: Egress) -> HttpSettings {
        HttpSettings {
            egress,
            timeout: self.timeout,
            max_attempts: self.max_attempts,
            min_interval: self.politeness,
            ..HttpSettings::default()
        }
    }
}

/// Credentials stay out of logs.
impl fmt::Debug for BrandSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |s: &Option<String>| if s.is_some() { "<set>" } else { "<unset>" };
        f.debug_struct("BrandSettings")
            .field("newsapi_key", &set(&self.newsapi_key))
            .field("x_bearer", &set(&self.x_bearer))
            .field("newsapi_base", &self.newsapi_base)
            .field("x_base", &self.x_base)
            .field("mirror_hosts", &self.mirror_hosts)
            .field("mastodon_instance", &self.mastodon_instance)
            .field("reddit_user_agent", &self.reddit_user_agent)
            .field("reddit_max_pages", &self.reddit_max_pages)
            .field("politeness", &self.politeness)
            .field("timeout", &self.timeout)
            .field("max_attempts", &self.max_attempts)
            .field("llm", &self.llm.as_ref().map(|m| m.model()))
            .finish()
    }
}
