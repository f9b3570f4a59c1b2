//! Where the operator's connector credentials may go. NewsAPI's key and X's bearer token
//! belong to the platform and serve every tenant, so a source of those kinds calls only the
//! API the operator configured or a mirror the operator listed: a tenant-supplied `url`
//! anywhere else would hand the credential to whoever runs that host. Monitors are checked
//! when created, and every scan checks again (monitors stored before this rule, or settings
//! changed since).

use super::BrandSettings;
use crate::monitors::SourceKind;
use axum::http::uri::Authority;
use std::str::FromStr;

/// A host the operator trusts with the connector credentials (a proxy or mirror of the
/// API), from `PLASMA_CONNECTOR_MIRROR_HOSTS`: `host` (the URL scheme's default port) or
/// `host:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorHost {
    host: url::Host<String>,
    port: Option<u16>,
}

impl FromStr for MirrorHost {
    type Err = String;

    fn from_str(entry: &str) -> Result<Self, String> {
        let entry = entry.trim();
        let malformed = || format!("{entry:?} is not a host or host:port");
        // An authority may carry user info; a mirror entry is only a host and a port.
        if entry.contains('@') {
            return Err(malformed());
        }
        let authority = Authority::from_str(entry).map_err(|_| malformed())?;
        // `Authority` drops a port that is not a number; such an entry is malformed.
        let after_host = &authority.as_str()[authority.host().len()..];
        if !after_host.is_empty() && authority.port_u16().is_none() {
            return Err(malformed());
        }
        let host = url::Host::parse(authority.host()).map_err(|_| malformed())?;
        Ok(Self {
            host,
            port: authority.port_u16(),
        })
    }
}

impl MirrorHost {
    fn matches(&self, url: &url::Url) -> bool {
        let port_matches = match self.port {
            Some(port) => url.port_or_known_default() == Some(port),
            // `Url::port` is `None` for the scheme's default port.
            None => url.port().is_none(),
        };
        url.host().map(|h| h.to_owned()).as_ref() == Some(&self.host) && port_matches
    }
}

/// `PLASMA_CONNECTOR_MIRROR_HOSTS`: comma-separated, blanks ignored.
pub fn parse_mirror_hosts(list: &str) -> Result<Vec<MirrorHost>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(MirrorHost::from_str)
        .collect()
}

/// A configured API base URL (`PLASMA_NEWSAPI_BASE_URL`, `PLASMA_X_API_BASE_URL`): http(s)
/// with a host, and no query or fragment, since paths are appended to it.
pub fn check_api_base(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("{raw:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host().is_none()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(format!(
            "{raw:?} is not an http(s) base URL without query or fragment"
        ));
    }
    Ok(raw.to_string())
}

impl BrandSettings {
    /// The API base a kind's operator credential belongs to; `None` for kinds that carry
    /// no operator credential (their `url` is only held to the egress guard).
    pub(crate) fn credentialed_api(&self, kind: SourceKind) -> Option<&str> {
        match kind {
            SourceKind::Newsapi => Some(&self.newsapi_base),
            SourceKind::X => Some(&self.x_base),
            SourceKind::Rss
            | SourceKind::Hackernews
            | SourceKind::Reddit
            | SourceKind::Mastodon => None,
        }
    }

    /// Whether a source of `kind` may call `url`: always for kinds without an operator
    /// credential; otherwise only on the configured API's origin or a listed mirror host.
    /// The error is the reason, for the client (at create) or the job's outcome (at scan).
    pub fn check_source_url(&self, kind: SourceKind, url: &str) -> Result<(), String> {
        let Some(api) = self.credentialed_api(kind) else {
            return Ok(());
        };
        let refused = || {
            format!(
                "a {} source's url must name the platform's configured {} API host or a mirror \
                 the operator listed (PLASMA_CONNECTOR_MIRROR_HOSTS), because the platform's \
                 credential is sent to it",
                kind.as_str(),
                kind.as_str()
            )
        };
        let url = url::Url::parse(url).map_err(|_| refused())?;
        let same_origin = url::Url::parse(api).is_ok_and(|api| {
            api.scheme() == url.scheme()
                && api.host() == url.host()
                && api.port_or_known_default() == url.port_or_known_default()
        });
        if same_origin || self.mirror_hosts.iter().any(|m| m.matches(&url)) {
            Ok(())
        } else {
            Err(refused())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(mirrors: &str) -> BrandSettings {
        BrandSettings {
            mirror_hosts: parse_mirror_hosts(mirrors).unwrap(),
            ..BrandSettings::default()
        }
    }

    #[test]
    fn credentialed_kinds_call_only_their_api_or_a_listed_mirror() {
        let s = settings("news-proxy.internal.example, 127.0.0.1:8443, [::1]:9000");
        let ok = |kind, url: &str| s.check_source_url(kind, url).is_ok();
        assert!(ok(SourceKind::Newsapi, "https://newsapi.org"));
        assert!(ok(SourceKind::Newsapi, "https://NEWSAPI.org:443/v2"));
        assert!(ok(SourceKind::X, "https://api.x.com/"));
        assert!(ok(SourceKind::X, "https://news-proxy.internal.example"));
        assert!(ok(SourceKind::X, "http://127.0.0.1:8443"));
        assert!(ok(SourceKind::Newsapi, "http://[::1]:9000/x"));
        for refused in [
            "https://attacker.example",
            "http://newsapi.org",
            "https://newsapi.org:8443",
            "https://newsapi.org.attacker.example",
            "https://news-proxy.internal.example:444",
            "http://127.0.0.1:8444",
            "https://user@attacker.example",
            "not a url",
        ] {
            assert!(!ok(SourceKind::Newsapi, refused), "{refused}");
        }
        assert!(!ok(SourceKind::X, "https://newsapi.org"), "the other API");
        // Kinds without an operator credential are only held to the egress guard.
        assert!(ok(SourceKind::Rss, "https://attacker.example/feed.xml"));
        assert!(ok(SourceKind::Mastodon, "https://attacker.example"));
    }

    #[test]
    fn mirror_entries_are_hosts_with_an_optional_port() {
        for bad in [
            "https://mirror.example",
            "user@mirror.example",
            "mirror.example/x",
            "a:b",
        ] {
            assert!(parse_mirror_hosts(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_mirror_hosts(" , ").unwrap(), Vec::new());
        assert!(check_api_base("https://newsapi.org").is_ok());
        for bad in [
            "ftp://newsapi.org",
            "https://newsapi.org?key=1",
            "newsapi.org",
        ] {
            assert!(check_api_base(bad).is_err(), "{bad}");
        }
    }
}
