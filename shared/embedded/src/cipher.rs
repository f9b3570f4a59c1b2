//! [`Cipher`] on AES-256-GCM with a key file in the data directory. A ciphertext is
//! `version (1) ‖ key id (8) ‖ nonce (12) ‖ sealed plaintext ‖ tag (16)`; the key id (the first
//! bytes of the key's SHA-256) tells "encrypted with another data directory's key" apart from
//! a wrong context or damage, which the tag alone cannot. The context is the AAD.

mod key_file;

use async_trait::async_trait;
use aws_lc_rs::aead::{AES_256_GCM, Aad, NONCE_LEN, Nonce, RandomizedNonceKey};
use plasma_core::cipher::validate_plaintext;
use plasma_core::{Cipher, PortError, PortResult};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const VERSION: u8 = 1;
const KEY_ID_LEN: usize = 8;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + KEY_ID_LEN + NONCE_LEN;

pub struct LocalCipher {
    key: RandomizedNonceKey,
    key_id: [u8; KEY_ID_LEN],
    path: PathBuf,
}

impl LocalCipher {
    /// The key in `key_file`, created (32 random bytes, owner-only) if there is none yet.
    pub fn open(key_file: &Path) -> PortResult<Self> {
        let bytes = key_file::load_or_create(key_file)?;
        let key = RandomizedNonceKey::new(&AES_256_GCM, &bytes).map_err(|_| {
            PortError::Backend(format!("{} is not an AES-256 key", key_file.display()))
        })?;
        let mut key_id = [0u8; KEY_ID_LEN];
        key_id.copy_from_slice(&Sha256::digest(bytes)[..KEY_ID_LEN]);
        Ok(Self {
            key,
            key_id,
            path: key_file.to_path_buf(),
        })
    }
}

/// Each key and value length-prefixed, in key order, so no two contexts share an AAD
/// (`{"ab": "c"}` and `{"a": "bc"}` differ).
fn aad(context: &BTreeMap<String, String>) -> Vec<u8> {
    let mut out = Vec::new();
    for part in context.iter().flat_map(|(k, v)| [k, v]) {
        out.extend_from_slice(&(part.len() as u64).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out
}

fn undecryptable(why: impl std::fmt::Display) -> PortError {
    PortError::Invalid(format!("the secret cannot be decrypted: {why}"))
}

#[async_trait]
impl Cipher for LocalCipher {
    async fn encrypt(
        &self,
        plaintext: &[u8],
        context: &BTreeMap<String, String>,
    ) -> PortResult<Vec<u8>> {
        validate_plaintext(plaintext)?;
        let mut sealed = plaintext.to_vec();
        let nonce = self
            .key
            .seal_in_place_append_tag(Aad::from(aad(context)), &mut sealed)
            .map_err(|_| PortError::Backend("AES-256-GCM sealing failed".into()))?;
        let mut out = Vec::with_capacity(HEADER_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&self.key_id);
        out.extend_from_slice(nonce.as_ref());
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    async fn decrypt(
        &self,
        ciphertext: &[u8],
        context: &BTreeMap<String, String>,
    ) -> PortResult<Vec<u8>> {
        if ciphertext.len() < HEADER_LEN + TAG_LEN {
            return Err(undecryptable(format_args!(
                "{} bytes is too short to be a ciphertext",
                ciphertext.len()
            )));
        }
        let (version, rest) = ciphertext.split_at(1);
        let (key_id, rest) = rest.split_at(KEY_ID_LEN);
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        if version[0] != VERSION {
            return Err(undecryptable(format_args!(
                "unknown format version {}",
                version[0]
            )));
        }
        if key_id != self.key_id {
            return Err(undecryptable(format_args!(
                "it was encrypted with another key (id {}), not this data directory's (id {})",
                hex::encode(key_id),
                hex::encode(self.key_id)
            )));
        }
        let nonce = Nonce::try_assume_unique_for_key(nonce)
            .map_err(|_| undecryptable("malformed nonce"))?;
        let mut buf = sealed.to_vec();
        let len = self
            .key
            .open_in_place(nonce, Aad::from(aad(context)), &mut buf)
            .map_err(|_| undecryptable("wrong context, or the ciphertext was altered"))?
            .len();
        buf.truncate(len);
        Ok(buf)
    }

    async fn health(&self) -> PortResult<String> {
        Ok(format!(
            "aes-256-gcm key {} in {}",
            hex::encode(self.key_id),
            self.path.display()
        ))
    }
}

#[cfg(test)]
mod tests;
