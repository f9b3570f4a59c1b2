//! Presigned upload URLs for the runner's upload route: an HMAC-SHA256 over the key, the
//! expiry and the content type, keyed by a secret that never leaves the data directory.

use crate::random::random_bytes;
use hmac::{Hmac, KeyInit, Mac};
use plasma_core::{PortError, PortResult};
use sha2::Sha256;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

const SECRET_FILE: &str = ".presign-key";

pub(crate) struct Signer {
    secret: [u8; 32],
}

impl Signer {
    /// Load the secret from `dir`, creating it on first use. Two processes opening the store
    /// at once agree on one secret: it is written aside and linked into place only if absent.
    pub(crate) fn load_or_create(dir: &Path) -> PortResult<Self> {
        let path = dir.join(SECRET_FILE);
        if !path.exists() {
            let fresh = hex::encode(random_bytes::<32>()?);
            // tempfile creates the file readable by its owner only (0600 on Unix).
            let created = tempfile::Builder::new()
                .prefix(".presign-")
                .suffix(".tmp")
                .tempfile_in(dir)
                .and_then(|mut temp| {
                    temp.write_all(fresh.as_bytes())?;
                    temp.as_file().sync_all()?;
                    Ok(temp)
                })
                .map_err(|e| PortError::Backend(format!("writing {}: {e}", path.display())))?;
            match created.persist_noclobber(&path) {
                Ok(_) => {}
                Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(PortError::Backend(format!(
                        "writing {}: {}",
                        path.display(),
                        e.error
                    )));
                }
            }
        }
        let text = fs::read_to_string(&path)
            .map_err(|e| PortError::Backend(format!("reading {}: {e}", path.display())))?;
        let mut secret = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut secret).map_err(|_| {
            PortError::Backend(format!(
                "{} is corrupt; delete it to make a new one",
                path.display()
            ))
        })?;
        Ok(Self { secret })
    }

    fn mac(&self, key: &str, expires: i64, content_type: Option<&str>) -> PortResult<Hmac<Sha256>> {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.secret).map_err(PortError::backend)?;
        // Keys hold no control characters and the expiry is digits, so newline separators
        // make the signed string unambiguous; the content type comes last.
        mac.update(format!("PUT\n{key}\n{expires}\n{}", content_type.unwrap_or("")).as_bytes());
        Ok(mac)
    }

    pub(crate) fn sign(
        &self,
        key: &str,
        expires: i64,
        content_type: Option<&str>,
    ) -> PortResult<String> {
        Ok(hex::encode(
            self.mac(key, expires, content_type)?
                .finalize()
                .into_bytes(),
        ))
    }

    /// Constant-time check of `signature` (hex) for these parameters.
    pub(crate) fn verify(
        &self,
        key: &str,
        expires: i64,
        content_type: Option<&str>,
        signature: &str,
    ) -> PortResult<()> {
        let bad = || PortError::Invalid("upload signature does not match".into());
        let tag = hex::decode(signature).map_err(|_| bad())?;
        self.mac(key, expires, content_type)?
            .verify_slice(&tag)
            .map_err(|_| bad())
    }
}

/// Percent-encode a key for a URL path, keeping `/` and RFC 3986 unreserved characters.
pub(crate) fn url_path(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
