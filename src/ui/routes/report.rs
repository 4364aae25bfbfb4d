//! `/reports?cadence=daily|weekly|monthly|quarterly`: the print-ready cadence report
//! (key KPIs against the previous period, the period's alerts, top and bottom creators)
//! and its plain-text summary with a copy button. The report's period replaces the
//! filter bar's dates; the other filters apply.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::display::drivers::signed;
use crate::display::format::raw_number;
use crate::display::questions::{Answer, Question};
use crate::display::report::{
    plain_text, Cadence, CadenceReport, RankedCreator, ReportDrivers, ReportPeriod,
};
use crate::display::status::tone;
use crate::metrics::engine::{Dimension, Filter};
use crate::metrics::registry::{kpi, KpiId};
use crate::ui::components::alerts::rule_name;
use crate::ui::components::export::export_context;
use crate::ui::components::kpi::{group_attr, KpiValueView};
use crate::ui::state::use_app;
use crate::ui::{id_path, link};

use super::EmptyState;

/// What a report needs.
const NEEDS_DATES: &str = "Load a posts file with a date column (a report goes period by period)";

/// The reports view.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let state = use_app();
    let query_map = use_query_map();
    let cadence = Memo::new(move |_| {
        query_map
            .with(|m| m.get("cadence"))
            .and_then(|c| Cadence::from_name(&c))
            .unwrap_or(Cadence::Weekly)
    });
    let report = state.answer_memo(
        move || Question::Report {
            filter: Filter {
                from: None,
                to: None,
                ..state.query.with(|q| q.filter())
            },
            cadence: cadence.get(),
        },
        |answer| match answer {
            Answer::Report(report) => Some(report),
            _ => None,
        },
    );
    let tabs = Cadence::ALL
        .into_iter()
        .map(|c| {
            let href = move || {
                let q = state.query.get();
                let qs = q.to_query_string();
                let sep = if qs.is_empty() { "" } else { "&" };
                format!("/reports?cadence={}{sep}{qs}", c.name())
            };
            let current = move || (cadence.get() == c).then_some("page");
            view! { <li><a href=href data-cadence=c.name() aria-current=current>{c.label()}</a></li> }
        })
        .collect_view();
    view! {
        <h1>{move || format!("{} report", cadence.get().label())}</h1>
        <nav aria-label="Report cadence" class="cadence-tabs"><ul>{tabs}</ul></nav>
        {move || match report.get() {
            None => view! { <EmptyState what="in a report: the data has no dates" needs=NEEDS_DATES/> }.into_any(),
            Some(r) => view! { <ReportBody report=r/> }.into_any(),
        }}
    }
}

#[component]
fn ReportBody(report: std::sync::Arc<CadenceReport>) -> impl IntoView {
    let state = use_app();
    let q = state.query.get_untracked();
    let style = state.style.get_untracked();
    let context = export_context(&state).with_date_range(format!(
        "{} (compared with {})",
        ReportPeriod::label(report.period.current),
        ReportPeriod::label(report.period.previous)
    ));
    let text = plain_text(&report, &style, &context.lines());
    let copied = RwSignal::new(false);
    let copy_text = text.clone();
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&copy_text);
        }
        copied.set(true);
    };
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let kpi_rows = report
        .kpis
        .iter()
        .map(|k| {
            let previous = style.kpi(&k.previous, k.def.unit);
            let change = style.change(k.trend.change);
            let tone = tone(k.trend.good);
            let flag = k
                .variation
                .filter(|_| k.trend.change.is_some())
                .map(|v| crate::ui::components::kpi::variation_flag(&v));
            view! {
                <tr>
                    <th scope="row">{k.def.name}</th>
                    <td><KpiValueView def=k.def value=k.current.clone() coverage=k.coverage/></td>
                    <td>{previous}</td>
                    <td class=tone data-trend=crate::display::format::raw_number(k.trend.change)>{change}{flag}</td>
                </tr>
            }
        })
        .collect_view();
    let alerts = report
        .alerts
        .iter()
        .map(|a| {
            let severity = format!("{:?}", a.severity).to_lowercase();
            let rule = rule_name(a.rule);
            let class = format!("severity-{severity}");
            view! {
                <li data-alert-rule=rule class=class>
                    <strong>{severity}</strong>": "
                    <a href=link(&a.link, &q)>{crate::display::alerts::message(a, &style)}</a>
                </li>
            }
        })
        .collect_view();
    let no_alerts = report.alerts.is_empty();
    let settings = context
        .entries
        .iter()
        .map(|(k, v)| view! { <dt>{*k}</dt><dd>{v.clone()}</dd> })
        .collect_view();
    view! {
        // The explain panel explains a value here over the report's period.
        <article class="report" data-cadence=report.cadence.name()
            data-explain-from=crate::data::calendar::format_day(report.period.current.0)
            data-explain-to=crate::data::calendar::format_day(report.period.current.1)>
            <p id="report-period" class="report-period">
                {format!("{} compared with {}", ReportPeriod::label(report.period.current), ReportPeriod::label(report.period.previous))}
            </p>
            <div class="actions">
                <button id="print-report" type="button" on:click=print>"Print or save as PDF"</button>
                <button id="copy-report" type="button" on:click=copy>"Copy text summary"</button>
                <span role="status">{move || copied.get().then_some("Summary copied.")}</span>
            </div>
            <section class="panel" aria-labelledby="report-kpis-title">
                <h2 id="report-kpis-title">"Key KPIs"</h2>
                <div class="table-wrap"><table id="report-kpis">
                    <caption>"Key KPIs this period against the previous one"</caption>
                    <thead><tr>
                        <th scope="col">"KPI"</th><th scope="col">"This period"</th>
                        <th scope="col">"Previous period"</th><th scope="col">"Change"</th>
                    </tr></thead>
                    <tbody>{kpi_rows}</tbody>
                </table></div>
            </section>
            {drivers_section(&report.drivers)}
            <section class="panel" id="report-alerts" aria-labelledby="report-alerts-title">
                <h2 id="report-alerts-title">{format!("Alerts raised in the period ({})", report.alerts.len())}</h2>
                {no_alerts.then(|| view! { <p>"No alerts in this period."</p> })}
                <ul class="report-alerts">{alerts}</ul>
            </section>
            <section class="panel two-col" aria-labelledby="report-creators-title">
                <h2 id="report-creators-title">"Creators by ROAS"</h2>
                {creator_table("report-top", "Top creators", &report.top, &q)}
                {creator_table("report-bottom", "Bottom creators", &report.bottom, &q)}
            </section>
            {(report.cadence == Cadence::Quarterly).then(|| view! { <super::plan::PlanSummary/> })}
            <section class="panel report-text" aria-labelledby="report-text-title">
                <h2 id="report-text-title">"Text summary"</h2>
                <pre id="report-text">{text}</pre>
            </section>
            <section class="panel" aria-labelledby="report-settings-title">
                <h2 id="report-settings-title">"Computed with"</h2>
                <dl class="export-context">{settings}</dl>
            </section>
        </article>
    }
}

/// "Why it moved": each KPI's change in words, and every group's effect in a table
/// (`[data-driver="<dim>:<key>"]` with `data-mix` and `data-rate`, which add up to the
/// block's `data-change`).
fn drivers_section(drivers: &[ReportDrivers]) -> impl IntoView {
    let style = use_app().style.get_untracked();
    let blocks = drivers
        .iter()
        .map(|rd| {
            let d = &rd.drivers;
            let def = d.kpi.def();
            let dim = d.dimension.name();
            let rows = d
                .drivers
                .iter()
                .zip(&rd.names)
                .map(|(g, name)| {
                    view! {
                        <tr data-driver=group_attr(g.dimension, &g.key)
                            data-mix=raw_number(Some(g.mix)) data-rate=raw_number(Some(g.rate))>
                            <th scope="row">{name.clone()}</th>
                            <td>{signed(g.mix, def.unit, &style)}</td>
                            <td>{signed(g.rate, def.unit, &style)}</td>
                            <td>{signed(g.total(), def.unit, &style)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let caption = format!("{}: each {dim}'s effect", def.name);
            view! {
                <div class="report-drivers" data-drivers=d.kpi.as_str() data-dimension=dim
                    data-before=raw_number(Some(d.before)) data-after=raw_number(Some(d.after))
                    data-change=raw_number(Some(d.change()))>
                    <p class="drivers-sentence">{rd.sentence(&style)}</p>
                    <details>
                        <summary>{format!("By {dim}: mix and rate of each")}</summary>
                        <div class="table-wrap"><table>
                            <caption>{caption}</caption>
                            <thead><tr>
                                <th scope="col">{dim}</th><th scope="col">"Mix"</th>
                                <th scope="col">"Rate"</th><th scope="col">"Total"</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table></div>
                    </details>
                </div>
            }
        })
        .collect_view();
    let empty = drivers.is_empty();
    view! {
        <section class="panel" id="report-drivers" aria-labelledby="report-drivers-title">
            <h2 id="report-drivers-title">"Why it moved"</h2>
            <p class="muted">"Each change split into the groups that made it: a group's mix is its share of the denominator (spend, reach…) moving, its rate is its own ratio moving; they add up exactly to the change. Each KPI is split by the dimension (platform, campaign, creator or format) whose groups moved most."</p>
            {empty.then(|| view! { <p>"No KPI has a value in both periods to split."</p> })}
            {blocks}
        </section>
    }
}

fn creator_table(
    id: &'static str,
    caption: &'static str,
    creators: &[RankedCreator],
    q: &crate::display::query::ViewQuery,
) -> impl IntoView {
    let style = use_app().style.get_untracked();
    let roas = kpi(KpiId::Roas);
    let rows = creators
        .iter()
        .map(|c| {
            let value = crate::metrics::engine::KpiValue::Value(c.roas);
            let group = group_attr(Dimension::Creator, &c.id);
            view! {
                <tr>
                    <th scope="row"><a href=link(&id_path("/creators", &c.id), q)>{c.name.clone()}</a></th>
                    <td><KpiValueView def=roas value=value group=Some(group)/></td>
                    <td>{style.money(c.revenue)}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = creators.is_empty();
    view! {
        <div class="table-wrap"><table id=id>
            <caption>{caption}</caption>
            <thead><tr><th scope="col">"Creator"</th><th scope="col">"ROAS"</th><th scope="col">"Revenue"</th></tr></thead>
            <tbody>
                {empty.then(|| view! { <tr><td colspan="3">"No creators in this list for the period."</td></tr> })}
                {rows}
            </tbody>
        </table></div>
    }
}
