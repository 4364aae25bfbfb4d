//! The Settings page's upload choices reach the loader: number locale, ambiguous date
//! order and the duplicate-`post_id` policy.

use kpi_dash::data::calendar::parse_iso_day;
use kpi_dash::data::ingest::{load, DateOrder, DuplicatePolicy, NumberLocale};
use kpi_dash::data::schema::Measure;
use kpi_dash::data::store::Workspace;
use kpi_dash::metrics::settings::Settings;

/// Two rows of the same post: 03/04/2025, impressions "1.000,5" and "2.000".
const CSV: &[u8] = b"post_id;platform;date;impressions\nP1;tiktok;03/04/2025;1.000,5\nP1;tiktok;03/04/2025;2.000\n";

#[test]
fn defaults_read_month_first_dot_decimals_and_keep_the_last_row() {
    let options = Settings::default().import_options();
    assert_eq!(options.date_order, DateOrder::MonthFirst);
    assert_eq!(options.number_locale, NumberLocale::DotDecimal);
    assert_eq!(options.duplicates, DuplicatePolicy::KeepLast);
}

#[test]
fn day_first_comma_decimal_and_sum_are_applied() {
    let settings = Settings {
        date_order: DateOrder::DayFirst,
        number_locale: NumberLocale::CommaDecimal,
        duplicates: DuplicatePolicy::Sum,
        ..Settings::default()
    };
    let mut ws = Workspace::default();
    let report = load(&mut ws, "dupes.csv", CSV, &settings.import_options()).unwrap();
    assert_eq!(report.rows_read, 2);
    assert_eq!(report.rows_read, report.rows_used + report.rows_rejected);
    // Summed into one row: 1,000.5 + 2,000 = 3,000.5 impressions, dated 3 April 2025.
    assert_eq!(ws.posts.measure(Measure::Impressions), &[3000.5]);
    assert_eq!(ws.posts.day, vec![parse_iso_day("2025-04-03").unwrap()]);
}
