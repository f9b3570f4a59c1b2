//! Documents for research ingestion: format detection, text extraction (plain text,
//! Markdown, HTML, PDF, DOCX, JSON) into headed or paged sections, sentence-aware chunking
//! under a token budget, and content hashes for idempotent ingestion. Pure and synchronous.

mod chunk;
mod error;
mod extract;
mod format;
mod tokens;

#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;

use sha2::{Digest, Sha256};

pub use chunk::{Chunk, ChunkOptions, chunk};
pub use error::ExtractError;
pub use extract::{Extracted, Section, extract};
pub use format::Format;
pub use tokens::estimate_tokens;

/// Lowercase hex SHA-256 of the original bytes: the same upload twice is the same document.
pub fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_sha256_hex() {
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
