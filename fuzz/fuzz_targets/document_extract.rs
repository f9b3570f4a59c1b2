//! Research documents: the first byte picks the format (text, Markdown, HTML, PDF, DOCX,
//! JSON), the rest is the file. Extraction refuses what it cannot read; what it reads is
//! chunked.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plasma_documents::{ChunkOptions, Format, chunk, extract};

const FORMATS: [Format; 6] = [
    Format::Text,
    Format::Markdown,
    Format::Html,
    Format::Pdf,
    Format::Docx,
    Format::Json,
];

fuzz_target!(|data: &[u8]| {
    let Some((first, bytes)) = data.split_first() else {
        return;
    };
    let format = FORMATS[usize::from(*first) % FORMATS.len()];
    if let Ok(extracted) = extract(format, bytes) {
        assert!(!extracted.sections.is_empty());
        let chunks = chunk("doc", &extracted, &ChunkOptions::default());
        assert!(chunks.iter().all(|c| !c.text.is_empty()));
    }
});
