//! Each real export shape of issue 13 loads with no question: the header rows in
//! tests/fixtures/shapes/ are the real ones, the rows are ours. For each: rows read =
//! used + rejected, the detected format, platform and row model, and the totals of every
//! mapped measure worked out by hand from the fixture (a partial column sums over the
//! rows that have a value).

use kpi_dash::data::calendar::{parse_iso_day, Day, Granularity};
use kpi_dash::data::ingest::{
    detect, load, load_batch, FileReport, LoadOptions, RowModel, StreamingLoad,
};
use kpi_dash::data::schema::{Measure, TableKind};
use kpi_dash::data::store::Workspace;
use kpi_dash::metrics::engine::{compute, Coverage, Filter};
use kpi_dash::metrics::registry::KpiId;
use kpi_dash::metrics::settings::Settings;

fn shape(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/shapes/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn day(iso: &str) -> Day {
    parse_iso_day(iso).expect("valid test date")
}

/// Loads `fixture` under the name `as_name` with default options: nothing asked.
fn load_as(ws: &mut Workspace, fixture: &str, as_name: &str) -> FileReport {
    let bytes = shape(fixture);
    let detection = detect(as_name, &bytes).unwrap_or_else(|e| panic!("{e}"));
    assert!(!detection.needs_platform, "{fixture} asks for a platform");
    assert!(!detection.needs_mapping, "{fixture}: {}", detection.summary);
    let report =
        load(ws, as_name, &bytes, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        report.rows_read,
        report.rows_used + report.rows_rejected,
        "{fixture}"
    );
    report
}

fn load_shape(ws: &mut Workspace, fixture: &str) -> FileReport {
    load_as(ws, fixture, fixture)
}

/// `(format name, platform, row model, kind)` of a report.
fn what(report: &FileReport) -> (&str, Option<&str>, RowModel, TableKind) {
    let d = &report.detection;
    (
        d.format_name.as_str(),
        d.platform.as_deref(),
        d.row_model,
        d.kind,
    )
}

fn counts(report: &FileReport) -> (usize, usize, usize) {
    (report.rows_read, report.rows_used, report.rows_rejected)
}

/// `(Σ over the rows that have it, rows that have it)`.
fn total(ws: &Workspace, m: Measure) -> (f64, usize) {
    (ws.posts.sum(m), ws.posts.rows_with(m))
}

fn has_notice(report: &FileReport, start: &str) -> bool {
    report.notices.iter().any(|n| n.starts_with(start))
}

fn platforms(ws: &Workspace) -> Vec<&str> {
    let p = &ws.posts;
    let mut out: Vec<&str> = (0..p.len())
        .map(|i| p.platforms.value(p.platform[i]))
        .collect();
    out.dedup();
    out
}

#[test]
fn meta_business_suite_instagram_posts() {
    let mut ws = Workspace::default();
    let report = load_shape(&mut ws, "meta_instagram_posts.csv");
    assert_eq!(
        what(&report),
        (
            "Meta Business Suite (Instagram posts)",
            Some("instagram"),
            RowModel::Post,
            TableKind::Posts
        )
    );
    assert_eq!(counts(&report), (6, 6, 0));
    assert!(report.issues.is_empty(), "{:?}", report.issues);
    assert!(has_notice(
        &report,
        "Read as Meta Business Suite (Instagram posts)"
    ));
    assert!(report
        .detection
        .summary
        .contains("`Views` counts as views, not impressions"));
    // `Date` (always "Lifetime") is ignored; `Publish time` is the date.
    let mapped: Vec<(&str, Option<&str>)> = report
        .detection
        .mapping
        .iter()
        .map(|m| (m.source.as_str(), m.target.as_deref()))
        .collect();
    assert!(mapped.contains(&("Date", None)));
    assert!(mapped.contains(&("Publish time", Some("date"))));
    assert!(mapped.contains(&("Views", Some("views"))));
    assert!(mapped.contains(&("Follows", None)));
    let p = &ws.posts;
    assert_eq!(platforms(&ws), ["instagram"]);
    // 17- and 18-digit ids kept as text (they exceed 2^53).
    assert_eq!(p.post_id.get(0), "17912345678901234");
    assert_eq!(p.post_id.get(1), "179123456789012345");
    assert_eq!(p.creators.value(p.creator[2]), "other_creator");
    assert_eq!(p.day[0], day("2025-03-04"));
    assert_eq!(p.day[5], day("2025-03-15"));
    // The multi-line caption with emoji survives.
    assert_eq!(
        p.caption.get(0),
        "Morning routine ☀️ step by step\n#ad with @anna"
    );
    // Views 12400 + 5100 + 20000 + 3000 + 8000 + 15000 = 63500 (Views, not impressions).
    assert_eq!(total(&ws, Measure::Views), (63_500.0, 6));
    assert!(!ws.posts.has(Measure::Impressions));
    // Likes 640 + 310 + 900 + 120 + 400 + 1200 = 3570
    assert_eq!(total(&ws, Measure::Likes), (3_570.0, 6));
    // Shares 12 + 4 + 30 + 2 + 10 + 80 = 138
    assert_eq!(total(&ws, Measure::Shares), (138.0, 6));
    // Comments 41 + 17 + 60 + 5 + 20 + 300 = 443
    assert_eq!(total(&ws, Measure::Comments), (443.0, 6));
    // Saves 88 + 25 + 40 + 9 + 15 + 60 = 237
    assert_eq!(total(&ws, Measure::Saves), (237.0, 6));
    // Reach blank on the two collab posts (lines 4 and 6): absent, not 0.
    // 9800 + 4200 + 2500 + 11000 = 27500 over 4 posts.
    assert_eq!(total(&ws, Measure::Reach), (27_500.0, 4));
    assert_eq!(p.value(Measure::Reach as usize, 2), None);
    // Engagement rate over the posts that report reach: (640+41+12+88) + (310+17+4+25)
    // + (120+5+2+9) + (1200+300+80+60) = 781 + 356 + 136 + 1640 = 2913 over 27500.
    let r = compute(
        &ws,
        &Filter::default(),
        &Settings::default(),
        Granularity::Month,
    );
    let er = r.overall.get(KpiId::EngagementRate).value().unwrap();
    assert!((er - 2_913.0 / 27_500.0).abs() < 1e-12, "{er}");
    assert_eq!(
        r.overall.coverage(KpiId::EngagementRate),
        Some(Coverage { used: 4, of: 6 })
    );
}

#[test]
fn meta_business_suite_instagram_stories() {
    let mut ws = Workspace::default();
    let report = load_shape(&mut ws, "meta_instagram_stories.csv");
    assert_eq!(
        what(&report),
        (
            "Meta Business Suite (Instagram stories)",
            Some("instagram"),
            RowModel::Post,
            TableKind::Posts
        )
    );
    assert_eq!(counts(&report), (5, 5, 0));
    let p = &ws.posts;
    assert!((0..5).all(|i| p.formats.value(p.format[i]) == "story"));
    // Views 1500 + 1300 + 2000 + 900 + 1100 = 6800
    assert_eq!(total(&ws, Measure::Views), (6_800.0, 5));
    // Reach 1200 + 1100 + 1700 + 800 + 950 = 5750
    assert_eq!(total(&ws, Measure::Reach), (5_750.0, 5));
    // Likes 30 + 20 + 45 + 18 = 113 (blank on line 5)
    assert_eq!(total(&ws, Measure::Likes), (113.0, 4));
    // Shares 2 + 1 + 6 + 0 + 3 = 12
    assert_eq!(total(&ws, Measure::Shares), (12.0, 5));
    // Link clicks → clicks: 25 + 60 + 0 + 14 = 99 (blank on line 3)
    assert_eq!(total(&ws, Measure::Clicks), (99.0, 4));
    assert_eq!(p.day[2], day("2025-03-05"));
}

#[test]
fn facebook_page_post_insights() {
    let mut ws = Workspace::default();
    let report = load_shape(&mut ws, "facebook_page_posts.csv");
    assert_eq!(
        what(&report),
        (
            "Facebook Page insights (posts)",
            Some("facebook"),
            RowModel::Post,
            TableKind::Posts
        )
    );
    // Line 2 is the row of descriptions: skipped and not counted as a row, so 6 posts
    // read (lines 3–8), none rejected.
    assert_eq!(counts(&report), (6, 6, 0));
    assert!(report.issues.is_empty(), "{:?}", report.issues);
    assert!(has_notice(&report, "Line 2 describes the columns"));
    assert_eq!(platforms(&ws), ["facebook"]);
    let p = &ws.posts;
    assert_eq!(p.post_id.get(0), "104857600000001_200000000000001");
    assert_eq!(p.formats.value(p.format[2]), "video");
    // `Posted` is M/D/YYYY h:mm:ss AM: 3/4/2025 2:05:00 PM and 3/20/2025 11:45:00 PM.
    assert_eq!(p.day[0], day("2025-03-04"));
    assert_eq!(p.day[5], day("2025-03-20"));
    // Lifetime Post Total Reach 1200 + 800 + 5000 + 300 + 2200 + 650 = 10150
    assert_eq!(total(&ws, Measure::Reach), (10_150.0, 6));
    // Lifetime Post Total Impressions 1500 + 950 + 6400 + 320 + 2900 + 700 = 12770
    assert_eq!(total(&ws, Measure::Impressions), (12_770.0, 6));
    // Stories by action type – like 35 + 20 + 310 + 8 + 95 + 14 = 482
    assert_eq!(total(&ws, Measure::Likes), (482.0, 6));
    // – comment 4 + 0 + 25 + 1 + 10 = 40 (blank on the last post)
    assert_eq!(total(&ws, Measure::Comments), (40.0, 5));
    // – share 3 + 1 + 40 + 0 + 12 + 2 = 58
    assert_eq!(total(&ws, Measure::Shares), (58.0, 6));
    // Consumptions by type – link clicks 12 + 150 + 2 + 40 + 5 = 209 (blank on the photo)
    assert_eq!(total(&ws, Measure::Clicks), (209.0, 5));
}

#[test]
fn tiktok_studio_content() {
    let mut ws = Workspace::default();
    // Year-less dates take their year from the period in the file name.
    let report = load_as(
        &mut ws,
        "tiktok_studio_content.csv",
        "Jul-01-2025_Sep-30-2025_content.csv",
    );
    assert_eq!(
        what(&report),
        (
            "TikTok Studio (videos)",
            Some("tiktok"),
            RowModel::Post,
            TableKind::Posts
        )
    );
    assert_eq!(counts(&report), (6, 6, 0));
    assert_eq!(ws.posts.day[0], day("2025-07-16"));
    assert_eq!(ws.posts.day[5], day("2025-09-30"));
    assert_eq!(ws.posts.caption.get(1), "Day in my life\nwith the team");
    // Total likes 1520 + 830 + 4100 + 95 + 610 + 300 = 7455
    assert_eq!(total(&ws, Measure::Likes), (7_455.0, 6));
    // Total comments 45 + 12 + 230 + 88 + 14 = 389 (blank on line 5)
    assert_eq!(total(&ws, Measure::Comments), (389.0, 5));
    // Total shares 12 + 3 + 95 + 1 + 20 + 2 = 133
    assert_eq!(total(&ws, Measure::Shares), (133.0, 6));
    // Total views 25000 + 9100 + 88000 + 1900 + 15400 + 7000 = 146400
    assert_eq!(total(&ws, Measure::Views), (146_400.0, 6));
}

#[test]
fn tiktok_studio_overview_is_account_days() {
    let mut ws = Workspace::default();
    let report = load_as(
        &mut ws,
        "tiktok_studio_overview.csv",
        "Dec-29-2024_Jan-03-2025_overview.csv",
    );
    assert_eq!(
        what(&report),
        (
            "TikTok Studio (Overview)",
            Some("tiktok"),
            RowModel::AccountDay,
            TableKind::Posts
        )
    );
    assert_eq!(counts(&report), (6, 6, 0));
    // One row per day of the whole account: it counts no post.
    assert_eq!(total(&ws, Measure::PostCount), (0.0, 6));
    // The year-less dates cross New Year.
    assert_eq!(ws.posts.day[0], day("2024-12-29"));
    assert_eq!(ws.posts.day[3], day("2025-01-01"));
    // Video Views 1200 + 900 + 1500 + 2000 + 700 + 1100 = 7400
    assert_eq!(total(&ws, Measure::Views), (7_400.0, 6));
    // Likes 150 + 100 + 210 + 260 − 5 + 120 = 835 (the −5 is kept)
    assert_eq!(total(&ws, Measure::Likes), (835.0, 6));
    // Comments 12 + 8 + 20 − 2 + 4 + 9 = 51
    assert_eq!(total(&ws, Measure::Comments), (51.0, 6));
    // Shares 5 + 3 + 9 + 11 + 1 + 4 = 33
    assert_eq!(total(&ws, Measure::Shares), (33.0, 6));
    assert!(has_notice(&report, "2 rows have negative numbers"));
}

#[test]
fn youtube_studio_table_data() {
    let mut ws = Workspace::default();
    let report = load_shape(&mut ws, "youtube_table_data.csv");
    assert_eq!(
        what(&report),
        (
            "YouTube Studio (Table data)",
            Some("youtube"),
            RowModel::Post,
            TableKind::Posts
        )
    );
    // 6 rows: the Total row rejected (and listed), 5 videos used.
    assert_eq!(counts(&report), (6, 5, 1));
    assert_eq!(report.issues[0].reason(), "YouTube total row");
    // Ids written with a leading space are trimmed.
    assert_eq!(ws.posts.post_id.get(0), "AbCdEfGhIj1");
    assert_eq!(ws.posts.day[0], day("2025-08-28"));
    // Views 20000 + 15000 + 8000 + 5000 + 473 = 48473 (the Total row's figure)
    assert_eq!(total(&ws, Measure::Views), (48_473.0, 5));
    // Impressions 250000 + 200000 + 100000 + 60000 = 610000 (blank on the last video)
    assert_eq!(total(&ws, Measure::Impressions), (610_000.0, 4));
    assert_eq!(total(&ws, Measure::PostCount), (5.0, 5));
}

#[test]
fn youtube_studio_table_data_wide() {
    let mut ws = Workspace::default();
    let report = load_shape(&mut ws, "youtube_table_data_wide.csv");
    assert_eq!(report.detection.format_name, "YouTube Studio (Table data)");
    assert_eq!(report.detection.headers.len(), 31);
    assert_eq!(counts(&report), (6, 5, 1));
    let p = &ws.posts;
    assert_eq!(p.caption.get(0), "東京の夜 🌃 night walk");
    assert_eq!(p.caption.get(2), "مرحبا بالعالم");
    assert_eq!(p.day[3], day("2024-01-05"));
    // Views 10000 + 4000 + 25000 + 120 + 800 = 39920
    assert_eq!(total(&ws, Measure::Views), (39_920.0, 5));
    // Likes 500 + 150 + 1200 − 1 + 30 = 1879 (the negative like is kept)
    assert_eq!(total(&ws, Measure::Likes), (1_879.0, 5));
    // Shares 40 + 12 + 300 + 0 + 2 = 354
    assert_eq!(total(&ws, Measure::Shares), (354.0, 5));
    // Comments added 55 + 20 + 80 + 0 + 150 = 305
    assert_eq!(total(&ws, Measure::Comments), (305.0, 5));
    // Impressions 120000 + 50000 + 90000 + 3000 = 263000 (blank on the live Q&A)
    assert_eq!(total(&ws, Measure::Impressions), (263_000.0, 4));
    assert!(has_notice(&report, "1 rows have negative numbers"));
}

#[test]
fn youtube_studio_chart_data_is_post_days() {
    let mut ws = Workspace::default();
    let report = load_shape(&mut ws, "youtube_chart_data.csv");
    assert_eq!(
        what(&report),
        (
            "YouTube Studio (Chart data)",
            Some("youtube"),
            RowModel::PostDay,
            TableKind::Posts
        )
    );
    // Two videos × four days: no row is a duplicate of another.
    assert_eq!(counts(&report), (8, 8, 0));
    assert!(report.issues.is_empty(), "{:?}", report.issues);
    let p = &ws.posts;
    // Each row is dated by its own Date (not the publish time) and counts no post.
    assert_eq!(p.day[3], day("2025-08-31"));
    assert_eq!(p.day[7], day("2025-09-01"));
    assert_eq!(total(&ws, Measure::PostCount), (0.0, 8));
    // Views (5000 + 8000 + 4000 + 3000) + (6000 + 5000 + 3000 + 1000) = 35000
    assert_eq!(total(&ws, Measure::Views), (35_000.0, 8));
    // Loading the same Chart data again replaces its days, never doubles them.
    let again = load_shape(&mut ws, "youtube_chart_data.csv");
    assert_eq!(counts(&again), (8, 8, 0));
    assert_eq!(ws.posts.len(), 8);
    assert_eq!(total(&ws, Measure::Views), (35_000.0, 8));
}

/// Table and Chart data of the same videos, in either order: the Table rows stay the
/// posts (5 posts, their impressions), the two videos with daily rows count their views
/// by day only.
#[test]
fn youtube_table_and_chart_data_combine_in_either_order() {
    for order in [
        ["youtube_table_data.csv", "youtube_chart_data.csv"],
        ["youtube_chart_data.csv", "youtube_table_data.csv"],
    ] {
        let mut ws = Workspace::default();
        let first = load_shape(&mut ws, order[0]);
        let second = load_shape(&mut ws, order[1]);
        assert!(first
            .issues
            .iter()
            .chain(&second.issues)
            .all(|i| i.reason() == "YouTube total row"));
        // 5 Table rows + 8 Chart rows.
        assert_eq!(ws.posts.len(), 13, "{order:?}");
        assert_eq!(total(&ws, Measure::PostCount), (5.0, 13));
        // Views counted once: by day for AbCdEfGhIj1 and BcDeFgHiJk2 (35000), from the
        // Table for the other three (8000 + 5000 + 473 = 13473): 48473, as the Table's
        // Total row says. The two Table rows with daily views have no views of their
        // own: 13 rows − 2 = 11 have views.
        assert_eq!(total(&ws, Measure::Views), (48_473.0, 11), "{order:?}");
        assert_eq!(total(&ws, Measure::Impressions), (610_000.0, 4));
        let notice = second
            .notices
            .iter()
            .find(|n| n.contains("views count once, by day"));
        assert!(
            notice.is_some_and(|n| n.starts_with("2 posts")),
            "{:?}",
            second.notices
        );
    }
}

/// The same six tweets, exported with the UI in five languages.
#[test]
fn x_tweet_activity_in_five_languages() {
    for (file, id_header) in [
        ("x_tweets_en.csv", "Tweet id"),
        ("x_tweets_pt.csv", "id do Tweet"),
        ("x_tweets_es.csv", "id del Tweet"),
        ("x_tweets_fr.csv", "identifiant du Tweet"),
        ("x_tweets_de.csv", "Tweet-ID"),
    ] {
        let mut ws = Workspace::default();
        let report = load_shape(&mut ws, file);
        assert_eq!(
            what(&report),
            (
                "X tweet activity",
                Some("x"),
                RowModel::Post,
                TableKind::Posts
            ),
            "{file}"
        );
        assert_eq!(report.detection.headers[0], id_header);
        assert_eq!(counts(&report), (6, 6, 0), "{file}");
        assert!(report.issues.is_empty(), "{file}: {:?}", report.issues);
        let p = &ws.posts;
        assert_eq!(p.post_id.get(0), "1763000000000000001");
        assert_eq!(p.day[0], day("2025-03-04"), "{file}");
        // impressions 1520 + 800 + 12000 + 300 + 2500 + 950 = 18070 ("1520.0" etc.)
        assert_eq!(total(&ws, Measure::Impressions), (18_070.0, 6), "{file}");
        // retweets → shares: 5 + 0 + 80 + 1 + 10 + 2 = 98
        assert_eq!(total(&ws, Measure::Shares), (98.0, 6), "{file}");
        // replies → comments: 3 + 1 + 45 + 0 + 7 + 2 = 58
        assert_eq!(total(&ws, Measure::Comments), (58.0, 6), "{file}");
        // likes / favoritos / me gusta / J'aime / Gefällt mir: 40 + 9 + 610 + 4 + 85 + 15 = 763
        assert_eq!(total(&ws, Measure::Likes), (763.0, 6), "{file}");
        // url clicks 12 + 0 + 150 + 20 + 3 = 185 ("-" on line 5 is absent)
        assert_eq!(total(&ws, Measure::Clicks), (185.0, 5), "{file}");
    }
}

/// Orders: #1001 paid 59.90 (ANNA10, 2 line items), #1002 refunded 120.00 (BEN15),
/// #1003 partially refunded 80.00 − 30.00 (ANNA10, 2 items), #1004 paid 45.50 (no code),
/// #1005 paid 25.00 (SUMMER5, no creator has it), #1006 paid 99.99 (ben15, 3 items).
fn check_orders(ws: &Workspace, orders: &FileReport) {
    assert_eq!(
        what(orders),
        ("Shopify orders", None, RowModel::Order, TableKind::Posts)
    );
    // 10 line-item rows, every one used: no order is rejected.
    assert_eq!(counts(orders), (10, 10, 0));
    assert!(orders.issues.is_empty(), "{:?}", orders.issues);
    let p = &ws.posts;
    assert_eq!(p.len(), 6);
    let creator = |i: usize| p.creators.value(p.creator[i]);
    assert_eq!(
        (0..6).map(creator).collect::<Vec<_>>(),
        ["anna", "ben", "anna", "", "", "ben"]
    );
    // Revenue net of refunds: 59.90 + 0 + (80.00 − 30.00) + 45.50 + 25.00 + 99.99 = 280.39
    let (revenue, rows) = total(ws, Measure::Revenue);
    assert!((revenue - 280.39).abs() < 1e-9, "{revenue}");
    assert_eq!(rows, 6);
    // Conversions: every order but the fully refunded #1002: 5.
    assert_eq!(total(ws, Measure::Conversions), (5.0, 6));
    assert_eq!(total(ws, Measure::PostCount), (0.0, 6));
    // Unattributed revenue, reported: #1004 45.50 (no code), #1005 25.00 (SUMMER5).
    assert!(has_notice(
        orders,
        "1 orders (45.50 revenue) have no discount code: kept as unattributed revenue."
    ));
    assert!(has_notice(
        orders,
        "1 orders (25.00 revenue) use discount codes no creator has (SUMMER5)"
    ));
    // Refunded: 120.00 + 30.00 = 150.00.
    assert!(has_notice(
        orders,
        "2 orders were refunded in whole or in part: 150.00 netted out of revenue"
    ));
    // Attributed orders take their creator's platform; the others the shop's.
    assert_eq!(p.platforms.value(p.platform[0]), "instagram");
    assert_eq!(p.platforms.value(p.platform[1]), "tiktok");
    assert_eq!(p.platforms.value(p.platform[3]), "shopify");
    assert_eq!(p.day[0], day("2025-03-05"));
}

#[test]
fn shopify_orders_and_creators_in_one_drop_either_order() {
    for names in [
        ["shopify_orders.csv", "creators_codes.csv"],
        ["creators_codes.csv", "shopify_orders.csv"],
    ] {
        let files: Vec<(String, Vec<u8>, LoadOptions)> = names
            .iter()
            .map(|n| (n.to_string(), shape(n), LoadOptions::default()))
            .collect();
        let mut ws = Workspace::default();
        let results = load_batch(&mut ws, &files);
        // Results come back in the drop's order.
        let reports: Vec<FileReport> = results
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
            .collect();
        assert_eq!(reports[0].file_name, names[0]);
        let orders = reports
            .iter()
            .find(|r| r.file_name == "shopify_orders.csv")
            .unwrap();
        assert_eq!(ws.creators.len(), 2);
        check_orders(&ws, orders);
    }
}

#[test]
fn shopify_orders_alone_are_kept_unattributed() {
    let mut ws = Workspace::default();
    let report = load_shape(&mut ws, "shopify_orders.csv");
    assert_eq!(counts(&report), (10, 10, 0));
    assert!(ws.posts.creators.values().iter().all(|c| c.is_empty()));
    let (revenue, _) = total(&ws, Measure::Revenue);
    assert!((revenue - 280.39).abs() < 1e-9, "{revenue}");
    // 6 − 1 (no code) = 5 orders with codes that no creator has yet.
    assert!(has_notice(
        &report,
        "5 orders (234.89 revenue) use discount codes"
    ));
}

#[test]
fn creator_ranking_list() {
    let mut ws = Workspace::default();
    let report = load_shape(&mut ws, "creator_ranking.csv");
    assert_eq!(
        what(&report),
        (
            "Creator list",
            Some("instagram"),
            RowModel::Creator,
            TableKind::Creators
        )
    );
    // 8 rows, all used; the repeated handle (line 8) merges into line 2.
    assert_eq!(counts(&report), (8, 8, 0));
    assert_eq!(report.issues.len(), 1);
    assert!(!report.issues[0].row_rejected);
    assert_eq!(ws.creators.len(), 7);
    let lisa = ws.creator("lalalalisa_m").unwrap();
    assert_eq!(lisa.name, "블랙핑크 리사");
    assert_eq!(lisa.followers, Some(48_500_000.0));
    assert_eq!(lisa.country.as_deref(), Some("Indonesia"));
    assert_eq!(lisa.platform.as_deref(), Some("instagram"));
    // N/A followers are absent.
    assert_eq!(ws.creator("neymarjr").unwrap().followers, None);
    // Followers of the 6 creators that have them: 400.1M + 308.8M + 306.3M + 48.5M +
    // 243.5M + 10.2M = 1317.4M.
    let followers: f64 = ws.creators.iter().filter_map(|c| c.followers).sum();
    assert!((followers - 1_317_400_000.0).abs() < 1.0, "{followers}");
}

/// Item 5: a file of which little is understood says so, and asks for the mapping.
#[test]
fn a_file_that_maps_no_measure_says_so() {
    // An X export in a language we do not know (Italian): nothing tells it apart, and
    // no column maps to a measure.
    let csv = "id del Tweet (it),testo del Tweet,ora,impression,interazioni,risposte,mi piace\n\
               1,ciao,2025-03-04 10:30 +0000,100.0,5.0,1.0,4.0\n";
    let detection = detect("x_it.csv", csv.as_bytes()).unwrap();
    assert_eq!(detection.format_name, "Generic posts table");
    assert!(detection.needs_mapping);
    assert!(
        detection
            .summary
            .contains("No column was understood as a measure"),
        "{}",
        detection.summary
    );
    let options = LoadOptions {
        platform: Some("x".into()),
        ..LoadOptions::default()
    };
    let mut ws = Workspace::default();
    let report = load(&mut ws, "x_it.csv", csv.as_bytes(), &options).unwrap();
    assert!(report.notices[0].contains("No column was understood as a measure"));
    // A generic file that maps fewer than half of its columns says so too.
    let csv = "platform,date,likes,a,b,c,d\ninstagram,2025-03-04,5,1,2,3,4\n";
    let detection = detect("few.csv", csv.as_bytes()).unwrap();
    assert!(detection.needs_mapping);
    assert!(detection.summary.contains("Fewer than half of the columns"));
    // A recognised format that ignores most of its columns is understood.
    let d = detect("fb.csv", &shape("facebook_page_posts.csv")).unwrap();
    assert!(!d.needs_mapping);
    assert!(d.summary.starts_with(
        "Read as Facebook Page insights (posts): posts table, platform facebook, one row is a post. 10 of 46 columns used"
    ));
}

/// The streamed load (the worker's) reads each shape as the one-shot load does.
#[test]
fn streamed_in_small_chunks_matches() {
    for name in [
        "meta_instagram_posts.csv",
        "facebook_page_posts.csv",
        "youtube_chart_data.csv",
        "x_tweets_pt.csv",
    ] {
        let bytes = shape(name);
        let mut whole = Workspace::default();
        let one = load(&mut whole, name, &bytes, &LoadOptions::default()).unwrap();
        let mut streamed = Workspace::default();
        let mut s = StreamingLoad::new(name, LoadOptions::default());
        for chunk in bytes.chunks(7) {
            s.feed(chunk);
        }
        let two = s.finish(&mut streamed).unwrap();
        assert_eq!(counts(&one), counts(&two), "{name}");
        assert_eq!(one.notices, two.notices, "{name}");
        for m in Measure::ALL {
            assert_eq!(total(&whole, m), total(&streamed, m), "{name} {m:?}");
        }
    }
}

/// Excel's "Unicode text": the Meta posts export saved as UTF-16LE, tab-separated, with
/// CRLF line ends. It reads as the CSV does.
#[test]
fn utf16le_unicode_text() {
    let mut csv = Workspace::default();
    load_shape(&mut csv, "meta_instagram_posts.csv");
    let mut txt = Workspace::default();
    let report = load_shape(&mut txt, "meta_instagram_posts_unicode.txt");
    assert_eq!(report.detection.encoding, "utf-16le");
    let detection = detect("unicode.txt", &shape("meta_instagram_posts_unicode.txt")).unwrap();
    assert_eq!(detection.encoding, "utf-16le");
    assert_eq!(
        report.detection.format_name,
        "Meta Business Suite (Instagram posts)"
    );
    assert_eq!(counts(&report), (6, 6, 0));
    assert_eq!(
        txt.posts.caption.get(0),
        "Morning routine ☀️ step by step\n#ad with @anna"
    );
    assert_eq!(txt.posts.post_id.get(1), "179123456789012345");
    for m in Measure::ALL {
        assert_eq!(total(&csv, m), total(&txt, m), "{m:?}");
    }
    // Reach 27500 over 4 posts, as in the CSV.
    assert_eq!(total(&txt, Measure::Reach), (27_500.0, 4));
}

/// The Meta posts export saved from Excel as XLSX: ids as text, `Publish time` as a date
/// cell (a serial number with a date format), blank Reach cells left out.
#[test]
fn xlsx_workbook() {
    let mut csv = Workspace::default();
    load_shape(&mut csv, "meta_instagram_posts.csv");
    let mut book = Workspace::default();
    let report = load_shape(&mut book, "meta_instagram_posts.xlsx");
    assert_eq!(report.detection.encoding, "xlsx");
    assert_eq!(
        report.detection.format_name,
        "Meta Business Suite (Instagram posts)"
    );
    assert_eq!(counts(&report), (6, 6, 0));
    let p = &book.posts;
    assert_eq!(p.post_id.get(1), "179123456789012345");
    assert_eq!(
        p.caption.get(0),
        "Morning routine ☀️ step by step\n#ad with @anna"
    );
    assert_eq!(p.day, csv.posts.day);
    for m in Measure::ALL {
        assert_eq!(total(&csv, m), total(&book, m), "{m:?}");
    }
    // Reach 27500 over the 4 posts that report it, as in the CSV.
    assert_eq!(total(&book, Measure::Reach), (27_500.0, 4));
    // Streamed in chunks (the worker's way) it reads the same.
    let mut streamed = Workspace::default();
    let mut s = StreamingLoad::new("book.xlsx", LoadOptions::default());
    for chunk in shape("meta_instagram_posts.xlsx").chunks(100) {
        s.feed(chunk);
    }
    assert_eq!(counts(&s.finish(&mut streamed).unwrap()), (6, 6, 0));
    assert_eq!(total(&streamed, Measure::Views), (63_500.0, 6));
}
