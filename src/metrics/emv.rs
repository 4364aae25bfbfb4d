//! Earned media value, by the method chosen in Settings: a per-platform CPM
//! (Σ over platforms of CPM × impressions / 1000) or a value per action
//! (Σ likes × $/like + comments × $/comment + shares × $/share + saves × $/save + views × $/view).

use crate::data::schema::Measure;
use crate::data::store::Posts;

use super::engine::{KpiValue, Sums};
use super::settings::{EmvMethod, Settings};

/// Impressions of one platform in a scope.
#[derive(Clone, Copy, Debug)]
pub struct PlatformImpressions<'a> {
    pub platform: &'a str,
    pub impressions: f64,
}

/// EMV of a scope.
pub fn emv(
    posts: &Posts,
    sums: &Sums,
    platforms: &[PlatformImpressions],
    settings: &Settings,
) -> KpiValue {
    match settings.emv_method {
        EmvMethod::Cpm => {
            if !posts.has(Measure::Impressions) {
                return KpiValue::na("needs column(s): impressions");
            }
            let missing: Vec<&str> = platforms
                .iter()
                .filter(|p| !settings.emv_cpm.contains_key(p.platform))
                .map(|p| p.platform)
                .collect();
            if !missing.is_empty() {
                return KpiValue::na(format!(
                    "no EMV CPM set for platform(s): {} (Settings)",
                    missing.join(", ")
                ));
            }
            let value = platforms
                .iter()
                .map(|p| {
                    settings.emv_cpm.get(p.platform).copied().unwrap_or(0.0) * p.impressions
                        / 1000.0
                })
                .sum::<f64>();
            finite(value)
        }
        EmvMethod::PerAction => {
            let r = settings.emv_rates;
            let priced = [
                (Measure::Likes, r.like),
                (Measure::Comments, r.comment),
                (Measure::Shares, r.share),
                (Measure::Saves, r.save),
                (Measure::Views, r.view),
            ];
            if priced.iter().all(|(m, _)| !posts.has(*m)) {
                return KpiValue::na("needs column(s): likes, comments, shares, saves or views");
            }
            finite(priced.iter().map(|(m, rate)| sums.get(*m) * rate).sum())
        }
    }
}

fn finite(value: f64) -> KpiValue {
    if value.is_finite() {
        KpiValue::Value(value)
    } else {
        KpiValue::na("EMV overflowed")
    }
}
