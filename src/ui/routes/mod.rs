//! One module per view, plus small helpers they share.

pub mod alerts;
pub mod campaign;
pub mod campaigns;
pub mod creator;
pub mod creators;
pub mod data;
pub mod glossary;
pub mod not_found;
pub mod settings;
pub mod summary;

use leptos::prelude::*;

use crate::data::schema::Measure;
use crate::metrics::engine::{Dimension, GroupResult, KpiSet, Results};
use crate::metrics::registry::KpiDef;
use crate::ui::components::kpi::{group_attr, kpi_trend, KpiCard};
use crate::ui::components::table::Cell;
use crate::ui::state::{use_app, Comparison};

/// KPI cards for `defs`, with trends from `comparison` when there is one.
pub fn kpi_cards(
    defs: Vec<&'static KpiDef>,
    current: &KpiSet,
    comparison: Option<&Comparison>,
    group: Option<String>,
) -> impl IntoView {
    defs.into_iter()
        .map(|def| {
            let value = current.get(def.id);
            let trend = kpi_trend(def, comparison);
            view! { <KpiCard def=def value=value trend=trend group=group.clone()/> }
        })
        .collect_view()
}

/// The empty state: what to upload, with a link to the data view.
#[component]
pub fn EmptyState(#[prop(into)] what: String) -> impl IntoView {
    view! {
        <div class="empty-state">
            <p>{format!("No data to show {what}.")}</p>
            <p>
                "Upload posts (CSV or JSON: platform, date, impressions, reach, likes, comments, shares, saves, clicks, conversions, revenue, cost) and optionally campaigns and creators on the "
                <a href="/data">"Data page"</a>
                ", or load the demo there."
            </p>
        </div>
    }
}

/// A money number cell.
pub fn money_cell(value: f64) -> Cell {
    let text = use_app().style.with_untracked(|s| s.money(value));
    Cell::Number {
        value: Some(value),
        text,
    }
}

/// A count number cell.
pub fn count_cell(value: f64) -> Cell {
    let text = use_app().style.with_untracked(|s| s.compact(value));
    Cell::Number {
        value: Some(value),
        text,
    }
}

/// A KPI cell of a group, carrying its `data-group`.
pub fn group_kpi(g: &GroupResult, id: &str) -> Cell {
    Cell::kpi(id, g.kpis.get(id), Some(group_attr(g.dimension, &g.key)))
}

/// Groups of a dimension sorted by a measure, largest first.
pub fn groups_by(results: &Results, dim: Dimension, m: Measure) -> Vec<GroupResult> {
    let mut gs: Vec<GroupResult> = results.groups_of(dim).cloned().collect();
    gs.sort_by(|a, b| b.sums.get(m).total_cmp(&a.sums.get(m)));
    gs
}

/// The label of a group key ("(none)" for rows without one).
pub fn key_label(key: &str) -> String {
    if key.is_empty() {
        "(none)".into()
    } else {
        key.to_owned()
    }
}
