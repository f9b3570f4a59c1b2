//! Unpredictable tokens (receipts, schedule revisions, the presign secret) from the OS.

use plasma_core::{PortError, PortResult};

pub(crate) fn random_bytes<const N: usize>() -> PortResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| PortError::Backend(format!("no randomness: {e}")))?;
    Ok(bytes)
}

/// 128 random bits, hex encoded.
pub(crate) fn token() -> PortResult<String> {
    Ok(hex::encode(random_bytes::<16>()?))
}
