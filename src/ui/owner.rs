//! Where the data lives, seen from the page: a [`DataSource`] is either the workspace
//! on the page or the [`Owner`], a data worker that holds it (after a big load). The
//! views never see the difference: they ask [`Question`]s through an [`Answerer`]
//! (reactively, or with [`Answerer::ask_async`]), and name campaigns and creators from
//! [`DataSource::names`], which has no posts in either case. A worker's answers are
//! cached by question and compute settings, so going back to a filter is instant, and a
//! view keeps its last answer until the new one arrives.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use js_sys::{Function, Promise};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::data::store::Workspace;
use crate::display::questions::{answer, Answer, Names, Outline, Question};
use crate::metrics::settings::Settings;
use crate::protocol::{js_error, FromWorker, ToWorker};

use super::state::append_errors;

/// Answers a worker's cache keeps at most; it starts again empty past it.
const MAX_ANSWERS: usize = 256;

/// Where the data is.
#[derive(Clone)]
pub enum DataSource {
    /// The page holds the workspace (the demo, small loads).
    Page(Arc<Workspace>),
    /// A data worker holds it (a big load); the page has its outline and names.
    Worker(Rc<Owner>),
}

impl Default for DataSource {
    fn default() -> Self {
        DataSource::Page(Arc::default())
    }
}

impl DataSource {
    /// The outline of the data.
    pub fn outline(&self) -> Arc<Outline> {
        match self {
            DataSource::Page(ws) => Arc::new(Outline::of(ws)),
            DataSource::Worker(owner) => owner.outline.clone(),
        }
    }

    /// The campaigns and creators tables, to name things by (a workspace without posts,
    /// assets or comments, wherever the data is).
    pub fn names(&self) -> Arc<Names> {
        match self {
            DataSource::Page(ws) => Arc::new(Names::of(ws)),
            DataSource::Worker(owner) => owner.names.clone(),
        }
    }

    /// The data worker that holds the data, if one does.
    pub fn owner(&self) -> Option<Rc<Owner>> {
        match self {
            DataSource::Page(_) => None,
            DataSource::Worker(owner) => Some(owner.clone()),
        }
    }
}

/// The cache key of an answer: its question's JSON and its compute settings' key.
pub type Key = (String, u64);

/// The cache key of `question` under `settings` (a preference is no part of it).
pub fn key(question: &Question, settings: &Settings) -> Key {
    (
        serde_json::to_string(question).unwrap_or_default(),
        settings.key(),
    )
}

/// What [`Owner::cached_or_ask`] tells its caller about a question sent to the worker.
pub enum Asking {
    /// The question was sent.
    Sent,
    /// Every question sent so far is answered and cached.
    Settled,
    /// The question failed.
    Failed(String),
}

/// Where a request's reply lands before its promise resolves.
type Slot = Rc<RefCell<Option<Result<Answer, String>>>>;
type Waiting = Rc<RefCell<HashMap<u32, (Function, Slot)>>>;

/// Ends the request `id` (if it still waits) with `outcome`.
fn settle(waiting: &Waiting, id: u32, outcome: Result<Answer, String>) {
    let entry = waiting.borrow_mut().remove(&id);
    if let Some((resolve, slot)) = entry {
        *slot.borrow_mut() = Some(outcome);
        let _ = resolve.call0(&JsValue::NULL);
    }
}

/// Ends every waiting request with `error`.
fn end_all(waiting: &Waiting, error: &str) {
    let ids: Vec<u32> = waiting.borrow().keys().copied().collect();
    for id in ids {
        settle(waiting, id, Err(error.to_owned()));
    }
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

/// A data worker whose load is done: it holds the workspace and answers questions.
/// Retiring it (or dropping the last handle) terminates the worker.
pub struct Owner {
    worker: web_sys::Worker,
    /// The outline of the data it holds, and its campaigns and creators.
    outline: Arc<Outline>,
    names: Arc<Names>,
    waiting: Waiting,
    /// The error that stopped the worker, once it has (it then answers nothing).
    stopped: Rc<RefCell<Option<String>>>,
    /// True once another source replaced it: answers still arriving tell nobody.
    retired: Cell<bool>,
    next_id: Cell<u32>,
    /// Its answers by [`key`], and the keys asked and not yet answered.
    answers: RefCell<HashMap<Key, Answer>>,
    asked: RefCell<HashSet<Key>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Owner {
    /// Takes over a worker whose load is done, holding data of this outline and names.
    pub fn new(worker: web_sys::Worker, outline: Outline, names: Workspace) -> Owner {
        let waiting: Waiting = Rc::default();
        let replies = waiting.clone();
        let on_message =
            Closure::new(
                move |e: web_sys::MessageEvent| match FromWorker::from_js(&e.data()) {
                    Ok(FromWorker::Answer { id, answer }) => settle(&replies, id, Ok(answer)),
                    Ok(FromWorker::Failed {
                        id: Some(id),
                        error,
                    }) => settle(&replies, id, Err(error)),
                    _ => {}
                },
            );
        let failures = waiting.clone();
        let stopped: Rc<RefCell<Option<String>>> = Rc::default();
        let stop = stopped.clone();
        let on_error = Closure::new(move |e: web_sys::ErrorEvent| {
            // Handled here: no "Uncaught" error reaches the console.
            e.prevent_default();
            *stop.borrow_mut() = Some(e.message());
            end_all(
                &failures,
                &format!(
                    "The data worker stopped ({}): the data it held is gone. Load the files again (fewer or smaller, or a rollup: README, “Scale: rollups”).",
                    stop_reason(&e.message())
                ),
            );
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Owner {
            worker,
            outline: Arc::new(outline),
            names: Arc::new(Names::of(&names)),
            waiting,
            stopped,
            retired: Cell::new(false),
            next_id: Cell::new(0),
            answers: RefCell::default(),
            asked: RefCell::default(),
            _on_message: on_message,
            _on_error: on_error,
        }
    }

    /// The error that stopped the worker (its error event's message), once it has.
    pub fn stopped(&self) -> Option<String> {
        self.stopped.borrow().clone()
    }

    /// Why it answers nothing any more, if it does not.
    fn unavailable(&self) -> Option<String> {
        if self.retired.get() {
            return Some("the data worker was replaced".into());
        }
        self.stopped().map(|error| {
            format!(
                "The data worker stopped ({}): the data it held is gone. Load the files again.",
                stop_reason(&error)
            )
        })
    }

    /// Terminates the worker: another source holds the data now.
    pub fn retire(&self) {
        if !self.retired.replace(true) {
            self.worker.terminate();
            end_all(&self.waiting, "the data worker was replaced");
        }
    }

    /// The answer to `question` under `settings`: cached, or asked of the worker (and
    /// then cached).
    pub async fn ask(&self, question: &Question, settings: &Settings) -> Result<Answer, String> {
        let key = key(question, settings);
        if let Some(answer) = self.answers.borrow().get(&key) {
            return Ok(answer.clone());
        }
        let answer = self.request(question, settings).await?;
        self.remember(key, answer.clone());
        Ok(answer)
    }

    fn remember(&self, key: Key, answer: Answer) {
        let mut answers = self.answers.borrow_mut();
        if answers.len() >= MAX_ANSWERS {
            answers.clear();
        }
        answers.insert(key, answer);
    }

    /// Sends `question` and waits for its answer.
    async fn request(&self, question: &Question, settings: &Settings) -> Result<Answer, String> {
        if let Some(error) = self.unavailable() {
            return Err(error);
        }
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        let slot: Slot = Rc::default();
        let waiting = self.waiting.clone();
        let landed = slot.clone();
        let reply = Promise::new(&mut |resolve, _| {
            waiting.borrow_mut().insert(id, (resolve, landed.clone()));
        });
        let ask = ToWorker::Ask {
            id,
            question: question.clone(),
            settings: settings.clone(),
        };
        if let Err(e) = ask.post(&self.worker) {
            self.waiting.borrow_mut().remove(&id);
            return Err(e);
        }
        JsFuture::from(reply).await.map_err(js_error)?;
        let outcome = slot.borrow_mut().take();
        outcome.unwrap_or_else(|| Err("the data worker sent no answer".into()))
    }

    /// Asks the worker to post a packed copy of its workspace on `port` (the base of
    /// the next load, read by that load's worker: the page never holds it).
    pub fn send_copy(&self, port: web_sys::MessagePort) -> Result<(), String> {
        if let Some(error) = self.unavailable() {
            return Err(error);
        }
        ToWorker::Pack { port }.post(&self.worker)
    }

    /// The cached answer to `question`. Otherwise `None`, and the worker is asked in the
    /// background (once per key); `tell` hears that it was sent, then that it failed, or
    /// that every question sent so far is answered and cached, so that the questions a
    /// view asks together (results, trends, alerts) show in one render. Nothing is told
    /// once the owner is retired.
    pub fn cached_or_ask(
        self: &Rc<Self>,
        question: &Question,
        settings: &Settings,
        tell: impl Fn(Asking) + 'static,
    ) -> Option<Answer> {
        let key = key(question, settings);
        if let Some(answer) = self.answers.borrow().get(&key) {
            return Some(answer.clone());
        }
        if !self.asked.borrow_mut().insert(key.clone()) {
            return None;
        }
        let owner = self.clone();
        let (question, settings) = (question.clone(), settings.clone());
        spawn_local(async move {
            tell(Asking::Sent);
            let outcome = owner.request(&question, &settings).await;
            if owner.retired.get() {
                return;
            }
            owner.asked.borrow_mut().remove(&key);
            match outcome {
                Ok(answer) => {
                    owner.remember(key, answer);
                    if owner.asked.borrow().is_empty() {
                        tell(Asking::Settled);
                    }
                }
                Err(e) => tell(Asking::Failed(e)),
            }
        });
        None
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        self.retire();
    }
}

/// Answers the views' questions where the data is (see the module doc): the one way
/// to ask, reactive ([`Answerer::ask`], [`Answerer::memo`]) or async
/// ([`Answerer::ask_async`]).
#[derive(Clone, Copy)]
pub struct Answerer {
    source: RwSignal<DataSource, LocalStorage>,
    /// The settings answers are computed under.
    settings: Signal<Settings>,
    /// Bumped when the worker's answers settle (reactive askers rerun).
    answered: RwSignal<u32>,
    /// True while the worker computes answers the views wait for.
    pub computing: RwSignal<bool>,
    load_error: RwSignal<Option<String>>,
}

impl Answerer {
    /// Answers from `source` under `settings`; failures show in `load_error`.
    pub fn new(
        source: RwSignal<DataSource, LocalStorage>,
        settings: Signal<Settings>,
        load_error: RwSignal<Option<String>>,
    ) -> Answerer {
        Answerer {
            source,
            settings,
            answered: RwSignal::new(0),
            computing: RwSignal::new(false),
            load_error,
        }
    }

    /// The settings answers are computed under now (not tracked).
    pub fn settings_untracked(&self) -> Settings {
        self.settings.get_untracked()
    }

    /// The answer to `question`: computed now from the page's workspace, or the data
    /// worker's cached answer. `None` while the worker works on it (a reactive caller
    /// reruns when it arrives).
    pub fn ask(&self, question: &Question) -> Option<Answer> {
        let owner = match self.source.with(|s| s.owner().ok_or_else(|| s.clone())) {
            Ok(owner) => owner,
            Err(DataSource::Page(ws)) => {
                return Some(self.settings.with(|s| answer(&ws, s, question)))
            }
            Err(DataSource::Worker(_)) => return None,
        };
        self.answered.track();
        let Answerer {
            answered,
            computing,
            load_error,
            ..
        } = *self;
        self.settings.with(|s| {
            owner.cached_or_ask(question, s, move |asking| match asking {
                Asking::Sent => computing.set(true),
                Asking::Settled => {
                    computing.set(false);
                    answered.update(|v| *v += 1);
                }
                Asking::Failed(e) => {
                    computing.set(false);
                    append_errors(load_error, vec![e]);
                }
            })
        })
    }

    /// The answer to `question`, waiting for the data worker when it holds the data
    /// (not tracked).
    pub async fn ask_async(&self, question: &Question) -> Result<Answer, String> {
        let settings = self.settings.get_untracked();
        match self.source.get_untracked() {
            DataSource::Worker(owner) => owner.ask(question, &settings).await,
            DataSource::Page(ws) => Ok(answer(&ws, &settings, question)),
        }
    }

    /// A memo of the answer to `question`, picked out by `pick`. While the data worker
    /// works on a new answer it keeps its last value.
    pub fn memo<T: Clone + Default + PartialEq + Send + Sync + 'static>(
        self,
        question: impl Fn() -> Question + Send + Sync + 'static,
        pick: fn(Answer) -> Option<T>,
    ) -> Memo<T> {
        Memo::new(move |last: Option<&T>| {
            self.ask(&question())
                .and_then(pick)
                .or_else(|| last.cloned())
                .unwrap_or_default()
        })
    }
}
