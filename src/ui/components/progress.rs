//! Streaming load of big files in a data worker ([`crate::worker`]): the page hands it
//! the `File`s and the workspace to load into, and shows its progress (bytes, rows per
//! second, ETA) with a cancel button. The worker then owns the new workspace and
//! answers the views' questions ([`crate::ui::owner`]); the page takes back only its
//! outline and its campaigns and creators. The page's main thread never parses; a
//! cancel terminates the worker and leaves the data as it was.
//!
//! Every load goes through one queue ([`IngestProgress::queue`], the rules of
//! [`crate::display::loads`]): one load runs at a time, on the workspace as it is when
//! it starts, and applies only while it is still the running load; files dropped
//! meanwhile wait their turn (`#load-queue`); Clear and Load demo cancel the running
//! load and the queue first, and say so (`#load-message`).

use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::data::ingest::LoadOptions;
use crate::data::packed::{pack, unpack, Packed};
use crate::display::loads::{
    cancelled_message, queued_label, CancelledBy, LoadId, LoadState, Loads,
};
use crate::display::questions::Outline;
use crate::protocol::{js_error, refusal, Base, FromWorker, LoadResult, ToWorker, MAX_FILE_BYTES};
use crate::ui::browser::{mark, mark_with_detail};
use crate::ui::components::share::app_base;
use crate::ui::components::upload::{self, Job};
use crate::ui::owner::{self, DataSource, Owner};
use crate::ui::state::{view_questions, AppState};

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
    refusal(name, size, max_file_bytes())
}

/// A fetched file's `Content-Length`, or its refusal when that is over the limit,
/// before its body is read (the body is then cancelled). `Ok(None)`: no length given.
pub fn response_length(name: &str, response: &web_sys::Response) -> Result<Option<f64>, String> {
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
        return Err(refusal);
    }
    Ok(length)
}

/// Where a streaming load stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// The load it is the progress of.
    pub load: LoadId,
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

/// The loads: their queue, the progress of the running streaming load, and its worker.
#[derive(Clone, Copy)]
pub struct IngestProgress {
    pub current: RwSignal<Option<Progress>>,
    /// A message after a load ends without loading (cancelled).
    pub message: RwSignal<Option<String>>,
    running: StoredValue<Option<Running>, LocalStorage>,
    /// Every load, queued, running or ended, each with what it loads.
    loads: RwSignal<Loads<Job>, LocalStorage>,
}

impl IngestProgress {
    pub fn new() -> IngestProgress {
        IngestProgress {
            current: RwSignal::new(None),
            message: RwSignal::new(None),
            running: StoredValue::new_local(None),
            loads: RwSignal::new_local(Loads::new()),
        }
    }

    /// Queues a load of `files` (named by `names`): it runs when the loads before it
    /// have ended, on the workspace as it is then. Nothing running is cancelled.
    pub fn queue(&self, state: AppState, names: Vec<String>, job: Job) {
        self.message.set(None);
        // A new drop starts a new list of errors; the loads it waits for add theirs.
        if !matches!(job, Job::Turn { .. }) {
            state.load_error.set(None);
        }
        self.loads.update(|l| {
            l.drop_files(names, job);
        });
        self.pump(state);
    }

    /// Starts the next queued load when none runs.
    fn pump(&self, state: AppState) {
        let Some((id, job)) = self.loads.try_update(|l| l.start()).flatten() else {
            return;
        };
        let progress = *self;
        leptos::task::spawn_local(async move {
            upload::run(state, progress, id, job).await;
            if progress
                .current
                .with_untracked(|c| c.as_ref().is_some_and(|c| c.load == id))
            {
                progress.current.set(None);
            }
            progress.loads.update(|l| l.end(id));
            progress.pump(state);
        });
    }

    /// Waits for a turn in the queue for a load of no files (the remembered
    /// workspace's restore, named by `names`): it runs alone, like every load, until
    /// the [`Turn`] is dropped, and applies only if [`IngestProgress::may_apply`] says
    /// so. `None` when it was cancelled (Clear, Load demo) before its turn came.
    pub async fn turn(&self, state: AppState, names: Vec<String>) -> Option<Turn> {
        let grant: Rc<RefCell<Option<(LoadId, Function)>>> = Rc::default();
        let mut granted = None;
        let wake = Promise::new(&mut |resolve, _| granted = Some(upload::Done::new(resolve)));
        let granted = granted?;
        let job = Job::Turn {
            grant: grant.clone(),
            granted,
        };
        self.queue(state, names, job);
        let _ = JsFuture::from(wake).await;
        let (id, release) = grant.borrow_mut().take()?;
        Some(Turn { id, release })
    }

    /// True while `id` is the running load (not tracked).
    pub fn is_current(&self, id: LoadId) -> bool {
        self.loads.with_untracked(|l| l.is_running(id))
    }

    /// True once the load `id` is cancelled (not tracked).
    pub fn was_cancelled(&self, id: LoadId) -> bool {
        self.loads
            .with_untracked(|l| matches!(l.state(id), Some(LoadState::Cancelled(_))))
    }

    /// Asked right before the load `id` applies its outcome: true (once) while it is
    /// the running load; false when it was cancelled (its outcome is then dropped).
    pub fn may_apply(&self, id: LoadId) -> bool {
        self.loads.try_update(|l| l.apply(id)).unwrap_or(false)
    }

    /// Cancels the running load, if any, at the user's request: its worker stops at
    /// once, the data stays as it was, and the queued loads go on.
    pub fn cancel(&self) {
        let running = self.loads.with_untracked(|l| l.running().map(|r| r.id));
        if let Some(id) = running {
            self.cancel_load(id);
        }
    }

    /// Cancels the load `id` (running or queued) at the user's request, and says so.
    pub fn cancel_load(&self, id: LoadId) {
        let was_running = self.is_current(id);
        let cancelled = self
            .loads
            .try_update(|l| l.cancel(id).then(|| l.get(id).cloned()).flatten())
            .flatten();
        let Some(cancelled) = cancelled else { return };
        self.message
            .set(cancelled_message(CancelledBy::User, &[cancelled]));
        if was_running {
            self.end(None);
            self.current.set(None);
        }
    }

    /// Cancels the running load and every queued one before `by` replaces the
    /// workspace, and says so.
    fn cancel_all(&self, by: CancelledBy) {
        let cancelled = self
            .loads
            .try_update(|l| l.cancel_all(by))
            .unwrap_or_default();
        self.end(None);
        self.current.set(None);
        self.message.set(cancelled_message(by, &cancelled));
    }

    /// "Clear workspace": cancels the loads first (saying so), then empties it.
    pub fn clear(&self, state: AppState) {
        self.cancel_all(CancelledBy::Clear);
        state.clear();
    }

    /// "Load demo": cancels the loads first (saying so), then shows the demo.
    pub fn load_demo(&self, state: AppState) {
        self.cancel_all(CancelledBy::Demo);
        state.load_demo();
    }

    /// Ends the running load's wait with `ended` (`None`: cancelled), terminating its
    /// worker unless the load is done (the worker then owns the workspace).
    fn end(&self, ended: Option<Ended>) {
        let Some(running) = self.running.try_update_value(Option::take).flatten() else {
            return;
        };
        if !matches!(ended, Some(Ended::Done { .. })) {
            running.worker.terminate();
        }
        *running.ended.borrow_mut() = ended;
        let _ = running.finish.call0(&JsValue::NULL);
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

/// A load's turn in the queue ([`IngestProgress::turn`]), until it is dropped.
pub struct Turn {
    /// The load's number (ask [`IngestProgress::may_apply`] before applying).
    pub id: LoadId,
    release: Function,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let _ = self.release.call0(&JsValue::NULL);
    }
}

/// How a load's wait ended (a cancel ends it with nothing).
enum Ended {
    Done {
        result: LoadResult,
        outline: Outline,
        names: Packed,
    },
    Failed(String),
}

/// The running load: its worker, the function that ends its wait, and how it ended.
struct Running {
    worker: web_sys::Worker,
    finish: Function,
    ended: Rc<RefCell<Option<Ended>>>,
}

/// What the next load adds to: a copy of the data worker's workspace (sent from that
/// worker to the new one on a channel, never through the page), the page's (none while
/// the demo is shown), or nothing.
fn load_base(state: AppState) -> Result<Base, String> {
    if state.replaces() {
        return Ok(Base::Empty); // a re-read of a watched file replaces the data
    }
    if let Some(owner) = state.data_owner() {
        let channel = web_sys::MessageChannel::new().map_err(js_error)?;
        owner.send_copy(channel.port1())?;
        return Ok(Base::Port(channel.port2()));
    }
    let ws = state.workspace_to_load_into();
    Ok(match ws.is_empty() {
        true => Base::Empty,
        false => Base::Packed(pack(ws)),
    })
}

/// Loads files in a new data worker, on top of the data held, and asks it the current
/// view's questions (its answers stay in the new owner's cache). `Ok(None)` when
/// cancelled; on `Ok(Some)` the new owner holds the data with its load's result.
async fn load_in_worker(
    state: AppState,
    progress: IngestProgress,
    id: LoadId,
    files: Vec<(web_sys::File, LoadOptions)>,
) -> Result<Option<(Owner, LoadResult)>, String> {
    // The bar shows at once (the worker reports after its first slice).
    if let Some((file, _)) = files.first() {
        progress.current.set(Some(Progress {
            load: id,
            file: file.name(),
            done: 0.0,
            total: file.size(),
            rows: 0,
            elapsed_ms: 0.0,
        }));
    }
    let base = load_base(state)?;
    // From a blob: URL, so that it runs under the page's Content-Security-Policy.
    let worker = crate::ui::browser::start_worker(&format!("{}worker_loader.js", app_base()))
        .await
        .map_err(|e| format!("could not start the data worker ({e})"))?;
    if !progress.is_current(id) {
        // Cancelled while the worker started.
        worker.terminate();
        return Ok(None);
    }
    let started = now_ms();
    let mut request = Some(ToWorker::Load { files, base });
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            match FromWorker::from_js(&e.data()) {
                Ok(FromWorker::Ready) => {
                    let running = progress
                        .running
                        .with_value(|r| r.as_ref().map(|r| r.worker.clone()));
                    if let (Some(worker), Some(request)) = (running, request.take()) {
                        if let Err(e) = request.post(&worker) {
                            progress.end(Some(Ended::Failed(e)));
                        }
                    }
                }
                Ok(FromWorker::Progress {
                    file,
                    done,
                    total,
                    rows,
                }) => progress.current.set(Some(Progress {
                    load: id,
                    file,
                    done,
                    total,
                    rows,
                    elapsed_ms: now_ms() - started,
                })),
                Ok(FromWorker::Done {
                    result,
                    outline,
                    names,
                }) => {
                    mark("ingest-received");
                    progress.end(Some(Ended::Done {
                        result,
                        outline,
                        names,
                    }));
                }
                Ok(FromWorker::Failed { error, .. }) => {
                    mark("ingest-received");
                    progress.end(Some(Ended::Failed(error)));
                }
                Ok(_) => {}
                Err(error) => progress.end(Some(Ended::Failed(error))),
            }
        });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
        // Its own handling stops it (as in a page), so no "Uncaught" reaches the console.
        e.prevent_default();
        progress.end(Some(Ended::Failed(worker_stopped(&e.message()))));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let ended: Rc<RefCell<Option<Ended>>> = Rc::default();
    let wait = Promise::new(&mut |finish, _| {
        progress.running.set_value(Some(Running {
            worker: worker.clone(),
            finish,
            ended: ended.clone(),
        }));
    });
    // Every way the wait ends but the done message has terminated the worker.
    let _ = JsFuture::from(wait).await;
    let outcome = ended.borrow_mut().take();
    let (result, outline, names) = match outcome {
        None => return Ok(None),
        Some(Ended::Failed(error)) => return Err(error),
        Some(Ended::Done {
            result,
            outline,
            names,
        }) => (result, outline, names),
    };
    let names = unpack(names).map_err(|e| e.to_string())?;
    let owner = Owner::new(worker, outline, names);
    let settings = state.answer_settings();
    for question in state.query.with_untracked(view_questions) {
        // A worker that dies answering (out of memory over all the rows) is a failed
        // load: the new owner goes, the data stays as it was.
        if let Err(e) = owner.ask(&question, &settings).await {
            return Err(owner.stopped().map_or(e, |d| worker_stopped(&d)));
        }
    }
    mark_with_detail("ingest-answered", &result.timings_json());
    Ok(Some((owner, result)))
}

/// Streams files into the data through a new data worker (the load `id` of the
/// queue), then shows the outcome, unless the load was cancelled meanwhile: a cancel
/// drops everything read so far (and its canceller said so).
pub async fn stream_files(
    state: AppState,
    progress: IngestProgress,
    id: LoadId,
    files: Vec<(web_sys::File, LoadOptions)>,
) {
    mark("ingest-start");
    let outcome = load_in_worker(state, progress, id, files).await;
    if progress
        .current
        .with_untracked(|c| c.as_ref().is_some_and(|c| c.load == id))
    {
        progress.current.set(None);
    }
    match outcome {
        // When no file loaded, the new worker (and its copy of the data) just goes; a
        // cancelled load's owner goes too (dropping it terminates its worker).
        Ok(Some((owner, result))) => {
            if progress.may_apply(id) {
                state.apply_loaded(
                    DataSource::Worker(Rc::new(owner)),
                    result.reports,
                    result.errors,
                );
            }
        }
        Ok(None) => {}
        Err(e) => {
            if progress.is_current(id) {
                state.add_errors(vec![e]);
            }
        }
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
                <button id="cancel-load" type="button" on:click=move |_| progress.cancel()>
                    "Cancel"
                </button>
            </div>
        </Show>
        <LoadQueueView progress=progress/>
        {move || progress.message.get().map(|m| view! { <p id="load-message" class="notice" role="status">{m}</p> })}
    }
}

/// `#load-queue`: the loads waiting for the running one, each `[data-queued-load]`
/// (its files' names) with its own cancel button (`[data-cancel-queued]`).
#[component]
fn LoadQueueView(progress: IngestProgress) -> impl IntoView {
    move || {
        let queued: Vec<(LoadId, String, String)> = progress.loads.with(|l| {
            l.queued()
                .into_iter()
                .map(|q| (q.id, q.names(), queued_label(q)))
                .collect()
        });
        (!queued.is_empty()).then(|| {
            let items = queued
                .into_iter()
                .map(|(id, names, label)| {
                    view! {
                        <li data-queued-load=names>
                            {label}" "
                            <button type="button" data-cancel-queued=id on:click=move |_| progress.cancel_load(id)>
                                "Cancel"
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section id="load-queue" class="load-queue" aria-label="Queued loads">
                    <ul>{items}</ul>
                </section>
            }
        })
    }
}
