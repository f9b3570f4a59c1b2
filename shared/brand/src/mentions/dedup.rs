//! What makes two sightings the same item: the canonical URL and the normalised text.
//!
//! URL canonicalisation (tracking parameters, fragments, host case) happens in the source
//! connectors; here the URL is taken as given. Text is normalised so that re-rendering
//! differences (case, line breaks, runs of spaces) do not create a second mention, while an
//! edited article at the same URL, or two comments on one thread URL, stay distinct.

use crate::Mention;
use sha2::{Digest, Sha256};

/// SHA-256 (hex) of the text lowercased with every run of whitespace collapsed to one space.
pub fn content_hash(text: &str) -> String {
    let normalised = text
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    hex::encode(Sha256::digest(normalised.as_bytes()))
}

/// The identity of a mention within a monitor: 128 bits of SHA-256 over the canonical URL and
/// the content hash. Items without a URL (some webhook payloads) fall back to the source's
/// own id, which the connector guarantees stable across re-deliveries.
pub fn dedup_digest(mention: &Mention) -> String {
    let url = mention.url.trim();
    let identity = if url.is_empty() {
        format!("{}:{}", mention.source, mention.id)
    } else {
        url.to_string()
    };
    let mut hasher = Sha256::new();
    hasher.update(identity.as_bytes());
    // The separator keeps ("ab", "c…") and ("a", "bc…") apart.
    hasher.update(b"\n");
    hasher.update(content_hash(&mention.text).as_bytes());
    hex::encode(&hasher.finalize()[..16])
}
