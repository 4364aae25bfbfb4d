//! The leptos front end: thin, renders engine results. Routes live in `routes/`,
//! reusable pieces in `components/`, shared state in `state.rs`, the
//! data worker that owns a streamed load in `owner.rs`.

pub mod app;
pub mod browser;
pub mod components;
pub mod owner;
pub mod routes;
pub mod state;

use crate::display::query::ViewQuery;

/// Mounts the app on `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

/// An app route with the current filter query kept, so drill-downs keep the view.
pub fn link(path: &str, query: &ViewQuery) -> String {
    let qs = query.to_query_string();
    if qs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{qs}")
    }
}

/// A route path segment for an id (percent-encoded).
pub fn id_path(prefix: &str, id: &str) -> String {
    format!("{prefix}/{}", crate::display::query::encode(id))
}
