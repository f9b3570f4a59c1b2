//! English analysis for BM25 and for the built-in embedder: the same tokens and stemmer,
//! with stop-word lists suited to each.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};

/// The name the analyzer is registered under in the tantivy index.
pub(crate) const ENGLISH: &str = "plasma_en";

/// Words split on non-alphanumerics, lower-cased, the short (Lucene) English stop-word list
/// dropped, Snowball-stemmed; BM25's IDF takes care of the remaining common words.
/// Tokens over 40 bytes are noise (hashes, URLs) and only bloat the index.
pub(crate) fn english() -> TextAnalyzer {
    with_stop_words(
        StopWordFilter::new(Language::English).expect("English stop words are built in"),
    )
}

/// Like [`english`] with the ISO list of about 1,300 English stop words: for the embedder,
/// which has no IDF to discount common words, so they must go before hashing.
pub(crate) fn broad() -> TextAnalyzer {
    with_stop_words(StopWordFilter::remove(
        stop_words::get("en").iter().map(|w| w.to_string()),
    ))
}

fn with_stop_words(stop_words: StopWordFilter) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(stop_words)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyzed terms of `text`, in order.
pub(crate) fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}
