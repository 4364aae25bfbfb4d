//! Missing is not zero: blank and placeholder cells are absent, a ratio sums its
//! numerator and denominator over the rows that have both, totals over the rows that
//! have the measure, and every such KPI states its coverage.

use kpi_dash::data::calendar::{parse_iso_day, Granularity};
use kpi_dash::data::ingest::{load, LoadOptions};
use kpi_dash::data::packed::{pack, unpack};
use kpi_dash::data::schema::Measure;
use kpi_dash::data::store::Workspace;
use kpi_dash::metrics::engine::{compute, Coverage, Dimension, Filter, KpiValue};
use kpi_dash::metrics::registry::KpiId;
use kpi_dash::metrics::settings::Settings;

/// Five Instagram posts; reach is blank, `-` or `N/A` on three, impressions `N/A` or
/// `--` on two.
const POSTS: &str = "\
platform,date,post_id,likes,comments,shares,saves,reach,impressions
instagram,2025-01-01,p1,100,10,5,5,1000,2000
instagram,2025-01-02,p2,50,5,0,5,,1500
instagram,2025-01-03,p3,30,3,2,5,-,N/A
instagram,2025-01-04,p4,80,8,4,8,N/A,1000
instagram,2025-01-05,p5,40,4,1,5,500,--
";

fn workspace() -> Workspace {
    let mut ws = Workspace::default();
    let report = load(
        &mut ws,
        "partial.csv",
        POSTS.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (5, 5, 0)
    );
    ws
}

fn value(v: &KpiValue) -> f64 {
    v.value()
        .unwrap_or_else(|| panic!("expected a value, got {v:?}"))
}

fn reason(v: &KpiValue) -> String {
    match v {
        KpiValue::NotAvailable { reason } => reason.clone(),
        KpiValue::Value(x) => panic!("expected n/a, got {x}"),
    }
}

#[test]
fn blank_and_placeholder_cells_are_absent() {
    let ws = workspace();
    let p = &ws.posts;
    let reach: Vec<Option<f64>> = (0..5)
        .map(|i| p.value(Measure::Reach as usize, i))
        .collect();
    assert_eq!(reach, [Some(1000.0), None, None, None, Some(500.0)]);
    assert_eq!(p.rows_with(Measure::Impressions), 3);
    // 2000 + 1500 + 1000.
    assert_eq!(p.sum(Measure::Impressions), 4500.0);
}

#[test]
fn a_ratio_sums_both_parts_over_the_rows_that_have_both() {
    let ws = workspace();
    let r = compute(
        &ws,
        &Filter::default(),
        &Settings::default(),
        Granularity::Month,
    );
    let k = &r.overall;
    // Only p1 and p5 report reach: engagements (100+10+5+5) + (40+4+1+5) = 120 + 50 = 170
    // over reach 1000 + 500 = 1500. (Counting blanks as 0 gave 370 / 1500.)
    assert!((value(&k.get(KpiId::EngagementRate)) - 170.0 / 1500.0).abs() < 1e-12);
    assert_eq!(
        k.coverage(KpiId::EngagementRate),
        Some(Coverage { used: 2, of: 5 })
    );
    // The platform's rate goes through the cross-tab: the same 170 / 1500.
    assert!((value(&k.get(KpiId::EngagementRateInstagram)) - 170.0 / 1500.0).abs() < 1e-12);
    // Totals over the rows that have the measure: reach 1500 (2 of 5), impressions
    // 2000 + 1500 + 1000 = 4500 (3 of 5).
    assert_eq!(value(&k.get(KpiId::Reach)), 1500.0);
    assert_eq!(k.coverage(KpiId::Reach), Some(Coverage { used: 2, of: 5 }));
    assert_eq!(value(&k.get(KpiId::Impressions)), 4500.0);
    assert_eq!(
        k.coverage(KpiId::Impressions),
        Some(Coverage { used: 3, of: 5 })
    );
    // Average engagement per post needs no reach: (120 + 60 + 40 + 100 + 50) / 5 = 74.
    assert_eq!(value(&k.get(KpiId::AvgEngagementPerPost)), 74.0);
    assert_eq!(
        k.coverage(KpiId::AvgEngagementPerPost),
        Some(Coverage { used: 5, of: 5 })
    );
    // A column no file has is "needs column(s)", and has a coverage of 0 rows.
    assert!(reason(&k.get(KpiId::Ctr)).starts_with("needs column(s): clicks"));
    // A campaign-level KPI has no rows coverage.
    assert_eq!(k.coverage(KpiId::BrandRecallLift), None);
    // A total of a measure no row has is n/a (the creators table shows "n/a", not
    // "$0.00"); likes 100 + 50 + 30 + 80 + 40 = 300.
    assert_eq!(r.overall_sums.total(Measure::Revenue), None);
    assert_eq!(r.overall_sums.total(Measure::Likes), Some(300.0));
    assert_eq!(r.overall_sums.total(Measure::Reach), Some(1500.0));
    // The platform group says the same.
    let ig = r.group(Dimension::Platform, "instagram").unwrap();
    assert_eq!(ig.sums.total(Measure::Revenue), None);
    assert_eq!(
        ig.kpis.coverage(KpiId::EngagementRate),
        Some(Coverage { used: 2, of: 5 })
    );
}

#[test]
fn a_kpi_whose_inputs_are_absent_in_view_says_so() {
    let ws = workspace();
    // 2025-01-02 .. 01-04: p2, p3, p4, none of which reports reach.
    let filter = Filter {
        from: parse_iso_day("2025-01-02"),
        to: parse_iso_day("2025-01-04"),
        ..Filter::default()
    };
    let r = compute(&ws, &filter, &Settings::default(), Granularity::Month);
    let k = &r.overall;
    assert_eq!(
        reason(&k.get(KpiId::Reach)),
        "no post in view reports reach"
    );
    assert_eq!(
        reason(&k.get(KpiId::EngagementRate)),
        "no post in view reports reach"
    );
    assert_eq!(
        k.coverage(KpiId::EngagementRate),
        Some(Coverage { used: 0, of: 3 })
    );
    // The platform rate (cross-tab) is n/a too, not "reach is 0".
    assert!(reason(&k.get(KpiId::EngagementRateInstagram)).starts_with("no post in view reports"));
    // Impressions: p2 1500 + p4 1000.
    assert_eq!(value(&k.get(KpiId::Impressions)), 2500.0);
}

#[test]
fn absence_survives_packing_and_the_results_json() {
    let ws = workspace();
    let back = unpack(pack(ws.clone())).unwrap();
    assert_eq!(back.posts.value(Measure::Reach as usize, 1), None);
    assert!(back.posts.partial[Measure::Reach as usize]);
    let r = compute(
        &back,
        &Filter::default(),
        &Settings::default(),
        Granularity::Week,
    );
    assert!((value(&r.overall.get(KpiId::EngagementRate)) - 170.0 / 1500.0).abs() < 1e-12);
    let json = serde_json::to_string(&r).unwrap();
    let again: kpi_dash::metrics::engine::Results = serde_json::from_str(&json).unwrap();
    assert_eq!(
        again.overall.coverage(KpiId::EngagementRate),
        Some(Coverage { used: 2, of: 5 })
    );
    // Weekly periods: 2025-01-01..05 is Wed..Sun of one ISO week, so one period whose
    // rate is the same 170 / 1500.
    assert_eq!(again.periods.len(), 1);
    assert_eq!(
        again.periods[0].kpis.coverage(KpiId::EngagementRate),
        Some(Coverage { used: 2, of: 5 })
    );
}

#[test]
fn a_later_file_without_a_measure_leaves_it_absent_on_its_rows() {
    let mut ws = workspace();
    let more =
        "platform,date,post_id,likes,comments,shares,saves\ninstagram,2025-01-06,p6,10,1,1,1\n";
    load(
        &mut ws,
        "more.csv",
        more.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    let r = compute(
        &ws,
        &Filter::default(),
        &Settings::default(),
        Granularity::Month,
    );
    // p6 has no reach: the rate stays 170 / 1500, over 2 of 6 posts.
    assert!((value(&r.overall.get(KpiId::EngagementRate)) - 170.0 / 1500.0).abs() < 1e-12);
    assert_eq!(
        r.overall.coverage(KpiId::EngagementRate),
        Some(Coverage { used: 2, of: 6 })
    );
}

#[test]
fn ftc_compliance_judges_sponsored_posts_only() {
    // Captions give the disclosure of every post; a2 and a3 are in a campaign, a1 and
    // a4 are the brand's own organic posts.
    let csv = "platform,date,post_id,campaign_id,caption
instagram,2025-01-01,a1,,Our new range is here
instagram,2025-01-02,a2,C1,Loving this #ad
instagram,2025-01-03,a3,C1,Check this out
instagram,2025-01-04,a4,,My morning routine
";
    let mut ws = Workspace::default();
    load(
        &mut ws,
        "captions.csv",
        csv.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    let r = compute(
        &ws,
        &Filter::default(),
        &Settings::default(),
        Granularity::Month,
    );
    // Judged: a2 (disclosed) and a3 (not): 1 / 2, over 2 of 4 posts.
    assert_eq!(value(&r.overall.get(KpiId::FtcCompliance)), 0.5);
    assert_eq!(
        r.overall.coverage(KpiId::FtcCompliance),
        Some(Coverage { used: 2, of: 4 })
    );
    // The organic posts alone: nothing to judge.
    let organic = Filter {
        campaigns: vec![String::new()],
        ..Filter::default()
    };
    let r = compute(&ws, &organic, &Settings::default(), Granularity::Month);
    assert!(reason(&r.overall.get(KpiId::FtcCompliance)).starts_with("no sponsored post in view"));
}
