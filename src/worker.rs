//! The data worker (the `worker` binary, built by trunk as a Web Worker). It speaks
//! [`crate::protocol`]: after [`FromWorker::Ready`] it takes one [`ToWorker::Load`],
//! reads each file in slices with `FileReaderSync`, parses it with [`StreamingLoad`]
//! and builds the key index, posting [`FromWorker::Progress`] after every slice. It then
//! owns the workspace and stays, answering [`ToWorker::Ask`] and [`ToWorker::Pack`]
//! (a copy for the next load's worker, on a port) until the page terminates it.
//! Cancelling a load terminates its worker.
//!
//! A posts CSV of [`crate::protocol::SPLIT_FROM_BYTES`] or more is parsed by [`parse_workers`] workers at
//! once ([`crate::data::split`]): the data worker starts helper workers (this same
//! binary, from a `blob:` URL of the loader, so under the same policy), each parses
//! one byte range and posts its part back packed ([`ToWorker::Parse`],
//! [`FromWorker::Part`]); the data worker parses the last range itself, sums the
//! parts' progress and merges. If a helper fails, or the parts cannot be merged
//! exactly, the file is parsed whole.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use std::cell::RefCell;
use std::rc::Rc;

use crate::data::ingest::{LoadOptions, StreamingLoad};
use crate::data::packed::{pack, unpack};
use crate::data::split::{self, PartLoad, PartState, Plan};
use crate::data::store::{Posts, Workspace};
use crate::display::questions::{answer, shell, Outline};
use crate::protocol::{js_error, parse_workers, Base, FromWorker, LoadResult, ToWorker};

/// Bytes the worker reads per slice (one progress message each).
pub const SLICE_BYTES: f64 = 1024.0 * 1024.0;

/// The wasm memory past which a load stops with a message rather than grow on to the
/// 4 GiB a wasm32 worker can address (where the next allocation would trap, ending the
/// worker with a bare "unreachable"): the room left is for a column that still doubles.
pub const MEMORY_BUDGET_BYTES: f64 = 3.0 * 1024.0 * 1024.0 * 1024.0;

/// This worker's wasm memory in bytes (its peak: wasm memory never shrinks).
fn memory_bytes() -> f64 {
    js_sys::Reflect::get(&wasm_bindgen::memory(), &"buffer".into())
        .ok()
        .and_then(|b| b.dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0.0, |b| b.byte_length() as f64)
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts a message to the page.
fn reply(message: FromWorker) {
    let _ = message.post(&scope());
}

thread_local! {
    /// The workspace this worker owns once its load is done.
    static OWNED: RefCell<Option<Workspace>> = const { RefCell::new(None) };
}

/// The worker's entry point: answers messages until it is terminated.
pub fn run() {
    console_error_panic_hook::set_once();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
            match ToWorker::from_js(&event.data()) {
                Ok(ToWorker::Load { files, base }) => start_load(files, base),
                Ok(ToWorker::Ask {
                    id,
                    question,
                    settings,
                }) => reply(OWNED.with(|owned| match owned.borrow().as_ref() {
                    Some(ws) => FromWorker::Answer {
                        id,
                        answer: answer(ws, &settings, &question),
                    },
                    None => FromWorker::Failed {
                        id: Some(id),
                        error: "the worker holds no data".into(),
                    },
                })),
                Ok(ToWorker::Pack { port }) => send_copy(&port),
                Ok(ToWorker::Parse {
                    file,
                    options,
                    plan,
                    index,
                }) => reply(parse_part(&file, &options, &plan, index)),
                Err(error) => reply(FromWorker::Failed { id: None, error }),
            }
        });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    reply(FromWorker::Ready);
}

/// Posts a packed copy of the owned workspace on `port`, its buffers transferred.
fn send_copy(port: &web_sys::MessagePort) {
    let copy = OWNED.with(|owned| owned.borrow().clone());
    let message = match copy {
        Some(ws) => FromWorker::Copy { packed: pack(ws) },
        None => FromWorker::Failed {
            id: None,
            error: "the worker holds no data".into(),
        },
    };
    let _ = message.post(port);
    port.close();
}

/// Starts a load into its base: at once, or once the copy on the base's port arrives.
fn start_load(files: Vec<(web_sys::File, LoadOptions)>, base: Base) {
    let into = move |ws: Result<Workspace, String>| match ws {
        Ok(ws) => done(files, ws),
        Err(e) => reply(FromWorker::Failed {
            id: None,
            error: format!("could not read the workspace to add to: {e}"),
        }),
    };
    match base {
        Base::Empty => into(Ok(Workspace::default())),
        Base::Packed(packed) => into(unpack(packed).map_err(|e| e.to_string())),
        Base::Port(port) => {
            let on_copy = Closure::once_into_js(move |e: web_sys::MessageEvent| {
                into(
                    FromWorker::copy_from_js(&e.data())
                        .and_then(|packed| unpack(packed).map_err(|e| e.to_string())),
                )
            });
            port.set_onmessage(Some(on_copy.unchecked_ref()));
        }
    }
}

/// Loads `files` into `ws`, keeps the workspace and answers with its outline and the
/// campaigns and creators.
fn done(files: Vec<(web_sys::File, LoadOptions)>, ws: Workspace) {
    wasm_bindgen_futures::spawn_local(finish_load(files, ws));
}

async fn finish_load(files: Vec<(web_sys::File, LoadOptions)>, mut ws: Workspace) {
    let mut result = load(&files, &mut ws).await;
    let packing = now_ms();
    let outline = Outline::of(&ws);
    let names = pack(shell(&ws));
    result.pack_ms = now_ms() - packing;
    OWNED.with(|owned| *owned.borrow_mut() = Some(ws));
    reply(FromWorker::Done {
        result,
        outline,
        names,
    });
}

/// Loads the files into `ws`.
async fn load(files: &[(web_sys::File, LoadOptions)], ws: &mut Workspace) -> LoadResult {
    let mut result = LoadResult::default();
    for (file, options) in files {
        let started = now_ms();
        let workers = parse_workers(file.size(), cores());
        let mut read = Err(String::new());
        if workers > 1 {
            read = read_in_parts(file, options, workers).await;
            if read.is_ok() {
                result.parse_workers = result.parse_workers.max(workers);
            }
        }
        if read.is_err() {
            read = read_file(file, options.clone());
        }
        match read {
            Ok(load) => {
                let parsed = now_ms();
                result.parse_ms += parsed - started;
                match load.finish(ws) {
                    Ok(report) => result.reports.push(report),
                    Err(e) => {
                        result.errors.push(e.to_string());
                        result.reports.extend(e.report.map(|r| *r));
                    }
                }
                result.finish_ms += now_ms() - parsed;
            }
            Err(e) => result
                .errors
                .push(format!("{}: could not read the file ({e})", file.name())),
        }
    }
    let indexed = now_ms();
    ws.posts.key_index();
    result.finish_ms += now_ms() - indexed;
    result.worker_memory_bytes = memory_bytes();
    result
}

/// Reads a file slice by slice into a streaming load, posting progress.
fn read_file(file: &web_sys::File, options: LoadOptions) -> Result<StreamingLoad, String> {
    let reader = web_sys::FileReaderSync::new().map_err(js_error)?;
    let name = file.name();
    let total = file.size();
    let mut load = StreamingLoad::new(&name, options);
    load.expect_bytes(total);
    let mut chunk = Vec::new();
    let mut done = 0.0;
    while done < total {
        let end = (done + SLICE_BYTES).min(total);
        let blob = file.slice_with_f64_and_f64(done, end).map_err(js_error)?;
        let buffer = reader.read_as_array_buffer(&blob).map_err(js_error)?;
        let bytes = js_sys::Uint8Array::new(&buffer);
        chunk.resize(bytes.length() as usize, 0);
        bytes.copy_to(&mut chunk);
        load.feed(&chunk);
        done = end;
        if memory_bytes() > MEMORY_BUDGET_BYTES && done < total {
            // The partial load is dropped; the workspace loaded into stays as it was.
            return Err(format!(
                "it does not fit in the data worker's memory: stopped after {:.0} of {:.0} MB and {} rows, with {:.1} GiB in use of the 4 GiB a browser tab's WebAssembly can hold; nothing of it was loaded",
                done / 1e6,
                total / 1e6,
                load.rows_read(),
                memory_bytes() / (1u64 << 30) as f64
            ));
        }
        reply(FromWorker::Progress {
            file: name.clone(),
            done,
            total,
            rows: load.rows_read(),
        });
    }
    Ok(load)
}

/// Logical cores (`navigator.hardwareConcurrency`; 0 when unknown), or the number a
/// benchmark set in `self.__kpiDashParseWorkers` before the load (to time one worker
/// against several in one build).
fn cores() -> usize {
    let set = js_sys::Reflect::get(&scope(), &"__kpiDashParseWorkers".into());
    if let Some(n) = set.ok().and_then(|n| n.as_f64()) {
        return n as usize;
    }
    js_sys::Reflect::get(&scope(), &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"hardwareConcurrency".into()))
        .ok()
        .and_then(|n| n.as_f64())
        .map_or(0, |n| n as usize)
}

/// Bytes `from..to` of `file`.
fn read_bytes(
    reader: &web_sys::FileReaderSync,
    file: &web_sys::File,
    from: usize,
    to: usize,
) -> Result<Vec<u8>, String> {
    let blob = file
        .slice_with_f64_and_f64(from as f64, to as f64)
        .map_err(js_error)?;
    let buffer = reader.read_as_array_buffer(&blob).map_err(js_error)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A helper's work: parses part `index` of `plan` of `file`, posting progress, and
/// answers with the part (its state as JSON, its rows packed) or a failure.
fn parse_part(
    file: &web_sys::File,
    options: &LoadOptions,
    plan: &Plan,
    index: usize,
) -> FromWorker {
    let failed = |error: String| FromWorker::Failed { id: None, error };
    let reader = match web_sys::FileReaderSync::new() {
        Ok(reader) => reader,
        Err(e) => return failed(js_error(e)),
    };
    let name = file.name();
    let mut part = PartLoad::new(&name, options, plan, index);
    let start = plan.cuts.get(index).copied().unwrap_or(plan.total);
    part.expect_bytes((plan.range_end(index) - start) as f64);
    while let Some((from, to)) = part.next_read(SLICE_BYTES as usize) {
        match read_bytes(&reader, file, from, to) {
            Ok(bytes) => part.feed(&bytes),
            Err(e) => return failed(e),
        }
        if memory_bytes() > MEMORY_BUDGET_BYTES {
            return failed("out of memory".into());
        }
        reply(FromWorker::Progress {
            file: name.clone(),
            done: part.bytes_done() as f64,
            total: plan.total as f64,
            rows: part.rows_read(),
        });
    }
    match part.take() {
        Some((state, posts)) => match serde_json::to_string(&state) {
            Ok(state) => FromWorker::Part {
                state,
                posts: pack(Workspace {
                    posts,
                    ..Workspace::default()
                }),
            },
            Err(e) => failed(e.to_string()),
        },
        None => failed("not a posts table read as CSV".into()),
    }
}

thread_local! {
    /// The `blob:` URL that starts a helper worker (made once).
    static HELPER_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Starts a helper worker: this worker's loader run from a `blob:` URL made here, so
/// that it inherits this worker's policy (the page's), with the same base.
fn start_helper() -> Result<web_sys::Worker, String> {
    let url = match HELPER_URL.with(|u| u.borrow().clone()) {
        Some(url) => url,
        None => {
            let base = js_sys::Reflect::get(&scope(), &"__kpiDashBase".into())
                .ok()
                .and_then(|b| b.as_string())
                .ok_or("no base URL")?;
            let loader = web_sys::Url::new_with_base("worker_loader.js", &base)
                .map_err(js_error)?
                .href();
            let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
            let script = format!(
                "self.__kpiDashBase = {};\nimportScripts({});\n",
                quote(&base),
                quote(&loader)
            );
            let parts = js_sys::Array::of1(&script.into());
            let options = web_sys::BlobPropertyBag::new();
            options.set_type("text/javascript");
            let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
                .map_err(js_error)?;
            let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_error)?;
            HELPER_URL.with(|u| *u.borrow_mut() = Some(url.clone()));
            url
        }
    };
    web_sys::Worker::new(&url).map_err(js_error)
}

/// How long a helper may take to start (fetch and compile its wasm) before the file is
/// parsed whole instead.
const HELPER_START_MS: i32 = 20_000;

/// What the helpers of one split parse have sent so far.
#[derive(Default)]
struct Helpers {
    /// Each part's state and rows, once it arrived.
    parts: Vec<Option<(PartState, Posts)>>,
    /// Each part's bytes read and rows so far.
    progress: Vec<(f64, usize)>,
    /// Which helpers said they started.
    ready: Vec<bool>,
    /// Parts still to arrive.
    waiting: usize,
    failed: Option<String>,
    /// Resolves the promise [`read_in_parts`] waits on.
    wake: Option<js_sys::Function>,
}

impl Helpers {
    fn wake(&mut self) {
        if let Some(wake) = self.wake.take() {
            let _ = wake.call0(&JsValue::NULL);
        }
    }
}

/// Lets the events queued for this worker run (the helpers' messages).
async fn yield_now() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
    });
    let _ = channel.port2().post_message(&JsValue::NULL);
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    channel.port1().set_onmessage(None);
}

/// Parses a posts CSV with `workers` workers (this one and its helpers), posting the
/// sum of their progress; an error when it could not be split or merged exactly (the
/// caller parses it whole then).
async fn read_in_parts(
    file: &web_sys::File,
    options: &LoadOptions,
    workers: usize,
) -> Result<StreamingLoad, String> {
    let reader = web_sys::FileReaderSync::new().map_err(js_error)?;
    let total = file.size() as usize;
    let name = file.name();
    let head = read_bytes(&reader, file, 0, total.min(split::HEAD_BYTES))?;
    let plan = split::plan(&head, total, workers, |at| {
        read_bytes(&reader, file, at, total.min(at + split::WINDOW_BYTES)).unwrap_or_default()
    })
    .filter(|p| p.parts() > 1)
    .ok_or("not split")?;
    let last = plan.parts() - 1;
    let state = Rc::new(RefCell::new(Helpers {
        parts: (0..plan.parts()).map(|_| None).collect(),
        progress: vec![(0.0, 0); plan.parts()],
        ready: vec![false; plan.parts()],
        waiting: last,
        ..Helpers::default()
    }));
    let mut helpers = Vec::new();
    let stop = |helpers: &[web_sys::Worker]| helpers.iter().for_each(web_sys::Worker::terminate);
    for index in 0..last {
        let helper = match start_helper() {
            Ok(helper) => helper,
            Err(e) => {
                stop(&helpers);
                return Err(e);
            }
        };
        let parse = ToWorker::Parse {
            file: file.clone(),
            options: options.clone(),
            plan: plan.clone(),
            index,
        };
        let (to_helper, on_state) = (helper.clone(), Rc::clone(&state));
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let mut helpers = on_state.borrow_mut();
                match FromWorker::from_helper_js(&e.data()) {
                    Ok(FromWorker::Ready) => {
                        helpers.ready[index] = true;
                        if let Err(e) = parse.post(&to_helper) {
                            helpers.failed = Some(e);
                        }
                    }
                    Ok(FromWorker::Progress { done, rows, .. }) => {
                        helpers.progress[index] = (done, rows)
                    }
                    Ok(FromWorker::Part { state, posts }) => {
                        let part = serde_json::from_str::<PartState>(&state)
                            .map_err(|e| e.to_string())
                            .and_then(|s| Ok((s, unpack(posts)?.posts)));
                        match part {
                            Ok(part) => {
                                helpers.parts[index] = Some(part);
                                helpers.waiting = helpers.waiting.saturating_sub(1);
                            }
                            Err(e) => helpers.failed = Some(e),
                        }
                        to_helper.terminate();
                    }
                    Ok(_) => {}
                    Err(e) => helpers.failed = Some(e),
                }
                if helpers.failed.is_some() || helpers.waiting == 0 {
                    helpers.wake();
                }
            });
        helper.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_error_state = Rc::clone(&state);
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            e.prevent_default();
            let mut helpers = on_error_state.borrow_mut();
            helpers.failed = Some("a helper worker stopped".into());
            helpers.wake();
        });
        helper.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        helpers.push(helper);
    }
    // A helper that has not started in a while (its script or wasm refused) fails the
    // split parse rather than hold the load.
    let watch_state = Rc::clone(&state);
    let watchdog = Closure::once_into_js(move || {
        let mut helpers = watch_state.borrow_mut();
        if helpers.ready.iter().take(last).any(|r| !r) && helpers.failed.is_none() {
            helpers.failed = Some("a helper worker did not start".into());
            helpers.wake();
        }
    });
    let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(
        watchdog.unchecked_ref(),
        HELPER_START_MS,
    );
    // This worker parses the last range (its reader ends the file).
    let mut part = PartLoad::new(&name, options, &plan, last);
    part.expect_bytes((total - plan.cuts[last]) as f64);
    while let Some((from, to)) = part.next_read(SLICE_BYTES as usize) {
        let bytes = match read_bytes(&reader, file, from, to) {
            Ok(bytes) => bytes,
            Err(e) => {
                stop(&helpers);
                return Err(e);
            }
        };
        part.feed(&bytes);
        yield_now().await;
        let (done, rows, failed) = {
            let mut sent = state.borrow_mut();
            sent.progress[last] = (part.bytes_done() as f64, part.rows_read());
            let done: f64 = sent.progress.iter().map(|p| p.0).sum();
            let rows: usize = sent.progress.iter().map(|p| p.1).sum();
            (done, rows, sent.failed.clone())
        };
        if let Some(e) = failed {
            stop(&helpers);
            return Err(e);
        }
        if memory_bytes() > MEMORY_BUDGET_BYTES {
            stop(&helpers);
            return Err("out of memory".into());
        }
        reply(FromWorker::Progress {
            file: name.clone(),
            done: done.min(total as f64),
            total: total as f64,
            rows,
        });
    }
    // Then waits for the helpers' parts.
    let waiting = {
        let mut helpers = state.borrow_mut();
        if helpers.waiting > 0 && helpers.failed.is_none() {
            Some(js_sys::Promise::new(&mut |resolve, _| {
                helpers.wake = Some(resolve)
            }))
        } else {
            None
        }
    };
    if let Some(waiting) = waiting {
        let _ = wasm_bindgen_futures::JsFuture::from(waiting).await;
    }
    stop(&helpers);
    let mut helpers = state.borrow_mut();
    if let Some(e) = helpers.failed.take() {
        return Err(e);
    }
    let parts = std::mem::take(&mut helpers.parts);
    split::merge(parts, part).map_err(|e| e.to_string())
}
