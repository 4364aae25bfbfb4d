//! KPI trend line over periods, with an optional shaded target band.

use super::*;

/// A KPI over periods: one point per `x_labels[i]`/`values[i]`; `None` is a gap in the line.
pub fn trend(
    title: &str,
    y_label: &str,
    x_labels: &[String],
    values: &[Option<f64>],
    target_band: Option<(f64, f64)>,
) -> Chart {
    let count = x_labels.len().max(values.len());
    let labels: Vec<String> = (0..count)
        .map(|i| x_labels.get(i).cloned().unwrap_or_default())
        .collect();
    let values: Vec<Option<f64>> = (0..count)
        .map(|i| values.get(i).copied().flatten().filter(|v| v.is_finite()))
        .collect();
    let band = clean_band(target_band);
    let unit = unit_of(y_label);

    let mut table = vec![vec!["Period".to_string(), y_label.to_string()]];
    table.extend(labels.iter().zip(&values).map(|(label, value)| {
        let cell = value.map_or(NO_DATA.to_string(), format_number);
        vec![label.clone(), cell]
    }));

    let present: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, value)| value.map(|v| (i, v)))
        .collect();
    let (Some(&(first_i, first)), Some(&(last_i, last))) = (present.first(), present.last()) else {
        return no_data(title, table);
    };

    let mut summary = if present.len() == 1 {
        format!("{title}: {} in {}", with_unit(first, unit), labels[first_i])
    } else {
        format!(
            "{title}, from {} in {} to {} in {}",
            with_unit(first, unit),
            labels[first_i],
            with_unit(last, unit),
            labels[last_i]
        )
    };
    let missing = count - present.len();
    if missing > 0 {
        summary.push_str(&format!("; {missing} of {count} periods have no data"));
    }
    match band {
        Some((low, high)) if low == high => {
            summary.push_str(&format!("; target {}", with_unit(low, unit)));
        }
        Some(band) => {
            summary.push_str(&format!("; target band {}", range_with_unit(band, unit)));
        }
        None => {}
    }

    let band_bounds = band.into_iter().flat_map(|(low, high)| [low, high]);
    let plotted_values = values.iter().filter_map(|v| plottable(*v));
    let y = value_axis(plotted_values.chain(band_bounds), false);
    let mut legend = vec![series(y_label, Color::Primary, Swatch::Line)];
    let mut bands = Vec::new();
    let mut lines: Vec<Line> = contiguous_runs(&values)
        .into_iter()
        .map(|points| Line { series: 0, points })
        .collect();
    let x = category_axis(count);
    match band {
        // A one-sided target ("at least 3×") is a line, not a band of no height.
        Some((low, high)) if low == high => {
            legend.push(series("Target", Color::Band, Swatch::Line));
            lines.push(Line {
                series: 1,
                points: vec![(x.start, low), (x.end, low)],
            });
        }
        Some((low, high)) => {
            legend.push(series("Target band", Color::Band, Swatch::Shade));
            bands.push(Band {
                series: 1,
                x: (x.start, x.end),
                y: (low, high),
            });
        }
        None => {}
    }
    // Counts and money add up over periods: a point's share is of their total. Rates and
    // averages do not: a point says how it moved from the previous period with a value.
    let additive = matches!(unit, "count" | "currency") || is_currency_symbol(unit);
    let total: f64 = present.iter().map(|(_, v)| *v).sum();
    let mut previous: Option<(usize, f64)> = None;
    let mut marks = Vec::new();
    for &(i, v) in &present {
        let Some(y) = plottable(Some(v)) else {
            continue;
        };
        let share = if additive {
            share_of(v, total, "the total over these periods")
        } else {
            previous.map_or(String::new(), |(j, before)| {
                change(before, v, unit, &labels[j])
            })
        };
        marks.push(Mark {
            key: format!("period:{}", labels[i]),
            series: 0,
            shape: Shape::Point { x: i as f64, y },
            label: labels[i].clone(),
            value: with_unit(v, unit),
            share,
        });
        previous = Some((i, v));
    }
    let plot = Plot {
        x: Axis::categories("Period", &labels, false),
        y: Axis::linear(y_label, y),
        series: legend,
        bands,
        lines,
        marks,
        notes: Vec::new(),
    };
    plotted(title, summary, table, plot)
}

/// How a value moved from the one before: `up 1.2 points from 2025-11`, `down $30 from W2`,
/// `unchanged from W3`.
fn change(before: f64, now: f64, unit: &str, before_label: &str) -> String {
    let delta = now - before;
    if !delta.is_finite() {
        return String::new();
    }
    let size = if unit == "%" {
        format!("{} points", format_number(delta.abs()))
    } else {
        with_unit(delta.abs(), unit)
    };
    if format_number(delta.abs()) == "0" {
        format!("unchanged from {before_label}")
    } else if delta > 0.0 {
        format!("up {size} from {before_label}")
    } else {
        format!("down {size} from {before_label}")
    }
}

/// The points split at gaps: each run is a stretch of consecutive present values.
fn contiguous_runs(values: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match plottable(*value) {
            Some(v) => current.push((i as f64, v)),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_at_gaps() {
        let runs = contiguous_runs(&[Some(1.0), None, Some(3.0), Some(4.0), None]);
        assert_eq!(runs, vec![vec![(0.0, 1.0)], vec![(2.0, 3.0), (3.0, 4.0)]]);
    }
}
