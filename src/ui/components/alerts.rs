//! Alert summary counts and alert lists grouped by severity.

use leptos::prelude::*;

use crate::metrics::alerts::{Alert, AlertRule, Severity};
use crate::ui::state::use_app;

/// Every severity in display order with its label.
pub const SEVERITIES: [(Severity, &str, &str); 3] = [
    (Severity::Critical, "critical", "Critical"),
    (Severity::Warning, "warning", "Warning"),
    (Severity::Success, "success", "Success"),
];

/// snake_case name of a rule (the `data-alert-rule` hook).
pub fn rule_name(rule: AlertRule) -> String {
    serde_json::to_value(rule)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `#alert-summary`: counts per severity, linking to the alerts view.
#[component]
pub fn AlertSummary() -> impl IntoView {
    let state = use_app();
    let items = SEVERITIES
        .iter()
        .map(|&(sev, key, label)| {
            let count = move || state.alert_count(sev);
            view! {
                <li class=format!("severity-{key}") data-severity-count=key data-count=count>
                    <a href="/alerts">
                        <span class="count">{count}</span>
                        " " {label}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="alert-summary-title">
            <h2 id="alert-summary-title">"Alerts"</h2>
            <ul id="alert-summary" class="alert-summary">{items}</ul>
        </section>
    }
}

/// One alert, linking to its subject.
#[component]
pub fn AlertItem(alert: Alert) -> impl IntoView {
    let subject = match &alert.subject {
        crate::metrics::alerts::Subject::Campaign(id) => format!("Campaign {id}"),
        crate::metrics::alerts::Subject::Platform(id) => format!("Platform {id}"),
        crate::metrics::alerts::Subject::Creator(id) => format!("Creator {id}"),
        crate::metrics::alerts::Subject::Post(id) => format!("Post {id}"),
    };
    view! {
        <li class="alert" data-alert-rule=rule_name(alert.rule)>
            <p>{alert.message}</p>
            <a href=alert.link>{subject}</a>
        </li>
    }
}
