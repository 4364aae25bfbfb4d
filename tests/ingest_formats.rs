//! Ingest of every supported format, against small hand-written fixtures in
//! tests/fixtures/. Expected values are read off the fixture files by hand.

use kpi_dash::data::calendar::{parse_iso_day, Day};
use kpi_dash::data::ingest::{
    detect, load, rejected_rows_csv, workspace_json, DuplicatePolicy, FileReport, Issue,
    LoadOptions, NumberLocale, StreamingLoad,
};
use kpi_dash::data::schema::{Measure, Objective, TableKind};
use kpi_dash::data::store::{Disclosure, DisclosureMethod, Workspace, NO_DAY};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn with_platform(platform: &str) -> LoadOptions {
    LoadOptions {
        platform: Some(platform.into()),
        ..LoadOptions::default()
    }
}

fn day(iso: &str) -> Day {
    parse_iso_day(iso).expect("valid test date")
}

fn load_ok(ws: &mut Workspace, name: &str, options: &LoadOptions) -> FileReport {
    let report = load(ws, name, &fixture(name), options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        report.rows_read,
        report.rows_used + report.rows_rejected,
        "{name}"
    );
    report
}

/// Each row's value of a measure; `None` where the row has none.
fn measure(ws: &Workspace, m: Measure) -> Vec<Option<f64>> {
    (0..ws.posts.len())
        .map(|i| ws.posts.value(m as usize, i))
        .collect()
}

/// `(line, column, raw, reason, row_rejected)` of each issue. The reason is derived from
/// the issue's kind; it is leaked so that the tuples compare with literals.
fn issue_list(report: &FileReport) -> Vec<(usize, Option<&str>, &str, &'static str, bool)> {
    report
        .issues
        .iter()
        .map(|i: &Issue| {
            (
                i.line,
                i.column.as_deref(),
                i.raw_value.as_str(),
                &*Box::leak(i.reason().into_boxed_str()),
                i.row_rejected,
            )
        })
        .collect()
}

#[test]
fn meta_business_suite_export() {
    let mut ws = Workspace::default();
    let detection = detect("meta.csv", &fixture("meta_posts.csv")).unwrap();
    assert_eq!(detection.kind, TableKind::Posts);
    assert_eq!(
        detection.format_name,
        "Meta Business Suite (Instagram posts)"
    );
    // The format names the platform: nothing to ask.
    assert!(!detection.needs_platform);
    assert_eq!(detection.platform.as_deref(), Some("instagram"));
    let report = load_ok(&mut ws, "meta_posts.csv", &LoadOptions::default());
    assert_eq!((report.rows_read, report.rows_used), (3, 3));
    assert!(report.issues.is_empty());
    let posts = &ws.posts;
    assert_eq!(posts.platforms.value(posts.platform[0]), "instagram");
    assert_eq!(posts.post_id.get(0), "17890001");
    assert_eq!(posts.creators.value(posts.creator[0]), "acme_creator");
    assert_eq!(posts.formats.value(posts.format[1]), "ig image");
    assert_eq!(
        posts.day,
        vec![day("2025-03-04"), day("2025-03-06"), day("2025-03-08")]
    );
    // Views "12,400" on row 1 only; impressions blank on row 1.
    assert_eq!(
        measure(&ws, Measure::Views),
        vec![Some(12_400.0), None, None]
    );
    assert_eq!(
        measure(&ws, Measure::Impressions),
        vec![None, Some(5_100.0), Some(3_000.0)]
    );
    assert_eq!(
        measure(&ws, Measure::Reach),
        vec![Some(9_800.0), Some(4_200.0), Some(2_500.0)]
    );
    assert_eq!(
        measure(&ws, Measure::Saves),
        vec![Some(88.0), Some(25.0), Some(9.0)]
    );
    // "#AD" discloses, "#adventure" does not, no caption is unknown.
    assert_eq!(
        posts.disclosure,
        vec![
            Disclosure::Disclosed,
            Disclosure::Undisclosed,
            Disclosure::Unknown
        ]
    );
    assert_eq!(posts.disclosure_method, DisclosureMethod::Caption);
}

#[test]
fn file_without_platform_column_needs_one() {
    let mut ws = Workspace::default();
    // A generic file (no format that names a platform) without a platform column.
    let err = load(
        &mut ws,
        "posts.csv",
        b"post_id,date,likes\np1,2025-03-04,5\n",
        &LoadOptions::default(),
    )
    .unwrap_err();
    assert!(
        err.message().contains("no platform column"),
        "{}",
        err.message()
    );
    assert!(ws.is_empty());
}

#[test]
fn tiktok_studio_export() {
    let mut ws = Workspace::default();
    let report = load_ok(&mut ws, "tiktok_studio.csv", &with_platform("tik tok"));
    assert_eq!(report.detection.format_name, "TikTok Studio (videos)");
    assert_eq!((report.rows_read, report.rows_used), (2, 2));
    assert_eq!(
        measure(&ws, Measure::Views),
        vec![Some(1_200.0), Some(3_300.0)]
    ); // 1.2K, "3,300"
    assert_eq!(measure(&ws, Measure::Saves), vec![Some(30.0), Some(44.0)]); // Add to favorites
    assert_eq!(measure(&ws, Measure::Comments), vec![Some(12.0), None]); // blank on row 2
    assert_eq!(ws.posts.day, vec![day("2025-03-01"), day("2025-03-03")]);
    assert_eq!(ws.posts.disclosure[0], Disclosure::Disclosed); // #sponsored
    assert_eq!(ws.posts.platforms.value(ws.posts.platform[1]), "tiktok");
}

#[test]
fn youtube_total_row_is_rejected_and_reported() {
    let mut ws = Workspace::default();
    let report = load_ok(&mut ws, "youtube_table_data.csv", &with_platform("YT"));
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (3, 2, 1)
    );
    assert_eq!(
        issue_list(&report),
        vec![(2, Some("Content"), "Total", "YouTube total row", true)]
    );
    assert_eq!(ws.posts.post_id.get(0), "abc123");
    assert_eq!(ws.posts.day, vec![day("2025-03-04"), day("2025-03-10")]);
    assert_eq!(measure(&ws, Measure::Comments), vec![Some(25.0), Some(6.0)]); // Comments added
    assert_eq!(
        measure(&ws, Measure::Impressions),
        vec![Some(45_000.0), Some(16_000.0)]
    );
}

#[test]
fn shopify_orders_are_attributed_through_discount_codes() {
    let mut ws = Workspace::default();
    let creators = load_ok(&mut ws, "creators_with_codes.csv", &LoadOptions::default());
    assert_eq!(creators.detection.kind, TableKind::Creators);
    assert_eq!(ws.creators.len(), 2);
    assert_eq!(ws.creators[1].platform.as_deref(), Some("tiktok"));
    let report = load_ok(&mut ws, "shopify_orders.csv", &LoadOptions::default());
    assert_eq!(report.detection.format_name, "Shopify orders");
    assert!(!report.detection.needs_platform);
    // 6 line-item rows, all used: #1001 (lines 2, 3) and #1002 (lines 4, 7) attributed;
    // #1003 (code NOPE, no creator has it) and #1004 (no code) kept as unattributed
    // revenue, not rejected (issue 13).
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (6, 6, 0)
    );
    assert!(report.issues.is_empty(), "{:?}", report.issues);
    assert!(report
        .notices
        .iter()
        .any(|n| n.starts_with("1 orders (20.00 revenue) have no discount code")));
    assert!(report.notices.iter().any(
        |n| n.starts_with("1 orders (35.00 revenue) use discount codes no creator has (NOPE)")
    ));
    let posts = &ws.posts;
    assert_eq!(posts.len(), 4);
    assert_eq!(posts.post_id.get(0), "#1001");
    assert_eq!(posts.creators.value(posts.creator[0]), "anna");
    assert_eq!(posts.platforms.value(posts.platform[0]), "instagram");
    assert_eq!(posts.creators.value(posts.creator[1]), "ben");
    assert_eq!(posts.platforms.value(posts.platform[1]), "tiktok");
    assert_eq!(posts.creators.value(posts.creator[2]), "");
    assert_eq!(posts.platforms.value(posts.platform[2]), "shopify");
    assert_eq!(
        measure(&ws, Measure::Revenue),
        vec![Some(59.9), Some(120.0), Some(35.0), Some(20.0)]
    );
    assert_eq!(measure(&ws, Measure::Conversions), vec![Some(1.0); 4]);
    assert_eq!(measure(&ws, Measure::PostCount), vec![Some(0.0); 4]);
    assert_eq!(
        posts.day,
        vec![
            day("2025-03-05"),
            day("2025-03-06"),
            day("2025-03-06"),
            day("2025-03-07")
        ]
    );
}

#[test]
fn shopify_orders_without_creators_are_kept_unattributed() {
    let mut ws = Workspace::default();
    let report = load_ok(&mut ws, "shopify_orders.csv", &LoadOptions::default());
    // No creators loaded: the 4 orders (59.90 + 120.00 + 35.00 + 20.00 = 234.90) stay as
    // unattributed revenue; #1001 and #1002 use codes no creator has yet.
    assert_eq!((report.rows_read, report.rows_used), (6, 6));
    assert_eq!(ws.posts.len(), 4);
    assert!((ws.posts.sum(Measure::Revenue) - 234.9).abs() < 1e-9);
    assert!((0..4).all(|i| ws.posts.creators.value(ws.posts.creator[i]).is_empty()));
}
#[test]
fn semicolons_and_comma_decimals() {
    let mut ws = Workspace::default();
    let options = LoadOptions {
        number_locale: NumberLocale::CommaDecimal,
        ..LoadOptions::default()
    };
    let report = load_ok(&mut ws, "semicolon_comma_decimal.csv", &options);
    assert_eq!((report.rows_used, report.rows_rejected), (2, 0));
    assert_eq!(
        measure(&ws, Measure::Likes),
        vec![Some(1_200.0), Some(300.0)]
    );
    assert_eq!(
        measure(&ws, Measure::Revenue),
        vec![Some(1_234.5), Some(99.9)]
    );
    assert_eq!(measure(&ws, Measure::Cost), vec![Some(500.0), Some(50.0)]);
    assert_eq!(ws.posts.day, vec![day("2025-03-04"), day("2025-03-05")]);
}

#[test]
fn tabs_bom_crlf_and_quoted_newlines() {
    let mut ws = Workspace::default();
    let report = load_ok(&mut ws, "tab_bom_crlf.tsv", &LoadOptions::default());
    assert_eq!(report.detection.headers[0], "platform"); // BOM dropped
    assert_eq!((report.rows_used, report.rows_rejected), (2, 0));
    assert_eq!(ws.posts.caption.get(0), "Line one\r\nline two #ad");
    assert_eq!(ws.posts.caption.get(1), "He said \"hi\"");
    assert_eq!(ws.posts.platforms.value(ws.posts.platform[1]), "x");
    // Row 1: the column says "no" although the caption has #ad; row 2: blank column,
    // the caption has no tag.
    assert_eq!(
        ws.posts.disclosure,
        vec![Disclosure::Undisclosed, Disclosure::Undisclosed]
    );
    assert_eq!(ws.posts.disclosure_method, DisclosureMethod::Mixed);
}

#[test]
fn latin1_is_decoded() {
    let mut ws = Workspace::default();
    let report = load_ok(&mut ws, "latin1_posts.csv", &LoadOptions::default());
    assert_eq!(report.detection.encoding, "windows-1252");
    assert_eq!(ws.posts.caption.get(0), "Café crème \u{a0}#werbung");
    assert_eq!(ws.posts.disclosure[0], Disclosure::Disclosed);
}

#[test]
fn malformed_rows_are_reported_keep_last() {
    let mut ws = Workspace::default();
    let report = load_ok(&mut ws, "malformed_posts.csv", &LoadOptions::default());
    // 8 rows; rejected: lines 3 (date), 4 (platform), 6 (fields), 7 (empty) and line 2,
    // replaced by its duplicate on line 9. Used: m4, m6, m1 (line 9).
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (8, 3, 5)
    );
    assert_eq!(
        issue_list(&report),
        vec![
            (
                3,
                Some("date"),
                "2025-13-45",
                "unreadable date (no such date)",
                true
            ),
            (4, Some("platform"), "", "missing platform", true),
            (
                5,
                Some("likes"),
                "lots",
                "not a number: value dropped",
                false
            ),
            (
                5,
                Some("disclosed"),
                "maybe",
                "not a yes/no value: value dropped",
                false
            ),
            (
                6,
                None,
                "tiktok,2025-03-04,m5,7",
                "the row has 4 fields, the header has 6",
                true
            ),
            (7, None, "", "empty row", true),
            (
                2,
                Some("post_id"),
                "m1",
                "duplicate post_id: replaced by line 9",
                true
            ),
        ]
    );
    assert_eq!(
        (0..3).map(|i| ws.posts.post_id.get(i)).collect::<Vec<_>>(),
        vec!["m4", "m6", "m1"]
    );
    assert_eq!(
        measure(&ws, Measure::Likes),
        vec![None, Some(8.0), Some(120.0)]
    );
    assert_eq!(ws.posts.day[1], NO_DAY);
    assert!(report
        .notices
        .iter()
        .any(|n| n.starts_with("1 rows have no date")));
    let csv = rejected_rows_csv(&[report]);
    assert!(csv.starts_with("file,line,column,raw_value,reason,row_rejected\n"));
    assert!(csv.contains(
        "malformed_posts.csv,6,,\"tiktok,2025-03-04,m5,7\",\"the row has 4 fields, the header has 6\",true\n"
    ));
    assert_eq!(csv.lines().count(), 8);
}

#[test]
fn duplicates_can_be_summed() {
    let mut ws = Workspace::default();
    let options = LoadOptions {
        duplicates: DuplicatePolicy::Sum,
        ..LoadOptions::default()
    };
    let report = load_ok(&mut ws, "malformed_posts.csv", &options);
    assert_eq!((report.rows_used, report.rows_rejected), (4, 4));
    assert_eq!(ws.posts.post_id.get(0), "m1");
    // m1: 100 + 120 likes, 10 + 12 comments, still one post.
    assert_eq!(ws.posts.measure(Measure::Likes)[0], 220.0);
    assert_eq!(ws.posts.measure(Measure::Comments)[0], 22.0);
    assert_eq!(ws.posts.measure(Measure::PostCount)[0], 1.0);
    let dup = report.issues.last().unwrap();
    assert_eq!(
        (dup.line, dup.reason().as_str(), dup.row_rejected),
        (
            9,
            "duplicate post_id (first on line 2): numbers added to it",
            false
        )
    );
}

#[test]
fn duplicates_against_the_workspace() {
    let mut ws = Workspace::default();
    load_ok(&mut ws, "tiktok_studio.csv", &with_platform("tiktok"));
    load_ok(&mut ws, "meta_posts.csv", &with_platform("ig"));
    assert_eq!(ws.posts.len(), 5);
    let report = load_ok(&mut ws, "meta_posts.csv", &with_platform("ig"));
    assert_eq!(report.rows_used, 3);
    assert_eq!(report.issues.len(), 3);
    assert_eq!(
        report.issues[0].reason(),
        "post_id already in the workspace: replaced the earlier row"
    );
    assert_eq!(ws.posts.len(), 5); // replaced, not added
    let options = LoadOptions {
        duplicates: DuplicatePolicy::Sum,
        ..with_platform("ig")
    };
    load_ok(&mut ws, "meta_posts.csv", &options);
    assert_eq!(ws.posts.len(), 5);
    let likes: f64 = ws.posts.measure(Measure::Likes).iter().sum();
    // TikTok 150 + 210, Meta (640 + 310 + 120) twice.
    assert_eq!(likes, 150.0 + 210.0 + 2.0 * (640.0 + 310.0 + 120.0));
}

#[test]
fn ndjson_rows_and_bad_lines() {
    let mut ws = Workspace::default();
    let report = load_ok(&mut ws, "posts.ndjson", &LoadOptions::default());
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (4, 3, 1)
    );
    assert_eq!(report.issues[0].line, 3);
    assert!(report.issues[0].reason().starts_with("invalid JSON line"));
    assert_eq!(
        measure(&ws, Measure::Likes),
        vec![Some(5.0), Some(1_500.0), None]
    );
    assert_eq!(ws.posts.platforms.value(ws.posts.platform[2]), "youtube");
    assert_eq!(ws.posts.disclosure[0], Disclosure::Disclosed); // #Werbung
    assert_eq!(ws.posts.day[2], NO_DAY);
}

#[test]
fn json_array_of_campaigns() {
    let mut ws = Workspace::default();
    let report = load_ok(&mut ws, "campaigns.json", &LoadOptions::default());
    assert_eq!(report.detection.kind, TableKind::Campaigns);
    assert_eq!((report.rows_used, report.rows_rejected), (2, 1));
    assert_eq!(
        issue_list(&report),
        vec![(3, Some("campaign_id"), "", "missing campaign_id", true)]
    );
    let c1 = ws.campaign("C1").unwrap();
    assert_eq!(c1.objective, Some(Objective::Sales));
    assert_eq!(c1.budget, Some(10_000.0));
    assert_eq!(c1.start_date, Some(day("2025-03-01")));
    assert_eq!(
        ws.campaign("C2").unwrap().objective,
        Some(Objective::Awareness)
    );
}

#[test]
fn workspace_document_loads_every_table() {
    let mut ws = Workspace::default();
    let report = load_ok(&mut ws, "workspace.json", &LoadOptions::default());
    assert_eq!(report.detection.format_name, "Workspace document");
    assert_eq!(report.rows_read, 6); // 2 posts + 1 of each other table
    assert_eq!(ws.posts.len(), 2);
    assert_eq!(ws.posts.measure(Measure::PostCount), &[1.0, 3.0]);
    assert_eq!(measure(&ws, Measure::Reach), vec![Some(100.5), None]);
    assert!(ws.posts.has(Measure::Reach));
    assert_eq!(
        ws.posts.disclosure,
        vec![Disclosure::Disclosed, Disclosure::Unknown]
    );
    assert_eq!(ws.posts.disclosure_method, DisclosureMethod::Column);
    assert_eq!(ws.creators[0].discount_code.as_deref(), Some("ANNA10"));
    assert_eq!(ws.creators[0].contract_terms_met, Some(true));
    let asset = &ws.assets[0];
    let feb20 = i64::from(day("2025-02-20")) * 86_400;
    assert_eq!(asset.submitted_at, Some(feb20 + 9 * 3600));
    assert_eq!(
        asset.approved_at,
        Some(feb20 + 2 * 86_400 + 17 * 3600 + 30 * 60)
    );
    assert_eq!(ws.comments[0].text, "love it");
}

#[test]
fn workspace_json_round_trip_is_lossless() {
    let mut ws = Workspace::default();
    load_ok(&mut ws, "workspace.json", &LoadOptions::default());
    load_ok(&mut ws, "creators_with_codes.csv", &LoadOptions::default());
    load_ok(&mut ws, "shopify_orders.csv", &LoadOptions::default());
    load_ok(&mut ws, "meta_posts.csv", &with_platform("ig"));
    load_ok(&mut ws, "campaigns.json", &LoadOptions::default());
    let exported = workspace_json(&ws);
    let mut back = Workspace::default();
    let report = load(
        &mut back,
        "ws.json",
        exported.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(report.rows_rejected, 0, "{:?}", report.issues);
    assert_eq!(back.posts.len(), ws.posts.len());
    for i in 0..ws.posts.len() {
        assert_eq!(back.posts.row(i), ws.posts.row(i), "row {i}");
    }
    assert_eq!(back.posts.present, ws.posts.present);
    assert_eq!(back.posts.disclosure_method, ws.posts.disclosure_method);
    assert_eq!(back.campaigns, ws.campaigns);
    assert_eq!(back.creators, ws.creators);
    assert_eq!(back.assets, ws.assets);
    assert_eq!(back.comments, ws.comments);
    assert_eq!(workspace_json(&back), exported);
}

#[test]
fn streaming_in_small_chunks_matches_one_shot() {
    let bytes = fixture("malformed_posts.csv");
    let mut one_shot = Workspace::default();
    let expected = load(&mut one_shot, "f.csv", &bytes, &LoadOptions::default()).unwrap();
    for size in [1, 3, 17] {
        let mut streaming = StreamingLoad::new("f.csv", LoadOptions::default());
        for chunk in bytes.chunks(size) {
            streaming.feed(chunk);
        }
        let mut ws = Workspace::default();
        assert_eq!(streaming.finish(&mut ws).unwrap(), expected);
        assert_eq!(ws.posts.len(), one_shot.posts.len());
    }
}

#[test]
fn a_load_that_knows_its_size_reserves_its_columns_once() {
    // 20,000 rows of 8 canonical columns, fed in 4 KiB chunks as the worker feeds
    // 1 MiB slices of a big file.
    let mut csv = String::from("platform,date,post_id,creator_id,impressions,likes,revenue,cost\n");
    for i in 0..20_000 {
        csv += &format!(
            "tiktok,2025-03-{:02},p{i},K{},{},{},{}.50,{}\n",
            i % 28 + 1,
            i % 40,
            1000 + i,
            i % 97,
            i % 13,
            5 + i % 7
        );
    }
    let mut loads = Vec::new();
    for sized in [false, true] {
        let mut streaming = StreamingLoad::new("f.csv", LoadOptions::default());
        if sized {
            streaming.expect_bytes(csv.len() as f64);
        }
        for chunk in csv.as_bytes().chunks(4096) {
            streaming.feed(chunk);
        }
        let mut ws = Workspace::default();
        let report = streaming.finish(&mut ws).unwrap();
        assert_eq!((report.rows_read, report.rows_used), (20_000, 20_000));
        loads.push(ws);
    }
    let (grown, planned) = (&loads[0].posts, &loads[1].posts);
    assert_eq!(workspace_json(&loads[0]), workspace_json(&loads[1]));
    // Doubling leaves a column of 20,000 rows with room for 32,768. Planned, it holds
    // the rows projected from the first chunk plus 3 %: 21,765, as the rows lengthen
    // down the file (p9 → p19999), so the first chunk has more rows per byte.
    let impressions =
        |p: &kpi_dash::data::store::Posts| p.measures[Measure::Impressions as usize].capacity();
    assert_eq!(impressions(grown), 32_768);
    assert!(impressions(planned) < 22_000, "{}", impressions(planned));
    assert!(planned.heap_bytes() < grown.heap_bytes());
}

#[test]
fn nothing_usable_leaves_the_workspace_untouched() {
    let mut ws = Workspace::default();
    load_ok(&mut ws, "meta_posts.csv", &with_platform("ig"));
    let before = workspace_json(&ws);
    for bytes in [
        &b""[..],
        b"  \n",
        b"platform,likes\n",
        b"platform,likes\n,\n",
        b"[1,2]",
        b"{oops",
    ] {
        let err = load(&mut ws, "bad", bytes, &LoadOptions::default()).unwrap_err();
        assert!(!err.message().is_empty());
        assert_eq!(workspace_json(&ws), before);
    }
}

/// Row of a post id in the workspace.
fn row_of(ws: &Workspace, id: &str) -> usize {
    (0..ws.posts.len())
        .find(|&i| ws.posts.post_id.get(i) == id)
        .unwrap()
}

#[test]
fn a_measure_absent_from_the_first_file_is_filled_when_a_later_one_brings_it() {
    let header = "platform,date,post_id,campaign_id,creator_id,format,impressions";
    let first = format!(
        "{header}\ntiktok,2026-01-01,a1,C1,K1,video,100\ntiktok,2026-01-02,a2,C1,K1,video,200\n"
    );
    let mut ws = Workspace::default();
    load(&mut ws, "a.csv", first.as_bytes(), &LoadOptions::default()).unwrap();
    // An absent measure keeps no column at all.
    assert!(!ws.posts.has(Measure::Clicks));
    assert!(ws.posts.measure(Measure::Clicks).is_empty());

    // The second file brings clicks, and its a1 adds to the loaded a1.
    let second = format!(
        "{header},clicks\ntiktok,2026-01-03,b1,C1,K1,video,300,7\ntiktok,2026-01-01,a1,C1,K1,video,50,3\n"
    );
    let sum = LoadOptions {
        duplicates: DuplicatePolicy::Sum,
        ..LoadOptions::default()
    };
    load(&mut ws, "b.csv", second.as_bytes(), &sum).unwrap();
    // A third file without clicks: its row has no clicks (absent, not 0).
    let third = format!("{header}\ntiktok,2026-01-04,c1,C1,K1,video,400\n");
    load(&mut ws, "c.csv", third.as_bytes(), &LoadOptions::default()).unwrap();

    let p = &ws.posts;
    assert_eq!(p.len(), 4);
    assert!(p.has(Measure::Clicks));
    assert_eq!(p.measure(Measure::Clicks).len(), 4);
    assert_eq!(p.measure(Measure::Impressions).len(), 4);
    let clicks = |id| p.value(Measure::Clicks as usize, row_of(&ws, id));
    let impressions = |id| p.value(Measure::Impressions as usize, row_of(&ws, id));
    // a1: no clicks, then 3 added: 3, and 100 + 50 impressions; a2: no clicks (its
    // file had none); b1: 7; c1: none. Missing is not zero.
    assert_eq!(
        [clicks("a1"), clicks("a2"), clicks("b1"), clicks("c1")],
        [Some(3.0), None, Some(7.0), None]
    );
    assert_eq!(p.rows_with(Measure::Clicks), 2);
    assert_eq!(
        [
            impressions("a1"),
            impressions("a2"),
            impressions("b1"),
            impressions("c1")
        ],
        [Some(150.0), Some(200.0), Some(300.0), Some(400.0)]
    );
    assert!(p.measure(Measure::Reach).is_empty());
}

#[test]
fn tiktok_studio_year_less_dates_cross_new_year() {
    // TikTok Studio's Content export: BOM, every field quoted, `Post time` without a
    // year, newest first across New Year. The file name gives no period, so the year
    // is the latest that puts no post after today (2026-01-10): Jan 3 and Jan 1 are
    // 2026, Dec 28 and Dec 30 the year before.
    let csv = "\u{feff}\"Time\",\"Video title\",\"Video link\",\"Post time\",\"Total likes\",\"Total comments\",\"Total shares\",\"Total views\"\n\
        \"Jan 3\",\"New year vlog\",\"https://www.tiktok.com/@a/video/4\",\"Jan 3\",\"120\",\"4\",\"2\",\"1500\"\n\
        \"Jan 1\",\"Countdown\",\"https://www.tiktok.com/@a/video/3\",\"January 1\",\"300\",\"9\",\"6\",\"4200\"\n\
        \"Dec 30\",\"Best of 2025\",\"https://www.tiktok.com/@a/video/2\",\"30 December\",\"80\",\"1\",\"0\",\"900\"\n\
        \"Dec 28\",\"Gift haul\",\"https://www.tiktok.com/@a/video/1\",\"Dec 28\",\"45\",\"2\",\"1\",\"610\"\n";
    let options = LoadOptions {
        today: Some(day("2026-01-10")),
        ..with_platform("tiktok")
    };
    let mut ws = Workspace::default();
    let report = load(&mut ws, "Content.csv", csv.as_bytes(), &options).unwrap();
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (4, 4, 0)
    );
    assert_eq!(
        ws.posts.day,
        [
            day("2026-01-03"),
            day("2026-01-01"),
            day("2025-12-30"),
            day("2025-12-28")
        ]
    );
    assert!(
        report.notices.iter().any(|n| n
            == "4 dates have no year (such as Jan 3): read in 2025 and 2026, the latest years that put no date after today (2026-01-10)"),
        "{:?}",
        report.notices
    );

    // The same rows named with their period (TikTok's `Aug-01-2025_…` style): the
    // period, not today, gives the years.
    let mut ws = Workspace::default();
    let named = "Nov-15-2024_Jan-14-2025_Content.csv";
    let report = load(&mut ws, named, csv.as_bytes(), &options).unwrap();
    assert_eq!(report.rows_used, 4);
    assert_eq!(
        ws.posts.day,
        [
            day("2025-01-03"),
            day("2025-01-01"),
            day("2024-12-30"),
            day("2024-12-28")
        ]
    );
}

#[test]
fn date_column_settles_day_month_order_and_reads_numbers() {
    // Line 3's 25/04/2025 can only be day/month, so 03/04/2025 on line 2 is April 3
    // although the setting is month/day. 45890 is an Excel serial (2025-08-21);
    // `12:15:25` is a time without a date: that row is rejected.
    let csv = "platform,post_id,date,likes\n\
        instagram,p1,03/04/2025,1\n\
        instagram,p2,25/04/2025,2\n\
        instagram,p3,45890,3\n\
        instagram,p4,12:15:25,4\n\
        instagram,p5,Lifetime,5\n";
    let mut ws = Workspace::default();
    let report = load(
        &mut ws,
        "posts.csv",
        csv.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (5, 4, 1)
    );
    assert_eq!(
        ws.posts.day,
        [
            day("2025-04-03"),
            day("2025-04-25"),
            day("2025-08-21"),
            NO_DAY
        ]
    );
    assert_eq!(
        issue_list(&report),
        [(
            5,
            Some("date"),
            "12:15:25",
            "unreadable date (a time without a date)",
            true
        )]
    );
    assert!(
        report.notices.iter().any(|n| n
            == "dates like 03/04/2025 were read as day/month, the order that 25/04/2025 in the same column shows"),
        "{:?}",
        report.notices
    );
}

#[test]
fn times_of_day_are_kept_where_the_file_has_them() {
    use kpi_dash::data::packed::{pack, unpack};
    let mut ws = Workspace::default();
    // A file of dates alone keeps no time column.
    let dates_only = "platform,post_id,date,likes\ninstagram,d1,2025-03-01,1\n";
    load(
        &mut ws,
        "a.csv",
        dates_only.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert!(ws.posts.time.is_empty());
    // Then one with times: 2:05 PM = 14×3600 + 5×60 = 50700 s; the offset leaves the
    // day and the written time as they are (23:30 = 84600 s on March 4).
    let timed = "platform,post_id,date,likes\n\
        instagram,t1,3/4/2025 2:05 PM,1\n\
        instagram,t2,2025-03-04 23:30 -0500,2\n\
        instagram,t3,2025-03-05,3\n";
    load(&mut ws, "b.csv", timed.as_bytes(), &LoadOptions::default()).unwrap();
    let times: Vec<Option<u32>> = (0..ws.posts.len())
        .map(|i| ws.posts.time_of_day(i))
        .collect();
    assert_eq!(times, [None, Some(50_700), Some(84_600), None]);
    assert_eq!(ws.posts.day[2], day("2025-03-04"));
    assert_eq!(ws.posts.row(1).time, Some(50_700));
    // The times cross to the data worker and back.
    let back = unpack(pack(ws)).unwrap();
    let times_back: Vec<Option<u32>> = (0..back.posts.len())
        .map(|i| back.posts.time_of_day(i))
        .collect();
    assert_eq!(times_back, times);
}

#[test]
fn a_lifetime_date_column_is_no_date_and_never_replaces_the_publish_time() {
    // Meta Business Suite: `Publish time` holds the date, `Date` the literal
    // `Lifetime`. Even mapped to `date` too, `Lifetime` is absent, not an error.
    let csv = "platform,post_id,Publish time,Date,likes\n\
        instagram,p1,08/21/2025 14:30,Lifetime,3\n\
        instagram,p2,,Lifetime,4\n";
    let options = LoadOptions {
        mapping: Some(vec![
            ("Publish time".into(), Some("date".into())),
            ("Date".into(), Some("date".into())),
        ]),
        ..LoadOptions::default()
    };
    let mut ws = Workspace::default();
    let report = load(&mut ws, "meta.csv", csv.as_bytes(), &options).unwrap();
    assert_eq!((report.rows_used, report.rows_rejected), (2, 0));
    assert_eq!(ws.posts.day, [day("2025-08-21"), NO_DAY]);
    // 14:30 = 14×3600 + 30×60 = 52200 s.
    assert_eq!(ws.posts.time_of_day(0), Some(52_200));
}
