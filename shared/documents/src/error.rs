use crate::Format;

/// Why a document yielded no text. The Display text is meant to be stored as the reason of a
/// document's `failed` status, so it names the problem without internal detail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// Not a format this crate reads (an image, a legacy `.doc`, an arbitrary archive...).
    #[error("unsupported document type: {0}")]
    Unsupported(String),
    /// Claimed or detected as `format` but could not be read as one.
    #[error("malformed {format} document: {reason}")]
    Malformed { format: Format, reason: String },
    /// Decodes to more content or text than a stated limit allows: a decompression bomb,
    /// or a document beyond what one ingestion handles. The text names the limit.
    #[error("document too large: {0}")]
    TooLarge(String),
    /// Read fine but holds no text (a scanned PDF without a text layer, an empty file).
    #[error("the document contains no extractable text")]
    Empty,
}

impl ExtractError {
    pub(crate) fn malformed(format: Format, reason: impl std::fmt::Display) -> Self {
        Self::Malformed {
            format,
            reason: reason.to_string(),
        }
    }
}
