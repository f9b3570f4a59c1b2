use std::{
    collections::{BTreeMap, HashMap},
    panic,
};

use lopdf::{
    DecompressError, Dictionary, Document, Encoding, LoadOptions, Object, ObjectId,
    content::Content,
};

use super::{
    Extracted, Section,
    outline::{collapse_whitespace, tidy},
};
use crate::{ExtractError, Format};

/// What one PDF may cost to read. A small file can name the same compressed stream from
/// thousands of pages, or pack millions of operators into a few kilobytes; each bound turns
/// such a file into [`ExtractError::TooLarge`] instead of minutes of work or gigabytes.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// Bytes the document may inflate to: object streams each, and page content streams
    /// and font CMaps all together, counted once per page that draws them.
    decoded: usize,
    /// Content stream operators run, over all pages.
    operations: usize,
    /// Bytes of UTF-8 text taken out: about four million tokens at the default, far past a
    /// long book, and what keeps a small file from flooding chunking and embedding.
    text: usize,
}

const LIMITS: Limits = Limits {
    decoded: 64 << 20,
    operations: 8_000_000,
    text: 16 << 20,
};

/// Bytes of a string decoded at a time, so the text limit is checked as it grows.
const STRING_PIECE: usize = 4096;

/// TJ adjustments are in thousandths of an em; a word gap is roughly a quarter em or more,
/// kerning much less.
const TJ_WORD_GAP: f32 = -180.0;

/// The text layer, one section per page that has text (1-based page numbers); the title is
/// the document information dictionary's `Title`. A PDF whose pages carry no text (a scan)
/// is [`ExtractError::Empty`]; one past [`LIMITS`] is [`ExtractError::TooLarge`].
pub(super) fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    extract_within(bytes, LIMITS)
}

fn extract_within(bytes: &[u8], limits: Limits) -> Result<Extracted, ExtractError> {
    // lopdf is a large parser facing hostile input; if it panics on some file, that file
    // fails, not the worker that ingests it.
    panic::catch_unwind(|| read(bytes, limits)).unwrap_or_else(|_| {
        Err(ExtractError::malformed(
            Format::Pdf,
            "unreadable PDF structure",
        ))
    })
}

fn read(bytes: &[u8], limits: Limits) -> Result<Extracted, ExtractError> {
    let options = LoadOptions {
        max_decompressed_size: Some(limits.decoded),
        ..LoadOptions::default()
    };
    let document =
        Document::load_mem_with_options(bytes, options).map_err(|e| pdf_error(e, limits))?;
    let pages = document.get_pages();
    // Inflating is cheap next to parsing operators: the pages' total is known, and a bomb
    // refused, before any page is parsed.
    let mut decoded = 0;
    for &page_id in pages.values() {
        let left = limits.decoded.saturating_sub(decoded);
        match document.get_page_content_with_limit(page_id, left) {
            Ok(content) => decoded += content.len(),
            Err(e @ lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
                return Err(pdf_error(e, limits));
            }
            // Reported by the page when it is read.
            Err(_) => {}
        }
    }
    let mut reader = Reader {
        document: &document,
        limits,
        decoded,
        operations: 0,
        text: 0,
        fonts: HashMap::new(),
    };
    let mut sections = Vec::new();
    let mut first_error = None;
    for (number, page_id) in pages {
        match reader.page_text(page_id) {
            Ok(text) => {
                let text = unwrap_lines(&text);
                if !text.is_empty() {
                    sections.push(Section {
                        heading: None,
                        page: Some(number),
                        text,
                    });
                }
            }
            Err(e @ ExtractError::TooLarge(_)) => return Err(e),
            // One damaged page should not cost the others; only a document where nothing
            // could be read reports it.
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if let (true, Some(e)) = (sections.is_empty(), first_error) {
        return Err(e);
    }
    Ok(Extracted {
        title: info_title(&document),
        sections,
    })
}

/// A decoding limit hit is the document's size, anything else its structure.
fn pdf_error(e: lopdf::Error, limits: Limits) -> ExtractError {
    match e {
        lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. }) => {
            ExtractError::TooLarge(format!(
                "its streams decode to more than {} MiB",
                limits.decoded >> 20
            ))
        }
        e => ExtractError::malformed(Format::Pdf, e),
    }
}

/// What reading the pages has spent so far, and each font's encoding decoded once.
struct Reader<'a> {
    document: &'a Document,
    limits: Limits,
    /// Bytes decoded from content streams (all of them, up front) and CMaps so far.
    decoded: usize,
    operations: usize,
    /// Bytes of text taken so far.
    text: usize,
    /// Keyed by the font dictionary's address: pages share fonts by reference, so one
    /// dictionary is one font however many pages use it.
    fonts: HashMap<*const Dictionary, Option<Encoding<'a>>>,
}

impl<'a> Reader<'a> {
    fn page_text(&mut self, page_id: ObjectId) -> Result<String, ExtractError> {
        let limits = self.limits;
        let fonts = self
            .document
            .get_page_fonts(page_id)
            .map_err(|e| pdf_error(e, limits))?;
        for &font in fonts.values() {
            let key: *const Dictionary = font;
            if !self.fonts.contains_key(&key) {
                let encoding = self.encoding(font)?;
                self.fonts.insert(key, encoding);
            }
        }
        let encodings: BTreeMap<&[u8], &Encoding<'a>> = fonts
            .iter()
            .filter_map(|(name, font)| {
                let key: *const Dictionary = *font;
                Some((name.as_slice(), self.fonts.get(&key)?.as_ref()?))
            })
            .collect();
        // Already counted in `decoded`.
        let content = self
            .document
            .get_page_content_with_limit(page_id, limits.decoded)
            .map_err(|e| pdf_error(e, limits))?;
        // One operation at a time: a stream of a few bytes per operator would take many
        // times its size as parsed operations.
        let mut page = PageText::new(&encodings, limits.text.saturating_sub(self.text));
        for operation in Content::decode_iter(&content) {
            let operation = operation.map_err(|e| pdf_error(e, limits))?;
            self.operations += 1;
            if self.operations > limits.operations {
                return Err(ExtractError::TooLarge(format!(
                    "it runs more than {} content operators",
                    limits.operations
                )));
            }
            page.apply(&operation.operator, &operation.operands);
            if page.overflow {
                return Err(ExtractError::TooLarge(format!(
                    "its text passes {} MiB",
                    limits.text >> 20
                )));
            }
        }
        self.text += page.text.len();
        Ok(page.text)
    }

    /// The font's encoding; `None` where it has none we can use. A `/ToUnicode` CMap is
    /// charged against the decoding budget like a content stream.
    fn encoding(&mut self, font: &'a Dictionary) -> Result<Option<Encoding<'a>>, ExtractError> {
        let limits = self.limits;
        if let Ok(cmap) = font
            .get_deref(b"ToUnicode", self.document)
            .and_then(Object::as_stream)
        {
            let left = limits.decoded.saturating_sub(self.decoded);
            match cmap.decompressed_content_with_limit(left) {
                Ok(decoded) => self.decoded += decoded.len(),
                Err(e @ lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
                    return Err(pdf_error(e, limits));
                }
                Err(_) => {}
            }
        }
        let left = limits.decoded.saturating_sub(self.decoded);
        match font.get_font_encoding_with_limit(self.document, left) {
            Ok(encoding) => Ok(Some(encoding)),
            Err(e @ lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
                Err(pdf_error(e, limits))
            }
            Err(_) => Ok(None),
        }
    }
}

fn info_title(document: &Document) -> Option<String> {
    let info = document
        .trailer
        .get_deref(b"Info", document)
        .ok()?
        .as_dict()
        .ok()?;
    let title = lopdf::decode_text_string(info.get_deref(b"Title", document).ok()?).ok()?;
    Some(collapse_whitespace(&title)).filter(|title| !title.is_empty())
}

/// Follows the text operators of a content stream closely enough to lay the text out in
/// reading lines: where the text position moves down a line, a newline; by more than a
/// line and a half, a paragraph break; along the same line, a space.
struct PageText<'a> {
    encodings: &'a BTreeMap<&'a [u8], &'a Encoding<'a>>,
    encoding: Option<&'a Encoding<'a>>,
    text: String,
    /// Bytes of text this page may still add; past it, `overflow` and nothing more is shown.
    room: usize,
    overflow: bool,
    font_size: f32,
    /// Vertical scale of the text matrix, so font size and moves compare in user space.
    scale: f32,
    /// Baseline of the current line in user space.
    line_y: f32,
    /// Baseline of the text last shown, if any.
    shown_y: Option<f32>,
    moved: bool,
}

impl<'a> PageText<'a> {
    fn new(encodings: &'a BTreeMap<&'a [u8], &'a Encoding<'a>>, room: usize) -> Self {
        Self {
            encodings,
            encoding: None,
            text: String::new(),
            room,
            overflow: false,
            font_size: 1.0,
            scale: 1.0,
            line_y: 0.0,
            shown_y: None,
            moved: false,
        }
    }

    fn apply(&mut self, operator: &str, operands: &[Object]) {
        let number = |i: usize| operands.get(i).and_then(|o| o.as_float().ok());
        match operator {
            "BT" => {
                self.scale = 1.0;
                self.line_y = 0.0;
                self.moved = true;
            }
            "Tf" => {
                self.encoding = operands
                    .first()
                    .and_then(|name| name.as_name().ok())
                    .and_then(|name| self.encodings.get(name).copied());
                self.font_size = number(1).map_or(1.0, f32::abs);
            }
            "Td" | "TD" => self.move_down(-number(1).unwrap_or(0.0) * self.scale),
            "Tm" => {
                let (c, d) = (number(2).unwrap_or(0.0), number(3).unwrap_or(1.0));
                self.scale = c.hypot(d);
                let f = number(5).unwrap_or(0.0);
                self.move_down(self.line_y - f);
            }
            "T*" => self.move_down(self.line_height()),
            "Tj" => self.show(operands),
            "TJ" => {
                if let Some(Object::Array(items)) = operands.first() {
                    self.show(items);
                }
            }
            "'" | "\"" => {
                self.move_down(self.line_height());
                self.show(
                    operands
                        .last()
                        .map(std::slice::from_ref)
                        .unwrap_or_default(),
                );
            }
            _ => {}
        }
    }

    fn line_height(&self) -> f32 {
        self.font_size * self.scale.max(f32::EPSILON)
    }

    fn move_down(&mut self, dy: f32) {
        self.line_y -= dy;
        self.moved = true;
    }

    fn show(&mut self, items: &[Object]) {
        let Some(encoding) = self.encoding else {
            return;
        };
        if self.overflow {
            return;
        }
        self.separate();
        for item in items {
            match item {
                Object::String(bytes, _) => {
                    // A CMap may map one code to many characters, so a long string is
                    // decoded in pieces and stopped at the limit; the pieces split on a
                    // multiple of every usual code length (1, 2 and 4 bytes).
                    for piece in bytes.chunks(STRING_PIECE) {
                        // An undecodable piece loses only itself.
                        let _ = encoding.write_to_string(piece, &mut self.text);
                        if self.text.len() > self.room {
                            self.overflow = true;
                            return;
                        }
                    }
                }
                item if item.as_float().is_ok_and(|gap| gap < TJ_WORD_GAP) => self.text.push(' '),
                _ => {}
            }
        }
    }

    fn separate(&mut self) {
        if !std::mem::take(&mut self.moved) {
            return;
        }
        let Some(previous) = self.shown_y.replace(self.line_y) else {
            return;
        };
        let lines = (previous - self.line_y).abs() / self.line_height();
        if lines > 1.6 {
            self.text.push_str("\n\n");
        } else if lines > 0.3 {
            self.text.push('\n');
        } else if !self.text.ends_with(char::is_whitespace) {
            self.text.push(' ');
        }
    }
}

/// Rejoins lines broken by the page width into paragraphs, undoing end-of-line hyphenation
/// ("extrac-" + "tion"), so sentences survive for the chunker.
fn unwrap_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for paragraph in tidy(text).split("\n\n") {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let mut lines = paragraph.lines().peekable();
        while let Some(line) = lines.next() {
            let next_starts_lower = lines
                .peek()
                .and_then(|next| next.chars().next())
                .is_some_and(char::is_lowercase);
            let hyphenated = line
                .strip_suffix('-')
                .filter(|stem| stem.ends_with(char::is_alphabetic) && next_starts_lower);
            match hyphenated {
                Some(stem) => out.push_str(stem),
                None => {
                    out.push_str(line);
                    if lines.peek().is_some() {
                        out.push(' ');
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{extract, fixtures};

    #[test]
    fn one_section_per_page_with_page_numbers_and_info_title() {
        let bytes = fixtures::pdf(
            Some("Quarterly Report"),
            &[
                &["Revenue grew in the first", "quarter of the year."],
                &["Costs fell.", "Margins improved."],
            ],
        );
        let extracted = extract(Format::Pdf, &bytes).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Quarterly Report"));
        let got: Vec<_> = extracted
            .sections
            .iter()
            .map(|s| (s.page, s.heading.as_deref(), s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some(1),
                    None,
                    "Revenue grew in the first quarter of the year."
                ),
                (Some(2), None, "Costs fell. Margins improved."),
            ]
        );
    }

    #[test]
    fn pages_without_text_are_skipped_and_a_textless_pdf_is_empty() {
        let bytes = fixtures::pdf(None, &[&[], &["Only page two has text."]]);
        let extracted = extract(Format::Pdf, &bytes).unwrap();
        assert_eq!(extracted.title, None);
        assert_eq!(extracted.sections.len(), 1);
        assert_eq!(extracted.sections[0].page, Some(2));

        let scan = fixtures::pdf(None, &[&[], &[]]);
        assert_eq!(extract(Format::Pdf, &scan), Err(ExtractError::Empty));
    }

    #[test]
    fn broken_pdfs_are_errors_not_panics() {
        let bytes = fixtures::pdf(None, &[&["Some text here."], &["And more."]]);
        for cut in [10, 40, bytes.len() / 3, bytes.len() / 2, bytes.len() - 10] {
            // Lenient loading may recover a truncated file; it must just never panic.
            let _ = extract(Format::Pdf, &bytes[..cut]);
        }
        assert!(matches!(
            extract(Format::Pdf, &bytes[..40]),
            Err(ExtractError::Malformed {
                format: Format::Pdf,
                ..
            })
        ));
        assert!(matches!(
            extract(Format::Pdf, b"%PDF-1.7\nthis is not a pdf"),
            Err(ExtractError::Malformed {
                format: Format::Pdf,
                ..
            })
        ));
        assert!(extract(Format::Pdf, b"").is_err());
    }

    #[test]
    fn a_content_stream_shared_by_many_pages_stops_at_the_decoding_limit() {
        // 2,000 pages each drawing the same 16 MiB of operators: 32 GB if every page were
        // decoded; the whole document may decode 64 MiB.
        let bytes = fixtures::pdf_bomb(2000, b"q Q\n", 4 << 20);
        assert!(bytes.len() < 256 << 10, "{} bytes", bytes.len());
        let started = std::time::Instant::now();
        let refused = extract(Format::Pdf, &bytes);
        assert_eq!(
            refused,
            Err(ExtractError::TooLarge(
                "its streams decode to more than 64 MiB".into()
            ))
        );
        assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    }

    #[test]
    fn operators_past_the_limit_are_too_large() {
        // 2,000 operators a page; the cost of parsing is bounded like the bytes decoded.
        let bytes = fixtures::pdf_bomb(3, b"q Q\n", 1000);
        let limits = |operations| Limits {
            operations,
            ..LIMITS
        };
        assert_eq!(
            extract_within(&bytes, limits(5999)).map(|_| ()),
            Err(ExtractError::TooLarge(
                "it runs more than 5999 content operators".into()
            ))
        );
        assert!(extract_within(&bytes, limits(6000)).is_ok());
    }

    #[test]
    fn text_past_the_limit_is_too_large() {
        // Each page shows 1 MiB of text; 17 pages pass the 16 MiB of text a PDF may yield
        // while decoding far less than the decoding limit.
        let mut page = b"BT /F1 12 Tf (".to_vec();
        page.resize(page.len() + (1 << 20), b'A');
        page.extend_from_slice(b") Tj ET\n");
        let bytes = fixtures::pdf_bomb(17, &page, 1);
        assert_eq!(
            extract(Format::Pdf, &bytes),
            Err(ExtractError::TooLarge("its text passes 16 MiB".into()))
        );
        let bytes = fixtures::pdf_bomb(3, &page, 1);
        let extracted = extract(Format::Pdf, &bytes).unwrap();
        assert_eq!(extracted.sections.len(), 3);
        assert_eq!(extracted.sections[0].text.len(), 1 << 20);
    }

    #[test]
    fn tj_gaps_become_spaces_and_moves_down_become_line_breaks() {
        let win_ansi = Encoding::SimpleEncoding(b"WinAnsiEncoding");
        let encodings = BTreeMap::from([(&b"F1"[..], &win_ansi)]);
        let mut page = PageText::new(&encodings, LIMITS.text);
        let op = |page: &mut PageText<'_>, operator: &str, operands: Vec<Object>| {
            page.apply(operator, &operands)
        };
        op(&mut page, "BT", vec![]);
        op(&mut page, "Tf", vec!["F1".into(), 1.into()]);
        op(
            &mut page,
            "Tm",
            vec![
                10.into(),
                0.into(),
                0.into(),
                10.into(),
                72.into(),
                700.into(),
            ],
        );
        let tj = vec![Object::Array(vec![
            Object::string_literal("Hel"),
            Object::Integer(-20),
            Object::string_literal("lo"),
            Object::Integer(-300),
            Object::string_literal("world"),
        ])];
        op(&mut page, "TJ", tj);
        op(&mut page, "Td", vec![0.into(), Object::Real(-1.2)]);
        op(&mut page, "Tj", vec![Object::string_literal("next")]);
        op(&mut page, "Td", vec![0.into(), Object::Real(-3.0)]);
        op(&mut page, "Tj", vec![Object::string_literal("para")]);
        op(&mut page, "ET", vec![]);
        assert_eq!(page.text, "Hello world\nnext\n\npara");
    }

    #[test]
    fn unwrap_lines_joins_wrapped_lines_and_hyphenation() {
        assert_eq!(
            unwrap_lines("The extrac-\ntion works\nacross lines.\n\nNext para-\nGraph"),
            "The extraction works across lines.\n\nNext para- Graph"
        );
    }
}
