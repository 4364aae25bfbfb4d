//! Global state in context: the workspace and its file reports, settings (persisted in
//! local storage), the URL query, and memos of the engine's results and alerts.
//! Loading files and the demo goes through [`AppState::load_files`] / [`AppState::load_demo`].

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::data::calendar::format_day;
use crate::data::calendar::Day;
use crate::data::demo::{generate, DEMO_SEED};
use crate::data::ingest::{self, Detection, FileReport, LoadOptions};
use crate::data::mapping::header_signature;
use crate::data::store::Workspace;
use crate::display::format::NumberStyle;
use crate::display::query::ViewQuery;
use crate::metrics::alerts::{evaluate, Alert, Severity};
use crate::metrics::engine::{compute, Filter, Results};
use crate::metrics::settings::Settings;
use crate::metrics::trend::{compare_window, CompareWindow};

use super::browser::{load_json, mark, save_json};

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
    pub workspace: RwSignal<Arc<Workspace>>,
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
    /// First and last dated day of the workspace.
    pub span: Memo<Option<(Day, Day)>>,
    pub results: Memo<Arc<Results>>,
    /// The trend comparison of the whole view (`None` when the data has no dates).
    pub comparison: Memo<Option<Arc<Comparison>>>,
    pub alerts: Memo<Vec<Alert>>,
}

/// What the trend arrows compare: the current window's results against the compare
/// window's, and the two windows.
#[derive(Debug, PartialEq)]
pub struct Comparison {
    pub current: Results,
    pub previous: Results,
    pub window: CompareWindow,
}

impl Comparison {
    /// `<current dates> vs <previous dates>`.
    pub fn label(&self) -> String {
        format!(
            "{} vs {}",
            date_range(&self.window.current),
            date_range(&self.window.previous)
        )
    }

    /// The compare window's dates, `YYYY-MM-DD to YYYY-MM-DD`.
    pub fn previous_range(&self) -> String {
        date_range(&self.window.previous)
    }
}

fn date_range(f: &Filter) -> String {
    match (f.from, f.to) {
        (Some(a), Some(b)) => format!("{} to {}", format_day(a), format_day(b)),
        _ => String::new(),
    }
}

/// The comparison for `filter`: its date range (or the last 90 days of the data when it
/// has none) against the previous period of equal length or the year before.
pub fn comparison(
    ws: &Workspace,
    filter: &Filter,
    query: &ViewQuery,
    settings: &Settings,
) -> Option<Arc<Comparison>> {
    let window = compare_window(ws, filter, query.compare)?;
    Some(Arc::new(Comparison {
        current: compute(ws, &window.current, settings, query.granularity),
        previous: compute(ws, &window.previous, settings, query.granularity),
        window,
    }))
}

impl AppState {
    /// Creates the state (inside the router: the query comes from the URL), opens on the
    /// demo dataset and provides it as context.
    pub fn provide() -> AppState {
        let settings = RwSignal::new(load_json::<Settings>(SETTINGS_KEY).unwrap_or_default());
        Effect::new(move |_| settings.with(|s| save_json(SETTINGS_KEY, s)));
        let style = Memo::new(move |_| settings.with(NumberStyle::of));
        let query_map = use_query_map();
        let query = Memo::new(move |_| query_map.with(|m| ViewQuery::parse(|k| m.get(k))));
        mark("ingest-start");
        let workspace = RwSignal::new(Arc::new(generate(DEMO_SEED)));
        mark("ingest-end");
        let span = Memo::new(move |_| workspace.with(|ws| ws.posts.date_span()));
        let results = Memo::new(move |_| {
            let q = query.get();
            workspace
                .with(|ws| settings.with(|s| Arc::new(compute(ws, &q.filter(), s, q.granularity))))
        });
        let comparison = Memo::new(move |_| {
            let q = query.get();
            workspace.with(|ws| settings.with(|s| comparison(ws, &q.filter(), &q, s)))
        });
        let alerts = Memo::new(move |_| {
            let q = query.get();
            let r = results.get();
            workspace.with(|ws| settings.with(|s| evaluate(ws, &q.filter(), s, &r)))
        });
        let state = AppState {
            workspace,
            is_demo: RwSignal::new(true),
            dataset_name: RwSignal::new("Demo data".into()),
            reports: RwSignal::new(Vec::new()),
            pending: RwSignal::new(Vec::new()),
            load_error: RwSignal::new(None),
            load_version: RwSignal::new(0),
            settings,
            style,
            query,
            span,
            results,
            comparison,
            alerts,
        };
        provide_context(state);
        state
    }

    /// Number of alerts of a severity.
    pub fn alert_count(&self, severity: Severity) -> usize {
        self.alerts
            .with(|a| a.iter().filter(|x| x.severity == severity).count())
    }

    /// Replaces the workspace with the demo dataset.
    pub fn load_demo(&self) {
        mark("ingest-start");
        self.workspace.set(Arc::new(generate(DEMO_SEED)));
        self.is_demo.set(true);
        self.dataset_name.set("Demo data".into());
        self.reports.set(Vec::new());
        self.pending.set(Vec::new());
        self.load_error.set(None);
        self.load_version.update(|v| *v += 1);
        mark("ingest-end");
    }

    /// Empties the workspace.
    pub fn clear(&self) {
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
        mark("ingest-start");
        let mut ws = self.workspace_to_load_into();
        let mut reports = Vec::new();
        let mut errors = Vec::new();
        for (name, bytes, options) in &files {
            match ingest::load(&mut ws, name, bytes, options) {
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
    pub fn apply_loaded(&self, ws: Workspace, reports: Vec<FileReport>, errors: Vec<String>) {
        let was_demo = self.is_demo.get_untracked();
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

    /// The options a detected file loads with (a remembered mapping for the same header
    /// set), and whether it can load without the user: it needs them for a platform, or
    /// for a mapping when nothing mapped and none is remembered.
    pub fn load_options(&self, detection: &Detection) -> (LoadOptions, bool) {
        let remembered = remembered_mappings();
        let saved = remembered
            .get(&header_signature(&detection.headers))
            .cloned();
        let nothing_mapped = detection.mapping.iter().all(|m| m.target.is_none());
        let ready = !(detection.needs_platform || nothing_mapped && saved.is_none());
        let options = LoadOptions {
            mapping: saved,
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
        if !errors.is_empty() {
            let previous = self.load_error.get_untracked();
            let mut all: Vec<String> = previous.into_iter().collect();
            all.extend(errors);
            self.load_error.set(Some(all.join("\n")));
        }
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
