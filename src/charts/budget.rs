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

    render(title, summary, table, |root| {
        let labels: Vec<String> = rows
            .iter()
            .map(|(campaign, _, _)| campaign.clone())
            .collect();
        let amounts = rows
            .iter()
            .flat_map(|(_, budget, actual)| [*budget, *actual]);
        let y = with_legend_room(value_axis(amounts, true));
        let mut chart = category_chart(root, title, rows.len(), y)?;
        draw_category_mesh(&mut chart, &labels, "Campaign", y_label)?;
        let series = [("Budget", PRIMARY, -0.38), ("Actual spend", SECONDARY, 0.0)];
        for (series_index, (name, color, offset)) in series.into_iter().enumerate() {
            let bars = rows.iter().enumerate().filter_map(|(i, row)| {
                let amount = if series_index == 0 { row.1 } else { row.2 };
                let left = i as f64 + offset;
                plottable(Some(amount))
                    .map(|v| Rectangle::new([(left, 0.0), (left + 0.38, v)], color.filled()))
            });
            chart
                .draw_series(bars)?
                .label(name)
                .legend(legend_box(color.to_rgba()));
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}
