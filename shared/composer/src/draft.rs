use crate::fact::Fact;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Draft {
    pub channel: String,
    pub title: Option<String>,
    /// Markdown for blog-like channels, newsletters and press releases; plain text for social
    /// posts; for `x`, the thread's posts separated by blank lines.
    pub body: String,
    /// The X thread's posts, each at most 280 weighted characters; empty for other channels.
    pub thread: Vec<String>,
    /// `builtin-composer`, or `<provider>:<model>`.
    pub provider: String,
    /// The prompt or template version the draft was written with.
    pub prompt_version: String,
    /// The facts the draft cites as `[n]`, by number; facts it left out are not listed.
    pub sources: Vec<Fact>,
}
