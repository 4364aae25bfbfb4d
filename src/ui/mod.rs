//! The leptos front end: thin, renders engine results.

use leptos::prelude::*;

/// Mounts the app on `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| view! { <p>"Loading…"</p> });
}
