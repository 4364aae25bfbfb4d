//! Money in its own currency: a file's currency comes from a `Currency` column or the
//! symbols beside its amounts, the workspace keeps the first one, and two currencies are
//! never summed as one (converted with a given rate, or left out with a reason).

use kpi_dash::data::calendar::Granularity;
use kpi_dash::data::ingest::{load, LoadOptions};
use kpi_dash::data::schema::Measure;
use kpi_dash::data::store::Workspace;
use kpi_dash::metrics::engine::{compute, Coverage, Filter};
use kpi_dash::metrics::registry::KpiId;
use kpi_dash::metrics::settings::Settings;

const MIXED: &str = "\
platform,date,post_id,revenue,cost,currency
instagram,2025-03-01,a1,100,20,EUR
instagram,2025-03-02,a2,50,10,USD
instagram,2025-03-03,a3,30,,EUR
";

fn roas(ws: &Workspace) -> (Option<f64>, Option<Coverage>) {
    let r = compute(
        ws,
        &Filter::default(),
        &Settings::default(),
        Granularity::Month,
    );
    (
        r.overall.get(KpiId::Roas).value(),
        r.overall.coverage(KpiId::Roas),
    )
}

#[test]
fn rows_in_another_currency_are_left_out_without_a_rate() {
    let mut ws = Workspace::default();
    let report = load(
        &mut ws,
        "mixed.csv",
        MIXED.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (3, 3, 0)
    );
    // The first row's currency is the file's, and the workspace's.
    assert_eq!(report.currency.as_deref(), Some("EUR"));
    assert_eq!(ws.currency.as_deref(), Some("EUR"));
    // a2 is in USD: its amounts are left out, listed on its line (3).
    let issue = report
        .issues
        .iter()
        .find(|i| i.line == 3)
        .expect("line 3 listed");
    assert!(!issue.row_rejected);
    assert!(
        issue.reason().starts_with("amounts in USD"),
        "{}",
        issue.reason()
    );
    assert!(report
        .notices
        .iter()
        .any(|n| n.starts_with("1 rows are in USD")));
    // Revenue 100 + 30 = 130 EUR; cost 20 (a1). ROAS over the rows with both: a1's
    // 100 / 20 = 5, over 1 of 3 rows.
    assert_eq!(ws.posts.sum(Measure::Revenue), 130.0);
    assert_eq!(ws.posts.sum(Measure::Cost), 20.0);
    assert_eq!(roas(&ws), (Some(5.0), Some(Coverage { used: 1, of: 3 })));
}

#[test]
fn a_rate_converts_another_currency() {
    let options = LoadOptions {
        currency_rates: vec![("USD".into(), 0.9)],
        ..LoadOptions::default()
    };
    let mut ws = Workspace::default();
    let report = load(&mut ws, "mixed.csv", MIXED.as_bytes(), &options).unwrap();
    assert!(report
        .notices
        .iter()
        .any(|n| n.contains("converted to EUR at 1 USD = 0.9 EUR")));
    // Revenue 100 + 50 × 0.9 + 30 = 175; cost 20 + 10 × 0.9 = 29; ROAS over a1 and a2:
    // (100 + 45) / (20 + 9) = 145 / 29 = 5.
    assert!((ws.posts.sum(Measure::Revenue) - 175.0).abs() < 1e-9);
    assert!((ws.posts.sum(Measure::Cost) - 29.0).abs() < 1e-9);
    let (value, coverage) = roas(&ws);
    assert!((value.unwrap() - 145.0 / 29.0).abs() < 1e-12);
    assert_eq!(coverage, Some(Coverage { used: 2, of: 3 }));
}

#[test]
fn symbols_beside_amounts_give_the_currency_and_a_later_file_is_held_to_it() {
    let mut ws = Workspace::default();
    let euros = "platform,date,post_id,revenue\ninstagram,2025-03-01,b1,€120.00\ninstagram,2025-03-02,b2,80\n";
    let report = load(
        &mut ws,
        "eur.csv",
        euros.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(report.currency.as_deref(), Some("EUR"));
    // b2 states no currency: it is in the file's. 120 + 80 = 200.
    assert_eq!(ws.posts.sum(Measure::Revenue), 200.0);
    // A later file in dollars is not summed with the euros.
    let dollars = "platform,date,post_id,revenue\ninstagram,2025-03-03,c1,$50\n";
    let report = load(
        &mut ws,
        "usd.csv",
        dollars.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(report.currency.as_deref(), Some("EUR"));
    assert_eq!(report.issues.len(), 1);
    assert_eq!(ws.posts.sum(Measure::Revenue), 200.0);
    assert_eq!(ws.posts.rows_with(Measure::Revenue), 2);
    // A file with no currency at all is taken to be in the workspace's.
    let plain = "platform,date,post_id,revenue\ninstagram,2025-03-04,d1,10\n";
    let report = load(
        &mut ws,
        "plain.csv",
        plain.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert!(report.issues.is_empty());
    assert_eq!(ws.posts.sum(Measure::Revenue), 210.0);
}

#[test]
fn shopify_orders_name_their_currency() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/shapes/shopify_orders.csv"
    ))
    .unwrap();
    let mut ws = Workspace::default();
    let report = load(
        &mut ws,
        "shopify_orders.csv",
        &bytes,
        &LoadOptions::default(),
    )
    .unwrap();
    // Every order of the fixture is in EUR: nothing left out, 280.39 of revenue (see
    // tests/ingest_shapes.rs for the sum).
    assert_eq!(report.currency.as_deref(), Some("EUR"));
    assert!((ws.posts.sum(Measure::Revenue) - 280.39).abs() < 1e-9);
    // The workspace document keeps it.
    let doc = kpi_dash::data::json::workspace_document_json(&ws);
    let mut back = Workspace::default();
    load(
        &mut back,
        "workspace.json",
        doc.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(back.currency.as_deref(), Some("EUR"));
}
