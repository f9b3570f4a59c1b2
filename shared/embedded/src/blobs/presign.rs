//! Presigned uploads for the runner's upload route, the local counterpart of S3's POST
//! policy: form fields naming the key, the expiry, the largest size and the content type,
//! with an HMAC-SHA256 over all of them keyed by a secret that never leaves the data
//! directory.

use crate::random::random_bytes;
use hmac::{Hmac, KeyInit, Mac};
use plasma_core::{PortError, PortResult};
use sha2::Sha256;
use std::collections::BTreeMap;
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

    fn mac(&self, grant: &UploadGrant<'_>) -> PortResult<Hmac<Sha256>> {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(&self.secret).map_err(PortError::backend)?;
        // Keys hold no control characters and the expiry and size are digits, so newline
        // separators make the signed string unambiguous; the content type comes last.
        mac.update(
            format!(
                "POST\n{}\n{}\n{}\n{}",
                grant.key,
                grant.expires,
                grant.max_bytes,
                grant.content_type.unwrap_or("")
            )
            .as_bytes(),
        );
        Ok(mac)
    }

    /// The form fields of a signed upload.
    pub(crate) fn sign(&self, grant: &UploadGrant<'_>) -> PortResult<BTreeMap<String, String>> {
        let signature = hex::encode(self.mac(grant)?.finalize().into_bytes());
        let mut fields = BTreeMap::from([
            (KEY.to_owned(), grant.key.to_owned()),
            (EXPIRES.to_owned(), grant.expires.to_string()),
            (MAX_BYTES.to_owned(), grant.max_bytes.to_string()),
            (SIGNATURE.to_owned(), signature),
        ]);
        if let Some(content_type) = grant.content_type {
            fields.insert(CONTENT_TYPE.to_owned(), content_type.to_owned());
        }
        Ok(fields)
    }

    /// Constant-time check of the form's signature; what it grants.
    pub(crate) fn verify(&self, fields: &BTreeMap<String, String>) -> PortResult<VerifiedUpload> {
        let field = |name: &str| {
            fields
                .get(name)
                .ok_or_else(|| PortError::Invalid(format!("the upload form has no {name}")))
        };
        let grant = UploadGrant {
            key: field(KEY)?,
            expires: number(field(EXPIRES)?, EXPIRES)?,
            max_bytes: number(field(MAX_BYTES)?, MAX_BYTES)?,
            content_type: fields.get(CONTENT_TYPE).map(String::as_str),
        };
        let bad = || PortError::Invalid("upload signature does not match".into());
        let tag = hex::decode(field(SIGNATURE)?).map_err(|_| bad())?;
        self.mac(&grant)?.verify_slice(&tag).map_err(|_| bad())?;
        Ok(VerifiedUpload {
            key: grant.key.to_owned(),
            expires: grant.expires,
            max_bytes: grant.max_bytes,
            content_type: grant.content_type.map(str::to_owned),
        })
    }
}

fn number<T: std::str::FromStr>(value: &str, name: &str) -> PortResult<T> {
    value
        .parse()
        .map_err(|_| PortError::Invalid(format!("the upload form's {name} is malformed")))
}

// Form field names; `key` and `Content-Type` as in S3's POST upload.
const KEY: &str = "key";
const CONTENT_TYPE: &str = "Content-Type";
const EXPIRES: &str = "x-plasma-expires";
const MAX_BYTES: &str = "x-plasma-max-bytes";
const SIGNATURE: &str = "x-plasma-signature";

/// What a presigned upload allows, as signed.
pub(crate) struct UploadGrant<'a> {
    pub key: &'a str,
    pub expires: i64,
    pub max_bytes: u64,
    pub content_type: Option<&'a str>,
}

/// A checked upload form: where the file goes, until when, how large it may be, and the
/// content type to store it with.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedUpload {
    pub key: String,
    pub expires: i64,
    pub max_bytes: u64,
    pub content_type: Option<String>,
}
