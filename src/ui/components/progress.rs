//! Streaming load of big files in a data worker ([`crate::worker`]): the page hands it
//! the `File`s and the workspace to load into, and shows its progress (bytes, rows per
//! second, ETA) with a cancel button. The worker then owns the new workspace and
//! answers the views' questions ([`crate::ui::owner`]); the page takes back only its
//! outline and its campaigns and creators. The page's main thread never parses; a
//! cancel terminates the worker and leaves the data as it was.

use leptos::prelude::*;
use std::cell::RefCell;
use std::sync::Arc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::data::ingest::LoadOptions;
use crate::data::packed::{pack, unpack};
use crate::data::store::Workspace;
use crate::display::questions::{Answer, Outline};
use crate::ui::browser::{js_error, mark, mark_with_detail};
use crate::ui::components::share::app_base;
use crate::ui::owner::{self, Owner};
use crate::ui::state::{view_questions, AppState};
use crate::worker::{field, message, packed_from_js, packed_to_js, LoadResult};

/// A drop with a file at least this big goes to a data worker (all of it that
/// needs nothing from the user); smaller drops are read whole on the page. The same
/// threshold holds for every way data arrives: a drop or a picked file, `?data=` (a
/// hosted file, fetched as a `File`), the remembered workspace, and a file added to
/// data a worker holds (which always goes to the worker).
pub const STREAM_FROM_BYTES: f64 = 1024.0 * 1024.0;

/// Bigger files are refused with a message: their columns would not fit in the
/// 4 GiB of a wasm32 worker. Measured in headless Chromium on the canonical posts
/// columns (17 columns, about 90 bytes a row, `tests/e2e/bench/posts.mjs`): 365 MB
/// peaks at 0.81 GB of worker memory, 759 MB (8.3M rows) at 1.65 GB, both about 2.2
/// bytes a byte; 823 MB (9M rows) loads, then the worker runs out of memory answering
/// the first questions (past 2^23 rows every column has doubled its capacity, so the
/// load's memory jumps). 700 MiB keeps that shape under the cliff with a margin; files
/// with much shorter rows reach 2^23 rows sooner.
pub const MAX_FILE_BYTES: f64 = 700.0 * 1024.0 * 1024.0;

/// The global a browser test may set to a number to lower [`MAX_FILE_BYTES`] (never to
/// raise it), so that the refusal is tested without generating 800 MB.
const TEST_LIMIT_GLOBAL: &str = "__kpiDashMaxFileBytes";

/// The size limit in force: [`MAX_FILE_BYTES`], or the lower one a test set.
pub fn max_file_bytes() -> f64 {
    let set = js_sys::Reflect::get(&js_sys::global(), &TEST_LIMIT_GLOBAL.into())
        .ok()
        .and_then(|v| v.as_f64());
    match set {
        Some(limit) if limit > 0.0 && limit < MAX_FILE_BYTES => limit,
        _ => MAX_FILE_BYTES,
    }
}

/// The message refusing a file of `size` bytes, before any of it is read, when it is
/// over [`max_file_bytes`]; `None` when it may load. Every way data arrives asks this.
pub fn refuse_too_big(name: &str, size: f64) -> Option<String> {
    let limit = max_file_bytes();
    (size > limit).then(|| {
        format!(
            "{name}: {:.1} MB is more than a browser tab can hold (at most {:.1} MB). Roll the posts up by day × campaign × creator × platform × format (README, “Scale: rollups”) and load the rollup.",
            size / 1e6,
            limit / 1e6
        )
    })
}

/// Where a streaming load stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub file: String,
    /// Bytes read of this file, and its size.
    pub done: f64,
    pub total: f64,
    /// Records read so far in this file.
    pub rows: usize,
    /// Milliseconds since this file started.
    pub elapsed_ms: f64,
}

impl Progress {
    /// "12.0 of 115.6 MB · 104,000 rows · 250,000 rows/s · about 3 s left".
    pub fn summary(&self) -> String {
        let seconds = self.elapsed_ms / 1000.0;
        let rows_per_s = if seconds > 0.0 {
            self.rows as f64 / seconds
        } else {
            0.0
        };
        let eta = if self.done > 0.0 && seconds > 0.0 {
            format!(
                " · about {:.0} s left",
                (self.total - self.done) / (self.done / seconds)
            )
        } else {
            String::new()
        };
        format!(
            "{}: {:.1} of {:.1} MB · {} rows · {:.0} rows/s{eta}",
            self.file,
            self.done / 1e6,
            self.total / 1e6,
            self.rows,
            rows_per_s
        )
    }
}

/// The progress of the current streaming load.
#[derive(Clone, Copy)]
pub struct IngestProgress {
    pub current: RwSignal<Option<Progress>>,
    /// A message after a load ends without loading (cancelled).
    pub message: RwSignal<Option<String>>,
}

impl IngestProgress {
    pub fn new() -> IngestProgress {
        IngestProgress {
            current: RwSignal::new(None),
            message: RwSignal::new(None),
        }
    }
}

impl Default for IngestProgress {
    fn default() -> Self {
        Self::new()
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The message of a data worker that stopped during a load, or while answering its
/// first questions (see [`owner::stop_reason`]). Nothing of the load is kept: the data
/// a worker or the page held before stays as it was.
pub fn worker_stopped(detail: &str) -> String {
    format!(
        "The data worker stopped while loading ({}). Nothing from this load was kept: the data is as it was. Load fewer or smaller files, or roll the posts up (README, “Scale: rollups”).",
        owner::stop_reason(detail)
    )
}

/// The running load: its worker and the function that ends its wait.
struct Running {
    worker: web_sys::Worker,
    finish: Function,
}

thread_local! {
    static RUNNING: RefCell<Option<Running>> = const { RefCell::new(None) };
}

/// Ends the running load's wait with `outcome`, terminating its worker unless the
/// outcome is its done message (then the worker owns the loaded workspace).
fn end_running(outcome: &JsValue) {
    if let Some(running) = RUNNING.with(|r| r.borrow_mut().take()) {
        if field(outcome, "type").as_string().as_deref() != Some("done") {
            running.worker.terminate();
        }
        let _ = running.finish.call1(&JsValue::NULL, outcome);
    }
}

/// Cancels the running load, if any: its worker stops at once.
pub fn cancel_load() {
    end_running(&JsValue::NULL);
}

/// A finished load: the worker that owns the workspace, what it reported, the outline,
/// the campaigns and creators, and its answers to the view's questions (by key).
struct Loaded {
    owner: Owner,
    result: LoadResult,
    outline: Outline,
    shell: Workspace,
    answers: Vec<(String, Answer)>,
}

/// The workspace a load adds to, packed with its buffers: a copy of the data worker's,
/// the page's (none while the demo is shown), or `null`.
async fn load_base(state: AppState) -> Result<(JsValue, Array), String> {
    if let Some(owner) = state.data_owner() {
        return owner.copy().await;
    }
    let ws = state.workspace_to_load_into();
    Ok(match ws.is_empty() {
        true => (JsValue::NULL, Array::new()),
        false => packed_to_js(pack(ws)),
    })
}

/// Loads files in a new data worker, on top of `base`, and asks it the current view's
/// questions. `Ok(None)` when cancelled.
async fn load_in_worker(
    state: AppState,
    progress: IngestProgress,
    files: Vec<(web_sys::File, LoadOptions)>,
) -> Result<Option<Loaded>, String> {
    cancel_load();
    // The bar shows at once (the worker reports after its first slice).
    if let Some((file, _)) = files.first() {
        progress.current.set(Some(Progress {
            file: file.name(),
            done: 0.0,
            total: file.size(),
            rows: 0,
            elapsed_ms: 0.0,
        }));
    }
    let (base, transfer) = load_base(state).await?;
    let worker = web_sys::Worker::new(&format!("{}worker_loader.js", app_base()))
        .map_err(|e| format!("could not start the data worker ({})", js_error(e)))?;
    let started = now_ms();
    let (file_list, option_list) = (Array::new(), Array::new());
    for (file, options) in &files {
        file_list.push(file);
        option_list.push(&serde_json::to_string(options).unwrap_or_default().into());
    }
    let request = message(&[
        ("type", "load".into()),
        ("files", file_list.into()),
        ("options", option_list.into()),
        ("base", base),
    ]);
    let mut request = Some((request, transfer));
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let data = e.data();
            match field(&data, "type").as_string().as_deref() {
                Some("ready") => {
                    let running = RUNNING.with(|r| r.borrow().as_ref().map(|r| r.worker.clone()));
                    if let (Some(worker), Some((request, transfer))) = (running, request.take()) {
                        if let Err(e) = worker.post_message_with_transfer(&request, &transfer) {
                            end_running(&js_error(e).into());
                        }
                    }
                }
                Some("progress") => progress.current.set(Some(Progress {
                    file: field(&data, "file").as_string().unwrap_or_default(),
                    done: field(&data, "done").as_f64().unwrap_or(0.0),
                    total: field(&data, "total").as_f64().unwrap_or(0.0),
                    rows: field(&data, "rows").as_f64().unwrap_or(0.0) as usize,
                    elapsed_ms: now_ms() - started,
                })),
                _ => {
                    mark("ingest-received");
                    end_running(&data);
                }
            }
        });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(|e: web_sys::ErrorEvent| {
        // Its own handling stops it (as in a page), so no "Uncaught" reaches the console.
        e.prevent_default();
        end_running(&worker_stopped(&e.message()).into());
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let wait = Promise::new(&mut |finish, _| {
        RUNNING.with(|r| {
            *r.borrow_mut() = Some(Running {
                worker: worker.clone(),
                finish,
            })
        });
    });
    // Every way the wait ends (`end_running`) but the done message has terminated
    // the worker.
    let outcome = JsFuture::from(wait).await.unwrap_or(JsValue::NULL);
    if outcome.is_null() {
        return Ok(None);
    }
    if let Some(error) = outcome.as_string() {
        return Err(error);
    }
    let owner = Owner::new(worker);
    let read = |key: &str| field(&outcome, key).as_string().unwrap_or_default();
    let result: LoadResult =
        serde_json::from_str(&read("result")).map_err(|_| "the data worker sent no result")?;
    let outline: Outline =
        serde_json::from_str(&read("outline")).map_err(|_| "the data worker sent no outline")?;
    let shell = unpack(packed_from_js(&field(&outcome, "shell"))?)?;
    let settings = state.settings.get_untracked();
    let mut answers = Vec::new();
    for question in state.query.with_untracked(view_questions) {
        // A worker that dies answering (out of memory over all the rows) is a failed
        // load: the new owner goes, the data stays as it was.
        let answer = match owner.ask(&question, &settings).await {
            Ok(answer) => answer,
            Err(e) => return Err(owner.stopped().map_or(e, |d| worker_stopped(&d))),
        };
        answers.push((owner::key(&question, &settings), answer));
    }
    mark_with_detail("ingest-answered", &result.timings_json());
    Ok(Some(Loaded {
        owner,
        result,
        outline,
        shell,
        answers,
    }))
}

/// Streams files into the data through a new data worker, then shows the outcome. A
/// cancel drops everything read so far.
pub async fn stream_files(
    state: AppState,
    progress: IngestProgress,
    files: Vec<(web_sys::File, LoadOptions)>,
) {
    mark("ingest-start");
    progress.message.set(None);
    let outcome = load_in_worker(state, progress, files).await;
    progress.current.set(None);
    match outcome {
        Ok(Some(loaded)) => {
            let Loaded {
                owner,
                result,
                outline,
                shell,
                answers,
            } = loaded;
            // When no file loaded, the new worker (and its copy of the data) just goes.
            if !result.reports.is_empty() {
                owner::install(owner, answers);
                state.remote.set(Some(Arc::new(outline)));
            }
            state.apply_loaded(shell, result.reports, result.errors);
        }
        Ok(None) => progress
            .message
            .set(Some("Load cancelled: the data is unchanged.".into())),
        Err(e) => state.add_errors(vec![e]),
    }
    mark("ingest-end");
}

/// The progress bar and cancel button (`#ingest-progress`, `#cancel-load`), shown while
/// a streaming load runs.
#[component]
pub fn IngestProgressView(progress: IngestProgress) -> impl IntoView {
    let value = move || {
        progress
            .current
            .with(|p| p.as_ref().map_or(0.0, |p| p.done))
    };
    let max = move || {
        progress
            .current
            .with(|p| p.as_ref().map_or(1.0, |p| p.total.max(1.0)))
    };
    let text = move || {
        progress
            .current
            .with(|p| p.as_ref().map(Progress::summary).unwrap_or_default())
    };
    view! {
        <Show when=move || progress.current.with(Option::is_some)>
            <div id="ingest-progress" class="ingest-progress" role="status" aria-live="polite">
                <label for="ingest-progress-bar">"Loading"</label>
                <progress id="ingest-progress-bar" max=max value=value></progress>
                <p class="progress-text">{text}</p>
                <button id="cancel-load" type="button" on:click=move |_| cancel_load()>
                    "Cancel"
                </button>
            </div>
        </Show>
        {move || progress.message.get().map(|m| view! { <p class="notice">{m}</p> })}
    }
}
