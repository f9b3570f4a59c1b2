//! What the content capability borrows from the rest of the platform: research facts to
//! ground drafts in, and a cipher that says so when none is configured.

use async_trait::async_trait;
use plasma_composer::Fact;
use plasma_core::{Cipher, PortError, PortResult, SearchFilters, SearchMode};
use plasma_research::Research;
use std::collections::BTreeMap;

/// Longest fact handed to the composer, in bytes; a chunk is cut at a sentence end.
const FACT_BYTES: usize = 400;

/// Drafts grounded in the tenant's research knowledge base: the best hybrid hits, one per
/// document, numbered as citations.
pub struct ResearchGrounding(pub Research);

#[async_trait]
impl plasma_content::Grounding for ResearchGrounding {
    async fn facts(&self, tenant: &str, query: &str, limit: usize) -> PortResult<Vec<Fact>> {
        let results = plasma_research::search::search(
            &self.0,
            tenant,
            query,
            SearchMode::Hybrid,
            limit * 3,
            SearchFilters::default(),
            None,
        )
        .await?;
        let mut facts: Vec<Fact> = Vec::new();
        for r in results {
            if facts.len() == limit {
                break;
            }
            if facts.iter().any(|f| f.document_id == r.document_id) {
                continue;
            }
            facts.push(Fact {
                n: facts.len() + 1,
                text: excerpt(&r.text),
                title: r.title,
                document_id: r.document_id,
                chunk_id: r.chunk_id,
            });
        }
        Ok(facts)
    }
}

/// The chunk's opening sentences, up to [`FACT_BYTES`].
fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.len() <= FACT_BYTES {
        return text.to_string();
    }
    let mut end = FACT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    match head.rfind(". ") {
        Some(i) if i > FACT_BYTES / 4 => head[..=i].to_string(),
        _ => format!("{}…", head.trim_end()),
    }
}

/// The AWS backend without `PLASMA_KMS_KEY_ID`: storing credentials is refused with a
/// message that names the setting, instead of keeping them unencrypted.
pub struct UnconfiguredCipher;

#[async_trait]
impl Cipher for UnconfiguredCipher {
    async fn encrypt(&self, _: &[u8], _: &BTreeMap<String, String>) -> PortResult<Vec<u8>> {
        Err(PortError::NotConfigured(
            "no KMS key for secrets (PLASMA_KMS_KEY_ID)".into(),
        ))
    }

    async fn decrypt(&self, _: &[u8], _: &BTreeMap<String, String>) -> PortResult<Vec<u8>> {
        Err(PortError::NotConfigured(
            "no KMS key for secrets (PLASMA_KMS_KEY_ID)".into(),
        ))
    }

    async fn health(&self) -> PortResult<String> {
        Err(PortError::NotConfigured(
            "no KMS key for secrets (PLASMA_KMS_KEY_ID)".into(),
        ))
    }
}
