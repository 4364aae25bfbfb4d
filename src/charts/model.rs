//! The chart model (what a chart shows, in data coordinates) and its layout at a width in
//! CSS px (where each piece goes, in px). Text is never measured: its width is estimated
//! from its character count, and no text is smaller than [`MIN_TEXT`].

use super::{axis_number, plottable, shorten};

/// The smallest text a chart draws, in CSS px.
pub const MIN_TEXT: f64 = 12.0;
/// Tick labels and notes.
const TICK_TEXT: f64 = MIN_TEXT;
/// Axis titles.
const AXIS_TEXT: f64 = 13.0;
/// The title drawn in exported files (on the page the figure's caption shows it).
const TITLE_TEXT: f64 = 16.0;
/// An estimate of the average advance of a sans-serif character, as a share of its size.
const CHAR_WIDTH: f64 = 0.6;
/// Point marks' radius, in px.
const POINT_RADIUS: f64 = 5.0;

/// A series colour. The page colours marks from CSS variables through [`Color::class`];
/// exported files carry [`Color::hex`] (the light scheme).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// The main data series.
    Primary,
    /// A second data series (e.g. actual spend beside budget).
    Secondary,
    /// Target bands and lines.
    Band,
}

impl Color {
    /// The CSS class whose rules colour this series (`style/main.css`, chart section).
    pub fn class(self) -> &'static str {
        match self {
            Color::Primary => "chart-primary",
            Color::Secondary => "chart-secondary",
            Color::Band => "chart-band",
        }
    }

    /// The colour written into standalone SVG files.
    pub fn hex(self) -> &'static str {
        match self {
            Color::Primary => "#2563EB",
            Color::Secondary => "#D97706",
            Color::Band => "#16A34A",
        }
    }
}

/// How a series looks in its legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swatch {
    /// A filled square (bars).
    Box,
    /// A light shaded square (target bands).
    Shade,
    /// A short line (lines).
    Line,
    /// A dot (points).
    Dot,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The name shown in the legend.
    pub name: String,
    /// Its colour.
    pub color: Color,
    /// Its legend marker.
    pub swatch: Swatch,
}

/// How an axis maps data to position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// `count` slots, category `i` centred on `i` (`reversed`: the first at the top/right end).
    Categories { count: usize, reversed: bool },
    /// A linear range.
    Linear { min: f64, max: f64 },
    /// A base-10 logarithmic range (`0 < min < max`).
    Log { min: f64, max: f64 },
}

impl Scale {
    /// Where `value` sits along the axis, from 0 (start) to 1 (end); outside values are
    /// clamped a little beyond the ends, and a non-finite one gives 0.
    pub fn fraction(&self, value: f64) -> f64 {
        let fraction = match *self {
            Scale::Categories { count, reversed } => {
                let f = (value + 0.5) / count.max(1) as f64;
                if reversed {
                    1.0 - f
                } else {
                    f
                }
            }
            Scale::Linear { min, max } => (value - min) / (max - min),
            Scale::Log { min, max } => {
                let v = value.max(min);
                (v.log10() - min.log10()) / (max.log10() - min.log10())
            }
        };
        if fraction.is_finite() {
            fraction.clamp(-0.05, 1.05)
        } else {
            0.0
        }
    }
}

/// A tick: its position in data coordinates and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Data coordinate (a category's index on a category axis).
    pub at: f64,
    /// The label, in full (the layout may shorten or skip it).
    pub label: String,
}

/// An axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The axis title, e.g. `Engagement rate (%)`.
    pub title: String,
    /// Its scale.
    pub scale: Scale,
    /// Its ticks, first to last.
    pub ticks: Vec<Tick>,
    /// Whether grid lines run across the plot at its ticks.
    pub grid: bool,
    /// Whether tick labels are drawn (a funnel's stages are named beside their bars).
    pub labelled: bool,
}

impl Axis {
    /// A category axis with one tick per label.
    pub fn categories(title: &str, labels: &[String], reversed: bool) -> Axis {
        Axis {
            title: title.to_string(),
            scale: Scale::Categories {
                count: labels.len().max(1),
                reversed,
            },
            ticks: labels
                .iter()
                .enumerate()
                .map(|(i, label)| Tick {
                    at: i as f64,
                    label: label.clone(),
                })
                .collect(),
            grid: false,
            labelled: true,
        }
    }

    /// A linear value axis over `range` with about six round ticks.
    pub fn linear(title: &str, range: std::ops::Range<f64>) -> Axis {
        let (min, max) = (range.start, range.end);
        Axis {
            title: title.to_string(),
            scale: Scale::Linear { min, max },
            ticks: linear_ticks(min, max, 6),
            grid: true,
            labelled: true,
        }
    }

    /// A log value axis over `range` (both ends positive) with a tick per decade.
    pub fn log(title: &str, range: std::ops::Range<f64>) -> Axis {
        let (min, max) = (range.start, range.end);
        Axis {
            title: title.to_string(),
            scale: Scale::Log { min, max },
            ticks: log_ticks(min, max),
            grid: true,
            labelled: true,
        }
    }
}

/// A mark's shape in data coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// A bar spanning `x.0..x.1` × `y.0..y.1`.
    Bar { x: (f64, f64), y: (f64, f64) },
    /// A point.
    Point { x: f64, y: f64 },
}

/// A bar or point: what it shows, as text for its tooltip and accessible name.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Stable across filter changes (series and category), for keyed updates.
    pub key: String,
    /// Index into [`Plot::series`].
    pub series: usize,
    /// Where it is.
    pub shape: Shape,
    /// What it is, e.g. `Instagram` or `Spring: budget`.
    pub label: String,
    /// Its value with its unit, e.g. `4.5%`.
    pub value: String,
    /// Its share of the whole (or, for a rate, where it stands), e.g. `28% of total spend`.
    pub share: String,
}

impl Mark {
    /// The mark's accessible name: label, value and share in one sentence.
    pub fn accessible_name(&self) -> String {
        if self.share.is_empty() {
            format!("{}: {}", self.label, self.value)
        } else {
            format!("{}: {}; {}", self.label, self.value, self.share)
        }
    }
}

/// A shaded rectangle behind the marks (a target band), in data coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Index into [`Plot::series`].
    pub series: usize,
    /// `x` span.
    pub x: (f64, f64),
    /// `y` span.
    pub y: (f64, f64),
}

/// A polyline in data coordinates (one run of a trend, a target line).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Index into [`Plot::series`].
    pub series: usize,
    /// Its points.
    pub points: Vec<(f64, f64)>,
}

/// A text drawn in the plot at a data point, moved by `offset` px.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Data coordinates.
    pub at: (f64, f64),
    /// Offset in px (right, down).
    pub offset: (f64, f64),
    /// The text.
    pub text: String,
}

/// Everything a chart with data draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    /// Legend entries (the page draws the legend in HTML when there are two or more).
    pub series: Vec<Series>,
    /// Shaded bands, drawn first.
    pub bands: Vec<Band>,
    /// Lines, drawn over the bands.
    pub lines: Vec<Line>,
    /// Bars and points, each focusable on the page.
    pub marks: Vec<Mark>,
    /// Texts in the plot (funnel stage labels, scatter point names).
    pub notes: Vec<Note>,
}

/// A chart's model: its title and, when there is something to plot, the [`Plot`].
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The chart's title.
    pub title: String,
    /// `None`: nothing to plot, the chart says "No data".
    pub plot: Option<Plot>,
}

/// A rectangle in px.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// A line segment in px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Start.
    pub from: (f64, f64),
    /// End.
    pub to: (f64, f64),
}

/// Text alignment at its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at the point.
    Start,
    /// Text is centred on the point.
    Middle,
    /// Text ends at the point.
    End,
}

impl Anchor {
    /// The SVG `text-anchor` value.
    pub fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// What a text is (the page styles each kind by class).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A tick label.
    Tick,
    /// An axis title.
    AxisTitle,
    /// A note in the plot.
    Note,
    /// The chart title (exported files only).
    Title,
    /// A legend entry (exported files only).
    Legend,
    /// The "No data" message.
    Message,
}

impl TextKind {
    /// The CSS class of this kind of text.
    pub fn class(self) -> &'static str {
        match self {
            TextKind::Tick => "chart-tick",
            TextKind::AxisTitle => "chart-axis-title",
            TextKind::Note => "chart-note",
            TextKind::Title => "chart-title",
            TextKind::Legend => "chart-legend-text",
            TextKind::Message => "chart-message",
        }
    }
}

/// A placed text.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Anchor point (baseline), px.
    pub x: f64,
    /// Baseline, px.
    pub y: f64,
    /// The text (raw: escape it when writing markup).
    pub text: String,
    /// Alignment.
    pub anchor: Anchor,
    /// Font size in px, never under [`MIN_TEXT`].
    pub size: f64,
    /// Rotated a quarter turn anticlockwise about its anchor (the y axis title).
    pub vertical: bool,
    /// Its kind.
    pub kind: TextKind,
}

/// A placed mark's shape in px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placed {
    /// A bar.
    Rect(Rect),
    /// A point.
    Circle { cx: f64, cy: f64, r: f64 },
}

/// A placed mark: its shape, colour, and where its tooltip points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedMark {
    /// Index into [`Plot::marks`].
    pub index: usize,
    /// Shape in px.
    pub shape: Placed,
    /// Colour.
    pub color: Color,
    /// Tooltip anchor: the mark's top centre, px.
    pub tip: (f64, f64),
}

/// A placed legend swatch (exported files only).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedSwatch {
    /// Where, px.
    pub rect: Rect,
    /// Colour.
    pub color: Color,
    /// Look.
    pub swatch: Swatch,
}

/// A chart laid out at a width: every piece in px, drawn in this order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frame {
    /// Width, px.
    pub width: f64,
    /// Height, px.
    pub height: f64,
    /// The plot area.
    pub plot: Rect,
    /// Grid lines.
    pub grid: Vec<Segment>,
    /// Shaded bands.
    pub bands: Vec<(Rect, Color)>,
    /// Axis lines.
    pub axes: Vec<Segment>,
    /// Lines.
    pub lines: Vec<(Vec<(f64, f64)>, Color)>,
    /// Marks, in the model's order.
    pub marks: Vec<PlacedMark>,
    /// Texts.
    pub texts: Vec<Text>,
    /// Legend swatches (exported files only; the page's legend is HTML).
    pub swatches: Vec<PlacedSwatch>,
}

/// The chart's height at `width`: half the width, within 240–420 px.
pub fn height_for(width: f64) -> f64 {
    (width * 0.5).clamp(240.0, 420.0)
}

/// The estimated width of `text` at `size` px.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * CHAR_WIDTH
}

impl Model {
    /// Lays the chart out at `width` CSS px (clamped to 200–4000). `standalone` adds the
    /// title and a drawn legend on top (for exported files; the page shows both in HTML).
    pub fn layout(&self, width: f64, standalone: bool) -> Frame {
        let width = if width.is_finite() {
            width.clamp(200.0, 4000.0)
        } else {
            640.0
        };
        let height = height_for(width);
        let mut frame = Frame {
            width,
            height,
            ..Frame::default()
        };
        let mut top = 10.0;
        if standalone {
            frame.texts.push(Text {
                x: width / 2.0,
                y: 24.0,
                text: self.title.clone(),
                anchor: Anchor::Middle,
                size: TITLE_TEXT,
                vertical: false,
                kind: TextKind::Title,
            });
            top += 26.0;
        }
        let Some(plot) = &self.plot else {
            frame.texts.push(Text {
                x: width / 2.0,
                y: height / 2.0,
                text: "No data".to_string(),
                anchor: Anchor::Middle,
                size: 16.0,
                vertical: false,
                kind: TextKind::Message,
            });
            return frame;
        };
        if standalone && plot.series.len() > 1 {
            top = legend(&mut frame, &plot.series, top);
        }
        place_plot(&mut frame, plot, top);
        frame
    }
}

/// Draws the legend as a row (wrapping) from `top`; returns the new top of the plot.
fn legend(frame: &mut Frame, series: &[Series], top: f64) -> f64 {
    let (mut x, mut y) = (16.0, top + 4.0);
    for entry in series {
        let item = 12.0 + 6.0 + text_width(&entry.name, TICK_TEXT) + 16.0;
        if x + item > frame.width - 8.0 && x > 16.0 {
            x = 16.0;
            y += 18.0;
        }
        frame.swatches.push(PlacedSwatch {
            rect: Rect {
                x,
                y,
                w: 12.0,
                h: 12.0,
            },
            color: entry.color,
            swatch: entry.swatch,
        });
        frame.texts.push(Text {
            x: x + 18.0,
            y: y + 10.5,
            text: entry.name.clone(),
            anchor: Anchor::Start,
            size: TICK_TEXT,
            vertical: false,
            kind: TextKind::Legend,
        });
        x += item;
    }
    y + 22.0
}

fn place_plot(frame: &mut Frame, plot: &Plot, top: f64) {
    let y_is_values = !matches!(plot.y.scale, Scale::Categories { .. });
    let x_is_values = !matches!(plot.x.scale, Scale::Categories { .. });
    let y_label_width = if y_is_values && plot.y.labelled {
        plot.y
            .ticks
            .iter()
            .map(|t| text_width(&t.label, TICK_TEXT))
            .fold(0.0, f64::max)
    } else {
        0.0
    };
    let left = 8.0 + AXIS_TEXT + 8.0 + y_label_width + 6.0;
    let last_x_label = if x_is_values {
        plot.x
            .ticks
            .last()
            .map_or(0.0, |t| text_width(&t.label, TICK_TEXT) / 2.0)
    } else {
        0.0
    };
    let right = 12.0_f64.max(last_x_label + 4.0);
    let bottom = 6.0 + TICK_TEXT + 8.0 + AXIS_TEXT + 8.0;
    let area = Rect {
        x: left,
        y: top,
        w: (frame.width - left - right).max(40.0),
        h: (frame.height - top - bottom).max(60.0),
    };
    frame.plot = area;
    let to_x = |v: f64| area.x + plot.x.scale.fraction(v) * area.w;
    let to_y = |v: f64| area.y + area.h - plot.y.scale.fraction(v) * area.h;
    let clamp_x = |x: f64| x.clamp(area.x, area.x + area.w);
    let clamp_y = |y: f64| y.clamp(area.y, area.y + area.h);
    let bottom_edge = area.y + area.h;

    // The y axis: ticks, grid, title.
    if y_is_values {
        let ticks = thinned(&plot.y.ticks, |t| to_y(t.at), 22.0);
        for tick in ticks {
            let y = to_y(tick.at);
            if !(area.y - 0.5..=bottom_edge + 0.5).contains(&y) {
                continue;
            }
            if plot.y.grid {
                frame.grid.push(Segment {
                    from: (area.x, y),
                    to: (area.x + area.w, y),
                });
            }
            if plot.y.labelled {
                frame
                    .texts
                    .push(tick_text(area.x - 6.0, y + 4.0, &tick.label, Anchor::End));
            }
        }
    }
    frame.texts.push(Text {
        x: 8.0 + AXIS_TEXT,
        y: area.y + area.h / 2.0,
        text: plot.y.title.clone(),
        anchor: Anchor::Middle,
        size: AXIS_TEXT,
        vertical: true,
        kind: TextKind::AxisTitle,
    });

    // The x axis: ticks (category labels shortened to their slot, or every k-th), title.
    let label_y = bottom_edge + 6.0 + TICK_TEXT;
    match plot.x.scale {
        Scale::Categories { count, .. } => {
            let slot = area.w / count.max(1) as f64;
            let fits = ((slot - 6.0) / (TICK_TEXT * CHAR_WIDTH)).floor();
            let (max_chars, every) = if fits >= 4.0 {
                (fits.min(24.0) as usize, 1)
            } else {
                let longest = plot
                    .x
                    .ticks
                    .iter()
                    .map(|t| t.label.chars().count())
                    .max()
                    .unwrap_or(1)
                    .clamp(1, 8);
                let needed = longest as f64 * TICK_TEXT * CHAR_WIDTH + 8.0;
                (longest, (needed / slot.max(1.0)).ceil().max(1.0) as usize)
            };
            // Labels that all start alike (periods: "W 2026-03-02") keep their ends.
            let shared = common_prefix_chars(&plot.x.ticks);
            if plot.x.labelled {
                for tick in plot.x.ticks.iter().step_by(every) {
                    let label = if shared >= 3 && plot.x.ticks.len() > 1 {
                        shorten_front(&tick.label, max_chars)
                    } else {
                        shorten(&tick.label, max_chars)
                    };
                    frame
                        .texts
                        .push(tick_text(to_x(tick.at), label_y, &label, Anchor::Middle));
                }
            }
        }
        _ => {
            let widest = plot
                .x
                .ticks
                .iter()
                .map(|t| text_width(&t.label, TICK_TEXT))
                .fold(0.0, f64::max);
            for tick in thinned(&plot.x.ticks, |t| to_x(t.at), widest + 12.0) {
                let x = to_x(tick.at);
                if !(area.x - 0.5..=area.x + area.w + 0.5).contains(&x) {
                    continue;
                }
                if plot.x.grid {
                    frame.grid.push(Segment {
                        from: (x, area.y),
                        to: (x, bottom_edge),
                    });
                }
                if plot.x.labelled {
                    frame
                        .texts
                        .push(tick_text(x, label_y, &tick.label, Anchor::Middle));
                }
            }
        }
    }
    frame.texts.push(Text {
        x: area.x + area.w / 2.0,
        y: frame.height - 8.0,
        text: plot.x.title.clone(),
        anchor: Anchor::Middle,
        size: AXIS_TEXT,
        vertical: false,
        kind: TextKind::AxisTitle,
    });
    frame.axes.push(Segment {
        from: (area.x, bottom_edge),
        to: (area.x + area.w, bottom_edge),
    });
    frame.axes.push(Segment {
        from: (area.x, area.y),
        to: (area.x, bottom_edge),
    });

    let color_of = |series: usize| plot.series.get(series).map_or(Color::Primary, |s| s.color);
    let rect_of = |x: (f64, f64), y: (f64, f64)| {
        let (x0, x1) = (clamp_x(to_x(x.0)), clamp_x(to_x(x.1)));
        let (y0, y1) = (clamp_y(to_y(y.0)), clamp_y(to_y(y.1)));
        Rect {
            x: x0.min(x1),
            y: y0.min(y1),
            w: (x1 - x0).abs(),
            h: (y1 - y0).abs(),
        }
    };
    for band in &plot.bands {
        frame
            .bands
            .push((rect_of(band.x, band.y), color_of(band.series)));
    }
    for line in &plot.lines {
        let points = line
            .points
            .iter()
            .map(|&(x, y)| (clamp_x(to_x(x)), clamp_y(to_y(y))))
            .collect();
        frame.lines.push((points, color_of(line.series)));
    }
    for (index, mark) in plot.marks.iter().enumerate() {
        let (shape, tip) = match mark.shape {
            Shape::Bar { x, y } => {
                let mut rect = rect_of(x, y);
                // A zero bar stays visible (and hoverable) as a hairline.
                if rect.h < 1.0 {
                    rect.y = (rect.y - 1.0).max(area.y);
                    rect.h = 1.0;
                }
                if rect.w < 1.0 {
                    rect.w = 1.0;
                }
                (Placed::Rect(rect), (rect.x + rect.w / 2.0, rect.y))
            }
            Shape::Point { x, y } => {
                let (cx, cy) = (clamp_x(to_x(x)), clamp_y(to_y(y)));
                (
                    Placed::Circle {
                        cx,
                        cy,
                        r: POINT_RADIUS,
                    },
                    (cx, cy - POINT_RADIUS),
                )
            }
        };
        frame.marks.push(PlacedMark {
            index,
            shape,
            color: color_of(mark.series),
            tip,
        });
    }
    for note in &plot.notes {
        let x = clamp_x(to_x(note.at.0)) + note.offset.0;
        let y = clamp_y(to_y(note.at.1)) + note.offset.1;
        let room = (frame.width - x - 4.0).max(0.0);
        let max_chars = (room / (TICK_TEXT * CHAR_WIDTH)).floor().max(4.0) as usize;
        frame.texts.push(Text {
            x,
            y,
            text: shorten(&note.text, max_chars),
            anchor: Anchor::Start,
            size: TICK_TEXT,
            vertical: false,
            kind: TextKind::Note,
        });
    }
}

/// How many leading characters every tick label shares.
fn common_prefix_chars(ticks: &[Tick]) -> usize {
    let Some((first, rest)) = ticks.split_first() else {
        return 0;
    };
    let mut shared = first.label.chars().count();
    for tick in rest {
        shared = first
            .label
            .chars()
            .zip(tick.label.chars())
            .take(shared)
            .take_while(|(a, b)| a == b)
            .count();
    }
    shared
}

/// Keeps the last `max_chars - 1` characters after an ellipsis: `…03-02`.
fn shorten_front(label: &str, max_chars: usize) -> String {
    let count = label.chars().count();
    if count <= max_chars {
        return label.to_string();
    }
    let kept: String = label
        .chars()
        .skip(count - max_chars.saturating_sub(1))
        .collect();
    format!("…{kept}")
}

fn tick_text(x: f64, y: f64, label: &str, anchor: Anchor) -> Text {
    Text {
        x,
        y,
        text: label.to_string(),
        anchor,
        size: TICK_TEXT,
        vertical: false,
        kind: TextKind::Tick,
    }
}

/// Every k-th tick, with k the smallest that leaves `spacing` px between kept ticks.
fn thinned(ticks: &[Tick], position: impl Fn(&Tick) -> f64, spacing: f64) -> Vec<&Tick> {
    let gap = match ticks {
        [a, b, ..] => (position(b) - position(a)).abs(),
        _ => return ticks.iter().collect(),
    };
    let every = if gap.is_finite() && gap > 0.0 {
        (spacing / gap).ceil().clamp(1.0, ticks.len() as f64) as usize
    } else {
        ticks.len()
    };
    ticks.iter().step_by(every.max(1)).collect()
}

/// Round ticks from `min` to `max`: about `count` of them at 1, 2 or 5 × a power of ten.
fn linear_ticks(min: f64, max: f64, count: usize) -> Vec<Tick> {
    let span = max - min;
    if !(span.is_finite() && span > 0.0) {
        return Vec::new();
    }
    let raw = span / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * magnitude);
    if !(step.is_finite() && step > 0.0) {
        return Vec::new();
    }
    let first = (min / step).ceil();
    let mut ticks = Vec::new();
    for i in 0..=(count * 3) {
        let at = (first + i as f64) * step;
        if !at.is_finite() || at > max + step * 1e-9 {
            break;
        }
        // Snap values that should be zero (floating error) to zero.
        let at = if at.abs() < step * 1e-9 { 0.0 } else { at };
        ticks.push(Tick {
            at,
            label: axis_number(at),
        });
    }
    ticks
}

/// A tick per power of ten between `min` and `max` (every other one past eight).
fn log_ticks(min: f64, max: f64) -> Vec<Tick> {
    if !(min > 0.0 && max > min && max.is_finite()) {
        return Vec::new();
    }
    let (low, high) = (min.log10().ceil() as i32, max.log10().floor() as i32);
    let every = (((high - low + 1) as f64 / 8.0).ceil() as usize).max(1);
    (low..=high)
        .step_by(every)
        .map(|k| {
            let at = 10f64.powi(k);
            Tick {
                at,
                label: axis_number(at),
            }
        })
        .filter(|t| plottable(Some(t.at)).is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_round() {
        let labels: Vec<String> = linear_ticks(0.0, 10.8, 6)
            .into_iter()
            .map(|t| t.label)
            .collect();
        // 10.8 / 6 = 1.8 → step 2: 0, 2, …, 10.
        assert_eq!(labels, ["0", "2", "4", "6", "8", "10"]);
        assert!(linear_ticks(1.0, 1.0, 6).is_empty());
        assert!(!linear_ticks(-1e300, 1e300, 6).is_empty());
    }

    #[test]
    fn log_ticks_are_decades() {
        let labels: Vec<String> = log_ticks(100.0, 1.2e6)
            .into_iter()
            .map(|t| t.label)
            .collect();
        assert_eq!(labels, ["100", "1k", "10k", "100k", "1M"]);
    }

    #[test]
    fn alike_labels_keep_their_ends() {
        assert_eq!(shorten_front("W 2026-03-02", 6), "…03-02");
        assert_eq!(shorten_front("W1", 6), "W1");
        let ticks: Vec<Tick> = ["W 2026-03-02", "W 2026-03-09"]
            .iter()
            .map(|l| Tick {
                at: 0.0,
                label: l.to_string(),
            })
            .collect();
        // "W 2026-03-0" is shared: 11 characters.
        assert_eq!(common_prefix_chars(&ticks), 11);
    }

    #[test]
    fn text_is_never_under_twelve_px() {
        let axis = Axis::categories("Period", &["a".to_string()], false);
        let model = Model {
            title: "T".into(),
            plot: Some(Plot {
                x: axis,
                y: Axis::linear("Rate", 0.0..1.0),
                series: vec![],
                bands: vec![],
                lines: vec![],
                marks: vec![],
                notes: vec![],
            }),
        };
        for width in [200.0, 390.0, 1440.0] {
            let frame = model.layout(width, false);
            assert!(frame.texts.iter().all(|t| t.size >= MIN_TEXT));
            assert!(frame.plot.x + frame.plot.w <= frame.width);
        }
    }
}
