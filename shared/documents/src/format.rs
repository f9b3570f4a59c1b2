use std::{fmt, io::Cursor, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::ExtractError;

/// The document formats text can be extracted from. Serialised (and parsed) as the lowercase
/// names [`Format::as_str`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    Docx,
    Json,
}

const DOCX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// How far into a file `%PDF-` may start: readers accept a little leading junk, and so do we.
const PDF_MAGIC_WINDOW: usize = 1024;

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::Markdown,
        Format::Html,
        Format::Pdf,
        Format::Docx,
        Format::Json,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Json => "json",
        }
    }

    /// The canonical media type, for serving the original back.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Docx => DOCX_CONTENT_TYPE,
            Format::Json => "application/json",
        }
    }

    /// Decides the format from the declared content type (parameters such as `charset` are
    /// ignored), else the file name's extension, else the bytes themselves. Generic types like
    /// `application/octet-stream` count as undeclared. Anything that is none of the formats
    /// and not UTF-8 text is [`ExtractError::Unsupported`].
    pub fn detect(
        content_type: Option<&str>,
        filename: Option<&str>,
        bytes: &[u8],
    ) -> Result<Format, ExtractError> {
        if let Some(format) = content_type.and_then(from_content_type) {
            return Ok(format);
        }
        if let Some(format) = filename.and_then(from_extension) {
            return Ok(format);
        }
        if let Some(format) = sniff(bytes)? {
            return Ok(format);
        }
        let described = [content_type, filename]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        Err(ExtractError::Unsupported(if described.is_empty() {
            "binary content".to_owned()
        } else {
            described
        }))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = ExtractError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str() == s)
            .ok_or_else(|| ExtractError::Unsupported(s.to_owned()))
    }
}

fn from_content_type(content_type: &str) -> Option<Format> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "text/plain" => Some(Format::Text),
        "text/markdown" | "text/x-markdown" => Some(Format::Markdown),
        "text/html" | "application/xhtml+xml" => Some(Format::Html),
        "application/pdf" | "application/x-pdf" => Some(Format::Pdf),
        DOCX_CONTENT_TYPE => Some(Format::Docx),
        "application/json" | "text/json" => Some(Format::Json),
        other if other.starts_with("application/") && other.ends_with("+json") => {
            Some(Format::Json)
        }
        _ => None,
    }
}

fn from_extension(filename: &str) -> Option<Format> {
    let (_, extension) = filename.rsplit_once('.')?;
    match extension.to_ascii_lowercase().as_str() {
        "txt" | "text" => Some(Format::Text),
        "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "pdf" => Some(Format::Pdf),
        "docx" => Some(Format::Docx),
        "json" => Some(Format::Json),
        _ => None,
    }
}

fn sniff(bytes: &[u8]) -> Result<Option<Format>, ExtractError> {
    let window = &bytes[..bytes.len().min(PDF_MAGIC_WINDOW)];
    if window.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Some(Format::Pdf));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(archive) if archive.index_for_name("word/document.xml").is_some() => {
                Ok(Some(Format::Docx))
            }
            _ => Err(ExtractError::Unsupported(
                "zip archive that is not a DOCX document".to_owned(),
            )),
        };
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(None);
    };
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if (start.starts_with('{') || start.starts_with('['))
        && serde_json::from_str::<serde::de::IgnoredAny>(start).is_ok()
    {
        return Ok(Some(Format::Json));
    }
    if starts_with_ignoring_case(start, "<html")
        || starts_with_ignoring_case(start, "<!doctype html")
    {
        return Ok(Some(Format::Html));
    }
    Ok(Some(Format::Text))
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn content_type_wins_and_its_parameters_are_ignored() {
        let cases = [
            ("text/plain; charset=utf-8", Format::Text),
            ("Text/Markdown", Format::Markdown),
            ("text/html;charset=ISO-8859-1", Format::Html),
            ("application/xhtml+xml", Format::Html),
            ("application/pdf", Format::Pdf),
            (DOCX_CONTENT_TYPE, Format::Docx),
            ("application/json", Format::Json),
            ("application/ld+json; profile=x", Format::Json),
        ];
        for (content_type, format) in cases {
            assert_eq!(
                Format::detect(Some(content_type), Some("notes.pdf"), b"{}"),
                Ok(format),
                "{content_type}"
            );
        }
    }

    #[test]
    fn extension_decides_when_the_content_type_is_generic_or_missing() {
        let cases = [
            ("a.TXT", Format::Text),
            ("readme.md", Format::Markdown),
            ("page.htm", Format::Html),
            ("paper.pdf", Format::Pdf),
            ("plan.docx", Format::Docx),
            ("data.json", Format::Json),
        ];
        for (filename, format) in cases {
            assert_eq!(
                Format::detect(Some("application/octet-stream"), Some(filename), b"x"),
                Ok(format)
            );
            assert_eq!(Format::detect(None, Some(filename), b"x"), Ok(format));
        }
    }

    #[test]
    fn magic_bytes_decide_last() {
        let pdf = fixtures::pdf(None, &[&["x"]]);
        let docx = fixtures::zip(&[("word/document.xml", b"<w:document/>")]);
        let cases: [(&[u8], Format); 7] = [
            (&pdf, Format::Pdf),
            (&docx, Format::Docx),
            (b"  {\"a\": 1}", Format::Json),
            (b"[1, 2]", Format::Json),
            (b"\xef\xbb\xbf<!DOCTYPE HTML><p>x", Format::Html),
            (b"<html lang=en>", Format::Html),
            (b"{not json} just braces", Format::Text),
        ];
        for (bytes, format) in cases {
            assert_eq!(Format::detect(None, Some("upload.bin"), bytes), Ok(format));
        }
        assert_eq!(Format::detect(None, None, b"plain words"), Ok(Format::Text));
    }

    #[test]
    fn binary_and_foreign_archives_are_unsupported() {
        let not_docx = fixtures::zip(&[("notes.txt", b"hello")]);
        assert_eq!(
            Format::detect(None, Some("archive.zip"), &not_docx),
            Err(ExtractError::Unsupported(
                "zip archive that is not a DOCX document".into()
            ))
        );
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(
            Format::detect(Some("image/png"), Some("cat.png"), png)
                .unwrap_err()
                .to_string(),
            "unsupported document type: image/png, cat.png"
        );
        assert_eq!(
            Format::detect(None, None, png),
            Err(ExtractError::Unsupported("binary content".into()))
        );
    }

    #[test]
    fn names_round_trip_through_serde_and_from_str() {
        for format in Format::ALL {
            let json = serde_json::to_string(&format).unwrap();
            assert_eq!(json, format!("\"{}\"", format.as_str()));
            assert_eq!(serde_json::from_str::<Format>(&json).unwrap(), format);
            assert_eq!(format.as_str().parse::<Format>(), Ok(format));
            assert_eq!(
                from_content_type(format.content_type()),
                Some(format),
                "content_type() is detected back"
            );
        }
        assert!("doc".parse::<Format>().is_err());
    }
}
