//! One table's way in: resolves the header mapping once to column indices, validates
//! and stages each record (nothing touches the workspace yet), then prepares the merge
//! against the workspace (duplicates, Shopify attribution) and applies it only when
//! something is usable. The rejection rules are documented in [`super::ingest`].

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::calendar::Day;
use super::csv::Record;
use super::currency;
use super::dates::DateColumn;
use super::disclosure;
use super::error::{LoadErrorKind, RejectKind, ValueError};
use super::ingest::{ColumnMapping, Detection, DuplicatePolicy, Issue, LoadOptions};
use super::mapping::{
    self, ExportFormat, RowModel, CURRENCY, DISCOUNT_CODE, FINANCIAL_STATUS, REFUNDED_AMOUNT,
};
use super::schema::{Column, Measure, Objective, TableKind, ValueType, MEASURE_COUNT};
use super::store::{
    reserve_total, Asset, Campaign, Comment, Creator, Disclosure, DisclosureMethod, FastMap,
    PostRow, Posts, Sentiment, Workspace,
};
use super::values::{
    is_missing, parse_bool, parse_date, parse_datetime, parse_number, platform_key, trim_cell,
};

/// A rejected row: the column at fault (when one is), the raw value and why.
type Rejection = (Option<String>, String, RejectKind);

/// Issues kept per table of a file (listed on the data page, page by page, and in the
/// rejected-rows download); more are counted in a notice. A bound on memory: an issue
/// costs about 200 bytes, so a file's list stays near 100 MB.
pub const MAX_ISSUES: usize = 500_000;
/// Posts measures no platform reports below zero: a negative one is a rejected value
/// (likes and comments may be negative: a platform's correction of an earlier count).
const NEVER_NEGATIVE: [Measure; 5] = [
    Measure::Impressions,
    Measure::Reach,
    Measure::Followers,
    Measure::Cost,
    Measure::PostCount,
];

/// Columns of the campaigns and creators tables that cannot be negative (a budget, a
/// follower count, a number of deliverables): a negative one is a rejected value.
const NEVER_NEGATIVE_COLUMNS: [&str; 9] = [
    "budget",
    "site_aov",
    "clv",
    "followers",
    "followers_start",
    "followers_end",
    "deliverables_committed",
    "deliverables_on_time",
    "avg_likes",
];

/// Longest raw value quoted in an issue.
const MAX_RAW_CHARS: usize = 300;

/// The cells of one record, from CSV or JSON.
pub trait Cells {
    fn count(&self) -> usize;
    fn cell(&self, i: usize) -> &str;
    /// True when every cell is blank (a sparse row checks only the cells it has).
    fn all_blank(&self) -> bool {
        (0..self.count()).all(|i| trim_cell(self.cell(i)).is_empty())
    }
}

impl Cells for Record<'_> {
    fn count(&self) -> usize {
        self.len()
    }
    fn cell(&self, i: usize) -> &str {
        self.get(i)
    }
}

impl Cells for [String] {
    fn count(&self) -> usize {
        self.len()
    }
    fn cell(&self, i: usize) -> &str {
        self.get(i).map_or("", String::as_str)
    }
}

/// Where a source column goes in a posts row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PostField {
    Platform,
    Date,
    PostId,
    Campaign,
    Creator,
    Format,
    Caption,
    Disclosed,
    Measure(Measure),
    DiscountCode,
    FinancialStatus,
    Refunded,
    Currency,
}

impl PostField {
    fn of(target: &str) -> Option<PostField> {
        Some(match target {
            "platform" => PostField::Platform,
            "date" => PostField::Date,
            "post_id" => PostField::PostId,
            "campaign_id" => PostField::Campaign,
            "creator_id" => PostField::Creator,
            "format" => PostField::Format,
            "caption" => PostField::Caption,
            "disclosed" => PostField::Disclosed,
            DISCOUNT_CODE => PostField::DiscountCode,
            FINANCIAL_STATUS => PostField::FinancialStatus,
            REFUNDED_AMOUNT => PostField::Refunded,
            CURRENCY => PostField::Currency,
            other => PostField::Measure(Measure::from_column(other)?),
        })
    }
}

/// A Shopify order gathered from its line-item rows.
#[derive(Clone, Debug, Default)]
struct Order {
    lines: Vec<usize>,
    date: Option<i32>,
    total: Option<f64>,
    code: String,
    /// `Financial Status`, lowercased (`paid`, `refunded`, `partially_refunded`, …).
    status: String,
    refunded: Option<f64>,
    /// The order's currency (ISO code), when its rows state one.
    currency: Option<String>,
}

/// Rows staged while reading.
enum Staged {
    Posts {
        posts: Box<Posts>,
        lines: Vec<usize>,
    },
    Orders {
        orders: Vec<(String, Order)>,
        index: HashMap<String, usize>,
    },
    Rows(Vec<(usize, Map<String, Value>)>),
}

/// What a posts table's loader staged from its records: taken out and put back by
/// [`super::split`], which merges the parts of one file read in byte ranges.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct StagedPart {
    /// The staged rows (moved between workers packed, not in this struct's JSON).
    #[serde(skip)]
    pub posts: Posts,
    /// The line of each staged row.
    #[serde(skip)]
    pub lines: Vec<usize>,
    pub rows_read: usize,
    pub rows_rejected: usize,
    pub issues: Vec<Issue>,
    pub issues_dropped: usize,
    pub undated: usize,
    pub negative_rows: usize,
    pub description_rows: Vec<usize>,
    pub dates: DateColumn,
    pub disclosure_from_column: bool,
    pub disclosure_from_caption: bool,
    pub currencies: currency::FileCurrencies,
}

/// A table's loader: created from the header, fed records, then prepared and applied.
pub struct TableLoader {
    file: String,
    options: LoadOptions,
    pub detection: Detection,
    format: ExportFormat,
    /// The platform of rows without a platform cell: the user's, else the format's.
    default_platform: Option<String>,
    /// Rows with a negative count (platform corrections; kept as they are).
    negative_rows: usize,
    /// Rows of column descriptions skipped (Facebook's second row).
    description_rows: Vec<usize>,
    header_count: usize,
    post_fields: Vec<(usize, PostField)>,
    caption_sources: Vec<usize>,
    dim_fields: Vec<(usize, &'static Column)>,
    post_id_source: Option<usize>,
    detect_disclosure: bool,
    staged: Staged,
    pub rows_read: usize,
    pub rows_rejected: usize,
    pub issues: Vec<Issue>,
    pub notices: Vec<String>,
    issues_dropped: usize,
    undated: usize,
    /// The posts' date column, settled in [`TableLoader::prepare`].
    dates: DateColumn,
    disclosure_from_column: bool,
    disclosure_from_caption: bool,
    /// The posts row being filled (boxed: taken out and put back for every record).
    row: Option<Box<PostRow>>,
    row_issues: Vec<Issue>,
    /// Raw platform cells already resolved (a file has a handful of distinct ones).
    platform_cache: Vec<(String, Option<String>)>,
    /// Set when the file cannot be loaded at all.
    pub fatal: Option<LoadErrorKind>,
    /// The currency the current row states (a currency column, or a symbol or code
    /// beside an amount).
    row_currency: Option<String>,
    /// The currencies of the staged rows.
    currencies: currency::FileCurrencies,
    /// The currency of the file's money once settled against the workspace's.
    pub currency: Option<String>,
}

impl TableLoader {
    /// Takes the money of rows that state no currency to be in `code` (a workspace
    /// document's).
    pub fn assume_currency(&mut self, code: &str) {
        if self.currencies.first.is_none() {
            self.currencies.first = Some(code.to_owned());
        }
    }

    /// Takes out what the loader staged, when it stages posts rows (not orders nor a
    /// dimension table): see [`StagedPart`].
    pub fn take_part(&mut self) -> Option<StagedPart> {
        let Staged::Posts { posts, lines } = &mut self.staged else {
            return None;
        };
        let dates = DateColumn::new(self.options.date_order, &self.file, self.options.today);
        Some(StagedPart {
            posts: std::mem::take(&mut **posts),
            lines: std::mem::take(lines),
            rows_read: std::mem::take(&mut self.rows_read),
            rows_rejected: std::mem::take(&mut self.rows_rejected),
            issues: std::mem::take(&mut self.issues),
            issues_dropped: std::mem::take(&mut self.issues_dropped),
            undated: std::mem::take(&mut self.undated),
            negative_rows: std::mem::take(&mut self.negative_rows),
            description_rows: std::mem::take(&mut self.description_rows),
            dates: std::mem::replace(&mut self.dates, dates),
            disclosure_from_column: std::mem::take(&mut self.disclosure_from_column),
            disclosure_from_caption: std::mem::take(&mut self.disclosure_from_caption),
            currencies: std::mem::take(&mut self.currencies),
        })
    }

    /// Puts back a part [`TableLoader::take_part`] took (or several merged).
    pub fn put_part(&mut self, part: StagedPart) {
        self.staged = Staged::Posts {
            posts: Box::new(part.posts),
            lines: part.lines,
        };
        self.rows_read = part.rows_read;
        self.rows_rejected = part.rows_rejected;
        self.issues = part.issues;
        self.issues_dropped = part.issues_dropped;
        self.undated = part.undated;
        self.negative_rows = part.negative_rows;
        self.description_rows = part.description_rows;
        self.dates = part.dates;
        self.disclosure_from_column = part.disclosure_from_column;
        self.disclosure_from_caption = part.disclosure_from_caption;
        self.currencies = part.currencies;
    }

    /// Staged posts rows so far (the index of the next one).
    fn staged_posts(&self) -> usize {
        match &self.staged {
            Staged::Posts { posts, .. } => posts.len(),
            _ => 0,
        }
    }

    /// Makes room for `rows` staged posts rows in all (see [`Posts::reserve_total`]).
    pub fn reserve_rows(&mut self, rows: usize) {
        if let Staged::Posts { posts, lines } = &mut self.staged {
            posts.reserve_total(rows);
            reserve_total(lines, rows);
        }
    }

    /// A loader for a table with these headers. `forced_kind` comes from a workspace
    /// document; `options.kind` and `options.mapping` override the detection.
    pub fn new(
        file: &str,
        headers: Vec<String>,
        options: &LoadOptions,
        forced_kind: Option<TableKind>,
    ) -> TableLoader {
        let (detected_kind, detected_format) = mapping::detect_kind(&headers);
        let kind = forced_kind.or(options.kind).unwrap_or(detected_kind);
        let format = if forced_kind.is_some() {
            ExportFormat::Generic
        } else if detected_format.kind().is_none_or(|k| k == kind) {
            detected_format
        } else {
            ExportFormat::Generic
        };
        let mut column_mapping = mapping::auto_mapping(&headers, kind, format);
        if let Some(user) = &options.mapping {
            apply_user_mapping(&mut column_mapping, user, kind);
        }
        let targets: Vec<Option<&str>> =
            column_mapping.iter().map(|m| m.target.as_deref()).collect();
        let mut post_fields = Vec::new();
        let mut caption_sources = Vec::new();
        let mut dim_fields = Vec::new();
        for (i, target) in targets.iter().enumerate() {
            let Some(target) = target else { continue };
            if kind == TableKind::Posts {
                match PostField::of(target) {
                    Some(PostField::Caption) => caption_sources.push(i),
                    Some(field) => post_fields.push((i, field)),
                    None => {}
                }
            } else if let Some(col) =
                (kind.columns().iter().chain(kind.extra_columns())).find(|c| c.name == *target)
            {
                dim_fields.push((i, col));
            }
        }
        let has = |f: PostField| post_fields.iter().any(|(_, pf)| *pf == f);
        let is_orders = kind == TableKind::Posts && has(PostField::DiscountCode);
        let format_platform = format.platform().or_else(|| {
            let insta = headers
                .iter()
                .any(|h| mapping::normalize_header(h).contains("insta"));
            (format == ExportFormat::CreatorList && insta).then_some("instagram")
        });
        let default_platform = options
            .platform
            .as_deref()
            .and_then(platform_key)
            .or_else(|| format_platform.map(str::to_owned));
        let needs_platform = kind == TableKind::Posts
            && !is_orders
            && !has(PostField::Platform)
            && format_platform.is_none();
        let row_model = if is_orders {
            RowModel::Order
        } else {
            format.row_model(kind)
        };
        let post_id_source = post_fields
            .iter()
            .find(|(_, f)| *f == PostField::PostId)
            .map(|(i, _)| *i);
        let staged = if is_orders {
            Staged::Orders {
                orders: Vec::new(),
                index: HashMap::new(),
            }
        } else if kind == TableKind::Posts {
            Staged::Posts {
                posts: Box::default(),
                lines: Vec::new(),
            }
        } else {
            Staged::Rows(Vec::new())
        };
        let mut loader = TableLoader {
            file: file.to_owned(),
            options: options.clone(),
            detection: Detection {
                kind,
                format_name: format.name(kind),
                encoding: "utf-8".into(),
                headers: headers.clone(),
                mapping: column_mapping,
                needs_platform,
                platform: format_platform.map(str::to_owned),
                row_model,
                needs_mapping: false,
                summary: String::new(),
            },
            format,
            default_platform,
            negative_rows: 0,
            description_rows: Vec::new(),
            header_count: headers.len(),
            post_fields,
            caption_sources,
            dim_fields,
            post_id_source,
            detect_disclosure: forced_kind.is_none(),
            staged,
            rows_read: 0,
            rows_rejected: 0,
            issues: Vec::new(),
            notices: Vec::new(),
            issues_dropped: 0,
            undated: 0,
            dates: DateColumn::new(options.date_order, file, options.today),
            disclosure_from_column: false,
            disclosure_from_caption: false,
            row: Some(Box::default()),
            row_issues: Vec::new(),
            platform_cache: Vec::new(),
            fatal: None,
            row_currency: None,
            currencies: currency::FileCurrencies::default(),
            currency: None,
        };
        loader.check_required_columns();
        if forced_kind.is_none() {
            // A workspace document is our own format: nothing to say about its columns.
            loader.summarize();
        }
        loader
    }

    /// Says what was understood ([`Detection::summary`], the report's first notice) and
    /// flags a file of which little was understood ([`Detection::needs_mapping`]).
    fn summarize(&mut self) {
        let d = &self.detection;
        let total = d.headers.len();
        let used: Vec<&str> = d
            .mapping
            .iter()
            .filter_map(|m| m.target.as_deref())
            .collect();
        let mut targets: Vec<&str> = Vec::new();
        for t in &used {
            if !targets.contains(t) {
                targets.push(t);
            }
        }
        let is_posts = d.kind == TableKind::Posts;
        let measures = targets
            .iter()
            .filter(|t| Measure::from_column(t).is_some() || **t == "revenue")
            .count();
        let platform = match (&d.platform, &self.default_platform) {
            (Some(p), _) => format!(", platform {p}"),
            (None, Some(p)) if is_posts => format!(", platform {p} (chosen)"),
            _ => String::new(),
        };
        let mut summary = format!(
            "Read as {}: {} table{platform}, one row is {}. {} of {} columns used",
            d.format_name,
            d.kind.name(),
            d.row_model.describe(),
            used.len(),
            total
        );
        if !targets.is_empty() {
            summary.push_str(&format!(" ({})", targets.join(", ")));
        }
        summary.push('.');
        if matches!(
            self.format,
            ExportFormat::MetaPosts | ExportFormat::MetaStories
        ) {
            summary.push_str(
                " `Views` counts as views, not impressions: it feeds the views total, cost per view and view-through rate; impression KPIs need a file with impressions.",
            );
        }
        let generic = self.format == ExportFormat::Generic;
        let no_measure = is_posts && measures == 0;
        let few = generic && used.len() * 2 < total;
        if no_measure {
            summary.push_str(
                " No column was understood as a measure (views, likes, reach, …): every KPI would be n/a. Map the columns that hold numbers.",
            );
        } else if few {
            summary.push_str(&format!(
                " Fewer than half of the columns were understood: check the mapping ({} ignored).",
                total - used.len()
            ));
        }
        self.detection.needs_mapping = no_measure || few;
        self.detection.summary = summary.clone();
        self.notices.insert(0, summary);
    }

    fn check_required_columns(&mut self) {
        let kind = self.detection.kind;
        if kind == TableKind::Posts && self.detection.needs_platform {
            match self.options.platform.as_deref().and_then(platform_key) {
                Some(p) => self.notices.push(format!(
                    "The file has no platform column: every row gets the platform '{p}'."
                )),
                None => self.fatal = Some(LoadErrorKind::NoPlatformColumn),
            }
        }
        if kind == TableKind::Posts && matches!(self.staged, Staged::Orders { .. }) {
            return;
        }
        for col in kind.columns().iter().filter(|c| c.required) {
            let mapped = self
                .detection
                .mapping
                .iter()
                .any(|m| m.target.as_deref() == Some(col.name));
            if !mapped && col.name != "platform" {
                self.fatal = Some(LoadErrorKind::UnmappedRequired {
                    column: col.name.to_owned(),
                    table: kind.name().to_owned(),
                });
            }
        }
    }

    /// Number of rows kept so far (before duplicates and attribution).
    pub fn rows_used(&self) -> usize {
        self.rows_read - self.rows_rejected
    }

    /// Counts a record that could not be read as a row (e.g. a JSON value that is not
    /// an object) as read and rejected.
    pub fn reject_record(&mut self, line: usize, kind: &RejectKind) {
        self.rows_read += 1;
        self.reject(line, None, "", kind.clone());
    }

    /// True for a first record that describes the columns instead of holding values
    /// (Facebook's second row: "Lifetime: The number of people who…"): every mapped
    /// measure cell, at least two of them, is words rather than a number.
    fn is_description_row<C: Cells + ?Sized>(&self, cells: &C) -> bool {
        if self.rows_read > 0 || !self.description_rows.is_empty() {
            return false;
        }
        let mut texts = 0;
        for &(src, field) in &self.post_fields {
            if !matches!(field, PostField::Measure(_)) {
                continue;
            }
            let raw = cells.cell(src).trim();
            if raw.is_empty() {
                continue;
            }
            let words = raw.contains(' ') && raw.chars().any(char::is_alphabetic);
            if !words || parse_number(raw, self.options.number_locale).is_ok() {
                return false;
            }
            texts += 1;
        }
        texts >= 2
    }

    /// Validates and stages one record. A first record of column descriptions is skipped
    /// and not counted as a row (a notice says so).
    pub fn add_record<C: Cells + ?Sized>(&mut self, line: usize, cells: &C) {
        if self.is_description_row(cells) {
            self.description_rows.push(line);
            return;
        }
        self.rows_read += 1;
        if self.fatal.is_some() {
            self.rows_rejected += 1;
            return;
        }
        if cells.count() != self.header_count {
            let raw = (0..cells.count())
                .map(|i| cells.cell(i))
                .collect::<Vec<_>>()
                .join(",");
            let kind = RejectKind::FieldCount {
                fields: cells.count(),
                header: self.header_count,
            };
            self.reject(line, None, &raw, kind);
            return;
        }
        if cells.all_blank() {
            self.reject(line, None, "", RejectKind::EmptyRow);
            return;
        }
        if self.format == ExportFormat::YouTubeStudio {
            if let Some(src) = self.post_id_source {
                if cells.cell(src).trim().eq_ignore_ascii_case("total") {
                    let column = self.detection.headers[src].clone();
                    self.reject(line, Some(column), cells.cell(src), RejectKind::TotalRow);
                    return;
                }
            }
        }
        self.row_issues.clear();
        let outcome = match self.staged {
            Staged::Rows(_) => self.dimension_row(line, cells),
            _ => self.post_row(line, cells),
        };
        match outcome {
            Ok(()) => {
                let issues = std::mem::take(&mut self.row_issues);
                for issue in &issues {
                    self.push_issue(issue.clone());
                }
                self.row_issues = issues;
            }
            Err((column, raw, kind)) => self.reject(line, column, &raw, kind),
        }
    }

    fn value_issue(&mut self, line: usize, src: usize, raw: &str, error: ValueError) {
        self.row_issues.push(Issue {
            file: self.file.clone(),
            line,
            column: self.detection.headers.get(src).cloned(),
            raw_value: clip(raw),
            kind: RejectKind::ValueDropped(error),
            row_rejected: false,
        });
    }

    fn reject(&mut self, line: usize, column: Option<String>, raw: &str, kind: RejectKind) {
        self.rows_rejected += 1;
        self.push_issue(Issue {
            file: self.file.clone(),
            line,
            column,
            raw_value: clip(raw),
            kind,
            row_rejected: true,
        });
    }

    fn push_issue(&mut self, issue: Issue) {
        if self.issues.len() < MAX_ISSUES {
            self.issues.push(issue);
        } else {
            self.issues_dropped += 1;
        }
    }

    fn header(&self, src: usize) -> Option<String> {
        self.detection.headers.get(src).cloned()
    }

    /// Fills `self.row` (posts) or an order line; `Err((column, raw, kind))` rejects it.
    fn post_row<C: Cells + ?Sized>(&mut self, line: usize, cells: &C) -> Result<(), Rejection> {
        let mut row = self.row.take().unwrap_or_default();
        self.row_currency = None;
        row.platform.clear();
        row.date = None;
        row.time = None;
        row.post_id.clear();
        row.campaign_id.clear();
        row.creator_id.clear();
        row.format.clear();
        row.caption.clear();
        row.disclosure = None;
        row.values = [None; MEASURE_COUNT];
        let mut code = "";
        let mut status = "";
        let mut refunded = None;
        let locale = self.options.number_locale;
        let fields = std::mem::take(&mut self.post_fields);
        let mut result = Ok(());
        for &(src, field) in &fields {
            let raw = cells.cell(src);
            match field {
                PostField::Platform => {
                    if let Some(p) = self.platform(raw) {
                        row.platform.push_str(p);
                    }
                }
                // A second date column (Meta's `Date`, often `Lifetime`) never
                // replaces the date of the first.
                PostField::Date if row.date.is_some() => {}
                PostField::Date => match self.dates.read(self.staged_posts(), raw) {
                    Ok((d, time)) => {
                        row.date = d;
                        row.time = time;
                    }
                    Err(problem) => {
                        result = Err((
                            self.header(src),
                            raw.to_owned(),
                            RejectKind::UnreadableDate(problem),
                        ));
                        break;
                    }
                },
                PostField::PostId => row.post_id.push_str(trim_cell(raw)),
                PostField::Campaign => row.campaign_id.push_str(trim_cell(raw)),
                PostField::Creator => row.creator_id.push_str(trim_cell(raw)),
                PostField::Format => {
                    let t = trim_cell(raw);
                    if !is_missing(t) {
                        if t.bytes().all(|b| b.is_ascii_lowercase()) {
                            row.format.push_str(t);
                        } else {
                            row.format.push_str(&t.to_lowercase());
                        }
                    }
                }
                PostField::Caption => {}
                PostField::DiscountCode => code = trim_cell(raw),
                PostField::FinancialStatus => status = raw,
                PostField::Currency => {
                    if let Some(code) = currency::normalize_code(raw) {
                        self.row_currency = Some(code);
                    }
                }
                PostField::Refunded => match parse_number(raw, locale) {
                    Ok(v) => refunded = v,
                    Err(error) => self.value_issue(line, src, raw, error),
                },
                PostField::Disclosed => match parse_bool(raw) {
                    Ok(v) => row.disclosure = v,
                    Err(error) => self.value_issue(line, src, raw, error),
                },
                PostField::Measure(m) => match parse_number(raw, locale) {
                    Ok(Some(v)) if v < 0.0 && NEVER_NEGATIVE.contains(&m) => {
                        self.value_issue(line, src, raw, ValueError::Negative);
                    }
                    Ok(v) => {
                        row.values[m as usize] = v;
                        // An amount of digits alone names no currency.
                        if v.is_some()
                            && currency::MONEY.contains(&m)
                            && self.row_currency.is_none()
                            && !raw.bytes().all(|b| b.is_ascii_digit())
                        {
                            self.row_currency = currency::code_in(raw).map(str::to_owned);
                        }
                    }
                    Err(error) => self.value_issue(line, src, raw, error),
                },
            }
        }
        self.post_fields = fields;
        for &src in &self.caption_sources {
            let part = trim_cell(cells.cell(src));
            if !part.is_empty() {
                if !row.caption.is_empty() {
                    row.caption.push(' ');
                }
                row.caption.push_str(part);
            }
        }
        if result.is_ok() {
            result = self.stage_post(line, &mut row, (code, status, refunded));
        }
        self.row = Some(row);
        result
    }

    /// The platform key of a raw cell, resolved once per distinct cell.
    fn platform(&mut self, raw: &str) -> Option<&str> {
        let at = match self.platform_cache.iter().position(|(r, _)| r == raw) {
            Some(at) => at,
            None => {
                if self.platform_cache.len() >= 64 {
                    self.platform_cache.clear();
                }
                self.platform_cache
                    .push((raw.to_owned(), platform_key(raw)));
                self.platform_cache.len() - 1
            }
        };
        self.platform_cache[at].1.as_deref()
    }

    fn stage_post(
        &mut self,
        line: usize,
        row: &mut PostRow,
        (code, status, refunded): (&str, &str, Option<f64>),
    ) -> Result<(), Rejection> {
        if row.campaign_id.is_empty() {
            if let Some(c) = &self.options.campaign_id {
                row.campaign_id.push_str(c);
            }
        }
        if row.creator_id.is_empty() {
            if let Some(c) = &self.options.creator_id {
                row.creator_id.push_str(c);
            }
        }
        match &mut self.staged {
            Staged::Orders { orders, index } => {
                if row.post_id.is_empty() {
                    return Err((None, String::new(), RejectKind::OrderWithoutName));
                }
                let pos = *index.entry(row.post_id.clone()).or_insert_with(|| {
                    orders.push((row.post_id.clone(), Order::default()));
                    orders.len() - 1
                });
                let order = &mut orders[pos].1;
                order.lines.push(line);
                order.date = order.date.or(row.date);
                order.total = order.total.or(row.values[Measure::Revenue as usize]);
                order.refunded = order.refunded.or(refunded);
                if order.code.is_empty() {
                    order.code = code.to_owned();
                }
                if order.status.is_empty() {
                    order.status = status.trim().to_lowercase();
                }
                if order.currency.is_none() {
                    order.currency = self.row_currency.take();
                }
                Ok(())
            }
            Staged::Posts { posts, lines } => {
                if row.platform.is_empty() {
                    match &self.default_platform {
                        Some(p) => row.platform.push_str(p),
                        None => {
                            return Err((
                                Some("platform".into()),
                                String::new(),
                                RejectKind::MissingPlatform,
                            ))
                        }
                    }
                }
                if row.disclosure.is_some() {
                    self.disclosure_from_column = true;
                } else if self.detect_disclosure {
                    row.disclosure = disclosure::detect(&row.caption);
                    self.disclosure_from_caption |= row.disclosure.is_some();
                }
                if row.date.is_none() {
                    self.undated += 1;
                }
                if self.detection.row_model.counts_no_post() {
                    row.values[Measure::PostCount as usize] = Some(0.0);
                }
                if self.format == ExportFormat::MetaStories {
                    row.format.clear();
                    row.format.push_str("story");
                }
                if row.values.iter().any(|v| v.is_some_and(|v| v < 0.0)) {
                    self.negative_rows += 1;
                }
                if let Some(code) = self.row_currency.take() {
                    self.currencies.note(posts.len(), &code);
                }
                posts.push(row);
                lines.push(line);
                Ok(())
            }
            Staged::Rows(_) => Ok(()),
        }
    }

    fn dimension_row<C: Cells + ?Sized>(
        &mut self,
        line: usize,
        cells: &C,
    ) -> Result<(), Rejection> {
        let kind = self.detection.kind;
        let mut map = Map::new();
        let fields = std::mem::take(&mut self.dim_fields);
        for &(src, col) in &fields {
            let raw = cells.cell(src);
            match self.dimension_value(col, raw) {
                Ok(Some(v)) => {
                    map.insert(col.name.to_owned(), v);
                }
                Ok(None) => {}
                Err(error) => self.value_issue(line, src, raw, error),
            }
        }
        self.dim_fields = fields;
        if kind == TableKind::Creators && !map.contains_key("platform") {
            if let Some(p) = &self.default_platform {
                map.insert("platform".into(), Value::String(p.clone()));
            }
        }
        if kind == TableKind::Assets {
            for (col, fallback) in [
                ("campaign_id", &self.options.campaign_id),
                ("creator_id", &self.options.creator_id),
            ] {
                if let (false, Some(v)) = (map.contains_key(col), fallback) {
                    map.insert(col.into(), Value::String(v.clone()));
                }
            }
        }
        if let Some(col) = kind.columns().iter().find(|c| c.required) {
            if !map.contains_key(col.name) {
                return Err((
                    Some(col.name.to_owned()),
                    String::new(),
                    RejectKind::MissingRequired {
                        column: col.name.to_owned(),
                    },
                ));
            }
        }
        if map.is_empty() {
            return Err((None, String::new(), RejectKind::NoUsableValue));
        }
        if let Staged::Rows(rows) = &mut self.staged {
            rows.push((line, map));
        }
        Ok(())
    }

    fn dimension_value(&self, col: &Column, raw: &str) -> Result<Option<Value>, ValueError> {
        let keep_text = matches!(col.name, "text" | "name");
        if !keep_text && is_missing(raw) || raw.trim().is_empty() {
            return Ok(None);
        }
        let number = |v: Option<f64>| v.and_then(serde_json::Number::from_f64).map(Value::Number);
        Ok(match col.value_type {
            ValueType::Text if col.name == "sentiment" => Some(Value::String(
                match Sentiment::parse(raw).ok_or(ValueError::NotASentiment)? {
                    Sentiment::Positive => "positive",
                    Sentiment::Neutral => "neutral",
                    Sentiment::Negative => "negative",
                }
                .into(),
            )),
            ValueType::Text => Some(Value::String(raw.trim().to_owned())),
            ValueType::Number => match parse_number(raw, self.options.number_locale)? {
                Some(v) if v < 0.0 && NEVER_NEGATIVE_COLUMNS.contains(&col.name) => {
                    return Err(ValueError::Negative)
                }
                v => number(v),
            },
            ValueType::Date => parse_date(raw, self.options.date_order)?.map(Value::from),
            ValueType::DateTime => parse_datetime(raw, self.options.date_order)?.map(Value::from),
            ValueType::Bool => parse_bool(raw)?.map(Value::Bool),
            ValueType::Platform => platform_key(raw).map(Value::String),
            ValueType::Objective => Some(Value::String(
                Objective::parse(raw)
                    .ok_or(ValueError::NotAnObjective)?
                    .name()
                    .into(),
            )),
        })
    }

    /// Checks the staged rows against the workspace (read-only) and plans the merge.
    pub fn prepare(mut self, ws: &Workspace) -> Prepared {
        let staged = std::mem::replace(&mut self.staged, Staged::Rows(Vec::new()));
        let change = match staged {
            Staged::Orders { orders, .. } => {
                let (posts, lines) = self.attribute_orders(orders, ws);
                self.prepare_posts(posts, lines, ws)
            }
            Staged::Posts { mut posts, lines } => {
                let notices = self.dates.resolve(&mut posts.day);
                self.notices.extend(notices);
                let counts = vec![1; lines.len()];
                self.prepare_posts(*posts, lines.into_iter().zip(counts).collect(), ws)
            }
            Staged::Rows(rows) => match self.detection.kind {
                TableKind::Campaigns => {
                    Change::Campaigns(self.prepare_rows(rows, &ws.campaigns, |c| &c.campaign_id))
                }
                TableKind::Creators => {
                    Change::Creators(self.prepare_rows(rows, &ws.creators, |c| &c.creator_id))
                }
                TableKind::Assets => {
                    Change::Assets(self.prepare_rows(rows, &ws.assets, |a| &a.asset_id))
                }
                TableKind::Comments | TableKind::Posts => {
                    Change::Comments(self.prepare_rows(rows, &ws.comments, |_| ""))
                }
                TableKind::Audience => Change::Audience(super::audience::rows_from_maps(rows)),
            },
        };
        if self.undated > 0 {
            self.notices.push(format!(
                "{} rows have no date: they count in the totals but stay out of period views and trends.",
                self.undated
            ));
        }
        if let Some(line) = self.description_rows.first() {
            self.notices.push(format!(
                "Line {line} describes the columns (\"The number of people who…\") instead of holding values: skipped, and not counted as a row."
            ));
        }
        if self.negative_rows > 0 {
            self.notices.push(format!(
                "{} rows have negative numbers: the platform's corrections of earlier counts, kept as they are (they lower the totals).",
                self.negative_rows
            ));
        }
        if self.issues_dropped > 0 {
            self.notices.push(format!(
                "{} more issues were not listed: a file keeps its first {} issues (on this page and in the rejected-rows download).",
                self.issues_dropped,
                group_thousands(MAX_ISSUES)
            ));
        }
        Prepared {
            loader: self,
            change,
        }
    }

    /// Shopify orders → posts rows (post_count 0) of the creator whose discount code the
    /// order used. Revenue is the order's `Total` net of its `Refunded Amount`; a fully
    /// refunded (or voided) order has revenue 0 and no conversion, others 1. An order
    /// with no code, or a code no creator has, is kept as unattributed revenue (creator
    /// `""`, platform [`UNATTRIBUTED_PLATFORM`] unless the user gave one), and a notice
    /// says how many and which codes.
    fn attribute_orders(
        &mut self,
        orders: Vec<(String, Order)>,
        ws: &Workspace,
    ) -> (Posts, Vec<(usize, usize)>) {
        let by_code: HashMap<String, &Creator> = ws
            .creators
            .iter()
            .filter_map(|c| Some((c.discount_code.as_deref()?.trim().to_lowercase(), c)))
            .collect();
        let mut posts = Posts::default();
        let mut lines = Vec::new();
        let mut attributed = 0;
        let (mut no_code, mut no_code_revenue) = (0, 0.0);
        let (mut unknown, mut unknown_revenue) = (0, 0.0);
        let mut unknown_codes: Vec<String> = Vec::new();
        let (mut refunded_orders, mut refunded_total) = (0, 0.0);
        for (name, order) in orders {
            let creator = by_code.get(&order.code.to_lowercase());
            let platform = creator
                .and_then(|c| c.platform.clone())
                .or_else(|| self.options.platform.as_deref().and_then(platform_key))
                .unwrap_or_else(|| UNATTRIBUTED_PLATFORM.to_owned());
            let full_refund = matches!(order.status.as_str(), "refunded" | "voided");
            let refunded = match (order.refunded, order.total) {
                (_, _) if full_refund => order.total,
                (Some(r), Some(t)) if r > 0.0 => Some(r.min(t)),
                _ => None,
            };
            let revenue = match (order.total, refunded) {
                (Some(t), Some(r)) => Some((t - r).max(0.0)),
                (t, _) => t,
            };
            if let Some(r) = refunded.filter(|r| *r > 0.0) {
                refunded_orders += 1;
                refunded_total += r;
            }
            let fully = full_refund || revenue == Some(0.0) && refunded.is_some();
            let amount = revenue.unwrap_or(0.0);
            match creator {
                Some(_) => attributed += 1,
                None if order.code.is_empty() => {
                    no_code += 1;
                    no_code_revenue += amount;
                }
                None => {
                    unknown += 1;
                    unknown_revenue += amount;
                    if !unknown_codes
                        .iter()
                        .any(|c| c.eq_ignore_ascii_case(&order.code))
                    {
                        unknown_codes.push(order.code.clone());
                    }
                }
            }
            let mut row = PostRow {
                platform,
                date: order.date,
                post_id: name,
                campaign_id: self.options.campaign_id.clone().unwrap_or_default(),
                creator_id: creator.map(|c| c.creator_id.clone()).unwrap_or_default(),
                ..PostRow::default()
            };
            row.values[Measure::Conversions as usize] = Some(if fully { 0.0 } else { 1.0 });
            row.values[Measure::Revenue as usize] = revenue;
            row.values[Measure::PostCount as usize] = Some(0.0);
            if row.date.is_none() {
                self.undated += 1;
            }
            if let Some(code) = &order.currency {
                self.currencies.note(posts.len(), code);
            }
            posts.push(&row);
            lines.push((order.lines[0], order.lines.len()));
        }
        if attributed > 0 {
            self.notices.push(format!(
                "{attributed} orders were attributed to creators through their discount codes."
            ));
        }
        if no_code > 0 {
            self.notices.push(format!(
                "{no_code} orders ({} revenue) have no discount code: kept as unattributed revenue.",
                money(no_code_revenue)
            ));
        }
        if unknown > 0 {
            self.notices.push(format!(
                "{unknown} orders ({} revenue) use discount codes no creator has ({}): kept as unattributed revenue. Load the creators file that lists these codes to attribute them.",
                money(unknown_revenue),
                unknown_codes.join(", ")
            ));
        }
        if refunded_orders > 0 {
            self.notices.push(format!(
                "{refunded_orders} orders were refunded in whole or in part: {} netted out of revenue (a fully refunded order counts no conversion).",
                money(refunded_total)
            ));
        }
        (posts, lines)
    }

    fn prepare_posts(
        &mut self,
        mut posts: Posts,
        lines: Vec<(usize, usize)>,
        ws: &Workspace,
    ) -> Change {
        self.settle_currency(&mut posts, &lines, ws);
        let policy = self.options.duplicates;
        let mut keep = vec![true; posts.len()];
        let mut summed = Vec::new();
        // Sized up front: growing a map of a million ids rehashes it into a second table.
        // A row that counts no post (a day of a post, an order) is one per id *and day*:
        // YouTube's Chart data has a row per video per day, none a duplicate of another.
        let daily = self.detection.row_model.counts_no_post();
        let day_key = |p: &Posts, i: usize| if daily { p.day[i] } else { POST_KEY };
        let mut first: FastMap<(&str, Day), usize> =
            FastMap::with_capacity_and_hasher(posts.len(), Default::default());
        for i in 0..posts.len() {
            let id = posts.post_id.get(i);
            if id.is_empty() {
                continue;
            }
            let key = (id, day_key(&posts, i));
            let Some(&j) = first.get(&key) else {
                first.insert(key, i);
                continue;
            };
            match policy {
                DuplicatePolicy::KeepLast => {
                    keep[j] = false;
                    self.rows_rejected += lines[j].1;
                    self.push_issue(self.dup_issue(
                        lines[j].0,
                        id,
                        RejectKind::DuplicateReplaced {
                            by_line: lines[i].0,
                        },
                        true,
                    ));
                    first.insert(key, i);
                }
                DuplicatePolicy::Sum => {
                    keep[i] = false;
                    summed.push((j, i));
                    self.push_issue(self.dup_issue(
                        lines[i].0,
                        id,
                        RejectKind::DuplicateSummed {
                            first_line: lines[j].0,
                        },
                        false,
                    ));
                }
            }
        }
        drop(first);
        // A duplicate is never itself a first occurrence, so adding after the scan is
        // the same as adding during it.
        for (j, i) in summed {
            let (values, disclosure) = measures_of(&posts, i);
            add_into(&mut posts, j, &values, disclosure);
        }
        let mut ws_merge = Vec::new();
        let mut ws_views_aside = Vec::new();
        if !ws.posts.is_empty() {
            // Workspace rows that count no post are keyed by id and day, posts by id.
            let counts_no_post =
                |p: &Posts, k: usize| p.value(Measure::PostCount as usize, k) == Some(0.0);
            let existing: FastMap<(&str, Day), usize> = (0..ws.posts.len())
                .map(|k| {
                    let day = if counts_no_post(&ws.posts, k) {
                        ws.posts.day[k]
                    } else {
                        POST_KEY
                    };
                    ((ws.posts.post_id.get(k), day), k)
                })
                .filter(|((id, _), _)| !id.is_empty())
                .collect();
            for i in 0..posts.len() {
                let key = (posts.post_id.get(i), day_key(&posts, i));
                let Some(&k) = existing.get(&key).filter(|_| keep[i]) else {
                    continue;
                };
                let (kind, merge) = match policy {
                    DuplicatePolicy::KeepLast => (RejectKind::ReplacedInWorkspace, false),
                    DuplicatePolicy::Sum => (RejectKind::AddedInWorkspace, true),
                };
                self.push_issue(self.dup_issue(lines[i].0, posts.post_id.get(i), kind, false));
                ws_merge.push((k, i, merge));
                if merge {
                    keep[i] = false;
                }
            }
        }
        self.views_counted_once(&mut posts, &keep, ws, &mut ws_views_aside);
        let method = match (self.disclosure_from_column, self.disclosure_from_caption) {
            (true, true) => DisclosureMethod::Mixed,
            (true, false) => DisclosureMethod::Column,
            (false, true) => DisclosureMethod::Caption,
            (false, false) => DisclosureMethod::None,
        };
        Change::Posts {
            posts: Box::new(posts),
            keep,
            ws_merge,
            ws_views_aside,
            method,
        }
    }

    /// Table data and Chart data of the same videos: the Table row stays the post (its
    /// post count and other measures), the Chart rows carry its views day by day, and
    /// the Table row's views are set aside (absent) so that views count once, by day.
    /// Works in either load order: daily rows staged now set aside the views of the
    /// workspace's post rows (`ws_views_aside`); post rows staged now lose their views
    /// when the workspace has daily rows with views for the same id.
    fn views_counted_once(
        &mut self,
        posts: &mut Posts,
        keep: &[bool],
        ws: &Workspace,
        ws_views_aside: &mut Vec<usize>,
    ) {
        let views = Measure::Views as usize;
        let count = Measure::PostCount as usize;
        let has_views = |p: &Posts, k: usize| p.value(views, k).is_some();
        let is_daily = |p: &Posts, k: usize| p.value(count, k) == Some(0.0);
        if !posts.has(Measure::Views) || !ws.posts.has(Measure::Views) {
            return;
        }
        let staged_daily = self.detection.row_model == RowModel::PostDay;
        if staged_daily {
            let ids: std::collections::HashSet<&str> = (0..posts.len())
                .filter(|&i| keep[i] && has_views(posts, i))
                .map(|i| posts.post_id.get(i))
                .filter(|id| !id.is_empty())
                .collect();
            ws_views_aside.extend((0..ws.posts.len()).filter(|&k| {
                !is_daily(&ws.posts, k)
                    && has_views(&ws.posts, k)
                    && ids.contains(ws.posts.post_id.get(k))
            }));
            if !ws_views_aside.is_empty() {
                self.notices.push(format!(
                    "{} posts already loaded also have daily views here: their own views total is set aside, so views count once, by day (the posts keep their other numbers).",
                    ws_views_aside.len()
                ));
            }
        } else if self.detection.row_model == RowModel::Post {
            let ids: std::collections::HashSet<&str> = (0..ws.posts.len())
                .filter(|&k| is_daily(&ws.posts, k) && has_views(&ws.posts, k))
                .map(|k| ws.posts.post_id.get(k))
                .filter(|id| !id.is_empty())
                .collect();
            if ids.is_empty() {
                return;
            }
            let aside: Vec<usize> = (0..posts.len())
                .filter(|&i| has_views(posts, i) && ids.contains(posts.post_id.get(i)))
                .collect();
            for &i in &aside {
                set_absent(posts, views, i);
            }
            if !aside.is_empty() {
                self.notices.push(format!(
                    "{} posts also have daily views loaded (Chart data): their views total here is set aside, so views count once, by day (the posts keep their other numbers).",
                    aside.len()
                ));
            }
        }
    }

    /// Brings the staged rows' money into the workspace's currency (see
    /// [`currency::FileCurrencies::settle`]): each row whose amounts were left out gets
    /// an issue on its line, and the report says what was converted or left out.
    fn settle_currency(&mut self, posts: &mut Posts, lines: &[(usize, usize)], ws: &Workspace) {
        let settled =
            self.currencies
                .settle(posts, ws.currency.as_deref(), &self.options.currency_rates);
        let base = settled.currency.clone().unwrap_or_default();
        for (row, code) in &settled.left_out {
            let issue = Issue {
                file: self.file.clone(),
                line: lines.get(*row).map_or(0, |l| l.0),
                column: None,
                raw_value: code.clone(),
                kind: RejectKind::CurrencyLeftOut {
                    code: code.clone(),
                    base: base.clone(),
                },
                row_rejected: false,
            };
            self.push_issue(issue);
        }
        self.notices.extend(settled.notices);
        self.currency = settled.currency;
    }

    fn dup_issue(&self, line: usize, id: &str, kind: RejectKind, row_rejected: bool) -> Issue {
        Issue {
            file: self.file.clone(),
            line,
            column: Some("post_id".into()),
            raw_value: clip(id),
            kind,
            row_rejected,
        }
    }

    /// Rows of a dimension table as structs; a key already seen (in the file or the
    /// workspace) is updated with the fields this row gives.
    fn prepare_rows<T: Serialize + DeserializeOwned + Default + Clone>(
        &mut self,
        rows: Vec<(usize, Map<String, Value>)>,
        existing: &[T],
        key_of: fn(&T) -> &str,
    ) -> Vec<(Option<usize>, T)> {
        let kind = self.detection.kind;
        let key_col = kind.columns().iter().find(|c| c.required).map(|c| c.name);
        let existing_index: HashMap<&str, usize> = match key_col {
            Some(_) => existing
                .iter()
                .enumerate()
                .map(|(i, t)| (key_of(t), i))
                .collect(),
            None => HashMap::new(),
        };
        let mut out: Vec<(Option<usize>, T)> = Vec::new();
        let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
        let mut updated = 0;
        for (line, mut map) in rows {
            let key = key_col
                .and_then(|k| map.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let (slot, base) =
                if let Some(&(pos, first_line)) = seen.get(&key).filter(|_| key_col.is_some()) {
                    let issue = Issue {
                        file: self.file.clone(),
                        line,
                        column: key_col.map(str::to_owned),
                        raw_value: clip(&key),
                        kind: RejectKind::DuplicateMerged {
                            column: key_col.unwrap_or("key").to_owned(),
                            first_line,
                        },
                        row_rejected: false,
                    };
                    self.push_issue(issue);
                    (Some(pos), serde_json::to_value(&out[pos].1))
                } else if let Some(&k) = existing_index
                    .get(key.as_str())
                    .filter(|_| key_col.is_some())
                {
                    updated += 1;
                    (None, serde_json::to_value(&existing[k]))
                } else {
                    if kind == TableKind::Creators && !map.contains_key("name") {
                        map.insert("name".into(), Value::String(key.clone()));
                    }
                    (None, serde_json::to_value(T::default()))
                };
            let merged = base.ok().and_then(|mut base| {
                if let Value::Object(obj) = &mut base {
                    obj.extend(map);
                }
                serde_json::from_value::<T>(base).ok()
            });
            let Some(value) = merged else {
                self.reject(line, None, &key, RejectKind::NotStorable);
                continue;
            };
            match slot {
                Some(pos) => out[pos].1 = value,
                None => {
                    let ws_index = existing_index
                        .get(key.as_str())
                        .copied()
                        .filter(|_| key_col.is_some());
                    out.push((ws_index, value));
                    if key_col.is_some() {
                        seen.insert(key, (out.len() - 1, line));
                    }
                }
            }
        }
        if updated > 0 {
            self.notices.push(format!(
                "{updated} {} already in the workspace were updated with this file's values.",
                kind.name()
            ));
        }
        out
    }
}

/// A table ready to be applied to the workspace.
pub struct Prepared {
    pub loader: TableLoader,
    change: Change,
}

enum Change {
    Posts {
        posts: Box<Posts>,
        keep: Vec<bool>,
        /// `(workspace row, staged row, add numbers)`; without adding, the workspace row
        /// is replaced by the staged one.
        ws_merge: Vec<(usize, usize, bool)>,
        /// Workspace rows whose views become absent (counted by day elsewhere).
        ws_views_aside: Vec<usize>,
        method: DisclosureMethod,
    },
    Campaigns(Vec<(Option<usize>, Campaign)>),
    Creators(Vec<(Option<usize>, Creator)>),
    Assets(Vec<(Option<usize>, Asset)>),
    Comments(Vec<(Option<usize>, Comment)>),
    Audience(Vec<super::audience::AudienceRow>),
}

impl Prepared {
    /// Applies the change to the workspace.
    pub fn apply(self, ws: &mut Workspace, method_override: Option<DisclosureMethod>) {
        match self.change {
            Change::Posts {
                posts,
                keep,
                ws_merge,
                ws_views_aside,
                method,
            } => {
                if ws.currency.is_none() {
                    ws.currency = self.loader.currency.clone();
                }
                for k in ws_views_aside {
                    set_absent(&mut ws.posts, Measure::Views as usize, k);
                }
                if !ws_merge.is_empty() {
                    let old = std::mem::take(&mut ws.posts);
                    let mut removed = vec![false; old.len()];
                    let mut rebuilt = Posts {
                        disclosure_method: old.disclosure_method,
                        ..Posts::default()
                    };
                    for &(k, _, merge) in &ws_merge {
                        removed[k] = !merge;
                    }
                    let mut new_index = vec![usize::MAX; old.len()];
                    for k in (0..old.len()).filter(|&k| !removed[k]) {
                        new_index[k] = rebuilt.len();
                        append_row(&mut rebuilt, &old, k);
                    }
                    for &(k, i, merge) in &ws_merge {
                        if merge {
                            let (values, disclosure) = measures_of(&posts, i);
                            add_into(&mut rebuilt, new_index[k], &values, disclosure);
                            for m in (0..MEASURE_COUNT).filter(|&m| posts.present[m]) {
                                rebuilt.column_mut(m);
                            }
                        }
                    }
                    ws.posts = rebuilt;
                }
                if ws.posts.is_empty() && keep.iter().all(|&k| k) {
                    // The common first load: the staged columns become the table.
                    let (method, present) = (ws.posts.disclosure_method, ws.posts.present);
                    ws.posts = *posts;
                    ws.posts.disclosure_method = method;
                    for m in (0..MEASURE_COUNT).filter(|&m| present[m]) {
                        ws.posts.column_mut(m);
                    }
                } else {
                    for i in (0..posts.len()).filter(|&i| keep[i]) {
                        append_row(&mut ws.posts, &posts, i);
                    }
                }
                ws.posts.invalidate_index();
                let method = method_override.unwrap_or(method);
                ws.posts.disclosure_method = combine_methods(ws.posts.disclosure_method, method);
            }
            Change::Campaigns(rows) => apply_rows(&mut ws.campaigns, rows),
            Change::Creators(rows) => apply_rows(&mut ws.creators, rows),
            Change::Assets(rows) => apply_rows(&mut ws.assets, rows),
            Change::Comments(rows) => apply_rows(&mut ws.comments, rows),
            Change::Audience(rows) => super::audience::apply_rows(&mut ws.audience, rows),
        }
    }
}

fn apply_rows<T>(table: &mut Vec<T>, rows: Vec<(Option<usize>, T)>) {
    for (slot, row) in rows {
        match slot.and_then(|k| table.get_mut(k)) {
            Some(existing) => *existing = row,
            None => table.push(row),
        }
    }
}

/// The method of a workspace after adding posts obtained with `added`.
pub fn combine_methods(current: DisclosureMethod, added: DisclosureMethod) -> DisclosureMethod {
    use DisclosureMethod::{Mixed, None};
    match (current, added) {
        (None, m) | (m, None) => m,
        (a, b) if a == b => a,
        _ => Mixed,
    }
}

/// Appends row `i` of `src` to `dst`, column by column (no per-row allocation).
fn append_row(dst: &mut Posts, src: &Posts, i: usize) {
    let index = dst.len();
    dst.platform
        .push(dst.platforms.intern(src.platforms.value(src.platform[i])));
    dst.campaign
        .push(dst.campaigns.intern(src.campaigns.value(src.campaign[i])));
    dst.creator
        .push(dst.creators.intern(src.creators.value(src.creator[i])));
    dst.format
        .push(dst.formats.intern(src.formats.value(src.format[i])));
    dst.day.push(src.day[i]);
    dst.push_time(index, src.time_of_day(i));
    dst.post_id.push(src.post_id.get(i));
    dst.caption.push(src.caption.get(i));
    dst.disclosure.push(src.disclosure[i]);
    for m in 0..MEASURE_COUNT {
        dst.push_measure(m, index, src.value(m, i));
    }
}

/// Measures that add up when duplicate rows of one post are summed (not the post count,
/// the follower count or the derived disclosure counts).
fn summable(m: Measure) -> bool {
    !matches!(
        m,
        Measure::PostCount
            | Measure::Followers
            | Measure::DisclosedPosts
            | Measure::DisclosureKnownPosts
    )
}

fn measures_of(posts: &Posts, i: usize) -> ([Option<f64>; MEASURE_COUNT], Disclosure) {
    let mut values = [None; MEASURE_COUNT];
    for (m, v) in values.iter_mut().enumerate() {
        *v = posts.value(m, i);
    }
    (values, posts.disclosure[i])
}

/// Adds a duplicate's numbers into row `j` and combines the disclosure status. A value
/// the duplicate lacks leaves row `j`'s as it is; one row `j` lacks takes the
/// duplicate's.
fn add_into(
    posts: &mut Posts,
    j: usize,
    values: &[Option<f64>; MEASURE_COUNT],
    disclosure: Disclosure,
) {
    for m in Measure::ALL.into_iter().filter(|&m| summable(m)) {
        if let Some(added) = values[m as usize] {
            let column = posts.column_mut(m as usize);
            column.set(j, Some(column.get(j).map_or(added, |v| v + added)));
        }
    }
    let combined = match (posts.disclosure[j], disclosure) {
        (Disclosure::Disclosed, _) | (_, Disclosure::Disclosed) => Disclosure::Disclosed,
        (Disclosure::Unknown, d) => d,
        (d, _) => d,
    };
    posts.disclosure[j] = combined;
    let count = posts.value(Measure::PostCount as usize, j).unwrap_or(1.0);
    // Only a sponsored post's disclosure is judged.
    if combined != Disclosure::Unknown && posts.is_sponsored(j) {
        posts
            .column_mut(Measure::DisclosureKnownPosts as usize)
            .set(j, Some(count));
        let disclosed = if combined == Disclosure::Disclosed {
            count
        } else {
            0.0
        };
        posts
            .column_mut(Measure::DisclosedPosts as usize)
            .set(j, Some(disclosed));
    }
}

fn apply_user_mapping(
    mapping: &mut [ColumnMapping],
    user: &[(String, Option<String>)],
    kind: TableKind,
) {
    let valid = |t: &str| {
        [DISCOUNT_CODE, CURRENCY].contains(&t)
            || (kind.columns().iter().chain(kind.extra_columns())).any(|c| c.name == t)
    };
    for m in mapping.iter_mut() {
        let norm = mapping::normalize_header(&m.source);
        if let Some((_, target)) = user
            .iter()
            .find(|(src, _)| *src == m.source || mapping::normalize_header(src) == norm)
        {
            m.target = target.clone().filter(|t| valid(t));
        }
    }
}

/// The platform of an order whose creator (and so platform) is unknown.
pub const UNATTRIBUTED_PLATFORM: &str = "shopify";

/// The day part of the duplicate key of a row that counts a post (its id alone).
const POST_KEY: Day = Day::MAX;

/// Makes measure `m` of row `i` absent.
fn set_absent(posts: &mut Posts, m: usize, i: usize) {
    if posts.present[m] {
        posts.column_mut(m).set(i, None);
        posts.partial[m] = true;
        posts.invalidate_index();
    }
}

/// An amount as `1,234.50` (the currency is the file's own).
fn money(v: f64) -> String {
    let cents = (v * 100.0).round() as i64;
    let (whole, frac) = (cents.abs() / 100, cents.abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{grouped}.{frac:02}")
}

/// `500000` as `500,000`.
pub fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A raw value shortened for an issue.
fn clip(raw: &str) -> String {
    match raw.char_indices().nth(MAX_RAW_CHARS) {
        Some((end, _)) => format!("{}…", &raw[..end]),
        None => raw.to_owned(),
    }
}
