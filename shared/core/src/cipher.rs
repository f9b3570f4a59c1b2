//! Cipher: encryption of small secrets (a tenant's publishing credentials) bound to a context,
//! with KMS on AWS and a key file in the data directory locally. Ciphertexts are opaque and
//! only ever stored; plaintexts never leave the process that asked for them.

use crate::error::{PortError, PortResult};
use async_trait::async_trait;
use std::collections::BTreeMap;

/// The largest plaintext `encrypt` takes: KMS `Encrypt`'s own limit.
pub const MAX_SECRET_BYTES: usize = 4096;

#[async_trait]
pub trait Cipher: Send + Sync {
    /// Encrypts a small secret (1 to [`MAX_SECRET_BYTES`] bytes) bound to `context` (e.g.
    /// `{"tenant": "acme", "purpose": "publishing"}`); decrypting needs the same context.
    /// The context is not secret: it travels in the clear (and into CloudTrail on AWS).
    /// An empty or oversize plaintext is [`PortError::Invalid`]; KMS cannot encrypt nothing.
    async fn encrypt(
        &self,
        plaintext: &[u8],
        context: &BTreeMap<String, String>,
    ) -> PortResult<Vec<u8>>;

    /// The plaintext `encrypt` was given. Another context, another key or a damaged
    /// ciphertext is [`PortError::Invalid`] with "cannot be decrypted" in its message.
    async fn decrypt(
        &self,
        ciphertext: &[u8],
        context: &BTreeMap<String, String>,
    ) -> PortResult<Vec<u8>>;

    /// A short description of the key for `/health`.
    async fn health(&self) -> PortResult<String>;
}

/// The plaintext rule both adapters enforce before touching a key.
pub fn validate_plaintext(plaintext: &[u8]) -> PortResult<()> {
    if plaintext.is_empty() || plaintext.len() > MAX_SECRET_BYTES {
        return Err(PortError::Invalid(format!(
            "a secret is 1 to {MAX_SECRET_BYTES} bytes, not {}",
            plaintext.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plaintext_sizes() {
        assert!(validate_plaintext(b"x").is_ok());
        assert!(validate_plaintext(&[0; MAX_SECRET_BYTES]).is_ok());
        for bad in [&[][..], &[0; MAX_SECRET_BYTES + 1][..]] {
            assert!(matches!(
                validate_plaintext(bad),
                Err(PortError::Invalid(m)) if m.contains("1 to 4096 bytes")
            ));
        }
    }
}
