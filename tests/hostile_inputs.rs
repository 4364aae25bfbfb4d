//! Hostile and huge inputs (issue 14, items 2 and 3): files that are not tables are
//! refused by name before anything is parsed, and leave the workspace as it was; XLSX
//! and UTF-16 text go to the reader that understands them; columns are capped at
//! `MAX_COLUMNS`; and the header sniffer, the leading-whitespace check and the JSON
//! header are linear. The quadratic inputs are bounded by counting the work (bytes
//! looked at, cells kept), never by timing.

use kpi_dash::data::csv::{CsvReader, Record};
use kpi_dash::data::ingest::{
    detect, load, sniff, workspace_json, LoadOptions, Sniffed, StreamingLoad, TextEncoding,
    MAX_COLUMNS,
};
use kpi_dash::data::json;
use kpi_dash::data::schema::Measure;
use kpi_dash::data::store::Workspace;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn with_platform() -> LoadOptions {
    LoadOptions {
        platform: Some("instagram".into()),
        ..LoadOptions::default()
    }
}

/// A workspace with rows in it, so that "unchanged" means something.
fn base() -> Workspace {
    let mut ws = Workspace::default();
    load(
        &mut ws,
        "meta.csv",
        &fixture("meta_posts.csv"),
        &with_platform(),
    )
    .expect("base");
    assert!(!ws.posts.is_empty());
    ws
}

/// A zip file with stored (uncompressed) entries.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let size = data.len() as u32;
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, method 0, time, date
        out.extend_from_slice(&[0; 4]); // crc (not checked)
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        central.extend_from_slice(&[0; 4]);
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    let n = (entries.len() as u16).to_le_bytes();
    out.extend_from_slice(&[n[0], n[1], n[0], n[1]]);
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    out
}

/// The start of a real PNG: signature, IHDR of a 1×1 image, IDAT, IEND.
fn png() -> Vec<u8> {
    let mut b =
        b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
            .to_vec();
    b.extend_from_slice(b"\0\0\0\x0dIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N");
    b.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
    b
}

/// UTF-16 text: `bom` adds the byte-order mark.
fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
    for u in units {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// Asserts the file is refused with `expected` in the message, by `detect`, by `load`
/// (leaving a loaded workspace as it was) and by a load streamed in small chunks, which
/// knows the refusal before the end.
fn assert_refused(name: &str, bytes: &[u8], expected: &str) {
    let err = detect(name, bytes).expect_err(name);
    assert!(
        err.message().contains(expected),
        "{name}: {}",
        err.message()
    );
    let mut ws = base();
    let before = workspace_json(&ws);
    let err = load(&mut ws, name, bytes, &with_platform()).expect_err(name);
    assert!(
        err.message().contains(expected),
        "{name}: {}",
        err.message()
    );
    assert_eq!(workspace_json(&ws), before, "{name}: the workspace changed");
    let mut streaming = StreamingLoad::new(name, with_platform());
    for chunk in bytes.chunks(7) {
        streaming.feed(chunk);
    }
    let early = streaming.refusal().map(|kind| kind.to_string());
    let err = streaming.finish(&mut ws).expect_err(name);
    assert!(
        err.message().contains(expected),
        "{name}: {}",
        err.message()
    );
    if let Some(early) = early {
        assert_eq!(early, err.message());
    }
    assert_eq!(workspace_json(&ws), before, "{name}: the workspace changed");
}

#[test]
fn files_that_are_not_tables_are_refused_by_name() {
    let mut padded = png();
    padded.extend(std::iter::repeat_n(b'a', 5_000));
    assert_refused(
        "photo.png",
        &png(),
        "this is a PNG image, not a table: export CSV, JSON or XLSX",
    );
    assert_refused("photo.csv", &padded, "this is a PNG image");
    assert_refused("p.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01", "a JPEG image");
    assert_refused("a.gif", b"GIF89a\x01\0\x01\0\x80\0\0", "a GIF image");
    assert_refused(
        "doc.pdf",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj",
        "a PDF document",
    );
    assert_refused(
        "posts.csv.gz",
        b"\x1F\x8B\x08\0\0\0\0\0\0\x03",
        "a gzip archive",
    );
    assert_refused(
        "old.xls",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0",
        "Excel 97-2003 workbook (.xls)",
    );
    assert_refused("u32.txt", &[0xFF, 0xFE, 0, 0, b'a', 0, 0, 0], "UTF-32 text");
    assert_refused(
        "blob.bin",
        b"ab\0\0\0\x01\x02\0\xff\xfe\0\0\x10",
        "a binary file (it holds NUL bytes)",
    );
    // `?data=/index.html`: the app's own page.
    let index = std::fs::read(format!("{}/index.html", env!("CARGO_MANIFEST_DIR"))).unwrap();
    assert_refused("index.html", &index, "this is an HTML page, not a table");
    assert_refused(
        "x.csv",
        b"\xEF\xBB\xBF  \n<html><body>hi</body></html>",
        "an HTML page",
    );
    assert_refused(
        "feed.xml",
        b"<?xml version=\"1.0\"?><rss/>",
        "an XML document",
    );
    // Zips: a Word document and a plain archive are refused, each by name.
    let docx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>".as_slice()),
        ("word/document.xml", b"<w:document/>".as_slice()),
    ]);
    assert_refused(
        "report.docx",
        &docx,
        "this is a Word document (.docx), not a table",
    );
    let archive = zip_of(&[(
        "posts.csv",
        b"platform,post_id,likes\ntiktok,1,5\n".as_slice(),
    )]);
    assert_refused(
        "posts.zip",
        &archive,
        "a zip archive that is not an XLSX workbook",
    );
}

#[test]
fn xlsx_and_utf16_go_to_their_readers() {
    // An XLSX workbook is a zip too: it is read, whatever its name says.
    let book = fixture("shapes/meta_instagram_posts.xlsx");
    assert_eq!(sniff(&book), Some(Sniffed::Zip));
    let detection = detect("book.docx", &book).expect("xlsx detected");
    assert_eq!(detection.encoding, "xlsx");
    let mut ws = Workspace::default();
    let report = load(&mut ws, "book.docx", &book, &LoadOptions::default()).expect("xlsx loads");
    assert!(report.rows_used > 0);

    // The same posts as UTF-8, UTF-16LE and UTF-16BE, with and without a BOM.
    let text = String::from_utf8(fixture("meta_posts.csv")).unwrap();
    let mut plain = Workspace::default();
    let expected = load(&mut plain, "p.csv", text.as_bytes(), &with_platform()).unwrap();
    for (big_endian, bom, label) in [
        (false, true, "utf-16le"),
        (true, true, "utf-16be"),
        (false, false, "utf-16le"),
        (true, false, "utf-16be"),
    ] {
        let bytes = utf16(&text, big_endian, bom);
        assert_eq!(
            sniff(&bytes),
            Some(Sniffed::Csv(TextEncoding::Utf16 { big_endian })),
            "{label} bom={bom}"
        );
        assert_eq!(detect("p.txt", &bytes).unwrap().encoding, label);
        let mut ws = Workspace::default();
        let report = load(&mut ws, "p.txt", &bytes, &with_platform()).unwrap();
        assert_eq!(report.detection.encoding, label, "bom={bom}");
        assert_eq!(
            (report.rows_read, report.rows_used, report.rows_rejected),
            (
                expected.rows_read,
                expected.rows_used,
                expected.rows_rejected
            )
        );
        assert_eq!(ws.posts.post_id, plain.posts.post_id);
        assert_eq!(
            ws.posts.sum(Measure::Likes),
            plain.posts.sum(Measure::Likes)
        );
        // Streamed in odd chunks (code units and surrogates split): the same.
        let mut streaming = StreamingLoad::new("p.txt", with_platform());
        for chunk in bytes.chunks(333) {
            streaming.feed(chunk);
        }
        let mut chunked = Workspace::default();
        assert_eq!(streaming.finish(&mut chunked).unwrap(), report);
    }

    // JSON saved as UTF-16 is JSON, not a one-column CSV.
    let json = utf16(
        r#"[{"platform":"tiktok","post_id":"a1","likes":7}]"#,
        false,
        true,
    );
    assert_eq!(
        sniff(&json),
        Some(Sniffed::Json(TextEncoding::Utf16 { big_endian: false }))
    );
    let mut ws = Workspace::default();
    let report = load(&mut ws, "p.json", &json, &LoadOptions::default()).unwrap();
    assert_eq!(
        (report.rows_used, report.detection.encoding.as_str()),
        (1, "utf-16le")
    );
    assert_eq!(ws.posts.sum(Measure::Likes), 7.0);
}

#[test]
fn a_csv_header_past_the_column_cap_is_refused_and_says_the_cap() {
    // 2,000,000 columns: refused once the header is read, the rest never parsed.
    let mut big = vec![b'c'; 2_000_000 * 2 - 1];
    for i in (1..big.len()).step_by(2) {
        big[i] = b',';
    }
    big.extend_from_slice(b"\n1,2\n");
    assert_refused(
        "wide.csv",
        &big,
        "columns; a table may have at most 2000: is this a table?",
    );
    // At the cap it loads.
    let header: Vec<String> = (0..MAX_COLUMNS).map(|i| format!("c{i}")).collect();
    let row: Vec<&str> = (0..MAX_COLUMNS).map(|_| "1").collect();
    let at_cap = format!(
        "platform,{}\ntiktok,{}\n",
        header[1..].join(","),
        row[1..].join(",")
    );
    let mut ws = Workspace::default();
    let report = load(
        &mut ws,
        "at_cap.csv",
        at_cap.as_bytes(),
        &LoadOptions::default(),
    );
    assert_eq!(report.map(|r| r.detection.headers.len()), Ok(MAX_COLUMNS));
    let over = format!("{},c\n", at_cap.lines().next().unwrap());
    let err = detect("over.csv", over.as_bytes()).unwrap_err();
    assert!(err.message().contains("at most 2000"), "{}", err.message());
}

/// Feeds `input` to a CSV reader one byte at a time; returns the records and the
/// header sniffer's work.
fn read_bytewise(input: &[u8]) -> (Vec<(usize, Vec<String>)>, usize, usize) {
    let mut reader = CsvReader::new();
    let mut records = Vec::new();
    let mut header_seen_after = 0;
    let mut fed = 0;
    for b in input {
        reader.feed(
            std::slice::from_ref(b),
            &mut |line: usize, r: &Record<'_>| {
                records.push((line, r.iter().map(str::to_owned).collect()))
            },
        );
        fed += 1;
        if header_seen_after == 0 && !records.is_empty() {
            header_seen_after = fed;
        }
    }
    reader.finish(&mut |line: usize, r: &Record<'_>| {
        records.push((line, r.iter().map(str::to_owned).collect()))
    });
    (records, reader.header_bytes_scanned(), header_seen_after)
}

#[test]
fn a_stray_quote_in_the_header_is_text_as_the_parser_reads_it() {
    // `Size 6.1"`: a quote inside an unquoted field is a character, for the header
    // sniffer as for the parser, so the header ends at its line end.
    let header = "platform;post_id;Size 6.1\";likes\n";
    let mut input = header.to_owned();
    for i in 0..20_000 {
        input.push_str(&format!("tiktok;p{i};x;{i}\n"));
    }
    let (records, work, header_after) = read_bytewise(input.as_bytes());
    assert_eq!(records[0].1, ["platform", "post_id", "Size 6.1\"", "likes"]);
    assert_eq!(records.len(), 20_001);
    assert_eq!(records[20_000].1, ["tiktok", "p19999", "x", "19999"]);
    // The header record comes as soon as the bytes after its line end are seen, and
    // the sniffer looked at each header byte once (not the file on every byte).
    assert!(header_after <= header.len() + 1, "{header_after}");
    assert!(work <= header.len(), "{work} bytes looked at");

    // A quoted header field is read as the parser reads it: `;` inside quotes is
    // text, and the delimiter is still `;`.
    let (records, work, _) = read_bytewise(b"\"a;b\";\"c \"\"d\"\"\";e\n1;2;3\n");
    assert_eq!(records[0].1, ["a;b", "c \"d\"", "e"]);
    assert_eq!(records[1].1, ["1", "2", "3"]);
    assert!(work <= 20);

    // A quote left open in the header: the sniffer stops at its lookahead, it does not
    // rescan the file on every chunk.
    let mut open = b"platform,\"post_id,likes\n".to_vec();
    open.extend(std::iter::repeat_n(b"tiktok,1,2\n".as_slice(), 200_000).flatten());
    let mut streaming = StreamingLoad::new("open.csv", LoadOptions::default());
    for chunk in open.chunks(64) {
        streaming.feed(chunk);
    }
    let work = streaming.header_work();
    assert!(work <= kpi_dash::data::csv::HEADER_LOOKAHEAD, "{work}");
    let mut ws = Workspace::default();
    // Everything after the open quote is one field: no usable rows, refused.
    assert!(streaming.finish(&mut ws).is_err());
}

#[test]
fn leading_whitespace_is_looked_at_once() {
    let mut input = vec![b' '; 300_000];
    input.extend(std::iter::repeat_n(b"\r\n\t".as_slice(), 100_000).flatten());
    input.extend_from_slice(b"platform,post_id,likes\ntiktok,a,3\n");
    let mut streaming = StreamingLoad::new("ws.csv", LoadOptions::default());
    for b in &input {
        streaming.feed(std::slice::from_ref(b));
    }
    // Each byte was looked at once or twice (the first 1 KiB for magic numbers too).
    let work = streaming.sniff_work();
    assert!(
        work <= input.len() + 1024,
        "{work} for {} bytes",
        input.len()
    );
    let mut ws = Workspace::default();
    let report = streaming.finish(&mut ws).unwrap();
    assert_eq!((report.rows_used, ws.posts.sum(Measure::Likes)), (1, 3.0));

    // Only whitespace: empty, after one look at each byte.
    let mut streaming = StreamingLoad::new("blank.csv", LoadOptions::default());
    for chunk in vec![b' '; 100_000].chunks(3) {
        streaming.feed(chunk);
    }
    assert!(streaming.sniff_work() <= 100_000 + 1024);
    let err = streaming.finish(&mut Workspace::default()).unwrap_err();
    assert_eq!(err.message(), "the file is empty");
}

#[test]
fn json_records_that_each_add_a_key_are_linear_and_capped() {
    // 20,000 records, each with a key of its own (0.6 MB): refused at the 2,001st key,
    // which the message names with the cap.
    let records: Vec<String> = (0..20_000)
        .map(|i| format!("{{\"platform\":\"tiktok\",\"k{i}\":{i}}}"))
        .collect();
    let array = format!("[{}]", records.join(","));
    let ndjson = records.join("\n");
    for (name, text) in [("a.json", &array), ("a.ndjson", &ndjson)] {
        let err = json::parse(text).unwrap_err().to_string();
        assert!(
            err.contains("more than 2000 distinct keys (record 2000 adds `k1999`)"),
            "{err}"
        );
        assert_refused(
            name,
            text.as_bytes(),
            "a table may have at most 2000 columns",
        );
    }

    // Under the cap: 10,000 records over 1,999 distinct keys keep one cell per value
    // they have (not one per header per row: that would be 10,000 × 2,000 cells).
    let records: Vec<String> = (0..10_000)
        .map(|i| format!("{{\"platform\":\"tiktok\",\"k{}\":{i}}}", i % 1_998))
        .collect();
    let text = format!("[{}]", records.join(","));
    let doc = json::parse(&text).unwrap();
    let table = &doc.tables[0];
    assert_eq!(table.headers.len(), 1_999);
    let cells: usize = table.rows.iter().map(|(_, row)| row.len()).sum();
    assert_eq!(cells, 20_000, "two cells per record");
    let mut ws = Workspace::default();
    let report = load(
        &mut ws,
        "sparse.json",
        text.as_bytes(),
        &LoadOptions::default(),
    );
    let report = report.expect("the sparse file loads");
    // Every record is a tiktok row (platform mapped, the k… keys ignored).
    assert_eq!((report.rows_read, report.rows_used), (10_000, 10_000));
    assert_eq!(ws.posts.len(), 10_000);

    // One record with more keys than a row may have is rejected on its own line; the
    // others load, and the counts reconcile.
    let wide: Vec<String> = (0..2_500).map(|i| format!("\"w{i}\":1")).collect();
    let text = format!(
        "{{\"platform\":\"tiktok\",\"post_id\":\"a\",\"likes\":2}}\n{{{}}}\n{{\"platform\":\"tiktok\",\"post_id\":\"b\",\"likes\":3}}\n",
        wide.join(",")
    );
    let mut ws = Workspace::default();
    let report = load(
        &mut ws,
        "w.ndjson",
        text.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (3, 2, 1)
    );
    let issue = report.issues.iter().find(|i| i.row_rejected).unwrap();
    assert_eq!(issue.line, 2);
    assert!(
        issue
            .reason()
            .contains("2500 keys; a row may have at most 2000"),
        "{}",
        issue.reason()
    );
    assert_eq!(ws.posts.sum(Measure::Likes), 5.0);
}
