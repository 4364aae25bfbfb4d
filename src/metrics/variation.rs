//! Is a change real? Beside each period-over-period change, whether it is larger than
//! what the rows' own day-to-day variation would give by chance.
//!
//! Each window is a sample of days. For a ratio of sums `R = scale·ΣN/ΣD` over the days
//! `d` of a window with data, the linearised (delta-method) variance of the ratio
//! estimator is `var(R) ≈ scale² · n/(n − 1) · Σ_d (N_d − q·D_d)² / (ΣD)²` with
//! `q = ΣN/ΣD` and `n` the days with data. For a total `T = Σ_d x_d` over the `L` days
//! of the window (days without posts count as 0), `var(T) = L · s²` with `s²` the
//! sample variance of the daily values. Then `z = (R1 − R0) / √(v0 + v1)`: `|z| ≥ 2`
//! is "a real change", below it "within normal variation". With fewer than
//! [`MIN_DAYS`] days with data in either window there is too little to tell, and the
//! flag says so rather than guess.

use serde::{Deserialize, Serialize};

use crate::data::calendar::Day;

use super::engine::{Filter, Results, Sums};
use super::parts::{ratio_parts, RatioSums};
use super::registry::{registry, Eval, KpiDef, KpiId};
use super::sentiment::SentimentSource;
use super::settings::Settings;

/// Fewest days with data a window needs for a verdict.
pub const MIN_DAYS: usize = 7;
/// `|z|` from which a change is called real (about 95% two-sided).
pub const REAL_Z: f64 = 2.0;

/// The flag beside a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Within what day-to-day variation gives by chance (`|z| < 2`).
    Normal,
    /// Larger than that (`|z| ≥ 2`).
    Real,
    /// Fewer than [`MIN_DAYS`] days with data in a window.
    TooFewDays,
}

impl Verdict {
    /// The `data-variation` value.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Normal => "normal",
            Verdict::Real => "real",
            Verdict::TooFewDays => "too_few_days",
        }
    }

    /// The flag's words.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Normal => "within normal variation",
            Verdict::Real => "a real change",
            Verdict::TooFewDays => "too few days to tell",
        }
    }
}

/// The verdict on one change, its `z` and the days with data of each window.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variation {
    pub verdict: Verdict,
    /// `(after − before)/√(v0 + v1)`; `None` with too few days, or when both windows
    /// have no variation at all.
    pub z: Option<f64>,
    pub days_before: usize,
    pub days_after: usize,
}

impl Variation {
    /// The flag's tooltip: `z = −2.4 (31 and 30 days with data)`.
    pub fn detail(&self) -> String {
        let days = format!(
            "{} and {} days with data",
            self.days_before, self.days_after
        );
        match (self.verdict, self.z) {
            (Verdict::TooFewDays, _) => format!("{days}: {MIN_DAYS} are needed in each window"),
            (_, Some(z)) => format!("z = {z:.1} ({days})"),
            (_, None) => format!("no day-to-day variation ({days})"),
        }
    }
}

/// A window's value and the variance of its estimate, and its days with data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub variance: f64,
    pub days: usize,
}

/// The estimate of a ratio `scale·ΣN/ΣD` from its daily sums (the days with data; a
/// day with no input rows is left out). `None` when `ΣD = 0`.
pub fn ratio_estimate(days: &[RatioSums], scale: f64) -> Option<Estimate> {
    let days: Vec<&RatioSums> = days.iter().filter(|d| d.rows > 0).collect();
    let n: f64 = days.iter().map(|d| d.numerator).sum();
    let d: f64 = days.iter().map(|d| d.denominator).sum();
    let q = n / d;
    if d == 0.0 || !q.is_finite() {
        return None;
    }
    let count = days.len();
    let residuals: f64 = days
        .iter()
        .map(|day| (day.numerator - q * day.denominator).powi(2))
        .sum();
    let variance = if count > 1 {
        scale * scale * (count as f64 / (count as f64 - 1.0)) * residuals / (d * d)
    } else {
        0.0
    };
    Some(Estimate {
        value: scale * q,
        variance,
        days: count,
    })
}

/// The estimate of a window total from the values of its days with data, over a
/// window of `window_days` days (the others count as 0).
pub fn total_estimate(days: &[f64], window_days: usize) -> Estimate {
    let length = window_days.max(days.len());
    let total: f64 = days.iter().sum();
    let variance = if length > 1 {
        let mean = total / length as f64;
        let zeros = (length - days.len()) as f64 * mean * mean;
        let squares: f64 = days.iter().map(|x| (x - mean).powi(2)).sum::<f64>() + zeros;
        length as f64 * squares / (length as f64 - 1.0)
    } else {
        0.0
    };
    Estimate {
        value: total,
        variance,
        days: days.len(),
    }
}

/// The verdict on the change from `before` to `after`.
pub fn judge(before: &Estimate, after: &Estimate) -> Variation {
    let (days_before, days_after) = (before.days, after.days);
    if days_before < MIN_DAYS || days_after < MIN_DAYS {
        return Variation {
            verdict: Verdict::TooFewDays,
            z: None,
            days_before,
            days_after,
        };
    }
    let change = after.value - before.value;
    let sd = (before.variance + after.variance).sqrt();
    let z = (change / sd).is_finite().then_some(change / sd);
    let verdict = match z {
        Some(z) if z.abs() >= REAL_Z => Verdict::Real,
        Some(_) => Verdict::Normal,
        // No variation in either window: any move at all is not chance.
        None if change != 0.0 => Verdict::Real,
        None => Verdict::Normal,
    };
    Variation {
        verdict,
        z,
        days_before,
        days_after,
    }
}

/// The days of a filter's window (`to − from + 1`), or the days of `results`' periods
/// when the filter has no complete range.
fn window_days(window: &Window) -> usize {
    match (window.filter.from, window.filter.to) {
        (Some(from), Some(to)) if to >= from => (i64::from(to) - i64::from(from) + 1) as usize,
        _ => window.days.len(),
    }
}

/// One window of a comparison: its results (at any granularity), its rows' sums by day
/// ([`super::engine::day_sums`]) and its filter.
#[derive(Clone, Copy)]
pub struct Window<'a> {
    pub results: &'a Results,
    pub days: &'a [(Day, Sums)],
    pub filter: &'a Filter,
}

/// The estimate of one KPI over one window.
fn estimate(def: &KpiDef, settings: &Settings, w: &Window) -> Option<Estimate> {
    let r = w.results;
    if let Eval::Total(m) = def.eval {
        r.overall_sums.total(m)?;
        let days: Vec<f64> = w
            .days
            .iter()
            .filter(|(_, sums)| sums.total(m).is_some())
            .map(|(_, sums)| sums.get(m))
            .collect();
        return Some(total_estimate(&days, window_days(w)));
    }
    let parts = ratio_parts(def, settings, r.measures)?;
    let from_comments = matches!(def.eval, Eval::CommentSentiment)
        && r.sentiment_source != SentimentSource::PostCounts;
    if !parts.available || parts.platform.is_some() || from_comments {
        return None;
    }
    let days: Vec<RatioSums> = w.days.iter().map(|(_, sums)| parts.of(sums)).collect();
    ratio_estimate(&days, parts.scale)
}

/// The variation flag of every KPI it applies to (the ratios of posts sums and the
/// totals; not one platform's engagement rate, whose days the series does not hold
/// apart), from the two windows of a comparison.
pub fn variations(
    settings: &Settings,
    previous: Window,
    current: Window,
) -> Vec<(KpiId, Variation)> {
    registry()
        .iter()
        .filter_map(|def| {
            let before = estimate(def, settings, &previous)?;
            let after = estimate(def, settings, &current)?;
            Some((def.id, judge(&before, &after)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(numerator: f64, denominator: f64) -> RatioSums {
        RatioSums {
            numerator,
            denominator,
            rows: 1,
        }
    }

    #[test]
    fn a_ratio_estimate_by_hand() {
        // Days 3/1, 1/1: q = 4/2 = 2; residuals (3 − 2)² + (1 − 2)² = 2;
        // var = 2/(2 − 1) × 2 / 2² = 1.
        let e = ratio_estimate(&[day(3.0, 1.0), day(1.0, 1.0)], 1.0).unwrap();
        assert_eq!((e.value, e.variance, e.days), (2.0, 1.0, 2));
        assert!(ratio_estimate(&[day(1.0, 0.0)], 1.0).is_none());
    }

    #[test]
    fn a_total_estimate_counts_empty_days_as_zero() {
        // 4 days: 2, 6 and two without posts. Mean 2; squares 0 + 16 + 4 + 4 = 24;
        // var = 4 × 24/3 = 32.
        let e = total_estimate(&[2.0, 6.0], 4);
        assert_eq!((e.value, e.variance, e.days), (8.0, 32.0, 2));
    }

    #[test]
    fn no_variation_and_a_move_is_real() {
        let flat = |value| Estimate {
            value,
            variance: 0.0,
            days: 7,
        };
        assert_eq!(judge(&flat(1.0), &flat(2.0)).verdict, Verdict::Real);
        assert_eq!(judge(&flat(1.0), &flat(1.0)).verdict, Verdict::Normal);
    }
}
