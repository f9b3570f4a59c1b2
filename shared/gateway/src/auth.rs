//! Authentication: turns a request's credentials into a [`Principal`].
//!
//! Deployed, API Gateway's JWT authorizer has already verified the token and the api function
//! passes its claims on as [`AuthorizerClaims`]; otherwise bearer tokens are verified here:
//! HS256 ones only against the local development key (embedded runtime only), RS256/ES256
//! ones against the configured issuers' JWKS ([`JwtVerifier`]). Authorizer claims and issuer
//! tokens feed the same [`ClaimMapping`], so one token gives one principal on either runtime.
//! API keys (`x-api-key: pk_...` or `Authorization: Bearer pk_...`) are checked here on both
//! runtimes.

use crate::api_keys::{ApiKeys, PREFIX};
use crate::jwks::JwtVerifier;
use crate::principal::{ClaimMapping, Principal};
use crate::token::DevKey;
use axum::http::{HeaderMap, header};
use jsonwebtoken::Algorithm;
use plasma_http::Problem;
use serde_json::{Map, Value};

/// Claims an upstream authorizer verified (API Gateway HTTP API JWT authorizer).
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorizerClaims(pub Map<String, Value>);

#[derive(Clone)]
pub struct Authenticator {
    dev_key: Option<DevKey>,
    jwt: JwtVerifier,
    mapping: ClaimMapping,
    keys: ApiKeys,
}

impl Authenticator {
    /// `dev_key` is `Some` only on the embedded runtime.
    pub fn new(
        dev_key: Option<DevKey>,
        jwt: JwtVerifier,
        mapping: ClaimMapping,
        keys: ApiKeys,
    ) -> Self {
        Self {
            dev_key,
            jwt,
            mapping,
            keys,
        }
    }

    pub async fn authenticate(
        &self,
        headers: &HeaderMap,
        verified: Option<&AuthorizerClaims>,
    ) -> Result<Principal, Problem> {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim);
        let api_key = headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .or(bearer.filter(|b| b.starts_with(PREFIX)));
        if let Some(secret) = api_key {
            return match self.keys.authenticate(secret).await? {
                Some(principal) => Ok(principal),
                None => Err(Problem::unauthorized(
                    "the API key is unknown, expired or revoked",
                )),
            };
        }
        match (verified, bearer) {
            (Some(AuthorizerClaims(claims)), _) => self
                .mapping
                .principal(claims)
                .map_err(Problem::unauthorized),
            (None, Some(token)) => self.bearer(token).await,
            (None, None) => Err(Problem::unauthorized("send a bearer token or an API key")),
        }
    }

    async fn bearer(&self, token: &str) -> Result<Principal, Problem> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|e| Problem::unauthorized(format!("the token is malformed: {e}")))?;
        if header.alg != Algorithm::HS256 {
            let claims = self
                .jwt
                .verify(token)
                .await
                .map_err(Problem::unauthorized)?;
            return self
                .mapping
                .principal(&claims)
                .map_err(Problem::unauthorized);
        }
        // HS256 is trusted only for the development key: a provider's public key must never
        // be usable as an HMAC secret.
        let Some(key) = &self.dev_key else {
            return Err(Problem::unauthorized(
                "HS256 tokens are accepted only from the local development key",
            ));
        };
        let claims = key.verify(token).map_err(Problem::unauthorized)?;
        // `plasma token` writes the default claim names, whatever the providers use.
        ClaimMapping::default()
            .principal(&claims)
            .map_err(Problem::unauthorized)
    }
}
