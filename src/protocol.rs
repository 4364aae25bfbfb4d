//! The messages between the page and its data worker ([`crate::worker`]), and the one
//! place they are written to and read from JavaScript values.
//!
//! A load: the page starts a worker, which posts [`FromWorker::Ready`]; the page sends
//! [`ToWorker::Load`] (the `File`s, each with its [`LoadOptions`], and the workspace to
//! load into: none, the page's own packed, or a port on which the worker that holds the
//! data posts its copy, see [`ToWorker::Pack`]). The worker reads the files in slices,
//! posting [`FromWorker::Progress`] after each, and ends with [`FromWorker::Done`] (the
//! load's [`LoadResult`], the [`Outline`] and the campaigns and creators, packed) or
//! [`FromWorker::Failed`]. It then owns the workspace and answers
//! [`ToWorker::Ask`] with [`FromWorker::Answer`] (or `Failed` with the question's id).
//! No row data crosses per question; the typed arrays of a packed workspace are
//! transferred, never copied, by every `post` here.
//!
//! Changing what the worker answers touches this file and the side that reads it. The
//! message kinds, the load result and the size policy are pure (tested natively); the
//! JavaScript side exists in the wasm build only.

use serde::{Deserialize, Serialize};

use crate::data::ingest::FileReport;

/// The kind of a message: its `type` field on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Load,
    Ask,
    Pack,
    /// To a helper worker: parse one part of a file ([`crate::data::split`]).
    Parse,
    Ready,
    Progress,
    Done,
    Copy,
    Answer,
    /// From a helper worker: the part it parsed.
    Part,
    Failed,
}

impl Kind {
    /// Every kind, page-to-worker ones first.
    pub const ALL: [Kind; 11] = [
        Kind::Load,
        Kind::Ask,
        Kind::Pack,
        Kind::Parse,
        Kind::Ready,
        Kind::Progress,
        Kind::Done,
        Kind::Copy,
        Kind::Answer,
        Kind::Part,
        Kind::Failed,
    ];

    /// The name on the wire (what a browser test watching the messages sees).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Load => "load",
            Kind::Ask => "ask",
            Kind::Pack => "pack",
            Kind::Parse => "parse",
            Kind::Ready => "ready",
            Kind::Progress => "progress",
            Kind::Done => "done",
            Kind::Copy => "copy",
            Kind::Answer => "answer",
            Kind::Part => "part",
            Kind::Failed => "failed",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The outcome of a load, besides the workspace (the `result` of a done message).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Workers that parsed the biggest file (0 or 1: one; see [`parse_workers`]).
    #[serde(default)]
    pub parse_workers: usize,
}

impl LoadResult {
    /// The timings and memory alone, as JSON (the `ingest-answered` mark's detail).
    pub fn timings_json(&self) -> String {
        format!(
            r#"{{"parse_ms":{},"finish_ms":{},"pack_ms":{},"worker_memory_bytes":{},"parse_workers":{}}}"#,
            self.parse_ms,
            self.finish_ms,
            self.pack_ms,
            self.worker_memory_bytes,
            self.parse_workers.max(1)
        )
    }
}

/// From this size on, a file is read and parsed in a data worker (with every other
/// file of its load that needs nothing from the user); smaller loads parse on the page.
pub const STREAM_FROM_BYTES: f64 = 1024.0 * 1024.0;

/// Bigger files are refused with a message, before any of them is read: 730 MB
/// (730,000,000 bytes; MB is 10^6 bytes in every message and in the README), the
/// largest size measured to load in a data worker. Measured in headless Chromium
/// (issue 21) on canonical posts CSVs dropped on an empty workspace, each loaded and
/// its overview answered: `tests/e2e/bench/posts.mjs` (17 columns, 91 bytes a row) at
/// 274 MB (3M rows, 0.57 GB of worker memory) and 731 MB (8M rows, 1.60 GB); `gen`
/// (30 columns, 116 bytes a row) at 347 MB (3M rows, 0.94 GB) and 728 MB (6.3M rows,
/// 1.96 GB); 5-column rows of 36 bytes at 681 MB (19M rows, 2.22 GB). Above the limit,
/// with the cap raised for the measurement: 772 MB of `posts.mjs` (8.45M rows, 1.68 GB)
/// still loads, 823 MB (9M rows) ends with the worker stopped while loading (out of
/// memory; the message says so and the earlier data stays). 730 MB is the size every
/// measured shape loads at; files of other shapes that outgrow the worker's memory
/// budget ([`crate::worker`]) are stopped with a message.
pub const MAX_FILE_BYTES: f64 = 730_000_000.0;

/// From this size on, a posts CSV is parsed in parts by several workers at once (the
/// data worker and its helpers, see [`crate::data::split`]); smaller files in one.
pub const SPLIT_FROM_BYTES: f64 = 16.0 * 1024.0 * 1024.0;

/// Bigger files are parsed by one worker: the merge holds the parts and the merged
/// columns at once (about twice the columns of one parse), which the biggest files
/// that load ([`MAX_FILE_BYTES`]) would not fit in a worker's memory.
pub const SPLIT_UP_TO_BYTES: f64 = 256_000_000.0;

/// The most workers that parse one file (the data worker included).
pub const MAX_PARSE_WORKERS: usize = 4;

/// How many workers parse a file of `size` bytes on a machine with `cores` logical
/// cores (`navigator.hardwareConcurrency`; 0 when unknown): one below
/// [`SPLIT_FROM_BYTES`] or above [`SPLIT_UP_TO_BYTES`], else one per core up to
/// [`MAX_PARSE_WORKERS`].
pub fn parse_workers(size: f64, cores: usize) -> usize {
    if !(SPLIT_FROM_BYTES..=SPLIT_UP_TO_BYTES).contains(&size) {
        1
    } else {
        cores.clamp(1, MAX_PARSE_WORKERS)
    }
}

/// Where a load runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Read whole and parsed on the page.
    Page,
    /// Parsed in a data worker, which then holds the data.
    Worker,
}

/// The one size policy of every way data arrives (a drop or a picked file, `?data=`,
/// the remembered workspace, files waiting for a mapping): a load goes to a data worker
/// when one of its files is big or a worker holds the data already (a file added to
/// it goes where the rest is), else to the page.
pub fn placement(sizes: &[f64], held_by_worker: bool) -> Placement {
    if held_by_worker || sizes.iter().any(|&s| s >= STREAM_FROM_BYTES) {
        Placement::Worker
    } else {
        Placement::Page
    }
}

/// The message refusing a file of `size` bytes, before any of it is read, when it is
/// over `limit` (see [`MAX_FILE_BYTES`]); `None` when it may load.
pub fn refusal(name: &str, size: f64, limit: f64) -> Option<String> {
    (size > limit).then(|| {
        let (mut size_text, mut limit_text) =
            (format!("{:.1} MB", size / 1e6), format!("{:.1} MB", limit / 1e6));
        if size_text == limit_text {
            // Just over: the bytes show the difference that rounding hides.
            (size_text, limit_text) = (bytes_text(size), bytes_text(limit));
        }
        format!(
            "{name}: {size_text} is more than a browser tab can hold (at most {limit_text}). Roll the posts up by day × campaign × creator × platform × format (README, “Scale: rollups”) and load the rollup."
        )
    })
}

/// `730,000,001 bytes`: a byte count with thousands separators.
fn bytes_text(bytes: f64) -> String {
    let digits = format!("{:.0}", bytes.max(0.0));
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{grouped} bytes")
}

#[cfg(target_arch = "wasm32")]
pub use wire::*;

/// The messages as JavaScript values (the browser build only).
#[cfg(target_arch = "wasm32")]
mod wire {
    use js_sys::{Array, Float64Array, Int32Array, Object, Reflect, Uint32Array, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};

    use super::{Kind, LoadResult};
    use crate::data::ingest::LoadOptions;
    use crate::data::packed::Packed;
    use crate::data::split::Plan;
    use crate::display::questions::{answer_from_json, answer_to_json, Answer, Outline, Question};
    use crate::metrics::settings::Settings;

    /// A JavaScript error as text (an `Error`'s message).
    pub fn js_error(e: JsValue) -> String {
        e.as_string()
            .or_else(|| Reflect::get(&e, &"message".into()).ok()?.as_string())
            .unwrap_or_else(|| format!("{e:?}"))
    }

    /// What a load adds its files to.
    pub enum Base {
        /// Nothing: a new workspace.
        Empty,
        /// The page's workspace.
        Packed(Packed),
        /// A port on which the worker that holds the data posts its copy
        /// ([`FromWorker::Copy`], or `Failed`): the copy goes from worker to worker,
        /// never through the page.
        Port(web_sys::MessagePort),
    }

    /// A message from the page to its data worker. (Each lives for one post, so the
    /// size of its biggest variant costs nothing.)
    #[allow(clippy::large_enum_variant)]
    pub enum ToWorker {
        /// Load `files` (each with its options) into `base`.
        Load {
            files: Vec<(web_sys::File, LoadOptions)>,
            base: Base,
        },
        /// Answer `question` under `settings` from the workspace held.
        Ask {
            id: u32,
            question: Question,
            settings: Settings,
        },
        /// Post a packed copy of the workspace held on `port` (the base of the next
        /// load, in another worker).
        Pack { port: web_sys::MessagePort },
        /// To a helper worker: parse part `index` of `plan` of `file`, and answer with
        /// [`FromWorker::Part`].
        Parse {
            file: web_sys::File,
            options: LoadOptions,
            plan: Plan,
            index: usize,
        },
    }

    /// A message from a data worker (to the page, or on a [`ToWorker::Pack`] port).
    pub enum FromWorker {
        /// Started: send the load.
        Ready,
        /// `done` of `total` bytes of `file` read, `rows` records so far.
        Progress {
            file: String,
            done: f64,
            total: f64,
            rows: usize,
        },
        /// The load is done: the worker holds the workspace of this outline, and sends
        /// its campaigns and creators (packed).
        Done {
            result: LoadResult,
            outline: Outline,
            names: Packed,
        },
        /// A packed copy of the workspace (on a pack port).
        Copy { packed: Packed },
        /// The answer to the question `id`.
        Answer { id: u32, answer: Answer },
        /// From a helper worker: the part it parsed ([`crate::data::split::PartState`]
        /// as JSON) and its staged rows, packed.
        Part { state: String, posts: Packed },
        /// The question `id` (or, without one, the load) failed.
        Failed { id: Option<u32>, error: String },
    }

    /// `message[key]`.
    fn field(message: &JsValue, key: &str) -> JsValue {
        Reflect::get(message, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn text(message: &JsValue, key: &str) -> Result<String, String> {
        field(message, key)
            .as_string()
            .ok_or_else(|| format!("no {key} in the message"))
    }

    fn number(message: &JsValue, key: &str) -> Result<f64, String> {
        field(message, key)
            .as_f64()
            .ok_or_else(|| format!("no {key} in the message"))
    }

    fn json<T: serde::de::DeserializeOwned>(message: &JsValue, key: &str) -> Result<T, String> {
        serde_json::from_str(&text(message, key)?).map_err(|e| format!("bad {key}: {e}"))
    }

    fn to_json<T: serde::Serialize>(value: &T) -> JsValue {
        serde_json::to_string(value).unwrap_or_default().into()
    }

    /// A message object of `kind` with `fields`.
    fn message(kind: Kind, fields: &[(&str, JsValue)]) -> JsValue {
        let object = Object::new();
        let _ = Reflect::set(&object, &"type".into(), &kind.name().into());
        for (key, value) in fields {
            let _ = Reflect::set(&object, &JsValue::from_str(key), value);
        }
        object.into()
    }

    fn kind_of(message: &JsValue) -> Result<Kind, String> {
        let name = field(message, "type").as_string().unwrap_or_default();
        Kind::parse(&name).ok_or_else(|| format!("a message of unknown type “{name}”"))
    }

    /// A packed workspace as a message value; its buffers join `transfer`.
    fn packed_to_js(packed: &Packed, transfer: &Array) -> JsValue {
        fn list<T>(
            arrays: &[Vec<T>],
            transfer: &Array,
            typed: impl Fn(&[T]) -> JsValue,
        ) -> JsValue {
            let list = Array::new();
            for array in arrays {
                let array = typed(array);
                transfer.push(&field(&array, "buffer"));
                list.push(&array);
            }
            list.into()
        }
        let object = Object::new();
        let set = |key: &str, value: JsValue| {
            let _ = Reflect::set(&object, &key.into(), &value);
        };
        set("header", packed.header.as_str().into());
        set(
            "u32s",
            list(&packed.u32s, transfer, |v| Uint32Array::from(v).into()),
        );
        set(
            "i32s",
            list(&packed.i32s, transfer, |v| Int32Array::from(v).into()),
        );
        set(
            "f64s",
            list(&packed.f64s, transfer, |v| Float64Array::from(v).into()),
        );
        set(
            "bytes",
            list(&packed.bytes, transfer, |v| Uint8Array::from(v).into()),
        );
        object.into()
    }

    /// The packed workspace of a message value, copied into wasm memory.
    fn packed_from_js(value: &JsValue) -> Result<Packed, String> {
        fn arrays<T: JsCast>(value: &JsValue, key: &str) -> Result<Vec<T>, String> {
            let list = field(value, key);
            let list: &Array = list.dyn_ref().ok_or(format!("no {key} list"))?;
            list.iter()
                .map(|a| a.dyn_into::<T>().map_err(|_| format!("bad {key} array")))
                .collect()
        }
        Ok(Packed {
            header: text(value, "header")?,
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

    impl ToWorker {
        /// The message as a JavaScript value, and what to transfer with it.
        pub fn to_js(&self) -> (JsValue, Array) {
            let transfer = Array::new();
            let value = match self {
                ToWorker::Load { files, base } => {
                    let (file_list, option_list) = (Array::new(), Array::new());
                    for (file, options) in files {
                        file_list.push(file);
                        option_list.push(&to_json(options));
                    }
                    let base = match base {
                        Base::Empty => JsValue::NULL,
                        Base::Packed(packed) => packed_to_js(packed, &transfer),
                        Base::Port(port) => {
                            transfer.push(port);
                            port.into()
                        }
                    };
                    message(
                        Kind::Load,
                        &[
                            ("files", file_list.into()),
                            ("options", option_list.into()),
                            ("base", base),
                        ],
                    )
                }
                ToWorker::Ask {
                    id,
                    question,
                    settings,
                } => message(
                    Kind::Ask,
                    &[
                        ("id", (*id).into()),
                        ("question", to_json(question)),
                        ("settings", to_json(settings)),
                    ],
                ),
                ToWorker::Pack { port } => {
                    transfer.push(port);
                    message(Kind::Pack, &[("port", port.into())])
                }
                ToWorker::Parse {
                    file,
                    options,
                    plan,
                    index,
                } => message(
                    Kind::Parse,
                    &[
                        ("file", file.into()),
                        ("options", to_json(options)),
                        ("plan", to_json(plan)),
                        ("index", (*index as f64).into()),
                    ],
                ),
            };
            (value, transfer)
        }

        /// The message of a JavaScript value.
        pub fn from_js(value: &JsValue) -> Result<ToWorker, String> {
            match kind_of(value)? {
                Kind::Load => {
                    let files: Array = field(value, "files").dyn_into().unwrap_or_default();
                    let options: Array = field(value, "options").dyn_into().unwrap_or_default();
                    let files = files
                        .iter()
                        .zip(options.iter())
                        .filter_map(|(file, options)| {
                            let options = options
                                .as_string()
                                .and_then(|json| serde_json::from_str(&json).ok())
                                .unwrap_or_default();
                            Some((file.dyn_into::<web_sys::File>().ok()?, options))
                        })
                        .collect();
                    let base = field(value, "base");
                    let base = if let Some(port) = base.dyn_ref::<web_sys::MessagePort>() {
                        Base::Port(port.clone())
                    } else if base.is_object() {
                        Base::Packed(packed_from_js(&base)?)
                    } else {
                        Base::Empty
                    };
                    Ok(ToWorker::Load { files, base })
                }
                Kind::Ask => Ok(ToWorker::Ask {
                    id: number(value, "id")? as u32,
                    question: json(value, "question")?,
                    settings: json(value, "settings")?,
                }),
                Kind::Pack => Ok(ToWorker::Pack {
                    port: field(value, "port")
                        .dyn_into()
                        .map_err(|_| "no port in the pack message")?,
                }),
                Kind::Parse => Ok(ToWorker::Parse {
                    file: field(value, "file")
                        .dyn_into()
                        .map_err(|_| "no file in the parse message")?,
                    options: json(value, "options")?,
                    plan: json(value, "plan")?,
                    index: number(value, "index")? as usize,
                }),
                other => Err(format!("a {} message is not for the worker", other.name())),
            }
        }
    }

    impl FromWorker {
        /// The message as a JavaScript value, and what to transfer with it.
        pub fn to_js(&self) -> (JsValue, Array) {
            let transfer = Array::new();
            let value = match self {
                FromWorker::Ready => message(Kind::Ready, &[]),
                FromWorker::Progress {
                    file,
                    done,
                    total,
                    rows,
                } => message(
                    Kind::Progress,
                    &[
                        ("file", file.as_str().into()),
                        ("done", (*done).into()),
                        ("total", (*total).into()),
                        ("rows", (*rows as f64).into()),
                    ],
                ),
                FromWorker::Done {
                    result,
                    outline,
                    names,
                } => message(
                    Kind::Done,
                    &[
                        ("result", to_json(result)),
                        ("outline", to_json(outline)),
                        ("shell", packed_to_js(names, &transfer)),
                    ],
                ),
                FromWorker::Copy { packed } => {
                    message(Kind::Copy, &[("packed", packed_to_js(packed, &transfer))])
                }
                FromWorker::Part { state, posts } => message(
                    Kind::Part,
                    &[
                        ("state", state.as_str().into()),
                        ("posts", packed_to_js(posts, &transfer)),
                    ],
                ),
                FromWorker::Answer { id, answer } => match answer_to_json(answer) {
                    Ok((json, reasons)) => message(
                        Kind::Answer,
                        &[
                            ("id", (*id).into()),
                            ("answer", json.into()),
                            ("reasons", reasons.into()),
                        ],
                    ),
                    Err(error) => message(
                        Kind::Failed,
                        &[("id", (*id).into()), ("error", error.to_string().into())],
                    ),
                },
                FromWorker::Failed { id, error } => message(
                    Kind::Failed,
                    &[
                        ("id", id.map_or(JsValue::NULL, JsValue::from)),
                        ("error", error.as_str().into()),
                    ],
                ),
            };
            (value, transfer)
        }

        /// The message of a JavaScript value.
        pub fn from_js(value: &JsValue) -> Result<FromWorker, String> {
            match kind_of(value)? {
                Kind::Ready => Ok(FromWorker::Ready),
                Kind::Progress => Ok(progress_from_js(value)),
                Kind::Done => Ok(FromWorker::Done {
                    result: json(value, "result")?,
                    outline: json(value, "outline")?,
                    names: packed_from_js(&field(value, "shell"))?,
                }),
                Kind::Copy => Ok(FromWorker::Copy {
                    packed: packed_from_js(&field(value, "packed"))?,
                }),
                Kind::Part => Ok(FromWorker::Part {
                    state: text(value, "state")?,
                    posts: packed_from_js(&field(value, "posts"))?,
                }),
                Kind::Answer => {
                    let id = number(value, "id")? as u32;
                    // An unreadable answer still ends its question.
                    let read = text(value, "answer").and_then(|answer| {
                        answer_from_json(&answer, &text(value, "reasons")?)
                            .map_err(|e| format!("unreadable answer ({e})"))
                    });
                    Ok(match read {
                        Ok(answer) => FromWorker::Answer { id, answer },
                        Err(error) => FromWorker::Failed {
                            id: Some(id),
                            error,
                        },
                    })
                }
                Kind::Failed => Ok(FromWorker::Failed {
                    id: field(value, "id").as_f64().map(|id| id as u32),
                    error: text(value, "error").unwrap_or_else(|_| "it failed".into()),
                }),
                other => Err(format!("a {} message is not from a worker", other.name())),
            }
        }
    }

    impl FromWorker {
        /// The packed workspace of a copy posted on a pack port (see
        /// [`ToWorker::Pack`]); the error it carries instead, or why it is not one.
        /// (Reads only these kinds, so that the worker's build holds no answer decoder.)
        pub fn copy_from_js(value: &JsValue) -> Result<Packed, String> {
            match kind_of(value)? {
                Kind::Copy => packed_from_js(&field(value, "packed")),
                Kind::Failed => Err(text(value, "error").unwrap_or_else(|_| "it failed".into())),
                other => Err(format!("a {} message instead of a copy", other.name())),
            }
        }
    }

    /// A progress message's fields (a missing one reads as nothing done yet).
    fn progress_from_js(value: &JsValue) -> FromWorker {
        FromWorker::Progress {
            file: text(value, "file").unwrap_or_default(),
            done: number(value, "done").unwrap_or(0.0),
            total: number(value, "total").unwrap_or(0.0),
            rows: number(value, "rows").unwrap_or(0.0) as usize,
        }
    }

    impl FromWorker {
        /// A message from a helper worker to the data worker: ready, progress, its part
        /// or a failure (reads only these kinds, as [`FromWorker::copy_from_js`]).
        pub fn from_helper_js(value: &JsValue) -> Result<FromWorker, String> {
            match kind_of(value)? {
                Kind::Ready => Ok(FromWorker::Ready),
                Kind::Progress => Ok(progress_from_js(value)),
                Kind::Failed => Err(text(value, "error").unwrap_or_else(|_| "it failed".into())),
                Kind::Part => Ok(FromWorker::Part {
                    state: text(value, "state")?,
                    posts: packed_from_js(&field(value, "posts"))?,
                }),
                other => Err(format!("a {} message from a helper", other.name())),
            }
        }
    }

    /// Where messages are posted: a worker, the worker's own scope, or a port.
    pub trait PostTarget {
        /// Posts `value`, transferring `transfer`.
        fn post(&self, value: &JsValue, transfer: &Array) -> Result<(), JsValue>;
    }

    impl PostTarget for web_sys::Worker {
        fn post(&self, value: &JsValue, transfer: &Array) -> Result<(), JsValue> {
            self.post_message_with_transfer(value, transfer)
        }
    }

    impl PostTarget for web_sys::DedicatedWorkerGlobalScope {
        fn post(&self, value: &JsValue, transfer: &Array) -> Result<(), JsValue> {
            self.post_message_with_transfer(value, transfer)
        }
    }

    impl PostTarget for web_sys::MessagePort {
        fn post(&self, value: &JsValue, transfer: &Array) -> Result<(), JsValue> {
            self.post_message_with_transferable(value, transfer)
        }
    }

    impl ToWorker {
        /// Posts the message to `to`, its typed arrays and ports transferred.
        pub fn post(&self, to: &impl PostTarget) -> Result<(), String> {
            let (value, transfer) = self.to_js();
            to.post(&value, &transfer).map_err(js_error)
        }
    }

    impl FromWorker {
        /// Posts the message to `to`, its typed arrays transferred.
        pub fn post(&self, to: &impl PostTarget) -> Result<(), String> {
            let (value, transfer) = self.to_js();
            to.post(&value, &transfer).map_err(js_error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_wire_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.name()), Some(kind));
        }
        // The names a browser test watches for are the ones on the wire.
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            [
                "load", "ask", "pack", "parse", "ready", "progress", "done", "copy", "answer",
                "part", "failed"
            ]
        );
        assert_eq!(Kind::parse("Ask"), None);
        assert_eq!(Kind::parse(""), None);
    }

    #[test]
    fn a_load_result_round_trips_as_json_and_its_timings_read_back() {
        let result = LoadResult {
            errors: vec!["x.csv: bad".into()],
            parse_ms: 12.5,
            finish_ms: 3.0,
            pack_ms: 0.25,
            worker_memory_bytes: 1048576.0,
            ..LoadResult::default()
        };
        let json = serde_json::to_string(&result).unwrap();
        assert_eq!(serde_json::from_str::<LoadResult>(&json).unwrap(), result);
        let timings: serde_json::Value = serde_json::from_str(&result.timings_json()).unwrap();
        assert_eq!(timings["parse_ms"], 12.5);
        assert_eq!(timings["pack_ms"], 0.25);
        assert_eq!(timings["worker_memory_bytes"], 1048576.0);
    }

    #[test]
    fn big_files_are_parsed_by_one_worker_per_core_up_to_four() {
        let mib = 1024.0 * 1024.0;
        assert_eq!(parse_workers(16.0 * mib - 1.0, 8), 1);
        assert_eq!(parse_workers(16.0 * mib, 2), 2);
        assert_eq!(parse_workers(100.0 * mib, 16), 4);
        assert_eq!(parse_workers(100.0 * mib, 0), 1);
        assert_eq!(parse_workers(100.0 * mib, 1), 1);
        // The biggest files parse in one worker (memory before speed).
        assert_eq!(parse_workers(SPLIT_UP_TO_BYTES, 4), 4);
        assert_eq!(parse_workers(SPLIT_UP_TO_BYTES + 1.0, 4), 1);
    }

    #[test]
    fn one_size_policy_places_every_load() {
        let mib = 1024.0 * 1024.0;
        // Small files parse on the page; one big file takes the whole load to a worker.
        assert_eq!(placement(&[10.0, 2000.0], false), Placement::Page);
        assert_eq!(placement(&[10.0, mib], false), Placement::Worker);
        assert_eq!(placement(&[mib - 1.0], false), Placement::Page);
        // Data a worker holds takes every file added to it, however small.
        assert_eq!(placement(&[10.0], true), Placement::Worker);
        assert_eq!(placement(&[], false), Placement::Page);
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_the_limit_stated() {
        // 2,500,000 bytes over a 1,000,000-byte limit: "2.5 MB" and "1.0 MB".
        let text = refusal("big.csv", 2_500_000.0, 1_000_000.0).unwrap();
        assert!(text
            .starts_with("big.csv: 2.5 MB is more than a browser tab can hold (at most 1.0 MB)."));
        assert_eq!(refusal("ok.csv", 1_000_000.0, 1_000_000.0), None);
        assert_eq!(refusal("ok.csv", 5.0, MAX_FILE_BYTES), None);
        // At the limit a file loads; one byte over is refused, in bytes (both sizes
        // round to "730.0 MB").
        assert_eq!(refusal("edge.csv", MAX_FILE_BYTES, MAX_FILE_BYTES), None);
        assert!(refusal("edge.csv", MAX_FILE_BYTES + 1.0, MAX_FILE_BYTES)
            .unwrap()
            .starts_with("edge.csv: 730,000,001 bytes is more than a browser tab can hold (at most 730,000,000 bytes)."));
        assert_eq!(bytes_text(999.0), "999 bytes");
        assert_eq!(bytes_text(1000.0), "1,000 bytes");
    }
}
