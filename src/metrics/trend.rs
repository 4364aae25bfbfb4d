//! Trends: a KPI against a compare period (the previous period of equal length, or the
//! same period a year earlier). The arrow follows the value; whether it is good follows
//! the KPI's direction, so a falling CPA is good.

use serde::{Deserialize, Serialize};

use crate::data::calendar::{day_from_ymd, days_in_month, saturate, ymd_from_day, Day};
use crate::data::store::Workspace;

use super::engine::{Filter, KpiSet, KpiValue};
use super::registry::{Direction, KpiDef};

/// Which way the value moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arrow {
    Up,
    Down,
    Flat,
}

/// Change against the compare period.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// Relative change (0.12 = +12%); `None` when either side is n/a or the previous is 0.
    pub change: Option<f64>,
    /// Whether the move is good given the KPI's direction; `None` when neutral/unknown.
    pub good: Option<bool>,
    /// Which way the value moved; `None` when either side is n/a.
    #[serde(default)]
    pub arrow: Option<Arrow>,
}

/// The trend of a KPI from its previous to its current value.
pub fn trend(current: &KpiValue, previous: &KpiValue, direction: Direction) -> Trend {
    let (Some(now), Some(before)) = (current.value(), previous.value()) else {
        return Trend {
            change: None,
            good: None,
            arrow: None,
        };
    };
    let delta = now - before;
    let arrow = if delta.abs() <= 1e-12 * before.abs().max(1.0) {
        Arrow::Flat
    } else if delta > 0.0 {
        Arrow::Up
    } else {
        Arrow::Down
    };
    let change = (before != 0.0).then(|| delta / before.abs());
    let good = match (arrow, direction) {
        (Arrow::Flat, _) | (_, Direction::WithinRange) => None,
        (Arrow::Up, d) => Some(d == Direction::HigherIsBetter),
        (Arrow::Down, d) => Some(d == Direction::LowerIsBetter),
    };
    Trend {
        change,
        good,
        arrow: Some(arrow),
    }
}

/// The trend of every KPI between two result sets, in registry order.
pub fn trends(current: &KpiSet, previous: &KpiSet) -> Vec<(&'static KpiDef, Trend)> {
    current
        .iter()
        .zip(previous.iter())
        .map(|((def, now), (_, before))| (def, trend(now, before, def.direction)))
        .collect()
}

/// What the current window is compared with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareMode {
    /// The period of equal length just before.
    #[default]
    PreviousPeriod,
    /// The same dates one year earlier.
    YearAgo,
}

impl CompareMode {
    /// Short name, as in the `compare` URL key.
    pub fn name(self) -> &'static str {
        match self {
            CompareMode::PreviousPeriod => "previous",
            CompareMode::YearAgo => "year",
        }
    }
}

/// The default window when the filter has no date range: the last 90 days of the data.
pub const DEFAULT_WINDOW_DAYS: Day = 90;

/// A current window and its compare window: both are complete filters to pass to
/// `compute` (they keep the platform/campaign/creator/format lists of the input filter).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareWindow {
    pub current: Filter,
    pub previous: Filter,
}

/// The current window of `filter` and the window it is compared with.
///
/// The current window is the filter's date range; a missing `to` is the last date in the
/// data, a missing `from` the first; with no range at all it is the last 90 days of the
/// data. `None` when the data has no dates and the filter no complete range.
pub fn compare_window(ws: &Workspace, filter: &Filter, mode: CompareMode) -> Option<CompareWindow> {
    let span = ws.posts.date_span();
    // Day arithmetic in i64, saturated back into a Day: no range can wrap around.
    let (from, to): (i64, i64) = match (filter.from, filter.to) {
        (Some(from), Some(to)) => (from.into(), to.into()),
        (None, None) => {
            let last = i64::from(span?.1);
            (last - i64::from(DEFAULT_WINDOW_DAYS - 1), last)
        }
        (Some(from), None) => (
            from.into(),
            span.map_or(from, |(_, last)| last.max(from)).into(),
        ),
        (None, Some(to)) => (
            span.map_or(to, |(first, _)| first.min(to)).into(),
            to.into(),
        ),
    };
    let (prev_from, prev_to) = match mode {
        CompareMode::PreviousPeriod => {
            // An inverted range (from after to) is empty, and so is its compare window.
            let length = (to - from + 1).max(0);
            (from - length, from - 1)
        }
        CompareMode::YearAgo => (
            year_earlier(saturate(from)).into(),
            year_earlier(saturate(to)).into(),
        ),
    };
    let (from, to, prev_from, prev_to) = (
        saturate(from),
        saturate(to),
        saturate(prev_from),
        saturate(prev_to),
    );
    let window = |from, to| Filter {
        from: Some(from),
        to: Some(to),
        ..filter.clone()
    };
    Some(CompareWindow {
        current: window(from, to),
        previous: window(prev_from, prev_to),
    })
}

/// The default comparison: the last 90 days of the data against the 90 days before them.
pub fn default_window(ws: &Workspace) -> Option<CompareWindow> {
    compare_window(ws, &Filter::default(), CompareMode::PreviousPeriod)
}

/// The same calendar day one year earlier (29 February becomes 28 February).
pub fn year_earlier(day: Day) -> Day {
    let (y, m, d) = ymd_from_day(day);
    let d = d.min(days_in_month(y.saturating_sub(1), m));
    day_from_ymd(y.saturating_sub(1), m, d).unwrap_or(day.saturating_sub(365))
}
