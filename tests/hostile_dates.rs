//! Hostile dates (issue 14, item 5): every date is bounded to 1900-01-01 .. 2200-12-31
//! where it is read (URL query, settings, files), trailing text is refused, and the day
//! arithmetic of calendar, trend, report and entities cannot overflow even for a day
//! that slips past the parsers. These tests run with overflow checks (debug), so an
//! overflow would fail them as a panic; release builds would give silent wrong numbers.

use std::collections::HashMap;

use kpi_dash::data::calendar::{
    self, day_from_ymd, format_day, parse_iso_day, parse_iso_day_checked, weekday, ymd_from_day,
    DateError, Day, Granularity, FIRST_DAY, LAST_DAY, YEARS,
};
use kpi_dash::data::ingest::{load, DateOrder, LoadOptions};
use kpi_dash::data::store::Workspace;
use kpi_dash::data::values::{parse_date, parse_datetime};
use kpi_dash::display::query::{Preset, ViewQuery};
use kpi_dash::display::report::{build_report, Cadence, ReportPeriod};
use kpi_dash::metrics::engine::{compute, Filter};
use kpi_dash::metrics::registry::KpiId;
use kpi_dash::metrics::settings::Settings;
use kpi_dash::metrics::trend::{compare_window, year_earlier, CompareMode};

fn day(s: &str) -> Day {
    parse_iso_day(s).unwrap()
}

fn query(pairs: &[(&str, &str)]) -> Result<ViewQuery, Vec<kpi_dash::display::query::QueryError>> {
    let map: HashMap<&str, &str> = pairs.iter().copied().collect();
    ViewQuery::try_parse(|k| map.get(k).map(|v| v.to_string()))
}

#[test]
fn the_range_is_1900_to_2200() {
    assert_eq!(YEARS, 1900..=2200);
    assert_eq!(format_day(FIRST_DAY), "1900-01-01");
    assert_eq!(format_day(LAST_DAY), "2200-12-31");
    assert_eq!(calendar::range_text(), "1900-01-01 to 2200-12-31");
    assert_eq!(parse_iso_day("1900-01-01"), Some(FIRST_DAY));
    assert_eq!(parse_iso_day("2200-12-31"), Some(LAST_DAY));
    assert_eq!(
        parse_iso_day_checked("1899-12-31"),
        Err(DateError::OutOfRange)
    );
    assert_eq!(
        parse_iso_day_checked("2201-01-01"),
        Err(DateError::OutOfRange)
    );
    assert_eq!(
        DateError::OutOfRange.to_string(),
        "a date outside 1900-01-01 to 2200-12-31"
    );
}

#[test]
fn a_year_past_i32_days_is_refused_not_wrapped() {
    // 9999999-01-01 used to wrap (era * 146_097) to year -1759223, so the filter took
    // every row. Now it is out of range, at parse time.
    assert_eq!(
        parse_iso_day_checked("9999999-01-01"),
        Err(DateError::OutOfRange)
    );
    // Still no wrap below the parser: the day number does not fit a Day, so None.
    assert_eq!(day_from_ymd(9_999_999, 1, 1), None);
    assert_eq!(day_from_ymd(i32::MAX, 12, 31), None);
    assert_eq!(day_from_ymd(i32::MIN, 1, 1), None);
    // Years with more digits than an i64 holds are out of range too, not a parse panic.
    assert_eq!(
        parse_iso_day_checked("99999999999999999999-01-01"),
        Err(DateError::NotIso)
    );
    let errors = query(&[("from", "9999999-01-01")]).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].key, "from");
    assert_eq!(errors[0].reason, DateError::OutOfRange);
    assert_eq!(
        errors[0].message(),
        "The link's start date (from=9999999-01-01) was not applied: a date outside \
         1900-01-01 to 2200-12-31. The filter was left as it was."
    );
}

#[test]
fn a_day_near_the_end_of_i32_formats_without_overflow() {
    // 5879611-07-12 parsed and then every formatted day overflowed (day + 719_468).
    assert_eq!(
        parse_iso_day_checked("5879611-07-12"),
        Err(DateError::OutOfRange)
    );
    assert!(query(&[("to", "5879611-07-12")]).is_err());
    // Below the parser, the arithmetic is in i64: the extreme days round-trip.
    for d in [Day::MAX, Day::MAX - 1, Day::MIN, Day::MIN + 1, 0, -1] {
        let (y, m, dd) = ymd_from_day(d);
        assert_eq!(day_from_ymd(y, m, dd), Some(d), "{d}");
        assert!(weekday(d) < 7);
    }
    // i32::MAX days after 1970-01-01: 2,147,483,647 / 365.2425 ≈ 5,879,610 years on.
    assert_eq!(format_day(Day::MAX), "5881580-07-11");
    assert_eq!(format_day(Day::MIN), "-5877641-06-23");
    for g in Granularity::ALL {
        for d in [Day::MAX, Day::MIN] {
            let start = g.period_start(d);
            assert!(start <= d, "{g:?} {d}");
            let _ = g.label(start);
        }
    }
}

#[test]
fn trailing_text_after_a_date_is_refused() {
    assert_eq!(parse_iso_day_checked("2025-01-12l"), Err(DateError::NotIso));
    for bad in [
        "2025-01-12T00:00",
        "2025-01-123",
        "2025-1-12",
        "2025-01-12-",
        "+2025-01-12",
        "2025-01",
        "",
    ] {
        assert_eq!(parse_iso_day_checked(bad), Err(DateError::NotIso), "{bad}");
    }
    assert_eq!(
        parse_iso_day_checked("2025-02-30"),
        Err(DateError::NoSuchDate)
    );
    // Spaces around the value are no text.
    assert_eq!(parse_iso_day(" 2025-01-12 "), Some(day("2025-01-12")));
    let errors = query(&[("from", "2025-01-01"), ("to", "2025-01-12l")]).unwrap_err();
    assert_eq!(errors[0].key, "to");
    assert!(errors[0]
        .message()
        .contains("not a date of the form YYYY-MM-DD"));
}

#[test]
fn a_link_with_a_bad_date_leaves_the_filter_as_it_was() {
    let map = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<HashMap<String, String>>()
    };
    let before = map(&[("from", "2025-03-01"), ("platform", "tiktok")]);
    let (previous, errors) = ViewQuery::parse_or_keep(|k| before.get(k).cloned(), None);
    assert!(errors.is_empty());
    assert_eq!(previous.from, Some(day("2025-03-01")));
    let hostile = map(&[("from", "9999999-01-01"), ("platform", "youtube")]);
    let (now, errors) = ViewQuery::parse_or_keep(|k| hostile.get(k).cloned(), Some(&previous));
    assert_eq!(errors.len(), 1);
    assert_eq!(now, previous, "the whole link is refused");
    // Opened fresh (nothing to keep): the rest of the link applies, the date is left out.
    let (fresh, errors) = ViewQuery::parse_or_keep(|k| hostile.get(k).cloned(), None);
    assert_eq!(errors.len(), 1);
    assert_eq!(fresh.from, None);
    assert_eq!(fresh.platform, "youtube");
    // Blank dates are no dates, not errors.
    assert_eq!(
        query(&[("from", ""), ("to", "  ")]),
        Ok(ViewQuery::default())
    );
    // A good link still round-trips.
    let q = query(&[("from", "2025-01-01"), ("to", "2025-01-31")]).unwrap();
    assert_eq!(q.to_query_string(), "from=2025-01-01&to=2025-01-31");
}

#[test]
fn a_huge_from_gives_no_garbage_compare_window() {
    // ?from=4999999-01-01&to=2025-01-01 used to give length = to - from + 1 ≈ -1.8e9 and
    // a previous window that wrapped. The link is now refused ...
    assert!(query(&[("from", "4999999-01-01"), ("to", "2025-01-01")]).is_err());
    // ... and if such a day slips past the parser, an inverted window is empty and so
    // is its compare window: previous = (from - 0, from - 1).
    let ws = Workspace::default();
    let from = day_from_ymd(4_999_999, 1, 1).unwrap();
    let to = day("2025-01-01");
    let filter = Filter {
        from: Some(from),
        to: Some(to),
        ..Filter::default()
    };
    let w = compare_window(&ws, &filter, CompareMode::PreviousPeriod).unwrap();
    assert_eq!(w.current.from, Some(from));
    assert_eq!(w.previous.from, Some(from));
    assert_eq!(w.previous.to, Some(from - 1));
    // The widest window: length 2^32 days; previous saturates at Day::MIN, never wraps.
    let widest = Filter {
        from: Some(Day::MIN),
        to: Some(Day::MAX),
        ..Filter::default()
    };
    let w = compare_window(&ws, &widest, CompareMode::PreviousPeriod).unwrap();
    assert_eq!(w.previous.from, Some(Day::MIN));
    assert_eq!(w.previous.to, Some(Day::MIN));
    let w = compare_window(&ws, &widest, CompareMode::YearAgo).unwrap();
    assert!(w.previous.from <= w.current.from);
    assert_eq!(year_earlier(Day::MIN), Day::MIN);
    // An ordinary window is unchanged: 2025-01-01..2025-01-31 (31 days) against the 31
    // days before, 2024-12-01..2024-12-31.
    let jan = Filter {
        from: Some(day("2025-01-01")),
        to: Some(day("2025-01-31")),
        ..Filter::default()
    };
    let w = compare_window(&ws, &jan, CompareMode::PreviousPeriod).unwrap();
    assert_eq!(w.previous.from, Some(day("2024-12-01")));
    assert_eq!(w.previous.to, Some(day("2024-12-31")));
    // Presets near the ends do not wrap either.
    assert_eq!(
        Preset::Last90.range(Day::MIN),
        (Some(Day::MIN), Some(Day::MIN))
    );
}

#[test]
fn a_date_cell_outside_the_range_is_unreadable_with_a_reason_naming_it() {
    let reason = "a date outside 1900-01-01 to 2200-12-31";
    for raw in [
        "1899-12-31",
        "2201-01-01",
        "9999-12-31",
        "0001-01-01",
        "12/31/1899",
        "Jan 1, 2201",
        // Epoch seconds of 2286-11-20 (10 digits).
        "9999999999",
    ] {
        assert_eq!(
            parse_date(raw, DateOrder::MonthFirst).map_err(|e| e.to_string()),
            Err(reason.to_owned()),
            "{raw}"
        );
        assert!(parse_datetime(raw, DateOrder::MonthFirst).is_err(), "{raw}");
    }
    assert_eq!(
        parse_date("2200-12-31", DateOrder::MonthFirst),
        Ok(Some(LAST_DAY))
    );
    // In a posts file, an unreadable date rejects its row, listed with its line and the
    // reason: 3 rows read = 1 used + 2 rejected.
    let csv = "platform,date,impressions\ntiktok,2025-01-02,100\ntiktok,1899-12-31,200\ntiktok,9999-01-01,300\n";
    let mut ws = Workspace::default();
    let report = load(
        &mut ws,
        "posts.csv",
        csv.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(report.rows_read, 3);
    assert_eq!((report.rows_used, report.rows_rejected), (1, 2));
    let bad: Vec<_> = report
        .issues
        .iter()
        .filter(|i| i.column.as_deref() == Some("date"))
        .collect();
    assert_eq!(bad.len(), 2, "{:?}", report.issues);
    assert_eq!((bad[0].line, bad[1].line), (3, 4));
    assert!(bad.iter().all(|i| i.row_rejected), "{bad:?}");
    assert_eq!(
        bad[0].reason(),
        "unreadable date (a date outside 1900-01-01 to 2200-12-31)"
    );
    // No day of the workspace is outside the range.
    assert!(ws
        .posts
        .day
        .iter()
        .all(|&d| d == kpi_dash::data::store::NO_DAY || calendar::in_range(d.into())));
}

/// Posts and a campaign with a budget from 2025-01-01 to 2025-01-31 (31 days).
fn workspace_with_a_budget() -> Workspace {
    let mut ws = Workspace::default();
    let posts =
        "platform,date,campaign_id,cost,impressions,revenue\ntiktok,2025-01-10,C1,100,1000,300\n";
    let campaigns =
        "campaign_id,name,budget,start_date,end_date\nC1,Launch,3100,2025-01-01,2025-01-31\n";
    for (name, text) in [("campaigns.csv", campaigns), ("posts.csv", posts)] {
        load(&mut ws, name, text.as_bytes(), &LoadOptions::default()).unwrap();
    }
    ws
}

#[test]
fn an_as_of_at_the_ends_of_i32_cannot_overflow_report_or_pacing() {
    let ws = workspace_with_a_budget();
    // As-of values past the parser (the settings import refuses them: see
    // tests/settings_import.rs); computing with them must not overflow.
    for as_of in [Day::MAX, Day::MIN, Day::MAX - 1, Day::MIN + 1] {
        let settings = Settings {
            as_of: Some(as_of),
            ..Settings::default()
        };
        let results = compute(&ws, &Filter::default(), &settings, Granularity::Week);
        let pacing = results.overall.get(KpiId::BudgetPacing).value();
        // Σcost / planned spend: at Day::MAX the campaign is over, planned = 3100, so
        // 100 / 3100; at Day::MIN it has not started, planned = 0, so n/a.
        if as_of > 0 {
            assert!(
                (pacing.unwrap() - 100.0 / 3100.0).abs() < 1e-12,
                "{pacing:?}"
            );
        } else {
            assert_eq!(pacing, None);
        }
        for cadence in [
            Cadence::Daily,
            Cadence::Weekly,
            Cadence::Monthly,
            Cadence::Quarterly,
        ] {
            let period = ReportPeriod::ending(cadence, as_of);
            assert!(period.previous.0 <= period.previous.1);
            assert!(period.previous.1 <= period.current.0);
            let _ = ReportPeriod::label(period.current);
            let report = build_report(&ws, &Filter::default(), &settings, cadence);
            assert!(report.is_some());
        }
    }
}

#[test]
fn planned_spend_is_exact_for_ordinary_days_and_clamped_for_extreme_ones() {
    let ws = workspace_with_a_budget();
    let c = &ws.campaigns[0];
    // 2025-01-10 is day 10 of 31: 3100 × 10/31 = 1000.
    let planned = kpi_dash::metrics::entities::planned_spend(c, day("2025-01-10")).unwrap();
    assert!((planned - 1000.0).abs() < 1e-9);
    assert_eq!(
        kpi_dash::metrics::entities::planned_spend(c, Day::MAX),
        Some(3100.0)
    );
    assert_eq!(
        kpi_dash::metrics::entities::planned_spend(c, Day::MIN),
        Some(0.0)
    );
}
