//! Deployed sign-in: the OpenID Connect authorization-code flow with PKCE (S256) against the
//! configured issuer (Cognito's hosted UI, Auth0, Clerk, ...). The issuer's endpoints come
//! from its discovery document; the token the API is given is the ID token (its audience is
//! this client), which the gateway verifies like any bearer token from a configured issuer.

use crate::session::{self, cookie};
use crate::{Web, csrf, layout};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use plasma_http::outbound::{self, Egress};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::time::Duration;
use tokio::sync::OnceCell;

const FLOW_COOKIE: &str = "plasma_oidc";
/// A sign-in must come back within this long.
const FLOW_SECONDS: i64 = 600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcSettings {
    /// The issuer URL; `{issuer}/.well-known/openid-configuration` describes it.
    pub issuer: String,
    pub client_id: String,
    /// Confidential clients only; public clients rely on PKCE alone.
    pub client_secret: Option<String>,
    /// This dashboard's callback, `https://<host>/app/auth/callback`, as registered with
    /// the provider.
    pub redirect_url: String,
    pub scopes: String,
    pub egress: Egress,
}

pub const ISSUER_VAR: &str = "PLASMA_WEB_OIDC_ISSUER";
pub const CLIENT_ID_VAR: &str = "PLASMA_WEB_OIDC_CLIENT_ID";
pub const CLIENT_SECRET_VAR: &str = "PLASMA_WEB_OIDC_CLIENT_SECRET";
/// The dashboard's public base URL (`https://app.example.com`); the callback is under it.
pub const PUBLIC_URL_VAR: &str = "PLASMA_WEB_PUBLIC_URL";

impl OidcSettings {
    /// From the environment: `None` without an issuer; an issuer without a client id or a
    /// public URL is an error that names the missing variable.
    pub fn from_env() -> Result<Option<Self>, String> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let Some(issuer) = var(ISSUER_VAR) else {
            return Ok(None);
        };
        let client_id =
            var(CLIENT_ID_VAR).ok_or(format!("{ISSUER_VAR} is set but {CLIENT_ID_VAR} is not"))?;
        let public = var(PUBLIC_URL_VAR)
            .ok_or(format!("{ISSUER_VAR} is set but {PUBLIC_URL_VAR} is not"))?;
        Ok(Some(Self {
            issuer,
            client_id,
            client_secret: var(CLIENT_SECRET_VAR),
            redirect_url: format!("{}/app/auth/callback", public.trim_end_matches('/')),
            scopes: "openid profile email".into(),
            egress: Egress::default(),
        }))
    }
}

#[derive(Debug, Clone, Deserialize)]
struct Discovery {
    authorization_endpoint: String,
    token_endpoint: String,
}

pub(crate) struct Oidc {
    settings: OidcSettings,
    http: reqwest::Client,
    discovery: OnceCell<Discovery>,
}

impl Oidc {
    pub fn new(settings: OidcSettings) -> Self {
        Self {
            http: outbound::client(settings.egress, Duration::from_secs(10)),
            settings,
            discovery: OnceCell::new(),
        }
    }

    /// The provider's host, for the sign-in button.
    pub fn name(&self) -> String {
        url::Url::parse(&self.settings.issuer)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "your identity provider".into())
    }

    async fn discovery(&self) -> Result<&Discovery, String> {
        self.discovery
            .get_or_try_init(|| async {
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    self.settings.issuer.trim_end_matches('/')
                );
                let egress = self.settings.egress;
                let checked = outbound::check_url(egress, &url).map_err(|e| e.to_string())?;
                let response = self
                    .http
                    .get(checked)
                    .send()
                    .await
                    .map_err(|e| format!("fetching {url}: {e}"))?;
                if !response.status().is_success() {
                    return Err(format!("{url} answered {}", response.status()));
                }
                let discovery = response
                    .json::<Discovery>()
                    .await
                    .map_err(|e| format!("{url} is not a discovery document: {e}"))?;
                discovery.checked(egress)
            })
            .await
    }
}

impl Discovery {
    /// The token endpoint is called from the server with the code (and the client secret),
    /// so it passes the egress guard like any outbound URL: a discovery document must not
    /// point it at an internal address. An IP literal would skip the client's resolver.
    fn checked(self, egress: Egress) -> Result<Self, String> {
        outbound::check_url(egress, &self.token_endpoint)
            .map_err(|e| format!("the discovery document's token_endpoint: {e}"))?;
        Ok(self)
    }
}

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn flow_cookie(web: &Web, value: &str, max_age: i64) -> HeaderValue {
    session::cookie_header(web, FLOW_COOKIE, value, "/app/auth", max_age)
}

#[derive(Deserialize)]
pub(crate) struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
}

pub(crate) async fn login(State(web): State<Web>, Query(q): Query<LoginQuery>) -> Response {
    let Some(oidc) = &web.0.oidc else {
        return layout::failed("/app/signin", "no identity provider is configured");
    };
    let discovery = match oidc.discovery().await {
        Ok(discovery) => discovery,
        Err(e) => {
            tracing::warn!(error = %e, "OIDC discovery failed");
            return layout::failed("/app/signin", "the identity provider could not be reached");
        }
    };
    let state = csrf::random();
    let verifier = format!("{}{}", csrf::random(), csrf::random());
    let next = session::safe_next(q.next.as_deref().unwrap_or(crate::BASE)).to_owned();
    let mut url = match url::Url::parse(&discovery.authorization_endpoint) {
        Ok(url) => url,
        Err(_) => return layout::failed("/app/signin", "the identity provider is misconfigured"),
    };
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &oidc.settings.client_id)
        .append_pair("redirect_uri", &oidc.settings.redirect_url)
        .append_pair("scope", &oidc.settings.scopes)
        .append_pair("state", &state)
        .append_pair("code_challenge", &challenge(&verifier))
        .append_pair("code_challenge_method", "S256");
    let flow = format!(
        "{state}.{verifier}.{}",
        URL_SAFE_NO_PAD.encode(next.as_bytes())
    );
    let mut response = Redirect::to(url.as_str()).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, flow_cookie(&web, &flow, FLOW_SECONDS));
    response
}

#[derive(Deserialize)]
pub(crate) struct Callback {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct Tokens {
    id_token: String,
    #[serde(default)]
    expires_in: Option<i64>,
}

pub(crate) async fn callback(
    State(web): State<Web>,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Response {
    let Some(oidc) = &web.0.oidc else {
        return layout::failed("/app/signin", "no identity provider is configured");
    };
    if let Some(error) = q.error {
        return layout::failed(
            "/app/signin",
            &format!("the identity provider said: {error}"),
        );
    }
    let flow = cookie(&headers, FLOW_COOKIE).unwrap_or_default();
    let mut parts = flow.splitn(3, '.');
    let (Some(state), Some(verifier), Some(next)) = (parts.next(), parts.next(), parts.next())
    else {
        return layout::failed("/app/signin", "the sign-in expired; start again");
    };
    let (Some(code), Some(given_state)) = (q.code, q.state) else {
        return layout::failed("/app/signin", "the identity provider sent no code");
    };
    if !csrf::matches(state, &given_state) {
        return layout::failed("/app/signin", "the sign-in did not start here; start again");
    }
    let next = URL_SAFE_NO_PAD
        .decode(next)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| crate::BASE.into());
    let discovery = match oidc.discovery().await {
        Ok(discovery) => discovery,
        Err(_) => {
            return layout::failed("/app/signin", "the identity provider could not be reached");
        }
    };
    let mut form = vec![
        ("grant_type", "authorization_code".to_owned()),
        ("code", code),
        ("redirect_uri", oidc.settings.redirect_url.clone()),
        ("client_id", oidc.settings.client_id.clone()),
        ("code_verifier", verifier.to_owned()),
    ];
    if let Some(secret) = &oidc.settings.client_secret {
        form.push(("client_secret", secret.clone()));
    }
    let exchanged = oidc
        .http
        .post(&discovery.token_endpoint)
        .form(&form)
        .send()
        .await;
    let tokens = match exchanged {
        Ok(response) if response.status().is_success() => response.json::<Tokens>().await.ok(),
        Ok(response) => {
            tracing::warn!(status = %response.status(), "OIDC token exchange refused");
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "OIDC token exchange failed");
            None
        }
    };
    let Some(tokens) = tokens else {
        return layout::failed("/app/signin", "the identity provider refused the sign-in");
    };
    let max_age = tokens.expires_in.unwrap_or(3600).clamp(60, 24 * 3600);
    let mut response = session::start(&web, &tokens.id_token, max_age, &next);
    response
        .headers_mut()
        .append(header::SET_COOKIE, flow_cookie(&web, "", 0));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discovery(token_endpoint: &str) -> Discovery {
        Discovery {
            authorization_endpoint: "https://idp.example/authorize".into(),
            token_endpoint: token_endpoint.into(),
        }
    }

    #[test]
    fn a_token_endpoint_on_an_internal_address_is_refused() {
        let strict = Egress::default();
        for internal in [
            "http://169.254.169.254/latest/meta-data/iam",
            "http://127.0.0.1:8080/token",
            "http://[64:ff9b::a9fe:a9fe]/token",
            "http://localhost/token",
            "file:///etc/passwd",
        ] {
            let refused = discovery(internal).checked(strict).map(|_| ());
            assert!(
                refused
                    .as_ref()
                    .is_err_and(|e| e.contains("token_endpoint")),
                "{internal}: {refused:?}"
            );
        }
        assert!(
            discovery("https://idp.example/oauth2/token")
                .checked(strict)
                .is_ok()
        );
        let local = Egress {
            allow_private: true,
        };
        assert!(
            discovery("http://127.0.0.1:8080/token")
                .checked(local)
                .is_ok()
        );
    }
}
