//! The explain panel, `#explain`: click (or Enter/Space on) any KPI value and a modal
//! dialog shows where that number comes from in the current view: its formula in words
//! and symbols, the settings it used, its parts (numerator and denominator), its
//! coverage, the contribution of each group, its top rows and the rows it left out,
//! with the rows behind it as a CSV download. Everything in it is an answer to a
//! [`Question`] (so it works the same on data a worker holds); nothing reads rows here.
//!
//! One delegated listener ([`listen_for_values`]) serves every `.kpi-value[data-kpi]`
//! of the page. `?explain=<kpi id>` opens the panel on load; opening sets that
//! parameter (history replace) and closing removes it. Closing returns the focus to
//! the value that opened it.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

use crate::data::calendar::{format_day, parse_iso_day, Day, Granularity};
use crate::data::schema::TableKind;
use crate::display::drivers::drivers_sentence;
use crate::display::format::{raw_number, NumberStyle};
use crate::display::questions::{Answer, Comparison, Names, Question};
use crate::display::share::{Snapshot, GROUP_KPIS};
use crate::metrics::engine::{Dimension, Filter, KpiValue, Results};
use crate::metrics::explain::{
    Contribution, ExcludeReason, ExcludedRows, ExplainCoverage, ExplainQuery, Explanation, RowLine,
};
use crate::metrics::parts::ratio_parts;
use crate::metrics::registry::{KpiDef, KpiId};
use crate::metrics::settings::Settings;
use crate::metrics::trend::CompareMode;
use crate::metrics::variation::Variation;
use crate::ui::browser::download;
use crate::ui::routes::display_name;
use crate::ui::state::{use_app, AppState};

use super::share::route_path;

/// The id of the hidden hint every KPI value is described by ("explains this number").
pub const EXPLAIN_HINT_ID: &str = "explain-hint";
/// The URL parameter that opens the panel on load: `?explain=<kpi id>`.
pub const EXPLAIN_PARAM: &str = "explain";

/// A KPI value the user asked to explain: its KPI and, when it belongs to a group, the
/// `"<dimension>:<key>"` of its `data-group`.
#[derive(Clone, Debug, PartialEq)]
pub struct Asked {
    pub kpi: KpiId,
    pub group: Option<String>,
    /// The dates of the value's own window, when an ancestor names them with
    /// `data-explain-from` / `data-explain-to` (a report's period): they replace the
    /// view's date range.
    pub window: Option<(Day, Day)>,
}

/// The KPI value element an event happened on (or inside), and what it names.
fn value_of_event(ev: &web_sys::Event) -> Option<(web_sys::HtmlElement, Asked)> {
    let element = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(".kpi-value[data-kpi]")
        .ok()??;
    let kpi = KpiId::parse(&element.get_attribute("data-kpi")?)?;
    let group = element.get_attribute("data-group");
    let window = element
        .closest("[data-explain-from][data-explain-to]")
        .ok()
        .flatten()
        .and_then(|scope| {
            let day = |name: &str| parse_iso_day(&scope.get_attribute(name)?);
            Some((day("data-explain-from")?, day("data-explain-to")?))
        });
    let element = element.dyn_into::<web_sys::HtmlElement>().ok()?;
    Some((element, Asked { kpi, group, window }))
}

/// The one delegated listener of the page: a click on a KPI value, or Enter or Space
/// while one has the focus, calls `open` with the value's element and what it names.
pub fn listen_for_values(open: impl Fn(web_sys::HtmlElement, Asked) + Clone + 'static) {
    let on_click = open.clone();
    let _ = window_event_listener(leptos::ev::click, move |ev| {
        if let Some((element, asked)) = value_of_event(&ev) {
            ev.prevent_default();
            on_click(element, asked);
        }
    });
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if !matches!(ev.key().as_str(), "Enter" | " ") || ev.repeat() {
            return;
        }
        if let Some((element, asked)) = value_of_event(&ev) {
            // Space would scroll the page.
            ev.prevent_default();
            open(element, asked);
        }
    });
}

/// The hidden text every KPI value's `aria-describedby` names.
#[component]
pub fn ExplainHint() -> impl IntoView {
    view! {
        <span id=EXPLAIN_HINT_ID class="visually-hidden">
            "Press Enter or click to explain this number: its formula, sums, coverage and rows."
        </span>
    }
}

/// The filter a value of the current view is computed over: the URL query's filter,
/// narrowed on a campaign's or creator's page to it (as `scoped_results` does) and, for
/// a group's value (`"<dimension>:<key>"`), to that group.
pub fn view_filter(base: Filter, route: &str, group: Option<&str>) -> Filter {
    let mut filter = base;
    let segment = |prefix: &str| {
        route
            .strip_prefix(prefix)
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            .map(decode_segment)
    };
    if let Some(id) = segment("/campaigns/") {
        filter.campaigns = vec![id];
    } else if let Some(id) = segment("/creators/") {
        filter.creators = vec![id];
    }
    if let Some((dim, key)) = group.and_then(|g| g.split_once(':')) {
        let key = vec![key.to_owned()];
        match dim {
            "platform" => filter.platforms = key,
            "campaign" => filter.campaigns = key,
            "creator" => filter.creators = key,
            "format" => filter.formats = key,
            _ => {}
        }
    }
    filter
}

/// `filter` over a value's own window, when it has one.
fn in_window(mut filter: Filter, window: Option<(Day, Day)>) -> Filter {
    if let Some((from, to)) = window {
        filter.from = Some(from);
        filter.to = Some(to);
    }
    filter
}

/// A percent-encoded path segment back to its text (as is when it does not decode).
fn decode_segment(segment: &str) -> String {
    js_sys::decode_uri_component(segment)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| segment.to_owned())
}

/// The dimension of a `data-group` name.
pub fn dimension_named(name: &str) -> Option<Dimension> {
    Dimension::ALL.into_iter().find(|d| d.name() == name)
}

/// Posts rows rejected when the loaded files were read.
fn rejected_posts_rows(state: &AppState) -> u64 {
    state.reports.with_untracked(|reports| {
        reports
            .iter()
            .filter(|r| r.detection.kind == TableKind::Posts)
            .map(|r| r.rows_rejected as u64)
            .sum()
    })
}

/// What the open panel explains: the KPI, the value's group, and the view it was in.
#[derive(Clone, Debug, PartialEq)]
struct Opened {
    asked: Asked,
    filter: Filter,
    granularity: Granularity,
    /// The view's compare mode ("Why it moved" splits the change it compares).
    compare: CompareMode,
    rejected_at_load: u64,
}

/// Moves the focus to `element`.
fn focus(element: &web_sys::HtmlElement) {
    let _ = element.focus();
}

/// Where the focus goes when the panel closes: the value that opened it; for a deep
/// link, that KPI's overall value on the page, else the view's heading.
fn focus_after_close(opener: Option<web_sys::HtmlElement>, kpi: KpiId) {
    if let Some(element) = opener.filter(|e| e.is_connected()) {
        return focus(&element);
    }
    let document = document();
    let selector = format!(
        ".kpi-value[data-kpi=\"{}\"]:not([data-group])",
        kpi.as_str()
    );
    let target = document
        .query_selector(&selector)
        .ok()
        .flatten()
        .or_else(|| document.query_selector("main h1").ok().flatten());
    if let Some(element) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        if element.tag_name() == "H1" && !element.has_attribute("tabindex") {
            let _ = element.set_attribute("tabindex", "-1");
        }
        focus(&element);
    }
}

/// The explain panel of the dashboard, mounted once in the layout: the delegated
/// listener, the `?explain=` deep link and the dialog.
#[component]
pub fn ExplainPanel() -> impl IntoView {
    let state = use_app();
    let location = use_location();
    let navigate = use_navigate();
    let opened = RwSignal::new(None::<Opened>);
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    let dialog = NodeRef::<leptos::html::Dialog>::new();

    // The URL's `explain` parameter, replaced (not pushed) so Back leaves the view.
    let set_param = move |value: Option<&str>| {
        let search = window().location().search().unwrap_or_default();
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
            return;
        };
        match value {
            Some(v) => params.set(EXPLAIN_PARAM, v),
            None => params.delete(EXPLAIN_PARAM),
        }
        let query: String = params.to_string().into();
        let path = route_path(&location.pathname.get_untracked());
        let url = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    };
    let param_on_open = set_param.clone();
    let open = move |element: Option<web_sys::HtmlElement>, asked: Asked| {
        let route = route_path(&location.pathname.get_untracked());
        let (filter, granularity, compare) = state
            .query
            .with_untracked(|q| (q.filter(), q.granularity, q.compare));
        let id = asked.kpi.as_str();
        opener.set_value(element);
        opened.set(Some(Opened {
            filter: in_window(
                view_filter(filter, &route, asked.group.as_deref()),
                asked.window,
            ),
            asked,
            granularity,
            compare,
            rejected_at_load: rejected_posts_rows(&state),
        }));
        param_on_open(Some(id));
    };
    let open_clicked = open.clone();
    listen_for_values(move |element, asked| open_clicked(Some(element), asked));

    // `?explain=<id>` opens the panel once the data is there (an unknown id, nothing).
    let deep_link = StoredValue::new(
        window()
            .location()
            .search()
            .ok()
            .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
            .and_then(|p| p.get(EXPLAIN_PARAM))
            .and_then(|id| KpiId::parse(&id)),
    );
    Effect::new(move |_| {
        let ready = !state.outline.with(|o| o.is_empty()) && state.hosted.with(Option::is_none);
        if !ready {
            return;
        }
        if let Some(kpi) = deep_link.get_value() {
            deep_link.set_value(None);
            open(
                None,
                Asked {
                    kpi,
                    group: None,
                    window: None,
                },
            );
        }
    });

    // The dialog follows `opened`: shown modal when set.
    show_while_open(dialog, move || opened.with(Option::is_some));
    // Closed by Escape, the close button or the form: forget it, drop the parameter,
    // give the focus back.
    // A post link followed from the panel: the panel closes, then the app goes there.
    let follow = StoredValue::new(None::<String>);
    let navigate_to = use_navigate();
    let on_close = move |_| {
        let Some(was) = opened.get_untracked() else {
            return;
        };
        opened.set(None);
        let opener = opener.try_update_value(Option::take).flatten();
        if let Some(href) = follow.try_update_value(Option::take).flatten() {
            navigate_to(&href, NavigateOptions::default());
            return;
        }
        set_param(None);
        focus_after_close(opener, was.asked.kpi);
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let anchor = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        let Some(href) = anchor.and_then(|a| a.get_attribute("href")) else {
            return;
        };
        if href.starts_with('/') && !href.starts_with("//") {
            ev.prevent_default();
            // Under a sub-path the link was already moved under the base (share.rs's
            // capture listener); the router adds the base itself.
            follow.set_value(Some(route_path(&href)));
            if let Some(dialog) = dialog.get_untracked() {
                dialog.close();
            }
        }
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let body = move || opened.get().map(|o| view! { <ExplainBody opened=o/> });
    let title = move || {
        opened.with(|o| {
            o.as_ref()
                .map(|o| format!("Explain: {}", o.asked.kpi.def().name))
                .unwrap_or_default()
        })
    };
    view! {
        <ExplainHint/>
        <dialog id="explain" class="explain" node_ref=dialog aria-modal="true"
            aria-labelledby="explain-title" on:close=on_close on:click=on_click>
            <div class="explain-head">
                <h2 id="explain-title">{title}</h2>
                <button type="button" id="explain-close" class="explain-close" on:click=close
                    aria-label="Close the explanation">"Close"</button>
            </div>
            {body}
        </dialog>
    }
}

/// A part's number: whole numbers grouped, others with two decimals.
fn number_text(style: &NumberStyle, value: f64) -> String {
    let decimals = if value.fract() == 0.0 { 0 } else { 2 };
    style.number(value, decimals)
}

/// `"<dimension> <name>"` of a `data-group`, in words.
fn group_words(names: &Names, group: &str) -> String {
    match group.split_once(':') {
        Some((dim, key)) => match dimension_named(dim) {
            Some(d) => format!("{dim} {}", display_name(names, d, key)),
            None => group.to_owned(),
        },
        None => group.to_owned(),
    }
}

/// The panel's content for one opened value: the answer to its explain question
/// (from wherever the data is), and the rows download.
#[component]
fn ExplainBody(opened: Opened) -> impl IntoView {
    let state = use_app();
    let def: &'static KpiDef = opened.asked.kpi.def();
    let query = ExplainQuery {
        kpi: opened.asked.kpi,
        filter: opened.filter.clone(),
        granularity: opened.granularity,
        rejected_at_load: opened.rejected_at_load,
    };
    let question = Question::Explain(query.clone());
    let explanation = Memo::new(move |_| match state.ask(&question) {
        Some(Answer::Explain(e)) => Some(e),
        _ => None,
    });
    let group = opened
        .asked
        .group
        .as_deref()
        .map(|g| state.names.with_untracked(|n| group_words(n, g)));
    let downloading = RwSignal::new(false);
    let download_rows = move |_| {
        if downloading.get_untracked() {
            return;
        }
        downloading.set(true);
        let question = Question::ExplainRows(query.clone());
        leptos::task::spawn_local(async move {
            let file = format!("{}-rows.csv", def.id.as_str());
            match state.ask_async(&question).await {
                Ok(Answer::Text(csv)) => {
                    if let Err(e) = download(&file, "text/csv", &csv) {
                        state.add_errors(vec![e]);
                    }
                }
                Ok(_) => state.add_errors(vec!["the rows came back as another answer".into()]),
                Err(e) => state.add_errors(vec![e]),
            }
            downloading.set(false);
        });
    };
    let content = move || match explanation.get() {
        None => view! { <p class="hint" role="status">"Computing…"</p> }.into_any(),
        Some(e) => explained(&state, def, &e).into_any(),
    };
    view! {
        <div class="explain-body" aria-busy=move || explanation.with(Option::is_none).to_string()>
            {group.map(|g| view! { <p class="explain-group">{format!("For {g}, in this view")}</p> })}
            {content}
            <WhyItMoved opened=opened.clone()/>
            <p class="explain-download">
                <button type="button" id="explain-download" on:click=download_rows
                    disabled=move || downloading.get()>
                    "Download rows (CSV)"
                </button>
                <span class="hint">" Every row behind this number, with the settings in its first lines."</span>
            </p>
        </div>
    }
}

/// The sections of an answered explanation.
fn explained(state: &AppState, def: &'static KpiDef, e: &Explanation) -> impl IntoView {
    let style = state.style.get_untracked();
    let value_text = style.kpi(&e.value, def.unit);
    let parts = e
        .parts
        .iter()
        .map(|p| {
            view! {
                <li data-explain-part=p.role.hook() data-value=raw_number(Some(p.value))>
                    <span class="explain-part-label">{p.label.clone()}</span>
                    <span class="explain-part-value">{number_text(&style, p.value)}</span>
                </li>
            }
        })
        .collect_view();
    let settings = e
        .settings_used
        .iter()
        .map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> })
        .collect_view();
    view! {
        <p class="explain-value" data-explain-value=raw_number(e.value.value())>
            <span class="explain-value-name">{def.name}</span>" = "
            <strong>{value_text}</strong>
        </p>
        <section class="explain-formula" aria-labelledby="explain-formula-title">
            <h3 id="explain-formula-title">"Formula"</h3>
            <p class="explain-definition">{def.definition}</p>
            {(def.formula != e.formula).then(|| view! { <p class="explain-words">{def.formula}</p> })}
            <p class="explain-symbols"><code>{e.formula.clone()}</code></p>
        </section>
        {(!e.parts.is_empty()).then(|| view! {
            <section class="explain-parts-section" aria-labelledby="explain-parts-title">
                <h3 id="explain-parts-title">"Its parts"</h3>
                <ul class="explain-parts">{parts}</ul>
            </section>
        })}
        {coverage_view(&e.coverage, &style)}
        <section class="explain-settings" aria-labelledby="explain-settings-title">
            <h3 id="explain-settings-title">"Settings used"</h3>
            <dl>{settings}</dl>
        </section>
        <Contributions def=def contributions=e.contributions.clone()/>
        {rows_view(state, &e.top_rows, &style)}
        {excluded_view(state, &e.excluded, &style)}
    }
}

/// `data-explain-part="coverage"`: the rows used, and those left out by reason.
fn coverage_view(c: &ExplainCoverage, style: &NumberStyle) -> impl IntoView {
    let excluded = c.excluded_total();
    let reasons = c
        .excluded
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(reason, n)| {
            view! {
                <li data-exclude-reason=reason_hook(reason) data-rows=n.to_string()>
                    {format!("{} {}: {}", style.number(*n as f64, 0), c.unit, reason.words())}
                </li>
            }
        })
        .collect_view();
    let sentence = format!(
        "Used {} {}; left out {}.",
        style.number(c.used as f64, 0),
        c.unit,
        style.number(excluded as f64, 0)
    );
    view! {
        <section class="explain-coverage" aria-labelledby="explain-coverage-title"
            data-explain-part="coverage" data-used=c.used.to_string()
            data-excluded=excluded.to_string()>
            <h3 id="explain-coverage-title">"Coverage"</h3>
            <p>{sentence}</p>
            {(excluded > 0).then(|| view! { <ul class="explain-reasons">{reasons}</ul> })}
        </section>
    }
}

/// A reason's `data-exclude-reason` hook.
fn reason_hook(reason: &ExcludeReason) -> &'static str {
    match reason {
        ExcludeReason::FilteredOut => "filtered_out",
        ExcludeReason::Undated => "undated",
        ExcludeReason::OutOfRange => "out_of_range",
        ExcludeReason::AbsentInputs(_) => "absent_inputs",
        ExcludeReason::RejectedAtLoad => "rejected_at_load",
    }
}

/// What the contributions table sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortBy {
    Numerator,
    Denominator,
    Value,
}

/// The contribution of each group of a chosen dimension to the numerator and the
/// denominator, sortable by either or by the group's own value.
#[component]
fn Contributions(def: &'static KpiDef, contributions: Vec<Contribution>) -> impl IntoView {
    let state = use_app();
    let style = state.style.get_untracked();
    let dims: Vec<Dimension> = Dimension::ALL
        .into_iter()
        .filter(|d| contributions.iter().any(|c| c.dimension == *d))
        .collect();
    if dims.is_empty() {
        return None;
    }
    let dimension = RwSignal::new(dims[0]);
    let sort = RwSignal::new((SortBy::Numerator, true));
    let has_denominator = contributions.iter().any(|c| c.denominator.is_some());
    let switcher = dims
        .iter()
        .map(|&d| {
            view! {
                <button type="button" class="explain-dim" data-dimension=d.name()
                    aria-pressed=move || (dimension.get() == d).to_string()
                    on:click=move |_| dimension.set(d)>
                    {dimension_label(d)}
                </button>
            }
        })
        .collect_view();
    let header = move |by: SortBy, label: &'static str| {
        let aria_sort = move || match sort.get() {
            (s, true) if s == by => "descending",
            (s, false) if s == by => "ascending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=aria_sort>
                <button type="button" class="explain-sort" data-sort=sort_hook(by)
                    on:click=move |_| sort.update(|(s, desc)| {
                        if *s == by { *desc = !*desc } else { *s = by; *desc = true }
                    })>
                    {label}
                </button>
            </th>
        }
    };
    let all = StoredValue::new(contributions);
    let rows = move || {
        let (by, desc) = sort.get();
        let dim = dimension.get();
        let mut shown: Vec<Contribution> =
            all.with_value(|a| a.iter().filter(|c| c.dimension == dim).cloned().collect());
        let key = |c: &Contribution| match by {
            SortBy::Numerator => Some(c.numerator),
            SortBy::Denominator => c.denominator,
            SortBy::Value => c.value,
        };
        shown.sort_by(|a, b| {
            let order = match (key(a), key(b)) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Greater,
                (None, Some(_)) => std::cmp::Ordering::Less,
                (None, None) => std::cmp::Ordering::Equal,
            };
            if desc {
                order.reverse()
            } else {
                order
            }
        });
        let names = state.names.get_untracked();
        shown
            .into_iter()
            .map(|c| {
                let value = c.value.map_or_else(|| "n/a".to_owned(), |v| style.value(v, def.unit));
                view! {
                    <tr data-contribution=format!("{}:{}", c.dimension.name(), c.key)
                        data-numerator=raw_number(Some(c.numerator))
                        data-denominator=raw_number(c.denominator)>
                        <th scope="row">{display_name(&names, c.dimension, &c.key)}</th>
                        <td>{number_text(&style, c.numerator)}</td>
                        {has_denominator.then(|| view! {
                            <td>{c.denominator.map_or_else(|| "n/a".to_owned(), |d| number_text(&style, d))}</td>
                        })}
                        <td>{style.number(c.rows as f64, 0)}</td>
                        <td data-value=raw_number(c.value)>{value}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    Some(view! {
        <section class="explain-contributions" aria-labelledby="explain-contributions-title">
            <h3 id="explain-contributions-title">"Contribution by group"</h3>
            <div class="explain-dims" role="group" aria-label="Group by">{switcher}</div>
            <div class="table-wrap">
                <table>
                    <thead><tr>
                        <th scope="col">"Group"</th>
                        {header(SortBy::Numerator, "Numerator")}
                        {has_denominator.then(|| header(SortBy::Denominator, "Denominator"))}
                        <th scope="col">"Rows"</th>
                        {header(SortBy::Value, "Value")}
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    })
}

fn sort_hook(by: SortBy) -> &'static str {
    match by {
        SortBy::Numerator => "numerator",
        SortBy::Denominator => "denominator",
        SortBy::Value => "value",
    }
}

/// A dimension's name for the switcher.
fn dimension_label(d: Dimension) -> &'static str {
    match d {
        Dimension::Platform => "Platform",
        Dimension::Campaign => "Campaign",
        Dimension::Creator => "Creator",
        Dimension::Format => "Format",
    }
}

/// A table of posts rows (the top rows, or a sample of the excluded ones), each linking
/// to its post.
fn row_table(
    state: &AppState,
    rows: &[RowLine],
    style: &NumberStyle,
    caption: String,
) -> impl IntoView {
    let names = state.names.get_untracked();
    let body = rows
        .iter()
        .map(|r| {
            let post = if r.post_id.is_empty() {
                format!("row {}", r.row + 1)
            } else {
                r.post_id.clone()
            };
            let post = if r.link.is_empty() {
                view! { <span>{post}</span> }.into_any()
            } else {
                view! { <a href=r.link.clone() class="explain-post">{post}</a> }.into_any()
            };
            let num = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| number_text(style, v));
            view! {
                <tr data-row=r.row.to_string()>
                    <th scope="row">{post}</th>
                    <td>{r.platform.clone()}</td>
                    <td>{display_name(&names, Dimension::Campaign, &r.campaign)}</td>
                    <td>{display_name(&names, Dimension::Creator, &r.creator)}</td>
                    <td>{r.day.map(format_day).unwrap_or_else(|| "undated".into())}</td>
                    <td data-value=raw_number(r.numerator)>{num(r.numerator)}</td>
                    <td data-value=raw_number(r.denominator)>{num(r.denominator)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table>
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">"Post"</th><th scope="col">"Platform"</th>
                    <th scope="col">"Campaign"</th><th scope="col">"Creator"</th>
                    <th scope="col">"Date"</th><th scope="col">"Numerator"</th>
                    <th scope="col">"Denominator"</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// The used rows that contribute most to the numerator.
fn rows_view(state: &AppState, rows: &[RowLine], style: &NumberStyle) -> impl IntoView {
    (!rows.is_empty()).then(|| {
        let caption = format!("The {} rows that contribute most", rows.len());
        view! {
            <section class="explain-top-rows" aria-labelledby="explain-rows-title">
                <h3 id="explain-rows-title">"Top rows"</h3>
                {row_table(state, rows, style, caption)}
            </section>
        }
    })
}

/// The rows left out, by reason, each with its first few rows.
fn excluded_view(
    state: &AppState,
    excluded: &[ExcludedRows],
    style: &NumberStyle,
) -> impl IntoView {
    let groups = excluded
        .iter()
        .filter(|x| x.rows > 0)
        .map(|x| {
            let summary = format!(
                "{} rows: {}",
                style.number(x.rows as f64, 0),
                x.reason.words()
            );
            let sample = (!x.sample.is_empty()).then(|| {
                let caption = format!("The first {} of them", x.sample.len());
                row_table(state, &x.sample, style, caption)
            });
            view! {
                <details class="explain-excluded-reason" data-excluded-reason=reason_hook(&x.reason)
                    data-rows=x.rows.to_string()>
                    <summary>{summary}</summary>
                    {sample}
                </details>
            }
        })
        .collect_view();
    (excluded.iter().any(|x| x.rows > 0)).then(|| {
        view! {
            <section class="explain-excluded" aria-labelledby="explain-excluded-title">
                <h3 id="explain-excluded-title">"Rows left out"</h3>
                {groups}
            </section>
        }
    })
}

/// The view's comparison of the opened value's filter, if it has one.
fn comparison_of(answer: Option<Answer>) -> Option<Arc<Comparison>> {
    match answer {
        Some(Answer::Comparison(c)) => c,
        _ => None,
    }
}

/// "Why it moved": when the view compares two windows, the KPI's change split into
/// each group's mix and rate effects for a chosen dimension (the worker's drivers), in
/// a sentence and a table, with the variation flag of the change.
#[component]
fn WhyItMoved(opened: Opened) -> impl IntoView {
    let state = use_app();
    let kpi = opened.asked.kpi;
    let def = kpi.def();
    let comparison_question = Question::Comparison {
        filter: opened.filter.clone(),
        compare: opened.compare,
        granularity: opened.granularity,
    };
    let comparison = Memo::new(move |_| comparison_of(state.ask(&comparison_question)));
    // A group's own value splits by the other dimensions only.
    let own = opened
        .asked
        .group
        .as_deref()
        .and_then(|g| g.split_once(':'))
        .and_then(|(d, _)| dimension_named(d));
    let dims: Vec<Dimension> = Dimension::ALL
        .into_iter()
        .filter(|d| Some(*d) != own)
        .collect();
    let dimension = RwSignal::new(dims[0]);
    let (filter, compare, granularity) =
        (opened.filter.clone(), opened.compare, opened.granularity);
    let drivers = Memo::new(move |_| {
        let question = Question::Drivers {
            filter: filter.clone(),
            compare,
            granularity,
            kpi,
            dimension: dimension.get(),
        };
        match state.ask(&question) {
            Some(Answer::Drivers(d)) => Some(d),
            _ => None,
        }
    });
    let switcher = move || {
        dims.iter()
            .map(|&d| {
                view! {
                    <button type="button" class="explain-dim" data-why-dimension=d.name()
                        aria-pressed=move || (dimension.get() == d).to_string()
                        on:click=move |_| dimension.set(d)>
                        {dimension_label(d)}
                    </button>
                }
            })
            .collect_view()
    };
    let flag = move || {
        comparison.with(|c| {
            let c = c.as_ref()?;
            let v = c.variation(kpi)?;
            Some(view! {
                <p class="explain-variation" data-variation=v.verdict.name() title=v.detail()>
                    {variation_sentence(v)}
                </p>
            })
        })
    };
    let split = move || {
        let style = state.style.get_untracked();
        match drivers.get() {
            None => view! { <p class="hint" role="status">"Computing…"</p> }.into_any(),
            Some(None) => view! {
                <p class="hint">"This KPI's change cannot be split by group (it is not a sum or a ratio of sums of posts rows, or a window has no rows)."</p>
            }
            .into_any(),
            Some(Some(d)) => {
                let names = state.names.get_untracked();
                let sentence = drivers_sentence(&d, |dim, key| display_name(&names, dim, key), &style);
                let unit = def.unit;
                let rows = d
                    .drivers
                    .iter()
                    .map(|g| {
                        let signed = |v: f64| crate::display::drivers::signed(v, unit, &style);
                        view! {
                            <tr data-driver=format!("{}:{}", g.dimension.name(), g.key)
                                data-mix=raw_number(Some(g.mix)) data-rate=raw_number(Some(g.rate))>
                                <th scope="row">{display_name(&names, g.dimension, &g.key)}</th>
                                <td>{signed(g.mix)}</td>
                                <td>{signed(g.rate)}</td>
                                <td>{signed(g.total())}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <p class="explain-sentence" data-change=raw_number(Some(d.change()))>{sentence}</p>
                    <div class="table-wrap">
                        <table>
                            <caption>{format!("{}: {} → {}", def.name, style.value(d.before, unit), style.value(d.after, unit))}</caption>
                            <thead><tr>
                                <th scope="col">"Group"</th>
                                <th scope="col">"Mix (share of the denominator moved)"</th>
                                <th scope="col">"Rate (its own ratio moved)"</th>
                                <th scope="col">"Together"</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
        }
    };
    move || {
        comparison.with(Option::is_some).then(|| {
            let label = comparison.with(|c| c.as_ref().map(|c| c.label()).unwrap_or_default());
            view! {
                <section class="explain-why" aria-labelledby="explain-why-title">
                    <h3 id="explain-why-title">"Why it moved"</h3>
                    <p class="hint">{label}</p>
                    {flag}
                    <div class="explain-dims" role="group" aria-label="Split the change by">{switcher()}</div>
                    {split}
                </section>
            }
        })
    }
}

/// Each overall KPI's numerator and denominator in `results` under `settings`, for a
/// snapshot link to carry (`SnapshotKpi::p`): the ratio KPIs whose inputs some file
/// has, with finite sums (a platform's engagement rate from that platform's group).
pub fn snapshot_parts(results: &Results, settings: &Settings, id: KpiId) -> Option<[f64; 2]> {
    let parts = ratio_parts(id.def(), settings, results.measures).filter(|p| p.available)?;
    let sums = match parts.platform {
        Some(key) => &results.group(Dimension::Platform, key)?.sums,
        None => &results.overall_sums,
    };
    let s = parts.of(sums);
    [s.numerator, s.denominator]
        .iter()
        .all(|v| v.is_finite())
        .then_some([s.numerator, s.denominator])
}

/// The explain panel of a snapshot link: a click on a value shows what the link
/// carries (the value, its coverage, the numerator and denominator when the link has
/// them, the groups' values as contributions) with the formula and definition from the
/// registry, and says that the rows are not in the link.
#[component]
pub fn SnapshotExplain(snapshot: Snapshot) -> impl IntoView {
    let style = NumberStyle {
        currency_symbol: snapshot.currency_symbol.clone(),
        locale: snapshot.locale,
    };
    let snapshot = StoredValue::new(snapshot);
    let opened = RwSignal::new(None::<Asked>);
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    listen_for_values(move |element, asked| {
        opener.set_value(Some(element));
        opened.set(Some(asked));
    });
    show_while_open(dialog, move || opened.with(Option::is_some));
    let on_close = move |_| {
        let Some(was) = opened.get_untracked() else {
            return;
        };
        opened.set(None);
        let opener = opener.try_update_value(Option::take).flatten();
        focus_after_close(opener, was.kpi);
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let title = move || {
        opened.with(|o| {
            o.as_ref()
                .map(|o| format!("Explain: {}", o.kpi.def().name))
                .unwrap_or_default()
        })
    };
    let body = move || {
        let asked = opened.get()?;
        Some(snapshot.with_value(|s| snapshot_body(s, &asked, &style)))
    };
    view! {
        <ExplainHint/>
        <dialog id="explain" class="explain" node_ref=dialog aria-modal="true"
            aria-labelledby="explain-title" on:close=on_close>
            <div class="explain-head">
                <h2 id="explain-title">{title}</h2>
                <button type="button" id="explain-close" class="explain-close" on:click=close
                    aria-label="Close the explanation">"Close"</button>
            </div>
            {body}
        </dialog>
    }
}

/// What a snapshot can tell of one of its values.
fn snapshot_body(snapshot: &Snapshot, asked: &Asked, style: &NumberStyle) -> impl IntoView {
    let def = asked.kpi.def();
    let id = def.id.as_str();
    let group = asked
        .group
        .as_deref()
        .and_then(|g| g.split_once(':'))
        .and_then(|(dim, key)| {
            snapshot
                .groups
                .iter()
                .find(|g| g.dim == dim && g.key == key)
        });
    let kpi = match group {
        Some(g) => g
            .kpis
            .iter()
            .zip(GROUP_KPIS)
            .find(|(_, k)| k.as_str() == id)
            .map(|(k, _)| k),
        None => snapshot.kpis.iter().find(|k| k.id == id),
    };
    let value = kpi.map(|k| k.value());
    let value_text = value
        .as_ref()
        .map_or_else(|| "not in this link".to_owned(), |v| style.kpi(v, def.unit));
    let coverage = kpi.and_then(|k| k.coverage()).map(|c| {
        let excluded = c.of - c.used;
        view! {
            <section class="explain-coverage" aria-labelledby="explain-coverage-title"
                data-explain-part="coverage" data-used=c.used.to_string()
                data-excluded=excluded.to_string()>
                <h3 id="explain-coverage-title">"Coverage"</h3>
                <p>{format!(
                    "Used {} of the {} posts rows in view; {} lack one of its inputs.",
                    style.number(c.used as f64, 0),
                    style.number(c.of as f64, 0),
                    style.number(excluded as f64, 0)
                )}</p>
            </section>
        }
    });
    let parts = kpi
        .filter(|_| group.is_none())
        .and_then(|k| k.parts())
        .map(|[n, d]| {
            view! {
                <section class="explain-parts-section" aria-labelledby="explain-parts-title">
                    <h3 id="explain-parts-title">"Its parts"</h3>
                    <ul class="explain-parts">
                        <li data-explain-part="numerator" data-value=raw_number(Some(n))>
                            <span class="explain-part-label">"Numerator"</span>
                            <span class="explain-part-value">{number_text(style, n)}</span>
                        </li>
                        <li data-explain-part="denominator" data-value=raw_number(Some(d))>
                            <span class="explain-part-label">"Denominator"</span>
                            <span class="explain-part-value">{number_text(style, d)}</span>
                        </li>
                    </ul>
                </section>
            }
        });
    let position = GROUP_KPIS.iter().position(|k| *k == def.id);
    let contributions = position.map(|i| {
        let rows = snapshot
            .groups
            .iter()
            .filter_map(|g| {
                let k = g.kpis.get(i)?;
                let v = k.value();
                let text = style.kpi(&v, def.unit);
                let rows = k.coverage().map(|c| style.number(c.used as f64, 0)).unwrap_or_default();
                Some(view! {
                    <tr data-contribution=format!("{}:{}", g.dim, g.key)>
                        <th scope="row">{format!("{} {}", g.dim, g.name)}</th>
                        <td data-value=raw_number(v.value())>{text}</td>
                        <td>{rows}</td>
                    </tr>
                })
            })
            .collect_view();
        view! {
            <section class="explain-contributions" aria-labelledby="explain-contributions-title">
                <h3 id="explain-contributions-title">"Value by group"</h3>
                <div class="table-wrap"><table>
                    <thead><tr>
                        <th scope="col">"Group"</th><th scope="col">"Value"</th><th scope="col">"Rows used"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            </section>
        }
    });
    let settings = snapshot
        .context
        .iter()
        .map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> })
        .collect_view();
    view! {
        <div class="explain-body">
            {group.map(|g| view! { <p class="explain-group">{format!("For {} {}", g.dim, g.name)}</p> })}
            <p class="explain-value" data-explain-value=raw_number(value.as_ref().and_then(KpiValue::value))>
                <span class="explain-value-name">{def.name}</span>" = "<strong>{value_text}</strong>
            </p>
            <p class="explain-snapshot-note" id="explain-snapshot-note">
                "This is a snapshot link: it carries the computed values, not the rows. The rows behind this number, their sums by group and the rows download are not in the link; open the dashboard on the data to see them."
            </p>
            <section class="explain-formula" aria-labelledby="explain-formula-title">
                <h3 id="explain-formula-title">"Formula"</h3>
                <p class="explain-definition">{def.definition}</p>
                <p class="explain-symbols"><code>{def.formula}</code></p>
            </section>
            {parts}
            {coverage}
            <section class="explain-settings" aria-labelledby="explain-settings-title">
                <h3 id="explain-settings-title">"Settings used"</h3>
                <dl>{settings}</dl>
            </section>
            {contributions}
        </div>
    }
}

/// The variation flag in a sentence: "Within normal variation: z = −0.7 (90 and 90
/// days with data)."
fn variation_sentence(v: &Variation) -> String {
    let words = v.verdict.words();
    let mut chars = words.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_default();
    format!("{first}{}: {}.", chars.as_str(), v.detail())
}

/// Keeps `dialog` shown (modal) while `is_open` says so, and closed otherwise.
fn show_while_open(
    dialog: NodeRef<leptos::html::Dialog>,
    is_open: impl Fn() -> bool + Send + Sync + 'static,
) {
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        let is_open = is_open();
        if is_open && !dialog.open() {
            let _ = dialog.show_modal();
        } else if !is_open && dialog.open() {
            dialog.close();
        }
    });
}
