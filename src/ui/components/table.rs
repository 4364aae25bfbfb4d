//! Data tables with a caption, column headers and optional sorting by clicking header
//! buttons. KPI cells render through [`KpiValueView`] so their hooks are always right.

use std::cmp::Ordering;

use leptos::prelude::*;

use crate::metrics::engine::{Coverage, KpiSet, KpiValue};
use crate::metrics::registry::{KpiDef, KpiId};

use super::export::TableCsvButton;
use super::kpi::KpiValueView;

/// One table cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// A link to an app route.
    Link {
        text: String,
        href: String,
    },
    /// A KPI value with its hooks.
    Kpi {
        def: &'static KpiDef,
        value: KpiValue,
        group: Option<String>,
        coverage: Option<Coverage>,
    },
    /// A plain number with its display text (sorts by the number).
    Number {
        value: Option<f64>,
        text: String,
    },
}

impl Cell {
    /// A KPI cell from a set of values.
    pub fn kpi(id: KpiId, set: &KpiSet, group: Option<String>) -> Cell {
        Cell::Kpi {
            def: id.def(),
            value: set.get(id),
            group,
            coverage: set.coverage(id),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Cell::Kpi { value, .. } => value.value(),
            Cell::Number { value, .. } => *value,
            _ => None,
        }
    }

    fn text(&self) -> &str {
        match self {
            Cell::Text(t) | Cell::Link { text: t, .. } | Cell::Number { text: t, .. } => t,
            Cell::Kpi { .. } => "",
        }
    }

    /// Orders numbers before missing values and texts alphabetically.
    fn compare(&self, other: &Cell) -> Ordering {
        match (self.number(), other.number()) {
            (Some(a), Some(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => self.text().to_lowercase().cmp(&other.text().to_lowercase()),
        }
    }

    fn into_view(self) -> AnyView {
        match self {
            Cell::Text(t) => t.into_any(),
            Cell::Link { text, href } => view! { <a href=href>{text}</a> }.into_any(),
            Cell::Kpi {
                def,
                value,
                group,
                coverage,
            } => view! { <KpiValueView def=def value=value group=group coverage=coverage/> }
                .into_any(),
            Cell::Number { text, .. } => view! { <span class="num">{text}</span> }.into_any(),
        }
    }
}

/// A table of rows of cells. With `sortable`, each header is a button that sorts by
/// its column (click again to reverse).
#[component]
pub fn DataTable(
    #[prop(into)] caption: String,
    headers: Vec<&'static str>,
    #[prop(into)] rows: Signal<Vec<Vec<Cell>>>,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] sortable: bool,
    /// Shown instead of the table body when there are no rows.
    #[prop(optional, into)]
    empty_text: Option<String>,
) -> impl IntoView {
    let sort = RwSignal::new(None::<(usize, bool)>);
    let sorted = move || {
        let mut rows = rows.get();
        if let Some((col, ascending)) = sort.get() {
            rows.sort_by(|a, b| {
                let o = match (a.get(col), b.get(col)) {
                    (Some(x), Some(y)) => x.compare(y),
                    _ => Ordering::Equal,
                };
                if ascending {
                    o
                } else {
                    o.reverse()
                }
            });
        }
        rows
    };
    let export =
        view! { <TableCsvButton caption=caption.clone() headers=headers.clone() rows=rows/> };
    let columns = headers.len();
    let header_cells = headers
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let aria_sort = move || match sort.get() {
                Some((c, true)) if c == i => "ascending",
                Some((c, false)) if c == i => "descending",
                _ => "none",
            };
            if sortable {
                let click = move |_| {
                    sort.update(|s| {
                        *s = match *s {
                            Some((c, asc)) if c == i => Some((c, !asc)),
                            _ => Some((i, i == 0)),
                        }
                    })
                };
                view! {
                    <th scope="col" aria-sort=aria_sort>
                        <button type="button" class="sort" on:click=click>{h}</button>
                    </th>
                }
                .into_any()
            } else {
                view! { <th scope="col">{h}</th> }.into_any()
            }
        })
        .collect_view();
    let empty = empty_text.unwrap_or_else(|| "No rows in this selection.".into());
    view! {
        <div class="table-wrap">
            {export}
            <table id=id>
                <caption>{caption}</caption>
                <thead><tr>{header_cells}</tr></thead>
                <tbody>
                    {move || {
                        let rows = sorted();
                        if rows.is_empty() {
                            return view! {
                                <tr><td colspan=columns class="empty">{empty.clone()}</td></tr>
                            }
                            .into_any();
                        }
                        rows.into_iter()
                            .map(|row| {
                                let cells = row
                                    .into_iter()
                                    .map(|c| view! { <td>{c.into_view()}</td> })
                                    .collect_view();
                                view! { <tr>{cells}</tr> }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}
