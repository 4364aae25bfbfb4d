//! Live monitoring without a server (issue 19): a hosted file (`?data=`) watched with
//! `?live=<seconds>` or the header's control, re-read with `If-None-Match` /
//! `If-Modified-Since` and reloaded only when its bytes changed; a local file watched
//! where the browser has the File System Access API (its `lastModified` polled). A
//! change goes through the one loader ([`upload::reread`]: it replaces the data, on
//! the page or in a data worker), the view's questions are asked again and compared
//! with the answers before ([`crate::display::live`]): the KPI values that moved are
//! marked `data-changed="up"|"down"` (for ~10 s), the alerts new since the last read
//! are listed first and marked, and the header says when the data was last read. A
//! failed read says so and the watch goes on, backing off; the data is never cleared.
//! Filters, the view and the scroll position stay.
//!
//! Test hooks: the `live-poll` mark on every read, `live-unchanged` when the file had
//! not changed (a 304, or the same bytes), `live-reload` when a change was applied.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::display::live::{
    backoff_s, change_words, interval_of, kpi_changes, last_read_words, new_alerts, seconds_words,
    AlertKey, Change, Clock, KpiChanges, ReadState, INTERVALS_S,
};
use crate::metrics::alerts::Alert;
use crate::metrics::registry::KpiId;
use crate::protocol::js_error;
use crate::ui::browser::{file_name_of, mark, same_origin_url};
use crate::ui::state::{results_of, view_questions, AppState, Hosted};

use super::progress::{refuse_too_big, response_length, IngestProgress};
use super::share::route_path;
use super::upload;

/// The URL parameter of the watch interval.
pub const LIVE_PARAM: &str = "live";
/// How long a changed value stays marked, in milliseconds (its CSS fade is as long).
const MARK_MS: u32 = 10_000;
/// The interval a watch starts with when none was chosen.
const DEFAULT_INTERVAL_S: u32 = 5;
/// What a browser without the File System Access API says.
pub const NO_LOCAL_WATCH: &str =
    "This browser cannot watch a local file; drop it again to refresh, or host it and use ?live=";

/// What identified the last read of a hosted file: its validators and its bytes' hash.
#[derive(Clone, Debug, Default, PartialEq)]
struct Validators {
    etag: Option<String>,
    last_modified: Option<String>,
    hash: Option<String>,
}

thread_local! {
    /// The validators of the page's own fetch of `?data=` (app.rs tells them), the
    /// first read a watch compares with.
    static FIRST_READ: RefCell<Validators> = RefCell::default();
}

/// Remembers the ETag and Last-Modified of the page's fetch of the `?data=` file.
pub fn note_response(response: &web_sys::Response) {
    let (etag, last_modified) = validators_of(response);
    FIRST_READ.with(|v| {
        let mut v = v.borrow_mut();
        v.etag = etag;
        v.last_modified = last_modified;
    });
}

/// Remembers the hash of the `?data=` file the page fetched (computed in the background).
pub fn note_file(file: &web_sys::File) {
    let blob: web_sys::Blob = file.clone().into();
    leptos::task::spawn_local(async move {
        let hash = digest(&blob).await;
        FIRST_READ.with(|v| v.borrow_mut().hash = hash);
    });
}

fn validators_of(response: &web_sys::Response) -> (Option<String>, Option<String>) {
    let header = |name: &str| response.headers().get(name).ok().flatten();
    (header("etag"), header("last-modified"))
}

/// A SHA-256 of the blob's bytes (the Web Crypto API, outside wasm memory), or an
/// FNV-1a of them where it is missing; `None` when the blob cannot be read.
async fn digest(blob: &web_sys::Blob) -> Option<String> {
    let buffer = JsFuture::from(blob.array_buffer()).await.ok()?;
    let subtle = Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .filter(|c| !c.is_undefined())
        .and_then(|c| Reflect::get(&c, &"subtle".into()).ok())
        .filter(|s| !s.is_undefined());
    if let Some(subtle) = subtle {
        let method = Reflect::get(&subtle, &"digest".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok());
        if let Some(method) = method {
            let promise = method.call2(&subtle, &"SHA-256".into(), &buffer).ok();
            if let Some(promise) = promise.and_then(|p| p.dyn_into::<Promise>().ok()) {
                if let Ok(hashed) = JsFuture::from(promise).await {
                    let bytes = js_sys::Uint8Array::new(&hashed).to_vec();
                    return Some(bytes.iter().map(|b| format!("{b:02x}")).collect());
                }
            }
        }
    }
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    Some(format!("fnv:{h:016x}"))
}

/// What is watched.
#[derive(Clone)]
enum Target {
    /// A hosted file: its same-origin URL and its name.
    Hosted { url: String, name: String },
    /// A local file picked through the File System Access API: its handle, and the
    /// `lastModified` of its last read.
    Local { handle: JsValue, last_modified: f64 },
}

/// The watch, in context (provided by the shell): the interval, what is watched and
/// how its reads went, and the marks of the last change.
#[derive(Clone, Copy)]
pub struct Live {
    /// Seconds between reads; `None` when not watching.
    pub interval: RwSignal<Option<u32>>,
    /// The name of the file watched (hosted or local), when there is one.
    pub watched: RwSignal<Option<String>>,
    /// When the data was last read (the page's load, or a re-read).
    pub last_read: RwSignal<Option<Clock>>,
    pub read_state: RwSignal<ReadState>,
    /// The KPI values the last change moved (emptied ~10 s after).
    pub changes: RwSignal<Arc<KpiChanges>>,
    /// The alerts new at the last change (kept until the next change).
    pub new_alerts: RwSignal<Arc<BTreeSet<AlertKey>>>,
    /// The last change in words ("3 values up · 1 new alert").
    pub last_change: RwSignal<Option<String>>,
    /// A word about local watching (the fallback where the browser cannot).
    pub message: RwSignal<Option<String>>,
    target: StoredValue<Option<Target>, LocalStorage>,
    /// Bumped when the watch restarts: an older loop stops at its next turn.
    generation: StoredValue<u32>,
    /// Bumped on each change: an older change's marks fade alone.
    change_generation: StoredValue<u32>,
    validators: StoredValue<Validators, LocalStorage>,
    /// True while a read runs (a tick that comes meanwhile is skipped).
    reading: StoredValue<bool>,
}

/// Waits `ms` milliseconds (a `setTimeout`).
async fn sleep_ms(ms: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        let delay = i32::try_from(ms).unwrap_or(i32::MAX);
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, delay);
    });
    let _ = JsFuture::from(promise).await;
}

/// The local time now.
fn clock_now() -> Clock {
    let now = js_sys::Date::new_0();
    Clock {
        hours: now.get_hours(),
        minutes: now.get_minutes(),
        seconds: now.get_seconds(),
    }
}

/// The watch in context, if any (not in a snapshot).
pub fn use_live() -> Option<Live> {
    use_context::<Live>()
}

/// `alerts` with those new since the last read first (tracked), each with whether it is.
pub fn alerts_new_first(alerts: Vec<Alert>) -> Vec<(Alert, bool)> {
    let new = use_live().map(|l| l.new_alerts.get()).unwrap_or_default();
    crate::display::live::new_first(alerts, &new)
}

impl Live {
    /// The `data-changed` mark of a KPI value (overall when `group` is `None`):
    /// tracked; `None` when the last change did not move it (or its mark faded).
    pub fn changed(self, kpi: KpiId, group: Option<&str>) -> Option<&'static str> {
        self.changes.with(|c| c.get(kpi, group)).map(Change::attr)
    }

    /// Creates the watch from the link (`?data=` and `?live=`), provides it, and starts
    /// watching when the link asks.
    pub fn provide(state: AppState, progress: IngestProgress) -> Live {
        let query = use_query_map();
        let (data, live) = query.with_untracked(|m| (m.get("data"), m.get(LIVE_PARAM)));
        let hosted = data.and_then(|raw| {
            let url = same_origin_url(&raw).ok()?;
            Some(Target::Hosted {
                name: file_name_of(&raw),
                url,
            })
        });
        let watched = hosted.as_ref().map(|t| match t {
            Target::Hosted { name, .. } => name.clone(),
            Target::Local { .. } => String::new(),
        });
        let live = Live {
            interval: RwSignal::new(live.as_deref().and_then(interval_of)),
            watched: RwSignal::new(watched),
            last_read: RwSignal::new(None),
            read_state: RwSignal::new(ReadState::NotYet),
            changes: RwSignal::new(Arc::default()),
            new_alerts: RwSignal::new(Arc::default()),
            last_change: RwSignal::new(None),
            message: RwSignal::new(None),
            target: StoredValue::new_local(hosted),
            generation: StoredValue::new(0),
            change_generation: StoredValue::new(0),
            validators: StoredValue::new_local(Validators::default()),
            reading: StoredValue::new(false),
        };
        provide_context(live);
        // Every load is a read of the data (the page's own, a drop, a re-read).
        Effect::new(move |_| {
            if state.load_version.get() > 0 {
                live.last_read.set(Some(clock_now()));
            }
        });
        Effect::new(move |_| {
            let interval = live.interval.get();
            let watching = live.watched.with(Option::is_some);
            live.restart(state, progress, interval.filter(|_| watching));
        });
        live
    }

    /// Starts the reading loop at `interval` (stopping the one before); none for `None`.
    fn restart(self, state: AppState, progress: IngestProgress, interval: Option<u32>) {
        let generation = self.generation.get_value().wrapping_add(1);
        self.generation.set_value(generation);
        self.read_state.set(ReadState::NotYet);
        let Some(interval) = interval else { return };
        leptos::task::spawn_local(async move {
            let mut failures = 0u32;
            loop {
                let wait = backoff_s(interval, failures);
                sleep_ms(wait.saturating_mul(1000)).await;
                if self.generation.get_value() != generation {
                    return;
                }
                // The page's own load of the link is still running: read after it.
                if matches!(state.hosted.get_untracked(), Some(Hosted::Loading { .. }))
                    || self.reading.get_value()
                {
                    continue;
                }
                self.reading.set_value(true);
                let outcome = self.read(state, progress).await;
                self.reading.set_value(false);
                if self.generation.get_value() != generation {
                    return;
                }
                match outcome {
                    Ok(()) => {
                        failures = 0;
                        self.read_state.set(ReadState::Fine);
                    }
                    Err(why) => {
                        failures = failures.saturating_add(1);
                        self.read_state.set(ReadState::Failed {
                            why,
                            failures,
                            retry_s: backoff_s(interval, failures),
                        });
                    }
                }
            }
        });
    }

    /// One read of the watched file; the data changes only when the file did.
    async fn read(self, state: AppState, progress: IngestProgress) -> Result<(), String> {
        mark("live-poll");
        match self.target.get_value() {
            None => Ok(()),
            Some(Target::Hosted { url, name }) => {
                self.read_hosted(state, progress, &url, &name).await
            }
            Some(Target::Local {
                handle,
                last_modified,
            }) => {
                self.read_local(state, progress, &handle, last_modified)
                    .await
            }
        }
    }

    /// The validators of the last read (the page's own fetch until a watch read).
    fn last_validators(self) -> Validators {
        let own = self.validators.get_value();
        if own == Validators::default() {
            FIRST_READ.with(|v| v.borrow().clone())
        } else {
            own
        }
    }

    async fn read_hosted(
        self,
        state: AppState,
        progress: IngestProgress,
        url: &str,
        name: &str,
    ) -> Result<(), String> {
        let last = self.last_validators();
        let response = conditional_fetch(url, &last).await?;
        if response.status() == 304 {
            return self.unchanged();
        }
        if !response.ok() {
            return Err(format!("HTTP {}", response.status()));
        }
        response_length(name, &response)?;
        let (etag, last_modified) = validators_of(&response);
        let blob = response.blob().map_err(js_error)?;
        let blob: web_sys::Blob = JsFuture::from(blob)
            .await
            .map_err(js_error)?
            .dyn_into()
            .map_err(|_| "the response is no file".to_owned())?;
        if let Some(refusal) = refuse_too_big(name, blob.size()) {
            return Err(refusal);
        }
        let hash = digest(&blob).await;
        let read = Validators {
            etag,
            last_modified,
            hash: hash.clone(),
        };
        if hash.is_some() && hash == last.hash {
            self.validators.set_value(read);
            return self.unchanged();
        }
        let parts = js_sys::Array::of1(&blob);
        let file = web_sys::File::new_with_blob_sequence(&parts, name).map_err(js_error)?;
        self.apply(state, progress, file, true).await?;
        self.validators.set_value(read);
        Ok(())
    }

    async fn read_local(
        self,
        state: AppState,
        progress: IngestProgress,
        handle: &JsValue,
        last_modified: f64,
    ) -> Result<(), String> {
        let file = file_of_handle(handle).await?;
        if file.last_modified() == last_modified {
            return self.unchanged();
        }
        let blob: web_sys::Blob = file.clone().into();
        let hash = digest(&blob).await;
        let last = self.validators.get_value();
        let now_modified = file.last_modified();
        self.target.set_value(Some(Target::Local {
            handle: handle.clone(),
            last_modified: now_modified,
        }));
        if hash.is_some() && hash == last.hash {
            return self.unchanged();
        }
        self.apply(state, progress, file, true).await?;
        self.validators.set_value(Validators {
            hash,
            ..Validators::default()
        });
        Ok(())
    }

    /// A read that found the file as it was.
    fn unchanged(self) -> Result<(), String> {
        mark("live-unchanged");
        self.last_read.set(Some(clock_now()));
        Ok(())
    }

    /// Loads `file` in place of the data (the one loader), then marks what changed
    /// in the view (when `compare`): the view's questions asked before and after.
    async fn apply(
        self,
        state: AppState,
        progress: IngestProgress,
        file: web_sys::File,
        compare: bool,
    ) -> Result<(), String> {
        let [results_q, _, alerts_q] = state.query.with_untracked(view_questions);
        let before_results = state.ask_async(&results_q).await.ok().and_then(results_of);
        let before_alerts = state.ask_async(&alerts_q).await.ok().and_then(alerts_in);
        let scroll = window().scroll_y().unwrap_or(0.0);
        let version = state.load_version.get_untracked();
        upload::reread(state, progress, file).await;
        if state.load_version.get_untracked() == version {
            let why = state
                .load_error
                .get_untracked()
                .unwrap_or_else(|| "the changed file did not load".into());
            return Err(why.lines().next().unwrap_or_default().to_owned());
        }
        if matches!(state.hosted.get_untracked(), Some(Hosted::Failed { .. })) {
            state.hosted.set(None);
        }
        // The same questions of the same view, of the new data.
        let [results_q, _, alerts_q] = state.query.with_untracked(view_questions);
        let after_results = state.ask_async(&results_q).await.ok().and_then(results_of);
        let after_alerts = state.ask_async(&alerts_q).await.ok().and_then(alerts_in);
        if compare {
            let changes = match (&before_results, &after_results) {
                (Some(b), Some(a)) => kpi_changes(b, a),
                _ => KpiChanges::default(),
            };
            let new = match (&before_alerts, &after_alerts) {
                (Some(b), Some(a)) => new_alerts(b, a),
                _ => BTreeSet::new(),
            };
            self.last_change.set(change_words(&changes, new.len()));
            self.changes.set(Arc::new(changes));
            self.new_alerts.set(Arc::new(new));
            let generation = self.change_generation.get_value().wrapping_add(1);
            self.change_generation.set_value(generation);
            leptos::task::spawn_local(async move {
                sleep_ms(MARK_MS).await;
                if self.change_generation.get_value() == generation {
                    self.changes.set(Arc::default());
                }
            });
        }
        self.last_read.set(Some(clock_now()));
        mark("live-reload");
        // The view re-rendered: back where the reader was.
        sleep_ms(0).await;
        if (window().scroll_y().unwrap_or(0.0) - scroll).abs() > 1.0 {
            window().scroll_to_with_x_and_y(window().scroll_x().unwrap_or(0.0), scroll);
        }
        Ok(())
    }

    /// "Watch a local file…": picks a file through the File System Access API, loads
    /// it in place of the data, and watches it; where the API is missing, says so.
    fn pick_local(self, state: AppState, progress: IngestProgress) {
        let picker = Reflect::get(&window(), &"showOpenFilePicker".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok());
        let Some(picker) = picker else {
            self.message.set(Some(NO_LOCAL_WATCH.into()));
            return;
        };
        self.message.set(None);
        leptos::task::spawn_local(async move {
            let picked = match picker.call0(&window()).map(|p| p.dyn_into::<Promise>()) {
                Ok(Ok(promise)) => JsFuture::from(promise).await,
                Ok(Err(_)) => return,
                Err(e) => Err(e),
            };
            let handle = match picked {
                Ok(list) => js_sys::Array::from(&list).get(0),
                // Cancelled by the user (AbortError): nothing to say.
                Err(e) if error_name(&e) == "AbortError" => return,
                Err(e) => {
                    self.message
                        .set(Some(format!("Could not open the file: {}", js_error(e))));
                    return;
                }
            };
            let file = match file_of_handle(&handle).await {
                Ok(file) => file,
                Err(e) => {
                    self.message
                        .set(Some(format!("Could not read the file: {e}")));
                    return;
                }
            };
            let blob: web_sys::Blob = file.clone().into();
            let hash = digest(&blob).await;
            let (name, modified) = (file.name(), file.last_modified());
            if let Err(e) = self.apply(state, progress, file, false).await {
                self.message.set(Some(format!("{name} did not load: {e}")));
                return;
            }
            self.target.set_value(Some(Target::Local {
                handle,
                last_modified: modified,
            }));
            self.validators.set_value(Validators {
                hash,
                ..Validators::default()
            });
            self.watched.set(Some(name));
            if self.interval.get_untracked().is_none() {
                self.interval.set(Some(DEFAULT_INTERVAL_S));
            }
        });
    }
}

fn alerts_in(answer: crate::display::questions::Answer) -> Option<Arc<Vec<Alert>>> {
    match answer {
        crate::display::questions::Answer::Alerts(a) => Some(a),
        _ => None,
    }
}

fn error_name(e: &JsValue) -> String {
    Reflect::get(e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default()
}

/// `handle.getFile()`.
async fn file_of_handle(handle: &JsValue) -> Result<web_sys::File, String> {
    let get = Reflect::get(handle, &"getFile".into())
        .map_err(js_error)?
        .dyn_into::<Function>()
        .map_err(|_| "the file handle cannot be read".to_owned())?;
    let promise: Promise = get
        .call0(handle)
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| "the file handle gave no promise".to_owned())?;
    JsFuture::from(promise)
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| "the file handle gave no file".to_owned())
}

/// A GET of `url` that the server may answer 304 (If-None-Match / If-Modified-Since
/// of the last read), past the HTTP cache.
async fn conditional_fetch(url: &str, last: &Validators) -> Result<web_sys::Response, String> {
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    let headers = web_sys::Headers::new().map_err(js_error)?;
    if let Some(etag) = &last.etag {
        headers.set("If-None-Match", etag).map_err(js_error)?;
    }
    if let Some(modified) = &last.last_modified {
        headers
            .set("If-Modified-Since", modified)
            .map_err(js_error)?;
    }
    init.set_headers(&headers);
    let _ = Reflect::set(&init, &"cache".into(), &"no-store".into());
    let response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .map_err(|e| format!("network error: {}", js_error(e)))?;
    response.dyn_into().map_err(|_| "not a response".to_owned())
}

/// Sets `?live=` on the current URL (replaced, not pushed; removed for `None`).
fn set_live_param(interval: Option<u32>, path: &str, navigate: &impl Fn(&str, NavigateOptions)) {
    let search = window().location().search().unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    match interval {
        Some(s) => params.set(LIVE_PARAM, &s.to_string()),
        None => params.delete(LIVE_PARAM),
    }
    let query: String = params.to_string().into();
    let url = if query.is_empty() {
        path.to_owned()
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
}

/// The header's watch control (`#live-control`): the interval (`#live-interval`, off
/// or every N s, written to `?live=`), "Watch a local file…" (`#live-pick`) when no
/// hosted file is watched, the last read (`#live-status`), the last change
/// (`#live-change`) and the local-watch word (`#live-message`).
#[component]
pub fn LiveControl() -> impl IntoView {
    let state = crate::ui::state::use_app();
    let progress = expect_context::<IngestProgress>();
    let Some(live) = use_live() else {
        return ().into_any();
    };
    let navigate = use_navigate();
    let location = use_location();
    let watching = move || live.watched.with(Option::is_some);
    let hosted = live
        .target
        .with_value(|t| matches!(t, Some(Target::Hosted { .. })));
    let on_interval = move |ev: leptos::ev::Event| {
        let interval = interval_of(&event_target_value(&ev));
        live.interval.set(interval);
        let path = route_path(&location.pathname.get_untracked());
        set_live_param(interval, &path, &navigate);
    };
    let options = move || {
        let chosen = live.interval.get();
        let mut seconds: Vec<u32> = INTERVALS_S.to_vec();
        if let Some(s) = chosen.filter(|s| !seconds.contains(s)) {
            seconds.push(s);
            seconds.sort_unstable();
        }
        std::iter::once(
            view! { <option value="" selected=chosen.is_none()>"Not watching"</option> }.into_any(),
        )
        .chain(seconds.into_iter().map(|s| {
            view! {
                <option value=s.to_string() selected=chosen == Some(s)>
                    {format!("Watch every {}", seconds_words(s))}
                </option>
            }
            .into_any()
        }))
        .collect_view()
    };
    let status = move || {
        let interval = live.interval.get();
        live.read_state
            .with(|r| last_read_words(live.last_read.get(), interval, r))
    };
    let read_state = move || match live.read_state.get() {
        ReadState::NotYet => "not-yet",
        ReadState::Fine => "fine",
        ReadState::Failed { .. } => "failed",
    };
    view! {
        <div id="live-control" class="live-control" data-watching=move || (watching() && live.interval.get().is_some()).to_string()>
            <Show when=watching>
                <label for="live-interval" class="visually-hidden">
                    {move || format!("Watch {} for changes", live.watched.get().unwrap_or_default())}
                </label>
                <select id="live-interval" name="live" on:change=on_interval.clone()>{options}</select>
                // The clock ticks on each read: not a live region (it would talk every
                // few seconds); what changed, and a failure, are announced instead.
                <span id="live-status" class="live-status" data-read-state=read_state
                    title=move || live.watched.get().map(|n| format!("Watching {n}"))>
                    {status}
                </span>
                <span id="live-change" class="live-change" role="status">
                    {move || match live.read_state.get() {
                        ReadState::Failed { why, .. } => format!("The last check failed ({why})"),
                        _ => live.last_change.get().unwrap_or_default(),
                    }}
                </span>
            </Show>
            {(!hosted).then(|| view! {
                <button id="live-pick" type="button" class="live-pick"
                    on:click=move |_| live.pick_local(state, progress)>
                    {move || if watching() { "Watch another file…" } else { "Watch a local file…" }}
                </button>
            })}
            {move || live.message.get().map(|m| view! { <p id="live-message" class="live-message" role="note">{m}</p> })}
        </div>
    }
    .into_any()
}
