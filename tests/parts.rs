//! The ratio parts of each KPI ([`ratio_parts`]) give the engine's value: overall, for
//! every group and for every period, under each engagement-rate denominator, on the
//! demo and on a file with blank cells.

use kpi_dash::data::calendar::Granularity;
use kpi_dash::data::demo::{self, DEMO_SEED};
use kpi_dash::data::ingest::{load, LoadOptions};
use kpi_dash::data::store::Workspace;
use kpi_dash::metrics::engine::{compute, Dimension, Filter, KpiSet, KpiValue, Results, Sums};
use kpi_dash::metrics::parts::ratio_parts;
use kpi_dash::metrics::registry::{registry, KpiId};
use kpi_dash::metrics::settings::{ErDenominator, Settings};

/// Every ratio KPI of `kpis` equals its parts over `sums` (to 1e-12, relative), and
/// is n/a exactly where the parts' denominator is 0. Returns how many were checked.
fn check(r: &Results, sums: &Sums, kpis: &KpiSet, settings: &Settings, scope: &str) -> usize {
    let mut checked = 0;
    for def in registry() {
        let Some(parts) = ratio_parts(def, settings, r.measures) else {
            continue;
        };
        let sums = match parts.platform {
            Some(key) => match r.group(Dimension::Platform, key) {
                Some(g) if sums == &r.overall_sums => &g.sums,
                _ => continue,
            },
            None => sums,
        };
        let engine = kpis.get(def.id).value();
        let from_parts = parts.value(sums);
        match (engine, from_parts) {
            (Some(a), Some(b)) => {
                assert!(
                    (a - b).abs() <= 1e-12 * a.abs().max(1.0),
                    "{scope} {}: engine {a}, parts {b}",
                    def.id
                );
                checked += 1;
            }
            (None, None) => {}
            (a, b) => panic!("{scope} {}: engine {a:?}, parts {b:?}", def.id),
        }
    }
    checked
}

fn check_all(ws: &Workspace, settings: &Settings) -> usize {
    let r = compute(ws, &Filter::default(), settings, Granularity::Month);
    let mut n = check(&r, &r.overall_sums, &r.overall, settings, "overall");
    for g in &r.groups {
        let scope = format!("{}:{}", g.dimension.name(), g.key);
        n += check(&r, &g.sums, &g.kpis, settings, &scope);
    }
    for p in &r.periods {
        n += check(&r, &p.sums, &p.kpis, settings, &p.label);
    }
    n
}

#[test]
fn every_ratio_kpi_equals_its_parts_on_the_demo() {
    let ws = demo::generate(DEMO_SEED);
    for er in [
        ErDenominator::Reach,
        ErDenominator::Impressions,
        ErDenominator::Followers,
    ] {
        let settings = Settings {
            er_denominator: er,
            ..Settings::default()
        };
        let checked = check_all(&ws, &settings);
        assert!(checked > 500, "{er:?}: only {checked} values checked");
    }
}

#[test]
fn every_ratio_kpi_equals_its_parts_with_blank_cells() {
    // p2 has no reach, p3 no cost, p4 no likes: each ratio uses only its rows.
    let csv = "platform,date,post_id,campaign_id,creator_id,impressions,reach,likes,comments,clicks,conversions,revenue,cost\n\
               tiktok,2025-02-10,p1,C1,K1,1000,800,40,4,10,2,300,100\n\
               tiktok,2025-02-11,p2,C1,K1,2000,,60,6,30,3,500,100\n\
               youtube,2025-03-05,p3,C2,K2,1500,900,20,2,12,1,80,\n\
               youtube,2025-03-06,p4,C2,K2,500,400,,1,5,0,0,50\n";
    let mut ws = Workspace::default();
    load(
        &mut ws,
        "posts.csv",
        csv.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    let checked = check_all(&ws, &Settings::default());
    assert!(checked > 50, "only {checked} values checked");
}

#[test]
fn a_total_that_overflows_is_na_not_infinite() {
    // 1e308 + 1e308 is infinite in f64: impressions and reach are n/a saying so.
    let csv = "platform,date,post_id,impressions,reach\n\
               tiktok,2025-03-01,p1,1e308,1e308\n\
               tiktok,2025-03-02,p2,1e308,1e308\n";
    let mut ws = Workspace::default();
    load(
        &mut ws,
        "posts.csv",
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
    for id in [KpiId::Impressions, KpiId::Reach] {
        let value = r.overall.get(id);
        assert!(
            matches!(&value, KpiValue::NotAvailable { reason } if reason.contains("overflowed")),
            "{id}: {value:?}"
        );
    }
}

#[test]
fn day_sums_are_the_engines_day_periods() {
    use kpi_dash::metrics::engine::day_sums;
    // The demo (complete columns) and a file with blank cells (rows that lack measures
    // split each day's sums into parts): the light pass gives each day's sums as the
    // engine's day periods do, and each ratio's parts over them agree.
    let blank = "platform,date,post_id,impressions,reach,likes,revenue,cost\n\
                 tiktok,2025-02-10,p1,1000,800,40,300,100\n\
                 tiktok,2025-02-10,p2,2000,,60,500,\n\
                 youtube,2025-02-11,p3,1500,900,,80,20\n\
                 youtube,,p4,500,400,5,0,50\n";
    let mut with_blanks = Workspace::default();
    load(
        &mut with_blanks,
        "p.csv",
        blank.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    let demo = demo::generate(DEMO_SEED);
    for ws in [&demo, &with_blanks] {
        let span = ws.posts.date_span().unwrap();
        let filter = Filter {
            from: Some(span.1 - 40),
            to: Some(span.1),
            ..Filter::default()
        };
        let settings = Settings::default();
        let r = compute(ws, &filter, &settings, Granularity::Day);
        let days = day_sums(ws, &filter);
        assert_eq!(days.len(), r.periods.len());
        for ((day, sums), period) in days.iter().zip(&r.periods) {
            assert_eq!(*day, period.start);
            assert_eq!(sums.rows, period.sums.rows);
            for def in registry() {
                let Some(parts) = ratio_parts(def, &settings, r.measures) else {
                    continue;
                };
                // The same rows, summed in another order: equal to rounding.
                let (a, b) = (parts.of(sums), parts.of(&period.sums));
                let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * x.abs().max(1.0);
                assert!(
                    a.rows == b.rows
                        && close(a.numerator, b.numerator)
                        && close(a.denominator, b.denominator),
                    "{} {}: {a:?} vs {b:?}",
                    period.label,
                    def.id
                );
            }
        }
    }
}
