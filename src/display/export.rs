//! File exports of what the dashboard shows: KPI tables and rejected rows as CSV (text
//! cells formula-neutralized against CSV injection), the workspace as JSON. Every export
//! names the settings it was computed with ([`ExportContext`]): CSVs in leading `# `
//! lines, the JSON in an `exported_with` object, charts in their SVG `<desc>`. Every CSV
//! starts with a UTF-8 BOM ([`UTF8_BOM`]) so that Excel reads accents right.

use serde_json::{Map, Value};

use crate::data::calendar::{format_day, Day};
use crate::data::export::{
    neutralize_formula, push_cell, push_field, push_safe_field, Cell, UTF8_BOM,
};
use crate::data::ingest::{self, FileReport};
use crate::metrics::settings::{EmvMethod, SavedSettings};

use super::query::ViewQuery;

const DATE_RANGE: &str = "Date range";

/// The settings and view an export was computed with.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportContext {
    /// `(label, value)` pairs, in display order.
    pub entries: Vec<(&'static str, String)>,
}

impl ExportContext {
    /// The context of `query` under `saved` (compute settings and currency symbol);
    /// `span` is the data's first and last day, used when the query has no date range.
    pub fn new(saved: &SavedSettings, query: &ViewQuery, span: Option<(Day, Day)>) -> Self {
        let settings = &saved.compute;
        let day = |d: Option<Day>| d.map(format_day);
        let from = day(query.from).or_else(|| day(span.map(|s| s.0)));
        let to = day(query.to).or_else(|| day(span.map(|s| s.1)));
        let date_range = match (from, to) {
            (Some(f), Some(t)) => format!("{f} to {t}"),
            (Some(f), None) => format!("from {f}"),
            (None, Some(t)) => format!("until {t}"),
            (None, None) => "all dates (no dated rows)".into(),
        };
        let emv = match settings.emv_method {
            EmvMethod::Cpm => "CPM (per-platform CPM × impressions ÷ 1000)",
            EmvMethod::PerAction => "per action (value per like/comment/share/save/view)",
        };
        let filters = query.to_query_string();
        ExportContext {
            entries: vec![
                (
                    "Engagement-rate denominator",
                    settings.er_denominator.measure().1.to_owned(),
                ),
                ("EMV method", emv.to_owned()),
                ("Currency", saved.prefs.currency_symbol.clone()),
                (DATE_RANGE, date_range),
                (
                    "Filters",
                    if filters.is_empty() {
                        "none".into()
                    } else {
                        filters
                    },
                ),
            ],
        }
    }

    /// The same context for another date range (e.g. a report's period).
    pub fn with_date_range(mut self, range: String) -> Self {
        for (label, value) in &mut self.entries {
            if *label == DATE_RANGE {
                *value = range.clone();
            }
        }
        self
    }

    /// One `label: value` line per entry.
    pub fn lines(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|(label, value)| format!("{label}: {value}"))
            .collect()
    }

    /// The entries on one line, `; `-separated (for chart files and image footers).
    pub fn one_line(&self) -> String {
        self.lines().join("; ")
    }

    /// The start of a CSV export: the UTF-8 BOM, then the leading `# ` comment lines.
    /// Each line is one CSV field escaped like a table cell: its value is
    /// formula-neutralized ([`neutralize_formula`]) and the line quoted per RFC 4180
    /// when it holds a comma or quote ([`push_field`]), so no value (an imported
    /// currency symbol such as `x,=HYPERLINK(…)`) can start a cell of its own.
    pub fn csv_preamble(&self) -> String {
        let mut out = String::from(UTF8_BOM);
        for (label, value) in &self.entries {
            let value = value.replace(['\n', '\r'], " ");
            let line = format!("# {label}: {}", neutralize_formula(&value));
            push_field(&mut out, &line);
            out.push('\n');
        }
        out
    }
}

/// One exported table cell: user or display text, or a raw number (empty when missing).
#[derive(Clone, Debug, PartialEq)]
pub enum ExportCell {
    Text(String),
    Number(Option<f64>),
}

/// A table as CSV: the context's `# ` lines, the header row, then the rows. Text cells
/// are neutralized against formula injection; numbers are raw (ratios as fractions).
pub fn table_csv(context: &ExportContext, headers: &[&str], rows: &[Vec<ExportCell>]) -> String {
    let mut out = context.csv_preamble();
    let mut push_row = |cells: &mut dyn Iterator<Item = Cell<'_>>| {
        let mut line = String::new();
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                line.push(',');
            }
            match cell {
                Cell::Text(t) => push_safe_field(&mut line, t),
                other => push_cell(&mut line, other),
            }
        }
        line.push('\n');
        out.push_str(&line);
    };
    push_row(&mut headers.iter().map(|h| Cell::Text(h)));
    for row in rows {
        push_row(&mut row.iter().map(|c| match c {
            ExportCell::Text(t) => Cell::Text(t),
            ExportCell::Number(n) => Cell::from(*n),
        }));
    }
    out
}

/// The rejected rows and dropped values of the loaded files as CSV
/// ([`ingest::rejected_rows_csv`]), after the BOM and the context's `# ` lines.
pub fn rejected_rows_csv(context: &ExportContext, reports: &[FileReport]) -> String {
    context.csv_preamble() + &ingest::rejected_rows_csv(reports)
}

/// The workspace document (from [`workspace_json`], which the loader reads back) with
/// an `exported_with` object naming the settings and view.
pub fn workspace_export_json(context: &ExportContext, document: &str) -> String {
    let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(document) else {
        return document.to_owned();
    };
    let exported_with: Map<String, Value> = context
        .entries
        .iter()
        .map(|(label, value)| (label.to_string(), Value::String(value.clone())))
        .collect();
    map.insert("exported_with".into(), Value::Object(exported_with));
    Value::Object(map).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::calendar::parse_iso_day;
    use crate::data::ingest::{load, workspace_json, LoadOptions};
    use crate::data::store::Workspace;
    use crate::metrics::settings::{ErDenominator, Preferences, Settings};

    fn context() -> ExportContext {
        let settings = SavedSettings {
            compute: Settings {
                er_denominator: ErDenominator::Impressions,
                ..Settings::default()
            },
            prefs: Preferences {
                currency_symbol: "€".into(),
                ..Preferences::default()
            },
        };
        let query = ViewQuery {
            platform: "tiktok".into(),
            ..ViewQuery::default()
        };
        let span = Some((
            parse_iso_day("2025-01-01").unwrap(),
            parse_iso_day("2025-03-31").unwrap(),
        ));
        ExportContext::new(&settings, &query, span)
    }

    #[test]
    fn formula_cells_get_a_leading_quote() {
        for risky in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralize_formula(risky), format!("'{risky}"));
        }
        assert_eq!(neutralize_formula("Summer sale"), "Summer sale");
        assert_eq!(neutralize_formula(""), "");
    }

    #[test]
    fn context_names_denominator_emv_currency_and_dates() {
        let lines = context().lines();
        assert_eq!(
            lines,
            vec![
                "Engagement-rate denominator: impressions",
                "EMV method: CPM (per-platform CPM × impressions ÷ 1000)",
                "Currency: €",
                // No range in the query: the data's span.
                "Date range: 2025-01-01 to 2025-03-31",
                "Filters: platform=tiktok",
            ]
        );
    }

    #[test]
    fn table_csv_escapes_text_and_keeps_numbers_raw() {
        let rows = vec![vec![
            ExportCell::Text("=HYPERLINK(\"http://x\",\"y\")".into()),
            ExportCell::Number(Some(-0.25)),
            ExportCell::Number(None),
            ExportCell::Text("a,b".into()),
        ]];
        let csv = table_csv(&context(), &["Campaign", "ROAS", "CPA", "Note"], &rows);
        // A UTF-8 BOM first (EF BB BF), for Excel; then the `# ` lines.
        assert_eq!(&csv.as_bytes()[..5], b"\xEF\xBB\xBF# ");
        let csv = csv.trim_start_matches(UTF8_BOM);
        let body: Vec<&str> = csv.lines().filter(|l| !l.starts_with("# ")).collect();
        assert_eq!(body[0], "Campaign,ROAS,CPA,Note");
        // The formula gets a quote, then RFC 4180 quoting doubles the inner quotes;
        // a negative number stays a number.
        assert_eq!(
            body[1],
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-0.25,,\"a,b\""
        );
        assert_eq!(csv.lines().filter(|l| l.starts_with("# ")).count(), 5);
        let report = context().with_date_range("2025-03-01 to 2025-03-22".into());
        assert_eq!(report.lines()[3], "Date range: 2025-03-01 to 2025-03-22");
    }

    #[test]
    fn rejected_rows_csv_starts_with_one_bom() {
        let mut ws = Workspace::default();
        let csv = "platform,date,likes\ntiktok,2025-01-02,abc\n,2025-01-03,4\n";
        let report = load(&mut ws, "bad.csv", csv.as_bytes(), &LoadOptions::default()).unwrap();
        let out = rejected_rows_csv(&context(), &[report]);
        assert!(out.starts_with("\u{feff}# Engagement-rate denominator"));
        assert_eq!(out.matches(UTF8_BOM).count(), 1);
        let header = out.lines().find(|l| !l.starts_with(['#', '\u{feff}']));
        assert_eq!(
            header,
            Some("file,line,column,raw_value,reason,row_rejected")
        );
    }

    #[test]
    fn workspace_export_round_trips_through_the_loader() {
        let mut ws = Workspace::default();
        let csv = "platform,date,campaign_id,impressions,revenue\ntiktok,2025-01-02,C1,1000,50\n";
        load(
            &mut ws,
            "posts.csv",
            csv.as_bytes(),
            &LoadOptions::default(),
        )
        .unwrap();
        let json = workspace_export_json(&context(), &workspace_json(&ws));
        assert!(json.contains("\"exported_with\""));
        assert!(json.contains("Engagement-rate denominator"));
        let mut back = Workspace::default();
        load(
            &mut back,
            "ws.json",
            json.as_bytes(),
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(workspace_json(&back), workspace_json(&ws));
    }
}
