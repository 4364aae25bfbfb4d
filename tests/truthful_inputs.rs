//! Nothing lost and nothing that lies (issue 21, items 6 and 7): a file whose rows are
//! all rejected keeps every one of them in its report and in the rejected-rows CSV;
//! 150,000 issues are all kept (the cap is `MAX_ISSUES`, stated in a notice); a link's
//! `to` before its `from` and impossible dates are refused in words; a filter value
//! that names nothing is reported as unknown; imported settings refuse negative
//! targets, inverted ranges and all-zero weights field by field; `1e400` in JSON is
//! one rejected value; negative impressions, reach and budgets are rejected values.

use std::collections::HashMap;

use kpi_dash::data::calendar::{parse_iso_day, DateError};
use kpi_dash::data::error::{LoadErrorKind, RejectKind, ValueError};
use kpi_dash::data::ingest::{load, rejected_rows_csv, LoadOptions};
use kpi_dash::data::json;
use kpi_dash::data::loader::MAX_ISSUES;
use kpi_dash::data::schema::{Measure, TableKind};
use kpi_dash::data::store::Workspace;
use kpi_dash::display::query::{QueryProblem, UnknownValue, ViewQuery};
use kpi_dash::metrics::settings::{SavedSettings, Settings};

fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The sum of measure `m` over the posts and how many rows have it.
fn total(ws: &Workspace, m: Measure) -> (f64, usize) {
    let values: Vec<f64> = (0..ws.posts.len())
        .filter_map(|i| ws.posts.value(m as usize, i))
        .collect();
    (values.iter().sum(), values.len())
}

#[test]
fn an_all_rejected_file_keeps_every_row_in_its_report_and_download() {
    // Five rows, none with a platform (and no platform chosen): lines 2..=6 rejected.
    let csv = b"platform,likes\n,1\n,2\n,3\n,4\n,5\n";
    let mut ws = Workspace::default();
    let error = load(&mut ws, "all_bad.csv", csv, &LoadOptions::default()).unwrap_err();
    // The message still names the first (unchanged) ...
    assert_eq!(
        error.kind,
        LoadErrorKind::AllRejected {
            rows: 5,
            first: Some((2, RejectKind::MissingPlatform)),
        }
    );
    // ... and the report lists all five.
    let report = error.report.as_deref().expect("the refused file's report");
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (5, 0, 5)
    );
    let lines: Vec<usize> = report.issues.iter().map(|i| i.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6]);
    assert!(report.issues.iter().all(|i| i.row_rejected));
    // The download: the header and one line per rejected row.
    let csv = rejected_rows_csv(std::slice::from_ref(report));
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 1 + 5);
    assert_eq!(rows[1], "all_bad.csv,2,platform,,missing platform,true");
    assert_eq!(rows[5], "all_bad.csv,6,platform,,missing platform,true");
    // Nothing reached the workspace.
    assert_eq!(ws.posts.len(), 0);
    // A refused file that was never read has no report.
    let header_only = load(
        &mut ws,
        "h.csv",
        b"platform,likes\n",
        &LoadOptions::default(),
    );
    assert_eq!(header_only.unwrap_err().report, None);
}

#[test]
fn a_hundred_and_fifty_thousand_issues_are_all_kept() {
    // 150,000 rows, each with an unreadable `likes` (a value dropped, the row kept).
    let rows = 150_000;
    let mut csv = String::from("platform,date,likes,views\n");
    for i in 0..rows {
        csv.push_str(&format!("tiktok,2025-01-01,x{i},1\n"));
    }
    let mut ws = Workspace::default();
    let report = load(&mut ws, "many.csv", csv.as_bytes(), &LoadOptions::default()).unwrap();
    assert_eq!(report.rows_used, rows);
    assert_eq!(report.issues.len(), rows);
    // The last one is line 150,001 (the header is line 1).
    assert_eq!(report.issues[rows - 1].line, rows + 1);
    assert!(!report.notices.iter().any(|n| n.contains("were not listed")));
    // Views 1 × 150,000 = 150,000 from every row.
    assert_eq!(total(&ws, Measure::Views), (150_000.0, rows));
    let download = rejected_rows_csv(std::slice::from_ref(&report));
    assert_eq!(download.lines().count(), 1 + rows);
}

#[test]
fn past_the_cap_the_notice_states_it() {
    assert_eq!(MAX_ISSUES, 500_000);
    // Three empty rows past the cap: 500,003 rejected rows and one usable row.
    let mut csv = String::with_capacity(MAX_ISSUES * 3 + 64);
    csv.push_str("platform,likes\ntiktok,1\n");
    for _ in 0..MAX_ISSUES + 3 {
        csv.push_str(",\n");
    }
    let report = load(
        &mut Workspace::default(),
        "cap.csv",
        csv.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(report.rows_rejected, MAX_ISSUES + 3);
    assert_eq!(report.issues.len(), MAX_ISSUES);
    assert!(
        report.notices.iter().any(|n| n
            == "3 more issues were not listed: a file keeps its first 500,000 issues (on this page and in the rejected-rows download)."),
        "{:?}",
        report.notices
    );
}

#[test]
fn to_before_from_is_refused_in_words() {
    let q = query(&[("from", "2025-03-10"), ("to", "2025-03-01")]);
    let errors = ViewQuery::try_parse(|k| q.get(k).cloned()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].key, "to");
    assert_eq!(
        errors[0].reason,
        QueryProblem::EndBeforeStart {
            from: "2025-03-10".into()
        }
    );
    assert_eq!(
        errors[0].message(),
        "The link's end date (to=2025-03-01) was not applied: it is before the start date (2025-03-10). The filter was left as it was."
    );
    // Opened fresh: the start applies, the end is left out (never a reversed range).
    let (fresh, errors) = ViewQuery::parse_or_keep(|k| q.get(k).cloned(), None);
    assert_eq!(errors.len(), 1);
    assert_eq!(fresh.from, parse_iso_day("2025-03-10"));
    assert_eq!(fresh.to, None);
    // With a previous query, the whole link is refused.
    let before = ViewQuery {
        from: parse_iso_day("2025-01-01"),
        ..ViewQuery::default()
    };
    let (kept, _) = ViewQuery::parse_or_keep(|k| q.get(k).cloned(), Some(&before));
    assert_eq!(kept, before);
    // One day (to = from) is a range.
    let one_day = query(&[("from", "2025-03-01"), ("to", "2025-03-01")]);
    assert!(ViewQuery::try_parse(|k| one_day.get(k).cloned()).is_ok());
}

#[test]
fn an_impossible_date_is_refused_in_words() {
    let q = query(&[("from", "2025-02-30")]);
    let errors = ViewQuery::try_parse(|k| q.get(k).cloned()).unwrap_err();
    assert_eq!(errors[0].reason, DateError::NoSuchDate);
    assert_eq!(
        errors[0].message(),
        "The link's start date (from=2025-02-30) was not applied: no such date. The filter was left as it was."
    );
    // 2024 is a leap year, 2025 is not.
    let leap = query(&[("from", "2024-02-29")]);
    assert!(ViewQuery::try_parse(|k| leap.get(k).cloned()).is_ok());
    let not_leap = query(&[("to", "2025-02-29")]);
    assert!(ViewQuery::try_parse(|k| not_leap.get(k).cloned()).is_err());
}

#[test]
fn a_filter_value_that_names_nothing_is_unknown() {
    let q = query(&[("platform", "xyz"), ("campaign", "C1"), ("format", "")]);
    let view = ViewQuery::parse(|k| q.get(k).cloned());
    let known = |key: &str, value: &str| match key {
        "platform" => ["tiktok", "instagram"].contains(&value),
        "campaign" => value == "C1",
        _ => false,
    };
    let unknown = view.unknown_values(known);
    // Only the platform: C1 exists, and a blank format is All.
    assert_eq!(
        unknown,
        [UnknownValue {
            key: "platform",
            value: "xyz".into()
        }]
    );
    assert_eq!(UnknownValue::option_label("xyz"), "unknown: xyz");
    assert_eq!(
        unknown[0].message(),
        "The link's platform \"xyz\" is not in the data: no row matches it, so every KPI is n/a. Pick a platform from the list, or All."
    );
    assert!(ViewQuery::default().unknown_values(|_, _| false).is_empty());
}

#[test]
fn imported_settings_refuse_negative_targets_inverted_ranges_and_zero_weights() {
    let (saved, issues) = SavedSettings::from_json(
        r#"{
            "target_overrides": {
                "cpa": {"AtMost": -5},
                "engagement_rate": {"Range": [0.08, 0.05]},
                "roas": {"AtLeast": 4},
                "audience_growth": {"AtLeast": -0.1}
            },
            "score_weights": {"engagement": 0, "conversion": 0, "brand_fit": 0}
        }"#,
    )
    .unwrap();
    let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "target_overrides.cpa",
            "target_overrides.engagement_rate",
            "score_weights"
        ]
    );
    assert_eq!(
        issues[0].message(),
        "target_overrides.cpa: has a negative number, which this KPI never is; the KPI's default target is used"
    );
    assert_eq!(
        issues[1].message(),
        "target_overrides.engagement_rate: is a range whose low end is above its high end; the KPI's default target is used"
    );
    let s = saved.compute;
    // The valid ones are kept: ROAS ≥ 4, and a fall in audience of at most 10% (a
    // growth may be negative).
    assert_eq!(s.target_overrides.len(), 2);
    assert!(s.target_overrides.contains_key("roas"));
    assert!(s.target_overrides.contains_key("audience_growth"));
    assert_eq!(s.score_weights, Settings::default().score_weights);
}

#[test]
fn a_number_out_of_range_in_imported_settings_is_one_refused_field() {
    let (saved, issues) =
        SavedSettings::from_json(r#"{"alerts": {"roas_min": 1e400, "pacing_max": 1.3}}"#)
            .expect("read field by field, not refused");
    let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(fields, ["alerts.roas_min"]);
    assert_eq!(
        saved.compute.alerts.roas_min,
        Settings::default().alerts.roas_min
    );
    assert_eq!(saved.compute.alerts.pacing_max, 1.3);
}

#[test]
fn one_1e400_in_json_is_a_rejected_value_not_a_refused_file() {
    let text = br#"[
        {"platform": "tiktok", "date": "2025-01-01", "likes": 1e400, "views": 10},
        {"platform": "tiktok", "date": "2025-01-02", "likes": 5, "views": 20}
    ]"#;
    let mut ws = Workspace::default();
    let report = load(&mut ws, "big.json", text, &LoadOptions::default()).unwrap();
    assert_eq!((report.rows_read, report.rows_used), (2, 2));
    assert_eq!(report.issues.len(), 1);
    let issue = &report.issues[0];
    assert_eq!(
        (
            issue.line,
            issue.column.as_deref(),
            issue.raw_value.as_str()
        ),
        (1, Some("likes"), "1e400")
    );
    assert_eq!(issue.kind, RejectKind::ValueDropped(ValueError::TooLarge));
    assert_eq!(
        issue.reason(),
        "a number too large to be a value: value dropped"
    );
    // Likes 5 (the 1e400 is absent, not infinite); views 10 + 20 = 30.
    assert_eq!(total(&ws, Measure::Likes), (5.0, 1));
    assert_eq!(total(&ws, Measure::Views), (30.0, 2));
    // NDJSON the same.
    let nd = b"{\"platform\":\"x\",\"views\":-1e999}\n{\"platform\":\"x\",\"views\":3}\n";
    let report = load(
        &mut Workspace::default(),
        "n.ndjson",
        nd,
        &LoadOptions::default(),
    );
    let report = report.unwrap();
    assert_eq!((report.rows_used, report.issues.len()), (2, 1));
    assert_eq!(report.issues[0].raw_value, "-1e999");
}

#[test]
fn huge_numbers_are_quoted_outside_strings_only() {
    assert_eq!(
        json::quote_huge_numbers(r#"{"a":"1e400","b":1e400,"c":[-2E999,1.5],"d\"1e400":7}"#),
        r#"{"a":"1e400","b":"1e400","c":["-2E999",1.5],"d\"1e400":7}"#
    );
    // `inf` is no number: text, not too large.
    assert_eq!(
        kpi_dash::data::values::parse_number("inf", Default::default()),
        Err(ValueError::NotANumber)
    );
    assert_eq!(
        kpi_dash::data::values::parse_number("1e400", Default::default()),
        Err(ValueError::TooLarge)
    );
}

#[test]
fn negative_impressions_reach_and_budgets_are_rejected_values() {
    let csv = b"platform,date,impressions,reach,likes\n\
        tiktok,2025-01-01,-100,50,-5\n\
        tiktok,2025-01-02,300,-7,10\n";
    let mut ws = Workspace::default();
    let report = load(&mut ws, "neg.csv", csv, &LoadOptions::default()).unwrap();
    assert_eq!((report.rows_used, report.rows_rejected), (2, 0));
    let issues: Vec<(usize, &str, &str)> = report
        .issues
        .iter()
        .map(|i| {
            (
                i.line,
                i.column.as_deref().unwrap_or(""),
                i.raw_value.as_str(),
            )
        })
        .collect();
    assert_eq!(issues, [(2, "impressions", "-100"), (3, "reach", "-7")]);
    assert_eq!(
        report.issues[0].reason(),
        "a negative number, which this column cannot hold: value dropped"
    );
    // Impressions: only line 3's 300; reach: only line 2's 50.
    assert_eq!(total(&ws, Measure::Impressions), (300.0, 1));
    assert_eq!(total(&ws, Measure::Reach), (50.0, 1));
    // Likes −5 + 10 = 5: a negative like is a platform's correction, kept.
    assert_eq!(total(&ws, Measure::Likes), (5.0, 2));

    let campaigns = b"campaign_id,name,budget\nC1,Spring,-500\nC2,Summer,1200\n";
    let options = LoadOptions {
        kind: Some(TableKind::Campaigns),
        ..LoadOptions::default()
    };
    let report = load(&mut ws, "campaigns.csv", campaigns, &options).unwrap();
    assert_eq!(report.rows_used, 2);
    assert_eq!(report.issues.len(), 1);
    assert_eq!(
        (report.issues[0].line, report.issues[0].column.as_deref()),
        (2, Some("budget"))
    );
    let budgets: Vec<Option<f64>> = ws.campaigns.iter().map(|c| c.budget).collect();
    assert_eq!(budgets, [None, Some(1200.0)]);
}

#[test]
fn a_typed_range_whose_end_is_before_its_start_is_refused_in_words() {
    use kpi_dash::display::query::reversed_range_message;
    let (feb1, feb28) = (parse_iso_day("2025-02-01"), parse_iso_day("2025-02-28"));
    assert_eq!(
        reversed_range_message(feb28, feb1).as_deref(),
        Some("The end date 2025-02-01 is before the start date 2025-02-28: not applied. The filter was left as it was.")
    );
    assert_eq!(reversed_range_message(feb1, feb28), None);
    assert_eq!(reversed_range_message(feb1, feb1), None);
    assert_eq!(reversed_range_message(None, feb1), None);
}
