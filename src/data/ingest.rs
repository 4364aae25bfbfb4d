//! The ingest pipeline's public API: detect a file's table kind and column mapping, then
//! load it into a [`Workspace`] with every rejected row and value reported.
//! Readers ([`super::csv`], [`super::json`]), header mapping ([`super::mapping`]), value
//! parsing ([`super::values`]) and per-table validation ([`super::loader`]) live in
//! sibling modules. CSV, JSON and XLSX (a zip: its first sheet is read as CSV, see
//! [`super::xlsx`]) are told apart by content, not by the file name; UTF-16LE text
//! (Excel's "Unicode text") is transcoded by the CSV reader.
//!
//! # What is rejected, and why
//! Every rejected row and every dropped value becomes an [`Issue`] (file, line, column,
//! raw value, reason), and `rows_read == rows_used + rows_rejected` always holds.
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

/// One rejected row or value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub file: String,
    /// 1-based line in the file (the header is line 1); record index for JSON.
    pub line: usize,
    pub column: Option<String>,
    pub raw_value: String,
    pub reason: String,
    /// True when the whole row was rejected; false when only the value was dropped.
    pub row_rejected: bool,
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

/// A file that could not be loaded at all. The workspace is left untouched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadError {
    pub file_name: String,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file_name, self.message)
    }
}

/// The first bytes of a zip file (an XLSX workbook).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Bytes read by [`detect`] to find a CSV header.
const DETECT_PREFIX: usize = 1 << 16;

fn load_error(file_name: &str, message: impl Into<String>) -> LoadError {
    LoadError {
        file_name: file_name.to_owned(),
        message: message.into(),
    }
}

/// `Some(true)` for JSON, `Some(false)` for CSV, `None` while only whitespace was seen.
fn sniff_json(bytes: &[u8]) -> Option<bool> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .map(|&b| b == b'[' || b == b'{')
}

/// The bytes as text: UTF-8 (BOM dropped), else Windows-1252.
fn decode_text(bytes: &[u8]) -> (String, &'static str) {
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

/// Detects a file's kind, encoding and column mapping without loading it.
pub fn detect(file_name: &str, bytes: &[u8]) -> Result<Detection, LoadError> {
    if bytes.starts_with(ZIP_MAGIC) {
        let csv = xlsx_csv(file_name, bytes)?;
        let mut detection = detect(file_name, &csv)?;
        detection.encoding = "xlsx".into();
        return Ok(detection);
    }
    match sniff_json(bytes) {
        None => Err(load_error(file_name, "the file is empty")),
        Some(true) => {
            let (text, encoding) = decode_text(bytes);
            let doc = json::parse(&text).map_err(|e| load_error(file_name, e))?;
            let table = doc
                .tables
                .into_iter()
                .find(|t| !t.rows.is_empty())
                .ok_or_else(|| load_error(file_name, "the JSON holds no rows"))?;
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
        Some(false) => {
            let mut reader = CsvReader::new();
            let mut headers: Option<Vec<String>> = None;
            let mut take_header = |_: usize, r: &Record<'_>| {
                if headers.is_none() {
                    headers = Some(r.iter().map(str::to_owned).collect());
                }
            };
            reader.feed(&bytes[..bytes.len().min(DETECT_PREFIX)], &mut take_header);
            reader.finish(&mut take_header);
            let headers = headers.ok_or_else(|| load_error(file_name, "the file is empty"))?;
            let mut detection =
                TableLoader::new(file_name, headers, &LoadOptions::default(), None).detection;
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            detection.encoding = if reader.encoding() == super::csv::Encoding::Utf16Le {
                "utf-16le"
            } else if std::str::from_utf8(body).is_ok() {
                "utf-8"
            } else {
                "windows-1252"
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
    Sniffing(Vec<u8>),
    /// A zip file (an XLSX workbook), buffered: its directory is at its end.
    Xlsx(Vec<u8>),
    Csv {
        reader: Box<CsvReader>,
        table: Option<Box<TableLoader>>,
    },
    Json(Vec<u8>),
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
}

impl StreamingLoad {
    /// A load of `file_name` with the user's options.
    pub fn new(file_name: &str, options: LoadOptions) -> StreamingLoad {
        StreamingLoad {
            file_name: file_name.to_owned(),
            options,
            input: Input::Sniffing(Vec::new()),
            expected_bytes: None,
            fed_bytes: 0.0,
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
            ..
        } = self;
        match input {
            Input::Sniffing(buf) => {
                buf.extend_from_slice(chunk);
                if buf.len() < ZIP_MAGIC.len() && ZIP_MAGIC.starts_with(buf) {
                    return;
                }
                if buf.starts_with(ZIP_MAGIC) {
                    *input = Input::Xlsx(std::mem::take(buf));
                    return;
                }
                let Some(is_json) = sniff_json(buf) else {
                    return;
                };
                let bytes = std::mem::take(buf);
                *input = if is_json {
                    Input::Json(bytes)
                } else {
                    let mut reader = Box::new(CsvReader::new());
                    let mut table = None;
                    feed_csv(&mut reader, &mut table, file_name, options, &bytes, false);
                    Input::Csv { reader, table }
                };
            }
            Input::Csv { reader, table } => {
                feed_csv(reader, table, file_name, options, chunk, false)
            }
            Input::Json(buf) | Input::Xlsx(buf) => buf.extend_from_slice(chunk),
        }
    }

    /// Records read so far (CSV; 0 while sniffing or buffering JSON).
    pub fn rows_read(&self) -> usize {
        match &self.input {
            Input::Csv { table: Some(t), .. } => t.rows_read,
            _ => 0,
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
        match input {
            Input::Sniffing(bytes) if bytes.starts_with(b"PK") => Err(load_error(
                &file_name,
                "not a readable XLSX file (broken zip)",
            )),
            Input::Sniffing(_) => Err(load_error(&file_name, "the file is empty")),
            Input::Json(bytes) => finish_json(ws, &file_name, &options, &bytes),
            Input::Xlsx(bytes) => {
                let csv = xlsx_csv(&file_name, &bytes)?;
                let mut reader = Box::new(CsvReader::new());
                let mut table = None;
                feed_csv(&mut reader, &mut table, &file_name, &options, &csv, false);
                finish_csv(ws, &file_name, &options, reader, table, Some("xlsx"))
            }
            Input::Csv { reader, table } => {
                finish_csv(ws, &file_name, &options, reader, table, None)
            }
        }
    }
}

/// The first sheet of an XLSX workbook as CSV bytes.
fn xlsx_csv(file_name: &str, bytes: &[u8]) -> Result<Vec<u8>, LoadError> {
    if !super::xlsx::is_xlsx(bytes) {
        return Err(load_error(
            file_name,
            "a zip file that is not an XLSX workbook: unzip it and load the CSV inside",
        ));
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
    feed_csv(&mut reader, &mut table, file_name, options, &[], true);
    let mut loader = table.ok_or_else(|| load_error(file_name, "the file is empty"))?;
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

fn feed_csv(
    reader: &mut CsvReader,
    table: &mut Option<Box<TableLoader>>,
    file_name: &str,
    options: &LoadOptions,
    chunk: &[u8],
    last: bool,
) {
    let mut on_record = |line: usize, record: &Record<'_>| match table {
        Some(loader) => loader.add_record(line, record),
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
}

fn finish_json(
    ws: &mut Workspace,
    file_name: &str,
    options: &LoadOptions,
    bytes: &[u8],
) -> Result<FileReport, LoadError> {
    let (text, encoding) = decode_text(bytes);
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
        let mut loader = TableLoader::new(&label, table.headers, options, table.kind);
        loader.detection.encoding = encoding.into();
        for (n, cells) in &table.rows {
            loader.add_record(*n, cells.as_slice());
        }
        loaders.push(loader);
    }
    let Some(first) = loaders.first_mut() else {
        return Err(load_error(file_name, "the JSON holds no rows"));
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
    let mut report = report.ok_or_else(|| load_error(file_name, "the file holds no table"))?;
    if let Some(name) = format_name {
        report.detection.format_name = name;
    }
    if report.rows_used == 0 {
        let message = match report.issues.iter().find(|i| i.row_rejected) {
            _ if report.rows_read == 0 => "the file has a header but no rows".to_owned(),
            Some(first) => format!(
                "no usable rows: all {} rows were rejected (first, line {}: {})",
                report.rows_read, first.line, first.reason
            ),
            None => format!(
                "no usable rows: all {} rows were rejected",
                report.rows_read
            ),
        };
        return Err(load_error(file_name, message));
    }
    for p in prepared {
        p.apply(ws, disclosure_method);
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
        push_safe_field(&mut out, &issue.reason);
        out.push_str(if issue.row_rejected {
            ",true\n"
        } else {
            ",false\n"
        });
    }
    out
}
