//! [`Cipher`] on AWS KMS `Encrypt`/`Decrypt` with one symmetric key (`PLASMA_KMS_KEY_ID`). The
//! context is KMS's encryption context, which KMS binds to the ciphertext and logs in
//! CloudTrail, so every decryption of a tenant's secret is attributable to that tenant.

use crate::errors::sdk_error;
use async_trait::async_trait;
use aws_sdk_kms::Client;
use aws_sdk_kms::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::{KeyState, KeyUsageType};
use plasma_core::cipher::validate_plaintext;
use plasma_core::{Cipher, PortError, PortResult};
use std::collections::{BTreeMap, HashMap};
use std::error::Error;
use std::fmt::Debug;

/// KMS `Decrypt` takes no longer `CiphertextBlob`.
const MAX_CIPHERTEXT_BYTES: usize = 6144;

pub struct KmsCipher {
    client: Client,
    key_id: String,
}

impl KmsCipher {
    /// `key_id`: the key's id, ARN, alias name (`alias/...`) or alias ARN.
    pub fn new(client: Client, key_id: String) -> Self {
        Self { client, key_id }
    }

    /// Decryption failures are the caller's (wrong context, damaged ciphertext); a missing,
    /// disabled or forbidden key is the deployment's.
    fn error<E, R>(&self, operation: &str, err: SdkError<E, R>) -> PortError
    where
        E: ProvideErrorMetadata + Error + 'static,
        R: Debug,
    {
        let message = err.message().unwrap_or_default().to_string();
        match err.code() {
            Some(code @ ("InvalidCiphertextException" | "IncorrectKeyException")) => {
                PortError::Invalid(format!(
                    "{operation}: the secret cannot be decrypted: wrong context, another key, \
                     or the ciphertext was altered ({code})"
                ))
            }
            Some(
                code @ ("NotFoundException"
                | "DisabledException"
                | "KMSInvalidStateException"
                | "InvalidKeyUsageException"
                | "AccessDeniedException"),
            ) => PortError::NotConfigured(format!(
                "{operation}: KMS key {}: {code}: {message}",
                self.key_id
            )),
            _ => sdk_error(operation, err),
        }
    }
}

/// KMS treats an absent and an empty encryption context alike; send none when empty.
fn encryption_context(context: &BTreeMap<String, String>) -> Option<HashMap<String, String>> {
    (!context.is_empty()).then(|| context.clone().into_iter().collect())
}

#[async_trait]
impl Cipher for KmsCipher {
    async fn encrypt(
        &self,
        plaintext: &[u8],
        context: &BTreeMap<String, String>,
    ) -> PortResult<Vec<u8>> {
        const OP: &str = "kms Encrypt";
        validate_plaintext(plaintext)?;
        let out = self
            .client
            .encrypt()
            .key_id(&self.key_id)
            .plaintext(Blob::new(plaintext))
            .set_encryption_context(encryption_context(context))
            .send()
            .await
            .map_err(|e| self.error(OP, e))?;
        out.ciphertext_blob
            .map(Blob::into_inner)
            .ok_or_else(|| PortError::Backend(format!("{OP}: the reply holds no ciphertext")))
    }

    async fn decrypt(
        &self,
        ciphertext: &[u8],
        context: &BTreeMap<String, String>,
    ) -> PortResult<Vec<u8>> {
        const OP: &str = "kms Decrypt";
        // Checked here so that they fail like any other undecryptable input, not as a
        // ValidationException.
        if ciphertext.is_empty() || ciphertext.len() > MAX_CIPHERTEXT_BYTES {
            return Err(PortError::Invalid(format!(
                "{OP}: the secret cannot be decrypted: a KMS ciphertext is 1 to \
                 {MAX_CIPHERTEXT_BYTES} bytes, not {}",
                ciphertext.len()
            )));
        }
        // Naming the key makes KMS refuse a ciphertext of any other key instead of using it.
        let out = self
            .client
            .decrypt()
            .key_id(&self.key_id)
            .ciphertext_blob(Blob::new(ciphertext))
            .set_encryption_context(encryption_context(context))
            .send()
            .await
            .map_err(|e| self.error(OP, e))?;
        out.plaintext
            .map(Blob::into_inner)
            .ok_or_else(|| PortError::Backend(format!("{OP}: the reply holds no plaintext")))
    }

    async fn health(&self) -> PortResult<String> {
        const OP: &str = "kms DescribeKey";
        let out = self
            .client
            .describe_key()
            .key_id(&self.key_id)
            .send()
            .await
            .map_err(|e| self.error(OP, e))?;
        let meta = out
            .key_metadata
            .ok_or_else(|| PortError::Backend(format!("{OP}: the reply holds no key")))?;
        let state = meta.key_state.unwrap_or(KeyState::Unavailable);
        if state != KeyState::Enabled {
            return Err(PortError::NotConfigured(format!(
                "KMS key {} is {}",
                self.key_id,
                state.as_str()
            )));
        }
        if meta.key_usage != Some(KeyUsageType::EncryptDecrypt) {
            return Err(PortError::NotConfigured(format!(
                "KMS key {} is not an encryption key",
                self.key_id
            )));
        }
        Ok(format!(
            "kms key {} ({})",
            meta.arn.unwrap_or(meta.key_id),
            state.as_str()
        ))
    }
}

#[cfg(test)]
mod tests;
