//! `/campaigns`: every campaign with objective, spend, budget and its key KPIs.

use leptos::prelude::*;

use crate::data::schema::Measure;
use crate::metrics::engine::Dimension;
use crate::ui::components::table::{Cell, DataTable};
use crate::ui::state::use_app;
use crate::ui::{id_path, link};

use super::{group_kpi, groups_by, key_label, money_cell, EmptyState};

/// The campaigns table.
#[component]
pub fn CampaignsPage() -> impl IntoView {
    let state = use_app();
    let rows = Signal::derive(move || {
        let r = state.results.get();
        let q = state.query.get();
        let ws = state.workspace.get();
        groups_by(&r, Dimension::Campaign, Measure::Cost)
            .into_iter()
            .map(|g| {
                let camp = ws.campaign(&g.key);
                let name = camp
                    .map(|c| c.name.clone())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| key_label(&g.key));
                let objective = camp.and_then(|c| c.objective).map_or("—", |o| o.name());
                vec![
                    Cell::Link {
                        text: name,
                        href: link(&id_path("/campaigns", &g.key), &q),
                    },
                    Cell::Text(objective.into()),
                    money_cell(g.sums.get(Measure::Cost)),
                    camp.and_then(|c| c.budget)
                        .map_or(Cell::Text("—".into()), money_cell),
                    group_kpi(&g, "roas"),
                    group_kpi(&g, "engagement_rate"),
                    group_kpi(&g, "ctr"),
                    group_kpi(&g, "conversion_rate"),
                    group_kpi(&g, "budget_pacing"),
                ]
            })
            .collect::<Vec<_>>()
    });
    let has_data = move || state.workspace.with(|ws| !ws.posts.is_empty());
    view! {
        <h1>"Campaigns"</h1>
        <Show when=has_data fallback=|| view! { <EmptyState what="for campaigns"/> }>
            <DataTable id="campaign-table" caption="Campaigns in view (spend = Σ cost of their posts in view)"
                headers=vec!["Campaign", "Objective", "Spend", "Budget", "ROAS", "Engagement rate", "CTR", "Conversion rate", "Budget pacing"]
                rows=rows sortable=true/>
        </Show>
    }
}
