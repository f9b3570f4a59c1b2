//! Outbound HTTP for everything that calls out (webhooks, identity providers' JWKS, source
//! connectors, workflow tools): one client builder with timeouts, TLS, and a guard against
//! server-side request forgery. The guard checks the addresses a host *resolves to*, inside
//! the client's DNS resolver, so a name that later re-resolves to an internal address
//! (DNS rebinding) is still refused; IP-literal URLs are checked before sending.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
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

/// Globally routable unicast addresses only. IPv6 forms that carry an IPv4 address (mapped,
/// IPv4-compatible, NAT64, 6to4) are judged by that address, since a gateway on the way turns
/// them into it; outside those, only global unicast (`2000::/3`) counts, less the special
/// blocks inside it.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0 // "this network"
                || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
                || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
                || (a == 198 && (b == 18 || b == 19)) // benchmarking
                || a >= 240) // reserved
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = embedded_ipv4(v6) {
                return is_public(IpAddr::V4(v4));
            }
            let [first, second, ..] = v6.segments();
            (first & 0xe000) == 0x2000 // global unicast
                && !(first == 0x2001 && second < 0x0200) // IETF protocol assignments, Teredo
                && !(first == 0x2001 && second == 0x0db8) // documentation
                && first != 0x3fff // documentation (RFC 9637)
        }
    }
}

/// The IPv4 address inside an IPv6 one that stands for it: `::ffff:a.b.c.d` (mapped),
/// `::a.b.c.d` (IPv4-compatible, deprecated but still routed by some stacks),
/// `64:ff9b::a.b.c.d` (NAT64), `64:ff9b:1::/48` (local NAT64, any embedding) and
/// `2002:AABB:CCDD::/48` (6to4).
fn embedded_ipv4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        [0, 0, 0, 0, 0, 0xffff, ..] | [0x64, 0xff9b, 0, 0, 0, 0, ..] => Some(tail),
        // `::` and `::1` are themselves, not IPv4-compatible forms of 0.0.0.0 and 0.0.0.1;
        // both come out non-public either way.
        [0, 0, 0, 0, 0, 0, ..] => Some(tail),
        // Local-use NAT64 prefixes may put the IPv4 address anywhere; they are never public.
        [0x64, 0xff9b, 1, ..] => Some(Ipv4Addr::UNSPECIFIED),
        [0x2002, high, low, ..] => Some(Ipv4Addr::new(
            (high >> 8) as u8,
            high as u8,
            (low >> 8) as u8,
            low as u8,
        )),
        _ => None,
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
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let allowed = allowed(egress, &host, addrs)
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// The addresses a name resolved to that the client may connect to; none is an error
/// naming the host.
fn allowed(
    egress: Egress,
    host: &str,
    addrs: impl IntoIterator<Item = SocketAddr>,
) -> Result<Vec<SocketAddr>, OutboundError> {
    let allowed: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|a| check_ip(egress, a.ip()).is_ok())
        .collect();
    if allowed.is_empty() {
        return Err(OutboundError::Forbidden(host.into()));
    }
    Ok(allowed)
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

    /// Addresses no outbound call may reach, one or more per special-purpose block.
    const FORBIDDEN: &[&str] = &[
        "0.0.0.0",
        "0.1.2.3",
        "10.0.0.1",
        "100.64.0.1",
        "100.127.255.254",
        "127.0.0.1",
        "169.254.169.254",
        "172.16.0.1",
        "192.0.0.1",
        "192.0.0.170",
        "192.0.2.1",
        "192.168.1.1",
        "198.18.0.1",
        "198.19.255.255",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "::10.0.0.1",
        "::a9fe:a9fe",
        "64:ff9b::7f00:1",
        "64:ff9b::a00:1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::5db8:d70e",
        "2002:7f00:1::",
        "2002:a00:1::1",
        "2002:a9fe:a9fe::1",
        "2001::1",
        "2001:db8::1",
        "3fff::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "fec0::1",
        "ff02::1",
        "ff05::2",
        "100::1",
    ];

    /// Their public counterparts, which must still work.
    const PUBLIC: &[&str] = &[
        "93.184.215.14",
        "8.8.8.8",
        "100.128.0.1",
        "192.0.1.1",
        "198.20.0.1",
        "::ffff:93.184.215.14",
        "64:ff9b::5db8:d70e",
        "2002:5db8:d70e::1",
        "2606:2800:220:1:248:1893:25c8:1946",
        "2a00:1450:4001:80b::200e",
    ];

    fn literal(ip: &str) -> String {
        match ip.parse::<IpAddr>().unwrap() {
            IpAddr::V4(_) => format!("http://{ip}/x"),
            IpAddr::V6(_) => format!("http://[{ip}]/x"),
        }
    }

    #[test]
    fn every_special_purpose_block_is_refused_as_a_url_literal() {
        let strict = Egress::default();
        for ip in FORBIDDEN {
            assert!(
                matches!(
                    check_url(strict, &literal(ip)),
                    Err(OutboundError::Forbidden(_))
                ),
                "{ip} is not public"
            );
        }
        for ip in PUBLIC {
            assert!(check_url(strict, &literal(ip)).is_ok(), "{ip} is public");
        }
    }

    #[test]
    fn every_special_purpose_block_is_refused_when_a_name_resolves_to_it() {
        let strict = Egress::default();
        for ip in FORBIDDEN {
            let addr = SocketAddr::new(ip.parse().unwrap(), 443);
            assert!(
                matches!(
                    allowed(strict, "rebound.example", [addr]),
                    Err(OutboundError::Forbidden(host)) if host == "rebound.example"
                ),
                "{ip} is not public"
            );
        }
        // A name with public and private addresses keeps only the public ones.
        let public: SocketAddr = "[64:ff9b::5db8:d70e]:443".parse().unwrap();
        let private: SocketAddr = "[64:ff9b::7f00:1]:443".parse().unwrap();
        assert_eq!(
            allowed(strict, "mixed.example", [private, public]).unwrap(),
            [public]
        );
        let open = Egress {
            allow_private: true,
        };
        assert_eq!(
            allowed(open, "local.example", [private]).unwrap(),
            [private]
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
