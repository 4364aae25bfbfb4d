//! Export buttons: a table as CSV, a chart as SVG or PNG. Each file names the settings and
//! date range it was computed with ([`ExportContext`]). Downloads are Blob/object URLs:
//! nothing leaves the browser.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use crate::charts::{svg_file, Chart};
use crate::display::export::{table_csv, ExportCell, ExportContext};
use crate::ui::browser::{create_element, download, js_error, object_url, save_url};
use crate::ui::state::AppState;

use super::table::Cell;

/// The export context of the current view (settings, date range, filters).
pub fn export_context(state: &AppState) -> ExportContext {
    let query = state.query.get_untracked();
    let span = state.span.get_untracked();
    state
        .settings
        .with_untracked(|s| ExportContext::new(s, &query, span))
}

/// A file name from a title: lowercase ASCII words joined by `-`.
pub fn file_stem(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "export".into()
    } else {
        words.join("-")
    }
}

fn export_cell(cell: &Cell) -> ExportCell {
    match cell {
        Cell::Text(t) | Cell::Link { text: t, .. } => ExportCell::Text(t.clone()),
        Cell::Kpi { value, .. } => ExportCell::Number(value.value()),
        Cell::Number { value, .. } => ExportCell::Number(*value),
    }
}

/// "Export CSV" for a table: its caption and headers, raw numbers (ratios as fractions).
#[component]
pub fn TableCsvButton(
    #[prop(into)] caption: String,
    headers: Vec<&'static str>,
    #[prop(into)] rows: Signal<Vec<Vec<Cell>>>,
) -> impl IntoView {
    let state = use_context::<AppState>();
    let label = format!("Export “{caption}” as CSV");
    let click = move |_| {
        let Some(state) = state else { return };
        let context = export_context(&state);
        let cells: Vec<Vec<ExportCell>> = rows.with_untracked(|rows| {
            rows.iter()
                .map(|r| r.iter().map(export_cell).collect())
                .collect()
        });
        let csv = table_csv(&context, &headers, &cells);
        if let Err(e) = download(&format!("{}.csv", file_stem(&caption)), "text/csv", &csv) {
            state.load_error.set(Some(e));
        }
    };
    view! {
        <button type="button" class="export export-csv" aria-label=label on:click=click>"CSV"</button>
    }
}

/// "SVG" and "PNG" downloads of a chart.
#[component]
pub fn ChartExportButtons(chart: Chart, #[prop(into)] title: String) -> impl IntoView {
    let state = use_context::<AppState>();
    let provenance = move || {
        state
            .map(|s| export_context(&s).one_line())
            .unwrap_or_default()
    };
    let stem = file_stem(&title);
    let (svg_chart, svg_stem) = (chart.clone(), stem.clone());
    let save_svg = move |_| {
        let svg = svg_file(&svg_chart, &provenance());
        if let Err(e) = download(&format!("{svg_stem}.svg"), "image/svg+xml", &svg) {
            report(state, e);
        }
    };
    let save_png = move |_| {
        let footer = provenance();
        let svg = svg_file(&chart, &footer);
        if let Err(e) = download_png(&format!("{stem}.png"), &svg, &footer) {
            report(state, e);
        }
    };
    view! {
        <div class="chart-export">
            <button type="button" class="export export-svg" aria-label=format!("Download “{title}” as SVG") on:click=save_svg>"SVG"</button>
            <button type="button" class="export export-png" aria-label=format!("Download “{title}” as PNG") on:click=save_png>"PNG"</button>
        </div>
    }
}

fn report(state: Option<AppState>, error: String) {
    if let Some(s) = state {
        s.load_error.set(Some(error));
    }
}

/// Chart files are 640×320 (see [`svg_file`]); PNGs are drawn at twice that, with a
/// footer strip holding the settings line.
const PNG_SCALE: f64 = 2.0;
const CHART_SIZE: (f64, f64) = (640.0, 320.0);
const FOOTER_HEIGHT: f64 = 24.0;

/// Renders the SVG into a canvas (through an object URL, never the network) and downloads
/// it as PNG once the image has loaded.
fn download_png(file_name: &str, svg: &str, footer: &str) -> Result<(), String> {
    let url = object_url("image/svg+xml", svg)?;
    let image = web_sys::HtmlImageElement::new().map_err(js_error)?;
    let src = url.clone();
    let (file_name, footer, loaded) = (file_name.to_owned(), footer.to_owned(), image.clone());
    let onload = Closure::once(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
        let _ = draw_and_save(&loaded, &file_name, &footer);
    });
    image.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    image.set_src(&src);
    Ok(())
}

fn draw_and_save(
    image: &web_sys::HtmlImageElement,
    file_name: &str,
    footer: &str,
) -> Result<(), String> {
    let canvas: web_sys::HtmlCanvasElement = create_element("canvas")?;
    let (width, height) = CHART_SIZE;
    canvas.set_width((width * PNG_SCALE) as u32);
    canvas.set_height(((height + FOOTER_HEIGHT) * PNG_SCALE) as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_error)?
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| "not a 2d context".to_string())?;
    context.scale(PNG_SCALE, PNG_SCALE).map_err(js_error)?;
    context.set_fill_style_str("#ffffff");
    context.fill_rect(0.0, 0.0, width, height + FOOTER_HEIGHT);
    context
        .draw_image_with_html_image_element_and_dw_and_dh(image, 0.0, 0.0, width, height)
        .map_err(js_error)?;
    context.set_fill_style_str("#374151");
    context.set_font("10px sans-serif");
    context
        .fill_text_with_max_width(footer, 6.0, height + 16.0, width - 12.0)
        .map_err(js_error)?;
    let data_url = canvas.to_data_url().map_err(js_error)?;
    save_url(&data_url, file_name)
}
