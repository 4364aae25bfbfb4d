//! `/campaigns/:id`: the campaign deep dive — objective-driven headline KPIs, trends,
//! creators with ROI, content by format and platform, the funnel and budget pacing.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::charts;
use crate::data::calendar::format_day;
use crate::data::schema::Measure;
use crate::display::questions::{Answer, Question};
use crate::metrics::engine::{Dimension, Results};
use crate::metrics::registry::{kpi, KpiId, Unit};
use crate::metrics::targets::effective_band;
use crate::ui::components::chart::ChartView;
use crate::ui::components::kpi::group_attr;
use crate::ui::components::table::{Cell, DataTable};
use crate::ui::state::use_app;

use super::{
    count_cell, display_name, group_kpi, groups_by, key_label, kpi_cards, money_cell,
    scoped_results, subject_link,
};

/// A trend chart of one KPI over the periods, in display units.
pub fn trend_chart(
    results: &Results,
    id: KpiId,
    settings: &crate::metrics::settings::Settings,
) -> Option<(String, charts::Chart)> {
    let def = kpi(id);
    let scale = if def.unit == Unit::Ratio { 100.0 } else { 1.0 };
    let labels: Vec<String> = results.periods.iter().map(|p| p.label.clone()).collect();
    let values: Vec<Option<f64>> = results
        .periods
        .iter()
        .map(|p| p.kpis.get(id).value().map(|v| v * scale))
        .collect();
    let band = effective_band(def, settings).map(|(lo, hi)| (lo * scale, hi * scale));
    let unit = match def.unit {
        Unit::Ratio => "%",
        Unit::Money => "currency",
        Unit::Multiple => "×",
        Unit::Hours => "h",
        Unit::Count => "count",
        Unit::Score => "0–100",
        Unit::Rating => "1–5",
    };
    let title = format!("{} over time", def.name);
    let chart = charts::trend(
        &title,
        &format!("{} ({unit})", def.name),
        &labels,
        &values,
        band,
    );
    Some((title, chart))
}

/// The post named by `?post=<id>` (an alert's link to a post), picked out on its
/// campaign's page: its facts and counts. `None` when the id is not in the campaign
/// (or while the data worker looks for it).
fn post_panel(campaign: &str, post_id: &str) -> Option<AnyView> {
    let question = Question::Post {
        campaign: campaign.to_owned(),
        post_id: post_id.to_owned(),
    };
    let state = use_app();
    let Some(Answer::Post(Some(row))) = state.ask(&question) else {
        return None;
    };
    let style = state.style.get_untracked();
    let count =
        |m: Measure| row.values[m as usize].map_or_else(|| "—".to_owned(), |v| style.number(v, 0));
    let money =
        |m: Measure| row.values[m as usize].map_or_else(|| "—".to_owned(), |v| style.money(v));
    let disclosure = match row.disclosure {
        Some(true) => "Disclosed",
        Some(false) => "Not disclosed",
        None => "Unknown",
    };
    let facts: Vec<(&str, String)> = vec![
        ("Date", row.date.map_or_else(|| "—".to_owned(), format_day)),
        ("Platform", row.platform.clone()),
        ("Creator", key_label(&row.creator_id)),
        ("Format", key_label(&row.format)),
        ("Ad disclosure", disclosure.to_owned()),
        ("Impressions", count(Measure::Impressions)),
        ("Reach", count(Measure::Reach)),
        ("Likes", count(Measure::Likes)),
        ("Comments", count(Measure::Comments)),
        ("Clicks", count(Measure::Clicks)),
        ("Conversions", count(Measure::Conversions)),
        ("Revenue", money(Measure::Revenue)),
        ("Cost", money(Measure::Cost)),
        ("Caption", row.caption.clone()),
    ];
    let facts = facts
        .into_iter()
        .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
        .collect_view();
    let title = format!("Post {post_id}");
    Some(
        view! {
            <section class="panel post-focus" data-post=post_id.to_owned() aria-labelledby="post-title">
                <h2 id="post-title">{title}</h2>
                <dl class="facts">{facts}</dl>
            </section>
        }
        .into_any(),
    )
}

/// The campaign deep dive.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let state = use_app();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let (results, comparison) = scoped_results(Dimension::Campaign, id);
    let forecast_id = id;
    let audience_id = id;
    let query_map = use_query_map();
    let post = Memo::new(move |_| query_map.with(|m| m.get("post")).unwrap_or_default());
    move || {
        let id = id.get();
        let ws = state.names.get();
        let r = results.get();
        let camp = ws.campaign(&id).cloned();
        if camp.is_none() && r.rows_in_view == 0 {
            return view! {
                <h1>"Campaign not found"</h1>
                <p>{format!("No campaign “{id}” in this dataset and filter. ")}<a href="/campaigns">"All campaigns"</a></p>
            }
            .into_any();
        }
        let name = display_name(&ws, Dimension::Campaign, &id);
        let objective = camp.as_ref().and_then(|c| c.objective);
        let group = Some(group_attr(Dimension::Campaign, &id));
        let defs = ws.headline(&id).iter().map(|&k| kpi(k)).collect();
        let comparison = comparison.get();
        let cards = kpi_cards(defs, &r, comparison.as_deref(), group);
        let settings = state.compute.get();
        let q = state.query.get();
        let trends = [KpiId::EngagementRate, KpiId::Roas, KpiId::Ctr]
            .into_iter()
            .filter_map(|k| trend_chart(&r, k, &settings))
            .map(|(title, c)| view! { <ChartView chart=c title=title/> })
            .collect_view();
        let creator_rows: Vec<Vec<Cell>> = groups_by(&r, Dimension::Creator, Measure::Revenue)
            .into_iter()
            .map(|g| {
                vec![
                    subject_link(&ws, Dimension::Creator, &g.key, &q),
                    money_cell(g.sums.total(Measure::Cost)),
                    money_cell(g.sums.total(Measure::Revenue)),
                    group_kpi(&g, KpiId::Roas),
                    group_kpi(&g, KpiId::EngagementRate),
                    group_kpi(&g, KpiId::ConversionRate),
                ]
            })
            .collect();
        let by = |dim: Dimension| -> Vec<Vec<Cell>> {
            groups_by(&r, dim, Measure::Impressions)
                .into_iter()
                .map(|g| {
                    vec![
                        Cell::Text(key_label(&g.key)),
                        count_cell(g.sums.total(Measure::PostCount)),
                        group_kpi(&g, KpiId::Impressions),
                        group_kpi(&g, KpiId::EngagementRate),
                        group_kpi(&g, KpiId::Ctr),
                        group_kpi(&g, KpiId::Roas),
                    ]
                })
                .collect()
        };
        let format_rows = by(Dimension::Format);
        let platform_rows = by(Dimension::Platform);
        let s = &r.overall_sums;
        let stages = vec![
            ("Impressions".to_owned(), s.get(Measure::Impressions)),
            ("Clicks".to_owned(), s.get(Measure::Clicks)),
            ("Conversions".to_owned(), s.get(Measure::Conversions)),
            ("Revenue".to_owned(), s.get(Measure::Revenue)),
        ];
        let funnel = charts::funnel(
            "Funnel: impressions → clicks → conversions → revenue",
            &stages,
        );
        let spend = s.get(Measure::Cost);
        let budget = camp.as_ref().and_then(|c| c.budget);
        let pacing = kpi_cards(
            vec![KpiId::BudgetPacing.def()],
            &r,
            comparison.as_deref(),
            Some(group_attr(Dimension::Campaign, &id)),
        );
        let budget_text = state.style.with(|st| match budget {
            Some(b) => format!("Spent {} of a {} budget.", st.money(spend), st.money(b)),
            None => format!("Spent {}; no budget given.", st.money(spend)),
        });
        let post_id = post.get();
        let focus = (!post_id.is_empty())
            .then(|| post_panel(&id, &post_id))
            .flatten();
        view! {
            <h1>{name}</h1>
            <p class="subtitle">{format!("Campaign {id} · objective: {}", objective.map_or("not given", |o| o.name()))}</p>
            {focus}
            <section class="panel" aria-labelledby="camp-kpis"><h2 id="camp-kpis">"Objective KPIs"</h2><div class="cards">{cards}</div></section>
            <section class="panel" aria-labelledby="camp-trends"><h2 id="camp-trends">"Trends"</h2><div class="charts">{trends}</div></section>
            <section class="panel" aria-labelledby="camp-creators"><h2 id="camp-creators">"Creators"</h2>
                <DataTable caption="Creators in this campaign (ROI = revenue ÷ cost)" headers=vec!["Creator", "Cost", "Revenue", "ROI (ROAS)", "Engagement rate", "Conversion rate"]
                    rows=Signal::derive(move || creator_rows.clone()) sortable=true/>
            </section>
            <section class="panel" aria-labelledby="camp-content"><h2 id="camp-content">"Content performance"</h2>
                <DataTable caption="By format" headers=vec!["Format", "Posts", "Impressions", "Engagement rate", "CTR", "ROAS"]
                    rows=Signal::derive(move || format_rows.clone()) sortable=true/>
                <DataTable caption="By platform" headers=vec!["Platform", "Posts", "Impressions", "Engagement rate", "CTR", "ROAS"]
                    rows=Signal::derive(move || platform_rows.clone()) sortable=true/>
            </section>
            <section class="panel" aria-labelledby="camp-funnel"><h2 id="camp-funnel">"Funnel"</h2>
                <ChartView chart=funnel title="Funnel: impressions → clicks → conversions → revenue"/>
            </section>
            <section class="panel" aria-labelledby="camp-budget"><h2 id="camp-budget">"Budget pacing"</h2>
                <p>{budget_text}</p>
                <div class="cards">{pacing}</div>
                <super::plan::CampaignForecast campaign=forecast_id/>
            </section>
            <section class="panel" aria-labelledby="camp-audience"><h2 id="camp-audience">"Audience"</h2>
                <crate::ui::components::audience::AudiencePanel scope=crate::ui::components::audience::AudienceScope::Campaign id=audience_id/>
            </section>
        }
        .into_any()
    }
}
