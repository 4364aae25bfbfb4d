//! Display formatting of KPI values by their registry [`Unit`], in the user's currency
//! symbol and number locale. `data-value` hooks use [`raw_value`], never these strings.

use crate::data::ingest::NumberLocale;
use crate::metrics::engine::{Coverage, KpiValue};
use crate::metrics::registry::{Target, Unit};
use crate::metrics::settings::Preferences;

/// How numbers are written: currency symbol and decimal/thousands separators.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberStyle {
    pub currency_symbol: String,
    pub locale: NumberLocale,
}

impl Default for NumberStyle {
    fn default() -> Self {
        NumberStyle {
            currency_symbol: "$".into(),
            locale: NumberLocale::DotDecimal,
        }
    }
}

impl NumberStyle {
    /// The style the preferences choose (currency symbol and number locale).
    pub fn of(prefs: &Preferences) -> NumberStyle {
        NumberStyle {
            currency_symbol: prefs.currency_symbol.clone(),
            locale: prefs.number_locale,
        }
    }

    fn separators(&self) -> (char, char) {
        match self.locale {
            NumberLocale::DotDecimal => (',', '.'),
            NumberLocale::CommaDecimal => ('.', ','),
        }
    }

    /// `value` with `decimals` decimals and thousands grouping (`1,234.50`).
    pub fn number(&self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return "n/a".into();
        }
        let (thousands, decimal) = self.separators();
        let digits = format!("{:.*}", decimals, value.abs());
        let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
        let mut out = String::new();
        let is_zero = digits.chars().all(|c| c == '0' || c == '.');
        if value < 0.0 && !is_zero {
            out.push('-');
        }
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(thousands);
            }
            out.push(ch);
        }
        if !frac.is_empty() {
            out.push(decimal);
            out.push_str(frac);
        }
        out
    }

    /// Large numbers shortened: `7.2M`, `1.3B`; below a million, grouped integers.
    pub fn compact(&self, value: f64) -> String {
        let abs = value.abs();
        if abs >= 1e9 {
            format!("{}B", self.number(value / 1e9, 1))
        } else if abs >= 1e6 {
            format!("{}M", self.number(value / 1e6, 1))
        } else {
            self.number(value, 0)
        }
    }

    /// Money: `$1,234.50`; a million and over `$1.2M`.
    pub fn money(&self, value: f64) -> String {
        let sign = if value < 0.0 { "-" } else { "" };
        let body = if value.abs() >= 1e6 {
            self.compact(value.abs())
        } else {
            self.number(value.abs(), 2)
        };
        format!("{sign}{}{body}", self.currency_symbol)
    }

    /// A fraction as a percentage: 0.062 → `6.2%` (two decimals under 1%).
    pub fn percent(&self, fraction: f64) -> String {
        let pct = fraction * 100.0;
        let decimals = if pct != 0.0 && pct.abs() < 1.0 { 2 } else { 1 };
        format!("{}%", self.number(pct, decimals))
    }

    /// A raw value in its unit's display form.
    pub fn value(&self, value: f64, unit: Unit) -> String {
        if !value.is_finite() {
            return "n/a".into();
        }
        match unit {
            Unit::Ratio => self.percent(value),
            Unit::Money => self.money(value),
            Unit::Count => self.compact(value),
            Unit::Multiple => format!("{}:1", self.number(value, 1)),
            Unit::Hours => format!("{} h", self.number(value, 1)),
            Unit::Score => self.number(value, 0),
            Unit::Rating => format!("{} / 5", self.number(value, 1)),
        }
    }

    /// A KPI value, or `n/a — <reason>`.
    pub fn kpi(&self, value: &KpiValue, unit: Unit) -> String {
        match value {
            KpiValue::Value(v) if v.is_finite() => self.value(*v, unit),
            KpiValue::Value(_) => na_text("not a finite number"),
            KpiValue::NotAvailable { reason } => na_text(reason),
        }
    }

    /// A target in words: `≥ 5.0:1`, `≤ $35.00`, `5.0%–8.0%`, `≥ site AOV + 15%`.
    pub fn target(&self, target: &Target, unit: Unit) -> String {
        match *target {
            Target::AtLeast(v) => format!("≥ {}", self.value(v, unit)),
            Target::AtMost(v) => format!("≤ {}", self.value(v, unit)),
            Target::Range(lo, hi) => format!("{}–{}", self.value(lo, unit), self.value(hi, unit)),
            Target::AboveSiteAov(f) => format!("≥ site AOV + {}", self.percent(f)),
        }
    }

    /// A relative change with an arrow: `▲ 12.0%`, `▼ 3.1%`, `— no comparison`.
    pub fn change(&self, change: Option<f64>) -> String {
        match change.filter(|c| c.is_finite()) {
            Some(c) if c > 0.0 => format!("▲ {}", self.percent(c)),
            Some(c) if c < 0.0 => format!("▼ {}", self.percent(-c)),
            Some(_) => format!("▶ {}", self.percent(0.0)),
            None => "— no comparison".into(),
        }
    }
}

/// The visible text of an unavailable value.
pub fn na_text(reason: &str) -> String {
    format!("n/a — {reason}")
}

/// The `data-value` attribute: the raw number in the KPI's unit, empty when n/a.
pub fn raw_value(value: &KpiValue) -> String {
    raw_number(value.value())
}

/// The `data-coverage` of a KPI value: `"<rows used>/<rows in scope>"`.
pub fn coverage_attr(coverage: Option<Coverage>) -> Option<String> {
    coverage.map(|c| format!("{}/{}", c.used, c.of))
}

/// A sentence for a KPI that could use only some of the scope's rows; `None` when it
/// used them all (or is not computed from rows).
pub fn coverage_note(coverage: Option<Coverage>) -> Option<String> {
    let c = coverage.filter(|c| c.used < c.of)?;
    let posts = if c.of == 1 { "post" } else { "posts" };
    Some(format!(
        "over {} of {} {posts} that report every input",
        c.used, c.of
    ))
}

/// A raw number for a data attribute; empty for none or a non-finite number.
pub fn raw_number(value: Option<f64>) -> String {
    value
        .filter(|v| v.is_finite())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> NumberStyle {
        NumberStyle::default()
    }

    fn eu() -> NumberStyle {
        NumberStyle {
            currency_symbol: "€".into(),
            locale: NumberLocale::CommaDecimal,
        }
    }

    #[test]
    fn formats_each_unit() {
        let s = us();
        assert_eq!(s.value(0.062, Unit::Ratio), "6.2%");
        assert_eq!(s.value(0.0012, Unit::Ratio), "0.12%");
        assert_eq!(s.value(1234.5, Unit::Money), "$1,234.50");
        assert_eq!(s.value(-5.0, Unit::Money), "-$5.00");
        assert_eq!(s.value(2_500_000.0, Unit::Money), "$2.5M");
        assert_eq!(s.value(5.0, Unit::Multiple), "5.0:1");
        assert_eq!(s.value(12_500.0, Unit::Count), "12,500");
        assert_eq!(s.value(7_200_000.0, Unit::Count), "7.2M");
        assert_eq!(s.value(1_260_000_000.0, Unit::Count), "1.3B");
        assert_eq!(s.value(18.0, Unit::Hours), "18.0 h");
        assert_eq!(s.value(85.4, Unit::Score), "85");
        assert_eq!(s.value(4.66, Unit::Rating), "4.7 / 5");
    }

    #[test]
    fn comma_decimal_locale_swaps_separators() {
        let s = eu();
        assert_eq!(s.value(1234.5, Unit::Money), "€1.234,50");
        assert_eq!(s.value(0.062, Unit::Ratio), "6,2%");
        assert_eq!(s.number(1_234_567.891, 1), "1.234.567,9");
    }

    #[test]
    fn never_prints_nan_or_infinity() {
        let s = us();
        assert_eq!(s.value(f64::NAN, Unit::Ratio), "n/a");
        assert_eq!(
            s.kpi(&KpiValue::Value(f64::INFINITY), Unit::Money),
            "n/a — not a finite number"
        );
        assert_eq!(raw_value(&KpiValue::Value(f64::NAN)), "");
        assert_eq!(s.number(-0.001, 2), "0.00");
    }

    #[test]
    fn na_and_raw_values() {
        let s = us();
        let na = KpiValue::na("clicks is 0 in this selection (division by zero)");
        assert_eq!(
            s.kpi(&na, Unit::Ratio),
            "n/a — clicks is 0 in this selection (division by zero)"
        );
        assert_eq!(raw_value(&na), "");
        assert_eq!(raw_value(&KpiValue::Value(0.062)), "0.062");
        assert_eq!(raw_value(&KpiValue::Value(5.0)), "5");
    }

    #[test]
    fn targets_and_changes() {
        let s = us();
        assert_eq!(s.target(&Target::AtLeast(5.0), Unit::Multiple), "≥ 5.0:1");
        assert_eq!(s.target(&Target::AtMost(35.0), Unit::Money), "≤ $35.00");
        assert_eq!(
            s.target(&Target::Range(0.05, 0.08), Unit::Ratio),
            "5.0%–8.0%"
        );
        assert_eq!(
            s.target(&Target::AboveSiteAov(0.15), Unit::Money),
            "≥ site AOV + 15.0%"
        );
        assert_eq!(s.change(Some(0.12)), "▲ 12.0%");
        assert_eq!(s.change(Some(-0.031)), "▼ 3.1%");
        assert_eq!(s.change(None), "— no comparison");
        assert_eq!(s.change(Some(f64::NAN)), "— no comparison");
    }
}
