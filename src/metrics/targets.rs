//! Targets and status: which target applies to a KPI, how a value compares with it, and
//! suggested targets from history (seed 001: the previous equal period's value + 20%).

use serde::{Deserialize, Serialize};

use super::engine::KpiValue;
use super::registry::{Direction, KpiDef, Target, PLATFORM_ENGAGEMENT};
use super::settings::Settings;

/// How a value compares with its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Meets the target (inside the range, or on the good side of the bound).
    OnTarget,
    /// Above the range, or above an upper bound.
    Above,
    /// Below the range, or below a lower bound.
    Below,
    /// No target, an unresolved target, or an n/a value.
    NoTarget,
}

impl Status {
    /// Whether this status is good news for a KPI with `direction` (`None` without a
    /// target). Above a range is good for higher-is-better KPIs, below it for
    /// lower-is-better ones; outside a within-range target is never good.
    pub fn is_good(self, direction: Direction) -> Option<bool> {
        match (self, direction) {
            (Status::NoTarget, _) => None,
            (Status::OnTarget, _) => Some(true),
            (Status::Above, d) => Some(d == Direction::HigherIsBetter),
            (Status::Below, d) => Some(d == Direction::LowerIsBetter),
        }
    }
}

/// The target in force: the user's override, else the registry default. AOV's
/// [`Target::AboveSiteAov`] stays unresolved here; see [`resolved_target`].
pub fn effective_target(def: &KpiDef, settings: &Settings) -> Option<Target> {
    settings
        .target_overrides
        .get(def.id.as_str())
        .copied()
        .or(def.target)
}

/// The target in force with AOV's "≥ site AOV + x%" resolved against `site_aov` (the
/// conversion-weighted site AOV of the campaigns in scope, `Results::site_aov`), so the
/// UI can show "target ≥ $126.50". `None` when there is no target or no site AOV.
pub fn resolved_target(def: &KpiDef, settings: &Settings, site_aov: Option<f64>) -> Option<Target> {
    match effective_target(def, settings)? {
        Target::AboveSiteAov(uplift) => site_aov.map(|aov| Target::AtLeast(aov * (1.0 + uplift))),
        t => Some(t),
    }
}

/// The lower bound of a target (`AtLeast`, a range's low end, or an `AtMost` bound);
/// `None` for an unresolved site-AOV target.
pub fn target_floor(target: Target) -> Option<f64> {
    match target {
        Target::AtLeast(x) | Target::AtMost(x) | Target::Range(x, _) => Some(x),
        Target::AboveSiteAov(_) => None,
    }
}

/// The lower bound of the target in force (override or default), e.g. the score floor
/// renewals and alerts compare against; `None` without one or for an unresolved AOV target.
pub fn effective_floor(def: &KpiDef, settings: &Settings) -> Option<f64> {
    effective_target(def, settings).and_then(target_floor)
}

/// The line a chart draws for a KPI's target (the ROAS break-even line of the
/// cost-vs-revenue scatter): the floor of the target in force, else the floor of the
/// registry default (so an unresolvable override still draws the spec's line).
pub fn chart_floor(def: &KpiDef, settings: &Settings) -> Option<f64> {
    effective_floor(def, settings).or_else(|| def.target.and_then(target_floor))
}

/// The band a chart shades for a target, in the KPI's unit, low to high: a range as it
/// is, a bound as a zero-height band at the bound; `None` for an unresolved AOV target.
pub fn target_band(target: Target) -> Option<(f64, f64)> {
    match target {
        Target::Range(lo, hi) => Some((lo, hi)),
        Target::AtLeast(v) | Target::AtMost(v) => Some((v, v)),
        Target::AboveSiteAov(_) => None,
    }
}

/// The band of the target in force (override or default) of a KPI, for every chart
/// and the table beside it; see [`target_band`].
pub fn effective_band(def: &KpiDef, settings: &Settings) -> Option<(f64, f64)> {
    effective_target(def, settings).and_then(target_band)
}

/// A platform's own engagement-rate KPI and its target in force (the user's override,
/// else the platform's default): what the summary's platform chart shades and the table
/// beside it states. `None` for a platform without its own KPI or target.
pub fn platform_target(platform: &str, settings: &Settings) -> Option<(&'static KpiDef, Target)> {
    let (_, id) = PLATFORM_ENGAGEMENT
        .iter()
        .find(|(key, _)| *key == platform)?;
    let def = id.def();
    Some((def, effective_target(def, settings)?))
}

/// Where a plain number stands against a resolved `target` (what [`status`] compares,
/// also used by charts for their "against target" column).
pub fn position(v: f64, target: Target) -> Status {
    match target {
        Target::AtLeast(lo) if v >= lo => Status::OnTarget,
        Target::AtLeast(_) => Status::Below,
        Target::AtMost(hi) if v <= hi => Status::OnTarget,
        Target::AtMost(_) => Status::Above,
        Target::Range(lo, _) if v < lo => Status::Below,
        Target::Range(_, hi) if v > hi => Status::Above,
        Target::Range(..) => Status::OnTarget,
        Target::AboveSiteAov(_) => Status::NoTarget,
    }
}

/// Where `value` stands against a resolved `target`.
/// (`_def` is taken for symmetry with the other target functions.)
pub fn status(_def: &KpiDef, value: &KpiValue, target: Option<Target>) -> Status {
    let (Some(v), Some(t)) = (value.value(), target) else {
        return Status::NoTarget;
    };
    position(v, t)
}

/// Status of a KPI in one call: resolves the target from settings (and the scope's site
/// AOV) and compares.
pub fn kpi_status(
    def: &KpiDef,
    value: &KpiValue,
    settings: &Settings,
    site_aov: Option<f64>,
) -> Status {
    status(def, value, resolved_target(def, settings, site_aov))
}

/// Seed 001's suggested target: the previous equal period's value improved by 20% in the
/// KPI's good direction (≥ previous × 1.2 when higher is better, ≤ previous × 0.8 when
/// lower is better). `None` for within-range KPIs and n/a or zero history.
pub fn suggest_target(def: &KpiDef, previous_value: &KpiValue) -> Option<Target> {
    let previous = previous_value.value().filter(|v| *v != 0.0)?;
    let step = 0.2 * previous.abs();
    match def.direction {
        Direction::HigherIsBetter => Some(Target::AtLeast(previous + step)),
        Direction::LowerIsBetter => Some(Target::AtMost(previous - step)),
        Direction::WithinRange => None,
    }
}
