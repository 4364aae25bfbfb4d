//! The funnel (e.g. impressions → clicks → conversions → revenue) as horizontal bars on a log
//! scale, so that stages orders of magnitude apart stay visible; each bar is labelled with its
//! value and its rate from the previous stage.

use super::*;

/// Horizontal bars, first stage on top; labels and summary give stage-to-stage rates.
pub fn funnel(title: &str, stages: &[(String, f64)]) -> Chart {
    let rates: Vec<Option<String>> = (0..stages.len())
        .map(|i| {
            i.checked_sub(1)
                .map(|previous| rate(&stages[previous], &stages[i]))
        })
        .collect();

    let mut table = vec![vec![
        "Stage".to_string(),
        "Value".to_string(),
        "From previous stage".to_string(),
    ]];
    table.extend(stages.iter().zip(&rates).map(|((stage, value), rate)| {
        vec![
            stage.clone(),
            format_number(*value),
            rate.clone().unwrap_or_default(),
        ]
    }));

    let positive = |value: f64| plottable(Some(value)).filter(|v| *v > 0.0);
    if !stages.iter().any(|(_, value)| positive(*value).is_some()) {
        return no_data(title, table);
    }

    let labels: Vec<String> = stages
        .iter()
        .zip(&rates)
        .map(|((stage, value), rate)| match rate {
            Some(rate) => format!("{stage}: {} ({rate})", format_number(*value)),
            None => format!("{stage}: {}", format_number(*value)),
        })
        .collect();
    let summary = format!("{title}: {}", labels.join("; "));

    render(title, summary, table, |root| {
        let values = stages.iter().filter_map(|(_, value)| positive(*value));
        let (low, high) = values.fold((f64::INFINITY, 0.0_f64), |(low, high), v| {
            (low.min(v), high.max(v))
        });
        let end = high * 1.2;
        // Start at the decade below the smallest value, at most 15 decades under the largest.
        let start = 10f64.powf(low.log10().floor()).max(end * 1e-15);
        let count = stages.len();
        let mut chart = ChartBuilder::on(root)
            .caption(title, text_style(22))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(24)
            .build_cartesian_2d((start..end).log_scale(), category_axis(count))?;
        let x_formatter = |x: &f64| axis_number(*x);
        let mut mesh = chart.configure_mesh();
        mesh.disable_y_mesh()
            .y_labels(0)
            .x_labels(6)
            .x_label_formatter(&x_formatter)
            .x_desc("Value (log scale)")
            .y_desc("Stage");
        house_style(&mut mesh).draw()?;
        // Stage i sits at y = count - 1 - i so that the first stage is drawn on top.
        let row_of = |i: usize| (count - 1 - i) as f64;
        let bars = stages.iter().enumerate().filter_map(|(i, (_, value))| {
            let y = row_of(i);
            positive(*value).map(|v| {
                Rectangle::new(
                    [(start, y - 0.3), (v.max(start), y + 0.1)],
                    PRIMARY.filled(),
                )
            })
        });
        chart.draw_series(bars)?;
        let captions = labels
            .iter()
            .enumerate()
            .map(|(i, label)| Text::new(label.clone(), (start, row_of(i) + 0.45), text_style(15)));
        chart.draw_series(captions)?;
        Ok(())
    })
}

/// The step from one stage to the next: `2% of Impressions` or, when it grows (revenue
/// after conversions), the amount per unit of the previous stage: `50 per conversion`.
fn rate((previous_stage, previous): &(String, f64), (_, value): &(String, f64)) -> String {
    match percent_of(*value, *previous) {
        None => format!("n/a: no {previous_stage}"),
        Some(percent) if percent <= 100.0 => {
            format!("{}% of {previous_stage}", format_number(percent))
        }
        Some(percent) => {
            let unit = previous_stage.to_lowercase();
            let unit = unit.strip_suffix('s').unwrap_or(&unit);
            format!("{} per {unit}", format_number(percent / 100.0))
        }
    }
}
