//! `/` Executive Summary: headline KPI cards (ROAS, engagement rate, brand sentiment),
//! every other KPI by group, campaign overview (budget vs actual), top creators and
//! campaigns, and the alert summary.

use leptos::prelude::*;

use crate::charts;
use crate::data::schema::Measure;
use crate::display::questions::Names;
use crate::metrics::engine::{Dimension, GroupResult, Results};
use crate::metrics::objective::SUMMARY_HEADLINE as HEADLINE;
use crate::metrics::ranking::by_kpi_highest_first;
use crate::metrics::registry::{kpi, registry, KpiGroup, KpiId, PLATFORM_ENGAGEMENT};
use crate::metrics::targets::{chart_floor, platform_target, target_band};
use crate::ui::browser::mark;
use crate::ui::components::alerts::AlertSummary;
use crate::ui::components::chart::ChartView;
use crate::ui::components::kpi::LiveKpiCard;
use crate::ui::components::table::{Cell, DataTable};
use crate::ui::state::use_app;
use crate::ui::{id_path, link};

use super::campaign::trend_chart;
use super::{display_name, group_kpi, groups_by, key_label, money_cell, subject_link, EmptyState};

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
            <HeroChart/>
            <AlertSummary/>
            <GroupSections/>
            <CampaignOverview/>
            <TopLists/>
            <crate::ui::components::heatmap::PatternsPanel/>
            <section class="panel" aria-labelledby="summary-audience"><h2 id="summary-audience">"Audience"</h2>
                <crate::ui::components::audience::AudiencePanel scope=crate::ui::components::audience::AudienceScope::Selection/>
            </section>
        </Show>
    }
}

/// The headline cards: built once, each card following the answers (see
/// [`LiveKpiCard`]); only the compare window's line and the undated notice are redrawn.
#[component]
fn Headline() -> impl IntoView {
    let state = use_app();
    let (results, comparison) = (state.results, state.comparison);
    let denominator = Signal::derive(move || {
        let measure = state.compute.with(|s| s.er_denominator.measure().1);
        format!("Denominator: {measure}")
    });
    let cards = HEADLINE
        .iter()
        .map(|&id| {
            let def = kpi(id);
            let note = (id == KpiId::EngagementRate).then_some(denominator);
            view! { <LiveKpiCard def=def results=results comparison=comparison note=note/> }
        })
        .collect_view();
    let window = Memo::new(move |_| comparison.with(|c| c.as_ref().map(|c| c.label())));
    let undated = Memo::new(move |_| results.with(|r| r.undated_rows_in_view));
    view! {
        <section class="panel" aria-labelledby="headline-title">
            <h2 id="headline-title">"Headline KPIs"</h2>
            {move || window.get().map(|label| view! {
                <p class="compare-window">{format!("Trends compare {label}.")}</p>
            })}
            <div class="cards headline">{cards}</div>
            {move || {
                let undated = undated.get();
                (undated > 0).then(|| view! {
                    <p class="notice">{format!("{undated} rows have no date: they count in totals but not in trends or date ranges.")}</p>
                })
            }}
        </section>
    }
}

/// The hero chart, full width under the headline cards: ROAS (the spec's first headline
/// KPI) over the periods in view with its target band, or the engagement rate when no
/// period has a ROAS (an organic export with no cost or revenue).
#[component]
fn HeroChart() -> impl IntoView {
    let state = use_app();
    let chart = move || {
        let results = state.results.get();
        let has_roas = results
            .periods
            .iter()
            .any(|p| p.kpis.get(KpiId::Roas).value().is_some());
        let id = if has_roas {
            KpiId::Roas
        } else {
            KpiId::EngagementRate
        };
        state
            .compute
            .with(|s| trend_chart(&results, id, s))
            .map(|(title, chart)| view! { <ChartView chart=chart title=title/> })
    };
    view! {
        <section class="panel hero" aria-labelledby="hero-title">
            <h2 id="hero-title">"The trend at a glance"</h2>
            {chart}
        </section>
    }
}

/// Every other KPI by group: the sections and cards are built once (the registry's
/// KPIs are fixed), each card following the answers.
#[component]
fn GroupSections() -> impl IntoView {
    let state = use_app();
    let (results, comparison) = (state.results, state.comparison);
    KpiGroup::ALL
        .into_iter()
        .map(|group| {
            let cards = registry()
                .iter()
                .filter(|d| d.group == group && !HEADLINE.contains(&d.id))
                .map(|def| view! { <LiveKpiCard def=def results=results comparison=comparison/> })
                .collect_view();
            let title_id = format!("group-{group:?}").to_lowercase();
            let label_id = title_id.clone();
            view! {
                <section class="panel" aria-labelledby=label_id>
                    <h2 id=title_id>{group.name()}</h2>
                    <div class="cards">{cards}</div>
                </section>
            }
        })
        .collect_view()
}

/// A campaign of the overview: its id, name, budget, actual spend and group.
type CampaignRow = (String, String, Option<f64>, Option<f64>, GroupResult);

/// The campaigns of the overview, by spend.
fn campaign_rows(r: &Results, ws: &Names) -> Vec<CampaignRow> {
    groups_by(r, Dimension::Campaign, Measure::Cost)
        .into_iter()
        .map(|g| {
            let name = display_name(ws, Dimension::Campaign, &g.key);
            let budget = ws.campaign(&g.key).and_then(|c| c.budget);
            (g.key.clone(), name, budget, g.sums.total(Measure::Cost), g)
        })
        .collect()
}

/// Budget vs actual, engagement by platform and creators' cost vs revenue: the section
/// is built once; the charts are redrawn and the tables' rows patched when the answer
/// changes.
#[component]
fn CampaignOverview() -> impl IntoView {
    let state = use_app();
    let charts = move || {
        let r = state.results.get();
        let ws = state.names.get();
        let rows = campaign_rows(&r, &ws);
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
            <div class="charts">
                    <ChartView chart=chart title="Budget vs actual spend"/>
                    <ChartView chart=platform_chart title="Engagement rate by platform"/>
                    <ChartView chart=scatter title="Creators: cost vs revenue"/>
            </div>
        }
    };
    let table_rows = Memo::new(move |_| {
        state.style.track();
        let r = state.results.get();
        let q = state.query.get();
        let ws = state.names.get();
        campaign_rows(&r, &ws)
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
            .collect::<Vec<Vec<Cell>>>()
    });
    let platform_table = Memo::new(move |_| {
        let r = state.results.get();
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
            .collect::<Vec<Vec<Cell>>>()
    });
    view! {
        <section class="panel" aria-labelledby="overview-title">
            <h2 id="overview-title">"Campaign overview"</h2>
            {charts}
            <DataTable caption="Engagement rate by platform, against each platform's target"
                headers=vec!["Platform", "Engagement rate", "Platform target", "Impressions", "CTR", "ROAS"]
                rows=platform_table sortable=true/>
            <DataTable caption="Budget vs actual by campaign (actual = Σ cost of the campaign's posts in view)"
                headers=vec!["Campaign", "Budget", "Actual spend", "Pacing", "ROAS"]
                rows=table_rows sortable=true/>
        </section>
    }
}

/// How many groups a top or bottom list shows.
const LIST_LENGTH: usize = 5;

/// The keys of the groups a top list shows, which its bottom list leaves out (with few
/// creators or campaigns the two lists would otherwise repeat the same rows).
fn listed_keys(rows: &[GroupResult]) -> Vec<String> {
    rows.iter().map(|g| g.key.clone()).collect()
}

/// The lowest-ROAS groups of `dimension`, worst first, leaving out those in `shown`
/// (groups whose ROAS is n/a are in neither list).
fn lowest_roas(r: &Results, dimension: Dimension, shown: &[String]) -> Vec<GroupResult> {
    r.ranked(dimension, KpiId::Roas)
        .into_iter()
        .rev()
        .filter(|(g, _)| !shown.contains(&g.key))
        .take(LIST_LENGTH)
        .map(|(g, _)| g.clone())
        .collect()
}

/// Top creators by revenue and campaigns by ROAS, beside the lowest-ROAS creators and
/// campaigns: built once, the rows patched.
#[component]
fn TopLists() -> impl IntoView {
    let state = use_app();
    // The top lists, ranked once: their tables show them, the bottom lists leave them out.
    let top_creators = Memo::new(move |_| top_creators(&state.results.get()));
    let top_campaigns = Memo::new(move |_| top_campaigns(&state.results.get()));
    let creators = Memo::new(move |_| {
        state.style.track();
        let q = state.query.get();
        let ws = state.names.get();
        top_creators
            .get()
            .into_iter()
            .map(|g| {
                vec![
                    subject_link(&ws, Dimension::Creator, &g.key, &q),
                    money_cell(g.sums.total(Measure::Revenue)),
                    group_kpi(&g, KpiId::Roas),
                    group_kpi(&g, KpiId::EngagementRate),
                ]
            })
            .collect::<Vec<Vec<Cell>>>()
    });
    let campaigns = Memo::new(move |_| {
        state.style.track();
        let q = state.query.get();
        let ws = state.names.get();
        top_campaigns
            .get()
            .into_iter()
            .map(|g| {
                vec![
                    subject_link(&ws, Dimension::Campaign, &g.key, &q),
                    group_kpi(&g, KpiId::Roas),
                    money_cell(g.sums.total(Measure::Revenue)),
                    group_kpi(&g, KpiId::ConversionRate),
                ]
            })
            .collect::<Vec<Vec<Cell>>>()
    });
    let bottom = move |dimension: Dimension| {
        Memo::new(move |_| {
            state.style.track();
            let r = state.results.get();
            let q = state.query.get();
            let ws = state.names.get();
            let top = match dimension {
                Dimension::Creator => top_creators,
                _ => top_campaigns,
            };
            lowest_roas(&r, dimension, &top.with(|t| listed_keys(t)))
                .into_iter()
                .map(|g| {
                    vec![
                        subject_link(&ws, dimension, &g.key, &q),
                        group_kpi(&g, KpiId::Roas),
                        money_cell(g.sums.total(Measure::Cost)),
                        money_cell(g.sums.total(Measure::Revenue)),
                    ]
                })
                .collect::<Vec<Vec<Cell>>>()
        })
    };
    let (bottom_creators, bottom_campaigns) =
        (bottom(Dimension::Creator), bottom(Dimension::Campaign));
    view! {
        <section class="panel two-col" aria-labelledby="top-title">
            <h2 id="top-title">"Top performers"</h2>
            <DataTable caption="Top creators by revenue" headers=vec!["Creator", "Revenue", "ROAS", "Engagement rate"]
                rows=creators/>
            <DataTable caption="Top campaigns by ROAS" headers=vec!["Campaign", "ROAS", "Revenue", "Conversion rate"]
                rows=campaigns/>
        </section>
        <section class="panel two-col" aria-labelledby="bottom-title">
            <h2 id="bottom-title">"Bottom performers"</h2>
            <DataTable caption="Creators with the lowest ROAS (not in the top list)" headers=vec!["Creator", "ROAS", "Spend", "Revenue"]
                rows=bottom_creators
                empty_text="Every creator with a ROAS is in the top list."/>
            <DataTable caption="Campaigns with the lowest ROAS (not in the top list)" headers=vec!["Campaign", "ROAS", "Spend", "Revenue"]
                rows=bottom_campaigns
                empty_text="Every campaign with a ROAS is in the top list."/>
        </section>
    }
}

/// The top creators: the most revenue first.
fn top_creators(r: &Results) -> Vec<GroupResult> {
    let mut groups = groups_by(r, Dimension::Creator, Measure::Revenue);
    groups.truncate(LIST_LENGTH);
    groups
}

/// The top campaigns: the highest ROAS first.
fn top_campaigns(r: &Results) -> Vec<GroupResult> {
    let groups = groups_by(r, Dimension::Campaign, Measure::Revenue);
    let mut groups = by_kpi_highest_first(groups, KpiId::Roas);
    groups.truncate(LIST_LENGTH);
    groups
}
