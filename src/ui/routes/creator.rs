//! `/creators/:id`: one creator's KPIs, history over time, audience and the renewal
//! recommendation.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::data::schema::Measure;
use crate::display::questions::{Answer, Question};
use crate::metrics::engine::Dimension;
use crate::metrics::registry::{kpi, KpiId};
use crate::metrics::renewal::{recommend, RenewalInputs};
use crate::ui::components::chart::ChartView;
use crate::ui::components::kpi::group_attr;
use crate::ui::components::table::{Cell, DataTable};
use crate::ui::state::use_app;

use super::campaign::trend_chart;
use super::{display_name, kpi_cards, money_cell, scoped_results};
use crate::metrics::tiers::{creator_followers, tier};

const CREATOR_KPIS: [KpiId; 6] = [
    KpiId::EngagementRate,
    KpiId::Roas,
    KpiId::ConversionRate,
    KpiId::InfluencerScore,
    KpiId::DeliveryRate,
    KpiId::FtcCompliance,
];

/// The creator page.
#[component]
pub fn CreatorPage() -> impl IntoView {
    let state = use_app();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let (results, comparison) = scoped_results(Dimension::Creator, id);
    let audience_id = id;
    move || {
        let id = id.get();
        let ws = state.names.get();
        let r = results.get();
        let creator = ws.creator(&id).cloned();
        if creator.is_none() && r.rows_in_view == 0 {
            return view! {
                <h1>"Creator not found"</h1>
                <p>{format!("No creator “{id}” in this dataset and filter. ")}<a href="/creators">"All creators"</a></p>
            }
            .into_any();
        }
        let settings = state.compute.get();
        let name = display_name(&ws, Dimension::Creator, &id);
        let comparison = comparison.get();
        let defs = CREATOR_KPIS.iter().map(|&k| kpi(k)).collect();
        let cards = kpi_cards(
            defs,
            &r,
            comparison.as_deref(),
            Some(group_attr(Dimension::Creator, &id)),
        );
        let charts = [KpiId::EngagementRate, KpiId::Roas]
            .into_iter()
            .filter_map(|k| trend_chart(&r, k, &settings))
            .map(|(title, c)| view! { <ChartView chart=c title=title/> })
            .collect_view();
        let history: Vec<Vec<Cell>> = r
            .periods
            .iter()
            .map(|p| {
                vec![
                    Cell::Text(p.label.clone()),
                    Cell::kpi(KpiId::Impressions, &p.kpis, None),
                    Cell::kpi(KpiId::EngagementRate, &p.kpis, None),
                    money_cell(p.sums.total(Measure::Revenue)),
                    Cell::kpi(KpiId::Roas, &p.kpis, None),
                ]
            })
            .collect();
        let followers = creator.as_ref().and_then(creator_followers);
        let style = state.style.get();
        let mut audience: Vec<(&str, String)> = Vec::new();
        if let Some(c) = &creator {
            if let Some(p) = &c.platform {
                audience.push(("Platform", p.clone()));
            }
            if let Some(f) = followers {
                audience.push((
                    "Followers",
                    format!(
                        "{} ({})",
                        style.compact(f),
                        tier(f, &settings.tiers).label()
                    ),
                ));
            }
            if let Some(v) = &c.country {
                audience.push(("Top country", v.clone()));
            }
            if let Some(v) = &c.age_band {
                audience.push(("Age band", v.clone()));
            }
            if let Some(v) = c.female_share {
                audience.push(("Female share", style.percent(v)));
            }
        }
        let audience_view = if audience.is_empty() {
            view! { <p class="notice">"No audience information: add followers, country, age_band or female_share to the creators file."</p> }.into_any()
        } else {
            view! { <dl class="facts">{audience.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl> }.into_any()
        };
        let question = state.query.with(|q| Question::Renewal {
            filter: q.filter(),
            granularity: q.granularity,
            creator: id.clone(),
        });
        let inputs = match state.ask(&question) {
            Some(Answer::Renewal(inputs)) => inputs,
            _ => RenewalInputs::default(),
        }
        .with_windows(comparison.as_deref().map(|c| (&c.current, &c.previous)));
        let advice = recommend(&inputs, &settings);
        let (decision, reason) = (advice.verdict, advice.reason);
        view! {
            <h1>{name}</h1>
            <p class="subtitle">{format!("Creator {id}")}</p>
            <section class="panel renewal" aria-labelledby="renewal-title">
                <h2 id="renewal-title">"Renewal recommendation"</h2>
                <p class=format!("decision decision-{}", decision.name().to_lowercase()) data-renewal=decision.name().to_lowercase()>
                    <strong>{decision.name()}</strong> " — " {reason}
                </p>
            </section>
            <section class="panel" aria-labelledby="creator-kpis"><h2 id="creator-kpis">"Performance"</h2><div class="cards">{cards}</div></section>
            <section class="panel" aria-labelledby="creator-history"><h2 id="creator-history">"History"</h2>
                <div class="charts">{charts}</div>
                <DataTable caption="Performance per period" headers=vec!["Period", "Impressions", "Engagement rate", "Revenue", "ROAS"]
                    rows=Signal::derive(move || history.clone())/>
            </section>
            <section class="panel" aria-labelledby="creator-audience"><h2 id="creator-audience">"Audience"</h2>{audience_view}
                <crate::ui::components::audience::AudiencePanel scope=crate::ui::components::audience::AudienceScope::Creator id=audience_id/>
            </section>
            <crate::ui::components::heatmap::PatternsPanel creator=Signal::stored(id.clone())/>
        }
        .into_any()
    }
}
