//! The names the runner answers to. A web page can rebind its own DNS name to 127.0.0.1 and
//! then call the runner as a same-origin page, reading every response; the browser still
//! sends the page's name in `Host`. So every route (API, dashboard, uploads, `/mcp`,
//! `/health`) refuses a `Host` other than the loopback names, the listen address, the
//! configured public URL's host and the operator's list, with `421 host_not_allowed`.
//!
//! The guard belongs to the runner's HTTP server alone: deployed, API Gateway only routes
//! requests for its own domain names to the functions, so a rebound name never reaches them.

use axum::extract::{Request, State};
use axum::http::uri::Authority;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use plasma_http::Problem;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Arc;

/// `name` or `name:port` entries; a name alone allows any port.
pub const ALLOWED_HOSTS_VAR: &str = "PLASMA_ALLOWED_HOSTS";

/// The loopback names, on any port: a rebinding page cannot make a browser send these.
const LOOPBACK: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    host: url::Host<String>,
    port: Option<u16>,
}

impl Entry {
    fn parse(value: &str) -> Option<Self> {
        // An authority may carry user info; a `Host` value never does.
        if value.contains('@') {
            return None;
        }
        let authority = Authority::from_str(value.trim()).ok()?;
        // `Authority` drops a port that is not a number; no such `Host` is ours.
        let after_host = &authority.as_str()[authority.host().len()..];
        if !after_host.is_empty() && authority.port_u16().is_none() {
            return None;
        }
        Some(Self {
            host: url::Host::parse(authority.host()).ok()?,
            port: authority.port_u16(),
        })
    }

    fn is_loopback(&self) -> bool {
        match &self.host {
            url::Host::Domain(name) => name == "localhost",
            url::Host::Ipv4(ip) => ip.is_loopback(),
            url::Host::Ipv6(ip) => ip.is_loopback(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct AllowedHosts {
    loopback: Vec<Entry>,
    /// The listen address, the public URL's host and the operator's list.
    others: Vec<Entry>,
}

impl AllowedHosts {
    /// The loopback names, the listen IP (an IP literal cannot be rebound) and `names`
    /// (`name` or `name:port`); an entry that is not a host is an error naming it.
    pub fn new(listen: IpAddr, names: &[String]) -> Result<Self, String> {
        let mut others = names
            .iter()
            .map(|name| {
                Entry::parse(name).ok_or_else(|| format!("{name:?} is not a host or host:port"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        others.push(Entry {
            host: match listen {
                IpAddr::V4(ip) => url::Host::Ipv4(ip),
                IpAddr::V6(ip) => url::Host::Ipv6(ip),
            },
            port: None,
        });
        let loopback = LOOPBACK
            .iter()
            .filter_map(|name| Entry::parse(name))
            .collect();
        Ok(Self { loopback, others })
    }

    /// Only loopback names and a loopback listen address: no other machine reaches this
    /// runner, not even through a reverse proxy given one of the allowed names. (The
    /// listen address is among `others`, so `0.0.0.0` or a LAN address is not local.)
    pub fn local_only(&self) -> bool {
        self.others.iter().all(Entry::is_loopback)
    }

    /// Whether a request whose `Host` is `value` is for this runner.
    pub fn allows(&self, value: &str) -> bool {
        let Some(asked) = Entry::parse(value) else {
            return false;
        };
        self.loopback.iter().chain(&self.others).any(|allowed| {
            allowed.host == asked.host
                && allowed
                    .port
                    .is_none_or(|port| asked.port.unwrap_or(80) == port)
        })
    }
}

/// The middleware: `Host` (or, over HTTP/2, the URI's authority) must be an allowed name.
pub async fn guard(
    State(hosts): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let asked = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_owned()));
    match asked {
        Some(host) if hosts.allows(&host) => next.run(request).await,
        asked => Problem::new(
            StatusCode::MISDIRECTED_REQUEST,
            "host_not_allowed",
            "Host not allowed",
        )
        .detail(format!(
            "this runner does not answer to the host {:?}; its operator can allow a name with {ALLOWED_HOSTS_VAR}",
            asked.unwrap_or_default()
        ))
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_the_listen_address_and_listed_names_only() {
        let hosts = AllowedHosts::new(
            "192.168.1.5".parse().unwrap(),
            &["plasma.example.com".into(), "Dash.Example:8443".into()],
        )
        .unwrap();
        for ok in [
            "localhost",
            "localhost:3000",
            "LOCALHOST:1",
            "127.0.0.1:3000",
            "[::1]:3000",
            "192.168.1.5:3000",
            "plasma.example.com",
            "plasma.example.com:443",
            "dash.example:8443",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for refused in [
            "attacker.example",
            "attacker.example:3000",
            "localhost.attacker.example",
            "127.0.0.1.nip.io:3000",
            "dash.example",
            "dash.example:8444",
            "user@localhost",
            "localhost:http",
            "",
        ] {
            assert!(!hosts.allows(refused), "{refused}");
        }
        assert!(!hosts.local_only());
        assert!(
            AllowedHosts::new("127.0.0.1".parse().unwrap(), &["localhost:8080".into()])
                .unwrap()
                .local_only()
        );
        assert!(
            !AllowedHosts::new("0.0.0.0".parse().unwrap(), &[])
                .unwrap()
                .local_only()
        );
        assert!(AllowedHosts::new("::1".parse().unwrap(), &["https://x".into()]).is_err());
    }
}
