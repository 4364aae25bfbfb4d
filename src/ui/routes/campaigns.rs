//! `/campaigns`: every campaign with objective, spend, budget and its key KPIs.

use leptos::prelude::*;

use crate::data::schema::Measure;
use crate::metrics::engine::Dimension;
use crate::metrics::registry::KpiId;
use crate::ui::components::table::{Cell, DataTable};
use crate::ui::state::use_app;

use super::{group_kpi, groups_by, money_cell, subject_link, EmptyState};

/// What the campaigns view needs.
const NEEDS_CAMPAIGNS: &str = "Load a campaigns or posts file with a campaign column (campaign_id; a campaigns file adds name, objective and budget)";

/// The campaigns table.
#[component]
pub fn CampaignsPage() -> impl IntoView {
    let state = use_app();
    let rows = Signal::derive(move || {
        let r = state.results.get();
        let q = state.query.get();
        let ws = state.names.get();
        groups_by(&r, Dimension::Campaign, Measure::Cost)
            .into_iter()
            .map(|g| {
                let camp = ws.campaign(&g.key);
                let objective = camp.and_then(|c| c.objective).map_or("—", |o| o.name());
                vec![
                    subject_link(&ws, Dimension::Campaign, &g.key, &q),
                    Cell::Text(objective.into()),
                    money_cell(g.sums.total(Measure::Cost)),
                    camp.and_then(|c| c.budget)
                        .map_or(Cell::Text("—".into()), money_cell),
                    group_kpi(&g, KpiId::Roas),
                    group_kpi(&g, KpiId::EngagementRate),
                    group_kpi(&g, KpiId::Ctr),
                    group_kpi(&g, KpiId::ConversionRate),
                    group_kpi(&g, KpiId::BudgetPacing),
                ]
            })
            .collect::<Vec<_>>()
    });
    let has_data = move || state.outline.with(|o| o.posts > 0);
    view! {
        <h1>"Campaigns"</h1>
        <Show when=has_data fallback=|| view! { <EmptyState what="for campaigns" needs=NEEDS_CAMPAIGNS/> }>
            <DataTable id="campaign-table" caption="Campaigns in view (spend = Σ cost of their posts in view)"
                headers=vec!["Campaign", "Objective", "Spend", "Budget", "ROAS", "Engagement rate", "CTR", "Conversion rate", "Budget pacing"]
                rows=rows sortable=true/>
        </Show>
    }
}
