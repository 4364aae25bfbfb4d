//! One module per view, plus small helpers they share.

pub mod alerts;
pub mod campaign;
pub mod campaigns;
pub mod creator;
pub mod creators;
pub mod data;
pub mod glossary;
pub mod not_found;
pub mod plan;
pub mod privacy;
pub mod report;
pub mod settings;
pub mod summary;

use std::sync::Arc;

use leptos::prelude::*;

use crate::data::schema::Measure;
use crate::display::query::ViewQuery;
use crate::display::questions::{Comparison, Names, Question};
use crate::metrics::engine::{Dimension, GroupResult, Results};
use crate::metrics::registry::{KpiDef, KpiId};
use crate::ui::components::kpi::{group_attr, kpi_trend, KpiCard};
use crate::ui::components::table::Cell;
use crate::ui::state::{comparison_of, results_of, use_app};
use crate::ui::{id_path, link};

/// KPI cards for `defs` from `results`, with trends from `comparison` when there is one.
pub fn kpi_cards(
    defs: Vec<&'static KpiDef>,
    results: &Results,
    comparison: Option<&Comparison>,
    group: Option<String>,
) -> impl IntoView {
    defs.into_iter()
        .map(|def| {
            let value = results.overall.get(def.id);
            let coverage = results.overall.coverage(def.id);
            let trend = kpi_trend(def, comparison);
            let site_aov = results.site_aov;
            view! { <KpiCard def=def value=value trend=trend site_aov=site_aov group=group.clone() coverage=coverage/> }
        })
        .collect_view()
}

/// What the summary needs, and any view that names nothing more specific.
pub const NEEDS_POSTS: &str = "Load a posts file (CSV, JSON or XLSX: platform, date, impressions, reach, likes, comments, shares, saves, clicks, conversions, revenue, cost), or an Instagram, Facebook, TikTok, YouTube, X or Shopify export, and optionally campaigns and creators";

/// The empty state: that there is nothing to show `what`, and what the view `needs`
/// (a sentence without its end, followed by where to load it), with a link to the
/// Data page.
#[component]
pub fn EmptyState(
    #[prop(into)] what: String,
    #[prop(optional)] needs: Option<&'static str>,
) -> impl IntoView {
    let needs = needs.unwrap_or(NEEDS_POSTS);
    view! {
        <div class="empty-state">
            <p class="empty-title">{format!("No data to show {what}.")}</p>
            <p class="empty-needs">
                {needs} " on the "
                <a href="/data">"Data page"</a>
                ", or load the demo there."
            </p>
        </div>
    }
}

/// A money number cell.
/// A money number cell; "n/a" when no row has the measure (`None`).
pub fn money_cell(value: impl Into<Option<f64>>) -> Cell {
    let value = value.into();
    let text = match value {
        Some(v) => use_app().style.with_untracked(|s| s.money(v)),
        None => "n/a".into(),
    };
    Cell::Number { value, text }
}

/// A count number cell.
pub fn count_cell(value: impl Into<Option<f64>>) -> Cell {
    let value = value.into();
    let text = match value {
        Some(v) => use_app().style.with_untracked(|s| s.compact(v)),
        None => "n/a".into(),
    };
    Cell::Number { value, text }
}

/// A KPI cell of a group, carrying its `data-group`.
pub fn group_kpi(g: &GroupResult, id: KpiId) -> Cell {
    Cell::kpi(id, &g.kpis, Some(group_attr(g.dimension, &g.key)))
}

/// Groups of a dimension sorted by a measure, largest first (see
/// [`crate::metrics::ranking::by_measure`]).
pub fn groups_by(results: &Results, dim: Dimension, m: Measure) -> Vec<GroupResult> {
    crate::metrics::ranking::by_measure(results, dim, m)
}

/// The label of a group key ("(none)" for rows without one).
pub fn key_label(key: &str) -> String {
    if key.is_empty() {
        "(none)".into()
    } else {
        key.to_owned()
    }
}

/// Display name of a campaign or creator key: its name from the campaigns or creators
/// table, else the key itself.
pub fn display_name(ws: &Names, dimension: Dimension, key: &str) -> String {
    let name = match dimension {
        Dimension::Campaign => ws.campaign_name(key),
        Dimension::Creator => ws.creator_name(key),
        _ => None,
    };
    name.map_or_else(|| key_label(key), str::to_owned)
}

/// A table cell showing a campaign's or creator's name and linking to its page.
pub fn subject_link(ws: &Names, dimension: Dimension, key: &str, q: &ViewQuery) -> Cell {
    let prefix = match dimension {
        Dimension::Creator => "/creators",
        _ => "/campaigns",
    };
    Cell::Link {
        text: display_name(ws, dimension, key),
        href: link(&id_path(prefix, key), q),
    }
}

/// The results and the trend comparison of one campaign's or creator's page: the URL
/// query's filter narrowed to `id`.
pub fn scoped_results(
    dimension: Dimension,
    id: Memo<String>,
) -> (Memo<Arc<Results>>, Memo<Option<Arc<Comparison>>>) {
    let state = use_app();
    let scoped_filter = move |q: &ViewQuery| {
        let mut filter = q.filter();
        match dimension {
            Dimension::Creator => filter.creators = vec![id.get()],
            _ => filter.campaigns = vec![id.get()],
        }
        filter
    };
    let results = state.answer_memo(
        move || {
            state.query.with(|q| Question::Results {
                filter: scoped_filter(q),
                granularity: q.granularity,
            })
        },
        results_of,
    );
    let trend = state.answer_memo(
        move || {
            state.query.with(|q| Question::Comparison {
                filter: scoped_filter(q),
                compare: q.compare,
                granularity: q.granularity,
            })
        },
        comparison_of,
    );
    (results, trend)
}
