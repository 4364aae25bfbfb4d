//! The data worker that owns a streamed load's workspace, seen from the page
//! ([`crate::worker`] has the message format). Views ask it [`Question`]s; its answers
//! are cached by question and settings, so going back to a filter is instant, and a
//! view keeps its last answer until the new one arrives.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::display::questions::{answer_from_json, Answer, Question};
use crate::metrics::settings::Settings;
use crate::ui::browser::js_error;
use crate::worker::{buffers_of, field, message};

/// Answers kept at most; the cache starts again empty past it.
const MAX_ANSWERS: usize = 256;

type Waiting = Rc<RefCell<HashMap<u32, Function>>>;

/// What [`cached_or_ask`] tells its caller about a question sent to the owner.
pub enum Asking {
    /// The question was sent.
    Sent,
    /// Every question sent so far is answered and cached.
    Settled,
    /// The question failed.
    Failed(String),
}

/// A data worker whose load is done: it holds the workspace and answers requests.
/// Dropping it terminates the worker.
pub struct Owner {
    worker: web_sys::Worker,
    waiting: Waiting,
    /// The error that stopped the worker, once it has (it then answers nothing).
    stopped: Rc<RefCell<Option<String>>>,
    next_id: Cell<u32>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// Why a data worker stopped, from its error event's message, in a user's words: in a
/// release build both running out of its 4 GiB of wasm memory and a panic end in a
/// `RuntimeError: unreachable`, and memory is by far the likelier.
pub fn stop_reason(detail: &str) -> String {
    let lower = detail.to_lowercase();
    let trap = ["unreachable", "memory", "allocation", "out of bounds"]
        .iter()
        .any(|w| lower.contains(w));
    if trap {
        "it most likely ran out of memory: a browser tab's WebAssembly holds at most 4 GiB".into()
    } else {
        detail.to_owned()
    }
}

/// Ends every waiting request with `reply`.
fn end_all(waiting: &Waiting, reply: &JsValue) {
    let ended: Vec<Function> = waiting.borrow_mut().drain().map(|(_, f)| f).collect();
    for resolve in ended {
        let _ = resolve.call1(&JsValue::NULL, reply);
    }
}

fn error_reply(error: &str) -> JsValue {
    message(&[("error", error.into())])
}

impl Owner {
    /// Takes over a worker whose load is done.
    pub fn new(worker: web_sys::Worker) -> Owner {
        let waiting: Waiting = Rc::default();
        let replies = waiting.clone();
        let on_message = Closure::new(move |e: web_sys::MessageEvent| {
            let data = e.data();
            let id = field(&data, "id").as_f64().map(|id| id as u32);
            let resolve = id.and_then(|id| replies.borrow_mut().remove(&id));
            if let Some(resolve) = resolve {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        let failures = waiting.clone();
        let stopped: Rc<RefCell<Option<String>>> = Rc::default();
        let stop = stopped.clone();
        let on_error = Closure::new(move |e: web_sys::ErrorEvent| {
            // Handled here: no "Uncaught" error reaches the console.
            e.prevent_default();
            let error = format!(
                "The data worker stopped ({}): the data it held is gone. Load the files again (fewer or smaller, or a rollup: README, “Scale: rollups”).",
                stop_reason(&e.message())
            );
            end_all(&failures, &error_reply(&error));
            *stop.borrow_mut() = Some(e.message());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Owner {
            worker,
            waiting,
            stopped,
            next_id: Cell::new(0),
            _on_message: on_message,
            _on_error: on_error,
        }
    }

    /// The error that stopped the worker (its error event's message), once it has.
    pub fn stopped(&self) -> Option<String> {
        self.stopped.borrow().clone()
    }

    /// Posts a request (`fields` plus an id) and waits for its reply.
    async fn request(&self, fields: &[(&str, JsValue)]) -> Result<JsValue, String> {
        if let Some(error) = self.stopped.borrow().clone() {
            return Err(format!(
                "The data worker stopped ({}): the data it held is gone. Load the files again.",
                stop_reason(&error)
            ));
        }
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        let mut fields = fields.to_vec();
        fields.push(("id", id.into()));
        let waiting = self.waiting.clone();
        let reply = Promise::new(&mut |resolve, _| {
            waiting.borrow_mut().insert(id, resolve);
        });
        if let Err(e) = self.worker.post_message(&message(&fields)) {
            self.waiting.borrow_mut().remove(&id);
            return Err(js_error(e));
        }
        let reply = JsFuture::from(reply).await.map_err(js_error)?;
        match field(&reply, "error").as_string() {
            Some(error) => Err(error),
            None => Ok(reply),
        }
    }

    /// The answer to `question` under `settings`.
    pub async fn ask(&self, question: &Question, settings: &Settings) -> Result<Answer, String> {
        let json = |v: String| JsValue::from_str(&v);
        let reply = self
            .request(&[
                ("type", "ask".into()),
                (
                    "question",
                    json(serde_json::to_string(question).unwrap_or_default()),
                ),
                (
                    "settings",
                    json(serde_json::to_string(settings).unwrap_or_default()),
                ),
            ])
            .await?;
        let text = |key| field(&reply, key).as_string();
        let (Some(answer), Some(reasons)) = (text("answer"), text("reasons")) else {
            return Err("the data worker sent no answer".into());
        };
        answer_from_json(&answer, &reasons).map_err(|e| format!("unreadable answer ({e})"))
    }

    /// A packed copy of the workspace and its buffers: the base of the next load.
    pub async fn copy(&self) -> Result<(JsValue, Array), String> {
        let reply = self.request(&[("type", "pack".into())]).await?;
        let packed = field(&reply, "packed");
        let buffers = buffers_of(&packed);
        Ok((packed, buffers))
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        self.worker.terminate();
        end_all(&self.waiting, &error_reply("the data worker was replaced"));
    }
}

/// The owner, its answers by [`key`], the keys asked and not yet answered, and a
/// generation that changes with the owner (answers of an earlier owner are dropped).
#[derive(Default)]
struct Held {
    owner: Option<Rc<Owner>>,
    answers: HashMap<String, Answer>,
    asked: HashSet<String>,
    generation: u32,
}

thread_local! {
    static HELD: RefCell<Held> = RefCell::default();
}

/// The cache key of `question` under `settings`.
pub fn key(question: &Question, settings: &Settings) -> String {
    serde_json::to_string(&(question, settings)).unwrap_or_default()
}

/// Makes `owner` the data's owner, with the answers it has already given (by [`key`]).
/// The previous owner is terminated and its answers forgotten.
pub fn install(owner: Owner, answers: Vec<(String, Answer)>) {
    let previous = HELD.with(|held| {
        let mut held = held.borrow_mut();
        held.generation = held.generation.wrapping_add(1);
        held.answers = answers.into_iter().collect();
        held.asked.clear();
        held.owner.replace(Rc::new(owner))
    });
    drop(previous);
}

/// Terminates the owner, if any, and forgets its answers.
pub fn release() {
    let previous = HELD.with(|held| {
        let mut held = held.borrow_mut();
        held.generation = held.generation.wrapping_add(1);
        held.answers.clear();
        held.asked.clear();
        held.owner.take()
    });
    drop(previous);
}

/// The current owner.
pub fn current() -> Option<Rc<Owner>> {
    HELD.with(|held| held.borrow().owner.clone())
}

/// The cached answer to `question`. Otherwise `None`, and the owner is asked in the
/// background (once per key); `tell` hears that it was sent, then that it failed, or
/// that every question sent so far is answered and cached, so that the questions a
/// view asks together (results, trends, alerts) show in one render. Nothing is told
/// after the owner changed.
pub fn cached_or_ask(
    question: &Question,
    settings: &Settings,
    tell: impl Fn(Asking) + 'static,
) -> Option<Answer> {
    let key = key(question, settings);
    let to_ask = HELD.with(|held| {
        let mut held = held.borrow_mut();
        if let Some(answer) = held.answers.get(&key) {
            return Err(answer.clone());
        }
        let first = held.asked.insert(key.clone());
        let generation = held.generation;
        Ok(held
            .owner
            .clone()
            .filter(|_| first)
            .map(|o| (o, generation)))
    });
    let (owner, generation) = match to_ask {
        Err(answer) => return Some(answer),
        Ok(None) => return None,
        Ok(Some(asked)) => asked,
    };
    let (question, settings) = (question.clone(), settings.clone());
    spawn_local(async move {
        tell(Asking::Sent);
        let outcome = owner.ask(&question, &settings).await;
        drop(owner);
        let settled = HELD.with(|held| {
            let mut held = held.borrow_mut();
            if held.generation != generation {
                return None;
            }
            held.asked.remove(&key);
            if let Ok(answer) = &outcome {
                if held.answers.len() >= MAX_ANSWERS {
                    held.answers.clear();
                }
                held.answers.insert(key, answer.clone());
            }
            Some(held.asked.is_empty())
        });
        match (settled, outcome) {
            (Some(_), Err(e)) => tell(Asking::Failed(e)),
            (Some(true), Ok(_)) => tell(Asking::Settled),
            _ => {}
        }
    });
    None
}
