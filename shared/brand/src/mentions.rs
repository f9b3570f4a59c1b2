//! Mention storage, deduplication and analytics (work in progress).
