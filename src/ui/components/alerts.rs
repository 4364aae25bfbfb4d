//! Alert summary counts and alert lists grouped by severity.

use leptos::prelude::*;

use crate::display::alerts::{message, subject_label};
use crate::metrics::alerts::{Alert, AlertRule, Severity};
use crate::ui::state::use_app;

/// Every severity in display order with its label.
pub const SEVERITIES: [(Severity, &str, &str); 4] = [
    (Severity::Critical, "critical", "Critical"),
    (Severity::Warning, "warning", "Warning"),
    (Severity::Notice, "notice", "Notice"),
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

/// Posts an alert lists as links (the rest are counted).
const SHOWN_POSTS: usize = 10;

/// `alerts` in the order a list shows them: those new since the last read of a
/// watched file first (see [`super::live`]), each with whether it is new (tracked).
pub fn new_first(alerts: Vec<Alert>) -> Vec<(Alert, bool)> {
    super::live::alerts_new_first(alerts)
}

/// One alert, linking to its subject (and to the posts it names, `data-alert-post`).
/// An alert new since the last read of a watched file is marked (`data-new="true"`
/// and a "new" badge).
#[component]
pub fn AlertItem(alert: Alert, #[prop(optional)] is_new: bool) -> impl IntoView {
    let state = use_app();
    let subject = subject_label(&alert.subject);
    // The posts behind the alert (a compliance alert's undisclosed posts), after the
    // subject's link: the first few by id, each opening its campaign with the post.
    let more = alert.posts.len().saturating_sub(SHOWN_POSTS);
    let posts = (!alert.posts.is_empty()).then(|| {
        let items = alert
            .posts
            .iter()
            .take(SHOWN_POSTS)
            .map(|p| view! { <li><a href=p.link.clone() data-alert-post=p.id.clone()>{p.id.clone()}</a></li> })
            .collect_view();
        view! {
            <ul class="alert-posts" data-post-count=alert.posts.len()>
                {items}
                {(more > 0).then(|| view! { <li class="more">{format!("and {more} more")}</li> })}
            </ul>
        }
    });
    let (rule, link) = (alert.rule, alert.link.clone());
    view! {
        <li class="alert" class:alert-new=is_new data-alert-rule=rule_name(rule)
            data-new=is_new.then_some("true")>
            {is_new.then(|| view! { <span class="new-badge">"new"</span> })}
            <p>{move || state.style.with(|style| message(&alert, style))}</p>
            <a href=link>{subject}</a>
            {posts}
        </li>
    }
}
