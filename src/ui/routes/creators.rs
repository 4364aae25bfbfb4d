//! `/creators`: the sortable, searchable creator table.

use leptos::prelude::*;

use crate::data::schema::Measure;
use crate::data::store::Creator;
use crate::metrics::engine::Dimension;
use crate::metrics::settings::TierBounds;
use crate::ui::components::table::{Cell, DataTable};
use crate::ui::state::use_app;
use crate::ui::{id_path, link};

use super::{count_cell, group_kpi, groups_by, key_label, money_cell, EmptyState};

/// Follower tier by the settings' bounds (upper bounds exclusive).
pub fn tier(followers: f64, bounds: &TierBounds) -> &'static str {
    if followers < bounds.nano {
        "Nano"
    } else if followers < bounds.micro {
        "Micro"
    } else if followers < bounds.mid {
        "Mid-tier"
    } else if followers < bounds.macro_ {
        "Macro"
    } else {
        "Mega"
    }
}

/// The best follower count known for a creator.
pub fn followers_of(creator: Option<&Creator>) -> Option<f64> {
    let c = creator?;
    c.followers_end.or(c.followers).or(c.followers_start)
}

/// The creators table.
#[component]
pub fn CreatorsPage() -> impl IntoView {
    let state = use_app();
    let search = RwSignal::new(String::new());
    let rows = Signal::derive(move || {
        let r = state.results.get();
        let q = state.query.get();
        let ws = state.workspace.get();
        let tiers = state.settings.with(|s| s.tiers);
        let needle = search.get().trim().to_lowercase();
        groups_by(&r, Dimension::Creator, Measure::Revenue)
            .into_iter()
            .filter_map(|g| {
                let c = ws.creator(&g.key);
                let name = c
                    .map(|c| c.name.clone())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| key_label(&g.key));
                let haystack = format!(
                    "{name} {} {}",
                    g.key,
                    c.and_then(|c| c.platform.clone()).unwrap_or_default()
                )
                .to_lowercase();
                if !needle.is_empty() && !haystack.contains(&needle) {
                    return None;
                }
                let followers = followers_of(c);
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
                    Cell::Text(followers.map_or("—", |f| tier(f, &tiers)).into()),
                    followers.map_or(Cell::Text("—".into()), count_cell),
                    group_kpi(&g, "engagement_rate"),
                    count_cell(g.sums.get(Measure::Conversions)),
                    money_cell(g.sums.get(Measure::Revenue)),
                    group_kpi(&g, "roas"),
                    group_kpi(&g, "influencer_score"),
                    group_kpi(&g, "delivery_rate"),
                    group_kpi(&g, "ftc_compliance"),
                    Cell::Text(contract.into()),
                ])
            })
            .collect::<Vec<_>>()
    });
    let has_data = move || state.workspace.with(|ws| !ws.posts.is_empty());
    view! {
        <h1>"Creators"</h1>
        <Show when=has_data fallback=|| view! { <EmptyState what="for creators"/> }>
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
