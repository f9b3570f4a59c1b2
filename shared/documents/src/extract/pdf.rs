use std::{collections::BTreeMap, panic};

use lopdf::{Document, Encoding, LoadOptions, Object, ObjectId, content::Content};

use super::{
    Extracted, Section,
    outline::{collapse_whitespace, tidy},
};
use crate::{ExtractError, Format};

/// Bound on any one stream once inflated, so a small crafted file cannot exhaust memory.
const MAX_DECOMPRESSED: usize = 64 << 20;

/// TJ adjustments are in thousandths of an em; a word gap is roughly a quarter em or more,
/// kerning much less.
const TJ_WORD_GAP: f32 = -180.0;

/// The text layer, one section per page that has text (1-based page numbers); the title is
/// the document information dictionary's `Title`. A PDF whose pages carry no text (a scan)
/// is [`ExtractError::Empty`].
pub(super) fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    // lopdf is a large parser facing hostile input; if it panics on some file, that file
    // fails, not the worker that ingests it.
    panic::catch_unwind(|| read(bytes)).unwrap_or_else(|_| {
        Err(ExtractError::malformed(
            Format::Pdf,
            "unreadable PDF structure",
        ))
    })
}

fn read(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_DECOMPRESSED),
        ..LoadOptions::default()
    };
    let document = Document::load_mem_with_options(bytes, options)
        .map_err(|e| ExtractError::malformed(Format::Pdf, e))?;
    let mut sections = Vec::new();
    let mut first_error = None;
    for (number, page_id) in document.get_pages() {
        match page_text(&document, page_id) {
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
            // One damaged page should not cost the others; only a document where nothing
            // could be read reports it.
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if let (true, Some(e)) = (sections.is_empty(), first_error) {
        return Err(ExtractError::malformed(Format::Pdf, e));
    }
    Ok(Extracted {
        title: info_title(&document),
        sections,
    })
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

fn page_text(document: &Document, page_id: ObjectId) -> lopdf::Result<String> {
    let encodings: BTreeMap<Vec<u8>, Encoding<'_>> = document
        .get_page_fonts(page_id)?
        .into_iter()
        .filter_map(|(name, font)| {
            let encoding = font.get_font_encoding_with_limit(document, MAX_DECOMPRESSED);
            Some((name, encoding.ok()?))
        })
        .collect();
    let content =
        Content::decode(&document.get_page_content_with_limit(page_id, MAX_DECOMPRESSED)?)?;
    let mut page = PageText::new(&encodings);
    for operation in &content.operations {
        page.apply(&operation.operator, &operation.operands);
    }
    Ok(page.text)
}

/// Follows the text operators of a content stream closely enough to lay the text out in
/// reading lines: where the text position moves down a line, a newline; by more than a
/// line and a half, a paragraph break; along the same line, a space.
struct PageText<'a> {
    encodings: &'a BTreeMap<Vec<u8>, Encoding<'a>>,
    encoding: Option<&'a Encoding<'a>>,
    text: String,
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
    fn new(encodings: &'a BTreeMap<Vec<u8>, Encoding<'a>>) -> Self {
        Self {
            encodings,
            encoding: None,
            text: String::new(),
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
                    .and_then(|name| self.encodings.get(name));
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
        self.separate();
        for item in items {
            match item {
                Object::String(bytes, _) => {
                    // An undecodable string loses only itself.
                    let _ = encoding.write_to_string(bytes, &mut self.text);
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
    fn tj_gaps_become_spaces_and_moves_down_become_line_breaks() {
        let encodings =
            BTreeMap::from([(b"F1".to_vec(), Encoding::SimpleEncoding(b"WinAnsiEncoding"))]);
        let mut page = PageText::new(&encodings);
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
