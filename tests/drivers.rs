//! Why a KPI moved and whether the move is real: the mix/rate split of a ratio's change
//! between two windows ([`kpi_dash::metrics::drivers`]), the variation flag beside each
//! period-over-period change ([`kpi_dash::metrics::variation`]), and their words.

use kpi_dash::data::calendar::{parse_iso_day, Granularity};
use kpi_dash::data::demo::{self, DEMO_SEED};
use kpi_dash::data::ingest::{load, LoadOptions};
use kpi_dash::data::store::Workspace;
use kpi_dash::display::questions::{
    answer, answer_from_json, answer_to_json, comparison, Answer, Question,
};
use kpi_dash::metrics::drivers::{decompose, drivers, Driver};
use kpi_dash::metrics::engine::{Dimension, Filter};
use kpi_dash::metrics::parts::RatioSums;
use kpi_dash::metrics::registry::KpiId;
use kpi_dash::metrics::settings::Settings;
use kpi_dash::metrics::trend::CompareMode;
use kpi_dash::metrics::variation::Verdict;

fn sums(numerator: f64, denominator: f64) -> RatioSums {
    RatioSums {
        numerator,
        denominator,
        rows: 1,
    }
}

#[test]
fn mix_and_rate_add_up_exactly_on_a_hand_worked_example() {
    // ROAS by platform. Before: A 300/100 (r 3), B 100/100 (r 1): R0 = 400/200 = 2,
    // shares 0.5 and 0.5. After: A 600/150 (r 4), B 25/50 (r 0.5): R1 = 625/200 =
    // 3.125, shares 0.75 and 0.25. Change 1.125; average R (2 + 3.125)/2 = 2.5625.
    // A: mix = (0.75 − 0.5)·((3 + 4)/2 − 2.5625) = 0.25·0.9375 = 0.234375,
    //    rate = (4 − 3)·(0.5 + 0.75)/2 = 0.625.
    // B: mix = (0.25 − 0.5)·((1 + 0.5)/2 − 2.5625) = −0.25·−1.8125 = 0.453125,
    //    rate = (0.5 − 1)·(0.5 + 0.25)/2 = −0.1875.
    // Σ = 0.234375 + 0.625 + 0.453125 − 0.1875 = 1.125, every number dyadic (exact).
    let d = decompose(
        KpiId::Roas,
        Dimension::Platform,
        1.0,
        &[
            ("a".into(), sums(300.0, 100.0), sums(600.0, 150.0)),
            ("b".into(), sums(100.0, 100.0), sums(25.0, 50.0)),
        ],
    )
    .unwrap();
    assert_eq!((d.before, d.after), (2.0, 3.125));
    let a = &d.drivers[0];
    let b = &d.drivers[1];
    assert_eq!((a.key.as_str(), a.mix, a.rate), ("a", 0.234375, 0.625));
    assert_eq!((b.key.as_str(), b.mix, b.rate), ("b", 0.453125, -0.1875));
    assert_eq!(a.share, (0.5, 0.75));
    let total: f64 = d.drivers.iter().map(Driver::total).sum();
    assert_eq!(total, d.after - d.before);
    assert_eq!(total, 1.125);
}

#[test]
fn on_the_demo_the_effects_add_up_to_each_change() {
    let ws = demo::generate(DEMO_SEED);
    let settings = Settings::default();
    let filter = Filter::default();
    let c = comparison(
        &ws,
        &filter,
        CompareMode::PreviousPeriod,
        &settings,
        Granularity::Month,
    )
    .unwrap();
    let mut checked = 0;
    for kpi in [
        KpiId::Roas,
        KpiId::EngagementRate,
        KpiId::Ctr,
        KpiId::Cpa,
        KpiId::Cpm,
        KpiId::ConversionRate,
        KpiId::Impressions,
        KpiId::Reach,
    ] {
        for dimension in Dimension::ALL {
            let d = drivers(
                &ws,
                &settings,
                &filter,
                CompareMode::PreviousPeriod,
                Granularity::Month,
                kpi,
                dimension,
            )
            .unwrap_or_else(|| panic!("{kpi} by {dimension:?} has drivers"));
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0);
            // The groups' sums give the overall values…
            let now = c.current.overall.get(kpi).value().unwrap();
            let before = c.previous.overall.get(kpi).value().unwrap();
            assert!(
                close(d.after, now),
                "{kpi} {dimension:?}: {} vs {now}",
                d.after
            );
            assert!(close(d.before, before), "{kpi} {dimension:?}");
            // …and the effects add up to the change.
            let total: f64 = d.drivers.iter().map(Driver::total).sum();
            assert!(
                close(total, d.change()),
                "{kpi} {dimension:?}: Σ {total} vs {}",
                d.change()
            );
            assert!(d
                .drivers
                .windows(2)
                .all(|w| w[0].total().abs() >= w[1].total().abs()));
            checked += 1;
        }
    }
    assert_eq!(checked, 32);
    // A KPI that is neither a ratio of posts sums nor a total has no split.
    let emv = drivers(
        &ws,
        &settings,
        &filter,
        CompareMode::PreviousPeriod,
        Granularity::Month,
        KpiId::Emv,
        Dimension::Platform,
    );
    assert!(emv.is_none());
}

#[test]
fn the_drivers_question_crosses_as_json() {
    let ws = demo::generate(DEMO_SEED);
    let question = Question::Drivers {
        filter: Filter::default(),
        compare: CompareMode::PreviousPeriod,
        granularity: Granularity::Month,
        kpi: KpiId::Roas,
        dimension: Dimension::Platform,
    };
    let sent: Question = serde_json::from_str(&serde_json::to_string(&question).unwrap()).unwrap();
    let a = answer(&ws, &Settings::default(), &sent);
    let Answer::Drivers(Some(d)) = &a else {
        panic!("the demo's ROAS has drivers")
    };
    assert_eq!(d.dimension, Dimension::Platform);
    assert_eq!(d.denominator, "cost");
    let (json, reasons) = answer_to_json(&a).unwrap();
    assert_eq!(answer_from_json(&json, &reasons).unwrap(), a);
    // A comparison's variation flags cross too.
    let c = answer(
        &ws,
        &Settings::default(),
        &Question::Comparison {
            filter: Filter::default(),
            compare: CompareMode::PreviousPeriod,
            granularity: Granularity::Month,
        },
    );
    let (json, reasons) = answer_to_json(&c).unwrap();
    assert_eq!(answer_from_json(&json, &reasons).unwrap(), c);
    let Answer::Comparison(Some(c)) = c else {
        panic!("the demo has a comparison")
    };
    assert!(c.variation(KpiId::Roas).is_some());
    assert!(c.current.periods.is_empty() && c.current.groups.is_empty());
}

/// A posts file of one post a day: `(date, revenue, cost, impressions)`.
fn daily(rows: &[(String, f64, f64, f64)]) -> Workspace {
    let mut csv = String::from("platform,date,revenue,cost,impressions\n");
    for (date, revenue, cost, impressions) in rows {
        csv.push_str(&format!("tiktok,{date},{revenue},{cost},{impressions}\n"));
    }
    let mut ws = Workspace::default();
    load(
        &mut ws,
        "posts.csv",
        csv.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    ws
}

/// The comparison of `from..=to` (ISO days) with the period before.
fn compare(ws: &Workspace, from: &str, to: &str) -> kpi_dash::display::questions::Comparison {
    let filter = Filter {
        from: parse_iso_day(from),
        to: parse_iso_day(to),
        ..Filter::default()
    };
    comparison(
        ws,
        &filter,
        CompareMode::PreviousPeriod,
        &Settings::default(),
        Granularity::Month,
    )
    .unwrap()
}

fn march(day: usize) -> String {
    format!("2025-03-{day:02}")
}

#[test]
fn the_z_of_a_tiny_seven_and_seven_day_example() {
    // Cost 1 a day. 1–7 March revenue 1, 3, 1, 3, 1, 3, 2: q0 = 14/7 = 2, residuals
    // 1+1+1+1+1+1+0 = 6, v0 = 7/6 · 6 / 7² = 1/7. 8–14 March revenue 3, 5, 3, 5, 3, 5,
    // 4: q1 = 28/7 = 4, the same residuals, v1 = 1/7. z = (4 − 2)/√(2/7) = √14 ≈ 3.74.
    let before = [1.0, 3.0, 1.0, 3.0, 1.0, 3.0, 2.0];
    let rows: Vec<_> = (0..14)
        .map(|i| {
            let revenue = if i < 7 {
                before[i]
            } else {
                before[i - 7] + 2.0
            };
            (march(i + 1), revenue, 1.0, 100.0)
        })
        .collect();
    let c = compare(&daily(&rows), "2025-03-08", "2025-03-14");
    let v = c.variation(KpiId::Roas).unwrap();
    assert_eq!((v.days_before, v.days_after), (7, 7));
    assert_eq!(v.verdict, Verdict::Real);
    assert!((v.z.unwrap() - 14f64.sqrt()).abs() < 1e-12, "{:?}", v.z);
    // Impressions 100 every day in both windows: no variation and no change.
    let flat = c.variation(KpiId::Impressions).unwrap();
    assert_eq!((flat.verdict, flat.z), (Verdict::Normal, None));
}

#[test]
fn a_flat_series_is_normal_and_a_jump_is_real() {
    // 28 days of cost 100 with revenue 198, 200, 202 in turn (ROAS 1.98 to 2.02):
    // 15–28 March against 1–14 March moves by noise only.
    let noise = |i: usize| [198.0, 200.0, 202.0][i % 3];
    let flat: Vec<_> = (0..28)
        .map(|i| (march(i + 1), noise(i), 100.0, 1000.0 + noise(i)))
        .collect();
    let c = compare(&daily(&flat), "2025-03-15", "2025-03-28");
    let v = c.variation(KpiId::Roas).unwrap();
    assert_eq!(v.verdict, Verdict::Normal, "{v:?}");
    assert!(v.z.unwrap().abs() < 2.0);
    assert_eq!(
        c.variation(KpiId::Impressions).unwrap().verdict,
        Verdict::Normal
    );
    // The same with revenue up 50% from the 15th: a real change.
    let jump: Vec<_> = (0..28)
        .map(|i| {
            let revenue = noise(i) * if i >= 14 { 1.5 } else { 1.0 };
            (march(i + 1), revenue, 100.0, 1000.0)
        })
        .collect();
    let c = compare(&daily(&jump), "2025-03-15", "2025-03-28");
    let v = c.variation(KpiId::Roas).unwrap();
    assert_eq!(v.verdict, Verdict::Real, "{v:?}");
    assert!(v.z.unwrap() > 2.0);
}

#[test]
fn five_days_are_too_few_to_tell() {
    // Data on 1–10 March; the window 6–10 March has 5 days with data.
    let rows: Vec<_> = (0..10)
        .map(|i| (march(i + 1), 100.0 + i as f64, 50.0, 10.0))
        .collect();
    let c = compare(&daily(&rows), "2025-03-06", "2025-03-10");
    let v = c.variation(KpiId::Roas).unwrap();
    assert_eq!(
        (v.verdict, v.z, v.days_before, v.days_after),
        (Verdict::TooFewDays, None, 5, 5)
    );
    assert!(v.detail().contains("7 are needed"));
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

/// `cargo test --release --offline --test drivers -- --ignored --nocapture`: the time of
/// one `comparison()` after a filter change on 1M posts (each run a new 90-day window,
/// so the engine's memo never answers), median of 5, against the comparison as it was
/// before the variation flag (both windows at the view's granularity, month), timed in
/// the same sitting, run for run.
#[test]
#[ignore]
fn comparison_time_on_1m_posts() {
    use kpi_dash::metrics::engine::compute;
    let ws = large(1_000_000);
    let last = ws.posts.date_span().unwrap().1;
    let settings = Settings::default();
    let window = |offset: i32| Filter {
        from: Some(last - 89 - offset),
        to: Some(last - offset),
        ..Filter::default()
    };
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for i in 0..6 {
        // The comparison before: the two windows' results at the month granularity.
        let w = kpi_dash::metrics::trend::compare_window(
            &ws,
            &window(2 * i),
            CompareMode::PreviousPeriod,
        )
        .unwrap();
        let start = std::time::Instant::now();
        let old = (
            compute(&ws, &w.current, &settings, Granularity::Month),
            compute(&ws, &w.previous, &settings, Granularity::Month),
        );
        let old_ms = start.elapsed().as_secs_f64() * 1000.0;
        std::hint::black_box(old);
        let start = std::time::Instant::now();
        let c = comparison(
            &ws,
            &window(2 * i + 1),
            CompareMode::PreviousPeriod,
            &settings,
            Granularity::Month,
        );
        let new_ms = start.elapsed().as_secs_f64() * 1000.0;
        assert!(c.is_some_and(|c| c.variation(KpiId::Roas).is_some()));
        // The first run warms up; the next five are timed.
        if i > 0 {
            before.push(old_ms);
            after.push(new_ms);
        }
    }
    before.sort_by(f64::total_cmp);
    after.sort_by(f64::total_cmp);
    println!(
        "comparison() on 1M posts, median of 5: before {:.1} ms {before:.1?}, after {:.1} ms {after:.1?}",
        before[2], after[2]
    );
}

#[test]
fn the_demo_monthly_reports_roas_split_adds_up() {
    use kpi_dash::display::format::NumberStyle;
    use kpi_dash::display::report::{build_report, Cadence};
    let ws = demo::generate(DEMO_SEED);
    let r = build_report(
        &ws,
        &Filter::default(),
        &Settings::default(),
        Cadence::Monthly,
    )
    .unwrap();
    let roas = r
        .drivers
        .iter()
        .find(|d| d.drivers.kpi == KpiId::Roas)
        .expect("the demo's monthly ROAS has drivers");
    let d = &roas.drivers;
    let shown = r.kpis.iter().find(|k| k.def.id == KpiId::Roas).unwrap();
    assert!((d.after - shown.current.value().unwrap()).abs() < 1e-12);
    assert!((d.before - shown.previous.value().unwrap()).abs() < 1e-12);
    let total: f64 = d.drivers.iter().map(Driver::total).sum();
    assert!(
        (total - d.change()).abs() < 1e-12,
        "Σ {total} vs {}",
        d.change()
    );
    println!("{}", roas.sentence(&NumberStyle::default()));
    println!(
        "ROAS {} → {} (change {}), by {}: Σ(mix + rate) = {total}",
        d.before,
        d.after,
        d.change(),
        d.dimension.name()
    );
    // The sums behind it, to check by hand.
    for (label, range) in [("before", r.period.previous), ("after", r.period.current)] {
        let f = Filter {
            from: Some(range.0),
            to: Some(range.1),
            ..Filter::default()
        };
        let res =
            kpi_dash::metrics::engine::compute(&ws, &f, &Settings::default(), Granularity::Month);
        for g in res.groups_of(d.dimension) {
            use kpi_dash::data::schema::Measure;
            println!(
                "  {label} {}: revenue {} cost {}",
                g.key,
                g.sums.get(Measure::Revenue),
                g.sums.get(Measure::Cost)
            );
        }
    }
    for (g, name) in d.drivers.iter().zip(&roas.names) {
        println!(
            "  {name} ({}): mix {:+.6} rate {:+.6} total {:+.6} share {:.4} → {:.4}",
            g.key,
            g.mix,
            g.rate,
            g.total(),
            g.share.0,
            g.share.1
        );
    }
}
