//! Text helpers shared by both renderings and the charts: escaping, link vetting and fixed
//! number and date formats. One place for them keeps the Markdown, the HTML and the SVGs
//! agreeing to the character, which is what lets tests compare renderings.

use chrono::NaiveDate;

/// Escape for XML and HTML text and quoted attribute values (both quote styles).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than whitespace are not allowed in XML 1.0 at all.
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The URL in normalised form when it is an absolute http(s) URL, the only kind a report
/// links to: anything else (`javascript:`, `data:`, relative paths) is shown as text.
pub(crate) fn safe_link(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// `12345` as `12,345`.
pub(crate) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One decimal, with `-0.0` shown as `0.0` so rounding noise never flips a sign.
fn one_decimal(x: f64, signed: bool) -> String {
    // Adding 0.0 turns a negative zero into a positive one.
    let x = (x * 10.0).round() / 10.0 + 0.0;
    // No change reads as `0.0`, not `+0.0`.
    if signed && x != 0.0 {
        format!("{x:+.1}")
    } else {
        format!("{x:.1}")
    }
}

/// A share as `42.9%`.
pub(crate) fn percent(x: f64) -> String {
    format!("{}%", one_decimal(x, false))
}

/// A relative change as `+12.5%`; `n/a` when there is no baseline to compare with.
pub(crate) fn change(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".into(), |x| format!("{}%", one_decimal(x, true)))
}

/// The brand health index (a 0–1 fraction) on the 0–100 scale reports use.
pub(crate) fn bhi(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".into(), |x| one_decimal(x * 100.0, false))
}

/// A change of the brand health index in points of the 0–100 scale.
pub(crate) fn bhi_change(x: Option<f64>) -> String {
    x.map_or_else(
        || "n/a".into(),
        |x| format!("{} pts", one_decimal(x * 100.0, true)),
    )
}

/// Chart coordinates: one decimal is finer than a pixel at any sensible size.
pub(crate) fn coord(x: f64) -> String {
    one_decimal(x, false)
}

/// `Mon 16 Mar`.
pub(crate) fn day(date: NaiveDate) -> String {
    date.format("%a %-d %b").to_string()
}

/// `2026-03-16`.
pub(crate) fn iso_day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// At most `max` characters, cut at a character boundary and marked with an ellipsis.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", flat[..cut].trim_end()),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_fixed_formats() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(12_345_678), "12,345,678");
        assert_eq!(percent(42.857), "42.9%");
        assert_eq!(change(Some(-0.04)), "0.0%");
        assert_eq!(change(Some(50.0)), "+50.0%");
        assert_eq!(change(None), "n/a");
        assert_eq!(bhi(Some(2.0 / 3.0)), "66.7");
        assert_eq!(bhi_change(Some(-0.25)), "-25.0 pts");
    }

    #[test]
    fn only_web_links_survive() {
        assert_eq!(
            safe_link("https://ex.com/a b").as_deref(),
            Some("https://ex.com/a%20b")
        );
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "/rel",
        ] {
            assert_eq!(safe_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn escaping_and_excerpts() {
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(excerpt("  one\n two  three ", 7), "one two…");
        assert_eq!(excerpt("short", 7), "short");
    }
}
