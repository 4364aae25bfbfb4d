//! Sharing: "Copy link" (the URL already holds the view and its filters), snapshot links
//! (`#s=…`, the aggregated results in the fragment, see [`crate::display::share`]), the
//! read-only snapshot page, and the app's base path when it is served from a sub-path.

use leptos::prelude::*;

use crate::display::format::NumberStyle;
use crate::display::share::{
    decode, encode, fragment_payload, Snapshot, SnapshotError, SnapshotGroup, SnapshotSource,
    GROUP_KPIS, MAX_SNAPSHOT_CHARS,
};
use crate::display::status::card_class;
use crate::metrics::engine::{Coverage, Dimension, KpiValue};
use crate::metrics::registry::{kpi, registry, KpiDef, KpiGroup, KpiId};
use crate::metrics::targets::Status;
use crate::ui::state::use_app;

use super::explain::{snapshot_parts, SnapshotExplain};
use super::export::export_context;
use super::kpi::KpiValueView;

/// The path the app is served under ("/" or e.g. "/reports/acme/"), read from the URL of
/// the app's own JavaScript module, which trunk writes with its `--public-url`.
pub fn app_base() -> String {
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BASE.get_or_init(read_app_base).clone()
}

/// A location path without the app's base (`/sub/alerts` → `/alerts`), as routes and
/// `navigate` expect it.
pub fn route_path(pathname: &str) -> String {
    let base = app_base();
    match pathname.strip_prefix(base.trim_end_matches('/')) {
        Some(rest) if base != "/" && (rest.is_empty() || rest.starts_with('/')) => {
            if rest.is_empty() {
                "/".into()
            } else {
                rest.to_owned()
            }
        }
        _ => pathname.to_owned(),
    }
}

fn read_app_base() -> String {
    let href = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(r#"link[rel="modulepreload"], script[type="module"][src]"#)
                .ok()
                .flatten()
        })
        .and_then(|e| e.get_attribute("href").or_else(|| e.get_attribute("src")));
    base_of_script(href.as_deref())
}

/// The directory of a script's URL path, ending in `/` ("/" when unknown).
fn base_of_script(href: Option<&str>) -> String {
    let path = href
        .and_then(|h| web_sys::Url::new_with_base(h, "http://x/").ok())
        .map(|u| u.pathname())
        .unwrap_or_default();
    match path.rfind('/') {
        Some(i) if path.starts_with('/') => path[..=i].to_owned(),
        _ => "/".into(),
    }
}

/// Undoes the 404.html redirect of static hosts without rewrite rules: `?redirect=/path?q`
/// becomes the address `<base>path?q` again (same origin only) before the router reads it.
pub fn restore_redirected_path(base: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let Some(target) = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("redirect"))
    else {
        return;
    };
    if !target.starts_with('/') || target.starts_with("//") {
        return;
    }
    let hash = location.hash().unwrap_or_default();
    let url = format!("{}{target}{hash}", base.trim_end_matches('/'));
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Served from a sub-path, app links written as `/route` are moved under the base just
/// before the router handles their click (a capture listener runs first), so views need
/// not know where the app is hosted.
pub fn keep_links_under_base(base: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if base == "/" {
        return;
    }
    let base = base.to_owned();
    let options = gloo::events::EventListenerOptions::run_in_capture_phase();
    gloo::events::EventListener::new_with_options(&window, "click", options, move |event| {
        use wasm_bindgen::JsCast;
        let anchor = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten());
        let Some(anchor) = anchor else {
            return;
        };
        let href = anchor.get_attribute("href").unwrap_or_default();
        if href.starts_with('/') && !href.starts_with("//") && !href.starts_with(&base) {
            let _ = anchor.set_attribute("href", &format!("{base}{}", &href[1..]));
        }
    })
    .forget();
}

/// Reloads the page when a snapshot fragment is pasted into the address bar of an open
/// dashboard (a fragment change alone does not reload).
pub fn reload_on_snapshot_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    gloo::events::EventListener::new(&window, "hashchange", |_| {
        if snapshot_in_url().is_some() {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    })
    .forget();
}

/// The snapshot payload in the page's URL fragment, if any.
pub fn snapshot_in_url() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    fragment_payload(&hash).map(str::to_owned)
}

fn copy_to_clipboard(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// "Copy link" and "Create snapshot link" for the current view.
#[component]
pub fn SharePanel() -> impl IntoView {
    let state = use_app();
    let status = RwSignal::new(String::new());
    let snapshot_link = RwSignal::new(None::<String>);
    let snapshot_error = RwSignal::new(None::<String>);
    let copy_view_link = move |_| {
        let href = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        copy_to_clipboard(&href);
        status.set("Link to this view copied.".into());
    };
    let make_snapshot = move |_| {
        let context = export_context(&state);
        let results = state.results.get_untracked();
        let ws = state.names.get_untracked();
        let (currency_symbol, locale) = state
            .style
            .with_untracked(|s| (s.currency_symbol.clone(), s.locale));
        let dataset = state.dataset_name.get_untracked();
        let query = state.query.get_untracked().to_query_string();
        let source = SnapshotSource {
            dataset: &dataset,
            query: &query,
            context: &context,
            currency_symbol: &currency_symbol,
            locale,
        };
        let mut snapshot = Snapshot::of(&results, &source, |dim, key| {
            let name = match dim {
                Dimension::Campaign => ws.campaign_name(key),
                Dimension::Creator => ws.creator_name(key),
                _ => None,
            };
            name.unwrap_or(key).to_owned()
        });
        // Each ratio KPI's numerator and denominator, for the snapshot's explain panel.
        let settings = state.compute.get_untracked();
        for k in &mut snapshot.kpis {
            k.p = KpiId::parse(&k.id).and_then(|id| snapshot_parts(&results, &settings, id));
        }
        match encode(&snapshot) {
            Ok(payload) => {
                let location = web_sys::window().map(|w| w.location());
                let origin = location
                    .as_ref()
                    .and_then(|l| l.origin().ok())
                    .unwrap_or_default();
                let link = format!("{origin}{}#s={payload}", app_base());
                copy_to_clipboard(&link);
                snapshot_error.set(None);
                snapshot_link.set(Some(link));
                status.set(format!(
                    "Snapshot link copied ({} of at most {MAX_SNAPSHOT_CHARS} characters).",
                    payload.len()
                ));
            }
            Err(e) => {
                snapshot_link.set(None);
                snapshot_error.set(Some(e.to_string()));
                status.set(String::new());
            }
        }
    };
    view! {
        <div class="share-panel">
            <button id="copy-link" type="button" on:click=copy_view_link>"Copy link"</button>
            <button id="make-snapshot" type="button" on:click=make_snapshot
                title="A link that carries this view's computed KPIs (not your rows) in its #fragment, which is never sent to a server">
                "Snapshot link"
            </button>
            <span id="share-status" role="status">{move || status.get()}</span>
            {move || snapshot_link.get().map(|link| view! {
                <label class="snapshot-link">"Snapshot link "
                    <input id="snapshot-link" type="text" readonly=true prop:value=link/>
                </label>
            })}
            {move || snapshot_error.get().map(|e| view! {
                <p id="snapshot-error" class="error" role="alert">{e}</p>
            })}
        </div>
    }
}

/// The read-only dashboard of a snapshot link: no data is loaded, nothing is computed.
#[component]
pub fn SnapshotPage(payload: String) -> impl IntoView {
    let home = app_base();
    let body = match decode(&payload) {
        Ok(snapshot) => {
            let explain = view! { <SnapshotExplain snapshot=snapshot.clone()/> };
            view! { {snapshot_view(snapshot)} {explain} }.into_any()
        }
        Err(e) => snapshot_error_view(e).into_any(),
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="app-header">
            <div class="brand">
                <span class="logo" aria-hidden="true">"◆"</span>
                <span class="brand-name">"Influencer KPI Dashboard"</span>
            </div>
            <div class="header-meta">
                <a class="privacy" href=format!("{home}privacy")>"Your data stays in this browser"</a>
            </div>
        </header>
        <main id="main" tabindex="-1" class="snapshot">
            {body}
            <p><a id="open-dashboard" href=home>"Open the dashboard"</a></p>
        </main>
    }
}

fn snapshot_error_view(error: SnapshotError) -> impl IntoView {
    view! {
        <h1>"Snapshot link"</h1>
        <p id="snapshot-error" class="error" role="alert">{error.to_string()}</p>
    }
}

fn snapshot_view(snapshot: Snapshot) -> impl IntoView {
    let style = NumberStyle {
        currency_symbol: snapshot.currency_symbol.clone(),
        locale: snapshot.locale,
    };
    let context = snapshot
        .context
        .iter()
        .map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> })
        .collect_view();
    let sections = KpiGroup::ALL
        .into_iter()
        .map(|group| {
            let cards = registry()
                .iter()
                .filter(|d| d.group == group)
                .filter_map(|def| {
                    let k = snapshot.kpis.iter().find(|k| k.id == def.id.as_str())?;
                    let (value, coverage) = (k.value(), k.coverage());
                    Some(view! {
                        <article class=card_class(Status::NoTarget, def.direction) title=def.definition>
                            <h3 class="kpi-name">{def.name}</h3>
                            <p class="kpi-main">{value_span(Some(def), &value, None, coverage, &style)}</p>
                        </article>
                    })
                })
                .collect_view();
            view! {
                <section class="panel">
                    <h2>{group.name()}</h2>
                    <div class="cards">{cards}</div>
                </section>
            }
        })
        .collect_view();
    let tables = [
        (Dimension::Platform, "By platform"),
        (Dimension::Campaign, "Top campaigns by revenue"),
        (Dimension::Creator, "Top creators by revenue"),
    ]
    .into_iter()
    .map(|(dim, caption)| {
        let groups: Vec<&SnapshotGroup> = snapshot.groups_of(dim).collect();
        group_table(caption, &groups, &style)
    })
    .collect_view();
    view! {
        <h1>"Shared snapshot"</h1>
        <p id="snapshot-notice" class="notice">
            "Read-only snapshot: these numbers were computed in the sender's browser and travel in this link's #fragment, which is never sent to a server. No data is loaded on this page. Dataset: "
            <strong>{snapshot.dataset.clone()}</strong>
        </p>
        <dl class="export-context">{context}</dl>
        {sections}
        {snapshot.groups_omitted.then(|| view! {
            <p class="notice">"Group tables were left out to keep the link short."</p>
        })}
        {tables}
    }
}

/// A snapshot's KPI value through the one KPI value renderer, in the snapshot's style.
fn value_span(
    def: Option<&'static KpiDef>,
    value: &KpiValue,
    group: Option<String>,
    coverage: Option<Coverage>,
    style: &NumberStyle,
) -> impl IntoView {
    let style = Some(style.clone());
    let value = value.clone();
    def.map(|def| {
        view! { <KpiValueView def=def value=value group=group coverage=coverage style=style/> }
    })
}

fn group_table(caption: &str, groups: &[&SnapshotGroup], style: &NumberStyle) -> impl IntoView {
    let headers = GROUP_KPIS
        .iter()
        .map(|&id| kpi(id))
        .map(|d| view! { <th scope="col">{d.name}</th> })
        .collect_view();
    let rows = groups
        .iter()
        .map(|g| {
            let attr = format!("{}:{}", g.dim, g.key);
            let cells = GROUP_KPIS
                .iter()
                .zip(&g.kpis)
                .map(|(id, k)| {
                    view! { <td>{value_span(Some(kpi(*id)), &k.value(), Some(attr.clone()), k.coverage(), style)}</td> }
                })
                .collect_view();
            view! {
                <tr><th scope="row">{g.name.clone()}</th><td>{style.money(g.revenue)}</td>{cells}</tr>
            }
        })
        .collect_view();
    (!groups.is_empty()).then(|| {
        view! {
            <section class="panel">
                <div class="table-wrap"><table>
                    <caption>{caption.to_owned()}</caption>
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Revenue"</th>{headers}</tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            </section>
        }
    })
}
