//! `/plan`: plan ahead (issue 18). The pacing forecast of each campaign with a budget
//! and dates, then next quarter's budget (`#plan-budget`) split by platform, format and
//! creator under the fitted curves, with what-if edits of any proposed amount (the
//! curves come with the answer: an edit recomputes the outcome on the page at once).
//! The filter bar's filters apply, its dates do not (the plan looks back from as-of).

use std::sync::Arc;

use leptos::prelude::*;

use crate::data::calendar::format_day;
use crate::display::plan::{
    assumptions, forecast_note, forecast_warning, marginal_name, marginal_text, no_curve_text,
    outcome_text, plan_csv, status_text, strategy_reason, summary_lines, trust_text,
};
use crate::display::query::ViewQuery;
use crate::display::questions::{Answer, Question};
use crate::metrics::engine::{Dimension, Filter};
use crate::metrics::plan::{
    plan_table, plan_table_with, Forecast, Plan, PlanTable, BOUND_SHARE, PLAN_DIMENSIONS,
};
use crate::ui::browser::download;
use crate::ui::components::export::export_context;
use crate::ui::state::{use_app, AppState};

use super::{display_name, EmptyState};

/// What the plan needs.
const NEEDS_PLAN: &str = "Load a posts file with dates and costs (and a campaigns file with budgets and dates for the pacing forecast)";

/// The plan's question for the view's query: its filters without the dates.
fn plan_question(q: &ViewQuery) -> Question {
    Question::Plan {
        filter: Filter {
            from: None,
            to: None,
            ..q.filter()
        },
    }
}

/// A memo of the plan of the current view (the same question on every view that asks it,
/// so the answer is computed once).
pub fn plan_memo(state: AppState) -> Memo<Option<Arc<Plan>>> {
    state.answer_memo(
        move || state.query.with(plan_question),
        |answer| match answer {
            Answer::Plan(p) => Some(p),
            _ => None,
        },
    )
}

/// Money as a data attribute: two decimals, whole cents.
fn cents_attr(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}")
    } else {
        String::new()
    }
}

/// The plan view.
#[component]
pub fn PlanPage() -> impl IntoView {
    let state = use_app();
    let plan = plan_memo(state);
    let has_data = move || state.outline.with(|o| o.posts > 0);
    view! {
        <h1>"Plan ahead"</h1>
        <Show when=has_data fallback=|| view! { <EmptyState what="for a plan" needs=NEEDS_PLAN/> }>
            {move || match plan.get() {
                None => view! { <EmptyState what="for a plan: the data has no dates" needs=NEEDS_PLAN/> }.into_any(),
                Some(p) => view! { <PlanBody plan=p/> }.into_any(),
            }}
        </Show>
    }
}

#[component]
fn PlanBody(plan: Arc<Plan>) -> impl IntoView {
    let state = use_app();
    let default_budget = (plan.last_quarter_spend * 100.0).round() / 100.0;
    let budget = RwSignal::new(default_budget);
    let edits: Vec<RwSignal<Vec<(String, f64)>>> = PLAN_DIMENSIONS
        .iter()
        .map(|_| RwSignal::new(Vec::new()))
        .collect();
    let bound = RwSignal::new(BOUND_SHARE);
    let clear_bound_edits = edits.clone();
    let on_bound = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev).trim().to_owned();
        if let Ok(v) = value.parse::<f64>() {
            if v.is_finite() && (0.0..=100.0).contains(&v) {
                bound.set(v / 100.0);
                for e in &clear_bound_edits {
                    e.set(Vec::new());
                }
            }
        }
    };
    let clear_edits = edits.clone();
    let on_budget = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev).trim().to_owned();
        if let Ok(v) = value.parse::<f64>() {
            if v.is_finite() && v >= 0.0 {
                budget.set((v * 100.0).round() / 100.0);
                for e in &clear_edits {
                    e.set(Vec::new());
                }
            }
        }
    };
    let quarter = format!(
        "{} to {}",
        format_day(plan.quarter.0),
        format_day(plan.quarter.1)
    );
    let csv_plan = plan.clone();
    let csv_edits = edits.clone();
    let export = move |_| {
        let style = state.style.get_untracked();
        let b = budget.get_untracked();
        let tables: Vec<PlanTable> = PLAN_DIMENSIONS
            .iter()
            .zip(&csv_edits)
            .map(|(&d, e)| {
                plan_table_with(&csv_plan, d, b, bound.get_untracked(), &e.get_untracked())
            })
            .collect();
        let csv = plan_csv(&export_context(&state), &csv_plan, &tables, &style);
        if let Err(e) = download("plan.csv", "text/csv", &csv) {
            state.load_error.set(Some(e));
        }
    };
    let tables = PLAN_DIMENSIONS
        .iter()
        .zip(edits)
        .map(|(&dimension, edits)| {
            view! { <AllocTable plan=plan.clone() dimension=dimension budget=budget bound=bound edits=edits/> }
        })
        .collect_view();
    let outcome = plan.outcome;
    let no_cost = !plan.has_cost;
    let for_assumptions = plan.clone();
    let assumed = move || {
        let table = plan_table_with(
            &for_assumptions,
            Dimension::Platform,
            budget.get(),
            bound.get(),
            &[],
        );
        assumptions(&for_assumptions, &table)
            .into_iter()
            .filter(|(k, _)| *k != "Split by")
            .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
            .collect_view()
    };
    view! {
        <p class="subtitle">{format!("As of {}. Outcome planned for: {} (by the campaigns' objective). The filter bar's other filters apply; its dates do not: the plan looks back from the as-of day.", format_day(plan.as_of), outcome.name())}</p>
        {no_cost.then(|| view! { <p class="plan-note">"No posts row has a cost: there is no spend to forecast or reallocate."</p> })}
        <ForecastSection plan=plan.clone()/>
        <section class="panel plan-allocation" aria-labelledby="plan-alloc-title">
            <h2 id="plan-alloc-title">"Next quarter"</h2>
            <div class="plan-controls">
                <label for="plan-budget">"Budget for the next 13 weeks"</label>
                <input id="plan-budget" type="number" min="0" step="0.01"
                    prop:value=move || cents_attr(budget.get()) on:change=on_budget/>
                <span class="plan-hint">{format!("Default: last quarter's spend ({quarter}), {}.", state.style.with_untracked(|s| s.money(default_budget)))}</span>
                <label for="plan-bound">"Floors and caps (± % of current spend)"</label>
                <input id="plan-bound" type="number" min="0" max="100" step="1"
                    prop:value=move || format!("{:.0}", bound.get() * 100.0) on:change=on_bound/>
                <button type="button" id="plan-export" class="export export-csv" on:click=export>"Export plan as CSV"</button>
            </div>
            <p class="plan-hint">"Each table splits the same budget another way. Proposed amounts are editable: the expected outcome follows at once."</p>
            {tables}
            <h3>"Assumptions"</h3>
            <dl class="plan-assumptions" id="plan-assumptions">{assumed}</dl>
        </section>
    }
}

/// The forecasts: warnings first, then the table with its hooks.
#[component]
fn ForecastSection(plan: Arc<Plan>) -> impl IntoView {
    let state = use_app();
    let names = state.names.get_untracked();
    let style = state.style.get_untracked();
    let name = |id: &str| display_name(&names, Dimension::Campaign, id);
    let warnings: Vec<(String, String)> = plan
        .forecasts
        .iter()
        .filter_map(|f| Some((f.campaign_id.clone(), forecast_warning(f, &f.campaign_id)?)))
        .collect();
    let warning_list = (!warnings.is_empty()).then(|| {
        let items = warnings
            .into_iter()
            .map(|(id, text)| view! { <li class="plan-warning" data-warning=id>{text}</li> })
            .collect_view();
        view! { <ul class="plan-warnings" role="list">{items}</ul> }
    });
    let rows = plan
        .forecasts
        .iter()
        .map(|f| forecast_row(f, &name(&f.campaign_id), &style))
        .collect_view();
    let empty = plan.forecasts.is_empty();
    view! {
        <section class="panel plan-forecast" aria-labelledby="plan-forecast-title">
            <h2 id="plan-forecast-title">"Budget pacing forecast"</h2>
            <p class="plan-hint">{format!("Projected from {}; range: {}.", crate::display::plan::pace_window_text(), crate::display::plan::RANGE_TEXT)}</p>
            {warning_list}
            {if empty {
                view! { <p class="empty">"No campaign in view has a budget with start and end dates."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table id="plan-forecasts">
                        <caption>"Spend to date and projected spend at the end date, per campaign with a budget"</caption>
                        <thead><tr>
                            <th scope="col">"Campaign"</th><th scope="col">"Budget"</th><th scope="col">"Spent"</th>
                            <th scope="col">"Projected at end"</th><th scope="col">"Range"</th><th scope="col">"Of budget"</th>
                            <th scope="col">"Runs out"</th><th scope="col">"Status"</th><th scope="col">"Note"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
    }
}

fn forecast_row(
    f: &Forecast,
    name: &str,
    style: &crate::display::format::NumberStyle,
) -> impl IntoView {
    let money = |x: Option<f64>| x.map_or_else(|| "—".to_owned(), |v| style.money(v));
    let range = match (f.low, f.high) {
        (Some(lo), Some(hi)) if (hi - lo).abs() >= 0.005 => {
            format!("{} – {}", style.money(lo), style.money(hi))
        }
        (Some(_), Some(_)) => "final".to_owned(),
        _ => "—".to_owned(),
    };
    let share = f
        .projected_share()
        .map_or_else(|| "—".to_owned(), |s| format!("{:.0}%", s * 100.0));
    let status = status_text(f);
    let class = format!("pace-{}", status.replace(' ', "-"));
    view! {
        <tr data-forecast=f.campaign_id.clone()
            data-projected-spend=f.projected.map(cents_attr)
            data-low=f.low.map(cents_attr)
            data-high=f.high.map(cents_attr)
            data-exhaust-date=f.exhaust_date.map(format_day)
            data-status=status>
            <th scope="row"><a href=format!("/campaigns/{}", f.campaign_id)>{name.to_owned()}</a></th>
            <td>{style.money(f.budget)}</td>
            <td>{style.money(f.spent)}</td>
            <td>{money(f.projected)}</td>
            <td>{range}</td>
            <td class=class.clone()>{share}</td>
            <td>{f.exhaust_date.map_or_else(|| "—".to_owned(), format_day)}</td>
            <td class=class>{status}</td>
            <td class="plan-note-cell">{forecast_note(f, style)}</td>
        </tr>
    }
}

/// One dimension's allocation: current vs proposed per group, editable proposals, the
/// expected outcome and its range, the total and how far to trust it.
#[component]
fn AllocTable(
    plan: Arc<Plan>,
    dimension: Dimension,
    budget: RwSignal<f64>,
    bound: RwSignal<f64>,
    edits: RwSignal<Vec<(String, f64)>>,
) -> impl IntoView {
    let state = use_app();
    let outcome = plan.outcome;
    let for_table = plan.clone();
    let table = Memo::new(move |_| {
        plan_table_with(
            &for_table,
            dimension,
            budget.get(),
            bound.get(),
            &edits.get(),
        )
    });
    // The rows are rebuilt when the budget changes, not on an edit (the input keeps focus).
    let for_base = plan.clone();
    let base =
        Memo::new(move |_| plan_table_with(&for_base, dimension, budget.get(), bound.get(), &[]));
    let dim_name = dimension.name();
    let title = match dimension {
        Dimension::Platform => "By platform",
        Dimension::Format => "By format",
        _ => "By creator",
    };
    let names = state.names.get_untracked();
    let rows = move || {
        let style = state.style.get_untracked();
        base.with(|t| {
            t.rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.current > 0.0 || r.proposed > 0.0)
                .map(|(i, r)| {
                    let key = r.key.clone();
                    let label = display_name(&names, dimension, &r.key);
                    let alloc = format!("{dim_name}:{}", r.key);
                    let current = r.current;
                    let proposed_attr = move || table.with(|t| t.rows.get(i).map(|r| cents_attr(r.proposed)));
                    let cell = move |f: fn(&crate::metrics::plan::AllocRow, Outcome2) -> String| {
                        move || table.with(|t| t.rows.get(i).map(|r| f(r, Outcome2(outcome))).unwrap_or_default())
                    };
                    let edit_key = key.clone();
                    let on_edit = move |ev: leptos::ev::Event| {
                        let value = event_target_value(&ev).trim().to_owned();
                        if let Ok(v) = value.parse::<f64>() {
                            if v.is_finite() && v >= 0.0 {
                                let v = (v * 100.0).round() / 100.0;
                                edits.update(|e| {
                                    e.retain(|(k, _)| *k != edit_key);
                                    e.push((edit_key.clone(), v));
                                });
                            }
                        }
                    };
                    let bounds = format!("{} – {}", style.money(r.floor), style.money(r.cap));
                    let aria = format!("Proposed spend for {label}");
                    let strategy = (dimension == Dimension::Creator).then(|| {
                        let s = cell(|r, _| r.strategy.map(|s| s.name().to_owned()).unwrap_or_default());
                        let reason = cell(|r, o| strategy_reason(r, o.0, &use_app().style.get_untracked()));
                        view! { <td class="plan-strategy" data-strategy=s>{s}</td><td class="plan-note-cell">{reason}</td> }
                    });
                    let note = (dimension != Dimension::Creator).then(|| {
                        view! { <td class="plan-note-cell">{r.no_curve.as_ref().map(no_curve_text).unwrap_or_default()}</td> }
                    });
                    view! {
                        <tr data-alloc=alloc data-current=cents_attr(current) data-proposed=proposed_attr>
                            <th scope="row">{label}</th>
                            <td>{style.money(current)}</td>
                            <td class="plan-bounds">{bounds}</td>
                            <td><input type="number" class="plan-edit" min="0" step="0.01" aria-label=aria
                                prop:value=cents_attr(r.proposed) on:input=on_edit/></td>
                            <td>{cell(|r, o| marginal_text(o.0, r.marginal_now.unwrap_or(0.0), &use_app().style.get_untracked()))}</td>
                            <td data-expected=cell(|r, _| r.expected.map(|e| format!("{:.2}", e.0)).unwrap_or_default())>
                                {cell(|r, o| r.expected.map(|e| outcome_text(o.0, e.0, &use_app().style.get_untracked())).unwrap_or_else(|| "n/a".into()))}
                            </td>
                            <td>{cell(|r, o| r.expected.map(|e| {
                                let st = use_app().style.get_untracked();
                                format!("{} – {}", outcome_text(o.0, e.1, &st), outcome_text(o.0, e.2, &st))
                            }).unwrap_or_else(|| "n/a".into()))}</td>
                            {strategy}
                            {note}
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let hidden = move || {
        base.with(|t| {
            t.rows
                .iter()
                .filter(|r| r.current <= 0.0 && r.proposed <= 0.0)
                .count()
        })
    };
    let total = move || {
        let style = state.style.get();
        table.with(|t| {
            let edited = t.rows.iter().any(|r| r.edited);
            let off = (t.proposed_total - t.budget).abs() >= 0.005;
            let note = if edited && off {
                format!(
                    " (edited: {} against a budget of {})",
                    style.money(t.proposed_total),
                    style.money(t.budget)
                )
            } else if off {
                format!(
                    " (the bounds allow {} of the {} budget)",
                    style.money(t.proposed_total),
                    style.money(t.budget)
                )
            } else {
                String::new()
            };
            (
                cents_attr(t.proposed_total),
                format!("{}{note}", style.money(t.proposed_total)),
                style.money(t.current_total),
                outcome_text(outcome, t.expected.0, &style),
                format!(
                    "{} – {}",
                    outcome_text(outcome, t.expected.1, &style),
                    outcome_text(outcome, t.expected.2, &style)
                ),
                outcome_text(outcome, t.expected_at_current, &style),
                format!("{:.2}", t.expected.0),
            )
        })
    };
    let trust = move || {
        let style = state.style.get();
        table.with(|t| trust_text(t, outcome, &style))
    };
    let extra_headers = if dimension == Dimension::Creator {
        view! { <th scope="col">"Strategy"</th><th scope="col">"Why"</th> }.into_any()
    } else {
        view! { <th scope="col">"Note"</th> }.into_any()
    };
    let caption = format!(
        "{title}: current and proposed spend, and the expected {}",
        outcome.name()
    );
    let table_id = format!("plan-alloc-{dim_name}");
    let title_id = format!("plan-{dim_name}-title");
    let title_ref = title_id.clone();
    view! {
        <section class="plan-dimension" data-plan-dimension=dim_name aria-labelledby=title_ref>
            <h3 id=title_id>{title}</h3>
            <div class="table-wrap"><table id=table_id class="plan-table">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{match dimension { Dimension::Platform => "Platform", Dimension::Format => "Format", _ => "Creator" }}</th>
                    <th scope="col">"Last quarter"</th><th scope="col">"Floor – cap"</th><th scope="col">"Proposed"</th>
                    <th scope="col">{marginal_name(outcome)}" now"</th>
                    <th scope="col">{format!("Expected {}", outcome.name())}</th><th scope="col">"Range"</th>
                    {extra_headers}
                </tr></thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr data-alloc-total=dim_name data-proposed=move || total().0 data-expected=move || total().6>
                        <th scope="row">"Total"</th>
                        <td>{move || total().2}</td>
                        <td></td>
                        <td>{move || total().1}</td>
                        <td></td>
                        <td>{move || total().3}</td>
                        <td>{move || total().4}</td>
                        <td colspan="2">{move || format!("At the current split: {}", total().5)}</td>
                    </tr>
                </tfoot>
            </table></div>
            {move || (hidden() > 0).then(|| view! { <p class="plan-hint">{format!("{} group(s) without spend last quarter are not listed: their cap of ±50% of nothing is nothing.", hidden())}</p> })}
            <p class="plan-trust">{trust}</p>
        </section>
    }
}

/// The outcome, passed to the cell formatters (a newtype so the closures stay `fn`s).
#[derive(Clone, Copy)]
struct Outcome2(crate::metrics::plan::Outcome);

/// The campaign page's forecast piece: the campaign's forecast from the view's plan,
/// with its warning; nothing when it has no budget and dates.
#[component]
pub fn CampaignForecast(#[prop(into)] campaign: Signal<String>) -> impl IntoView {
    let state = use_app();
    let plan = plan_memo(state);
    move || {
        let id = campaign.get();
        let p = plan.get()?;
        let f = p.forecasts.iter().find(|f| f.campaign_id == id)?.clone();
        let style = state.style.get();
        let warning = forecast_warning(&f, &id);
        let money = |x: Option<f64>| x.map_or_else(|| "—".to_owned(), |v| style.money(v));
        let text = format!(
            "Projected at the end date ({}): {} (range {} – {}), {} of budget.",
            format_day(f.end),
            money(f.projected),
            money(f.low),
            money(f.high),
            f.projected_share()
                .map_or_else(|| "—".to_owned(), |s| format!("{:.0}%", s * 100.0)),
        );
        Some(view! {
            <div class="plan-campaign-forecast" data-forecast=f.campaign_id.clone()
                data-projected-spend=f.projected.map(cents_attr)
                data-low=f.low.map(cents_attr)
                data-high=f.high.map(cents_attr)
                data-exhaust-date=f.exhaust_date.map(format_day)>
                {warning.map(|w| view! { <p class="plan-warning">{w}</p> })}
                <p>{text}" "{forecast_note(&f, &style)}" "<a href="/plan">"Plan ahead"</a></p>
            </div>
        })
    }
}

/// The quarterly report's plan summary: warnings, the proposal by platform at last
/// quarter's budget and how far to trust it.
#[component]
pub fn PlanSummary() -> impl IntoView {
    let state = use_app();
    let plan = plan_memo(state);
    move || {
        let p = plan.get()?;
        let style = state.style.get();
        let table = plan_table(
            &p,
            Dimension::Platform,
            (p.last_quarter_spend * 100.0).round() / 100.0,
            &[],
        );
        let lines = summary_lines(&p, &table, &style)
            .into_iter()
            .map(|l| view! { <li>{l}</li> })
            .collect_view();
        let assumed = assumptions(&p, &table)
            .into_iter()
            .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
            .collect_view();
        Some(view! {
            <section class="panel plan-summary" id="report-plan" aria-labelledby="report-plan-title">
                <h2 id="report-plan-title">"Quarterly planning"</h2>
                <ul class="plan-summary-lines">{lines}</ul>
                <h3>"Assumptions"</h3>
                <dl class="plan-assumptions">{assumed}</dl>
                <p><a href="/plan">"Open the plan (budget, caps, what-if)"</a></p>
            </section>
        })
    }
}
