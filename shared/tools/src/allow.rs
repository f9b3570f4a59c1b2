//! Which hosts an agent may send requests to. Workflow inputs are often built from model
//! output or user content, so the default is deny: an empty list allows no host.

/// Host patterns: `api.example.com` (that host only), `*.example.com` (any subdomain, not
/// `example.com` itself) or `*` (any host; the SSRF guard still refuses private addresses).
/// Ports are not part of a pattern. Matching ignores case and a trailing dot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostAllowlist {
    patterns: Vec<String>,
}

impl HostAllowlist {
    pub fn new<S: AsRef<str>>(patterns: impl IntoIterator<Item = S>) -> Self {
        Self {
            patterns: patterns
                .into_iter()
                .map(|p| normalize(p.as_ref()))
                .filter(|p| !p.is_empty())
                .collect(),
        }
    }

    pub fn allows(&self, host: &str) -> bool {
        let host = normalize(host);
        self.patterns.iter().any(|pattern| {
            if pattern == "*" {
                return true;
            }
            match pattern.strip_prefix("*.") {
                Some(domain) => host
                    .strip_suffix(domain)
                    .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
                None => *pattern == host,
            }
        })
    }

    /// The host of a parsed URL, or a refusal naming it.
    pub fn check(&self, url: &url::Url) -> Result<(), String> {
        let host = url.host_str().unwrap_or_default();
        if self.allows(host) {
            Ok(())
        } else if self.patterns.is_empty() {
            Err(format!(
                "{host} is not allowed: no hosts are allowed (set PLASMA_AGENT_HTTP_ALLOW)"
            ))
        } else {
            Err(format!(
                "{host} is not on the host allowlist (PLASMA_AGENT_HTTP_ALLOW)"
            ))
        }
    }
}

/// IPv6 hosts come bracketed from URLs; patterns may be written either way.
fn normalize(host: &str) -> String {
    host.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_exact_hosts_and_subdomains() {
        let allow = HostAllowlist::new(["api.example.com", "*.Hooks.dev", " ", "[::1]"]);
        assert!(allow.allows("api.example.com"));
        assert!(allow.allows("API.example.com."));
        assert!(!allow.allows("example.com"));
        assert!(!allow.allows("evilapi.example.com"));
        assert!(allow.allows("a.hooks.dev"));
        assert!(allow.allows("a.b.hooks.dev"));
        assert!(!allow.allows("hooks.dev"));
        assert!(!allow.allows("evilhooks.dev"));
        assert!(allow.allows("[::1]"));
        assert!(allow.allows("::1"));
    }

    #[test]
    fn empty_allows_nothing_and_star_allows_everything() {
        assert!(!HostAllowlist::new(Vec::<String>::new()).allows("example.com"));
        assert!(!HostAllowlist::new([""]).allows(""));
        assert!(HostAllowlist::new(["*"]).allows("anything.example"));
    }
}
