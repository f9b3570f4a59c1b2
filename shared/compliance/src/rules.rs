//! The parts of a brand-voice profile the checks read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Channel;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct VoiceRules {
    /// Descriptors such as "friendly", "formal", "confident", "empathetic"; unknown ones are
    /// ignored.
    pub tone: Vec<String>,
    /// Words or phrases, matched case-insensitively as whole words.
    pub banned_terms: Vec<String>,
    /// Words or phrases that must appear, such as a disclaimer ("Capital at risk").
    pub required_terms: Vec<String>,
    /// Highest acceptable Flesch–Kincaid grade.
    pub reading_grade: Option<f64>,
    /// Longest acceptable sentence in words; 30 when unset.
    pub max_sentence_words: Option<u32>,
    /// Overrides the channel's default hashtag maximum.
    pub max_hashtags: Option<u32>,
    /// Preferred length in words per channel.
    pub preferred_length: BTreeMap<Channel, LengthRange>,
}

/// Inclusive bounds in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LengthRange {
    pub min: u32,
    pub max: u32,
}
