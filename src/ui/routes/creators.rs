//! `/creators`: the sortable, searchable creator table.

use leptos::prelude::*;

use crate::data::schema::Measure;
use crate::metrics::engine::Dimension;
use crate::metrics::registry::KpiId;
use crate::metrics::tiers::{creator_followers, tier};
use crate::ui::components::table::{Cell, DataTable};
use crate::ui::state::use_app;
use crate::ui::{id_path, link};

use super::{count_cell, display_name, group_kpi, groups_by, money_cell, EmptyState};

/// What the creators view needs.
const NEEDS_CREATORS: &str = "Load a posts file with a creator column (creator_id; a creators file adds name, platform, followers and contract terms)";

/// The creators table.
#[component]
pub fn CreatorsPage() -> impl IntoView {
    let state = use_app();
    let search = RwSignal::new(String::new());
    let rows = Signal::derive(move || {
        let r = state.results.get();
        let q = state.query.get();
        let ws = state.names.get();
        let tiers = state.compute.with(|s| s.tiers);
        let needle = search.get().trim().to_lowercase();
        groups_by(&r, Dimension::Creator, Measure::Revenue)
            .into_iter()
            .filter_map(|g| {
                let c = ws.creator(&g.key);
                let name = display_name(&ws, Dimension::Creator, &g.key);
                let haystack = format!(
                    "{name} {} {}",
                    g.key,
                    c.and_then(|c| c.platform.clone()).unwrap_or_default()
                )
                .to_lowercase();
                if !needle.is_empty() && !haystack.contains(&needle) {
                    return None;
                }
                let followers = c.and_then(creator_followers);
                let contract = match c.and_then(|c| c.contract_terms_met) {
                    Some(true) => "Met",
                    Some(false) => "Breached",
                    None => "—",
                };
                Some(vec![
                    Cell::Link {
                        text: name,
                        href: link(&id_path("/creators", &g.key), &q),
                    },
                    Cell::Text(
                        c.and_then(|c| c.platform.clone())
                            .unwrap_or_else(|| "—".into()),
                    ),
                    Cell::Text(followers.map_or("—", |f| tier(f, &tiers).label()).into()),
                    followers.map_or(Cell::Text("—".into()), count_cell),
                    group_kpi(&g, KpiId::EngagementRate),
                    count_cell(g.sums.total(Measure::Conversions)),
                    money_cell(g.sums.total(Measure::Revenue)),
                    group_kpi(&g, KpiId::Roas),
                    group_kpi(&g, KpiId::InfluencerScore),
                    group_kpi(&g, KpiId::DeliveryRate),
                    group_kpi(&g, KpiId::FtcCompliance),
                    Cell::Text(contract.into()),
                ])
            })
            .collect::<Vec<_>>()
    });
    let has_data = move || state.outline.with(|o| o.posts > 0);
    view! {
        <h1>"Creators"</h1>
        <Show when=has_data fallback=|| view! { <EmptyState what="for creators" needs=NEEDS_CREATORS/> }>
            <div class="filter search">
                <label for="creator-search">"Search creators"</label>
                <input id="creator-search" type="search" placeholder="Name, id or platform"
                    prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))/>
            </div>
            <DataTable id="creator-table" caption="Creators in view (click a header to sort)"
                headers=vec!["Creator", "Platform", "Tier", "Followers", "Engagement rate", "Conversions", "Revenue", "ROAS", "Score", "Delivery rate", "FTC compliance", "Contract"]
                rows=rows sortable=true empty_text="No creator matches."/>
        </Show>
    }
}
