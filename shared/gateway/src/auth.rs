//! Authentication: turns a request's credentials into a [`Principal`].
//!
//! Deployed, API Gateway's JWT authorizer has already verified the token and the api function
//! passes its claims on as [`AuthorizerClaims`]; locally the runner verifies development
//! tokens itself. Both feed the same [`ClaimMapping`], so one token gives one principal on
//! either runtime. API keys (`x-api-key: pk_...` or `Authorization: Bearer pk_...`) are
//! checked here on both runtimes.

use crate::api_keys::{ApiKeys, PREFIX};
use crate::principal::{ClaimMapping, Principal};
use crate::token::DevKey;
use axum::http::{HeaderMap, header};
use plasma_http::Problem;
use serde_json::{Map, Value};

/// Claims an upstream authorizer verified (API Gateway HTTP API JWT authorizer).
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorizerClaims(pub Map<String, Value>);

#[derive(Clone)]
pub struct Authenticator {
    dev_key: Option<DevKey>,
    mapping: ClaimMapping,
    keys: ApiKeys,
}

impl Authenticator {
    /// `dev_key` is `Some` only on the embedded runtime.
    pub fn new(dev_key: Option<DevKey>, mapping: ClaimMapping, keys: ApiKeys) -> Self {
        Self {
            dev_key,
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
        let claims = match (verified, bearer, &self.dev_key) {
            (Some(AuthorizerClaims(claims)), _, _) => claims.clone(),
            (None, Some(token), Some(key)) => key.verify(token).map_err(Problem::unauthorized)?,
            (None, Some(_), None) => {
                return Err(Problem::unauthorized(
                    "the token was not verified by the gateway",
                ));
            }
            (None, None, _) => {
                return Err(Problem::unauthorized("send a bearer token or an API key"));
            }
        };
        self.mapping
            .principal(&claims)
            .map_err(Problem::unauthorized)
    }
}
