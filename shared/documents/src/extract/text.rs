use super::{Extracted, Section, outline::tidy, utf8};
use crate::{ExtractError, Format};

pub(super) fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let text = tidy(utf8(Format::Text, bytes)?);
    Ok(Extracted {
        title: None,
        sections: if text.is_empty() {
            Vec::new()
        } else {
            vec![Section {
                heading: None,
                page: None,
                text,
            }]
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract;

    #[test]
    fn text_is_one_tidied_section_and_must_be_utf8() {
        let extracted = extract(
            Format::Text,
            "\u{feff}Line one\r\nline two\r\n\r\n\r\nNext".as_bytes(),
        )
        .unwrap();
        assert_eq!(
            extracted.sections,
            [Section {
                heading: None,
                page: None,
                text: "Line one\nline two\n\nNext".into()
            }]
        );
        assert_eq!(
            extract(Format::Text, b"ok \xff\xfe")
                .unwrap_err()
                .to_string(),
            "malformed text document: invalid UTF-8 (invalid utf-8 sequence of 1 bytes from index 3)"
        );
        assert_eq!(extract(Format::Text, b" \n "), Err(ExtractError::Empty));
    }
}
