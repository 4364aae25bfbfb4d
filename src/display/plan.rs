//! The plan's words (issue 18): forecast warnings worded before the fact, why a group
//! has no curve, marginal returns in the objective's terms, the creator strategy's
//! reasons, the assumptions, how far to trust the proposal, and the plan as CSV.

use crate::data::calendar::format_day;
use crate::metrics::engine::Dimension;
use crate::metrics::plan::{
    AllocRow, Forecast, NoCurve, Outcome, PaceStatus, Plan, PlanTable, Strategy, HISTORY_WEEKS,
    MIN_SPEND_CV, MIN_WEEKS, OVER_PACE, PACE_WINDOW_DAYS, QUARTER_WEEKS, UNDER_PACE,
};

use super::export::{table_csv, ExportCell, ExportContext};
use super::format::NumberStyle;

/// How the pace is read, in one phrase.
pub fn pace_window_text() -> String {
    format!(
        "the mean daily spend of the campaign's last {PACE_WINDOW_DAYS} days up to the as-of day (days without a post count as 0)"
    )
}

/// How the range is read, in one phrase.
pub const RANGE_TEXT: &str =
    "the pace ± 2 standard errors of the daily mean (2·sd/√n), times the days left";

/// `140%`: a share of the budget, whole percent.
fn share_text(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The status of a forecast in a word or two.
pub fn status_text(f: &Forecast) -> &'static str {
    match f.status {
        PaceStatus::NotStarted => "not started",
        PaceStatus::OnTrack => "on track",
        PaceStatus::Over => "over pace",
        PaceStatus::Under => "under pace",
        PaceStatus::Ended => "ended",
    }
}

/// The warning of an over- or under-pace running campaign, worded before the fact
/// ("At this pace C08 spends 189% of its budget by 2026-12-31 …"); `None` otherwise.
pub fn forecast_warning(f: &Forecast, name: &str) -> Option<String> {
    let share = f.projected_share()?;
    let end = format_day(f.end);
    match f.status {
        PaceStatus::Over => Some(match f.exhaust_date {
            Some(day) if day <= f.as_of => format!(
                "{name} has already spent its budget (on {}); at this pace it spends {} of it by {end}.",
                format_day(day),
                share_text(share)
            ),
            Some(day) => format!(
                "At this pace {name} spends {} of its budget by {end}: the budget runs out on {}.",
                share_text(share),
                format_day(day)
            ),
            None => format!(
                "At this pace {name} spends {} of its budget by {end}.",
                share_text(share)
            ),
        }),
        PaceStatus::Under => Some(format!(
            "At this pace {name} spends only {} of its budget by {end}.",
            share_text(share)
        )),
        _ => None,
    }
}

/// One sentence on a forecast for the table's note column.
pub fn forecast_note(f: &Forecast, style: &NumberStyle) -> String {
    match f.status {
        PaceStatus::NotStarted => format!("Starts on {}: no pace yet.", format_day(f.start)),
        PaceStatus::Ended => format!(
            "Ended on {} at {} of budget.",
            format_day(f.end),
            share_text(f.spent / f.budget)
        ),
        _ => {
            let landing = f
                .landing_daily
                .map(|d| format!(" Landing on budget takes {} a day.", style.money(d)))
                .unwrap_or_default();
            // The average so far, beside the recent pace, shows a pace that changed.
            let elapsed = (i64::from(f.as_of) - i64::from(f.start) + 1).max(1) as f64;
            format!(
                "{} a day over the last {} days ({} a day on average since the start); {} days left.{landing}",
                style.money(f.daily_mean),
                f.window.map_or(0, |(a, b)| b - a + 1),
                style.money(f.spent / elapsed),
                f.remaining_days
            )
        }
    }
}

/// Why a group has no curve.
pub fn no_curve_text(reason: &NoCurve) -> String {
    match reason {
        NoCurve::TooFewWeeks { weeks } => format!(
            "Too little history: {weeks} week(s) with spend, {MIN_WEEKS} needed. No estimate."
        ),
        NoCurve::SpendNeverVaried { cv } => format!(
            "Spend hardly varied from week to week (coefficient of variation {:.2}, {MIN_SPEND_CV} needed): the data cannot show how the outcome responds. No estimate.",
            if cv.is_finite() { *cv } else { 0.0 }
        ),
        NoCurve::NoResponse => {
            "The outcome does not rise with spend in this data. No estimate.".to_owned()
        }
    }
}

/// The name of the marginal return in the objective's terms.
pub fn marginal_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Revenue => "Marginal ROAS",
        Outcome::Conversions => "Marginal CPA",
        Outcome::Leads => "Marginal CPL",
        Outcome::Impressions => "Marginal CPM",
    }
}

/// A marginal return (outcome per unit of spend) in the objective's terms: ROAS as
/// `4.72×`, CPA/CPL as money per unit, CPM as money per thousand.
pub fn marginal_text(outcome: Outcome, per_unit: f64, style: &NumberStyle) -> String {
    if per_unit <= 0.0 || !per_unit.is_finite() {
        return "n/a".into();
    }
    match outcome {
        Outcome::Revenue => format!("{}×", style.number(per_unit, 2)),
        Outcome::Conversions | Outcome::Leads => style.money(1.0 / per_unit),
        Outcome::Impressions => style.money(1000.0 / per_unit),
    }
}

/// An outcome amount: money for revenue, a count otherwise.
pub fn outcome_text(outcome: Outcome, value: f64, style: &NumberStyle) -> String {
    if outcome.is_money() {
        style.money(value)
    } else {
        style.number(value, 0)
    }
}

/// The reason of a creator's strategy: the marginal return now and proposed, and the
/// renewal recommendation it is held consistent with.
pub fn strategy_reason(row: &AllocRow, outcome: Outcome, style: &NumberStyle) -> String {
    let renewal = row
        .renewal
        .as_ref()
        .map(|r| {
            format!(
                " Renewal: {} ({})",
                r.verdict.name(),
                r.reason.trim_end_matches('.')
            )
        })
        .map(|s| s + ".")
        .unwrap_or_default();
    let marginal = match (row.marginal_now, row.marginal_proposed) {
        (Some(now), Some(then)) => format!(
            "{} {} at the current spend, {} at the proposed.",
            marginal_name(outcome),
            marginal_text(outcome, now, style),
            marginal_text(outcome, then, style)
        ),
        _ => row
            .no_curve
            .as_ref()
            .map_or_else(String::new, |r| format!("{} Spend kept.", no_curve_text(r))),
    };
    let lead = match row.strategy {
        Some(Strategy::Grow) => "More spend here returns more than elsewhere.",
        Some(Strategy::Cut) => match row.renewal.as_ref().map(|r| r.verdict) {
            Some(crate::metrics::renewal::Verdict::Drop) => {
                "Cut: the renewal rules drop this creator."
            }
            _ => "Less spend here costs less outcome than it buys elsewhere.",
        },
        Some(Strategy::Keep) => "Keep the current spend.",
        None => "",
    };
    format!("{lead} {marginal}{renewal}").trim().to_owned()
}

/// The assumptions of a plan table, as `(label, value)` lines.
pub fn assumptions(plan: &Plan, table: &PlanTable) -> Vec<(&'static str, String)> {
    vec![
        ("As of", format_day(plan.as_of)),
        ("Pace window", pace_window_text()),
        ("Forecast range", RANGE_TEXT.to_owned()),
        (
            "Pace warnings",
            format!(
                "projected spend above {:.0}% or below {:.0}% of budget",
                OVER_PACE * 100.0,
                UNDER_PACE * 100.0
            ),
        ),
        (
            "Curve",
            format!(
                "weekly {} = a·ln(1 + spend/b), least squares over the weeks with spend of the last {HISTORY_WEEKS} weeks; needs {MIN_WEEKS} weeks and a spend coefficient of variation of {MIN_SPEND_CV}; range: a ± 2 standard errors at the fitted b",
                plan.outcome.name()
            ),
        ),
        (
            "Last quarter",
            format!(
                "{} to {} ({QUARTER_WEEKS} weeks)",
                format_day(plan.quarter.0),
                format_day(plan.quarter.1)
            ),
        ),
        (
            "Budget",
            format!("{:.2} over the next {QUARTER_WEEKS} weeks, spent evenly", table.budget),
        ),
        (
            "Caps and floors",
            format!(
                "current spend ± {:.0}% (creators to drop: only cut; to renegotiate: not grown); groups without a curve keep their current spend and last quarter's outcome",
                table.bound_share * 100.0
            ),
        ),
        ("Split by", table.dimension.name().to_owned()),
    ]
}

/// How far to trust a plan table, in plain words.
pub fn trust_text(table: &PlanTable, outcome: Outcome, style: &NumberStyle) -> String {
    let curves: Vec<_> = table.rows.iter().filter_map(|r| r.curve).collect();
    if curves.is_empty() {
        return "No group has enough varied history for a curve: there is nothing to reallocate on, and the table keeps every current spend.".into();
    }
    let (lo_r2, hi_r2) = curves.iter().fold((f64::MAX, f64::MIN), |(lo, hi), c| {
        (lo.min(c.r2), hi.max(c.r2))
    });
    let straight = curves.iter().filter(|c| c.near_linear).count();
    let gain = table.expected.0 - table.expected_at_current;
    let half_range = (table.expected.2 - table.expected.1) / 2.0;
    let pct = if table.expected_at_current > 0.0 {
        format!(" ({:+.1}%)", gain / table.expected_at_current * 100.0)
    } else {
        String::new()
    };
    let level = if gain.abs() < half_range {
        "Low"
    } else if lo_r2 >= 0.6 {
        "Moderate"
    } else {
        "Low to moderate"
    };
    let mut out = format!(
        "{level} trust. The curves explain {:.0}–{:.0}% of the week-to-week {} (R²) of {} group(s) with a curve",
        lo_r2.max(0.0) * 100.0,
        hi_r2 * 100.0,
        outcome.name(),
        curves.len()
    );
    if table.kept > 0 {
        out.push_str(&format!(
            "; {} group(s) without one keep their spend",
            table.kept
        ));
    }
    out.push_str(". ");
    if straight > 0 {
        out.push_str(&format!(
            "{straight} of them are all but straight lines (no diminishing returns within the spend seen), so the proposal follows differences in average return and the caps hold it back. "
        ));
    }
    out.push_str(&format!(
        "The expected gain over the current split, {}{pct}, is {} the range of the expected total (± {}). ",
        outcome_text(outcome, gain, style),
        if gain.abs() < half_range { "within" } else { "beyond" },
        outcome_text(outcome, half_range, style)
    ));
    out.push_str("The curves come from past weeks of this data, not from an experiment: spend went where it was expected to work, so they can overstate what more spend would return. Use the proposal as a direction to test, not a forecast.");
    out
}

/// The plan as CSV: the export context and the assumptions as `# ` lines, then one row
/// per group of each table (escaped like every export).
pub fn plan_csv(
    context: &ExportContext,
    plan: &Plan,
    tables: &[PlanTable],
    style: &NumberStyle,
) -> String {
    let mut ctx = context.clone();
    if let Some(first) = tables.first() {
        ctx.entries.extend(assumptions(plan, first));
    }
    let headers = [
        "Split by",
        "Group",
        "Current spend",
        "Floor",
        "Cap",
        "Proposed spend",
        "Expected outcome",
        "Expected low",
        "Expected high",
        "Marginal return now (outcome per unit of spend)",
        "Curve a (weekly)",
        "Curve b (weekly)",
        "R²",
        "Weeks fitted",
        "Strategy",
        "Note",
    ];
    let n = |x: Option<f64>| ExportCell::Number(x.filter(|v| v.is_finite()));
    let weeks = f64::from(QUARTER_WEEKS);
    let mut rows: Vec<Vec<ExportCell>> = Vec::new();
    for t in tables {
        for r in &t.rows {
            let note = if t.dimension == Dimension::Creator {
                strategy_reason(r, plan.outcome, style)
            } else {
                r.no_curve.as_ref().map(no_curve_text).unwrap_or_default()
            };
            rows.push(vec![
                ExportCell::Text(t.dimension.name().to_owned()),
                ExportCell::Text(r.key.clone()),
                n(Some(r.current)),
                n(Some(r.floor)),
                n(Some(r.cap)),
                n(Some(r.proposed)),
                n(r.expected.map(|e| e.0)),
                n(r.expected.map(|e| e.1)),
                n(r.expected.map(|e| e.2)),
                n(r.marginal_now),
                n(r.curve.map(|c| c.a / weeks)),
                n(r.curve.map(|c| c.b / weeks)),
                n(r.curve.map(|c| c.r2)),
                n(r.curve.map(|c| c.weeks as f64)),
                ExportCell::Text(r.strategy.map(|s| s.name().to_owned()).unwrap_or_default()),
                ExportCell::Text(note),
            ]);
        }
        rows.push(vec![
            ExportCell::Text(t.dimension.name().to_owned()),
            ExportCell::Text("Total".into()),
            n(Some(t.current_total)),
            ExportCell::Number(None),
            ExportCell::Number(None),
            n(Some(t.proposed_total)),
            n(Some(t.expected.0)),
            n(Some(t.expected.1)),
            n(Some(t.expected.2)),
            n(t.lambda),
            ExportCell::Number(None),
            ExportCell::Number(None),
            ExportCell::Number(None),
            ExportCell::Number(None),
            ExportCell::Text(String::new()),
            ExportCell::Text(format!(
                "Expected at the current split: {:.2}",
                t.expected_at_current
            )),
        ]);
    }
    let mut out = table_csv(&ctx, &headers, &rows);
    // The forecasts, as a second table after a blank line.
    let forecast_headers = [
        "Campaign",
        "Budget",
        "Spent to date",
        "Projected spend",
        "Projected low",
        "Projected high",
        "Projected share of budget",
        "Exhaust date",
        "Daily spend landing on budget",
        "Status",
    ];
    let forecast_rows: Vec<Vec<ExportCell>> = plan
        .forecasts
        .iter()
        .map(|f| {
            vec![
                ExportCell::Text(f.campaign_id.clone()),
                n(Some(f.budget)),
                n(Some(f.spent)),
                n(f.projected),
                n(f.low),
                n(f.high),
                n(f.projected_share()),
                ExportCell::Text(f.exhaust_date.map(format_day).unwrap_or_default()),
                n(f.landing_daily),
                ExportCell::Text(status_text(f).to_owned()),
            ]
        })
        .collect();
    let forecasts = table_csv(
        &ExportContext {
            entries: Vec::new(),
        },
        &forecast_headers,
        &forecast_rows,
    );
    out.push('\n');
    out.push_str(forecasts.trim_start_matches(crate::data::export::UTF8_BOM));
    out
}

/// The plan in a few lines for the quarterly report: the forecasts' warnings, then the
/// proposal's total against the current split and the trust sentence.
pub fn summary_lines(plan: &Plan, table: &PlanTable, style: &NumberStyle) -> Vec<String> {
    let mut lines: Vec<String> = plan
        .forecasts
        .iter()
        .filter_map(|f| forecast_warning(f, &f.campaign_id))
        .collect();
    if lines.is_empty() {
        lines.push("No campaign is forecast to miss its budget by more than 10%.".into());
    }
    let moves: Vec<String> = table
        .rows
        .iter()
        .filter(|r| (r.proposed - r.current).abs() >= 0.005)
        .map(|r| {
            format!(
                "{} {} → {}",
                r.key,
                style.money(r.current),
                style.money(r.proposed)
            )
        })
        .collect();
    lines.push(format!(
        "Next quarter by {}: {} ({}). Expected {}: {} (range {} to {}), against {} at the current split.",
        table.dimension.name(),
        style.money(table.proposed_total),
        if moves.is_empty() {
            "no change".to_owned()
        } else {
            moves.join(", ")
        },
        plan.outcome.name(),
        outcome_text(plan.outcome, table.expected.0, style),
        outcome_text(plan.outcome, table.expected.1, style),
        outcome_text(plan.outcome, table.expected.2, style),
        outcome_text(plan.outcome, table.expected_at_current, style),
    ));
    lines.push(trust_text(table, plan.outcome, style));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::calendar::parse_iso_day;
    use crate::metrics::plan::PaceStatus;

    fn forecast(status: PaceStatus, projected: f64, exhaust: Option<&str>) -> Forecast {
        Forecast {
            campaign_id: "C08".into(),
            budget: 1000.0,
            start: parse_iso_day("2026-09-01").unwrap(),
            end: parse_iso_day("2026-12-31").unwrap(),
            as_of: parse_iso_day("2026-10-31").unwrap(),
            spent: 500.0,
            planned_to_date: 500.0,
            window: None,
            daily_mean: 10.0,
            daily_sd: 0.0,
            remaining_days: 61,
            projected: Some(projected),
            low: Some(projected),
            high: Some(projected),
            exhaust_date: exhaust.and_then(parse_iso_day),
            landing_daily: Some(8.2),
            status,
        }
    }

    #[test]
    fn warnings_are_worded_before_the_fact() {
        // 1,400 of 1,000 = 140%.
        let f = forecast(PaceStatus::Over, 1400.0, Some("2026-12-01"));
        assert_eq!(
            forecast_warning(&f, "C08").unwrap(),
            "At this pace C08 spends 140% of its budget by 2026-12-31: the budget runs out on 2026-12-01."
        );
        let f = forecast(PaceStatus::Under, 800.0, None);
        assert_eq!(
            forecast_warning(&f, "C08").unwrap(),
            "At this pace C08 spends only 80% of its budget by 2026-12-31."
        );
        assert!(forecast_warning(&forecast(PaceStatus::OnTrack, 1000.0, None), "C08").is_none());
    }

    #[test]
    fn the_note_shows_the_recent_pace_beside_the_average() {
        // 1 September to 31 October: 61 days, 500 spent = 8.20 a day on average.
        let f = forecast(PaceStatus::Under, 800.0, None);
        assert_eq!(
            forecast_note(&f, &NumberStyle::default()),
            "$10.00 a day over the last 0 days ($8.20 a day on average since the start); 61 days left. Landing on budget takes $8.20 a day."
        );
    }

    #[test]
    fn marginal_returns_read_in_the_objectives_terms() {
        let style = NumberStyle::default();
        assert_eq!(marginal_text(Outcome::Revenue, 4.723, &style), "4.72×");
        // 0.04 leads per dollar: 25 dollars a lead.
        assert_eq!(marginal_text(Outcome::Leads, 0.04, &style), "$25.00");
        // 200 impressions per dollar: 5 dollars per thousand.
        assert_eq!(marginal_text(Outcome::Impressions, 200.0, &style), "$5.00");
        assert_eq!(marginal_text(Outcome::Revenue, 0.0, &style), "n/a");
    }
}
