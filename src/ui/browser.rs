//! Thin wrappers over browser APIs: performance marks, local storage, downloads,
//! same-origin checks and fetching bytes. Failures are values, never panics.

use gloo::storage::{LocalStorage, Storage};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Records `performance.mark(name)` (ignored when unavailable).
pub fn mark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}

/// Records `performance.mark(name, {detail})` (ignored when unavailable).
pub fn mark_with_detail(name: &str, detail: &str) {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"detail".into(), &detail.into());
    if let Ok(mark) = js_sys::Reflect::get(&perf, &"mark".into()) {
        let _ = mark
            .unchecked_into::<js_sys::Function>()
            .call2(&perf, &name.into(), &options);
    }
}

/// A JSON value from local storage.
pub fn load_json<T: DeserializeOwned>(key: &str) -> Option<T> {
    LocalStorage::get(key).ok()
}

/// Stores a JSON value in local storage (ignored when storage is unavailable).
pub fn save_json<T: Serialize>(key: &str, value: &T) {
    let _ = LocalStorage::set(key, value);
}

/// An object URL (`blob:`) of `content` as a `mime` file; revoke it when done.
pub fn object_url(mime: &str, content: &str) -> Result<String, String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &props).map_err(js_error)?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(js_error)
}

/// Offers `content` as a file download.
pub fn download(file_name: &str, mime: &str, content: &str) -> Result<(), String> {
    let url = object_url(mime, content)?;
    let saved = save_url(&url, file_name);
    let _ = web_sys::Url::revoke_object_url(&url);
    saved
}

/// Offers the resource at `url` (an object or data URL) as a file download.
pub fn save_url(url: &str, file_name: &str) -> Result<(), String> {
    let anchor: web_sys::HtmlAnchorElement = create_element("a")?;
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.click();
    Ok(())
}

/// A new element of the page's document, as its web-sys type.
pub fn create_element<T: JsCast>(tag: &str) -> Result<T, String> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?
        .create_element(tag)
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| format!("<{tag}> has an unexpected type"))
}

/// Resolves `raw` against the page and returns it only when it is on the page's origin.
pub fn same_origin_url(raw: &str) -> Result<String, String> {
    let location = web_sys::window().map(|w| w.location()).ok_or("no window")?;
    let base = location.href().map_err(js_error)?;
    let url = web_sys::Url::new_with_base(raw, &base)
        .map_err(|_| format!("“{raw}” is not a valid URL"))?;
    let origin = location.origin().map_err(js_error)?;
    if url.origin() == origin {
        Ok(url.href())
    } else {
        Err(format!(
            "Refused to load “{raw}”: only files from this site ({origin}) can be loaded with ?data="
        ))
    }
}

/// Fetches a URL's body as bytes.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| "not a response".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {} for {url}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The file name part of a URL path.
pub fn file_name_of(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or("data")
        .to_owned()
}

/// A JavaScript error as text (an `Error`'s message; shared with the worker).
pub use crate::protocol::js_error;

/// Reads a file's bytes.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    blob_bytes(file).await
}

/// The bytes `start..end` of a file.
pub async fn read_slice(file: &web_sys::File, start: f64, end: f64) -> Result<Vec<u8>, String> {
    blob_bytes(&file.slice_with_f64_and_f64(start, end).map_err(js_error)?).await
}

async fn blob_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(js_error)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Reads a file as UTF-8 text.
pub async fn read_text(file: &web_sys::File) -> Result<String, String> {
    let text = JsFuture::from(file.text()).await.map_err(js_error)?;
    text.as_string().ok_or_else(|| "not text".to_string())
}

thread_local! {
    /// The `blob:` URL of each worker script started so far, by its URL (fetched once).
    static WORKER_BLOBS: std::cell::RefCell<Vec<(String, String)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Starts a Web Worker running the same-origin script at `url` (relative to the page)
/// under the page's Content-Security-Policy. The policy is a `<meta>` tag, which reaches
/// no worker loaded from its URL; a worker of a `blob:` URL inherits its creator's
/// policy. So the script is fetched once and run from a `blob:` URL, after a line
/// setting `self.__kpiDashBase` to the absolute URL of its folder: a `blob:` URL resolves
/// no relative URL, and `.ci/post-build.mjs` makes trunk's `worker_loader.js` import the
/// worker's glue and wasm from that base.
pub async fn start_worker(url: &str) -> Result<web_sys::Worker, String> {
    let window = web_sys::window().ok_or("no window")?;
    let page = window.location().href().map_err(js_error)?;
    let absolute = web_sys::Url::new_with_base(url, &page)
        .map_err(|_| format!("“{url}” is not a valid URL"))?;
    let key = absolute.href();
    let known = WORKER_BLOBS.with(|b| {
        b.borrow()
            .iter()
            .find(|(script, _)| *script == key)
            .map(|(_, blob)| blob.clone())
    });
    let blob = match known {
        Some(blob) => blob,
        None => {
            let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&key))
                .await
                .map_err(js_error)?
                .dyn_into()
                .map_err(|_| "not a response".to_string())?;
            if !response.ok() {
                return Err(format!("HTTP {} for {key}", response.status()));
            }
            let script = JsFuture::from(response.text().map_err(js_error)?)
                .await
                .map_err(js_error)?
                .as_string()
                .ok_or("the worker script is not text")?;
            let folder = web_sys::Url::new_with_base(".", &key)
                .map_err(js_error)?
                .href();
            let base = serde_json::to_string(&folder).map_err(|e| e.to_string())?;
            let blob = object_url(
                "text/javascript",
                &format!("self.__kpiDashBase = {base};\n{script}"),
            )?;
            WORKER_BLOBS.with(|b| b.borrow_mut().push((key, blob.clone())));
            blob
        }
    };
    web_sys::Worker::new(&blob).map_err(js_error)
}
