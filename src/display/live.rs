//! Live monitoring in words and marks (issue 19): what changed between two reads of the
//! same view (the KPI values that went up or down, overall and per group), which alerts
//! are new since the last read (by rule and subject), and the header's "last read"
//! sentence. Pure: the page compares the answers of the view's questions before and
//! after a re-read (wherever the data is, page or data worker).

use std::collections::{BTreeMap, BTreeSet};

use crate::metrics::alerts::{Alert, AlertRule, Subject};
use crate::metrics::engine::{KpiSet, Results};
use crate::metrics::registry::KpiId;

/// The shortest watch interval, in seconds (a shorter `?live=` is raised to it).
pub const MIN_INTERVAL_S: u32 = 2;
/// The longest wait between two reads after failures (the back-off's ceiling), seconds.
pub const MAX_BACKOFF_S: u32 = 300;
/// The intervals the header's control offers, in seconds.
pub const INTERVALS_S: [u32; 6] = [2, 5, 10, 30, 60, 300];

/// Which way a KPI value moved between two reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    Up,
    Down,
}

impl Change {
    /// The `data-changed` attribute value.
    pub fn attr(self) -> &'static str {
        match self {
            Change::Up => "up",
            Change::Down => "down",
        }
    }
}

/// The change of one value between two reads: `None` when it is the same (within a
/// relative 1e-9, so a sum recomputed in another order is no change). n/a to a value
/// counts as up (it appeared), a value to n/a as down (it went); a non-finite number
/// is taken as n/a, so no NaN ever compares.
pub fn change_of(before: Option<f64>, after: Option<f64>) -> Option<Change> {
    let finite = |v: Option<f64>| v.filter(|x| x.is_finite());
    match (finite(before), finite(after)) {
        (None, None) => None,
        (None, Some(_)) => Some(Change::Up),
        (Some(_), None) => Some(Change::Down),
        (Some(b), Some(a)) => {
            let scale = b.abs().max(a.abs());
            if (a - b).abs() <= 1e-9 * scale {
                None
            } else if a > b {
                Some(Change::Up)
            } else {
                Some(Change::Down)
            }
        }
    }
}

/// A KPI value's place on a page: its KPI and its `data-group` (`None` overall).
pub type Place = (KpiId, Option<String>);

/// The KPI values that changed between two reads, by place.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KpiChanges(pub BTreeMap<Place, Change>);

impl KpiChanges {
    /// The change at `kpi` (overall when `group` is `None`), if it changed.
    pub fn get(&self, kpi: KpiId, group: Option<&str>) -> Option<Change> {
        self.0.get(&(kpi, group.map(str::to_owned))).copied()
    }

    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many of the view's overall KPI values went up and down (groups aside).
    pub fn counts(&self) -> (usize, usize) {
        let overall = self.0.iter().filter(|((_, group), _)| group.is_none());
        let (up, down): (Vec<_>, Vec<_>) = overall.partition(|(_, c)| **c == Change::Up);
        (up.len(), down.len())
    }
}

/// The changes of every KPI of two sets, put at `group`.
fn set_changes(before: &KpiSet, after: &KpiSet, group: Option<&str>, out: &mut KpiChanges) {
    for id in KpiId::ALL {
        if let Some(change) = change_of(before.get(id).value(), after.get(id).value()) {
            out.0.insert((id, group.map(str::to_owned)), change);
        }
    }
}

/// The KPI values that changed between two answers of the same view: overall, and in
/// every group either read has (`"<dimension>:<key>"`, the `data-group` hook; a group
/// only one read has counts as n/a in the other).
pub fn kpi_changes(before: &Results, after: &Results) -> KpiChanges {
    let mut out = KpiChanges::default();
    set_changes(&before.overall, &after.overall, None, &mut out);
    let key = |g: &crate::metrics::engine::GroupResult| format!("{}:{}", g.dimension.name(), g.key);
    let old: BTreeMap<String, &KpiSet> = before.groups.iter().map(|g| (key(g), &g.kpis)).collect();
    let new: BTreeMap<String, &KpiSet> = after.groups.iter().map(|g| (key(g), &g.kpis)).collect();
    let empty = KpiSet::from_fn(|_| crate::metrics::engine::KpiValue::na("not in this read"));
    let groups: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for group in groups {
        let b = old.get(group).copied().unwrap_or(&empty);
        let a = new.get(group).copied().unwrap_or(&empty);
        set_changes(b, a, Some(group), &mut out);
    }
    out
}

/// An alert's identity across reads: its rule and its subject (its figures may move).
pub type AlertKey = (AlertRule, Subject);

/// The identity of an alert.
pub fn alert_key(alert: &Alert) -> AlertKey {
    (alert.rule, alert.subject.clone())
}

/// The alerts of `after` that `before` did not have (by rule and subject).
pub fn new_alerts(before: &[Alert], after: &[Alert]) -> BTreeSet<AlertKey> {
    let old: BTreeSet<AlertKey> = before.iter().map(alert_key).collect();
    after
        .iter()
        .map(alert_key)
        .filter(|k| !old.contains(k))
        .collect()
}

/// `alerts` with the new ones first (each order kept), each with whether it is new.
pub fn new_first(alerts: Vec<Alert>, new: &BTreeSet<AlertKey>) -> Vec<(Alert, bool)> {
    let (mut fresh, old): (Vec<_>, Vec<_>) = alerts
        .into_iter()
        .map(|a| {
            let is_new = new.contains(&alert_key(&a));
            (a, is_new)
        })
        .partition(|(_, is_new)| *is_new);
    fresh.extend(old);
    fresh
}

/// A watch interval from `?live=<seconds>`: at least [`MIN_INTERVAL_S`]; `None` for
/// no number, zero or less ("off").
pub fn interval_of(raw: &str) -> Option<u32> {
    let seconds: f64 = raw.trim().parse().ok()?;
    if !seconds.is_finite() || seconds <= 0.0 {
        return None;
    }
    Some((seconds.round().min(86_400.0) as u32).max(MIN_INTERVAL_S))
}

/// The wait before the next read after `failures` failed reads in a row: the interval,
/// doubled per failure, at most [`MAX_BACKOFF_S`] (or the interval when it is longer).
pub fn backoff_s(interval: u32, failures: u32) -> u32 {
    let doubled = interval.saturating_mul(1u32 << failures.min(16));
    doubled.min(MAX_BACKOFF_S.max(interval))
}

/// "5 s", "2 min", "1 min 30 s".
pub fn seconds_words(seconds: u32) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// A time of day, `hh:mm:ss` (the reader's clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    pub hours: u32,
    pub minutes: u32,
    pub seconds: u32,
}

impl Clock {
    /// "18:42:10".
    pub fn words(self) -> String {
        format!(
            "{:02}:{:02}:{:02}",
            self.hours.min(23),
            self.minutes.min(59),
            self.seconds.min(59)
        )
    }
}

/// How the last read went, for the header's sentence.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadState {
    /// Not read since watching started (the page's own load counts as a read).
    NotYet,
    /// The last read worked (the data changed or not).
    Fine,
    /// The last read failed (why), `failures` in a row; the next comes in `retry_s`.
    Failed {
        why: String,
        failures: u32,
        retry_s: u32,
    },
}

/// The header's sentence: "Last read 18:42:10 · watching every 5 s", or when the last
/// read failed "Last read 18:42:10 · the last check failed (HTTP 503); trying again
/// in 20 s". `interval` is `None` when not watching.
pub fn last_read_words(last: Option<Clock>, interval: Option<u32>, state: &ReadState) -> String {
    let read = match last {
        Some(clock) => format!("Last read {}", clock.words()),
        None => "Not read yet".to_owned(),
    };
    match (interval, state) {
        (None, _) => read,
        (Some(_), ReadState::Failed { why, retry_s, .. }) => format!(
            "{read} · the last check failed ({why}); trying again in {}",
            seconds_words(*retry_s)
        ),
        (Some(s), _) => format!("{read} · watching every {}", seconds_words(s)),
    }
}

/// What the header says of the last change: "4 KPIs changed: 3 up, 1 down · 2 new
/// alerts" (the view's overall KPIs), or `None` when nothing changed.
pub fn change_words(changes: &KpiChanges, new_alerts: usize) -> Option<String> {
    let (up, down) = changes.counts();
    let mut parts = Vec::new();
    if up + down > 0 {
        let kpis = if up + down == 1 { "KPI" } else { "KPIs" };
        parts.push(match (up, down) {
            (u, 0) => format!("{u} {kpis} up"),
            (0, d) => format!("{d} {kpis} down"),
            (u, d) => format!("{} {kpis} changed: {u} up, {d} down", u + d),
        });
    }
    if new_alerts > 0 {
        let alerts = if new_alerts == 1 { "alert" } else { "alerts" };
        parts.push(format!("{new_alerts} new {alerts}"));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}
