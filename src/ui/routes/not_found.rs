//! The "not found" view for unknown paths.

use leptos::prelude::*;

/// Not found, with a link home.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page at this address. " <a href="/">"Go to the Executive Summary"</a></p>
    }
}
