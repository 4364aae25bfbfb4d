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

    let values = stages.iter().filter_map(|(_, value)| positive(*value));
    let (low, high) = values.fold((f64::INFINITY, 0.0_f64), |(low, high), v| {
        (low.min(v), high.max(v))
    });
    let end = high * 1.2;
    // Start at the decade below the smallest value, at most 15 decades under the largest.
    let start = 10f64.powf(low.log10().floor()).max(end * 1e-15);
    let names: Vec<String> = stages.iter().map(|(stage, _)| stage.clone()).collect();
    let mut y = Axis::categories("Stage", &names, true);
    y.labelled = false;
    let marks = stages
        .iter()
        .zip(&rates)
        .enumerate()
        .filter_map(|(i, ((stage, value), rate))| {
            let v = positive(*value)?;
            let row = i as f64;
            Some(Mark {
                key: format!("stage:{i}:{stage}"),
                series: 0,
                shape: Shape::Bar {
                    x: (start, v.max(start)),
                    y: (row - 0.1, row + 0.35),
                },
                label: stage.clone(),
                value: format_number(*value),
                share: rate.clone().unwrap_or_default(),
            })
        })
        .collect();
    let notes = labels
        .iter()
        .enumerate()
        .map(|(i, label)| Note {
            at: (start, i as f64 - 0.1),
            offset: (4.0, -5.0),
            text: label.clone(),
        })
        .collect();
    let plot = Plot {
        x: Axis::log("Value (log scale)", start..end),
        y,
        series: vec![series("Value", Color::Primary, Swatch::Box)],
        bands: Vec::new(),
        lines: Vec::new(),
        marks,
        notes,
    };
    plotted(title, summary, table, plot)
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
