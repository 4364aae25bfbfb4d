//! The router and the layout: header with the main navigation, critical-alert badge and
//! dataset indicator; the filter bar on the analysis views; the routes in `<main>`; files
//! dropped anywhere load (a stray drop never navigates away).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_query_map};
use leptos_router::path;

use crate::metrics::alerts::Severity;

use super::browser::{file_name_of, js_error, same_origin_url};
use super::components::filters::FilterBar;
use super::components::progress::{refuse_too_big, IngestProgress, IngestProgressView};
use super::components::remember::RememberedWorkspace;
use super::components::share::{
    app_base, keep_links_under_base, reload_on_snapshot_fragment, restore_redirected_path,
    route_path, snapshot_in_url, SharePanel, SnapshotPage,
};
use super::components::upload::{accept_file_objects, read_and_accept};
use super::routes::{
    alerts::AlertsPage, campaign::CampaignPage, campaigns::CampaignsPage, creator::CreatorPage,
    creators::CreatorsPage, data::DataPage, glossary::GlossaryPage, not_found::NotFound,
    privacy::PrivacyPage, report::ReportsPage, settings::SettingsPage, summary::SummaryPage,
};
use super::state::AppState;

/// Main navigation entries.
const NAV: [(&str, &str); 8] = [
    ("/", "Summary"),
    ("/campaigns", "Campaigns"),
    ("/creators", "Creators"),
    ("/alerts", "Alerts"),
    ("/reports", "Reports"),
    ("/glossary", "Glossary"),
    ("/data", "Data"),
    ("/settings", "Settings"),
];

/// The root component: a read-only snapshot for `#s=…` links, else the dashboard under
/// the path the app is served from.
#[component]
pub fn App() -> impl IntoView {
    if let Some(payload) = snapshot_in_url() {
        return view! { <SnapshotPage payload=payload/> }.into_any();
    }
    reload_on_snapshot_fragment();
    let base = app_base();
    restore_redirected_path(&base);
    keep_links_under_base(&base);
    let base = base.trim_end_matches('/').to_owned();
    view! {
        <Router base=base>
            <Shell/>
        </Router>
    }
    .into_any()
}

/// Loads `?data=<same-origin URL>` once at start-up as a drop of that file would: it is
/// fetched as a `File` (its bytes stay in the browser, not in wasm memory) and handed to
/// the drop's loader ([`accept_file_objects`]), so a big file is parsed in a data worker
/// with progress and cancel, and one over the size limit is refused before it is read.
fn load_data_param(state: AppState, progress: IngestProgress) {
    let Some(raw) = use_query_map().with_untracked(|m| m.get("data")) else {
        return;
    };
    match same_origin_url(&raw) {
        Err(message) => state.load_error.set(Some(message)),
        Ok(url) => leptos::task::spawn_local(async move {
            match fetch_file(&url, &file_name_of(&url)).await {
                Ok(file) => accept_file_objects(state, progress, vec![file]),
                Err(Fetched::TooBig(refusal)) => state.add_errors(vec![refusal]),
                Err(Fetched::Failed(e)) => state
                    .load_error
                    .set(Some(format!("Could not load {raw}: {e}"))),
            }
        }),
    }
}

/// Why a hosted file was not fetched.
enum Fetched {
    /// Its Content-Length is over the size limit (the refusal; the body is not read).
    TooBig(String),
    Failed(String),
}

/// A same-origin URL's body as a `File` named `name`. A response whose Content-Length
/// is over the size limit is refused before its body is read (and its download
/// cancelled); one without a length is checked by its `File`'s size.
async fn fetch_file(url: &str, name: &str) -> Result<web_sys::File, Fetched> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed = |e: wasm_bindgen::JsValue| Fetched::Failed(js_error(e));
    let window = web_sys::window().ok_or(Fetched::Failed("no window".into()))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(|_| Fetched::Failed("not a response".into()))?;
    if !response.ok() {
        return Err(Fetched::Failed(format!(
            "HTTP {} for {url}",
            response.status()
        )));
    }
    let length = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|l| l.trim().parse::<f64>().ok());
    if let Some(refusal) = length.and_then(|n| refuse_too_big(name, n)) {
        if let Some(body) = response.body() {
            let _ = body.cancel();
        }
        return Err(Fetched::TooBig(refusal));
    }
    let blob = JsFuture::from(response.blob().map_err(failed)?)
        .await
        .map_err(failed)?;
    web_sys::File::new_with_blob_sequence(&js_sys::Array::of1(&blob), name).map_err(failed)
}

/// The skip link's action: focus `<main>` (the router would otherwise take the click as
/// a navigation and leave the focus where it was).
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    ev.prevent_default();
    let main = document()
        .get_element_by_id("main")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        let _ = main.focus();
    }
}

/// Whether a drop landed in the Data page's drop zone (which loads it itself).
fn in_drop_zone(ev: &web_sys::DragEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("#drop-zone").ok().flatten())
        .is_some()
}

/// Drop anywhere: files dropped on any page load through the same loader as the Data
/// page's drop zone and file input; every drag-over and drop is taken by the page, so a
/// stray drop (a file, a link, some text) never makes the browser navigate away.
fn accept_drops_anywhere(state: AppState, progress: IngestProgress) {
    let _ = window_event_listener(leptos::ev::dragover, |ev| ev.prevent_default());
    let _ = window_event_listener(leptos::ev::drop, move |ev| {
        ev.prevent_default();
        if in_drop_zone(&ev) {
            return;
        }
        let files = ev.data_transfer().and_then(|d| d.files());
        if files.as_ref().is_some_and(|f| f.length() > 0) {
            read_and_accept(state, progress, files);
        }
    });
}

/// Layout inside the router (the state reads the URL).
#[component]
fn Shell() -> impl IntoView {
    let state = AppState::provide();
    let progress = IngestProgress::new();
    provide_context(progress);
    load_data_param(state, progress);
    accept_drops_anywhere(state, progress);
    let location = use_location();
    let on_data_page = move || route_path(&location.pathname.get()) == "/data";
    // Off the Data page, a drop's progress and what it needs or refused show here.
    let drop_notice = move || {
        if on_data_page() {
            return None;
        }
        let waiting = state.pending.with(Vec::len);
        let error = state.load_error.get();
        (waiting > 0 || error.is_some()).then(|| {
            let text = if waiting == 1 {
                "1 file waits for your input: ".to_owned()
            } else {
                format!("{waiting} files wait for your input: ")
            };
            view! {
                <div id="drop-notice" class="panel notice" role="status">
                    {(waiting > 0).then(|| view! {
                        <p>{text}<A href="/data">"open the Data page"</A></p>
                    })}
                    {error.map(|e| view! { <div role="alert" class="load-error">{e.lines().map(|l| view! { <p>{l.to_owned()}</p> }).collect_view()}</div> })}
                </div>
            }
        })
    };
    let show_filters = move || {
        let path = route_path(&location.pathname.get());
        !["/glossary", "/settings", "/data", "/privacy"].contains(&path.as_str())
    };
    let critical = move || state.alert_count(Severity::Critical);
    let badge_class = move || {
        if critical() > 0 {
            "badge has-critical"
        } else {
            "badge"
        }
    };
    let nav = NAV
        .iter()
        .map(|&(href, label)| view! { <li><A href=href exact=true>{label}</A></li> })
        .collect_view();
    view! {
        <RememberedWorkspace/>
        <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
        <header class="app-header">
            <div class="brand">
                <span class="logo" aria-hidden="true">"◆"</span>
                <span class="brand-name">"Influencer KPI Dashboard"</span>
            </div>
            <nav aria-label="Main"><ul>{nav}</ul></nav>
            <div class="header-meta">
                <a id="critical-badge" href="/alerts" class=badge_class data-count=critical>
                    {critical} " critical"
                </a>
                <span class="dataset">"Dataset: " <span id="dataset-name">{move || state.dataset_name.get()}</span></span>
                <span id="computing" class="computing" aria-live="polite">
                    {move || state.computing.get().then_some("Computing…")}
                </span>
                <A href="/privacy" attr:class="privacy">"Your data stays in this browser"</A>
            </div>
        </header>
        <Show when=show_filters>
            <FilterBar/>
            <SharePanel/>
        </Show>
        <Show when=move || !on_data_page()>
            <IngestProgressView progress=progress/>
        </Show>
        {drop_notice}
        <main id="main" tabindex="-1">
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=SummaryPage/>
                <Route path=path!("/campaigns") view=CampaignsPage/>
                <Route path=path!("/campaigns/:id") view=CampaignPage/>
                <Route path=path!("/creators") view=CreatorsPage/>
                <Route path=path!("/creators/:id") view=CreatorPage/>
                <Route path=path!("/alerts") view=AlertsPage/>
                <Route path=path!("/glossary") view=GlossaryPage/>
                <Route path=path!("/data") view=DataPage/>
                <Route path=path!("/settings") view=SettingsPage/>
                <Route path=path!("/privacy") view=PrivacyPage/>
                <Route path=path!("/reports") view=ReportsPage/>
            </Routes>
        </main>
        <footer class="app-footer">
            <p>"Computed in your browser with Rust + WebAssembly. Nothing is uploaded."</p>
        </footer>
    }
}
