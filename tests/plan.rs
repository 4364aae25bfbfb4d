//! The plan (issue 18): pacing forecasts on hand-worked fixtures, curve fits that recover
//! the parameters they were generated from, allocations equal to the analytic optimum,
//! and a property test that the bounds and the budget total always hold.

use std::collections::BTreeMap;

use kpi_dash::data::calendar::{parse_iso_day, Day};
use kpi_dash::data::demo::{self, DEMO_SEED, OVER_PACED_CAMPAIGN};
use kpi_dash::data::rng::Rng;
use kpi_dash::data::store::Campaign;
use kpi_dash::metrics::engine::{Dimension, Filter};
use kpi_dash::metrics::plan::{
    allocate, creator_strategy, fit_curve, forecast, plan, AllocGroup, Curve, NoCurve, PaceStatus,
    Strategy, PACE_WINDOW_DAYS,
};
use kpi_dash::metrics::renewal::{Recommendation, Verdict};
use kpi_dash::metrics::settings::Settings;

fn day(s: &str) -> Day {
    parse_iso_day(s).unwrap()
}

/// A campaign of 2026-01-01 … 2026-01-30 (30 days) with a budget of 3,000.
fn january(budget: f64) -> Campaign {
    Campaign {
        campaign_id: "C1".into(),
        budget: Some(budget),
        start_date: Some(day("2026-01-01")),
        end_date: Some(day("2026-01-30")),
        ..Campaign::default()
    }
}

fn spend(days: &[(&str, f64)]) -> BTreeMap<Day, f64> {
    days.iter().map(|&(d, v)| (day(d), v)).collect()
}

#[test]
fn a_linear_pace_projects_its_line_and_the_day_the_budget_runs_out() {
    // 150 a day on 1–10 January, as of the 10th: spent 10 × 150 = 1,500. The window is
    // the last 14 days clipped to the start: 1–10 January, mean 150, sd 0.
    let daily: BTreeMap<Day, f64> = (0..10).map(|i| (day("2026-01-01") + i, 150.0)).collect();
    let f = forecast(&january(3000.0), day("2026-01-10"), &daily, 0.0).unwrap();
    assert_eq!(f.spent, 1500.0);
    assert_eq!(f.window, Some((day("2026-01-01"), day("2026-01-10"))));
    assert_eq!((f.daily_mean, f.daily_sd), (150.0, 0.0));
    // 20 days left (11–30 January): 1,500 + 20 × 150 = 4,500 = 150% of 3,000.
    assert_eq!(f.remaining_days, 20);
    assert_eq!(f.projected, Some(4500.0));
    assert_eq!((f.low, f.high), (Some(4500.0), Some(4500.0)));
    assert_eq!(f.projected_share(), Some(1.5));
    assert_eq!(f.status, PaceStatus::Over);
    // 1,500 left at 150 a day: 10 more days, out on 20 January.
    assert_eq!(f.exhaust_date, Some(day("2026-01-20")));
    // Landing on budget: 1,500 over 20 days = 75 a day.
    assert_eq!(f.landing_daily, Some(75.0));
    // Planned to date: 3,000 × 10/30 = 1,000.
    assert!((f.planned_to_date - 1000.0).abs() < 1e-9);
}

#[test]
fn the_range_is_two_standard_errors_of_the_daily_mean_over_the_days_left() {
    // As of 20 January, the window is 7–20 January (14 days): 100 and 200 alternating,
    // mean 150, deviations ±50, sample variance 14 × 2,500 / 13, sd = 51.887.
    // Spend to date: 1–6 January at 150 (900) + the window's 14 × 150 (2,100) = 3,000.
    let mut daily: BTreeMap<Day, f64> = (0..6).map(|i| (day("2026-01-01") + i, 150.0)).collect();
    for i in 0..14 {
        daily.insert(
            day("2026-01-07") + i,
            if i % 2 == 0 { 100.0 } else { 200.0 },
        );
    }
    let f = forecast(&january(6000.0), day("2026-01-20"), &daily, 0.0).unwrap();
    assert_eq!(f.window, Some((day("2026-01-07"), day("2026-01-20"))));
    assert_eq!(PACE_WINDOW_DAYS, 14);
    let sd = (14.0 * 2500.0 / 13.0f64).sqrt();
    assert!((f.daily_sd - sd).abs() < 1e-9);
    // 10 days left: 3,000 + 10 × 150 = 4,500 (75% of 6,000: under-pace), ± 10 × 2 × sd/√14.
    let margin = 10.0 * 2.0 * sd / 14f64.sqrt();
    assert_eq!(f.projected, Some(4500.0));
    assert!((f.low.unwrap() - (4500.0 - margin)).abs() < 1e-9);
    assert!((f.high.unwrap() - (4500.0 + margin)).abs() < 1e-9);
    assert_eq!(f.status, PaceStatus::Under);
    // The budget lasts beyond the end at this pace: no exhaust date; landing on it takes
    // (6,000 − 3,000) / 10 = 300 a day.
    assert_eq!(f.exhaust_date, None);
    assert_eq!(f.landing_daily, Some(300.0));
}

#[test]
fn a_budget_already_spent_names_the_day_it_ran_out_and_ended_campaigns_are_final() {
    // 400, 400, 400 (and 10 undated): the cumulative 10 + 400 + 400 + 400 reaches 1,000
    // on 3 January.
    let daily = spend(&[
        ("2026-01-01", 400.0),
        ("2026-01-02", 400.0),
        ("2026-01-03", 400.0),
    ]);
    let f = forecast(&january(1000.0), day("2026-01-05"), &daily, 10.0).unwrap();
    assert_eq!(f.spent, 1210.0);
    assert_eq!(f.exhaust_date, Some(day("2026-01-03")));
    assert_eq!(f.status, PaceStatus::Over);
    assert_eq!(f.landing_daily, Some(0.0));
    // After the end the spend is final.
    let f = forecast(&january(1000.0), day("2026-02-10"), &daily, 10.0).unwrap();
    assert_eq!(f.status, PaceStatus::Ended);
    assert_eq!(f.projected, Some(1210.0));
    // Before the start: no pace, no projection.
    let f = forecast(&january(1000.0), day("2025-12-20"), &BTreeMap::new(), 0.0).unwrap();
    assert_eq!(f.status, PaceStatus::NotStarted);
    assert_eq!(f.projected, None);
    // No budget, or a budget of 0: no forecast.
    assert!(forecast(&january(0.0), day("2026-01-05"), &daily, 0.0).is_none());
    let no_budget = Campaign {
        budget: None,
        ..january(1.0)
    };
    assert!(forecast(&no_budget, day("2026-01-05"), &daily, 0.0).is_none());
}

#[test]
fn the_demo_forecasts_every_budgeted_campaign_and_flags_c08_over_pace() {
    let ws = demo::generate(DEMO_SEED);
    let p = plan(&ws, &Filter::default(), &Settings::default()).unwrap();
    assert_eq!(p.as_of, day("2026-10-31"));
    let budgeted = ws.campaigns.iter().filter(|c| c.budget.is_some()).count();
    assert_eq!(p.forecasts.len(), budgeted);
    assert_eq!(budgeted, 8);
    let c08 = p
        .forecasts
        .iter()
        .find(|f| f.campaign_id == OVER_PACED_CAMPAIGN)
        .unwrap();
    assert_eq!(c08.status, PaceStatus::Over);
    // The demo sets C08's budget so that it has spent 1.4 × its planned spend to date.
    assert!((c08.spent / c08.planned_to_date - 1.4).abs() < 0.01);
    assert!(c08.projected_share().unwrap() > 1.1);
    assert!(c08.exhaust_date.is_some_and(|d| d <= c08.end));
    // Every other campaign has ended by 31 October.
    for f in p
        .forecasts
        .iter()
        .filter(|f| f.campaign_id != OVER_PACED_CAMPAIGN)
    {
        assert_eq!(f.status, PaceStatus::Ended, "{}", f.campaign_id);
    }
    // The plan crosses to the worker and back as JSON.
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(
        serde_json::from_str::<kpi_dash::metrics::plan::Plan>(&json).unwrap(),
        p
    );
}

/// Weekly points of outcome = a·ln(1 + s/b) at spends varying over 500 … 8,000, with
/// multiplicative noise of spread `noise` (0: exact).
fn curve_points(a: f64, b: f64, weeks: usize, noise: f64, seed: u64) -> Vec<(f64, f64)> {
    let mut rng = Rng::new(seed);
    (0..weeks)
        .map(|_| {
            let s = rng.range(500.0, 8000.0);
            let y = a * (s / b).ln_1p() * (1.0 + noise * rng.normal());
            (s, y)
        })
        .collect()
}

#[test]
fn the_fit_recovers_the_curve_it_was_generated_from() {
    // Exact data: a = 20,000, b = 3,000 within 0.1%.
    let c = fit_curve(&curve_points(20_000.0, 3_000.0, 20, 0.0, 7)).unwrap();
    assert!((c.a / 20_000.0 - 1.0).abs() < 1e-3, "a = {}", c.a);
    assert!((c.b / 3_000.0 - 1.0).abs() < 1e-3, "b = {}", c.b);
    assert!(c.r2 > 0.999999 && !c.near_linear);
    // 5% noise over 40 weeks: the marginal return at 3,000 a week (20,000 / 6,000 =
    // 3.33) within 15%, and a's ± 2 standard errors cover the true a.
    let c = fit_curve(&curve_points(20_000.0, 3_000.0, 40, 0.05, 11)).unwrap();
    let m = c.marginal(3_000.0);
    assert!(
        (m / (20_000.0 / 6_000.0) - 1.0).abs() < 0.15,
        "marginal {m}"
    );
    // The fitted curve's value at the mean spend is within 3% of the truth.
    let truth = 20_000.0 * (4_250.0f64 / 3_000.0).ln_1p();
    assert!((c.value(4_250.0) / truth - 1.0).abs() < 0.03);
    assert!(c.a_se > 0.0 && c.rse > 0.0);
}

#[test]
fn no_estimate_without_enough_weeks_varied_spend_or_a_response() {
    // Constant spend: cv 0.
    let flat: Vec<(f64, f64)> = (0..10).map(|i| (1000.0, 3000.0 + f64::from(i))).collect();
    assert!(matches!(
        fit_curve(&flat),
        Err(NoCurve::SpendNeverVaried { .. })
    ));
    // Five weeks are too few (six are needed).
    let five = curve_points(1000.0, 100.0, 5, 0.0, 3);
    assert_eq!(fit_curve(&five), Err(NoCurve::TooFewWeeks { weeks: 5 }));
    // Weeks without spend do not count.
    let mut with_zeros = five.clone();
    with_zeros.extend([(0.0, 0.0), (0.0, 0.0)]);
    assert_eq!(
        fit_curve(&with_zeros),
        Err(NoCurve::TooFewWeeks { weeks: 5 })
    );
    // An outcome that falls as spend rises: no positive response.
    let falling: Vec<(f64, f64)> = (1..=8)
        .map(|i| (f64::from(i) * 100.0, 1000.0 - f64::from(i) * 100.0))
        .collect();
    assert_eq!(fit_curve(&falling), Err(NoCurve::NoResponse));
}

fn curve(a: f64, b: f64) -> Curve {
    Curve {
        a,
        b,
        a_se: 0.0,
        rse: 0.0,
        r2: 1.0,
        weeks: 10,
        near_linear: false,
    }
}

fn group(current: f64, floor: f64, cap: f64, c: Option<Curve>) -> AllocGroup {
    AllocGroup {
        current,
        floor,
        cap,
        curve: c,
    }
}

#[test]
fn two_groups_get_the_analytic_optimum() {
    // 1,000·ln(1 + x/100) and 500·ln(1 + y/100), x + y = 1,000: equal marginals
    // 1,000/(100 + x) = 500/(100 + y) give 100 + x = 2(100 + y), so y = 300, x = 700
    // (λ = 1,000/800 = 1.25).
    let groups = [
        group(500.0, 0.0, 10_000.0, Some(curve(1000.0, 100.0))),
        group(500.0, 0.0, 10_000.0, Some(curve(500.0, 100.0))),
    ];
    let a = allocate(&groups, 1000.0);
    assert_eq!(a.proposed, vec![700.0, 300.0]);
    assert_eq!(a.allocated, 1000.0);
    assert!((a.lambda.unwrap() - 1.25).abs() < 1e-9);
    // A cap of 600 on the first binds: it gets 600, the second the other 400.
    let capped = [
        group(500.0, 0.0, 600.0, Some(curve(1000.0, 100.0))),
        group(500.0, 0.0, 10_000.0, Some(curve(500.0, 100.0))),
    ];
    assert_eq!(allocate(&capped, 1000.0).proposed, vec![600.0, 400.0]);
    // A group without a curve keeps its current spend; the rest goes to the others.
    let with_fixed = [
        group(500.0, 0.0, 10_000.0, Some(curve(1000.0, 100.0))),
        group(250.0, 0.0, 10_000.0, None),
        group(500.0, 0.0, 10_000.0, Some(curve(500.0, 100.0))),
    ];
    assert_eq!(
        allocate(&with_fixed, 1250.0).proposed,
        vec![700.0, 250.0, 300.0]
    );
    // Straight lines (no diminishing returns): the better one fills its cap first.
    let linear = [
        group(500.0, 250.0, 750.0, Some(curve(1e9, 1e8))), // 10 per unit
        group(500.0, 250.0, 750.0, Some(curve(5e8, 1e8))), // 5 per unit
    ];
    assert_eq!(allocate(&linear, 1000.0).proposed, vec![750.0, 250.0]);
}

#[test]
fn bounds_and_the_budget_total_always_hold() {
    let mut rng = Rng::new(18);
    for case in 0..500 {
        let n = 1 + rng.below(8);
        let groups: Vec<AllocGroup> = (0..n)
            .map(|_| {
                let current = (rng.range(0.0, 50_000.0) * 100.0).round() / 100.0;
                let floor = (current * rng.range(0.0, 1.0) * 100.0).round() / 100.0;
                let cap = (current * rng.range(1.0, 3.0) * 100.0).round() / 100.0;
                let c = (!rng.chance(0.2))
                    .then(|| curve(rng.range(1.0, 1e6), 10f64.powf(rng.range(0.0, 9.0))));
                group(current, floor, cap, c)
            })
            .collect();
        let fixed: f64 = groups
            .iter()
            .filter(|g| g.curve.is_none())
            .map(|g| g.current)
            .sum();
        let lo: f64 = groups
            .iter()
            .filter(|g| g.curve.is_some())
            .map(|g| g.floor)
            .sum();
        let hi: f64 = groups
            .iter()
            .filter(|g| g.curve.is_some())
            .map(|g| g.cap)
            .sum();
        // Budgets inside the bounds' range, and some outside it.
        let budget = (rng.range(-0.2, 1.2) * (hi - lo) + lo + fixed) * 100.0;
        let budget = budget.round() / 100.0;
        let a = allocate(&groups, budget);
        let cents = |x: f64| (x * 100.0).round() as i64;
        for (g, &x) in groups.iter().zip(&a.proposed) {
            assert_eq!(cents(x) as f64 / 100.0, x, "case {case}: whole cents");
            match g.curve {
                Some(_) => assert!(
                    cents(g.floor) <= cents(x) && cents(x) <= cents(g.cap),
                    "case {case}: {x} outside [{}, {}]",
                    g.floor,
                    g.cap
                ),
                None => assert_eq!(cents(x), cents(g.current), "case {case}"),
            }
        }
        let total: i64 = a.proposed.iter().map(|&x| cents(x)).sum();
        let expected =
            cents(budget).clamp(cents(lo + fixed), cents(hi + fixed).max(cents(lo + fixed)));
        assert!(
            (total - expected).abs() <= 1 + n as i64,
            "case {case}: total {total} vs {expected}"
        );
        if cents(lo + fixed) <= cents(budget) && cents(budget) <= cents(hi + fixed) {
            // Within the bounds, exactly the budget (sums of cents computed in cents).
            let lo_c: i64 = groups
                .iter()
                .filter(|g| g.curve.is_some())
                .map(|g| cents(g.floor))
                .sum();
            let hi_c: i64 = groups
                .iter()
                .filter(|g| g.curve.is_some())
                .map(|g| cents(g.cap))
                .sum();
            let fixed_c: i64 = groups
                .iter()
                .filter(|g| g.curve.is_none())
                .map(|g| cents(g.current))
                .sum();
            if lo_c + fixed_c <= cents(budget) && cents(budget) <= hi_c + fixed_c {
                assert_eq!(total, cents(budget), "case {case}");
            }
        }
    }
}

#[test]
fn creator_strategy_follows_the_allocation_and_never_contradicts_renewal() {
    let rec = |verdict| Recommendation {
        verdict,
        reason: String::new(),
    };
    // 1,000 → 1,300 grows, → 700 is cut, → 1,020 is kept (within 5%).
    assert_eq!(
        creator_strategy(1000.0, 1300.0, Some(&rec(Verdict::Renew))),
        Strategy::Grow
    );
    assert_eq!(creator_strategy(1000.0, 700.0, None), Strategy::Cut);
    assert_eq!(creator_strategy(1000.0, 1020.0, None), Strategy::Keep);
    // Renegotiate: never grown; drop: always cut.
    assert_eq!(
        creator_strategy(1000.0, 1300.0, Some(&rec(Verdict::Renegotiate))),
        Strategy::Keep
    );
    assert_eq!(
        creator_strategy(1000.0, 1300.0, Some(&rec(Verdict::Drop))),
        Strategy::Cut
    );
}

#[test]
fn the_demo_plan_has_curves_and_an_allocation_that_sums_to_last_quarters_spend() {
    let ws = demo::generate(DEMO_SEED);
    let p = plan(&ws, &Filter::default(), &Settings::default()).unwrap();
    assert!(p.last_quarter_spend > 0.0);
    let platforms: Vec<_> = p.groups_of(Dimension::Platform).collect();
    assert_eq!(platforms.len(), 4);
    // Each platform's last-quarter spend sums to the total.
    let sum: f64 = platforms.iter().map(|g| g.current).sum();
    assert!((sum - p.last_quarter_spend).abs() < 1e-6 * p.last_quarter_spend);
    assert!(platforms.iter().all(|g| g.curve.is_ok()), "{platforms:?}");
    let groups: Vec<AllocGroup> = platforms
        .iter()
        .map(|g| {
            let (floor, cap) = g.default_bounds();
            AllocGroup {
                current: g.current,
                floor,
                cap,
                curve: g.quarter_curve(),
            }
        })
        .collect();
    let budget = (p.last_quarter_spend * 100.0).round() / 100.0;
    let a = allocate(&groups, budget);
    let total: i64 = a.proposed.iter().map(|x| (x * 100.0).round() as i64).sum();
    assert_eq!(total, (budget * 100.0).round() as i64);
    // Creators carry their renewal recommendation.
    assert!(p.groups_of(Dimension::Creator).all(|g| g.renewal.is_some()));
}

#[test]
#[ignore]
fn print_demo_plan() {
    use kpi_dash::metrics::plan::plan_table;
    let ws = demo::generate(DEMO_SEED);
    let p = plan(&ws, &Filter::default(), &Settings::default()).unwrap();
    for f in &p.forecasts {
        println!("{} spent {:.0} budget {:.0} proj {:?} low {:?} high {:?} share {:?} exhaust {:?} status {:?} mean {:.1} sd {:.1} land {:?}", f.campaign_id, f.spent, f.budget, f.projected, f.low, f.high, f.projected_share(), f.exhaust_date.map(kpi_dash::data::calendar::format_day), f.status, f.daily_mean, f.daily_sd, f.landing_daily);
    }
    println!(
        "outcome {:?} last quarter {:.2}",
        p.outcome, p.last_quarter_spend
    );
    for g in &p.groups {
        println!(
            "{:?} {} current {:.0} out {:?} curve {:?} renewal {:?}",
            g.dimension,
            g.key,
            g.current,
            g.current_outcome,
            g.curve,
            g.renewal.as_ref().map(|r| r.verdict)
        );
    }
    for d in [Dimension::Platform, Dimension::Format, Dimension::Creator] {
        let t = plan_table(&p, d, p.last_quarter_spend, &[]);
        println!(
            "{d:?} budget {:.2} proposed {:.2} expected {:?} at current {:.0} kept {} lambda {:?}",
            t.budget, t.proposed_total, t.expected, t.expected_at_current, t.kept, t.lambda
        );
        for r in &t.rows {
            println!(
                "  {} {:.0} -> {:.0} exp {:?} now {:?} m {:?}->{:?} {:?}",
                r.key,
                r.current,
                r.proposed,
                r.expected,
                r.at_current,
                r.marginal_now,
                r.marginal_proposed,
                r.strategy
            );
        }
    }
}

#[test]
fn the_plan_question_crosses_as_json_and_exports_as_csv_with_its_assumptions() {
    use kpi_dash::display::export::ExportContext;
    use kpi_dash::display::format::NumberStyle;
    use kpi_dash::display::plan::{forecast_warning, plan_csv, summary_lines};
    use kpi_dash::display::questions::{
        answer, answer_from_json, answer_to_json, Answer, Question,
    };
    use kpi_dash::metrics::plan::plan_table;
    let ws = demo::generate(DEMO_SEED);
    let settings = Settings::default();
    let a = answer(
        &ws,
        &settings,
        &Question::Plan {
            filter: Filter::default(),
        },
    );
    let (json, reasons) = answer_to_json(&a).unwrap();
    assert!(json.len() < 60_000, "a small answer: {} bytes", json.len());
    assert_eq!(answer_from_json(&json, &reasons).unwrap(), a);
    let Answer::Plan(Some(p)) = a else {
        panic!("the demo has a plan")
    };
    let c08 = p
        .forecasts
        .iter()
        .find(|f| f.campaign_id == OVER_PACED_CAMPAIGN)
        .unwrap();
    let warning = forecast_warning(c08, "C08").unwrap();
    assert!(warning.starts_with("At this pace C08 spends "), "{warning}");
    assert!(warning.contains("of its budget by 2026-12-31"), "{warning}");
    let tables: Vec<_> = [Dimension::Platform, Dimension::Format, Dimension::Creator]
        .into_iter()
        .map(|d| plan_table(&p, d, p.last_quarter_spend, &[]))
        .collect();
    let style = NumberStyle::default();
    let csv = plan_csv(&ExportContext { entries: vec![] }, &p, &tables, &style);
    for line in [
        "# Pace window: ",
        "# Curve: weekly revenue = a·ln(1 + spend/b)",
        "# Caps and floors: current spend ± 50%",
    ] {
        assert!(csv.contains(line), "{line}");
    }
    assert!(csv.contains("\nplatform,tiktok,"));
    assert!(csv.contains("\nC08,38600,"));
    // A what-if edit changes the expected outcome at once and the total follows it.
    let t = &tables[0];
    let edited = plan_table(
        &p,
        Dimension::Platform,
        p.last_quarter_spend,
        &[(t.rows[0].key.clone(), t.rows[0].proposed + 1000.0)],
    );
    assert!(edited.rows[0].edited);
    assert!(edited.expected.0 > t.expected.0);
    assert!((edited.proposed_total - t.proposed_total - 1000.0).abs() < 0.005);
    assert_eq!(summary_lines(&p, t, &style).len(), 3);
}

#[test]
fn the_plans_renewal_advice_is_the_renewal_rules_on_the_same_inputs() {
    use kpi_dash::data::calendar::Granularity;
    use kpi_dash::metrics::engine::compute;
    use kpi_dash::metrics::renewal::{recommend, renewal_inputs};
    let ws = demo::generate(DEMO_SEED);
    let settings = Settings::default();
    let filter = Filter::default();
    let p = plan(&ws, &filter, &settings).unwrap();
    let results = compute(&ws, &filter, &settings, Granularity::Month);
    let creators: Vec<_> = p.groups_of(Dimension::Creator).collect();
    assert_eq!(creators.len(), 60);
    for g in creators {
        let expected = recommend(
            &renewal_inputs(&ws, &filter, &g.key, &results, None),
            &settings,
        );
        assert_eq!(g.renewal.as_ref(), Some(&expected), "{}", g.key);
    }
    // The planted ones: K29 broke its contract, K15 scores below 70 (drop); K08 has
    // undisclosed posts (renegotiate).
    let verdict = |k: &str| {
        p.groups_of(Dimension::Creator)
            .find(|g| g.key == k)
            .and_then(|g| g.renewal.as_ref())
            .map(|r| r.verdict)
    };
    assert_eq!(verdict("K29"), Some(Verdict::Drop));
    assert_eq!(verdict("K15"), Some(Verdict::Drop));
    assert_eq!(verdict("K08"), Some(Verdict::Renegotiate));
}

#[test]
fn extreme_dates_cannot_overflow_the_plan() {
    let ws = demo::generate(DEMO_SEED);
    for as_of in [Day::MAX, Day::MIN, Day::MAX - 1, Day::MIN + 1] {
        let settings = Settings {
            as_of: Some(as_of),
            ..Settings::default()
        };
        let p = plan(&ws, &Filter::default(), &settings).unwrap();
        assert_eq!(p.as_of, as_of);
        let _ = serde_json::to_string(&p).unwrap();
    }
    // A campaign over every day there is, as of either end.
    let forever = Campaign {
        campaign_id: "C".into(),
        budget: Some(100.0),
        start_date: Some(Day::MIN),
        end_date: Some(Day::MAX),
        ..Campaign::default()
    };
    let daily: BTreeMap<Day, f64> = [(Day::MIN, 1.0), (Day::MAX, 1.0)].into_iter().collect();
    for as_of in [Day::MIN, Day::MIN + 1, 0, Day::MAX - 1, Day::MAX] {
        let f = forecast(&forever, as_of, &daily, 0.0).unwrap();
        assert!(f.projected.is_some_and(f64::is_finite));
    }
}

#[test]
fn the_outcome_follows_the_objective_of_the_campaigns_in_view() {
    use kpi_dash::metrics::plan::Outcome;
    let ws = demo::generate(DEMO_SEED);
    let settings = Settings::default();
    let of = |ids: &[&str]| {
        let filter = Filter {
            campaigns: ids.iter().map(|s| s.to_string()).collect(),
            ..Filter::default()
        };
        plan(&ws, &filter, &settings).unwrap().outcome
    };
    // All campaigns (sales, leads and awareness): revenue. C02 and C06 are lead
    // campaigns: leads; C03 sells: revenue; C04 and C07 build awareness: impressions.
    assert_eq!(of(&[]), Outcome::Revenue);
    assert_eq!(of(&["C02", "C06"]), Outcome::Leads);
    assert_eq!(of(&["C03"]), Outcome::Revenue);
    assert_eq!(of(&["C04", "C07"]), Outcome::Impressions);
    // A mix of two objectives: revenue.
    assert_eq!(of(&["C02", "C03"]), Outcome::Revenue);
    // One campaign's plan forecasts only it.
    let filter = Filter {
        campaigns: vec!["C08".into()],
        ..Filter::default()
    };
    let p = plan(&ws, &filter, &settings).unwrap();
    assert_eq!(p.forecasts.len(), 1);
}

#[test]
fn narrower_caps_hold_and_the_budget_still_adds_up() {
    use kpi_dash::metrics::plan::plan_table_with;
    let ws = demo::generate(DEMO_SEED);
    let p = plan(&ws, &Filter::default(), &Settings::default()).unwrap();
    let budget = (p.last_quarter_spend * 100.0).round() / 100.0;
    let cents = |x: f64| (x * 100.0).round() as i64;
    for share in [0.0, 0.1, 0.2, 0.5, 1.0] {
        let t = plan_table_with(&p, Dimension::Platform, budget, share, &[]);
        assert_eq!(t.bound_share, share);
        for r in &t.rows {
            // Floor and cap: current × (1 ∓ share), in whole cents.
            assert!(
                cents(r.proposed) >= cents(r.current * (1.0 - share)) - 1,
                "{share}"
            );
            assert!(
                cents(r.proposed) <= cents(r.current * (1.0 + share)) + 1,
                "{share}"
            );
        }
        assert_eq!(cents(t.proposed_total), cents(budget), "{share}");
    }
    // At ± 0% nothing moves: every proposal is its current spend.
    let still = plan_table_with(&p, Dimension::Platform, budget, 0.0, &[]);
    assert!(still
        .rows
        .iter()
        .all(|r| cents(r.proposed) == cents(r.current)));
}
