//! The egress check for requests a page makes. Chromium resolves names itself, so unlike
//! the HTTP client's guarded resolver this resolves the host separately before letting the
//! request go: a name that re-resolves between the two lookups (DNS rebinding with a very
//! short TTL) is not caught. WebSocket connections opened by page scripts are not paused
//! by the Fetch domain and are not checked.

use plasma_http::outbound::{Egress, is_public};
use std::net::IpAddr;

pub(crate) async fn check(egress: Egress, raw: &str) -> Result<(), String> {
    if egress.allow_private {
        return Ok(());
    }
    let url = url::Url::parse(raw).map_err(|_| format!("{raw} is not a valid URL"))?;
    match url.scheme() {
        "http" | "https" | "ws" | "wss" => {}
        // Content that is already in the page; no request leaves the machine.
        "data" | "blob" | "about" => return Ok(()),
        other => return Err(format!("{other}: URLs are not allowed")),
    }
    let refuse = |host: &str| Err(format!("{host} is not a public address"));
    match url.host() {
        None => Err(format!("{raw} has no host")),
        Some(url::Host::Ipv4(ip)) if !is_public(IpAddr::V4(ip)) => refuse(&ip.to_string()),
        Some(url::Host::Ipv6(ip)) if !is_public(IpAddr::V6(ip)) => refuse(&ip.to_string()),
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => Ok(()),
        Some(url::Host::Domain(domain)) => {
            let domain = domain.to_ascii_lowercase();
            if domain == "localhost" || domain.ends_with(".localhost") {
                return refuse(&domain);
            }
            let port = url.port_or_known_default().unwrap_or(443);
            let addrs: Vec<_> = tokio::net::lookup_host((domain.as_str(), port))
                .await
                .map_err(|e| format!("resolving {domain} failed: {e}"))?
                .collect();
            // Chromium may pick any of the addresses, so every one must be public.
            if addrs.is_empty() || addrs.iter().any(|a| !is_public(a.ip())) {
                return refuse(&domain);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn private_and_odd_destinations_are_refused() {
        let strict = Egress::default();
        for bad in [
            "http://127.0.0.1:8080/",
            "http://169.254.169.254/latest/meta-data/",
            "https://[::1]/",
            "http://localhost/",
            "http://api.localhost/",
            "ws://10.0.0.1/socket",
            "file:///etc/passwd",
            "chrome://settings",
        ] {
            assert!(check(strict, bad).await.is_err(), "{bad}");
        }
        for good in [
            "https://93.184.215.14/",
            "data:text/plain,hi",
            "about:blank",
        ] {
            assert_eq!(check(strict, good).await, Ok(()), "{good}");
        }
        let open = Egress {
            allow_private: true,
        };
        assert_eq!(check(open, "http://127.0.0.1/").await, Ok(()));
    }
}
