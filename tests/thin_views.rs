//! The rules the views used to re-derive, now in the core (issue 15, "thin views"):
//! target floors and bands, where a value stands against a target, status colours,
//! the renewal inputs of the creator page and the orders of the summary's lists. Every
//! number is worked out by hand from the fixture of `metrics_support`.

mod metrics_support;

use kpi_dash::charts::by_platform;
use kpi_dash::data::calendar::Granularity;
use kpi_dash::data::schema::Measure;
use kpi_dash::display::status::{card_class, status_tone, tone};
use kpi_dash::metrics::engine::{compute, Dimension, Filter, KpiValue, Results};
use kpi_dash::metrics::ranking::{by_kpi_highest_first, by_measure};
use kpi_dash::metrics::registry::{kpi, KpiDef, KpiId, Target};
use kpi_dash::metrics::renewal::{recommend, RenewalInputs, Verdict};
use kpi_dash::metrics::settings::Settings;
use kpi_dash::metrics::targets::{
    chart_floor, effective_band, effective_floor, kpi_status, position, target_band, Status,
};
use metrics_support::*;

fn def(id: KpiId) -> &'static KpiDef {
    kpi(id)
}

fn with_override(id: KpiId, target: Target) -> Settings {
    let mut settings = Settings::default();
    settings.target_overrides.insert(id.as_str().into(), target);
    settings
}

fn results(filter: &Filter) -> Results {
    compute(&fixture(), filter, &Settings::default(), Granularity::Month)
}

fn between(from: (i32, u32, u32), to: (i32, u32, u32)) -> Filter {
    Filter {
        from: Some(day(from.0, from.1, from.2)),
        to: Some(day(to.0, to.1, to.2)),
        ..Filter::default()
    }
}

#[test]
fn floors_come_from_the_target_in_force() {
    let d = Settings::default();
    // ROAS ≥ 5.0 by default; an override of ≥ 4.0 wins.
    assert_eq!(effective_floor(def(KpiId::Roas), &d), Some(5.0));
    let four = with_override(KpiId::Roas, Target::AtLeast(4.0));
    assert_eq!(effective_floor(def(KpiId::Roas), &four), Some(4.0));
    // A range's floor is its low end (ER 5–8%); a bound's is the bound (CPA ≤ $35).
    assert_eq!(effective_floor(def(KpiId::EngagementRate), &d), Some(0.05));
    assert_eq!(effective_floor(def(KpiId::Cpa), &d), Some(35.0));
    // AOV's "≥ site AOV + 15%" has no floor until resolved; CPE has no target.
    assert_eq!(effective_floor(def(KpiId::Aov), &d), None);
    assert_eq!(effective_floor(def(KpiId::Cpe), &d), None);
}

#[test]
fn the_scatter_break_even_line_is_the_roas_floor() {
    // The summary's old magic 5.0 was the registry default's floor: ≥ 5.0.
    assert_eq!(
        chart_floor(def(KpiId::Roas), &Settings::default()),
        Some(5.0)
    );
    // An override moves the line: ≥ 3.5 → 3.5.
    let lower = with_override(KpiId::Roas, Target::AtLeast(3.5));
    assert_eq!(chart_floor(def(KpiId::Roas), &lower), Some(3.5));
    // An override with no floor (a site-AOV target imported onto ROAS) keeps the
    // default's 5.0, as the view did.
    let odd = with_override(KpiId::Roas, Target::AboveSiteAov(0.1));
    assert_eq!(effective_floor(def(KpiId::Roas), &odd), None);
    assert_eq!(chart_floor(def(KpiId::Roas), &odd), Some(5.0));
    // No target at all: no line.
    assert_eq!(chart_floor(def(KpiId::Cpe), &Settings::default()), None);
}

#[test]
fn chart_bands_follow_the_override_like_the_table_beside_them() {
    let d = Settings::default();
    // Instagram's own ER target is 6–9% by default.
    assert_eq!(
        effective_band(def(KpiId::EngagementRateInstagram), &d),
        Some((0.06, 0.09))
    );
    // The user's 2–3% override is what both the table and the chart show now.
    let own = with_override(KpiId::EngagementRateInstagram, Target::Range(0.02, 0.03));
    assert_eq!(
        effective_band(def(KpiId::EngagementRateInstagram), &own),
        Some((0.02, 0.03))
    );
    // Bounds are zero-height bands (the trend charts' line); AOV's is unresolved.
    assert_eq!(target_band(Target::AtLeast(5.0)), Some((5.0, 5.0)));
    assert_eq!(target_band(Target::AtMost(35.0)), Some((35.0, 35.0)));
    assert_eq!(target_band(Target::AboveSiteAov(0.15)), None);
    assert_eq!(effective_band(def(KpiId::Cpe), &d), None);
}

#[test]
fn positions_against_targets() {
    // 5–8%: 4% below, 6.2% on target, 8% (the edge) on target, 9% above.
    let range = Target::Range(0.05, 0.08);
    assert_eq!(position(0.04, range), Status::Below);
    assert_eq!(position(0.062, range), Status::OnTarget);
    assert_eq!(position(0.08, range), Status::OnTarget);
    assert_eq!(position(0.09, range), Status::Above);
    // ≥ 3: 3 meets it, 2.9 is below; ≤ $35: $40 is above.
    assert_eq!(position(3.0, Target::AtLeast(3.0)), Status::OnTarget);
    assert_eq!(position(2.9, Target::AtLeast(3.0)), Status::Below);
    assert_eq!(position(40.0, Target::AtMost(35.0)), Status::Above);
    assert_eq!(position(1.0, Target::AboveSiteAov(0.15)), Status::NoTarget);
}

#[test]
fn the_platform_chart_compares_with_the_core_rule() {
    // Instagram 4.1% against 6–9% is below; TikTok 8% against 7–10% within; X 6%
    // against 3–5% above; YouTube has no band.
    let chart = by_platform(
        "ER",
        "Engagement rate (%)",
        &[
            ("instagram".into(), Some(4.1), Some((6.0, 9.0))),
            ("tiktok".into(), Some(8.0), Some((7.0, 10.0))),
            ("x".into(), Some(6.0), Some((3.0, 5.0))),
            ("youtube".into(), Some(5.0), None),
        ],
    );
    let against: Vec<&str> = chart.table[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(against, ["below", "within", "above", ""]);
}

#[test]
fn status_colours_of_cards() {
    let d = Settings::default();
    let card = |id: KpiId, v: f64| {
        let def = def(id);
        card_class(
            kpi_status(def, &KpiValue::Value(v), &d, None),
            def.direction,
        )
    };
    // ER 9% against 5–8%, higher is better: above, good news.
    assert_eq!(
        card(KpiId::EngagementRate, 0.09),
        "kpi-card status-above good"
    );
    // CPA $40 against ≤ $35, lower is better: above, bad news; $28 is on target.
    assert_eq!(card(KpiId::Cpa, 40.0), "kpi-card status-above bad");
    assert_eq!(card(KpiId::Cpa, 28.0), "kpi-card status-on_target good");
    // Budget pacing 110% against 95–105%: outside a within-range target is bad.
    assert_eq!(card(KpiId::BudgetPacing, 1.1), "kpi-card status-above bad");
    // ROAS 4.5 against ≥ 5: below, bad.
    assert_eq!(card(KpiId::Roas, 4.5), "kpi-card status-below bad");
    // CPE has no target: neutral.
    assert_eq!(card(KpiId::Cpe, 1.0), "kpi-card status-no_target neutral");
    assert_eq!(
        status_tone(Status::Below, def(KpiId::Cpa).direction),
        "good",
        "below a lower-is-better bound is good"
    );
    assert_eq!(tone(Some(false)), "bad");
}

#[test]
fn renewal_reads_roas_from_the_compare_windows() {
    // January: P1 + P2, ROAS = (1500 + 600) / (1000 + 500) = 2100 / 1500 = 1.4.
    // February: P3, ROAS = 800 / 500 = 1.6.
    let january = results(&between((2025, 1, 1), (2025, 1, 31)));
    let february = results(&between((2025, 2, 1), (2025, 2, 28)));
    let inputs = RenewalInputs {
        score: Some(85.0),
        roas: Some(9.0),
        previous_roas: None,
        undisclosed_posts: 0,
        contract_terms_met: Some(true),
    };
    // No comparison: the inputs stay as they are.
    assert_eq!(inputs.clone().with_windows(None), inputs);
    // February against January: 1.6 after 1.4, not falling → Renew.
    let rising = inputs.clone().with_windows(Some((&february, &january)));
    assert_value(&KpiValue::Value(rising.roas.unwrap_or(f64::NAN)), 1.6);
    assert_value(
        &KpiValue::Value(rising.previous_roas.unwrap_or(f64::NAN)),
        1.4,
    );
    assert_eq!(
        recommend(&rising, &Settings::default()).verdict,
        Verdict::Renew
    );
    // January against February: ROAS fell from 1.6 to 1.4 → Renegotiate (rule 6).
    let falling = inputs.clone().with_windows(Some((&january, &february)));
    let advice = recommend(&falling, &Settings::default());
    assert_eq!(advice.verdict, Verdict::Renegotiate);
    assert_eq!(
        advice.reason,
        "Score 85 is on target but ROAS fell from 1.6 to 1.4."
    );
    // A compare window without rows has no ROAS: absent, never 0, so no fall.
    let empty = results(&between((2024, 1, 1), (2024, 1, 31)));
    let unknown = inputs.with_windows(Some((&february, &empty)));
    assert_eq!(unknown.previous_roas, None);
    assert_eq!(
        recommend(&unknown, &Settings::default()).verdict,
        Verdict::Renew
    );
}

#[test]
fn summary_lists_are_ranked_in_the_core() {
    let mut ws = fixture();
    // P4: revenue 100 for C3 without a cost, so C3's ROAS is n/a.
    ws.posts.push(&post(
        "P4",
        "x",
        Some(day(2025, 2, 12)),
        "C3",
        "K2",
        "post",
        Some(true),
        &[(Measure::Revenue, 100.0)],
    ));
    let r = compute(
        &ws,
        &Filter::default(),
        &Settings::default(),
        Granularity::Month,
    );
    let keys = |gs: &[kpi_dash::metrics::engine::GroupResult]| -> Vec<String> {
        gs.iter().map(|g| g.key.clone()).collect()
    };
    // Revenue: C1 1500 + 600 = 2100, C2 800, C3 100.
    let by_revenue = by_measure(&r, Dimension::Campaign, Measure::Revenue);
    assert_eq!(keys(&by_revenue), ["C1", "C2", "C3"]);
    // ROAS: C2 800 / 500 = 1.6 before C1 2100 / 1500 = 1.4; C3 (n/a) last.
    let by_roas = by_kpi_highest_first(by_revenue, KpiId::Roas);
    assert_eq!(keys(&by_roas), ["C2", "C1", "C3"]);
    assert!(by_roas[2].kpis.get(KpiId::Roas).value().is_none());
    // Cost: C1 1000 + 500 = 1500, C2 500, C3 none (0 in the order, so last).
    let by_cost = by_measure(&r, Dimension::Campaign, Measure::Cost);
    assert_eq!(keys(&by_cost), ["C1", "C2", "C3"]);
}

#[test]
fn the_platform_chart_and_table_read_one_platform_target() {
    use kpi_dash::metrics::targets::platform_target;
    let d = Settings::default();
    // TikTok's own ER target: 7–10% by default, through its own KPI.
    let (def, target) = platform_target("tiktok", &d).expect("tiktok has a target");
    assert_eq!(def.id, KpiId::EngagementRateTiktok);
    assert_eq!(target, Target::Range(0.07, 0.10));
    assert_eq!(target_band(target), Some((0.07, 0.10)));
    // An override of TikTok's KPI (4–6%) is what both show.
    let own = with_override(KpiId::EngagementRateTiktok, Target::Range(0.04, 0.06));
    assert_eq!(
        platform_target("tiktok", &own).map(|(_, t)| t),
        Some(Target::Range(0.04, 0.06))
    );
    // A platform without its own KPI (and the keyless group) has none.
    assert_eq!(platform_target("facebook", &d), None);
    assert_eq!(platform_target("", &d), None);
}
