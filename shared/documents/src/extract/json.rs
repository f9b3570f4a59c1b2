use serde_json::Value;

use super::{Extracted, Section, outline::collapse_whitespace, outline::tidy, utf8};
use crate::{ExtractError, Format};

/// Keys whose string value names the thing a JSON object describes.
const TITLE_KEYS: [&str; 2] = ["title", "name"];

/// One `key.path: value` line per scalar, keys in sorted order (`items[2].name: Ada`), nulls left out. A top-level
/// array is a list of records, so each element gets its own section, headed by its own
/// title or name; otherwise the document is one section. The title is a top-level
/// `title`/`name` string.
pub(super) fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let value: Value = serde_json::from_str(utf8(Format::Json, bytes)?)
        .map_err(|e| ExtractError::malformed(Format::Json, e))?;
    let (title, records) = match &value {
        Value::Array(items) => (None, items.iter().collect()),
        _ => (title_of(&value), vec![&value]),
    };
    let sections = records
        .into_iter()
        .filter_map(|record| {
            let mut lines = String::new();
            flatten(record, &mut String::new(), &mut lines);
            let text = tidy(&lines);
            (!text.is_empty()).then(|| Section {
                heading: match &value {
                    Value::Array(_) => title_of(record),
                    _ => None,
                },
                page: None,
                text,
            })
        })
        .collect();
    Ok(Extracted { title, sections })
}

fn title_of(value: &Value) -> Option<String> {
    let object = value.as_object()?;
    TITLE_KEYS
        .iter()
        .find_map(|key| object.get(*key)?.as_str())
        .map(collapse_whitespace)
        .filter(|title| !title.is_empty())
}

/// serde_json refuses nesting deeper than 128 levels, which bounds this recursion.
fn flatten(value: &Value, path: &mut String, out: &mut String) {
    let scalar = match value {
        Value::Null => return,
        Value::Object(object) => {
            for (key, child) in object {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                flatten(child, path, out);
                path.truncate(len);
            }
            return;
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                flatten(child, path, out);
                path.truncate(len);
            }
            return;
        }
        Value::String(text) => text.clone(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
    };
    if !path.is_empty() {
        out.push_str(path);
        out.push_str(": ");
    }
    out.push_str(&scalar);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract;

    #[test]
    fn objects_flatten_to_key_paths_with_the_title_field() {
        let json = br#"{"title": "Release  notes", "version": 2, "draft": false, "owner": null,
            "authors": [{"name": "Ada"}, {"name": "Grace"}], "body": {"summary": "Faster builds."}}"#;
        let extracted = extract(Format::Json, json).unwrap();
        assert_eq!(extracted.title.as_deref(), Some("Release notes"));
        assert_eq!(extracted.sections.len(), 1);
        assert_eq!(
            extracted.sections[0].text,
            "authors[0].name: Ada\nauthors[1].name: Grace\nbody.summary: Faster builds.\n\
             draft: false\ntitle: Release notes\nversion: 2"
        );
    }

    #[test]
    fn a_top_level_array_is_one_section_per_record() {
        let json = br#"[{"name": "Alpha", "size": 1}, {"id": 7}, null, "plain"]"#;
        let extracted = extract(Format::Json, json).unwrap();
        assert_eq!(extracted.title, None);
        let got: Vec<_> = extracted
            .sections
            .iter()
            .map(|s| (s.heading.as_deref(), s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("Alpha"), "name: Alpha\nsize: 1"),
                (None, "id: 7"),
                (None, "plain")
            ]
        );
    }

    #[test]
    fn invalid_or_empty_json_is_refused() {
        assert!(matches!(
            extract(Format::Json, b"{\"a\": [1, 2"),
            Err(ExtractError::Malformed {
                format: Format::Json,
                ..
            })
        ));
        assert_eq!(
            extract(Format::Json, b"{\"a\": null, \"b\": []}"),
            Err(ExtractError::Empty)
        );
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(extract(Format::Json, deep.as_bytes()).is_err());
    }
}
