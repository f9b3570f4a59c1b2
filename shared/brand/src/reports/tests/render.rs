use super::support::{fixture, seed_all, weekly_report};
use crate::reports::{render_html, render_markdown, svg};
use quick_xml::Reader;
use quick_xml::events::Event;

/// Parse `xml` fully, failing on any syntax error or unbalanced tag.
fn assert_well_formed(xml: &str) {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("malformed at {}: {e}\n{xml}", reader.buffer_position()),
        }
        assert!(depth >= 0, "unbalanced:\n{xml}");
    }
    assert_eq!(depth, 0, "unclosed elements:\n{xml}");
}

#[tokio::test]
async fn charts_are_well_formed_accessible_svg_with_a_bar_per_day() {
    let f = fixture();
    seed_all(&f, "t1").await;
    let r = weekly_report(&f, "t1").await;
    let period = r.period();
    let volume = svg::volume(&r.days, &period);
    let sentiment = svg::sentiment(&r.days, &period);
    let voice = svg::share_of_voice(&r.share_of_voice);
    for chart in [&volume, &sentiment, &voice] {
        assert_well_formed(chart);
        assert!(
            chart.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480.0 ")
        );
        assert!(chart.contains("role=\"img\"") && chart.contains("<title id="));
        assert!(chart.contains("<desc id="));
    }
    assert_eq!(volume.matches("<rect class=\"bar\"").count(), 7);
    assert_eq!(sentiment.matches("<g class=\"day\">").count(), 7);
    assert_eq!(voice.matches("<g class=\"share\">").count(), 2);
    // Tick labels and day labels are text, not just shapes.
    assert!(volume.contains(">Mon 16</text>") && volume.contains(">Sun 22</text>"));
    assert!(volume.contains("<title>2026-03-16: 3 mentions</title>"));
    assert!(volume.contains(">3</text>"));
    assert!(voice.contains("Acme &lt;Skates&gt; &amp; Co: 40.0%, 8 mentions"));
    assert!(voice.contains(">60.0% (12)</text>"));
}

#[tokio::test]
async fn html_is_a_self_contained_page_that_escapes_user_text() {
    let f = fixture();
    seed_all(&f, "t1").await;
    let html = render_html(&weekly_report(&f, "t1").await);
    // Well-formed as XML too, which proves the inline SVGs and tables are balanced.
    assert_well_formed(html.trim_start_matches("<!DOCTYPE html>"));
    assert!(!html.contains("<script"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; acme skates broke"));
    assert!(html.contains("&lt;b&gt;Bob&lt;/b&gt;"));
    assert!(html.contains("Acme &lt;Skates&gt; &amp; Co"));
    assert!(
        !html.contains("javascript:"),
        "a javascript: URL became a link"
    );
    assert!(html.contains(
        r#"<a href="https://news.example/acme/2026-03-18T15:00:00Z" rel="noopener noreferrer nofollow">Acme skates | best | buy</a>"#
    ));
    assert!(html.contains("default-src 'none'"));
    assert_eq!(html.matches("<svg ").count(), 3);
    assert!(html.contains(r#"<div class="value">8</div><div class="delta">+100.0% vs 4</div>"#));
    assert!(
        html.contains(r#"<div class="value">66.7</div><div class="delta">+16.7 pts vs 50.0</div>"#)
    );
}

#[tokio::test]
async fn markdown_has_the_tables() {
    let f = fixture();
    seed_all(&f, "t1").await;
    let r = weekly_report(&f, "t1").await;
    let md = render_markdown(&r);
    for row in [
        "# Reputation report: Acme &lt;Skates&gt; &amp; Co",
        "| Mentions | 8 | 4 | +100.0% |",
        "| Brand health index (0–100) | 66.7 | 50.0 | +16.7 pts |",
        "| Reach | 11,260 | 400 | |",
        "| Engagement | 486 | 40 | |",
        "| positive | 4 | 50.0% |",
        "| neutral | 2 | 25.0% |",
        "| Mon 16 Mar | 3 | 1 | 1 | 1 |",
        "| Thu 19 Mar | 0 | 0 | 0 | 0 |",
        "| Acme &lt;Skates&gt; &amp; Co | 8 | 40.0% |",
        "| Globex | 12 | 60.0% |",
        "| 1 | [Acme skates \\| best \\| buy](https://news.example/acme/2026-03-18T15:00:00Z) | Cy | reddit | 2026-03-18 16:00 | positive | 5,000 | 80 |",
        "| 2 | &lt;script&gt;alert(1)&lt;/script&gt; acme skates broke | &lt;b&gt;Bob&lt;/b&gt; | reddit |",
        "| rss | 5 |",
        "[20260323T060000.000Z-r000001.html](20260323T060000.000Z-r000001.html)",
    ] {
        assert!(md.contains(row), "missing {row:?} in\n{md}");
    }
    assert!(!md.contains("javascript:"));
    assert!(!md.contains("<script"));
}
