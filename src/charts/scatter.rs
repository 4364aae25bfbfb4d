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

    render(title, summary, table, |root| {
        let x = value_axis(drawable.iter().map(|p| p.1), true);
        let y = value_axis(drawable.iter().map(|p| p.2), true);
        let y = if target.is_some() {
            with_legend_room(y)
        } else {
            y
        };
        let mut chart = ChartBuilder::on(root)
            .caption(title, text_style(22))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(x.clone(), y.clone())?;
        let formatter = |v: &f64| axis_number(*v);
        let mut mesh = chart.configure_mesh();
        mesh.x_label_formatter(&formatter)
            .y_label_formatter(&formatter)
            .x_desc(x_label)
            .y_desc(y_label);
        house_style(&mut mesh).draw()?;

        if let Some(target) = target {
            // From the origin to where the line leaves the plot (right edge or top edge).
            let x_end = x.end.min(y.end / target);
            let line = [(0.0, 0.0), (x_end, x_end * target)];
            let style = BAND.stroke_width(2);
            chart
                .draw_series(LineSeries::new(line, style))?
                .label(format!("ROAS = {}× (target)", format_number(target)))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 12, y)], style));
        }
        let show_names = drawable.len() <= MAX_POINT_LABELS;
        let markers = drawable.iter().map(|(creator, cost, revenue)| {
            let name = if show_names {
                shorten(creator, 16)
            } else {
                String::new()
            };
            EmptyElement::at((*cost, *revenue))
                + Circle::new((0, 0), 4, PRIMARY.filled())
                + Text::new(name, (6, -14), text_style(14))
        });
        chart
            .draw_series(markers)?
            .label("Creators")
            .legend(|(x, y)| Circle::new((x + 6, y), 4, PRIMARY.filled()));
        if target.is_some() {
            draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        }
        Ok(())
    })
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
