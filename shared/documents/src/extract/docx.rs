use std::{
    collections::HashMap,
    io::{Cursor, Read},
};

use quick_xml::{
    Reader, XmlVersion,
    escape::resolve_predefined_entity,
    events::{BytesStart, Event},
};

use super::{Extracted, outline::Outline, outline::collapse_whitespace};
use crate::{ExtractError, Format};

/// Cap on an inflated XML part: far above any real document body, and what stops a zip
/// bomb from exhausting memory.
const MAX_PART: u64 = 50 << 20;

/// Body paragraphs of `word/document.xml`. Paragraphs styled Title or Heading 1–3 start
/// sections (style names come from `word/styles.xml`, so localised style ids work too);
/// the title is `dc:title` from `docProps/core.xml`, else the Title paragraph.
pub(super) fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::malformed(Format::Docx, format!("not a zip archive ({e})")))?;
    let body = read_part(&mut archive, "word/document.xml")?
        .ok_or_else(|| ExtractError::malformed(Format::Docx, "no word/document.xml part"))?;
    let styles = match read_part(&mut archive, "word/styles.xml")? {
        Some(xml) => heading_styles(&xml)?,
        None => HashMap::new(),
    };
    let core_title = match read_part(&mut archive, "docProps/core.xml")? {
        Some(xml) => core_title(&xml)?,
        None => None,
    };
    let (sections, title_paragraph) = paragraphs(&body, &styles)?;
    Ok(Extracted {
        title: core_title.or(title_paragraph),
        sections,
    })
}

fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, ExtractError> {
    let part = match archive.by_name(name) {
        Ok(part) => part,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(ExtractError::malformed(
                Format::Docx,
                format!("{name}: {e}"),
            ));
        }
    };
    let mut xml = Vec::new();
    part.take(MAX_PART + 1)
        .read_to_end(&mut xml)
        .map_err(|e| ExtractError::malformed(Format::Docx, format!("{name}: {e}")))?;
    if xml.len() as u64 > MAX_PART {
        return Err(ExtractError::TooLarge(format!(
            "{name} inflates past {} MiB",
            MAX_PART >> 20
        )));
    }
    String::from_utf8(xml)
        .map(Some)
        .map_err(|_| ExtractError::malformed(Format::Docx, format!("{name} is not UTF-8")))
}

/// What a paragraph style means for the outline.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Title,
    Heading(u8),
}

impl Role {
    /// Word's built-in names ("heading 1", "Title") are stable across UI languages, and
    /// the English ids ("Heading1") are what files without styles.xml use.
    fn from_style(name: &str) -> Option<Role> {
        let name = name.to_ascii_lowercase().replace(' ', "");
        match name.as_str() {
            "title" => Some(Role::Title),
            "heading1" => Some(Role::Heading(1)),
            "heading2" => Some(Role::Heading(2)),
            "heading3" => Some(Role::Heading(3)),
            _ => None,
        }
    }

    /// Title sits above Heading 1 in the heading path.
    fn level(self) -> u8 {
        match self {
            Role::Title => 0,
            Role::Heading(level) => level,
        }
    }
}

/// Style id → role, for the styles whose name is a title or heading.
fn heading_styles(xml: &str) -> Result<HashMap<String, Role>, ExtractError> {
    let mut styles = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current_id = None;
    loop {
        match reader
            .read_event()
            .map_err(|e| xml_error("word/styles.xml", e))?
        {
            Event::Start(e) if e.local_name().as_ref() == "style" => {
                current_id = attribute(&e, "styleId");
            }
            Event::Empty(e) if e.local_name().as_ref() == "name" => {
                let role = attribute(&e, "val").and_then(|name| Role::from_style(&name));
                if let (Some(id), Some(role)) = (current_id.take(), role) {
                    styles.insert(id, role);
                }
            }
            Event::Eof => return Ok(styles),
            _ => {}
        }
    }
}

fn core_title(xml: &str) -> Result<Option<String>, ExtractError> {
    let mut reader = Reader::from_str(xml);
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader
            .read_event()
            .map_err(|e| xml_error("docProps/core.xml", e))?
        {
            Event::Start(e) if e.name().as_ref() == "dc:title" => in_title = true,
            Event::End(e) if e.name().as_ref() == "dc:title" => break,
            Event::Text(text) if in_title => title.push_str(&text.xml10_content()),
            Event::GeneralRef(reference) if in_title => push_reference(&mut title, &reference),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(Some(collapse_whitespace(&title)).filter(|title| !title.is_empty()))
}

fn paragraphs(
    xml: &str,
    styles: &HashMap<String, Role>,
) -> Result<(Vec<super::Section>, Option<String>), ExtractError> {
    let mut reader = Reader::from_str(xml);
    let mut outline = Outline::default();
    let mut title = None;
    let mut paragraph = String::new();
    let mut role = None;
    let mut in_text = false;
    loop {
        match reader
            .read_event()
            .map_err(|e| xml_error("word/document.xml", e))?
        {
            Event::Start(e) => match e.local_name().as_ref() {
                "p" => {
                    paragraph.clear();
                    role = None;
                }
                "t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "pStyle" => {
                    role = attribute(&e, "val")
                        .and_then(|id| styles.get(&id).copied().or_else(|| Role::from_style(&id)));
                }
                "tab" => paragraph.push('\t'),
                "br" | "cr" => paragraph.push('\n'),
                _ => {}
            },
            Event::Text(text) if in_text => paragraph.push_str(&text.xml10_content()),
            Event::CData(text) if in_text => paragraph.push_str(&text.xml10_content()),
            Event::GeneralRef(reference) if in_text => push_reference(&mut paragraph, &reference),
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    match role {
                        Some(role) => {
                            if role == Role::Title && title.is_none() {
                                title =
                                    Some(collapse_whitespace(&paragraph)).filter(|t| !t.is_empty());
                            }
                            outline.heading(role.level(), &paragraph);
                        }
                        None => {
                            outline.text(&paragraph);
                            outline.paragraph_break();
                        }
                    }
                    paragraph.clear();
                }
                // Cells hold paragraphs of their own; this keeps a row's cells apart.
                "tc" => outline.text(" "),
                _ => {}
            },
            Event::Eof => return Ok((outline.finish(), title)),
            _ => {}
        }
    }
}

fn attribute(element: &BytesStart<'_>, local_name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local_name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Character references and the five predefined entities; DTD-declared entities are not
/// expanded (Word never writes them, and expanding them is how entity bombs work).
fn push_reference(out: &mut String, reference: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        out.push(c);
    } else if let Some(text) = resolve_predefined_entity(reference) {
        out.push_str(text);
    }
}

fn xml_error(part: &str, error: quick_xml::Error) -> ExtractError {
    ExtractError::malformed(Format::Docx, format!("{part}: {error}"))
}

#[cfg(test)]
mod tests {
    use zip::CompressionMethod;

    use super::*;
    use crate::{extract, fixtures};

    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/></w:style>
</w:styles>"#;

    fn plan() -> String {
        fixtures::docx_body(&[
            (Some("Title"), "Annual Plan"),
            (None, "Intro text &amp; more."),
            (Some("Heading1"), "Goals"),
            (None, "Grow revenue."),
            (Some("berschrift2"), "Details"),
            (Some("Quote"), "Hire two engineers."),
            (Some("Heading1"), "Risks"),
            (None, "None known."),
        ])
    }

    #[test]
    fn styled_paragraphs_start_sections_under_the_title() {
        let body = plan();
        let bytes = fixtures::zip(&[
            ("word/document.xml", body.as_bytes()),
            ("word/styles.xml", STYLES.as_bytes()),
        ]);
        let extracted = extract(Format::Docx, &bytes).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Annual Plan"));
        let got: Vec<_> = extracted
            .sections
            .iter()
            .map(|s| (s.heading.as_deref(), s.text.as_str(), s.page))
            .collect();
        assert_eq!(
            got,
            [
                (Some("Annual Plan"), "Intro text & more.", None),
                (Some("Annual Plan > Goals"), "Grow revenue.", None),
                (
                    Some("Annual Plan > Goals > Details"),
                    "Hire two engineers.",
                    None
                ),
                (Some("Annual Plan > Risks"), "None known.", None),
            ]
        );
    }

    #[test]
    fn core_properties_title_wins() {
        let body = plan();
        let core = r#"<?xml version="1.0" encoding="UTF-8"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Plan  2027 &#8211; final</dc:title></cp:coreProperties>"#;
        let bytes = fixtures::zip(&[
            ("docProps/core.xml", core.as_bytes()),
            ("word/document.xml", body.as_bytes()),
        ]);
        let extracted = extract(Format::Docx, &bytes).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Plan 2027 – final"));
    }

    #[test]
    fn runs_tabs_and_breaks_join_into_paragraph_text() {
        let body = r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>One</w:t></w:r><w:r><w:tab/><w:t>two</w:t><w:br/><w:t>three.</w:t></w:r><w:r><w:instrText>PAGE</w:instrText></w:r></w:p></w:body></w:document>"#;
        let bytes = fixtures::zip(&[("word/document.xml", body.as_bytes())]);
        let extracted = extract(Format::Docx, &bytes).unwrap();
        assert_eq!(extracted.sections[0].text, "One two\nthree.");
    }

    #[test]
    fn broken_or_foreign_archives_are_malformed() {
        let malformed = |bytes: &[u8]| {
            matches!(
                extract(Format::Docx, bytes),
                Err(ExtractError::Malformed {
                    format: Format::Docx,
                    ..
                })
            )
        };
        assert!(malformed(b"not a zip at all"));
        assert!(malformed(&fixtures::zip(&[("notes.txt", b"hello")])));
        assert!(malformed(&fixtures::zip(&[(
            "word/document.xml",
            b"<w:document><w:body><w:p></w:body>"
        )])));
        let body = plan();
        let bytes = fixtures::zip(&[("word/document.xml", body.as_bytes())]);
        for cut in [4, 30, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                extract(Format::Docx, &bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn an_oversized_document_part_is_refused() {
        let mut body = plan().into_bytes();
        body.resize(MAX_PART as usize + 1, b' ');
        let bytes = fixtures::zip_with(&[("word/document.xml", &body)], CompressionMethod::Stored);
        let error = extract(Format::Docx, &bytes).unwrap_err();
        assert_eq!(
            error.to_string(),
            "document too large: word/document.xml inflates past 50 MiB"
        );
    }
}
