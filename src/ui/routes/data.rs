//! `/data`: upload, pending files, the loaded files' reports (counts, detected format,
//! mapping, rejected rows), the rejected-rows download and the workspace export.

use leptos::prelude::*;

use crate::data::ingest::{FileReport, Issue};
use crate::data::loader::{group_thousands, MAX_ISSUES};
use crate::display::export::{rejected_rows_csv, workspace_export_json};
use crate::ui::browser::download;
use crate::ui::components::export::export_context;
use crate::ui::components::remember::RememberControls;
use crate::ui::components::upload::Upload;
use crate::ui::state::use_app;

/// Issues shown per page of a file's issues list.
pub const ISSUES_PER_PAGE: usize = 100;

/// `issues 1–100 of 150,000`: the range of page `page` (0-based) of `total` issues.
fn issues_range(page: usize, total: usize) -> (usize, usize, String) {
    let first = (page * ISSUES_PER_PAGE + 1).min(total);
    let last = ((page + 1) * ISSUES_PER_PAGE).min(total);
    let text = format!(
        "issues {}–{} of {}",
        group_thousands(first),
        group_thousands(last),
        group_thousands(total)
    );
    (first, last, text)
}

/// A copy of `report` with no issues (they stay in the state, read a page at a time).
fn without_issues(report: &FileReport) -> FileReport {
    FileReport {
        file_name: report.file_name.clone(),
        detection: report.detection.clone(),
        rows_read: report.rows_read,
        rows_used: report.rows_used,
        rows_rejected: report.rows_rejected,
        issues: Vec::new(),
        notices: report.notices.clone(),
        currency: report.currency.clone(),
    }
}

/// One issue's row.
fn issue_row(i: Issue) -> impl IntoView {
    view! {
        <tr data-issue-line=i.line>
            <td>{i.file.clone()}</td>
            <td>{i.line}</td>
            <td>{i.column.clone().unwrap_or_default()}</td>
            <td><code>{i.raw_value.clone()}</code></td>
            <td>{i.reason()}{if i.row_rejected { " (row rejected)" } else { " (value dropped)" }}</td>
        </tr>
    }
}

/// One file's report: `report` without its issues, which are read a page at a time
/// from report `index` of the state (a list of 150,000 issues renders 100 rows).
#[component]
fn FileReportView(index: usize, report: FileReport, issue_count: usize) -> impl IntoView {
    let state = use_app();
    let mapping = report
        .detection
        .mapping
        .iter()
        .map(|m| {
            view! {
                <tr><td>{m.source.clone()}</td><td>{m.target.clone().unwrap_or_else(|| "(ignored)".into())}</td></tr>
            }
        })
        .collect_view();
    let notices = report
        .notices
        .iter()
        .map(|n| view! { <p class="notice">{n.clone()}</p> })
        .collect_view();
    let page = RwSignal::new(0usize);
    let pages = issue_count.div_ceil(ISSUES_PER_PAGE).max(1);
    let rows = move || {
        let start = page.get() * ISSUES_PER_PAGE;
        state
            .reports
            .with(|reports| {
                reports.get(index).map_or_else(Vec::new, |r| {
                    let end = (start + ISSUES_PER_PAGE).min(r.issues.len());
                    r.issues.get(start..end).unwrap_or_default().to_vec()
                })
            })
            .into_iter()
            .map(issue_row)
            .collect_view()
    };
    let range = move || issues_range(page.get(), issue_count);
    let at_last_page = move || page.get() + 1 >= pages;
    let capped = issue_count >= MAX_ISSUES;
    // A file refused because every row was rejected: its report lists them all.
    let refused = report.rows_used == 0;
    view! {
        <article class="panel file-report" data-file-report=report.file_name.clone() data-file-refused=refused.then_some("true")>
            <h3>{report.file_name.clone()}</h3>
            {refused.then(|| view! {
                <p class="notice" data-refused-note>"Not loaded: every row was rejected. Each one is listed below and in the rejected-rows download."</p>
            })}
            <p class="format">{format!("Format: {} · table: {} · encoding: {}", report.detection.format_name, report.detection.kind.name(), report.detection.encoding)}</p>
            <ul class="counts">
                <li data-rows-read=report.rows_read>{format!("{} rows read", report.rows_read)}</li>
                <li data-rows-used=report.rows_used>{format!("{} used", report.rows_used)}</li>
                <li data-rows-rejected=report.rows_rejected>{format!("{} rejected", report.rows_rejected)}</li>
            </ul>
            {notices}
            <details>
                <summary>"Column mapping"</summary>
                <div class="table-wrap"><table>
                    <caption>{format!("Mapping of {}", report.file_name)}</caption>
                    <thead><tr><th scope="col">"Column in the file"</th><th scope="col">"Canonical column"</th></tr></thead>
                    <tbody>{mapping}</tbody>
                </table></div>
            </details>
            {(issue_count > 0).then(|| view! {
                <div class="table-wrap"><table class="issues">
                    <caption>{format!("Rejected rows and values in {}", report.file_name)}</caption>
                    <thead><tr>
                        <th scope="col">"File"</th><th scope="col">"Line"</th><th scope="col">"Column"</th>
                        <th scope="col">"Raw value"</th><th scope="col">"Reason"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
                <nav class="issues-pager" aria-label=format!("Pages of the issues of {}", report.file_name)
                    data-issues-pager data-issues-total=issue_count data-issues-pages=pages
                    data-issues-cap=capped.then_some(MAX_ISSUES)>
                    <button type="button" data-issues-prev
                        prop:disabled=move || page.get() == 0
                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous 100"</button>
                    <span data-issues-range aria-live="polite"
                        data-issues-first=move || range().0
                        data-issues-last=move || range().1>{move || range().2}</span>
                    <button type="button" data-issues-next
                        prop:disabled=at_last_page
                        on:click=move |_| page.update(|p| *p = (*p + 1).min(pages - 1))>"Next 100"</button>
                </nav>
                {capped.then(|| view! {
                    <p class="notice" data-issues-capped>{format!(
                        "Only the first {} issues of a file are kept (a bound on memory); the notice above counts the rest.",
                        group_thousands(MAX_ISSUES)
                    )}</p>
                })}
            })}
        </article>
    }
}

/// The data view.
#[component]
pub fn DataPage() -> impl IntoView {
    let state = use_app();
    let download_rejected = move |_| {
        let csv = state
            .reports
            .with_untracked(|r| rejected_rows_csv(&export_context(&state), r));
        if let Err(e) = download("rejected-rows.csv", "text/csv", &csv) {
            state.load_error.set(Some(e));
        }
    };
    let export_workspace = move |_| {
        let context = export_context(&state);
        leptos::task::spawn_local(async move {
            let exported = state.document().await.and_then(|document| {
                let json = workspace_export_json(&context, &document);
                download("workspace.json", "application/json", &json)
            });
            if let Err(e) = exported {
                state.load_error.set(Some(e));
            }
        });
    };
    let summary = move || {
        state.outline.with(|o| {
            format!(
                "{} posts, {} campaigns, {} creators, {} assets, {} comments in the workspace.",
                o.posts, o.campaigns, o.creators, o.assets, o.comments
            )
        })
    };
    let undated = move || state.outline.with(|o| o.undated_posts);
    view! {
        <h1>"Data"</h1>
        <p>"Files are read and computed in this browser; nothing is uploaded to a server."</p>
        <Upload/>
        <RememberControls/>
        <section class="panel" aria-labelledby="loaded-title">
            <h2 id="loaded-title">"Loaded data"</h2>
            <p>{summary}</p>
            {move || (undated() > 0).then(|| view! {
                <p class="notice">{format!("{} posts have no date: they count in totals but stay out of period views and trends.", undated())}</p>
            })}
            <div class="actions">
                <button id="download-rejected" type="button" on:click=download_rejected>"Download rejected rows (CSV)"</button>
                <button id="export-workspace" type="button" on:click=export_workspace>"Export workspace (JSON)"</button>
            </div>
            {move || {
                // Each report without its issues (the view reads its issues a page at a time).
                let reports: Vec<(FileReport, usize)> = state.reports.with(|rs| {
                    rs.iter()
                        .map(|r| (without_issues(r), r.issues.len()))
                        .collect()
                });
                if reports.is_empty() {
                    view! { <p class="muted">{move || if state.is_demo.get() { "Showing the demo dataset. Upload files to analyse your own data." } else { "No files loaded." }}</p> }.into_any()
                } else {
                    reports
                        .into_iter()
                        .enumerate()
                        .map(|(index, (r, issue_count))| view! { <FileReportView index=index report=r issue_count=issue_count/> })
                        .collect_view()
                        .into_any()
                }
            }}
        </section>
    }
}
