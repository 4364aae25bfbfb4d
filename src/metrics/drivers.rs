//! Why a KPI moved: the change of a KPI between two windows split into the
//! contribution of each group of one dimension (platform, campaign, creator, format).
//!
//! For a ratio of sums `R = scale·ΣN/ΣD` each group `g` has a share of the denominator
//! `w_g = D_g/ΣD` and its own ratio `r_g = scale·N_g/D_g`, and `R = Σ_g w_g·r_g`. The
//! change from window 0 to window 1 splits, group by group, into
//!
//! - a **mix** effect, the group's share of the denominator moved:
//!   `mix_g = (w1_g − w0_g)·((r0_g + r1_g)/2 − (R0 + R1)/2)`, and
//! - a **rate** effect, the group's own ratio moved:
//!   `rate_g = (r1_g − r0_g)·(w0_g + w1_g)/2`.
//!
//! **They add up exactly to the change.** For every group,
//! `w1·r1 − w0·r0 = (w1 − w0)·(r0 + r1)/2 + (r1 − r0)·(w0 + w1)/2` (expand the right
//! side: `w1r0/2 + w1r1/2 − w0r0/2 − w0r1/2 + w0r1/2 + w1r1/2 − w0r0/2 − w1r0/2`), so
//! `Σ_g(w1·r1 − w0·r0) = R1 − R0` is the sum of those two terms over the groups. The
//! mix term here is that first term minus `(w1_g − w0_g)·(R0 + R1)/2`, and over the
//! groups those subtracted pieces sum to `(Σw1 − Σw0)·(R0 + R1)/2 = (1 − 1)·… = 0`:
//! so `Σ_g(mix_g + rate_g) = R1 − R0`. Centering on the average ratio changes no total,
//! but makes "the denominator moved to a better-than-average group" a positive mix.
//!
//! Edge cases, each keeping the sum exact:
//! - a group with a denominator in one window only takes, in the other window, the
//!   ratio it has where it exists (`w = 0` there, so `R` is unchanged): its rate effect
//!   is 0 and its whole effect is mix;
//! - a group with no denominator in a window but a numerator (revenue on free posts)
//!   adds `scale·N_g/ΣD` to that window's `R` outside `Σ w·r`: that part of its change
//!   is counted as rate;
//! - groups with neither (D = 0 and N = 0 in both windows) drop out.
//!
//! For a KPI that is a plain total (impressions, reach) the change is the sum of the
//! groups' changes: each group's change is all rate, its mix is 0.

use serde::{Deserialize, Serialize};

use crate::data::calendar::Granularity;
use crate::data::store::Workspace;

use super::engine::{compute_sums, Dimension, Filter, Results};
use super::parts::{ratio_parts, RatioSums};
use super::registry::{Eval, KpiId};
use super::sentiment::SentimentSource;
use super::settings::Settings;
use super::trend::{compare_window, CompareMode};

/// One group's part of a KPI's change: `mix + rate` (in the KPI's unit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    pub dimension: Dimension,
    /// The group's key (platform key, campaign id, …; `""` for rows without one).
    pub key: String,
    /// The effect of the group's share of the denominator moving.
    pub mix: f64,
    /// The effect of the group's own ratio moving.
    pub rate: f64,
    /// The group's share of the denominator before and after (0 to 1; 0 and 0 for a
    /// total).
    #[serde(default)]
    pub share: (f64, f64),
}

impl Driver {
    /// The group's whole effect, `mix + rate`.
    pub fn total(&self) -> f64 {
        self.mix + self.rate
    }
}

/// A KPI's change from `before` to `after` split by the groups of `dimension`, the
/// largest effect first; `Σ(mix + rate) = after − before` (see the module's proof).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Drivers {
    pub kpi: KpiId,
    pub dimension: Dimension,
    pub before: f64,
    pub after: f64,
    pub drivers: Vec<Driver>,
    /// The denominator in words ("cost", "reach"); empty for a total.
    #[serde(default)]
    pub denominator: String,
}

impl Drivers {
    /// `after − before`.
    pub fn change(&self) -> f64 {
        self.after - self.before
    }

    /// `Σ |mix| + |rate|` over the groups: how much the groups moved, however they
    /// offset each other.
    pub fn movement(&self) -> f64 {
        self.drivers
            .iter()
            .map(|d| d.mix.abs() + d.rate.abs())
            .sum()
    }
}

/// The mix/rate split of a ratio `scale·ΣN/ΣD` from the `before` to the `after` sums
/// of each group (a group missing from a window has zero sums there). `None` when a
/// window's total denominator is 0 (the KPI has no value there). The before and after
/// values are those of the groups' sums added up, which is the overall value when the
/// groups partition the rows.
pub fn decompose(
    kpi: KpiId,
    dimension: Dimension,
    scale: f64,
    groups: &[(String, RatioSums, RatioSums)],
) -> Option<Drivers> {
    let total = |pick: fn(&(String, RatioSums, RatioSums)) -> &RatioSums| {
        groups.iter().fold((0.0, 0.0), |(n, d), g| {
            (n + pick(g).numerator, d + pick(g).denominator)
        })
    };
    let (n0, d0) = total(|g| &g.1);
    let (n1, d1) = total(|g| &g.2);
    let before = RatioSums {
        numerator: n0,
        denominator: d0,
        rows: 0,
    }
    .value(scale)?;
    let after = RatioSums {
        numerator: n1,
        denominator: d1,
        rows: 0,
    }
    .value(scale)?;
    let average = (before + after) / 2.0;
    let mut drivers: Vec<Driver> = groups
        .iter()
        .filter(|(_, b, a)| {
            b.denominator != 0.0 || a.denominator != 0.0 || b.numerator != 0.0 || a.numerator != 0.0
        })
        .map(|(key, b, a)| {
            let (w0, w1) = (b.denominator / d0, a.denominator / d1);
            // Without a denominator in a window, the group's ratio there is the other
            // window's (its weight there is 0, so no value changes).
            let (r0, r1) = match (b.value(scale), a.value(scale)) {
                (Some(r0), Some(r1)) => (r0, r1),
                (Some(r0), None) => (r0, r0),
                (None, Some(r1)) => (r1, r1),
                (None, None) => (0.0, 0.0),
            };
            // A numerator over no denominator adds scale·N/ΣD to that window's value.
            let loose = |s: &RatioSums, d: f64| {
                if s.denominator == 0.0 {
                    scale * s.numerator / d
                } else {
                    0.0
                }
            };
            Driver {
                dimension,
                key: key.clone(),
                mix: (w1 - w0) * ((r0 + r1) / 2.0 - average),
                rate: (r1 - r0) * (w0 + w1) / 2.0 + (loose(a, d1) - loose(b, d0)),
                share: (w0, w1),
            }
        })
        .collect();
    sort_by_effect(&mut drivers);
    Some(Drivers {
        kpi,
        dimension,
        before,
        after,
        drivers,
        denominator: String::new(),
    })
}

/// A total's change split by groups: each group's change, all of it rate.
pub fn decompose_total(kpi: KpiId, dimension: Dimension, groups: &[(String, f64, f64)]) -> Drivers {
    let mut drivers: Vec<Driver> = groups
        .iter()
        .filter(|(_, b, a)| *b != 0.0 || *a != 0.0)
        .map(|(key, b, a)| Driver {
            dimension,
            key: key.clone(),
            mix: 0.0,
            rate: a - b,
            share: (0.0, 0.0),
        })
        .collect();
    sort_by_effect(&mut drivers);
    Drivers {
        kpi,
        dimension,
        before: groups.iter().map(|g| g.1).sum(),
        after: groups.iter().map(|g| g.2).sum(),
        drivers,
        denominator: String::new(),
    }
}

fn sort_by_effect(drivers: &mut [Driver]) {
    drivers.sort_by(|a, b| {
        b.total()
            .abs()
            .total_cmp(&a.total().abs())
            .then_with(|| a.key.cmp(&b.key))
    });
}

/// The split of `kpi`'s change from `previous` to `current` by the groups of
/// `dimension`. `None` for the KPIs that are neither a ratio of posts sums nor a total
/// of one measure (EMV, the campaign- and creator-level KPIs), for one platform's
/// engagement rate (its rows are one platform's, which no other split has), for
/// comment sentiment read from the comments table, and when a window has no value.
pub fn drivers_between(
    previous: &Results,
    current: &Results,
    settings: &Settings,
    kpi: KpiId,
    dimension: Dimension,
) -> Option<Drivers> {
    let def = kpi.def();
    let keys = || {
        let mut keys: Vec<&str> = previous
            .groups_of(dimension)
            .chain(current.groups_of(dimension))
            .map(|g| g.key.as_str())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    };
    if let Eval::Total(m) = def.eval {
        current.overall_sums.total(m)?;
        previous.overall_sums.total(m)?;
        let of = |r: &Results, key: &str| r.group(dimension, key).map_or(0.0, |g| g.sums.get(m));
        let groups: Vec<(String, f64, f64)> = keys()
            .into_iter()
            .map(|k| (k.to_owned(), of(previous, k), of(current, k)))
            .collect();
        return Some(decompose_total(kpi, dimension, &groups));
    }
    let parts = ratio_parts(def, settings, current.measures)?;
    let from_comments = matches!(def.eval, Eval::CommentSentiment)
        && current.sentiment_source != SentimentSource::PostCounts;
    if !parts.available || parts.platform.is_some() || from_comments {
        return None;
    }
    let zero = RatioSums {
        numerator: 0.0,
        denominator: 0.0,
        rows: 0,
    };
    let of = |r: &Results, key: &str| r.group(dimension, key).map_or(zero, |g| parts.of(&g.sums));
    let groups: Vec<(String, RatioSums, RatioSums)> = keys()
        .into_iter()
        .map(|k| (k.to_owned(), of(previous, k), of(current, k)))
        .collect();
    let mut drivers = decompose(kpi, dimension, parts.scale, &groups)?;
    drivers.denominator = parts.denominator_name.clone();
    Some(drivers)
}

/// The split of `kpi`'s change over the trend comparison of `filter` (its window
/// against the compare window, as [`crate::display::questions::comparison`] takes
/// them) by the groups of `dimension`. The groups do not depend on the granularity:
/// the windows are computed at day level, as the comparison computes them, so its
/// memo answers.
pub fn drivers(
    ws: &Workspace,
    settings: &Settings,
    filter: &Filter,
    compare: CompareMode,
    granularity: Granularity,
    kpi: KpiId,
    dimension: Dimension,
) -> Option<Drivers> {
    let window = compare_window(ws, filter, compare)?;
    // The groups' sums, as the comparison of the same view has them (one memo).
    let previous = compute_sums(ws, &window.previous, settings, granularity);
    let current = compute_sums(ws, &window.current, settings, granularity);
    drivers_between(&previous, &current, settings, kpi, dimension)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(numerator: f64, denominator: f64) -> RatioSums {
        RatioSums {
            numerator,
            denominator,
            rows: 1,
        }
    }

    #[test]
    fn a_group_in_one_window_is_all_mix() {
        // Before: A 300/100. After: A 300/100, B 100/100.
        // R0 = 3, R1 = 400/200 = 2, average 2.5. B: w 0 → 0.5, r 1 (its after ratio):
        // mix = 0.5 × (1 − 2.5) = −0.75, rate 0. A: w 1 → 0.5, r 3:
        // mix = −0.5 × (3 − 2.5) = −0.25. Sum −1 = 2 − 3.
        let d = decompose(
            KpiId::Roas,
            Dimension::Platform,
            1.0,
            &[
                ("a".into(), sums(300.0, 100.0), sums(300.0, 100.0)),
                ("b".into(), sums(0.0, 0.0), sums(100.0, 100.0)),
            ],
        )
        .unwrap();
        assert_eq!((d.before, d.after), (3.0, 2.0));
        assert_eq!(d.drivers[0].key, "b");
        assert_eq!((d.drivers[0].mix, d.drivers[0].rate), (-0.75, 0.0));
        assert_eq!((d.drivers[1].mix, d.drivers[1].rate), (-0.25, 0.0));
    }

    #[test]
    fn a_numerator_without_denominator_is_rate_and_nothing_is_lost() {
        // Before: A 200/100, B 50/0 (revenue on a free post). R0 = 250/100 = 2.5.
        // After: A 200/100. R1 = 2. B's loose part 0.5 → 0: rate −0.5. A: w 1 → 1,
        // r 2 → 2: nothing. Sum −0.5 = R1 − R0.
        let d = decompose(
            KpiId::Roas,
            Dimension::Platform,
            1.0,
            &[
                ("a".into(), sums(200.0, 100.0), sums(200.0, 100.0)),
                ("b".into(), sums(50.0, 0.0), sums(0.0, 0.0)),
            ],
        )
        .unwrap();
        assert_eq!(d.change(), -0.5);
        let total: f64 = d.drivers.iter().map(Driver::total).sum();
        assert_eq!(total, -0.5);
        assert_eq!((d.drivers[0].key.as_str(), d.drivers[0].rate), ("b", -0.5));
    }

    #[test]
    fn no_denominator_no_split() {
        let groups = [("a".into(), sums(1.0, 0.0), sums(1.0, 2.0))];
        assert!(decompose(KpiId::Roas, Dimension::Platform, 1.0, &groups).is_none());
    }
}
