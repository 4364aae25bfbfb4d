//! The CSV writer and the `gen` command: canonical headers, one line per row, ISO dates,
//! true/false, empty cells for missing values, RFC 4180 quoting, a UTF-8 BOM first.

use kpi_dash::data::demo::{self, DEMO_SEED};
use kpi_dash::data::export::{
    assets_csv, campaigns_csv, comments_csv, creators_csv, posts_csv, PostsCsvWriter,
};
use kpi_dash::data::schema::{Measure, TableKind};
use kpi_dash::data::store::{Campaign, Creator, PostRow, Posts};

/// A small RFC 4180 reader, written independently of the writer under test. Every
/// export starts with a UTF-8 BOM (for Excel): asserted, then skipped.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a CSV export starts with a UTF-8 BOM");
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "text must end with a newline"
    );
    records
}

fn header_of(kind: TableKind) -> Vec<String> {
    kind.columns().iter().map(|c| c.name.to_owned()).collect()
}

#[test]
fn demo_posts_round_trip() {
    let ws = demo::generate(DEMO_SEED);
    let records = parse_csv(&posts_csv(&ws.posts));
    assert_eq!(records[0], header_of(TableKind::Posts));
    assert_eq!(records.len(), 1 + 3_000);
    let col = |name: &str| records[0].iter().position(|h| h == name).unwrap();
    for (i, record) in records[1..].iter().enumerate() {
        assert_eq!(record.len(), 30);
        assert_eq!(record[col("post_id")], ws.posts.post_id.get(i));
        assert_eq!(record[col("caption")], ws.posts.caption.get(i));
        let impressions: f64 = record[col("impressions")].parse().unwrap();
        assert_eq!(impressions, ws.posts.measure(Measure::Impressions)[i]);
        let revenue: f64 = record[col("revenue")].parse().unwrap();
        assert_eq!(revenue, ws.posts.measure(Measure::Revenue)[i]);
        assert!(["true", "false"].contains(&record[col("disclosed")].as_str()));
    }
    // The first post is on the first day, formatted as ISO (with its time of day: the
    // demo's posts have one since issue 19).
    assert_eq!(&records[1][col("date")][..11], "2025-11-01T");
    assert_eq!(&records[3_000][col("date")][..11], "2026-10-31T");
    assert_eq!(records[1][col("post_count")], "1");
}

#[test]
fn captions_with_commas_quotes_and_newlines_are_quoted() {
    let caption = "Hello, \"world\"\nline two #ad";
    let mut posts = Posts::default();
    let mut row = PostRow {
        platform: "tiktok".into(),
        date: None,
        post_id: "P1".into(),
        caption: caption.into(),
        disclosure: Some(true),
        ..PostRow::default()
    };
    row.values[Measure::Likes as usize] = Some(12.0);
    row.values[Measure::Revenue as usize] = Some(19.5);
    posts.push(&row);
    let text = posts_csv(&posts);
    // Quotes doubled, the whole field in quotes.
    assert!(
        text.contains("\"Hello, \"\"world\"\"\nline two #ad\""),
        "{text}"
    );
    let records = parse_csv(&text);
    assert_eq!(records.len(), 2);
    let col = |name: &str| records[0].iter().position(|h| h == name).unwrap();
    assert_eq!(records[1][col("caption")], caption);
    assert_eq!(records[1][col("likes")], "12");
    assert_eq!(records[1][col("revenue")], "19.5");
    // Missing: no date, no impressions.
    assert_eq!(records[1][col("date")], "");
    assert_eq!(records[1][col("impressions")], "");
    assert_eq!(records[1][col("disclosed")], "true");
}

#[test]
fn campaigns_creators_assets_comments_have_canonical_columns() {
    let ws = demo::generate(DEMO_SEED);
    let campaigns = parse_csv(&campaigns_csv(&ws.campaigns));
    assert_eq!(campaigns[0], header_of(TableKind::Campaigns));
    assert_eq!(campaigns.len(), 9);
    let c08 = campaigns.iter().find(|r| r[0] == "C08").unwrap();
    assert_eq!(c08[1], "Black Friday Early");
    assert_eq!(c08[2], "sales");
    assert_eq!(c08[3], "2026-09-01");
    assert_eq!(c08[4], "2026-12-31");

    let creators = parse_csv(&creators_csv(&ws.creators));
    assert_eq!(creators[0], header_of(TableKind::Creators));
    assert_eq!(creators.len(), 61);
    let met = creators[0]
        .iter()
        .position(|h| h == "contract_terms_met")
        .unwrap();
    let breached: Vec<&str> = creators[1..]
        .iter()
        .filter(|r| r[met] == "false")
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(breached, [demo::CONTRACT_BREACH_CREATOR]);

    let assets = parse_csv(&assets_csv(&ws.assets));
    assert_eq!(assets[0], header_of(TableKind::Assets));
    assert_eq!(assets.len(), 41);
    // Timestamps are ISO date and time.
    let submitted = &assets[1][3];
    assert_eq!(
        (submitted.len(), &submitted[10..11]),
        (19, "T"),
        "{submitted}"
    );

    let comments = parse_csv(&comments_csv(&ws.comments));
    assert_eq!(comments[0], header_of(TableKind::Comments));
    assert_eq!(comments.len(), 401);
    assert!(
        comments[1..].iter().any(|r| r[3].is_empty()),
        "some unlabelled"
    );
    assert!(comments[1..].iter().any(|r| r[3] == "positive"));
}

#[test]
fn missing_values_are_empty_cells() {
    let campaign = Campaign {
        campaign_id: "C9".into(),
        ..Campaign::default()
    };
    assert_eq!(
        campaigns_csv(&[campaign]).lines().nth(1),
        Some("C9,,,,,,,,,,,,,,,")
    );
    let creator = Creator {
        creator_id: "K9".into(),
        contract_terms_met: Some(true),
        ..Creator::default()
    };
    let text = creators_csv(&[creator]);
    let record = &parse_csv(&text)[1];
    assert_eq!(record.len(), 18);
    assert_eq!(record.iter().filter(|v| v.is_empty()).count(), 16);
}

#[test]
fn large_rows_stream_at_about_110_bytes() {
    // 1M rows must come to ~110 MB: check the bytes per row on a 20k-row sample.
    let scenario = demo::large_scenario(DEMO_SEED, 20_000);
    let mut writer = PostsCsvWriter::new(Vec::new()).unwrap();
    for row in scenario.posts() {
        writer.write_row(&row).unwrap();
    }
    let bytes = writer.finish().unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.lines().count(), 20_001);
    let per_row = text.len() as f64 / 20_000.0;
    assert!(
        (100.0..=120.0).contains(&per_row),
        "{per_row} bytes per row"
    );
}

#[test]
fn gen_command_writes_the_files() {
    let dir = std::env::temp_dir().join(format!("kpi-gen-test-{}", std::process::id()));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gen"))
        .args([
            "--out",
            dir.to_str().unwrap(),
            "--posts",
            "2000",
            "--seed",
            "5",
        ])
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let posts = std::fs::read_to_string(dir.join("posts.csv")).unwrap();
    assert_eq!(parse_csv(&posts).len(), 2_001);
    let campaigns = std::fs::read_to_string(dir.join("campaigns.csv")).unwrap();
    assert_eq!(parse_csv(&campaigns).len(), 41);
    let creators = std::fs::read_to_string(dir.join("creators.csv")).unwrap();
    assert_eq!(parse_csv(&creators).len(), 601);

    let demo_dir = dir.join("demo");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gen"))
        .args(["--out", demo_dir.to_str().unwrap(), "--demo"])
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let posts = std::fs::read_to_string(demo_dir.join("posts.csv")).unwrap();
    assert_eq!(posts, posts_csv(&demo::generate(DEMO_SEED).posts));
    for table in ["campaigns", "creators", "assets", "comments"] {
        assert!(demo_dir.join(format!("{table}.csv")).exists(), "{table}");
    }

    let missing_out = std::process::Command::new(env!("CARGO_BIN_EXE_gen"))
        .args(["--posts", "10"])
        .output()
        .unwrap();
    assert!(!missing_out.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exports_with_their_bom_load_back_whole_and_streamed() {
    use kpi_dash::data::ingest::{load, LoadOptions, StreamingLoad};
    use kpi_dash::data::store::Workspace;
    // The BOM (EF BB BF) is the first 3 bytes; both loaders drop it, so the first column
    // is still `platform` and every demo post comes back, in 1-byte and 4 KiB chunks.
    let ws = demo::generate(DEMO_SEED);
    let text = posts_csv(&ws.posts);
    assert_eq!(&text.as_bytes()[..3], b"\xEF\xBB\xBF");
    let mut whole = Workspace::default();
    let expected = load(
        &mut whole,
        "posts.csv",
        text.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(expected.detection.headers[0], "platform");
    assert_eq!((expected.rows_read, expected.rows_used), (3_000, 3_000));
    assert_eq!(whole.posts.len(), ws.posts.len());
    // Streamed: the BOM split over three 1-byte chunks, then 4 KiB chunks.
    let bytes = text.as_bytes();
    let mut streaming = StreamingLoad::new("posts.csv", LoadOptions::default());
    for chunk in bytes[..3].chunks(1).chain(bytes[3..].chunks(4096)) {
        streaming.feed(chunk);
    }
    let mut streamed = Workspace::default();
    let report = streaming
        .finish(&mut streamed)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report, expected);
    assert_eq!(streamed.posts.len(), ws.posts.len());
}
