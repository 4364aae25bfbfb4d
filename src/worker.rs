//! The data worker (the `worker` binary, built by trunk as a Web Worker) and the
//! message format it shares with the page.
//!
//! The page sends `{type: "load", files, options, base}`: the `File`s, each file's
//! [`LoadOptions`] as JSON, and the workspace to load into ([`Packed`], or `null`). The
//! worker reads each file in slices with `FileReaderSync`, parses it with
//! [`StreamingLoad`] and builds the key index. It then owns the workspace: it answers
//! `{type: "done", result, outline, shell}` (the [`Outline`] as JSON and the campaigns
//! and creators as a packed [`shell`]) and stays, to answer the views' questions:
//! `{type: "ask", id, question, settings}` → `{type: "answer", id, answer, reasons}`
//! (JSON of [`Question`] and [`Settings`], and [`answer_to_json`]), and
//! `{type: "pack", id}` → `{type: "answer", id, packed}` (a copy of the whole
//! workspace, the base of the next load).
//! No row data crosses per interaction. Before a load it posts `{type: "ready"}` once,
//! and `{type: "progress", file, done, total, rows}` after every slice. Cancelling a
//! load terminates its worker.

use js_sys::{Array, Float64Array, Int32Array, Object, Reflect, Uint32Array, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use std::cell::RefCell;

use crate::data::ingest::{FileReport, LoadOptions, StreamingLoad};
use crate::data::packed::{pack, unpack, Packed};
use crate::data::store::Workspace;
use crate::display::questions::{answer, answer_to_json, shell, Answer, Outline, Question};
use crate::metrics::settings::Settings;
use crate::ui::browser::js_error;

/// Bytes the worker reads per slice (one progress message each).
pub const SLICE_BYTES: f64 = 1024.0 * 1024.0;

/// The wasm memory past which a load stops with a message rather than grow on to the
/// 4 GiB a wasm32 worker can address (where the next allocation would trap, ending the
/// worker with a bare "unreachable"): the room left is for a column that still doubles.
pub const MEMORY_BUDGET_BYTES: f64 = 3.0 * 1024.0 * 1024.0 * 1024.0;

/// This worker's wasm memory in bytes (its peak: wasm memory never shrinks).
fn memory_bytes() -> f64 {
    field(&wasm_bindgen::memory(), "buffer")
        .dyn_into::<js_sys::ArrayBuffer>()
        .map_or(0.0, |b| b.byte_length() as f64)
}

/// The outcome of a load, besides the workspace: the JSON `result` of a done message.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct LoadResult {
    pub reports: Vec<FileReport>,
    pub errors: Vec<String>,
    /// Milliseconds spent reading and parsing, finishing (checks, merge, key index)
    /// and packing the shell; the worker's wasm memory at the end (its peak: it never
    /// shrinks).
    pub parse_ms: f64,
    pub finish_ms: f64,
    pub pack_ms: f64,
    pub worker_memory_bytes: f64,
}

impl LoadResult {
    /// The timings and memory alone, as JSON (the `ingest-answered` mark's detail).
    pub fn timings_json(&self) -> String {
        format!(
            r#"{{"parse_ms":{},"finish_ms":{},"pack_ms":{},"worker_memory_bytes":{}}}"#,
            self.parse_ms, self.finish_ms, self.pack_ms, self.worker_memory_bytes
        )
    }
}

/// `message[key]`.
pub fn field(message: &JsValue, key: &str) -> JsValue {
    Reflect::get(message, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A message object from `(key, value)` pairs.
pub fn message(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// A packed workspace as a message value, and the buffers to transfer with it.
pub fn packed_to_js(packed: Packed) -> (JsValue, Array) {
    let list = |arrays: Vec<JsValue>| arrays.into_iter().collect::<Array>().into();
    let u32s = packed.u32s.iter().map(|v| Uint32Array::from(&v[..]).into());
    let i32s = packed.i32s.iter().map(|v| Int32Array::from(&v[..]).into());
    let f64s = packed
        .f64s
        .iter()
        .map(|v| Float64Array::from(&v[..]).into());
    let bytes = packed.bytes.iter().map(|v| Uint8Array::from(&v[..]).into());
    let value = message(&[
        ("header", JsValue::from_str(&packed.header)),
        ("u32s", list(u32s.collect())),
        ("i32s", list(i32s.collect())),
        ("f64s", list(f64s.collect())),
        ("bytes", list(bytes.collect())),
    ]);
    let transfer = buffers_of(&value);
    (value, transfer)
}

/// The buffers of a packed workspace's typed arrays, to transfer it (again).
pub fn buffers_of(packed: &JsValue) -> Array {
    let buffers = Array::new();
    for key in ["u32s", "i32s", "f64s", "bytes"] {
        if let Ok(list) = field(packed, key).dyn_into::<Array>() {
            for array in list.iter() {
                buffers.push(&field(&array, "buffer"));
            }
        }
    }
    buffers
}

/// The packed workspace of a message value (see [`packed_to_js`]), copied into wasm
/// memory.
pub fn packed_from_js(value: &JsValue) -> Result<Packed, String> {
    fn arrays<T: JsCast>(value: &JsValue, key: &str) -> Result<Vec<T>, String> {
        let list = field(value, key);
        let list: &Array = list.dyn_ref().ok_or(format!("no {key} list"))?;
        list.iter()
            .map(|a| a.dyn_into::<T>().map_err(|_| format!("bad {key} array")))
            .collect()
    }
    Ok(Packed {
        header: field(value, "header").as_string().ok_or("no header")?,
        u32s: arrays::<Uint32Array>(value, "u32s")?
            .iter()
            .map(|a| a.to_vec())
            .collect(),
        i32s: arrays::<Int32Array>(value, "i32s")?
            .iter()
            .map(|a| a.to_vec())
            .collect(),
        f64s: arrays::<Float64Array>(value, "f64s")?
            .iter()
            .map(|a| a.to_vec())
            .collect(),
        bytes: arrays::<Uint8Array>(value, "bytes")?
            .iter()
            .map(|a| a.to_vec())
            .collect(),
    })
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
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
            let data = event.data();
            match field(&data, "type").as_string().as_deref() {
                Some("load") => done(&data),
                Some("ask") => reply_to_question(&data),
                Some("pack") => reply_with_copy(&data),
                _ => {}
            }
        });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope().post_message(&message(&[("type", "ready".into())]));
}

/// Loads a load message's files, keeps the workspace and answers with its outline and
/// shell.
fn done(data: &JsValue) {
    let (mut result, ws) = load(data);
    let packing = now_ms();
    let outline = serde_json::to_string(&Outline::of(&ws)).unwrap_or_default();
    let (shell, transfer) = packed_to_js(pack(shell(&ws)));
    result.pack_ms = now_ms() - packing;
    OWNED.with(|owned| *owned.borrow_mut() = Some(ws));
    let result = serde_json::to_string(&result).unwrap_or_default();
    let reply = message(&[
        ("type", "done".into()),
        ("result", result.into()),
        ("outline", outline.into()),
        ("shell", shell),
    ]);
    let _ = scope().post_message_with_transfer(&reply, &transfer);
}

/// Answers an ask message from the owned workspace (an error when there is none or
/// the question does not parse).
fn reply_to_question(data: &JsValue) {
    let parse = |key: &str| field(data, key).as_string().unwrap_or_default();
    let answered = serde_json::from_str::<Question>(&parse("question"))
        .map_err(|e| format!("bad question: {e}"))
        .and_then(|question| {
            let settings: Settings = serde_json::from_str(&parse("settings"))
                .map_err(|e| format!("bad settings: {e}"))?;
            OWNED.with(|owned| match owned.borrow().as_ref() {
                Some(ws) => Ok(answer(ws, &settings, &question)),
                None => Err("the worker holds no data".to_owned()),
            })
        })
        .and_then(|a: Answer| answer_to_json(&a));
    let mut reply = vec![("type", "answer".into()), ("id", field(data, "id"))];
    match answered {
        Ok((json, reasons)) => {
            reply.push(("answer", json.into()));
            reply.push(("reasons", reasons.into()));
        }
        Err(e) => reply.push(("error", e.into())),
    }
    let reply = message(&reply);
    let _ = scope().post_message(&reply);
}

/// Answers a pack message with a copy of the owned workspace, its buffers transferred.
fn reply_with_copy(data: &JsValue) {
    let copy = OWNED
        .with(|owned| owned.borrow().clone())
        .unwrap_or_default();
    let (packed, transfer) = packed_to_js(pack(copy));
    let reply = message(&[
        ("type", "answer".into()),
        ("id", field(data, "id")),
        ("packed", packed),
    ]);
    let _ = scope().post_message_with_transfer(&reply, &transfer);
}

/// Loads the message's files into its base workspace.
fn load(data: &JsValue) -> (LoadResult, Workspace) {
    let mut result = LoadResult::default();
    let base = field(data, "base");
    let mut ws = if base.is_object() {
        match packed_from_js(&base).and_then(unpack) {
            Ok(ws) => ws,
            Err(e) => {
                result
                    .errors
                    .push(format!("could not read the workspace: {e}"));
                Workspace::default()
            }
        }
    } else {
        Workspace::default()
    };
    let files: Array = field(data, "files").dyn_into().unwrap_or_default();
    let options: Array = field(data, "options").dyn_into().unwrap_or_default();
    for (file, options) in files.iter().zip(options.iter()) {
        let Ok(file) = file.dyn_into::<web_sys::File>() else {
            continue;
        };
        let options: LoadOptions = options
            .as_string()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        let started = now_ms();
        match read_file(&file, options) {
            Ok(load) => {
                let parsed = now_ms();
                result.parse_ms += parsed - started;
                match load.finish(&mut ws) {
                    Ok(report) => result.reports.push(report),
                    Err(e) => result.errors.push(e.to_string()),
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
    (result, ws)
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
        let bytes = Uint8Array::new(&buffer);
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
        let _ = scope().post_message(&message(&[
            ("type", "progress".into()),
            ("file", name.as_str().into()),
            ("done", done.into()),
            ("total", total.into()),
            ("rows", (load.rows_read() as f64).into()),
        ]));
    }
    Ok(load)
}
