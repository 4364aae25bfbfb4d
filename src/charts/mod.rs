//! Chart drawings (plotters → SVG strings) with text alternatives. Pure; no leptos.
//!
//! Every function returns a [`Chart`]: a responsive SVG (fixed 640×320 `viewBox`, `width="100%"`,
//! white background, dark text) plus a one-sentence `summary` for `aria-label` and a `table`
//! that states every plotted value as text.
//!
//! Conventions:
//! - Values arrive in display units. The unit is the trailing parenthesis of the axis label:
//!   `"Engagement rate (%)"` → `4.1%`, `"Spend ($)"` → `$1,200`, `"Views (k)"` → `12 k`.
//! - Labels are user data and are passed to plotters raw: its SVG backend escapes `<>&"'` in
//!   text and attributes itself (escaping them here too would double-escape). The few strings
//!   this module writes into the SVG by hand go through [`escape_xml`].
//! - Missing or non-finite values are gaps (never zeros); an input with nothing to plot gives a
//!   small "No data" SVG. Values beyond ±1e300 are drawn at ±1e300 (the table keeps the truth).
//! - In the browser plotters measures text through the DOM, so call these on the main thread.

mod budget;
mod by_platform;
mod funnel;
mod scatter;
mod trend;

pub use budget::budget;
pub use by_platform::{by_platform, PlatformRow};
pub use funnel::funnel;
pub use scatter::scatter;
pub use trend::trend;

use plotters::chart::MeshStyle;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::ops::Range;

/// A drawn chart and its text alternatives.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// A standalone, responsive `<svg>` element (safe to insert as HTML: all text is escaped).
    pub svg: String,
    /// One sentence describing the chart, for `aria-label`.
    pub summary: String,
    /// The data as text: `table[0]` is the header row, then one row per point.
    pub table: Vec<Vec<String>>,
}

/// The chart as a standalone `.svg` file for "export chart as SVG": an XML prolog, a fixed
/// 640×320 pixel size, and `provenance` (e.g. the settings and date range the numbers were
/// computed with) in a `<desc>` element.
pub fn svg_file(chart: &Chart, provenance: &str) -> String {
    // The root tag is written by `finish_svg`; escaped text never contains a raw '>'.
    let root_end = chart.svg.find('>').map_or(0, |i| i + 1);
    let (root, body) = chart.svg.split_at(root_end);
    let sized_root = root.replacen(
        r#"width="100%""#,
        &format!(r#"width="{WIDTH}" height="{HEIGHT}""#),
        1,
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{sized_root}\n<desc>{}</desc>{body}",
        escape_xml(provenance)
    )
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

const WIDTH: u32 = 640;
const HEIGHT: u32 = 320;
/// Magnitudes beyond this are drawn at this value so that axis arithmetic stays finite.
const PLOT_LIMIT: f64 = 1e300;
/// Written in the table and summary for a missing value.
const NO_DATA: &str = "no data";

const FONT: &str = "sans-serif";
const TEXT: RGBColor = RGBColor(31, 41, 55);
const AXIS: RGBColor = RGBColor(75, 85, 99);
const GRID: RGBColor = RGBColor(229, 231, 235);
const PRIMARY: RGBColor = RGBColor(37, 99, 235);
const SECONDARY: RGBColor = RGBColor(217, 119, 6);
const BAND: RGBColor = RGBColor(22, 163, 74);
const BAND_OPACITY: f64 = 0.2;

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type DrawResult = Result<(), Box<dyn std::error::Error>>;
/// A chart borrowing its drawing area for `'a`, drawing into a string borrowed for `'b`.
type CategoryChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws with plotters and wraps the result; a drawing error gives a message chart, not a panic.
fn render(
    title: &str,
    summary: String,
    table: Vec<Vec<String>>,
    draw: impl FnOnce(&Area) -> DrawResult,
) -> Chart {
    let mut raw = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut raw, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(Into::into)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(Into::into))
    };
    let svg = match drawn {
        Ok(()) => finish_svg(&raw, title, &summary),
        Err(_) => message_svg(title, "Chart could not be drawn", &summary),
    };
    Chart {
        svg,
        summary,
        table,
    }
}

/// The chart for an input with nothing to plot.
fn no_data(title: &str, table: Vec<Vec<String>>) -> Chart {
    let summary = format!("{title}: no data");
    Chart {
        svg: message_svg(title, "No data", &summary),
        summary,
        table,
    }
}

/// A small hand-written SVG: the title and a centred message.
fn message_svg(title: &str, message: &str, summary: &str) -> String {
    let body = format!(
        r##"<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#FFFFFF"/>
<text x="{cx}" y="30" text-anchor="middle" font-family="{FONT}" font-size="18" fill="{text}">{title}</text>
<text x="{cx}" y="{cy}" text-anchor="middle" font-family="{FONT}" font-size="16" fill="{text}">{message}</text>
</svg>
"##,
        cx = WIDTH / 2,
        cy = HEIGHT / 2,
        text = hex(TEXT),
        title = escape_xml(title),
        message = escape_xml(message),
    );
    format!("{}{body}", root_tag(title, summary))
}

/// Replaces plotters' fixed-size root tag with the responsive, labelled one.
fn finish_svg(raw: &str, title: &str, summary: &str) -> String {
    let body = raw.find('>').map_or(raw, |i| &raw[i + 1..]);
    format!("{}{}", root_tag(title, summary), body.trim_start())
}

fn root_tag(title: &str, summary: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"100%\" \
         preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-label=\"{}\">\n<title>{}</title>\n",
        escape_xml(summary),
        escape_xml(title)
    )
}

fn hex(color: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2)
}

fn text_style(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&TEXT)
}

/// A chart with categories `0..n` on x (one slot per label) and `y` on the value axis.
fn category_chart<'a, 'b>(
    root: &'a Area<'b>,
    title: &str,
    categories: usize,
    y: Range<f64>,
) -> Result<CategoryChart<'a, 'b>, Box<dyn std::error::Error>> {
    let chart = ChartBuilder::on(root)
        .caption(title, text_style(22))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(category_axis(categories), y)?;
    Ok(chart)
}

/// Draws axes, value grid lines and category labels; `x_desc`/`y_desc` name the axes.
fn draw_category_mesh(
    chart: &mut CategoryChart,
    labels: &[String],
    x_desc: &str,
    y_desc: &str,
) -> DrawResult {
    let shown = labels.len().clamp(1, 10);
    let max_chars = (520 / shown / 7).clamp(4, 18);
    let x_formatter = |x: &f64| category_label(labels, *x, max_chars);
    let y_formatter = |y: &f64| axis_number(*y);
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .x_labels(shown)
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .x_desc(x_desc)
        .y_desc(y_desc);
    house_style(&mut mesh).draw()?;
    Ok(())
}

/// The house style of every chart's axes and grid: label sizes, axis colour, light grid.
fn house_style<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType: std::fmt::Debug>,
    Y: Ranged<ValueType: std::fmt::Debug>,
    DB: DrawingBackend,
{
    mesh.label_style(text_style(15))
        .axis_desc_style(text_style(16))
        .axis_style(AXIS)
        .bold_line_style(GRID)
        .max_light_lines(0)
}

/// Draws the legend at `position` (call only when there is more than one series).
fn draw_legend<'a, 'b: 'a>(
    chart: &mut CategoryChart<'a, 'b>,
    position: SeriesLabelPosition,
) -> DrawResult {
    chart
        .configure_series_labels()
        .position(position)
        .label_font(text_style(15))
        .background_style(WHITE.mix(0.85))
        .border_style(GRID)
        .draw()?;
    Ok(())
}

/// A filled square legend marker.
fn legend_box(color: RGBAColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
}

/// The x range giving each of `n` categories a unit-wide slot centred on its index.
fn category_axis(n: usize) -> Range<f64> {
    -0.5..(n.max(1) as f64 - 0.5)
}

/// The axis label for the category at `x`; ticks between categories stay blank.
fn category_label(labels: &[String], x: f64, max_chars: usize) -> String {
    let index = x.round();
    if (x - index).abs() > 1e-6 || index < 0.0 {
        return String::new();
    }
    labels
        .get(index as usize)
        .map(|label| shorten(label, max_chars))
        .unwrap_or_default()
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

/// `range` with 30% more room on top, so that a legend in a top corner clears the data.
fn with_legend_room(range: Range<f64>) -> Range<f64> {
    let room = (range.end - range.start) * 0.3;
    range.start..(range.end + room).min(PLOT_LIMIT * 1.5)
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
    matches!((chars.next(), chars.next()), (Some(c), None) if !c.is_alphanumeric() && c != '%')
}

/// A header cell: the label with the unit of `unit_label` appended when it has one.
fn header_with_unit(label: &str, unit_label: &str) -> String {
    match unit_of(unit_label) {
        "" => label.to_string(),
        unit => format!("{label} ({unit})"),
    }
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
    fn category_labels_only_on_whole_indices() {
        let labels = vec!["Instagram".to_string(), "TikTok".to_string()];
        assert_eq!(category_label(&labels, 0.0, 18), "Instagram");
        assert_eq!(category_label(&labels, 0.5, 18), "");
        assert_eq!(category_label(&labels, 2.0, 18), "");
        assert_eq!(category_label(&labels, 0.0, 5), "Inst…");
    }

    #[test]
    fn naive_font_estimator_measures_text_natively() {
        // Without plotters' `ttf` feature the native build must still lay out text.
        let size = (FONT, 14).into_font().box_size("Engagement rate");
        assert!(matches!(size, Ok((width, height)) if width > 0 && height > 0));
    }
}
