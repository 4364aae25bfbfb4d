//! The three real exports load with no manual mapping, apart from giving the platform.
//! They are byte-for-byte copies of ../shared/fixtures/real/ in tests/fixtures/real/, so
//! a clean clone tests without the shared folder. Expected values were read off the files by hand; row counts
//! and totals were cross-checked with Python's csv module.

use kpi_dash::data::calendar::parse_iso_day;
use kpi_dash::data::ingest::{detect, load, FileReport, LoadOptions};
use kpi_dash::data::schema::{Measure, TableKind};
use kpi_dash::data::store::{DisclosureMethod, Workspace, NO_DAY};

fn real(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/real/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn instagram() -> LoadOptions {
    LoadOptions {
        platform: Some("Instagram".into()),
        ..LoadOptions::default()
    }
}

fn load_real(ws: &mut Workspace, name: &str, options: &LoadOptions) -> FileReport {
    let report = load(ws, name, &real(name), options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.rows_read, report.rows_used + report.rows_rejected);
    report
}

#[test]
fn instagram_insights_posts() {
    let name = "instagram-insights-posts.csv";
    let detection = detect(name, &real(name)).unwrap();
    assert_eq!(detection.kind, TableKind::Posts);
    assert_eq!(detection.format_name, "Instagram Insights (posts)");
    assert_eq!(detection.encoding, "utf-8");
    // The format names the platform (issue 13): nothing to ask.
    assert!(!detection.needs_platform);
    assert_eq!(detection.platform.as_deref(), Some("instagram"));
    let mapped: Vec<(&str, Option<&str>)> = detection
        .mapping
        .iter()
        .map(|m| (m.source.as_str(), m.target.as_deref()))
        .collect();
    assert_eq!(
        mapped,
        vec![
            ("Date", Some("date")),
            ("Impressions", Some("impressions")),
            ("From Home", None),
            ("From Hashtags", None),
            ("From Explore", None),
            ("From Other", None),
            ("Saves", Some("saves")),
            ("Comments", Some("comments")),
            ("Shares", Some("shares")),
            ("Likes", Some("likes")),
            ("Profile Visits", None),
            ("Follows", None),
            ("Conversion Rate", None),
            ("Caption", Some("caption")),
            ("Hashtags", Some("caption")),
        ]
    );

    let mut ws = Workspace::default();
    let report = load_real(&mut ws, name, &instagram());
    // 177 lines: the header plus 176 posts, no caption spans lines.
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (176, 176, 0)
    );
    assert!(report.issues.is_empty());
    let posts = &ws.posts;
    // First row: 2021-12-10,3920,…,Saves 98, Comments 9, Shares 5, Likes 162.
    assert_eq!(posts.day[0], parse_iso_day("2021-12-10").unwrap());
    assert_eq!(posts.measure(Measure::Impressions)[0], 3920.0);
    assert_eq!(posts.measure(Measure::Likes)[0], 162.0);
    assert_eq!(posts.measure(Measure::Saves)[0], 98.0);
    assert_eq!(posts.measure(Measure::Comments)[0], 9.0);
    assert_eq!(posts.measure(Measure::Shares)[0], 5.0);
    assert!(!posts.has(Measure::Reach));
    // Caption and hashtags joined for disclosure detection (tags split by U+00A0).
    assert!(posts
        .caption
        .get(0)
        .starts_with("Here are some of the most important"));
    assert!(posts
        .caption
        .get(0)
        .ends_with("#amankharwal\u{a0}#thecleverprogrammer"));
    // Last row: 2022-06-03, 12213 impressions, 345 likes.
    assert_eq!(posts.day[175], parse_iso_day("2022-06-03").unwrap());
    assert_eq!(posts.measure(Measure::Impressions)[175], 12_213.0);
    assert_eq!(posts.measure(Measure::Likes)[175], 345.0);
    // Totals (Python csv cross-check): 3,464,652 impressions, 53,286 likes.
    assert_eq!(
        posts.measure(Measure::Impressions).iter().sum::<f64>(),
        3_464_652.0
    );
    assert_eq!(posts.measure(Measure::Likes).iter().sum::<f64>(), 53_286.0);
    // No caption holds a disclosure tag, and no post is in a campaign or has a cost:
    // the creator's own organic posts, whose disclosure is not judged (no counts).
    assert_eq!(posts.disclosure_method, DisclosureMethod::Caption);
    assert!(!posts.has(Measure::DisclosureKnownPosts));
    assert!(!posts.has(Measure::DisclosedPosts));
    assert_eq!(posts.platforms.values(), &["instagram".to_owned()]);
}

#[test]
fn instagram_insights_latin1_without_dates() {
    let name = "instagram-insights-posts-latin1.csv";
    let mut ws = Workspace::default();
    let report = load_real(&mut ws, name, &instagram());
    assert_eq!(report.detection.encoding, "windows-1252");
    // 101 lines after the header line: 99 posts and a last line of 12 commas.
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (100, 99, 1)
    );
    assert_eq!(report.issues.len(), 1);
    let empty = &report.issues[0];
    assert_eq!(
        (empty.line, empty.reason().as_str(), empty.row_rejected),
        (101, "empty row", true)
    );
    assert_eq!(ws.posts.undated_rows(), 99);
    assert!(ws.posts.day.iter().all(|&d| d == NO_DAY));
    assert!(report.notices.iter().any(|n| n.starts_with(
        "99 rows have no date: they count in the totals but stay out of period views and trends"
    )));
    // First row: 3920 impressions, 162 likes; hashtags separated by 0xA0 (no-break space).
    assert_eq!(ws.posts.measure(Measure::Impressions)[0], 3920.0);
    assert_eq!(ws.posts.measure(Measure::Likes)[0], 162.0);
    assert!(ws
        .posts
        .caption
        .get(0)
        .contains("#finance\u{a0}#money\u{a0}#business"));
    // Totals (Python csv cross-check): 459,769 impressions, 15,873 likes.
    assert_eq!(
        ws.posts.measure(Measure::Impressions).iter().sum::<f64>(),
        459_769.0
    );
    assert_eq!(
        ws.posts.measure(Measure::Likes).iter().sum::<f64>(),
        15_873.0
    );
}

#[test]
fn top_instagram_creators() {
    let name = "top-instagram-creators.csv";
    let mut ws = Workspace::default();
    let report = load_real(&mut ws, name, &instagram());
    assert_eq!(report.detection.kind, TableKind::Creators);
    assert_eq!(report.detection.format_name, "Creator list");
    assert!(!report.detection.needs_platform);
    // 200 creators; "NaN" countries and one "NaN%" rate are missing values, not errors.
    assert_eq!((report.rows_read, report.rows_used), (200, 200));
    assert!(report.issues.is_empty(), "{:?}", report.issues);
    assert!(report
        .notices
        .iter()
        .any(|n| n.starts_with("1 fields held double-encoded")));
    // Line 2: 1,cristiano,92,3.3k,475.8m,8.7m,1.39%,6.5m,29.0b,Spain
    let ronaldo = ws.creator("cristiano").unwrap();
    assert_eq!(ronaldo.name, "cristiano");
    assert_eq!(ronaldo.platform.as_deref(), Some("instagram"));
    assert_eq!(ronaldo.followers, Some(475_800_000.0));
    assert_eq!(ronaldo.avg_likes, Some(8_700_000.0));
    assert_eq!(ronaldo.engagement_rate, Some(0.0139));
    assert_eq!(ronaldo.influence_score, Some(92.0));
    assert_eq!(ronaldo.country.as_deref(), Some("Spain"));
    // A creator's own country is not an audience breakdown: no creator of the list has
    // one, and no audience rows were read.
    assert!(ws
        .creators
        .iter()
        .all(|c| c.audience == kpi_dash::data::audience::AudienceColumns::default()));
    assert!(ws.audience.is_empty());
    // Line 4: leomessi, country NaN.
    assert_eq!(ws.creator("leomessi").unwrap().country, None);
    // Line 134: hrithikroshan, "CÃ´te d'Ivoire" repaired.
    let hrithik = ws.creator("hrithikroshan").unwrap();
    assert_eq!(hrithik.country.as_deref(), Some("Côte d'Ivoire"));
    assert_eq!(hrithik.engagement_rate, Some(0.0382));
    // Line 169: rkive, 60d_eng_rate NaN%.
    assert_eq!(ws.creator("rkive").unwrap().engagement_rate, None);
    // Line 201: 200,raisa6690,80,4.2k,32.8m,232.2k,0.30%,…
    let last = ws.creators.last().unwrap();
    assert_eq!(last.creator_id, "raisa6690");
    assert_eq!(last.avg_likes, Some(232_200.0));
    assert_eq!(
        ws.creators.iter().filter(|c| c.country.is_none()).count(),
        62
    );
}
