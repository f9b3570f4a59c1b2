//! A connector for each source configuration, and what to ask it for.

use super::BrandSettings;
use crate::monitors::{Monitor, SourceConfig, SourceKind};
use crate::query::Query;
use crate::sources::{
    FeedSource, HACKERNEWS_BASE, HackerNewsSource, MastodonSource, NewsApiSource, REDDIT_BASE,
    RedditSource, Source, SourceError, SourceHttp, XSource,
};

pub(crate) fn connector(
    config: &SourceConfig,
    settings: &BrandSettings,
    http: &SourceHttp,
) -> Result<Box<dyn Source>, SourceError> {
    let http = http.clone();
    let base = |default: &str| config.url.clone().unwrap_or_else(|| default.to_string());
    // The operator's credential goes to the configured API, or to the source's `url` only
    // where the operator allows it: checked again here for monitors stored before the rule.
    let credentialed_base = |api: &str| match &config.url {
        Some(url) => settings
            .check_source_url(config.kind, url)
            .map(|()| url.clone())
            .map_err(SourceError::Config),
        None => Ok(api.to_string()),
    };
    let secret = |value: &Option<String>, var: &str| {
        value
            .clone()
            .ok_or_else(|| SourceError::Config(format!("{var} is not configured")))
    };
    Ok(match config.kind {
        SourceKind::Rss => {
            let url = config
                .url
                .clone()
                .ok_or_else(|| SourceError::Config("an rss source needs a URL".into()))?;
            Box::new(FeedSource::new(http, url))
        }
        SourceKind::Newsapi => Box::new(NewsApiSource::new(
            http,
            credentialed_base(&settings.newsapi_base)?,
            secret(&settings.newsapi_key, "PLASMA_NEWSAPI_KEY")?,
        )),
        SourceKind::Hackernews => Box::new(HackerNewsSource::new(http, base(HACKERNEWS_BASE))),
        SourceKind::Reddit => Box::new(RedditSource::new(
            http,
            base(REDDIT_BASE),
            settings.reddit_user_agent.clone(),
            settings.reddit_max_pages,
        )),
        SourceKind::Mastodon => {
            Box::new(MastodonSource::new(http, base(&settings.mastodon_instance)))
        }
        SourceKind::X => Box::new(XSource::new(
            http,
            credentialed_base(&settings.x_base)?,
            secret(&settings.x_bearer, "PLASMA_X_BEARER_TOKEN")?,
        )),
    })
}

/// The search text for `kind`: Mastodon follows one hashtag (the monitor's first, else its
/// name squeezed into one); the search APIs take the query's terms OR-ed.
pub(crate) fn search_text(kind: SourceKind, monitor: &Monitor, query: &Query) -> String {
    match kind {
        SourceKind::Mastodon => monitor.hashtags.first().cloned().unwrap_or_else(|| {
            monitor
                .name
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect()
        }),
        _ => query.to_search_string(),
    }
}
