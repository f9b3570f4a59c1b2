//! Bearer tokens from the configured identity providers (Cognito, Auth0, Clerk, ...): RS256 or
//! ES256 signatures checked against each issuer's JWKS, then `iss`, `aud`, `exp` and `nbf`.
//!
//! Keys are cached per issuer and refetched when a token names an unknown `kid` (the provider
//! rotated its keys), at most once a minute per issuer, so that tokens with made-up kids cannot
//! turn the gateway into a request amplifier against the provider. Symmetric algorithms are
//! never accepted here: an HS256 token "signed" with a provider's public key must not verify.

use crate::config::IssuerConfig;
use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use plasma_core::Clock;
use plasma_http::outbound::{self, Egress};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;
use tokio::sync::Mutex;

/// Clock skew tolerated on `exp` and `nbf`, in seconds.
pub const LEEWAY_SECS: i64 = 30;
/// The least time between two JWKS requests to one issuer, in seconds.
pub const REFETCH_INTERVAL_SECS: i64 = 60;
/// A JWKS request that takes longer fails; the token is refused rather than the request held.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// Verifies tokens of the configured issuers. Cheap to clone; clones share the key cache.
#[derive(Clone)]
pub struct JwtVerifier {
    issuers: Arc<[Issuer]>,
    http: reqwest::Client,
    /// Checked on each JWKS URL too: an IP literal never reaches the client's resolver.
    egress: Egress,
    clock: Arc<dyn Clock>,
}

struct Issuer {
    config: IssuerConfig,
    /// Never held across an await.
    keys: RwLock<HashMap<String, SigningKey>>,
    /// When the JWKS was last requested, successfully or not. Held during a fetch, so that
    /// concurrent requests for a new kid wait for one fetch instead of each starting one.
    last_fetch: Mutex<Option<DateTime<Utc>>>,
}

#[derive(Clone)]
struct SigningKey {
    key: DecodingKey,
    alg: Algorithm,
}

/// Only the fields a JWKS document must have; each key is parsed on its own so that one
/// key of a type we do not support does not hide the others.
#[derive(Deserialize)]
struct JwksDocument {
    keys: Vec<Value>,
}

impl JwtVerifier {
    /// `egress` says whether JWKS may be fetched from non-public addresses (local providers).
    pub fn new(issuers: Vec<IssuerConfig>, egress: Egress, clock: Arc<dyn Clock>) -> Self {
        let issuers = issuers
            .into_iter()
            .map(|config| Issuer {
                config,
                keys: RwLock::default(),
                last_fetch: Mutex::default(),
            })
            .collect();
        Self {
            issuers,
            http: outbound::client(egress, FETCH_TIMEOUT),
            egress,
            clock,
        }
    }

    /// Verify `token` and return its claims; the error is a sentence for the 401's detail.
    pub async fn verify(&self, token: &str) -> Result<Map<String, Value>, String> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|e| format!("the token is malformed: {e}"))?;
        if !matches!(header.alg, Algorithm::RS256 | Algorithm::ES256) {
            return Err(format!(
                "{:?} tokens are not accepted from identity providers",
                header.alg
            ));
        }
        let kid = header.kid.ok_or("the token has no kid header")?;
        let issuer = self.issuer_of(token)?;
        let key = self.key(issuer, &kid).await?;
        if key.alg != header.alg {
            return Err(format!("key {kid:?} does not sign {:?} tokens", header.alg));
        }
        let mut validation = Validation::new(key.alg);
        validation.set_issuer(&[&issuer.config.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        // Checked below: the audience so that Cognito access tokens' client_id counts, the
        // times against the injected clock.
        validation.validate_aud = false;
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let claims = jsonwebtoken::decode::<Map<String, Value>>(token, &key.key, &validation)
            .map_err(|e| format!("invalid token: {e}"))?
            .claims;
        check_audience(&claims, &issuer.config.audiences)?;
        check_times(&claims, self.clock.now())?;
        Ok(claims)
    }

    /// The configured issuer the token claims to come from. The claim is read before the
    /// signature is checked only to pick the keys; `decode` then checks it again, signed.
    fn issuer_of(&self, token: &str) -> Result<&Issuer, String> {
        #[derive(Deserialize)]
        struct Unverified {
            iss: Option<String>,
        }
        let iss = jsonwebtoken::dangerous::insecure_decode_claims::<Unverified>(token)
            .map_err(|e| format!("the token is malformed: {e}"))?
            .iss
            .ok_or("the token has no iss claim")?;
        self.issuers
            .iter()
            .find(|i| i.config.issuer == iss)
            .ok_or_else(|| format!("tokens from {iss:?} are not trusted"))
    }

    async fn key(&self, issuer: &Issuer, kid: &str) -> Result<SigningKey, String> {
        if let Some(key) = issuer.cached(kid) {
            return Ok(key);
        }
        let unknown = || format!("the token's signing key {kid:?} is unknown");
        let mut last_fetch = issuer.last_fetch.lock().await;
        // Another request may have fetched the new keys while this one waited.
        if let Some(key) = issuer.cached(kid) {
            return Ok(key);
        }
        let now = self.clock.now();
        if last_fetch.is_some_and(|at| (now - at).num_seconds() < REFETCH_INTERVAL_SECS) {
            return Err(unknown());
        }
        *last_fetch = Some(now);
        match self.fetch(&issuer.config.jwks_url).await {
            Ok(keys) => *issuer.keys.write().unwrap_or_else(PoisonError::into_inner) = keys,
            Err(e) => tracing::warn!(
                issuer = %issuer.config.issuer,
                url = %issuer.config.jwks_url,
                error = %e,
                "fetching the issuer's JWKS failed"
            ),
        }
        issuer.cached(kid).ok_or_else(unknown)
    }

    async fn fetch(&self, url: &str) -> Result<HashMap<String, SigningKey>, String> {
        let url = outbound::check_url(self.egress, url).map_err(|e| e.to_string())?;
        let response = self
            .http
            .get(url.as_str())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()));
        }
        let document: JwksDocument = response.json().await.map_err(|e| e.to_string())?;
        let keys: HashMap<_, _> = document.keys.into_iter().filter_map(signing_key).collect();
        tracing::info!(%url, keys = keys.len(), "fetched JWKS");
        Ok(keys)
    }
}

impl Issuer {
    fn cached(&self, kid: &str) -> Option<SigningKey> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        keys.get(kid).cloned()
    }
}

/// A JWK we verify with, and the one algorithm it may verify: RSA keys RS256, P-256 keys
/// ES256. Symmetric (`oct`) and encryption keys are skipped.
fn signing_key(value: Value) -> Option<(String, SigningKey)> {
    let jwk: Jwk = serde_json::from_value(value).ok()?;
    let kid = jwk.common.key_id.clone()?;
    if jwk
        .common
        .public_key_use
        .as_ref()
        .is_some_and(|u| *u != PublicKeyUse::Signature)
    {
        return None;
    }
    let (alg, declared) = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => (Algorithm::RS256, KeyAlgorithm::RS256),
        AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => {
            (Algorithm::ES256, KeyAlgorithm::ES256)
        }
        _ => return None,
    };
    if jwk.common.key_algorithm.is_some_and(|a| a != declared) {
        return None;
    }
    let key = DecodingKey::from_jwk(&jwk).ok()?;
    Some((kid, SigningKey { key, alg }))
}

/// `aud` (a string or a list) must name one of our audiences. Cognito access tokens carry no
/// `aud` but name the app client in `client_id`; API Gateway's JWT authorizer accepts that
/// too, and both runtimes must agree on which tokens are good.
fn check_audience(claims: &Map<String, Value>, audiences: &[String]) -> Result<(), String> {
    let named: Vec<&str> = match claims.get("aud") {
        Some(Value::String(aud)) => vec![aud],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        Some(_) => return Err("the aud claim is malformed".into()),
        None => claims
            .get("client_id")
            .and_then(Value::as_str)
            .into_iter()
            .collect(),
    };
    if named.is_empty() {
        return Err("the token has no aud claim".into());
    }
    if named.iter().any(|n| audiences.iter().any(|a| a == n)) {
        Ok(())
    } else {
        Err("the token was issued for another audience".into())
    }
}

fn check_times(claims: &Map<String, Value>, now: DateTime<Utc>) -> Result<(), String> {
    let now = now.timestamp();
    // `as` saturates, so an absurd value cannot overflow the comparisons below.
    let seconds = |name: &str| -> Result<Option<i64>, String> {
        match claims.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(|s| Some(s as i64))
                .ok_or_else(|| format!("the {name} claim is not a number")),
        }
    };
    let exp = seconds("exp")?.ok_or("the token has no exp claim")?;
    if exp.saturating_add(LEEWAY_SECS) < now {
        return Err("the token has expired".into());
    }
    if let Some(nbf) = seconds("nbf")?
        && nbf.saturating_sub(LEEWAY_SECS) > now
    {
        return Err("the token is not valid yet".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn only_signature_keys_of_rsa_and_p256_are_used() {
        let rsa = json!({"kty": "RSA", "kid": "r", "n": "AQABAQAB", "e": "AQAB"});
        assert_eq!(signing_key(rsa.clone()).unwrap().1.alg, Algorithm::RS256);
        let mut enc = rsa.clone();
        enc["use"] = json!("enc");
        assert!(signing_key(enc).is_none());
        let mut mislabelled = rsa.clone();
        mislabelled["alg"] = json!("HS256");
        assert!(signing_key(mislabelled).is_none());
        let mut no_kid = rsa;
        no_kid.as_object_mut().unwrap().remove("kid");
        assert!(signing_key(no_kid).is_none());
        let oct = json!({"kty": "oct", "kid": "h", "k": "c2VjcmV0"});
        assert!(signing_key(oct).is_none());
    }

    #[test]
    fn audience_accepts_lists_and_cognito_client_id() {
        let ours = ["api".to_string()];
        assert!(check_audience(&claims(json!({"aud": "api"})), &ours).is_ok());
        assert!(check_audience(&claims(json!({"aud": ["x", "api"]})), &ours).is_ok());
        assert!(check_audience(&claims(json!({"client_id": "api"})), &ours).is_ok());
        assert!(check_audience(&claims(json!({"aud": "x", "client_id": "api"})), &ours).is_err());
        assert!(check_audience(&claims(json!({})), &ours).is_err());
        assert!(check_audience(&claims(json!({"aud": 7})), &ours).is_err());
    }

    #[test]
    fn times_allow_thirty_seconds_of_skew() {
        let now = Utc.timestamp_opt(1_000_000, 0).unwrap();
        let at = |exp: i64, nbf: i64| check_times(&claims(json!({"exp": exp, "nbf": nbf})), now);
        assert!(at(1_000_000 - 30, 1_000_000 + 30).is_ok());
        assert!(at(1_000_000 - 31, 0).is_err());
        assert!(at(1_000_100, 1_000_031).is_err());
        assert!(check_times(&claims(json!({"exp": "soon"})), now).is_err());
        assert!(check_times(&claims(json!({"exp": f64::MAX})), now).is_ok());
        assert!(check_times(&claims(json!({})), now).is_err());
    }
}
