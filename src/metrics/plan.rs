//! Planning ahead (issue 18): the pacing forecast of each campaign with a budget and
//! dates, diminishing-returns curves of outcome against weekly spend per platform,
//! creator and format, and the reallocation of a budget that the curves favour. Pure
//! numbers; the words are `display::plan`'s.
//!
//! - **Forecast.** Spend to date is Σcost of the campaign's rows in view up to the as-of
//!   day (`Settings.as_of`, else the last date of the data, as budget pacing uses). The
//!   pace is the mean daily spend over the last [`PACE_WINDOW_DAYS`] days of the campaign
//!   up to as-of (days without a post spent 0); the projection adds that pace times the
//!   days left to the end date. Its range is the pace ± 2 standard errors of the daily
//!   mean (2·sd/√n), times the days left.
//! - **Curves.** Outcome = a·ln(1 + spend/b) fitted by least squares over the weeks
//!   (7-day buckets ending on as-of, the last [`HISTORY_WEEKS`]) in which the group
//!   spent. For a fixed b, a is linear (closed form); b is searched on a log grid, then
//!   refined by golden section. Uncertainty: the residual standard error and the
//!   standard error of a at the fitted b.
//! - **Allocation.** Maximises Σ A·ln(1 + x/B) (the curves at quarter scale) subject to
//!   Σx = budget and floor ≤ x ≤ cap: the optimum gives every group not at a bound the
//!   same marginal return A/(B + x) = λ; λ is found by bisection. Amounts are whole
//!   cents that sum to the budget exactly.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::data::calendar::{Day, Granularity};
use crate::data::schema::{Measure, Objective};
use crate::data::store::{Campaign, Disclosure, Workspace, NO_DAY};

use super::engine::{compute, select_rows, Dimension, Filter};
use super::entities::planned_spend;
use super::registry::KpiId;
use super::renewal::{recommend, Recommendation, RenewalInputs, Verdict};
use super::settings::Settings;

/// Days of the pace window (the last days of the campaign up to as-of).
pub const PACE_WINDOW_DAYS: i32 = 14;
/// A projection above this share of the budget is over-pace.
pub const OVER_PACE: f64 = 1.10;
/// A projection below this share of the budget is under-pace.
pub const UNDER_PACE: f64 = 0.90;
/// Weeks of a quarter (the "last quarter" is the 13 weeks ending on as-of).
pub const QUARTER_WEEKS: i32 = 13;
/// Weeks of history a curve is fitted over.
pub const HISTORY_WEEKS: i32 = 52;
/// Fewest weeks with spend a curve needs.
pub const MIN_WEEKS: usize = 6;
/// Least coefficient of variation of weekly spend a curve needs.
pub const MIN_SPEND_CV: f64 = 0.1;
/// Default floor and cap of a group: its current spend ∓ this share.
pub const BOUND_SHARE: f64 = 0.5;

/// Where a campaign's pace stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaceStatus {
    /// The start date is after as-of: no pace yet.
    NotStarted,
    /// Running and projected within 90–110% of budget.
    OnTrack,
    /// Running and projected above 110% of budget (or already past it).
    Over,
    /// Running and projected below 90% of budget.
    Under,
    /// The end date is on or before as-of: the spend is final.
    Ended,
}

/// The pacing forecast of one campaign.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub campaign_id: String,
    pub budget: f64,
    pub start: Day,
    pub end: Day,
    pub as_of: Day,
    /// Σcost of the campaign's rows up to as-of.
    pub spent: f64,
    /// Budget × elapsed share of the days at as-of (`entities::planned_spend`).
    pub planned_to_date: f64,
    /// First and last day of the pace window (`None` before the start).
    pub window: Option<(Day, Day)>,
    /// Mean and sample standard deviation of the window's daily spend.
    pub daily_mean: f64,
    pub daily_sd: f64,
    /// Days after as-of up to the end date.
    pub remaining_days: i32,
    /// Projected spend at the end date and its range (`None` before the start).
    pub projected: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The day the budget runs out at this pace (or ran out), when it does by the end.
    pub exhaust_date: Option<Day>,
    /// The daily spend over the days left that lands on the budget.
    pub landing_daily: Option<f64>,
    pub status: PaceStatus,
}

impl Forecast {
    /// Projected spend ÷ budget.
    pub fn projected_share(&self) -> Option<f64> {
        self.projected.map(|p| p / self.budget)
    }
}

/// The forecast of a campaign with `budget` from `start` to `end` at `as_of`, from its
/// spend by day (`daily`, any order; days without spend may be missing) and its spend
/// on undated rows. `None` when the budget is not positive or the dates are reversed.
pub fn forecast(
    campaign: &Campaign,
    as_of: Day,
    daily: &BTreeMap<Day, f64>,
    undated_spend: f64,
) -> Option<Forecast> {
    let (budget, start, end) = (campaign.budget?, campaign.start_date?, campaign.end_date?);
    if budget <= 0.0 || !budget.is_finite() || end < start {
        return None;
    }
    let planned_to_date = planned_spend(campaign, as_of)?;
    let spent = undated_spend + daily.range(..=as_of).map(|(_, v)| v).sum::<f64>();
    // The day cumulative spend first reached the budget, if it has.
    let ran_out = {
        let mut total = undated_spend;
        daily.range(..=as_of).find_map(|(&day, &v)| {
            total += v;
            (total >= budget).then_some(day)
        })
    };
    let mut f = Forecast {
        campaign_id: campaign.campaign_id.clone(),
        budget,
        start,
        end,
        as_of,
        spent,
        planned_to_date,
        window: None,
        daily_mean: 0.0,
        daily_sd: 0.0,
        remaining_days: 0,
        projected: None,
        low: None,
        high: None,
        exhaust_date: ran_out,
        landing_daily: None,
        status: PaceStatus::NotStarted,
    };
    if as_of < start {
        return Some(f);
    }
    let last = as_of.min(end);
    let first = start.max(last.saturating_sub(PACE_WINDOW_DAYS - 1));
    let days: Vec<f64> = (first..=last)
        .map(|d| daily.get(&d).copied().unwrap_or(0.0))
        .collect();
    let (mean, sd) = mean_sd(&days);
    let n = days.len() as f64;
    f.window = Some((first, last));
    f.daily_mean = mean;
    f.daily_sd = sd;
    if as_of >= end {
        f.status = PaceStatus::Ended;
        f.projected = Some(spent);
        f.low = Some(spent);
        f.high = Some(spent);
        return Some(f);
    }
    // Day differences in i64: no date can overflow them.
    let remaining = (i64::from(end) - i64::from(as_of)).min(i64::from(i32::MAX)) as i32;
    let rem = f64::from(remaining);
    let margin = 2.0 * sd / n.sqrt();
    let projected = spent + rem * mean;
    f.remaining_days = remaining;
    f.projected = Some(projected);
    f.low = Some(spent + rem * (mean - margin).max(0.0));
    f.high = Some(spent + rem * (mean + margin));
    f.landing_daily = Some(((budget - spent) / rem).max(0.0));
    if ran_out.is_none() && mean > 0.0 {
        let days_left = ((budget - spent) / mean).ceil();
        if days_left <= rem {
            f.exhaust_date = Some(as_of.saturating_add(days_left.max(0.0) as Day));
        }
    }
    let share = projected / budget;
    f.status = if share > OVER_PACE {
        PaceStatus::Over
    } else if share < UNDER_PACE {
        PaceStatus::Under
    } else {
        PaceStatus::OnTrack
    };
    Some(f)
}

/// Mean and sample standard deviation (0 with fewer than two values).
fn mean_sd(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, 0.0);
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// What the curves predict: the objective's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Revenue,
    Conversions,
    Leads,
    Impressions,
}

impl Outcome {
    /// The measure summed as the outcome.
    pub fn measure(self) -> Measure {
        match self {
            Outcome::Revenue => Measure::Revenue,
            Outcome::Conversions => Measure::Conversions,
            Outcome::Leads => Measure::Leads,
            Outcome::Impressions => Measure::Impressions,
        }
    }

    /// Lowercase name ("revenue").
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Revenue => "revenue",
            Outcome::Conversions => "conversions",
            Outcome::Leads => "leads",
            Outcome::Impressions => "impressions",
        }
    }

    /// True when the outcome is money (its marginal return is a ROAS).
    pub fn is_money(self) -> bool {
        self == Outcome::Revenue
    }

    /// The outcome an objective plans for: sales → revenue, leads → leads, awareness →
    /// impressions.
    pub fn of(objective: Objective) -> Outcome {
        match objective {
            Objective::Sales => Outcome::Revenue,
            Objective::Leads => Outcome::Leads,
            Objective::Awareness => Outcome::Impressions,
        }
    }
}

/// A fitted curve outcome = a·ln(1 + spend/b), with its uncertainty.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    pub a: f64,
    pub b: f64,
    /// Standard error of `a` at the fitted `b`.
    pub a_se: f64,
    /// Residual standard error (outcome units per week).
    pub rse: f64,
    /// Share of the weekly outcome's variance the curve explains.
    pub r2: f64,
    /// Weeks fitted.
    pub weeks: usize,
    /// True when the best `b` is the top of the search grid: no sign of diminishing
    /// returns within the spend seen (the curve is all but a straight line).
    pub near_linear: bool,
}

impl Curve {
    /// The outcome at spend `s`.
    pub fn value(&self, s: f64) -> f64 {
        self.a * (s.max(0.0) / self.b).ln_1p()
    }

    /// The marginal outcome per unit of spend at `s`: a / (b + s).
    pub fn marginal(&self, s: f64) -> f64 {
        self.a / (self.b + s.max(0.0))
    }

    /// The outcome at `s` with a at ± 2 standard errors: (low, high).
    pub fn range(&self, s: f64) -> (f64, f64) {
        let g = (s.max(0.0) / self.b).ln_1p();
        (
            ((self.a - 2.0 * self.a_se) * g).max(0.0),
            (self.a + 2.0 * self.a_se) * g,
        )
    }

    /// The same curve for spend over `weeks` weeks at an even weekly rate:
    /// weeks·a·ln(1 + x/(weeks·b)).
    pub fn over_weeks(&self, weeks: f64) -> Curve {
        Curve {
            a: self.a * weeks,
            b: self.b * weeks,
            a_se: self.a_se * weeks,
            rse: self.rse,
            ..*self
        }
    }
}

/// Why a group has no curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoCurve {
    /// Fewer than [`MIN_WEEKS`] weeks with spend (and an outcome).
    TooFewWeeks { weeks: usize },
    /// Weekly spend varied less than [`MIN_SPEND_CV`] (its coefficient of variation).
    SpendNeverVaried { cv: f64 },
    /// The outcome does not rise with spend: the best a is not positive, or the curve
    /// explains less than the flat mean (R² ≤ 0).
    NoResponse,
}

/// Fits outcome = a·ln(1 + spend/b) to weekly `(spend, outcome)` points with spend > 0
/// (others are ignored).
pub fn fit_curve(points: &[(f64, f64)]) -> Result<Curve, NoCurve> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(s, y)| *s > 0.0 && s.is_finite() && y.is_finite())
        .collect();
    if pts.len() < MIN_WEEKS {
        return Err(NoCurve::TooFewWeeks { weeks: pts.len() });
    }
    let spends: Vec<f64> = pts.iter().map(|p| p.0).collect();
    let (mean, sd) = mean_sd(&spends);
    let cv = sd / mean;
    if cv.is_nan() || cv < MIN_SPEND_CV {
        return Err(NoCurve::SpendNeverVaried { cv });
    }
    let mut sorted = spends.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    // a at a fixed b (closed form) and the squared error.
    let fit_at = |b: f64| -> (f64, f64, f64) {
        let (syg, sgg) = pts.iter().fold((0.0, 0.0), |(syg, sgg), &(s, y)| {
            let g = (s / b).ln_1p();
            (syg + y * g, sgg + g * g)
        });
        let a = if sgg > 0.0 { syg / sgg } else { 0.0 };
        let sse = pts
            .iter()
            .map(|&(s, y)| (y - a * (s / b).ln_1p()).powi(2))
            .sum::<f64>();
        (a, sse, sgg)
    };
    const STEPS: i32 = 48;
    let grid = |k: i32| median * 10f64.powf(-2.0 + 5.0 * f64::from(k) / f64::from(STEPS));
    let best_k = (0..=STEPS)
        .min_by(|&i, &j| fit_at(grid(i)).1.total_cmp(&fit_at(grid(j)).1))
        .unwrap_or(0);
    // Golden section on ln b between the best grid point's neighbours.
    let (mut lo, mut hi) = (
        grid((best_k - 1).max(0)).ln(),
        grid((best_k + 1).min(STEPS)).ln(),
    );
    let phi = (5f64.sqrt() - 1.0) / 2.0;
    let sse_ln = |x: f64| fit_at(x.exp()).1;
    let (mut c, mut d) = (hi - phi * (hi - lo), lo + phi * (hi - lo));
    let (mut fc, mut fd) = (sse_ln(c), sse_ln(d));
    for _ in 0..80 {
        if fc < fd {
            hi = d;
            d = c;
            fd = fc;
            c = hi - phi * (hi - lo);
            fc = sse_ln(c);
        } else {
            lo = c;
            c = d;
            fc = fd;
            d = lo + phi * (hi - lo);
            fd = sse_ln(d);
        }
    }
    let b = ((lo + hi) / 2.0).exp();
    let (a, sse, sgg) = fit_at(b);
    if a <= 0.0 || !a.is_finite() {
        return Err(NoCurve::NoResponse);
    }
    let n = pts.len() as f64;
    let rse = (sse / (n - 2.0)).sqrt();
    let y_mean = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sst = pts.iter().map(|p| (p.1 - y_mean).powi(2)).sum::<f64>();
    let r2 = if sst > 0.0 { 1.0 - sse / sst } else { 0.0 };
    // A curve no better than the flat mean says nothing of how outcome follows spend.
    if r2.is_nan() || r2 <= 0.0 {
        return Err(NoCurve::NoResponse);
    }
    Ok(Curve {
        a,
        b,
        a_se: rse / sgg.sqrt(),
        rse,
        r2,
        weeks: pts.len(),
        near_linear: best_k == STEPS,
    })
}

/// One group (a platform, creator or format) of the plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupPlan {
    pub dimension: Dimension,
    pub key: String,
    /// Spend and outcome in the last quarter (13 weeks to as-of); the outcome is `None`
    /// when no row of the quarter has one.
    pub current: f64,
    pub current_outcome: Option<f64>,
    /// The weekly curve, or why there is none.
    pub curve: Result<Curve, NoCurve>,
    /// The renewal recommendation (creators only).
    pub renewal: Option<Recommendation>,
}

impl GroupPlan {
    /// The curve at quarter scale (spend over 13 weeks).
    pub fn quarter_curve(&self) -> Option<Curve> {
        self.curve
            .as_ref()
            .ok()
            .map(|c| c.over_weeks(f64::from(QUARTER_WEEKS)))
    }

    /// Marginal return per unit of spend at the current weekly spend.
    pub fn marginal_now(&self) -> Option<f64> {
        let weekly = self.current / f64::from(QUARTER_WEEKS);
        self.curve.as_ref().ok().map(|c| c.marginal(weekly))
    }

    /// Default floor and cap: the current spend ∓ 50% ([`GroupPlan::bounds`]).
    pub fn default_bounds(&self) -> (f64, f64) {
        self.bounds(BOUND_SHARE)
    }

    /// Floor and cap: the current spend ∓ `share` (clamped to 0–1), in whole cents; a
    /// creator to drop can only be cut (cap = floor), one to renegotiate not grown
    /// (cap = current).
    pub fn bounds(&self, share: f64) -> (f64, f64) {
        let share = if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            BOUND_SHARE
        };
        let cents = |x: f64| (x * 100.0).round() / 100.0;
        let floor = cents(self.current * (1.0 - share));
        let cap = match self.renewal.as_ref().map(|r| r.verdict) {
            Some(Verdict::Drop) => floor,
            Some(Verdict::Renegotiate) => cents(self.current),
            _ => cents(self.current * (1.0 + share)),
        };
        (floor, cap)
    }
}

/// Everything the plan view shows, computed where the data is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub as_of: Day,
    /// The forecasts of the campaigns in view with a budget and dates.
    pub forecasts: Vec<Forecast>,
    /// False when no posts row has a cost (nothing can be forecast or fitted).
    pub has_cost: bool,
    pub outcome: Outcome,
    /// First and last day of the last quarter.
    pub quarter: (Day, Day),
    pub last_quarter_spend: f64,
    /// Platforms, then formats, then creators, each by current spend, largest first.
    pub groups: Vec<GroupPlan>,
}

impl Plan {
    /// The groups of one dimension.
    pub fn groups_of(&self, dimension: Dimension) -> impl Iterator<Item = &GroupPlan> {
        self.groups.iter().filter(move |g| g.dimension == dimension)
    }
}

/// The dimensions the plan allocates over.
pub const PLAN_DIMENSIONS: [Dimension; 3] =
    [Dimension::Platform, Dimension::Format, Dimension::Creator];

/// The plan of the rows `filter` selects, its dates aside (the plan looks back from the
/// as-of day). `None` without an as-of day (no dated posts and none in settings).
pub fn plan(ws: &Workspace, filter: &Filter, settings: &Settings) -> Option<Plan> {
    let p = &ws.posts;
    let as_of = settings
        .as_of
        .or_else(|| p.key_index().day_span.map(|(_, last)| last))?;
    let filter = Filter {
        from: None,
        to: None,
        ..filter.clone()
    };
    let rows = select_rows(ws, &filter);
    let cost_m = Measure::Cost as usize;
    let has_cost = p.has(Measure::Cost);
    let outcome = plan_outcome(ws, &filter);
    let out_m = outcome.measure() as usize;
    let quarter = (as_of.saturating_sub(QUARTER_WEEKS * 7 - 1), as_of);

    // Spend by campaign and day; weekly spend and outcome by group.
    let mut by_day: HashMap<u32, BTreeMap<Day, f64>> = HashMap::new();
    let mut undated: HashMap<u32, f64> = HashMap::new();
    type Week = (f64, f64, bool);
    let mut weekly: HashMap<(usize, u32), BTreeMap<i32, Week>> = HashMap::new();
    let mut quarter_spend = 0.0;
    // Undisclosed posts by creator code (the renewal rules' input, in the same pass).
    let mut undisclosed: HashMap<u32, usize> = HashMap::new();
    for &r in &rows {
        let i = r as usize;
        if p.disclosure[i] == Disclosure::Undisclosed {
            *undisclosed.entry(p.creator[i]).or_default() += 1;
        }
        let Some(cost) = p.value(cost_m, i) else {
            continue;
        };
        let day = p.day[i];
        let campaign = p.campaign[i];
        if day == NO_DAY {
            *undated.entry(campaign).or_default() += cost;
            continue;
        }
        *by_day.entry(campaign).or_default().entry(day).or_default() += cost;
        let back = i64::from(as_of) - i64::from(day);
        if back < 0 || back >= i64::from(HISTORY_WEEKS) * 7 {
            continue;
        }
        let week = (back / 7) as i32;
        if week < QUARTER_WEEKS {
            quarter_spend += cost;
        }
        let value = p.value(out_m, i);
        let codes = [p.platform[i], p.format[i], p.creator[i]];
        for (d, code) in codes.into_iter().enumerate() {
            let w = weekly
                .entry((d, code))
                .or_default()
                .entry(week)
                .or_insert((0.0, 0.0, false));
            w.0 += cost;
            if let Some(v) = value {
                w.1 += v;
                w.2 = true;
            }
        }
    }

    let forecasts = ws
        .campaigns
        .iter()
        .filter(|c| filter.campaigns.is_empty() || filter.campaigns.contains(&c.campaign_id))
        .filter_map(|c| {
            let code = p.campaigns.code(&c.campaign_id);
            let empty = BTreeMap::new();
            let daily = code.and_then(|k| by_day.get(&k)).unwrap_or(&empty);
            let undated = code.and_then(|k| undated.get(&k)).copied().unwrap_or(0.0);
            forecast(c, as_of, daily, undated)
        })
        .collect();

    let results = compute(ws, &filter, settings, Granularity::Month);
    let mut groups: Vec<GroupPlan> = Vec::new();
    for (d, dimension) in PLAN_DIMENSIONS.into_iter().enumerate() {
        let dict = match dimension {
            Dimension::Platform => &p.platforms,
            Dimension::Format => &p.formats,
            _ => &p.creators,
        };
        let mut of_dim: Vec<GroupPlan> = weekly
            .iter()
            .filter(|((dd, _), _)| *dd == d)
            .map(|(&(_, code), weeks)| {
                let key = dict.value(code).to_owned();
                let in_quarter = weeks.range(..QUARTER_WEEKS).map(|(_, w)| w);
                let (current, outcome, any) = in_quarter.fold((0.0, 0.0, false), |(s, o, a), w| {
                    (s + w.0, o + w.1, a || w.2)
                });
                let points: Vec<(f64, f64)> =
                    weeks.values().filter(|w| w.2).map(|w| (w.0, w.1)).collect();
                let renewal = (dimension == Dimension::Creator).then(|| {
                    // As `renewal::renewal_inputs` gathers them (without a previous
                    // period, as `Question::Renewal` asks), the posts counted in one pass.
                    let value = |id: KpiId| {
                        results
                            .group(Dimension::Creator, &key)
                            .and_then(|g| g.kpis.get(id).value())
                    };
                    let inputs = RenewalInputs {
                        score: value(KpiId::InfluencerScore),
                        roas: value(KpiId::Roas),
                        previous_roas: None,
                        undisclosed_posts: undisclosed.get(&code).copied().unwrap_or(0),
                        contract_terms_met: ws.creator(&key).and_then(|c| c.contract_terms_met),
                    };
                    recommend(&inputs, settings)
                });
                GroupPlan {
                    dimension,
                    key,
                    current,
                    current_outcome: any.then_some(outcome),
                    curve: fit_curve(&points),
                    renewal,
                }
            })
            .collect();
        of_dim.sort_by(|a, b| b.current.total_cmp(&a.current).then(a.key.cmp(&b.key)));
        groups.extend(of_dim);
    }

    Some(Plan {
        as_of,
        forecasts,
        has_cost,
        outcome,
        quarter,
        last_quarter_spend: quarter_spend,
        groups,
    })
}

/// The outcome of the campaigns in view: their objective's when they share one and its
/// measure was loaded, else revenue when loaded, else conversions, else leads.
fn plan_outcome(ws: &Workspace, filter: &Filter) -> Outcome {
    let p = &ws.posts;
    let in_view =
        |id: &str| filter.campaigns.is_empty() || filter.campaigns.iter().any(|c| c == id);
    let mut objectives = ws
        .campaigns
        .iter()
        .filter(|c| in_view(&c.campaign_id) && p.campaigns.code(&c.campaign_id).is_some())
        .map(|c| c.objective);
    let first = objectives.next().flatten();
    if let Some(objective) = first {
        if objectives.all(|o| o == Some(objective)) && p.has(Outcome::of(objective).measure()) {
            return Outcome::of(objective);
        }
    }
    [Outcome::Revenue, Outcome::Conversions, Outcome::Leads]
        .into_iter()
        .find(|o| p.has(o.measure()))
        .unwrap_or(Outcome::Revenue)
}

/// One group as the allocation sees it (amounts for the whole planning period).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AllocGroup {
    pub current: f64,
    pub floor: f64,
    pub cap: f64,
    /// The curve at the period's scale; a group without one keeps its current spend.
    pub curve: Option<Curve>,
}

/// A proposed allocation.
#[derive(Clone, Debug, PartialEq)]
pub struct Allocation {
    /// Proposed spend per group (whole cents), in the groups' order.
    pub proposed: Vec<f64>,
    /// What the proposals sum to: the budget, unless the bounds do not allow it.
    pub allocated: f64,
    /// The marginal return of the groups not at a bound (λ).
    pub lambda: Option<f64>,
}

fn to_cents(x: f64) -> i64 {
    if x.is_finite() {
        (x * 100.0).round() as i64
    } else {
        0
    }
}

/// Allocates `budget` over `groups` to maximise Σ curve(x) (see the module doc). Groups
/// without a curve keep their current spend. When the bounds cannot reach the budget
/// the curved groups all sit at their caps (or floors) and `allocated` says how much.
pub fn allocate(groups: &[AllocGroup], budget: f64) -> Allocation {
    // Everything in whole cents; floors/caps tidied so that floor ≤ cap.
    let bounds: Vec<(i64, i64)> = groups
        .iter()
        .map(|g| {
            let (lo, hi) = (to_cents(g.floor).max(0), to_cents(g.cap).max(0));
            (lo.min(hi), hi.max(lo))
        })
        .collect();
    let fixed: i64 = groups
        .iter()
        .filter(|g| g.curve.is_none())
        .map(|g| to_cents(g.current).max(0))
        .sum();
    let curved: Vec<usize> = (0..groups.len())
        .filter(|&i| groups[i].curve.is_some())
        .collect();
    let min_total: i64 = curved.iter().map(|&i| bounds[i].0).sum();
    let max_total: i64 = curved.iter().map(|&i| bounds[i].1).sum();
    let target = (to_cents(budget) - fixed).clamp(min_total, max_total.max(min_total));

    // Continuous optimum: x(λ) = clamp(A/λ − B, floor, cap), Σx(λ) falls as λ rises.
    let x_at = |i: usize, lambda: f64| -> f64 {
        let c = groups[i].curve.unwrap_or_else(zero_curve);
        let (lo, hi) = (bounds[i].0 as f64 / 100.0, bounds[i].1 as f64 / 100.0);
        (c.a / lambda - c.b).clamp(lo, hi)
    };
    let total_at = |lambda: f64| curved.iter().map(|&i| x_at(i, lambda)).sum::<f64>();
    let goal = target as f64 / 100.0;
    let marginals: Vec<f64> = curved
        .iter()
        .flat_map(|&i| {
            let c = groups[i].curve.unwrap_or_else(zero_curve);
            let (lo, hi) = (bounds[i].0 as f64 / 100.0, bounds[i].1 as f64 / 100.0);
            [c.marginal(lo), c.marginal(hi)]
        })
        .filter(|m| *m > 0.0 && m.is_finite())
        .collect();
    let mut lambda = None;
    let mut x: Vec<f64> = vec![0.0; groups.len()];
    if !marginals.is_empty() {
        let (mut lo, mut hi) = marginals
            .iter()
            .fold((f64::MAX, 0.0f64), |(lo, hi), &m| (lo.min(m), hi.max(m)));
        lo = (lo * 0.5).ln();
        hi = (hi * 2.0).ln();
        for _ in 0..200 {
            let mid = (lo + hi) / 2.0;
            if total_at(mid.exp()) > goal {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // At `hi` the total is at most the goal.
        let l = hi.exp();
        lambda = Some(l);
        for &i in &curved {
            x[i] = x_at(i, l);
        }
    } else {
        for &i in &curved {
            x[i] = bounds[i].0 as f64 / 100.0;
        }
    }

    // Whole cents within the bounds, then the remainder: first to the groups with the
    // best marginal return and room (a step of a near-linear curve), then to the largest.
    let mut cents: Vec<i64> = (0..groups.len())
        .map(|i| match groups[i].curve {
            Some(_) => to_cents(x[i]).clamp(bounds[i].0, bounds[i].1),
            None => to_cents(groups[i].current).max(0),
        })
        .collect();
    let mut order = curved.clone();
    order.sort_by(|&i, &j| {
        let m = |k: usize| {
            groups[k]
                .curve
                .map_or(0.0, |c| c.marginal(cents[k] as f64 / 100.0))
        };
        m(j).total_cmp(&m(i))
    });
    let sum_curved = |cents: &[i64]| curved.iter().map(|&i| cents[i]).sum::<i64>();
    let mut remainder = target - sum_curved(&cents);
    if remainder.abs() > curved.len() as i64 {
        // A real gap (not rounding): fill by marginal return.
        for &i in &order {
            if remainder > 0 {
                let room = bounds[i].1 - cents[i];
                let add = room.min(remainder);
                cents[i] += add;
                remainder -= add;
            }
        }
        for &i in order.iter().rev() {
            if remainder < 0 {
                let room = cents[i] - bounds[i].0;
                let take = room.min(-remainder);
                cents[i] -= take;
                remainder += take;
            }
        }
    }
    let mut by_size = curved.clone();
    by_size.sort_by(|&i, &j| cents[j].cmp(&cents[i]));
    for &i in &by_size {
        if remainder > 0 {
            let add = (bounds[i].1 - cents[i]).min(remainder);
            cents[i] += add;
            remainder -= add;
        } else if remainder < 0 {
            let take = (cents[i] - bounds[i].0).min(-remainder);
            cents[i] -= take;
            remainder += take;
        }
    }
    let allocated = cents.iter().sum::<i64>() as f64 / 100.0;
    Allocation {
        proposed: cents.iter().map(|&c| c as f64 / 100.0).collect(),
        allocated,
        lambda,
    }
}

fn zero_curve() -> Curve {
    Curve {
        a: 0.0,
        b: 1.0,
        a_se: 0.0,
        rse: 0.0,
        r2: 0.0,
        weeks: 0,
        near_linear: false,
    }
}

/// What the plan proposes for a creator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    Grow,
    Keep,
    Cut,
}

impl Strategy {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Grow => "Grow",
            Strategy::Keep => "Keep",
            Strategy::Cut => "Cut",
        }
    }
}

/// A creator's strategy from the proposed against the current spend (a change of more
/// than 5%), held consistent with the renewal recommendation: a creator to drop is cut,
/// one to renegotiate is never grown.
pub fn creator_strategy(current: f64, proposed: f64, renewal: Option<&Recommendation>) -> Strategy {
    match renewal.map(|r| r.verdict) {
        Some(Verdict::Drop) => return Strategy::Cut,
        Some(Verdict::Renegotiate) if proposed >= current * 0.95 => return Strategy::Keep,
        _ => {}
    }
    if proposed > current * 1.05 {
        Strategy::Grow
    } else if proposed < current * 0.95 {
        Strategy::Cut
    } else {
        Strategy::Keep
    }
}

/// One row of a plan table: a group's current and proposed spend for the next quarter
/// and the outcome the curve expects of it.
#[derive(Clone, Debug, PartialEq)]
pub struct AllocRow {
    pub key: String,
    pub current: f64,
    pub floor: f64,
    pub cap: f64,
    /// The allocation's proposal, or the user's edit of it.
    pub proposed: f64,
    /// True when `proposed` is the user's edit.
    pub edited: bool,
    /// The curve at quarter scale.
    pub curve: Option<Curve>,
    /// Why there is no curve.
    pub no_curve: Option<NoCurve>,
    /// Expected outcome at the proposed spend and its range `(expected, low, high)`:
    /// the curve's, or last quarter's outcome for a group kept at its spend.
    pub expected: Option<(f64, f64, f64)>,
    /// The curve's outcome at the current spend.
    pub at_current: Option<f64>,
    /// Marginal return per unit of spend at the current and proposed spend.
    pub marginal_now: Option<f64>,
    pub marginal_proposed: Option<f64>,
    /// Creators: the strategy and the renewal recommendation behind it.
    pub strategy: Option<Strategy>,
    pub renewal: Option<Recommendation>,
}

/// The plan of one dimension for a budget, with the user's edits of proposed amounts.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanTable {
    pub dimension: Dimension,
    pub budget: f64,
    /// Floors and caps are the current spend ∓ this share.
    pub bound_share: f64,
    pub rows: Vec<AllocRow>,
    /// Σ proposed (the budget, unless bounds or edits say otherwise).
    pub proposed_total: f64,
    pub current_total: f64,
    /// Σ expected outcome `(expected, low, high)` (ranges added: a cautious total).
    pub expected: (f64, f64, f64),
    /// Σ outcome the curves expect at the current spend (groups kept: last quarter's).
    pub expected_at_current: f64,
    /// Groups kept at their current spend for want of a curve.
    pub kept: usize,
    /// The marginal return the allocation equalises.
    pub lambda: Option<f64>,
}

/// The table of `dimension` for `budget`: the allocation under the default bounds, then
/// `edits` (key, amount) replacing proposals (what-if: the outcome follows the edit).
pub fn plan_table(
    plan: &Plan,
    dimension: Dimension,
    budget: f64,
    edits: &[(String, f64)],
) -> PlanTable {
    plan_table_with(plan, dimension, budget, BOUND_SHARE, edits)
}

/// [`plan_table`] with floors and caps at the current spend ∓ `bound_share`.
pub fn plan_table_with(
    plan: &Plan,
    dimension: Dimension,
    budget: f64,
    bound_share: f64,
    edits: &[(String, f64)],
) -> PlanTable {
    let groups: Vec<&GroupPlan> = plan.groups_of(dimension).collect();
    let inputs: Vec<AllocGroup> = groups
        .iter()
        .map(|g| {
            let (floor, cap) = g.bounds(bound_share);
            AllocGroup {
                current: g.current,
                floor,
                cap,
                curve: g.quarter_curve(),
            }
        })
        .collect();
    let allocation = allocate(&inputs, budget);
    let mut rows: Vec<AllocRow> = Vec::with_capacity(groups.len());
    let mut expected = (0.0, 0.0, 0.0);
    let mut at_current_total = 0.0;
    for ((g, input), &proposal) in groups.iter().zip(&inputs).zip(&allocation.proposed) {
        let edit = edits
            .iter()
            .find(|(k, _)| *k == g.key)
            .map(|(_, v)| *v)
            .filter(|v| v.is_finite() && *v >= 0.0);
        let proposed = edit.unwrap_or(proposal);
        let curve = input.curve;
        let row_expected = match curve {
            Some(c) => {
                let (lo, hi) = c.range(proposed);
                Some((c.value(proposed), lo, hi))
            }
            None => g.current_outcome.map(|o| (o, o, o)),
        };
        let at_current = match curve {
            Some(c) => Some(c.value(g.current)),
            None => g.current_outcome,
        };
        if let Some((e, lo, hi)) = row_expected {
            expected = (expected.0 + e, expected.1 + lo, expected.2 + hi);
        }
        at_current_total += at_current.unwrap_or(0.0);
        let strategy = (dimension == Dimension::Creator)
            .then(|| creator_strategy(g.current, proposed, g.renewal.as_ref()));
        rows.push(AllocRow {
            key: g.key.clone(),
            current: g.current,
            floor: input.floor,
            cap: input.cap,
            proposed,
            edited: edit.is_some(),
            curve,
            no_curve: g.curve.as_ref().err().copied(),
            expected: row_expected,
            at_current,
            marginal_now: curve.map(|c| c.marginal(g.current)),
            marginal_proposed: curve.map(|c| c.marginal(proposed)),
            strategy,
            renewal: g.renewal.clone(),
        });
    }
    let cents = |x: f64| to_cents(x);
    PlanTable {
        dimension,
        budget,
        bound_share: if bound_share.is_finite() {
            bound_share.clamp(0.0, 1.0)
        } else {
            BOUND_SHARE
        },
        proposed_total: rows.iter().map(|r| cents(r.proposed)).sum::<i64>() as f64 / 100.0,
        current_total: rows.iter().map(|r| r.current).sum(),
        expected,
        expected_at_current: at_current_total,
        kept: rows.iter().filter(|r| r.curve.is_none()).count(),
        lambda: allocation.lambda,
        rows,
    }
}
