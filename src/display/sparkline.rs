//! Sparklines: a KPI over the periods of the view, drawn small in a fixed box (the
//! card stretches it; the stroke keeps its width), with the target band behind it, and
//! the sentence a screen reader reads for it ("rising from 5.1% to 7.7% over 12 weeks").
//! A period without a value (n/a) is a gap in the line, never a zero.

use crate::data::calendar::{Day, Granularity};

/// Width of the drawing box (SVG user units).
pub const WIDTH: f64 = 100.0;
/// Height of the drawing box (SVG user units).
pub const HEIGHT: f64 = 24.0;
/// Space kept free at each edge, so round line caps and dots are not clipped.
pub const PAD: f64 = 2.0;

/// The drawing of one sparkline in the `WIDTH` × `HEIGHT` box.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Geometry {
    /// SVG path data: one subpath per run of consecutive periods with a value; a lone
    /// value is a zero-length segment (`h0`), drawn as a dot by a round line cap.
    /// Empty when no period has a value.
    pub path: String,
    /// The target band's top y and height (at least a hairline for a one-sided
    /// target), when there is a band and a value to place it against.
    pub band: Option<(f64, f64)>,
}

/// Longest series drawn: a day-by-day view of years of data keeps its last periods.
pub const MAX_PERIODS: usize = 400;

/// The start of the period after the one starting at `start`. A month is at most 31
/// days and the next at least 28, so 31 days on is always inside the next month; a
/// quarter is at most 92 days and the next at least 90.
fn next_start(start: Day, granularity: Granularity) -> Day {
    let step = match granularity {
        Granularity::Day => 1,
        Granularity::Week => 7,
        Granularity::Month => 31,
        Granularity::Quarter => 92,
    };
    granularity.period_start(start.saturating_add(step))
}

/// One value per period from the first period given to the last, oldest first: the
/// engine lists only periods that have rows (`points`: each one's start and value,
/// oldest first), so a period without rows in between is `None` here, a gap, as is a
/// period whose value is n/a. At most [`MAX_PERIODS`], the latest.
pub fn series(points: &[(Day, Option<f64>)], granularity: Granularity) -> Vec<Option<f64>> {
    let mut out: Vec<Option<f64>> = Vec::new();
    let mut expected: Option<Day> = None;
    for &(start, value) in points {
        if let Some(mut next) = expected {
            // Fill the periods without rows (bounded: no runaway on odd input).
            while next < start && out.len() < 100 * MAX_PERIODS {
                out.push(None);
                next = next_start(next, granularity);
            }
        }
        out.push(value);
        expected = Some(next_start(start, granularity));
    }
    if out.len() > MAX_PERIODS {
        out.drain(..out.len() - MAX_PERIODS);
    }
    out
}

/// The values as the line draws them: a non-finite value is no value.
fn present(values: &[Option<f64>]) -> impl Iterator<Item = (usize, f64)> + '_ {
    values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v)))
}

/// Places `values` (one per period, oldest first) and the target band `(low, high)`
/// in the box: periods spread evenly across it, the values' range (widened to take in
/// the band) from the bottom edge to the top.
pub fn geometry(values: &[Option<f64>], band: Option<(f64, f64)>) -> Geometry {
    let band = band.filter(|(lo, hi)| lo.is_finite() && hi.is_finite() && lo <= hi);
    let mut range: Option<(f64, f64)> = None;
    for (_, v) in present(values) {
        range = Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
    }
    let Some((mut lo, mut hi)) = range else {
        return Geometry::default();
    };
    if let Some((b_lo, b_hi)) = band {
        lo = lo.min(b_lo);
        hi = hi.max(b_hi);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        // One level: draw it across the middle.
        let spread = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo -= spread;
        hi += spread;
    }
    let inner_h = HEIGHT - 2.0 * PAD;
    let y = |v: f64| PAD + (hi - v) / (hi - lo) * inner_h;
    let n = values.len();
    let x = |i: usize| {
        if n <= 1 {
            WIDTH / 2.0
        } else {
            PAD + i as f64 * (WIDTH - 2.0 * PAD) / (n - 1) as f64
        }
    };
    let mut path = String::new();
    let mut previous: Option<usize> = None;
    let mut run_len = 0;
    for (i, v) in present(values) {
        let continues = previous.is_some_and(|p| p + 1 == i);
        if !continues {
            if run_len == 1 {
                path.push_str("h0");
            }
            path.push_str(&format!("M{:.1} {:.1}", x(i), y(v)));
            run_len = 1;
        } else {
            path.push_str(&format!("L{:.1} {:.1}", x(i), y(v)));
            run_len += 1;
        }
        previous = Some(i);
    }
    if run_len == 1 {
        path.push_str("h0");
    }
    let band = band.map(|(b_lo, b_hi)| {
        let top = y(b_hi);
        let height = (y(b_lo) - top).max(0.5);
        (round1(top), round1(height))
    });
    Geometry { path, band }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// `n` periods of `granularity` in words: "1 week", "12 weeks".
pub fn periods_in_words(n: usize, granularity: Granularity) -> String {
    let noun = match granularity {
        Granularity::Day => "day",
        Granularity::Week => "week",
        Granularity::Month => "month",
        Granularity::Quarter => "quarter",
    };
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The sparkline in words, for its accessible name: the way the KPI went from its
/// first period with a value to its last, with `format` writing each value, over how
/// many periods, and how many of them have none ("rising from 5.1% to 7.7% over 12
/// weeks, no value in 2 of them"). Values that read the same are "unchanged".
pub fn describe(
    values: &[Option<f64>],
    granularity: Granularity,
    format: impl Fn(f64) -> String,
) -> String {
    let over = periods_in_words(values.len(), granularity);
    let shown: Vec<f64> = present(values).map(|(_, v)| v).collect();
    let missing = values.len() - shown.len();
    let sentence = match shown.as_slice() {
        [] => return format!("no value over {over}"),
        [only] => format!("one value, {}, over {over}", format(*only)),
        [first, .., last] => {
            let (from, to) = (format(*first), format(*last));
            if from == to {
                format!("unchanged at {from} over {over}")
            } else if last > first {
                format!("rising from {from} to {to} over {over}")
            } else {
                format!("falling from {from} to {to} over {over}")
            }
        }
    };
    if missing == 0 {
        sentence
    } else {
        format!("{sentence}, no value in {missing} of them")
    }
}
