//! A laid-out chart written as a standalone SVG document (the "SVG" and "PNG" exports).

use super::model::{Frame, Placed, Segment, Swatch};
use super::{escape_xml, Chart};

/// Exported files are this wide (and [`super::model::height_for`] it tall: 320).
pub const EXPORT_WIDTH: f64 = 640.0;
/// Exported text and axes.
const TEXT: &str = "#1F2937";
const AXIS: &str = "#4B5563";
const GRID: &str = "#E5E7EB";
/// Target bands are the band colour at this opacity.
const BAND_OPACITY: &str = "0.2";

/// The chart as an `<svg>` element laid out at `width` px, with its title and legend drawn,
/// a white background, the summary as `aria-label`, and every text escaped.
pub fn to_svg(chart: &Chart, width: f64) -> String {
    let frame = chart.model.layout(width, true);
    let mut out = root_tag(&frame, &chart.model.title, &chart.summary);
    write_body(&mut out, &frame);
    out.push_str("</svg>\n");
    out
}

/// The chart as a standalone `.svg` file for "export chart as SVG": an XML prolog, a fixed
/// 640 px width, and `provenance` (e.g. the settings and date range the numbers were
/// computed with) in a `<desc>` element.
pub fn svg_file(chart: &Chart, provenance: &str) -> String {
    let frame = chart.model.layout(EXPORT_WIDTH, true);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&root_tag(&frame, &chart.model.title, &chart.summary));
    out.push_str(&format!("<desc>{}</desc>\n", escape_xml(provenance)));
    write_body(&mut out, &frame);
    out.push_str("</svg>\n");
    out
}

/// A px number for an attribute: one decimal, never NaN.
pub fn px(value: f64) -> String {
    let value = if value.is_finite() { value } else { 0.0 };
    let text = format!("{value:.1}");
    text.strip_suffix(".0").unwrap_or(&text).to_string()
}

fn root_tag(frame: &Frame, title: &str, summary: &str) -> String {
    let (w, h) = (px(frame.width), px(frame.height));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" \
         height=\"{h}\" role=\"img\" aria-label=\"{}\">\n<title>{}</title>\n",
        escape_xml(summary),
        escape_xml(title)
    )
}

/// One `<line>` of the grid or the axes, in `stroke`.
fn write_line(out: &mut String, line: &Segment, stroke: &str) {
    out.push_str(&format!(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\"/>\n",
        px(line.from.0),
        px(line.from.1),
        px(line.to.0),
        px(line.to.1)
    ));
}

fn write_body(out: &mut String, frame: &Frame) {
    let (w, h) = (px(frame.width), px(frame.height));
    out.push_str(&format!(
        "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#FFFFFF\"/>\n"
    ));
    for line in &frame.grid {
        write_line(out, line, GRID);
    }
    for (rect, color) in &frame.bands {
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" fill-opacity=\"{BAND_OPACITY}\"/>\n",
            px(rect.x),
            px(rect.y),
            px(rect.w),
            px(rect.h),
            color.hex()
        ));
    }
    for line in &frame.axes {
        write_line(out, line, AXIS);
    }
    for (points, color) in &frame.lines {
        out.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n",
            color.hex(),
            points_attr(points)
        ));
    }
    for mark in &frame.marks {
        match mark.shape {
            Placed::Rect(r) => out.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n",
                px(r.x),
                px(r.y),
                px(r.w),
                px(r.h),
                mark.color.hex()
            )),
            Placed::Circle { cx, cy, r } => out.push_str(&format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>\n",
                px(cx),
                px(cy),
                px(r),
                mark.color.hex()
            )),
        }
    }
    for swatch in &frame.swatches {
        let r = swatch.rect;
        let color = swatch.color.hex();
        match swatch.swatch {
            Swatch::Box => out.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{color}\"/>\n",
                px(r.x),
                px(r.y),
                px(r.w),
                px(r.h)
            )),
            Swatch::Shade => out.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{color}\" fill-opacity=\"{BAND_OPACITY}\"/>\n",
                px(r.x),
                px(r.y),
                px(r.w),
                px(r.h)
            )),
            Swatch::Line => out.push_str(&format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{color}\" stroke-width=\"2\"/>\n",
                px(r.x),
                px(r.y + r.h / 2.0),
                px(r.x + r.w),
                px(r.y + r.h / 2.0)
            )),
            Swatch::Dot => out.push_str(&format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{color}\"/>\n",
                px(r.x + r.w / 2.0),
                px(r.y + r.h / 2.0)
            )),
        }
    }
    for text in &frame.texts {
        let rotate = if text.vertical {
            format!(" transform=\"rotate(-90 {} {})\"", px(text.x), px(text.y))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-family=\"sans-serif\" font-size=\"{}\" fill=\"{TEXT}\"{rotate}>{}</text>\n",
            px(text.x),
            px(text.y),
            text.anchor.svg(),
            px(text.size),
            escape_xml(&text.text)
        ));
    }
}

/// `x,y x,y …` for a polyline.
pub fn points_attr(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{},{}", px(*x), px(*y)))
        .collect::<Vec<_>>()
        .join(" ")
}
