//! The ingest pipeline's public API: detect a file's table kind and column mapping, then
//! load it into a [`Workspace`] with every rejected row and value reported.
//! Readers ([`super::csv`], [`super::json`]), header mapping ([`super::mapping`]), value
//! parsing ([`super::values`]) and per-table validation ([`super::loader`]) live in
//! sibling modules. CSV, JSON and XLSX (a zip: its first sheet is read as CSV, see
//! [`super::xlsx`]) are told apart by content, not by the file name; UTF-16 text
//! (Excel's "Unicode text", with or without its byte-order mark) is transcoded.
//!
//! # Files that are not tables
//! The first bytes are looked at before anything is parsed ([`sniff`]): an image (PNG,
//! JPEG, GIF, WebP), a PDF, an archive (gzip, 7-Zip, RAR, a zip that is not an XLSX
//! workbook, such as a Word document), an old Office file (`.xls`), an HTML page or XML
//! document, UTF-32 text, or bytes with NULs that are not UTF-16 text, is refused by
//! name ("this is a PNG image, not a table: export CSV, JSON or XLSX") and the
//! workspace stays as it was. A streamed load stops reading a refused file.
//!
//! # Bounded work
//! A table has at most [`MAX_COLUMNS`] columns: a CSV header or the distinct keys of a
//! JSON table past it refuse the file, a JSON record with more keys is rejected. The
//! header line, the leading whitespace and the first bytes are each looked at once,
//! however the input is chunked, so no input makes the work grow faster than its size.
//!
//! # What is rejected, and why
//! Every rejected row and every dropped value becomes an [`Issue`] (file, line, column,
//! raw value, and its [`RejectKind`], whose text is the reason), and
//! `rows_read == rows_used + rows_rejected` always holds. A file that cannot be loaded
//! at all is a [`LoadError`] with its [`LoadErrorKind`] (see [`super::error`]).
//!
//! A **whole row** is rejected when:
//! - its number of fields differs from the header's;
//! - all of its fields are blank ("empty row");
//! - a posts row has no platform (no platform cell and no `LoadOptions.platform`);
//! - a posts row's date cannot be read (a wrong date would put it in the wrong period;
//!   a *blank* date is fine: the row loads undated);
//! - a campaigns/creators/assets row lacks its key (`campaign_id`/`creator_id`/`asset_id`);
//! - it is YouTube Studio's `Total` row ("YouTube total row");
//! - under [`DuplicatePolicy::KeepLast`], a later row of the same file has its `post_id`
//!   (for rows that count no post, a day of a post or an order, its `post_id` *and*
//!   date: YouTube's Chart data has one row per video per day, none a duplicate).
//!
//! Not rejected: a Shopify order with no discount code, or one no creator has, is kept
//! as unattributed revenue (creator `""`) and a notice counts them and lists the codes.
//! A first record that describes the columns instead of holding values (Facebook's
//! second row) is skipped and **not counted in `rows_read`**; a notice names its line.
//!
//! # Recognised formats
//! [`Detection`] names the format, its platform (a recognised export never asks for
//! one), its table and what one row is ([`RowModel`]), and says in
//! [`Detection::summary`] (also the report's first notice) what was understood. A posts
//! file that maps no measure, or a generic file that maps fewer than half of its
//! columns, sets [`Detection::needs_mapping`]. Files dropped together load through
//! [`load_batch`]: creators before the orders their discount codes attribute.
//!
//! YouTube Table data and Chart data of the same videos combine, in either order: the
//! Table row stays the post (post count 1, its other measures) and its views become
//! absent, since the Chart rows (post count 0) carry the views day by day; views count
//! once, and a notice says how many posts this concerns.
//!
//! Only the **value** is dropped (the row stays, `row_rejected == false`) when a number,
//! boolean, objective, sentiment or a date of a non-posts table cannot be read.
//!
//! Duplicates: a `post_id` repeated in the file or already in the workspace is reported;
//! `KeepLast` keeps the newest row, `Sum` adds the counts into the first (post count,
//! followers and disclosure counts are not added). Campaigns, creators and assets whose
//! key already exists are updated with the fields the new row gives.
//!
//! A file in which nothing is usable gives a [`LoadError`] and leaves the workspace
//! untouched: rows are staged and checked before anything is applied.

use serde::{Deserialize, Serialize};

use super::csv::{CsvReader, Record};
pub use super::error::{LoadError, LoadErrorKind, RejectKind};
use super::export::push_safe_field;
use super::json;
use super::loader::{Prepared, TableLoader};
pub use super::mapping::RowModel;
use super::schema::TableKind;
use super::store::Workspace;

/// Order of day and month in ambiguous dates such as `03/04/2025`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `MM/DD/YYYY` (US exports; Meta and TikTok use it).
    #[default]
    MonthFirst,
    /// `DD/MM/YYYY`.
    DayFirst,
}

/// Number locale of the file: which character is the decimal separator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberLocale {
    /// `1,234.50`
    #[default]
    DotDecimal,
    /// `1.234,50`
    CommaDecimal,
}

/// What to do with repeated `post_id`s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// The last row with the id replaces earlier ones.
    #[default]
    KeepLast,
    /// The rows' numbers are added up.
    Sum,
}

/// Choices the user makes for one file (all optional: detection fills the rest).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoadOptions {
    /// Overrides the detected table kind.
    pub kind: Option<TableKind>,
    /// Platform for every row of a file without a platform column.
    pub platform: Option<String>,
    /// Campaign for every row of a file without a campaign column.
    pub campaign_id: Option<String>,
    /// Creator for every row of a file without a creator column.
    pub creator_id: Option<String>,
    /// Overrides the detected mapping: `(source header, canonical column or None to ignore)`.
    pub mapping: Option<Vec<(String, Option<String>)>>,
    pub date_order: DateOrder,
    /// Today's day number (the UI's clock; tests give a fixed day): a date without a
    /// year is the latest that is not after it, when the file name gives no period.
    pub today: Option<super::calendar::Day>,
    pub number_locale: NumberLocale,
    pub duplicates: DuplicatePolicy,
    /// Rates for money in another currency than the workspace's: `(ISO code, units of
    /// the workspace's currency per unit of it)`. Without one, such amounts are left out.
    pub currency_rates: Vec<(String, f64)>,
}

/// How one source column maps onto the canonical schema.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// The header as it appears in the file.
    pub source: String,
    /// The canonical column it maps to, or `None` when ignored.
    pub target: Option<String>,
}

/// What detection found before loading: shown on the mapping screen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    pub kind: TableKind,
    /// Name of the recognised export format (e.g. "Instagram Insights (posts)").
    pub format_name: String,
    pub encoding: String,
    pub headers: Vec<String>,
    pub mapping: Vec<ColumnMapping>,
    /// True when the file has no platform column, its format names none, and the user
    /// must give one.
    pub needs_platform: bool,
    /// The platform the recognised format implies (every row without a platform cell
    /// gets it), e.g. `instagram` for Meta Business Suite.
    #[serde(default)]
    pub platform: Option<String>,
    /// What one row of the file is (a post, a day of a post, an order, …).
    #[serde(default)]
    pub row_model: RowModel,
    /// True when little of the file was understood (a posts file that maps no measure,
    /// or a generic file that maps fewer than half of its columns): the UI opens the
    /// mapping instead of loading it as is.
    #[serde(default)]
    pub needs_mapping: bool,
    /// What was understood, in words: the format, its platform, what a row is, and
    /// which columns were used (also the first notice of the report).
    #[serde(default)]
    pub summary: String,
}

/// One rejected row or value. Its reason is derived from its [`RejectKind`]; in JSON it
/// carries both the kind and the reason text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "IssueJson", from = "IssueJson")]
pub struct Issue {
    pub file: String,
    /// 1-based line in the file (the header is line 1); record index for JSON.
    pub line: usize,
    pub column: Option<String>,
    pub raw_value: String,
    /// Why the row was rejected or the value dropped.
    pub kind: RejectKind,
    /// True when the whole row was rejected; false when only the value was dropped.
    pub row_rejected: bool,
}

impl Issue {
    /// The reason in words (derived from [`Issue::kind`]).
    pub fn reason(&self) -> String {
        self.kind.to_string()
    }
}

/// The JSON form of an [`Issue`]: its fields and the reason text (read back from the kind).
#[derive(Clone, Serialize, Deserialize)]
struct IssueJson {
    file: String,
    line: usize,
    column: Option<String>,
    raw_value: String,
    kind: RejectKind,
    #[serde(default, skip_deserializing)]
    reason: String,
    row_rejected: bool,
}

impl From<Issue> for IssueJson {
    fn from(i: Issue) -> IssueJson {
        IssueJson {
            reason: i.kind.to_string(),
            file: i.file,
            line: i.line,
            column: i.column,
            raw_value: i.raw_value,
            kind: i.kind,
            row_rejected: i.row_rejected,
        }
    }
}

impl From<IssueJson> for Issue {
    fn from(j: IssueJson) -> Issue {
        Issue {
            file: j.file,
            line: j.line,
            column: j.column,
            raw_value: j.raw_value,
            kind: j.kind,
            row_rejected: j.row_rejected,
        }
    }
}

/// The result of loading one file. `rows_read == rows_used + rows_rejected`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub file_name: String,
    pub detection: Detection,
    pub rows_read: usize,
    pub rows_used: usize,
    pub rows_rejected: usize,
    pub issues: Vec<Issue>,
    /// Plain-language notices (e.g. "no dates: rows stay out of trends").
    pub notices: Vec<String>,
    /// The ISO code of the currency of the file's money, once settled (see
    /// [`super::currency`]); `None` when the file states none.
    #[serde(default)]
    pub currency: Option<String>,
}

/// The most columns a table may have (a CSV header's fields, a JSON table's distinct
/// keys, a JSON record's keys).
pub const MAX_COLUMNS: usize = 2_000;

/// Bytes read by [`detect`] to find a CSV header.
const DETECT_PREFIX: usize = 1 << 16;

/// Bytes [`sniff`] looks at for magic numbers and NUL patterns.
pub const SNIFF_BYTES: usize = 1024;

/// How a file's text is encoded, as far as its first bytes tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 (a BOM is dropped), or Windows-1252 when it is not valid UTF-8.
    Utf8,
    /// UTF-16 (with or without a BOM).
    Utf16 { big_endian: bool },
}

/// What the first bytes of a file say it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sniffed {
    /// Not a table: the kind names what it is.
    Refused(LoadErrorKind),
    /// A zip file: an XLSX workbook or not (known once its directory is read).
    Zip,
    /// JSON text.
    Json(TextEncoding),
    /// CSV (or TSV) text.
    Csv(TextEncoding),
}

/// `this is a {what}, not a table: export CSV, JSON or XLSX`.
fn not_a_table(what: &str) -> Sniffed {
    Sniffed::Refused(LoadErrorKind::NotATable {
        what: what.to_owned(),
    })
}

/// Magic numbers of files that are not tables, and what each is.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (
        b"\x1F\x8B",
        "a gzip archive (unpack it and load the file inside)",
    ),
    (
        b"7z\xBC\xAF\x27\x1C",
        "a 7-Zip archive (unpack it and load the file inside)",
    ),
    (
        b"Rar!\x1A\x07",
        "a RAR archive (unpack it and load the file inside)",
    ),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an old Office file such as an Excel 97-2003 workbook (.xls): save it as XLSX or CSV",
    ),
    (b"SQLite format 3\0", "an SQLite database"),
    (b"\x00\x00\xFE\xFF", "UTF-32 text (save it as UTF-8)"),
    (b"\xFF\xFE\x00\x00", "UTF-32 text (save it as UTF-8)"),
];

/// Markup a text file may start with (after whitespace), lower-cased, and what it is.
const MARKUP: &[(&[u8], &str)] = &[
    (b"<!doctype html", "an HTML page"),
    (b"<html", "an HTML page"),
    (b"<head", "an HTML page"),
    (b"<body", "an HTML page"),
    (b"<!--", "an HTML page"),
    (b"<?xml", "an XML document"),
    (b"<svg", "an SVG image"),
];

/// Longest [`MARKUP`] prefix.
const MARKUP_BYTES: usize = 14;

/// UTF-16 without a BOM, told by its NUL bytes: ASCII text has a NUL in every other
/// byte (the odd ones for little-endian). `None` when the NULs do not fall that way.
fn utf16_without_bom(head: &[u8]) -> Option<bool> {
    let pairs = head.len() / 2;
    if pairs == 0 {
        return None;
    }
    let le = head
        .chunks_exact(2)
        .filter(|p| p[0] != 0 && p[1] == 0)
        .count();
    let be = head
        .chunks_exact(2)
        .filter(|p| p[0] == 0 && p[1] != 0)
        .count();
    // Most characters of a table's text are ASCII (digits, separators, header words).
    if le * 4 >= pairs * 3 {
        Some(false)
    } else if be * 4 >= pairs * 3 {
        Some(true)
    } else {
        None
    }
}

/// Decides what a file is from its start, looking at each byte once across calls.
/// Feed it the growing buffer; `complete` when no more bytes will come.
#[derive(Clone, Debug, Default)]
struct Sniffer {
    /// Set once the first [`SNIFF_BYTES`] were checked: the text's encoding.
    encoding: Option<TextEncoding>,
    /// Offset of the text after any BOM.
    body: usize,
    /// Bytes of leading whitespace (and NULs of UTF-16) known so far, from `body`.
    blank: usize,
    /// Bytes looked at in all (each once; see [`StreamingLoad::sniff_work`]).
    looked: usize,
}

impl Sniffer {
    /// `None` while more bytes are needed.
    fn sniff(&mut self, buf: &[u8], complete: bool) -> Option<Sniffed> {
        let encoding = match self.encoding {
            Some(encoding) => encoding,
            None => {
                if buf.len() < SNIFF_BYTES && !complete {
                    return None;
                }
                let head = &buf[..buf.len().min(SNIFF_BYTES)];
                self.looked += head.len();
                if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
                    return Some(not_a_table(what));
                }
                if head.starts_with(b"PK\x03\x04")
                    || head.starts_with(b"PK\x05\x06")
                    || head.starts_with(b"PK\x07\x08")
                {
                    return Some(Sniffed::Zip);
                }
                let (encoding, body) = if head.starts_with(b"\xFF\xFE") {
                    (TextEncoding::Utf16 { big_endian: false }, 2)
                } else if head.starts_with(b"\xFE\xFF") {
                    (TextEncoding::Utf16 { big_endian: true }, 2)
                } else if head.starts_with(b"\xEF\xBB\xBF") {
                    (TextEncoding::Utf8, 3)
                } else if !head.contains(&0) {
                    (TextEncoding::Utf8, 0)
                } else if let Some(big_endian) = utf16_without_bom(head) {
                    (TextEncoding::Utf16 { big_endian }, 0)
                } else {
                    return Some(not_a_table("a binary file (it holds NUL bytes)"));
                };
                self.encoding = Some(encoding);
                self.body = body;
                encoding
            }
        };
        let utf16 = matches!(encoding, TextEncoding::Utf16 { .. });
        let text = buf.get(self.body..).unwrap_or_default();
        let rest = text.get(self.blank..).unwrap_or_default();
        let skip = rest
            .iter()
            .position(|&b| !(b.is_ascii_whitespace() || utf16 && b == 0));
        let Some(skip) = skip else {
            self.looked += rest.len();
            self.blank = text.len();
            return None;
        };
        self.looked += skip + 1;
        self.blank += skip;
        let first = &text[self.blank..];
        if first[0] == b'[' || first[0] == b'{' {
            return Some(Sniffed::Json(encoding));
        }
        if first[0] == b'<' && !utf16 {
            if first.len() < MARKUP_BYTES && !complete {
                return None;
            }
            let start = first[..first.len().min(MARKUP_BYTES)].to_ascii_lowercase();
            if let Some((_, what)) = MARKUP.iter().find(|(m, _)| start.starts_with(m)) {
                return Some(not_a_table(what));
            }
        }
        Some(Sniffed::Csv(encoding))
    }
}

/// What the bytes of a whole file are (see [`Sniffed`]); `None` for a file that holds
/// nothing but whitespace.
pub fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    Sniffer::default().sniff(bytes, true)
}

fn load_error(file_name: &str, kind: impl Into<LoadErrorKind>) -> LoadError {
    LoadError::new(file_name, kind)
}

/// A CSV reader for text of this encoding.
fn csv_reader(encoding: TextEncoding) -> Box<CsvReader> {
    Box::new(match encoding {
        TextEncoding::Utf8 => CsvReader::new(),
        TextEncoding::Utf16 { big_endian } => CsvReader::utf16(big_endian),
    })
}

/// The bytes as text: UTF-16 when sniffed so, else UTF-8 (BOM dropped), else
/// Windows-1252.
fn decode_text(bytes: &[u8], encoding: TextEncoding) -> (String, &'static str) {
    if let TextEncoding::Utf16 { big_endian } = encoding {
        let units = bytes.chunks_exact(2).map(|p| match big_endian {
            true => u16::from_be_bytes([p[0], p[1]]),
            false => u16::from_le_bytes([p[0], p[1]]),
        });
        let text: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect();
        let text = text
            .strip_prefix('\u{FEFF}')
            .map(str::to_owned)
            .unwrap_or(text);
        return (text, if big_endian { "utf-16be" } else { "utf-16le" });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => (text.to_owned(), "utf-8"),
        Err(_) => (
            body.iter()
                .map(|&b| super::csv::windows1252_char(b))
                .collect(),
            "windows-1252",
        ),
    }
}

/// The refusal of a header with more than [`MAX_COLUMNS`] fields.
fn too_many_columns(columns: usize) -> LoadErrorKind {
    LoadErrorKind::TooManyColumns { columns }
}

/// Detects a file's kind, encoding and column mapping without loading it. A file that
/// is not a table (see [`sniff`]) is an error that names what it is.
pub fn detect(file_name: &str, bytes: &[u8]) -> Result<Detection, LoadError> {
    match sniff(bytes) {
        None => Err(load_error(file_name, LoadErrorKind::Empty)),
        Some(Sniffed::Refused(message)) => Err(load_error(file_name, message)),
        Some(Sniffed::Zip) => {
            let csv = xlsx_csv(file_name, bytes)?;
            let mut detection = detect(file_name, &csv)?;
            detection.encoding = "xlsx".into();
            Ok(detection)
        }
        Some(Sniffed::Json(encoding)) => {
            let (text, encoding) = decode_text(bytes, encoding);
            let doc = json::parse(&text).map_err(|e| load_error(file_name, e))?;
            let table = doc
                .tables
                .into_iter()
                .find(|t| !t.rows.is_empty())
                .ok_or_else(|| load_error(file_name, LoadErrorKind::NoJsonRows))?;
            let loader = TableLoader::new(
                file_name,
                table.headers,
                &LoadOptions::default(),
                table.kind,
            );
            let mut detection = loader.detection;
            detection.encoding = encoding.into();
            if doc.is_workspace {
                detection.format_name = "Workspace document".into();
            }
            Ok(detection)
        }
        Some(Sniffed::Csv(encoding)) => {
            let mut reader = csv_reader(encoding);
            let mut headers: Option<Result<Vec<String>, usize>> = None;
            let take_header = |headers: &mut Option<Result<Vec<String>, usize>>, r: &Record<'_>| {
                if headers.is_none() && !r.iter().all(|h| h.trim().is_empty()) {
                    *headers = Some(match r.len() {
                        n if n > MAX_COLUMNS => Err(n),
                        _ => Ok(r.iter().map(str::to_owned).collect()),
                    });
                }
            };
            // Up to the header's line end, a prefix at a time.
            for chunk in bytes.chunks(DETECT_PREFIX) {
                reader.feed(chunk, &mut |_, r| take_header(&mut headers, r));
                if headers.is_some() {
                    break;
                }
            }
            reader.finish(&mut |_, r| take_header(&mut headers, r));
            let headers = headers
                .ok_or_else(|| load_error(file_name, LoadErrorKind::Empty))?
                .map_err(|n| load_error(file_name, too_many_columns(n)))?;
            let mut detection =
                TableLoader::new(file_name, headers, &LoadOptions::default(), None).detection;
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            detection.encoding = match reader.encoding() {
                super::csv::Encoding::Utf8 if std::str::from_utf8(body).is_err() => "windows-1252",
                other => other.label(),
            }
            .into();
            Ok(detection)
        }
    }
}

/// Loads a CSV, JSON, NDJSON or workspace-JSON file into `ws`.
pub fn load(
    ws: &mut Workspace,
    file_name: &str,
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<FileReport, LoadError> {
    let mut streaming = StreamingLoad::new(file_name, options.clone());
    streaming.feed(bytes);
    streaming.finish(ws)
}

/// Where a file goes in a batch dropped together: tables that others refer to first
/// (creators, whose discount codes attribute orders; campaigns), then posts, then
/// orders. A file that cannot be detected ranks with posts (its load reports why).
pub fn batch_rank(detection: &Detection, options: &LoadOptions) -> u8 {
    match options.kind.unwrap_or(detection.kind) {
        TableKind::Creators | TableKind::Campaigns => 0,
        _ if detection.row_model == RowModel::Order => 2,
        _ => 1,
    }
}

/// Loads the files of one drop into `ws` in [`batch_rank`] order, so that Shopify orders
/// find the creators file dropped with them whatever the order of the drop. The
/// results come back in the files' own order.
pub fn load_batch<B: AsRef<[u8]>>(
    ws: &mut Workspace,
    files: &[(String, B, LoadOptions)],
) -> Vec<Result<FileReport, LoadError>> {
    let mut order: Vec<(u8, usize)> = files
        .iter()
        .enumerate()
        .map(|(i, (name, bytes, options))| {
            let rank = detect(name, bytes.as_ref()).map_or(1, |d| batch_rank(&d, options));
            (rank, i)
        })
        .collect();
    order.sort();
    let mut results: Vec<Option<Result<FileReport, LoadError>>> = vec![None; files.len()];
    for (_, i) in order {
        let (name, bytes, options) = &files[i];
        results[i] = Some(load(ws, name, bytes.as_ref(), options));
    }
    results.into_iter().flatten().collect()
}

enum Input {
    Sniffing(Vec<u8>, Sniffer),
    /// A zip file (an XLSX workbook), buffered: its directory is at its end.
    Xlsx(Vec<u8>),
    Csv {
        reader: Box<CsvReader>,
        table: Option<Box<TableLoader>>,
    },
    Json(Vec<u8>, TextEncoding),
    /// Not a table, or past a limit: the rest of the file is not read.
    Refused(LoadErrorKind),
}

/// A load fed in chunks (the worker reads big files this way). CSV is parsed as the
/// chunks arrive and never held whole; JSON is buffered until [`StreamingLoad::finish`].
pub struct StreamingLoad {
    file_name: String,
    options: LoadOptions,
    input: Input,
    /// The file's size when known (see [`StreamingLoad::expect_bytes`]), and the bytes
    /// fed so far.
    expected_bytes: Option<f64>,
    fed_bytes: f64,
    /// The sniffer's work, once it decided.
    sniff_looked: usize,
}

impl StreamingLoad {
    /// A load of `file_name` with the user's options.
    pub fn new(file_name: &str, options: LoadOptions) -> StreamingLoad {
        StreamingLoad {
            file_name: file_name.to_owned(),
            options,
            input: Input::Sniffing(Vec::new(), Sniffer::default()),
            expected_bytes: None,
            fed_bytes: 0.0,
            sniff_looked: 0,
        }
    }

    /// Tells the load the file's size: after each chunk, the staged columns are made
    /// room for the rows the whole file is projected to hold (rows per byte so far,
    /// plus 3 %), so each grows once or twice instead of by doubling.
    pub fn expect_bytes(&mut self, total: f64) {
        self.expected_bytes = Some(total);
    }

    fn plan_capacity(&mut self) {
        let (Some(total), Input::Csv { table: Some(t), .. }) =
            (self.expected_bytes, &mut self.input)
        else {
            return;
        };
        if t.rows_read > 0 && self.fed_bytes > 0.0 {
            let projected = t.rows_read as f64 * total / self.fed_bytes * 1.03;
            t.reserve_rows(projected as usize);
        }
    }

    /// Reads the next chunk of the file.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.fed_bytes += chunk.len() as f64;
        self.read(chunk);
        self.plan_capacity();
    }

    fn read(&mut self, chunk: &[u8]) {
        let StreamingLoad {
            file_name,
            options,
            input,
            sniff_looked,
            ..
        } = self;
        let next = match input {
            Input::Sniffing(buf, sniffer) => {
                buf.extend_from_slice(chunk);
                let sniffed = sniffer.sniff(buf, false);
                *sniff_looked = sniffer.looked;
                let Some(sniffed) = sniffed else {
                    return;
                };
                route(sniffed, std::mem::take(buf), file_name, options)
            }
            Input::Csv { reader, table } => {
                match feed_csv(reader, table, file_name, options, chunk, false) {
                    Ok(()) => return,
                    Err(refusal) => Input::Refused(refusal),
                }
            }
            Input::Json(buf, _) | Input::Xlsx(buf) => {
                buf.extend_from_slice(chunk);
                return;
            }
            Input::Refused(_) => return,
        };
        *input = next;
    }

    /// Bytes the sniffer looked at to tell what the file is: each byte once, however
    /// the file was chunked (tests bound the work with it).
    pub fn sniff_work(&self) -> usize {
        match &self.input {
            Input::Sniffing(_, sniffer) => sniffer.looked,
            _ => self.sniff_looked,
        }
    }

    /// The CSV reader's work on the header line (see
    /// [`CsvReader::header_bytes_scanned`]); 0 when the file is not CSV.
    pub fn header_work(&self) -> usize {
        match &self.input {
            Input::Csv { reader, .. } => reader.header_bytes_scanned(),
            _ => 0,
        }
    }

    /// Why the file is refused, once that is known (a streamed read can stop there).
    pub fn refusal(&self) -> Option<&LoadErrorKind> {
        match &self.input {
            Input::Refused(message) => Some(message),
            _ => None,
        }
    }

    /// Records read so far (CSV; 0 while sniffing or buffering JSON).
    pub fn rows_read(&self) -> usize {
        match &self.input {
            Input::Csv { table: Some(t), .. } => t.rows_read,
            _ => 0,
        }
    }

    /// The CSV reader and its table (`None` unless the file is read as CSV): how
    /// [`super::split`] checks, continues and merges the parts of a file.
    pub fn csv_parts(&mut self) -> Option<(&mut CsvReader, &mut Option<Box<TableLoader>>)> {
        match &mut self.input {
            Input::Csv { reader, table } => Some((reader, table)),
            _ => None,
        }
    }

    /// The detection, once a CSV header has been read.
    pub fn detection(&self) -> Option<&Detection> {
        match &self.input {
            Input::Csv { table: Some(t), .. } => Some(&t.detection),
            _ => None,
        }
    }

    /// Ends the input and applies the file to `ws` (or leaves `ws` untouched on error).
    pub fn finish(self, ws: &mut Workspace) -> Result<FileReport, LoadError> {
        let StreamingLoad {
            file_name,
            options,
            input,
            ..
        } = self;
        let input = match input {
            Input::Sniffing(bytes, mut sniffer) => match sniffer.sniff(&bytes, true) {
                None => return Err(load_error(&file_name, LoadErrorKind::Empty)),
                Some(sniffed) => route(sniffed, bytes, &file_name, &options),
            },
            input => input,
        };
        match input {
            Input::Sniffing(..) => Err(load_error(&file_name, LoadErrorKind::Empty)),
            Input::Refused(message) => Err(load_error(&file_name, message)),
            Input::Json(bytes, encoding) => finish_json(ws, &file_name, &options, &bytes, encoding),
            Input::Xlsx(bytes) => {
                let csv = xlsx_csv(&file_name, &bytes)?;
                let mut reader = Box::new(CsvReader::new());
                let mut table = None;
                feed_csv(&mut reader, &mut table, &file_name, &options, &csv, false)
                    .map_err(|e| load_error(&file_name, e))?;
                finish_csv(ws, &file_name, &options, reader, table, Some("xlsx"))
            }
            Input::Csv { reader, table } => {
                finish_csv(ws, &file_name, &options, reader, table, None)
            }
        }
    }
}

/// Where a sniffed file's bytes (the start of the file so far) go.
fn route(sniffed: Sniffed, bytes: Vec<u8>, file_name: &str, options: &LoadOptions) -> Input {
    match sniffed {
        Sniffed::Refused(message) => Input::Refused(message),
        Sniffed::Zip => Input::Xlsx(bytes),
        Sniffed::Json(encoding) => Input::Json(bytes, encoding),
        Sniffed::Csv(encoding) => {
            let mut reader = csv_reader(encoding);
            let mut table = None;
            match feed_csv(&mut reader, &mut table, file_name, options, &bytes, false) {
                Ok(()) => Input::Csv { reader, table },
                Err(refusal) => Input::Refused(refusal),
            }
        }
    }
}

/// What a zip file that is not an XLSX workbook is, by the entries it holds.
fn zip_refusal(bytes: &[u8]) -> LoadErrorKind {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let what = if has(b"word/") {
        "a Word document (.docx)"
    } else if has(b"ppt/") {
        "a PowerPoint presentation (.pptx)"
    } else if has(b"application/vnd.oasis.opendocument.spreadsheet") {
        return LoadErrorKind::OpenDocumentSpreadsheet;
    } else if has(b"application/vnd.oasis.opendocument") {
        "an OpenDocument file"
    } else {
        return LoadErrorKind::ZipNotXlsx;
    };
    LoadErrorKind::NotATable {
        what: what.to_owned(),
    }
}

/// The first sheet of an XLSX workbook as CSV bytes.
fn xlsx_csv(file_name: &str, bytes: &[u8]) -> Result<Vec<u8>, LoadError> {
    if !super::xlsx::is_xlsx(bytes) {
        return Err(load_error(file_name, zip_refusal(bytes)));
    }
    super::xlsx::first_sheet_csv(bytes)
        .map(String::into_bytes)
        .map_err(|e| load_error(file_name, e))
}

/// Ends a CSV input (`encoding` overrides the reader's label, e.g. `xlsx`).
fn finish_csv(
    ws: &mut Workspace,
    file_name: &str,
    options: &LoadOptions,
    mut reader: Box<CsvReader>,
    mut table: Option<Box<TableLoader>>,
    encoding_label: Option<&str>,
) -> Result<FileReport, LoadError> {
    feed_csv(&mut reader, &mut table, file_name, options, &[], true)
        .map_err(|e| load_error(file_name, e))?;
    let mut loader = table.ok_or_else(|| load_error(file_name, LoadErrorKind::Empty))?;
    let encoding = reader.encoding();
    loader.detection.encoding = encoding_label.unwrap_or(encoding.label()).into();
    if encoding == super::csv::Encoding::Windows1252 {
        loader
            .notices
            .push("The file is not UTF-8: it was decoded as Windows-1252 (Latin-1).".into());
    }
    if reader.repaired_fields() > 0 {
        loader.notices.push(format!(
            "{} fields held double-encoded UTF-8 text (like `CÃ´te`) and were repaired.",
            reader.repaired_fields()
        ));
    }
    if let Some(line) = reader.unclosed_quote_line() {
        loader.notices.push(format!(
            "The quoted field that starts on line {line} never closes: the rest of the file went into it."
        ));
    }
    finalize(ws, file_name, vec![*loader], None, None)
}

/// Feeds a chunk (or the end, when `last`) to the reader and its records to the table;
/// an error refuses the file (a header past [`MAX_COLUMNS`]).
fn feed_csv(
    reader: &mut CsvReader,
    table: &mut Option<Box<TableLoader>>,
    file_name: &str,
    options: &LoadOptions,
    chunk: &[u8],
    last: bool,
) -> Result<(), LoadErrorKind> {
    let mut refusal = None;
    let mut on_record = |line: usize, record: &Record<'_>| match table {
        _ if refusal.is_some() => {}
        Some(loader) => loader.add_record(line, record),
        None if record.len() > MAX_COLUMNS => refusal = Some(too_many_columns(record.len())),
        // A line of nothing but whitespace before the header is not the header.
        None if record.iter().all(|h| h.trim().is_empty()) => {}
        None => {
            let headers = record.iter().map(|h| h.trim().to_owned()).collect();
            *table = Some(Box::new(TableLoader::new(
                file_name, headers, options, None,
            )));
        }
    };
    if last {
        reader.finish(&mut on_record);
    } else {
        reader.feed(chunk, &mut on_record);
    }
    refusal.map_or(Ok(()), Err)
}

fn finish_json(
    ws: &mut Workspace,
    file_name: &str,
    options: &LoadOptions,
    bytes: &[u8],
    encoding: TextEncoding,
) -> Result<FileReport, LoadError> {
    let (text, encoding) = decode_text(bytes, encoding);
    let doc = json::parse(&text).map_err(|e| load_error(file_name, e))?;
    let mut loaders = Vec::new();
    for table in doc.tables {
        if doc.is_workspace && table.rows.is_empty() {
            continue;
        }
        let label = match table.kind {
            Some(kind) if doc.is_workspace => format!("{file_name} ({})", kind.name()),
            _ => file_name.to_owned(),
        };
        let mut loader = TableLoader::new(&label, table.headers.clone(), options, table.kind);
        loader.detection.encoding = encoding.into();
        for (i, (n, _)) in table.rows.iter().enumerate() {
            loader.add_record(*n, &table.cells(i));
        }
        loaders.push(loader);
    }
    let Some(first) = loaders.first_mut() else {
        return Err(load_error(file_name, LoadErrorKind::NoJsonRows));
    };
    for (n, reason) in &doc.bad_records {
        first.reject_record(*n, reason);
    }
    let format_name = doc.is_workspace.then(|| "Workspace document".to_owned());
    if let Some(code) = doc.currency.as_deref().filter(|_| doc.is_workspace) {
        loaders.iter_mut().for_each(|l| l.assume_currency(code));
    }
    let method = if doc.is_workspace {
        doc.disclosure_method
    } else {
        None
    };
    finalize(ws, file_name, loaders, format_name, method)
}

/// Prepares every table, refuses the file when nothing is usable, else applies it.
fn finalize(
    ws: &mut Workspace,
    file_name: &str,
    loaders: Vec<TableLoader>,
    format_name: Option<String>,
    disclosure_method: Option<super::store::DisclosureMethod>,
) -> Result<FileReport, LoadError> {
    if let Some(fatal) = loaders.iter().find_map(|l| l.fatal.clone()) {
        return Err(load_error(file_name, fatal));
    }
    let prepared: Vec<Prepared> = loaders.into_iter().map(|l| l.prepare(ws)).collect();
    let mut report: Option<FileReport> = None;
    for p in &prepared {
        let l = &p.loader;
        let r = report.get_or_insert_with(|| FileReport {
            file_name: file_name.to_owned(),
            detection: l.detection.clone(),
            rows_read: 0,
            rows_used: 0,
            rows_rejected: 0,
            issues: Vec::new(),
            notices: Vec::new(),
            currency: None,
        });
        r.currency = r.currency.take().or_else(|| l.currency.clone());
        r.rows_read += l.rows_read;
        r.rows_rejected += l.rows_rejected;
        r.rows_used += l.rows_used();
        r.issues.extend(l.issues.iter().cloned());
        r.notices.extend(l.notices.iter().cloned());
    }
    let mut report = report.ok_or_else(|| load_error(file_name, LoadErrorKind::NoTable))?;
    if let Some(name) = format_name {
        report.detection.format_name = name;
    }
    if report.rows_used == 0 {
        let kind = match report.issues.iter().find(|i| i.row_rejected) {
            _ if report.rows_read == 0 => LoadErrorKind::HeaderOnly,
            first => LoadErrorKind::AllRejected {
                rows: report.rows_read,
                first: first.map(|i| (i.line, i.kind.clone())),
            },
        };
        // Every rejected row stays listed: the refused file keeps its report.
        let error = load_error(file_name, kind);
        return Err(match error.kind {
            LoadErrorKind::AllRejected { .. } => error.with_report(report),
            _ => error,
        });
    }
    let audience_kinds = prepared.iter().any(|p| {
        matches!(
            p.loader.detection.kind,
            TableKind::Creators | TableKind::Audience
        )
    });
    for p in prepared {
        p.apply(ws, disclosure_method);
    }
    if audience_kinds {
        // Percent readings and shares summing over 1, in the load report (never rescaled).
        report.notices.extend(super::audience::book(ws).notes);
    }
    Ok(report)
}

/// The workspace as one JSON document `{"posts":[...],"campaigns":[...],...}` that
/// [`load`] reads back losslessly.
pub fn workspace_json(ws: &Workspace) -> String {
    json::workspace_document_json(ws)
}

/// Every issue of the reports as CSV (`file,line,column,raw_value,reason,row_rejected`),
/// for the "download rejected rows" button. Text cells are formula-neutralized, since
/// raw values come straight from the user's file.
pub fn rejected_rows_csv(reports: &[FileReport]) -> String {
    let mut out = String::from("file,line,column,raw_value,reason,row_rejected\n");
    for issue in reports.iter().flat_map(|r| &r.issues) {
        push_safe_field(&mut out, &issue.file);
        out.push_str(&format!(",{},", issue.line));
        push_safe_field(&mut out, issue.column.as_deref().unwrap_or(""));
        out.push(',');
        push_safe_field(&mut out, &issue.raw_value);
        out.push(',');
        push_safe_field(&mut out, &issue.reason());
        out.push_str(if issue.row_rejected {
            ",true\n"
        } else {
            ",false\n"
        });
    }
    out
}
