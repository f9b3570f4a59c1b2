//! Drafts from a content brief, in a brand's voice. Two writers share one contract: the LLM
//! port (Bedrock, OpenAI-compatible, ...) asked for JSON and checked before it is trusted, and
//! the built-in composer, which builds structured drafts per channel from phrase tables and
//! retrieved facts without a model. Either way every draft records who wrote it, the prompt
//! or template version, and the facts its body cites.

mod banned;
mod brief;
mod builtin;
mod channel;
mod cite;
mod draft;
mod error;
mod fact;
mod llm;
mod prompt;
mod text;
mod voice;
mod weight;

pub use brief::{Brief, Length, validate};
pub use builtin::compose_builtin;
pub use channel::Channel;
pub use draft::Draft;
pub use error::ComposeError;
pub use fact::Fact;
pub use llm::compose_llm;
pub use voice::Voice;
pub use weight::{X_LIMIT, x_weighted_len};

/// The version of the LLM prompt (`src/prompt.rs`); bump it when the prompt's wording changes
/// so drafts written under different prompts can be told apart.
pub const PROMPT_VERSION: &str = "llm-draft-v1";

/// The version of the built-in composer's templates and phrase tables, recorded on its drafts.
pub const BUILTIN_TEMPLATE_VERSION: &str = "compose-v1";

/// The provider name drafts carry when the built-in composer wrote them.
pub const BUILTIN_PROVIDER: &str = "builtin-composer";

#[cfg(test)]
mod tests;
