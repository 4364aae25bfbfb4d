//! The errors of the core as types. Each carries its kind as an enum, and its text (the
//! one the data page and the rejected-rows CSV show) is derived from the kind by
//! `Display`; each implements [`std::error::Error`].
//!
//! - [`LoadError`]: a file that could not be loaded at all ([`LoadErrorKind`]).
//! - [`RejectKind`]: why a row was rejected or a value dropped (the kind of an
//!   [`super::ingest::Issue`]).
//! - [`ValueError`] and [`DateProblem`]: why a cell's text is no value of its column.
//! - [`JsonError`], [`RecordProblem`], [`XlsxError`]: why a JSON text, one of its
//!   records or a workbook could not be read ([`super::packed::UnpackError`]: a packed
//!   workspace).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::calendar::DateError;
use super::ingest::{FileReport, MAX_COLUMNS};

/// Where in a file an error is: a 1-based line (a record number for JSON) and, when
/// known, a 1-based column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: Option<usize>,
}

/// A file that could not be loaded at all. The workspace is left untouched.
/// Displays as `file name: message`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadError {
    pub file_name: String,
    pub kind: LoadErrorKind,
    /// The file's report when it was read but nothing in it was usable
    /// ([`LoadErrorKind::AllRejected`]): every rejected row is in its issues (0 rows
    /// used), for the data page and the rejected-rows download.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Box<FileReport>>,
}

impl LoadError {
    /// The error of the file `file_name`.
    pub fn new(file_name: &str, kind: impl Into<LoadErrorKind>) -> LoadError {
        LoadError {
            file_name: file_name.to_owned(),
            kind: kind.into(),
            report: None,
        }
    }

    /// The error with the report of the refused file (see [`LoadError::report`]).
    pub fn with_report(mut self, report: FileReport) -> LoadError {
        self.report = Some(Box::new(report));
        self
    }

    /// What went wrong, in words (without the file name).
    pub fn message(&self) -> String {
        self.kind.to_string()
    }

    /// Where in the file, when the error has a place.
    pub fn position(&self) -> Option<Position> {
        self.kind.position()
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file_name, self.kind)
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            LoadErrorKind::Xlsx(e) => Some(e),
            LoadErrorKind::Json(e) => Some(e),
            _ => None,
        }
    }
}

/// Why a file could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadErrorKind {
    /// Nothing but whitespace (or no header).
    Empty,
    /// A file that is not a table; `what` names it ("a PNG image").
    NotATable { what: String },
    /// An OpenDocument spreadsheet (.ods).
    OpenDocumentSpreadsheet,
    /// A zip file that is not an XLSX workbook.
    ZipNotXlsx,
    /// A CSV header with more than [`MAX_COLUMNS`] fields.
    TooManyColumns { columns: usize },
    /// An XLSX workbook that could not be read.
    Xlsx(XlsxError),
    /// JSON that could not be read as a table.
    Json(JsonError),
    /// JSON without a single row.
    NoJsonRows,
    /// A posts file without a platform column, and no platform chosen.
    NoPlatformColumn,
    /// No column maps to a column the table needs.
    UnmappedRequired { column: String, table: String },
    /// No table was read from the file.
    NoTable,
    /// A header and no row.
    HeaderOnly,
    /// Every row was rejected; the first rejected row's line and why, when one was.
    AllRejected {
        rows: usize,
        first: Option<(usize, RejectKind)>,
    },
}

impl LoadErrorKind {
    /// Where in the file, when the error has a place.
    pub fn position(&self) -> Option<Position> {
        match self {
            LoadErrorKind::Json(e) => e.position(),
            LoadErrorKind::AllRejected {
                first: Some((line, _)),
                ..
            } => Some(Position {
                line: *line,
                column: None,
            }),
            _ => None,
        }
    }
}

impl From<XlsxError> for LoadErrorKind {
    fn from(e: XlsxError) -> LoadErrorKind {
        LoadErrorKind::Xlsx(e)
    }
}

impl From<JsonError> for LoadErrorKind {
    fn from(e: JsonError) -> LoadErrorKind {
        LoadErrorKind::Json(e)
    }
}

impl fmt::Display for LoadErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadErrorKind::Empty => f.write_str("the file is empty"),
            LoadErrorKind::NotATable { what } => {
                write!(f, "this is {what}, not a table: export CSV, JSON or XLSX")
            }
            LoadErrorKind::OpenDocumentSpreadsheet => f.write_str(
                "this is an OpenDocument spreadsheet (.ods), not a table we read: save it as XLSX or CSV",
            ),
            LoadErrorKind::ZipNotXlsx => f.write_str(
                "this is a zip archive that is not an XLSX workbook: unzip it and load the CSV inside",
            ),
            LoadErrorKind::TooManyColumns { columns } => write!(
                f,
                "the header has {columns} columns; a table may have at most {MAX_COLUMNS}: is this a table?"
            ),
            LoadErrorKind::Xlsx(e) => e.fmt(f),
            LoadErrorKind::Json(e) => e.fmt(f),
            LoadErrorKind::NoJsonRows => f.write_str("the JSON holds no rows"),
            LoadErrorKind::NoPlatformColumn => {
                f.write_str("the file has no platform column: choose the platform of its rows")
            }
            LoadErrorKind::UnmappedRequired { column, table } => {
                write!(f, "no column maps to `{column}`, which a {table} table needs")
            }
            LoadErrorKind::NoTable => f.write_str("the file holds no table"),
            LoadErrorKind::HeaderOnly => f.write_str("the file has a header but no rows"),
            LoadErrorKind::AllRejected { rows, first } => match first {
                Some((line, why)) => write!(
                    f,
                    "no usable rows: all {rows} rows were rejected (first, line {line}: {why})"
                ),
                None => write!(f, "no usable rows: all {rows} rows were rejected"),
            },
        }
    }
}

impl std::error::Error for LoadErrorKind {}

/// Why a row was rejected, or one of its values dropped (see [`RejectKind::rejects_row`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectKind {
    /// The row's number of fields differs from the header's.
    FieldCount { fields: usize, header: usize },
    /// Every field is blank.
    EmptyRow,
    /// YouTube Studio's `Total` row.
    TotalRow,
    /// A posts row's date cannot be read.
    UnreadableDate(DateProblem),
    /// A Shopify order line without its order's `Name`.
    OrderWithoutName,
    /// A posts row without a platform.
    MissingPlatform,
    /// A row of a dimension table without its key column.
    MissingRequired { column: String },
    /// A row of a dimension table with no value that could be used.
    NoUsableValue,
    /// A row of a dimension table that could not be stored.
    NotStorable,
    /// A JSON record that is no row; `table` names the table of a workspace document.
    BadRecord {
        table: Option<String>,
        problem: RecordProblem,
    },
    /// Under keep-last, a later row of the file has the same `post_id`.
    DuplicateReplaced { by_line: usize },
    /// A value that could not be read; the rest of the row is kept.
    ValueDropped(ValueError),
    /// Under sum, a row whose `post_id` came earlier in the file: added to the first.
    DuplicateSummed { first_line: usize },
    /// Under keep-last, a `post_id` already in the workspace: this row replaces it.
    ReplacedInWorkspace,
    /// Under sum, a `post_id` already in the workspace: this row's numbers are added.
    AddedInWorkspace,
    /// A dimension row whose key came earlier in the file: fields merged into the first.
    DuplicateMerged { column: String, first_line: usize },
    /// The row's amounts are in another currency than the workspace's, with no rate.
    CurrencyLeftOut { code: String, base: String },
}

impl RejectKind {
    /// True when the kind rejects the whole row (false: one value dropped, or a row
    /// merged into another).
    pub fn rejects_row(&self) -> bool {
        !matches!(
            self,
            RejectKind::ValueDropped(_)
                | RejectKind::DuplicateSummed { .. }
                | RejectKind::ReplacedInWorkspace
                | RejectKind::AddedInWorkspace
                | RejectKind::DuplicateMerged { .. }
                | RejectKind::CurrencyLeftOut { .. }
        )
    }
}

impl fmt::Display for RejectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectKind::FieldCount { fields, header } => {
                write!(f, "the row has {fields} fields, the header has {header}")
            }
            RejectKind::EmptyRow => f.write_str("empty row"),
            RejectKind::TotalRow => f.write_str("YouTube total row"),
            RejectKind::UnreadableDate(p) => write!(f, "unreadable date ({p})"),
            RejectKind::OrderWithoutName => f.write_str("order without a Name"),
            RejectKind::MissingPlatform => f.write_str("missing platform"),
            RejectKind::MissingRequired { column } => write!(f, "missing {column}"),
            RejectKind::NoUsableValue => f.write_str("no usable value in the row"),
            RejectKind::NotStorable => f.write_str("the row could not be stored"),
            RejectKind::BadRecord {
                table: Some(table),
                problem,
            } => write!(f, "{table}: {problem}"),
            RejectKind::BadRecord {
                table: None,
                problem,
            } => problem.fmt(f),
            RejectKind::DuplicateReplaced { by_line } => {
                write!(f, "duplicate post_id: replaced by line {by_line}")
            }
            RejectKind::ValueDropped(e) => write!(f, "{e}: value dropped"),
            RejectKind::DuplicateSummed { first_line } => write!(
                f,
                "duplicate post_id (first on line {first_line}): numbers added to it"
            ),
            RejectKind::ReplacedInWorkspace => {
                f.write_str("post_id already in the workspace: replaced the earlier row")
            }
            RejectKind::AddedInWorkspace => {
                f.write_str("post_id already in the workspace: numbers added to it")
            }
            RejectKind::DuplicateMerged { column, first_line } => write!(
                f,
                "duplicate {column} (first on line {first_line}): fields merged"
            ),
            RejectKind::CurrencyLeftOut { code, base } => write!(
                f,
                "amounts in {code}, the workspace's money is in {base}: left out (give a rate for {code} to include them)"
            ),
        }
    }
}

impl std::error::Error for RejectKind {}

/// Why a cell's text is no value of its column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueError {
    NotANumber,
    /// A number past the range of an `f64` (`1e400`).
    TooLarge,
    /// A negative number in a column that counts or costs (impressions, reach, a
    /// budget): no platform reports one.
    Negative,
    NotYesNo,
    NotASentiment,
    NotAnObjective,
    Date(DateProblem),
}

impl From<DateProblem> for ValueError {
    fn from(p: DateProblem) -> ValueError {
        ValueError::Date(p)
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::NotANumber => f.write_str("not a number"),
            ValueError::TooLarge => f.write_str("a number too large to be a value"),
            ValueError::Negative => f.write_str("a negative number, which this column cannot hold"),
            ValueError::NotYesNo => f.write_str("not a yes/no value"),
            ValueError::NotASentiment => f.write_str("not a sentiment (positive/neutral/negative)"),
            ValueError::NotAnObjective => f.write_str("not an objective (awareness/leads/sales)"),
            ValueError::Date(p) => p.fmt(f),
        }
    }
}

impl std::error::Error for ValueError {}

/// Why a cell's text is no date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateProblem {
    NotADate,
    TimeWithoutDate,
    NoSuchDate,
    NumberNotADate,
    UnreadableTime,
    /// A year-less date where a full date is needed.
    WithoutYear,
    /// A real date outside [`super::calendar::YEARS`].
    OutOfRange,
}

impl fmt::Display for DateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateProblem::NotADate => f.write_str("not a date"),
            DateProblem::TimeWithoutDate => f.write_str("a time without a date"),
            DateProblem::NoSuchDate => f.write_str("no such date"),
            DateProblem::NumberNotADate => f.write_str("a number that is no date"),
            DateProblem::UnreadableTime => f.write_str("unreadable time"),
            DateProblem::WithoutYear => f.write_str("a date without a year"),
            DateProblem::OutOfRange => DateError::OutOfRange.fmt(f),
        }
    }
}

impl std::error::Error for DateProblem {}

/// Why a JSON record is no row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordProblem {
    NotAnObject,
    /// More than [`MAX_COLUMNS`] keys.
    TooManyKeys {
        keys: usize,
    },
    /// An NDJSON line that is no JSON; `message` is the parser's.
    InvalidLine {
        message: String,
    },
}

impl fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordProblem::NotAnObject => f.write_str("not a JSON object"),
            RecordProblem::TooManyKeys { keys } => write!(
                f,
                "the record has {keys} keys; a row may have at most {MAX_COLUMNS} columns"
            ),
            RecordProblem::InvalidLine { message } => write!(f, "invalid JSON line: {message}"),
        }
    }
}

impl std::error::Error for RecordProblem {}

/// Why a JSON text could not be read as tables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JsonError {
    /// Valid JSON that is neither an array nor an object.
    NotRows,
    /// Not JSON (nor NDJSON): the parser's message, and where it stopped.
    Invalid {
        message: String,
        line: usize,
        column: usize,
    },
    /// A table's records bring more than [`MAX_COLUMNS`] distinct keys; `record` adds
    /// `key` (clipped). `table` names the table of a workspace document.
    TooManyKeys {
        table: Option<String>,
        record: usize,
        key: String,
    },
}

impl JsonError {
    /// The parser's error as an [`JsonError::Invalid`].
    pub fn invalid(e: &serde_json::Error) -> JsonError {
        JsonError::Invalid {
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        }
    }

    /// Where in the text, when the error has a place.
    pub fn position(&self) -> Option<Position> {
        match self {
            JsonError::Invalid { line, column, .. } => Some(Position {
                line: *line,
                column: Some(*column),
            }),
            JsonError::TooManyKeys { record, .. } => Some(Position {
                line: *record,
                column: None,
            }),
            JsonError::NotRows => None,
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::NotRows => f.write_str("the JSON is neither an array of rows nor an object"),
            JsonError::Invalid { message, .. } => write!(f, "invalid JSON: {message}"),
            JsonError::TooManyKeys { table, record, key } => {
                if let Some(table) = table {
                    write!(f, "{table}: ")?;
                }
                write!(
                    f,
                    "the records have more than {MAX_COLUMNS} distinct keys (record {record} adds `{key}`); a table may have at most {MAX_COLUMNS} columns"
                )
            }
        }
    }
}

impl std::error::Error for JsonError {}

/// Why an XLSX workbook could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum XlsxError {
    /// The zip structure is broken.
    BrokenZip,
    NoWorksheet,
    UnreadableWorksheet,
    /// The entries inflate past the limit (a zip bomb stops there).
    TooBig {
        limit_mb: usize,
    },
}

impl fmt::Display for XlsxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XlsxError::BrokenZip => f.write_str("not a readable XLSX file (broken zip)"),
            XlsxError::NoWorksheet => f.write_str("the workbook has no worksheet"),
            XlsxError::UnreadableWorksheet => f.write_str("the worksheet could not be read"),
            XlsxError::TooBig { limit_mb } => write!(
                f,
                "the workbook unpacks to more than {limit_mb} MB: save the sheet as CSV"
            ),
        }
    }
}

impl std::error::Error for XlsxError {}
