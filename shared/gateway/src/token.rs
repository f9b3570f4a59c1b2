//! The local development signing key (HS256). Only the embedded runtime uses it: deployed,
//! tokens come from the configured identity provider and are checked by API Gateway.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde_json::{Map, Value, json};
use std::path::Path;

pub const ISSUER: &str = "plasma-local";
pub const AUDIENCE: &str = "plasma";
const KEY_FILE: &str = "dev-jwt.key";

#[derive(Clone)]
pub struct DevKey {
    secret: Vec<u8>,
}

impl std::fmt::Debug for DevKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DevKey(..)")
    }
}

impl DevKey {
    pub fn from_secret(secret: Vec<u8>) -> Self {
        Self { secret }
    }

    /// The key kept in the data directory, created on first use, so that `plasma token` and
    /// `plasma serve` agree without configuration.
    pub fn load_or_create(data_dir: &Path) -> std::io::Result<Self> {
        let path = data_dir.join(KEY_FILE);
        match std::fs::read(&path) {
            Ok(secret) if secret.len() >= 32 => return Ok(Self { secret }),
            Ok(_) => {
                return Err(std::io::Error::other(format!(
                    "{} is too short",
                    path.display()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        std::fs::create_dir_all(data_dir)?;
        let mut secret = vec![0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let tmp = data_dir.join(format!("{KEY_FILE}.tmp"));
        write_private(&tmp, &secret)?;
        std::fs::rename(&tmp, &path)?;
        Ok(Self { secret })
    }

    pub fn issue(
        &self,
        tenant: &str,
        subject: &str,
        roles: &[&str],
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> String {
        let claims = json!({
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": subject,
            "tenant": tenant,
            "roles": roles,
            "iat": now.timestamp(),
            "nbf": now.timestamp(),
            "exp": (now + ttl).timestamp(),
        });
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(&self.secret),
        )
        .expect("HS256 encoding of a JSON object cannot fail")
    }

    /// Verify signature, issuer, audience, expiry and not-before; return the claims.
    pub fn verify(&self, token: &str) -> Result<Map<String, Value>, String> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        jsonwebtoken::decode::<Map<String, Value>>(
            token,
            &DecodingKey::from_secret(&self.secret),
            &validation,
        )
        .map(|data| data.claims)
        .map_err(|e| format!("invalid token: {e}"))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_verify_and_others_do_not() {
        let key = DevKey::from_secret(vec![7; 32]);
        let now = Utc::now();
        let token = key.issue("acme", "dev", &["admin"], Duration::hours(1), now);
        let claims = key.verify(&token).unwrap();
        assert_eq!(claims["tenant"], "acme");
        let other = DevKey::from_secret(vec![8; 32]);
        assert!(other.verify(&token).is_err());
        let expired = key.issue(
            "acme",
            "dev",
            &["admin"],
            Duration::hours(1),
            now - Duration::hours(3),
        );
        assert!(key.verify(&expired).is_err());
    }

    #[test]
    fn key_file_is_reused() {
        let dir = std::env::temp_dir().join(format!("plasma-devkey-{}", std::process::id()));
        let a = DevKey::load_or_create(&dir).unwrap();
        let b = DevKey::load_or_create(&dir).unwrap();
        assert_eq!(a.secret, b.secret);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
