//! Chart drawings (plotters → SVG strings) with text alternatives. Pure; no leptos.
//!
//! STUB: the real module is written in parallel and replaces this file at merge. The
//! placeholders keep the signatures and fill the text alternative so the UI can render.

/// A drawn chart and its text alternative.
pub struct Chart {
    /// The SVG document (escaped labels).
    pub svg: String,
    /// One-sentence summary for `aria-label`.
    pub summary: String,
    /// Text-alternative table; `table[0]` is the header row.
    pub table: Vec<Vec<String>>,
}

fn placeholder(title: &str, header: Vec<String>, rows: Vec<Vec<String>>) -> Chart {
    let mut table = vec![header];
    table.extend(rows);
    Chart {
        svg: String::new(),
        summary: format!("{title}: {} data points", table.len() - 1),
        table,
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".into(), |v| format!("{v:.2}"))
}

/// KPI trend line with an optional target band.
pub fn trend(
    title: &str,
    y_label: &str,
    x_labels: &[String],
    values: &[Option<f64>],
    _target_band: Option<(f64, f64)>,
) -> Chart {
    let rows = x_labels
        .iter()
        .zip(values)
        .map(|(x, v)| vec![x.clone(), opt(*v)])
        .collect();
    placeholder(title, vec!["Period".into(), y_label.into()], rows)
}

/// One bar per platform against its target band.
#[allow(clippy::type_complexity)]
pub fn by_platform(
    title: &str,
    y_label: &str,
    rows: &[(String, Option<f64>, Option<(f64, f64)>)],
) -> Chart {
    let rows = rows
        .iter()
        .map(|(p, v, _)| vec![p.clone(), opt(*v)])
        .collect();
    placeholder(title, vec!["Platform".into(), y_label.into()], rows)
}

/// Budget against actual spend per campaign.
pub fn budget(title: &str, y_label: &str, rows: &[(String, f64, f64)]) -> Chart {
    let rows = rows
        .iter()
        .map(|(c, b, a)| vec![c.clone(), format!("{b:.2}"), format!("{a:.2}")])
        .collect();
    let header = vec![
        "Campaign".into(),
        format!("Budget ({y_label})"),
        "Actual".into(),
    ];
    placeholder(title, header, rows)
}

/// Funnel stages.
pub fn funnel(title: &str, stages: &[(String, f64)]) -> Chart {
    let rows = stages
        .iter()
        .map(|(s, v)| vec![s.clone(), format!("{v:.0}")])
        .collect();
    placeholder(title, vec!["Stage".into(), "Value".into()], rows)
}

/// Creator cost against revenue with the ROAS = target line.
pub fn scatter(
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[(String, f64, f64)],
    _roas_target: f64,
) -> Chart {
    let rows = points
        .iter()
        .map(|(c, x, y)| vec![c.clone(), format!("{x:.2}"), format!("{y:.2}")])
        .collect();
    let header = vec!["Creator".into(), x_label.into(), y_label.into()];
    placeholder(title, header, rows)
}
