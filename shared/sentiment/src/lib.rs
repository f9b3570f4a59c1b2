//! Sentiment analysis (work in progress).
