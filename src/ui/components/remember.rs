//! Opt-in local persistence, and the tabs that share it.
//!
//! "Remember this workspace on this device" keeps the loaded workspace in this browser's
//! IndexedDB and loads it at start-up; by default nothing is stored. The workspace is
//! stored packed ([`crate::data::packed`]) and cut into chunks of at most
//! [`CHUNK_BYTES`] under a manifest ([`crate::data::chunks`]), all written in one
//! transaction: "remembered" shows only once that transaction completes; a failure says
//! why, and a workspace that will not fit in the browser's quota is refused before any
//! of it is written. When a data worker holds the data, the copy comes from the worker.
//! "Forget" deletes it; "Forget everything" also clears the settings and mappings.
//!
//! Tabs: every write of the remembered workspace or of the settings carries a stamp,
//! and is announced on a `BroadcastChannel`. A tab writes only over the stamp it last
//! read; when another tab wrote since, it asks (an in-page prompt) instead of
//! overwriting newer data with older. Settings another tab saved are applied here.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use gloo::storage::{LocalStorage, Storage};
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode,
};

use crate::data::chunks::{join, split, Manifest, CHUNK_BYTES};
use crate::data::ingest::{Detection, FileReport, LoadOptions};
use crate::data::packed::{pack, unpack, Packed};
use crate::data::schema::TableKind;
use crate::metrics::settings::{stored_settings_notice, SavedSettings};
use crate::protocol::{js_error, placement, Base, FromWorker, LoadResult, Placement, ToWorker};
use crate::ui::browser::{load_json, mark, mark_with_detail, save_json, start_worker};
use crate::ui::components::progress::{refuse_too_big, worker_stopped, IngestProgress};
use crate::ui::components::share::app_base;
use crate::ui::components::upload::{self, Arriving, Source};
use crate::ui::owner::{DataSource, Owner};
use crate::ui::state::{use_app, view_questions, AppState, MAPPINGS_KEY, SETTINGS_KEY};

/// Local-storage flag: the user chose to remember the workspace.
const REMEMBER_KEY: &str = "kpi-dash.remember";
/// Local-storage stamps of the last write of the settings and of the workspace.
const SETTINGS_STAMP_KEY: &str = "kpi-dash.settings-stamp";
const WORKSPACE_STAMP_KEY: &str = "kpi-dash.workspace-stamp";
const DB_NAME: &str = "kpi-dash";
const DB_VERSION: u32 = 1;
const STORE: &str = "workspace";
/// The key of the manifest, and of the whole-document value of earlier versions.
const MANIFEST_KEY: &str = "manifest";
const LEGACY_KEY: &str = "current";
/// The channel the tabs of this app tell each other on.
const CHANNEL_NAME: &str = "kpi-dash";
/// The file name the remembered workspace loads under.
pub const REMEMBERED_FILE: &str = "remembered-workspace.json";

fn chunk_key(index: usize) -> JsValue {
    JsValue::from_str(&format!("chunk/{index}"))
}

/// What the app-level notice shows about the remembered workspace.
#[derive(Clone, Debug, PartialEq)]
enum WorkspaceNotice {
    /// This tab's save was refused: another tab stored a newer one since.
    Newer(Manifest),
    /// Another tab remembered a workspace.
    Elsewhere(Manifest),
}

/// What the app-level notice shows about the settings.
#[derive(Clone, Copy, Debug, PartialEq)]
enum SettingsNotice {
    /// This tab's change was not saved: another tab saved settings since.
    Newer,
    /// Settings another tab saved are applied here.
    Adopted,
}

thread_local! {
    /// The stamps this tab last read or wrote (`None` inside: nothing was stored).
    static KNOWN_WORKSPACE: RefCell<Option<String>> =
        RefCell::new(LocalStorage::raw().get_item(WORKSPACE_STAMP_KEY).ok().flatten());
    static KNOWN_SETTINGS: RefCell<Option<KnownSettings>> = const { RefCell::new(None) };
    /// The load version of the last restore (its load is not saved again).
    static RESTORED_VERSION: Cell<Option<u32>> = const { Cell::new(None) };
    static STATUS: ArcRwSignal<String> = ArcRwSignal::new(String::new());
    static ON: ArcRwSignal<bool> = ArcRwSignal::new(remembering());
    static WORKSPACE_NOTICE: ArcRwSignal<Option<WorkspaceNotice>> = ArcRwSignal::new(None);
    static SETTINGS_NOTICE: ArcRwSignal<Option<SettingsNotice>> = ArcRwSignal::new(None);
    static CHANNEL: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
}

fn status() -> ArcRwSignal<String> {
    STATUS.with(Clone::clone)
}

fn on() -> ArcRwSignal<bool> {
    ON.with(Clone::clone)
}

fn workspace_notice() -> ArcRwSignal<Option<WorkspaceNotice>> {
    WORKSPACE_NOTICE.with(Clone::clone)
}

fn settings_notice() -> ArcRwSignal<Option<SettingsNotice>> {
    SETTINGS_NOTICE.with(Clone::clone)
}

fn known_workspace() -> Option<String> {
    KNOWN_WORKSPACE.with(|k| k.borrow().clone())
}

fn set_known_workspace(stamp: Option<String>) {
    match &stamp {
        Some(s) => {
            let _ = LocalStorage::raw().set_item(WORKSPACE_STAMP_KEY, s);
        }
        None => LocalStorage::delete(WORKSPACE_STAMP_KEY),
    }
    KNOWN_WORKSPACE.with(|k| *k.borrow_mut() = stamp);
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A stamp no other write has: the time and a random part.
fn new_stamp() -> String {
    format!(
        "{:.0}-{:08x}",
        now_ms(),
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    )
}

fn raw_get(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// Tells the other tabs (`kind`: `workspace`, `settings` or `forgotten`).
fn announce(kind: &str, manifest: Option<&Manifest>) {
    post(&serde_json::json!({ "kind": kind, "manifest": manifest }).to_string());
}

fn post(message: &str) {
    CHANNEL.with(|c| {
        if let Some(channel) = c.borrow().as_ref() {
            let _ = channel.post_message(&JsValue::from_str(message));
        }
    });
}

// ---- IndexedDB -------------------------------------------------------------------

/// The error of a failed IndexedDB request, in words.
fn request_error(request: &IdbRequest) -> String {
    match request.error() {
        Ok(Some(e)) => dom_error(&e),
        _ => "the browser's storage refused the request".into(),
    }
}

fn dom_error(e: &web_sys::DomException) -> String {
    match e.name().as_str() {
        "VersionError" => format!(
            "the copy stored in this browser was written by a newer version of this app, which this one cannot read (the browser says: {}). Use “Forget everything” on the Data page to delete it.",
            e.message()
        ),
        "QuotaExceededError" => format!(
            "the browser has no more room for this site's data ({})",
            e.message()
        ),
        name => format!("{name}: {}", e.message()),
    }
}

/// Waits for an IndexedDB request to succeed; its error in words when it fails. The
/// handlers are set when this is called (not when it is first polled), so requests
/// issued together may be awaited one after the other.
fn finished(request: &IdbRequest) -> impl std::future::Future<Output = Result<JsValue, String>> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let request = request.clone();
    async move {
        let outcome = JsFuture::from(promise).await;
        request.set_onsuccess(None);
        request.set_onerror(None);
        match outcome {
            Ok(_) => request.result().map_err(js_error),
            Err(_) => Err(request_error(&request)),
        }
    }
}

/// A promise of a transaction's end: resolved on `complete`, rejected with its reason
/// on `error` or `abort`.
fn transaction_end(tx: &IdbTransaction) -> JsFuture {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    JsFuture::from(promise)
}

fn transaction_error(tx: &IdbTransaction) -> String {
    match tx.error() {
        Some(e) => dom_error(&e),
        None => "the browser aborted the write".into(),
    }
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(js_error)?
        .ok_or("IndexedDB is not available in this browser")?;
    let request: IdbOpenDbRequest = factory
        .open_with_u32(DB_NAME, DB_VERSION)
        .map_err(js_error)?;
    let upgrade = Closure::once(move |event: web_sys::Event| {
        let db = event
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db {
            let _ = db.create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = finished(&request).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    db?.dyn_into().map_err(|_| "not a database".to_string())
}

fn object_store(db: &IdbDatabase, mode: IdbTransactionMode) -> Result<IdbObjectStore, String> {
    db.transaction_with_str_and_mode(STORE, mode)
        .map_err(js_error)?
        .object_store(STORE)
        .map_err(js_error)
}

/// What is stored.
enum Stored {
    Nothing,
    /// A whole JSON document (how earlier versions stored it).
    Legacy(JsValue),
    Chunked(Manifest),
}

fn read_manifest(value: &JsValue) -> Result<Option<Manifest>, String> {
    match value.as_string() {
        Some(json) => serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| format!("its list of parts does not read ({e})")),
        None => Ok(None),
    }
}

async fn stored(store: &IdbObjectStore) -> Result<Stored, String> {
    let manifest = finished(&store.get(&MANIFEST_KEY.into()).map_err(js_error)?).await?;
    if let Some(manifest) = read_manifest(&manifest)? {
        return Ok(Stored::Chunked(manifest));
    }
    let legacy = finished(&store.get(&LEGACY_KEY.into()).map_err(js_error)?).await?;
    Ok(match legacy.is_string() {
        true => Stored::Legacy(legacy),
        false => Stored::Nothing,
    })
}

/// The stored chunks `0..=count` (one past the manifest's count, so that an extra one
/// shows), all requested at once in one transaction.
async fn read_chunks(store: &IdbObjectStore, count: usize) -> Result<Vec<Option<Vec<u8>>>, String> {
    let requests = (0..=count)
        .map(|i| Ok(finished(&store.get(&chunk_key(i)).map_err(js_error)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let mut chunks = Vec::with_capacity(requests.len());
    for request in requests {
        let value = request.await?;
        chunks.push(if value.is_undefined() || value.is_null() {
            None
        } else {
            Some(js_sys::Uint8Array::new(&value).to_vec())
        });
    }
    Ok(chunks)
}

/// Why a save did not happen.
enum SaveError {
    /// Another tab stored a newer workspace since this tab read its stamp.
    Newer(Manifest),
    Failed(String),
}

impl From<String> for SaveError {
    fn from(e: String) -> Self {
        SaveError::Failed(e)
    }
}

/// The browser's storage estimate: (quota, usage) in bytes, when it gives one.
async fn estimate() -> Option<(f64, f64)> {
    let navigator = web_sys::window()?.navigator();
    let storage = js_sys::Reflect::get(&navigator, &"storage".into()).ok()?;
    let call = js_sys::Reflect::get(&storage, &"estimate".into()).ok()?;
    let promise = call.dyn_ref::<js_sys::Function>()?.call0(&storage).ok()?;
    let estimate = JsFuture::from(js_sys::Promise::resolve(&promise))
        .await
        .ok()?;
    let number = |key: &str| js_sys::Reflect::get(&estimate, &key.into()).ok()?.as_f64();
    Some((number("quota")?, number("usage").unwrap_or(0.0)))
}

fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

/// Writes the chunks and the manifest in one transaction (what was stored before is
/// replaced), unless another tab stored a newer workspace since this tab read (then
/// nothing is written; `force` writes anyway). Returns once the transaction completes.
async fn write(manifest: &Manifest, chunks: Vec<Vec<u8>>, force: bool) -> Result<(), SaveError> {
    let db = open().await?;
    let before = {
        let store = object_store(&db, IdbTransactionMode::Readonly)?;
        match stored(&store).await? {
            Stored::Chunked(m) => Some(m),
            _ => None,
        }
    };
    let is_newer = |m: &Manifest| !force && Some(&m.stamp) != known_workspace().as_ref();
    if let Some(before) = before.as_ref().filter(|m| is_newer(m)) {
        db.close();
        return Err(SaveError::Newer(before.clone()));
    }
    let json = serde_json::to_string(manifest).map_err(|e| e.to_string())?;
    let needed = (manifest.total_bytes() + json.len()) as f64;
    if let Some((quota, usage)) = estimate().await {
        let freed = before.as_ref().map_or(0.0, |m| m.total_bytes() as f64);
        let room = quota - usage + freed;
        // IndexedDB keeps some bytes of its own beside each value.
        if needed * 1.05 > room {
            db.close();
            return Err(SaveError::Failed(format!(
                "it needs {} and this browser lets this site store {} more (a quota of {}, {} in use). Nothing was written: what was remembered before is kept.",
                megabytes(needed),
                megabytes(room.max(0.0)),
                megabytes(quota),
                megabytes(usage)
            )));
        }
    }
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(js_error)?;
    let end = transaction_end(&tx);
    let written = async {
        let store = tx.object_store(STORE).map_err(js_error)?;
        // Checked again inside the transaction: no other write comes between.
        let now = finished(&store.get(&MANIFEST_KEY.into()).map_err(js_error)?).await?;
        if let Some(now) = read_manifest(&now)?.filter(|m| is_newer(m)) {
            return Err(SaveError::Newer(now));
        }
        store.clear().map_err(js_error)?;
        for (i, chunk) in chunks.into_iter().enumerate() {
            let value = js_sys::Uint8Array::from(chunk.as_slice());
            drop(chunk);
            store
                .put_with_key(&value, &chunk_key(i))
                .map_err(js_error)?;
        }
        store
            .put_with_key(&JsValue::from_str(&json), &MANIFEST_KEY.into())
            .map_err(js_error)?;
        Ok(())
    }
    .await;
    if written.is_err() {
        let _ = tx.abort();
    }
    let ended = end.await;
    db.close();
    written?;
    ended.map_err(|_| SaveError::Failed(transaction_error(&tx)))?;
    Ok(())
}

/// A packed copy of the workspace: from the data worker that holds it (on a channel),
/// or packed from the page's.
async fn packed_copy(state: AppState) -> Result<Packed, String> {
    let Some(owner) = state.data_owner() else {
        return Ok(pack(state.workspace_to_load_into()));
    };
    let channel = web_sys::MessageChannel::new().map_err(js_error)?;
    let port = channel.port2();
    let landed: Rc<RefCell<Option<Result<Packed, String>>>> = Rc::default();
    let slot = landed.clone();
    let arrived = js_sys::Promise::new(&mut |resolve, _| {
        let slot = slot.clone();
        let on_copy = Closure::once_into_js(move |e: web_sys::MessageEvent| {
            *slot.borrow_mut() = Some(FromWorker::copy_from_js(&e.data()));
            let _ = resolve.call0(&JsValue::NULL);
        });
        port.set_onmessage(Some(on_copy.unchecked_ref()));
    });
    owner.send_copy(channel.port1())?;
    JsFuture::from(arrived).await.map_err(js_error)?;
    port.close();
    let copy = landed.borrow_mut().take();
    copy.unwrap_or_else(|| Err("the data worker sent no copy".into()))
}

/// Remembers the workspace now (see the module doc); the status says how it went.
async fn remember_now(state: AppState, force: bool) -> Result<Manifest, SaveError> {
    let packed = packed_copy(state).await?;
    let rows = packed.u32s.first().map_or(0, Vec::len);
    let (manifest, chunks) = split(
        packed,
        CHUNK_BYTES,
        new_stamp(),
        now_ms(),
        rows,
        state.dataset_name.get_untracked(),
    );
    // What a reload would refuse to bring back is not written.
    if let Some(refusal) = refuse_too_big(REMEMBERED_FILE, manifest.total_bytes() as f64) {
        return Err(SaveError::Failed(format!(
            "{refusal} Nothing was written: what was remembered before is kept."
        )));
    }
    write(&manifest, chunks, force).await?;
    set_known_workspace(Some(manifest.stamp.clone()));
    announce("workspace", Some(&manifest));
    Ok(manifest)
}

fn describe(m: &Manifest) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(m.saved_ms));
    let when = date.to_locale_string("en-GB", &JsValue::UNDEFINED);
    format!(
        "“{}”, {} posts, saved {}",
        m.dataset,
        m.rows,
        String::from(when)
    )
}

fn save_current(state: AppState, force: bool) {
    if state.is_demo.get_untracked() {
        return;
    }
    let status = status();
    status.set("Remembering this workspace on this device…".into());
    leptos::task::spawn_local(async move {
        match remember_now(state, force).await {
            Ok(m) => {
                workspace_notice().set(None);
                status.set(format!(
                    "Remembered on this device: {} posts, {} in {} part{}. New loads will be remembered too.",
                    m.rows,
                    megabytes(m.total_bytes() as f64),
                    m.chunks.len(),
                    if m.chunks.len() == 1 { "" } else { "s" }
                ));
            }
            Err(SaveError::Newer(m)) => {
                status.set(format!(
                    "Not remembered: another tab remembered a newer workspace on this device ({}).",
                    describe(&m)
                ));
                workspace_notice().set(Some(WorkspaceNotice::Newer(m)));
            }
            Err(SaveError::Failed(e)) => {
                status.set(format!("Not remembered: {e}"));
                state.add_errors(vec![format!("Could not remember the workspace: {e}")]);
            }
        }
    });
}

// ---- Restoring -------------------------------------------------------------------

/// The report of the remembered workspace's load (one "file").
fn remembered_report(m: &Manifest) -> FileReport {
    FileReport {
        file_name: REMEMBERED_FILE.into(),
        detection: Detection {
            kind: TableKind::Posts,
            format_name: "Workspace remembered on this device".into(),
            encoding: "packed columns".into(),
            headers: Vec::new(),
            mapping: Vec::new(),
            needs_platform: false,
            platform: None,
            row_model: Default::default(),
            needs_mapping: false,
            summary: format!("The workspace remembered on this device: {}.", describe(m)),
        },
        rows_read: m.rows,
        rows_used: m.rows,
        rows_rejected: 0,
        issues: Vec::new(),
        notices: vec![format!(
            "Remembered on this device ({}, in {} parts).",
            megabytes(m.total_bytes() as f64),
            m.chunks.len()
        )],
        currency: None,
    }
}

/// Starts a data worker holding `packed` (a load of no files into it), and asks it the
/// current view's questions.
async fn restore_in_worker(state: AppState, packed: Packed) -> Result<(Owner, LoadResult), String> {
    let worker = start_worker(&format!("{}worker_loader.js", app_base()))
        .await
        .map_err(|e| format!("could not start the data worker ({e})"))?;
    let ended: Rc<RefCell<Option<Result<FromWorker, String>>>> = Rc::default();
    let mut request = Some(ToWorker::Load {
        files: Vec::new(),
        base: Base::Packed(packed),
    });
    let (to, slot, failed) = (worker.clone(), ended.clone(), ended.clone());
    let finish: Rc<RefCell<Option<js_sys::Function>>> = Rc::default();
    let (finish_message, finish_error) = (finish.clone(), finish.clone());
    let end = move |finish: &Rc<RefCell<Option<js_sys::Function>>>| {
        if let Some(f) = finish.borrow_mut().take() {
            let _ = f.call0(&JsValue::NULL);
        }
    };
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            match FromWorker::from_js(&e.data()) {
                Ok(FromWorker::Ready) => {
                    if let Some(request) = request.take() {
                        if let Err(e) = request.post(&to) {
                            *slot.borrow_mut() = Some(Err(e));
                            end(&finish_message);
                        }
                    }
                }
                Ok(message @ (FromWorker::Done { .. } | FromWorker::Failed { .. })) => {
                    *slot.borrow_mut() = Some(Ok(message));
                    end(&finish_message);
                }
                Ok(_) => {}
                Err(e) => {
                    *slot.borrow_mut() = Some(Err(e));
                    end(&finish_message);
                }
            }
        });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
        e.prevent_default();
        *failed.borrow_mut() = Some(Err(worker_stopped(&e.message())));
        end(&finish_error);
    });
    let wait = js_sys::Promise::new(&mut |resolve, _| *finish.borrow_mut() = Some(resolve));
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let _ = JsFuture::from(wait).await;
    let outcome = ended.borrow_mut().take();
    let (result, outline, names) = match outcome {
        Some(Ok(FromWorker::Done {
            result,
            outline,
            names,
        })) => (result, outline, names),
        Some(Ok(FromWorker::Failed { error, .. })) | Some(Err(error)) => {
            worker.terminate();
            return Err(error);
        }
        _ => {
            worker.terminate();
            return Err("the data worker ended without an answer".into());
        }
    };
    mark("ingest-received");
    let names = match unpack(names) {
        Ok(names) => names,
        Err(e) => {
            worker.terminate();
            return Err(e.to_string());
        }
    };
    let owner = Owner::new(worker, outline, names);
    drop((on_message, on_error));
    let settings = state.answer_settings();
    for question in state.query.with_untracked(view_questions) {
        if let Err(e) = owner.ask(&question, &settings).await {
            return Err(owner.stopped().map_or(e, |d| worker_stopped(&d)));
        }
    }
    mark_with_detail("ingest-answered", &result.timings_json());
    Ok((owner, result))
}

/// Restores the chunked workspace of `manifest` from `store`: refused before reading
/// when over the size limit; a big one goes to a data worker, a small one to the page.
async fn restore_chunked(
    state: AppState,
    db: &IdbDatabase,
    manifest: Manifest,
    may_apply: impl Fn() -> bool,
) -> Result<(), String> {
    set_known_workspace(Some(manifest.stamp.clone()));
    let total = manifest.total_bytes() as f64;
    if let Some(refusal) = refuse_too_big(REMEMBERED_FILE, total) {
        return Err(format!("The remembered workspace is not loaded: {refusal}"));
    }
    let unreadable = |e: String| format!("Could not read the remembered workspace: {e}");
    let store = object_store(db, IdbTransactionMode::Readonly).map_err(unreadable)?;
    let chunks = read_chunks(&store, manifest.chunks.len())
        .await
        .map_err(unreadable)?;
    mark("ingest-start");
    let packed = join(&manifest, chunks).map_err(|e| unreadable(e.to_string()))?;
    let report = remembered_report(&manifest);
    let source = match placement(&[total], false) {
        Placement::Page => DataSource::Page(Arc::new(
            unpack(packed).map_err(|e| unreadable(e.to_string()))?,
        )),
        Placement::Worker => {
            let (owner, result) = restore_in_worker(state, packed).await.map_err(unreadable)?;
            state.add_errors(result.errors);
            DataSource::Worker(Rc::new(owner))
        }
    };
    if !may_apply() {
        // Cancelled (Clear, Load demo) while it was read: nothing of it is kept.
        return Ok(());
    }
    state.apply_loaded(source, vec![report], Vec::new());
    RESTORED_VERSION.with(|v| v.set(Some(state.load_version.get_untracked())));
    mark("ingest-end");
    Ok(())
}

/// Loads the remembered workspace (chunked; or a whole document stored by an earlier
/// version, under the size policy of every load, [`upload::load`]).
async fn restore(state: AppState, progress: IngestProgress) {
    // Restored alone, like every load (a drop meanwhile waits its turn), and not once
    // Clear or Load demo cancelled it (`IngestProgress::turn`).
    let Some(turn) = progress.turn(state, vec![REMEMBERED_FILE.into()]).await else {
        return;
    };
    let (turn_id, mut turn) = (turn.id, Some(turn));
    let outcome: Result<(), String> = async {
        let unreadable = |e: String| format!("Could not read the remembered workspace: {e}");
        let db = open().await.map_err(unreadable)?;
        let store = object_store(&db, IdbTransactionMode::Readonly).map_err(unreadable)?;
        let found = stored(&store).await.map_err(unreadable);
        let done = match found {
            Ok(Stored::Chunked(manifest)) => {
                restore_chunked(state, &db, manifest, || progress.may_apply(turn_id)).await
            }
            Ok(Stored::Legacy(text)) => {
                db.close();
                let file = web_sys::File::new_with_str_sequence(
                    &js_sys::Array::of1(&text),
                    REMEMBERED_FILE,
                )
                .map_err(|e| unreadable(js_error(e)))?;
                let file = Arriving {
                    file,
                    options: Some(LoadOptions::default()),
                };
                turn.take(); // `upload::load` queues a load of its own.
                upload::load(state, progress, Source::Remembered, vec![file]).await;
                RESTORED_VERSION.with(|v| v.set(Some(state.load_version.get_untracked())));
                return Ok(());
            }
            Ok(Stored::Nothing) => Ok(()),
            Err(e) => Err(e),
        };
        db.close();
        done
    }
    .await;
    if let Err(e) = outcome {
        state.add_errors(vec![e]);
    }
}

async fn forget() -> Result<(), String> {
    let db = open().await?;
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(js_error)?;
    let end = transaction_end(&tx);
    tx.object_store(STORE)
        .and_then(|s| s.clear())
        .map_err(js_error)?;
    let ended = end.await;
    db.close();
    ended.map_err(|_| transaction_error(&tx))?;
    set_known_workspace(None);
    announce("forgotten", None);
    Ok(())
}

fn remembering() -> bool {
    load_json::<bool>(REMEMBER_KEY).unwrap_or(false)
}

// ---- Settings --------------------------------------------------------------------

/// The settings this tab last read or wrote: their stamp and their JSON.
#[derive(Clone, Default)]
struct KnownSettings {
    stamp: Option<String>,
    json: Option<String>,
}

fn set_known_settings(stamp: Option<String>, json: Option<String>) {
    KNOWN_SETTINGS.with(|k| *k.borrow_mut() = Some(KnownSettings { stamp, json }));
}

/// The settings stored in this browser (defaults when none), noting their stamp as the
/// one this tab read.
pub fn read_settings() -> SavedSettings {
    set_known_settings(raw_get(SETTINGS_STAMP_KEY), raw_get(SETTINGS_KEY));
    load_json::<SavedSettings>(SETTINGS_KEY).unwrap_or_default()
}

/// Saves the settings in local storage, unless another tab saved settings since this
/// tab read them: then nothing is written and the app-level notice asks which to keep.
/// Settings this tab read or wrote already are not written again (so that tabs applying
/// each other's settings do not answer each other forever).
pub fn save_settings(settings: &SavedSettings) {
    let Ok(json) = serde_json::to_string(settings) else {
        return;
    };
    let stored_stamp = raw_get(SETTINGS_STAMP_KEY);
    let known = KNOWN_SETTINGS.with(|k| {
        k.borrow_mut()
            .get_or_insert_with(|| KnownSettings {
                stamp: stored_stamp.clone(),
                json: raw_get(SETTINGS_KEY),
            })
            .clone()
    });
    let stored_json = raw_get(SETTINGS_KEY);
    if known.json.as_deref() == Some(json.as_str()) && stored_json.is_some() {
        return;
    }
    if stored_json.as_deref() == Some(json.as_str()) {
        set_known_settings(stored_stamp, Some(json));
        return;
    }
    if stored_stamp.is_some() && stored_stamp != known.stamp {
        settings_notice().set(Some(SettingsNotice::Newer));
        return;
    }
    let stamp = new_stamp();
    let storage = LocalStorage::raw();
    if storage.set_item(SETTINGS_KEY, &json).is_ok() {
        let _ = storage.set_item(SETTINGS_STAMP_KEY, &stamp);
        let message = serde_json::json!({ "kind": "settings", "stamp": stamp, "settings": json });
        set_known_settings(Some(stamp), Some(json));
        post(&message.to_string());
    }
}

/// Applies settings another tab saved (their JSON and stamp, as read): true when they
/// differ from this tab's.
fn adopt_settings(state: AppState, stamp: Option<String>, json: Option<String>) -> bool {
    let Some(theirs) = json
        .as_deref()
        .and_then(|j| serde_json::from_str::<SavedSettings>(j).ok())
    else {
        return false;
    };
    set_known_settings(stamp, json);
    let changed = state.settings.with_untracked(|s| *s != theirs);
    if changed {
        state.settings.set(theirs);
    }
    changed
}

/// Another tab saved settings (sent with the message: this tab's local storage may not
/// show them yet): they are applied here, unless this tab's own change waits for the
/// user's answer (that question is theirs).
fn settings_changed_elsewhere(state: AppState, message: &serde_json::Value) {
    let stamp = message["stamp"].as_str().map(str::to_owned);
    let json = message["settings"].as_str().map(str::to_owned);
    if settings_notice().get_untracked() != Some(SettingsNotice::Newer)
        && adopt_settings(state, stamp, json)
    {
        settings_notice().set(Some(SettingsNotice::Adopted));
    }
}

/// Listens to the other tabs (see the module doc).
fn listen_to_other_tabs(state: AppState) {
    let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL_NAME) else {
        return;
    };
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&text) else {
                return;
            };
            match message["kind"].as_str() {
                Some("settings") => settings_changed_elsewhere(state, &message),
                // (The flag as the message says: local storage may not show it yet.)
                Some("workspace") => {
                    on().set(true);
                    if let Ok(m) = serde_json::from_value::<Manifest>(message["manifest"].clone()) {
                        workspace_notice().set(Some(WorkspaceNotice::Elsewhere(m)));
                    }
                }
                Some("forgotten") => {
                    on().set(false);
                    set_known_workspace(None);
                    workspace_notice().set(None);
                }
                _ => {}
            }
        });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    CHANNEL.with(|c| *c.borrow_mut() = Some(channel));
}

// ---- Views -----------------------------------------------------------------------

/// At start-up: loads the remembered workspace when the user opted in, keeps it up to
/// date after every load while the option is on, and listens to the other tabs. Renders
/// the notices: settings that had to fall back to defaults (read here, before the
/// corrected settings are saved over them), and what another tab changed.
#[component]
pub fn RememberedWorkspace() -> impl IntoView {
    let state = use_app();
    let stored = raw_get(SETTINGS_KEY);
    let fallback_notice = RwSignal::new(stored_settings_notice(stored.as_deref()));
    let progress = use_context::<IngestProgress>().unwrap_or_default();
    // The workspace stamp as this tab starts (what it writes over, unless it reads another).
    KNOWN_WORKSPACE.with(|_| ());
    listen_to_other_tabs(state);
    if remembering() {
        leptos::task::spawn_local(restore(state, progress));
    }
    Effect::new(move |previous: Option<()>| {
        let version = state.load_version.get();
        let restored = RESTORED_VERSION.with(|v| v.get() == Some(version));
        if previous.is_some() && remembering() && !restored {
            save_current(state, false);
        }
    });
    let workspace = workspace_notice();
    let settings = settings_notice();
    let open_other = move |_| {
        workspace_notice().set(None);
        on().set(remembering());
        leptos::task::spawn_local(restore(state, progress));
    };
    let replace = move |_| {
        workspace_notice().set(None);
        save_current(state, true);
    };
    let use_theirs = move |_| {
        settings_notice().set(None);
        adopt_settings(state, raw_get(SETTINGS_STAMP_KEY), raw_get(SETTINGS_KEY));
    };
    let keep_mine = move |_| {
        settings_notice().set(None);
        set_known_settings(raw_get(SETTINGS_STAMP_KEY), None);
        state.settings.with_untracked(save_settings);
    };
    let workspace_view = move || {
        workspace.get().map(|notice| {
            let (text, newer) = match &notice {
                WorkspaceNotice::Newer(m) => (
                    format!(
                        "Not remembered: another tab remembered a newer workspace on this device ({}). This tab's workspace would overwrite it.",
                        describe(m)
                    ),
                    true,
                ),
                WorkspaceNotice::Elsewhere(m) => (
                    format!(
                        "Another tab remembered a workspace on this device ({}). It opens on the next visit.",
                        describe(m)
                    ),
                    false,
                ),
            };
            view! {
                <div id="remember-notice" class="panel notice" role="status">
                    <p>{text}</p>
                    <button id="remember-open" type="button" on:click=open_other>"Open that workspace here"</button>
                    {newer.then(|| view! {
                        <button id="remember-replace" type="button" on:click=replace>"Remember this tab's workspace instead"</button>
                    })}
                    <button type="button" on:click=move |_| workspace_notice().set(None)>"Dismiss"</button>
                </div>
            }
        })
    };
    let settings_view = move || {
        settings.get().map(|notice| match notice {
            SettingsNotice::Newer => view! {
                <div id="settings-conflict" class="panel notice" role="alert">
                    <p>"Settings were changed in another tab after this tab read them. This tab's change is not saved, so that it does not overwrite them."</p>
                    <button id="settings-use-theirs" type="button" on:click=use_theirs>"Use the other tab's settings"</button>
                    <button id="settings-keep-mine" type="button" on:click=keep_mine>"Save this tab's settings over them"</button>
                </div>
            }
            .into_any(),
            SettingsNotice::Adopted => view! {
                <div id="settings-synced" class="panel notice" role="status">
                    <p>"Settings changed in another tab are applied here."</p>
                    <button type="button" on:click=move |_| settings_notice().set(None)>"Dismiss"</button>
                </div>
            }
            .into_any(),
        })
    };
    view! {
        {move || {
            fallback_notice.get().map(|text| {
                view! {
                    <div id="settings-notice" class="panel notice" role="status">
                        {text.lines().map(|l| view! { <p>{l.to_owned()}</p> }).collect_view()}
                        <button type="button" on:click=move |_| fallback_notice.set(None)>"Dismiss"</button>
                    </div>
                }
            })
        }}
        {workspace_view}
        {settings_view}
    }
}

/// The opt-in checkbox and the forget buttons (on `/data`).
#[component]
pub fn RememberControls() -> impl IntoView {
    let state = use_app();
    let (on, status) = (on(), status());
    let checked = on.clone();
    let toggle = {
        let (on, status) = (on.clone(), status.clone());
        move |ev: web_sys::Event| {
            let checked = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|i| i.checked());
            on.set(checked);
            save_json(REMEMBER_KEY, &checked);
            if checked {
                if state.is_demo.get_untracked() {
                    status.set("The demo is not remembered: load your files and they will be remembered on this device.".into());
                } else {
                    save_current(state, false);
                }
            } else {
                status.set(
                    "New loads are no longer remembered. Use Forget to delete the stored copy."
                        .into(),
                );
            }
        }
    };
    let forget_workspace = {
        let (on, status) = (on.clone(), status.clone());
        move |_| {
            on.set(false);
            LocalStorage::delete(REMEMBER_KEY);
            let status = status.clone();
            leptos::task::spawn_local(async move {
                status.set(match forget().await {
                    Ok(()) => "The remembered workspace is deleted from this device.".into(),
                    Err(e) => format!("Could not delete the remembered workspace: {e}"),
                });
            });
        }
    };
    let forget_everything = {
        let status = status.clone();
        move |_| {
            on.set(false);
            for key in [
                REMEMBER_KEY,
                SETTINGS_KEY,
                MAPPINGS_KEY,
                SETTINGS_STAMP_KEY,
                WORKSPACE_STAMP_KEY,
            ] {
                LocalStorage::delete(key);
            }
            KNOWN_WORKSPACE.with(|k| *k.borrow_mut() = None);
            set_known_settings(None, None);
            let deleted = web_sys::window()
                .and_then(|w| w.indexed_db().ok().flatten())
                .map(|f| f.delete_database(DB_NAME).is_ok())
                .unwrap_or(true);
            announce("forgotten", None);
            status.set(if deleted {
                "Everything this app stored on this device is deleted (workspace, settings, mappings)."
                    .into()
            } else {
                "Could not delete the stored workspace.".into()
            });
        }
    };
    view! {
        <section class="panel remember" aria-labelledby="remember-title">
            <h2 id="remember-title">"On this device"</h2>
            <p>"By default nothing is stored: reloading the page forgets your files."</p>
            <label>
                <input id="remember-workspace" type="checkbox" prop:checked=move || checked.get() on:change=toggle/>
                " Remember this workspace on this device (in this browser's IndexedDB; it never leaves the device)"
            </label>
            <div class="actions">
                <button id="forget-workspace" type="button" on:click=forget_workspace>"Forget the workspace"</button>
                <button id="forget-everything" type="button" on:click=forget_everything>"Forget everything"</button>
                <span id="remember-status" role="status">{move || status.get()}</span>
            </div>
        </section>
    }
}
