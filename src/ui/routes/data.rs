//! `/data`: upload, pending files, the loaded files' reports (counts, detected format,
//! mapping, rejected rows), the rejected-rows download and the workspace export.

use leptos::prelude::*;

use crate::data::ingest::FileReport;
use crate::display::export::{rejected_rows_csv, workspace_export_json};
use crate::ui::browser::download;
use crate::ui::components::export::export_context;
use crate::ui::components::remember::RememberControls;
use crate::ui::components::upload::Upload;
use crate::ui::state::use_app;

/// One loaded file's report.
#[component]
fn FileReportView(report: FileReport) -> impl IntoView {
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
    let issues = report
        .issues
        .iter()
        .map(|i| {
            view! {
                <tr data-issue-line=i.line>
                    <td>{i.file.clone()}</td>
                    <td>{i.line}</td>
                    <td>{i.column.clone().unwrap_or_default()}</td>
                    <td><code>{i.raw_value.clone()}</code></td>
                    <td>{i.reason()}{if i.row_rejected { " (row rejected)" } else { " (value dropped)" }}</td>
                </tr>
            }
        })
        .collect_view();
    let notices = report
        .notices
        .iter()
        .map(|n| view! { <p class="notice">{n.clone()}</p> })
        .collect_view();
    let has_issues = !report.issues.is_empty();
    view! {
        <article class="panel file-report" data-file-report=report.file_name.clone()>
            <h3>{report.file_name.clone()}</h3>
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
            {has_issues.then(|| view! {
                <div class="table-wrap"><table class="issues">
                    <caption>{format!("Rejected rows and values in {}", report.file_name)}</caption>
                    <thead><tr>
                        <th scope="col">"File"</th><th scope="col">"Line"</th><th scope="col">"Column"</th>
                        <th scope="col">"Raw value"</th><th scope="col">"Reason"</th>
                    </tr></thead>
                    <tbody>{issues}</tbody>
                </table></div>
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
                let reports = state.reports.get();
                if reports.is_empty() {
                    view! { <p class="muted">{move || if state.is_demo.get() { "Showing the demo dataset. Upload files to analyse your own data." } else { "No files loaded." }}</p> }.into_any()
                } else {
                    reports.into_iter().map(|r| view! { <FileReportView report=r/> }).collect_view().into_any()
                }
            }}
        </section>
    }
}
