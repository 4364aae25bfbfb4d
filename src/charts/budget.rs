//! Budget against actual spend: a pair of bars per campaign.

use super::*;

/// Paired bars per campaign: `(campaign, budget, actual spend)`.
pub fn budget(title: &str, y_label: &str, rows: &[(String, f64, f64)]) -> Chart {
    let unit = unit_of(y_label);
    let mut table = vec![vec![
        "Campaign".to_string(),
        header_with_unit("Budget", y_label),
        header_with_unit("Actual spend", y_label),
        "Spent of budget (%)".to_string(),
    ]];
    table.extend(rows.iter().map(|(campaign, budget, actual)| {
        let spent = percent_of(*actual, *budget).map_or("n/a".to_string(), format_number);
        vec![
            campaign.clone(),
            format_number(*budget),
            format_number(*actual),
            spent,
        ]
    }));

    let drawable = rows
        .iter()
        .any(|(_, budget, actual)| budget.is_finite() || actual.is_finite());
    if !drawable {
        return no_data(title, table);
    }

    let total_budget: f64 = rows.iter().map(|row| row.1).filter(|v| v.is_finite()).sum();
    let total_actual: f64 = rows.iter().map(|row| row.2).filter(|v| v.is_finite()).sum();
    let total_spent = percent_of(total_actual, total_budget).map_or(String::new(), |p| {
        format!(" ({}% of budget)", format_number(p))
    });
    let over: Vec<String> = rows
        .iter()
        .filter(|(_, budget, actual)| actual > budget)
        .map(
            |(campaign, budget, actual)| match percent_of(*actual, *budget) {
                Some(p) => format!("{campaign} ({}%)", format_number(p)),
                None => campaign.clone(),
            },
        )
        .collect();
    let over_text = if over.is_empty() {
        "none over budget".to_string()
    } else {
        format!("over budget: {}", over.join(", "))
    };
    let campaigns = if rows.len() == 1 {
        "campaign"
    } else {
        "campaigns"
    };
    let summary = format!(
        "{title}: {} {campaigns}, total budget {}, actual spend {}{total_spent}; {over_text}",
        rows.len(),
        with_unit(total_budget, unit),
        with_unit(total_actual, unit),
    );

    let labels: Vec<String> = rows
        .iter()
        .map(|(campaign, _, _)| campaign.clone())
        .collect();
    let amounts = rows
        .iter()
        .flat_map(|(_, budget, actual)| [*budget, *actual]);
    let mut marks = Vec::new();
    for (i, (campaign, budget, actual)) in rows.iter().enumerate() {
        let x = i as f64;
        if let Some(v) = plottable(Some(*budget)) {
            marks.push(Mark {
                key: format!("budget:{i}:{campaign}"),
                series: 0,
                shape: Shape::Bar {
                    x: (x - 0.4, x - 0.02),
                    y: (0.0, v),
                },
                label: format!("{campaign}, budget"),
                value: with_unit(*budget, unit),
                share: share_of(*budget, total_budget, "the total budget"),
            });
        }
        if let Some(v) = plottable(Some(*actual)) {
            let of_budget = share_of(*actual, *budget, "its budget");
            let of_total = share_of(*actual, total_actual, "total spend");
            let share = [of_budget, of_total]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            marks.push(Mark {
                key: format!("actual:{i}:{campaign}"),
                series: 1,
                shape: Shape::Bar {
                    x: (x + 0.02, x + 0.4),
                    y: (0.0, v),
                },
                label: format!("{campaign}, actual spend"),
                value: with_unit(*actual, unit),
                share,
            });
        }
    }
    let plot = Plot {
        x: Axis::categories("Campaign", &labels, false),
        y: Axis::linear(y_label, value_axis(amounts, true)),
        series: vec![
            series("Budget", Color::Primary, Swatch::Box),
            series("Actual spend", Color::Secondary, Swatch::Box),
        ],
        bands: Vec::new(),
        lines: Vec::new(),
        marks,
        notes: Vec::new(),
    };
    plotted(title, summary, table, plot)
}
