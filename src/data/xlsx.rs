//! XLSX workbooks (Excel's default format): the first worksheet becomes CSV text, which
//! the CSV path then reads like any other export. Pure Rust on `miniz_oxide` (already
//! used for snapshot links), so it adds nothing to the wasm bundle's dependencies.
//!
//! Read: the zip container (stored or deflated entries, no Zip64), the first sheet of
//! `xl/workbook.xml`, shared and inline strings, numbers, booleans and formula results.
//! A number whose cell style is a date format becomes `YYYY-MM-DD` or
//! `YYYY-MM-DD HH:MM:SS` (Excel serial days, 1900 system), so dates read as dates.

use std::collections::HashMap;

use miniz_oxide::inflate::TINFLStatus;

use super::calendar::{format_day, Day};
use super::error::XlsxError;

/// True for the bytes of a zip file that holds a workbook.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") && find(bytes, b"xl/").is_some()
}

/// The most bytes the entries of one workbook may inflate to, together (a zip bomb
/// stops there with an error that says so).
pub const MAX_INFLATED_BYTES: usize = 512 << 20;

/// The first worksheet as CSV text (a header line, then a line per row).
pub fn first_sheet_csv(bytes: &[u8]) -> Result<String, XlsxError> {
    sheet_csv_within(bytes, MAX_INFLATED_BYTES)
}

/// [`first_sheet_csv`], inflating at most `limit` bytes.
fn sheet_csv_within(bytes: &[u8], limit: usize) -> Result<String, XlsxError> {
    let mut zip = Zip::open(bytes)?;
    zip.limit = limit;
    zip.budget.set(limit);
    let workbook = zip.text("xl/workbook.xml")?.unwrap_or_default();
    let rels = zip.text("xl/_rels/workbook.xml.rels")?.unwrap_or_default();
    let sheet_path = first_sheet_path(&workbook, &rels)
        .filter(|p| zip.has(p))
        .or_else(|| {
            zip.names()
                .find(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
                .map(str::to_owned)
        })
        .ok_or(XlsxError::NoWorksheet)?;
    let sheet = zip
        .text(&sheet_path)?
        .ok_or(XlsxError::UnreadableWorksheet)?;
    let strings = zip
        .text("xl/sharedStrings.xml")?
        .map(|s| shared_strings(&s))
        .unwrap_or_default();
    let dates = zip
        .text("xl/styles.xml")?
        .map(|s| date_styles(&s))
        .unwrap_or_default();
    Ok(sheet_csv(&sheet, &strings, &dates))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The entries of a zip file.
struct Zip<'a> {
    bytes: &'a [u8],
    /// `(name, method, compressed size, local header offset)`.
    entries: Vec<(String, u16, usize, usize)>,
    /// Bytes the entries may inflate to together, and what is left of it.
    limit: usize,
    budget: std::cell::Cell<usize>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
}

impl<'a> Zip<'a> {
    fn open(bytes: &'a [u8]) -> Result<Zip<'a>, XlsxError> {
        let bad = || XlsxError::BrokenZip;
        // The end-of-central-directory record: in the last 64 KB + 22 bytes.
        let from = bytes.len().saturating_sub(65_557);
        let eocd = (from..bytes.len().saturating_sub(21))
            .rev()
            .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))
            .ok_or_else(bad)?;
        let count = u16_at(bytes, eocd + 10).ok_or_else(bad)? as usize;
        let mut at = u32_at(bytes, eocd + 16).ok_or_else(bad)?;
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            if !bytes
                .get(at..)
                .is_some_and(|b| b.starts_with(b"PK\x01\x02"))
            {
                return Err(bad());
            }
            let method = u16_at(bytes, at + 10).ok_or_else(bad)?;
            let size = u32_at(bytes, at + 20).ok_or_else(bad)?;
            let name_len = u16_at(bytes, at + 28).ok_or_else(bad)? as usize;
            let extra = u16_at(bytes, at + 30).ok_or_else(bad)? as usize;
            let comment = u16_at(bytes, at + 32).ok_or_else(bad)? as usize;
            let offset = u32_at(bytes, at + 42).ok_or_else(bad)?;
            let name = bytes.get(at + 46..at + 46 + name_len).ok_or_else(bad)?;
            entries.push((
                String::from_utf8_lossy(name).into_owned(),
                method,
                size,
                offset,
            ));
            at += 46 + name_len + extra + comment;
        }
        Ok(Zip {
            bytes,
            entries,
            limit: MAX_INFLATED_BYTES,
            budget: std::cell::Cell::new(MAX_INFLATED_BYTES),
        })
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.0.as_str())
    }

    fn has(&self, name: &str) -> bool {
        self.names().any(|n| n == name)
    }

    /// An entry's contents as text (`None` when missing or unreadable); an error when
    /// the workbook inflates past [`MAX_INFLATED_BYTES`].
    fn text(&self, name: &str) -> Result<Option<String>, XlsxError> {
        let Some(&(_, method, size, offset)) = self.entries.iter().find(|e| e.0 == name) else {
            return Ok(None);
        };
        let b = self.bytes;
        let data = (|| {
            if !b.get(offset..)?.starts_with(b"PK\x03\x04") {
                return None;
            }
            let start = offset
                .checked_add(30)?
                .checked_add(u16_at(b, offset + 26)? as usize)?
                .checked_add(u16_at(b, offset + 28)? as usize)?;
            b.get(start..start.checked_add(size)?)
        })();
        let Some(data) = data else {
            return Ok(None);
        };
        let budget = self.budget.get();
        let raw = match method {
            0 if data.len() > budget => Err(TINFLStatus::HasMoreOutput),
            0 => Ok(data.to_vec()),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, budget)
                .map_err(|e| e.status),
            _ => return Ok(None),
        };
        match raw {
            Ok(raw) => {
                self.budget.set(budget - raw.len());
                Ok(Some(String::from_utf8_lossy(&raw).into_owned()))
            }
            Err(TINFLStatus::HasMoreOutput) => Err(XlsxError::TooBig {
                limit_mb: self.limit >> 20,
            }),
            Err(_) => Ok(None),
        }
    }
}

/// The tags of an XML text in order: `(name, attributes, is_end, is_self_closing,
/// text after the tag up to the next one)`.
fn tags(xml: &str) -> impl Iterator<Item = (&str, &str, bool, bool, &str)> {
    let mut rest = xml;
    std::iter::from_fn(move || loop {
        let open = rest.find('<')?;
        let close = open + rest[open..].find('>')?;
        let inner = &rest[open + 1..close];
        let after = &rest[close + 1..];
        let text_end = after.find('<').unwrap_or(after.len());
        let text = &after[..text_end];
        rest = after;
        if inner.starts_with('?') || inner.starts_with('!') {
            continue;
        }
        let is_end = inner.starts_with('/');
        let self_closing = inner.ends_with('/');
        let body = inner.trim_start_matches('/').trim_end_matches('/');
        let (name, attrs) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
        // Namespaced names (`x:c`) compare by their local part.
        let name = name.rsplit(':').next().unwrap_or(name);
        return Some((name, attrs, is_end, self_closing, text));
    })
}

/// The value of attribute `key` (local name) in an attribute list.
fn attr<'x>(attrs: &'x str, key: &str) -> Option<&'x str> {
    let mut rest = attrs;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim();
        let name = name.rsplit(':').next().unwrap_or(name);
        let value = rest[eq + 1..].trim_start();
        let quote = value.chars().next()?;
        let value = &value[1..];
        let end = value.find(quote)?;
        if name == key {
            return Some(&value[..end]);
        }
        rest = &value[end + 1..];
    }
    None
}

/// XML text with its entities decoded, and Excel's `_x000D_` escapes (a carriage
/// return) as characters.
fn unescape(text: &str) -> String {
    let text = xml_entities(text);
    if !text.contains("_x") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let code = tail
            .get(2..6)
            .filter(|_| tail.get(6..7) == Some("_"))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match code {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn xml_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let Some(semi) = tail.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The path of the workbook's first sheet, through the workbook's relationships.
fn first_sheet_path(workbook: &str, rels: &str) -> Option<String> {
    let id = tags(workbook)
        .find(|(name, _, end, ..)| *name == "sheet" && !end)
        .and_then(|(_, attrs, ..)| attr(attrs, "id").map(str::to_owned))?;
    let target = tags(rels)
        .filter(|(name, ..)| *name == "Relationship")
        .find(|(_, attrs, ..)| attr(attrs, "Id") == Some(id.as_str()))
        .and_then(|(_, attrs, ..)| attr(attrs, "Target").map(str::to_owned))?;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{target}"),
    })
}

/// The shared strings, each the text of all its runs.
fn shared_strings(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut in_text = false;
    let mut in_phonetic = false;
    for (name, _, end, self_closing, text) in tags(xml) {
        match (name, end) {
            ("si", false) => current = Some(String::new()),
            ("si", true) => out.extend(current.take()),
            ("rPh", e) => in_phonetic = !e && !self_closing,
            ("t", false) if !self_closing => in_text = true,
            ("t", true) => in_text = false,
            _ => {}
        }
        if in_text && !in_phonetic && name == "t" && !end {
            if let Some(s) = current.as_mut() {
                s.push_str(&unescape(text));
            }
        }
    }
    out
}

/// Per cell style index (`s`), true when its number format shows a date or time.
fn date_styles(xml: &str) -> Vec<bool> {
    let mut custom: HashMap<u32, bool> = HashMap::new();
    let mut styles = Vec::new();
    let mut in_xfs = false;
    for (name, attrs, end, self_closing, _) in tags(xml) {
        match name {
            "numFmt" if !end => {
                if let (Some(id), Some(code)) = (
                    attr(attrs, "numFmtId").and_then(|v| v.parse().ok()),
                    attr(attrs, "formatCode"),
                ) {
                    custom.insert(id, is_date_code(&unescape(code)));
                }
            }
            "cellXfs" => in_xfs = !end && !self_closing,
            "xf" if in_xfs && !end => {
                let id: u32 = attr(attrs, "numFmtId")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let builtin = matches!(id, 14..=22 | 45..=47);
                styles.push(builtin || custom.get(&id).copied().unwrap_or(false));
            }
            _ => {}
        }
    }
    styles
}

/// True for a number format that shows a date or a time (`mm/dd/yyyy hh:mm`), not for
/// quoted text or `[Red]`-style brackets.
fn is_date_code(code: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    for c in code.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            'd' | 'm' | 'y' | 'h' | 's' | 'D' | 'M' | 'Y' | 'H' | 'S' if !quoted && !bracket => {
                return true
            }
            _ => {}
        }
    }
    false
}

/// An Excel serial (days since 1899-12-30, the 1900 system) as ISO text.
fn serial_text(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor();
    let secs = ((serial - days) * 86_400.0).round() as u32;
    let (days, secs) = if secs >= 86_400 {
        (days + 1.0, 0)
    } else {
        (days, secs)
    };
    let day = format_day(days as Day - 25_569);
    Some(if secs == 0 {
        day
    } else {
        format!(
            "{day} {:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    })
}

/// The 0-based column of a cell reference (`B7` → 1).
fn column_of(reference: &str) -> Option<usize> {
    let letters = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .try_fold(0usize, |n, b| {
            n.checked_mul(26)?
                .checked_add(usize::from(b.to_ascii_uppercase() - b'A') + 1)
        })?;
    letters.checked_sub(1)
}

/// Columns past this are ignored (a stray cell far to the right would make every row
/// that wide).
const MAX_COLUMNS: usize = 16_384;

fn sheet_csv(xml: &str, strings: &[String], dates: &[bool]) -> String {
    let mut out = String::new();
    let mut row: Vec<String> = Vec::new();
    let mut in_row = false;
    // The cell being read: (column, type, style), its value, and whether text goes into it.
    let mut cell: Option<(usize, String, usize)> = None;
    let mut value = String::new();
    let mut width: Option<usize> = None;
    let mut next_column = 0;
    for (name, attrs, end, self_closing, text) in tags(xml) {
        match (name, end) {
            ("row", false) => {
                in_row = true;
                row.clear();
                next_column = 0;
                if self_closing {
                    in_row = false;
                }
            }
            ("row", true) if in_row => {
                in_row = false;
                if row.iter().any(|v| !v.is_empty()) {
                    // Blank cells at the end of a row are left out of the sheet: the
                    // row is as wide as the header.
                    let w = *width.get_or_insert(row.len());
                    if row.len() < w {
                        row.resize(w, String::new());
                    }
                    push_csv_row(&mut out, &row);
                }
            }
            ("c", false) if in_row => {
                let col = attr(attrs, "r")
                    .and_then(column_of)
                    .unwrap_or(next_column)
                    .min(MAX_COLUMNS);
                let kind = attr(attrs, "t").unwrap_or("n").to_owned();
                let style = attr(attrs, "s").and_then(|s| s.parse().ok()).unwrap_or(0);
                next_column = col + 1;
                value.clear();
                if self_closing {
                    cell = None;
                } else {
                    cell = Some((col, kind, style));
                }
            }
            ("c", true) => {
                if let Some((col, kind, style)) = cell.take() {
                    let shown = match kind.as_str() {
                        "s" => value
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| strings.get(i).cloned())
                            .unwrap_or_default(),
                        "b" => (if value.trim() == "1" { "TRUE" } else { "FALSE" }).to_owned(),
                        "n" if dates.get(style).copied().unwrap_or(false) => value
                            .trim()
                            .parse::<f64>()
                            .ok()
                            .and_then(serial_text)
                            .unwrap_or_else(|| value.clone()),
                        _ => value.clone(),
                    };
                    if col < MAX_COLUMNS {
                        if row.len() <= col {
                            row.resize(col + 1, String::new());
                        }
                        row[col] = shown;
                    }
                }
            }
            ("v", false) | ("t", false) if cell.is_some() && !self_closing => {
                value.push_str(&unescape(text));
            }
            _ => {}
        }
    }
    out
}

fn push_csv_row(out: &mut String, row: &[String]) {
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if v.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&v.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(v);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_strings_and_dates() {
        let strings = shared_strings(
            r#"<sst><si><t>Post ID</t></si><si><r><t>Two </t></r><r><t xml:space="preserve">runs &amp; more</t></r></si></sst>"#,
        );
        assert_eq!(strings, ["Post ID", "Two runs & more"]);
        let dates = date_styles(
            r#"<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="mm/dd/yyyy\ hh:mm"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>"#,
        );
        assert_eq!(dates, [false, true, true]);
        let sheet = r#"<worksheet><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
            <row r="2"><c r="A2"><v>17912345678901234</v></c><c r="B2" s="1"><v>45720.586805555555</v></c><c r="C2" t="inlineStr"><is><t>a, "b"</t></is></c></row>
            <row r="3"/>
            <row r="4"><c r="B4" s="2"><v>45890</v></c><c r="C4" t="b"><v>1</v></c></row>
        </sheetData></worksheet>"#;
        assert_eq!(
            sheet_csv(sheet, &strings, &dates),
            "Post ID,,Two runs & more\n17912345678901234,2025-03-04 14:05:00,\"a, \"\"b\"\"\"\n,2025-08-21,TRUE\n"
        );
        assert_eq!(column_of("AA10"), Some(26));
        assert_eq!(unescape("a_x000D_\nb &lt;_x_"), "a\r\nb <_x_");
        assert!(!is_date_code("0.00\" days\""));
        assert!(!is_date_code("[Red]0.00"));
    }

    #[test]
    fn a_zip_bomb_stops_at_the_inflate_limit() {
        // 3 MB of zeros deflate to a few KB; the limit (512 MB in use) is 2 MB here.
        let sheet = miniz_oxide::deflate::compress_to_vec(&vec![b'0'; 3 << 20], 6);
        assert!(sheet.len() < 20_000);
        let name = b"xl/worksheets/sheet1.xml";
        let mut zip = b"PK\x03\x04\x14\0\0\0\x08\0\0\0\0\0\0\0\0\0".to_vec();
        zip.extend_from_slice(&(sheet.len() as u32).to_le_bytes());
        zip.extend_from_slice(&[0; 4]);
        zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
        zip.extend_from_slice(&[0, 0]);
        zip.extend_from_slice(name);
        zip.extend_from_slice(&sheet);
        let directory = zip.len() as u32;
        zip.extend_from_slice(b"PK\x01\x02\x14\0\x14\0\0\0\x08\0\0\0\0\0\0\0\0\0");
        zip.extend_from_slice(&(sheet.len() as u32).to_le_bytes());
        zip.extend_from_slice(&[0; 4]);
        zip.extend_from_slice(&(name.len() as u16).to_le_bytes());
        zip.extend_from_slice(&[0; 12]);
        zip.extend_from_slice(&[0; 4]);
        zip.extend_from_slice(name);
        let size = zip.len() as u32 - directory;
        zip.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
        zip.extend_from_slice(&size.to_le_bytes());
        zip.extend_from_slice(&directory.to_le_bytes());
        zip.extend_from_slice(&[0, 0]);
        let err = sheet_csv_within(&zip, 2 << 20).unwrap_err();
        assert_eq!(err, XlsxError::TooBig { limit_mb: 2 });
        assert_eq!(
            err.to_string(),
            "the workbook unpacks to more than 2 MB: save the sheet as CSV"
        );
        // Within the limit the same zip reads (no rows: the sheet is all zeros).
        assert_eq!(sheet_csv_within(&zip, 4 << 20), Ok(String::new()));
    }

    #[test]
    fn broken_zip_is_an_error_not_a_panic() {
        assert!(first_sheet_csv(b"PK\x03\x04xl/ junk").is_err());
        assert!(first_sheet_csv(b"").is_err());
    }
}
