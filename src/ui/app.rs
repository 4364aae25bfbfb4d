//! The router and the layout: header with the main navigation, critical-alert badge and
//! dataset indicator; the filter bar on the analysis views; the routes in `<main>`; files
//! dropped anywhere load (a stray drop never navigates away).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_query_map};
use leptos_router::path;

use crate::metrics::alerts::Severity;

use super::browser::{file_name_of, js_error, same_origin_url};
use super::components::explain::ExplainPanel;
use super::components::filters::FilterBar;
use super::components::live::{self, Live, LiveControl};
use super::components::progress::{
    refuse_too_big, response_length, IngestProgress, IngestProgressView,
};
use super::components::remember::RememberedWorkspace;
use super::components::share::{
    app_base, keep_links_under_base, reload_on_snapshot_fragment, restore_redirected_path,
    route_path, snapshot_in_url, SharePanel, SnapshotPage,
};
use super::components::upload::{self, read_and_accept, Arriving, Source};
use super::routes::plan::PlanPage;
use super::routes::{
    alerts::AlertsPage, campaign::CampaignPage, campaigns::CampaignsPage, creator::CreatorPage,
    creators::CreatorsPage, data::DataPage, glossary::GlossaryPage, not_found::NotFound,
    privacy::PrivacyPage, report::ReportsPage, settings::SettingsPage, summary::SummaryPage,
};
use super::state::{AppState, Hosted};

/// Main navigation entries.
const NAV: [(&str, &str); 9] = [
    ("/", "Summary"),
    ("/campaigns", "Campaigns"),
    ("/creators", "Creators"),
    ("/alerts", "Alerts"),
    ("/reports", "Reports"),
    ("/plan", "Plan"),
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
/// the drop's loader ([`upload::load`]), so a big file is parsed in a data worker
/// with progress and cancel, and one over the size limit is refused before it is read.
/// Until it has loaded `state.hosted` says so (no data is shown meanwhile, never the
/// demo's); when it fails it stays [`Hosted::Failed`] and the demo is offered.
fn load_data_param(state: AppState, progress: IngestProgress) {
    let Some(raw) = use_query_map().with_untracked(|m| m.get("data")) else {
        return;
    };
    let name = file_name_of(&raw);
    let failed = move |name: String| state.hosted.set(Some(Hosted::Failed { name }));
    match same_origin_url(&raw) {
        Err(message) => {
            state.load_error.set(Some(message));
            failed(name);
        }
        Ok(url) => leptos::task::spawn_local(async move {
            let file = match fetch_file(state, &url, &name).await {
                Ok(file) => file,
                Err(Fetched::TooBig(refusal)) => {
                    state.add_errors(vec![refusal]);
                    return failed(name);
                }
                Err(Fetched::Failed(e)) => {
                    state
                        .load_error
                        .set(Some(format!("Could not load {raw}: {e}")));
                    return failed(name);
                }
            };
            live::note_file(&file);
            let version = state.load_version.get_untracked();
            upload::load(state, progress, Source::Files, vec![Arriving::detect(file)]).await;
            // Still this link's load (not cleared, nor replaced by the demo meanwhile).
            if !matches!(state.hosted.get_untracked(), Some(Hosted::Loading { .. })) {
                return;
            }
            let loaded = state.load_version.get_untracked() != version;
            let waits = state.pending.with_untracked(|p| !p.is_empty());
            if loaded || waits {
                state.hosted.set(None);
            } else {
                failed(name);
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

/// A same-origin URL's body as a `File` named `name`, its bytes received counted in
/// `state.hosted`. A response whose Content-Length is over the size limit is refused
/// before its body is read (and its download cancelled); one without a length is
/// refused once more than the limit has arrived.
async fn fetch_file(state: AppState, url: &str, name: &str) -> Result<web_sys::File, Fetched> {
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
    live::note_response(&response);
    let length = response_length(name, &response).map_err(Fetched::TooBig)?;
    let show = |received: f64| {
        state.hosted.update(|h| {
            if let Some(Hosted::Loading {
                received: r, total, ..
            }) = h
            {
                *r = received;
                *total = length;
            }
        })
    };
    show(0.0);
    let parts = match response.body() {
        Some(body) => read_stream(&body, name, show).await?,
        None => {
            let blob = JsFuture::from(response.blob().map_err(failed)?)
                .await
                .map_err(failed)?;
            js_sys::Array::of1(&blob)
        }
    };
    web_sys::File::new_with_blob_sequence(&parts, name).map_err(failed)
}

/// Reads a response body chunk by chunk (its `Uint8Array`s, to make a `File` of),
/// telling `show` the bytes received so far; refused once over the size limit.
async fn read_stream(
    body: &web_sys::ReadableStream,
    name: &str,
    show: impl Fn(f64),
) -> Result<js_sys::Array, Fetched> {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    let failed = |e: JsValue| Fetched::Failed(js_error(e));
    let method = |target: &JsValue, key: &str| -> Result<Function, Fetched> {
        Reflect::get(target, &key.into())
            .map_err(failed)?
            .dyn_into::<Function>()
            .map_err(|_| Fetched::Failed(format!("the response body has no {key}")))
    };
    let reader = method(body, "getReader")?.call0(body).map_err(failed)?;
    let read = method(&reader, "read")?;
    let parts = js_sys::Array::new();
    let mut received = 0.0;
    loop {
        let next: Promise = read
            .call0(&reader)
            .map_err(failed)?
            .dyn_into()
            .map_err(|_| Fetched::Failed("the body reader gave no promise".into()))?;
        let chunk = JsFuture::from(next).await.map_err(failed)?;
        if Reflect::get(&chunk, &"done".into()).is_ok_and(|d| d.is_truthy()) {
            return Ok(parts);
        }
        let value = Reflect::get(&chunk, &"value".into()).map_err(failed)?;
        received += Reflect::get(&value, &"byteLength".into())
            .ok()
            .and_then(|n| n.as_f64())
            .unwrap_or(0.0);
        if let Some(refusal) = refuse_too_big(name, received) {
            if let Ok(cancel) = method(&reader, "cancel") {
                let _ = cancel.call0(&reader);
            }
            return Err(Fetched::TooBig(refusal));
        }
        parts.push(&value);
        show(received);
    }
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

/// The supported files, as the first visit and the drop zones name them.
pub const SUPPORTED_EXPORTS: &str =
    "our CSV, JSON or XLSX schema, or an Instagram, Facebook, TikTok, YouTube, X or Shopify export";

/// "Loading <file>…" with its progress while a `?data=` file is fetched and loaded:
/// in place of the view (`heading`: it is the page's `<h1>`), or above the Data page.
#[component]
fn HostedLoading(heading: bool) -> impl IntoView {
    let state = super::state::use_app();
    move || {
        let Some(Hosted::Loading {
            name,
            received,
            total,
        }) = state.hosted.get()
        else {
            return None;
        };
        let title = format!("Loading {name}…");
        let title = if heading {
            view! { <h1 id="hosted-loading-title">{title}</h1> }.into_any()
        } else {
            view! { <p id="hosted-loading-title" class="loading-title">{title}</p> }.into_any()
        };
        let mb = |bytes: f64| format!("{:.1} MB", bytes / 1e6);
        let (bar, said) = match total {
            Some(total) if total > 0.0 && received >= total => (
                view! { <progress aria-labelledby="hosted-loading-title"></progress> }.into_any(),
                format!("{} received; reading its rows…", mb(total)),
            ),
            Some(total) if total > 0.0 => (
                view! { <progress aria-labelledby="hosted-loading-title" max=total value=received></progress> }.into_any(),
                format!("{} of {} received", mb(received), mb(total)),
            ),
            _ => (
                view! { <progress aria-labelledby="hosted-loading-title"></progress> }.into_any(),
                format!("{} received", mb(received)),
            ),
        };
        Some(view! {
            <section id="hosted-loading" class="panel loading-state" aria-busy="true">
                {title}
                {bar}
                <p class="hint" role="status">{said} ". Its figures show as soon as it has loaded."</p>
            </section>
        })
    }
}

/// After a `?data=` file failed to load: says so (why is in the load error) and offers
/// the demo, which is never shown in its place unasked.
#[component]
fn HostedFailed(progress: IngestProgress) -> impl IntoView {
    let state = super::state::use_app();
    move || match state.hosted.get() {
        Some(Hosted::Failed { name }) => Some(view! {
            <section id="hosted-failed" class="panel hosted-failed" aria-label="The linked file did not load">
                <p>{format!("The linked file {name} did not load, so there are no figures to show.")}</p>
                <button id="offer-demo" type="button" on:click=move |_| progress.load_demo(state)>
                    "Show the demo instead"
                </button>
            </section>
        }),
        _ => None,
    }
}

/// The first visit's word on the summary (demo shown, nothing loaded): what to drop,
/// and a drop target (the drop itself is taken by the page's drop-anywhere handler).
#[component]
fn FirstVisit(progress: IngestProgress) -> impl IntoView {
    let state = super::state::use_app();
    let dragging = RwSignal::new(false);
    let on_input = upload::on_files_picked(state, progress);
    view! {
        <section id="first-visit" class="first-visit" class:dragging=move || dragging.get()
            aria-label="Load your own data"
            on:dragover=move |_| dragging.set(true)
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |_| dragging.set(false)>
            <p id="first-visit-text">
                {format!("These are demo figures: drop your own export here or anywhere on the page ({SUPPORTED_EXPORTS}) to see yours, computed in this browser.")}
            </p>
            <label for="summary-file-input" class="button">"Choose files"</label>
            <input id="summary-file-input" class="visually-hidden-input" type="file" multiple
                accept=".csv,.tsv,.txt,.json,.ndjson,.xlsx,text/csv,application/json" on:change=on_input/>
        </section>
    }
}

/// Layout inside the router (the state reads the URL).
#[component]
fn Shell() -> impl IntoView {
    let state = AppState::provide();
    let progress = IngestProgress::new();
    provide_context(progress);
    load_data_param(state, progress);
    Live::provide(state, progress);
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
    let hosted_loading = move || matches!(state.hosted.get(), Some(Hosted::Loading { .. }));
    // While a `?data=` file loads, its loading state stands in for the view (the Data
    // page stays, with the load's progress and cancel).
    let hides_view = move || hosted_loading() && !on_data_page();
    let first_visit = move || {
        state.is_demo.get()
            && state.hosted.get().is_none()
            && route_path(&location.pathname.get()) == "/"
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
                // No data (cleared, or a hosted file still loading): no count to show.
                <Show when=move || !state.outline.with(|o| o.is_empty())>
                    <a id="critical-badge" href="/alerts" class=badge_class data-count=critical>
                        {critical} " critical"
                    </a>
                </Show>
                <span class="dataset">"Dataset: " <span id="dataset-name">{move || match state.hosted.get() {
                    Some(Hosted::Loading { name, .. }) => format!("Loading {name}…"),
                    _ => state.dataset_name.get(),
                }}</span></span>
                <LiveControl/>
                <span id="computing" class="computing" aria-live="polite">
                    {move || state.computing.get().then_some("Computing…")}
                </span>
                <A href="/privacy" attr:class="privacy">"Your data stays in this browser"</A>
            </div>
        </header>
        <Show when=move || show_filters() && !hides_view()>
            <div class="view-tools">
                <FilterBar/>
                <SharePanel/>
            </div>
        </Show>
        <Show when=move || !on_data_page()>
            <IngestProgressView progress=progress/>
        </Show>
        {drop_notice}
        <HostedFailed progress=progress/>
        <Show when=on_data_page>
            <HostedLoading heading=false/>
        </Show>
        <main id="main" tabindex="-1">
            <Show when=first_visit>
                <FirstVisit progress=progress/>
            </Show>
            <Show when=move || !hides_view() fallback=|| view! { <HostedLoading heading=true/> }>
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
                <Route path=path!("/plan") view=PlanPage/>
            </Routes>
            </Show>
        </main>
        <footer class="app-footer">
            <p>"Computed in your browser with Rust + WebAssembly. Nothing is uploaded."</p>
        </footer>
        <ExplainPanel/>
    }
}
