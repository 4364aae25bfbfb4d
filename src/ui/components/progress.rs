//! Streaming load of big files on the main thread: the `File` is read in slices
//! (`Blob.slice`) and fed to [`StreamingLoad`], so the whole text is never held and the
//! page repaints between slices. A progress bar shows bytes, rows per second and an
//! ETA, with a cancel button that leaves the workspace untouched.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::data::ingest::{LoadOptions, StreamingLoad};
use crate::ui::browser::{js_error, mark};
use crate::ui::state::AppState;

/// Bytes read and parsed per slice: small enough that one slice stays well under the
/// 50 ms long-task budget in the browser.
pub const SLICE_BYTES: f64 = 256.0 * 1024.0;

/// Files at least this big are streamed; smaller ones are read whole.
pub const STREAM_FROM_BYTES: f64 = 1024.0 * 1024.0;

/// Bigger files are refused with a message: their columns would not fit in the
/// 4 GiB of a wasm32 tab (about 2.1 bytes of columns per byte of CSV).
pub const MAX_FILE_BYTES: f64 = 800.0 * 1024.0 * 1024.0;

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

/// The progress of the current streaming load, and its cancel request.
#[derive(Clone, Copy)]
pub struct IngestProgress {
    pub current: RwSignal<Option<Progress>>,
    pub cancel: RwSignal<bool>,
    /// A message after a load ends without loading (cancelled).
    pub message: RwSignal<Option<String>>,
}

impl IngestProgress {
    pub fn new() -> IngestProgress {
        IngestProgress {
            current: RwSignal::new(None),
            cancel: RwSignal::new(false),
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

/// The bytes `start..end` of a file.
pub async fn read_slice(file: &web_sys::File, start: f64, end: f64) -> Result<Vec<u8>, String> {
    let blob = file.slice_with_f64_and_f64(start, end).map_err(js_error)?;
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(js_error)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Streams files into the workspace, slice by slice, then shows the outcome. A cancel
/// drops everything read so far.
pub async fn stream_files(
    state: AppState,
    progress: IngestProgress,
    files: Vec<(web_sys::File, LoadOptions)>,
) {
    mark("ingest-start");
    progress.cancel.set(false);
    progress.message.set(None);
    let mut ws = state.workspace_to_load_into();
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for (file, options) in files {
        let name = file.name();
        let total = file.size();
        let started = now_ms();
        let mut load = StreamingLoad::new(&name, options);
        let mut done = 0.0;
        while done < total && !progress.cancel.get_untracked() {
            let end = (done + SLICE_BYTES).min(total);
            match read_slice(&file, done, end).await {
                Ok(bytes) => load.feed(&bytes),
                Err(e) => {
                    errors.push(format!("{name}: could not read the file ({e})"));
                    break;
                }
            }
            done = end;
            progress.current.set(Some(Progress {
                file: name.clone(),
                done,
                total,
                rows: load.rows_read(),
                elapsed_ms: now_ms() - started,
            }));
        }
        if progress.cancel.get_untracked() {
            progress.current.set(None);
            progress
                .message
                .set(Some("Load cancelled: the workspace is unchanged.".into()));
            mark("ingest-end");
            return;
        }
        if done >= total {
            match load.finish(&mut ws) {
                Ok(report) => reports.push(report),
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    progress.current.set(None);
    state.apply_loaded(ws, reports, errors);
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
                <button id="cancel-load" type="button" on:click=move |_| progress.cancel.set(true)>
                    "Cancel"
                </button>
            </div>
        </Show>
        {move || progress.message.get().map(|m| view! { <p class="notice">{m}</p> })}
    }
}
