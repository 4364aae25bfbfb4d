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
    if let Some(band) = band {
        summary.push_str(&format!("; target band {}", range_with_unit(band, unit)));
    }

    render(title, summary, table, |root| {
        let band_bounds = band.into_iter().flat_map(|(low, high)| [low, high]);
        let plotted = values.iter().filter_map(|v| plottable(*v));
        let y = value_axis(plotted.chain(band_bounds), false);
        let y = if band.is_some() {
            with_legend_room(y)
        } else {
            y
        };
        let mut chart = category_chart(root, title, count, y)?;
        draw_category_mesh(&mut chart, &labels, "Period", y_label)?;
        if let Some((low, high)) = band {
            let x = category_axis(count);
            let color = BAND.mix(BAND_OPACITY);
            chart
                .draw_series([Rectangle::new(
                    [(x.start, low), (x.end, high)],
                    color.filled(),
                )])?
                .label("Target band")
                .legend(legend_box(color));
        }
        for (run_index, run) in contiguous_runs(&values).into_iter().enumerate() {
            let line = LineSeries::new(run, PRIMARY.stroke_width(2)).point_size(3);
            let series = chart.draw_series(line)?;
            if run_index == 0 {
                series.label(y_label).legend(|(x, y)| {
                    PathElement::new([(x, y), (x + 12, y)], PRIMARY.stroke_width(2))
                });
            }
        }
        if band.is_some() {
            draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        }
        Ok(())
    })
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
