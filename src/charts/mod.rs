//! Charts as pure models with text alternatives. No leptos, no DOM.
//!
//! Every function returns a [`Chart`]: a [`Model`] in data coordinates (axes with their
//! ticks, series, bars and points with the value and share text of each), a one-sentence
//! `summary` for `aria-label`, and a `table` that states every plotted value as text.
//! [`Model::layout`] places it at a width in CSS px (text widths are estimated from character
//! counts, never measured; no text under [`MIN_TEXT`] px) as a [`Frame`]: the page draws it as
//! leptos `<svg>` views (src/ui/components/chart.rs) and [`to_svg`]/[`svg_file`] write it as a
//! standalone SVG document for the exports.
//!
//! Conventions:
//! - Values arrive in display units. The unit is the trailing parenthesis of the axis label:
//!   `"Engagement rate (%)"` → `4.1%`, `"Spend ($)"` → `$1,200`, `"Views (k)"` → `12 k`.
//! - Labels are user data and are kept raw in the model; [`to_svg`] escapes every text and
//!   attribute through [`escape_xml`] (leptos escapes them on the page).
//! - Missing or non-finite values are gaps (never zeros); an input with nothing to plot gives a
//!   model with no plot, drawn as "No data". Values beyond ±1e300 are drawn at ±1e300 (the table
//!   keeps the truth).

mod budget;
mod by_platform;
mod funnel;
pub mod model;
mod scatter;
mod svg;
mod trend;

pub use budget::budget;
pub use by_platform::{by_platform, PlatformRow};
pub use funnel::funnel;
pub use model::{Frame, Mark, Model, Plot, MIN_TEXT};
pub use scatter::scatter;
pub use svg::{points_attr, px, svg_file, to_svg, EXPORT_WIDTH};
pub use trend::trend;

use model::{Axis, Band, Color, Line, Note, Series, Shape, Swatch};
use std::ops::Range;

/// A chart: its model and its text alternatives.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// What it draws, in data coordinates.
    pub model: Model,
    /// One sentence describing the chart, for `aria-label`.
    pub summary: String,
    /// The data as text: `table[0]` is the header row, then one row per point.
    pub table: Vec<Vec<String>>,
}

/// Escapes text for XML content and attribute values.
pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// Magnitudes beyond this are drawn at this value so that axis arithmetic stays finite.
const PLOT_LIMIT: f64 = 1e300;
/// Written in the table and summary for a missing value.
const NO_DATA: &str = "no data";

/// The chart for an input with nothing to plot.
fn no_data(title: &str, table: Vec<Vec<String>>) -> Chart {
    Chart {
        model: Model {
            title: title.to_string(),
            plot: None,
        },
        summary: format!("{title}: no data"),
        table,
    }
}

/// A chart with a plot.
fn plotted(title: &str, summary: String, table: Vec<Vec<String>>, plot: Plot) -> Chart {
    Chart {
        model: Model {
            title: title.to_string(),
            plot: Some(plot),
        },
        summary,
        table,
    }
}

/// A legend entry.
fn series(name: &str, color: Color, swatch: Swatch) -> Series {
    Series {
        name: name.to_string(),
        color,
        swatch,
    }
}

/// The x range giving each of `n` categories a unit-wide slot centred on its index.
fn category_axis(n: usize) -> std::ops::Range<f64> {
    -0.5..(n.max(1) as f64 - 0.5)
}

/// Truncates to `max_chars` characters with an ellipsis.
fn shorten(label: &str, max_chars: usize) -> String {
    if label.chars().count() <= max_chars {
        return label.to_string();
    }
    let kept: String = label.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// A finite value clamped into the drawable range; `None` for missing or non-finite.
fn plottable(value: Option<f64>) -> Option<f64> {
    value
        .filter(|v| v.is_finite())
        .map(|v| v.clamp(-PLOT_LIMIT, PLOT_LIMIT))
}

/// A target band with finite bounds, ordered low to high.
fn clean_band(band: Option<(f64, f64)>) -> Option<(f64, f64)> {
    let (a, b) = band?;
    let (a, b) = (plottable(Some(a))?, plottable(Some(b))?);
    Some((a.min(b), a.max(b)))
}

/// A padded value-axis range covering `values` (and 0 when `include_zero`), never empty.
fn value_axis(values: impl IntoIterator<Item = f64>, include_zero: bool) -> Range<f64> {
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for value in values.into_iter().filter_map(|v| plottable(Some(v))) {
        low = low.min(value);
        high = high.max(value);
    }
    if low > high {
        return 0.0..1.0;
    }
    if include_zero {
        low = low.min(0.0);
        high = high.max(0.0);
    }
    let span = high - low;
    if span <= low.abs().max(high.abs()) * 1e-9 {
        let pad = if high.abs() > 1e-9 {
            high.abs() * 0.1
        } else {
            1.0
        };
        return if include_zero && high == 0.0 {
            0.0..pad
        } else {
            (low - pad)..(high + pad)
        };
    }
    let pad = span * 0.08;
    let start = if include_zero && low == 0.0 {
        0.0
    } else {
        low - pad
    };
    let end = if include_zero && high == 0.0 {
        0.0
    } else {
        high + pad
    };
    start..end
}

/// A compact tick label: `1.5k`, `2M`, `0.25`, `3.1e15`.
fn axis_number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 1e15 {
        return format!("{value:.1e}");
    }
    let (scaled, suffix) = match magnitude {
        m if m >= 1e12 => (value / 1e12, "T"),
        m if m >= 1e9 => (value / 1e9, "B"),
        m if m >= 1e6 => (value / 1e6, "M"),
        m if m >= 1e3 => (value / 1e3, "k"),
        _ => (value, ""),
    };
    format!("{}{suffix}", trim_decimals(scaled, 2))
}

/// A number for summaries and tables: thousands separators, at most two decimals.
fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return NO_DATA.to_string();
    }
    if value.abs() >= 1e15 {
        return format!("{value:.3e}");
    }
    let text = trim_decimals(value, 2);
    let (sign, unsigned) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |t| ("-", t));
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// `value` rounded to `decimals` places without trailing zeros (and never `-0`).
fn trim_decimals(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// The unit named by an axis label's trailing parenthesis: `"Spend ($)"` → `"$"`.
fn unit_of(label: &str) -> &str {
    let label = label.trim_end();
    if !label.ends_with(')') {
        return "";
    }
    label[..label.len() - 1]
        .rsplit_once('(')
        .map_or("", |(_, unit)| unit.trim())
}

/// A value with its unit: `4.1%`, `$1,200`, `12 k`.
fn with_unit(value: f64, unit: &str) -> String {
    let number = format_number(value);
    match unit {
        "" => number,
        "%" => format!("{number}%"),
        "×" => format!("{number}×"),
        symbol if is_currency_symbol(symbol) => match number.strip_prefix('-') {
            Some(positive) => format!("-{symbol}{positive}"),
            None => format!("{symbol}{number}"),
        },
        other => format!("{number} {other}"),
    }
}

/// A range with its unit: `5–8%`, `$5–$8`.
fn range_with_unit((low, high): (f64, f64), unit: &str) -> String {
    if unit == "%" || !is_currency_symbol(unit) {
        let low = format_number(low);
        format!("{low}–{}", with_unit(high, unit))
    } else {
        format!("{}–{}", with_unit(low, unit), with_unit(high, unit))
    }
}

fn is_currency_symbol(unit: &str) -> bool {
    let mut chars = unit.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if !c.is_alphanumeric() && c != '%' && c != '×')
}

/// A header cell: the label with the unit of `unit_label` appended when it has one.
fn header_with_unit(label: &str, unit_label: &str) -> String {
    match unit_of(unit_label) {
        "" => label.to_string(),
        unit => format!("{label} ({unit})"),
    }
}

/// `"28% of {whole_name}"`, or empty when the share is undefined (a zero or missing whole).
fn share_of(part: f64, whole: f64, whole_name: &str) -> String {
    percent_of(part, whole).map_or(String::new(), |p| {
        format!("{}% of {whole_name}", format_number(p))
    })
}

/// `part` as a percentage of `whole`, or `None` when `whole` is zero or the ratio is not finite.
fn percent_of(part: f64, whole: f64) -> Option<f64> {
    let ratio = part / whole;
    (whole != 0.0 && ratio.is_finite()).then_some(ratio * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_trimmed() {
        assert_eq!(format_number(1234567.891), "1,234,567.89");
        assert_eq!(format_number(-1200.0), "-1,200");
        assert_eq!(format_number(4.10), "4.1");
        assert_eq!(format_number(-0.001), "0");
        assert_eq!(format_number(999.0), "999");
        assert_eq!(format_number(f64::NAN), NO_DATA);
    }

    #[test]
    fn axis_numbers_are_compact() {
        assert_eq!(axis_number(1500.0), "1.5k");
        assert_eq!(axis_number(2_000_000.0), "2M");
        assert_eq!(axis_number(0.25), "0.25");
        assert_eq!(axis_number(3.1e15), "3.1e15");
    }

    #[test]
    fn units_come_from_the_axis_label() {
        assert_eq!(unit_of("Engagement rate (%)"), "%");
        assert_eq!(unit_of("Spend ($)"), "$");
        assert_eq!(unit_of("Posts"), "");
        assert_eq!(with_unit(4.1, "%"), "4.1%");
        assert_eq!(with_unit(-1200.0, "$"), "-$1,200");
        assert_eq!(with_unit(12.0, "k"), "12 k");
        assert_eq!(with_unit(5.4, "×"), "5.4×");
        assert_eq!(range_with_unit((5.0, 8.0), "%"), "5–8%");
        assert_eq!(range_with_unit((5.0, 8.0), "€"), "€5–€8");
    }

    #[test]
    fn value_axis_is_never_empty_or_infinite() {
        assert_eq!(value_axis([], true), 0.0..1.0);
        assert_eq!(value_axis([0.0, 0.0], true), 0.0..1.0);
        assert_eq!(value_axis([5.0, 5.0], false), 4.5..5.5);
        // 0..10 padded by 8% of the span at the top only: 10 + 0.8.
        assert_eq!(value_axis([0.0, 10.0], true), 0.0..10.8);
        let huge = value_axis([f64::MAX, -f64::MAX, f64::INFINITY], false);
        assert!(huge.start.is_finite() && huge.end.is_finite() && huge.start < huge.end);
    }

    #[test]
    fn long_labels_are_shortened_with_an_ellipsis() {
        assert_eq!(shorten("Instagram", 18), "Instagram");
        assert_eq!(shorten("Instagram", 5), "Inst…");
    }
}
