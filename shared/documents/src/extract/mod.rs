//! Text out of each supported format, as titled sections that keep the heading or page each
//! passage came from.

mod docx;
mod html;
mod json;
mod markdown;
mod outline;
mod pdf;
mod text;

use serde::{Deserialize, Serialize};

use crate::{ExtractError, Format};

/// A document's text, split where its structure changes (a heading, a PDF page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extracted {
    pub title: Option<String>,
    /// In document order; never empty, and no section has empty text.
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The path of headings above this text, outermost first, joined with `" > "`
    /// (`"Guide > Install"`); `None` before the first heading and for formats without any.
    pub heading: Option<String>,
    /// 1-based page number, for PDFs.
    pub page: Option<u32>,
    /// Whitespace-tidied text: single spaces, paragraphs separated by one blank line.
    pub text: String,
}

/// Extracts the text of a document already known (or detected) to be `format`.
/// Never panics; a document that parses but holds no text is [`ExtractError::Empty`].
pub fn extract(format: Format, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let extracted = match format {
        Format::Text => text::extract(bytes),
        Format::Markdown => markdown::extract(bytes),
        Format::Html => html::extract(bytes),
        Format::Pdf => pdf::extract(bytes),
        Format::Docx => docx::extract(bytes),
        Format::Json => json::extract(bytes),
    }?;
    if extracted.sections.is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(extracted)
}

/// The bytes as UTF-8 without a byte-order mark. Invalid UTF-8 is refused rather than
/// patched with replacement characters, which would index garbage.
fn utf8(format: Format, bytes: &[u8]) -> Result<&str, ExtractError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ExtractError::malformed(format, format!("invalid UTF-8 ({e})")))?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}
