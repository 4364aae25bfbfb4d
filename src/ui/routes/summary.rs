//! `/` Executive Summary: headline KPI cards (ROAS, engagement rate, brand sentiment),
//! every other KPI by group, campaign overview (budget vs actual), top creators and
//! campaigns, and the alert summary.

use leptos::prelude::*;

use crate::charts;
use crate::data::schema::Measure;
use crate::metrics::engine::Dimension;
use crate::metrics::objective::SUMMARY_HEADLINE as HEADLINE;
use crate::metrics::ranking::by_kpi_highest_first;
use crate::metrics::registry::{kpi, registry, KpiGroup, KpiId, PLATFORM_ENGAGEMENT};
use crate::metrics::targets::{chart_floor, platform_target, target_band};
use crate::ui::browser::mark;
use crate::ui::components::alerts::AlertSummary;
use crate::ui::components::chart::ChartView;
use crate::ui::components::kpi::{kpi_trend, KpiCard};
use crate::ui::components::table::{Cell, DataTable};
use crate::ui::state::use_app;
use crate::ui::{id_path, link};

use super::{
    display_name, group_kpi, groups_by, key_label, kpi_cards, money_cell, subject_link, EmptyState,
};

/// The Executive Summary view.
#[component]
pub fn SummaryPage() -> impl IntoView {
    let state = use_app();
    Effect::new(move |_| {
        state.results.track();
        state.load_version.track();
        mark("kpis-rendered");
    });
    let is_empty = move || state.outline.with(|o| o.is_empty());
    view! {
        <h1>"Executive Summary"</h1>
        <Show when=move || !is_empty() fallback=|| view! { <EmptyState what="yet"/> }>
            <Headline/>
            <AlertSummary/>
            <GroupSections/>
            <CampaignOverview/>
            <TopLists/>
        </Show>
    }
}

#[component]
fn Headline() -> impl IntoView {
    let state = use_app();
    move || {
        let r = state.results.get();
        let comparison = state.comparison.get();
        let denominator = state.compute.with(|s| s.er_denominator.measure().1);
        let undated = r.undated_rows_in_view;
        let cards = HEADLINE
            .iter()
            .map(|&id| kpi(id))
            .map(|def| {
                let note =
                    (def.id == KpiId::EngagementRate).then(|| format!("Denominator: {denominator}"));
                let value = r.overall.get(def.id);
                let coverage = r.overall.coverage(def.id);
                let trend = kpi_trend(def, comparison.as_deref());
                view! { <KpiCard def=def value=value trend=trend site_aov=r.site_aov note=note coverage=coverage/> }
            })
            .collect_view();
        view! {
            <section class="panel" aria-labelledby="headline-title">
                <h2 id="headline-title">"Headline KPIs"</h2>
                {comparison.as_ref().map(|c| view! {
                    <p class="compare-window">{format!("Trends compare {}.", c.label())}</p>
                })}
                <div class="cards headline">{cards}</div>
                {(undated > 0).then(|| view! {
                    <p class="notice">{format!("{undated} rows have no date: they count in totals but not in trends or date ranges.")}</p>
                })}
            </section>
        }
    }
}

#[component]
fn GroupSections() -> impl IntoView {
    let state = use_app();
    move || {
        let r = state.results.get();
        let comparison = state.comparison.get();
        KpiGroup::ALL
            .into_iter()
            .map(|group| {
                let defs: Vec<_> = registry()
                    .iter()
                    .filter(|d| d.group == group && !HEADLINE.contains(&d.id))
                    .collect();
                let title_id = format!("group-{group:?}").to_lowercase();
                let label_id = title_id.clone();
                view! {
                    <section class="panel" aria-labelledby=label_id>
                        <h2 id=title_id>{group.name()}</h2>
                        <div class="cards">{kpi_cards(defs, &r, comparison.as_deref(), None)}</div>
                    </section>
                }
            })
            .collect_view()
    }
}

#[component]
fn CampaignOverview() -> impl IntoView {
    let state = use_app();
    move || {
        let r = state.results.get();
        let q = state.query.get();
        let ws = state.names.get();
        let rows: Vec<(String, String, Option<f64>, Option<f64>, _)> =
            groups_by(&r, Dimension::Campaign, Measure::Cost)
                .into_iter()
                .map(|g| {
                    let name = display_name(&ws, Dimension::Campaign, &g.key);
                    let budget = ws.campaign(&g.key).and_then(|c| c.budget);
                    (g.key.clone(), name, budget, g.sums.total(Measure::Cost), g)
                })
                .collect();
        // Spend that no post reports is absent (NaN: "n/a" in the chart's table), not 0.
        let chart_rows: Vec<(String, f64, f64)> = rows
            .iter()
            .filter_map(|(_, name, budget, actual, _)| {
                budget.map(|b| (name.clone(), b, actual.unwrap_or(f64::NAN)))
            })
            .collect();
        let symbol = state.style.with(|s| s.currency_symbol.clone());
        let chart = charts::budget(
            "Budget vs actual spend",
            &format!("Spend ({symbol})"),
            &chart_rows,
        );
        let table_rows: Vec<Vec<Cell>> = rows
            .into_iter()
            .map(|(id, name, budget, actual, g)| {
                vec![
                    Cell::Link {
                        text: name,
                        href: link(&id_path("/campaigns", &id), &q),
                    },
                    budget.map_or(Cell::Text("—".into()), money_cell),
                    money_cell(actual),
                    group_kpi(&g, KpiId::BudgetPacing),
                    group_kpi(&g, KpiId::Roas),
                ]
            })
            .collect();
        // No floor (NaN) draws no break-even line.
        let roas_target = state
            .compute
            .with(|s| chart_floor(kpi(KpiId::Roas), s))
            .unwrap_or(f64::NAN);
        let platform_rows: Vec<_> = PLATFORM_ENGAGEMENT
            .iter()
            .filter_map(|(platform, _)| {
                let g = r.group(Dimension::Platform, platform)?;
                let band = state
                    .compute
                    .with(|s| platform_target(platform, s))
                    .and_then(|(_, t)| target_band(t))
                    .map(|(lo, hi)| (lo * 100.0, hi * 100.0));
                Some((
                    platform.to_string(),
                    g.kpis.get(KpiId::EngagementRate).value().map(|v| v * 100.0),
                    band,
                ))
            })
            .collect();
        let platform_table: Vec<Vec<Cell>> =
            groups_by(&r, Dimension::Platform, Measure::Impressions)
                .into_iter()
                .map(|g| {
                    let target = state
                        .compute
                        .with(|s| platform_target(&g.key, s))
                        .map(|(def, t)| state.style.with(|st| st.target(&t, def.unit)));
                    vec![
                        Cell::Text(key_label(&g.key)),
                        group_kpi(&g, KpiId::EngagementRate),
                        Cell::Text(target.unwrap_or_else(|| "—".into())),
                        group_kpi(&g, KpiId::Impressions),
                        group_kpi(&g, KpiId::Ctr),
                        group_kpi(&g, KpiId::Roas),
                    ]
                })
                .collect();
        let platform_chart = charts::by_platform(
            "Engagement rate by platform",
            "Engagement rate (%)",
            &platform_rows,
        );
        // Creators whose rows report both cost and revenue (an absent one is no 0).
        let scatter_points: Vec<(String, f64, f64)> = r
            .groups_of(Dimension::Creator)
            .filter_map(|g| {
                Some((
                    key_label(&g.key),
                    g.sums.total(Measure::Cost)?,
                    g.sums.total(Measure::Revenue)?,
                ))
            })
            .collect();
        let scatter = charts::scatter(
            "Creators: cost vs revenue",
            &format!("Cost ({symbol})"),
            &format!("Revenue ({symbol})"),
            &scatter_points,
            roas_target,
        );
        view! {
            <section class="panel" aria-labelledby="overview-title">
                <h2 id="overview-title">"Campaign overview"</h2>
                <div class="charts">
                    <ChartView chart=chart title="Budget vs actual spend"/>
                    <ChartView chart=platform_chart title="Engagement rate by platform"/>
                    <ChartView chart=scatter title="Creators: cost vs revenue"/>
                </div>
                <DataTable caption="Engagement rate by platform, against each platform's target"
                    headers=vec!["Platform", "Engagement rate", "Platform target", "Impressions", "CTR", "ROAS"]
                    rows=Signal::derive(move || platform_table.clone()) sortable=true/>
                <DataTable caption="Budget vs actual by campaign (actual = Σ cost of the campaign's posts in view)"
                    headers=vec!["Campaign", "Budget", "Actual spend", "Pacing", "ROAS"]
                    rows=Signal::derive(move || table_rows.clone()) sortable=true/>
            </section>
        }
    }
}

#[component]
fn TopLists() -> impl IntoView {
    let state = use_app();
    move || {
        let r = state.results.get();
        let q = state.query.get();
        let ws = state.names.get();
        let creators: Vec<Vec<Cell>> = groups_by(&r, Dimension::Creator, Measure::Revenue)
            .into_iter()
            .take(5)
            .map(|g| {
                vec![
                    subject_link(&ws, Dimension::Creator, &g.key, &q),
                    money_cell(g.sums.total(Measure::Revenue)),
                    group_kpi(&g, KpiId::Roas),
                    group_kpi(&g, KpiId::EngagementRate),
                ]
            })
            .collect();
        let campaigns = by_kpi_highest_first(
            groups_by(&r, Dimension::Campaign, Measure::Revenue),
            KpiId::Roas,
        );
        let campaigns: Vec<Vec<Cell>> = campaigns
            .into_iter()
            .take(5)
            .map(|g| {
                vec![
                    subject_link(&ws, Dimension::Campaign, &g.key, &q),
                    group_kpi(&g, KpiId::Roas),
                    money_cell(g.sums.total(Measure::Revenue)),
                    group_kpi(&g, KpiId::ConversionRate),
                ]
            })
            .collect();
        view! {
            <section class="panel two-col" aria-labelledby="top-title">
                <h2 id="top-title">"Top performers"</h2>
                <DataTable caption="Top creators by revenue" headers=vec!["Creator", "Revenue", "ROAS", "Engagement rate"]
                    rows=Signal::derive(move || creators.clone())/>
                <DataTable caption="Top campaigns by ROAS" headers=vec!["Campaign", "ROAS", "Revenue", "Conversion rate"]
                    rows=Signal::derive(move || campaigns.clone())/>
            </section>
        }
    }
}
