//! The global filter bar. Every control writes the URL query (navigate), and the
//! views read the query back: links, reload and back/forward restore the state.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

use crate::data::calendar::{format_day, parse_iso_day, Granularity};
use crate::display::query::{reversed_range_message, Preset, UnknownValue, ViewQuery};
use crate::metrics::trend::CompareMode;
use crate::ui::state::use_app;

/// `(value, label)` options of a select, "All …" first.
fn options_of(all_label: &str, values: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), all_label.to_owned())];
    out.extend(values.into_iter().filter(|(v, _)| !v.is_empty()));
    out
}

/// A labelled select whose options and selected value follow signals.
#[component]
fn FilterSelect(
    id: &'static str,
    label: &'static str,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] selected: Signal<String>,
    on_pick: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <div class="filter">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| on_pick(event_target_value(&ev))>
                {move || {
                    let current = selected.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(value, text)| {
                            let is_selected = value == current;
                            view! { <option value=value prop:selected=is_selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// How many filters narrow the view: the period (a start or an end day), and each of
/// platform, campaign, creator and format that is set (compare and granularity are
/// ways of showing, not filters).
pub fn active_filters(q: &ViewQuery) -> usize {
    let period = q.from.is_some() || q.to.is_some();
    let named = [&q.platform, &q.campaign, &q.creator, &q.format];
    usize::from(period) + named.iter().filter(|v| !v.is_empty()).count()
}

/// The filter bar: date preset and range, platform, campaign, creator, format,
/// compare mode and granularity. At phone widths (CSS, <= 600 px) it folds into one
/// "Filters (N)" button that opens it.
#[component]
pub fn FilterBar() -> impl IntoView {
    let state = use_app();
    let navigate = use_navigate();
    let location = use_location();
    let update = move |change: Box<dyn FnOnce(&mut ViewQuery)>| {
        let mut q = state.query.get_untracked();
        change(&mut q);
        let qs = q.to_query_string();
        let path = super::share::route_path(&location.pathname.get_untracked());
        let url = if qs.is_empty() {
            path
        } else {
            format!("{path}?{qs}")
        };
        navigate(&url, NavigateOptions::default());
    };
    let dims = Memo::new(move |_| {
        let outline = state.outline.get();
        state.names.with(|ws| {
            let plain = |vals: &[String]| {
                vals.iter()
                    .map(|v| (v.clone(), v.clone()))
                    .collect::<Vec<_>>()
            };
            let named = |ids: &[String], name_of: &dyn Fn(&str) -> Option<String>| {
                ids.iter()
                    .map(|id| {
                        let text =
                            name_of(id).map_or_else(|| id.clone(), |n| format!("{n} ({id})"));
                        (id.clone(), text)
                    })
                    .collect::<Vec<_>>()
            };
            let named_campaigns = named(&outline.campaign_ids, &|id| {
                ws.campaign_name(id).map(str::to_owned)
            });
            let named_creators = named(&outline.creator_ids, &|id| {
                ws.creator_name(id).map(str::to_owned)
            });
            (
                options_of("All platforms", plain(&outline.platforms)),
                options_of("All campaigns", named_campaigns),
                options_of("All creators", named_creators),
                options_of("All formats", plain(&outline.formats)),
            )
        })
    });
    // Filter values of the link that no post has: shown as "unknown: …", never as All.
    let unknown = Memo::new(move |_| {
        if state.outline.with(|o| o.posts) == 0 {
            return Vec::new();
        }
        let (platforms, campaigns, creators, formats) = dims.get();
        let known = |key: &str, value: &str| {
            let options = match key {
                "platform" => &platforms,
                "campaign" => &campaigns,
                "creator" => &creators,
                _ => &formats,
            };
            options.iter().any(|(v, _)| v == value)
        };
        state.query.with(|q| q.unknown_values(known))
    });
    let with_unknown = move |key: &'static str, options: Vec<(String, String)>| {
        let mut options = options;
        unknown.with(|u| {
            for value in u.iter().filter(|u| u.key == key) {
                options.push((
                    value.value.clone(),
                    UnknownValue::option_label(&value.value),
                ));
            }
        });
        options
    };
    let preset = Signal::derive(move || {
        let q = state.query.get();
        Preset::matching(q.from, q.to, state.span.get().map(|s| s.1))
            .map_or("custom", Preset::value)
            .to_owned()
    });
    let preset_options = Signal::derive(move || {
        let mut o: Vec<(String, String)> = Preset::ALL
            .iter()
            .map(|p| (p.value().to_owned(), p.label().to_owned()))
            .collect();
        if preset.get() == "custom" {
            o.push(("custom".into(), "Custom range".into()));
        }
        o
    });
    // A range typed with its end before its start is refused here, in words.
    let typed_notice = RwSignal::new(None::<String>);
    // Any change of the filter clears it.
    Effect::new(move |_| {
        state.query.track();
        typed_notice.set(None);
    });
    let date_update = update.clone();
    let date_input = move |id: &'static str, label: &'static str, is_from: bool| {
        let update = date_update.clone();
        let value = move || {
            let q = state.query.get();
            if is_from { q.from } else { q.to }
                .map(format_day)
                .unwrap_or_default()
        };
        view! {
            <div class="filter">
                <label for=id>{label}</label>
                <input
                    id=id
                    type="date"
                    prop:value=value
                    on:change=move |ev| {
                        let day = parse_iso_day(&event_target_value(&ev));
                        let q = state.query.get_untracked();
                        let (from, to) = if is_from { (day, q.to) } else { (q.from, day) };
                        if let Some(message) = reversed_range_message(from, to) {
                            typed_notice.set(Some(message));
                            // The input shows the date still in force.
                            let kept = if is_from { q.from } else { q.to };
                            let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                            if let Some(input) = input {
                                input.set_value(&kept.map(format_day).unwrap_or_default());
                            }
                            return;
                        }
                        typed_notice.set(None);
                        update(Box::new(move |q| if is_from { q.from = day } else { q.to = day }));
                    }
                />
            </div>
        }
    };
    let pick = |apply: fn(&mut ViewQuery, String)| {
        let update = update.clone();
        move |v: String| update(Box::new(move |q| apply(q, v)))
    };
    let pick_preset = {
        let update = update.clone();
        move |v: String| {
            let Some(p) = Preset::from_value(&v) else {
                return;
            };
            let range = state
                .span
                .get_untracked()
                .map_or((None, None), |s| p.range(s.1));
            update(Box::new(move |q| (q.from, q.to) = range));
        }
    };
    let q = move || state.query.get();
    let open = RwSignal::new(false);
    let active = Memo::new(move |_| state.query.with(active_filters));
    view! {
        {move || {
            let mut errors = state.query_errors.get();
            errors.extend(typed_notice.get());
            errors.extend(unknown.get().iter().map(UnknownValue::message));
            (!errors.is_empty()).then(|| view! {
                <p id="query-notice" class="notice" role="alert">{errors.join(" ")}</p>
            })
        }}
        <div class="filters" class:open=move || open.get()>
        <button id="filters-toggle" type="button" class="filters-toggle"
            aria-controls="filter-bar" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>
            {move || format!("Filters ({})", active.get())}
        </button>
        <section id="filter-bar" class="filter-bar" aria-label="Filters">
            <FilterSelect id="filter-preset" label="Period" options=preset_options selected=preset on_pick=pick_preset/>
            {date_input("filter-from", "From", true)}
            {date_input("filter-to", "To", false)}
            <FilterSelect id="filter-platform" label="Platform"
                options=Signal::derive(move || with_unknown("platform", dims.get().0))
                selected=Signal::derive(move || q().platform)
                on_pick=pick(|q, v| q.platform = v)/>
            <FilterSelect id="filter-campaign" label="Campaign"
                options=Signal::derive(move || with_unknown("campaign", dims.get().1))
                selected=Signal::derive(move || q().campaign)
                on_pick=pick(|q, v| q.campaign = v)/>
            <FilterSelect id="filter-creator" label="Creator"
                options=Signal::derive(move || with_unknown("creator", dims.get().2))
                selected=Signal::derive(move || q().creator)
                on_pick=pick(|q, v| q.creator = v)/>
            <FilterSelect id="filter-format" label="Format"
                options=Signal::derive(move || with_unknown("format", dims.get().3))
                selected=Signal::derive(move || q().format)
                on_pick=pick(|q, v| q.format = v)/>
            <FilterSelect id="filter-compare" label="Compare to"
                options=Signal::derive(|| vec![
                    ("previous".to_owned(), "Previous period".to_owned()),
                    ("year".to_owned(), "Same period last year".to_owned()),
                ])
                selected=Signal::derive(move || q().compare.name().to_owned())
                on_pick=pick(|q, v| q.compare = if v == "year" { CompareMode::YearAgo } else { CompareMode::PreviousPeriod })/>
            <FilterSelect id="filter-granularity" label="Granularity"
                options=Signal::derive(|| Granularity::ALL.iter().map(|g| (g.name().to_owned(), g.name().to_owned())).collect())
                selected=Signal::derive(move || q().granularity.name().to_owned())
                on_pick=pick(|q, v| if let Some(g) = Granularity::from_name(&v) { q.granularity = g })/>
        </section>
        </div>
    }
}
