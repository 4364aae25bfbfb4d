//! Creators as points of cost against revenue, with the break-even line of the ROAS target.

use super::*;
use crate::metrics::registry::Target;
use crate::metrics::targets::{position, Status};

/// At most this many points get a name label on the chart (the table names all of them).
const MAX_POINT_LABELS: usize = 15;
/// At most this many creators are named in the summary.
const MAX_SUMMARY_NAMES: usize = 5;

/// Points `(creator, cost, revenue)` and the line `revenue = roas_target × cost`.
pub fn scatter(
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[(String, f64, f64)],
    roas_target: f64,
) -> Chart {
    let target = Some(roas_target).filter(|t| t.is_finite() && *t > 0.0);
    let roas = |cost: f64, revenue: f64| percent_of(revenue, cost).map(|p| p / 100.0);

    let mut table = vec![vec![
        "Creator".to_string(),
        x_label.to_string(),
        y_label.to_string(),
        "ROAS".to_string(),
    ]];
    table.extend(points.iter().map(|(creator, cost, revenue)| {
        vec![
            creator.clone(),
            format_number(*cost),
            format_number(*revenue),
            roas(*cost, *revenue).map_or("n/a".to_string(), format_number),
        ]
    }));

    let drawable: Vec<(&str, f64, f64)> = points
        .iter()
        .filter_map(|(creator, cost, revenue)| {
            Some((
                creator.as_str(),
                plottable(Some(*cost))?,
                plottable(Some(*revenue))?,
            ))
        })
        .collect();
    if drawable.is_empty() {
        return no_data(title, table);
    }

    let creators = if points.len() == 1 {
        "creator"
    } else {
        "creators"
    };
    let mut summary = format!("{title}: {} {creators}", points.len());
    if let Some(target) = target {
        let on_target: Vec<&str> = points
            .iter()
            .filter(|(_, cost, revenue)| {
                roas(*cost, *revenue)
                    .is_some_and(|r| position(r, Target::AtLeast(target)) == Status::OnTarget)
            })
            .map(|(creator, _, _)| creator.as_str())
            .collect();
        summary.push_str(&format!(
            "; {} at or above the ROAS target of {}×{}",
            on_target.len(),
            format_number(target),
            name_list(&on_target)
        ));
    }
    let best = points
        .iter()
        .filter_map(|(creator, cost, revenue)| roas(*cost, *revenue).map(|r| (creator, r)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((creator, best_roas)) = best {
        summary.push_str(&format!(
            "; highest ROAS: {creator} ({}×)",
            format_number(best_roas)
        ));
    }

    let x = value_axis(drawable.iter().map(|p| p.1), true);
    let y = value_axis(drawable.iter().map(|p| p.2), true);
    let (x_unit, y_unit) = (unit_of(x_label), unit_of(y_label));
    let mut legend = vec![series("Creators", Color::Primary, Swatch::Dot)];
    let mut lines = Vec::new();
    if let Some(target) = target {
        // From the origin to where the line leaves the plot (right edge or top edge).
        let x_end = x.end.min(y.end / target);
        legend.push(series(
            &format!("ROAS = {}× (target)", format_number(target)),
            Color::Band,
            Swatch::Line,
        ));
        lines.push(Line {
            series: 1,
            points: vec![(0.0, 0.0), (x_end, x_end * target)],
        });
    }
    let total_revenue: f64 = drawable.iter().map(|p| p.2).sum();
    let marks = drawable
        .iter()
        .enumerate()
        .map(|(i, (creator, cost, revenue))| {
            let roas_text = roas(*cost, *revenue)
                .map_or(String::new(), |r| format!(", ROAS {}×", format_number(r)));
            Mark {
                key: format!("creator:{i}:{creator}"),
                series: 0,
                shape: Shape::Point {
                    x: *cost,
                    y: *revenue,
                },
                label: creator.to_string(),
                value: format!(
                    "cost {}, revenue {}{roas_text}",
                    with_unit(*cost, x_unit),
                    with_unit(*revenue, y_unit)
                ),
                share: share_of(*revenue, total_revenue, "total revenue"),
            }
        })
        .collect();
    let notes = if drawable.len() <= MAX_POINT_LABELS {
        drawable
            .iter()
            .map(|(creator, cost, revenue)| Note {
                at: (*cost, *revenue),
                offset: (7.0, -7.0),
                text: shorten(creator, 16),
            })
            .collect()
    } else {
        Vec::new()
    };
    let plot = Plot {
        x: Axis::linear(x_label, x),
        y: Axis::linear(y_label, y),
        series: legend,
        bands: Vec::new(),
        lines,
        marks,
        notes,
    };
    plotted(title, summary, table, plot)
}

/// ` (A, B, C)`, or ` (A, B, C, D, E and 3 more)`; empty for no names.
fn name_list(names: &[&str]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let shown = names[..names.len().min(MAX_SUMMARY_NAMES)].join(", ");
    match names.len().saturating_sub(MAX_SUMMARY_NAMES) {
        0 => format!(" ({shown})"),
        more => format!(" ({shown} and {more} more)"),
    }
}
