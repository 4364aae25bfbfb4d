//! Global state in context: the workspace and its file reports, settings (persisted in
//! local storage), the URL query, and memos of the engine's results and alerts.
//! Loading files and the demo goes through [`AppState::load_files`] / [`AppState::load_demo`].
//!
//! Where the data lives is one signal, `AppState::data` (a [`DataSource`]: the
//! workspace on the page, or the data worker that owns it after a big load). The views
//! ask their [`Question`]s through [`AppState::ask`] / [`AppState::answer_memo`] (or
//! [`AppState::ask_async`]) and name campaigns and creators from [`AppState::names`];
//! no view reads posts.

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
use crate::display::questions::{Answer, Comparison, Names, Outline, Question};
use crate::metrics::alerts::{Alert, Severity};
use crate::metrics::engine::Results;
use crate::metrics::settings::{SavedSettings, Settings};

use super::browser::{load_json, mark, save_json};
use super::owner::{Answerer, DataSource, Owner};

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

/// A hosted file (`?data=`) the page opened on: while it loads no data is shown (never
/// the demo's), and when it fails the demo is offered, not shown.
#[derive(Clone, Debug, PartialEq)]
pub enum Hosted {
    /// Being fetched (`received` bytes of `total`, when the server said) and loaded.
    Loading {
        name: String,
        received: f64,
        total: Option<f64>,
    },
    /// It did not load (why is in `load_error`).
    Failed { name: String },
}

/// Everything the views share. Cheap to copy: signals and memos only.
#[derive(Clone, Copy)]
pub struct AppState {
    /// Where the data is: the page's workspace or the data worker that holds it. Set
    /// only by the loads ([`AppState::apply_loaded`], the demo, clear); private: views
    /// read it through the questions and [`AppState::names`].
    data: RwSignal<DataSource, LocalStorage>,
    /// The campaigns and creators tables, to name things by (no posts, assets or
    /// comments: ask a question for anything about them).
    pub names: Memo<Arc<Names>>,
    /// True while the worker computes answers the views wait for.
    pub computing: RwSignal<bool>,
    /// The outline of the data, wherever it is.
    pub outline: Memo<Arc<Outline>>,
    /// True while the demo dataset is shown (the first user file replaces it).
    pub is_demo: RwSignal<bool>,
    /// The hosted file of a `?data=` link while it loads or after it failed.
    pub hosted: RwSignal<Option<Hosted>>,
    pub dataset_name: RwSignal<String>,
    pub reports: RwSignal<Vec<FileReport>>,
    pub pending: RwSignal<Vec<PendingFile>>,
    pub load_error: RwSignal<Option<String>>,
    /// Bumped on every load (drives the `kpis-rendered` mark).
    pub load_version: RwSignal<u32>,
    /// Every setting (compute settings and preferences), as local storage keeps them.
    pub settings: RwSignal<SavedSettings>,
    /// The compute settings alone: answers track these, so a preference change (the
    /// currency symbol, the number style) re-renders without recomputing.
    pub compute: Memo<Settings>,
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
    /// True while a re-read of a watched file runs ([`AppState::set_replacing`]): its
    /// load replaces the data instead of adding to it.
    replacing: RwSignal<bool>,
}

/// Adds errors to a `load_error` signal, one per line.
pub(crate) fn append_errors(load_error: RwSignal<Option<String>>, errors: Vec<String>) {
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
    /// demo dataset (on no data when the link names a hosted file: `?data=`) and
    /// provides it as context.
    pub fn provide() -> AppState {
        // Saved over the stamp this tab read, never over another tab's newer save.
        let settings = RwSignal::new(super::components::remember::read_settings());
        Effect::new(move |_| settings.with(super::components::remember::save_settings));
        let compute = Memo::new(move |_| settings.with(|s| s.compute.clone()));
        let style = Memo::new(move |_| settings.with(|s| NumberStyle::of(&s.prefs)));
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
        // A hosted link never shows the demo's figures, not even while its file loads.
        let hosted_name = query_map
            .with_untracked(|m| m.get("data"))
            .map(|raw| super::browser::file_name_of(&raw));
        let opens_on_demo = hosted_name.is_none();
        mark("ingest-start");
        let data = RwSignal::new_local(if opens_on_demo {
            DataSource::Page(Arc::new(generate(DEMO_SEED)))
        } else {
            DataSource::default()
        });
        mark("ingest-end");
        let outline = Memo::new(move |_| data.with(DataSource::outline));
        // A new load is new names (compared by pointer: a workspace has no `==`).
        let names = Memo::new_with_compare(
            move |_| data.with(DataSource::names),
            |a, b| a.map(Arc::as_ptr) != b.map(Arc::as_ptr),
        );
        let span = Memo::new(move |_| outline.with(|o| o.span));
        let load_error = RwSignal::new(None);
        let answerer = Answerer::new(data, compute.into(), load_error);
        let question = move |i: usize| move || query.with(|q| view_questions(q)[i].clone());
        let state = AppState {
            data,
            names,
            computing: answerer.computing,
            outline,
            is_demo: RwSignal::new(opens_on_demo),
            hosted: RwSignal::new(hosted_name.map(|name| Hosted::Loading {
                name,
                received: 0.0,
                total: None,
            })),
            dataset_name: RwSignal::new(
                if opens_on_demo {
                    "Demo data"
                } else {
                    "No data loaded"
                }
                .into(),
            ),
            reports: RwSignal::new(Vec::new()),
            pending: RwSignal::new(Vec::new()),
            load_error,
            load_version: RwSignal::new(0),
            settings,
            compute,
            style,
            query,
            query_errors,
            span,
            results: answerer.memo(question(0), results_of),
            comparison: answerer.memo(question(1), comparison_of),
            alerts: answerer.memo(question(2), alerts_of),
            answerer,
            replacing: RwSignal::new(false),
        };
        provide_context(state);
        state
    }

    /// The answer to `question` (see [`Answerer::ask`]): reactive, `None` while the
    /// data worker works on it.
    pub fn ask(&self, question: &Question) -> Option<Answer> {
        self.answerer.ask(question)
    }

    /// The answer to `question`, waiting for the data worker when it holds the data.
    pub async fn ask_async(&self, question: &Question) -> Result<Answer, String> {
        self.answerer.ask_async(question).await
    }

    /// The compute settings questions are answered under now (not tracked).
    pub fn answer_settings(&self) -> Settings {
        self.answerer.settings_untracked()
    }

    /// True when a data worker holds the data the next load adds to (not tracked; a
    /// re-read replaces the data, so it adds to none).
    pub fn held_by_worker(&self) -> bool {
        self.data_owner().is_some() && !self.replaces()
    }

    /// Marks the loads from now on as re-reads of a watched file (issue 19): each
    /// replaces the data (workspace, dataset name, reports) instead of adding to it.
    pub fn set_replacing(&self, on: bool) {
        self.replacing.set(on);
    }

    /// True while a re-read runs (see [`AppState::set_replacing`]; not tracked).
    pub fn replaces(&self) -> bool {
        self.replacing.get_untracked()
    }

    /// The data worker that holds the data, if one does (not tracked).
    pub fn data_owner(&self) -> Option<Rc<Owner>> {
        self.data.with_untracked(DataSource::owner)
    }

    /// The workspace's JSON document (export, "remember"), from wherever the data is.
    pub async fn document(&self) -> Result<Arc<String>, String> {
        match self.ask_async(&Question::Document).await? {
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
        self.set_data(DataSource::Page(Arc::new(generate(DEMO_SEED))));
        self.is_demo.set(true);
        self.hosted.set(None);
        self.dataset_name.set("Demo data".into());
        self.reports.set(Vec::new());
        self.pending.set(Vec::new());
        self.load_error.set(None);
        self.load_version.update(|v| *v += 1);
        mark("ingest-end");
    }

    /// Puts the data in `source`; a data worker that held it before is terminated.
    fn set_data(&self, source: DataSource) {
        let previous = self.data.try_update(|d| std::mem::replace(d, source));
        if let Some(owner) = previous.as_ref().and_then(DataSource::owner) {
            owner.retire();
        }
        self.computing.set(false);
    }

    /// Empties the workspace.
    pub fn clear(&self) {
        self.set_data(DataSource::default());
        self.is_demo.set(false);
        self.hosted.set(None);
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
        let mut ws = match self.replaces() {
            true => Workspace::default(),
            false => self.workspace_to_load_into(),
        };
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
                Err(e) => {
                    errors.push(e.to_string());
                    reports.extend(e.report.map(|r| *r));
                }
            }
        }
        self.apply_loaded(DataSource::Page(Arc::new(ws)), reports, errors);
        mark("ingest-end");
    }

    /// The page's workspace new files go into: empty while the demo is shown, else a
    /// copy of the current one (the shown one stays intact until the load is applied).
    /// Empty when a data worker holds the data (its loads go to a worker).
    pub fn workspace_to_load_into(&self) -> Workspace {
        if self.is_demo.get_untracked() {
            return Workspace::default();
        }
        self.data.with_untracked(|d| match d {
            DataSource::Page(ws) => (**ws).clone(),
            DataSource::Worker(_) => Workspace::default(),
        })
    }

    /// Shows the outcome of a load: the data in `source` (when some file loaded), the
    /// reports and the errors.
    pub fn apply_loaded(&self, source: DataSource, reports: Vec<FileReport>, errors: Vec<String>) {
        // A file refused because every row was rejected keeps its report (0 used, its
        // rows listed) and changes no data.
        let (refused, mut reports): (Vec<FileReport>, Vec<FileReport>) =
            reports.into_iter().partition(|r| r.rows_used == 0);
        let was_demo = self.is_demo.get_untracked();
        self.show_money_in_file_currency(was_demo, &mut reports);
        // Added to the errors of the loads before it since the last drop (a queued
        // load's errors never hide those of the load it waited for).
        self.add_errors(errors);
        // A re-read of a watched file replaces the name and reports as the demo's are.
        let replaces = was_demo || self.replaces();
        if !reports.is_empty() {
            let names: Vec<String> = reports.iter().map(|r| r.file_name.clone()).collect();
            self.set_data(source);
            self.is_demo.set(false);
            self.dataset_name.update(|d| {
                if replaces || d.is_empty() || d == "No data loaded" {
                    *d = names.join(", ");
                } else {
                    *d = format!("{d}, {}", names.join(", "));
                }
            });
            self.reports.update(|r| {
                if replaces {
                    r.clear();
                }
                r.extend(reports);
            });
            self.load_version.update(|v| *v += 1);
        }
        if !refused.is_empty() {
            self.reports.update(|r| r.extend(refused));
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
            .with_untracked(|s| s.prefs.currency_symbol == symbol)
        {
            return;
        }
        self.settings
            .update(|s| s.prefs.currency_symbol = symbol.clone());
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
            ..self.settings.with_untracked(|s| s.prefs.import_options())
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
