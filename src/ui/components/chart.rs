//! Renders a [`Chart`]: a titled figure with the SVG (role="img", aria-label summary)
//! and a `<details>` text-alternative table.

use leptos::prelude::*;

use crate::charts::Chart;

use super::export::ChartExportButtons;

/// One chart figure.
#[component]
pub fn ChartView(chart: Chart, #[prop(into)] title: String) -> impl IntoView {
    let export = view! { <ChartExportButtons chart=chart.clone() title=title.clone()/> };
    let Chart {
        svg,
        summary,
        table,
    } = chart;
    let mut rows = table.into_iter();
    let header = rows.next().unwrap_or_default();
    let body: Vec<Vec<String>> = rows.collect();
    let header_cells = header
        .into_iter()
        .map(|h| view! { <th scope="col">{h}</th> })
        .collect_view();
    let body_rows = body
        .into_iter()
        .map(|r| {
            let cells = r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            {export}
            // Focusable: on a phone the drawing scrolls sideways inside this box.
            <div class="chart-svg" role="img" tabindex="0" aria-label=summary inner_html=svg></div>
            <details>
                <summary>"Show the data as a table"</summary>
                <div class="table-wrap">
                    <table>
                        <caption>{title}</caption>
                        <thead><tr>{header_cells}</tr></thead>
                        <tbody>{body_rows}</tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}
