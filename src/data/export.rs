//! CSV export of the canonical tables: headers exactly as in [`super::schema`], ISO dates
//! (`YYYY-MM-DD`, timestamps `YYYY-MM-DDTHH:MM:SS`), `true`/`false`, empty cells for
//! missing values, fields quoted per RFC 4180, and a UTF-8 BOM first ([`UTF8_BOM`]) so
//! that Excel reads accents right (our loader drops it). The `write_*` functions stream
//! to any [`Write`]; the `*_csv` ones return a `String` for small tables.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::calendar::{day_of_timestamp, format_day, Day, Timestamp};
use super::schema::{Measure, TableKind};
use super::store::{Asset, Campaign, Comment, Creator, PostRow, Posts, Sentiment};

/// The UTF-8 byte order mark every CSV export starts with: without it Excel reads a
/// UTF-8 file as the system code page and mangles accents (`Café` → `CafÃ©`).
pub const UTF8_BOM: &str = "\u{feff}";

/// One cell's value before formatting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Day(Day),
    Time(Timestamp),
    Bool(bool),
}

impl<'a> From<Option<f64>> for Cell<'a> {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Cell::Empty, Cell::Number)
    }
}

impl<'a> From<Option<Day>> for Cell<'a> {
    fn from(v: Option<Day>) -> Self {
        v.map_or(Cell::Empty, Cell::Day)
    }
}

/// Appends `value` to `line`, quoted when it holds a comma, quote, CR or LF (RFC 4180).
pub fn push_field(line: &mut String, value: &str) {
    if value.contains([',', '"', '\n', '\r']) {
        line.push('"');
        line.push_str(&value.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(value);
    }
}

/// `value` made inert for spreadsheets (OWASP CSV injection): a cell starting with `=`,
/// `+`, `-`, `@`, tab or carriage return gets a leading `'`, so it shows as text
/// instead of running as a formula. Numbers are written with [`push_cell`], not this.
pub fn neutralize_formula(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// Appends a user-supplied text field for a spreadsheet: formula-neutralized
/// ([`neutralize_formula`]), then quoted per RFC 4180 ([`push_field`]).
pub fn push_safe_field(line: &mut String, value: &str) {
    push_field(line, &neutralize_formula(value));
}

/// Appends a cell: integers without a decimal point, other numbers in their shortest
/// round-trip form, non-finite numbers as empty.
pub fn push_cell(line: &mut String, cell: Cell<'_>) {
    // Writing to a String cannot fail.
    let _ = match cell {
        Cell::Empty => Ok(()),
        Cell::Text(s) => {
            push_field(line, s);
            Ok(())
        }
        Cell::Number(x) if !x.is_finite() => Ok(()),
        Cell::Number(x) if x.fract() == 0.0 && x.abs() < 9e15 => write!(line, "{}", x as i64),
        Cell::Number(x) => write!(line, "{x}"),
        Cell::Day(d) => {
            line.push_str(&format_day(d));
            Ok(())
        }
        Cell::Time(t) => {
            let secs = t.rem_euclid(86_400);
            write!(
                line,
                "{}T{:02}:{:02}:{:02}",
                format_day(day_of_timestamp(t)),
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            )
        }
        Cell::Bool(b) => {
            line.push_str(if b { "true" } else { "false" });
            Ok(())
        }
    };
}

fn header(kind: TableKind) -> String {
    let mut line = String::from(UTF8_BOM);
    for (i, column) in kind.columns().iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        push_field(&mut line, column.name);
    }
    line.push('\n');
    line
}

/// Writes a small table: the header of `kind`, then one line per row, each cell given by
/// `cell(row, column name)`.
fn write_table<T, W: Write>(
    mut out: W,
    kind: TableKind,
    rows: &[T],
    cell: impl for<'r> Fn(&'r T, &str) -> Cell<'r>,
) -> io::Result<()> {
    out.write_all(header(kind).as_bytes())?;
    let mut line = String::new();
    for row in rows {
        line.clear();
        for (i, column) in kind.columns().iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            push_cell(&mut line, cell(row, column.name));
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    out.flush()
}

fn to_string(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail, and every cell is valid UTF-8.
    let _ = write(&mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

fn text(value: &Option<String>) -> Cell<'_> {
    value.as_deref().map_or(Cell::Empty, Cell::Text)
}

fn campaign_cell<'a>(c: &'a Campaign, column: &str) -> Cell<'a> {
    match column {
        "campaign_id" => Cell::Text(&c.campaign_id),
        "name" => Cell::Text(&c.name),
        "objective" => c.objective.map_or(Cell::Empty, |o| Cell::Text(o.name())),
        "start_date" => c.start_date.into(),
        "end_date" => c.end_date.into(),
        "planned_launch_date" => c.planned_launch_date.into(),
        "launch_date" => c.launch_date.into(),
        "budget" => c.budget.into(),
        "site_aov" => c.site_aov.into(),
        "clv" => c.clv.into(),
        "awareness_pre" => c.awareness_pre.into(),
        "awareness_post" => c.awareness_post.into(),
        "sentiment_pre" => c.sentiment_pre.into(),
        "sentiment_post" => c.sentiment_post.into(),
        "brand_conversation" => c.brand_conversation.into(),
        "category_conversation" => c.category_conversation.into(),
        _ => Cell::Empty,
    }
}

fn creator_cell<'a>(c: &'a Creator, column: &str) -> Cell<'a> {
    match column {
        "creator_id" => Cell::Text(&c.creator_id),
        "name" => Cell::Text(&c.name),
        "platform" => text(&c.platform),
        "followers" => c.followers.into(),
        "followers_start" => c.followers_start.into(),
        "followers_end" => c.followers_end.into(),
        "brand_fit" => c.brand_fit.into(),
        "content_rating" => c.content_rating.into(),
        "deliverables_committed" => c.deliverables_committed.into(),
        "deliverables_on_time" => c.deliverables_on_time.into(),
        "contract_terms_met" => c.contract_terms_met.map_or(Cell::Empty, Cell::Bool),
        "discount_code" => text(&c.discount_code),
        "country" => text(&c.country),
        "age_band" => text(&c.age_band),
        "female_share" => c.female_share.into(),
        "engagement_rate" => c.engagement_rate.into(),
        "avg_likes" => c.avg_likes.into(),
        "influence_score" => c.influence_score.into(),
        _ => Cell::Empty,
    }
}

fn asset_cell<'a>(a: &'a Asset, column: &str) -> Cell<'a> {
    let time = |t: Option<Timestamp>| t.map_or(Cell::Empty, Cell::Time);
    match column {
        "asset_id" => Cell::Text(&a.asset_id),
        "campaign_id" => Cell::Text(&a.campaign_id),
        "creator_id" => Cell::Text(&a.creator_id),
        "submitted_at" => time(a.submitted_at),
        "approved_at" => time(a.approved_at),
        _ => Cell::Empty,
    }
}

fn comment_cell<'a>(c: &'a Comment, column: &str) -> Cell<'a> {
    let time = |t: Option<Timestamp>| t.map_or(Cell::Empty, Cell::Time);
    match column {
        "post_id" => Cell::Text(&c.post_id),
        "text" => Cell::Text(&c.text),
        "created_at" => time(c.created_at),
        "sentiment" => c.sentiment.map_or(Cell::Empty, |s| {
            Cell::Text(match s {
                Sentiment::Positive => "positive",
                Sentiment::Neutral => "neutral",
                Sentiment::Negative => "negative",
            })
        }),
        "replied_at" => time(c.replied_at),
        _ => Cell::Empty,
    }
}

/// Writes the campaigns table.
pub fn write_campaigns<W: Write>(campaigns: &[Campaign], out: W) -> io::Result<()> {
    write_table(out, TableKind::Campaigns, campaigns, campaign_cell)
}

/// Writes the creators table.
pub fn write_creators<W: Write>(creators: &[Creator], out: W) -> io::Result<()> {
    write_table(out, TableKind::Creators, creators, creator_cell)
}

/// Writes the assets table.
pub fn write_assets<W: Write>(assets: &[Asset], out: W) -> io::Result<()> {
    write_table(out, TableKind::Assets, assets, asset_cell)
}

/// Writes the comments table.
pub fn write_comments<W: Write>(comments: &[Comment], out: W) -> io::Result<()> {
    write_table(out, TableKind::Comments, comments, comment_cell)
}

/// The campaigns table as CSV text.
pub fn campaigns_csv(campaigns: &[Campaign]) -> String {
    to_string(|out| write_campaigns(campaigns, out))
}

/// The creators table as CSV text.
pub fn creators_csv(creators: &[Creator]) -> String {
    to_string(|out| write_creators(creators, out))
}

/// The assets table as CSV text.
pub fn assets_csv(assets: &[Asset]) -> String {
    to_string(|out| write_assets(assets, out))
}

/// The comments table as CSV text.
pub fn comments_csv(comments: &[Comment]) -> String {
    to_string(|out| write_comments(comments, out))
}

/// Where a posts column's value comes from in a [`PostRow`].
#[derive(Clone, Copy, Debug)]
enum PostField {
    Platform,
    Date,
    PostId,
    CampaignId,
    CreatorId,
    Format,
    Caption,
    Disclosed,
    Value(Measure),
    Unknown,
}

impl PostField {
    fn of(column: &str) -> PostField {
        match column {
            "platform" => PostField::Platform,
            "date" => PostField::Date,
            "post_id" => PostField::PostId,
            "campaign_id" => PostField::CampaignId,
            "creator_id" => PostField::CreatorId,
            "format" => PostField::Format,
            "caption" => PostField::Caption,
            "disclosed" => PostField::Disclosed,
            other => Measure::from_column(other).map_or(PostField::Unknown, PostField::Value),
        }
    }

    fn cell(self, row: &PostRow) -> Cell<'_> {
        match self {
            PostField::Platform => Cell::Text(&row.platform),
            PostField::Date => match (row.date, row.time) {
                (Some(day), Some(t)) => {
                    Cell::Time(Timestamp::from(day) * 86_400 + Timestamp::from(t))
                }
                (day, _) => day.into(),
            },
            PostField::PostId => Cell::Text(&row.post_id),
            PostField::CampaignId => Cell::Text(&row.campaign_id),
            PostField::CreatorId => Cell::Text(&row.creator_id),
            PostField::Format => Cell::Text(&row.format),
            PostField::Caption => Cell::Text(&row.caption),
            PostField::Disclosed => row.disclosure.map_or(Cell::Empty, Cell::Bool),
            PostField::Value(m) => row.values[m as usize].into(),
            PostField::Unknown => Cell::Empty,
        }
    }
}

/// Streams posts rows as CSV: the header on creation, then one line per row.
pub struct PostsCsvWriter<W: Write> {
    out: W,
    fields: Vec<PostField>,
    line: String,
}

impl<W: Write> PostsCsvWriter<W> {
    /// Writes the header to `out` (wrap files in a `BufWriter`).
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(header(TableKind::Posts).as_bytes())?;
        let fields = TableKind::Posts
            .columns()
            .iter()
            .map(|c| PostField::of(c.name))
            .collect();
        Ok(PostsCsvWriter {
            out,
            fields,
            line: String::with_capacity(256),
        })
    }

    /// Writes one row.
    pub fn write_row(&mut self, row: &PostRow) -> io::Result<()> {
        self.line.clear();
        for (i, field) in self.fields.iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            push_cell(&mut self.line, field.cell(row));
        }
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes the whole posts table (missing measures as empty cells).
pub fn write_posts<W: Write>(posts: &Posts, out: W) -> io::Result<()> {
    let mut writer = PostsCsvWriter::new(out)?;
    for i in 0..posts.len() {
        writer.write_row(&posts.row(i))?;
    }
    writer.finish().map(drop)
}

/// The posts table as CSV text.
pub fn posts_csv(posts: &Posts) -> String {
    to_string(|out| write_posts(posts, out))
}
