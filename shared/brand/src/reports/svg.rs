//! Charts as hand-written SVG, drawn on the server so a report reads the same in a mail
//! client, a PDF printer or a browser without JavaScript.
//!
//! Every chart is `role="img"` with a `<title>` and a `<desc>` that states the data in
//! words, each bar carries its own `<title>` (a tooltip, and what a screen reader reads),
//! and the axes have text tick labels. Sizes are in a 480-unit-wide `viewBox` with
//! `width="100%"`, so a chart scales down to a 360 px phone screen with its text legible.

use super::format::{coord, count, escape, excerpt, iso_day, percent};
use super::model::{Day, Voice};
use std::fmt::Write;

const WIDTH: f64 = 480.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 28.0;
const PLOT_HEIGHT: f64 = 160.0;
const BOTTOM: f64 = 36.0;
/// Most x-axis labels; with more days, every n-th day is labelled.
const MAX_X_LABELS: usize = 7;

pub(crate) const POSITIVE: &str = "#1a7f37";
pub(crate) const NEUTRAL: &str = "#8c959f";
pub(crate) const NEGATIVE: &str = "#cf222e";
const BAR: &str = "#0969da";
const OTHER_BAR: &str = "#8250df";
const INK: &str = "#24292f";
const GRID: &str = "#d0d7de";

/// Opening tag, title and description. `id` keeps the ids unique when several charts share
/// one HTML page.
fn open(out: &mut String, id: &str, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="14" fill="{INK}"><title id="{id}-title">{t}</title><desc id="{id}-desc">{d}</desc>"#,
        w = coord(WIDTH),
        h = coord(height),
        t = escape(title),
        d = escape(desc),
    );
}

/// A round axis maximum at or above `max` and its tick step: 1, 2 or 5 times a power of ten,
/// about four ticks.
fn axis(max: u64) -> (u64, u64) {
    let target = max.div_ceil(4).max(1);
    let mut magnitude = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = magnitude.saturating_mul(m);
            if step >= target {
                return (step.saturating_mul(max.div_ceil(step).max(1)), step);
            }
        }
        if magnitude > u64::MAX / 10 {
            return (max.max(1), max.max(1));
        }
        magnitude *= 10;
    }
}

/// Y grid lines and tick labels for `0..=top`, returning the units-per-count scale.
fn y_axis(out: &mut String, top: u64, step: u64) -> f64 {
    let scale = PLOT_HEIGHT / top as f64;
    let mut tick = 0;
    while tick <= top {
        let y = TOP + PLOT_HEIGHT - tick as f64 * scale;
        let _ = write!(
            out,
            r#"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{GRID}" stroke-width="1"/><text x="{tx}" y="{ty}" text-anchor="end">{label}</text>"#,
            x1 = coord(LEFT),
            x2 = coord(WIDTH - RIGHT),
            y = coord(y),
            tx = coord(LEFT - 6.0),
            ty = coord(y + 4.0),
            label = count(tick),
        );
        // Checked: a saturated axis maximum must not overflow the last step.
        match tick.checked_add(step) {
            Some(next) => tick = next,
            None => break,
        }
    }
    scale
}

/// Slot width per day and the x-axis labels under the bars.
fn x_axis(out: &mut String, days: &[Day]) -> f64 {
    let slot = (WIDTH - LEFT - RIGHT) / days.len().max(1) as f64;
    let every = days.len().div_ceil(MAX_X_LABELS).max(1);
    let y = TOP + PLOT_HEIGHT;
    for (i, d) in days.iter().enumerate().step_by(every) {
        let x = LEFT + slot * (i as f64 + 0.5);
        // A week fits weekday and date; longer ranges label dates only.
        let label = if days.len() <= MAX_X_LABELS {
            d.date.format("%a %-d").to_string()
        } else {
            d.date.format("%-d %b").to_string()
        };
        let _ = write!(
            out,
            r#"<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{INK}"/><text x="{x}" y="{ty}" text-anchor="middle">{label}</text>"#,
            x = coord(x),
            y1 = coord(y),
            y2 = coord(y + 4.0),
            ty = coord(y + 18.0),
            label = escape(&label),
        );
    }
    let _ = write!(
        out,
        r#"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{INK}"/>"#,
        x1 = coord(LEFT),
        x2 = coord(WIDTH - RIGHT),
        y = coord(y),
    );
    slot
}

/// Mentions per day as bars, one per day; `period` names the days in the description.
pub fn volume(days: &[Day], period: &str) -> String {
    let total: u64 = days.iter().map(|d| d.mentions).sum();
    let busiest = days
        .iter()
        .max_by_key(|d| (d.mentions, std::cmp::Reverse(d.date)));
    let mut desc = format!("Mentions per day, {}: {} in total.", period, count(total));
    if let Some(b) = busiest.filter(|b| b.mentions > 0) {
        let _ = write!(
            desc,
            " Busiest day {} with {}.",
            iso_day(b.date),
            count(b.mentions)
        );
    }
    let mut out = String::new();
    open(
        &mut out,
        "volume",
        TOP + PLOT_HEIGHT + BOTTOM,
        "Mentions per day",
        &desc,
    );
    let (top, step) = axis(busiest.map_or(0, |b| b.mentions));
    let scale = y_axis(&mut out, top, step);
    let slot = x_axis(&mut out, days);
    for (i, d) in days.iter().enumerate() {
        let h = d.mentions as f64 * scale;
        let _ = write!(
            out,
            r#"<rect class="bar" x="{x}" y="{y}" width="{w}" height="{h}" fill="{BAR}"><title>{label}: {n} mentions</title></rect>"#,
            x = coord(LEFT + slot * (i as f64 + 0.15)),
            y = coord(TOP + PLOT_HEIGHT - h),
            w = coord(slot * 0.7),
            h = coord(h),
            label = escape(&iso_day(d.date)),
            n = count(d.mentions),
        );
    }
    out.push_str("</svg>");
    out
}

/// Sentiment per day as stacked bars (positive at the bottom), one group per day.
pub fn sentiment(days: &[Day], period: &str) -> String {
    let (p, u, n) = days.iter().fold((0, 0, 0), |(p, u, n), d| {
        (
            p + d.sentiment.positive,
            u + d.sentiment.neutral,
            n + d.sentiment.negative,
        )
    });
    let desc = format!(
        "Mentions per day by sentiment, {}: {} positive, {} neutral, {} negative.",
        period,
        count(p),
        count(u),
        count(n)
    );
    let mut out = String::new();
    open(
        &mut out,
        "sentiment",
        TOP + PLOT_HEIGHT + BOTTOM,
        "Sentiment per day",
        &desc,
    );
    // Legend above the plot, text beside each swatch so colour is never the only cue.
    for (i, (label, colour)) in [
        ("Positive", POSITIVE),
        ("Neutral", NEUTRAL),
        ("Negative", NEGATIVE),
    ]
    .into_iter()
    .enumerate()
    {
        let x = LEFT + i as f64 * 96.0;
        let _ = write!(
            out,
            r#"<rect x="{x}" y="8" width="12" height="12" fill="{colour}"/><text x="{tx}" y="18">{label}</text>"#,
            x = coord(x),
            tx = coord(x + 16.0),
        );
    }
    let busiest = days
        .iter()
        .map(|d| d.sentiment.positive + d.sentiment.neutral + d.sentiment.negative)
        .max()
        .unwrap_or(0);
    let (top, step) = axis(busiest);
    let scale = y_axis(&mut out, top, step);
    let slot = x_axis(&mut out, days);
    for (i, d) in days.iter().enumerate() {
        let s = d.sentiment;
        let _ = write!(
            out,
            r#"<g class="day"><title>{label}: {p} positive, {u} neutral, {n} negative</title>"#,
            label = escape(&iso_day(d.date)),
            p = count(s.positive),
            u = count(s.neutral),
            n = count(s.negative),
        );
        let mut base = TOP + PLOT_HEIGHT;
        for (value, colour) in [
            (s.positive, POSITIVE),
            (s.neutral, NEUTRAL),
            (s.negative, NEGATIVE),
        ] {
            if value == 0 {
                continue;
            }
            let h = value as f64 * scale;
            base -= h;
            let _ = write!(
                out,
                r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}"/>"#,
                x = coord(LEFT + slot * (i as f64 + 0.15)),
                y = coord(base),
                w = coord(slot * 0.7),
                h = coord(h),
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// Share of voice as horizontal bars, the monitor's own in a different colour.
pub fn share_of_voice(voices: &[Voice]) -> String {
    const ROW: f64 = 44.0;
    const MARGIN: f64 = 8.0;
    /// Room right of the longest bar for its value.
    const VALUE: f64 = 96.0;
    const NAME_CHARS: usize = 60;
    let desc = voices
        .iter()
        .map(|v| {
            format!(
                "{}: {} ({} mentions)",
                v.name,
                percent(v.percent),
                count(v.mentions)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let height = 8.0 + ROW * voices.len().max(1) as f64;
    let mut out = String::new();
    open(
        &mut out,
        "voice",
        height,
        "Share of voice",
        &format!("Share of all mentions by monitor. {desc}."),
    );
    let span = WIDTH - MARGIN - VALUE;
    for (i, v) in voices.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let w = span * v.percent.clamp(0.0, 100.0) / 100.0;
        // The name sits above its bar so long names need no room beside it; a name longer
        // than the chart is cut, and the group's title carries it in full.
        let name = excerpt(&v.name, NAME_CHARS);
        let colour = if i == 0 { BAR } else { OTHER_BAR };
        let _ = write!(
            out,
            r#"<g class="share"><title>{full}: {pct}, {n} mentions</title><text x="{x}" y="{ny}">{name}</text><rect x="{x}" y="{by}" width="{w}" height="18" fill="{colour}"/><text x="{vx}" y="{vy}">{pct} ({n})</text></g>"#,
            full = escape(&v.name),
            name = escape(&name),
            pct = percent(v.percent),
            n = count(v.mentions),
            x = coord(MARGIN),
            ny = coord(y + 12.0),
            by = coord(y + 18.0),
            w = coord(w),
            vx = coord(MARGIN + w + 6.0),
            vy = coord(y + 31.0),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::axis;

    #[test]
    fn axis_is_round_and_covers_the_maximum() {
        assert_eq!(axis(0), (1, 1));
        assert_eq!(axis(3), (3, 1));
        assert_eq!(axis(7), (8, 2));
        assert_eq!(axis(18), (20, 5));
        assert_eq!(axis(1234), (1500, 500));
        let (top, step) = axis(u64::MAX);
        assert!(top >= step && step > 0);
    }
}
