//! Opt-in local persistence: "Remember this workspace on this device" keeps the loaded
//! workspace (as its JSON document) in this browser's IndexedDB and loads it at start-up.
//! By default nothing is stored. "Forget" deletes it; "Forget everything" also clears the
//! settings and remembered column mappings from local storage.

use gloo::storage::{LocalStorage, Storage};
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

use crate::data::ingest::LoadOptions;
use crate::metrics::settings::stored_settings_notice;
use crate::protocol::js_error;
use crate::ui::browser::{load_json, save_json};
use crate::ui::components::progress::IngestProgress;
use crate::ui::components::upload::{self, Arriving, Source};
use crate::ui::state::{use_app, AppState, MAPPINGS_KEY, SETTINGS_KEY};

/// Local-storage flag: the user chose to remember the workspace.
const REMEMBER_KEY: &str = "kpi-dash.remember";
const DB_NAME: &str = "kpi-dash";
const STORE: &str = "workspace";
const WORKSPACE_KEY: &str = "current";
/// The file name the remembered workspace loads under.
pub const REMEMBERED_FILE: &str = "remembered-workspace.json";

/// Waits for an IndexedDB request to succeed (its handlers resolve a promise).
async fn finished(request: &IdbRequest) -> Result<JsValue, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.map_err(js_error)?;
    request.result().map_err(js_error)
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(js_error)?
        .ok_or("IndexedDB is not available in this browser")?;
    let request: IdbOpenDbRequest = factory.open_with_u32(DB_NAME, 1).map_err(js_error)?;
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
    let db = finished(&request).await?;
    drop(upgrade);
    db.dyn_into().map_err(|_| "not a database".to_string())
}

async fn store(mode: IdbTransactionMode) -> Result<IdbObjectStore, String> {
    open()
        .await?
        .transaction_with_str_and_mode(STORE, mode)
        .map_err(js_error)?
        .object_store(STORE)
        .map_err(js_error)
}

async fn save(json: &str) -> Result<(), String> {
    let store = store(IdbTransactionMode::Readwrite).await?;
    let request = store
        .put_with_key(&JsValue::from_str(json), &JsValue::from_str(WORKSPACE_KEY))
        .map_err(js_error)?;
    finished(&request).await.map(drop)
}

/// The remembered workspace as a `File` (the stored text stays in the browser until
/// it is read, so its size is checked first).
async fn load() -> Result<Option<web_sys::File>, String> {
    let store = store(IdbTransactionMode::Readonly).await?;
    let request = store
        .get(&JsValue::from_str(WORKSPACE_KEY))
        .map_err(js_error)?;
    let stored = finished(&request).await?;
    if !stored.is_string() {
        return Ok(None);
    }
    web_sys::File::new_with_str_sequence(&js_sys::Array::of1(&stored), REMEMBERED_FILE)
        .map(Some)
        .map_err(js_error)
}

/// Loads the remembered workspace under the size policy of every load
/// ([`upload::load`]): refused before it is read when over the limit; a big one parsed
/// in a data worker (with progress and cancel), a small one on the page.
async fn load_remembered(state: AppState, progress: IngestProgress, file: web_sys::File) {
    let file = Arriving {
        file,
        options: Some(LoadOptions::default()),
    };
    upload::load(state, progress, Source::Remembered, vec![file]).await;
}

async fn forget() -> Result<(), String> {
    let store = store(IdbTransactionMode::Readwrite).await?;
    let request = store
        .delete(&JsValue::from_str(WORKSPACE_KEY))
        .map_err(js_error)?;
    finished(&request).await.map(drop)
}

fn remembering() -> bool {
    load_json::<bool>(REMEMBER_KEY).unwrap_or(false)
}

fn save_current(state: AppState) {
    if state.is_demo.get_untracked() {
        return;
    }
    leptos::task::spawn_local(async move {
        let saved = match state.document().await {
            Ok(json) => save(&json).await,
            Err(e) => Err(e),
        };
        if let Err(e) = saved {
            state
                .load_error
                .set(Some(format!("Could not remember the workspace: {e}")));
        }
    });
}

/// At start-up: loads the remembered workspace when the user opted in, and keeps it
/// up to date after every load while the option is on. Renders only a notice when the
/// settings stored in this browser had to fall back to defaults (read here, before the
/// corrected settings are saved over them).
#[component]
pub fn RememberedWorkspace() -> impl IntoView {
    let state = use_app();
    let stored = LocalStorage::raw().get_item(SETTINGS_KEY).ok().flatten();
    let settings_notice = RwSignal::new(stored_settings_notice(stored.as_deref()));
    let progress = use_context::<IngestProgress>().unwrap_or_default();
    if remembering() {
        leptos::task::spawn_local(async move {
            match load().await {
                Ok(Some(file)) => load_remembered(state, progress, file).await,
                Ok(None) => {}
                Err(e) => state.load_error.set(Some(format!(
                    "Could not read the remembered workspace: {e}"
                ))),
            }
        });
    }
    Effect::new(move |previous: Option<()>| {
        state.load_version.track();
        if previous.is_some() && remembering() {
            save_current(state);
        }
    });
    move || {
        settings_notice.get().map(|text| {
            view! {
                <div id="settings-notice" class="panel notice" role="status">
                    {text.lines().map(|l| view! { <p>{l.to_owned()}</p> }).collect_view()}
                    <button type="button" on:click=move |_| settings_notice.set(None)>"Dismiss"</button>
                </div>
            }
        })
    }
}

/// The opt-in checkbox and the forget buttons (on `/data`).
#[component]
pub fn RememberControls() -> impl IntoView {
    let state = use_app();
    let on = RwSignal::new(remembering());
    let status = RwSignal::new(String::new());
    let toggle = move |ev: web_sys::Event| {
        let checked = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|i| i.checked());
        on.set(checked);
        save_json(REMEMBER_KEY, &checked);
        if checked {
            save_current(state);
            status.set("This workspace will be remembered on this device.".into());
        } else {
            status.set(
                "New loads are no longer remembered. Use Forget to delete the stored copy.".into(),
            );
        }
    };
    let forget_workspace = move |_| {
        on.set(false);
        LocalStorage::delete(REMEMBER_KEY);
        leptos::task::spawn_local(async move {
            status.set(match forget().await {
                Ok(()) => "The remembered workspace is deleted from this device.".into(),
                Err(e) => format!("Could not delete the remembered workspace: {e}"),
            });
        });
    };
    let forget_everything = move |_| {
        on.set(false);
        for key in [REMEMBER_KEY, SETTINGS_KEY, MAPPINGS_KEY] {
            LocalStorage::delete(key);
        }
        let deleted = web_sys::window()
            .and_then(|w| w.indexed_db().ok().flatten())
            .map(|f| f.delete_database(DB_NAME).is_ok())
            .unwrap_or(true);
        status.set(if deleted {
            "Everything this app stored on this device is deleted (workspace, settings, mappings)."
                .into()
        } else {
            "Could not delete the stored workspace.".into()
        });
    };
    view! {
        <section class="panel remember" aria-labelledby="remember-title">
            <h2 id="remember-title">"On this device"</h2>
            <p>"By default nothing is stored: reloading the page forgets your files."</p>
            <label>
                <input id="remember-workspace" type="checkbox" prop:checked=move || on.get() on:change=toggle/>
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
