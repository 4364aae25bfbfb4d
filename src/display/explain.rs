//! The explain panel's words and its rows export: what each exclusion reason means in
//! a sentence, and every row behind a KPI as CSV with the settings in its `# ` lines.

use crate::data::calendar::format_day;
use crate::data::export::{push_cell, push_safe_field, Cell};
use crate::data::schema::Measure;
use crate::data::store::{Workspace, NO_DAY};
use crate::metrics::engine::{compute, KpiValue};
use crate::metrics::explain::{
    explain, for_each_used_row, settings_lines, ExcludeReason, ExplainQuery, RowReader,
};
use crate::metrics::settings::Settings;

use super::export::ExportContext;

impl ExcludeReason {
    /// The reason in words ("filtered out", "no date while a date range is set").
    pub fn words(&self) -> String {
        match self {
            ExcludeReason::FilteredOut => "filtered out".to_owned(),
            ExcludeReason::Undated => "no date while a date range is set".to_owned(),
            ExcludeReason::OutOfRange => "dated outside the date range".to_owned(),
            ExcludeReason::AbsentInputs(columns) => {
                format!("no value in {}", columns.join(", "))
            }
            ExcludeReason::RejectedAtLoad => "rejected when the file was loaded".to_owned(),
        }
    }
}

/// Every row a KPI used, as CSV: the BOM and `# ` lines naming the KPI, its value,
/// formula, settings and coverage, then a header and one line per row with its keys,
/// the measures the KPI reads, and the row's numerator and denominator. Text cells are
/// escaped and formula-neutralized as every export's ([`push_safe_field`]).
pub fn rows_csv(ws: &Workspace, settings: &Settings, q: &ExplainQuery) -> String {
    let e = explain(ws, settings, q);
    let def = q.kpi.def();
    let results = compute(ws, &q.filter, settings, q.granularity);
    let value = match &e.value {
        KpiValue::Value(v) => format!("{v}"),
        KpiValue::NotAvailable { reason } => format!("n/a ({reason})"),
    };
    let unit = &e.coverage.unit;
    let excluded: Vec<String> = e
        .coverage
        .excluded
        .iter()
        .map(|(reason, n)| format!("{n} {}", reason.words()))
        .collect();
    let mut entries: Vec<(&'static str, String)> = vec![
        ("KPI", format!("{} ({})", def.name, def.id)),
        ("Value", value),
        ("Formula", e.formula.clone()),
    ];
    entries.extend(settings_lines(ws, settings, q.kpi, &q.filter, &results));
    entries.push(("Used", format!("{} {unit}", e.coverage.used)));
    entries.push((
        "Excluded",
        if excluded.is_empty() {
            format!("0 {unit}")
        } else {
            format!(
                "{} {unit}: {}",
                e.coverage.excluded_total(),
                excluded.join("; ")
            )
        },
    ));
    let mut out = ExportContext { entries }.csv_preamble();
    let inputs = RowReader::new(ws, settings, q.kpi)
        .map_or_else(|| def.measures(), |reader| reader.inputs().to_vec());
    let mut header = String::new();
    for h in [
        "platform",
        "date",
        "post_id",
        "campaign_id",
        "creator_id",
        "format",
    ] {
        push_safe_field(&mut header, h);
        header.push(',');
    }
    for m in &inputs {
        // Both disclosure counts come from the one `disclosed` column: name them apart.
        let name = match m {
            Measure::DisclosedPosts => "disclosed_posts",
            Measure::DisclosureKnownPosts => "disclosure_known_posts",
            m => m.column(),
        };
        push_safe_field(&mut header, name);
        header.push(',');
    }
    header.push_str("numerator,denominator\n");
    out.push_str(&header);
    let p = &ws.posts;
    for_each_used_row(ws, settings, q, |i, numerator, denominator| {
        let mut line = String::new();
        let date = if p.day[i] == NO_DAY {
            String::new()
        } else {
            format_day(p.day[i])
        };
        for text in [
            p.platforms.value(p.platform[i]),
            &date,
            p.post_id.get(i),
            p.campaigns.value(p.campaign[i]),
            p.creators.value(p.creator[i]),
            p.formats.value(p.format[i]),
        ] {
            push_safe_field(&mut line, text);
            line.push(',');
        }
        for m in &inputs {
            push_cell(&mut line, Cell::from(p.value(*m as usize, i)));
            line.push(',');
        }
        push_cell(&mut line, Cell::from(numerator));
        line.push(',');
        push_cell(&mut line, Cell::from(denominator));
        line.push('\n');
        out.push_str(&line);
    });
    out
}
