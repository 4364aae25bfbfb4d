//! `/alerts`: alerts grouped by severity, each linking to its subject.

use leptos::prelude::*;

use crate::ui::components::alerts::{AlertItem, SEVERITIES};
use crate::ui::state::use_app;

use super::EmptyState;

/// What the alerts view needs.
const NEEDS_ALERTS: &str = "Load a posts file with dates (alerts compare each period with its targets and the one before, per campaign and creator)";

/// The alerts view.
#[component]
pub fn AlertsPage() -> impl IntoView {
    let state = use_app();
    let sections = move || {
        SEVERITIES
        .iter()
        .map(|&(sev, key, label)| {
            let items = move || {
                let list: Vec<_> = state.alerts.with(|a| a.iter().filter(|x| x.severity == sev).cloned().collect());
                let list = crate::ui::components::alerts::new_first(list);
                if list.is_empty() {
                    view! { <p class="empty">{format!("No {} alerts in this selection.", label.to_lowercase())}</p> }.into_any()
                } else {
                    view! { <ul class="alert-list">{list.into_iter().map(|(a, is_new)| view! { <AlertItem alert=a is_new=is_new/> }).collect_view()}</ul> }.into_any()
                }
            };
            let title_id = format!("sev-{key}");
            let label_id = title_id.clone();
            view! {
                <section class=format!("panel severity-{key}") data-severity=key aria-labelledby=label_id>
                    <h2 id=title_id>{label} " (" {move || state.alert_count(sev)} ")"</h2>
                    {items}
                </section>
            }
        })
        .collect_view()
    };
    let has_data = move || state.outline.with(|o| o.posts > 0);
    view! {
        <h1>"Alerts"</h1>
        <Show when=has_data fallback=|| view! { <EmptyState what="for alerts" needs=NEEDS_ALERTS/> }>
            {sections()}
        </Show>
    }
}
