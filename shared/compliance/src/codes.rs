//! The stable finding codes clients match on.

pub const BANNED_TERM: &str = "banned_term";
pub const MISSING_REQUIRED_TERM: &str = "missing_required_term";
pub const READING_GRADE: &str = "reading_grade";
pub const TONE_MISMATCH: &str = "tone_mismatch";
pub const SENTIMENT_MISMATCH: &str = "sentiment_mismatch";
pub const LONG_SENTENCE: &str = "long_sentence";
pub const PASSIVE_VOICE: &str = "passive_voice";
pub const UNSUPPORTED_CLAIM: &str = "unsupported_claim";
pub const OVER_LIMIT: &str = "over_limit";
pub const TOO_MANY_HASHTAGS: &str = "too_many_hashtags";
pub const TOO_SHORT: &str = "too_short";
pub const TOO_LONG: &str = "too_long";
pub const THREAD_SPLIT: &str = "thread_split";
