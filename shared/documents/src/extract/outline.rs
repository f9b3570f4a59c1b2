use super::Section;

/// Collects sections while a structured document is walked: text accumulates in the current
/// section, and a heading closes it and opens the next one under the updated heading path.
#[derive(Default)]
pub(super) struct Outline {
    path: Vec<(u8, String)>,
    sections: Vec<Section>,
    text: String,
}

impl Outline {
    /// A heading of `level` (smaller is outer) replaces every heading at that level or
    /// deeper in the path.
    pub fn heading(&mut self, level: u8, title: &str) {
        let title = collapse_whitespace(title);
        if title.is_empty() {
            return;
        }
        self.flush();
        while self.path.last().is_some_and(|(outer, _)| *outer >= level) {
            self.path.pop();
        }
        self.path.push((level, title));
    }

    pub fn text(&mut self, text: &str) {
        self.text.push_str(text);
    }

    pub fn line_break(&mut self) {
        self.text.push('\n');
    }

    pub fn paragraph_break(&mut self) {
        self.text.push_str("\n\n");
    }

    pub fn finish(mut self) -> Vec<Section> {
        self.flush();
        self.sections
    }

    fn flush(&mut self) {
        let text = tidy(&std::mem::take(&mut self.text));
        if text.is_empty() {
            return;
        }
        let heading = (!self.path.is_empty()).then(|| {
            self.path
                .iter()
                .map(|(_, title)| title.as_str())
                .collect::<Vec<_>>()
                .join(" > ")
        });
        self.sections.push(Section {
            heading,
            page: None,
            text,
        });
    }
}

/// Runs of whitespace (newlines included) as single spaces, trimmed.
pub(super) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalises newlines, collapses spaces within lines, trims lines and keeps at most one
/// blank line between paragraphs, so every format yields text shaped the same way.
pub(super) fn tidy(text: &str) -> String {
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut out = String::with_capacity(text.len());
    let mut blank_lines = 0;
    for line in text.split('\n') {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        for (i, word) in words.enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_normalises_newlines_and_spacing() {
        assert_eq!(
            tidy("  a \t b\r\nc\r\r\n\n\n  d  \n"),
            "a b\nc\n\nd",
            "CRLF and CR are newlines; blank runs collapse to one"
        );
    }

    #[test]
    fn headings_form_paths_and_empty_sections_are_dropped() {
        let mut outline = Outline::default();
        outline.text("preamble");
        outline.heading(1, "Guide");
        outline.heading(2, " Install ");
        outline.text("run it");
        outline.heading(2, "Use");
        outline.heading(3, "CLI");
        outline.text("flags");
        outline.heading(1, "Other");
        let sections = outline.finish();
        let got: Vec<_> = sections
            .iter()
            .map(|s| (s.heading.as_deref(), s.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (None, "preamble"),
                (Some("Guide > Install"), "run it"),
                (Some("Guide > Use > CLI"), "flags"),
            ]
        );
    }
}
