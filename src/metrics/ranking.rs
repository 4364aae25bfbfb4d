//! Orders of groups the views list: by a measure's sum (campaign and creator tables, top
//! lists) and by a KPI's value (the summary's top campaigns by ROAS). The top and bottom
//! creators of a report use [`Results::ranked`], which drops groups without a value.

use crate::data::schema::Measure;

use super::engine::{Dimension, GroupResult, Results};
use super::registry::KpiId;

/// The groups of `dimension`, largest Σ`measure` first (a group without the measure
/// counts as 0 here, so it sorts last; ties keep the engine's order).
pub fn by_measure(results: &Results, dimension: Dimension, measure: Measure) -> Vec<GroupResult> {
    let mut groups: Vec<GroupResult> = results.groups_of(dimension).cloned().collect();
    groups.sort_by(|a, b| b.sums.get(measure).total_cmp(&a.sums.get(measure)));
    groups
}

/// `groups` reordered by the value of `kpi`, highest first; the groups where it
/// is n/a follow, in the order they came (the sort is stable).
pub fn by_kpi_highest_first(mut groups: Vec<GroupResult>, kpi: KpiId) -> Vec<GroupResult> {
    let value = |g: &GroupResult| g.kpis.get(kpi).value().unwrap_or(f64::MIN);
    groups.sort_by(|a, b| value(b).total_cmp(&value(a)));
    groups
}
