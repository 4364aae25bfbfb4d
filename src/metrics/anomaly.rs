//! The anomaly alert rule (issue 19): a platform, creator or post whose engagement rate
//! (and ROAS, where the files have cost and revenue) is far outside its own baseline.
//!
//! The current week is the 7 days ending on the as-of day (the setting, else the last
//! date in view). A platform's or creator's value is its ratio of sums over that week;
//! its baseline is the weekly ratios of the `weeks` weeks before (`Settings.anomaly`),
//! summarised by their median and robust deviation (MAD × 1.4826, floored at 1% of the
//! median so that a flat series does not fire on rounding). A post of the current week
//! is held against the per-post values of its creator's (else its platform's) posts of
//! those weeks. The rule fires when the value is more than `threshold` robust deviations
//! above or below the median, and never on a baseline with fewer than `min_weeks` weeks
//! with data, on a week with no rows having the inputs, or on a row lacking them (the
//! coverage rules of every KPI: absent is not zero).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::data::calendar::Day;
use crate::data::store::{Posts, Workspace, NO_DAY};

use super::engine::{select_rows, Filter};
use super::patterns::RowRatio;
use super::registry::KpiId;
use super::settings::Settings;

/// Scale of the MAD that estimates a normal standard deviation.
pub const MAD_SCALE: f64 = 1.4826;
/// The robust deviation is at least this fraction of the median's magnitude.
pub const MIN_RELATIVE_DEVIATION: f64 = 0.01;

/// A baseline: the median and robust deviation of some weeks' values.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub median: f64,
    /// MAD × [`MAD_SCALE`], floored at [`MIN_RELATIVE_DEVIATION`] × |median|.
    pub deviation: f64,
    /// Weeks (or, for a post, posts) with data it was drawn from.
    pub points: usize,
}

/// The median of `values` (`None` when empty).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// The baseline of `values`, `None` when there are fewer than `min_points` or a value
/// is not finite.
pub fn baseline(values: &[f64], min_points: usize) -> Option<Baseline> {
    if values.len() < min_points.max(1) || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut sorted = values.to_vec();
    let m = median(&mut sorted)?;
    let mut dev: Vec<f64> = values.iter().map(|v| (v - m).abs()).collect();
    let mad = median(&mut dev)?;
    let deviation = (MAD_SCALE * mad).max(MIN_RELATIVE_DEVIATION * m.abs());
    (deviation > 0.0).then_some(Baseline {
        median: m,
        deviation,
        points: values.len(),
    })
}

/// How many robust deviations `value` lies from `base` (signed: above is positive).
pub fn deviations(value: f64, base: &Baseline) -> f64 {
    (value - base.median) / base.deviation
}

/// Who the anomaly is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AnomalySubject {
    Platform(String),
    Creator(String),
    /// A post: its id (or `row N`) and its campaign (maybe empty).
    Post {
        id: String,
        campaign: String,
    },
}

/// One anomaly found.
#[derive(Clone, Debug, PartialEq)]
pub struct Anomaly {
    pub subject: AnomalySubject,
    /// The metric: [`KpiId::EngagementRate`] or [`KpiId::Roas`].
    pub kpi: KpiId,
    /// The current week's value (a post's own value).
    pub value: f64,
    pub baseline: Baseline,
    /// Signed robust deviations of the value from the baseline median.
    pub deviations: f64,
    /// First and last day of the current week.
    pub week: (Day, Day),
    /// Baseline weeks asked for.
    pub weeks: u32,
}

/// Running numerator and denominator sums.
#[derive(Clone, Copy, Default)]
struct Acc {
    num: f64,
    den: f64,
}

/// Week index of `day` counted back from the current week (0 = the current week).
fn week_back(day: Day, end: Day) -> Option<usize> {
    // In i64: an as-of at the ends of the day range cannot overflow.
    let back = (i64::from(end) - i64::from(day)) / 7;
    (day <= end).then(|| usize::try_from(back).unwrap_or(usize::MAX))
}

/// Every anomaly in the view `filter` selects, under `settings.anomaly` (none when the
/// rule is off). Subjects in a stable order: platforms, creators, posts.
pub fn anomalies(ws: &Workspace, filter: &Filter, settings: &Settings) -> Vec<Anomaly> {
    let cfg = settings.anomaly;
    if !cfg.enabled {
        return Vec::new();
    }
    let p = &ws.posts;
    let rows = select_rows(ws, filter);
    let end = settings.as_of.or_else(|| {
        rows.iter()
            .map(|&r| p.day[r as usize])
            .filter(|d| *d != NO_DAY)
            .max()
    });
    let Some(end) = end else {
        return Vec::new();
    };
    let weeks = cfg.weeks.clamp(1.0, 520.0) as usize;
    let min_weeks = cfg.min_weeks.clamp(1.0, 520.0) as usize;
    let week = (end.saturating_sub(6), end);
    let mut out = Vec::new();
    for id in [KpiId::EngagementRate, KpiId::Roas] {
        let Some(ratio) = RowRatio::of(id, settings, p) else {
            continue;
        };
        // (subject, week back) → sums; and each post's own value by week.
        let mut weekly: BTreeMap<(AnomalySubject, usize), Acc> = BTreeMap::new();
        let mut post_values: BTreeMap<String, Vec<(usize, f64)>> = BTreeMap::new();
        let mut current_posts: Vec<(usize, String, f64)> = Vec::new();
        for &r in &rows {
            let r = r as usize;
            let Some(back) = week_back(p.day[r], end).filter(|b| *b <= weeks) else {
                continue;
            };
            if p.day[r] == NO_DAY {
                continue;
            }
            let Some((n, d)) = ratio.row(p, r) else {
                continue;
            };
            let platform = p.platforms.value(p.platform[r]).to_owned();
            let creator = p.creators.value(p.creator[r]).to_owned();
            let mut add = |s: AnomalySubject| {
                let acc = weekly.entry((s, back)).or_default();
                acc.num += n;
                acc.den += d;
            };
            add(AnomalySubject::Platform(platform.clone()));
            if !creator.is_empty() {
                add(AnomalySubject::Creator(creator.clone()));
            }
            if let Some(v) = ratio.value(n, d) {
                let owner = if creator.is_empty() {
                    format!("platform:{platform}")
                } else {
                    format!("creator:{creator}")
                };
                if back == 0 {
                    current_posts.push((r, owner, v));
                } else {
                    post_values.entry(owner).or_default().push((back, v));
                }
            }
        }
        // Platforms and creators: the current week against the weekly baseline.
        let mut subjects: Vec<&AnomalySubject> = weekly
            .keys()
            .filter(|(_, back)| *back == 0)
            .map(|(s, _)| s)
            .collect();
        subjects.dedup();
        for subject in subjects {
            let value_of = |back: usize| {
                weekly
                    .get(&(subject.clone(), back))
                    .and_then(|a| ratio.value(a.num, a.den))
            };
            let Some(value) = value_of(0) else { continue };
            let history: Vec<f64> = (1..=weeks).filter_map(value_of).collect();
            if let Some(a) = judge(subject.clone(), id, value, &history, min_weeks, &cfg) {
                out.push(Anomaly {
                    week,
                    weeks: weeks as u32,
                    ..a
                });
            }
        }
        // Posts of the current week against their owner's posts of the baseline weeks.
        for (r, owner, value) in current_posts {
            let Some(history) = post_values.get(&owner) else {
                continue;
            };
            let mut with_data: Vec<usize> = history.iter().map(|(b, _)| *b).collect();
            with_data.sort_unstable();
            with_data.dedup();
            if with_data.len() < min_weeks {
                continue;
            }
            let values: Vec<f64> = history.iter().map(|(_, v)| *v).collect();
            let subject = post_subject(p, r);
            if let Some(a) = judge(subject, id, value, &values, 1, &cfg) {
                out.push(Anomaly {
                    week,
                    weeks: weeks as u32,
                    ..a
                });
            }
        }
    }
    out.sort_by(|a, b| a.subject.cmp(&b.subject).then(a.kpi.cmp(&b.kpi)));
    out
}

fn post_subject(p: &Posts, r: usize) -> AnomalySubject {
    let id = match p.post_id.get(r) {
        "" => format!("row {}", r + 1),
        id => id.to_owned(),
    };
    AnomalySubject::Post {
        id,
        campaign: p.campaigns.value(p.campaign[r]).to_owned(),
    }
}

/// An anomaly of `value` against the baseline of `history`, when it is beyond the
/// threshold (the week and weeks are filled in by the caller).
fn judge(
    subject: AnomalySubject,
    kpi: KpiId,
    value: f64,
    history: &[f64],
    min_points: usize,
    cfg: &super::settings::AnomalySettings,
) -> Option<Anomaly> {
    let base = baseline(history, min_points)?;
    let z = deviations(value, &base);
    (z.is_finite() && z.abs() > cfg.threshold).then_some(Anomaly {
        subject,
        kpi,
        value,
        baseline: base,
        deviations: z,
        week: (0, 0),
        weeks: 0,
    })
}
