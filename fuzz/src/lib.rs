//! The fuzz targets of `kpi-dash` (issue 14, item 8), shared by the `cargo fuzz`
//! binaries in `fuzz_targets/` and the stable-toolchain property run in
//! `tests/ingest_fuzz.rs` (which includes this file): each takes arbitrary bytes and
//! panics only when an invariant breaks.
//!
//! - [`ingest`]: detect and load with random options and chunk splits; `rows_read ==
//!   rows_used + rows_rejected`; a refused file leaves the workspace unchanged; chunked
//!   and whole loads agree.
//! - [`values`]: the cell parsers (numbers, booleans, dates, platforms, currencies);
//!   numbers are finite, dates inside the supported years.
//! - [`query`]: `ViewQuery::try_parse` of a URL query; an accepted query round-trips
//!   through its query string and computes.
//! - [`settings`]: `SavedSettings::from_json`; the settings it returns round-trip with no
//!   issue and compute.
//! - [`snapshot`]: `share::decode` of a payload, or of JSON deflated and encoded as a
//!   link would be; an accepted snapshot passes its limits and round-trips.
//! - [`unpack`]: a packed workspace damaged as the bytes say; `packed::unpack` errors or
//!   gives a workspace every computation runs on.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use kpi_dash::data::calendar::{Granularity, FIRST_DAY, LAST_DAY};
use kpi_dash::data::ingest::{
    detect, load, workspace_json, DateOrder, DuplicatePolicy, LoadOptions, NumberLocale,
    StreamingLoad,
};
use kpi_dash::data::packed::{pack, unpack as unpack_workspace, Packed};
use kpi_dash::data::store::Workspace;
use kpi_dash::display::query::ViewQuery;
use kpi_dash::display::share;
use kpi_dash::metrics::engine::{compute, Filter};
use kpi_dash::metrics::settings::{SavedSettings, Settings};

/// Per target (in the order of the module doc), the inputs that got past the first
/// refusal: a file loaded, a number or date read, a query other than the default, a
/// settings object read (field issues or not), a snapshot decoded, a damaged workspace
/// unpacked. The property run prints them, to show the inputs reach
/// the deep paths.
pub static ACCEPTED: [AtomicUsize; 6] = [const { AtomicUsize::new(0) }; 6];

fn accepted(target: usize) {
    ACCEPTED[target].fetch_add(1, Ordering::Relaxed);
}

/// A small deterministic stream of choices drawn from the input's bytes (zeros once
/// they run out), so that one input always makes the same choices.
pub struct Choices<'a> {
    bytes: &'a [u8],
}

impl<'a> Choices<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Choices { bytes }
    }

    /// The next byte (0 past the end).
    pub fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((&b, rest)) => {
                self.bytes = rest;
                b
            }
            None => 0,
        }
    }

    /// A number below `n` (at least 1) from the next two bytes.
    pub fn below(&mut self, n: usize) -> usize {
        let v = usize::from(self.byte()) << 8 | usize::from(self.byte());
        v % n.max(1)
    }

    /// The bytes not taken yet.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes
    }
}

/// The repository's fixtures directory (seeds and base workspaces come from it).
macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../tests/fixtures/", $name))
    };
}

/// A workspace with creators (whose codes attribute orders) and a few posts, as a file
/// may be loaded on top of.
fn base() -> &'static Workspace {
    static BASE: OnceLock<Workspace> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut ws = Workspace::default();
        let options = LoadOptions::default();
        load(
            &mut ws,
            "creators.csv",
            fixture!("creators_with_codes.csv"),
            &options,
        )
        .expect("the creators fixture loads");
        load(&mut ws, "posts.ndjson", fixture!("posts.ndjson"), &options)
            .expect("the posts fixture loads");
        ws
    })
}

fn options(c: &mut Choices<'_>) -> LoadOptions {
    let flags = c.byte();
    LoadOptions {
        platform: (flags & 1 != 0).then(|| "instagram".to_owned()),
        duplicates: match flags & 2 {
            0 => DuplicatePolicy::KeepLast,
            _ => DuplicatePolicy::Sum,
        },
        date_order: match flags & 4 {
            0 => DateOrder::MonthFirst,
            _ => DateOrder::DayFirst,
        },
        number_locale: match flags & 8 {
            0 => NumberLocale::DotDecimal,
            _ => NumberLocale::CommaDecimal,
        },
        today: (flags & 16 != 0).then_some(20_000),
        currency_rates: match flags & 32 {
            0 => Vec::new(),
            _ => vec![("EUR".into(), 1.1)],
        },
        ..LoadOptions::default()
    }
}

/// Ingest: the whole input is the file (so the fixtures are its corpus as they are);
/// the options and chunk splits are drawn from a hash of it.
pub fn ingest(data: &[u8]) {
    // FNV-1a, 64 bit.
    let hash = data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let choice = hash.to_le_bytes();
    let options = options(&mut Choices::new(&choice));
    let mut splits = Splits(hash | 1);
    ingest_file(data, &options, &mut splits);
}

/// Chunk sizes for a streamed load: a xorshift stream.
pub struct Splits(pub u64);

impl Splits {
    /// A number below `n` (at least 1).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// The ingest invariants for one file.
pub fn ingest_file(bytes: &[u8], options: &LoadOptions, splits: &mut Splits) {
    let _ = detect("f", bytes);
    let mut ws = base().clone();
    let before = workspace_json(&ws);
    let whole = load(&mut ws, "f", bytes, options);
    match &whole {
        Ok(report) => {
            accepted(0);
            assert_eq!(
                report.rows_read,
                report.rows_used + report.rows_rejected,
                "rows read = used + rejected"
            );
            assert!(report.rows_used > 0, "a loaded file uses a row");
            // Every rejected row is listed, with its line and reason.
            let listed = report.issues.iter().filter(|i| i.row_rejected).count();
            assert_eq!(listed, report.rows_rejected, "rejected rows listed");
        }
        Err(_) => assert_eq!(
            workspace_json(&ws),
            before,
            "a refused file changed the workspace"
        ),
    }
    let mut streaming = StreamingLoad::new("f", options.clone());
    let mut rest = bytes;
    while !rest.is_empty() {
        let at = 1 + splits.below(rest.len());
        let (chunk, tail) = rest.split_at(at.min(rest.len()));
        streaming.feed(chunk);
        rest = tail;
    }
    let mut chunked_ws = base().clone();
    let chunked = streaming.finish(&mut chunked_ws);
    assert_eq!(chunked, whole, "chunked and whole loads differ");
    if chunked.is_err() {
        assert_eq!(workspace_json(&chunked_ws), before);
    }
}

/// The value parsers on the input as text.
pub fn values(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    use kpi_dash::data::values::*;
    let mut read = false;
    for locale in [NumberLocale::DotDecimal, NumberLocale::CommaDecimal] {
        if let Ok(Some(v)) = parse_number(&text, locale) {
            assert!(v.is_finite(), "number {v} from {text:?}");
            read = true;
        }
    }
    if is_missing(&text) {
        assert_eq!(parse_number(&text, NumberLocale::DotDecimal), Ok(None));
    }
    let _ = parse_bool(&text);
    for order in [DateOrder::MonthFirst, DateOrder::DayFirst] {
        if let Ok(Some(day)) = parse_date(&text, order) {
            assert!(
                (FIRST_DAY..=LAST_DAY).contains(&day),
                "day {day} from {text:?}"
            );
            read = true;
        }
        if let Ok(Some(ts)) = parse_datetime(&text, order) {
            let day = ts.div_euclid(86_400);
            assert!((i64::from(FIRST_DAY)..=i64::from(LAST_DAY)).contains(&day));
        }
        let _ = kpi_dash::data::dates::read_cell(&text, order);
    }
    if read {
        accepted(1);
    }
    let _ = platform_key(&text);
    for day in kpi_dash::data::dates::dates_in_name(&text) {
        assert!((FIRST_DAY..=LAST_DAY).contains(&day), "day {day} in a name");
    }
    let _ = kpi_dash::data::currency::code_in(&text);
    let _ = kpi_dash::data::currency::normalize_code(&text);
    if let Ok(rates) = kpi_dash::data::currency::parse_rates(&text) {
        assert!(rates.iter().all(|(_, r)| r.is_finite()));
    }
}

/// `%XX` and `+` decoded, as a browser's `URLSearchParams` does.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first value of `key` in a `a=b&c=d` query string.
pub fn query_get(query: &str, key: &str) -> Option<String> {
    query.trim_start_matches('?').split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k) == key).then(|| percent_decode(v))
    })
}

/// The posts the query, settings and unpack targets compute over.
fn small() -> &'static Workspace {
    static SMALL: OnceLock<Workspace> = OnceLock::new();
    SMALL.get_or_init(|| {
        let mut ws = base().clone();
        load(
            &mut ws,
            "meta.csv",
            fixture!("meta_posts.csv"),
            &LoadOptions::default(),
        )
        .expect("the Meta fixture loads");
        ws
    })
}

/// URL query parsing.
pub fn query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (kept, _) = ViewQuery::parse_or_keep(|k| query_get(&text, k), None);
    let Ok(q) = ViewQuery::try_parse(|k| query_get(&text, k)) else {
        return;
    };
    if q != ViewQuery::default() {
        accepted(2);
    }
    assert_eq!(kept, q);
    let again = q.to_query_string();
    let back = ViewQuery::try_parse(|k| query_get(&again, k));
    assert_eq!(back.as_ref(), Ok(&q), "{again:?} does not read back");
    let r = compute(small(), &q.filter(), &Settings::default(), q.granularity);
    assert!(r.rows_in_view <= small().posts.len());
}

/// Settings import.
pub fn settings(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok((settings, _issues)) = SavedSettings::from_json(&text) else {
        return;
    };
    accepted(3);
    let json = serde_json::to_string(&settings).expect("settings serialize");
    let (back, issues) = SavedSettings::from_json(&json).expect("saved settings read back");
    assert!(issues.is_empty(), "saved settings have issues: {issues:?}");
    assert_eq!(back, settings, "settings do not round-trip");
    let _ = compute(
        small(),
        &Filter::default(),
        &settings.compute,
        Granularity::Week,
    );
}

/// Snapshot decoding: the first byte says whether the rest is a payload or JSON to
/// deflate and encode as a link would.
pub fn snapshot(data: &[u8]) {
    let mut c = Choices::new(data);
    let mode = c.byte();
    let payload = match mode % 2 {
        0 => String::from_utf8_lossy(c.rest()).into_owned(),
        _ => share::base64url_encode(&miniz_oxide::deflate::compress_to_vec(c.rest(), 1)),
    };
    let Ok(snapshot) = share::decode(&payload) else {
        return;
    };
    accepted(4);
    assert!(snapshot.check().is_ok());
    if let Ok(again) = share::encode(&snapshot) {
        let back = share::decode(&again).expect("an encoded snapshot decodes");
        if !snapshot.groups_omitted && back.groups_omitted {
            return;
        }
        assert_eq!(
            serde_json::to_string(&back).ok(),
            serde_json::to_string(&snapshot).ok()
        );
    }
}

/// The parts of a [`Packed`] (which is not `Clone`).
type Parts = (
    String,
    Vec<Vec<u32>>,
    Vec<Vec<i32>>,
    Vec<Vec<f64>>,
    Vec<Vec<u8>>,
);

/// The small workspace packed with its key index.
fn packed() -> Packed {
    static PACKED: OnceLock<Parts> = OnceLock::new();
    let (header, u32s, i32s, f64s, bytes) = PACKED
        .get_or_init(|| {
            let ws = small().clone();
            ws.posts.key_index();
            let p = pack(ws);
            (p.header, p.u32s, p.i32s, p.f64s, p.bytes)
        })
        .clone();
    Packed {
        header,
        u32s,
        i32s,
        f64s,
        bytes,
    }
}

/// `unpack` of a packed workspace damaged by the input: each 8 bytes are one edit
/// (which vector, where, what).
pub fn unpack(data: &[u8]) {
    let mut p = packed();
    let mut c = Choices::new(data);
    for _ in 0..data.len().div_ceil(8).min(16) {
        let what = c.byte();
        let at = c.below(4096);
        let value = u32::from_le_bytes([c.byte(), c.byte(), c.byte(), c.byte()]);
        let small = [0, 1, 2, 3, u32::MAX, value % 64][usize::from(c.byte()) % 6];
        let v = if what & 0x80 != 0 { small } else { value };
        edit(&mut p, what & 0x7F, at, v);
    }
    let Ok(ws) = unpack_workspace(p) else {
        return;
    };
    accepted(5);
    let settings = Settings::default();
    for filter in filters(&ws) {
        for g in Granularity::ALL {
            let r = compute(&ws, &filter, &settings, g);
            assert!(r.rows_in_view <= ws.posts.len());
        }
    }
}

/// A filter of everything, and ones by date and key that the workspace has.
fn filters(ws: &Workspace) -> Vec<Filter> {
    let p = &ws.posts;
    let day = p
        .day
        .iter()
        .copied()
        .find(|&d| d != kpi_dash::data::store::NO_DAY);
    vec![
        Filter::default(),
        Filter {
            from: day,
            to: day.map(|d| d + 30),
            ..Filter::default()
        },
        Filter {
            platforms: p.platforms.values().iter().take(1).cloned().collect(),
            creators: p
                .creators
                .values()
                .iter()
                .skip(1)
                .take(2)
                .cloned()
                .collect(),
            ..Filter::default()
        },
    ]
}

/// One damage to a packed workspace.
fn edit(p: &mut Packed, what: u8, at: usize, v: u32) {
    fn set<T: Copy>(vs: &mut [Vec<T>], at: usize, value: T) {
        let n = vs.len().max(1);
        if let Some(col) = vs.get_mut(at % n) {
            if !col.is_empty() {
                let i = (at / n) % col.len();
                col[i] = value;
            }
        }
    }
    match what % 12 {
        0..=2 => set(&mut p.u32s, at, v),
        3 => set(&mut p.i32s, at, v as i32),
        4 => set(&mut p.f64s, at, f64::from(v)),
        5 => set(
            &mut p.f64s,
            at,
            [f64::NAN, f64::INFINITY, -1.0, 0.5][v as usize % 4],
        ),
        6 => set(&mut p.bytes, at, v as u8),
        7 => {
            let n = p.u32s.len().max(1);
            if let Some(col) = p.u32s.get_mut(at % n) {
                col.truncate(col.len().saturating_sub(1 + v as usize % 3));
            }
        }
        8 => {
            let n = p.i32s.len().max(1);
            if let Some(col) = p.i32s.get_mut(at % n) {
                col.push(v as i32);
            }
        }
        9 => {
            // A byte of the JSON header.
            let mut header = p.header.clone().into_bytes();
            if !header.is_empty() {
                let i = at * 7 % header.len();
                header[i] = b"0123456789,[]{}\"-:truefalsn"[v as usize % 27];
            }
            p.header = String::from_utf8_lossy(&header).into_owned();
        }
        10 => {
            let n = p.f64s.len().max(1);
            if let Some(col) = p.f64s.get_mut(at % n) {
                col.pop();
            }
        }
        _ => {
            // A text offset.
            if let Some(ends) = p.u32s.get_mut(4 + at % 2) {
                if !ends.is_empty() {
                    let i = at % ends.len();
                    ends[i] = ends[i].wrapping_add(v % 5).wrapping_sub(2);
                }
            }
        }
    }
}

/// The names of the targets, in the order of [`ACCEPTED`].
pub const TARGETS: [&str; 6] = [
    "ingest", "values", "query", "settings", "snapshot", "unpack",
];

/// The seed corpus of a target: the fixtures and hostile files for ingest (the
/// `cargo fuzz` run reads `tests/fixtures` itself), and typical and hostile values,
/// queries, settings, snapshots and damages for the others (in `fuzz/seeds/`).
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    let text = |items: &[&str]| items.iter().map(|s| s.as_bytes().to_vec()).collect();
    match target {
        "ingest" => {
            let files: [&[u8]; 18] = [
                fixture!("meta_posts.csv"),
                fixture!("tiktok_studio.csv"),
                fixture!("youtube_table_data.csv"),
                fixture!("shopify_orders.csv"),
                fixture!("creators_with_codes.csv"),
                fixture!("semicolon_comma_decimal.csv"),
                fixture!("tab_bom_crlf.tsv"),
                fixture!("latin1_posts.csv"),
                fixture!("malformed_posts.csv"),
                fixture!("posts.ndjson"),
                fixture!("campaigns.json"),
                fixture!("workspace.json"),
                fixture!("shapes/meta_instagram_posts_unicode.txt"),
                fixture!("shapes/youtube_chart_data.csv"),
                fixture!("shapes/facebook_page_posts.csv"),
                fixture!("shapes/meta_instagram_posts.xlsx"),
                b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01",
                b"platform,Size 6.1\",likes\ntiktok,x,5\n",
            ];
            let hostile: [&[u8]; 4] = [
                b"<!DOCTYPE html><html><body>",
                b"\xFF\xFEp\0l\0a\0t\0f\0o\0r\0m\0,\0l\0i\0k\0e\0s\0\n\0t\0i\0k\0t\0o\0k\0,\x005\0\n\0",
                b"   \n\n\t\n[{\"platform\":\"x\",\"likes\":1},{\"k\":2}]",
                b"{\"posts\":[{\"platform\":\"x\",\"post_id\":\"a\",\"date\":\"2025-01-02\"}],\"currency\":\"EUR\"}",
            ];
            files
                .iter()
                .chain(hostile.iter())
                .map(|file| file.to_vec())
                .collect()
        }
        "values" => text(&[
            "12,400",
            "1.2K",
            "475.8m",
            "$1,234.50",
            "(12)",
            "1.39%",
            "€1.234,50",
            "1e308",
            "-1e309",
            "N/A",
            "2025-03-04",
            "03/04/2025 14:05",
            "Jan 5, 2025 at 3:45 PM",
            "5 janv. 2025",
            "2025-03-04T14:05:00Z",
            "9999999-01-01",
            "45720.586805555555",
            "1712345678",
            "yes",
            "IG",
            "EUR",
            "USD=0.92, GBP=1.17",
            "posts_2025-01-01_2025-03-31.csv",
            "Lifetime",
        ]),
        "query" => text(&[
            "from=2025-01-01&to=2025-03-31&platform=tiktok&g=week&compare=year",
            "?from=2025-02-30",
            "from=9999999-01-01&to=2025-01-01",
            "from=5879611-07-12",
            "from=2025-12-12l",
            "platform=insta%67ram&creator=K%2001&g=quarter",
            "to=1900-01-01&from=2200-12-31",
            "campaign=C01&format=reel&g=day",
        ]),
        "settings" => {
            let defaults = serde_json::to_string(&SavedSettings::default()).unwrap_or_default();
            let mut seeds: Vec<Vec<u8>> = vec![defaults.clone().into_bytes()];
            seeds.extend(text(&[
                r#"{"as_of":2147483647}"#,
                r#"{"as_of":"9999999-01-01","currency_symbol":"=HYPERLINK(\"x\")"}"#,
                r#"{"emv_cpm":{"instagram":-5,"tiktok":1e308},"tiers":{"nano":-1}}"#,
                r#"{"currency_rates":{"USD":0.92,"EUR":"x"},"score_weights":null}"#,
                r#"{"target_overrides":{"ctr":{"value":0.02}},"er_denominator":"impressions"}"#,
                "[]",
            ]));
            // Each field of the defaults on its own.
            if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&defaults) {
                for (k, v) in map {
                    seeds.push(serde_json::json!({ k: v }).to_string().into_bytes());
                }
            }
            seeds
        }
        "snapshot" => {
            let snapshot = demo_snapshot();
            let payload = share::encode(&snapshot).unwrap_or_default();
            let json = serde_json::to_vec(&snapshot).unwrap_or_default();
            // Mode byte 0: a payload; 1: JSON to deflate and encode.
            vec![
                [b"\0".as_slice(), payload.as_bytes()].concat(),
                [b"\x01".as_slice(), &json].concat(),
                [b"\x01".as_slice(), &json[..json.len() / 2]].concat(),
            ]
        }
        "unpack" => (0u8..24)
            .map(|k| vec![k, 0, k, 7, 0, 0, 0, 0x80 | (k % 6)])
            .collect(),
        _ => Vec::new(),
    }
}

/// The snapshot link of the demo's results, as the dashboard makes it.
pub fn demo_snapshot() -> share::Snapshot {
    use kpi_dash::display::export::ExportContext;
    let ws = kpi_dash::data::demo::generate(kpi_dash::data::demo::DEMO_SEED);
    let results = compute(
        &ws,
        &Filter::default(),
        &Settings::default(),
        Granularity::Week,
    );
    let context = ExportContext::new(&SavedSettings::default(), &ViewQuery::default(), None);
    let source = share::SnapshotSource {
        dataset: "posts.csv",
        query: "platform=tiktok",
        context: &context,
        currency_symbol: "$",
        locale: NumberLocale::default(),
    };
    share::Snapshot::of(&results, &source, |_, key| format!("name of {key}"))
}
