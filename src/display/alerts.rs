//! The words of an alert: [`message`] turns its [`Finding`] (figures with units) into
//! one sentence in the user's [`NumberStyle`]. Every place that shows alert text (the
//! alert list, the report page, the e-mail report) calls it, so an alert answer itself
//! depends on no currency symbol or number style.

use crate::metrics::alerts::{Alert, Finding, PostRef, Subject, NAMED_POSTS};

use super::format::NumberStyle;

/// The label of a subject ("Campaign C1", "Platform instagram", "Creator K1", "Post P1").
pub fn subject_label(subject: &Subject) -> String {
    match subject {
        Subject::Campaign(id) => format!("Campaign {id}"),
        Subject::Platform(id) => format!("Platform {id}"),
        Subject::Creator(id) => format!("Creator {id}"),
        Subject::Post(id) => format!("Post {id}"),
    }
}

/// The id or key of a subject.
fn subject_id(subject: &Subject) -> &str {
    match subject {
        Subject::Campaign(id)
        | Subject::Platform(id)
        | Subject::Creator(id)
        | Subject::Post(id) => id,
    }
}

/// A fraction as a percentage with one decimal: 0.0123 → `1.2%` (alert sentences keep
/// this fixed form, whatever the number style).
fn pct(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// A fraction as a whole percentage: 0.3 → `30`.
fn whole_pct(fraction: f64) -> String {
    format!("{:.0}", fraction * 100.0)
}

/// "P1, P2, P3 and 4 more" (the first [`NAMED_POSTS`] ids).
fn named(posts: &[PostRef]) -> String {
    let ids: Vec<&str> = posts
        .iter()
        .take(NAMED_POSTS)
        .map(|p| p.id.as_str())
        .collect();
    match posts.len().saturating_sub(NAMED_POSTS) {
        0 if ids.len() > 1 => {
            let (last, rest) = ids.split_last().unwrap_or((&"", &[]));
            format!("{} and {last}", rest.join(", "))
        }
        0 => ids.concat(),
        more => format!("{} and {more} more", ids.join(", ")),
    }
}

/// The compliance sentence: contract terms not met, and/or the undisclosed posts.
fn compliance(label: &str, contract_breached: bool, posts: &[PostRef]) -> String {
    let posts_part = match posts.len() {
        0 => String::new(),
        1 => format!(
            "1 sponsored post has no ad disclosure (#ad / paid partnership): {}",
            named(posts)
        ),
        n => format!(
            "{n} sponsored posts have no ad disclosure (#ad / paid partnership): {}",
            named(posts)
        ),
    };
    match (contract_breached, posts.is_empty()) {
        (true, true) => format!("{label}: contract terms were not met."),
        (true, false) => format!("{label}: contract terms were not met, and {posts_part}."),
        (false, _) => format!("{label}: {posts_part}."),
    }
}

/// The one sentence people read for `alert`, money and counts in `style`.
pub fn message(alert: &Alert, style: &NumberStyle) -> String {
    let label = subject_label(&alert.subject);
    let id = subject_id(&alert.subject);
    match &alert.finding {
        Finding::EngagementBelowTarget { rate, drop, target } => match alert.subject {
            Subject::Platform(_) => format!(
                "{id}: engagement rate {} is more than {}% below the platform target of {}.",
                pct(rate.value),
                whole_pct(drop.value),
                pct(target.value)
            ),
            _ => format!(
                "{label}: engagement rate {} is more than {}% below its target of {}.",
                pct(rate.value),
                whole_pct(drop.value),
                pct(target.value)
            ),
        },
        Finding::ConversionRateLow { rate, min } => format!(
            "{label}: conversion rate {} is below {}.",
            pct(rate.value),
            pct(min.value)
        ),
        Finding::RoasLow { roas, min } => format!(
            "{label}: ROAS {:.2}:1 is below {:.1}:1.",
            roas.value, min.value
        ),
        Finding::RoasAboveTarget {
            roas,
            target,
            margin,
        } => format!(
            "{label}: ROAS {:.2}:1 beats the {:.1}:1 target by {}% or more.",
            roas.value,
            target.value,
            whole_pct(margin.value)
        ),
        Finding::BudgetOverPaced { pacing, max } => format!(
            "{label}: spend is at {} of plan to date (over {}).",
            pct(pacing.value),
            pct(max.value)
        ),
        Finding::InfluencerScoreLow { score, min } => format!(
            "{label}: influencer score {:.0} is below {:.0}.",
            score.value, min.value
        ),
        Finding::PartnershipRevenue { revenue } => format!(
            "{label}: the partnership generated {} in revenue.",
            style.money(revenue.value)
        ),
        Finding::ViralPost { impressions } => format!(
            "{label} reached {} impressions.",
            style.number(impressions.value, 0)
        ),
        Finding::Compliance { contract_breached } => {
            compliance(&label, *contract_breached, &alert.posts)
        }
        Finding::Anomaly { .. } => anomaly(&label, &alert.subject, &alert.finding),
    }
}

/// A figure of the anomaly rule: a ratio as a percentage, a multiple as `4.20:1`.
fn anomaly_figure(f: &crate::metrics::alerts::Figure) -> String {
    match f.unit {
        crate::metrics::registry::Unit::Multiple => format!("{:.2}:1", f.value),
        _ => pct(f.value),
    }
}

/// The anomaly sentence, with its baseline: "Creator K12: engagement rate 14.2% in the
/// week to 2026-10-31 is 4.1 robust deviations above its baseline of 6.1% ± 0.9%
/// (median of 8 weeks of the 8 before; alert beyond 3.0)."
fn anomaly(label: &str, subject: &Subject, finding: &Finding) -> String {
    let Finding::Anomaly {
        kpi,
        value,
        median,
        deviation,
        deviations,
        threshold,
        points,
        weeks,
        week_end,
    } = finding
    else {
        return String::new();
    };
    let name = match kpi {
        crate::metrics::registry::KpiId::Roas => "ROAS".to_owned(),
        other => other.def().name.to_lowercase(),
    };
    let direction = if *deviations > 0.0 { "above" } else { "below" };
    let drawn = match subject {
        Subject::Post(_) => {
            format!("{points} posts of its creator (or platform) in the {weeks} weeks before")
        }
        _ => format!("{points} of the {weeks} weeks before"),
    };
    format!(
        "{label}: {name} {} in the week to {} is {:.1} robust deviations {direction} its baseline of {} ± {} (median of {drawn}; alerts beyond {threshold:.1}).",
        anomaly_figure(value),
        crate::data::calendar::format_day(*week_end),
        deviations.abs(),
        anomaly_figure(median),
        anomaly_figure(deviation),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ingest::NumberLocale;
    use crate::metrics::alerts::{AlertRule, Figure, Severity};

    fn alert(subject: Subject, finding: Finding) -> Alert {
        Alert {
            severity: Severity::Warning,
            rule: AlertRule::RoasLow,
            link: subject.link(),
            subject,
            value: 0.0,
            threshold: 0.0,
            finding,
            posts: Vec::new(),
        }
    }

    fn style(symbol: &str) -> NumberStyle {
        NumberStyle {
            currency_symbol: symbol.into(),
            locale: NumberLocale::DotDecimal,
        }
    }

    #[test]
    fn each_finding_is_worded_as_before_the_split() {
        let campaign = || Subject::Campaign("C1".into());
        let cases = [
            (
                alert(
                    campaign(),
                    Finding::EngagementBelowTarget {
                        rate: Figure::ratio(0.0123),
                        drop: Figure::ratio(0.3),
                        target: Figure::ratio(0.03),
                    },
                ),
                // 0.0123 → 1.2%, 0.3 → 30%, 0.03 → 3.0%.
                "Campaign C1: engagement rate 1.2% is more than 30% below its target of 3.0%.",
            ),
            (
                alert(
                    Subject::Platform("x".into()),
                    Finding::EngagementBelowTarget {
                        rate: Figure::ratio(0.004),
                        drop: Figure::ratio(0.3),
                        target: Figure::ratio(0.01),
                    },
                ),
                "x: engagement rate 0.4% is more than 30% below the platform target of 1.0%.",
            ),
            (
                alert(
                    campaign(),
                    Finding::ConversionRateLow {
                        rate: Figure::ratio(0.015),
                        min: Figure::ratio(0.02),
                    },
                ),
                "Campaign C1: conversion rate 1.5% is below 2.0%.",
            ),
            (
                alert(
                    campaign(),
                    Finding::RoasLow {
                        roas: Figure::multiple(1.4),
                        min: Figure::multiple(3.0),
                    },
                ),
                "Campaign C1: ROAS 1.40:1 is below 3.0:1.",
            ),
            (
                alert(
                    campaign(),
                    Finding::RoasAboveTarget {
                        roas: Figure::multiple(8.126),
                        target: Figure::multiple(5.0),
                        margin: Figure::ratio(0.5),
                    },
                ),
                // 8.126 to two decimals: 8.13.
                "Campaign C1: ROAS 8.13:1 beats the 5.0:1 target by 50% or more.",
            ),
            (
                alert(
                    campaign(),
                    Finding::BudgetOverPaced {
                        pacing: Figure::ratio(1.25),
                        max: Figure::ratio(1.1),
                    },
                ),
                "Campaign C1: spend is at 125.0% of plan to date (over 110.0%).",
            ),
            (
                alert(
                    Subject::Creator("K1".into()),
                    Finding::InfluencerScoreLow {
                        score: Figure::score(64.6),
                        min: Figure::score(70.0),
                    },
                ),
                "Creator K1: influencer score 65 is below 70.",
            ),
            (
                alert(
                    Subject::Post("P9".into()),
                    Finding::ViralPost {
                        impressions: Figure::count(1_234_567.0),
                    },
                ),
                "Post P9 reached 1,234,567 impressions.",
            ),
            (
                alert(
                    Subject::Creator("K2".into()),
                    Finding::Compliance {
                        contract_breached: true,
                    },
                ),
                "Creator K2: contract terms were not met.",
            ),
        ];
        for (a, expected) in &cases {
            assert_eq!(message(a, &style("$")), *expected);
            // No figure of these is money: the currency symbol changes nothing.
            assert_eq!(message(a, &style("€")), *expected);
        }
    }

    #[test]
    fn a_revenue_alert_is_worded_in_each_currency_symbol() {
        let a = alert(
            Subject::Creator("K1".into()),
            Finding::PartnershipRevenue {
                revenue: Figure::money(123_456.5),
            },
        );
        assert_eq!(
            message(&a, &style("$")),
            "Creator K1: the partnership generated $123,456.50 in revenue."
        );
        assert_eq!(
            message(&a, &style("€")),
            "Creator K1: the partnership generated €123,456.50 in revenue."
        );
        // A comma-decimal style groups with dots: 123.456,50.
        let comma = NumberStyle {
            currency_symbol: "kr ".into(),
            locale: NumberLocale::CommaDecimal,
        };
        assert_eq!(
            message(&a, &comma),
            "Creator K1: the partnership generated kr 123.456,50 in revenue."
        );
        // The alert itself holds the figure, not the words.
        assert_eq!(
            a.finding,
            Finding::PartnershipRevenue {
                revenue: Figure::money(123_456.5)
            }
        );
    }

    #[test]
    fn compliance_names_three_posts_then_counts() {
        let posts: Vec<PostRef> = (1..=5)
            .map(|n| PostRef {
                id: format!("A{n}"),
                link: String::new(),
            })
            .collect();
        let mut a = alert(
            Subject::Creator("K3".into()),
            Finding::Compliance {
                contract_breached: true,
            },
        );
        a.posts = posts;
        assert_eq!(
            message(&a, &NumberStyle::default()),
            "Creator K3: contract terms were not met, and 5 sponsored posts have no ad \
             disclosure (#ad / paid partnership): A1, A2, A3 and 2 more."
        );
    }
}
