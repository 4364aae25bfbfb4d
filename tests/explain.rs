//! The explain panel's core (`metrics::explain`, `display::explain`): on a six-row
//! fixture with hand-computed sums, the parts of ROAS, the engagement rate under each
//! denominator, CPA, EMV (both methods) and FTC compliance; the coverage with blank
//! cells, a date range, a platform filter and rows rejected at load; contributions
//! adding up; the top rows' order; the rows CSV's escaping; an empty workspace; and,
//! on the demo, every KPI's parts giving its value.

use kpi_dash::data::calendar::{parse_iso_day, Granularity};
use kpi_dash::data::demo::{self, DEMO_SEED};
use kpi_dash::data::ingest::{load, LoadOptions};
use kpi_dash::data::schema::Measure;
use kpi_dash::data::store::Workspace;
use kpi_dash::display::questions::{answer, answer_from_json, answer_to_json, Answer, Question};
use kpi_dash::metrics::engine::{compute, Dimension, Filter, KpiValue};
use kpi_dash::metrics::explain::{
    explain, ExcludeReason, ExplainQuery, Explanation, PartRole, EXCLUDED_SAMPLE, TOP_ROWS,
};
use kpi_dash::metrics::registry::KpiId;
use kpi_dash::metrics::settings::{EmvMethod, ErDenominator, Settings};

/// Six posts rows of three campaigns. Row by row (engagements = likes + comments +
/// shares + saves):
///
/// | row | platform  | date       | campaign | impr | reach | foll  | eng | views | revenue | cost | new c. | disclosed |
/// |-----|-----------|------------|----------|------|-------|-------|-----|-------|---------|------|--------|-----------|
/// | 0   | instagram | 2025-03-01 | C1       | 1000 | 800   | 5000  | 70  | 400   | 400     | 100  | 2      | true      |
/// | 1   | instagram | 2025-03-02 | C1       | 2000 | 1500  | 5000  | 140 | 900   | (blank) | 200  | 1      | false     |
/// | 2   | tiktok    | 2025-03-03 | C2       | 4000 | 3000  | 10000 | 400 | 3000  | 900     | 300  | 3      | true      |
/// | 3   | tiktok    | 2025-03-10 | C2       | 3000 | 2000  | 10000 | 260 | 2500  | 600     | 150  | 1      | (blank)   |
/// | 4   | tiktok    | (none)     | C2       | 1000 | 500   | 10000 | 50  | 500   | 100     | 50   | 0      | true      |
/// | 5   | youtube   | 2025-04-15 | C3       | 5000 | 4000  | 20000 | 200 | 4000  | 600     | 250  | 2      | true      |
///
/// Row 3's post id holds a comma and a quote and its creator id starts with `=`.
const POSTS: &str = "platform,date,post_id,campaign_id,creator_id,format,impressions,reach,followers,likes,comments,shares,saves,views,clicks,conversions,revenue,cost,new_customers,disclosed\n\
instagram,2025-03-01,p1,C1,K1,reel,1000,800,5000,50,10,5,5,400,20,4,400,100,2,true\n\
instagram,2025-03-02,p2,C1,K1,reel,2000,1500,5000,100,20,10,10,900,40,5,,200,1,false\n\
tiktok,2025-03-03,p3,C2,K2,video,4000,3000,10000,300,40,30,30,3000,60,6,900,300,3,true\n\
tiktok,2025-03-10,\"p4,\"\"q\"\"\",C2,=K5,video,3000,2000,10000,200,30,20,10,2500,30,3,600,150,1,\n\
tiktok,,p5,C2,K2,video,1000,500,10000,40,5,3,2,500,10,1,100,50,0,true\n\
youtube,2025-04-15,p6,C3,K3,video,5000,4000,20000,150,25,10,15,4000,50,5,600,250,2,true\n";

fn fixture() -> Workspace {
    let mut ws = Workspace::default();
    load(
        &mut ws,
        "posts.csv",
        POSTS.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(ws.posts.len(), 6);
    ws
}

fn query(kpi: KpiId, filter: Filter) -> ExplainQuery {
    ExplainQuery {
        kpi,
        filter,
        granularity: Granularity::Month,
        rejected_at_load: 0,
    }
}

fn part(e: &Explanation, role: PartRole) -> f64 {
    e.parts
        .iter()
        .find(|p| p.role == role)
        .unwrap_or_else(|| panic!("{}: no {} part in {:?}", e.kpi, role.hook(), e.parts))
        .value
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn excluded(e: &Explanation, reason: &ExcludeReason) -> u64 {
    e.coverage
        .excluded
        .iter()
        .find(|(r, _)| r == reason)
        .map_or(0, |(_, n)| *n)
}

fn absent(columns: &[&str]) -> ExcludeReason {
    ExcludeReason::AbsentInputs(columns.iter().map(|c| c.to_string()).collect())
}

#[test]
fn roas_is_revenue_over_cost_of_the_rows_with_both() {
    let ws = fixture();
    let e = explain(
        &ws,
        &Settings::default(),
        &query(KpiId::Roas, Filter::default()),
    );
    // Rows with revenue and cost: 0, 2, 3, 4, 5 (row 1's revenue is blank, not 0).
    // Σrevenue = 400 + 900 + 600 + 100 + 600 = 2600; Σcost = 100 + 300 + 150 + 50 + 250 = 850.
    assert_eq!(part(&e, PartRole::Numerator), 2600.0);
    assert_eq!(part(&e, PartRole::Denominator), 850.0);
    assert_eq!(e.value, KpiValue::Value(2600.0 / 850.0));
    assert_eq!(e.formula, "Σrevenue / Σcost");
    // Coverage: 5 used, row 1 excluded for its blank revenue.
    assert_eq!(e.coverage.unit, "posts rows");
    assert_eq!(e.coverage.used, 5);
    assert_eq!(e.coverage.excluded, vec![(absent(&["revenue"]), 1)]);
    let sample = &e.excluded[0].sample;
    assert_eq!(sample.len(), 1);
    assert_eq!((sample[0].row, sample[0].post_id.as_str()), (1, "p2"));
    assert_eq!(sample[0].link, "/campaigns/C1?post=p2");
    // The engine's card coverage agrees.
    let r = compute(
        &ws,
        &Filter::default(),
        &Settings::default(),
        Granularity::Month,
    );
    assert_eq!(r.overall.coverage(KpiId::Roas).unwrap().used, 5);
    // Settings: no date range, no filter; ROAS reads no setting and is not money.
    assert_eq!(
        e.settings_used,
        vec![("Date range".to_string(), "all dates".to_string())]
    );
}

#[test]
fn engagement_rate_under_each_denominator() {
    let ws = fixture();
    // Σengagements = 70 + 140 + 400 + 260 + 50 + 200 = 1120 over every row.
    // Σreach = 800 + 1500 + 3000 + 2000 + 500 + 4000 = 11800;
    // Σimpressions = 1000 + 2000 + 4000 + 3000 + 1000 + 5000 = 16000;
    // Σfollowers = 5000 + 5000 + 10000 + 10000 + 10000 + 20000 = 60000.
    for (er, den, name) in [
        (ErDenominator::Reach, 11800.0, "reach"),
        (ErDenominator::Impressions, 16000.0, "impressions"),
        (ErDenominator::Followers, 60000.0, "followers"),
    ] {
        let settings = Settings {
            er_denominator: er,
            ..Settings::default()
        };
        let e = explain(
            &ws,
            &settings,
            &query(KpiId::EngagementRate, Filter::default()),
        );
        assert_eq!(part(&e, PartRole::Numerator), 1120.0, "{er:?}");
        assert_eq!(part(&e, PartRole::Denominator), den, "{er:?}");
        assert_eq!(e.value, KpiValue::Value(1120.0 / den), "{er:?}");
        assert_eq!(e.coverage.used, 6);
        assert!(e.formula.ends_with(&format!("/ Σ{name}")), "{}", e.formula);
        assert!(e
            .settings_used
            .contains(&("Engagement-rate denominator".into(), name.into())));
    }
    // TikTok's own rate: rows 2, 3, 4: (400 + 260 + 50) / (3000 + 2000 + 500) = 710 / 5500;
    // the other platforms' 3 rows are left out.
    let e = explain(
        &ws,
        &Settings::default(),
        &query(KpiId::EngagementRateTiktok, Filter::default()),
    );
    assert_eq!(part(&e, PartRole::Numerator), 710.0);
    assert_eq!(part(&e, PartRole::Denominator), 5500.0);
    assert_eq!(e.value, KpiValue::Value(710.0 / 5500.0));
    assert_eq!(e.coverage.used, 3);
    assert_eq!(excluded(&e, &ExcludeReason::FilteredOut), 3);
}

#[test]
fn cpa_is_cost_over_new_customers() {
    let ws = fixture();
    let e = explain(
        &ws,
        &Settings::default(),
        &query(KpiId::Cpa, Filter::default()),
    );
    // Every row has both: Σcost = 100 + 200 + 300 + 150 + 50 + 250 = 1050,
    // Σnew_customers = 2 + 1 + 3 + 1 + 0 + 2 = 9.
    assert_eq!(part(&e, PartRole::Numerator), 1050.0);
    assert_eq!(part(&e, PartRole::Denominator), 9.0);
    assert_eq!(e.value, KpiValue::Value(1050.0 / 9.0));
    assert_eq!(e.coverage.used, 6);
    assert!(e.coverage.excluded.is_empty());
    // CPA is money: the currency line is there.
    assert!(e.settings_used.iter().any(|(label, _)| label == "Currency"));
}

#[test]
fn emv_terms_and_total_under_both_methods() {
    let ws = fixture();
    // CPM: instagram 3000 impressions × 10 / 1000 = 30, tiktok 8000 × 5 / 1000 = 40,
    // youtube 5000 × 20 / 1000 = 100; total 170.
    let mut settings = Settings {
        emv_cpm: [("instagram", 10.0), ("tiktok", 5.0), ("youtube", 20.0)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        ..Settings::default()
    };
    let e = explain(&ws, &settings, &query(KpiId::Emv, Filter::default()));
    let terms: Vec<f64> = e
        .parts
        .iter()
        .filter(|p| p.role == PartRole::Term)
        .map(|p| p.value)
        .collect();
    assert_eq!(terms, vec![30.0, 40.0, 100.0]);
    assert_eq!(part(&e, PartRole::Total), 170.0);
    assert_eq!(e.value, KpiValue::Value(170.0));
    assert_eq!(e.coverage.used, 6);
    assert!(e.settings_used.contains(&(
        "EMV CPMs".into(),
        "instagram 10, tiktok 5, youtube 20".into()
    )));
    // Row 5 (youtube, 5000 impressions) gives the most: 5000 × 20 / 1000 = 100.
    assert_eq!(e.top_rows[0].row, 5);
    assert_eq!(e.top_rows[0].numerator, Some(100.0));

    // Per action (default rates): Σlikes 840 × 0.10 = 84, Σcomments 130 × 1 = 130,
    // Σshares 78 × 0.5 = 39, Σsaves 72 × 0.5 = 36, Σviews 11300 × 0.02 = 226;
    // total 84 + 130 + 39 + 36 + 226 = 515.
    settings.emv_method = EmvMethod::PerAction;
    let e = explain(&ws, &settings, &query(KpiId::Emv, Filter::default()));
    let terms: Vec<f64> = e
        .parts
        .iter()
        .filter(|p| p.role == PartRole::Term)
        .map(|p| p.value)
        .collect();
    let expected = [84.0, 130.0, 39.0, 36.0, 226.0];
    assert_eq!(terms.len(), 5);
    for (t, x) in terms.iter().zip(expected) {
        assert!(close(*t, x), "{terms:?}");
    }
    assert!(close(part(&e, PartRole::Total), 515.0));
    assert!(close(e.value.value().unwrap(), 515.0));
    // The rows' own values add up to the total too.
    let r = compute(&ws, &Filter::default(), &settings, Granularity::Month);
    let by_platform: f64 = e
        .contributions
        .iter()
        .filter(|c| c.dimension == Dimension::Platform)
        .map(|c| c.numerator)
        .sum();
    assert!(close(by_platform, 515.0));
    assert!(r.overall.get(KpiId::Emv).value().is_some());
}

#[test]
fn ftc_compliance_is_disclosed_over_known_among_sponsored() {
    let ws = fixture();
    let e = explain(
        &ws,
        &Settings::default(),
        &query(KpiId::FtcCompliance, Filter::default()),
    );
    // Every row is in a campaign (sponsored). Disclosure known on rows 0, 1, 2, 4, 5
    // (row 3 is blank), disclosed on 0, 2, 4, 5: 4 / 5.
    assert_eq!(part(&e, PartRole::Numerator), 4.0);
    assert_eq!(part(&e, PartRole::Denominator), 5.0);
    assert_eq!(e.value, KpiValue::Value(0.8));
    assert_eq!(e.coverage.used, 5);
    assert_eq!(e.coverage.excluded, vec![(absent(&["disclosed"]), 1)]);
}

#[test]
fn a_date_range_leaves_out_undated_and_out_of_range_rows() {
    let ws = fixture();
    let filter = Filter {
        from: parse_iso_day("2025-03-01"),
        to: parse_iso_day("2025-03-31"),
        ..Filter::default()
    };
    let e = explain(&ws, &Settings::default(), &query(KpiId::Roas, filter));
    // In view: rows 0-3; used 0, 2, 3 (row 1 has no revenue): Σrevenue 400 + 900 + 600
    // = 1900 over Σcost 100 + 300 + 150 = 550. Row 4 is undated, row 5 in April.
    assert_eq!(part(&e, PartRole::Numerator), 1900.0);
    assert_eq!(part(&e, PartRole::Denominator), 550.0);
    assert_eq!(e.coverage.used, 3);
    assert_eq!(excluded(&e, &ExcludeReason::Undated), 1);
    assert_eq!(excluded(&e, &ExcludeReason::OutOfRange), 1);
    assert_eq!(excluded(&e, &absent(&["revenue"])), 1);
    assert_eq!(e.coverage.used + e.coverage.excluded_total(), 6);
    let undated = e
        .excluded
        .iter()
        .find(|x| x.reason == ExcludeReason::Undated)
        .unwrap();
    assert_eq!(undated.sample[0].row, 4);
    assert_eq!(undated.sample[0].day, None);
    assert!(e
        .settings_used
        .contains(&("Date range".into(), "2025-03-01 to 2025-03-31".into())));
}

#[test]
fn a_platform_filter_and_rows_rejected_at_load() {
    let ws = fixture();
    let filter = Filter {
        platforms: vec!["tiktok".into()],
        ..Filter::default()
    };
    let q = ExplainQuery {
        rejected_at_load: 2,
        ..query(KpiId::Roas, filter)
    };
    let e = explain(&ws, &Settings::default(), &q);
    // TikTok rows 2, 3, 4: Σrevenue 900 + 600 + 100 = 1600 over Σcost 300 + 150 + 50 = 500.
    assert_eq!(part(&e, PartRole::Numerator), 1600.0);
    assert_eq!(part(&e, PartRole::Denominator), 500.0);
    assert_eq!(e.value, KpiValue::Value(3.2));
    assert_eq!(e.coverage.used, 3);
    assert_eq!(excluded(&e, &ExcludeReason::FilteredOut), 3);
    assert_eq!(excluded(&e, &ExcludeReason::RejectedAtLoad), 2);
    // used + Σexcluded = the workspace's rows + those rejected at load: 3 + 5 = 6 + 2.
    assert_eq!(e.coverage.used + e.coverage.excluded_total(), 6 + 2);
    let rejected = e
        .excluded
        .iter()
        .find(|x| x.reason == ExcludeReason::RejectedAtLoad)
        .unwrap();
    assert!(rejected.sample.is_empty());
    assert!(e
        .settings_used
        .contains(&("Platforms".into(), "tiktok".into())));
}

#[test]
fn coverage_adds_up_for_every_posts_kpi_under_every_filter() {
    let ws = fixture();
    let filters = [
        Filter::default(),
        Filter {
            from: parse_iso_day("2025-03-02"),
            to: parse_iso_day("2025-03-31"),
            platforms: vec!["tiktok".into(), "instagram".into()],
            ..Filter::default()
        },
        Filter {
            campaigns: vec!["C2".into()],
            formats: vec!["video".into()],
            ..Filter::default()
        },
    ];
    for filter in filters {
        let r = compute(&ws, &filter, &Settings::default(), Granularity::Month);
        for kpi in KpiId::ALL {
            let q = ExplainQuery {
                rejected_at_load: 7,
                ..query(kpi, filter.clone())
            };
            let e = explain(&ws, &Settings::default(), &q);
            if e.coverage.unit != "posts rows" {
                continue;
            }
            assert_eq!(
                e.coverage.used + e.coverage.excluded_total(),
                6 + 7,
                "{kpi} {filter:?}"
            );
            // Where the cards show a coverage, it is the same count.
            if let Some(c) = r.overall.coverage(kpi) {
                assert_eq!(c.used, e.coverage.used, "{kpi} {filter:?}");
            }
            assert!(e.top_rows.len() <= TOP_ROWS);
            assert!(e.excluded.iter().all(|x| x.sample.len() <= EXCLUDED_SAMPLE));
        }
    }
}

#[test]
fn contributions_of_each_dimension_add_up_to_the_parts() {
    let ws = fixture();
    for kpi in [
        KpiId::Roas,
        KpiId::Cpa,
        KpiId::EngagementRate,
        KpiId::Ctr,
        KpiId::Cpm,
        KpiId::Impressions,
        KpiId::FtcCompliance,
    ] {
        let e = explain(&ws, &Settings::default(), &query(kpi, Filter::default()));
        assert!(e.additive);
        let numerator = e
            .parts
            .iter()
            .find(|p| matches!(p.role, PartRole::Numerator | PartRole::Total))
            .unwrap()
            .value;
        let denominator = e
            .parts
            .iter()
            .find(|p| p.role == PartRole::Denominator)
            .map(|p| p.value);
        for dim in Dimension::ALL {
            let of_dim: Vec<_> = e
                .contributions
                .iter()
                .filter(|c| c.dimension == dim)
                .collect();
            assert!(!of_dim.is_empty(), "{kpi} {dim:?}");
            let n: f64 = of_dim.iter().map(|c| c.numerator).sum();
            assert_eq!(n, numerator, "{kpi} {dim:?}");
            if let Some(d) = denominator {
                let sum: f64 = of_dim.iter().map(|c| c.denominator.unwrap()).sum();
                assert_eq!(sum, d, "{kpi} {dim:?}");
            }
            let rows: u64 = of_dim.iter().map(|c| c.rows).sum();
            assert_eq!(rows, e.coverage.used, "{kpi} {dim:?}");
        }
    }
    // ROAS by platform: instagram row 0 only (400 / 100), tiktok 1600 / 500, youtube
    // 600 / 250; largest numerator first.
    let e = explain(
        &ws,
        &Settings::default(),
        &query(KpiId::Roas, Filter::default()),
    );
    type Line<'a> = (&'a str, f64, Option<f64>, u64, Option<f64>);
    let platforms: Vec<Line> = e
        .contributions
        .iter()
        .filter(|c| c.dimension == Dimension::Platform)
        .map(|c| (c.key.as_str(), c.numerator, c.denominator, c.rows, c.value))
        .collect();
    assert_eq!(
        platforms,
        vec![
            ("tiktok", 1600.0, Some(500.0), 3, Some(3.2)),
            ("youtube", 600.0, Some(250.0), 1, Some(2.4)),
            ("instagram", 400.0, Some(100.0), 1, Some(4.0)),
        ]
    );
}

#[test]
fn top_rows_are_the_largest_numerators_ties_by_denominator() {
    let ws = fixture();
    let e = explain(
        &ws,
        &Settings::default(),
        &query(KpiId::Roas, Filter::default()),
    );
    // Revenue: row 2 900; rows 3 and 5 600 each (row 5's cost 250 > row 3's 150, so
    // row 5 first); row 0 400; row 4 100. Row 1 (blank revenue) is not used.
    let order: Vec<(u32, Option<f64>, Option<f64>)> = e
        .top_rows
        .iter()
        .map(|r| (r.row, r.numerator, r.denominator))
        .collect();
    assert_eq!(
        order,
        vec![
            (2, Some(900.0), Some(300.0)),
            (5, Some(600.0), Some(250.0)),
            (3, Some(600.0), Some(150.0)),
            (0, Some(400.0), Some(100.0)),
            (4, Some(100.0), Some(50.0)),
        ]
    );
    let third = &e.top_rows[2];
    assert_eq!(third.post_id, "p4,\"q\"");
    assert_eq!(
        (
            third.platform.as_str(),
            third.campaign.as_str(),
            third.creator.as_str()
        ),
        ("tiktok", "C2", "=K5")
    );
    assert_eq!(third.link, "/campaigns/C2?post=p4,\"q\"");
    assert_eq!(third.day, parse_iso_day("2025-03-10"));
}

#[test]
fn the_rows_csv_escapes_cells_and_names_its_settings() {
    let ws = fixture();
    let q = query(KpiId::Roas, Filter::default());
    let csv = kpi_dash::display::explain::rows_csv(&ws, &Settings::default(), &q);
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "# KPI: ROAS (roas)");
    assert!(lines.contains(&"# Formula: Σrevenue / Σcost"), "{lines:?}");
    assert!(lines.contains(&"# Date range: all dates"));
    assert!(lines.contains(&"# Used: 5 posts rows"));
    assert!(lines.contains(&"# Excluded: 1 posts rows: 1 no value in revenue"));
    let header = lines
        .iter()
        .position(|l| l.starts_with("platform,"))
        .unwrap();
    assert_eq!(
        lines[header],
        "platform,date,post_id,campaign_id,creator_id,format,revenue,cost,numerator,denominator"
    );
    let rows = &lines[header + 1..];
    // The five used rows in row order; row 3's id quoted with its quotes doubled, its
    // creator id formula-neutralized.
    assert_eq!(rows.len(), 5);
    assert_eq!(
        rows[0],
        "instagram,2025-03-01,p1,C1,K1,reel,400,100,400,100"
    );
    assert_eq!(
        rows[2],
        "tiktok,2025-03-10,\"p4,\"\"q\"\"\",C2,'=K5,video,600,150,600,150"
    );
    assert_eq!(rows[3], "tiktok,,p5,C2,K2,video,100,50,100,50");
    // FTC compliance names its two counts apart.
    let csv = kpi_dash::display::explain::rows_csv(
        &ws,
        &Settings::default(),
        &query(KpiId::FtcCompliance, Filter::default()),
    );
    assert!(csv.contains(
        "\nplatform,date,post_id,campaign_id,creator_id,format,disclosed_posts,disclosure_known_posts,numerator,denominator\n"
    ));
    // Row 1 (known, not disclosed): 0 of 1.
    assert!(
        csv.contains("\ninstagram,2025-03-02,p2,C1,K1,reel,0,1,0,1\n"),
        "{csv}"
    );
}

#[test]
fn explain_answers_cross_as_json() {
    let ws = fixture();
    let settings = Settings::default();
    for q in [
        query(KpiId::Roas, Filter::default()),
        ExplainQuery {
            rejected_at_load: 3,
            ..query(
                KpiId::EngagementRate,
                Filter {
                    from: parse_iso_day("2025-03-01"),
                    to: parse_iso_day("2025-03-31"),
                    ..Filter::default()
                },
            )
        },
        query(KpiId::BrandRecallLift, Filter::default()),
    ] {
        let question = Question::Explain(q.clone());
        let sent: Question =
            serde_json::from_str(&serde_json::to_string(&question).unwrap()).unwrap();
        let a = answer(&ws, &settings, &sent);
        let Answer::Explain(e) = &a else {
            panic!("not an explanation")
        };
        assert_eq!(e.kpi, q.kpi);
        let (json, reasons) = answer_to_json(&a).unwrap();
        assert_eq!(answer_from_json(&json, &reasons).unwrap(), a);
        // Small: no rows in bulk.
        assert!(json.len() < 20_000, "{} bytes", json.len());
        let rows = answer(&ws, &settings, &Question::ExplainRows(q));
        let (json, reasons) = answer_to_json(&rows).unwrap();
        assert_eq!(answer_from_json(&json, &reasons).unwrap(), rows);
        let Answer::Text(csv) = rows else {
            panic!("not a text")
        };
        assert!(csv.contains("# KPI: "));
    }
}

#[test]
fn campaign_level_kpis_count_campaigns() {
    let mut ws = fixture();
    // C3 has no budget, dates or survey; C4 has no posts.
    let campaigns = "campaign_id,name,start_date,end_date,budget,awareness_pre,awareness_post\n\
                     C1,One,2025-03-01,2025-03-10,1000,0.2,0.3\n\
                     C2,Two,2025-03-01,2025-03-20,500,0.4,0.5\n\
                     C3,Three,,,,,\n\
                     C4,Four,2025-03-01,2025-03-20,500,0.1,0.2\n";
    load(
        &mut ws,
        "campaigns.csv",
        campaigns.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    let settings = Settings {
        as_of: parse_iso_day("2025-03-05"),
        ..Settings::default()
    };
    let e = explain(
        &ws,
        &settings,
        &query(KpiId::BudgetPacing, Filter::default()),
    );
    // As of 5 March: C1 planned 1000 × 5/10 = 500, C2 500 × 5/20 = 125; 625 in all.
    // Σcost of their rows: C1 100 + 200 = 300, C2 300 + 150 + 50 = 500; 800 in all.
    assert_eq!(part(&e, PartRole::Numerator), 800.0);
    assert_eq!(part(&e, PartRole::Denominator), 625.0);
    assert_eq!(e.value, KpiValue::Value(800.0 / 625.0));
    assert_eq!(e.coverage.unit, "campaigns");
    // Used C1 and C2; C3 (in view) lacks a budget; C4 has no posts in view.
    assert_eq!(e.coverage.used, 2);
    assert_eq!(excluded(&e, &ExcludeReason::FilteredOut), 1);
    assert_eq!(e.coverage.used + e.coverage.excluded_total(), 4);
    assert!(e
        .settings_used
        .contains(&("As of".into(), "2025-03-05 (Settings)".into())));
    assert!(!e.additive);
    let e = explain(
        &ws,
        &settings,
        &query(KpiId::BrandRecallLift, Filter::default()),
    );
    // C1 (0.3 − 0.2) / 0.2 = 0.5, C2 (0.5 − 0.4) / 0.4 = 0.25: mean 0.375 over 2.
    assert!(close(part(&e, PartRole::Mean), 0.375));
    assert_eq!(part(&e, PartRole::Count), 2.0);
    assert!(close(e.value.value().unwrap(), 0.375));
}

#[test]
fn overflowing_sums_still_cross_as_json() {
    // 1e308 + 1e308 overflows to infinity: no part or row may carry it into JSON.
    let csv = "platform,date,post_id,campaign_id,impressions,likes,revenue,cost\n\
               tiktok,2025-03-01,p1,C1,1e308,1e308,1e308,1\n\
               tiktok,2025-03-02,p2,C1,1e308,1e308,1e308,1\n";
    let mut ws = Workspace::default();
    load(
        &mut ws,
        "posts.csv",
        csv.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    for kpi in KpiId::ALL {
        let a = answer(
            &ws,
            &Settings::default(),
            &Question::Explain(query(kpi, Filter::default())),
        );
        let (json, reasons) = answer_to_json(&a).unwrap();
        assert_eq!(answer_from_json(&json, &reasons).unwrap(), a, "{kpi}");
    }
    // (The engine's own Σimpressions card is infinite here: the explanation says n/a.)
    let e = explain(
        &ws,
        &Settings::default(),
        &query(KpiId::Impressions, Filter::default()),
    );
    assert!(e.value.value().is_none());
}

#[test]
fn an_empty_workspace_explains_every_kpi_as_na() {
    let ws = Workspace::default();
    for kpi in KpiId::ALL {
        let q = ExplainQuery {
            rejected_at_load: 4,
            ..query(kpi, Filter::default())
        };
        let e = explain(&ws, &Settings::default(), &q);
        assert!(
            matches!(&e.value, KpiValue::NotAvailable { reason } if !reason.is_empty()),
            "{kpi}: {:?}",
            e.value
        );
        assert_eq!(e.coverage.used, 0, "{kpi}");
        assert!(e.top_rows.is_empty());
        let csv = kpi_dash::display::explain::rows_csv(&ws, &Settings::default(), &q);
        assert!(csv.contains("# Value: n/a ("), "{kpi}: {csv}");
    }
}

/// Every KPI's parts give its value on the demo: ratios Σnumerator / Σdenominator (× 1000
/// for CPM), totals their total, per-campaign totals over the campaign count, EMV the sum
/// of its terms, means their mean. Prints the ROAS explanation for the closing note.
#[test]
fn on_the_demo_every_kpi_is_its_parts() {
    let ws = demo::generate(DEMO_SEED);
    let settings = Settings::default();
    let mut checked = 0;
    for kpi in KpiId::ALL {
        let e = explain(&ws, &settings, &query(kpi, Filter::default()));
        let Some(value) = e.value.value() else {
            continue;
        };
        let get = |role| e.parts.iter().find(|p| p.role == role).map(|p| p.value);
        let from_parts = match (
            get(PartRole::Numerator),
            get(PartRole::Denominator),
            get(PartRole::Total),
            get(PartRole::Count),
            get(PartRole::Mean),
        ) {
            (Some(n), Some(d), _, _, _) if kpi == KpiId::Cpm => 1000.0 * n / d,
            (Some(n), Some(d), _, _, _) => n / d,
            (_, _, Some(t), Some(c), _) if kpi.def().formula.contains("campaign") => t / c,
            (_, _, Some(t), _, _) => t,
            (_, _, _, _, Some(m)) => m,
            parts => panic!("{kpi}: no parts to check: {parts:?}"),
        };
        assert!(
            close(value, from_parts),
            "{kpi}: value {value}, parts {from_parts} ({:?})",
            e.parts
        );
        if e.coverage.unit == "posts rows" {
            assert_eq!(
                e.coverage.used + e.coverage.excluded_total(),
                ws.posts.len() as u64,
                "{kpi}"
            );
        }
        println!("{kpi}: {value} from {:?} ({})", e.parts, e.coverage.unit);
        checked += 1;
    }
    assert!(checked > 25, "only {checked} KPIs checked");
    let e = explain(&ws, &settings, &query(KpiId::Roas, Filter::default()));
    println!(
        "demo ROAS {:?} = {} {} / {} over {} of {} posts rows; excluded {:?}",
        e.value,
        e.formula,
        part(&e, PartRole::Numerator),
        part(&e, PartRole::Denominator),
        e.coverage.used,
        ws.posts.len(),
        e.coverage.excluded
    );
    println!("top row: {:?}", e.top_rows.first());
    // Every demo row has revenue and cost: the parts are the columns' own sums.
    assert!(close(
        part(&e, PartRole::Numerator),
        ws.posts.sum(Measure::Revenue)
    ));
    assert!(close(
        part(&e, PartRole::Denominator),
        ws.posts.sum(Measure::Cost)
    ));
}

/// The benchmark's large workspace of `posts` posts.
fn large(posts: usize) -> Workspace {
    let scenario = demo::large_scenario(DEMO_SEED, posts);
    let mut ws = Workspace::default();
    let mut stream = scenario.posts();
    for row in stream.by_ref() {
        ws.posts.push(&row);
    }
    ws.campaigns = scenario.campaign_rows(stream.spend());
    ws.creators = scenario.creator_rows();
    ws
}

/// `EXPLAIN_POSTS=1000000 cargo test --release --offline --test explain -- --ignored
/// --nocapture`: the time of one explanation (the engine's results memoised, as after
/// the cards were drawn) and of the rows CSV, and the explanation's JSON size.
#[test]
#[ignore]
fn explain_time_on_large_workspaces() {
    let posts = std::env::var("EXPLAIN_POSTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let ws = large(posts);
    let settings = Settings::default();
    let last = ws.posts.date_span().unwrap().1;
    let filter = Filter {
        from: Some(last - 89),
        to: Some(last),
        ..Filter::default()
    };
    for kpi in [KpiId::Roas, KpiId::EngagementRate, KpiId::Emv] {
        let q = query(kpi, filter.clone());
        compute(&ws, &q.filter, &settings, q.granularity);
        let start = std::time::Instant::now();
        let e = explain(&ws, &settings, &q);
        let explained = start.elapsed();
        let start = std::time::Instant::now();
        let csv = kpi_dash::display::explain::rows_csv(&ws, &settings, &q);
        let exported = start.elapsed();
        let (json, _) = answer_to_json(&Answer::Explain(std::sync::Arc::new(e.clone()))).unwrap();
        println!(
            "{posts} posts, {kpi}: explain {explained:?} ({} bytes of JSON, {} contributions, {} used), rows CSV {exported:?} ({} bytes)",
            json.len(),
            e.contributions.len(),
            e.coverage.used,
            csv.len()
        );
        assert_eq!(e.coverage.used + e.coverage.excluded_total(), posts as u64);
    }
}
