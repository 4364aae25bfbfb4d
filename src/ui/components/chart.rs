//! Renders a [`Chart`] as leptos `<svg>` views laid out at its container's width (a
//! `ResizeObserver` re-lays it out), coloured by CSS classes that read CSS variables (so dark
//! mode and print follow), with the legend in HTML, every bar and point focusable (roving
//! tabindex, arrow keys) with a tooltip of its value and share on hover and on focus, and a
//! `<details>` text-alternative table. Text is laid out from character counts, never
//! measured, so drawing forces no layout.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use leptos::__reexports::send_wrapper::SendWrapper;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use crate::charts::model::{Placed, Swatch};
use crate::charts::{points_attr, px, Chart, Frame, Model};

use super::export::ChartExportButtons;

/// The width a chart starts at before its container has been seen.
const DEFAULT_WIDTH: f64 = 480.0;

thread_local! {
    /// The last width each chart (by title) was laid out at: a chart rebuilt on a filter
    /// change starts there, so the resize observer's first report changes nothing.
    static WIDTHS: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::new());
}

/// One chart figure: caption, export buttons, HTML legend, the drawing, the data table.
#[component]
pub fn ChartView(chart: Chart, #[prop(into)] title: String) -> impl IntoView {
    let export = view! { <ChartExportButtons chart=chart.clone() title=title.clone()/> };
    let Chart {
        model,
        summary,
        table,
    } = chart;
    let model = Arc::new(model);
    let start = WIDTHS
        .with(|w| w.borrow().get(&title).copied())
        .unwrap_or(DEFAULT_WIDTH);
    let width = RwSignal::new(start);
    let host = NodeRef::<Div>::new();
    observe_width(host, width, title.clone());
    let layout_model = model.clone();
    let frame = Memo::new(move |_| layout_model.layout(width.get(), false));
    let active = RwSignal::new(None::<usize>);
    let tab = RwSignal::new(0_usize);

    let legend = legend(&model);
    let draw_model = model.clone();
    let drawing = move || frame.with(|f| draw(f, &draw_model, active, tab, host));
    let tip_model = model;
    let tip = move || {
        let index = active.get()?;
        frame.with(|f| tooltip(f, &tip_model, index))
    };

    let mut rows = table.into_iter();
    let header = rows.next().unwrap_or_default();
    let body: Vec<Vec<String>> = rows.collect();
    let header_cells = header
        .into_iter()
        .map(|h| view! { <th scope="col">{h}</th> })
        .collect_view();
    // The rows are built when the table is opened: a closed `<details>` shows nothing, and
    // a chart rebuilt on each filter change then builds no hidden rows (hundreds of
    // creators on the scatter plot).
    let open = RwSignal::new(false);
    let body_rows = move || {
        open.get().then(|| {
            body.iter()
                .map(|r| {
                    let cells = r
                        .iter()
                        .map(|c| view! { <td>{c.clone()}</td> })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view()
        })
    };
    let on_toggle = move |event: web_sys::Event| {
        let element = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        open.set(element.is_some_and(|e| e.has_attribute("open")));
    };
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            {export}
            {legend}
            <div class="chart-svg" node_ref=host role="group" aria-label=summary>
                {drawing}
                {tip}
            </div>
            <details on:toggle=on_toggle>
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

/// The HTML legend, when the chart has two or more series.
fn legend(model: &Model) -> Option<impl IntoView> {
    let plot = model.plot.as_ref().filter(|p| p.series.len() > 1)?;
    let items = plot
        .series
        .iter()
        .map(|s| {
            let look = match s.swatch {
                Swatch::Box => "box",
                Swatch::Shade => "shade",
                Swatch::Line => "line",
                Swatch::Dot => "dot",
            };
            let class = format!("chart-swatch {look} {}", s.color.class());
            view! { <li><span class=class aria-hidden="true"></span>{s.name.clone()}</li> }
        })
        .collect_view();
    Some(view! { <ul class="chart-legend" aria-label="Legend">{items}</ul> })
}

/// Reports the host's width into `width` whenever it changes (and remembers it by title).
fn observe_width(host: NodeRef<Div>, width: RwSignal<f64>, title: String) {
    Effect::new(move |_| {
        let Some(element) = host.get() else {
            return;
        };
        let target = element.clone();
        let title = title.clone();
        // Called after layout: reading the width here forces none.
        let callback = Closure::<dyn FnMut()>::new(move || {
            let measured = f64::from(target.client_width());
            let current = width.try_get_untracked().unwrap_or(measured);
            if measured > 0.0 && (measured - current).abs() >= 1.0 {
                WIDTHS.with(|w| w.borrow_mut().insert(title.clone(), measured));
                width.try_set(measured);
            }
        });
        let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) else {
            return;
        };
        observer.observe(&element);
        let held = SendWrapper::new((observer, callback));
        on_cleanup(move || held.0.disconnect());
    });
}

/// The `<svg>` of a laid-out chart: grid, bands, axes and lines (hidden from assistive
/// technology), focusable marks, then the texts.
fn draw(
    frame: &Frame,
    model: &Model,
    active: RwSignal<Option<usize>>,
    tab: RwSignal<usize>,
    host: NodeRef<Div>,
) -> impl IntoView {
    let (w, h) = (px(frame.width), px(frame.height));
    let segment = |class: &'static str, s: &crate::charts::model::Segment| {
        view! {
            <line class=class x1=px(s.from.0) y1=px(s.from.1) x2=px(s.to.0) y2=px(s.to.1)/>
        }
    };
    let grid = frame
        .grid
        .iter()
        .map(|s| segment("chart-grid", s))
        .collect_view();
    let axes = frame
        .axes
        .iter()
        .map(|s| segment("chart-axis", s))
        .collect_view();
    let bands = frame
        .bands
        .iter()
        .map(|(r, color)| {
            let class = format!("chart-shade {}", color.class());
            view! { <rect class=class x=px(r.x) y=px(r.y) width=px(r.w) height=px(r.h)/> }
        })
        .collect_view();
    let lines = frame
        .lines
        .iter()
        .map(|(points, color)| {
            let class = format!("chart-line {}", color.class());
            view! { <polyline class=class points=points_attr(points)/> }
        })
        .collect_view();
    let texts = frame
        .texts
        .iter()
        .map(|t| {
            let transform = t
                .vertical
                .then(|| format!("rotate(-90 {} {})", px(t.x), px(t.y)));
            view! {
                <text class=t.kind.class() x=px(t.x) y=px(t.y) text-anchor=t.anchor.svg()
                    font-size=px(t.size) transform=transform>{t.text.clone()}</text>
            }
        })
        .collect_view();
    let count = frame.marks.len();
    // One tab stop (the last focused mark, else the first); listeners are delegated to
    // the marks' group, so a mark costs one element and its attributes.
    let stop = tab.get_untracked().min(count.saturating_sub(1));
    let marks = frame
        .marks
        .iter()
        .map(|placed| {
            let index = placed.index;
            let name = model
                .plot
                .as_ref()
                .and_then(|p| p.marks.get(index))
                .map(|m| m.accessible_name())
                .unwrap_or_default();
            let class = format!("chart-mark {}", placed.color.class());
            let tabindex = if index == stop { "0" } else { "-1" };
            match placed.shape {
                Placed::Rect(r) => view! {
                    <rect class=class data-mark=index.to_string() role="img" aria-label=name
                        tabindex=tabindex x=px(r.x) y=px(r.y) width=px(r.w) height=px(r.h)/>
                }
                .into_any(),
                Placed::Circle { cx, cy, r } => view! {
                    <circle class=class data-mark=index.to_string() role="img" aria-label=name
                        tabindex=tabindex cx=px(cx) cy=px(cy) r=px(r)/>
                }
                .into_any(),
            }
        })
        .collect_view();
    let focus = move |ev: web_sys::FocusEvent| {
        let Some((element, index)) = mark_of(&ev) else {
            return;
        };
        // Roving tab stop: the focused mark becomes the chart's only one.
        if let Some(previous) = element
            .parent_element()
            .and_then(|group| group.query_selector("[tabindex=\"0\"]").ok().flatten())
        {
            let _ = previous.set_attribute("tabindex", "-1");
        }
        let _ = element.set_attribute("tabindex", "0");
        tab.set(index);
        active.set(Some(index));
    };
    let hover = move |ev: web_sys::MouseEvent| {
        if let Some((_, index)) = mark_of(&ev) {
            active.set(Some(index));
        }
    };
    let key = move |ev: web_sys::KeyboardEvent| {
        let Some((_, index)) = mark_of(&ev) else {
            return;
        };
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" => (index + 1).min(count.saturating_sub(1)),
            "ArrowLeft" | "ArrowUp" => index.saturating_sub(1),
            "Home" => 0,
            "End" => count.saturating_sub(1),
            "Escape" => {
                active.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        focus_mark(host, next);
    };
    let marks = view! {
        <g class="chart-marks" on:focusin=focus on:focusout=move |_| active.set(None)
            on:mouseover=hover on:mouseout=move |_| active.set(None) on:keydown=key>
            {marks}
        </g>
    };
    view! {
        <svg class="chart-plot" width=w.clone() height=h.clone() viewBox=format!("0 0 {w} {h}")>
            <g aria-hidden="true">{grid}{bands}{axes}{lines}</g>
            {marks}
            <g class="chart-texts" aria-hidden="true">{texts}</g>
        </svg>
    }
}

/// The mark an event happened on, and its index.
fn mark_of(ev: &web_sys::Event) -> Option<(web_sys::Element, usize)> {
    let element = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let index = element.get_attribute("data-mark")?.parse().ok()?;
    Some((element, index))
}

/// Moves keyboard focus to mark `index` of the chart in `host`.
fn focus_mark(host: NodeRef<Div>, index: usize) {
    let Some(host) = host.get_untracked() else {
        return;
    };
    let selector = format!("[data-mark=\"{index}\"]");
    if let Some(mark) = host
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok())
    {
        let _ = mark.focus();
    }
}

/// The tooltip of mark `index`: its label, value and share, above the mark.
fn tooltip(frame: &Frame, model: &Model, index: usize) -> Option<impl IntoView> {
    let placed = frame.marks.iter().find(|m| m.index == index)?;
    let mark = model.plot.as_ref()?.marks.get(index)?;
    // Near an edge the tooltip hangs inwards from the mark; near the top it goes below.
    let (tip_x, tip_y) = placed.tip;
    let (x, side) = if tip_x < frame.width * 0.3 {
        ((tip_x - 16.0).max(0.0), "start")
    } else if tip_x > frame.width * 0.7 {
        ((tip_x + 16.0).min(frame.width), "end")
    } else {
        (tip_x, "middle")
    };
    let (y, below) = if tip_y < 72.0 {
        (tip_y + 14.0, " below")
    } else {
        (tip_y, "")
    };
    let class = format!("chart-tip {side}{below}");
    let share = (!mark.share.is_empty())
        .then(|| view! { <span class="chart-tip-share">{mark.share.clone()}</span> });
    Some(view! {
        <div class=class role="tooltip" style:left=format!("{}px", px(x))
            style:top=format!("{}px", px(y))>
            <strong>{mark.label.clone()}</strong>
            <span class="chart-tip-value">{mark.value.clone()}</span>
            {share}
        </div>
    })
}
