//! Upload: a file picker and drop zone (big files stream with a progress bar, see
//! [`super::progress`]), the pending-file mapping screen (platform, table kind and
//! per-column mapping), and the demo/clear actions.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::data::ingest::{batch_rank, detect, LoadOptions};
use crate::data::schema::TableKind;
use crate::display::loads::LoadId;
use crate::protocol::{js_error, placement, Placement};
use crate::ui::browser::{read_bytes, read_slice};
use crate::ui::components::progress::{
    refuse_too_big, stream_files, IngestProgress, IngestProgressView,
};
use crate::ui::state::{use_app, AppState, PendingFile};

/// Platforms a user can give to a file without a platform column.
pub const PLATFORMS: [(&str, &str); 5] = [
    ("instagram", "Instagram"),
    ("tiktok", "TikTok"),
    ("youtube", "YouTube"),
    ("x", "X (Twitter)"),
    ("facebook", "Facebook"),
];

/// Where the files of a load come from (it words their errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Dropped, picked or hosted (`?data=`).
    Files,
    /// The workspace remembered on this device.
    Remembered,
    /// A watched file read again after it changed ([`reread`]): it replaces the data.
    Reread,
}

impl Source {
    fn refused(self, refusal: String) -> String {
        match self {
            Source::Files | Source::Reread => refusal,
            Source::Remembered => format!("The remembered workspace is not loaded: {refusal}"),
        }
    }

    fn unreadable(self, name: &str, error: &str) -> String {
        match self {
            Source::Files | Source::Reread => format!("{name}: could not read the file ({error})"),
            Source::Remembered => format!("Could not read the remembered workspace: {error}"),
        }
    }
}

/// A file to load, with the options it loads with when they are known already (the
/// remembered workspace); otherwise it is detected, and it loads at once or waits in
/// `pending` for the user.
pub struct Arriving {
    pub file: web_sys::File,
    pub options: Option<LoadOptions>,
}

impl Arriving {
    /// A file to detect.
    pub fn detect(file: web_sys::File) -> Arriving {
        Arriving {
            file,
            options: None,
        }
    }
}

/// Reads every file of a list and [`load`]s it: the one loader of dropped and picked
/// files (the drop zone, the file input and a drop anywhere on the page,
/// The `change` handler of a file `<input>`: reads and accepts the files picked, then
/// empties the input (so that picking the same file again loads it again).
pub fn on_files_picked(
    state: AppState,
    progress: IngestProgress,
) -> impl Fn(web_sys::Event) + Copy {
    move |ev: web_sys::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        if let Some(input) = input {
            read_and_accept(state, progress, input.files());
            input.set_value("");
        }
    }
}

/// [`crate::ui::app`]).
pub fn read_and_accept(state: AppState, progress: IngestProgress, list: Option<web_sys::FileList>) {
    let Some(list) = list else { return };
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    accept_file_objects(state, progress, files);
}

/// [`load`]s `File`s to detect (a drop, a pick, a hosted `?data=` file).
pub fn accept_file_objects(state: AppState, progress: IngestProgress, files: Vec<web_sys::File>) {
    if files.is_empty() {
        return;
    }
    let files = files.into_iter().map(Arriving::detect).collect();
    queue_files(state, progress, Source::Files, files, None);
}

/// What a queued load carries (see [`IngestProgress::queue`]): the files of a drop, a
/// pick, `?data=` or the remembered workspace, or the files that waited for the user.
/// `done` hears when the load has ended, however it ends (its drop calls it).
pub enum Job {
    Files {
        source: Source,
        files: Vec<Arriving>,
        done: Option<Done>,
    },
    Pending(Vec<PendingFile>),
    /// A turn for a load that is no files ([`IngestProgress::turn`]): `grant` gets the
    /// load's number and the function that ends the turn; `granted` wakes the waiter.
    Turn {
        grant: Rc<RefCell<Option<(LoadId, js_sys::Function)>>>,
        granted: Done,
    },
}

/// Resolves a waiting promise when dropped (a load that ran, or was cancelled).
pub struct Done(js_sys::Function);

impl Done {
    /// Calls `resolve` when dropped.
    pub fn new(resolve: js_sys::Function) -> Done {
        Done(resolve)
    }
}

impl Drop for Done {
    fn drop(&mut self) {
        let _ = self.0.call0(&wasm_bindgen::JsValue::NULL);
    }
}

fn queue_files(
    state: AppState,
    progress: IngestProgress,
    source: Source,
    files: Vec<Arriving>,
    done: Option<Done>,
) {
    let names = files.iter().map(|a| a.file.name()).collect();
    let job = Job::Files {
        source,
        files,
        done,
    };
    progress.queue(state, names, job);
}

/// The one way data arrives: queues a load of `files` ([`IngestProgress::queue`]: it
/// runs after the loads before it, on the workspace as it is then) and waits until it
/// has ended (loaded, failed or cancelled).
pub async fn load(state: AppState, progress: IngestProgress, source: Source, files: Vec<Arriving>) {
    if files.is_empty() {
        return;
    }
    let mut done = None;
    let ended = js_sys::Promise::new(&mut |resolve, _| done = Some(Done(resolve)));
    queue_files(state, progress, source, files, done);
    let _ = wasm_bindgen_futures::JsFuture::from(ended).await;
}

/// Reads a watched file again (issue 19): the same loader as a drop ([`load`]), the
/// data it loads replacing the data shown (page or data worker, by its size), and
/// waits until it has ended.
pub async fn reread(state: AppState, progress: IngestProgress, file: web_sys::File) {
    load(
        state,
        progress,
        Source::Reread,
        vec![Arriving::detect(file)],
    )
    .await;
}

/// Runs the queued load `id` (the queue calls it when its turn comes).
pub async fn run(state: AppState, progress: IngestProgress, id: LoadId, job: Job) {
    match job {
        Job::Files {
            source,
            files,
            done,
        } => {
            // A re-read replaces the data: its load starts from nothing.
            state.set_replacing(source == Source::Reread);
            run_files(state, progress, id, source, files).await;
            state.set_replacing(false);
            drop(done);
        }
        Job::Pending(pending) => run_pending(state, progress, id, pending).await,
        Job::Turn { grant, granted } => {
            let mut release = None;
            let released = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
            *grant.borrow_mut() = release.map(|r| (id, r));
            drop(granted);
            let _ = wasm_bindgen_futures::JsFuture::from(released).await;
        }
    }
}

/// A load under one size policy ([`placement`]): a file over the limit is refused
/// before it is read; a load with a big file, or on top of data a worker holds, goes
/// to a data worker (every file of it that needs nothing from the user, with progress
/// and cancel: the page parses nothing); a small load is read whole on the page.
/// Files that need a platform or a mapping wait in `pending`. Nothing is applied once
/// the load is cancelled.
async fn run_files(
    state: AppState,
    progress: IngestProgress,
    id: LoadId,
    source: Source,
    files: Vec<Arriving>,
) {
    let mut errors = Vec::new();
    let files: Vec<Arriving> = files
        .into_iter()
        .filter(|a| match refuse_too_big(&a.file.name(), a.file.size()) {
            Some(refusal) => {
                errors.push(source.refused(refusal));
                false
            }
            None => true,
        })
        .collect();
    let sizes: Vec<f64> = files.iter().map(|a| a.file.size()).collect();
    let mut whole = Vec::new();
    let mut known = Vec::new();
    let mut streamed = Vec::new();
    let to_worker =
        !files.is_empty() && placement(&sizes, state.held_by_worker()) == Placement::Worker;
    for Arriving { file, options } in files {
        let name = file.name();
        if to_worker {
            if let Some(options) = options {
                streamed.push((1, file, options));
                continue;
            }
            let head = read_slice(&file, 0.0, file.size().min(65_536.0)).await;
            let detection = head.and_then(|h| detect(&name, &h).map_err(|e| e.to_string()));
            if let Ok(detection) = detection {
                if let (options, true) = state.load_options(&detection) {
                    streamed.push((batch_rank(&detection, &options), file, options));
                    continue;
                }
            }
        }
        match read_bytes(&file).await {
            Ok(bytes) => match options {
                Some(options) => known.push((name, Arc::new(bytes), options)),
                None => whole.push((name, bytes)),
            },
            Err(e) => errors.push(source.unreadable(&name, &e)),
        }
    }
    if !progress.is_current(id) {
        // Cancelled while its files were read: its canceller said so.
        return;
    }
    if to_worker {
        // Read whole to be detected (XLSX): those that need nothing go to the worker too.
        for (name, bytes) in whole.drain(..) {
            let detection = match detect(&name, &bytes) {
                Ok(detection) => detection,
                Err(e) => {
                    errors.push(e.to_string());
                    continue;
                }
            };
            match state.load_options(&detection) {
                (options, true) => match bytes_as_file(&name, &bytes) {
                    Ok(file) => streamed.push((batch_rank(&detection, &options), file, options)),
                    Err(e) => errors.push(format!("{name}: {e}")),
                },
                (options, false) => state.add_pending(PendingFile {
                    name,
                    bytes: Arc::new(bytes),
                    options,
                    detection,
                }),
            }
        }
    }
    if !streamed.is_empty() {
        // Creators before the orders they attribute, as `ingest::load_batch` does.
        streamed.sort_by_key(|(rank, ..)| *rank);
        let streamed = streamed.into_iter().map(|(_, f, o)| (f, o)).collect();
        stream_files(state, progress, id, streamed).await;
        if progress.was_cancelled(id) {
            return;
        }
    } else if progress.may_apply(id) {
        state.accept_files(whole);
        state.load_files(known);
    } else {
        return;
    }
    state.add_errors(errors);
}

/// The file picker and drop zone.
#[component]
pub fn Upload() -> impl IntoView {
    let state = use_app();
    // The page's progress (shared with a drop anywhere), or one of its own.
    let progress = use_context::<IngestProgress>().unwrap_or_default();
    let dragging = RwSignal::new(false);
    let on_input = on_files_picked(state, progress);
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        read_and_accept(state, progress, ev.data_transfer().and_then(|d| d.files()));
    };
    view! {
        <div
            id="drop-zone"
            class="drop-zone"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p>"Drop CSV, JSON or XLSX files here, or "</p>
            <label for="file-input" class="button">"Choose files"</label>
            <input id="file-input" class="visually-hidden-input" type="file" multiple accept=".csv,.tsv,.txt,.json,.ndjson,.xlsx,text/csv,application/json" on:change=on_input/>
            <p class="hint">"Posts, campaigns, creators, assets or comments — our canonical columns, or raw Instagram, Facebook, TikTok, YouTube, X and Shopify exports."</p>
        </div>
        <IngestProgressView progress=progress/>
        <div class="actions">
            <button id="load-demo" type="button" on:click=move |_| progress.load_demo(state)>"Load demo"</button>
            <button id="clear-workspace" type="button" on:click=move |_| progress.clear(state)>"Clear workspace"</button>
        </div>
        {move || state.load_error.get().map(|e| view! {
            <div id="load-error" role="alert" class="load-error">
                {e.lines().map(|l| view! { <p>{l.to_owned()}</p> }).collect_view()}
            </div>
        })}
        <PendingFiles progress=progress/>
    }
}

/// Queues the pending files as one load.
fn load_pending(state: AppState, progress: IngestProgress) {
    let pending = state.take_pending();
    if pending.is_empty() {
        return;
    }
    let names = pending.iter().map(|p| p.name.clone()).collect();
    progress.queue(state, names, Job::Pending(pending));
}

/// Loads the pending files under the size policy of every load ([`placement`]): on
/// the page, or in a data worker (the bytes already read go to it as `File`s).
async fn run_pending(
    state: AppState,
    progress: IngestProgress,
    id: LoadId,
    pending: Vec<PendingFile>,
) {
    let sizes: Vec<f64> = pending.iter().map(|p| p.bytes.len() as f64).collect();
    if placement(&sizes, state.held_by_worker()) == Placement::Page {
        if progress.may_apply(id) {
            let files = pending.into_iter().map(|p| (p.name, p.bytes, p.options));
            state.load_files(files.collect());
        }
        return;
    }
    let mut files = Vec::new();
    for p in pending {
        match bytes_as_file(&p.name, &p.bytes) {
            Ok(file) => files.push((file, p.options)),
            Err(e) => state.add_errors(vec![format!("{}: {e}", p.name)]),
        }
    }
    stream_files(state, progress, id, files).await;
}

/// A `File` holding a copy of `bytes`.
fn bytes_as_file(name: &str, bytes: &[u8]) -> Result<web_sys::File, String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::File::new_with_u8_array_sequence(&parts, name).map_err(js_error)
}

/// Updates one pending file's options.
fn edit_pending(state: AppState, index: usize, change: impl FnOnce(&mut PendingFile)) {
    state.pending.update(|p| {
        if let Some(file) = p.get_mut(index) {
            change(file);
        }
    });
}

/// `#pending-files`: files waiting for a platform or a mapping fix.
#[component]
fn PendingFiles(progress: IngestProgress) -> impl IntoView {
    let state = use_app();
    move || {
        let pending = state.pending.get();
        if pending.is_empty() {
            return None;
        }
        let blocks = pending
            .into_iter()
            .enumerate()
            .map(|(i, file)| view! { <PendingBlock index=i file=file/> })
            .collect_view();
        Some(view! {
            <section id="pending-files" class="panel" aria-labelledby="pending-title">
                <h2 id="pending-title">"Files waiting for your input"</h2>
                {blocks}
                <button id="load-files" type="button" on:click=move |_| load_pending(state, progress)>"Load files"</button>
            </section>
        })
    }
}

/// One pending file: platform, table kind and column mapping selects.
#[component]
fn PendingBlock(index: usize, file: PendingFile) -> impl IntoView {
    let state = use_app();
    let kind = file.options.kind.unwrap_or(file.detection.kind);
    let platform = file.options.platform.clone().unwrap_or_default();
    let mapping: Vec<(String, Option<String>)> =
        file.options.mapping.clone().unwrap_or_else(|| {
            file.detection
                .mapping
                .iter()
                .map(|m| (m.source.clone(), m.target.clone()))
                .collect()
        });
    let platform_id = format!("pending-{index}-platform");
    let kind_id = format!("pending-{index}-kind");
    let platform_options = std::iter::once(("", "Choose a platform"))
        .chain(PLATFORMS)
        .map(|(v, l)| view! { <option value=v selected=v == platform>{l}</option> })
        .collect_view();
    let kind_options = TableKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.name() selected=k == kind>{k.name()}</option> })
        .collect_view();
    let rows = mapping
        .iter()
        .enumerate()
        .map(|(col, (source, target))| {
            let id = format!("pending-{index}-col-{col}");
            let target = target.clone().unwrap_or_default();
            let options = std::iter::once("")
                .chain(kind.columns().iter().map(|c| c.name))
                .map(|name| {
                    let label = if name.is_empty() { "(ignore)" } else { name };
                    view! { <option value=name selected=name == target>{label}</option> }
                })
                .collect_view();
            let on_change = move |ev| {
                let value = event_target_value(&ev);
                edit_pending(state, index, |f| {
                    let mut m: Vec<(String, Option<String>)> = f.options.mapping.clone().unwrap_or_else(|| {
                        f.detection.mapping.iter().map(|m| (m.source.clone(), m.target.clone())).collect()
                    });
                    if let Some(entry) = m.get_mut(col) {
                        entry.1 = (!value.is_empty()).then_some(value);
                    }
                    f.options.mapping = Some(m);
                });
            };
            view! {
                <tr>
                    <td><label for=id.clone()>{source.clone()}</label></td>
                    <td><select id=id name=format!("map:{source}") on:change=on_change>{options}</select></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="pending-file" data-pending-file=file.name.clone()>
            <h3>{file.name.clone()}</h3>
            <p>{format!("Detected: {} ({})", file.detection.format_name, file.detection.encoding)}</p>
            <div class="filter">
                <label for=platform_id.clone()>"Platform for every row"</label>
                <select id=platform_id name="platform" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit_pending(state, index, |f| f.options.platform = (!v.is_empty()).then_some(v));
                }>{platform_options}</select>
            </div>
            <div class="filter">
                <label for=kind_id.clone()>"Table kind"</label>
                <select id=kind_id name="kind" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit_pending(state, index, |f| f.options.kind = TableKind::from_name(&v));
                }>{kind_options}</select>
            </div>
            <div class="table-wrap">
                <table>
                    <caption>"Column mapping"</caption>
                    <thead><tr><th scope="col">"Column in the file"</th><th scope="col">"Canonical column"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}
