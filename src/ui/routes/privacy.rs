//! `/privacy`: how "your data stays in this browser" is enforced, with the
//! Content-Security-Policy this page was actually served with.

use leptos::prelude::*;

/// The policy of the page's `<meta http-equiv="Content-Security-Policy">`.
fn served_policy() -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(r#"meta[http-equiv="Content-Security-Policy"]"#)
        .ok()??
        .get_attribute("content")
}

/// The privacy page.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let policy = served_policy().unwrap_or_else(|| "(none found)".into());
    view! {
        <h1 id="privacy">"Your data stays in this browser"</h1>
        <section class="panel">
            <h2>"What happens to your files"</h2>
            <ul>
                <li>"Files you drop or pick are read by this page and computed on here, in WebAssembly. They are never uploaded: the app has no server part, only static files."</li>
                <li>"Exports (CSV, JSON, SVG, PNG) are made in the page and saved through your browser's download, not through a server."</li>
                <li>"Snapshot links carry computed KPIs (never your rows) in the part of the URL after #, which browsers do not send to servers."</li>
                <li>"Only your settings and remembered column mappings are kept, in this browser's local storage. The data itself is not stored, so reloading the page forgets it, unless you tick \"Remember this workspace on this device\" on the Data page: then it is kept in this browser's IndexedDB until you press \"Forget\" or \"Forget everything\"."</li>
                <li>"Once loaded, the app's own files are kept by a service worker so that it opens without a network; that cache holds no data of yours."</li>
                <li>"No third-party fonts, scripts, analytics or trackers are loaded."</li>
            </ul>
        </section>
        <section class="panel">
            <h2>"How it is enforced"</h2>
            <p>"The page carries a Content-Security-Policy that lets the browser connect only to the site it came from, and run only the app's own script and WebAssembly:"</p>
            <pre id="csp-policy"><code>{policy}</code></pre>
            <p>"An end-to-end test records every request of a full session (loading, uploading, navigating, exporting) and fails if any of them leaves the page's origin."</p>
        </section>
    }
}
