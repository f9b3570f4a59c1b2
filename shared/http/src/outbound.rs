//! Outbound HTTP for everything that calls out (webhooks, identity providers' JWKS, source
//! connectors, workflow tools): one client builder with timeouts, TLS, and a guard against
//! server-side request forgery. The guard checks the addresses a host *resolves to*, inside
//! the client's DNS resolver, so a name that later re-resolves to an internal address
//! (DNS rebinding) is still refused; IP-literal URLs are checked before sending.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Once};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Egress {
    /// Allow loopback, private, link-local and other non-public addresses. Off in production;
    /// tests and local development against local services turn it on.
    pub allow_private: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    #[error("URL {0:?} is not a valid http(s) URL")]
    BadUrl(String),
    #[error("{0} is not a public address and private egress is not allowed")]
    Forbidden(String),
}

/// A client with connect/overall timeouts and the egress guard in its resolver.
pub fn client(egress: Egress, timeout: Duration) -> reqwest::Client {
    install_crypto_provider();
    reqwest::Client::builder()
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .dns_resolver(Arc::new(GuardedResolver { egress }))
        .user_agent(concat!("plasma-engine/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("a client from static settings builds")
}

/// Check a URL before sending: scheme, host, and IP literals (which skip the resolver).
pub fn check_url(egress: Egress, raw: &str) -> Result<url::Url, OutboundError> {
    let url = url::Url::parse(raw).map_err(|_| OutboundError::BadUrl(raw.into()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(OutboundError::BadUrl(raw.into()));
    }
    match url.host() {
        None => Err(OutboundError::BadUrl(raw.into())),
        Some(url::Host::Ipv4(ip)) => check_ip(egress, IpAddr::V4(ip)).map(|_| url.clone()),
        Some(url::Host::Ipv6(ip)) => check_ip(egress, IpAddr::V6(ip)).map(|_| url.clone()),
        Some(url::Host::Domain(d))
            if !egress.allow_private && (d == "localhost" || d.ends_with(".localhost")) =>
        {
            Err(OutboundError::Forbidden(d.into()))
        }
        Some(url::Host::Domain(_)) => Ok(url),
    }
}

fn check_ip(egress: Egress, ip: IpAddr) -> Result<(), OutboundError> {
    if egress.allow_private || is_public(ip) {
        Ok(())
    } else {
        Err(OutboundError::Forbidden(ip.to_string()))
    }
}

/// Globally routable unicast addresses only.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
                || (a == 198 && (b == 18 || b == 19)) // benchmarking
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link local
                || first == 0x2001 && v6.segments()[1] == 0x0db8) // documentation
        }
    }
}

struct GuardedResolver {
    egress: Egress,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let egress = self.egress;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = addrs
                .into_iter()
                .filter(|a| check_ip(egress, a.ip()).is_ok())
                .collect();
            if allowed.is_empty() {
                return Err(Box::new(OutboundError::Forbidden(host))
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// reqwest is built without a bundled crypto provider; use the aws-lc one the AWS SDK
/// already links rather than compiling a second TLS stack. Any process that builds a reqwest
/// client some other way than [`client`] (tests) calls this first.
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_refused_unless_allowed() {
        let strict = Egress::default();
        for bad in [
            "http://127.0.0.1/x",
            "http://10.1.2.3/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost:8080/",
            "http://[fd00::1]/",
            "http://[::ffff:192.168.0.1]/",
            "http://100.64.0.1/",
        ] {
            assert!(
                matches!(check_url(strict, bad), Err(OutboundError::Forbidden(_))),
                "{bad}"
            );
        }
        assert!(check_url(strict, "https://93.184.215.14/").is_ok());
        assert!(check_url(strict, "https://example.com/hook").is_ok());
        assert!(matches!(
            check_url(strict, "file:///etc/passwd"),
            Err(OutboundError::BadUrl(_))
        ));
        assert!(
            check_url(
                Egress {
                    allow_private: true
                },
                "http://127.0.0.1:9/"
            )
            .is_ok()
        );
    }

    #[tokio::test]
    async fn the_resolver_refuses_names_that_resolve_privately() {
        let client = client(Egress::default(), Duration::from_secs(2));
        let err = client.get("http://localhost:9/").send().await.unwrap_err();
        assert!(
            format!("{err:?}").contains("Forbidden(\"localhost\")"),
            "{err:?}"
        );
    }
}
