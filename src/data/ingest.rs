//! The ingest pipeline's public API: detect a file's table kind and column mapping, then
//! load it into a [`Workspace`] with every rejected row and value reported.
//! (Readers, mapping and value parsing live in sibling modules.)

use serde::{Deserialize, Serialize};

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
    pub number_locale: NumberLocale,
    pub duplicates: DuplicatePolicy,
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
    /// True when the file has no platform column and the user must give one.
    pub needs_platform: bool,
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

/// Detects a file's kind, encoding and column mapping without loading it.
pub fn detect(file_name: &str, _bytes: &[u8]) -> Result<Detection, LoadError> {
    Err(LoadError {
        file_name: file_name.to_owned(),
        message: "ingest not implemented yet".into(),
    })
}

/// Loads a CSV, JSON, NDJSON or workspace-JSON file into `ws`.
pub fn load(
    _ws: &mut Workspace,
    file_name: &str,
    _bytes: &[u8],
    _options: &LoadOptions,
) -> Result<FileReport, LoadError> {
    Err(LoadError {
        file_name: file_name.to_owned(),
        message: "ingest not implemented yet".into(),
    })
}

/// The workspace as one JSON document `{"posts":[...],"campaigns":[...],...}` that
/// [`load`] reads back losslessly.
pub fn workspace_json(_ws: &Workspace) -> String {
    String::from("{}")
}
