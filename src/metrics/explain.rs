//! Explain any number: a KPI of the current view taken apart into the sums it is made
//! of, the settings it used, how many rows it used and which it left out (and why),
//! what each platform, campaign, creator and format contributes to it, and the rows
//! that contribute most. Small enough to cross from the data worker as JSON: lists are
//! capped, and the rows themselves stay with the workspace (`display::explain::rows_csv`).

use serde::{Deserialize, Serialize};

use crate::data::calendar::{Day, Granularity};
use crate::data::store::Workspace;

use super::engine::{compute, Dimension, Filter, KpiValue};
use super::registry::KpiId;
use super::settings::Settings;

/// The top rows listed (by contribution to the numerator).
pub const TOP_ROWS: usize = 20;
/// The excluded rows listed per reason.
pub const EXCLUDED_SAMPLE: usize = 10;
/// The contributions listed per dimension (the largest numerators first).
pub const MAX_CONTRIBUTIONS: usize = 200;

/// What to explain: one KPI of the view `filter` selects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainQuery {
    pub kpi: KpiId,
    pub filter: Filter,
    pub granularity: Granularity,
    /// Rows the page's load reports rejected (the workspace does not keep them): shown
    /// as a coverage reason.
    #[serde(default)]
    pub rejected_at_load: u64,
}

/// What a part of a KPI's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartRole {
    Numerator,
    Denominator,
    Mean,
    Count,
    Share,
    Total,
    Term,
}

impl PartRole {
    /// The `data-explain-part` hook.
    pub fn hook(self) -> &'static str {
        match self {
            PartRole::Numerator => "numerator",
            PartRole::Denominator => "denominator",
            PartRole::Mean => "mean",
            PartRole::Count => "count",
            PartRole::Share => "share",
            PartRole::Total => "total",
            PartRole::Term => "term",
        }
    }
}

/// One number a KPI's value is made of.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainPart {
    pub role: PartRole,
    /// In words ("Σrevenue", "TikTok impressions × CPM").
    pub label: String,
    pub value: f64,
}

/// Why rows (or campaigns, creators) were left out of a KPI.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExcludeReason {
    /// The filter's platform, campaign, creator or format leaves them out.
    FilteredOut,
    /// A date range is set and they have no date.
    Undated,
    /// Dated outside the date range.
    OutOfRange,
    /// In view but lacking these input columns.
    AbsentInputs(Vec<String>),
    /// Rejected when the file was loaded (counted by the page's load reports).
    RejectedAtLoad,
}

/// How many rows (or campaigns, creators) a KPI used and how many it left out, by reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainCoverage {
    /// What is counted: "posts rows", "campaigns" or "creators".
    pub unit: String,
    pub used: u64,
    pub excluded: Vec<(ExcludeReason, u64)>,
}

impl ExplainCoverage {
    /// Σ of the excluded counts.
    pub fn excluded_total(&self) -> u64 {
        self.excluded.iter().map(|(_, n)| n).sum()
    }
}

/// One group's share of a KPI: its numerator and denominator, rows and own value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub dimension: Dimension,
    /// The group's key (`""` for rows without one).
    pub key: String,
    pub numerator: f64,
    /// `None` for KPIs without a denominator (totals).
    pub denominator: Option<f64>,
    /// Rows of the group the KPI used.
    pub rows: u64,
    /// The group's own value of the KPI.
    pub value: Option<f64>,
}

/// One posts row as the explain panel lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowLine {
    /// The row's index in the posts table.
    pub row: u32,
    pub post_id: String,
    pub platform: String,
    pub campaign: String,
    pub creator: String,
    pub format: String,
    pub day: Option<Day>,
    /// The row's part of the numerator (`None` when it lacks an input).
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// `/campaigns/<campaign>?post=<id>`, or empty without a campaign or post id.
    pub link: String,
}

/// The rows left out for one reason, with the first few of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExcludedRows {
    pub reason: ExcludeReason,
    pub rows: u64,
    /// The first [`EXCLUDED_SAMPLE`] rows (empty for rows rejected at load, which the
    /// load report lists).
    pub sample: Vec<RowLine>,
}

/// A KPI of one view, taken apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub kpi: KpiId,
    /// The value, as the cards show it.
    pub value: KpiValue,
    /// The formula in symbols (`Σrevenue / Σcost`).
    pub formula: String,
    /// (label, value) of each setting the KPI used, the date range and each filter set.
    pub settings_used: Vec<(String, String)>,
    pub parts: Vec<ExplainPart>,
    pub coverage: ExplainCoverage,
    /// Every group of the four dimensions (capped per dimension).
    pub contributions: Vec<Contribution>,
    /// The used rows that contribute most to the numerator (at most [`TOP_ROWS`]).
    pub top_rows: Vec<RowLine>,
    /// The rows left out, by reason.
    pub excluded: Vec<ExcludedRows>,
}

/// Takes the KPI of `q` apart in the view it names.
pub fn explain(ws: &Workspace, settings: &Settings, q: &ExplainQuery) -> Explanation {
    let results = compute(ws, &q.filter, settings, q.granularity);
    let def = q.kpi.def();
    Explanation {
        kpi: q.kpi,
        value: results.overall.get(q.kpi),
        formula: def.formula.to_owned(),
        settings_used: Vec::new(),
        parts: Vec::new(),
        coverage: ExplainCoverage {
            unit: "posts rows".to_owned(),
            used: 0,
            excluded: Vec::new(),
        },
        contributions: Vec::new(),
        top_rows: Vec::new(),
        excluded: Vec::new(),
    }
}
