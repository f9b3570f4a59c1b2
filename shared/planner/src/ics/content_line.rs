//! RFC 5545 content lines: TEXT escaping (section 3.3.11) and line folding (section 3.1).

/// Longest physical line, in octets, not counting the CRLF.
pub(crate) const MAX_LINE_OCTETS: usize = 75;

/// Escapes a TEXT value: backslash, semicolon and comma get a backslash, every kind of line
/// break becomes `\n`, and other control characters (which TEXT does not allow) are dropped.
pub(crate) fn escape_text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | ';' | ',' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '\r' => {
                // CRLF is one line break, not two.
                chars.next_if_eq(&'\n');
                escaped.push_str("\\n");
            }
            '\n' => escaped.push_str("\\n"),
            '\t' => escaped.push(c),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Appends `NAME:value` to `out` as folded physical lines, each ending in CRLF.
///
/// Lines are cut at 75 octets, never inside a UTF-8 character; each continuation starts with
/// one space, which counts towards its 75.
pub(crate) fn push_line(out: &mut String, name: &str, value: &str) {
    let line = format!("{name}:{value}");
    let mut rest = line.as_str();
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_LINE_OCTETS - 1;
    }
}
