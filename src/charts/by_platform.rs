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

    let against = |value: f64, band: &(f64, f64)| {
        format!(
            "{} target {}",
            status(Some(value), Some(*band)),
            range_with_unit(*band, unit)
        )
    };
    let parts: Vec<String> = rows
        .iter()
        .map(|(platform, value, band)| match (value, band) {
            (None, _) => format!("{platform} {NO_DATA}"),
            (Some(v), None) => format!("{platform} {}", with_unit(*v, unit)),
            (Some(v), Some(band)) => {
                format!("{platform} {} ({})", with_unit(*v, unit), against(*v, band))
            }
        })
        .collect();
    let summary = format!("{title}: {}", parts.join(", "));

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
    let mut legend = vec![series(y_label, Color::Primary, Swatch::Box)];
    if has_bands {
        legend.push(series("Target band", Color::Band, Swatch::Shade));
    }
    let slot = |i: usize| (i as f64 - 0.42, i as f64 + 0.42);
    let bands = rows
        .iter()
        .enumerate()
        .filter_map(|(i, (_, _, band))| {
            band.filter(|(low, high)| low != high)
                .map(|(low, high)| Band {
                    series: 1,
                    x: slot(i),
                    y: (low, high),
                })
        })
        .collect();
    // A one-sided target ("at least 4%") is a line across its slot.
    let lines = rows
        .iter()
        .enumerate()
        .filter_map(|(i, (_, _, band))| {
            band.filter(|(low, high)| low == high).map(|(at, _)| Line {
                series: 1,
                points: vec![(slot(i).0, at), (slot(i).1, at)],
            })
        })
        .collect();
    // A rate's share of a sum over platforms means nothing: its mark says where it stands.
    let marks = rows
        .iter()
        .enumerate()
        .filter_map(|(i, (platform, value, band))| {
            let v = plottable(*value)?;
            Some(Mark {
                key: format!("platform:{platform}"),
                series: 0,
                shape: Shape::Bar {
                    x: (i as f64 - 0.25, i as f64 + 0.25),
                    y: (0.0, v),
                },
                label: platform.clone(),
                value: with_unit(v, unit),
                share: band.map_or(String::new(), |band| against(v, &band)),
            })
        })
        .collect();
    let plot = Plot {
        x: Axis::categories("Platform", &labels, false),
        y: Axis::linear(y_label, value_axis(values.chain(bounds), true)),
        series: legend,
        bands,
        lines,
        marks,
        notes: Vec::new(),
    };
    plotted(title, summary, table, plot)
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
