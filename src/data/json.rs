//! JSON readers and the workspace document: an array of row objects, NDJSON (one object
//! per line), and `{"posts":[...],"campaigns":[...],"creators":[...],"assets":[...],
//! "comments":[...]}` with canonical column names. Rows become text cells so that they
//! run through the same mapping and value parsing as CSV.
//!
//! Work is linear in the input: the keys are looked up in a hash map (never a scan of
//! the headers), each row keeps only the cells it has, a record with more than
//! [`MAX_COLUMNS`] keys is rejected and a table whose records bring more than
//! [`MAX_COLUMNS`] distinct keys is refused.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::error::{JsonError, RecordProblem, RejectKind};
pub use super::ingest::MAX_COLUMNS;
use super::loader::Cells;

use super::calendar::{day_of_timestamp, format_day, Timestamp};
use super::schema::{Measure, TableKind, ValueType};
use super::store::{DisclosureMethod, Workspace};

/// One table read from JSON: the union of the row objects' keys, in first-seen order, and
/// each row's cells (blank when a key is absent or null).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonTable {
    /// The table named by a workspace document; `None` for plain rows.
    pub kind: Option<TableKind>,
    pub headers: Vec<String>,
    /// `(record number or NDJSON line, the cells it has)`: see [`JsonTable::cells`].
    pub rows: Vec<(usize, JsonRow)>,
}

/// The cells one record has, as `(header index, text)` by ascending index; the other
/// headers' cells are blank.
pub type JsonRow = Vec<(u32, String)>;

impl JsonTable {
    /// Row `i`'s cells, one per header.
    pub fn cells(&self, i: usize) -> JsonCells<'_> {
        JsonCells {
            count: self.headers.len(),
            cells: self.rows.get(i).map_or(&[], |(_, row)| row.as_slice()),
        }
    }
}

/// A sparse row seen as a full one: `count` cells, blank unless `cells` has them.
#[derive(Clone, Copy, Debug)]
pub struct JsonCells<'a> {
    pub count: usize,
    pub cells: &'a [(u32, String)],
}

impl JsonCells<'_> {
    /// Every cell, blank ones included.
    pub fn to_vec(&self) -> Vec<String> {
        (0..self.count).map(|i| self.cell(i).to_owned()).collect()
    }
}

impl Cells for JsonCells<'_> {
    fn count(&self) -> usize {
        self.count
    }

    fn cell(&self, i: usize) -> &str {
        match self.cells.binary_search_by_key(&i, |(c, _)| *c as usize) {
            Ok(at) => &self.cells[at].1,
            Err(_) => "",
        }
    }

    fn all_blank(&self) -> bool {
        self.cells.iter().all(|(_, text)| text.trim().is_empty())
    }
}

/// A parsed JSON file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonDocument {
    pub tables: Vec<JsonTable>,
    /// True for a workspace document.
    pub is_workspace: bool,
    /// The disclosure method stored in a workspace document.
    pub disclosure_method: Option<DisclosureMethod>,
    /// The currency of the money in a workspace document (an ISO code).
    pub currency: Option<String>,
    /// Records that are no rows: `(record number, why)`.
    pub bad_records: Vec<(usize, RejectKind)>,
}

/// Parses a JSON array of objects, a single object, a workspace document or NDJSON.
/// A table whose records bring more than [`MAX_COLUMNS`] distinct keys is an error.
pub fn parse(text: &str) -> Result<JsonDocument, JsonError> {
    match parse_value(text) {
        Ok(Value::Array(items)) => {
            rows_document(items.into_iter().enumerate().map(|(i, v)| (i + 1, v)))
        }
        Ok(Value::Object(map)) if is_workspace(&map) => workspace_document(map),
        Ok(Value::Object(map)) => rows_document([(1, Value::Object(map))]),
        Ok(_) => Err(JsonError::NotRows),
        Err(whole_error) => match parse_ndjson(text) {
            Some(doc) => doc,
            None => Err(JsonError::invalid(&whole_error)),
        },
    }
}

/// Parses JSON text; a number too large for an `f64` (`1e400`) is read as its text, so
/// that it becomes one rejected value of its row (or one refused setting), not a
/// refused file.
pub fn parse_value(text: &str) -> Result<Value, serde_json::Error> {
    match serde_json::from_str::<Value>(text) {
        Err(e) if e.to_string().starts_with("number out of range") => {
            serde_json::from_str::<Value>(&quote_huge_numbers(text)).map_err(|_| e)
        }
        other => other,
    }
}

/// `text` with each number literal outside strings that overflows an `f64` written as a
/// string (`1e400` → `"1e400"`); everything else is copied as it is.
pub fn quote_huge_numbers(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let (mut i, mut copied) = (0, 0);
    let mut in_string = false;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if c == b'-' || c.is_ascii_digit() {
            let start = i;
            while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                i += 1;
            }
            let token = &text[start..i];
            if token.parse::<f64>().is_ok_and(f64::is_infinite) {
                out.push_str(&text[copied..start]);
                out.push('"');
                out.push_str(token);
                out.push('"');
                copied = i;
            }
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

fn is_workspace(map: &Map<String, Value>) -> bool {
    map.iter()
        .any(|(k, v)| TableKind::from_name(k).is_some() && v.is_array())
}

fn parse_ndjson(text: &str) -> Option<Result<JsonDocument, JsonError>> {
    let mut records = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match parse_value(line) {
            Ok(v) => records.push((i + 1, v)),
            Err(e) => bad.push((
                i + 1,
                bad_record(
                    None,
                    RecordProblem::InvalidLine {
                        message: e.to_string(),
                    },
                ),
            )),
        }
    }
    // NDJSON only when most lines parse; otherwise the file is broken JSON.
    if records.is_empty() || bad.len() > records.len() {
        return None;
    }
    Some(rows_document(records).map(|mut doc| {
        doc.bad_records.extend(bad);
        doc.bad_records.sort_by_key(|(n, _)| *n);
        doc
    }))
}

/// A record that is no row, of the table `table` of a workspace document.
fn bad_record(table: Option<TableKind>, problem: RecordProblem) -> RejectKind {
    RejectKind::BadRecord {
        table: table.map(|k| k.name().to_owned()),
        problem,
    }
}

fn rows_document(
    records: impl IntoIterator<Item = (usize, Value)>,
) -> Result<JsonDocument, JsonError> {
    let mut doc = JsonDocument::default();
    let table = table_of_rows(None, records, &mut doc.bad_records)?;
    doc.tables.push(table);
    Ok(doc)
}

fn workspace_document(mut map: Map<String, Value>) -> Result<JsonDocument, JsonError> {
    let mut doc = JsonDocument {
        is_workspace: true,
        disclosure_method: map
            .remove("disclosure_method")
            .and_then(|v| serde_json::from_value(v).ok()),
        currency: map
            .remove("currency")
            .and_then(|v| v.as_str().and_then(super::currency::normalize_code)),
        ..JsonDocument::default()
    };
    for kind in TableKind::ALL {
        if let Some(Value::Array(items)) = map.remove(kind.name()) {
            let records = items.into_iter().enumerate().map(|(i, v)| (i + 1, v));
            let table = table_of_rows(Some(kind), records, &mut doc.bad_records)?;
            doc.tables.push(table);
        }
    }
    Ok(doc)
}

/// The records as one table: keys looked up in a map, each row's cells as it has them.
fn table_of_rows(
    kind: Option<TableKind>,
    records: impl IntoIterator<Item = (usize, Value)>,
    bad: &mut Vec<(usize, RejectKind)>,
) -> Result<JsonTable, JsonError> {
    let mut table = JsonTable {
        kind,
        ..JsonTable::default()
    };
    let mut index: HashMap<String, u32> = HashMap::new();
    for (n, value) in records {
        let obj = match value {
            Value::Object(obj) if obj.len() > MAX_COLUMNS => {
                bad.push((
                    n,
                    bad_record(kind, RecordProblem::TooManyKeys { keys: obj.len() }),
                ));
                continue;
            }
            Value::Object(obj) => obj,
            _ => {
                bad.push((n, bad_record(kind, RecordProblem::NotAnObject)));
                continue;
            }
        };
        let mut row: JsonRow = Vec::with_capacity(obj.len());
        for (key, value) in obj {
            let column = match index.get(&key) {
                Some(&c) => c,
                None => {
                    if table.headers.len() >= MAX_COLUMNS {
                        return Err(JsonError::TooManyKeys {
                            table: kind.map(|k| k.name().to_owned()),
                            record: n,
                            key: clip_key(&key),
                        });
                    }
                    let c = table.headers.len() as u32;
                    index.insert(key.clone(), c);
                    table.headers.push(key);
                    c
                }
            };
            let text = cell_text(&value);
            if !text.is_empty() {
                row.push((column, text));
            }
        }
        row.sort_unstable_by_key(|(c, _)| *c);
        table.rows.push((n, row));
    }
    Ok(table)
}

/// A key shortened for a message.
fn clip_key(key: &str) -> String {
    match key.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &key[..at]),
        None => key.to_owned(),
    }
}

/// A JSON value as cell text (numbers keep every digit; nested values stay JSON).
fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// `YYYY-MM-DDTHH:MM:SS`.
pub fn format_timestamp(ts: Timestamp) -> String {
    let day = day_of_timestamp(ts);
    let secs = ts - Timestamp::from(day) * 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}",
        format_day(day),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The workspace as one JSON document that [`parse`] and the loader read back losslessly.
pub fn workspace_document_json(ws: &Workspace) -> String {
    let mut doc = Map::new();
    doc.insert("posts".into(), Value::Array(posts_json(ws)));
    doc.insert(
        "campaigns".into(),
        table_json(TableKind::Campaigns, &ws.campaigns),
    );
    doc.insert(
        "creators".into(),
        table_json(TableKind::Creators, &ws.creators),
    );
    doc.insert("assets".into(), table_json(TableKind::Assets, &ws.assets));
    doc.insert(
        "comments".into(),
        table_json(TableKind::Comments, &ws.comments),
    );
    if !ws.audience.is_empty() {
        doc.insert(
            "audience".into(),
            table_json(TableKind::Audience, &ws.audience),
        );
    }
    doc.insert(
        "disclosure_method".into(),
        serde_json::to_value(ws.posts.disclosure_method).unwrap_or(Value::Null),
    );
    if let Some(code) = &ws.currency {
        doc.insert("currency".into(), Value::String(code.clone()));
    }
    Value::Object(doc).to_string()
}

fn posts_json(ws: &Workspace) -> Vec<Value> {
    let posts = &ws.posts;
    (0..posts.len())
        .map(|i| {
            let row = posts.row(i);
            let mut obj = Map::new();
            let mut text = |key: &str, value: String| {
                if !value.is_empty() {
                    obj.insert(key.into(), Value::String(value));
                }
            };
            text("platform", row.platform);
            let date = match (row.date, row.time) {
                (Some(day), Some(t)) => {
                    format_timestamp(Timestamp::from(day) * 86_400 + Timestamp::from(t))
                }
                (day, _) => day.map(format_day).unwrap_or_default(),
            };
            text("date", date);
            text("post_id", row.post_id);
            text("campaign_id", row.campaign_id);
            text("creator_id", row.creator_id);
            text("format", row.format);
            text("caption", row.caption);
            if let Some(d) = row.disclosure {
                obj.insert("disclosed".into(), Value::Bool(d));
            }
            for m in Measure::ALL {
                if matches!(m, Measure::DisclosedPosts | Measure::DisclosureKnownPosts) {
                    continue;
                }
                if let Some(v) = row.values[m as usize] {
                    obj.insert(m.column().into(), number_json(v));
                }
            }
            Value::Object(obj)
        })
        .collect()
}

fn number_json(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Rows of a dimension table via serde, with day and timestamp fields written as ISO text.
fn table_json<T: serde::Serialize>(kind: TableKind, rows: &[T]) -> Value {
    let rows = rows
        .iter()
        .map(|row| {
            let mut value = serde_json::to_value(row).unwrap_or(Value::Null);
            if let Value::Object(obj) = &mut value {
                obj.retain(|_, v| !v.is_null());
                for col in kind.columns() {
                    let Some(v) = obj.get_mut(col.name) else {
                        continue;
                    };
                    match (col.value_type, v.as_i64()) {
                        (ValueType::Date, Some(day)) => {
                            *v = Value::String(format_day(day as i32));
                        }
                        (ValueType::DateTime, Some(ts)) => {
                            *v = Value::String(format_timestamp(ts));
                        }
                        _ => {}
                    }
                }
            }
            value
        })
        .collect();
    Value::Array(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_arrays_and_ndjson() {
        let doc = parse(r#"[{"a":1,"b":"x"},{"b":null,"c":true},7]"#).unwrap();
        let t = &doc.tables[0];
        assert_eq!(t.headers, vec!["a", "b", "c"]);
        assert_eq!(t.rows[0].0, 1);
        assert_eq!(t.cells(0).to_vec(), vec!["1", "x", ""]);
        assert_eq!(t.rows[1].0, 2);
        assert_eq!(t.cells(1).to_vec(), vec!["", "", "true"]);
        assert!(!t.cells(0).all_blank());
        assert_eq!(
            doc.bad_records,
            vec![(3, bad_record(None, RecordProblem::NotAnObject))]
        );
        assert_eq!(doc.bad_records[0].1.to_string(), "not a JSON object");
        let doc = parse("{\"a\":1.5}\n\n{\"a\":2}\n").unwrap();
        let t = &doc.tables[0];
        assert_eq!((t.rows[0].0, t.rows[1].0), (1, 3));
        assert_eq!(t.cells(0).to_vec(), vec!["1.5"]);
        assert_eq!(t.cells(1).to_vec(), vec!["2"]);
        assert!(parse("{nope").is_err());
    }

    #[test]
    fn formats_timestamps() {
        assert_eq!(format_timestamp(86_400 + 3_661), "1970-01-02T01:01:01");
        assert_eq!(format_timestamp(-1), "1969-12-31T23:59:59");
    }
}
