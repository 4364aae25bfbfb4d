//! A CSV parsed in byte ranges (several workers, see `data::split`) gives exactly the
//! workspace and the report of one parse of the whole file: for files with quoted
//! newlines, quoted quotes, CRLF, a BOM, rejected rows, duplicate post ids in different
//! ranges, blank cells, ambiguous dates settled by a later range and times of day, with
//! cuts at and around every quoted newline, for 1 to 8 parts.
//!
//! Native only: some parts run on threads (the browser's parts run in workers).
#![cfg(not(target_arch = "wasm32"))]

use kpi_dash::data::ingest::{load, DuplicatePolicy, FileReport, LoadOptions};
use kpi_dash::data::packed::pack;
use kpi_dash::data::split::{
    merge_parts, parse_in_parts, parse_on_threads, plan_at, plan_bytes, MergeError, PartLoad, Plan,
    HEAD_BYTES,
};
use kpi_dash::data::store::Workspace;

const HEADER: &str =
    "platform,date,post_id,campaign_id,creator_id,format,impressions,likes,cost,caption,disclosed";

/// A posts file of `rows` records that has every hard case, again and again.
fn hard_file(rows: usize, crlf: bool) -> Vec<u8> {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut text = String::from("\u{feff}");
    text.push_str(HEADER);
    text.push_str(eol);
    for i in 0..rows {
        let platform = ["tiktok", "Instagram", "youtube", " TikTok "][i % 4];
        // Ambiguous day/month dates until one late row proves day-first (13/04).
        let date = match i % 9 {
            0 => format!("0{}/04/2025", 1 + i % 9),
            1 => "2025-01-05 10:30".to_owned(),
            2 => String::new(),
            _ => format!("2025-02-{:02}", 1 + i % 28),
        };
        let id = if i % 11 == 5 {
            // The same post again, many rows later (in another range for most cuts).
            format!("P{}", i / 3)
        } else {
            format!("P{i}")
        };
        let caption = match i % 7 {
            0 => "\"two\nlines #ad\"".to_owned(),
            1 => "\"she said \"\"hi\"\",\r\nthen left\"".to_owned(),
            2 => "\"\n\"".to_owned(),
            3 => "café CafÃ© #sponsored".to_owned(),
            4 => String::new(),
            5 => "\"a,\"\"b\"\"\n\nc\"".to_owned(),
            _ => "plain".to_owned(),
        };
        let impressions = if i % 5 == 2 {
            String::new()
        } else {
            (100 + i * 7).to_string()
        };
        let likes = if i % 13 == 4 {
            "-3".to_owned()
        } else {
            (i % 17).to_string()
        };
        let line = match i % 23 {
            // Rejected rows: a bad date, too few fields, nothing at all, no platform.
            6 => format!("tiktok,not a date,{id},C1,K1,video,1,1,1,x,true"),
            7 => "tiktok,2025-02-01,short".to_owned(),
            8 => ",,,,,,,,,,".to_owned(),
            9 => format!(",2025-02-02,{id},C1,K1,video,1,1,1,x,"),
            10 => String::new(),
            _ => format!(
                "{platform},{date},{id},C{},K{},{},{impressions},{likes},{},{caption},{}",
                i % 3,
                i % 5,
                ["video", "Reel", ""][i % 3],
                if i % 6 == 0 { "" } else { "12.5" },
                ["true", "", "false"][i % 3],
            ),
        };
        text.push_str(&line);
        // A bare `\r` line end now and then.
        text.push_str(if i % 17 == 3 { "\r" } else { eol });
    }
    text.push_str("youtube,13/04/2025,LAST,C1,K1,video,5,5,5,\"end\nof file\",true");
    text.into_bytes()
}

/// A workspace's packed header, u32, i32, f64 (as bits) and byte columns, and which
/// measure columns have absent values.
type Canonical = (
    String,
    Vec<Vec<u32>>,
    Vec<Vec<i32>>,
    Vec<Vec<u64>>,
    Vec<Vec<u8>>,
    Vec<bool>,
);

/// The workspace as comparable parts: its packed columns (measures by their bits, so
/// that absent values compare) and which measure columns have absent values.
fn canonical(ws: &Workspace) -> Canonical {
    let packed = pack(ws.clone());
    (
        packed.header,
        packed.u32s,
        packed.i32s,
        packed
            .f64s
            .iter()
            .map(|c| c.iter().map(|v| v.to_bits()).collect())
            .collect(),
        packed.bytes,
        ws.posts.partial.to_vec(),
    )
}

type Outcome = (Result<FileReport, String>, Workspace);

fn whole(base: &Workspace, bytes: &[u8], options: &LoadOptions) -> Outcome {
    let mut ws = base.clone();
    let report = load(&mut ws, "posts.csv", bytes, options).map_err(|e| format!("{e:?}"));
    (report, ws)
}

fn in_parts(
    base: &Workspace,
    bytes: &[u8],
    options: &LoadOptions,
    plan: &Plan,
    slice: usize,
) -> Result<Outcome, MergeError> {
    let load = parse_in_parts("posts.csv", options, bytes, plan, slice)?;
    let mut ws = base.clone();
    let report = load.finish(&mut ws).map_err(|e| format!("{e:?}"));
    Ok((report, ws))
}

fn assert_same(expected: &Outcome, got: &Outcome, what: &str) {
    assert_eq!(expected.0, got.0, "report differs: {what}");
    assert!(
        canonical(&expected.1) == canonical(&got.1),
        "workspace differs: {what}"
    );
}

fn head(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len().min(HEAD_BYTES)]
}

/// Offsets just after each line end and quote of the file, and one byte either side:
/// the cuts most likely to go wrong.
fn risky_cuts(bytes: &[u8]) -> Vec<usize> {
    let mut cuts = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'\n' | b'\r' | b'"') {
            cuts.extend([i, i + 1, i + 2]);
        }
    }
    cuts.dedup();
    cuts
}

#[test]
fn one_to_eight_parts_give_the_workspace_and_report_of_one_parse() {
    let base = Workspace::default();
    for crlf in [false, true] {
        let bytes = hard_file(400, crlf);
        for duplicates in [DuplicatePolicy::KeepLast, DuplicatePolicy::Sum] {
            let options = LoadOptions {
                duplicates,
                ..LoadOptions::default()
            };
            let expected = whole(&base, &bytes, &options);
            let report = expected.0.as_ref().expect("the file loads");
            // The file has what the test is about: rejected rows, duplicates, and days
            // that only the last row settles as day-first.
            assert!(report.rows_rejected > 40, "{}", report.rows_rejected);
            assert_eq!(report.rows_read, report.rows_used + report.rows_rejected);
            assert!(report.issues.iter().any(|i| i.line > 400));
            for parts in 1..=8 {
                let plan = plan_bytes(&bytes, parts).expect("a plan");
                for slice in [3, 64, 1 << 20] {
                    let got = in_parts(&base, &bytes, &options, &plan, slice).expect("merged");
                    assert_same(
                        &expected,
                        &got,
                        &format!("{parts} parts, slice {slice}, crlf {crlf}, {duplicates:?}"),
                    );
                }
            }
        }
    }
}

#[test]
fn a_cut_at_any_risky_offset_gives_the_same_load() {
    let bytes = hard_file(60, true);
    let options = LoadOptions::default();
    let base = Workspace::default();
    let expected = whole(&base, &bytes, &options);
    let cuts = risky_cuts(&bytes);
    assert!(cuts.len() > 300);
    for &cut in &cuts {
        let plan = plan_at(head(&bytes), bytes.len(), vec![cut]).expect("a plan");
        let got = in_parts(&base, &bytes, &options, &plan, 1 << 20).expect("merged");
        assert_same(&expected, &got, &format!("cut at {cut}"));
    }
    // Several cuts at once, each at a risky offset (inside a quoted newline, between the
    // `\r` and `\n` of a line end, just after a quote), up to eight parts.
    for start in 0..cuts.len().saturating_sub(40) {
        let chosen: Vec<usize> = (0..7)
            .map(|k| cuts[(start + k * 37) % cuts.len()])
            .collect();
        let plan = plan_at(head(&bytes), bytes.len(), chosen.clone()).expect("a plan");
        let got = in_parts(&base, &bytes, &options, &plan, 5).expect("merged");
        assert_same(&expected, &got, &format!("cuts at {chosen:?}"));
    }
}

#[test]
fn duplicates_of_the_workspace_and_across_ranges_are_found_as_in_one_parse() {
    // The workspace already holds some of the posts (and its own dictionary codes).
    let mut base = Workspace::default();
    let earlier = "platform,date,post_id,campaign_id,creator_id,format,impressions\n\
                   youtube,2025-01-01,P20,C9,K9,short,7\n\
                   tiktok,2025-01-02,P200,C0,K1,video,8\n";
    load(
        &mut base,
        "earlier.csv",
        earlier.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    let bytes = hard_file(300, false);
    for duplicates in [DuplicatePolicy::KeepLast, DuplicatePolicy::Sum] {
        let options = LoadOptions {
            duplicates,
            ..LoadOptions::default()
        };
        let expected = whole(&base, &bytes, &options);
        let report = expected.0.as_ref().unwrap();
        assert!(report.issues.iter().any(|i| i.raw_value == "P20"));
        for parts in [2, 3, 5, 8] {
            let plan = plan_bytes(&bytes, parts).unwrap();
            let got = in_parts(&base, &bytes, &options, &plan, 1000).unwrap();
            assert_same(&expected, &got, &format!("{parts} parts, {duplicates:?}"));
        }
    }
}

#[test]
fn threads_give_the_same_load() {
    let bytes = hard_file(3000, true);
    let options = LoadOptions::default();
    let base = Workspace::default();
    let expected = whole(&base, &bytes, &options);
    for parts in [2, 4, 8] {
        let plan = plan_bytes(&bytes, parts).unwrap();
        assert_eq!(plan.parts(), parts);
        let load = parse_on_threads("posts.csv", &options, &bytes, &plan, 1 << 16).unwrap();
        let mut ws = base.clone();
        let report = load.finish(&mut ws).map_err(|e| format!("{e:?}"));
        assert_same(&expected, &(report, ws), &format!("{parts} threads"));
    }
}

#[test]
fn latin1_late_in_the_file_and_an_open_quote_at_its_end_read_as_in_one_parse() {
    let mut bytes = hard_file(200, false);
    // A Windows-1252 byte in the last range switches the reader's encoding there.
    let at = bytes.len() - 30;
    let tail = bytes.split_off(at);
    bytes.extend_from_slice(b"\ntiktok,2025-03-01,PX,C1,K1,video,1,1,1,caf\xE9,true\n");
    bytes.extend_from_slice(&tail);
    // And a quoted field that never closes.
    bytes.extend_from_slice(b"\ntiktok,2025-03-02,PY,C1,K1,video,1,1,1,\"never closed,true\n");
    let options = LoadOptions::default();
    let base = Workspace::default();
    let expected = whole(&base, &bytes, &options);
    let report = expected.0.as_ref().unwrap();
    assert_eq!(report.detection.encoding, "windows-1252");
    assert!(report.notices.iter().any(|n| n.contains("never closes")));
    for parts in 1..=8 {
        let plan = plan_bytes(&bytes, parts).unwrap();
        let got = in_parts(&base, &bytes, &options, &plan, 777).unwrap();
        assert_same(&expected, &got, &format!("{parts} parts"));
    }
}

#[test]
fn what_cannot_merge_exactly_is_an_error_not_a_wrong_workspace() {
    // Orders (Shopify) gather line items by order: such files are parsed whole.
    let mut orders = String::from("Name,Created at,Total,Discount Code,Financial Status\n");
    for i in 0..200 {
        orders.push_str(&format!(
            "#{},2025-01-0{},{}.00,CODE{},paid\n",
            i / 2,
            1 + i % 9,
            i,
            i % 3
        ));
    }
    let plan = plan_bytes(orders.as_bytes(), 4).unwrap();
    let merged = parse_in_parts(
        "orders.csv",
        &LoadOptions::default(),
        orders.as_bytes(),
        &plan,
        100,
    );
    assert_eq!(merged.err(), Some(MergeError::NotPosts));

    // Money in euros first, then a range that starts in dollars: the merge says so.
    let mut money = String::from("platform,post_id,date,cost,currency\n");
    for i in 0..100 {
        let code = if i < 50 { "EUR" } else { "USD" };
        money.push_str(&format!("tiktok,P{i},2025-01-01,{i},{code}\n"));
    }
    let bytes = money.as_bytes();
    let options = LoadOptions::default();
    let plan = plan_bytes(bytes, 2).unwrap();
    let cut = plan.cuts[1];
    let second_starts_in_usd = bytes[cut..].starts_with(b"tiktok,P5") || cut > bytes.len() / 2;
    match parse_in_parts("posts.csv", &options, bytes, &plan, 64) {
        Err(e) => assert_eq!(e, MergeError::Currencies(1)),
        Ok(load) => {
            assert!(!second_starts_in_usd);
            let mut ws = Workspace::default();
            let got = (load.finish(&mut ws).map_err(|e| format!("{e:?}")), ws);
            assert_same(
                &whole(&Workspace::default(), bytes, &options),
                &got,
                "currencies",
            );
        }
    }
    // Every cut of a file with one currency merges.
    let one: String = money.replace("USD", "EUR");
    for parts in 2..=8 {
        let plan = plan_bytes(one.as_bytes(), parts).unwrap();
        let got = in_parts(&Workspace::default(), one.as_bytes(), &options, &plan, 64).unwrap();
        assert_same(
            &whole(&Workspace::default(), one.as_bytes(), &options),
            &got,
            "one currency",
        );
    }
    // JSON is never planned.
    assert_eq!(plan_bytes(b"[{\"platform\":\"tiktok\"}]", 4), None);
}

/// This process's CPU time so far, in ms (user + system, from `/proc/self/stat`).
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of the line (utime, stime), counted after the `)`: 11 and 12.
    (ticks(11) + ticks(12)) * 10.0
}

/// Timing of one parse against two threads over the benchmark's posts file
/// (`cargo run --release --bin gen -- --out target/bench-data --posts 1000000`):
/// `cargo test --release --offline --test split_parse -- --ignored --nocapture`.
#[test]
#[ignore]
fn time_two_threads_against_one() {
    use kpi_dash::data::ingest::StreamingLoad;
    use std::time::Instant;
    let Ok(bytes) = std::fs::read("target/bench-data/posts.csv") else {
        return;
    };
    let options = LoadOptions::default();
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (mut one, mut two, mut finish_one, mut finish_two) = (vec![], vec![], vec![], vec![]);
    let (mut cpu_one, mut cpu_two) = (vec![], vec![]);
    for _ in 0..3 {
        let cpu = cpu_ms();
        let started = Instant::now();
        let mut load = StreamingLoad::new("posts.csv", options.clone());
        for chunk in bytes.chunks(1 << 20) {
            load.feed(chunk);
        }
        let parsed = Instant::now();
        cpu_one.push(cpu_ms() - cpu);
        let mut ws = Workspace::default();
        let expected = load.finish(&mut ws).unwrap();
        finish_one.push(parsed.elapsed().as_secs_f64() * 1e3);
        one.push((parsed - started).as_secs_f64() * 1e3);

        let cpu = cpu_ms();
        let started = Instant::now();
        let plan = plan_bytes(&bytes, 2).unwrap();
        let load = parse_on_threads("posts.csv", &options, &bytes, &plan, 1 << 20).unwrap();
        let parsed = Instant::now();
        cpu_two.push(cpu_ms() - cpu);
        let mut split_ws = Workspace::default();
        let report = load.finish(&mut split_ws).unwrap();
        finish_two.push(parsed.elapsed().as_secs_f64() * 1e3);
        two.push((parsed - started).as_secs_f64() * 1e3);
        assert_eq!(report, expected);
        assert!(canonical(&ws) == canonical(&split_ws));
    }
    // Where the two-thread time goes: the parts (on threads), then the merge.
    let plan = plan_bytes(&bytes, 2).unwrap();
    let (mut parts_ms, mut merge_ms) = (vec![], vec![]);
    for _ in 0..3 {
        let started = Instant::now();
        let parts: Vec<PartLoad> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..plan.parts())
                .map(|k| {
                    let (plan, options, bytes) = (&plan, &options, &bytes);
                    scope.spawn(move || {
                        let mut part = PartLoad::new("posts.csv", options, plan, k);
                        part.read_all(bytes, 1 << 20);
                        part
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let read = Instant::now();
        let _load = merge_parts(parts).unwrap();
        merge_ms.push(read.elapsed().as_secs_f64() * 1e3);
        parts_ms.push((read - started).as_secs_f64() * 1e3);
    }
    println!(
        "two threads: parts {:.0} ms, merge {:.0} ms (medians)",
        median(parts_ms),
        median(merge_ms)
    );
    println!(
        "CPU time of the parse: 1 thread {:.0} ms, 2 threads {:.0} ms in all (medians)",
        median(cpu_one),
        median(cpu_two)
    );
    println!(
        "{} MB: parse 1 thread {:.0} ms, 2 threads {:.0} ms (merge included; {:.2}x); finish {:.0} / {:.0} ms",
        bytes.len() / 1_000_000,
        median(one.clone()),
        median(two.clone()),
        median(one) / median(two),
        median(finish_one),
        median(finish_two)
    );
}
