//! Property test: arbitrary bytes and random mutations of valid CSV/JSON never panic the
//! ingest pipeline, counts always reconcile, and a refused file leaves the workspace as
//! it was. A seeded xorshift PRNG keeps runs reproducible without a new crate.

use kpi_dash::data::ingest::{
    detect, load, workspace_json, DuplicatePolicy, LoadOptions, StreamingLoad,
};
use kpi_dash::data::store::Workspace;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SEEDS: &[&str] = &[
    "meta_posts.csv",
    "tiktok_studio.csv",
    "youtube_table_data.csv",
    "shopify_orders.csv",
    "creators_with_codes.csv",
    "semicolon_comma_decimal.csv",
    "tab_bom_crlf.tsv",
    "latin1_posts.csv",
    "malformed_posts.csv",
    "posts.ndjson",
    "campaigns.json",
    "workspace.json",
];

/// Bytes that matter to the parsers, drawn more often than the rest.
const INTERESTING: &[u8] =
    b",;\t\"\r\n{}[]:#%$.-0123456789kmbKMB/ \xEF\xBB\xBF\xC3\xA9\xA0\xFFtrueNaN";

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(160);
    (0..len)
        .map(|_| {
            if rng.below(4) == 0 {
                rng.next() as u8
            } else {
                INTERESTING[rng.below(INTERESTING.len())]
            }
        })
        .collect()
}

fn mutate(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(4) {
            0 if at < bytes.len() => {
                bytes.remove(at);
            }
            1 => bytes.insert(at, INTERESTING[rng.below(INTERESTING.len())]),
            2 if at < bytes.len() => bytes[at] = rng.next() as u8,
            _ => bytes.truncate(at),
        }
    }
    bytes
}

fn options(rng: &mut Rng) -> LoadOptions {
    LoadOptions {
        platform: (rng.below(2) == 0).then(|| "instagram".to_owned()),
        duplicates: if rng.below(2) == 0 {
            DuplicatePolicy::KeepLast
        } else {
            DuplicatePolicy::Sum
        },
        ..LoadOptions::default()
    }
}

fn check(rng: &mut Rng, base: &Workspace, bytes: &[u8]) {
    let _ = detect("f", bytes);
    let options = options(rng);
    let mut ws = base.clone();
    let before = workspace_json(&ws);
    match load(&mut ws, "f", bytes, &options) {
        Ok(report) => {
            assert_eq!(
                report.rows_read,
                report.rows_used + report.rows_rejected,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
            assert!(report.rows_used > 0);
        }
        Err(_) => assert_eq!(workspace_json(&ws), before),
    }
    // The same bytes in random chunks give the same outcome.
    let mut streaming = StreamingLoad::new("f", options.clone());
    let mut rest = bytes;
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(1 + rng.below(rest.len()));
        streaming.feed(chunk);
        rest = tail;
    }
    let mut chunked_ws = base.clone();
    let chunked = streaming.finish(&mut chunked_ws);
    let mut whole_ws = base.clone();
    assert_eq!(chunked, load(&mut whole_ws, "f", bytes, &options));
}

#[test]
fn arbitrary_input_never_panics_and_counts_reconcile() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let seeds: Vec<Vec<u8>> = SEEDS
        .iter()
        .map(|name| std::fs::read(format!("{dir}/{name}")).expect("fixture"))
        .collect();
    let mut base = Workspace::default();
    let creators = &seeds[4];
    load(&mut base, "creators.csv", creators, &LoadOptions::default()).expect("creators load");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let bytes = random_bytes(&mut rng);
        check(&mut rng, &base, &bytes);
    }
    for _ in 0..3000 {
        let seed = seeds[rng.below(seeds.len())].clone();
        let bytes = mutate(&mut rng, seed);
        check(&mut rng, &base, &bytes);
    }
}
