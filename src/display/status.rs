//! Status colours: the CSS classes that show where a KPI stands against its target and
//! which way a trend went. One rule for every card, table cell and report row; the
//! good/bad judgement itself is [`Status::is_good`] and [`crate::metrics::trend`]'s.

use crate::metrics::registry::Direction;
use crate::metrics::targets::Status;

/// CSS class of a status, as the contract names it (`status-on_target`, …).
pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::OnTarget => "status-on_target",
        Status::Above => "status-above",
        Status::Below => "status-below",
        Status::NoTarget => "status-no_target",
    }
}

/// The colour class of good news, bad news or neither: `good`, `bad` or `neutral`.
pub fn tone(good: Option<bool>) -> &'static str {
    match good {
        Some(true) => "good",
        Some(false) => "bad",
        None => "neutral",
    }
}

/// The colour class of a status for a KPI with `direction` (see [`Status::is_good`]).
pub fn status_tone(status: Status, direction: Direction) -> &'static str {
    tone(status.is_good(direction))
}

/// The class list of a KPI card: `kpi-card <status class> <tone>`.
pub fn card_class(status: Status, direction: Direction) -> String {
    format!(
        "kpi-card {} {}",
        status_class(status),
        status_tone(status, direction)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_are_coloured_by_status_and_direction() {
        // ER 9% against 5–8%, higher is better: above the range is good news.
        assert_eq!(
            card_class(Status::Above, Direction::HigherIsBetter),
            "kpi-card status-above good"
        );
        // CPA $40 against ≤ $35, lower is better: above the bound is bad news.
        assert_eq!(
            card_class(Status::Above, Direction::LowerIsBetter),
            "kpi-card status-above bad"
        );
        // Budget pacing 110% against 95–105%: outside a within-range target is bad.
        assert_eq!(
            card_class(Status::Above, Direction::WithinRange),
            "kpi-card status-above bad"
        );
        assert_eq!(
            card_class(Status::Below, Direction::LowerIsBetter),
            "kpi-card status-below good"
        );
        assert_eq!(
            card_class(Status::OnTarget, Direction::WithinRange),
            "kpi-card status-on_target good"
        );
        // No target (or n/a): neither good nor bad, as a snapshot card shows it.
        assert_eq!(
            card_class(Status::NoTarget, Direction::HigherIsBetter),
            "kpi-card status-no_target neutral"
        );
        assert_eq!(tone(None), "neutral");
    }
}
