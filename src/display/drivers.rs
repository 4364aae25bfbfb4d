//! "Why it moved" in words: a KPI's change and its largest effects, e.g.
//! "ROAS fell 0.6: TikTok's rate fell (−0.4) and spend moved to YouTube (−0.2)".

use crate::metrics::drivers::{Driver, Drivers};
use crate::metrics::engine::Dimension;
use crate::metrics::registry::Unit;

use super::format::NumberStyle;

/// How many effects a sentence names.
pub const TOP_EFFECTS: usize = 3;

/// One effect of a group: its mix or its rate (separate effects in a sentence).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Effect<'a> {
    Mix(&'a Driver),
    Rate(&'a Driver),
}

impl Effect<'_> {
    /// The effect's value in the KPI's unit.
    pub fn value(&self) -> f64 {
        match self {
            Effect::Mix(d) => d.mix,
            Effect::Rate(d) => d.rate,
        }
    }
}

/// The `n` largest effects (mix and rate apart), largest first; effects of 0 left out.
pub fn top_effects(d: &Drivers, n: usize) -> Vec<Effect<'_>> {
    let mut effects: Vec<Effect> = d
        .drivers
        .iter()
        .flat_map(|g| [Effect::Mix(g), Effect::Rate(g)])
        .filter(|e| e.value() != 0.0 && e.value().is_finite())
        .collect();
    effects.sort_by(|a, b| b.value().abs().total_cmp(&a.value().abs()));
    effects.truncate(n);
    effects
}

/// A change in the KPI's unit, signed with a true minus: `−0.4`, `+1.2 pp`, `−$3.10`
/// (`0` for none).
pub fn signed(value: f64, unit: Unit, style: &NumberStyle) -> String {
    if value == 0.0 {
        return "0".to_owned();
    }
    let sign = if value < 0.0 { "−" } else { "+" };
    format!("{sign}{}", magnitude(value.abs(), unit, style))
}

/// A size of change without sign: ratios in percentage points, multiples with one
/// decimal (two under 0.1), money and counts as their unit writes them.
pub fn magnitude(value: f64, unit: Unit, style: &NumberStyle) -> String {
    let decimals = |v: f64| if v != 0.0 && v < 0.1 { 2 } else { 1 };
    match unit {
        Unit::Ratio => {
            let points = value * 100.0;
            format!("{} pp", style.number(points, decimals(points)))
        }
        Unit::Money => style.money(value),
        Unit::Count => style.compact(value),
        Unit::Hours => format!("{} h", style.number(value, 1)),
        Unit::Multiple | Unit::Score | Unit::Rating => style.number(value, decimals(value)),
    }
}

/// The denominator as a sentence names it: cost is "spend"; a long name loses its
/// parenthesis ("engagements (likes + …)" is "engagements").
pub fn denominator_words(name: &str) -> String {
    let short = name.split(" (").next().unwrap_or(name).trim();
    match short {
        "cost" => "spend".to_owned(),
        "" => "volume".to_owned(),
        other => other.to_owned(),
    }
}

fn effect_words(
    effect: &Effect,
    d: &Drivers,
    name: &str,
    unit: Unit,
    style: &NumberStyle,
) -> String {
    let value = signed(effect.value(), unit, style);
    match effect {
        Effect::Rate(_) if d.denominator.is_empty() => {
            let verb = if effect.value() < 0.0 { "fell" } else { "rose" };
            format!("{name} {verb} ({value})")
        }
        Effect::Rate(_) => {
            let verb = if effect.value() < 0.0 { "fell" } else { "rose" };
            format!("{name}'s rate {verb} ({value})")
        }
        Effect::Mix(g) => {
            let what = denominator_words(&d.denominator);
            if g.share.1 >= g.share.0 {
                format!("{what} moved to {name} ({value})")
            } else {
                format!("{what} moved away from {name} ({value})")
            }
        }
    }
}

/// "A, B and C".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The change and its top three effects in words, in the KPI's unit:
/// "ROAS fell 0.6: TikTok's rate fell (−0.4) and spend moved to YouTube (−0.2)".
/// `names` gives a group's display name from its dimension and key.
pub fn drivers_sentence(
    d: &Drivers,
    names: impl Fn(Dimension, &str) -> String,
    style: &NumberStyle,
) -> String {
    let def = d.kpi.def();
    let change = d.change();
    let head = if change == 0.0 {
        format!("{} did not move", def.name)
    } else {
        let verb = if change < 0.0 { "fell" } else { "rose" };
        format!(
            "{} {verb} {}",
            def.name,
            magnitude(change.abs(), def.unit, style)
        )
    };
    let effects = top_effects(d, TOP_EFFECTS);
    if effects.is_empty() {
        return head;
    }
    let words: Vec<String> = effects
        .iter()
        .map(|e| {
            let g = match e {
                Effect::Mix(g) | Effect::Rate(g) => g,
            };
            effect_words(e, d, &names(g.dimension, &g.key), def.unit, style)
        })
        .collect();
    format!("{head}: {}", and_list(&words))
}

/// A platform's display name ("tiktok" is "TikTok"); other keys as they are.
pub fn platform_name(key: &str) -> String {
    match key {
        "instagram" => "Instagram".into(),
        "tiktok" => "TikTok".into(),
        "youtube" => "YouTube".into(),
        "x" => "X".into(),
        "facebook" => "Facebook".into(),
        other => other.into(),
    }
}

/// The name of a group without a key: "posts without a campaign".
pub fn unkeyed(dimension: Dimension) -> String {
    format!("posts without a {}", dimension.name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::registry::KpiId;

    fn driver(key: &str, mix: f64, rate: f64, share: (f64, f64)) -> Driver {
        Driver {
            dimension: Dimension::Platform,
            key: key.into(),
            mix,
            rate,
            share,
        }
    }

    #[test]
    fn the_issue_sentence() {
        // ROAS 3.0 → 2.4: TikTok's rate −0.4, spend moved to YouTube −0.2.
        let d = Drivers {
            kpi: KpiId::Roas,
            dimension: Dimension::Platform,
            before: 3.0,
            after: 2.4,
            drivers: vec![
                driver("tiktok", 0.0, -0.4, (0.5, 0.5)),
                driver("youtube", -0.2, 0.0, (0.2, 0.4)),
            ],
            denominator: "cost".into(),
        };
        let text = drivers_sentence(&d, |_, k| platform_name(k), &NumberStyle::default());
        assert_eq!(
            text,
            "ROAS fell 0.6: TikTok's rate fell (−0.4) and spend moved to YouTube (−0.2)"
        );
    }

    #[test]
    fn ratios_in_points_and_totals_without_rate() {
        let style = NumberStyle::default();
        assert_eq!(signed(0.0123, Unit::Ratio, &style), "+1.2 pp");
        assert_eq!(signed(-0.0004, Unit::Ratio, &style), "−0.04 pp");
        assert_eq!(signed(0.0, Unit::Multiple, &style), "0");
        let d = Drivers {
            kpi: KpiId::Impressions,
            dimension: Dimension::Format,
            before: 2_000_000.0,
            after: 1_500_000.0,
            drivers: vec![driver("reel", 0.0, -500_000.0, (0.0, 0.0))],
            denominator: String::new(),
        };
        assert_eq!(
            drivers_sentence(&d, |_, k| k.to_owned(), &style),
            "Impressions fell 500,000: reel fell (−500,000)"
        );
    }
}
