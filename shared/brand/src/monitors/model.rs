//! The monitor record and what a client sends to create one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The connector a source uses. Unknown kinds fail deserialization, naming the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Rss,
    Newsapi,
    Hackernews,
    Reddit,
    Mastodon,
    X,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rss => "rss",
            Self::Newsapi => "newsapi",
            Self::Hackernews => "hackernews",
            Self::Reddit => "reddit",
            Self::Mastodon => "mastodon",
            Self::X => "x",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub kind: SourceKind,
    /// `rss`: the feed URL (required). `mastodon`: the instance (default from the
    /// deployment's settings). `hackernews`, `reddit`: the API base URL, for a proxy or
    /// mirror (default: the public API). `newsapi`, `x`: these carry the platform's
    /// credential, so only the configured API's host or a mirror host the operator listed
    /// (default: the configured API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMonitor {
    /// Display name; also the brand's name for targeted sentiment.
    pub name: String,
    /// Brand names and product names.
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Social handles, with or without the leading `@`.
    #[serde(default)]
    pub handles: Vec<String>,
    /// Hashtags, with or without the leading `#`.
    #[serde(default)]
    pub hashtags: Vec<String>,
    /// Ids of this tenant's monitors for competing brands (share of voice, targeted
    /// sentiment).
    #[serde(default)]
    pub competitors: Vec<String>,
    /// BCP 47 languages to keep; empty keeps all. Mentions of unknown language are kept.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Boolean include query; built from names, aliases, handles and hashtags when omitted.
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub exclusions: Vec<String>,
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Monitor {
    pub id: String,
    pub name: String,
    pub names: Vec<String>,
    pub aliases: Vec<String>,
    /// Normalised without the leading `@`.
    pub handles: Vec<String>,
    /// Normalised without the leading `#`.
    pub hashtags: Vec<String>,
    pub competitors: Vec<String>,
    pub languages: Vec<String>,
    /// The include query as given, or as built from the brand terms.
    pub query: String,
    pub exclusions: Vec<String>,
    pub sources: Vec<SourceConfig>,
    pub created_at: DateTime<Utc>,
    pub version: u64,
}

impl Monitor {
    /// The words that name this brand in a text, for targeted sentiment.
    pub fn brand_names(&self) -> Vec<&str> {
        let mut names = vec![self.name.as_str()];
        for n in self.names.iter().chain(&self.aliases) {
            if !names.iter().any(|have| have.eq_ignore_ascii_case(n)) {
                names.push(n);
            }
        }
        names
    }

    /// Whether a mention in `language` (when known) is one this monitor wants.
    pub fn wants_language(&self, language: Option<&str>) -> bool {
        match language {
            Some(lang) if !self.languages.is_empty() => self.languages.iter().any(|want| {
                // `en` wants `en-GB` too: compare the primary subtag when only it is given.
                let primary = lang.split(['-', '_']).next().unwrap_or(lang);
                want.eq_ignore_ascii_case(lang) || want.eq_ignore_ascii_case(primary)
            }),
            _ => true,
        }
    }
}
