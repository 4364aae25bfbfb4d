//! The data worker (the `worker` binary, built by trunk as a Web Worker). It speaks
//! [`crate::protocol`]: after [`FromWorker::Ready`] it takes one [`ToWorker::Load`],
//! reads each file in slices with `FileReaderSync`, parses it with [`StreamingLoad`]
//! and builds the key index, posting [`FromWorker::Progress`] after every slice. It then
//! owns the workspace and stays, answering [`ToWorker::Ask`] and [`ToWorker::Pack`]
//! (a copy for the next load's worker, on a port) until the page terminates it.
//! Cancelling a load terminates its worker.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use std::cell::RefCell;

use crate::data::ingest::{LoadOptions, StreamingLoad};
use crate::data::packed::{pack, unpack};
use crate::data::store::Workspace;
use crate::display::questions::{answer, shell, Outline};
use crate::protocol::{js_error, Base, FromWorker, LoadResult, ToWorker};

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
        Ok(ws) => done(&files, ws),
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
fn done(files: &[(web_sys::File, LoadOptions)], mut ws: Workspace) {
    let mut result = load(files, &mut ws);
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
fn load(files: &[(web_sys::File, LoadOptions)], ws: &mut Workspace) -> LoadResult {
    let mut result = LoadResult::default();
    for (file, options) in files {
        let started = now_ms();
        match read_file(file, options.clone()) {
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
