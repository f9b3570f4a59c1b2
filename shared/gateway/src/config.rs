//! The gateway's configuration: which identity providers' tokens are trusted, and which claims
//! carry the tenant, the roles and the scopes. Errors name the variable at fault.

use crate::principal::ClaimMapping;
use plasma_core::ConfigError;
use serde::Deserialize;

pub const TENANT_CLAIM_VAR: &str = "PLASMA_TENANT_CLAIM";
pub const ROLES_CLAIM_VAR: &str = "PLASMA_ROLES_CLAIM";
pub const SCOPES_CLAIM_VAR: &str = "PLASMA_SCOPES_CLAIM";
/// A JSON array of `{"issuer", "audiences", "jwks_url"?}`.
pub const ISSUERS_VAR: &str = "PLASMA_JWT_ISSUERS";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GatewayConfig {
    pub claims: ClaimMapping,
    pub issuers: Vec<IssuerConfig>,
}

/// One identity provider whose RS256/ES256 tokens are accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerConfig {
    /// Compared exactly with the token's `iss` (Auth0's ends with a slash, Cognito's does not).
    pub issuer: String,
    /// The token's `aud` (or, for Cognito access tokens, `client_id`) must be one of these.
    pub audiences: Vec<String>,
    pub jwks_url: String,
}

impl IssuerConfig {
    /// An issuer whose keys are at the OpenID Connect default, `{issuer}/.well-known/jwks.json`.
    pub fn new(issuer: &str, audiences: &[&str]) -> Self {
        Self {
            issuer: issuer.to_string(),
            audiences: audiences.iter().map(|a| a.to_string()).collect(),
            jwks_url: format!("{}/.well-known/jwks.json", issuer.trim_end_matches('/')),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIssuer {
    issuer: String,
    audiences: Vec<String>,
    jwks_url: Option<String>,
}

impl GatewayConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let defaults = ClaimMapping::default();
        let claim = |var: &str, default: String| match get(var) {
            None => Ok(default),
            Some(v) if v.trim().is_empty() => Err(malformed(var, "empty")),
            Some(v) => Ok(v.trim().to_string()),
        };
        let claims = ClaimMapping {
            tenant_claim: claim(TENANT_CLAIM_VAR, defaults.tenant_claim)?,
            roles_claim: claim(ROLES_CLAIM_VAR, defaults.roles_claim)?,
            scopes_claim: claim(SCOPES_CLAIM_VAR, defaults.scopes_claim)?,
        };
        let issuers = match get(ISSUERS_VAR) {
            Some(json) if !json.trim().is_empty() => parse_issuers(&json)?,
            _ => Vec::new(),
        };
        Ok(Self { claims, issuers })
    }
}

fn parse_issuers(json: &str) -> Result<Vec<IssuerConfig>, ConfigError> {
    let bad = |why: String| malformed(ISSUERS_VAR, &why);
    let raw: Vec<RawIssuer> = serde_json::from_str(json).map_err(|e| {
        bad(format!(
            "expected [{{\"issuer\", \"audiences\", \"jwks_url\"?}}]: {e}"
        ))
    })?;
    let mut issuers: Vec<IssuerConfig> = Vec::new();
    for r in raw {
        if !is_trusted_url(&r.issuer) {
            return Err(bad(format!(
                "issuer {:?} must be an https URL (http only on loopback)",
                r.issuer
            )));
        }
        if issuers.iter().any(|i| i.issuer == r.issuer) {
            return Err(bad(format!("issuer {:?} is listed twice", r.issuer)));
        }
        // Without an audience check any token the provider mints for another application
        // would be accepted here.
        if r.audiences.is_empty() || r.audiences.iter().any(|a| a.trim().is_empty()) {
            return Err(bad(format!(
                "issuer {:?} needs a non-empty list of audiences",
                r.issuer
            )));
        }
        let mut issuer = IssuerConfig::new(&r.issuer, &[]);
        issuer.audiences = r.audiences;
        if let Some(url) = r.jwks_url {
            if !is_trusted_url(&url) {
                return Err(bad(format!(
                    "jwks_url {url:?} must be an https URL (http only on loopback)"
                )));
            }
            issuer.jwks_url = url;
        }
        issuers.push(issuer);
    }
    Ok(issuers)
}

/// Keys fetched over plain http could be swapped in transit; loopback is allowed for local
/// identity providers and tests.
fn is_trusted_url(raw: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(raw) else {
        return false;
    };
    match (url.scheme(), url.host_str()) {
        ("https", Some(_)) => true,
        ("http", Some(host)) => matches!(host, "127.0.0.1" | "localhost" | "[::1]"),
        _ => false,
    }
}

fn malformed(var: &str, why: &str) -> ConfigError {
    ConfigError::Malformed {
        var: var.into(),
        why: why.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(vars: &[(&str, &str)]) -> Result<GatewayConfig, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        GatewayConfig::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_trust_no_issuer_and_use_plain_claim_names() {
        assert_eq!(from(&[]).unwrap(), GatewayConfig::default());
        assert_eq!(GatewayConfig::default().claims.tenant_claim, "tenant");
    }

    #[test]
    fn issuers_and_claims_are_read() {
        let c = from(&[
            (TENANT_CLAIM_VAR, "custom:tenant"),
            (ROLES_CLAIM_VAR, "cognito:groups"),
            (
                ISSUERS_VAR,
                r#"[{"issuer": "https://tenant.auth0.com/", "audiences": ["plasma-api"]},
                    {"issuer": "https://idp.example", "audiences": ["a", "b"],
                     "jwks_url": "https://keys.example/jwks"}]"#,
            ),
        ])
        .unwrap();
        assert_eq!(c.claims.tenant_claim, "custom:tenant");
        assert_eq!(c.claims.roles_claim, "cognito:groups");
        assert_eq!(c.claims.scopes_claim, "scope");
        assert_eq!(c.issuers[0].issuer, "https://tenant.auth0.com/");
        assert_eq!(
            c.issuers[0].jwks_url,
            "https://tenant.auth0.com/.well-known/jwks.json"
        );
        assert_eq!(c.issuers[1].audiences, ["a", "b"]);
        assert_eq!(c.issuers[1].jwks_url, "https://keys.example/jwks");
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (var, value) in [
            (ISSUERS_VAR, "not json"),
            (ISSUERS_VAR, r#"[{"issuer": "https://a", "audiences": []}]"#),
            (
                ISSUERS_VAR,
                r#"[{"issuer": "http://idp.example", "audiences": ["x"]}]"#,
            ),
            (
                ISSUERS_VAR,
                r#"[{"issuer": "https://a", "audience": ["x"]}]"#,
            ),
            (
                ISSUERS_VAR,
                r#"[{"issuer": "https://a", "audiences": ["x"], "jwks_url": "http://10.0.0.1/k"}]"#,
            ),
            (
                ISSUERS_VAR,
                r#"[{"issuer": "https://a", "audiences": ["x"]}, {"issuer": "https://a", "audiences": ["y"]}]"#,
            ),
            (TENANT_CLAIM_VAR, " "),
        ] {
            let err = from(&[(var, value)]).unwrap_err();
            assert!(err.to_string().contains(var), "{value}: {err}");
        }
        assert!(
            from(&[(
                ISSUERS_VAR,
                r#"[{"issuer": "http://127.0.0.1:8080", "audiences": ["x"]}]"#
            )])
            .is_ok()
        );
    }
}
