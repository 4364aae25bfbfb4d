//! One bar per platform, each against its own shaded target band.

use super::*;
use crate::metrics::registry::Target;
use crate::metrics::targets::{position, Status};

/// One platform: `(platform, value, target band (low, high))`.
pub type PlatformRow = (String, Option<f64>, Option<(f64, f64)>);

/// Bars per platform: `(platform, value, target band)`; a `None` value leaves its slot empty.
pub fn by_platform(title: &str, y_label: &str, rows: &[PlatformRow]) -> Chart {
    let unit = unit_of(y_label);
    let rows: Vec<PlatformRow> = rows
        .iter()
        .map(|(platform, value, band)| {
            let value = value.filter(|v| v.is_finite());
            (platform.clone(), value, clean_band(*band))
        })
        .collect();

    let mut table = vec![vec![
        "Platform".to_string(),
        y_label.to_string(),
        header_with_unit("Target band", y_label),
        "Against target".to_string(),
    ]];
    table.extend(rows.iter().map(|(platform, value, band)| {
        vec![
            platform.clone(),
            value.map_or(NO_DATA.to_string(), format_number),
            band.map_or(String::new(), |band| range_with_unit(band, "")),
            status(*value, *band).to_string(),
        ]
    }));

    if rows.iter().all(|(_, value, _)| value.is_none()) {
        return no_data(title, table);
    }

    let parts: Vec<String> = rows
        .iter()
        .map(|(platform, value, band)| match (value, band) {
            (None, _) => format!("{platform} {NO_DATA}"),
            (Some(v), None) => format!("{platform} {}", with_unit(*v, unit)),
            (Some(v), Some(band)) => format!(
                "{platform} {} ({} target {})",
                with_unit(*v, unit),
                status(Some(*v), Some(*band)),
                range_with_unit(*band, unit)
            ),
        })
        .collect();
    let summary = format!("{title}: {}", parts.join(", "));

    render(title, summary, table, |root| {
        let labels: Vec<String> = rows
            .iter()
            .map(|(platform, _, _)| platform.clone())
            .collect();
        let values = rows.iter().filter_map(|(_, value, _)| plottable(*value));
        let bounds = rows
            .iter()
            .filter_map(|(_, _, band)| *band)
            .flat_map(|(low, high)| [low, high]);
        let has_bands = rows.iter().any(|(_, _, band)| band.is_some());
        let y = value_axis(values.chain(bounds), true);
        let y = if has_bands { with_legend_room(y) } else { y };
        let mut chart = category_chart(root, title, rows.len(), y)?;
        draw_category_mesh(&mut chart, &labels, "Platform", y_label)?;

        let band_color = BAND.mix(BAND_OPACITY);
        let bands: Vec<_> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, (_, _, band))| band.map(|b| (i as f64, b)))
            .map(|(x, (low, high))| {
                Rectangle::new([(x - 0.42, low), (x + 0.42, high)], band_color.filled())
            })
            .collect();
        if has_bands {
            chart
                .draw_series(bands)?
                .label("Target band")
                .legend(legend_box(band_color));
        }
        let bars = rows.iter().enumerate().filter_map(|(i, (_, value, _))| {
            let x = i as f64;
            plottable(*value)
                .map(|v| Rectangle::new([(x - 0.25, 0.0), (x + 0.25, v)], PRIMARY.filled()))
        });
        chart
            .draw_series(bars)?
            .label(y_label)
            .legend(legend_box(PRIMARY.to_rgba()));
        if has_bands {
            draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        }
        Ok(())
    })
}

/// Where a value sits against its band, by the core's target comparison
/// ([`position`] against the band as a range): `below`, `within`, `above` (empty when
/// unknown).
fn status(value: Option<f64>, band: Option<(f64, f64)>) -> &'static str {
    let (Some(v), Some((low, high))) = (value, band) else {
        return "";
    };
    match position(v, Target::Range(low, high)) {
        Status::Below => "below",
        Status::Above => "above",
        Status::OnTarget => "within",
        Status::NoTarget => "",
    }
}
