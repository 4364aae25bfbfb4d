//! Global state in context: the workspace and its file reports, settings (persisted in
//! local storage), the URL query, and memos of the engine's results and alerts.
//! Loading files and the demo goes through [`AppState::load_files`] / [`AppState::load_demo`].
//!
//! The views ask their [`Question`]s through [`AppState::ask`]: the page answers them
//! from its workspace, or, after a streamed load, the data worker that owns the posts
//! does ([`super::owner`]); the page then keeps only the load's [`Outline`] and the
//! campaigns and creators (its `workspace` is their shell).

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::data::calendar::Day;
use crate::data::demo::{generate, DEMO_SEED};
use crate::data::ingest::{self, Detection, FileReport, LoadOptions};
use crate::data::mapping::header_signature;
use crate::data::store::Workspace;
use crate::display::format::NumberStyle;
use crate::display::query::ViewQuery;
use crate::display::questions::{answer, Answer, Comparison, Outline, Question};
use crate::metrics::alerts::{Alert, Severity};
use crate::metrics::engine::Results;
use crate::metrics::settings::Settings;

use super::browser::{load_json, mark, save_json};
use super::owner::{self, Asking, Owner};

/// Local-storage key of the settings.
pub const SETTINGS_KEY: &str = "kpi-dash.settings";
/// Local-storage key of remembered column mappings (header signature → mapping).
pub const MAPPINGS_KEY: &str = "kpi-dash.mappings";

/// A file waiting for the user (platform or mapping) before it loads.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingFile {
    pub name: String,
    pub bytes: Arc<Vec<u8>>,
    pub detection: Detection,
    pub options: LoadOptions,
}

/// Everything the views share. Cheap to copy: signals and memos only.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The workspace; only the shell of campaigns and creators while `remote` is set.
    pub workspace: RwSignal<Arc<Workspace>>,
    /// The outline of the data the worker owns after a streamed load (`None`: the page
    /// holds the data).
    pub remote: RwSignal<Option<Arc<Outline>>>,
    /// True while the worker computes answers the views wait for.
    pub computing: RwSignal<bool>,
    /// The outline of the data, wherever it is.
    pub outline: Memo<Arc<Outline>>,
    /// True while the demo dataset is shown (the first user file replaces it).
    pub is_demo: RwSignal<bool>,
    pub dataset_name: RwSignal<String>,
    pub reports: RwSignal<Vec<FileReport>>,
    pub pending: RwSignal<Vec<PendingFile>>,
    pub load_error: RwSignal<Option<String>>,
    /// Bumped on every load (drives the `kpis-rendered` mark).
    pub load_version: RwSignal<u32>,
    pub settings: RwSignal<Settings>,
    pub style: Memo<NumberStyle>,
    pub query: Memo<ViewQuery>,
    /// Why dates of the link's query were not applied (see `ViewQuery::parse_or_keep`).
    pub query_errors: Memo<Vec<String>>,
    /// First and last dated day of the workspace.
    pub span: Memo<Option<(Day, Day)>>,
    pub results: Memo<Arc<Results>>,
    /// The trend comparison of the whole view (`None` when the data has no dates).
    pub comparison: Memo<Option<Arc<Comparison>>>,
    pub alerts: Memo<Arc<Vec<Alert>>>,
    answerer: Answerer,
}

/// Answers the views' questions where the data is: the page's workspace, or the data
/// worker that owns it (see the module doc).
#[derive(Clone, Copy)]
struct Answerer {
    workspace: RwSignal<Arc<Workspace>>,
    remote: RwSignal<Option<Arc<Outline>>>,
    answered: RwSignal<u32>,
    computing: RwSignal<bool>,
    settings: RwSignal<Settings>,
    load_error: RwSignal<Option<String>>,
}

impl Answerer {
    /// The answer to `question`: computed now from the page's workspace, or the data
    /// worker's cached answer. `None` while the worker works on it (a reactive caller
    /// reruns when it arrives).
    fn ask(&self, question: &Question) -> Option<Answer> {
        if self.remote.with(Option::is_none) {
            return Some(
                self.workspace
                    .with(|ws| self.settings.with(|s| answer(ws, s, question))),
            );
        }
        self.answered.track();
        let Answerer {
            answered,
            computing,
            load_error,
            ..
        } = *self;
        self.settings.with(|s| {
            owner::cached_or_ask(question, s, move |asking| match asking {
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

    /// A memo of the answer to `question`, picked out by `pick`. While the data worker
    /// works on a new answer it keeps its last value.
    fn memo<T: Clone + Default + PartialEq + Send + Sync + 'static>(
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

/// Adds errors to a `load_error` signal, one per line.
fn append_errors(load_error: RwSignal<Option<String>>, errors: Vec<String>) {
    if !errors.is_empty() {
        let previous = load_error.get_untracked();
        let mut all: Vec<String> = previous.into_iter().collect();
        all.extend(errors);
        load_error.set(Some(all.join("\n")));
    }
}

/// The questions of a view's filter bar: the results, the trend comparison and the
/// alerts of the URL query's filter.
pub fn view_questions(q: &ViewQuery) -> [Question; 3] {
    let (filter, granularity) = (q.filter(), q.granularity);
    [
        Question::Results {
            filter: filter.clone(),
            granularity,
        },
        Question::Comparison {
            filter: filter.clone(),
            compare: q.compare,
            granularity,
        },
        Question::Alerts {
            filter,
            granularity,
        },
    ]
}

/// Picks the results out of an answer.
pub fn results_of(answer: Answer) -> Option<Arc<Results>> {
    match answer {
        Answer::Results(r) => Some(r),
        _ => None,
    }
}

/// Picks the comparison out of an answer.
pub fn comparison_of(answer: Answer) -> Option<Option<Arc<Comparison>>> {
    match answer {
        Answer::Comparison(c) => Some(c),
        _ => None,
    }
}

fn alerts_of(answer: Answer) -> Option<Arc<Vec<Alert>>> {
    match answer {
        Answer::Alerts(a) => Some(a),
        _ => None,
    }
}

impl AppState {
    /// Creates the state (inside the router: the query comes from the URL), opens on the
    /// demo dataset and provides it as context.
    pub fn provide() -> AppState {
        let settings = RwSignal::new(load_json::<Settings>(SETTINGS_KEY).unwrap_or_default());
        Effect::new(move |_| settings.with(|s| save_json(SETTINGS_KEY, s)));
        let style = Memo::new(move |_| settings.with(NumberStyle::of));
        let query_map = use_query_map();
        // A bad date in the link keeps the filter as it was, and says why.
        let parsed = Memo::new(move |prev: Option<&(ViewQuery, Vec<String>)>| {
            query_map.with(|m| {
                let (q, errors) = ViewQuery::parse_or_keep(|k| m.get(k), prev.map(|p| &p.0));
                (q, errors.iter().map(|e| e.message()).collect::<Vec<_>>())
            })
        });
        let query = Memo::new(move |_| parsed.with(|p| p.0.clone()));
        let query_errors = Memo::new(move |_| parsed.with(|p| p.1.clone()));
        mark("ingest-start");
        let workspace = RwSignal::new(Arc::new(generate(DEMO_SEED)));
        mark("ingest-end");
        let remote = RwSignal::new(None::<Arc<Outline>>);
        let outline = Memo::new(move |_| {
            remote
                .get()
                .unwrap_or_else(|| workspace.with(|ws| Arc::new(Outline::of(ws))))
        });
        let span = Memo::new(move |_| outline.with(|o| o.span));
        let load_error = RwSignal::new(None);
        let answerer = Answerer {
            workspace,
            remote,
            answered: RwSignal::new(0),
            computing: RwSignal::new(false),
            settings,
            load_error,
        };
        let question = move |i: usize| move || query.with(|q| view_questions(q)[i].clone());
        let state = AppState {
            workspace,
            remote,
            computing: answerer.computing,
            outline,
            is_demo: RwSignal::new(true),
            dataset_name: RwSignal::new("Demo data".into()),
            reports: RwSignal::new(Vec::new()),
            pending: RwSignal::new(Vec::new()),
            load_error,
            load_version: RwSignal::new(0),
            settings,
            style,
            query,
            query_errors,
            span,
            results: answerer.memo(question(0), results_of),
            comparison: answerer.memo(question(1), comparison_of),
            alerts: answerer.memo(question(2), alerts_of),
            answerer,
        };
        provide_context(state);
        state
    }

    /// The answer to `question` (see [`Answerer::ask`]).
    pub fn ask(&self, question: &Question) -> Option<Answer> {
        self.answerer.ask(question)
    }

    /// True when a data worker holds the data (not tracked).
    pub fn held_by_worker(&self) -> bool {
        self.remote.with_untracked(Option::is_some)
    }

    /// The data worker that holds the data, if one does.
    pub fn data_owner(&self) -> Option<Rc<Owner>> {
        owner::current().filter(|_| self.held_by_worker())
    }

    /// The answer to `question`, waiting for the data worker when it holds the data.
    pub async fn ask_now(&self, question: &Question) -> Result<Answer, String> {
        let settings = self.settings.get_untracked();
        match self.data_owner() {
            Some(owner) => owner.ask(question, &settings).await,
            None => Ok(self
                .workspace
                .with_untracked(|ws| answer(ws, &settings, question))),
        }
    }

    /// The workspace's JSON document (export, "remember"), from wherever the data is.
    pub async fn document(&self) -> Result<Arc<String>, String> {
        match self.ask_now(&Question::Document).await? {
            Answer::Document(json) => Ok(json),
            _ => Err("the data worker sent another answer".into()),
        }
    }

    /// A memo of the answer to `question` (see [`Answerer::memo`]).
    pub fn answer_memo<T: Clone + Default + PartialEq + Send + Sync + 'static>(
        &self,
        question: impl Fn() -> Question + Send + Sync + 'static,
        pick: fn(Answer) -> Option<T>,
    ) -> Memo<T> {
        self.answerer.memo(question, pick)
    }

    /// Number of alerts of a severity.
    pub fn alert_count(&self, severity: Severity) -> usize {
        self.alerts
            .with(|a| a.iter().filter(|x| x.severity == severity).count())
    }

    /// Replaces the workspace with the demo dataset.
    pub fn load_demo(&self) {
        mark("ingest-start");
        self.let_worker_go();
        self.workspace.set(Arc::new(generate(DEMO_SEED)));
        self.is_demo.set(true);
        self.dataset_name.set("Demo data".into());
        self.reports.set(Vec::new());
        self.pending.set(Vec::new());
        self.load_error.set(None);
        self.load_version.update(|v| *v += 1);
        mark("ingest-end");
    }

    /// Ends the data worker's ownership, if any: the page holds the data again.
    fn let_worker_go(&self) {
        owner::release();
        self.remote.set(None);
        self.computing.set(false);
    }

    /// Empties the workspace.
    pub fn clear(&self) {
        self.let_worker_go();
        self.workspace.set(Arc::new(Workspace::default()));
        self.is_demo.set(false);
        self.dataset_name.set("No data loaded".into());
        self.reports.set(Vec::new());
        self.pending.set(Vec::new());
        self.load_error.set(None);
        self.load_version.update(|v| *v += 1);
    }

    /// Loads files into the user's workspace (the demo is set aside by the first one).
    /// Files that fail leave the workspace untouched and show in `load_error`.
    pub fn load_files(&self, files: Vec<(String, Arc<Vec<u8>>, LoadOptions)>) {
        if files.is_empty() {
            return;
        }
        if self.held_by_worker() {
            // The upload sends files to the data worker that holds the data; this is
            // never reached, and must not load into the page's shell.
            let names = files.iter().map(|(name, ..)| name.as_str());
            let names: Vec<&str> = names.collect();
            self.add_errors(vec![format!(
                "{}: not loaded (the data is held by the data worker)",
                names.join(", ")
            )]);
            return;
        }
        mark("ingest-start");
        let mut ws = self.workspace_to_load_into();
        let mut reports = Vec::new();
        let mut errors = Vec::new();
        // One batch: creators load before the orders they attribute, whatever the order.
        let batch: Vec<(String, &[u8], LoadOptions)> = files
            .iter()
            .map(|(name, bytes, options)| (name.clone(), bytes.as_slice(), options.clone()))
            .collect();
        for result in ingest::load_batch(&mut ws, &batch) {
            match result {
                Ok(report) => reports.push(report),
                Err(e) => errors.push(e.to_string()),
            }
        }
        self.apply_loaded(ws, reports, errors);
        mark("ingest-end");
    }

    /// The workspace new files go into: empty while the demo is shown, else a copy of
    /// the current one (the shown one stays intact until the load is applied).
    pub fn workspace_to_load_into(&self) -> Workspace {
        if self.is_demo.get_untracked() {
            Workspace::default()
        } else {
            (*self.workspace.get_untracked()).clone()
        }
    }

    /// Shows the outcome of a load: the new workspace (when some file loaded), the
    /// reports and the errors.
    pub fn apply_loaded(&self, ws: Workspace, mut reports: Vec<FileReport>, errors: Vec<String>) {
        let was_demo = self.is_demo.get_untracked();
        self.show_money_in_file_currency(was_demo, &mut reports);
        self.load_error
            .set((!errors.is_empty()).then(|| errors.join("\n")));
        if !reports.is_empty() {
            let names: Vec<String> = reports.iter().map(|r| r.file_name.clone()).collect();
            self.workspace.set(Arc::new(ws));
            self.is_demo.set(false);
            self.dataset_name.update(|d| {
                if was_demo || d.is_empty() || d == "No data loaded" {
                    *d = names.join(", ");
                } else {
                    *d = format!("{d}, {}", names.join(", "));
                }
            });
            self.reports.update(|r| {
                if was_demo {
                    r.clear();
                }
                r.extend(reports);
            });
            self.load_version.update(|v| *v += 1);
        }
    }

    /// When these reports are the first to state a currency, money is shown with its
    /// symbol (EUR → €) from now on, and the report says so.
    fn show_money_in_file_currency(&self, was_demo: bool, reports: &mut [FileReport]) {
        let stated_before = !was_demo
            && self
                .reports
                .with_untracked(|r| r.iter().any(|x| x.currency.is_some()));
        if stated_before {
            return;
        }
        let Some(report) = reports.iter_mut().find(|r| r.currency.is_some()) else {
            return;
        };
        let code = report.currency.clone().unwrap_or_default();
        let symbol = crate::data::currency::symbol_of(&code);
        if self
            .settings
            .with_untracked(|s| s.currency_symbol == symbol)
        {
            return;
        }
        self.settings.update(|s| s.currency_symbol = symbol.clone());
        report.notices.push(format!(
            "Money is shown in {code} ({}), the currency of this file; Settings can change the symbol.",
            symbol.trim_end()
        ));
    }

    /// The options a detected file loads with (a remembered mapping for the same header
    /// set), and whether it can load without the user: it needs them for a platform, or
    /// for a mapping when nothing mapped and none is remembered.
    pub fn load_options(&self, detection: &Detection) -> (LoadOptions, bool) {
        let remembered = remembered_mappings();
        let saved = remembered
            .get(&header_signature(&detection.headers))
            .cloned();
        let nothing_mapped = detection.mapping.iter().all(|m| m.target.is_none());
        let unclear = nothing_mapped || detection.needs_mapping;
        let ready = !(detection.needs_platform || unclear && saved.is_none());
        let options = LoadOptions {
            mapping: saved,
            today: local_today(),
            ..self.settings.with_untracked(|s| s.import_options())
        };
        (options, ready)
    }

    /// Adds a file to `pending` (replacing one of the same name).
    pub fn add_pending(&self, file: PendingFile) {
        self.pending.update(|p| {
            p.retain(|x| x.name != file.name);
            p.push(file);
        });
    }

    /// Adds errors to `load_error`.
    pub fn add_errors(&self, errors: Vec<String>) {
        append_errors(self.load_error, errors);
    }

    /// Detects each file: loads it at once when nothing is needed, else queues it in
    /// `pending`. A remembered mapping for the same header set is applied.
    pub fn accept_files(&self, files: Vec<(String, Vec<u8>)>) {
        let mut ready = Vec::new();
        let mut errors = Vec::new();
        for (name, bytes) in files {
            match ingest::detect(&name, &bytes) {
                Err(e) => errors.push(e.to_string()),
                Ok(detection) => {
                    let bytes = Arc::new(bytes);
                    match self.load_options(&detection) {
                        (options, true) => ready.push((name, bytes, options)),
                        (options, false) => self.add_pending(PendingFile {
                            name,
                            bytes,
                            options,
                            detection,
                        }),
                    }
                }
            }
        }
        self.load_files(ready);
        self.add_errors(errors);
    }

    /// Takes every pending file out of `pending` to be loaded, remembering user-edited
    /// mappings by header signature.
    pub fn take_pending(&self) -> Vec<PendingFile> {
        let pending = self.pending.get_untracked();
        let mut remembered = remembered_mappings();
        for p in &pending {
            if let Some(mapping) = &p.options.mapping {
                remembered.insert(header_signature(&p.detection.headers), mapping.clone());
            }
        }
        save_json(MAPPINGS_KEY, &remembered);
        self.pending.set(Vec::new());
        pending
    }
}

/// The column mappings the user edited before, by header signature (local storage).
fn remembered_mappings() -> BTreeMap<String, Vec<(String, Option<String>)>> {
    load_json(MAPPINGS_KEY).unwrap_or_default()
}

/// The app state from context.
pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

/// Today in the browser's time zone (the year of a year-less date is the latest that
/// puts no date after it).
fn local_today() -> Option<crate::data::calendar::Day> {
    let now = js_sys::Date::new_0();
    crate::data::calendar::day_from_ymd(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
}
