//! Canonical URLs, so the same article reached through a campaign link, a share button or a
//! different anchor gets one mention id.

use sha2::{Digest, Sha256};

/// Query parameters that only track where a click came from.
fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_")
        || matches!(
            name.as_str(),
            "fbclid" | "gclid" | "dclid" | "msclkid" | "mc_cid" | "mc_eid" | "igshid" | "yclid"
        )
}

/// The URL with scheme and host lowercased (the parser does that and drops default ports),
/// no fragment, and no tracking parameters. `None` when it is not an absolute http(s) URL.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| !is_tracking(name))
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Some(url.into())
}

/// A mention id derived from the canonical URL: `url:` and 32 hex digits of its SHA-256.
pub fn url_id(canonical: &str) -> String {
    let digest = Sha256::digest(canonical.as_bytes());
    format!("url:{}", hex::encode(&digest[..16]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_fragments_and_case_do_not_change_the_id() {
        let plain = canonical_url("https://example.com/a/b?id=3").unwrap();
        assert_eq!(plain, "https://example.com/a/b?id=3");
        for variant in [
            "HTTPS://Example.COM/a/b?id=3",
            "https://example.com:443/a/b?id=3#comments",
            "https://example.com/a/b?utm_source=x&id=3&fbclid=abc&gclid=1",
            " https://example.com/a/b?id=3&UTM_Campaign=y ",
        ] {
            assert_eq!(
                canonical_url(variant).as_deref(),
                Some(plain.as_str()),
                "{variant}"
            );
        }
        assert_eq!(
            canonical_url("https://example.com/x?utm_medium=rss").unwrap(),
            "https://example.com/x"
        );
        // Paths are case-sensitive on most servers.
        assert_ne!(
            canonical_url("https://example.com/A"),
            canonical_url("https://example.com/a")
        );
        assert_eq!(
            url_id(&plain),
            url_id(&canonical_url(" HTTPS://EXAMPLE.com/a/b?id=3").unwrap())
        );
        assert!(url_id(&plain).starts_with("url:") && url_id(&plain).len() == 36);
    }

    #[test]
    fn non_web_urls_have_no_canonical_form() {
        for bad in [
            "mailto:a@b.c",
            "javascript:alert(1)",
            "/relative",
            "",
            "ftp://x/y",
        ] {
            assert_eq!(canonical_url(bad), None, "{bad}");
        }
    }
}
