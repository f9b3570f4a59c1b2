//! What a check returns: findings, statistics and the score.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks submission: the report does not pass.
    Error,
    Warning,
    Info,
}

/// Byte offsets `start..end` into the checked text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
}

/// One issue, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Finding {
    /// Stable snake_case code such as `banned_term` or `over_limit`.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl Finding {
    pub(crate) fn new(code: &str, severity: Severity, message: String) -> Self {
        Self {
            code: code.to_owned(),
            severity,
            message,
            span: None,
            suggestion: None,
        }
    }

    pub(crate) fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub(crate) fn suggest(mut self, suggestion: String) -> Self {
        self.suggestion = Some(suggestion);
        self
    }
}

/// Measurements of the checked text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Stats {
    /// Whitespace-separated tokens with a letter or digit; a URL is one word.
    pub words: usize,
    pub sentences: usize,
    /// Unicode scalar values.
    pub characters: usize,
    /// Length as X counts it: each URL 23, CJK characters and emoji 2.
    pub weighted_length: usize,
    /// 0 for a text without words.
    pub flesch_kincaid_grade: f64,
    /// 0 for a text without words.
    pub flesch_reading_ease: f64,
    pub hashtags: usize,
    /// Compound sentiment in −1..=1.
    pub sentiment: f64,
    pub passive_sentences: usize,
    /// Posts in the suggested thread, when the text is too long for one X post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_parts: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
// Named apart from the other `Report`s: the OpenAPI document keys schemas by name.
#[schema(as = ComplianceReport)]
pub struct Report {
    /// 0–100: 100 less 20 per error, 7 per warning and 2 per note, each code deducting at
    /// most twice its most severe finding.
    pub score: u8,
    /// No finding has [`Severity::Error`].
    pub passed: bool,
    /// Ordered by span start; findings without a span come last.
    pub findings: Vec<Finding>,
    pub stats: Stats,
    /// The text split into numbered X posts, when it is over the X limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<Vec<String>>,
}

impl Report {
    /// Adds another reviewer's findings (an LLM review), keeping the order and re-scoring.
    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.findings.extend(findings);
        crate::score::sort(&mut self.findings);
        self.score = crate::score::score(&self.findings);
        self.passed = !self.findings.iter().any(|f| f.severity == Severity::Error);
    }
}
